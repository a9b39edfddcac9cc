"""graph.graphml and graph.gexf as the clients people use read them.

xmllint against the schemas (GraphML 1.0 from Debian's libjgrapht-java, GEXF 1.3 in
tests/schemas/), graphology-gexf and graphology-graphml under Node (what sigma.js and
Gephi Lite parse with), igraph and networkx. ``bash tests/setup.sh`` installs them; under
CI a missing client is a failure, elsewhere a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

import graphnews
from graphnews.analysis.pipeline import analyse
from graphnews.export.files import write_graph
from graphnews.export.html import graph_style

from test_xmlgraph import hostile_graph

TESTS = Path(__file__).parent
GRAPHML_XSD = TESTS / "schemas" / "graphml" / "graphml.xsd"
GEXF_XSD = TESTS / "schemas" / "gexf-1.3" / "gexf.xsd"
NODE_SCRIPT = TESTS / "js" / "parse.js"


def need(available: bool, what: str) -> None:
    """Skip without the client, except under CI where tests/setup.sh must have installed it."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} missing: tests/setup.sh installs it")
        pytest.skip(f"{what} missing (bash tests/setup.sh installs it)")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[nx.MultiDiGraph, dict[str, Path]]]:
    folder = tmp_path_factory.mktemp("clients")
    sample = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    analyse(sample)
    written = {}
    for name, graph in (("sample", sample), ("hostile", hostile_graph())):
        written[name] = (graph, {fmt: Path(write_graph(graph, str(folder / f"{name}.{fmt}"))) for fmt in ("graphml", "gexf")})
    return written


@pytest.mark.parametrize("which", ["sample", "hostile"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xmllint_validates_against_the_schema(files: dict, which: str, fmt: str) -> None:
    need(shutil.which("xmllint") is not None, "xmllint")
    schema = GRAPHML_XSD if fmt == "graphml" else GEXF_XSD
    need(schema.exists(), str(schema))
    path = files[which][1][fmt]
    done = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(schema), str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip().endswith("validates")


def test_the_schemas_reject_duplicate_edge_ids(files: dict, tmp_path: Path) -> None:
    """The check above can fail: an old-style file (every edge id = its kind) does not validate."""
    need(shutil.which("xmllint") is not None and GRAPHML_XSD.exists(), "xmllint and the GraphML schema")
    for fmt, schema in (("graphml", GRAPHML_XSD), ("gexf", GEXF_XSD)):
        text = files["sample"][1][fmt].read_text(encoding="utf-8").replace('id="e1"', 'id="e0"')
        bad = tmp_path / f"bad.{fmt}"
        bad.write_text(text, encoding="utf-8")
        done = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(schema), str(bad)], capture_output=True, text=True)
        assert done.returncode != 0 and "Duplicate key-sequence ['e0']" in done.stderr


