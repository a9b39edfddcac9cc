"""Average-linkage (UPGMA) agglomerative clustering on a sparse similarity graph.

Stories have no resolution limit to fight: two clusters merge while the *average*
similarity between their members is at least a threshold, whatever the size of the rest of
the corpus. Pairs that are not given count as similarity 0, so on a complete matrix this is
exactly scipy's ``linkage(method="average")`` on ``1 - similarity`` cut at
``1 - threshold``, and on a sparse one it only ever touches the pairs it is given: the work
is about ``O(E log E)`` for ``E`` pairs, never ``O(n^2)``.

Examples
--------
>>> pairs = {(0, 1): 0.9, (1, 2): 0.5, (0, 2): 0.4, (3, 4): 0.8}
>>> average_linkage(5, pairs, threshold=0.45)
[0, 0, 0, 3, 3]
>>> average_linkage(5, pairs, threshold=0.6)
[0, 0, 2, 3, 3]
"""

from __future__ import annotations

import heapq
import struct
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np


class PairScores(Protocol):
    """Scored pairs: a ``dict`` of ``(i, j) -> similarity``, or anything with its ``items()``."""

    def items(self) -> Iterable[tuple[tuple[int, int], float]]: ...


#: The heap is cleared of the entries of merged-away clusters when it holds twice the entries it held
#: after the last clearing (and at least this many): each merge pushes the merged-away cluster's links again.
COMPACT_MIN = 4_096


def average_linkage(size: int, pairs: PairScores, threshold: float,
                    start: Sequence[int] | None = None) -> list[int]:
    """Cluster ``size`` items by average linkage, merging while the average similarity >= ``threshold``.

    Parameters
    ----------
    size : int
        Items are ``0 .. size - 1``.
    pairs : mapping, or anything with ``items()``
        ``(i, j) -> similarity >= 0`` (``i != j``; a pair given twice in either order adds up), e.g.
        :class:`~.similarity.ScoredPairs`: the pairs are read once, in order.
    threshold : float
        Smallest average similarity between two clusters that still merges them.
    start : sequence of int, optional
        An initial partition (a cluster label per item) to keep and merge further, e.g.
        stories to be grouped into storylines.

    Returns
    -------
    list of int
        A label per item: the smallest item of its cluster. Ties between equal averages
        merge the pair of smallest labels first, so the result is deterministic.
    """
    label = list(range(size)) if start is None else _first_member_labels(start)
    members = [0] * size
    for item in range(size):
        members[label[item]] += 1
    below = _rank(threshold)  # an entry's high part past this: its average is below the threshold
    links, heap = _initial_links(size, pairs, label, members, below)
    # Each linked pair has a heap entry at least its current average. A merge only lowers the averages of the
    # kept cluster's other pairs (more members, same positive total), so those entries stay as upper bounds and are
    # corrected when they come up; only the pairs whose total grew (the merged-away cluster's) are pushed, not
    # every pair of the kept cluster, which may be a hub (100k synthetic storylines: 28.6 -> 25.3 s, same labels).
    # Only pairs at or above the threshold get an entry: an average below it never rises but through a merge
    # of one of its clusters that adds to its total, and such a merge pushes the pair again (most pairs sit
    # between PAIR_FLOOR and the threshold: kept for their totals, never merged by themselves).
    heapq.heapify(heap)
    compact_at = max(2 * len(heap), COMPACT_MIN)
    merged_into = list(range(size))
    while heap:
        entry = heapq.heappop(heap)
        if entry >> 64 > below:
            break  # every average is at most its entry's
        a, b = entry >> 32 & _LOW, entry & _LOW
        if merged_into[a] != a or merged_into[b] != b:
            continue  # one of the two was merged away
        current = _entry(links[a][b] / (members[a] * members[b]), a, b)
        if current != entry:  # an entry from before a merge of a or b: its average now, in its place
            if current >> 64 <= below:
                heapq.heappush(heap, current)
            continue
        keep, gone = (a, b) if len(links.get(a, ())) >= len(links.get(b, ())) else (b, a)
        kept_links, gone_links = links.setdefault(keep, {}), links.pop(gone, {})
        kept_links.pop(gone, None)
        gone_links.pop(keep, None)
        for other, total in gone_links.items():
            other_links = links[other]
            other_links.pop(gone)
            combined = kept_links.get(other, 0.0) + total
            kept_links[other] = other_links[keep] = combined
        members[keep] += members[gone]
        merged_into[gone] = keep
        for other in gone_links:
            first, second = (keep, other) if keep < other else (other, keep)
            entry = _entry(kept_links[other] / (members[keep] * members[other]), first, second)
            if entry >> 64 <= below:
                heapq.heappush(heap, entry)
        if len(heap) > compact_at:  # mostly entries of merged-away clusters
            heap = [entry for entry in heap if merged_into[entry >> 32 & _LOW] == entry >> 32 & _LOW
                    and merged_into[entry & _LOW] == entry & _LOW]
            heapq.heapify(heap)
            compact_at = max(2 * len(heap), COMPACT_MIN)
    roots = [_root(merged_into, label[item]) for item in range(size)]
    smallest: dict[int, int] = {}
    for item, root in enumerate(roots):
        smallest.setdefault(root, item)
    return [smallest[root] for root in roots]


