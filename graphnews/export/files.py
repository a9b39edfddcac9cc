"""Standard graph files: node-link JSON (round-trips), GraphML and GEXF (for Gephi).

JSON keeps lists (``topics``, ``aliases``) as lists; GraphML and GEXF only take scalars,
so there lists are joined with ``"; "`` and other values turned into text
(:mod:`graphnews.export.xmlgraph`, which writes both).
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from ..atomic import atomic_open
from ..errors import GraphnewsError
from .xmlgraph import write_gexf, write_graphml

GRAPH_FORMATS = ("json", "graphml", "gexf")
FORMAT_VERSION = 1


def graph_to_json(graph: nx.Graph) -> dict[str, Any]:
    """The graph as networkx node-link data (``nx.node_link_graph`` reads it back)."""
    data = nx.node_link_data(graph, edges="edges")
    data["graph"] = {**data.get("graph", {}), "graphnews_format": FORMAT_VERSION}
    return data


def write_graph(graph: nx.Graph, path: str, fmt: str | None = None) -> str:
    """Write ``graph`` to ``path`` atomically; the format comes from ``fmt`` or the extension."""
    fmt = (fmt or path.rsplit(".", 1)[-1]).lower()
    if fmt not in GRAPH_FORMATS:
        raise GraphnewsError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    if fmt == "json":
        with atomic_open(path) as handle:
            json.dump(graph_to_json(graph), handle, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    else:
        with atomic_open(path, "wb") as handle:
            (write_graphml if fmt == "graphml" else write_gexf)(graph, handle)
    return path


def read_graph(path: str) -> nx.MultiDiGraph:
    """Load a graph written by :func:`write_graph` as JSON (``graphnews build -o graph.json``)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise GraphnewsError(f"cannot read graph file {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GraphnewsError(f"{path}: not a graph JSON file ({error})") from None
    if not isinstance(data, dict) or "nodes" not in data or data.get("graph", {}).get("graphnews_format") != FORMAT_VERSION:
        raise GraphnewsError(f"{path}: not a graph written by graphnews build (format {FORMAT_VERSION})")
    try:
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, nx.NetworkXError) as error:
        raise GraphnewsError(f"{path}: malformed graph JSON ({error})") from None
