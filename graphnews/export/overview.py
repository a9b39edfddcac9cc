"""The overview page (``index.html`` of ``graphnews explore``): summary, timeline, sortable tables.

The page is rendered from plain data (:class:`Overview`) with an autoescaping Jinja
template, so titles and names from the web arrive as text, never as markup; links are made
only for http(s) URLs. It needs no network: styles and the small sorting script are inline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import quote

import networkx as nx

from ..analysis.centrality import Table, select
from ..analysis.changes import StoryChange
from ..analysis.clusters import ClusterResult
from ..analysis.coverage import Coverage
from ..analysis.syndication import SyndicationGroup
from ..build import edge_counts
from ..model import Corpus
from ..urls import is_http_url
from .clusters_report import render_clusters
from .coverage_report import blindspot_table, change_table, leadlag_table, provider_table, story_table
from .report import markdown_text, render_table
from .templating import render
from .timeline import MAX_DAYS, timeline_counts, timeline_svg


@dataclass
class Link:
    """A link in a cell: ``external`` ones open the article in a new tab."""

    href: str
    text: str
    external: bool = False
    title: str = ""


@dataclass
class Cell:
    """One table cell: text, optional links or tags, and the value it sorts by."""

    text: str = ""
    sort: str = ""
    numeric: bool = False
    nowrap: bool = False
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Column:
    label: str
    numeric: bool = False


@dataclass
class Row:
    anchor: str
    cells: list[Cell]


@dataclass
class HtmlTable:
    """A sortable table section of the page."""

    anchor: str
    heading: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    empty: str = "None."


@dataclass
class Page:
    href: str
    label: str
    description: str = ""


@dataclass
class Card:
    value: str
    label: str


@dataclass
class Overview:
    """Everything the overview page shows."""

    title: str
    inputs: list[str]
    built_at: str
    version: str
    pages: list[Page]
    cards: list[Card]
    tables: list[HtmlTable]
    timeline_svg: str = ""
    timeline_note: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problems_more: int = 0


def render_overview(overview: Overview) -> str:
    """The complete, self-contained ``index.html`` text."""
    return render("index.html", o=overview)


def anchor(node_id: str) -> str:
    """A fragment-safe anchor for a node id (``article:cnn.com/x`` -> ``article:cnn.com%2Fx``)."""
    return quote(node_id, safe=":-_.")


def graph_link(page: str, node_id: str) -> Link:
    """Link to a node's place in a graph page (the page focuses the node named in its hash)."""
    return Link(href=f"{page}#{anchor(node_id)}", text="◎", title="show in the graph")


def external_link(url: object, text: str) -> Link | None:
    """Link to the article itself, only for http(s) URLs."""
    if not is_http_url(url):
        return None
    return Link(href=str(url), text=text, external=True)


def number_cell(value: object) -> Cell:
    """A numeric cell: integers as is, floats to 4 significant digits."""
    if isinstance(value, bool) or value is None or (isinstance(value, float) and math.isnan(value)):
        return Cell(text="", sort="", numeric=True)
    if isinstance(value, int):
        return Cell(text=f"{value:,}", sort=str(value), numeric=True)
    if isinstance(value, float):
        return Cell(text=f"{value:.4g}", sort=repr(value), numeric=True)
    return Cell(text=str(value), sort=str(value))


def text_cell(text: object, *, links: Iterable[Link | None] = (), tags: Sequence[str] = (), sort: str | None = None,
              nowrap: bool = False) -> Cell:
    """A text cell, with optional links (None entries skipped) and tags."""
    shown = "" if text is None else str(text)
    return Cell(text=shown, sort=sort if sort is not None else shown.lower(), links=[link for link in links if link],
                tags=list(tags), nowrap=nowrap)