def graphology(fmt: str, path: Path) -> dict:
    need(shutil.which("node") is not None, "node")
    need((TESTS / "js" / "node_modules" / "graphology-gexf").is_dir(), "tests/js/node_modules (npm ci)")
    done = subprocess.run(["node", str(NODE_SCRIPT), fmt, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_graphology_gexf_reads_positions_colours_and_lists(files: dict, which: str) -> None:
    graph, paths = files[which]
    read = graphology("gexf", paths["gexf"])
    assert (read["order"], read["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert set(read["nodes"]) == {str(node).replace("\ud800", "").replace("\x00", "") for node in graph}
    # sigma.js needs x and y on every node ("could not find a valid position")
    assert all(isinstance(a.get("x"), (int, float)) and isinstance(a.get("y"), (int, float)) for a in read["nodes"].values())
    if which == "sample":
        style = graph_style(graph)
        for node, attributes in read["nodes"].items():
            x, y, size, colour = style.viz()[node]
            assert (attributes["x"], attributes["y"], attributes["size"]) == (x, y, size)
            red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
            assert attributes["color"] in (colour, f"rgb({red},{green},{blue})")
            assert attributes["topics"] == graph.nodes[node].get("topics", [])  # liststring: a real list
            assert attributes["kind"] == graph.nodes[node]["kind"]
        kinds = sorted(edge["attributes"]["kind"] for edge in read["edges"])
        assert kinds == sorted(kind for *_e, kind in graph.edges(keys=True))
    else:
        article = read["nodes"]["article:<script>&\"'"]
        assert article["topics"] == ["Election", "A & B", "<i>", 'quote " and \\ slash', "comma, inside"]
        assert article["full"] is True and article["mentions"] == 2


def test_graphology_graphml_reads_every_node_and_edge(files: dict) -> None:
    graph, paths = files["sample"]
    read = graphology("graphml", paths["graphml"])
    assert (read["order"], read["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert len({edge["id"] for edge in read["edges"]}) == graph.number_of_edges()
    assert sorted(a["graphnews_id"] for a in read["nodes"].values()) == sorted(graph)
    kinds = sorted(edge["attributes"]["kind"] for edge in read["edges"])
    assert kinds == sorted(kind for *_e, kind in graph.edges(keys=True))


@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_igraph_reads_graphml_with_declared_defaults(files: dict, which: str) -> None:
    igraph = pytest.importorskip("igraph")
    graph, paths = files[which]
    loaded = igraph.Graph.Read_GraphML(str(paths["graphml"]))
    assert (loaded.vcount(), loaded.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    by_id = {vertex["graphnews_id"]: vertex for vertex in loaded.vs}
    if which == "sample":
        article = next(n for n, d in graph.nodes(data=True) if d["kind"] == "article" and d["full"])
        assert by_id[article]["full"] is True and by_id[article]["title"] == graph.nodes[article]["title"]
        provider = next(n for n, d in graph.nodes(data=True) if d["kind"] == "provider")
        assert by_id[provider]["full"] is False and by_id[provider]["title"] == ""  # the declared defaults
        assert sorted(loaded.es["kind"]) == sorted(kind for *_e, kind in graph.edges(keys=True))
    else:
        assert by_id["article:<script>&\"'"]["mentions"] == 2 and by_id["article:<script>&\"'"]["topics"].startswith("Election; A & B")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_both(files: dict, fmt: str) -> None:
    if fmt == "gexf" and tuple(int(part) for part in nx.__version__.split(".")[:2]) < (3, 5):
        pytest.skip("networkx reads GEXF 1.3 from 3.5 on (graphnews reads it itself on any version)")
    graph, paths = files["sample"]
    loaded = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(paths[fmt])
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    if fmt == "graphml":
        ids = {data["graphnews_id"]: node for node, data in loaded.nodes(data=True)}
        assert loaded.graph["node_default"]["full"] is False  # defaults reach networkx too
    else:
        ids = {node: node for node in loaded}
        assert not any("networkx_key" in data for *_e, data in loaded.edges(data=True))
    article = next(n for n, d in graph.nodes(data=True) if d["kind"] == "article" and "cluster" in d)
    assert loaded.nodes[ids[article]]["cluster"] == graph.nodes[article]["cluster"]
    assert loaded.nodes[ids[article]]["pagerank"] == pytest.approx(graph.nodes[article]["pagerank"])


@pytest.mark.shared
def test_election_files_validate_and_parse(election_dir: Path, tmp_path: Path) -> None:
    """The corpus of the issue: 12,408 edges of 3 kinds, 284 nodes with URL ids."""
    graph = graphnews.build_graph(graphnews.load([str(election_dir)]))
    analyse(graph)
    graphml = Path(write_graph(graph, str(tmp_path / "e.graphml")))
    gexf = Path(write_graph(graph, str(tmp_path / "e.gexf")))
    need(shutil.which("xmllint") is not None and GRAPHML_XSD.exists(), "xmllint and the GraphML schema")
    for path, schema in ((graphml, GRAPHML_XSD), (gexf, GEXF_XSD)):
        done = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(schema), str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
    for fmt, path in (("graphml", graphml), ("gexf", gexf)):
        read = graphology(fmt, path)
        assert (read["order"], read["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
