"""Story clusters as text: CSV, JSON and Markdown (the terminal table is drawn by the CLI).

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
COLUMNS = ("cluster", "size", "label", "lead", "lead_title", "start", "end", "providers", "topics", "syndication")


def cluster_row(cluster: Cluster) -> dict[str, str | int]:
    """The flat row of one cluster (lists joined with ``"; "``)."""
    return {
        "cluster": cluster.id, "size": cluster.size, "label": cluster.label, "lead": cluster.lead,
        "lead_title": cluster.lead_title, "start": cluster.start or "", "end": cluster.end or "",
        "providers": "; ".join(f"{name} ({count})" for name, count in cluster.providers),
        "topics": "; ".join(cluster.topics),
        "syndication": "; ".join(str(group) for group in cluster.syndication),
    }


def render_clusters(result: ClusterResult, fmt: str) -> str:
    """``result`` as ``csv`` (one row a cluster), ``json`` (everything, members included) or ``md``.

    Examples
    --------
    >>> cluster = Cluster(0, 2, "strike rota", "article:a", "Dockers | strike", None, None,
    ...                   [("Alder Post", 2)], ["Strike"], [], ["article:a", "article:b"])
    >>> print(render_clusters(ClusterResult([cluster], 0.5, "louvain", 0), "md").splitlines()[2])
    | 0 | 2 | strike rota | article:a | Dockers \\| strike |  |  | Alder Post \\(2\\) | Strike |  |
    """
    if fmt == "json":
        data = {"method": result.method, "seed": result.seed, "modularity": result.modularity,
                "clusters": [asdict(cluster) for cluster in result.clusters]}
        return json_text(data, indent=2) + "\n"
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
        lines.append("")
        lines.append(f"Modularity {result.modularity:.4f} ({markdown_text(result.method)}, seed {result.seed}).")
        return "\n".join(lines) + "\n"
    raise GraphnewsError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")