def shorten(text: str, limit: int = 110) -> str:
    """Shorten display text at a word boundary."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def table_from_rows(anchor_id: str, heading: str, columns: Sequence[tuple[str, str, bool]], rows: Iterable[dict[str, Any]], *,
                    row_anchor: str = "id", notes: Sequence[str] = (), empty: str = "None.") -> HtmlTable:
    """Build a table from row dicts; ``columns`` are ``(key, label, numeric)``; cells may be prebuilt."""
    body = []
    for row in rows:
        cells = []
        for key, _label, numeric in columns:
            value = row.get(key)
            cells.append(value if isinstance(value, Cell) else number_cell(value) if numeric else text_cell(value))
        body.append(Row(anchor=anchor(str(row.get(row_anchor, ""))), cells=cells))
    return HtmlTable(anchor_id, heading, [Column(label, numeric) for _key, label, numeric in columns], body, list(notes),
                     empty)


# ---- from analysis results to the page and the Markdown report ---------------------------

SKIPPED_SHOWN = 200


def corpus_summary(corpus: Corpus, graph: nx.MultiDiGraph, clusters: ClusterResult, added: dict[str, int]) -> list[tuple[str, str]]:
    """The headline figures, as (label, value) pairs, shared by the page and ``report.md``."""
    stats = corpus.stats
    skipped = len({problem.path for problem in corpus.problems if problem.fatal})
    dates = sorted(str(published)[:10] for _node, published in graph.nodes(data="published") if published)
    full_dates = sorted(
        str(data["published"])[:10] for _node, data in graph.nodes(data=True)
        if data.get("kind") == "article" and data.get("full") and data.get("published")
    )
    shown = full_dates or dates
    span = _date_span(shown[0], shown[-1]) if shown else "unknown"
    edges = edge_counts(graph)
    listed = [cluster for cluster in clusters.clusters if cluster.size > 1]
    return [
        ("files read", f"{stats.get('files', 0):,}"),
        ("records", f"{stats.get('records', 0):,}"),
        ("files with problems", f"{skipped:,}"),
        ("articles", f"{stats.get('articles', 0):,}"),
        ("full records", f"{stats.get('full_articles', 0):,}"),
        ("seen only as related", f"{stats.get('related_only_articles', 0):,}"),
        ("providers", f"{stats.get('providers', 0):,}"),
        ("topics", f"{stats.get('topics', 0):,}"),
        ("dates (full records)", span),
        ("related links", f"{edges.get('related', 0):,}"),
        ("similar links", f"{added.get('similar', 0):,}"),
        ("wire copies linked", f"{added.get('syndicated', 0):,}"),
        ("citations", f"{added.get('cites', 0):,}"),
        ("stories", f"{len(clusters.clusters):,}"),
        ("stories of 2+ articles", f"{len(listed):,}"),
        ("storylines", f"{len(clusters.storylines):,}"),
    ]


def _date_span(first: str, last: str) -> str:
    """``2031-03-12 – 03-15``: the year once when both days share it.

    >>> _date_span("2031-03-12", "2031-03-15"), _date_span("2020-12-30", "2021-01-02")
    ('2031-03-12 – 03-15', '2020-12-30 – 2021-01-02')
    """
    if first == last:
        return first
    return f"{first} – {last[5:]}" if first[:4] == last[:4] else f"{first} – {last}"


def _labels(graph: nx.Graph) -> dict[str, str]:
    return {node: str(data.get("label") or node) for node, data in graph.nodes(data=True) if data.get("kind") in ("provider", "topic")}


def _article_cell(graph: nx.Graph, node: str, in_graph_page: set[str], limit: int = 110) -> Cell:
    data = graph.nodes[node]
    title = shorten(str(data.get("title") or data.get("label") or node), limit)
    article = external_link(data.get("link"), title)
    links = [article, graph_link("graph.html", node) if node in in_graph_page else None]
    return text_cell("" if article else title, links=links, sort=title.lower())


def build_overview(*, title: str, inputs: list[str], built_at: str, summary: list[tuple[str, str]], corpus: Corpus,
                   graph: nx.MultiDiGraph, tables: dict[str, Table], clusters: ClusterResult,
                   groups: Sequence[SyndicationGroup], in_graph_page: set[str], top: int,
                   pages: Sequence[tuple[str, str]], coverage: Coverage,
                   changes: Sequence[StoryChange] | None) -> Overview:
    """Assemble the overview page: every item links to its place in a graph page and to the article.

    ``changes`` is None when the folder held no earlier report (no "what changed" section).
    """
    from .. import __version__

    labels = _labels(graph)
    number = {cluster.story: cluster.id for cluster in clusters.clusters if cluster.size > 1}  # rows of the stories table
    sections = [
        _changes_table(changes, number) if changes is not None else None,
        _coverage_table(coverage, labels, number, top),
        _first_table(coverage),
        _leadlag_table(coverage, labels),
        _camps_table(coverage),
        _blindspots_table(coverage, labels, number),
        _stories_table(graph, tables["article"], in_graph_page, labels, top),
        _providers_table(tables["provider"]),
        _topics_table(tables["topic"], in_graph_page),
        _clusters_table(graph, clusters, in_graph_page),
        _storylines_table(clusters),
        _syndication_table(graph, groups, labels),
    ]
    cluster_labels = {cluster.id: cluster.label for cluster in clusters.clusters}
    timeline = timeline_counts(graph, cluster_labels)
    note = []
    if timeline.left_out:
        note.append(f"{timeline.left_out:,} articles dated outside the busiest {MAX_DAYS} days are not drawn.")
    if timeline.undated:
        note.append(f"{timeline.undated:,} articles have no date.")
    problems = [str(problem) for problem in corpus.problems]
    return Overview(
        title=title, inputs=inputs, built_at=built_at, version=__version__,
        pages=[Page(name, name, description) for name, description in pages],
        cards=[Card(value, label) for label, value in summary],
        tables=[section for section in sections if section is not None],
        timeline_svg=timeline_svg(timeline), timeline_note=" ".join(note),
        notes=[note for table in tables.values() for note in table.notes],
        problems=problems[:SKIPPED_SHOWN], problems_more=max(0, len(problems) - SKIPPED_SHOWN),
    )


def _stories_table(graph: nx.Graph, table: Table, in_graph_page: set[str], labels: dict[str, str], top: int) -> HtmlTable:
    measures = [m for m in ("pagerank", "related_in", "betweenness", "degree", "eigenvector", "katz") if m in table.columns]
    rows: list[dict[str, Any]] = []
    for rank, row in enumerate(table.rows[:top], start=1):
        node = str(row["id"])
        rows.append({"id": f"articles-{node}", "rank": rank, "title": _article_cell(graph, node, in_graph_page),
                     "provider": row.get("provider") or "", "published": text_cell(str(row.get("published") or "")[:10], nowrap=True),
                     **{m: row.get(m) for m in measures}})
    columns = [("rank", "#", True), ("title", "Article", False), ("provider", "Provider", False),
               ("published", "Date", False)] + [(m, m.replace("_", " "), True) for m in measures]
    return table_from_rows("stories", f"Top {len(rows)} stories by PageRank (of {len(table.rows):,})", columns, rows,
                           notes=["PageRank and betweenness on the related-article graph; related in = how often "
                                  "other stories list it as related. Click a column to sort."])


def _story_link(story: str, number: dict[str, int], headline: str) -> Cell:
    """The headline, linked to the story's row in the stories table."""
    if story not in number:
        return text_cell(headline)
    return text_cell("", links=[Link(href=f"#{anchor(f'clusters-{number[story]}')}", text=shorten(headline, 110),
                                     title="the story's articles")], sort=headline.lower())


