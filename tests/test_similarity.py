from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

import graphnews
from graphnews.analysis.annotate import add_similar_edges
from graphnews.analysis.similarity import block_pairs, most_similar, similar_pairs, top_k_pairs
from graphnews.errors import LookupFailed

from helpers_stories import BRIDGE, article, two_stories

KUSHNER = "article:cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"


def test_pairs_link_the_same_story_only():
    pairs = similar_pairs(two_stories())
    linked = {(a, b) for a, b, _ in pairs}
    assert linked == {
        ("article:recount-0", "article:recount-1"), ("article:recount-0", "article:recount-2"),
        ("article:recount-1", "article:recount-2"), ("article:strike-0", "article:strike-1"),
        ("article:strike-0", "article:strike-2"), ("article:strike-1", "article:strike-2"),
    }
    assert pairs == sorted(pairs) and all(a < b and 0.25 <= score <= 1.0 for a, b, score in pairs)


def test_top_k_keeps_the_best_of_each_row():
    matrix = sp.csr_matrix(np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.8, 0.0, 0.2], [0.0, 0.0, 1.0]]))
    matrix = sp.csr_matrix(matrix.multiply(1 / np.sqrt(matrix.multiply(matrix).sum(axis=1))))
    pairs = top_k_pairs(matrix, threshold=0.1, top_k=1, block_rows=2)
    assert sorted(pairs) == [(0, 1), (0, 2), (2, 3)]


@pytest.mark.parametrize("block_rows", [1, 2, 512])
def test_blocks_do_not_change_the_result(block_rows):
    graph = two_stories()
    article(graph, "article:bridge", excerpt=BRIDGE)
    from graphnews.analysis.similarity import text_model

    model = text_model(graph)
    assert top_k_pairs(model.matrix, threshold=0.2, top_k=3, block_rows=block_rows) == \
        top_k_pairs(model.matrix, threshold=0.2, top_k=3, block_rows=7)



@pytest.mark.parametrize("rows_per_part", [1, 3, 100])
def test_pair_blocks_runner_gives_the_same_pairs(rows_per_part):
    """A runner cutting the rows into parts (as the Dask tasks do) gives the pairs of one pass, in the same order."""
    graph = two_stories()
    article(graph, "article:bridge", excerpt=BRIDGE)
    from graphnews.analysis.similarity import text_model

    matrix = text_model(graph).matrix
    calls = []

    def runner(rows, transposed, threshold, top_k):
        for start in range(0, rows.shape[0], rows_per_part):
            calls.append(start)
            yield block_pairs(rows[start:start + rows_per_part], transposed, start, threshold=threshold, top_k=top_k)

    expected = top_k_pairs(matrix, threshold=0.2, top_k=2)
    got = top_k_pairs(matrix, threshold=0.2, top_k=2, pair_blocks=runner)
    assert list(got.items()) == list(expected.items()) and len(expected) >= 5
    assert calls == list(range(0, matrix.shape[0], rows_per_part))


def test_add_similar_edges_from_smaller_id_with_rounded_weight():
    graph = two_stories()
    count = add_similar_edges(graph, [("article:strike-1", "article:strike-0", 0.123456)])
    assert count == 1
    assert graph.edges["article:strike-0", "article:strike-1", "similar"] == {"kind": "similar", "weight": 0.1235}
    assert not graph.has_edge("article:strike-1", "article:strike-0", "similar")


def test_most_similar_ranks_and_looks_up():
    graph = two_stories()
    ranked = most_similar(graph, "article:strike-0", top=2)
    assert [node for node, _ in ranked] == ["article:strike-1", "article:strike-2"]
    assert ranked[0][1] >= ranked[1][1] > 0
    with pytest.raises(LookupFailed, match=re.escape("no article with URL or id 'https://nowhere.example/x' among 6 articles")):
        most_similar(graph, "https://nowhere.example/x")


def test_articles_without_text_are_similar_to_nothing():
    graph = nx.MultiDiGraph()
    graph.add_node("article:a", kind="article")
    graph.add_node("article:b", kind="article", title="the and of")
    assert similar_pairs(graph) == []


def test_seed_002_is_most_similar_to_seed_000(seeds_dir):
    graph = graphnews.build_graph(graphnews.load([str(seeds_dir)]))
    plain = next(node for node in graph if node.startswith("article:text-"))
    assert most_similar(graph, plain, top=1)[0][0] == KUSHNER
    assert (KUSHNER, plain) in {(a, b) for a, b, _ in similar_pairs(graph)}
