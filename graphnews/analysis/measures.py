"""Centrality measures: PageRank, betweenness, eigenvector/Katz, on networkx graphs or index arrays.

Each function returns plain values by node (networkx's convention: the caller decides what
to do with them); :mod:`.centrality` builds the tables from them and
:mod:`.annotate` writes them onto the graph.

* ``pagerank``: the power iteration of :func:`networkx.pagerank` (scipy), edge ``weight``,
  run on a sparse matrix built once from the projection's index arrays
  (:func:`pagerank_vector`; equal to networkx within 1e-12, ``tests/test_centrality.py``).
* ``betweenness``: normalised shortest-path betweenness on hop counts. Exact up to
  :data:`BETWEENNESS_EXACT_MAX_NODES` nodes; above it, estimated from
  :data:`BETWEENNESS_PIVOTS` source pivots drawn with ``random.Random(seed)`` (the same
  pivots and the same estimator as ``networkx.betweenness_centrality(k=..., seed=...)``),
  and a note says so.
* ``eigenvector``: eigenvector centrality of the undirected graph (scipy ARPACK, fixed
  start vector) on its largest connected component; when it does not converge, Katz
  centrality on graphs up to :data:`KATZ_MAX_NODES` nodes, else nothing. The note says which.

When python-igraph is installed, betweenness runs on it (the slow measure: ~50x faster on
100,000 articles); networkx stays the reference and ``use_igraph=False`` forces it. The two
agree within floating-point tolerance (``tests/test_centrality.py``). Sampled betweenness on
a big graph (:data:`BETWEENNESS_FORK_MIN_EDGES`) runs its pivots :data:`PIVOTS_PER_CALL` at a
time in forked processes, one a core, which share the igraph graph copy-on-write (381k
articles, 3.7M links: 62.7 s in one process, 37.2 s in two on this VM's 1.3 cores).
"""

from __future__ import annotations

import contextlib
import math
import os
import random
from collections.abc import Callable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from ..processes import forked_pool

#: Above this many nodes betweenness is sampled instead of exact (exact is O(V*E)).
BETWEENNESS_EXACT_MAX_NODES = 5_000
#: Source pivots used for sampled betweenness.
BETWEENNESS_PIVOTS = 256
#: Katz (the eigenvector fallback) runs pure-Python power iteration: only on small graphs.
KATZ_MAX_NODES = 5_000
EIGENVECTOR_MAX_ITER = 1_000
PAGERANK_ALPHA = 0.85
PAGERANK_MAX_ITER = 100
PAGERANK_TOL = 1.0e-6
#: Entries :func:`symmetric_structure` turns into columns and row counts at a time.
STRUCTURE_CHUNK = 1 << 20
#: Edges handed to igraph per call: its conversion of the whole edge list at once peaked at 3x the graph's size.
IGRAPH_EDGE_CHUNK = 1 << 18
#: Pivots of sampled betweenness igraph takes per call. The calls' values are added in pivot order
#: whichever process made them, so the result is the same bits in one process or several.
PIVOTS_PER_CALL = 32
#: Edges from which sampled betweenness runs its calls in forked processes, one a core (igraph
#: holds the GIL; below this, starting the processes costs about what they save).
BETWEENNESS_FORK_MIN_EDGES = 1 << 19

#: The graph the forked betweenness workers read, inherited copy-on-write (never pickled).
_forked_graph: Any = None

def betweenness(graph: nx.Graph, *, seed: int = 0, use_igraph: bool | None = None) -> tuple[dict[str, float], str | None]:
    """Normalised betweenness of every node, exact or sampled by graph size.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Edges are hops (weights ignored: a heavier link is a stronger tie, not a longer one).
    seed : int
        Seed of the pivot sample (used only above :data:`BETWEENNESS_EXACT_MAX_NODES`).
    use_igraph : bool or None
        Run on python-igraph; None means "when installed".

    Returns
    -------
    (dict, str or None)
        Betweenness by node, and a note when it was sampled.

    Examples
    --------
    >>> values, note = betweenness(nx.path_graph(["a", "b", "c"]))
    >>> values, note
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, None)
    """
    nodes = list(graph.nodes)
    index = {node: position for position, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges()]
    values, note = betweenness_of_edges(nodes, edges, graph.is_directed(), lambda: graph, seed=seed, use_igraph=use_igraph)
    return dict(zip(nodes, values.tolist())), note