def _coverage_table(coverage: Coverage, labels: dict[str, str], number: dict[str, int], top: int) -> HtmlTable:
    table = story_table(coverage, labels)
    rows = [{**row, "headline": _story_link(str(row["story"]), number, str(row["headline"])),
             "first_published": text_cell(str(row["first_published"] or "")[:16].replace("T", " "), nowrap=True),
             "outlets": text_cell("", tags=cast(list[str], row["outlets"])[:8], sort=str(row["providers"]))}
            for row in table.rows[:top]]
    columns = [("headline", "Story", False), ("providers", "Outlets", True), ("articles", "Articles", True),
               ("first_published", "First report (UTC)", False), ("first_provider", "First by", False),
               ("span_hours", "Span (h)", True), ("wire", "Wire", False), ("prominence", "Prominence", True),
               ("outlets", "Who told it", False)]
    return table_from_rows("coverage", f"Top {len(rows):,} stories by coverage (of {len(table.rows):,})", columns, rows,
                           row_anchor="story", notes=["Prominence: distinct outlets first; more articles, a longer span "
                                                      "and wire pickup only break ties (worth less than one outlet)."])


def _first_table(coverage: Coverage) -> HtmlTable:
    table = provider_table(coverage)
    columns = [("name", "Provider", False), ("camp", "Camp", True), ("stories", "Stories", True),
               ("shared_stories", "Shared with others", True), ("first_reports", "Reported first", True),
               ("median_delay_hours", "Median delay (h)", True), ("wire_share", "Wire share", True)]
    return table_from_rows("first", "Who reported first", columns, table.rows, row_anchor="provider", notes=[
        "Of the stories two or more outlets told: how often each published first, and its median delay behind the "
        "first report (0 when it was first). Written to providers.csv."])


