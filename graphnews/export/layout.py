"""Node positions: one whole-graph layout shared by the graph page and the GEXF, and layouts of big views.

Computed in Python (igraph's Fruchterman-Reingold when installed, else networkx's spring
layout), seeded, so the same graph is drawn the same way every run.
"""

from __future__ import annotations

import importlib.util
import math
import random
import statistics
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
#: Positions are scaled so that :data:`ROBUST_SHARE` of the largest component's n nodes lie within
#: ``NODE_SPACING * sqrt(n)`` px of its centre.
NODE_SPACING = 60.0
ROBUST_SHARE = 0.9


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
    about 60 px around it in vis-network coordinates (:func:`_scaled_positions`). The edges are read from the adjacency of
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
    return _scaled_positions(order, coords, pairs)


def _scaled_positions(order: list[Any], coords: list[Any], pairs: list[tuple[int, int]]) -> dict[Any, tuple[float, float]]:
    """``coords`` centred on the largest component and scaled so that nine of its nodes in ten
    lie within ``60 * sqrt(its size)`` px of its centre.

    Scaled by that component, not by the whole span: a force layout pushes small components
    and isolated nodes far out, and fitting the span into the extent squeezed the 2,000 central
    nodes of a 4,000-node graph into 130 px (vis-network's fit does not zoom in past 1).
    """
    main = _largest_component(len(order), pairs)
    xs, ys = [coords[i][0] for i in main], [coords[i][1] for i in main]
    cx, cy = statistics.median(xs), statistics.median(ys)
    distances = sorted(math.hypot(x - cx, y - cy) for x, y in zip(xs, ys))
    radius = distances[int(ROBUST_SHARE * (len(distances) - 1))] or distances[-1] or 1.0
    scale = NODE_SPACING * math.sqrt(len(main)) / radius
    return {node: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for node, (x, y) in zip(order, coords)}


def central_share(nodes: set[Any], positions: dict[Any, tuple[float, float]], share: float) -> set[Any]:
    """The ``share`` of ``nodes`` nearest their median centre (all of them when ``share`` is 1).

    >>> sorted(central_share({"a", "b", "c"}, {"a": (0, 0), "b": (1, 0), "c": (90, 0)}, 0.6))
    ['a', 'b']
    """
    xs, ys = [positions[n][0] for n in nodes], [positions[n][1] for n in nodes]
    cx, cy = statistics.median(xs), statistics.median(ys)
    ranked = sorted(nodes, key=lambda n: (math.hypot(positions[n][0] - cx, positions[n][1] - cy), str(n)))
    return set(ranked[: max(1, math.ceil(share * len(ranked)))])


def _largest_component(count: int, pairs: list[tuple[int, int]]) -> list[int]:
    """Indices of the largest connected component of ``count`` nodes joined by ``pairs`` (all when none has an edge)."""
    if not pairs:
        return list(range(count))
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.array(pairs, dtype=np.int64)
    _, labels = connected_components(coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(count, count)),
                                     directed=False)
    return np.flatnonzero(labels == np.bincount(labels).argmax()).tolist()


def main_component(graph: nx.Graph) -> set[Any]:
    """Nodes of the largest (weakly) connected component; ties go to the one with the smallest node id.

    >>> sorted(main_component(nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])))
    ['a', 'b', 'c']
    """
    if graph.number_of_nodes() == 0:
        return set()
    parts = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    return min(parts, key=lambda part: (-len(part), min(map(str, part))))
