"""Node positions: one whole-graph layout shared by the graph page and the GEXF, and layouts of big views.

Computed in Python (igraph's Fruchterman-Reingold when installed, else networkx's spring
layout), seeded, so the same graph is drawn the same way every run.
"""

from __future__ import annotations

import importlib.util
import math
import random
import weakref
from typing import Any

import networkx as nx

from .views import rank_nodes

#: Views larger than this (nodes, or edges) get their layout from Python with physics off:
#: vis-network's physics settled a 500-node page in 3-8 s, a 2,000-node one not in 150 s.
PHYSICS_MAX_NODES = 300
PHYSICS_MAX_EDGES = 3000
#: Layout iterations when positions are computed in Python.
LAYOUT_ITERATIONS = 300
#: From this many nodes igraph's grid variant of Fruchterman-Reingold (22 s at 5,000 nodes
#: without it, 0.4 s with it).
GRID_LAYOUT_NODES = 1000
#: Most nodes the whole-graph layout places by force (the most central: every page's nodes are
#: among them at the default cap); the rest sit next to a placed neighbour. igraph's grid
#: Fruchterman-Reingold from graphnews's start took 9.8 s at 18,000 nodes and 68,000 edges on
#: the loaded 2-core machine, ~0.4 s at 5,000.
LAYOUT_MAX_NODES = 5000
#: Without igraph (networkx's spring layout is far slower) the force-placed core is smaller.
LAYOUT_MAX_NODES_NX = 2000


_layouts: weakref.WeakKeyDictionary[nx.Graph, tuple[tuple[int, int, str], dict[Any, tuple[float, float]]]] = \
    weakref.WeakKeyDictionary()


def whole_layout(graph: nx.Graph, size_by: str = "pagerank") -> dict[Any, tuple[float, float]]:
    """Positions of every node of ``graph`` (memoised per graph; see :func:`graph_style`).

    Up to :data:`LAYOUT_MAX_NODES` nodes, the most central by ``size_by``, are laid out by
    :func:`compute_layout`; each other node is put beside a placed neighbour (or, with none,
    on a ring around the drawing), so a huge graph costs one bounded layout plus a pass.
    """
    signature = (graph.number_of_nodes(), graph.number_of_edges(), size_by)
    memo = _layouts.get(graph)
    if memo is not None and memo[0] == signature:
        return memo[1]
    cap = LAYOUT_MAX_NODES if importlib.util.find_spec("igraph") is not None else LAYOUT_MAX_NODES_NX
    if graph.number_of_nodes() <= cap:
        positions = compute_layout(graph, sorted(graph, key=str))
    else:
        core = rank_nodes(graph, size_by)[:cap]
        positions = compute_layout(graph, sorted(core, key=str))
        positions = _place_rest(graph, positions)
    _layouts[graph] = (signature, positions)
    return positions


def _place_rest(graph: nx.Graph, positions: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """``positions`` plus every other node: beside its first placed neighbour, else on an outer ring."""
    placed = dict(positions)
    rng = random.Random(0)
    radius = max((math.hypot(x, y) for x, y in positions.values()), default=100.0) * 1.1
    rest = sorted((node for node in graph if node not in placed), key=str)
    for node in rest:
        neighbours = list(graph.successors(node)) + list(graph.predecessors(node)) if graph.is_directed() else list(graph[node])
        anchor = next((placed[n] for n in neighbours if n in placed), None)
        if anchor is None:
            angle = rng.uniform(0, 2 * math.pi)
            placed[node] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
        else:
            placed[node] = (round(anchor[0] + rng.uniform(-30, 30), 1), round(anchor[1] + rng.uniform(-30, 30), 1))
    return placed


def compute_layout(graph: nx.Graph, order: list[Any]) -> dict[Any, tuple[float, float]]:
    """Positions of the nodes ``order`` lists, laid out by ``graph``'s edges among them: igraph's
    Fruchterman-Reingold when installed, else networkx's.

    Deterministic (seeded with 0, fixed iteration count); scaled so the average node has
    about 60 px around it in vis-network coordinates. The edges are read from the adjacency of
    ``order``'s nodes, not through a subgraph view (at 10k records, 0.6 of the layout's 1.4 s).
    """
    if not order:
        return {}
    index = {node: i for i, node in enumerate(order)}
    adjacency = graph.adj
    pairs = sorted({(i, j) if i < j else (j, i) for node, i in index.items() for neighbour in adjacency[node]
                    if (j := index.get(neighbour, i)) != i})
    try:
        import igraph
    except ImportError:  # igraph is optional
        simple = nx.Graph()
        simple.add_nodes_from(range(len(order)))
        simple.add_edges_from(pairs)
        placed = nx.spring_layout(simple, seed=0, iterations=50)
        coords = [tuple(placed[i]) for i in range(len(order))]
    else:
        start = random.Random(0)
        spread = math.sqrt(len(order))  # igraph's own start scale; a tiny one puts every node in one grid cell
        seed = [[start.uniform(-spread, spread), start.uniform(-spread, spread)] for _ in order]
        previous = random.getstate()
        igraph.set_random_number_generator(random.Random(0))
        try:
            coords = igraph.Graph(n=len(order), edges=pairs).layout_fruchterman_reingold(
                seed=seed, niter=LAYOUT_ITERATIONS, grid="grid" if len(order) >= GRID_LAYOUT_NODES else "nogrid").coords
        finally:
            igraph.set_random_number_generator(random)
            random.setstate(previous)
    return _scaled_positions(order, coords)


def _scaled_positions(order: list[Any], coords: list[Any]) -> dict[Any, tuple[float, float]]:
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    extent = 60.0 * math.sqrt(len(order)) * 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {node: (round((x - cx) / span * extent, 1), round((y - cy) / span * extent, 1)) for node, (x, y) in zip(order, coords)}


def main_component(graph: nx.Graph) -> set[Any]:
    """Nodes of the largest (weakly) connected component; ties go to the one with the smallest node id.

    >>> sorted(main_component(nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])))
    ['a', 'b', 'c']
    """
    if graph.number_of_nodes() == 0:
        return set()
    parts = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    return min(parts, key=lambda part: (-len(part), min(map(str, part))))