def _leadlag_table(coverage: Coverage, labels: dict[str, str]) -> HtmlTable:
    table = leadlag_table(coverage, labels)
    columns = [("leader_name", "Earlier", False), ("follower_name", "Later", False), ("shared", "Shared stories", True),
               ("follower_later", "Times later", True), ("median_lag_hours", "Median lag (h)", True)]
    return table_from_rows("leadlag", "Who follows whom", columns, table.rows, notes=[
        "Pairs of outlets that told at least two stories in common; written to leadlag.csv."],
        empty="No two outlets told two stories in common.")


def _camps_table(coverage: Coverage) -> HtmlTable:
    rows = [{"id": f"camp-{camp.id}", "camp": camp.id, "label": camp.label, "size": len(camp.providers),
             "members": text_cell("", tags=[p.split(":", 1)[-1] for p in camp.providers[:12]])} for camp in coverage.camps]
    columns = [("camp", "Camp", True), ("label", "Largest members", False), ("size", "Outlets", True),
               ("members", "Outlets (domains)", False)]
    return table_from_rows("camps", "Camps of outlets", columns, rows, notes=[
        "Communities of outlets linked by the stories they share (Louvain, seed 0). Co-coverage camps are not "
        "political leanings: in a small corpus they mostly group outlets that publish on the same days."],
        empty="No two outlets told a story in common.")


def _blindspots_table(coverage: Coverage, labels: dict[str, str], number: dict[str, int]) -> HtmlTable:
    table = blindspot_table(coverage, labels)
    rows = [{**row, "headline": _story_link(str(row["story"]), number, str(row["headline"])),
             "outlets": text_cell("", tags=cast(list[str], row["outlets"])), "missed_by": "; ".join(cast(list[str], row["missed_by"]))}
            for row in table.rows]
    columns = [("headline", "Story", False), ("camp_label", "Told only by camp", False), ("outlets", "Outlets", False),
               ("missed_by", "Not told by", False)]
    return table_from_rows("blindspots", f"Blindspots ({len(rows):,})", columns, rows, row_anchor="story", notes=[
        "A story told by two or more outlets, all of one camp, while other camps exist."],
        empty="No story was told by two or more outlets of one camp only.")


def _changes_table(changes: Sequence[StoryChange], number: dict[str, int]) -> HtmlTable:
    table = change_table(changes)
    rows = [{**row, "headline": _story_link(str(row["story"]), number, str(row["headline"])),
             "outlets": "; ".join(cast(list[str], row["outlets"]))} for row in table.rows]
    columns = [("kind", "Change", False), ("headline", "Story", False), ("articles", "Articles", True),
               ("added", "New articles", True), ("outlets", "New from", False), ("other", "Earlier story", False)]
    counts = {kind: sum(1 for change in changes if change.kind == kind) for kind in ("new", "grew", "merged", "split", "gone")}
    return table_from_rows("changes", "What changed since the last run", columns, rows, notes=[
        ", ".join(f"{count:,} {kind}" for kind, count in counts.items()) + ". A story keeps its id while it keeps "
        "most of its articles; graphnews diff OLD_DIR NEW_DIR prints the same."],
        empty="Nothing changed: the same stories as the last run.")


def _providers_table(table: Table) -> HtmlTable:
    rows = []
    for row in table.rows:
        node = str(row["id"])
        name = str(row.get("name") or node)
        rows.append({**row, "id": f"providers-{node}",
                     "name": text_cell("", links=[Link(href=f"providers.html#{anchor(node)}", text=name,
                                                       title="show in the provider graph")], sort=name.lower())})
    measures = [column for column in table.columns if column not in ("id", "name", "domain")]
    columns = [("name", "Provider", False), ("domain", "Domain", False)] + [(m, m.replace("_", " "), True) for m in measures]
    return table_from_rows("providers", f"Providers ({len(rows):,})", columns, rows,
                           notes=["Co-coverage: two providers are linked when an article of one lists an article of the "
                                  "other as related; weighted degree counts those links."])


