"""The streaming GraphML/GEXF writers read back as networkx's own files do."""

from __future__ import annotations

import io
import re
from pathlib import Path

import networkx as nx
import pytest

import graphnews
from graphnews.analysis.pipeline import analyse
from graphnews.export.files import write_graph
from graphnews.export.xmlgraph import scalar, write_gexf, write_graphml

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HOSTILE = "<script>alert('x & \"y\"')</script> \x00nul \x1besc \x7f del 📰 emoji \ud800 lone \ufffe\uffff ]]> &amp; tab\there\nline"


@pytest.fixture(scope="module")
def sample_graph() -> nx.MultiDiGraph:
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    analyse(graph)
    return graph


def hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="hostile <graph> & \x00", inputs=["a", "b & c"], count=3, ratio=0.5, flag=True)
    graph.add_node("article:<script>&\"'\x00", kind="article", label=HOSTILE, title=HOSTILE, body="long " * 20000 + HOSTILE,
                   full=True, mentions=2, pagerank=1.5e-07, big=2**62, negative=-3, zero=-0.0, huge=float("inf"),
                   topics=["Election", "A & B", "<i>"], aliases=("x", "y"), extra={"k": [1, "é"]}, names={"only"})
    graph.add_node("topic:📰 \ud800", kind="topic", label="📰", full=False, mentions=0, pagerank=0.25, big=1, negative=0,
                   zero=1.0, huge=-float("inf"), topics=[], aliases=(), extra={}, names=set(), title="t")
    graph.add_node("plain")
    nodes = list(graph)
    graph.add_edge(nodes[0], nodes[1], key="related", kind="related", weight=1.0, rank=1, note=HOSTILE)
    graph.add_edge(nodes[0], nodes[1], key="similar", kind="similar", weight=0.75, rank=2, note="", flag=False)
    graph.add_edge(nodes[1], nodes[0], key="cites <&>", kind="cites", weight=2.0, rank=3, note="x", flag=True)
    graph.add_edge(nodes[1], nodes[2], key="tagged", kind="tagged", weight=1.0, rank=0, note="n", flag=True)
    return graph


def clean(value: object) -> object:
    value = scalar(value)
    return INVALID_XML.sub("", value) if isinstance(value, str) else value


def flat_copy(graph: nx.Graph) -> nx.Graph:
    """What networkx's writers were given before: values through ``scalar``, minus invalid XML."""
    flat = graph.__class__()
    flat.graph.update({clean(key): clean(value) for key, value in graph.graph.items()})
    flat.add_nodes_from((clean(node), {clean(k): clean(v) for k, v in data.items()}) for node, data in graph.nodes(data=True))
    if graph.is_multigraph():
        flat.add_edges_from((clean(u), clean(v), clean(key), {clean(k): clean(val) for k, val in data.items()})
                            for u, v, key, data in graph.edges(keys=True, data=True))
    else:
        flat.add_edges_from((clean(u), clean(v), {clean(k): clean(val) for k, val in data.items()}) for u, v, data in graph.edges(data=True))
    return flat


def assert_same(ours: nx.Graph, theirs: nx.Graph) -> None:
    assert type(ours) is type(theirs)
    assert ours.graph == theirs.graph
    assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
    for node, data in ours.nodes(data=True):  # same types too (1 == 1.0 == True)
        assert {k: type(v) for k, v in data.items()} == {k: type(v) for k, v in theirs.nodes[node].items()}
    keys = {"keys": True} if ours.is_multigraph() else {}
    edges = sorted(repr((u, v, *rest[:-1], sorted((k, type(x), x) for k, x in rest[-1].items())))
                   for u, v, *rest in ours.edges(data=True, **keys))
    expected = sorted(repr((u, v, *rest[:-1], sorted((k, type(x), x) for k, x in rest[-1].items())))
                      for u, v, *rest in theirs.edges(data=True, **keys))
    assert edges == expected


