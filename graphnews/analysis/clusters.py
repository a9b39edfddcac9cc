"""Story clusters: communities of articles that tell one story, across outlets.

:func:`enrich` adds the content links (``similar``, ``syndicated``, ``cites``) to the
graph; :func:`find_clusters` then builds a weighted, undirected article graph from

* ``related`` links (weight ``related``; both directions add up),
* ``similar`` links (weight ``similar`` times the cosine score),
* ``syndicated`` links (weight ``syndicated``),
* shared topics, lightly and IDF-weighted (``topic * log(N / df) / log(N)`` per shared
  topic: a topic every article has, like "Election", adds nothing; topics on more than
  ``max_topic_articles`` articles are skipped so the pairs stay few),
* shared provider (``provider``, 0 by default: an outlet covers many stories),

runs Louvain (networkx) or Leiden (igraph) with a fixed seed, and reports
each community as a :class:`Cluster`. Every article gets exactly one cluster (the node
attribute ``cluster``), singletons included.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, fields
from itertools import combinations

import networkx as nx
import numpy as np
import scipy.sparse as sp
import yaml

from ..build import ARTICLE, RELATED, SIMILAR, SYNDICATED, TAGGED
from ..errors import GraphnewsError
from .citations import add_cites_edges
from .similarity import TextModel, add_similar_edges, similar_pairs, text_model
from .syndication import add_syndicated_edges, syndication_groups

METHODS = ("auto", "louvain", "leiden")
LABEL_WORDS = 4


class ConfigError(GraphnewsError):
    """A cluster configuration file that cannot be used."""


@dataclass
class ClusterConfig:
    """Edge weights and settings of the clustering (defaults documented in the README).

    related: weight of a related link; similar: multiplies the cosine score of a similar
    link; syndicated: weight of a wire-copy link; topic: weight of a shared topic (times its
    normalised IDF); provider: weight of a shared provider; resolution: Louvain/Leiden
    resolution (higher, smaller clusters); min_similarity / top_k: which similar links are
    made; max_topic_articles: topics (and providers) on more articles link no pairs.
    """

    related: float = 1.0
    similar: float = 2.0
    syndicated: float = 2.0
    topic: float = 0.1
    provider: float = 0.0
    resolution: float = 1.0
    min_similarity: float = 0.25
    top_k: int = 10
    max_topic_articles: int = 200


def config_from_mapping(values: dict[str, object], where: str = "config") -> ClusterConfig:
    """A :class:`ClusterConfig` from a mapping; unknown keys and bad values raise :class:`ConfigError`."""
    config = ClusterConfig()
    types = {field.name: type(getattr(config, field.name)) for field in fields(ClusterConfig)}
    for key, value in values.items():
        if key not in types:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(types)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or \
                (types[key] is int and not float(value).is_integer()):
            raise ConfigError(f"{where}: {key} must be a non-negative {types[key].__name__}, not {value!r}")
        setattr(config, key, types[key](value))
    return config


def load_cluster_config(path: str) -> ClusterConfig:
    """Read a YAML mapping of :class:`ClusterConfig` fields (safe loader; missing keys keep defaults)."""
    try:
        with open(path, encoding="utf-8") as handle:
            values = yaml.safe_load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ConfigError(f"{path}:{mark.line + 1 if mark else '?'}: not valid YAML") from None
    if values is None:
        return ClusterConfig()
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, not {type(values).__name__}")
    return config_from_mapping(values, path)


@dataclass
class Cluster:
    """One story cluster (see the module docstring); ``providers`` are (display name, articles)."""

    id: int
    size: int
    label: str
    lead: str
    lead_title: str
    start: str | None
    end: str | None
    providers: list[tuple[str, int]]
    topics: list[str]
    syndication: list[int]
    members: list[str]


@dataclass
class ClusterResult:
    """Clusters of at least ``min_size`` articles (largest first), modularity, method and seed."""

    clusters: list[Cluster]
    modularity: float
    method: str
    seed: int


def enrich(graph: nx.MultiDiGraph, config: ClusterConfig | None = None, *,
           model: TextModel | None = None) -> dict[str, int]:
    """Add ``similar``, ``syndicated`` and ``cites`` edges to ``graph``; returns their counts by kind."""
    config = config or ClusterConfig()
    pairs = similar_pairs(graph, threshold=config.min_similarity, top_k=config.top_k, model=model)
    return {
        SIMILAR: add_similar_edges(graph, pairs),
        SYNDICATED: add_syndicated_edges(graph, syndication_groups(graph)),
        "cites": add_cites_edges(graph),
    }


def _add_weight(links: dict[tuple[str, str], float], a: str, b: str, weight: float) -> None:
    """Add ``weight`` to the undirected link a-b (kept in first-seen order, as ``nx.Graph`` would)."""
    if a == b or weight <= 0:
        return
    pair = (a, b) if a < b else (b, a)
    links[pair] = links.get(pair, 0.0) + weight


def _add_shared(links: dict[tuple[str, str], float], total: int, groups: dict[str, list[str]], weight: float,
                cap: int) -> None:
    """Link articles that share a group (a topic, a provider) with an IDF-weighted ``weight``."""
    if weight <= 0 or total < 2:
        return
    for members in groups.values():
        if 2 <= len(members) <= cap:
            idf = math.log(total / len(members)) / math.log(total)
            for a, b in combinations(sorted(members), 2):
                _add_weight(links, a, b, weight * idf)


def weighted_article_graph(graph: nx.MultiDiGraph, config: ClusterConfig) -> nx.Graph:
    """The undirected article graph clustering runs on (weights in the module docstring)."""
    weighted = nx.Graph()
    weighted.add_nodes_from(sorted(node for node, kind in graph.nodes(data="kind") if kind == ARTICLE))
    factors = {RELATED: config.related, SIMILAR: config.similar, SYNDICATED: config.syndicated}
    topics: dict[str, list[str]] = {}
    providers: dict[str, list[str]] = {}
    links: dict[tuple[str, str], float] = {}
    for source, target, key, weight in graph.edges(keys=True, data="weight", default=1.0):
        if key in factors and source in weighted and target in weighted:
            _add_weight(links, source, target, factors[key] * (weight if key == SIMILAR else 1.0))
        elif key == TAGGED and source in weighted:
            topics.setdefault(target, []).append(source)
    for node in weighted:
        if graph.nodes[node].get("provider"):
            providers.setdefault(str(graph.nodes[node]["provider"]), []).append(node)
    total = weighted.number_of_nodes()
    _add_shared(links, total, topics, config.topic, config.max_topic_articles)
    _add_shared(links, total, providers, config.provider, config.max_topic_articles)
    weighted.add_weighted_edges_from((a, b, weight) for (a, b), weight in links.items())
    return weighted


def leiden_available() -> bool:
    """Whether igraph, which carries the Leiden algorithm, can be imported (the ``[fast]`` extra)."""
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def communities(weighted: nx.Graph, method: str, seed: int, resolution: float) -> list[set[str]]:
    """Communities of ``weighted`` by Louvain (networkx) or Leiden (igraph), seeded.

    igraph's own Leiden (modularity objective, two iterations) is used rather than the
    leidenalg package: on a 14,000-article graph with 390,000 weighted links it took 0.3 s
    against leidenalg's 5.3 s, for the same modularity (0.203 vs 0.201).
    """
    if method == "louvain":
        return nx.community.louvain_communities(weighted, weight="weight", resolution=resolution, seed=seed)
    import igraph

    nodes = list(weighted)
    index = {node: number for number, node in enumerate(nodes)}
    edges = sorted((min(index[a], index[b]), max(index[a], index[b]), w) for a, b, w in weighted.edges(data="weight"))
    converted = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    converted.es["weight"] = [w for _, _, w in edges]
    igraph.set_random_number_generator(random.Random(seed))  # igraph draws from this; seeded for repeatable runs
    try:
        partition = converted.community_leiden(objective_function="modularity", weights="weight",
                                               resolution=resolution, n_iterations=2)
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[member] for member in community} for community in partition]


def cluster_labels(model: TextModel, groups: list[list[str]], words: int = LABEL_WORDS) -> list[str]:
    """Top distinctive keywords of each group: the highest mean TF-IDF terms (ties by term)."""
    if not model.terms.size:
        return ["" for _ in groups]
    row_of = {node: row for row, node in enumerate(model.ids)}
    rows = [row_of[node] for group in groups for node in group]
    columns = [number for number, group in enumerate(groups) for _ in group]
    indicator = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (columns, rows)), shape=(len(groups), len(model.ids)))
    sums = (indicator @ model.matrix).tocsr()
    labels = []
    for number in range(len(groups)):
        lo, hi = sums.indptr[number], sums.indptr[number + 1]
        terms = model.terms[sums.indices[lo:hi]]
        order = np.lexsort((terms, -sums.data[lo:hi]))[:words]
        labels.append(" ".join(str(term) for term in terms[order]))
    return labels


def find_clusters(graph: nx.MultiDiGraph, config: ClusterConfig | None = None, *, method: str = "auto",
                  seed: int = 0, min_size: int = 1, model: TextModel | None = None) -> ClusterResult:
    """Cluster the articles of ``graph`` into stories; sets the node attribute ``cluster``.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The article graph, usually after :func:`enrich` (without it only related links
        and topics count).
    config : ClusterConfig, optional
        Weights and resolution (defaults: :class:`ClusterConfig`).
    method : {"auto", "louvain", "leiden"}
        "auto" is Leiden when igraph is installed, else Louvain.
    seed : int
        Seed of the community detection: the same seed gives the same clusters.
    min_size : int
        Smallest cluster reported (every article still gets a ``cluster`` attribute).

    Returns
    -------
    ClusterResult
        Clusters largest first (ties by smallest member id), ``id`` 0 the largest.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from("abcd", kind="article")
    >>> _ = g.add_edge("a", "b", key="related", weight=1.0)
    >>> _ = g.add_edge("c", "d", key="related", weight=1.0)
    >>> result = find_clusters(g, method="louvain")
    >>> [cluster.members for cluster in result.clusters], g.nodes["c"]["cluster"]
    ([['a', 'b'], ['c', 'd']], 1)
    """
    if method not in METHODS:
        raise GraphnewsError(f"unknown clustering method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "leiden" and not leiden_available():
        raise GraphnewsError("method leiden needs the optional package igraph (pip install graphnews[fast])")
    config = config or ClusterConfig()
    chosen = method if method != "auto" else ("leiden" if leiden_available() else "louvain")
    weighted = weighted_article_graph(graph, config)
    found = communities(weighted, chosen, seed, config.resolution) if weighted.number_of_nodes() else []
    groups = sorted((sorted(group) for group in found), key=lambda members: (-len(members), members[0]))
    modularity = (nx.community.modularity(weighted, groups, weight="weight", resolution=config.resolution)
                  if weighted.number_of_edges() else 0.0)
    for number, members in enumerate(groups):
        for node in members:
            graph.nodes[node]["cluster"] = number
    numbered = [(number, members) for number, members in enumerate(groups) if len(members) >= min_size]
    labels = cluster_labels(model or text_model(graph), [members for _, members in numbered])
    rank = nx.pagerank(weighted, weight="weight") if weighted.number_of_edges() else {}
    clusters = [describe(graph, number, members, label, rank) for (number, members), label in zip(numbered, labels)]
    return ClusterResult(clusters, round(float(modularity), 6), chosen, seed)


def describe(graph: nx.MultiDiGraph, number: int, members: list[str], label: str, rank: dict[str, float]) -> Cluster:
    """The :class:`Cluster` row of one community."""
    nodes = graph.nodes
    lead = min(members, key=lambda node: (-rank.get(node, 0.0), node))
    dates = sorted(str(nodes[node]["published"]) for node in members if nodes[node].get("published"))
    providers = Counter(str(nodes[nodes[node]["provider"]].get("label") or nodes[node]["provider"])
                        if nodes[node].get("provider") in nodes else str(nodes[node].get("provider"))
                        for node in members if nodes[node].get("provider"))
    topics = Counter(topic for node in members for topic in nodes[node].get("topics") or ())
    syndication = sorted({int(nodes[node]["syndication"]) for node in members if "syndication" in nodes[node]})
    return Cluster(
        id=number, size=len(members), label=label, lead=lead,
        lead_title=str(nodes[lead].get("title") or nodes[lead].get("label") or lead),
        start=dates[0] if dates else None, end=dates[-1] if dates else None,
        providers=sorted(providers.items(), key=lambda item: (-item[1], item[0])),
        topics=[topic for topic, _ in sorted(topics.items(), key=lambda item: (-item[1], item[0]))],
        syndication=syndication, members=members,
    )
