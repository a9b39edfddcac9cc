"""Standard graph files: node-link JSON, GraphML and GEXF; all three read back with ``--graph``.

JSON keeps every value as it is (lists stay lists). GraphML and GEXF are written by
:mod:`graphnews.export.xmlgraph` for Gephi, sigma.js, igraph and networkx; the GEXF also
carries the graph page's layout, node sizes and colours (:func:`graphnews.export.html.graph_style`).

The node-link JSON is made here rather than by ``networkx.node_link_data``, whose keyword
for the edge list changed between releases (``link=`` until 3.3, ``edges=`` from 3.4,
the default changing in 3.6): the same file from every networkx graphnews supports. NaN and
infinite numbers are written as ``null`` (JSON has no such tokens).

:func:`read_graph` reads back only what :func:`write_graph` writes: anything else (not a
graph file, another JSON document, a node or edge of the wrong shape, an attribute of the
wrong type, an unknown node or edge kind: :func:`graphnews.schema.validate`) is one
:class:`~graphnews.errors.GraphnewsError` line, never a traceback.
"""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import networkx as nx
import orjson

from ..atomic import atomic_open
from ..errors import GraphnewsError, printable
from ..read.records import clean_text
from ..schema import check
from .report import finite

if TYPE_CHECKING:
    from .style import GraphStyle
from .xmlgraph import GraphFileError, read_gexf, read_graphml, write_gexf, write_graphml

GRAPH_FORMATS = ("json", "graphml", "gexf")
FORMAT_VERSION = 1
#: Nodes or edges turned into JSON text at a time by :func:`json_chunks`.
JSON_BATCH = 4096
#: A path of "-" writes to standard output.
STDOUT = "-"


def graph_to_json(graph: nx.Graph) -> dict[str, Any]:
    """The graph as node-link data, laid out as ``nx.node_link_data(graph, edges="edges")``."""
    return {**_json_head(graph), "nodes": list(_json_nodes(graph)), "edges": list(_json_edges(graph))}


def _json_head(graph: nx.Graph) -> dict[str, Any]:
    return {"directed": graph.is_directed(), "multigraph": graph.is_multigraph(),
            "graph": {**graph.graph, "graphnews_format": FORMAT_VERSION}}


def _json_nodes(graph: nx.Graph) -> Iterator[dict[str, Any]]:
    return ({**data, "id": node} for node, data in graph.nodes(data=True))


def _json_edges(graph: nx.Graph) -> Iterator[dict[str, Any]]:
    if graph.is_multigraph():
        return ({**data, "source": u, "target": v, "key": key} for u, v, key, data in graph.edges(keys=True, data=True))
    return ({**data, "source": u, "target": v} for u, v, data in graph.edges(data=True))


def json_chunks(graph: nx.Graph, batch: int = JSON_BATCH) -> Iterator[bytes]:
    """The UTF-8 text of :func:`graph_to_json` (compact, NaN and infinity as ``null``), a batch of nodes or edges at a time.

    Joined, the chunks are :func:`_dumps` of the whole document, byte for byte; but no copy of
    every node and edge dict, nor the whole text, is held at once (at 100,000 records the
    file is ~650 MB of text).

    >>> g = nx.MultiDiGraph(name="graphnews")
    >>> g.add_edge("a", "b", key="related", kind="related", weight=float("nan"))
    'related'
    >>> b"".join(json_chunks(g, batch=1)) == _dumps(graph_to_json(g))
    True
    """
    yield _dumps(_json_head(graph))[:-1] + b',"nodes":['
    yield from _batches(_json_nodes(graph), batch)
    yield b'],"edges":['
    yield from _batches(_json_edges(graph), batch)
    yield b"]}"


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[bytes]:
    """Comma-separated JSON of ``items``, ``size`` at a time (a comma before every batch but the first)."""
    iterator = iter(items)
    separator = b""
    while True:
        batch = list(itertools.islice(iterator, size))
        if not batch:
            return
        yield separator + _dumps(batch)[1:-1]
        separator = b","


