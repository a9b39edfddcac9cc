"""Sparse average linkage is exactly scipy's UPGMA on the complete matrix, cut at the same height."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from graphnews.analysis.linkage import average_linkage


def partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for item, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(item)
    return {frozenset(group) for group in groups.values()}


@settings(max_examples=150, deadline=None)
@given(size=st.integers(2, 25), seed=st.integers(0, 10_000), threshold=st.floats(0.01, 0.6))
def test_equals_scipy_average_linkage(size: int, seed: int, threshold: float) -> None:
    rng = np.random.default_rng(seed)
    similarity = rng.random((size, size)) ** 3
    similarity = (similarity + similarity.T) / 2
    pairs = {(i, j): float(similarity[i, j]) for i in range(size) for j in range(i + 1, size)}
    distance = 1 - similarity
    np.fill_diagonal(distance, 0)
    expected = fcluster(linkage(squareform(distance, checks=False), "average"), 1 - threshold, "distance")
    assert partition(average_linkage(size, pairs, threshold)) == partition(expected)


def test_missing_pairs_count_as_zero_and_labels_are_smallest_members() -> None:
    # 0-1 strong, 2 close to 1 only: mean over {0,1} x {2} = (0 + 0.5) / 2 = 0.25
    pairs = {(0, 1): 0.9, (1, 2): 0.5}
    assert average_linkage(4, pairs, 0.25) == [0, 0, 0, 3]
    assert average_linkage(4, pairs, 0.26) == [0, 0, 2, 3]


def test_start_partition_is_kept_and_merged_further() -> None:
    pairs = {(0, 2): 0.3, (1, 3): 0.3}
    assert average_linkage(4, pairs, 0.1, start=[5, 5, 7, 7]) == [0, 0, 0, 0]  # mean (0.3 + 0.3) / 4 = 0.15
    assert average_linkage(4, pairs, 0.2, start=[5, 5, 7, 7]) == [0, 0, 2, 2]


@pytest.mark.parametrize("size", [0, 1])
def test_tiny_inputs(size: int) -> None:
    assert average_linkage(size, {}, 0.5) == list(range(size))


def _greedy_reference(size: int, pairs: dict[tuple[int, int], float], threshold: float,
                      start: list[int] | None) -> list[int]:
    """The rule average_linkage follows, by brute force: merge the pair of clusters of highest average
    (ties: the smallest cluster ids), the one with more linked clusters keeping its id, until below ``threshold``."""
    first: dict[int, int] = {}
    label = list(range(size)) if start is None else [first.setdefault(group, item) for item, group in enumerate(start)]
    members: dict[int, set[int]] = {}
    for item in range(size):
        members.setdefault(label[item], set()).add(item)
    totals: dict[tuple[int, int], float] = {}
    for (i, j), similarity in pairs.items():
        a, b = sorted((label[i], label[j]))
        if a != b and similarity:
            totals[a, b] = totals.get((a, b), 0.0) + similarity
    while totals:
        negative, a, b = min((-total / (len(members[a]) * len(members[b])), a, b) for (a, b), total in totals.items())
        if -negative < threshold:
            break
        degree = {cluster: sum(cluster in pair for pair in totals) for cluster in (a, b)}
        keep, gone = (a, b) if degree[a] >= degree[b] else (b, a)
        members[keep] |= members.pop(gone)
        for pair in [pair for pair in totals if gone in pair]:
            total = totals.pop(pair)
            other = pair[0] if pair[1] == gone else pair[1]
            if other != keep:
                moved = (min(keep, other), max(keep, other))
                totals[moved] = totals.get(moved, 0.0) + total
    smallest = {cluster: min(items) for cluster, items in members.items()}
    return [smallest[next(c for c, items in members.items() if item in items)] for item in range(size)]


@settings(max_examples=400, deadline=None)
@given(size=st.integers(2, 14), data=st.data(), threshold=st.sampled_from([0.05, 0.1, 0.2, 0.3, 0.5]))
def test_merges_in_the_order_of_the_brute_force_rule_ties_included(size: int, data: st.DataObject, threshold: float) -> None:
    """Sparse pairs with few distinct scores (many ties, hubs), with and without a start partition: the same labels
    as merging the best pair of clusters one at a time (the heap keeps stale upper bounds and corrects them)."""
    all_pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    chosen = data.draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=len(all_pairs)))
    pairs = {pair: data.draw(st.sampled_from([0.25, 0.5, 0.75, 1.0])) for pair in chosen}
    start = data.draw(st.none() | st.lists(st.integers(0, 4), min_size=size, max_size=size))
    assert average_linkage(size, pairs, threshold, start=start) == _greedy_reference(size, pairs, threshold, start)


def test_negative_scores_are_refused() -> None:
    """A merge lowers averages only when totals are positive (the heap relies on it): a negative score is an error."""
    assert average_linkage(5, {(0, 1): 0.9, (0, 2): 0.5, (1, 2): 0.0, (3, 4): 0.9}, 0.2) == [0, 0, 0, 3, 3]
    with pytest.raises(ValueError, match="similarities >= 0"):
        average_linkage(3, {(0, 1): 0.9, (1, 2): -0.25}, 0.1)


def test_pairs_below_the_threshold_take_no_heap_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most pairs sit between the pair floor and the threshold (kept for their totals): they get no heap
    entry until a merge adds to them, so the heap holds the few that can merge (1M storylines: 4.3 GB)."""
    from graphnews.analysis import linkage as sparse_linkage

    sizes: list[int] = []
    real_heapify = sparse_linkage.heapq.heapify
    monkeypatch.setattr(sparse_linkage.heapq, "heapify", lambda heap: sizes.append(len(heap)) or real_heapify(heap))
    pairs = {(i, i + 1): 0.1 for i in range(0, 1000, 2)} | {(1000, 1001): 0.9}
    labels = average_linkage(1002, pairs, threshold=0.5)
    assert sizes == [1]
    assert labels[1001] == 1000 and len(set(labels)) == 1001