def _topics_table(table: Table, in_graph_page: set[str]) -> HtmlTable:
    rows = []
    for row in table.rows:
        node = str(row["id"])
        name = str(row.get("name") or node)
        links = [graph_link("graph.html", node)] if node in in_graph_page else []
        rows.append({**row, "id": f"topics-{node}", "name": text_cell(name, links=links, sort=name.lower())})
    measures = [column for column in table.columns if column not in ("id", "name")]
    columns = [("name", "Topic", False)] + [(m, m.replace("_", " "), True) for m in measures]
    return table_from_rows("topics", f"Topics ({len(rows):,})", columns, rows,
                           notes=["Co-occurrence: topics are linked when one article is tagged with both."])


def _clusters_table(graph: nx.Graph, clusters: ClusterResult, in_graph_page: set[str]) -> HtmlTable:
    listed = [cluster for cluster in clusters.clusters if cluster.size > 1]
    rows = []
    for cluster in listed:
        dates = " – ".join(dict.fromkeys(d[:10] for d in (cluster.start, cluster.end) if d))
        rows.append({
            "id": f"clusters-{cluster.id}",
            "cluster": text_cell("", links=[Link(href=f"clusters.html#{anchor(f'cluster:{cluster.id}')}",
                                                 text=str(cluster.id), title="show in the cluster graph")],
                                 sort=f"{cluster.id:09d}"),
            "size": cluster.size, "label": cluster.label, "keywords": ", ".join(cluster.keywords),
            "lead": _article_cell(graph, cluster.lead, in_graph_page, 90),
            "first_provider": cluster.lead_provider or "",
            "providers": text_cell("", tags=[f"{name} ({count})" for name, count in cluster.providers[:6]],
                                   sort=str(len(cluster.providers))),
            "dates": text_cell(dates, nowrap=True),
            "wire": text_cell("", links=[Link(href=f"#{anchor(f'wire-{group}')}", text=str(group), title="wire group")
                                         for group in cluster.syndication]),
        })
    singles = len(clusters.clusters) - len(listed)
    columns = [("cluster", "#", False), ("size", "Articles", True), ("label", "Story", False),
               ("keywords", "Keywords", False), ("lead", "First report", False), ("first_provider", "First by", False),
               ("providers", "Providers", False), ("dates", "Dates", False), ("wire", "Wire groups", False)]
    return table_from_rows("clusters", f"Stories ({len(listed):,} with 2+ articles)", columns, rows, notes=[
        f"A story is one event, told by one or more outlets: articles whose titles and ledes say the same within "
        f"a few days (average linkage, threshold {clusters.settings.stories.story_threshold}, decay "
        f"{clusters.settings.stories.story_decay_hours:g} h), wire copies always together. {singles:,} stories have one article; "
        f"{len(clusters.storylines):,} storylines group the stories into threads."])


def _storylines_table(clusters: ClusterResult) -> HtmlTable:
    number = {cluster.story: cluster.id for cluster in clusters.clusters if cluster.size > 1}
    listed = [line for line in clusters.storylines if len(line.stories) > 1]
    rows = [{
        "id": f"storylines-{line.id}", "label": line.label, "keywords": ", ".join(line.keywords),
        "stories": len(line.stories), "articles": line.articles,
        "members": text_cell("", links=[Link(href=f"#{anchor(f'clusters-{number[story]}')}", text=str(number[story]),
                                             title="the story in the table above")
                                        for story in line.stories[:12] if story in number]),
    } for line in listed]
    columns = [("label", "Storyline (its largest story)", False), ("keywords", "Keywords", False),
               ("stories", "Stories", True), ("articles", "Articles", True), ("members", "Stories of 2+", False)]
    return table_from_rows("storylines", f"Storylines ({len(listed):,} with 2+ stories)", columns, rows, notes=[
        "A storyline is a thread of stories: the same linkage continued from the stories with a slow time decay "
        f"({clusters.settings.stories.storyline_decay_hours:g} h) down to threshold "
        f"{clusters.settings.stories.storyline_threshold}, or {clusters.settings.stories.storyline_threshold_ratio:g} "
        f"times the corpus' mean similarity of two articles when that is higher."],
        empty="No storyline holds two stories.")