def _dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON, NaN and infinite numbers as ``null`` (JSON has no such tokens).

    orjson writes it about three times as fast as ``json`` (10k records: 0.35 s against 0.91 s
    for ``graph.json``); what it refuses (a lone surrogate from a JSON record, an integer past
    64 bits) goes through ``json``, the surrogate replaced.
    """
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        text = json.dumps(finite(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8", "replace")


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


def write_graph(graph: nx.Graph, path: str, fmt: str | None = None, *, stdout: IO[bytes] | None = None,
                style: GraphStyle | None = None) -> str:
    """Write ``graph`` to ``path`` atomically, or to ``stdout`` when ``path`` is ``-``.

    The format comes from ``fmt`` or the extension (JSON for ``-``). The GEXF gets the
    positions, sizes and colours of the graph page: ``style`` when given (``explore`` makes
    it once for the page and the file), else :func:`graphnews.export.style.graph_style`'s.
    """
    fmt = graph_format(path, fmt)
    if path == STDOUT:
        if stdout is None:
            raise GraphnewsError("write_graph to '-' needs a stdout stream")
        _write(graph, fmt, stdout, style)
        stdout.flush()
        return path
    with atomic_open(path, "wb") as handle:
        _write(graph, fmt, handle, style)
    return path


def _write(graph: nx.Graph, fmt: str, handle: IO[bytes], style: GraphStyle | None) -> None:
    if fmt == "json":
        for chunk in json_chunks(graph):
            handle.write(chunk)
    elif fmt == "graphml":
        write_graphml(graph, handle)
    else:
        if style is None:
            from .style import graph_style  # the layout only when a GEXF is written

            style = graph_style(graph)
        write_gexf(graph, handle, viz=style.viz())


def read_graph(path: str) -> nx.MultiDiGraph:
    """Load a graph written by :func:`write_graph` (JSON, GraphML or GEXF, told apart by content).

    The graph is checked against :mod:`graphnews.schema` (kinds, edge ends, attribute types;
    attributes it does not declare are kept): the first problem is one
    :class:`~graphnews.errors.SchemaError` line.
    """
    shown = printable(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).lstrip()
    except OSError as error:
        raise GraphnewsError(f"cannot read graph file {shown}: {error.strerror or error}") from None
    if head.startswith(b"<"):
        return _checked(_read_xml(path, head), shown)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = json.loads(text)
    except OSError as error:
        raise GraphnewsError(f"cannot read graph file {shown}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GraphnewsError(f"{shown}: not a graph JSON, GraphML or GEXF file ({printable(str(error))})") from None
    except (ValueError, RecursionError) as error:  # a 5,000-digit number, nesting past the parser's depth
        raise GraphnewsError(f"{shown}: not a graph JSON file ({printable(str(error)) or 'nested too deeply'})") from None
    if not isinstance(data, dict) or not isinstance(data.get("graph"), dict) or not isinstance(data.get("nodes"), list) \
            or data["graph"].get("graphnews_format") != FORMAT_VERSION:
        raise GraphnewsError(f"{shown}: not a graph written by graphnews build (format {FORMAT_VERSION})")
    if "\\u" in text:  # escapes may hold lone surrogates or NUL, which no output can write
        data = _clean(data)
    problem = _shape_problem(data)
    if problem:
        raise GraphnewsError(f"{shown}: malformed graph JSON ({problem})")
    try:
        graph = graph_from_json(data)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise GraphnewsError(f"{shown}: malformed graph JSON ({printable(repr(error))})") from None
    return _checked(graph, shown)


def _checked(graph: nx.MultiDiGraph, shown: str) -> nx.MultiDiGraph:
    """``graph`` when it follows the schema; else a SchemaError naming the file and the first problem."""
    check(graph, unknown=False, source=shown)
    return graph


def _clean(data: Any) -> Any:
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean_text(key): _clean(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_clean(value) for value in data]
    return data


def _shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the nodes and edges of a node-link document, or None."""
    edges = data.get("edges", [])
    if not isinstance(edges, list):
        return "'edges' is not a list"
    for kind, items in (("node", data["nodes"]), ("edge", edges)):
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                return f"{kind} {number} is not an object"
            ends = ("id",) if kind == "node" else ("source", "target")
            for end in ends:
                if not isinstance(item.get(end), (str, int)) or isinstance(item.get(end), bool):
                    return f"{kind} {number}: {end!r} is missing or not text"
    return None


def _read_xml(path: str, head: bytes) -> nx.MultiDiGraph:
    reader = read_gexf if b"<gexf" in head else read_graphml if b"<graphml" in head else None
    if reader is None:
        raise GraphnewsError(f"{printable(path)}: XML, but neither GraphML nor GEXF")
    try:
        graph = reader(path)
    except ElementTree.ParseError as error:
        raise GraphnewsError(f"{printable(path)}: malformed XML ({printable(str(error))})") from None
    except (GraphFileError, KeyError, ValueError, RecursionError) as error:
        raise GraphnewsError(f"{printable(path)}: not a graph written by graphnews ({printable(repr(error))})") from None
    return graph if isinstance(graph, nx.MultiDiGraph) else nx.MultiDiGraph(graph)
