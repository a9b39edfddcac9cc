from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

import graphnews
from graphnews.analysis import similarity
from graphnews.analysis.annotate import add_similar_edges
from graphnews.analysis.similarity import (
    ScoredPairs,
    block_pairs,
    candidate_pairs,
    most_similar,
    rescore,
    similar_pairs,
    top_k_pairs,
)
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


def _block_pairs_row_by_row(rows, transposed, start, threshold, top_k):
    """The reference: each row's scores filtered, cut to its top_k and listed in Python, as block_pairs once did."""
    block = (rows @ transposed).tocsr()
    block.data[block.data < threshold] = 0
    block.eliminate_zeros()
    found = []
    for position in range(block.shape[0]):
        row = start + position
        columns = block.indices[block.indptr[position]:block.indptr[position + 1]]
        scores = block.data[block.indptr[position]:block.indptr[position + 1]]
        keep = columns != row
        columns, scores = columns[keep], scores[keep]
        if len(columns) > top_k:
            order = np.lexsort((columns, -scores))[:top_k]
            columns, scores = columns[order], scores[order]
        found += [(min(row, column), max(row, column), min(score, 1.0)) for column, score in zip(columns.tolist(), scores.tolist())]
    return found


@settings(max_examples=150, deadline=None)
@given(rows=st.integers(1, 14), terms=st.integers(1, 6), seed=st.integers(0, 10_000), top_k=st.integers(1, 4),
       threshold=st.sampled_from([0.0, 0.1, 0.5]), start=st.integers(0, 3), density=st.floats(0.1, 0.9))
def test_block_pairs_are_the_row_by_row_pairs_in_order_to_the_bit(rows, terms, seed, top_k, threshold, start, density):
    """All rows at once give each row's pairs as a row-by-row pass does: same pairs, order, ties and scores."""
    rng = np.random.default_rng(seed)
    size = rows + start
    values = np.round(rng.random((size, terms)) * 2, 1) * (rng.random((size, terms)) < density)  # ties, zeros, > 1
    matrix = sp.csr_matrix(values)
    transposed = matrix.T.tocsr()
    got = block_pairs(matrix[start:], transposed, start, threshold=threshold, top_k=top_k, block_rows=3)
    expected = _block_pairs_row_by_row(matrix[start:], transposed, start, threshold, top_k)
    assert list(zip(got.first.tolist(), got.second.tolist(), got.scores.tolist())) == expected


def test_candidate_pairs_are_the_top_k_pairs_sorted():
    graph = two_stories()
    article(graph, "article:bridge", excerpt=BRIDGE)
    matrix = similarity.text_model(graph).matrix
    expected = sorted(top_k_pairs(matrix, threshold=0.05, top_k=2))
    assert candidate_pairs(matrix, threshold=0.05, top_k=2).tolist() == [list(pair) for pair in expected]
    assert len(expected) >= 5 and candidate_pairs(matrix, threshold=2.0, top_k=2).shape == (0, 2)


def test_rescore_in_chunks_gives_the_same_pairs_and_bits(monkeypatch):
    graph = two_stories()
    article(graph, "article:bridge", excerpt=BRIDGE)
    matrix = similarity.text_model(graph).matrix
    candidates = candidate_pairs(matrix, threshold=0.0, top_k=5)
    whole = rescore(matrix, candidates, threshold=0.05, top_k=3).to_dict()
    monkeypatch.setattr(similarity, "RESCORE_PAIRS", 2)
    assert rescore(matrix, candidates, threshold=0.05, top_k=3).to_dict() == whole and len(whole) >= 5
    assert list(whole) == sorted(whole)


def test_scored_pairs_keep_dict_order_and_update_like_a_dict():
    pairs = {(3, 4): 0.5, (0, 2): 0.25, (1, 2): 0.75}
    scored = ScoredPairs.of(pairs)
    assert list(scored.items()) == list(pairs.items()) and len(scored) == 3
    wire = {(1, 2): 1.0, (0, 9): 1.0}
    expected = dict(pairs)
    expected.update(wire)
    assert list(scored.updated(ScoredPairs.of(wire), 10).items()) == list(expected.items())
    assert scored.updated(ScoredPairs.of({}), 10) is scored and ScoredPairs.of({}).updated(scored, 10) is scored
    assert scored.where(scored.scores > 0.3).to_dict() == {(3, 4): 0.5, (1, 2): 0.75}
    assert scored.lookup([(1, 2), (2, 3), (3, 4)], 10) == {(1, 2): 0.75, (3, 4): 0.5}
    assert ScoredPairs.of({}).lookup([(1, 2)], 10) == {} and scored.lookup([], 10) == {}


def test_scored_pairs_items_are_made_in_chunks(monkeypatch):
    monkeypatch.setattr(similarity, "ITEM_CHUNK", 2)
    pairs = {(i, i + 1): i / 10 for i in range(7)}
    assert list(ScoredPairs.of(pairs).items()) == list(pairs.items())


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


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 30), st.integers(0, 30)).filter(lambda pair: pair[0] < pair[1]), max_size=120),
       st.data(), st.integers(1, 5), st.sampled_from([1, 3, 7, 65_536]))
def test_rescore_keeps_each_rows_top_k_in_blocks_of_rows(pairs: set, data: st.DataObject, top_k: int, block: int) -> None:
    """A pair stays when it is among the top_k of either of its rows (best first, ties by the other row),
    whatever the block of rows ranked at once: the reference ranks every row in plain Python."""
    ordered = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    scores = np.array(data.draw(st.lists(st.sampled_from([0.25, 0.5, 0.75, 1.0]), min_size=len(ordered), max_size=len(ordered))))
    by_row: dict[int, list[tuple[float, int, int]]] = {}
    for index, ((a, b), score) in enumerate(zip(ordered.tolist(), scores.tolist())):
        by_row.setdefault(a, []).append((-score, b, index))
        by_row.setdefault(b, []).append((-score, a, index))
    expected = sorted({index for entries in by_row.values() for _, _, index in sorted(entries)[:top_k]})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(similarity, "TOP_K_ROWS", block)
        kept = similarity._kept_by_either_end(ordered, scores, top_k)
    assert np.flatnonzero(kept).tolist() == expected


@pytest.mark.parametrize("entries", [1, 50, 10**12])
def test_products_cut_by_their_size_give_the_same_pairs(entries: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of rows cut so that no product holds more than PRODUCT_BLOCK_ENTRIES: the same pairs, in the same order."""
    model = similarity.text_model(graphnews.build_graph(graphnews.load([graphnews.sample_data_path()])))
    expected = top_k_pairs(model.matrix, threshold=0.05, top_k=3)
    monkeypatch.setattr(similarity, "PRODUCT_BLOCK_ENTRIES", entries)
    assert list(top_k_pairs(model.matrix, threshold=0.05, top_k=3).items()) == list(expected.items())
    assert len(expected) > 40
