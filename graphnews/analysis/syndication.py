"""Syndication: one wire story republished by several outlets under different titles.

Titles are rewritten by every outlet, so they are ignored; what stays is the lede. Each
article's lede (its excerpt, or the start of its body when it has no excerpt; at most
:data:`LEDE_WORDS` words) becomes a set of word bigrams. MinHash/LSH finds candidate pairs
in about linear time (datasketch 2's MinHash signatures and band layout, computed by
:mod:`.minhash` without importing datasketch; the bands are bucketed with numpy, all at
once, rather than by datasketch's per-item insert and query); each candidate is then verified exactly by
*containment*, ``|A & B| / min(|A|, |B|)``, so an excerpt cut short still matches the full
one. Verified pairs are joined into groups (connected components).

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

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx
import numpy as np

from ..build import ARTICLE
from ..settings import SyndicationSettings
from .minhash import band_layout, signatures as minhash_signatures

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
    ids = sorted(node for node, kind in graph.nodes(data="kind") if kind == ARTICLE)
    copies: dict[frozenset[str], list[str]] = {}  # identical lede bigrams: one candidate
    for node in ids:
        attributes = graph.nodes[node]
        found = lede_shingles(str(attributes.get("excerpt") or ""), str(attributes.get("body") or ""))
        if len(found) >= settings.min_shingles:
            copies.setdefault(frozenset(found), []).append(node)
    classes = list(copies.values())
    sets = list(copies)
    # Providers of each class: one provider (not None) means its copies are not syndication of each other.
    only = [_single_provider(graph, members) for members in classes]
    matrix = minhash_signatures([[s.encode() for s in sorted(found)] for found in sets], num_perm=NUM_PERM, seed=seed)
    parent = list(range(len(classes)))
    joined = [only[index] is None and len(classes[index]) > 1 for index in range(len(classes))]

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for first, second in lsh_candidates(matrix):
        if only[first] is not None and only[first] == only[second]:
            continue
        if containment(sets[first], sets[second]) >= settings.min_containment:
            a, b = root(first), root(second)
            parent[max(a, b)] = min(a, b)
            joined[min(a, b)] = True
    components: dict[int, list[str]] = {}
    for index, members in enumerate(classes):
        components.setdefault(root(index), []).extend(members)
    groups = sorted((sorted(members) for top, members in components.items() if joined[top] and len(members) > 1),
                    key=lambda m: (-len(m), m[0]))
    return [_group(graph, number, members) for number, members in enumerate(groups)]


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


def lsh_candidates(signatures: np.ndarray, threshold: float = LSH_THRESHOLD) -> list[tuple[int, int]]:
    """Row pairs ``(i, j)``, ``i < j``, whose MinHash signatures agree on every value of some band.

    The bands are datasketch's (``MinHashLSH(threshold, num_perm)`` picks their number and
    width, :func:`.minhash.band_layout`, to balance false positives and negatives), so the pairs are exactly those its
    ``query`` would return; each band is bucketed by one ``numpy.unique`` over all rows.

    Parameters
    ----------
    signatures : numpy.ndarray, shape (n, num_perm)
        One MinHash signature per row.
    threshold : float
        The Jaccard similarity the bands are tuned for.

    Returns
    -------
    list of (int, int)
        Sorted, without repeats. A bucket of more than :data:`BUCKET_ALL_PAIRS` rows gives
        only the pairs with its first :data:`BUCKET_ANCHORS` rows (rows in one bucket agree on
        a whole band, so they are near-copies; the anchors connect them in linear work).

    Examples
    --------
    >>> rows = np.array([[1] * 128, [1] * 128, [2] * 128], dtype=np.uint64)
    >>> lsh_candidates(rows)
    [(0, 1)]
    """
    count, width = signatures.shape
    band_count, band_width = band_layout(threshold, width)
    found: list[np.ndarray] = []
    for band in range(band_count):
        _, bucket = np.unique(signatures[:, band * band_width:(band + 1) * band_width], axis=0, return_inverse=True)
        bucket = bucket.ravel()
        order = np.argsort(bucket, kind="stable")  # rows of one bucket together, ascending
        sizes = np.bincount(bucket)
        starts = np.concatenate([[0], np.cumsum(sizes)])
        for shared in np.flatnonzero(sizes > 1).tolist():
            rows = order[starts[shared]:starts[shared + 1]]
            if len(rows) <= BUCKET_ALL_PAIRS:
                first, second = np.triu_indices(len(rows), k=1)
            else:  # a huge bucket: every row with each of the first few, O(rows) pairs
                first, second = np.triu_indices(len(rows), k=1, m=len(rows))
                keep = first < BUCKET_ANCHORS
                first, second = first[keep], second[keep]
            found.append(rows[first] * count + rows[second])
    if not found:
        return []
    codes = np.unique(np.concatenate(found))
    return list(zip((codes // count).tolist(), (codes % count).tolist()))


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