def _syndication_table(graph: nx.Graph, groups: Sequence[SyndicationGroup], labels: dict[str, str]) -> HtmlTable:
    rows = []
    for group in groups:
        for order, node in enumerate(group.members, start=1):
            data = graph.nodes[node]
            title = shorten(str(data.get("title") or node), 100)
            link = external_link(data.get("link"), title)
            rows.append({
                "id": f"wire-{group.id}" if order == 1 else f"wire-{group.id}-{order}", "group": group.id, "order": order,
                "title": text_cell("" if link else title, links=[link], sort=title.lower()),
                "provider": labels.get(str(data.get("provider")), str(data.get("provider") or "")),
                "published": text_cell(str(data.get("published") or "")[:16].replace("T", " "), nowrap=True),
                "first": "first" if node == group.first else "",
            })
    columns = [("group", "Group", True), ("order", "Order", True), ("title", "Title", False),
               ("provider", "Provider", False), ("published", "Published (UTC)", False), ("first", "", False)]
    return table_from_rows("syndication", f"Syndication: {len(groups):,} group{'' if len(groups) == 1 else 's'} of wire copies", columns, rows,
                           notes=["Near-identical ledes from different providers (MinHash over word pairs, checked by "
                                  "containment); in publishing order, the first marked."],
                           empty="No wire copies found: no two providers carry near-identical ledes.")


def markdown_report(heading: str, summary: list[tuple[str, str]], tables: dict[str, Table], clusters: ClusterResult,
                    groups: Sequence[SyndicationGroup], graph: nx.Graph, *, top: int, coverage: Coverage,
                    changes: Sequence[StoryChange] | None) -> str:
    """``report.md``: the corpus figures and every table, ready to paste into a document."""
    labels = _labels(graph)
    parts = [f"# {markdown_text(heading)}", "", "## Corpus", "", render_table(Table("summary", ["figure", "value"],
             [{"figure": label, "value": value} for label, value in summary], []), "md")]
    if changes is not None:
        parts += ["## What changed since the last run", "", render_table(change_table(changes), "md")]
    stories = story_table(coverage, labels)
    stories.rows = stories.rows[:top]
    parts += [f"## Top {top} stories by coverage", "", render_table(stories, "md"),
              "## Who reported first", "", render_table(provider_table(coverage), "md"),
              "## Who follows whom", "", render_table(leadlag_table(coverage, labels), "md"),
              "## Blindspots", "", render_table(blindspot_table(coverage, labels), "md")]
    titles = {"article": f"Top {top} articles by PageRank", "provider": "Providers", "topic": "Topics"}
    for kind, table in tables.items():
        view = select(table, top=top)
        view.columns = [column for column in view.columns if column != "id"] if kind == "article" else view.columns
        parts += [f"## {titles.get(kind, kind)}", "", render_table(view, "md")]
    listed = ClusterResult([c for c in clusters.clusters if c.size > 1], clusters.storylines, clusters.settings)
    parts += ["## Stories", "", render_clusters(listed, "md")]
    storylines = Table("storylines", ["storyline", "label", "keywords", "stories", "articles"], [
        {"storyline": line.id, "label": line.label, "keywords": ", ".join(line.keywords), "stories": len(line.stories),
         "articles": line.articles} for line in clusters.storylines if len(line.stories) > 1], [])
    parts += ["## Storylines", "", render_table(storylines, "md")]
    wire_rows = [
        {"group": group.id, "order": order, "title": graph.nodes[node].get("title", node),
         "provider": labels.get(str(graph.nodes[node].get("provider")), ""),
         "published": graph.nodes[node].get("published", ""), "link": graph.nodes[node].get("link")}
        for group in groups for order, node in enumerate(group.members, start=1)
    ]
    parts += ["## Syndication groups", "", render_table(Table("syndication", ["group", "order", "title", "provider",
                                                                           "published", "link"], wire_rows, []), "md")]
    return "\n".join(parts)
