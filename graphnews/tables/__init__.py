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

Stories (:func:`find_stories`) are the networkx path's code too: ``find_clusters`` reads
only node attributes, which :class:`Tables` serves from its columns, and the stories come
from :func:`~graphnews.analysis.stories.stories_of_articles` over those columns;
:func:`page_graph` copies each shown article's story onto its node (so pages can be drawn
``--view clusters`` / ``--color-by cluster``), and :func:`story_coverage` gives the
coverage tables of ``report --kind story``. Not here yet: the similar/syndicated/cites edges.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from ..analysis.annotate import write_measures
from ..analysis.centrality import KINDS, Table, article_fields, article_links_table, provider_links_table, topic_links_table
from ..analysis.projections import ArticleLinks, provider_projection, topic_projection
from ..build import ARTICLE, PROVIDER, PUBLISHED_BY, RELATED, TAGGED, TOPIC
from ..distributed import schema
from ..distributed.sources import filesystem
from ..errors import UsageError

if TYPE_CHECKING:
    from ..analysis.clusters import ClusterResult
    from ..analysis.coverage import Coverage
    from ..analysis.similarity import PairBlocks
    from ..settings import Settings

#: Node columns the tables path reads for centrality and pages (not the bodies, excerpts or aliases).
NODE_COLUMNS = ("id", "kind", "label", "title", "provider", "published", "link", "domain")
#: Edges whose ids are looked up at once (the look-up hashes all article ids each time; ~0.5 GB of id text).
LOOKUP_BATCH = 3_000_000
#: Read as well when stories are wanted: the ledes the text model and the wire-copy detection read, and topics.
TEXT_COLUMNS = ("excerpt", "body", "topics")


class NodeColumns(Mapping[str, dict[str, Any]]):
    """Node attributes held column by column, sorted by id; ``columns[node]`` builds that node's dict.

    At a million articles a dict per node costs ~1 GB more than these lists: repeated
    values (kinds, provider ids, domains) are one shared string each, and a label equal to
    the title is the title's string. A missing (null) value is left out of the dict, as the
    graph leaves the attribute out.

    >>> import pyarrow as pa
    >>> nodes = NodeColumns(pa.table({"id": ["b", "a"], "kind": ["article", "article"], "title": ["B", None]}))
    >>> nodes["a"], nodes["b"], list(nodes)
    ({'kind': 'article'}, {'kind': 'article', 'title': 'B'}, ['a', 'b'])
    """

    #: Columns with few distinct values, dictionary-encoded so each value is one string object.
    SHARED = frozenset({"kind", "provider", "domain"})

    def __init__(self, table: Any) -> None:
        import pyarrow.compute as pc

        table = table.take(pc.sort_indices(table, [("id", "ascending")]))
        self.ids: list[str] = table.column("id").to_pylist()
        self.position = {node: row for row, node in enumerate(self.ids)}
        self.columns = {name: _shared(table.column(name)) if name in self.SHARED else table.column(name).to_pylist()
                        for name in table.column_names if name != "id"}
        labels, titles = self.columns.get("label"), self.columns.get("title")
        if labels is not None and titles is not None:
            for row, title in enumerate(titles):
                if title is not None and labels[row] == title:
                    labels[row] = title

    def __getitem__(self, node: str) -> dict[str, Any]:
        row = self.position[node]
        return {name: values[row] for name, values in self.columns.items() if values[row] is not None}

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, node: object) -> bool:
        return node in self.position

    def __call__(self, data: str | bool) -> Iterator[tuple[str, Any]]:
        """``(id, value of one attribute)`` for every node, as ``graph.nodes(data=name)`` gives them
        (``data=True``: ``(id, attribute dict)``, each dict built as it is reached)."""
        if data is True:
            return ((node, self[node]) for node in self.ids)
        return zip(self.ids, self.columns.get(str(data)) or [None] * len(self.ids))

    def of_kind(self, kind: str) -> list[str]:
        """The ids of one kind, sorted (the same string objects as the table's)."""
        kinds = self.columns["kind"]
        return [node for node, value in zip(self.ids, kinds) if value == kind]