def _initial_links(size: int, pairs: PairScores, label: list[int], members: list[int],
                   below: int) -> tuple[dict[int, dict[int, float]], list[int]]:
    """The clusters' links (``links[a][b]``: summed similarity, both ways) and the heap entries of the pairs at
    or above the threshold, made from the pairs as arrays.

    The same totals, to the last bit, as adding each pair's similarity in input order: equal cluster pairs are
    summed one position at a time over a stable sort. numpy instead of a dict update and a heap entry made per
    pair (300k synthetic records' storylines: ~4M pairs).
    """
    first, second, scores = _arrays(pairs)
    negative = np.flatnonzero(scores < 0)
    if len(negative):
        at = int(negative[0])
        raise ValueError(f"average_linkage needs similarities >= 0, got {float(scores[at])!r} "
                         f"for {(int(first[at]), int(second[at]))}")
    labels = np.asarray(label, dtype=np.int64)
    ends, other_ends = labels[first], labels[second]
    linked = np.flatnonzero((ends != other_ends) & (scores != 0))
    del labels, first, second
    if not len(linked):
        return {}, []
    ends, other_ends, scores = ends[linked], other_ends[linked], scores[linked]
    del linked
    codes = np.minimum(ends, other_ends) * np.int64(size)
    codes += np.maximum(ends, other_ends)
    del ends, other_ends
    order = np.argsort(codes, kind="stable")
    codes, scores = codes[order], scores[order]
    del order
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    lengths = np.diff(np.r_[starts, len(scores)])
    totals = scores[starts]
    more, position = np.flatnonzero(lengths > 1), 1
    while len(more):  # sum by position: each pair's total grows in input order, as one by one
        totals[more] += scores[starts[more] + position]
        position += 1
        more = more[lengths[more] > position]
    low, high = np.divmod(codes[starts], np.int64(size))
    del codes, scores, starts, lengths, more
    sizes = np.asarray(members, dtype=np.int64)
    ranks = _TOP - (totals / (sizes[low] * sizes[high])).view(np.int64)  # _rank of positive averages
    entered = np.flatnonzero(ranks <= below)
    heap = [rank << 64 | pair for rank, pair in zip(ranks[entered].tolist(),
                                                    (low[entered] << 32 | high[entered]).tolist())]
    del sizes, ranks, entered
    # Each pair's total is one float object in both directions, and clusters are the label list's ints, as
    # when the links were made pair by pair (objects made per direction cost ~100 bytes a pair more).
    shared_totals = totals.tolist()
    del totals
    links: dict[int, dict[int, float]] = {}
    _add_links(links, low, high, label, shared_totals)  # sorted by the low end: each its links to higher clusters
    order = np.argsort(high, kind="stable")
    _add_links(links, high[order], low[order], label, shared_totals, order)  # then each its links to lower ones
    return links, heap


