"""Stories as text: CSV, JSON and Markdown (the terminal table is drawn by the CLI).

Every value (titles, labels, provider names) comes from the web, so Markdown cells are
escaped by :func:`~graphnews.export.report.markdown_text`, CSV cells neutralised against
formula injection by :func:`~graphnews.export.report.csv_cell`, and NaN never reaches JSON.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from ..analysis.clusters import Cluster, ClusterResult
from ..errors import GraphnewsError
from .report import csv_cell, json_text, markdown_text

REPORT_FORMATS = ("csv", "json", "md")
COLUMNS = ("cluster", "story", "size", "label", "keywords", "first_report", "first_provider", "start", "end",
           "providers", "storyline", "syndication")


def cluster_row(cluster: Cluster) -> dict[str, str | int]:
    """The flat row of one story (lists joined with ``"; "``)."""
    return {
        "cluster": cluster.id, "story": cluster.story, "size": cluster.size, "label": cluster.label,
        "keywords": "; ".join(cluster.keywords), "first_report": cluster.lead, "first_provider": cluster.lead_provider or "",
        "start": cluster.start or "", "end": cluster.end or "",
        "providers": "; ".join(f"{name} ({count})" for name, count in cluster.providers),
        "storyline": cluster.storyline, "syndication": "; ".join(str(group) for group in cluster.syndication),
    }


def render_clusters(result: ClusterResult, fmt: str) -> str:
    """``result`` as ``csv`` (one row a story), ``json`` (stories with members and why, storylines) or ``md``.

    Examples
    --------
    >>> from graphnews.settings import Settings
    >>> cluster = Cluster(0, "story:1", 2, "Dockers | strike", ["rota"], "article:a", "Dockers strike", "Alder Post",
    ...                   None, None, [("Alder Post", 2)], ["Strike"], [], "storyline:1", ["article:a", "article:b"], {}, {})
    >>> print(render_clusters(ClusterResult([cluster], [], Settings()), "md").splitlines()[2])
    | 0 | story:1 | 2 | Dockers \\| strike | rota | article:a | Alder Post |  |  | Alder Post \\(2\\) | storyline:1 |  |
    """
    if fmt == "json":
        return json_text(clusters_document(result)) + "\n"
    rows = [cluster_row(cluster) for cluster in result.clusters]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({column: csv_cell(str(value)) for column, value in row.items()} for row in rows)
        return buffer.getvalue()
    if fmt == "md":
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
        lines += ["| " + " | ".join(markdown_text(str(row[column])) for column in COLUMNS) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    raise GraphnewsError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")


def clusters_document(result: ClusterResult, lazily: bool = False) -> dict[str, object]:
    """The JSON document of :func:`render_clusters` (settings, stories, storylines), before it is text.

    ``lazily``: the stories and storylines as iterators, made as they are written
    (:func:`graphnews.export.report.write_json`).
    """
    stories, storylines = map(story_json, result.clusters), map(asdict, result.storylines)
    return {"settings": result.settings.flat(), "stories": stories if lazily else list(stories),
            "storylines": storylines if lazily else list(storylines)}


def story_json(cluster: Cluster) -> dict[str, object]:
    """One story for ``clusters.json``: ids, headline, keywords, first report, providers, span, members with why."""
    return {
        "id": cluster.story, "number": cluster.id, "label": cluster.label, "keywords": cluster.keywords,
        "size": cluster.size, "first_report": {"id": cluster.lead, "title": cluster.lead_title,
                                               "provider": cluster.lead_provider, "published": cluster.start},
        "providers": [{"name": name, "articles": count} for name, count in cluster.providers],
        "span": {"start": cluster.start, "end": cluster.end}, "storyline": cluster.storyline,
        "topics": cluster.topics, "syndication": cluster.syndication,
        "members": [{"id": member, "provider": cluster.outlets.get(member), "why": cluster.why.get(member, "")}
                    for member in cluster.members],
    }
