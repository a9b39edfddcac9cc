"""The main job: read once, analyse, and write a complete browsable report into a folder.

:func:`explore` runs every stage (read, merge, graph, similarity/syndication/citations,
clusters, centrality) and writes, all from the same build:

==================  ==============================================================
``index.html``      overview: corpus summary, timeline, top stories/providers/topics,
                    story clusters, syndication groups, skipped files
``graph.html``      the interactive graph (the most central nodes, capped)
``clusters.html``   one node per story cluster
``providers.html``  provider co-coverage graph
``report.md``       the same tables as Markdown, ready to paste
``centrality.csv``  every measure for every article, provider and topic
``clusters.json``   clusters with members, and syndication groups
``graph.json``      node-link JSON (``graphnews ... --graph graph.json`` reads it back)
``graph.graphml``   for Gephi, yEd, igraph
``graph.gexf``      for Gephi
==================  ==============================================================

Files are first written into a hidden staging folder inside the output folder and only
moved into place once every one of them was written, so a failed run never leaves a
half-written report, nor a mix of old and new files, over a good one.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

import networkx as nx

from . import build_graph, load, sample_data_path
from .analysis.changes import StoryChange, read_previous
from .analysis.clusters import ClusterConfig, ClusterResult
from .analysis.pipeline import analyse
from .analysis.syndication import SyndicationGroup
from .atomic import WriteError, remove_stale, write_text
from .export import html
from .export.clusters_report import render_clusters
from .export.files import GRAPH_FORMATS, write_graph
from .export.overview import build_overview, corpus_summary, markdown_report, render_overview
from .export.coverage_report import leadlag_table, provider_table
from .export.report import combined_csv, render_table
from .model import Corpus
from .read import DEFAULT_MAX_FILE_BYTES

#: Output files and what each is for (the README and the overview page show this).
OUTPUT_FILES: dict[str, str] = {
    "index.html": "overview: top stories by coverage, who was first, camps and blindspots, what changed, timeline",
    "graph.html": "interactive graph of the most central articles, providers and topics",
    "clusters.html": "one node per story, linked by the related lists between them",
    "providers.html": "which outlets cover each other's stories (co-coverage)",
    "report.md": "the tables as Markdown, ready to paste into a document",
    "centrality.csv": "every measure for every article, provider and topic",
    "providers.csv": "per outlet: stories covered and reported first, median delay, wire share, camp",
    "leadlag.csv": "per pair of outlets: who publishes a shared story after whom, median lag",
    "clusters.json": "stories (members, why, first report) and storylines, wire groups, changes since the last run",
    "graph.json": "the whole graph as node-link JSON (reload with --graph)",
    "graph.graphml": "the whole graph for Gephi, yEd or igraph",
    "graph.gexf": "the whole graph for Gephi",
}

StageCallback = Callable[[str, float | None], None]
STAGING_PREFIX = ".graphnews-staging-"


@dataclass
class ExploreResult:
    """What :func:`explore` built and wrote."""

    out_dir: str
    files: list[str]
    corpus: Corpus
    graph: nx.MultiDiGraph
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


@contextmanager
def staging_folder(out_dir: str) -> Iterator[str]:
    """A hidden folder inside ``out_dir``; on success its files replace those in ``out_dir``."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        remove_stale(os.path.join(glob.escape(out_dir), f"{STAGING_PREFIX}*"))  # left by killed runs
        staging = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir)
    except OSError as error:
        raise WriteError(f"cannot write into {out_dir}: {error.strerror or error}") from None
    try:
        yield staging
        for name in sorted(os.listdir(staging)):
            os.replace(os.path.join(staging, name), os.path.join(out_dir, name))
    except OSError as error:
        raise WriteError(f"cannot write into {out_dir}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class _Stages:
    def __init__(self, callback: StageCallback | None) -> None:
        self.callback = callback
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if self.callback:
            self.callback(name, None)
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started
        if self.callback:
            self.callback(name, self.timings[name])


def explore(
    paths: Sequence[str],
    out_dir: str,
    *,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    workers: int | None = None,
    cache: bool | None = None,
    config: ClusterConfig | None = None,
    seed: int = 0,
    max_nodes: int = html.DEFAULT_MAX_NODES,
    top: int = 25,
    title: str | None = None,
    on_stage: StageCallback | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ExploreResult:
    """Read ``paths`` once, analyse, and write every output of :data:`OUTPUT_FILES` into ``out_dir``.

    Parameters
    ----------
    paths : record files or folders.
    out_dir : folder to write into (created when missing).
    max_bytes, workers, cache : passed to :func:`graphnews.load`.
    config : story settings (:class:`graphnews.analysis.clusters.ClusterConfig`).
    seed : seed of sampled betweenness.
    max_nodes : cap of ``graph.html`` (the most central nodes are kept).
    top : rows of each table on the overview page and in ``report.md``.
    on_stage : called as ``on_stage(name, None)`` when a stage starts and
        ``on_stage(name, seconds)`` when it ends.

    Returns
    -------
    ExploreResult : the corpus, the annotated graph (``cluster``, ``pagerank`` ... on its
        nodes), the files written and the time each stage took.
    """
    stage = _Stages(on_stage)
    with stage("read"):
        corpus = load(paths, max_bytes=max_bytes, workers=workers, cache=cache, on_progress=on_progress)
    with stage("graph"):
        graph = build_graph(corpus)
    previous = read_previous(os.path.join(out_dir, "clusters.json"))
    analysis = analyse(graph, config, seed=seed, previous=previous, stage=stage)
    clusters, tables, groups, added = analysis.clusters, analysis.tables, analysis.groups, analysis.added
    coverage, changes = analysis.coverage, analysis.changes
    assert clusters is not None and coverage is not None  # analyse() clusters unless asked not to
    names = {node: str(data.get("label") or node) for node, data in graph.nodes(data=True) if data.get("kind") == "provider"}
    built_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    heading = title or f"graphnews: {_describe_inputs(paths)}"
    shown_inputs = _display_inputs(paths)
    files: list[str] = []
    with stage("write"), staging_folder(out_dir) as staging:
        def target(name: str) -> str:
            files.append(os.path.join(out_dir, name))
            return os.path.join(staging, name)

        for fmt in GRAPH_FORMATS:
            write_graph(graph, target(f"graph.{fmt}"), fmt)
        write_text(target("centrality.csv"), combined_csv(list(tables.values())))
        write_text(target("providers.csv"), render_table(provider_table(coverage), "csv"))
        write_text(target("leadlag.csv"), render_table(leadlag_table(coverage, names), "csv"))
        write_text(target("clusters.json"), clusters_json(clusters, groups, changes if previous else None))
        pages = {
            "graph.html": html.write_html(graph, target("graph.html"), title=f"{heading}: graph", inputs=shown_inputs,
                                          view="full", color_by="cluster", max_nodes=max_nodes),
            "clusters.html": html.write_html(graph, target("clusters.html"), title=f"{heading}: stories",
                                             inputs=shown_inputs, view="clusters", color_by="cluster"),
            "providers.html": html.write_html(graph, target("providers.html"), title=f"{heading}: providers",
                                              inputs=shown_inputs, view="providers"),
        }
        summary = corpus_summary(corpus, graph, clusters, added)
        write_text(target("report.md"), markdown_report(heading, summary, tables, clusters, groups, graph, top=top,
                                                        coverage=coverage, changes=changes if previous else None))
        overview = build_overview(
            title=heading, inputs=shown_inputs, built_at=built_at, summary=summary, corpus=corpus, graph=graph,
            tables=tables, clusters=clusters, groups=groups, in_graph_page=set(pages["graph.html"].shown), top=top,
            coverage=coverage, changes=changes if previous else None,
            pages=[(name, OUTPUT_FILES[name]) for name in OUTPUT_FILES if name != "index.html"],
        )
        write_text(target("index.html"), render_overview(overview))
    return ExploreResult(out_dir, sorted(files), corpus, graph, stage.timings,
                         {"clusters": clusters, "tables": tables, "groups": groups, "added": added, "pages": pages,
                          "coverage": coverage, "changes": changes if previous else None})


def _describe_inputs(paths: Sequence[str]) -> str:
    if len(paths) == 1:
        return os.path.basename(os.path.normpath(paths[0])) or paths[0]
    return f"{len(paths)} inputs"


def _display_inputs(paths: Sequence[str]) -> list[str]:
    """Inputs as the pages show them (the embedded sample by name, not by site-packages path)."""
    sample = os.path.normpath(sample_data_path())
    return ["the embedded sample data" if os.path.normpath(path) == sample else path for path in paths]


def clusters_json(clusters: ClusterResult, groups: Sequence[SyndicationGroup],
                  changes: Sequence[StoryChange] | None) -> str:
    """``clusters.json``: every story (members, why, first report, storyline), every storyline, the wire
    groups, and the changes since the earlier report in the folder (null when there was none)."""
    document = json.loads(render_clusters(clusters, "json"))
    document["syndication"] = [asdict(group) for group in groups]
    document["changes"] = None if changes is None else [asdict(change) for change in changes]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