def both(tmp_path: Path, graph: nx.Graph, fmt: str) -> tuple[Path, Path]:
    ours, theirs = tmp_path / f"ours.{fmt}", tmp_path / f"networkx.{fmt}"
    with open(ours, "wb") as handle:
        (write_graphml if fmt == "graphml" else write_gexf)(graph, handle)
    flat = flat_copy(graph)
    with open(theirs, "wb") as handle:
        if fmt == "graphml":
            nx.write_graphml(flat, handle, encoding="utf-8")
        else:
            nx.write_gexf(flat, handle, encoding="utf-8")
    return ours, theirs


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_reads_back_as_networkx_file(tmp_path: Path, sample_graph: nx.MultiDiGraph, fmt: str, which: str) -> None:
    graph = sample_graph if which == "sample" else hostile_graph()
    ours, theirs = both(tmp_path, graph, fmt)
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    mine = read(ours)
    assert_same(mine, read(theirs))
    assert mine.number_of_nodes() == graph.number_of_nodes() and mine.number_of_edges() == graph.number_of_edges()


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_every_graph_class(tmp_path: Path, kind: type, fmt: str) -> None:
    graph = kind(name="g", id="graph-1")
    graph.add_node(1, label="one", weight=3)
    graph.add_node("b")
    graph.add_edge(1, "b", weight=2, label="edge")
    graph.add_edge("b", "c", id="e-7", type="directed" if graph.is_directed() else "undirected", mixed=1)
    graph.add_edge("c", 1, mixed=2.5)
    if graph.is_multigraph():
        graph.add_edge(1, "b", weight=0.5)
    ours, theirs = both(tmp_path, graph, fmt)
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    if fmt == "gexf":  # networkx declares "mixed" long from its first value and cannot read 2.5 back
        mine = read(ours)
        assert sorted(data["mixed"] for *_e, data in mine.edges(data=True) if "mixed" in data) == [1.0, 2.5]
        return
    assert_same(read(ours), read(theirs))


def test_text_round_trips_exactly(tmp_path: Path) -> None:
    """Carriage returns and tabs survive (networkx's GraphML turns CR into LF); invalid characters go."""
    graph = nx.MultiDiGraph()
    text = "a\r\nb\rc\td\n" + HOSTILE
    graph.add_node("n", title=text)
    graph.add_edge("n", "n", key="k", note=text)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        with open(path, "wb") as handle:
            (write_graphml if fmt == "graphml" else write_gexf)(graph, handle)
        back = read(path)
        assert back.nodes["n"]["title"] == INVALID_XML.sub("", text)
        assert next(iter(back.edges(data=True)))[2]["note"] == INVALID_XML.sub("", text)


def test_igraph_reads_graphml(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> None:
    igraph = pytest.importorskip("igraph")
    for graph in (sample_graph, hostile_graph()):
        path = tmp_path / "g.graphml"
        write_graph(graph, str(path))
        loaded = igraph.Graph.Read_GraphML(str(path))
        assert (loaded.vcount(), loaded.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert set(loaded.vs.attributes()) >= {"id", "title", "full", "pagerank"}
    assert loaded.vs[0]["full"] is True and loaded.vs[0]["mentions"] == 2


def test_write_graph_is_atomic_and_chunked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_graph: nx.MultiDiGraph) -> None:
    whole = io.BytesIO()
    write_graphml(sample_graph, whole)
    monkeypatch.setattr("graphnews.export.xmlgraph.CHUNK_PARTS", 7)  # many small chunks: same bytes
    path = tmp_path / "graph.graphml"
    assert write_graph(sample_graph, str(path)) == str(path)
    assert path.read_bytes() == whole.getvalue()
    write_graph(sample_graph, str(tmp_path / "graph.gexf"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert nx.read_gexf(tmp_path / "graph.gexf").number_of_edges() == sample_graph.number_of_edges()
