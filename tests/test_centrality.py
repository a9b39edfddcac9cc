"""Centrality measures on hand-made graphs with known answers, sampling, determinism."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

from graphnews.analysis import measures
from graphnews.analysis.annotate import write_measures
from graphnews.analysis.centrality import (
    MeasureRows,
    Table,
    article_table,
    betweenness,
    centrality_tables,
    eigenvector,
    pagerank,
    provider_table,
    select,
    sort_rows,
    topic_table,
)
from graphnews.errors import UsageError
from graphnews.schema import validate

BACKENDS = [pytest.param(False, id="networkx"), pytest.param(True, id="igraph")]


def two_cliques() -> nx.Graph:
    """Two 4-cliques a* and b*, joined by the bridge a0 -- b0."""
    graph = nx.Graph()
    for side in "ab":
        graph.add_edges_from((f"{side}{i}", f"{side}{j}") for i in range(4) for j in range(i + 1, 4))
    graph.add_edge("a0", "b0")
    return graph


@pytest.mark.parametrize("use_igraph", BACKENDS)
def test_betweenness_star_hub_is_on_every_path(use_igraph: bool) -> None:
    values, note = betweenness(nx.star_graph(4), use_igraph=use_igraph)
    assert note is None
    assert values == pytest.approx({0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0})


@pytest.mark.parametrize("use_igraph", BACKENDS)
def test_betweenness_path(use_igraph: bool) -> None:
    # a-b-c-d: b is inside 2 of the 3 pairs it is not part of: (a,c), (a,d)
    values, _ = betweenness(nx.path_graph("abcd"), use_igraph=use_igraph)
    assert values == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})


@pytest.mark.parametrize("use_igraph", BACKENDS)
def test_betweenness_directed_path(use_igraph: bool) -> None:
    values, _ = betweenness(nx.DiGraph([("a", "b"), ("b", "c")]), use_igraph=use_igraph)
    assert values == pytest.approx({"a": 0.0, "b": 0.5, "c": 0.0})  # 1 of 2 ordered pairs


@pytest.mark.parametrize("use_igraph", BACKENDS)
def test_betweenness_bridge_endpoints_rank_first(use_igraph: bool) -> None:
    values, _ = betweenness(two_cliques(), use_igraph=use_igraph)
    ranked = sorted(values, key=lambda node: (-values[node], node))
    assert ranked[:2] == ["a0", "b0"]
    # a0 carries every path from a1..a3 to the 4 b nodes and a1..a3 to b0... : 3*4 pairs of 21
    assert values["a0"] == pytest.approx(12 / 21)
    assert values["a1"] == 0.0


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("sampled", [False, True])
def test_igraph_matches_networkx(monkeypatch: pytest.MonkeyPatch, directed: bool, sampled: bool) -> None:
    graph = nx.gnm_random_graph(80, 240, seed=3, directed=directed)
    if sampled:
        monkeypatch.setattr(measures, "BETWEENNESS_EXACT_MAX_NODES", 50)
        monkeypatch.setattr(measures, "BETWEENNESS_PIVOTS", 10)
    reference, note_nx = betweenness(graph, use_igraph=False)
    fast, note_ig = betweenness(graph, use_igraph=True)
    assert note_nx == note_ig
    assert fast == pytest.approx(reference, abs=1e-12)


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_pivots_give_the_same_values_in_forked_processes(monkeypatch: pytest.MonkeyPatch, directed: bool) -> None:
    graph = nx.gnm_random_graph(300, 1200, seed=5, directed=directed)
    monkeypatch.setattr(measures, "BETWEENNESS_EXACT_MAX_NODES", 50)
    monkeypatch.setattr(measures, "BETWEENNESS_PIVOTS", 40)
    monkeypatch.setattr(measures, "PIVOTS_PER_CALL", 7)  # six calls, the last one short
    monkeypatch.setattr(measures.os, "cpu_count", lambda: 2)
    pools = []
    original_pool = measures.forked_pool
    monkeypatch.setattr(measures, "forked_pool", lambda workers: pools.append(original_pool(workers)) or pools[-1])
    monkeypatch.setattr(measures, "BETWEENNESS_FORK_MIN_EDGES", 10**9)
    alone, _ = betweenness(graph, use_igraph=True)
    monkeypatch.setattr(measures, "BETWEENNESS_FORK_MIN_EDGES", 0)
    forked, note = betweenness(graph, use_igraph=True)
    assert [pool is not None for pool in pools] == [False, True]  # one process, then two forked workers
    assert forked == alone  # the same bits: the calls' values are added in pivot order
    reference, reference_note = betweenness(graph, use_igraph=False)
    assert note == reference_note == "betweenness sampled with k=40 pivots (seed 0) above 50 nodes"
    assert forked == pytest.approx(reference, abs=1e-12)
    assert sum(value > 0 for value in forked.values()) > 100


def test_sampling_switch_uses_k_seeded_pivots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measures, "BETWEENNESS_EXACT_MAX_NODES", 10)
    monkeypatch.setattr(measures, "BETWEENNESS_PIVOTS", 4)
    calls = []
    original = nx.betweenness_centrality

    def spy(graph, k=None, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(k)
        return original(graph, k=k, **kwargs)

    monkeypatch.setattr(nx, "betweenness_centrality", spy)
    graph = nx.path_graph(12)
    values, note = betweenness(graph, seed=0, use_igraph=False)
    assert calls == [4]
    assert note == "betweenness sampled with k=4 pivots (seed 0) above 10 nodes"
    assert values == original(graph, k=4, seed=random.Random(0))
    _small, small_note = betweenness(nx.path_graph(10), use_igraph=False)
    assert small_note is None and calls[-1] is None


def test_sampled_note_reaches_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measures, "BETWEENNESS_EXACT_MAX_NODES", 2)
    monkeypatch.setattr(measures, "BETWEENNESS_PIVOTS", 2)
    table = article_table(article_chain(4))
    assert "betweenness sampled with k=2 pivots (seed 0) above 2 nodes" in table.notes


def test_pagerank_star_hub_and_empty() -> None:
    ranks = pagerank(nx.DiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")]))
    assert max(ranks, key=ranks.get) == "hub"
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert pagerank(nx.DiGraph()) == {}


def test_eigenvector_on_largest_component_and_katz_fallback() -> None:
    graph = nx.star_graph(3)
    graph.add_edge("x", "y")
    name, values, note = eigenvector(graph)
    assert name == "eigenvector"
    assert max(values, key=values.get) == 0 and values["x"] == 0.0
    assert note == "eigenvector: on the largest connected component (4 of 6 nodes; 0 elsewhere)"
    name, values, note = eigenvector(nx.empty_graph(3))
    assert name == "katz" and note.startswith("katz: eigenvector centrality failed (no edges)")
    assert values == pytest.approx({0: 1 / 3 ** 0.5, 1: 1 / 3 ** 0.5, 2: 1 / 3 ** 0.5})


def article_chain(n: int) -> nx.MultiDiGraph:
    """Articles a0 -> a1 -> ... (related), a0..a(n-1) by two providers, tagged with topics."""
    graph = nx.MultiDiGraph()
    graph.add_node("provider:p.com", kind="provider", label="P", domain="p.com")
    graph.add_node("provider:q.com", kind="provider", label="Q", domain="q.com")
    graph.add_node("topic:x", kind="topic", label="X")
    graph.add_node("topic:y", kind="topic", label="Y")
    for i in range(n):
        provider = "provider:p.com" if i % 2 == 0 else "provider:q.com"
        graph.add_node(f"article:{i}", kind="article", title=f"T{i}", provider=provider, link=f"https://p.com/{i}")
        graph.add_edge(f"article:{i}", provider, key="published_by", kind="published_by", weight=1.0)
        graph.add_edge(f"article:{i}", "topic:x", key="tagged", kind="tagged", weight=1.0)
        if i % 2:
            graph.add_edge(f"article:{i}", "topic:y", key="tagged", kind="tagged", weight=1.0)
        if i:
            graph.add_edge(f"article:{i - 1}", f"article:{i}", key="related", kind="related", weight=1.0, rank=0)
    return graph


def test_article_table_counts_and_order() -> None:
    graph = article_chain(4)
    graph.add_edge("article:0", "article:3", key="related", kind="related", weight=1.0, rank=1)
    table = article_table(graph)
    assert table.columns == ["id", "title", "provider", "published", "link", "related_in", "degree", "pagerank",
                             "betweenness", "eigenvector"]
    by_id = {row["id"]: row for row in table.rows}
    assert {node: row["related_in"] for node, row in by_id.items()} == {
        "article:0": 0, "article:1": 1, "article:2": 1, "article:3": 2}
    assert by_id["article:0"]["degree"] == 2 and by_id["article:0"]["provider"] == "P"
    assert table.rows[0]["id"] == "article:3"  # the sink everything flows to
    # betweenness on the directed chain: 1 lies on 0->2, 2 on 1->3 (0->3 is direct); 12 ordered pairs... of 6
    assert by_id["article:1"]["betweenness"] == pytest.approx(1 / 6)


def test_provider_and_topic_tables() -> None:
    graph = article_chain(5)  # p: 0, 2, 4; q: 1, 3; every related link crosses providers
    providers = provider_table(graph)
    assert [(r["id"], r["articles"], r["cited_by_others"], r["topics"], r["weighted_degree"]) for r in providers.rows] == [
        ("provider:p.com", 3, 2, 1, 4), ("provider:q.com", 2, 2, 2, 4)]
    topics = topic_table(graph)
    assert [(r["id"], r["articles"], r["weighted_degree"]) for r in topics.rows] == [
        ("topic:x", 5, 2), ("topic:y", 2, 2)]


def test_select_chooses_columns_sort_and_top() -> None:
    table = article_table(article_chain(4))
    view = select(table, ["related_in", "degree"], top=2)
    assert view.columns == ["id", "title", "provider", "published", "link", "related_in", "degree"]
    assert [row["id"] for row in view.rows] == ["article:1", "article:2"]  # ties on related_in broken by id
    with pytest.raises(UsageError, match="katz"):
        select(table, ["katz"])


def test_write_measures_puts_each_kind_under_its_own_names() -> None:
    graph = article_chain(3)
    graph.nodes["article:1"]["topics"] = ["X", "Y"]
    tables = centrality_tables(graph)
    write_measures(graph, tables)
    article = graph.nodes["article:2"]
    assert article["related_in"] == 1 and article["degree"] == 1 and article["pagerank"] > 0
    provider = graph.nodes["provider:q.com"]
    assert provider["provider_topics"] == 2 and provider["provider_articles"] == 1
    assert provider["provider_pagerank"] == tables["provider"].rows[0]["pagerank"]
    assert not {"pagerank", "articles", "topics", "topic_count", "weighted_degree"} & set(provider)  # the old shared names
    assert graph.nodes["article:1"]["topics"] == ["X", "Y"]
    assert graph.nodes["topic:x"]["topic_weighted_degree"] == 1 and "pagerank" not in graph.nodes["topic:x"]
    assert validate(graph) == []


def test_tables_are_deterministic() -> None:
    first = centrality_tables(article_chain(9))
    second = centrality_tables(article_chain(9))
    assert first == second
    assert all(isinstance(table, Table) for table in first.values())
    with pytest.raises(UsageError, match="unknown table kind"):
        centrality_tables(article_chain(2), ["story"])


measure_values = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(allow_nan=True, allow_infinity=False, width=32))


@given(st.lists(measure_values, min_size=0, max_size=40))
@settings(max_examples=200, deadline=None)
def test_measure_rows_are_sort_rows_of_the_dicts(values: list[float]) -> None:
    """The column rows come out as sort_rows orders the same rows held as dicts (ties by id, NaN last)."""
    ids = sorted(f"article:{i:03d}" for i in range(len(values)))
    columns = {"id": ids, "pagerank": np.array(values, dtype=float), "degree": np.arange(len(values))}
    dicts = [{"id": node, "pagerank": float(value), "degree": position}
             for position, (node, value) in enumerate(zip(ids, values))]
    expected = sort_rows(dicts, "pagerank")
    rows = MeasureRows(columns, "pagerank")
    got = list(rows)
    assert [row["id"] for row in got] == [row["id"] for row in expected]
    assert [row["degree"] for row in got] == [row["degree"] for row in expected]
    assert all(type(row["degree"]) is int and type(row["pagerank"]) is float for row in got)
    assert len(rows) == len(values) and [row["id"] for row in rows[:3]] == [row["id"] for row in got[:3]]
    if values:
        assert rows[-1]["id"] == got[-1]["id"]


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_symmetric_structure_is_either_direction(pairs: list[tuple[int, int]]) -> None:
    """An entry wherever A or its transpose has one (duplicates and self-loops included), all ones."""
    rows = np.array([source for source, _ in pairs], dtype=np.int64)
    cols = np.array([target for _, target in pairs], dtype=np.int64)
    matrix = sp.csr_array((np.ones(len(pairs)), (rows, cols)), shape=(8, 8))
    expected = ((matrix + matrix.T) != 0).astype(float).toarray()
    built = measures.symmetric_structure(rows, cols, 8)
    assert built.has_canonical_format and np.array_equal(built.toarray(), expected)


def test_article_table_rows_hold_no_dicts() -> None:
    """The article table's rows are made from columns as read (a million rows: no dict each held)."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((f"article:{i}" for i in range(6)), kind="article")
    for source in range(5):
        graph.add_edge(f"article:{source}", "article:5", key="related", kind="related", weight=1.0)
    table = article_table(graph)
    assert isinstance(table.rows, MeasureRows)
    assert [row["id"] for row in table.rows[:2]] == ["article:5", "article:0"]
    assert table.rows[0]["related_in"] == 5 and table.rows[0]["degree"] == 5
    assert list(table.rows[0]) == table.columns
