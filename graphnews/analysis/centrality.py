"""Centrality tables: which stories, providers and topics hold the coverage together.

Each table function takes the article graph built by :func:`graphnews.build_graph`,
projects it with :mod:`graphnews.analysis.projections`, runs the measures of
:mod:`graphnews.analysis.measures` (PageRank, betweenness, eigenvector/Katz: how each is
computed, sampled or replaced is documented there) and returns a :class:`Table` of plain
rows (no formatting; :mod:`graphnews.export.report` formats). The tables' notes say where a
measure was sampled or fell back.

Rows are sorted best first by the table's main measure (:data:`MAIN_MEASURE`), ties by id.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, cast, overload

import networkx as nx
import numpy as np

from ..build import ARTICLE, PROVIDER, PUBLISHED_BY, RELATED, TAGGED, TOPIC
from ..errors import UsageError
from ..reprs import html_table, to_pandas
from .measures import (
    BETWEENNESS_EXACT_MAX_NODES,
    BETWEENNESS_PIVOTS,
    betweenness,
    betweenness_of_edges,
    eigenvector,
    eigenvector_of_pairs,
    pagerank,
    pagerank_vector,
)
from .projections import ArticleLinks, article_links, edges_of_kind, provider_graph, topic_graph

KINDS = (ARTICLE, PROVIDER, TOPIC)
#: The measure each table is sorted by.
MAIN_MEASURE = {ARTICLE: "pagerank", PROVIDER: "weighted_degree", TOPIC: "weighted_degree"}
#: One value per node: a list (names) or a numpy array (measures).
Column = Sequence[object] | np.ndarray
#: What :func:`article_fields` gives to name an article, in column order.
ARTICLE_FIELDS = ("id", "title", "provider", "published", "link")
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
    rows: Sequence[dict[str, object]]
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
    pagerank_values = pagerank_vector(links.matrix())
    edges = np.column_stack((links.sources, links.targets))  # igraph reads the array: no tuple per edge
    between, sampled = betweenness_of_edges(nodes, edges, True, links.digraph, seed=seed, use_igraph=None)
    del edges
    eigen_name, eigen, eigen_note = eigenvector_of_pairs(nodes, links.sources, links.targets, links.digraph)
    related_in = np.bincount(links.targets, minlength=size)
    columns: dict[str, Column] = {name: [] for name in ARTICLE_FIELDS}
    for node in nodes:  # the descriptive columns as lists of the graph's own strings (~40 bytes a row)
        for name, value in fields(node).items():
            cast(list[object], columns[name]).append(value)
    columns.update({"related_in": related_in, "degree": related_in + np.bincount(links.sources, minlength=size),
                    "pagerank": pagerank_values, "betweenness": between, **({eigen_name: eigen} if eigen_name else {})})
    return Table(ARTICLE, list(columns), MeasureRows(columns, MAIN_MEASURE[ARTICLE]),
                 [note for note in (sampled, eigen_note) if note])


class MeasureRows(Sequence[dict[str, object]]):
    """A table's rows made from its columns as they are read, best first: no dict per row held at once.

    At a million articles a dict per row costs ~1 GB; the CSV writer, the top-N views and
    the graph annotation read the rows one after the other. Columns are lists or numpy
    arrays of one value per node, nodes in id order; the rows come in :func:`sort_rows`'
    order (``measure`` descending, missing last, ties by id).

    >>> rows = MeasureRows({"id": ["a", "b"], "pagerank": np.array([0.25, 0.75])}, "pagerank")
    >>> list(rows), rows[0]["id"], len(rows), rows == [{"id": "b", "pagerank": 0.75}, {"id": "a", "pagerank": 0.25}]
    ([{'id': 'b', 'pagerank': 0.75}, {'id': 'a', 'pagerank': 0.25}], 'b', 2, True)
    """

    #: Rows made at a time when iterating.
    BATCH = 1 << 16

    def __init__(self, columns: Mapping[str, Column], measure: str) -> None:
        self.columns = dict(columns)
        key = np.nan_to_num(np.asarray(self.columns[measure], dtype=float), nan=-np.inf)
        self.order = np.lexsort((np.arange(len(key)), -key))

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, object]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, object] | list[dict[str, object]]:
        if isinstance(index, slice):
            return self._rows(self.order[index])
        return self._rows(self.order[[index]])[0]

    def __iter__(self) -> Iterator[dict[str, object]]:
        for start in range(0, len(self.order), self.BATCH):
            yield from self._rows(self.order[start:start + self.BATCH])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def _rows(self, positions: np.ndarray) -> list[dict[str, object]]:
        picked = [values[positions].tolist() if isinstance(values, np.ndarray) else [values[p] for p in positions.tolist()]
                  for values in self.columns.values()]
        return [dict(zip(self.columns, cells)) for cells in zip(*picked)]


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
    for citing, listed in related:
        if publisher.get(listed) and publisher.get(citing) not in (None, publisher[listed]):
            cited.setdefault(publisher[listed], set()).add(listed)
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


def sort_rows(rows: Iterable[dict[str, object]], measure: str) -> list[dict[str, object]]:
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