#: Links that become dict entries at a time (lists of all the 1M storylines' pairs held GBs).
LINK_CHUNK = 1 << 18


def _add_links(links: dict[int, dict[int, float]], ends: np.ndarray, others: np.ndarray, label: list[int],
               totals: list[float], positions: np.ndarray | None = None) -> None:
    """Add ``links[e][o] = totals[p]`` for the ``k``-th end ``e``, other ``o`` and position ``p`` (``positions[k]``,
    else ``k``), ``ends`` sorted: whole runs of one end, about :data:`LINK_CHUNK` links at a time. Clusters are
    named by the objects of ``label`` (a cluster's label is itself)."""
    bounds = np.flatnonzero(np.r_[True, ends[1:] != ends[:-1], True])
    at, runs = 0, len(bounds) - 1
    while at < runs:
        stop = max(at + 1, min(runs, int(np.searchsorted(bounds, bounds[at] + LINK_CHUNK, side="right")) - 1))
        chunk = bounds[at:stop + 1]
        begin, end = int(chunk[0]), int(chunk[-1])
        some_others = [label[other] for other in others[begin:end].tolist()]
        some_totals = (totals[begin:end] if positions is None
                       else [totals[position] for position in positions[begin:end].tolist()])
        offsets = (chunk - begin).tolist()
        for node, start, finish in zip(ends[chunk[:-1]].tolist(), offsets, offsets[1:]):
            found = dict(zip(some_others[start:finish], some_totals[start:finish]))
            known = links.get(label[node])
            if known is None:
                links[label[node]] = found
            else:
                known.update(found)
        at = stop


def _arrays(pairs: PairScores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``pairs`` as first items, second items and similarities: the arrays of a
    :class:`~.similarity.ScoredPairs`, else made from ``items()``."""
    if all(isinstance(getattr(pairs, name, None), np.ndarray) for name in ("first", "second", "scores")):
        return (np.asarray(pairs.first, dtype=np.int64), np.asarray(pairs.second, dtype=np.int64),  # type: ignore[attr-defined]
                np.asarray(pairs.scores, dtype=np.float64))  # type: ignore[attr-defined]
    items = list(pairs.items())
    index = np.array([pair for pair, _ in items], dtype=np.int64).reshape(-1, 2)
    return index[:, 0], index[:, 1], np.array([similarity for _, similarity in items], dtype=np.float64)


_DOUBLE = struct.Struct("<d")
_LOW = (1 << 32) - 1
_TOP = (1 << 63) - 1


def _entry(average: float, a: int, b: int) -> int:
    """A heap entry as one int: the highest average first, then the smallest pair ``a < b``.

    :func:`_rank` orders doubles exactly (equal averages, equal ranks). One int compares in about half the
    time of a ``(-average, a, b)`` tuple, whose compares reach into three objects (100k synthetic
    storylines: 25.3 -> 18.2 s).
    """
    return _rank(average) << 64 | a << 32 | b


def _rank(value: float) -> int:
    """A 64-bit unsigned int that falls as ``value`` grows: a double's bits, read as a signed int, grow with
    it when positive and fall when negative (made to grow by flipping all but the sign bit)."""
    bits = int.from_bytes(_DOUBLE.pack(value), "little", signed=True)
    return _TOP - (bits if bits >= 0 else bits ^ _TOP)


def _root(merged_into: list[int], node: int) -> int:
    while merged_into[node] != node:
        merged_into[node] = merged_into[merged_into[node]]
        node = merged_into[node]
    return node


def _first_member_labels(start: Sequence[int]) -> list[int]:
    """Relabel a partition so each cluster is named by its smallest item."""
    first: dict[int, int] = {}
    return [first.setdefault(group, item) for item, group in enumerate(start)]