def betweenness_of_edges(nodes: list[str], edges: np.ndarray | Sequence[tuple[int, int]], directed: bool,
                         networkx_graph: Callable[[], nx.Graph], *, seed: int,
                         use_igraph: bool | None) -> tuple[np.ndarray, str | None]:
    """:func:`betweenness` of a graph given as nodes and index pairs, as an array in ``nodes`` order.

    ``networkx_graph`` builds the graph for networkx when igraph is not used. ``edges`` may
    be an integer array of shape (m, 2), which igraph takes without a Python tuple per edge
    (12M edges: ~1.3 GB less), and the values come back as one array, not a dict per node.
    The array-level core, shared with the Parquet path (:mod:`graphnews.tables`).
    """
    positions = None
    note = None
    if len(nodes) > BETWEENNESS_EXACT_MAX_NODES:
        # sampling positions draws the same pivots as sampling the list (random.sample only uses its length)
        positions = random.Random(seed).sample(range(len(nodes)), BETWEENNESS_PIVOTS)
        note = (f"betweenness sampled with k={BETWEENNESS_PIVOTS} pivots (seed {seed}) "
                f"above {BETWEENNESS_EXACT_MAX_NODES:,} nodes")
    if _igraph_wanted(use_igraph):
        raw = _igraph_betweenness(len(nodes), edges, directed, positions)
        return _normalise(raw, positions), note
    sample = None if positions is None else len(positions)
    values = nx.betweenness_centrality(networkx_graph(), k=sample, normalized=True, seed=random.Random(seed))
    return np.array([values[node] for node in nodes], dtype=float), note


def _igraph_wanted(use_igraph: bool | None) -> bool:
    if use_igraph is False:
        return False
    try:
        import igraph  # noqa: F401
    except ImportError:
        if use_igraph:
            raise
        return False
    return True


def _igraph_betweenness(size: int, edges: np.ndarray | Sequence[tuple[int, int]], directed: bool,
                        sources: list[int] | None) -> np.ndarray:
    """Betweenness over ordered (source, target) pairs of ``size`` nodes, from all sources or the positions ``sources``."""
    import igraph

    global _forked_graph
    converted = igraph.Graph(n=size, directed=directed)
    for start in range(0, len(edges), IGRAPH_EDGE_CHUNK):  # igraph converts its input at ~150 bytes an edge
        converted.add_edges(edges[start:start + IGRAPH_EDGE_CHUNK])
    if sources is None:
        values = np.asarray(converted.betweenness(directed=directed), dtype=float)
    else:
        calls = [sources[start:start + PIVOTS_PER_CALL] for start in range(0, len(sources), PIVOTS_PER_CALL)]
        workers = min(len(calls), os.cpu_count() or 1) if len(edges) >= BETWEENNESS_FORK_MIN_EDGES else 1
        _forked_graph = converted
        try:
            with forked_pool(workers) or contextlib.nullcontext() as pool:
                parts = pool.map(_pivots_betweenness, calls) if pool else map(_pivots_betweenness, calls)
                values = np.zeros(size)
                for part in parts:
                    values += part
        finally:
            _forked_graph = None
    return values * (1 if directed else 2)  # igraph halves undirected counts; work on ordered pairs


def _pivots_betweenness(pivots: list[int]) -> np.ndarray:
    """The betweenness counts of :data:`_forked_graph` over the shortest paths from ``pivots`` (one call)."""
    graph = _forked_graph
    return np.asarray(graph.betweenness(directed=graph.is_directed(), sources=pivots), dtype=float)


def _normalise(raw: np.ndarray, pivots: list[int] | None) -> np.ndarray:
    """Scale ordered-pair counts to [0, 1] the way networkx does (``normalized=True``); ``pivots`` are positions."""
    pairs = len(raw) - 1  # targets a path through v can end at (v itself excluded)
    if pairs < 2:
        return np.zeros(len(raw))
    if pivots is None:
        return raw / (pairs * (pairs - 1))
    k = len(pivots)
    source_scale = 1 / ((k - 1) * (pairs - 1)) if k > 1 else 0.0
    scale = np.full(len(raw), 1 / (k * (pairs - 1)))
    scale[pivots] = source_scale
    return raw * scale


def pagerank(graph: nx.Graph) -> dict[str, float]:
    """PageRank on edge ``weight`` (0 for every node of an empty graph).

    Examples
    --------
    >>> star = nx.DiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    >>> max(pagerank(star).items(), key=lambda item: item[1])[0]
    'hub'
    """
    nodes = list(graph)
    if not nodes:
        return {}
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", dtype=float)
    return dict(zip(nodes, pagerank_vector(matrix).tolist()))