def _shared(column: Any) -> list[Any]:
    """A low-cardinality column as a list whose equal values are one object (None for null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column).combine_chunks() if isinstance(column, pa.ChunkedArray) \
        else pc.dictionary_encode(column)
    values = [*encoded.dictionary.to_pylist(), None]
    codes = encoded.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    return [values[code] for code in codes.tolist()]


@dataclass
class Tables:
    """A dataset loaded for analysis: ids, the attributes reports show, and edges as index arrays."""

    root: str
    articles: list[str]
    providers: list[str]
    topics: list[str]
    attributes: Mapping[str, dict[str, Any]]
    related: ArticleLinks
    published_by: IndexPairs
    tagged: IndexPairs
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def nodes(self) -> Mapping[str, dict[str, Any]]:
        """Node attributes by id (what ``graph.nodes`` gives on the networkx path)."""
        return self.attributes

    def __contains__(self, node: object) -> bool:
        return node in self.attributes


def load_tables(url: str, *, text: bool = False) -> Tables:
    """Read a dataset folder (or fsspec URL) written by ``graphnews build --engine dask``.

    Node attributes are held column by column (:class:`NodeColumns`; with ``text``, also
    :data:`TEXT_COLUMNS`, which stories need); edges as index arrays: ``related`` between
    article rows, ``published_by`` and ``tagged`` from article rows to provider and topic rows.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    fs, root = filesystem(url)
    if not fs.exists(root + "/" + schema.META_FILE):
        from ..errors import InputError

        raise InputError(url, "not a graphnews table dataset (no graphnews.json; write one with build --engine dask)")
    nodes = NodeColumns(schema.read_table(fs, root, schema.NODES, NODE_COLUMNS + (TEXT_COLUMNS if text else ())))
    ids = {kind: nodes.of_kind(kind) for kind in (ARTICLE, PROVIDER, TOPIC)}
    value_sets = {kind: pa_strings(ids[kind]) for kind in ids}
    target_kind = {RELATED: ARTICLE, PUBLISHED_BY: PROVIDER, TAGGED: TOPIC}
    found: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = {kind: ([], []) for kind in target_kind}
    weights: list[np.ndarray] = []
    pending: dict[str, list[Any]] = {kind: [] for kind in target_kind}

    def look_up(kind: str) -> None:  # one id look-up for a batch of parts: each builds a hash of the value set
        if pending[kind]:
            batch = pa.concat_tables(pending[kind])
            found[kind][0].append(_index(batch.column("source"), value_sets[ARTICLE]))
            found[kind][1].append(_index(batch.column("target"), value_sets[target_kind[kind]]))
            if kind == RELATED:
                weights.append(batch.column("weight").to_numpy())
            pending[kind] = []

    for part in schema.read_parts(fs, root, schema.EDGES, ("source", "target", "kind", "weight")):
        for kind in target_kind:
            chosen = part.filter(pc.equal(part.column("kind"), kind))
            if chosen.num_rows:
                pending[kind].append(chosen)
            if sum(table.num_rows for table in pending[kind]) >= LOOKUP_BATCH:
                look_up(kind)
    for kind in target_kind:
        look_up(kind)
    value_sets.clear()  # the look-up hashes are big: freed before the arrays are built
    arrays = {kind: tuple(np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64) for parts in pair)
              for kind, pair in found.items()}
    source, target = arrays[RELATED]
    weight = np.concatenate(weights).astype(float) if weights else np.zeros(0)
    order = np.lexsort((target, source))
    article_links = ArticleLinks(ids[ARTICLE], source[order], target[order], weight[order])
    return Tables(url, ids[ARTICLE], ids[PROVIDER], ids[TOPIC], nodes, article_links,
                  IndexPairs(arrays[PUBLISHED_BY][0], arrays[PUBLISHED_BY][1], names=ids[PROVIDER]),
                  IndexPairs(arrays[TAGGED][0], arrays[TAGGED][1], names=ids[TOPIC]),
                  schema.read_meta(fs, root))


def pa_strings(values: Sequence[str]) -> Any:
    """A pyarrow string array (the value set ids are looked up in)."""
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _index(column: Any, value_set: Any) -> np.ndarray:
    """Row numbers of ``column``'s ids in ``value_set`` (a sorted id array)."""
    import pyarrow.compute as pc

    return pc.index_in(column, value_set=value_set).to_numpy(zero_copy_only=False)


