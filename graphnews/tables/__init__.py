"""Analysis straight from the Parquet tables of ``graphnews build --engine dask``, without an article graph.

:func:`load_tables` reads the node and edge tables (only the columns the measures and
reports need) into integer-indexed arrays: articles sorted by id, ``related`` links as
index arrays (:class:`~graphnews.analysis.projections.ArticleLinks`). The measures are
the same code as the networkx path: :func:`~graphnews.analysis.centrality.article_links_table`
(PageRank on a scipy sparse matrix, betweenness on igraph, eigenvector with ARPACK),
:func:`~graphnews.analysis.centrality.provider_links_table` and
:func:`~graphnews.analysis.centrality.topic_links_table` on the provider and topic
projections (small graphs: one node per provider or topic). HTML pages are drawn from a
graph of only the nodes a page shows (:func:`page_graph`, a few thousand at most).

Not here yet: story clusters and similar/syndicated/cites edges. A stories stage plugs in
as a function of :class:`Tables` returning per-article cluster labels, which
:func:`page_graph` would copy onto nodes as the networkx path does (``cluster``,
``cluster_label``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from ..analysis.centrality import (
    KINDS,
    Table,
    annotate,
    article_fields,
    article_links_table,
    provider_links_table,
    topic_links_table,
)
from ..analysis.projections import ArticleLinks, provider_projection, topic_projection
from ..build import ARTICLE, PROVIDER, PUBLISHED_BY, RELATED, TAGGED, TOPIC
from ..distributed import schema
from ..distributed.sources import filesystem

#: Node columns the tables path reads (not the bodies, excerpts or aliases).
NODE_COLUMNS = ("id", "kind", "label", "title", "provider", "published", "link", "domain")


@dataclass
class Tables:
    """A dataset loaded for analysis: ids, the attributes reports show, and edges as index arrays."""

    root: str
    articles: list[str]
    providers: list[str]
    topics: list[str]
    attributes: dict[str, dict[str, Any]]
    related: ArticleLinks
    published_by: list[tuple[int, str]]
    tagged: list[tuple[int, str]]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def nodes(self) -> Mapping[str, dict[str, Any]]:
        """Node attributes by id (what ``graph.nodes`` gives on the networkx path)."""
        return self.attributes

    def __contains__(self, node: object) -> bool:
        return node in self.attributes


def load_tables(url: str) -> Tables:
    """Read a dataset folder (or fsspec URL) written by ``graphnews build --engine dask``."""
    import pyarrow.compute as pc

    fs, root = filesystem(url)
    if not fs.exists(root + "/" + schema.META_FILE):
        from ..errors import InputError

        raise InputError(url, "not a graphnews table dataset (no graphnews.json; write one with build --engine dask)")
    nodes = schema.read_table(fs, root, schema.NODES, NODE_COLUMNS)
    kinds = nodes.column("kind")
    ids: dict[str, list[str]] = {}
    for kind in (ARTICLE, PROVIDER, TOPIC):
        chosen = nodes.filter(pc.equal(kinds, kind))
        ids[kind] = sorted(chosen.column("id").to_pylist())
    attributes = {row["id"]: {key: value for key, value in row.items() if value is not None and key != "id"}
                  for row in nodes.to_pylist()}
    del nodes
    article_ids = pa_strings(ids[ARTICLE])
    sources: list[np.ndarray] = []
    targets: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    pairs: dict[str, list[tuple[int, str]]] = {PUBLISHED_BY: [], TAGGED: []}
    for part in schema.read_parts(fs, root, schema.EDGES, ("source", "target", "kind", "weight")):
        for kind in (RELATED, PUBLISHED_BY, TAGGED):
            chosen = part.filter(pc.equal(part.column("kind"), kind))
            source = pc.index_in(chosen.column("source"), value_set=article_ids).to_numpy(zero_copy_only=False)
            if kind == RELATED:
                sources.append(source)
                targets.append(pc.index_in(chosen.column("target"), value_set=article_ids).to_numpy(zero_copy_only=False))
                weights.append(chosen.column("weight").to_numpy(zero_copy_only=False))
            else:
                pairs[kind].extend(zip(source.tolist(), chosen.column("target").to_pylist()))
    source, target, weight = (np.concatenate(arrays) if arrays else np.zeros(0) for arrays in (sources, targets, weights))
    order = np.lexsort((target, source))
    article_links = ArticleLinks(ids[ARTICLE], source[order].astype(np.int64), target[order].astype(np.int64),
                                 weight[order].astype(float))
    return Tables(url, ids[ARTICLE], ids[PROVIDER], ids[TOPIC], attributes, article_links, pairs[PUBLISHED_BY],
                  pairs[TAGGED], schema.read_meta(fs, root))


def pa_strings(values: Sequence[str]) -> Any:
    """A pyarrow string array (the value set ids are looked up in)."""
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def centrality(tables: Tables, kinds: Iterable[str] = KINDS, *, seed: int = 0) -> dict[str, Table]:
    """The centrality tables of ``kinds``, computed as :func:`graphnews.analysis.centrality.centrality_tables` does."""
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown table kind(s): {', '.join(sorted(unknown))}")
    links = tables.related
    out: dict[str, Table] = {}
    if ARTICLE in wanted:
        out[ARTICLE] = article_links_table(links, lambda node: article_fields(tables, node), seed=seed)
    if PROVIDER in wanted:
        publisher = dict(tables.published_by)
        related = IndexPairs(links.sources, links.targets)
        projected = provider_projection(tables.providers, publisher, related)
        out[PROVIDER] = provider_links_table(projected, tables.attributes.__getitem__, tables.published_by,
                                             tables.tagged, related, seed=seed)
    if TOPIC in wanted:
        out[TOPIC] = topic_links_table(topic_projection(tables.topics, tables.tagged), tables.attributes.__getitem__)
    return out


class IndexPairs:
    """``(source, target)`` pairs of two index arrays, iterable any number of times without a list of tuples.

    >>> list(IndexPairs(np.array([0, 1]), np.array([1, 2])))
    [(0, 1), (1, 2)]
    """

    CHUNK = 1 << 18

    def __init__(self, sources: np.ndarray, targets: np.ndarray) -> None:
        self.sources, self.targets = sources, targets

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for start in range(0, len(self.sources), self.CHUNK):
            stop = start + self.CHUNK
            yield from zip(self.sources[start:stop].tolist(), self.targets[start:stop].tolist())


def page_graph(tables: Tables, measures: Mapping[str, Table], max_nodes: int) -> nx.MultiDiGraph:
    """The graph an HTML page draws: the ``max_nodes`` best articles by PageRank, their providers and topics.

    Nodes carry the attributes and measures of the networkx path, so
    :func:`graphnews.export.html.write_html` draws it unchanged.
    """
    graph = nx.MultiDiGraph()
    best = [str(row["id"]) for row in measures[ARTICLE].rows[:max_nodes]] if ARTICLE in measures else tables.articles[:max_nodes]
    keep = set(best)
    index = {node: position for position, node in enumerate(tables.articles)}
    rows = {index[node] for node in keep}
    for node in best:
        graph.add_node(node, **tables.attributes[node])
    for kind, pairs in ((PUBLISHED_BY, tables.published_by), (TAGGED, tables.tagged)):
        for article, target in pairs:
            if article in rows:
                if target not in graph:
                    graph.add_node(target, **tables.attributes[target])
                graph.add_edge(tables.articles[article], target, key=kind, kind=kind, weight=1.0)
    links = tables.related
    chosen = np.array(sorted(rows), dtype=np.int64)
    inside = np.flatnonzero(np.isin(links.sources, chosen) & np.isin(links.targets, chosen))
    for source, target, weight in zip(links.sources[inside].tolist(), links.targets[inside].tolist(),
                                      links.weights[inside].tolist()):
        graph.add_edge(tables.articles[source], tables.articles[target], key=RELATED, kind=RELATED, weight=weight)
    annotate(graph, dict(measures))
    return graph


@dataclass
class TablesReport:
    """What :func:`explore_tables` wrote, and the tables it measured."""

    files: list[str]
    tables: dict[str, Table]
    timings: dict[str, float]


def explore_tables(url: str, out_dir: str, *, seed: int = 0, max_nodes: int = 2000, top: int = 25,
                   title: str | None = None) -> TablesReport:
    """``graphnews explore --tables``: centrality.csv, report.md and graph.html from a dataset.

    The same measures and page as ``graphnews explore`` (without the stories and the
    similar/syndicated/cites edges, which the tables path does not compute yet).
    """
    import os
    import time

    from ..analysis.centrality import select
    from ..atomic import write_text
    from ..export import html
    from ..export.report import combined_csv, render_table

    timings: dict[str, float] = {}
    started = time.perf_counter()
    tables = load_tables(url)
    timings["load tables"] = time.perf_counter() - started
    started = time.perf_counter()
    measured = centrality(tables, seed=seed)
    timings["centrality"] = time.perf_counter() - started
    started = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    files = [os.path.join(out_dir, name) for name in ("centrality.csv", "report.md", "graph.html")]
    write_text(files[0], combined_csv(list(measured.values())))
    stats = tables.meta.get("stats", {})
    heading = title or f"graphnews tables: {url}"
    parts = [f"# {heading}\n", ", ".join(f"{name.replace('_', ' ')}: {value:,}" for name, value in stats.items()) + "\n"]
    for kind, table in measured.items():
        parts.append(f"\n## Top {kind}s\n\n" + render_table(select(table, top=top), "md"))
    write_text(files[1], "".join(parts))
    html.write_html(page_graph(tables, measured, max_nodes), files[2], title=heading, inputs=[url], max_nodes=max_nodes)
    timings["write"] = time.perf_counter() - started
    return TablesReport(files, measured, timings)
