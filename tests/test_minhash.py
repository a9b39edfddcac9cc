"""graphnews' MinHash signatures and LSH band layout are datasketch 2's, without importing it at run time."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import graphnews
from graphnews.analysis.minhash import band_layout, shingle_hash, signatures
from graphnews.analysis.syndication import syndication_groups
from graphnews.build import build_graph

datasketch = pytest.importorskip("datasketch")


def flat_signatures(sets: list[list[bytes]], num_perm: int, seed: int) -> np.ndarray:
    """graphnews' signatures of byte sets, hashed as datasketch hashes them (SHA-1's first 4 bytes)."""
    hashes = np.array([int.from_bytes(hashlib.sha1(item).digest()[:4], "little") for items in sets for item in items],
                      dtype=np.uint64)
    return signatures(hashes, np.array([len(items) for items in sets], dtype=np.int64), num_perm=num_perm, seed=seed)


def reference_signatures(sets: list[list[bytes]], num_perm: int, seed: int) -> np.ndarray:
    """datasketch's ``MinHash.bulk`` hash values, one row per set."""
    found = datasketch.MinHash.bulk(sets, num_perm=num_perm, seed=seed)
    return np.array([signature.hashvalues for signature in found], dtype=np.uint64).reshape(len(sets), num_perm)


def test_signatures_of_lede_bigrams_are_datasketchs() -> None:
    rng = random.Random(0)
    words = [f"w{i}" for i in range(400)]
    sets = [[f"{rng.choice(words)} {rng.choice(words)}".encode() for _ in range(rng.randrange(0, 45))] for _ in range(2500)]
    got = flat_signatures(sets, num_perm=128, seed=7)
    assert got.dtype == np.uint32 and got.shape == (2500, 128)
    assert np.array_equal(got, reference_signatures(sets, 128, 7))  # 2,500 sets: three chunks of sets


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.binary(max_size=12), max_size=20), max_size=30), st.integers(1, 200),
       st.integers(0, 2**31))
def test_any_sets_give_datasketchs_signatures(sets: list[list[bytes]], num_perm: int, seed: int) -> None:
    assert np.array_equal(flat_signatures(sets, num_perm=num_perm, seed=seed), reference_signatures(sets, num_perm, seed))


def test_shingle_hash_low_half_is_datasketchs_hash() -> None:
    for shingle in ["walk out", "gate 9", "caf\u00e9 owner", ""]:
        expected = int.from_bytes(hashlib.sha1(shingle.encode()).digest()[:4], "little")
        assert shingle_hash(shingle) & 0xFFFFFFFF == expected and shingle_hash(shingle) >> 32 > 0


@pytest.mark.parametrize("threshold", [0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9])
@pytest.mark.parametrize("num_perm", [16, 64, 100, 128, 256])
def test_band_layout_is_the_one_minhashlsh_picks(threshold: float, num_perm: int) -> None:
    try:
        lsh = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError:  # datasketch refuses a layout of one band; graphnews never asks for one
        assert band_layout(threshold, num_perm)[0] == 1
        return
    assert band_layout(threshold, num_perm) == (lsh.b, lsh.r)


def test_band_layout_for_wire_copies() -> None:
    assert band_layout(0.3, 128) == (37, 3)


def test_sample_wire_group_unchanged() -> None:
    graph = build_graph(graphnews.load([graphnews.sample_data_path()]))
    groups = syndication_groups(graph)
    assert [len(group.members) for group in groups] == [5] and len(groups[0].providers) == 5
    assert groups[0].first == "article:wirewatch-news.com/wire/2031/03/13/port-alder-dockworkers-walk-out-over-shift-rota"
