"""The streaming GraphML/GEXF writers: what the files hold, and that graphnews reads them back."""

from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import graphnews
from graphnews.analysis.pipeline import analyse
from graphnews.errors import GraphnewsError
from graphnews.export.files import graph_to_json, read_graph, write_graph
from graphnews.export.html import graph_style, write_html
from graphnews.export.xmlgraph import GEXF_NS, GEXF_VIZ_NS, GRAPHML_NS, read_gexf, read_graphml, write_gexf, write_graphml

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HOSTILE = "<script>alert('x & \"y\"')</script> \x00nul \x1besc \x7f del 📰 emoji \ud800 lone \ufffe\uffff ]]> &amp; tab\there\nline"
G, X = f"{{{GRAPHML_NS}}}", f"{{{GEXF_NS}}}"


@pytest.fixture(scope="module")
def sample_graph() -> nx.MultiDiGraph:
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    analyse(graph)
    return graph


def hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="hostile <graph> & \x00", inputs=["a", "b & c"], count=3, ratio=0.5, flag=True)
    graph.add_node("article:<script>&\"'\x00", kind="article", label=HOSTILE, title=HOSTILE, body="long " * 20000 + HOSTILE,
                   full=True, mentions=2, pagerank=1.5e-07, big=2**62, negative=-3, zero=-0.0, huge=float("inf"),
                   topics=["Election", "A & B", "<i>", 'quote " and \\ slash', "comma, inside"], aliases=("x", "y"),
                   extra={"k": [1, "é"]}, names={"only"})
    graph.add_node("topic:📰 \ud800", kind="topic", label="📰", full=False, mentions=0, pagerank=0.25, big=1, negative=0,
                   zero=1.0, huge=-float("inf"), topics=[], aliases=(), extra={}, names=set(), title="t")
    graph.add_node("plain", label="plain")
    nodes = list(graph)
    graph.add_edge(nodes[0], nodes[1], key="related", kind="related", weight=1.0, rank=1, note=HOSTILE)
    graph.add_edge(nodes[0], nodes[1], key="similar", kind="similar", weight=0.75, rank=2, note="", flag=False)
    graph.add_edge(nodes[1], nodes[0], key="cites", kind="cites", weight=2.0, rank=3, note="x", flag=True)
    graph.add_edge(nodes[1], nodes[2], key="tagged", kind="tagged", weight=1.0, rank=0, note="n", flag=True)
    return graph


def clean(value: object, lists: bool = True) -> object:
    """What a value reads back as: invalid XML removed, tuples and sets as lists, other non-scalars as JSON."""
    if isinstance(value, (list, tuple, set)):
        items = sorted(value, key=str) if isinstance(value, set) else list(value)
        return [clean(str(item)) for item in items]
    if isinstance(value, dict):
        return clean(json.dumps(value, ensure_ascii=False))
    return INVALID_XML.sub("", value) if isinstance(value, str) else value


