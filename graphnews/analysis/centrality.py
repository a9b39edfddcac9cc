"""Centrality tables: which stories, providers and topics hold the coverage together.

Each table function takes the article graph built by :func:`graphnews.build_graph`,
projects it with :mod:`graphnews.analysis.projections`, runs the measures and returns a
:class:`Table` of plain rows (no formatting; :mod:`graphnews.export.report` formats).

Measures
--------
* ``pagerank``: the power iteration of :func:`networkx.pagerank` (scipy), edge ``weight``,
  run on a sparse matrix built once from the projection's index arrays
  (:func:`pagerank_vector`; equal to networkx within 1e-12, ``tests/test_centrality.py``).
* ``betweenness``: normalised shortest-path betweenness on hop counts. Exact up to
  :data:`BETWEENNESS_EXACT_MAX_NODES` nodes; above it, estimated from
  :data:`BETWEENNESS_PIVOTS` source pivots drawn with ``random.Random(seed)`` (the same
  pivots and the same estimator as ``networkx.betweenness_centrality(k=..., seed=...)``),
  and the table's notes say so.
* ``eigenvector``: eigenvector centrality of the undirected article graph (scipy ARPACK,
  fixed start vector) on its largest connected component;
  when it does not converge, Katz centrality (``katz`` column) on graphs up to
  :data:`KATZ_MAX_NODES` nodes, else the column is left out. The notes say which.

When python-igraph is installed, betweenness runs on it (the slow measure: ~50x faster on
100,000 articles); networkx stays the reference and ``use_igraph=False`` forces it. The two
agree within floating-point tolerance (``tests/test_centrality.py``).

Rows are sorted best first by the table's main measure (:data:`MAIN_MEASURE`), ties by id.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from ..errors import UsageError
from ..build import ARTICLE, PROVIDER, PUBLISHED_BY, RELATED, TAGGED, TOPIC
from ..reprs import html_table, to_pandas
from .projections import ArticleLinks, article_links, edges_of_kind, provider_graph, topic_graph

#: Above this many nodes betweenness is sampled instead of exact (exact is O(V*E)).
BETWEENNESS_EXACT_MAX_NODES = 5_000
#: Source pivots used for sampled betweenness.
BETWEENNESS_PIVOTS = 256
#: Katz (the eigenvector fallback) runs pure-Python power iteration: only on small graphs.
KATZ_MAX_NODES = 5_000
EIGENVECTOR_MAX_ITER = 1_000
PAGERANK_ALPHA = 0.85
PAGERANK_MAX_ITER = 100
PAGERANK_TOL = 1.0e-6
KINDS = (ARTICLE, PROVIDER, TOPIC)
#: The measure each table is sorted by.
MAIN_MEASURE = {ARTICLE: "pagerank", PROVIDER: "weighted_degree", TOPIC: "weighted_degree"}
#: Columns that describe a node rather than measure it.
DESCRIPTIVE_COLUMNS = frozenset({"id", "title", "name", "provider", "published", "link", "domain", "why",
                                 # the coverage tables' text columns (graphnews.export.coverage_report)
                                 "story", "headline", "first_published", "first_provider", "outlets", "wire", "kind",
                                 "other", "leader", "follower", "leader_name", "follower_name", "camp_label", "missed_by"})


@dataclass
class Table:
    """Rows of one kind of node with their measures: plain data, no formatting.

    ``columns`` fixes the column order for every output format; ``rows`` are sorted best
    first by the main measure, ties by id; ``notes`` say how the measures were computed
    where that matters (sampling, fallbacks).
    """

    kind: str
    columns: list[str]
    rows: list[dict[str, object]]
    notes: list[str] = field(default_factory=list)

    @property
    def measures(self) -> list[str]:
        """The numeric columns, in column order."""
        return [column for column in self.columns if column not in DESCRIPTIVE_COLUMNS]

    def __repr__(self) -> str:
        return f"Table({self.kind!r}, {len(self.rows):,} rows, columns={self.columns!r})"

    def _repr_html_(self) -> str:
        """The first rows as an HTML table (Jupyter)."""
        return html_table(f"{self.kind} table", self.columns, self.rows, len(self.rows)) + "".join(
            f"<p><em>{escape(note)}</em></p>" for note in self.notes)

    def to_records(self) -> list[dict[str, object]]:
        """The rows as dicts with every column (missing values None), best first."""
        return [{column: row.get(column) for column in self.columns} for row in self.rows]

    def to_pandas(self) -> Any:
        """The rows as a :class:`pandas.DataFrame` (pandas is optional)."""
        return to_pandas(self.to_records(), self.columns)


def betweenness(graph: nx.Graph, *, seed: int = 0, use_igraph: bool | None = None) -> tuple[dict[str, float], str | None]:
    """Normalised betweenness of every node, exact or sampled by graph size.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Edges are hops (weights ignored: a heavier link is a stronger tie, not a longer one).
    seed : int
        Seed of the pivot sample (used only above :data:`BETWEENNESS_EXACT_MAX_NODES`).
    use_igraph : bool or None
        Run on python-igraph; None means "when installed".

    Returns
    -------
    (dict, str or None)
        Betweenness by node, and a note when it was sampled.

    Examples
    --------
    >>> values, note = betweenness(nx.path_graph(["a", "b", "c"]))
    >>> values, note
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, None)
    """
    nodes = list(graph.nodes)
    index = {node: position for position, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges()]
    return _betweenness(nodes, edges, graph.is_directed(), lambda: graph, seed=seed, use_igraph=use_igraph)


def _betweenness(nodes: list[str], edges: list[tuple[int, int]], directed: bool, networkx_graph: Callable[[], nx.Graph],
                 *, seed: int, use_igraph: bool | None) -> tuple[dict[str, float], str | None]:
    """:func:`betweenness` of a graph given as nodes and index pairs; ``networkx_graph`` builds it for networkx."""
    pivots = None
    note = None
    if len(nodes) > BETWEENNESS_EXACT_MAX_NODES:
        pivots = random.Random(seed).sample(nodes, BETWEENNESS_PIVOTS)
        note = (f"betweenness sampled with k={BETWEENNESS_PIVOTS} pivots (seed {seed}) "
                f"above {BETWEENNESS_EXACT_MAX_NODES:,} nodes")
    if _igraph_wanted(use_igraph):
        return _normalise(_igraph_betweenness(nodes, edges, directed, pivots), len(nodes), pivots), note
    sample = None if pivots is None else len(pivots)
    return nx.betweenness_centrality(networkx_graph(), k=sample, normalized=True, seed=random.Random(seed)), note


def _igraph_wanted(use_igraph: bool | None) -> bool:
    if use_igraph is False:
        return False
    try:
        import igraph  # noqa: F401
    except ImportError:
        if use_igraph:
            raise
        return False
    return True


def _igraph_betweenness(nodes: list[str], edges: list[tuple[int, int]], directed: bool,
                        pivots: list[str] | None) -> dict[str, float]:
    """Betweenness over ordered (source, target) pairs, from all sources or ``pivots``."""
    import igraph

    index = {node: position for position, node in enumerate(nodes)}
    converted = igraph.Graph(n=len(nodes), edges=edges, directed=directed)
    sources = None if pivots is None else [index[node] for node in pivots]
    values = converted.betweenness(directed=directed, sources=sources)
    factor = 1 if directed else 2  # igraph halves undirected counts; work on ordered pairs
    return {node: value * factor for node, value in zip(nodes, values)}


def _normalise(raw: dict[str, float], n: int, pivots: list[str] | None) -> dict[str, float]:
    """Scale ordered-pair counts to [0, 1] the way networkx does (``normalized=True``)."""
    pairs = n - 1  # targets a path through v can end at (v itself excluded)
    if pairs < 2:
        return {node: 0.0 for node in raw}
    if pivots is None:
        return {node: value / (pairs * (pairs - 1)) for node, value in raw.items()}
    k = len(pivots)
    sampled = set(pivots)
    source_scale = 1 / ((k - 1) * (pairs - 1)) if k > 1 else 0.0
    other_scale = 1 / (k * (pairs - 1))
    return {node: value * (source_scale if node in sampled else other_scale) for node, value in raw.items()}


def pagerank(graph: nx.Graph) -> dict[str, float]:
    """PageRank on edge ``weight`` (0 for every node of an empty graph).

    Examples
    --------
    >>> star = nx.DiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    >>> max(pagerank(star).items(), key=lambda item: item[1])[0]
    'hub'
    """
    nodes = list(graph)
    if not nodes:
        return {}
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", dtype=float)
    return dict(zip(nodes, pagerank_vector(matrix).tolist()))


def pagerank_vector(matrix: sp.sparray) -> np.ndarray:
    """PageRank of each row of a weighted adjacency matrix (row = source): networkx's scipy power iteration.

    The same steps as ``networkx.pagerank`` (alpha 0.85, uniform teleport and dangling
    weights, L1 tolerance ``n * 1e-6``, at most 100 iterations), on a matrix the caller
    builds once, so a 100,000-article graph takes about a second instead of a conversion.

    Parameters
    ----------
    matrix : scipy sparse array, shape (n, n)
        Edge weights; a row without weight is a dangling node.

    Returns
    -------
    numpy.ndarray
        The PageRank vector (sums to 1).

    Examples
    --------
    >>> star = sp.csr_array(np.array([[0.0, 1.0], [0.0, 0.0]]))
    >>> [round(value, 3) for value in pagerank_vector(star).tolist()]
    [0.351, 0.649]
    """
    size = matrix.shape[0]
    if size == 0:
        return np.zeros(0)
    out_weight = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.zeros(size)
    scale[out_weight != 0] = 1.0 / out_weight[out_weight != 0]
    transition = (sp.dia_array((scale[np.newaxis, :], 0), shape=(size, size)).tocsr() @ matrix).tocsr()
    uniform = np.repeat(1.0 / size, size)
    dangling = np.where(out_weight == 0)[0]
    x = uniform
    for _ in range(PAGERANK_MAX_ITER):
        previous = x
        x = PAGERANK_ALPHA * (x @ transition + x[dangling].sum() * uniform) + (1 - PAGERANK_ALPHA) * uniform
        if np.absolute(x - previous).sum() < size * PAGERANK_TOL:
            return x
    raise nx.PowerIterationFailedConvergence(PAGERANK_MAX_ITER)


def eigenvector(graph: nx.Graph) -> tuple[str | None, dict[str, float], str]:
    """Eigenvector centrality of the undirected graph, or Katz when it does not converge.

    Eigenvector centrality is defined on one connected component: it is computed on the
    largest (ties: the one with the smallest node id) and is 0 elsewhere. Katz uses
    ``alpha = 0.9 / max degree``, below 1/largest eigenvalue, so it always converges.

    Returns
    -------
    (str or None, dict, str)
        The measure's column name (``eigenvector``, ``katz`` or None when neither could
        be computed), its values, and a note saying which.

    Examples
    --------
    >>> name, values, note = eigenvector(nx.star_graph(3))
    >>> name, max(values, key=values.get)
    ('eigenvector', 0)
    """
    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, dtype=float)
    return _eigenvector(nodes, matrix, lambda: graph)


def _eigenvector(nodes: list[str], matrix: sp.sparray,
                 networkx_graph: Callable[[], nx.Graph]) -> tuple[str | None, dict[str, float], str]:
    """:func:`eigenvector` of a graph given as its 0/1 adjacency matrix; ``networkx_graph`` builds it for Katz."""
    undirected = ((matrix + matrix.T) != 0).astype(float).tocsr()  # symmetric 0/1
    failure = "no edges"
    if undirected.nnz > 0:
        _, labels = connected_components(undirected, directed=False)
        sizes = np.bincount(labels)
        largest = np.flatnonzero(sizes == sizes.max())
        smallest_id: dict[int, str] = {}
        for node, label in zip(nodes, labels.tolist()):
            if sizes[label] == sizes.max():
                smallest_id[label] = min(smallest_id.get(label, str(node)), str(node))
        chosen = min(largest.tolist(), key=smallest_id.__getitem__)
        members = np.flatnonzero(labels == chosen)
        values = dict.fromkeys(nodes, 0.0)
        try:
            vector = _leading_eigenvector(undirected[members][:, members])
            values.update(zip([nodes[i] for i in members.tolist()], vector.tolist()))
            return "eigenvector", values, (f"eigenvector: on the largest connected component ({len(members):,} "
                                           f"of {len(values):,} nodes; 0 elsewhere)")
        except (ArpackNoConvergence, ArithmeticError, ValueError) as error:
            failure = type(error).__name__
    if 0 < len(nodes) <= KATZ_MAX_NODES:
        graph = networkx_graph()
        undirected_graph = graph.to_undirected(as_view=True) if graph.is_directed() else graph
        alpha = 0.9 / max(1, max(degree for _, degree in undirected_graph.degree()))
        values = nx.katz_centrality(undirected_graph, alpha=alpha, max_iter=EIGENVECTOR_MAX_ITER)
        return "katz", values, f"katz: eigenvector centrality failed ({failure}); Katz with alpha={alpha:.6g} instead"
    return None, {}, f"eigenvector centrality failed ({failure}); column left out"


def _leading_eigenvector(matrix: sp.sparray) -> np.ndarray:
    """Unit-norm leading eigenvector of a connected graph's symmetric adjacency matrix (scipy ARPACK).

    The start vector is fixed (all ones), so repeated runs give identical floats.
    """
    size = matrix.shape[0]
    if size < 3:  # ARPACK needs k < n; a 2-node component is symmetric
        return np.full(size, 1 / math.sqrt(size))
    _, vectors = eigsh(matrix, k=1, which="LA", v0=np.ones(size), maxiter=EIGENVECTOR_MAX_ITER)
    vector = np.abs(vectors[:, 0])
    return vector / np.linalg.norm(vector)


def article_fields(graph: nx.Graph, article: str) -> dict[str, object]:
    """What a report shows to name an article: id, title, provider display name, date, link.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("provider:a.com", kind="provider", label="A")
    >>> g.add_node("article:a.com/1", kind="article", title="One", provider="provider:a.com")
    >>> article_fields(g, "article:a.com/1")
    {'id': 'article:a.com/1', 'title': 'One', 'provider': 'A', 'published': '', 'link': ''}
    """
    data = graph.nodes[article]
    provider = data.get("provider")
    name = graph.nodes[provider].get("label", provider) if provider in graph else provider
    return {
        "id": article,
        "title": data.get("title") or data.get("label") or "",
        "provider": name or "",
        "published": data.get("published", ""),
        "link": data.get("link", ""),
    }


def article_table(graph: nx.MultiDiGraph, *, seed: int = 0) -> Table:
    """Articles with related in-degree, degree, PageRank, betweenness and eigenvector/Katz.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The graph of :func:`graphnews.build_graph` (or read back by ``read_graph``).
    seed : int
        Seed for sampled betweenness.

    Returns
    -------
    Table
        One row per article, best PageRank first. ``related_in`` counts the articles that
        list it as related; ``degree`` counts its related links in both directions.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["article:a", "article:b", "article:c"], kind="article")
    >>> for source in ("article:a", "article:b"):
    ...     _ = g.add_edge(source, "article:c", key="related", kind="related", weight=1.0)
    >>> table = article_table(g)
    >>> [(row["id"], row["related_in"]) for row in table.rows]
    [('article:c', 2), ('article:a', 0), ('article:b', 0)]
    """
    return article_links_table(article_links(graph, (RELATED,)), lambda node: article_fields(graph, node), seed=seed)


def article_links_table(links: ArticleLinks, fields: Callable[[str], dict[str, object]], *, seed: int = 0) -> Table:
    """:func:`article_table` from the ``related`` projection as index arrays; ``fields(id)`` names each article.

    The array-level core, shared with the Parquet path (:mod:`graphnews.tables`), which
    builds :class:`~.projections.ArticleLinks` straight from the edge table.
    """
    nodes, size = links.nodes, len(links.nodes)
    matrix = links.matrix()
    ranks = pagerank_vector(matrix).tolist()
    edges = list(zip(links.sources.tolist(), links.targets.tolist()))
    between, sampled = _betweenness(nodes, edges, True, links.digraph, seed=seed, use_igraph=None)
    structure = sp.csr_array((np.ones(len(edges)), (links.sources, links.targets)), shape=(size, size))
    eigen_name, eigen, eigen_note = _eigenvector(nodes, structure, links.digraph)
    related_in = np.bincount(links.targets, minlength=size).tolist()
    related_out = np.bincount(links.sources, minlength=size).tolist()
    columns = ["id", "title", "provider", "published", "link", "related_in", "degree", "pagerank", "betweenness"]
    columns += [eigen_name] if eigen_name else []
    rows = []
    for position, node in enumerate(nodes):
        row = {
            **fields(node),
            "related_in": related_in[position],
            "degree": related_in[position] + related_out[position],
            "pagerank": ranks[position],
            "betweenness": between.get(node, 0.0),
        }
        if eigen_name:
            row[eigen_name] = eigen.get(node, 0.0)
        rows.append(row)
    return Table(ARTICLE, columns, sort_rows(rows, MAIN_MEASURE[ARTICLE]), [note for note in (sampled, eigen_note) if note])


def provider_table(graph: nx.MultiDiGraph, *, seed: int = 0) -> Table:
    """Providers on the co-coverage graph, with counts of what they published.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The article graph.
    seed : int
        Seed for sampled betweenness.

    Returns
    -------
    Table
        One row per provider, highest weighted degree first: ``articles`` published,
        ``cited_by_others`` (its articles listed as related by another provider's article),
        ``topics`` (distinct topics of its articles), ``weighted_degree`` (related links to
        and from other providers), ``pagerank`` and ``betweenness`` on the co-coverage graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["provider:a.com", "provider:b.com"], kind="provider")
    >>> g.add_nodes_from(["article:a.com/1", "article:b.com/1"], kind="article")
    >>> _ = g.add_edge("article:a.com/1", "provider:a.com", key="published_by")
    >>> _ = g.add_edge("article:b.com/1", "provider:b.com", key="published_by")
    >>> _ = g.add_edge("article:a.com/1", "article:b.com/1", key="related", weight=1.0)
    >>> [(row["id"], row["cited_by_others"], row["weighted_degree"]) for row in provider_table(g).rows]
    [('provider:a.com', 0, 1), ('provider:b.com', 1, 1)]
    """
    publisher = [(article, provider) for article, provider, _ in edges_of_kind(graph, PUBLISHED_BY)]
    related = [(source, target) for source, target, _ in edges_of_kind(graph, RELATED)]
    tagged = [(source, target) for source, target, _ in edges_of_kind(graph, TAGGED)]
    return provider_links_table(provider_graph(graph), lambda node: graph.nodes[node], publisher, tagged, related, seed=seed)


def provider_links_table(providers: nx.Graph, data: Callable[[str], Mapping[str, object]],
                         published_by: Iterable[tuple[Hashable, str]], tagged: Iterable[tuple[Hashable, str]],
                         related: Iterable[tuple[Hashable, Hashable]], *, seed: int = 0) -> Table:
    """:func:`provider_table` from the co-coverage projection and the edges as pairs (articles: any hashable).

    ``data(provider id)`` gives the provider's node attributes (``label``, ``domain``).
    Shared with the Parquet path (:mod:`graphnews.tables`).
    """
    ranks = pagerank(providers)
    between, sampled = betweenness(providers, seed=seed)
    publisher: dict[Hashable, str] = {}
    articles: dict[str, int] = {}
    topics: dict[str, set[str]] = {}
    cited: dict[str, set[Hashable]] = {}
    for article, provider in published_by:
        publisher[article] = provider
        articles[provider] = articles.get(provider, 0) + 1
    for source, target in tagged:
        if source in publisher:
            topics.setdefault(publisher[source], set()).add(target)
    for source, target in related:
        if publisher.get(target) and publisher.get(source) not in (None, publisher[target]):
            cited.setdefault(publisher[target], set()).add(target)
    rows = []
    for node in providers:
        attributes = data(node)
        rows.append({
            "id": node,
            "name": attributes.get("label", node),
            "domain": attributes.get("domain", ""),
            "articles": articles.get(node, 0),
            "cited_by_others": len(cited.get(node, ())),
            "topics": len(topics.get(node, ())),
            "weighted_degree": providers.degree(node, weight="weight"),
            "pagerank": ranks.get(node, 0.0),
            "betweenness": between.get(node, 0.0),
        })
    columns = ["id", "name", "domain", "articles", "cited_by_others", "topics", "weighted_degree", "pagerank", "betweenness"]
    return Table(PROVIDER, columns, sort_rows(rows, MAIN_MEASURE[PROVIDER]), [sampled] if sampled else [])


def topic_table(graph: nx.MultiDiGraph, *, seed: int = 0) -> Table:
    """Topics on the co-occurrence graph (weight = articles tagged with both).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The article graph.
    seed : int
        Unused (no topic measure is random); taken so every table function is called alike.

    Returns
    -------
    Table
        One row per topic, highest weighted degree first: ``articles`` tagged with it,
        ``weighted_degree`` (co-occurrences with other topics) and ``pagerank``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["topic:x", "topic:y", "topic:z"], kind="topic")
    >>> g.add_node("article:1", kind="article")
    >>> _ = g.add_edge("article:1", "topic:x", key="tagged")
    >>> _ = g.add_edge("article:1", "topic:y", key="tagged")
    >>> [(row["id"], row["weighted_degree"]) for row in topic_table(g).rows]
    [('topic:x', 1), ('topic:y', 1), ('topic:z', 0)]
    """
    return topic_links_table(topic_graph(graph), lambda node: graph.nodes[node])


def topic_links_table(topics: nx.Graph, data: Callable[[str], Mapping[str, object]]) -> Table:
    """:func:`topic_table` from the co-occurrence projection; ``data(topic id)`` gives its attributes (``label``)."""
    ranks = pagerank(topics)
    rows = [
        {
            "id": node,
            "name": data(node).get("label", node),
            "articles": topics.nodes[node]["articles"],
            "weighted_degree": topics.degree(node, weight="weight"),
            "pagerank": ranks.get(node, 0.0),
        }
        for node in topics
    ]
    return Table(TOPIC, ["id", "name", "articles", "weighted_degree", "pagerank"], sort_rows(rows, MAIN_MEASURE[TOPIC]))


TABLE_FUNCTIONS = {ARTICLE: article_table, PROVIDER: provider_table, TOPIC: topic_table}


def centrality_tables(graph: nx.MultiDiGraph, kinds: Iterable[str] = KINDS, *, seed: int = 0) -> dict[str, Table]:
    """The tables of ``kinds`` (``article``, ``provider``, ``topic``), in that order.

    >>> sorted(centrality_tables(nx.MultiDiGraph(), ("topic", "provider")))
    ['provider', 'topic']
    """
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise UsageError(f"unknown table kind(s): {', '.join(sorted(unknown))}")
    return {kind: TABLE_FUNCTIONS[kind](graph, seed=seed) for kind in KINDS if kind in wanted}


def sort_rows(rows: list[dict[str, object]], measure: str) -> list[dict[str, object]]:
    """Rows by ``measure`` descending, ties by id (missing values last)."""
    return sorted(rows, key=lambda row: (-_number(row.get(measure)), str(row["id"])))


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not math.isnan(value) else -math.inf


def select(table: Table, measures: Iterable[str] = (), top: int | None = None) -> Table:
    """A view of ``table``: only the chosen measures (sorted by the first), the ``top`` rows.

    Parameters
    ----------
    table : Table
        A table from :func:`centrality_tables`.
    measures : iterable of str
        Measure columns to keep, in order; the first becomes the sort key. Empty keeps
        every measure and the table's own order.
    top : int or None
        Keep only the first ``top`` rows.

    Returns
    -------
    Table
        A new table (``table`` is not changed). Unknown measures raise :class:`~graphnews.errors.UsageError`.

    Examples
    --------
    >>> t = Table("topic", ["id", "articles", "pagerank"], [{"id": "a", "articles": 1, "pagerank": 0.7},
    ...                                                     {"id": "b", "articles": 2, "pagerank": 0.3}])
    >>> view = select(t, ["articles"], top=1)
    >>> view.columns, view.rows
    (['id', 'articles'], [{'id': 'b', 'articles': 2}])
    """
    measures = list(measures)
    unknown = [measure for measure in measures if measure not in table.measures]
    if unknown:
        raise UsageError(f"{', '.join(unknown)} (a {table.kind} table has {', '.join(table.measures)})")
    columns = table.columns if not measures else [c for c in table.columns if c in DESCRIPTIVE_COLUMNS] + measures
    rows = sort_rows(table.rows, measures[0]) if measures else table.rows
    rows = [{column: row[column] for column in columns if column in row} for row in rows[:top]]
    return Table(table.kind, columns, rows, list(table.notes))


__all__ = [
    "BETWEENNESS_EXACT_MAX_NODES", "BETWEENNESS_PIVOTS", "Table", "article_table", "betweenness",
    "article_links_table", "provider_links_table", "topic_links_table",
    "article_fields", "centrality_tables", "eigenvector", "pagerank", "pagerank_vector", "provider_table", "select", "topic_table",
]
