"""Standard graph files: node-link JSON (round-trips), GraphML and GEXF (for Gephi).

JSON keeps lists (``topics``, ``aliases``) as lists; GraphML and GEXF only take scalars,
so there lists are joined with ``"; "`` and other values turned into text
(:mod:`graphnews.export.xmlgraph`, which writes both). NaN and infinite numbers are
written as ``null`` (JSON has no such tokens).

:func:`read_graph` reads back only what :func:`write_graph` writes: anything else (not
JSON, another JSON document, a node or edge of the wrong shape, an attribute of the wrong
type) is one :class:`~graphnews.errors.GraphnewsError` line, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from ..atomic import atomic_open
from ..errors import GraphnewsError, printable
from ..read.records import clean_text
from .report import finite
from .xmlgraph import write_gexf, write_graphml

GRAPH_FORMATS = ("json", "graphml", "gexf")
FORMAT_VERSION = 1


def graph_to_json(graph: nx.Graph) -> dict[str, Any]:
    """The graph as networkx node-link data (``nx.node_link_graph`` reads it back)."""
    data = nx.node_link_data(graph, edges="edges")
    data["graph"] = {**data.get("graph", {}), "graphnews_format": FORMAT_VERSION}
    return data


def write_graph(graph: nx.Graph, path: str, fmt: str | None = None) -> str:
    """Write ``graph`` to ``path`` atomically; the format comes from ``fmt`` or the extension (``-``: JSON on stdout)."""
    fmt = (fmt or ("json" if path == "-" else path.rsplit(".", 1)[-1])).lower()
    if fmt not in GRAPH_FORMATS:
        raise GraphnewsError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    if fmt == "json":
        data = graph_to_json(graph)
        with atomic_open(path) as handle:
            try:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            except ValueError:  # a NaN or infinite measure somewhere: write it again with nulls
                handle.seek(0)
                handle.truncate()
                json.dump(finite(data), handle, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    else:
        with atomic_open(path, "wb") as handle:
            (write_graphml if fmt == "graphml" else write_gexf)(graph, handle)
    return path


#: Node and edge attributes :func:`read_graph` checks the type of (others are taken as they are).
TEXT_ATTRIBUTES = frozenset({"kind", "label", "title", "excerpt", "body", "url", "link", "published", "provider",
                             "type", "domain"})
LIST_ATTRIBUTES = frozenset({"topics", "aliases", "sources", "names"})
NUMBER_ATTRIBUTES = frozenset({"weight", "rank", "quality", "mentions"})


def read_graph(path: str) -> nx.MultiDiGraph:
    """Load a graph written by :func:`write_graph` as JSON (``graphnews build -o graph.json``)."""
    shown = printable(path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = json.loads(text)
    except OSError as error:
        raise GraphnewsError(f"cannot read graph file {shown}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GraphnewsError(f"{shown}: not a graph JSON file ({printable(str(error))})") from None
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
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, nx.NetworkXError) as error:
        raise GraphnewsError(f"{shown}: malformed graph JSON ({printable(str(error))})") from None


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
            for name, value in item.items():
                problem = _attribute_problem(name, value)
                if problem:
                    return f"{kind} {number}: {problem}"
    return None


def _attribute_problem(name: str, value: Any) -> str | None:
    if name in TEXT_ATTRIBUTES and not isinstance(value, str):
        return f"{name!r} is not text"
    if name in LIST_ATTRIBUTES and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return f"{name!r} is not a list of text"
    if name in NUMBER_ATTRIBUTES and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"{name!r} is not a number"
    return None
