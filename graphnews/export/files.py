"""Standard graph files: node-link JSON, GraphML and GEXF; all three read back with ``--graph``.

JSON keeps every value as it is (lists stay lists). GraphML and GEXF are written by
:mod:`graphnews.export.xmlgraph` for Gephi, sigma.js, igraph and networkx; the GEXF also
carries the graph page's layout, node sizes and colours (:func:`graphnews.export.html.graph_style`).

The node-link JSON is made here rather than by ``networkx.node_link_data``, whose keyword
for the edge list changed between releases (``link=`` until 3.3, ``edges=`` from 3.4,
the default changing in 3.6): the same file from every networkx graphnews supports.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from typing import IO, Any

import networkx as nx

from ..atomic import atomic_open
from ..errors import GraphnewsError
from .xmlgraph import GraphFileError, read_gexf, read_graphml, write_gexf, write_graphml

GRAPH_FORMATS = ("json", "graphml", "gexf")
FORMAT_VERSION = 1
#: A path of "-" writes to standard output.
STDOUT = "-"


def graph_to_json(graph: nx.Graph) -> dict[str, Any]:
    """The graph as node-link data, laid out as ``nx.node_link_data(graph, edges="edges")``."""
    multigraph = graph.is_multigraph()
    if multigraph:
        edges = [{**data, "source": u, "target": v, "key": key} for u, v, key, data in graph.edges(keys=True, data=True)]
    else:
        edges = [{**data, "source": u, "target": v} for u, v, data in graph.edges(data=True)]
    return {
        "directed": graph.is_directed(), "multigraph": multigraph,
        "graph": {**graph.graph, "graphnews_format": FORMAT_VERSION},
        "nodes": [{**data, "id": node} for node, data in graph.nodes(data=True)],
        "edges": edges,
    }


def graph_from_json(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The graph of :func:`graph_to_json` data (always a MultiDiGraph, as graphnews builds them)."""
    graph = nx.MultiDiGraph()
    graph.graph.update(data.get("graph", {}))
    for node in data["nodes"]:
        attributes = dict(node)
        graph.add_node(attributes.pop("id"), **attributes)
    for edge in data["edges"]:
        attributes = dict(edge)
        source, target = attributes.pop("source"), attributes.pop("target")
        graph.add_edge(source, target, key=attributes.pop("key", None), **attributes)
    return graph


def graph_format(path: str, fmt: str | None = None) -> str:
    """The format to write ``path`` in: ``fmt``, else the extension (exit-worthy error when neither names one)."""
    fmt = (fmt or ("json" if path == STDOUT else path.rsplit(".", 1)[-1])).lower()
    if fmt not in GRAPH_FORMATS:
        raise GraphnewsError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    return fmt


def write_graph(graph: nx.Graph, path: str, fmt: str | None = None, *, stdout: IO[bytes] | None = None) -> str:
    """Write ``graph`` to ``path`` atomically, or to ``stdout`` when ``path`` is ``-``.

    The format comes from ``fmt`` or the extension (JSON for ``-``). The GEXF gets the
    positions, sizes and colours of the graph page (:func:`graphnews.export.html.graph_style`).
    """
    fmt = graph_format(path, fmt)
    if path == STDOUT:
        if stdout is None:
            raise GraphnewsError("write_graph to '-' needs a stdout stream")
        _write(graph, fmt, stdout)
        stdout.flush()
        return path
    with atomic_open(path, "wb") as handle:
        _write(graph, fmt, handle)
    return path


def _write(graph: nx.Graph, fmt: str, handle: IO[bytes]) -> None:
    if fmt == "json":
        text = json.dumps(graph_to_json(graph), ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        handle.write(text.encode("utf-8", "replace"))  # a lone surrogate from a JSON record
    elif fmt == "graphml":
        write_graphml(graph, handle)
    else:
        from .html import graph_style  # pyvis and the layout only when a GEXF is written

        write_gexf(graph, handle, viz=graph_style(graph).viz())


def read_graph(path: str) -> nx.MultiDiGraph:
    """Load a graph written by :func:`write_graph` (JSON, GraphML or GEXF, told apart by content)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).lstrip()
    except OSError as error:
        raise GraphnewsError(f"cannot read graph file {path}: {error.strerror or error}") from None
    if head.startswith(b"<"):
        return _read_xml(path, head)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise GraphnewsError(f"cannot read graph file {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GraphnewsError(f"{path}: not a graph JSON, GraphML or GEXF file ({error})") from None
    if not isinstance(data, dict) or "nodes" not in data or data.get("graph", {}).get("graphnews_format") != FORMAT_VERSION:
        raise GraphnewsError(f"{path}: not a graph written by graphnews build (format {FORMAT_VERSION})")
    try:
        return graph_from_json(data)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise GraphnewsError(f"{path}: malformed graph JSON ({error!r})") from None


def _read_xml(path: str, head: bytes) -> nx.MultiDiGraph:
    reader = read_gexf if b"<gexf" in head else read_graphml if b"<graphml" in head else None
    if reader is None:
        raise GraphnewsError(f"{path}: XML, but neither GraphML nor GEXF")
    try:
        graph = reader(path)
    except ElementTree.ParseError as error:
        raise GraphnewsError(f"{path}: malformed XML ({error})") from None
    except (GraphFileError, KeyError, ValueError) as error:
        raise GraphnewsError(f"{path}: not a graph written by graphnews ({error!r})") from None
    return graph if isinstance(graph, nx.MultiDiGraph) else nx.MultiDiGraph(graph)