def pagerank_vector(matrix: sp.sparray) -> np.ndarray:
    """PageRank of each row of a weighted adjacency matrix (row = source): networkx's scipy power iteration.

    The same steps as ``networkx.pagerank`` (alpha 0.85, uniform teleport and dangling
    weights, L1 tolerance ``n * 1e-6``, at most 100 iterations), on a matrix the caller
    builds once, so a 100,000-article graph takes about a second instead of a conversion.

    Parameters
    ----------
    matrix : scipy sparse array, shape (n, n)
        Edge weights; a row without weight is a dangling node.

    Returns
    -------
    numpy.ndarray
        The PageRank vector (sums to 1).

    Examples
    --------
    >>> star = sp.csr_array(np.array([[0.0, 1.0], [0.0, 0.0]]))
    >>> [round(value, 3) for value in pagerank_vector(star).tolist()]
    [0.351, 0.649]
    """
    size = matrix.shape[0]
    if size == 0:
        return np.zeros(0)
    out_weight = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.zeros(size)
    scale[out_weight != 0] = 1.0 / out_weight[out_weight != 0]
    transition = (sp.dia_array((scale[np.newaxis, :], 0), shape=(size, size)).tocsr() @ matrix).tocsr()
    uniform = np.repeat(1.0 / size, size)
    dangling = np.where(out_weight == 0)[0]
    x = uniform
    for _ in range(PAGERANK_MAX_ITER):
        previous = x
        x = PAGERANK_ALPHA * (x @ transition + x[dangling].sum() * uniform) + (1 - PAGERANK_ALPHA) * uniform
        if np.absolute(x - previous).sum() < size * PAGERANK_TOL:
            return x
    raise nx.PowerIterationFailedConvergence(PAGERANK_MAX_ITER)


def eigenvector(graph: nx.Graph) -> tuple[str | None, dict[str, float], str]:
    """Eigenvector centrality of the undirected graph, or Katz when it does not converge.

    Eigenvector centrality is defined on one connected component: it is computed on the
    largest (ties: the one with the smallest node id) and is 0 elsewhere. Katz uses
    ``alpha = 0.9 / max degree``, below 1/largest eigenvalue, so it always converges.

    Returns
    -------
    (str or None, dict, str)
        The measure's column name (``eigenvector``, ``katz`` or None when neither could
        be computed), its values, and a note saying which.

    Examples
    --------
    >>> name, values, note = eigenvector(nx.star_graph(3))
    >>> name, max(values, key=values.get)
    ('eigenvector', 0)
    """
    nodes = list(graph)
    position = {node: index for index, node in enumerate(nodes)}
    sources = np.fromiter((position[source] for source, _ in graph.edges()), dtype=np.int64, count=graph.number_of_edges())
    targets = np.fromiter((position[target] for _, target in graph.edges()), dtype=np.int64, count=graph.number_of_edges())
    name, values, note = eigenvector_of_pairs(nodes, sources, targets, lambda: graph)
    return name, dict(zip(nodes, values.tolist())) if name else {}, note


def eigenvector_of_pairs(nodes: list[str], sources: np.ndarray, targets: np.ndarray,
                         networkx_graph: Callable[[], nx.Graph]) -> tuple[str | None, np.ndarray, str]:
    """:func:`eigenvector` of the graph whose edges are ``(sources[i], targets[i])`` (positions in ``nodes``).

    Values come as an array in ``nodes`` order; ``networkx_graph`` builds the graph for Katz.
    The array-level core, shared with the Parquet path: at a million articles the symmetric
    matrix is built once from the index arrays (:func:`symmetric_structure`) and only the
    largest component's rows are handed to ARPACK.
    """
    undirected = symmetric_structure(sources, targets, len(nodes))
    failure = "no edges"
    if undirected.nnz > 0:
        _, labels = connected_components(undirected, directed=False)
        sizes = np.bincount(labels)
        largest = np.flatnonzero(sizes == sizes.max())
        smallest_id: dict[int, str] = {}
        for position in np.flatnonzero(np.isin(labels, largest)).tolist():
            label, node = int(labels[position]), str(nodes[position])
            smallest_id[label] = min(smallest_id.get(label, node), node)
        chosen = min(largest.tolist(), key=smallest_id.__getitem__)
        members = np.flatnonzero(labels == chosen)
        del labels
        if len(members) == len(nodes):
            component = undirected
        else:  # rebuilt from the component's edges, the whole matrix freed first: slicing copies it twice
            del undirected
            relabel = np.full(len(nodes), -1, dtype=np.int64)
            relabel[members] = np.arange(len(members))
            component = symmetric_structure(sources, targets, len(members), relabel)
            del relabel
        values = np.zeros(len(nodes))
        try:
            values[members] = _leading_eigenvector(component)
            return "eigenvector", values, (f"eigenvector: on the largest connected component ({len(members):,} "
                                           f"of {len(values):,} nodes; 0 elsewhere)")
        except (ArpackNoConvergence, ArithmeticError, ValueError) as error:
            failure = type(error).__name__
    if 0 < len(nodes) <= KATZ_MAX_NODES:
        graph = networkx_graph()
        undirected_graph = graph.to_undirected(as_view=True) if graph.is_directed() else graph
        alpha = 0.9 / max(1, max(degree for _, degree in undirected_graph.degree()))
        katz = nx.katz_centrality(undirected_graph, alpha=alpha, max_iter=EIGENVECTOR_MAX_ITER)
        return "katz", np.array([katz[node] for node in nodes], dtype=float), (
            f"katz: eigenvector centrality failed ({failure}); Katz with alpha={alpha:.6g} instead")
    return None, np.zeros(0), f"eigenvector centrality failed ({failure}); column left out"