def centrality(tables: Tables, kinds: Iterable[str] = KINDS, *, seed: int = 0) -> dict[str, Table]:
    """The centrality tables of ``kinds``, computed as :func:`graphnews.analysis.centrality.centrality_tables` does."""
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise UsageError(f"unknown table kind(s): {', '.join(sorted(unknown))}")
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

    With ``names``, targets come out as ``names[target]`` (e.g. provider ids for the ``published_by`` edges).

    >>> list(IndexPairs(np.array([0, 1]), np.array([1, 2])))
    [(0, 1), (1, 2)]
    >>> list(IndexPairs(np.array([0, 1]), np.array([1, 0]), names=["p:a", "p:b"]))
    [(0, 'p:b'), (1, 'p:a')]
    """

    CHUNK = 1 << 18

    def __init__(self, sources: np.ndarray, targets: np.ndarray, names: Sequence[str] | None = None) -> None:
        self.sources, self.targets, self.names = sources, targets, names

    def __len__(self) -> int:
        return len(self.sources)

    def from_rows(self, rows: np.ndarray) -> IndexPairs:
        """The pairs whose source is one of ``rows``, in the same order."""
        picked = np.flatnonzero(np.isin(self.sources, rows))
        return IndexPairs(self.sources[picked], self.targets[picked], self.names)

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        names = self.names
        for start in range(0, len(self.sources), self.CHUNK):
            stop = start + self.CHUNK
            targets = self.targets[start:stop].tolist()
            yield from zip(self.sources[start:stop].tolist(), [names[t] for t in targets] if names is not None else targets)


def find_stories(tables: Tables, settings: Settings | None = None, *,
                 pair_blocks: PairBlocks | None = None) -> ClusterResult:
    """The stories and storylines of a dataset loaded with ``text=True``: the networkx path's code, run on the columns.

    :func:`~graphnews.analysis.clusters.find_clusters` reads only node attributes
    (``graph.nodes[id]``, ``graph.nodes(data="kind")``), which :class:`Tables` gives from
    its columns; the wire-copy groups are :func:`~graphnews.analysis.syndication.syndication_groups`'
    and the stories :func:`~graphnews.analysis.stories.stories_of_articles`'. ``pair_blocks``
    runs the candidate products elsewhere (:func:`graphnews.distributed.candidates.dask_pair_blocks`).
    """
    from ..analysis.clusters import find_clusters
    from ..gcpause import frozen_heap

    _need_text(tables)
    with frozen_heap():  # the loaded columns are not garbage (as in graphnews.analysis.pipeline.analyse)
        return find_clusters(tables, settings, pair_blocks=pair_blocks)


def _need_text(tables: Tables) -> None:
    if "excerpt" not in tables.attributes.columns:  # type: ignore[attr-defined]
        raise UsageError("stories need the text columns: load the tables with load_tables(url, text=True)")


def story_coverage(tables: Tables, settings: Settings | None = None, *, seed: int = 0) -> Coverage:
    """The coverage tables of the stories (``report --kind story``): the networkx path's
    :func:`~graphnews.analysis.coverage.coverage`, on the columns and the wire-copy groups the stories used."""
    from ..analysis.clusters import find_clusters
    from ..analysis.coverage import coverage
    from ..analysis.syndication import syndication_groups
    from ..settings import Settings

    _need_text(tables)
    chosen = settings or Settings()
    groups = syndication_groups(tables, chosen.syndication)
    return coverage(tables, find_clusters(tables, chosen, groups=groups), groups, seed=seed)


def page_graph(tables: Tables, measures: Mapping[str, Table], max_nodes: int,
               stories: ClusterResult | None = None) -> nx.MultiDiGraph:
    """The graph an HTML page draws: the ``max_nodes`` best articles by PageRank, their providers and topics.

    Nodes carry the attributes and measures of the networkx path (and, given ``stories``,
    each article's story as :func:`~graphnews.analysis.annotate.write_stories` writes
    it), so :func:`graphnews.export.html.write_html` draws it unchanged.
    """
    graph = nx.MultiDiGraph()
    best = [str(row["id"]) for row in measures[ARTICLE].rows[:max_nodes]] if ARTICLE in measures else tables.articles[:max_nodes]
    chosen = np.array(sorted({bisect_left(tables.articles, node) for node in best}), dtype=np.int64)
    for node in best:
        graph.add_node(node, **tables.attributes[node])
    for kind, pairs in ((PUBLISHED_BY, tables.published_by), (TAGGED, tables.tagged)):
        for article, target in pairs.from_rows(chosen):
            if target not in graph:
                graph.add_node(target, **tables.attributes[target])
            graph.add_edge(tables.articles[article], target, key=kind, kind=kind, weight=1.0)
    links = tables.related
    inside = np.flatnonzero(np.isin(links.sources, chosen) & np.isin(links.targets, chosen))
    for source, target, weight in zip(links.sources[inside].tolist(), links.targets[inside].tolist(),
                                      links.weights[inside].tolist()):
        graph.add_edge(tables.articles[source], tables.articles[target], key=RELATED, kind=RELATED, weight=weight)
    write_measures(graph, dict(measures))
    if stories is not None:
        from ..analysis.annotate import write_stories

        shown = [replace(cluster, members=[node for node in cluster.members if node in graph])
                 for cluster in stories.clusters]
        write_stories(graph, replace(stories, clusters=shown))
    return graph


@dataclass
class TablesReport:
    """What :func:`explore_tables` wrote, and the tables it measured."""

    files: list[str]
    tables: dict[str, Table]
    timings: dict[str, float]


def explore_tables(url: str, out_dir: str, *, seed: int = 0, max_nodes: int = 2000, top: int = 25,
                   title: str | None = None, stories: bool = True, settings: Settings | None = None,
                   pair_blocks: PairBlocks | None = None) -> TablesReport:
    """``graphnews explore --tables``: centrality.csv, report.md, graph.html and clusters.json from a dataset.

    The same measures, stories (``clusters.json`` as ``graphnews clusters --format json``
    writes it; the page's articles carry their story) and page as ``graphnews explore``,
    without the similar/syndicated/cites edges, which the tables path does not compute yet.
    ``stories=False`` leaves the stories out (and the text columns unread); ``pair_blocks``
    runs the stories' candidate products elsewhere (:func:`find_stories`).
    """
    import os
    import time

    from ..analysis.centrality import select
    from ..atomic import atomic_open, write_text
    from ..export import html
    from ..export.report import render_table, write_combined_csv

    timings: dict[str, float] = {}
    started = time.perf_counter()
    tables = load_tables(url, text=stories)
    timings["load tables"] = time.perf_counter() - started
    started = time.perf_counter()
    measured = centrality(tables, seed=seed)
    timings["centrality"] = time.perf_counter() - started
    found = None
    if stories:
        started = time.perf_counter()
        found = find_stories(tables, settings, pair_blocks=pair_blocks)
        timings["stories"] = time.perf_counter() - started
    started = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    files = [os.path.join(out_dir, name) for name in ("centrality.csv", "report.md", "graph.html")]
    with atomic_open(files[0]) as handle:
        write_combined_csv(handle, list(measured.values()))
    stats = tables.meta.get("stats", {})
    heading = title or f"graphnews tables: {url}"
    parts = [f"# {heading}\n", ", ".join(f"{name.replace('_', ' ')}: {value:,}" for name, value in stats.items()) + "\n"]
    for kind, table in measured.items():
        parts.append(f"\n## Top {kind}s\n\n" + render_table(select(table, top=top), "md"))
    write_text(files[1], "".join(parts))
    html.write_html(page_graph(tables, measured, max_nodes, found), files[2], title=heading, inputs=[url],
                    max_nodes=max_nodes)
    if found is not None:  # streamed a story at a time: 930,276 stories at 1M were ~2 GB as one text
        from ..export.clusters_report import clusters_document
        from ..export.report import write_json

        files.append(os.path.join(out_dir, "clusters.json"))
        with atomic_open(files[-1], "wb", None) as handle:
            write_json(handle, clusters_document(found, lazily=True), streamed=("stories", "storylines"))
            handle.write(b"\n")
    timings["write"] = time.perf_counter() - started
    return TablesReport(files, measured, timings)