def _links_one_by_one(size: int, pairs: list[tuple[tuple[int, int], float]], label: list[int],
                      members: list[int], below: int) -> tuple[dict[int, dict[int, float]], list[int]]:
    """The reference: each pair's similarity added in input order, a heap entry per linked pair of clusters."""
    from graphnews.analysis.linkage import _entry

    links: dict[int, dict[int, float]] = {}
    for (i, j), similarity in pairs:
        a, b = label[i], label[j]
        if a != b and similarity:
            links.setdefault(a, {})[b] = links.setdefault(a, {}).get(b, 0.0) + similarity
            links.setdefault(b, {})[a] = links[a][b]
    heap = [entry for a, others in links.items() for b, total in others.items()
            if a < b and (entry := _entry(total / (members[a] * members[b]), a, b)) >> 64 <= below]
    return links, heap


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 12), data=st.data(), threshold=st.floats(0.0, 0.5), grouped=st.booleans())
def test_links_made_from_arrays_are_the_pair_by_pair_sums_to_the_bit(size: int, data: st.DataObject,
                                                                    threshold: float, grouped: bool) -> None:
    """Cluster pairs given many times, in either order, with zeros and pairs inside one cluster: the
    vectorised totals are the sums in input order, bit for bit, and the heap holds the same entries."""
    from graphnews.analysis import linkage
    from graphnews.analysis.linkage import _first_member_labels, _initial_links, _rank
    from graphnews.analysis.similarity import ScoredPairs

    item = st.integers(0, size - 1)
    pairs = data.draw(st.lists(st.tuples(st.tuples(item, item).filter(lambda pair: pair[0] != pair[1]),
                                         st.sampled_from([0.0, 0.1, 0.3, 1 / 3, 0.7]) | st.floats(0, 1)),
                               max_size=40))
    start = data.draw(st.lists(st.integers(0, 3), min_size=size, max_size=size)) if grouped else list(range(size))
    label = _first_member_labels(start)
    members = [label.count(item) for item in range(size)]
    below = _rank(threshold)
    expected_links, expected_heap = _links_one_by_one(size, pairs, label, members, below)
    for given_pairs in (dict(pairs) if len(dict(pairs)) == len(pairs) else None,
                        ScoredPairs(np.array([p[0][0] for p in pairs], dtype=np.int64),
                                    np.array([p[0][1] for p in pairs], dtype=np.int64),
                                    np.array([p[1] for p in pairs], dtype=np.float64))):
        if given_pairs is None:
            continue
        for chunk in (1, linkage.LINK_CHUNK):  # clusters one at a time, or all in one chunk
            default, linkage.LINK_CHUNK = linkage.LINK_CHUNK, chunk
            try:
                links, heap = _initial_links(size, given_pairs, label, members, below)
            finally:
                linkage.LINK_CHUNK = default
            assert links == expected_links
            assert sorted(heap) == sorted(expected_heap)