def symmetric_structure(sources: np.ndarray, targets: np.ndarray, size: int,
                        relabel: np.ndarray | None = None) -> sp.csr_array:
    """The 0/1 adjacency (float64) of the undirected graph of ``size`` nodes with these edges.

    ``relabel`` (optional) gives each node of the edges its new number below ``size``, or -1
    for a node left out (its edges are dropped): a component's matrix without slicing the
    whole one (which copies it twice) or holding the renumbered edges.

    Built from one sorted array of ``row * size + column`` codes for both directions, read
    in chunks for the distinct entries, instead of a directed matrix, its coordinates and
    scipy's conversion (at 12 million edges those held ~1.1 GB at once; this ~0.35 GB).
    Canonical CSR (sorted, no duplicates), so ARPACK sees the same matrix as ever.

    >>> symmetric_structure(np.array([0, 0]), np.array([1, 1]), 2).toarray().tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    codes = _pair_codes(sources, targets, size, relabel)
    codes.sort()
    distinct = np.ones(len(codes), dtype=bool)
    np.not_equal(codes[1:], codes[:-1], out=distinct[1:])
    index_type = np.int32 if size < 2**31 and len(codes) < 2**31 else np.int64
    indices = np.empty(int(np.count_nonzero(distinct)), dtype=index_type)
    per_row = np.zeros(size, dtype=np.int64)
    filled = 0
    for start in range(0, len(codes), STRUCTURE_CHUNK):  # no full-size temporary per step
        chunk = codes[start:start + STRUCTURE_CHUNK][distinct[start:start + STRUCTURE_CHUNK]]
        indices[filled:filled + len(chunk)] = chunk % size
        per_row += np.bincount(chunk // size, minlength=size)
        filled += len(chunk)
    del codes, distinct
    indptr = np.zeros(size + 1, dtype=index_type)
    np.cumsum(per_row, out=indptr[1:])
    return sp.csr_array((np.ones(len(indices)), indices, indptr), shape=(size, size))


def _pair_codes(sources: np.ndarray, targets: np.ndarray, size: int, relabel: np.ndarray | None) -> np.ndarray:
    """``row * size + column`` of every edge in both directions (renumbered by ``relabel``, when given)."""
    if relabel is None:
        edges = len(sources)
        codes = np.empty(2 * edges, dtype=np.int64)
        np.multiply(sources, size, out=codes[:edges], dtype=np.int64)
        codes[:edges] += targets
        np.multiply(targets, size, out=codes[edges:], dtype=np.int64)
        codes[edges:] += sources
        return codes
    kept = int(np.count_nonzero((relabel[sources] >= 0) & (relabel[targets] >= 0)))
    codes = np.empty(2 * kept, dtype=np.int64)
    filled = 0
    for start in range(0, len(sources), STRUCTURE_CHUNK):
        rows = relabel[sources[start:start + STRUCTURE_CHUNK]]
        columns = relabel[targets[start:start + STRUCTURE_CHUNK]]
        inside = (rows >= 0) & (columns >= 0)
        rows, columns = rows[inside], columns[inside]
        codes[filled:filled + len(rows)] = rows * size + columns
        codes[kept + filled:kept + filled + len(rows)] = columns * size + rows
        filled += len(rows)
    return codes


def _leading_eigenvector(matrix: sp.sparray) -> np.ndarray:
    """Unit-norm leading eigenvector of a connected graph's symmetric adjacency matrix (scipy ARPACK).

    The start vector is fixed (all ones), so repeated runs give identical floats.
    """
    size = matrix.shape[0]
    if size < 3:  # ARPACK needs k < n; a 2-node component is symmetric
        return np.full(size, 1 / math.sqrt(size))
    _, vectors = eigsh(matrix, k=1, which="LA", v0=np.ones(size), maxiter=EIGENVECTOR_MAX_ITER)
    vector = np.abs(vectors[:, 0])
    return vector / np.linalg.norm(vector)


__all__ = [
    "BETWEENNESS_EXACT_MAX_NODES", "BETWEENNESS_PIVOTS", "betweenness", "betweenness_of_edges", "eigenvector",
    "eigenvector_of_pairs", "pagerank", "pagerank_vector", "symmetric_structure",
]
