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


def shingle_hash(shingle: str) -> int:
    """A shingle's 64-bit hash: SHA-1's first 8 bytes, little-endian; its low 32 bits are datasketch's hash.

    Wire-copy detection compares ledes on these (two distinct shingles of one corpus share
    one with odds of about ``n**2 / 2**65``) and signs them with the low half.

    >>> hex(shingle_hash("walk out") & 0xFFFFFFFF) == hex(int.from_bytes(hashlib.sha1(b"walk out").digest()[:4], "little"))
    True
    """
    return int.from_bytes(hashlib.sha1(shingle.encode()).digest()[:8], "little")


def signatures(hashes: np.ndarray, sizes: np.ndarray, *, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """One MinHash signature per set: ``(len(sizes), num_perm)`` uint32, ``MinHash.bulk(sets)``'s hash values.

    The sets come flat, the memory of one integer a shingle: ``hashes`` holds every set's
    shingle hashes one set after the other (only their low 32 bits are used, so
    :func:`shingle_hash`'s 64 bits or datasketch's 32 will do), ``sizes`` how many each set
    has. An empty set gets the all-``2**32 - 1`` signature, as in datasketch.

    Examples
    --------
    >>> found = signatures(np.array([7, 9, 9, 7, 5], dtype=np.uint64), np.array([2, 2, 1]), num_perm=4)
    >>> found.shape, bool((found[0] == found[1]).all()), bool((found[0] == found[2]).any())
    ((3, 4), True, False)
    """
    a, b = permutations(num_perm, seed)
    sizes = np.asarray(sizes, dtype=np.int64)
    ends = np.cumsum(sizes)
    result = np.full((len(sizes), num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    for first in range(0, len(sizes), CHUNK):
        chunk = sizes[first:first + CHUNK]
        stop = int(ends[first + len(chunk) - 1])
        low = np.asarray(hashes[stop - int(chunk.sum()):stop]).astype(np.uint32)  # the low 32 bits
        permuted = np.multiply.outer(a, fmix32(low))  # (num_perm, shingles): reduced along contiguous rows
        permuted += b[:, None]
        filled = np.flatnonzero(chunk)
        if len(filled):
            starts = (np.cumsum(chunk) - chunk)[filled]
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
