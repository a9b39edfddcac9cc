"""MinHash signatures and LSH band layout, equal to datasketch 2's, in numpy only.

Wire-copy detection (:mod:`.syndication`) needs two things from datasketch: the MinHash
signatures of many small sets of lede bigrams, and the number and width of LSH bands
``MinHashLSH`` picks for a threshold. Importing datasketch costs 0.5 s of start-up (its
LSH module imports ``scipy.integrate``) and its default hashing scheme changed in 2.0, so
both are computed here, the same values as datasketch 2.0's defaults (the ``affine32``
scheme: SHA-1's first 4 bytes, the MurmurHash3 32-bit finaliser, ``a * h + b`` mod 2^32
with odd ``a``), checked against it in ``tests/test_minhash.py`` when it is installed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

#: Sets hashed at once (their shingles x permutations of uint32: 1,024 sets of 40 x 128 = 21 MB).
CHUNK = 1_024


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``a`` (odd) and ``b`` of each affine permutation, from ``RandomState(seed)`` as datasketch draws them."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, element-wise on uint32 (wrapping multiplication)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signatures(sets: Sequence[Sequence[bytes]], *, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """One MinHash signature per set: ``(len(sets), num_perm)`` uint64, as ``MinHash.bulk(sets)`` hash values.

    An empty set gets the all-``2**32 - 1`` signature, as in datasketch.

    Examples
    --------
    >>> found = signatures([[b"a", b"b"], [b"b", b"a"], [b"c"]], num_perm=4)
    >>> found.shape, bool((found[0] == found[1]).all()), bool((found[0] == found[2]).any())
    ((3, 4), True, False)
    """
    a, b = permutations(num_perm, seed)
    result = np.full((len(sets), num_perm), np.iinfo(np.uint32).max, dtype=np.uint64)
    for first in range(0, len(sets), CHUNK):
        chunk = sets[first:first + CHUNK]
        sizes = np.fromiter((len(members) for members in chunk), dtype=np.int64, count=len(chunk))
        hashes = np.fromiter((int.from_bytes(hashlib.sha1(item).digest()[:4], "little") for members in chunk
                              for item in members), dtype=np.uint32, count=int(sizes.sum()))
        permuted = np.multiply.outer(a, fmix32(hashes))  # (num_perm, shingles): reduced along contiguous rows
        permuted += b[:, None]
        filled = np.flatnonzero(sizes)
        if len(filled):
            starts = (np.cumsum(sizes) - sizes)[filled]
            result[first + filled] = np.minimum.reduceat(permuted, starts, axis=1).T
    return result


@lru_cache(maxsize=32)
def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands ``b`` and rows per band ``r`` minimising false positives + false negatives, as ``MinHashLSH`` picks them.

    Over every ``b * r <= num_perm``: the area under ``1 - (1 - s^r)^b`` below
    ``threshold`` (pairs that collide without being similar) plus the area above it over
    ``threshold..1`` of the probability of not colliding, weighted 0.5 each. datasketch
    integrates with ``scipy.integrate.quad``; these are polynomials of degree ``b * r <=
    num_perm``, so a Gauss-Legendre rule of ``num_perm // 2 + 1`` points integrates them
    exactly (to rounding).

    >>> band_layout(0.3, 128)
    (37, 3)
    """
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    below = threshold / 2 * (nodes + 1)  # [0, threshold]
    above = threshold + (1 - threshold) / 2 * (nodes + 1)  # [threshold, 1]
    layouts = [(bands, rows) for bands in range(1, num_perm + 1) for rows in range(1, num_perm // bands + 1)]
    bands, rows = (np.array(column, dtype=np.float64)[:, None] for column in zip(*layouts))
    false_positive = threshold / 2 * ((1 - (1 - below ** rows) ** bands) @ weights)
    false_negative = (1 - threshold) / 2 * (((1 - above ** rows) ** bands) @ weights)
    return layouts[int(np.argmin(0.5 * false_positive + 0.5 * false_negative))]  # the first of equal errors
