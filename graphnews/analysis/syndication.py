"""Syndication: one wire story republished by several outlets under different titles.

Titles are rewritten by every outlet, so they are ignored; what stays is the lede. Each
article's lede (its excerpt, or the start of its body when it has no excerpt; at most
:data:`LEDE_WORDS` words) becomes a set of word bigrams. MinHash/LSH finds candidate pairs
in about linear time (datasketch 2's MinHash signatures and band layout, computed by
:mod:`.minhash` without importing datasketch; the bands are bucketed with numpy, all at
once, rather than by datasketch's per-item insert and query); each candidate is then verified by
*containment*, ``|A & B| / min(|A|, |B|)``, so an excerpt cut short still matches the full
one (computed on the bigrams' 64-bit hashes, all pairs at once in numpy). Verified pairs are
joined into groups (connected components).

Two articles of the same provider are never syndication: a provider's own near-duplicates
are page templates ("Watch ..., a CBSN video on CBSNews.com. View more CBSN videos ...")
or updates, not wire copies.

Wire stories are carried by thousands of outlets at once, so nothing here is quadratic in
a group's size: articles with the same lede bigrams are one candidate (containment 1, no
pairs to try), an LSH bucket of more than :data:`BUCKET_ALL_PAIRS` rows is paired with
its first :data:`BUCKET_ANCHORS` rows only, and a group of n copies is recorded as n - 1
``syndicated`` edges, a star from its first publisher (:func:`graphnews.analysis.annotate.add_syndicated_edges`). 4,000
outlets carrying one lede: 3,999 edges.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Set
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx
import numpy as np

from ..build import ARTICLE
from ..gcpause import paused_gc
from ..settings import SyndicationSettings
from .minhash import band_layout, shingle_hash, signatures as minhash_signatures

LEDE_WORDS = 40
NUM_PERM = 128
LSH_THRESHOLD = 0.3
#: An LSH bucket up to this size is paired in full; a larger one only with its first rows.
BUCKET_ALL_PAIRS = 64
BUCKET_ANCHORS = 8
_WORD = re.compile(r"[^\W_]+")


@dataclass
class SyndicationGroup:
    """Articles carrying one wire story: ``members`` sorted by published time then id.

    ``first`` is the earliest published member (the smallest id when no member has a
    date); ``providers`` the provider node ids involved, sorted.
    """

    id: int
    members: list[str]
    first: str
    providers: list[str]


def lede_shingles(excerpt: str, body: str = "", *, words: int = LEDE_WORDS) -> set[str]:
    """Word bigrams of the lede: the excerpt (else the body), lower-cased, accents and quotes folded.

    Examples
    --------
    >>> sorted(lede_shingles("Dockers \u2018walk out\u2019 at Gate 9"))
    ['at gate', 'dockers walk', 'gate 9', 'out at', 'walk out']
    """
    text = excerpt.strip() or body
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    tokens = _WORD.findall(folded)[:words]
    return {f"{a} {b}" for a, b in pairwise(tokens)}


def containment(a: Set[str], b: Set[str]) -> float:
    """Share of the smaller set found in the larger one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def syndication_groups(graph: nx.Graph, settings: SyndicationSettings | None = None, *,
                       seed: int = 0) -> list[SyndicationGroup]:
    """Groups of near-duplicate articles from different providers.

    Parameters
    ----------
    graph : networkx graph
        Article nodes with ``excerpt``/``body``, ``provider``, ``published``.
    settings : SyndicationSettings, optional
        ``min_containment``: share of the smaller lede's bigrams that must appear in the
        other (0.75: a wire excerpt cut short, or with a word changed, still matches; two
        stories that share a sentence of boilerplate do not). ``min_shingles``: ledes with
        fewer bigrams are too short to tell a copy from a coincidence.
    seed : int
        Seed of the MinHash permutations.

    Returns
    -------
    list of SyndicationGroup
        Largest first, ties by first member id; ``id`` is the position in this list.

    Examples
    --------
    >>> g = nx.Graph()
    >>> lede = "Hundreds of dockworkers walked out at Container Terminal 3 on Thursday over a new shift rota"
    >>> g.add_node("article:a", kind="article", excerpt=lede, provider="provider:a", published="2031-03-13T09:00:00Z")
    >>> g.add_node("article:b", kind="article", excerpt=lede[:60], provider="provider:b", published="2031-03-13T06:00:00Z")
    >>> [(group.members, group.first) for group in syndication_groups(g)]
    [(['article:b', 'article:a'], 'article:b')]
    """
    settings = settings or SyndicationSettings()
    with paused_gc():  # ~25 bigram strings an article and a list a class, no garbage (graphnews.gcpause)
        ids = sorted(node for node, kind in graph.nodes(data="kind") if kind == ARTICLE)
        classes, hashes, sizes = _lede_classes(graph, ids, settings.min_shingles)
        # Providers of each class: one provider (not None) means its copies are not syndication of each other.
        provider_codes: dict[str, int] = {}
        only = np.array([provider_codes.setdefault(provider, len(provider_codes)) if provider else -1
                         for provider in (_single_provider(graph, members) for members in classes)], dtype=np.int64)
        pairs = lsh_candidates(minhash_signatures(hashes, sizes, num_perm=NUM_PERM, seed=seed))
        first, second = pairs[:, 0], pairs[:, 1]
        keep = (only[first] < 0) | (only[first] != only[second])
        first, second = first[keep], second[keep]
        verified = _containments(first, second, hashes, sizes) >= settings.min_containment
        parent = list(range(len(classes)))
        joined = ((only < 0) & (np.fromiter(map(len, classes), dtype=np.int64, count=len(classes)) > 1)).tolist()

        def root(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        for a, b in zip(first[verified].tolist(), second[verified].tolist()):
            a, b = root(a), root(b)
            parent[max(a, b)] = min(a, b)
            joined[min(a, b)] = True
        components: dict[int, list[str]] = {}
        for index, members in enumerate(classes):
            components.setdefault(root(index), []).extend(members)
        groups = sorted((sorted(members) for top, members in components.items() if joined[top] and len(members) > 1),
                        key=lambda m: (-len(m), m[0]))
        return [_group(graph, number, members) for number, members in enumerate(groups)]


def _lede_classes(graph: nx.Graph, ids: list[str], min_shingles: int) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """Articles with the same lede bigrams as one class (one candidate, containment 1), and each class's bigrams.

    The bigrams are kept as sorted 64-bit hashes (:func:`.minhash.shingle_hash`), all
    classes in one flat array with their ``sizes``: ~8 bytes a bigram, where a set of
    strings costs ~100 (1M ledes: 0.3 GB instead of 10).
    """
    classes: list[list[str]] = []
    number_of: dict[bytes, int] = {}
    flat, sizes = array("Q"), array("q")
    for node in ids:
        attributes = graph.nodes[node]
        found = lede_shingles(str(attributes.get("excerpt") or ""), str(attributes.get("body") or ""))
        if len(found) < min_shingles:
            continue
        hashed = array("Q", sorted({shingle_hash(shingle) for shingle in found}))
        key = hashlib.blake2b(hashed.tobytes(), digest_size=16).digest()
        number = number_of.setdefault(key, len(classes))
        if number < len(classes):
            classes[number].append(node)
            continue
        classes.append([node])
        flat.extend(hashed)
        sizes.append(len(hashed))
    return classes, np.frombuffer(flat, dtype=np.uint64), np.frombuffer(sizes, dtype=np.int64)


#: Candidate pairs whose containment is computed at once (their bigrams: ~80 a pair, 8 bytes each).
PAIR_CHUNK = 1 << 17


def _containments(first: np.ndarray, second: np.ndarray, hashes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """:func:`containment` of each pair of classes ``(first[i], second[i])``, from their flat sorted hashes.

    The hashes become dense ids (their rank among the distinct ones), so a bigram of pair
    ``p`` is the one int ``p << 32 | id``; each pair's bigrams stay sorted, and one
    ``searchsorted`` of the first classes' against the second's finds every shared one.
    """
    if not len(first):
        return np.zeros(0)
    ids = np.unique(hashes, return_inverse=True)[1].astype(np.uint64).ravel()
    starts = np.cumsum(sizes) - sizes
    found = np.empty(len(first))
    for begin in range(0, len(first), PAIR_CHUNK):
        a, b = first[begin:begin + PAIR_CHUNK], second[begin:begin + PAIR_CHUNK]
        pair_of_a, keys_a = _pair_keys(a, ids, starts, sizes)
        _, keys_b = _pair_keys(b, ids, starts, sizes)
        at = np.minimum(np.searchsorted(keys_b, keys_a), len(keys_b) - 1)
        shared = np.bincount(pair_of_a[keys_b[at] == keys_a], minlength=len(a))
        found[begin:begin + len(a)] = shared / np.minimum(sizes[a], sizes[b])
    return found


def _pair_keys(classes: np.ndarray, ids: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bigrams of ``classes[p]`` for every ``p``: each one's pair ``p``, and its key ``p << 32 | id`` (sorted)."""
    counts = sizes[classes]
    pair = np.repeat(np.arange(len(classes), dtype=np.uint64), counts)
    offsets = np.repeat(starts[classes] - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
    return pair.astype(np.int64), pair << np.uint64(32) | ids[offsets]


def _single_provider(graph: nx.Graph, members: list[str]) -> str | None:
    """The provider of every member when they all share one (None when any has none, or they differ)."""
    providers = {graph.nodes[node].get("provider") for node in members}
    if len(providers) == 1:
        (provider,) = providers
        return provider or None
    return None


def _group(graph: nx.Graph, number: int, members: list[str]) -> SyndicationGroup:
    """A group with its members in publishing order (undated last, ties by id)."""
    ordered = sorted(members, key=lambda node: (str(graph.nodes[node].get("published") or "~"), node))
    providers = sorted({str(graph.nodes[node]["provider"]) for node in members if graph.nodes[node].get("provider")})
    return SyndicationGroup(number, ordered, ordered[0], providers)


def lsh_candidates(signatures: np.ndarray, threshold: float = LSH_THRESHOLD) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, whose MinHash signatures agree on every value of some band.

    The bands are datasketch's (``MinHashLSH(threshold, num_perm)`` picks their number and
    width, :func:`.minhash.band_layout`, to balance false positives and negatives), so the pairs are exactly those its
    ``query`` would return; each band is bucketed by one ``numpy.lexsort`` of its columns over all rows.

    Parameters
    ----------
    signatures : numpy.ndarray, shape (n, num_perm)
        One MinHash signature per row.
    threshold : float
        The Jaccard similarity the bands are tuned for.

    Returns
    -------
    numpy.ndarray, shape (pairs, 2)
        int64 rows ``(i, j)``, sorted, without repeats. A bucket of more than :data:`BUCKET_ALL_PAIRS` rows gives
        only the pairs with its first :data:`BUCKET_ANCHORS` rows (rows in one bucket agree on
        a whole band, so they are near-copies; the anchors connect them in linear work).

    Examples
    --------
    >>> rows = np.array([[1] * 128, [1] * 128, [2] * 128], dtype=np.uint64)
    >>> lsh_candidates(rows).tolist()
    [[0, 1]]
    """
    count, width = signatures.shape
    band_count, band_width = band_layout(threshold, width)
    found: list[np.ndarray] = []
    for band in range(band_count):
        columns = signatures[:, band * band_width:(band + 1) * band_width]
        order = np.lexsort(columns.T[::-1])  # rows of one bucket together, ascending (a stable sort of integers)
        ordered = columns[order]
        starts = np.flatnonzero(np.concatenate([[True], (ordered[1:] != ordered[:-1]).any(axis=1), [True]]))
        sizes = np.diff(starts)
        for shared in np.flatnonzero(sizes > 1).tolist():
            rows = order[starts[shared]:starts[shared + 1]]
            if len(rows) <= BUCKET_ALL_PAIRS:
                first, second = np.triu_indices(len(rows), k=1)
            else:  # a huge bucket: every row with each of the first few, O(rows) pairs
                first, second = np.triu_indices(len(rows), k=1, m=len(rows))
                keep = first < BUCKET_ANCHORS
                first, second = first[keep], second[keep]
            found.append(rows[first] * count + rows[second])
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return np.stack([codes // count, codes % count], axis=1).astype(np.int64)


def groups_from_graph(graph: nx.Graph) -> list[SyndicationGroup]:
    """The groups recorded on a graph by :func:`graphnews.analysis.annotate.add_syndicated_edges` (node attribute ``syndication``).

    Lets a saved graph (``--graph graph.json``) report its wire groups without re-running
    detection; the groups come back as :func:`syndication_groups` made them.
    """
    members: dict[int, list[str]] = {}
    for node, group in graph.nodes(data="syndication"):
        if isinstance(group, int) and graph.nodes[node].get("kind") == ARTICLE:
            members.setdefault(group, []).append(node)
    return [_group(graph, number, members[number]) for number in sorted(members)]
