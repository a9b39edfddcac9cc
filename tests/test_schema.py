"""The graph schema: real graphs follow it, read_graph refuses what breaks it, the docs print it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graphnews
from graphnews.analysis.pipeline import analyse
from graphnews.cli import cli
from graphnews.errors import SchemaError
from graphnews.export.files import read_graph, write_graph
from graphnews.schema import MEASURES, NODE_ATTRIBUTES, markdown_table, measure_attribute, validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def analysed() -> nx.MultiDiGraph:
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    analyse(graph)
    return graph


def test_the_analysed_sample_graph_follows_the_schema(analysed: nx.MultiDiGraph) -> None:
    assert validate(analysed) == []
    kinds = {kind for _node, kind in analysed.nodes(data="kind")}
    edge_kinds = {key for _u, _v, key in analysed.edges(keys=True)}
    assert kinds == {"article", "provider", "topic"}
    assert edge_kinds == {"related", "published_by", "tagged", "similar", "syndicated", "cites"}
    provider = analysed.nodes["provider:harborherald.com"]
    assert provider["provider_articles"] == 7 and "pagerank" not in provider and "articles" not in provider


def test_measure_names_cannot_collide_across_kinds() -> None:
    names = [measure_attribute(kind, measure) for kind, measures in MEASURES.items() for measure, _t, _m in measures]
    assert len(names) == len(set(names)) == 15
    declared = [attribute.name for attribute in NODE_ATTRIBUTES]
    assert len(declared) == len(set(declared))  # one declaration per name: a name means one thing


def test_validate_names_kind_type_and_ends() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("article:a", kind="article", mentions="two", full=1)
    graph.add_node("person:x", kind="person")
    graph.add_node("topic:t", kind="topic", label="T")
    graph.add_edge("article:a", "topic:t", key="related", kind="related", weight=1.0)
    graph.add_edge("article:a", "topic:t", key="tagged", kind="similar")
    assert validate(graph) == [
        "node 'article:a' (article): 'mentions' is not an integer",
        "node 'article:a' (article): 'full' is not true or false",
        "node 'person:x' (person): unknown kind 'person' (one of article, provider, topic)",
        "edge 'article:a' -> 'topic:t' (related): links article -> topic, not article -> article",
        "edge 'article:a' -> 'topic:t' (similar): key 'tagged' is not its kind",
        "edge 'article:a' -> 'topic:t' (similar): links article -> topic, not article -> article",
    ]


@pytest.mark.parametrize("change, message", [
    (lambda data: data["nodes"][0].update(kind="person"), "unknown kind 'person' (one of article, provider, topic)"),
    (lambda data: data["nodes"][0].update(mentions="7"), "'mentions' is not an integer"),
    (lambda data: data["edges"][0].update(kind="likes", key="likes"), "unknown kind 'likes'"),
    (lambda data: data["nodes"][0].pop("kind"), "no 'kind'"),
])
def test_read_graph_refuses_a_graph_that_breaks_the_schema(tmp_path: Path, analysed: nx.MultiDiGraph,
                                                           change: object, message: str) -> None:
    path = tmp_path / "graph.json"
    write_graph(analysed, str(path))
    data = json.loads(path.read_text())
    data["nodes"].sort(key=lambda node: node["kind"] != "article")
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data))
    with pytest.raises(SchemaError, match=re.escape(message)):
        read_graph(str(path))
    result = CliRunner().invoke(cli, ["report", "--graph", str(path), "-q"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and message.split(" (")[0] in result.output


def test_read_graph_round_trips_keep_the_schema(tmp_path: Path, analysed: nx.MultiDiGraph) -> None:
    for name in ("graph.json", "graph.graphml", "graph.gexf"):
        write_graph(analysed, str(tmp_path / name))
        assert validate(read_graph(str(tmp_path / name)), unknown=False) == [], name


def test_architecture_doc_holds_the_schema_table() -> None:
    assert markdown_table() in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_parquet_node_and_edge_columns_are_the_schema_build_attributes() -> None:
    pytest.importorskip("pyarrow")
    from graphnews.distributed import schema as parquet
    from graphnews.schema import EDGE_ATTRIBUTES

    assert parquet.NODE_SCHEMA.names == ["id"] + [a.name for a in NODE_ATTRIBUTES if a.stage == "build"]
    assert parquet.EDGE_SCHEMA.names == ["source", "target"] + [a.name for a in EDGE_ATTRIBUTES if a.stage == "build"]
