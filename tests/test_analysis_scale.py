"""The fast paths of the analysis modules give the reference answers (networkx, datasketch, exact cosines)."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

import graphnews
from graphnews.analysis import similarity
from graphnews.analysis.centrality import article_table, pagerank_vector
from graphnews.analysis.projections import article_graph, article_links, edges_of_kind, provider_graph
from graphnews.analysis.similarity import rescore, similar_pairs, text_model, without_common_terms
from graphnews.analysis.syndication import lsh_candidates


def random_articles(seed: int, articles: int = 60, links: int = 200) -> nx.MultiDiGraph:
    """Articles with random related (and some similar) links, parallel kinds and a few self-links."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    ids = [f"article:{rng.randrange(10**6):06d}" for _ in range(articles)]
    graph.add_nodes_from(ids, kind="article")
    graph.add_node("provider:p", kind="provider")
    for _ in range(links):
        a, b = rng.choice(ids), rng.choice(ids)
        graph.add_edge(a, b, key="related", kind="related", weight=float(rng.randint(1, 3)))
        if rng.random() < 0.3:
            graph.add_edge(a, b, key="similar", kind="similar", weight=0.5)
        graph.add_edge(a, "provider:p", key="published_by", kind="published_by")
    return graph


def naive_article_graph(graph: nx.MultiDiGraph, kinds: tuple[str, ...]) -> nx.DiGraph:
    """The projection as it was first written: edge by edge."""
    projected = nx.DiGraph()
    projected.add_nodes_from(sorted(node for node, kind in graph.nodes(data="kind") if kind == "article"))
    for source, target, key, weight in graph.edges(keys=True, data="weight", default=1.0):
        if key in kinds and source in projected and target in projected:
            if projected.has_edge(source, target):
                projected[source][target]["weight"] += weight
            else:
                projected.add_edge(source, target, weight=weight)
    return projected


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("kinds", [("related",), ("related", "similar")])
def test_projection_is_identical_to_edge_by_edge(seed: int, kinds: tuple[str, ...]) -> None:
    graph = random_articles(seed)
    fast, naive = article_graph(graph, kinds), naive_article_graph(graph, kinds)
    assert list(fast.nodes) == list(naive.nodes)
    assert list(fast.edges(data="weight")) == list(naive.edges(data="weight"))
    assert {node: list(fast.pred[node]) for node in fast} == {node: list(naive.pred[node]) for node in naive}
    links = article_links(graph, kinds)
    assert len(links.sources) == naive.number_of_edges() and links.weights.sum() == pytest.approx(
        sum(weight for _, _, weight in naive.edges(data="weight")))


def test_edges_of_kind_follow_graph_order() -> None:
    graph = random_articles(7)
    expected = [(u, v) for u, v, key in graph.edges(keys=True) if key == "published_by"]
    assert [(u, v) for u, v, _ in edges_of_kind(graph, "published_by")] == expected
    assert len(expected) == len({u for u, _, key in graph.edges(keys=True) if key == "published_by"}) > 40


@pytest.mark.parametrize("seed", range(5))
def test_pagerank_vector_matches_networkx(seed: int) -> None:
    projected = naive_article_graph(random_articles(seed), ("related",))
    nodes = list(projected)
    reference = nx.pagerank(projected, weight="weight")
    fast = pagerank_vector(nx.to_scipy_sparse_array(projected, nodelist=nodes, weight="weight", dtype=float))
    assert max(abs(reference[node] - value) for node, value in zip(nodes, fast.tolist())) < 1e-12
    assert any(projected.out_degree(node) == 0 for node in nodes)  # dangling nodes are exercised


def test_article_table_degrees_match_the_digraph() -> None:
    graph = random_articles(3)
    projected = naive_article_graph(graph, ("related",))
    reference = nx.pagerank(projected, weight="weight")
    for row in article_table(graph).rows:
        node = row["id"]
        assert (row["related_in"], row["degree"]) == (projected.in_degree(node), projected.degree(node))
        assert row["pagerank"] == pytest.approx(reference[node], abs=1e-12)


def test_lsh_candidates_are_what_datasketch_returns() -> None:
    rng = random.Random(0)
    vocabulary = [f"w{i}" for i in range(60)]
    sets = [set(rng.sample(vocabulary, 12)) for _ in range(150)]
    sets += [set(list(base)[:10]) | {"extra"} for base in sets[:20]]  # near copies
    signatures = MinHash.bulk([[word.encode() for word in sorted(words)] for words in sets], num_perm=128, seed=0)
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    for number, signature in enumerate(signatures):
        lsh.insert(number, signature)
    expected = sorted({(min(a, b), max(a, b)) for a, signature in enumerate(signatures)
                       for b in lsh.query(signature) if a != b})
    matrix = np.array([signature.hashvalues for signature in signatures], dtype=np.uint64)
    assert [tuple(pair) for pair in lsh_candidates(matrix).tolist()] == expected and len(expected) >= 20


def test_pruned_candidates_with_nothing_pruned_are_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    exact = similar_pairs(graph)
    monkeypatch.setattr(similarity, "EXACT_MAX_ARTICLES", 0)
    monkeypatch.setattr(similarity, "MAX_DF", 1.0)
    pruned = similar_pairs(graph)
    assert [(a, b) for a, b, _ in pruned] == [(a, b) for a, b, _ in exact] and len(exact) > 20
    assert [score for _, _, score in pruned] == pytest.approx([score for _, _, score in exact], abs=1e-6)


def test_common_terms_make_no_candidates_but_still_score() -> None:
    graph = nx.Graph()
    for number in range(200):
        graph.add_node(f"article:{number:03d}", kind="article", title=f"senate vote {'alpha' if number < 2 else 'omega'}"
                       f"{number if number >= 2 else ''}")
    model = text_model(graph)
    pruned = without_common_terms(model.matrix, 0.05)
    assert pruned.nnz < model.matrix.nnz and "senate" in set(model.terms)
    senate = list(model.terms).index("senate")
    assert pruned[:, [senate]].nnz == 0 and model.matrix[:, [senate]].nnz == 200
    scored = rescore(model.matrix, {(0, 1): 0.0}, threshold=0.25, top_k=10).to_dict()
    assert list(scored) == [(0, 1)] and scored[(0, 1)] == pytest.approx(1.0, abs=1e-6)


def test_provider_graph_is_identical_to_edge_by_edge() -> None:
    graph = random_articles(11)
    rng = random.Random(1)
    graph.remove_node("provider:p")
    providers = [f"provider:{name}" for name in "dcba"]
    graph.add_nodes_from(providers, kind="provider")
    for node in sorted(n for n, kind in graph.nodes(data="kind") if kind == "article"):
        graph.add_edge(node, rng.choice(providers), key="published_by", kind="published_by")
    naive = nx.Graph()
    naive.add_nodes_from(sorted(providers), self_links=0)
    publisher = {u: v for u, v, key in graph.edges(keys=True) if key == "published_by"}
    for source, target, key in graph.edges(keys=True):
        a, b = publisher.get(source), publisher.get(target)
        if key != "related" or a is None or b is None:
            continue
        if a == b:
            naive.nodes[a]["self_links"] += 1
        elif naive.has_edge(a, b):
            naive[a][b]["weight"] += 1
        else:
            naive.add_edge(a, b, weight=1)
    fast = provider_graph(graph)
    assert list(fast.nodes(data=True)) == list(naive.nodes(data=True))
    assert list(fast.edges(data=True)) == list(naive.edges(data=True)) and fast.number_of_edges() == 6
