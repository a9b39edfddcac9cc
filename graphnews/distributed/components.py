"""Connected components on a Dask cluster: the large-star / small-star algorithm.

Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii, "Connected Components in MapReduce
and Beyond", SoCC 2014. Vertices are int64 ids; the edge list lives in ``B`` partitions
on the workers (partition ``b`` holds the edges whose larger end ``u`` has ``u % B == b``).
A round is one *large-star* (every vertex ``u`` links its larger neighbours to the
smallest vertex of its closed neighbourhood) and one *small-star* (every vertex links
itself and its smaller neighbours to the smallest of them); each is one hash shuffle of
numpy arrays. Rounds repeat until no partition changes; the edges are then stars whose
centre is the smallest vertex of each component: the component label. Only one boolean
per partition and round comes back to the client.

Examples
--------
>>> import numpy as np
>>> x, y = np.array([5, 5, 3, 7, 9, 8]), np.array([3, 7, 5, 5, 8, 9])  # edges 5-3, 7-5, 9-8 both ways
>>> sorted(zip(*(ends.tolist() for ends in large_star(x, y))))  # 5's neighbourhood {3, 5, 7}: 7 -> 3; 3's: 5 -> 3; 8's: 9 -> 8
[(5, 3), (7, 3), (9, 8)]
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

Edges = tuple[np.ndarray, np.ndarray]

#: Safety net: large-star/small-star needs O(log n) rounds; a graph needing more is a bug.
MAX_ROUNDS = 64


def oriented(u: np.ndarray, v: np.ndarray) -> Edges:
    """Edges as distinct (larger, smaller) pairs, self-loops dropped, sorted."""
    hi, lo = np.maximum(u, v), np.minimum(u, v)
    keep = hi != lo
    pairs = np.unique(np.stack([hi[keep], lo[keep]], axis=1), axis=0) if keep.any() else np.empty((0, 2), np.int64)
    return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)


def _group_min(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``keys`` (sorted) and the minimum of ``values`` for each."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
    return keys[starts], np.minimum.reduceat(values, starts) if len(keys) else values


def large_star(x: np.ndarray, y: np.ndarray) -> Edges:
    """One large-star step over directed pairs ``x -> y`` that hold every neighbour ``y`` of each ``x``.

    For each vertex ``x``, ``m(x)`` = min of ``x`` and its neighbours; each neighbour
    ``y > x`` is linked to ``m(x)``. Returns oriented edges.
    """
    vertices, smallest = _group_min(x, y)
    smallest = np.minimum(vertices, smallest)
    larger = y > x
    return oriented(y[larger], smallest[np.searchsorted(vertices, x[larger])])


def small_star(u: np.ndarray, v: np.ndarray) -> Edges:
    """One small-star step over oriented edges ``u > v`` holding every smaller neighbour of each ``u``.

    For each ``u``, ``m`` = the smallest of its smaller neighbours; ``u`` and each of those
    neighbours are linked to ``m``. Returns oriented edges.
    """
    vertices, smallest = _group_min(u, v)
    m = smallest[np.searchsorted(vertices, u)]
    return oriented(np.concatenate([v, vertices]), np.concatenate([m, smallest]))


def split(edges: Edges, parts: int, by: str = "hi") -> tuple[Edges, ...]:
    """Split oriented edges into ``parts`` pieces by ``hi % parts``.

    With ``by="both"`` every edge goes out in both directions, keyed by its first end:
    large-star needs each vertex's whole neighbourhood in one place.
    """
    u, v = edges
    if by == "both":
        u, v = np.concatenate([u, v]), np.concatenate([v, u])
    owner = np.remainder(u, parts)
    return tuple((u[owner == part], v[owner == part]) for part in range(parts))


def gather(pieces: list[Edges]) -> Edges:
    """One partition from the pieces the shuffle sent to it."""
    return oriented(np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces]))


def _step(pieces: list[Edges], operation: str) -> Edges:
    if operation == "small":
        return small_star(*gather(pieces))
    pairs = np.stack([np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])], axis=1)
    pairs = np.unique(pairs, axis=0) if len(pairs) else pairs.reshape(0, 2)
    return large_star(pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64))


def _same(a: Edges, b: Edges) -> bool:
    return bool(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]))


def labels_table(parts: list[Edges]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted vertex ids and their component labels from the converged star partitions."""
    u = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    v = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    vertices = np.concatenate([u, v])
    labels = np.concatenate([v, v])
    vertices, labels = _group_min(vertices, labels)
    return vertices, labels


def label_of(table: tuple[np.ndarray, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """Component label of each id (an id in no edge is its own component)."""
    vertices, labels = table
    if len(vertices) == 0:
        return ids.copy()
    position = np.minimum(np.searchsorted(vertices, ids), len(vertices) - 1)
    return np.where(vertices[position] == ids, labels[position], ids)


def connected_components(client: Any, edge_parts: list[Any], parts: int) -> tuple[Any, int]:
    """Label every vertex of the edge futures ``edge_parts`` with its component's smallest vertex.

    Parameters
    ----------
    client : distributed.Client
    edge_parts : futures of ``(u, v)`` int64 arrays (any partitioning).
    parts : partitions the edges are shuffled into.

    Returns
    -------
    (Future, int)
        A future of the labels table (sorted vertex ids, labels: see :func:`label_of`)
        and the number of rounds it took.
    """
    state = _shuffle(client, [client.submit(oriented, *_unpack(client, f)) for f in edge_parts], parts, "hi", gather)
    for round_number in range(1, MAX_ROUNDS + 1):
        large = _shuffle(client, state, parts, "both", _step, "large")
        small = _shuffle(client, large, parts, "hi", _step, "small")
        new = _shuffle(client, small, parts, "hi", gather)
        changed = client.gather([client.submit(_same, a, b) for a, b in zip(state, new)])
        state = new
        if all(changed):
            return client.submit(labels_table, state), round_number
    raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")


def _unpack(client: Any, future: Any) -> tuple[Any, Any]:
    return client.submit(operator.getitem, future, 0), client.submit(operator.getitem, future, 1)


def _shuffle(client: Any, inputs: list[Any], parts: int, by: str, reduce: Any, *args: Any) -> list[Any]:
    """Hash-shuffle edge futures into ``parts`` partitions and apply ``reduce(pieces, *args)`` to each."""
    pieces = [client.submit(split, future, parts, by) for future in inputs]
    columns = [[client.submit(operator.getitem, piece, part) for piece in pieces] for part in range(parts)]
    return [client.submit(reduce, column, *args) for column in columns]