def as_read_back(graph: nx.Graph) -> nx.MultiDiGraph:
    expected = nx.MultiDiGraph()
    expected.add_nodes_from((clean(n), {k: clean(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    expected.add_edges_from((clean(u), clean(v), k, {a: clean(b) for a, b in d.items()})
                            for u, v, k, d in graph.edges(keys=True, data=True))
    return expected


def same_values(ours: dict, theirs: dict) -> bool:
    """Equal, NaN equal to NaN, and of the same types (1 == 1.0 == True otherwise)."""
    def norm(v: object) -> object:
        return ("nan",) if isinstance(v, float) and math.isnan(v) else (type(v).__name__, v)
    return {k: norm(v) for k, v in ours.items()} == {k: norm(v) for k, v in theirs.items()}


def write(graph: nx.Graph, fmt: str, **options: object) -> bytes:
    handle = io.BytesIO()
    (write_graphml if fmt == "graphml" else write_gexf)(graph, handle, **options)
    return handle.getvalue()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_reads_back_the_graph_it_was_written_from(tmp_path: Path, sample_graph: nx.MultiDiGraph, fmt: str, which: str) -> None:
    graph = sample_graph if which == "sample" else hostile_graph()
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(write(graph, fmt))
    back = (read_graphml if fmt == "graphml" else read_gexf)(str(path))
    expected = as_read_back(graph)
    assert list(back) == list(expected)
    for node in expected:
        assert same_values(back.nodes[node], expected.nodes[node]), node
    assert sorted(back.edges(keys=True)) == sorted(expected.edges(keys=True))
    for u, v, key, data in expected.edges(keys=True, data=True):
        assert same_values(back.edges[u, v, key], data)


def test_graph_values_read_back(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_bytes(write(hostile_graph(), "graphml"))
    assert read_graphml(str(path)).graph == {"name": "hostile <graph> & ", "inputs": ["a", "b & c"], "count": 3,
                                             "ratio": 0.5, "flag": True}
    path = tmp_path / "g.gexf"
    path.write_bytes(write(hostile_graph(), "gexf"))
    assert read_gexf(str(path)).graph == {"name": "hostile <graph> & ", "inputs": ["a", "b & c"]}


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_every_graph_class(tmp_path: Path, kind: type, fmt: str) -> None:
    graph = kind(name="g")
    graph.add_node(1, label="one", weight=3)
    graph.add_node("b", label="b")
    graph.add_edge(1, "b", weight=2.0, label="edge")
    graph.add_edge("b", "c", mixed=1)
    graph.add_edge("c", 1, mixed=2.5)
    if graph.is_multigraph():
        graph.add_edge(1, "b", weight=0.5)
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(write(graph, fmt))
    back = (read_graphml if fmt == "graphml" else read_gexf)(str(path))
    assert back.is_directed() == graph.is_directed()
    assert back.number_of_edges() == graph.number_of_edges() and set(map(str, back)) == {"1", "b", "c"}
    mixed = sorted(data["mixed"] for *_e, data in back.edges(data=True) if "mixed" in data)
    assert mixed == ([1.0, 2.5] if fmt == "gexf" else [1, 2.5])  # GEXF: one type a name, GraphML: a key each


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_edge_ids_unique_kind_kept_no_networkx_key(sample_graph: nx.MultiDiGraph, fmt: str) -> None:
    root = ElementTree.fromstring(write(sample_graph, fmt))
    ns = G if fmt == "graphml" else X
    edges = list(root.iter(f"{ns}edge"))
    assert len(edges) == sample_graph.number_of_edges() == 342
    assert len({edge.get("id") for edge in edges}) == 342 and edges[0].get("id") == "e0"
    assert b"networkx_key" not in write(sample_graph, fmt)
    if fmt == "gexf":  # GEXF 1.3's attribute for parallel edges
        kinds = [edge.get("kind") for edge in edges]
        assert sorted(set(kinds)) == sorted({k for *_e, k in sample_graph.edges(keys=True)})


def test_graphml_ids_are_nmtokens_and_every_key_has_a_default(sample_graph: nx.MultiDiGraph) -> None:
    root = ElementTree.fromstring(write(sample_graph, "graphml"))
    ids = [node.get("id") for node in root.iter(f"{G}node")]
    assert ids[:3] == ["n0", "n1", "n2"] and len(set(ids)) == 82
    keys = list(root.iter(f"{G}key"))
    assert keys and all(key.find(f"{G}default") is not None for key in keys)
    defaults = {(key.get("attr.name"), key.get("attr.type")): key.findtext(f"{G}default") for key in keys if key.get("for") == "node"}
    assert defaults[("full", "boolean")] == "false" and defaults[("title", "string")] == ""
    assert defaults[("pagerank", "double")] == "NaN" and defaults[("cluster", "long")] == "-1"
    lists = {key.get("attr.name") for key in keys if key.findtext(f"{G}desc", "").startswith("list")}
    written = {k for _n, d in sample_graph.nodes(data=True) for k in d}
    assert lists == {"aliases", "names", "sources", "topics", "cluster_topics"} & written | {"inputs"}


def test_gexf_lists_are_liststring_and_defaults_declared(sample_graph: nx.MultiDiGraph) -> None:
    root = ElementTree.fromstring(write(sample_graph, "gexf"))
    attributes = {a.get("title"): a for a in root.iter(f"{X}attribute")}
    assert attributes["topics"].get("type") == "liststring" and attributes["topics"].findtext(f"{X}default") == "[]"
    assert all(a.find(f"{X}default") is not None for a in attributes.values())
    assert root.find(f"{X}graph").get("name") is None and root.findtext(f"{X}meta/{X}description") == "graphnews"
    node = next(n for n in root.iter(f"{X}node") if n.get("id") == "article:alderpost.com/health/2031/03/12/assembly-to-vote-on-hospital-package")
    values = {v.get("for"): v.get("value") for v in node.iter(f"{X}attvalue")}
    assert json.loads(values[attributes["topics"].get("id")]) == sample_graph.nodes[node.get("id")]["topics"]


def test_gexf_viz_is_the_graph_pages_layout_sizes_and_colours(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> None:
    write_graph(sample_graph, str(tmp_path / "graph.gexf"))
    write_html(sample_graph, str(tmp_path / "graph.html"), view="full", color_by="cluster")
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1))
    drawn = {n["gid"]: (n["x"], n["y"], n["size"], n["color"]) for n in data["nodes"]}
    viz = {}
    for node in ElementTree.parse(tmp_path / "graph.gexf").iter(f"{X}node"):
        position, size, color = (node.find(f"{{{GEXF_VIZ_NS}}}{name}") for name in ("position", "size", "color"))
        rgb = "#" + "".join(f"{int(color.get(c)):02x}" for c in "rgb")
        viz[node.get("id")] = (float(position.get("x")), float(position.get("y")), float(size.get("value")), rgb)
    assert len(viz) == 82 and viz == drawn
    sizes = Counter(sample_graph.nodes[n]["cluster"] for n in viz if "cluster" in sample_graph.nodes[n])
    several = sum(size >= 2 for size in sizes.values())
    article_colours = {viz[n][3] for n in viz if "cluster" in sample_graph.nodes[n]}
    assert several > 9 and len(article_colours) == 10  # a colour each of the 9 biggest stories, grey for the rest
    assert graph_style(sample_graph).color_by == "cluster"


def test_text_round_trips_exactly(tmp_path: Path) -> None:
    """Carriage returns and tabs survive; invalid characters go."""
    graph = nx.MultiDiGraph()
    text = "a\r\nb\rc\td\n" + HOSTILE
    graph.add_node("n", title=text)
    graph.add_edge("n", "n", key="k", note=text)
    for fmt, read in (("graphml", read_graphml), ("gexf", read_gexf)):
        path = tmp_path / f"g.{fmt}"
        path.write_bytes(write(graph, fmt))
        back = read(str(path))
        assert back.nodes["n"]["title"] == INVALID_XML.sub("", text)
        assert back.edges["n", "n", "k"]["note"] == INVALID_XML.sub("", text)


def test_write_graph_is_atomic_and_chunked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_graph: nx.MultiDiGraph) -> None:
    whole = write(sample_graph, "graphml")
    monkeypatch.setattr("graphnews.export.xmlgraph.CHUNK_PARTS", 7)  # many small chunks: same bytes
    path = tmp_path / "graph.graphml"
    assert write_graph(sample_graph, str(path)) == str(path)
    assert path.read_bytes() == whole
    write_graph(sample_graph, str(tmp_path / "graph.gexf"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_read_graph_reads_every_format_graphnews_writes(tmp_path: Path, sample_graph: nx.MultiDiGraph, fmt: str) -> None:
    path = tmp_path / f"g.{fmt}"
    write_graph(sample_graph, str(path))
    back = read_graph(str(path))
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(sample_graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(sample_graph.edges(keys=True, data=True))
    renamed = tmp_path / "no-extension"
    renamed.write_bytes(path.read_bytes())
    assert read_graph(str(renamed)).number_of_edges() == 342  # told apart by content


def test_json_is_networkx_node_link_data(sample_graph: nx.MultiDiGraph) -> None:
    data = graph_to_json(sample_graph)
    assert set(data) == {"directed", "multigraph", "graph", "nodes", "edges"} and data["graph"]["graphnews_format"] == 1
    assert data["edges"][0].keys() >= {"source", "target", "key", "kind"}
    assert len(data["nodes"]) == 82 and data["nodes"][0]["id"] == next(iter(sample_graph))


@pytest.mark.parametrize("text, message", [
    (b"<graphml><graph><edge source='x' target='y'/></graph></graphml>", "not a graph written by graphnews"),
    (b"<gexf><nodes/></gexf>", "not a graph written by graphnews"),
    (b"<html></html>", "neither GraphML nor GEXF"),
    (b"<graphml", "malformed XML"),
    (b'{"nodes": []}', "not a graph written by graphnews build"),
])
def test_bad_graph_files_are_one_line_errors(tmp_path: Path, text: bytes, message: str) -> None:
    path = tmp_path / "bad"
    path.write_bytes(text)
    with pytest.raises(GraphnewsError, match=message):
        read_graph(str(path))


def test_json_written_in_batches_is_the_whole_document(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> None:
    """graph.json is written a batch at a time: the document json.dumps would write, NaN as null in any batch."""
    from graphnews.export.files import json_chunks
    from graphnews.export.report import finite

    graph = sample_graph.copy()
    first = next(iter(graph.edges(keys=True)))
    graph.edges[first]["weight"] = math.nan
    whole = json.dumps(finite(graph_to_json(graph)), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    chunks = list(json_chunks(graph, batch=7))
    assert len(chunks) > 10
    assert json.loads(b"".join(chunks)) == json.loads(whole)
    write_graph(graph, str(tmp_path / "g.json"))
    assert (tmp_path / "g.json").read_bytes() == b"".join(chunks)
    data = json.loads(whole)
    assert len(data["nodes"]) == graph.number_of_nodes() and data["edges"][0]["weight"] is None


def test_json_takes_what_orjson_refuses(tmp_path: Path) -> None:
    """A lone surrogate (from a JSON record) and an integer past 64 bits are written by json, in their batch only."""
    graph = nx.MultiDiGraph()
    graph.add_node("a", kind="article", title="half \ud83d of an emoji")
    graph.add_node("b", kind="article", title="plain", mentions=2**70)
    graph.add_node("c", kind="article", title="caf\u00e9 \u2028", pagerank=math.inf)
    write_graph(graph, str(tmp_path / "g.json"))
    data = json.loads((tmp_path / "g.json").read_bytes())
    assert [(node["id"], node["title"]) for node in data["nodes"]] == [
        ("a", "half ? of an emoji"), ("b", "plain"), ("c", "caf\u00e9 \u2028")]
    assert data["nodes"][1]["mentions"] == 2**70 and data["nodes"][2]["pagerank"] is None


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_repeated_edge_values_keep_their_types(fmt: str) -> None:
    """Edges written once per distinct values: 1, 1.0 and True, 0.0 and -0.0 (equal in Python) stay apart."""
    graph = nx.MultiDiGraph()
    values = [1, 1.0, True, 1, 0.0, -0.0, 0.0, 1.0]
    for index, value in enumerate(values):
        graph.add_edge(f"a{index}", f"b{index}", key="related", kind="related", score=value)
    handle = io.BytesIO()
    (write_graphml if fmt == "graphml" else write_gexf)(graph, handle)
    text = handle.getvalue().decode("utf-8")
    if fmt == "graphml":
        written = re.findall(r'<data key="d\d+">([^<]*)</data>\n</edge>', text)
    else:
        written = re.findall(r'<attvalue for="\d+" value="([^"]*)"/>\n        </attvalues>\n      </edge>', text)
    assert written == ["1", "1.0", "true", "1", "0.0", "-0.0", "0.0", "1.0"]
