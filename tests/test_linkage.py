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
