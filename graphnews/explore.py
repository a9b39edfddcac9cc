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

The whole-graph files and ``clusters.json`` are written by forked children, one at a time
(:mod:`graphnews.export.forked`), while the pages are written here.

Files are first written into a hidden staging folder beside the output folder
(``.<name>.staging-*``); once every one of them was written, the staging folder and the
output folder are swapped in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``; two
renames elsewhere), so readers see the old report or the new one, never a mix, and a
failed or killed run leaves the previous report as it was. Entries of the output folder
that graphnews did not write are carried into the new report (hard links). One explore at
a time writes into a folder: a second one exits at once with one line
(:func:`output_lock`, an ``flock`` on ``.<name>.lock`` beside the folder).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import networkx as nx

from . import build_graph, load, sample_data_path
from .analysis.changes import StoryChange, read_previous
from .analysis.clusters import ClusterResult
from .analysis.pipeline import analyse
from .analysis.syndication import SyndicationGroup
from .atomic import WriteError, atomic_open, write_text
from .export import html
from .export.clusters_report import clusters_document
from .export.coverage_report import leadlag_table, provider_table
from .export.files import write_graph
from .export.forked import Writers
from .export.overview import build_overview, corpus_summary, markdown_report, render_overview
from .export.report import render_table, write_combined_csv, write_json
from .export.style import GraphStyle, graph_style
from .gcpause import paused_gc
from .model import Corpus
from .read import DEFAULT_MAX_FILE_BYTES
from .settings import Settings

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
#: Graphs with fewer edges are written in one process: forking and waiting cost more than they save
#: on a shared machine (the sample, 400 edges: write stage 0.36 s forked, 0.26 s not; the election
#: corpus, 12,500 edges: 2.13 against 2.08 s, medians at load average 5 to 6).
FORK_MIN_EDGES = 20_000
#: Graphs with more edges are written in one process too: a child serialising the whole graph touches, hence
#: copies, nearly every page of it (100k records, 1.5M edges: the child grew to 2.0 GB beside the parent's
#: 2.6 GB, 4.7 GB in all, to save ~20 s of a 46 s write stage).
FORK_MAX_EDGES = 1_000_000
#: Staging folders of earlier versions, inside the output folder: never carried into a new report.
LEGACY_STAGING_PREFIX = ".graphnews-staging-"
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


@dataclass
class ExploreResult:
    """What :func:`explore` built and wrote."""

    out_dir: str
    files: list[str]
    corpus: Corpus
    graph: nx.MultiDiGraph
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"ExploreResult({len(self.files)} files in {self.out_dir!r}, {self.corpus!r}, "
                f"{sum(self.timings.values()):.1f} s)")


def _beside(out_dir: str, suffix: str) -> str:
    """``.<name><suffix>`` in the folder that holds ``out_dir`` (a symlinked folder: beside its target)."""
    real = os.path.realpath(out_dir)
    return os.path.join(os.path.dirname(real), f".{os.path.basename(real)}{suffix}")


@contextmanager
def output_lock(out_dir: str) -> Iterator[None]:
    """Hold the only right to write into ``out_dir``; raise :class:`WriteError` when another run has it.

    An exclusive ``flock`` on ``.<name>.lock`` beside the folder; the kernel releases it
    when the run ends, killed or not, so a lock is never stale.
    """
    path = _beside(out_dir, ".lock")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise WriteError(f"cannot write into {out_dir}: {error.strerror or error}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise WriteError(f"cannot write into {out_dir}: another graphnews explore is writing there") from None
        yield
    finally:
        os.close(descriptor)


@contextmanager
def staging_folder(out_dir: str) -> Iterator[str]:
    """A hidden folder beside ``out_dir``; on success it becomes ``out_dir`` in one atomic swap.

    Call it under :func:`output_lock`: staging folders left by killed runs are then
    certainly stale and are removed first.
    """
    real = os.path.realpath(out_dir)
    here = os.path.realpath(os.getcwd())
    if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
        raise WriteError(f"cannot write into {out_dir}: it holds the current folder; give the report a folder of its own")
    prefix = os.path.basename(_beside(out_dir, ".staging-"))
    try:
        os.makedirs(os.path.dirname(real), exist_ok=True)
        for leftover in glob.glob(os.path.join(glob.escape(os.path.dirname(real)), glob.escape(prefix) + "*")):
            _remove_tree(leftover)
        staging = tempfile.mkdtemp(prefix=prefix, dir=os.path.dirname(real))
    except OSError as error:
        raise WriteError(f"cannot write into {out_dir}: {error.strerror or error}") from None
    try:
        yield staging
        if os.path.isdir(real):
            _carry_over(real, staging)
            os.chmod(staging, os.stat(real).st_mode & 0o7777)
            _exchange(staging, real)  # the old report is now at ``staging``, and removed below
        else:
            os.chmod(staging, 0o755)
            os.rename(staging, real)
    except OSError as error:
        raise WriteError(f"cannot write into {out_dir}: {error.strerror or error}") from None
    except RecursionError:  # a folder of your own in the output folder, nested too deep to carry over
        raise WriteError(f"cannot write into {out_dir}: it holds folders nested too deeply to carry over") from None
    finally:
        _remove_tree(staging)


def _remove_tree(path: str) -> None:
    """Remove a folder and all in it, quietly (what is too deep for shutil stays for the next run)."""
    try:
        shutil.rmtree(path, ignore_errors=True)
    except RecursionError:
        pass


def _carry_over(old: str, new: str) -> None:
    """Hard-link the entries of ``old`` that graphnews did not write into ``new`` (copies across devices)."""
    for name in os.listdir(old):
        if name in OUTPUT_FILES or name.startswith(LEGACY_STAGING_PREFIX):
            continue
        source, target = os.path.join(old, name), os.path.join(new, name)
        if os.path.isdir(source) and not os.path.islink(source):
            shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
        elif os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            _link_or_copy(source, target)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _exchange(first: str, second: str) -> None:
    """Swap two folders atomically (Linux ``renameat2``); two renames where the system cannot."""
    if sys.platform.startswith("linux"):
        renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
        if renameat2 is not None:
            if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
                return
            code = ctypes.get_errno()
            if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
                raise OSError(code, os.strerror(code), second)
    aside = f"{first}-old"  # beside the staging folder, under the output lock: no other run uses the name
    os.rename(second, aside)
    try:
        os.rename(first, second)
    except OSError:
        os.rename(aside, second)
        raise
    os.rename(aside, first)


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
    settings: Settings | None = None,
    seed: int = 0,
    max_nodes: int = html.DEFAULT_MAX_NODES,
    top: int = 25,
    title: str | None = None,
    on_stage: StageCallback | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    follow_links: bool = False,
) -> ExploreResult:
    """Read ``paths`` once, analyse, and write every output of :data:`OUTPUT_FILES` into ``out_dir``.

    Parameters
    ----------
    paths : record files or folders.
    out_dir : folder to write into (created when missing).
    max_bytes, workers, cache, follow_links : passed to :func:`graphnews.load`.
    settings : the analysis settings (:class:`graphnews.settings.Settings`; default: the defaults).
    seed : seed of sampled betweenness.
    max_nodes : cap of ``graph.html`` (the most central nodes are kept).
    top : rows of each table on the overview page and in ``report.md``.
    on_stage : called as ``on_stage(name, None)`` when a stage starts and
        ``on_stage(name, seconds)`` when it ends.

    Raises :class:`~graphnews.atomic.WriteError` when another explore is writing into
    ``out_dir`` (:func:`output_lock`) or an output cannot be written; the previous report
    is then left as it was. A corpus with no readable record gives a complete, empty report.

    Returns
    -------
    ExploreResult : the corpus, the annotated graph (``cluster``, ``pagerank`` ... on its
        nodes), the files written and the time each stage took.
    """
    with output_lock(out_dir):
        return _explore(paths, out_dir, max_bytes=max_bytes, workers=workers, cache=cache, settings=settings,
                        seed=seed, max_nodes=max_nodes, top=top, title=title, on_stage=on_stage, on_progress=on_progress,
                        follow_links=follow_links)


def _explore(paths: Sequence[str], out_dir: str, *, max_bytes: int, workers: int | None, cache: bool | None,
             settings: Settings | None, seed: int, max_nodes: int, top: int, title: str | None,
             on_stage: StageCallback | None, on_progress: Callable[[int, int], None] | None,
             follow_links: bool) -> ExploreResult:
    stage = _Stages(on_stage)
    with stage("read"):
        corpus = load(paths, max_bytes=max_bytes, workers=workers, cache=cache, on_progress=on_progress,
                      follow_links=follow_links)
    with stage("graph"):
        graph = build_graph(corpus)
    previous = read_previous(os.path.join(out_dir, "clusters.json"))
    analysis = analyse(graph, settings, seed=seed, previous=previous, stage=stage)
    clusters, tables, groups, added = analysis.clusters, analysis.tables, analysis.groups, analysis.added
    coverage, changes = analysis.coverage, analysis.changes
    assert clusters is not None and coverage is not None  # analyse() clusters unless asked not to
    names = {node: str(data.get("label") or node) for node, data in graph.nodes(data=True) if data.get("kind") == "provider"}
    built_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = title or f"graphnews: {_describe_inputs(paths)}"
    shown_inputs = _display_inputs(paths)
    files: list[str] = []
    clustered = any(isinstance(cluster, int) for _node, cluster in graph.nodes(data="cluster"))
    # the cyclic collector paused while writing: the pages' allocations set it walking every object of the analysed
    # graph again and again, none of them garbage (10k records: clusters.html 0.8 -> 0.4 s, the same peak RSS)
    with stage("write"), paused_gc(), staging_folder(out_dir) as staging, \
            Writers(fork=None if FORK_MIN_EDGES <= graph.number_of_edges() <= FORK_MAX_EDGES else False) as writers:
        def target(name: str) -> str:
            files.append(os.path.join(out_dir, name))
            return os.path.join(staging, name)

        def text_file(name: str, make: Callable[[], str]) -> tuple[str, Callable[[], object]]:
            path = target(name)
            return name, lambda: write_text(path, make())

        def streamed_file(name: str, write: Callable[[IO[Any]], object], binary: bool = False) -> tuple[str, Callable[[], object]]:
            path = target(name)

            def run() -> None:
                with atomic_open(path, "wb" if binary else "w", None if binary else "utf-8") as handle:
                    write(handle)
            return name, run

        def graph_file(fmt: str, style: GraphStyle | None = None) -> tuple[str, Callable[[], object]]:
            path = target(f"graph.{fmt}")
            return f"graph.{fmt}", lambda: write_graph(graph, path, fmt, style=style)

        # graph.graphml, then graph.gexf and clusters.json (about half of this stage) in forked children, one after
        # the other, beside the pages written here; the GEXF waits for the style, made here for graph.html too.
        # graph.json is written here: with it in the children they took ~1.3x the parent's path (10k records)
        writers.start([graph_file("graphml")])
        color_by = "cluster" if clustered else "kind"
        style = graph_style(graph, color_by=color_by)  # one look for graph.gexf and graph.html
        writers.start([graph_file("gexf", style),
                       streamed_file("clusters.json", lambda handle: write_clusters_json(handle, clusters, groups, changes if previous else None),
                                     binary=True)])
        writers.run(*graph_file("json"))
        # row by row: as one string (with its StringIO) the 100k table took ~0.5 GB for a moment, the run's peak
        writers.run(*streamed_file("centrality.csv", lambda handle: write_combined_csv(handle, list(tables.values()))))
        writers.run(*text_file("providers.csv", lambda: render_table(provider_table(coverage), "csv")))
        writers.run(*text_file("leadlag.csv", lambda: render_table(leadlag_table(coverage, names), "csv")))
        pages = {
            "graph.html": writers.run("graph.html", lambda: html.write_html(
                graph, target("graph.html"), title=f"{heading}: graph", inputs=shown_inputs, view="full",
                color_by=color_by, max_nodes=max_nodes, style=style)),
            # no article, no story cluster: the page says so with the (empty) graph instead
            "clusters.html": writers.run("clusters.html", lambda: html.write_html(
                graph, target("clusters.html"), title=f"{heading}: stories", inputs=shown_inputs,
                view="clusters" if clustered else "full", color_by="cluster" if clustered else "kind")),
            "providers.html": writers.run("providers.html", lambda: html.write_html(
                graph, target("providers.html"), title=f"{heading}: providers", inputs=shown_inputs, view="providers")),
        }
        summary = corpus_summary(corpus, graph, clusters, added)
        writers.run(*text_file("report.md", lambda: markdown_report(heading, summary, tables, clusters, groups, graph, top=top,
                                                                    coverage=coverage, changes=changes if previous else None)))
        overview = build_overview(
            title=heading, inputs=shown_inputs, built_at=built_at, summary=summary, corpus=corpus, graph=graph,
            tables=tables, clusters=clusters, groups=groups, in_graph_page=set(pages["graph.html"].shown), top=top,
            coverage=coverage, changes=changes if previous else None,
            pages=[(name, OUTPUT_FILES[name]) for name in OUTPUT_FILES if name != "index.html"],
        )
        writers.run(*text_file("index.html", lambda: render_overview(overview)))
    return ExploreResult(out_dir, sorted(files), corpus, graph, stage.timings,
                         {"clusters": clusters, "tables": tables, "groups": groups, "added": added, "pages": pages,
                          "coverage": coverage, "changes": changes if previous else None,
                          "file_seconds": writers.seconds})


def _describe_inputs(paths: Sequence[str]) -> str:
    if len(paths) == 1:
        return os.path.basename(os.path.normpath(paths[0])) or paths[0]
    return f"{len(paths)} inputs"


def _display_inputs(paths: Sequence[str]) -> list[str]:
    """Inputs as the pages show them (the embedded sample by name, not by site-packages path)."""
    sample = os.path.normpath(sample_data_path())
    return ["the embedded sample data" if os.path.normpath(path) == sample else path for path in paths]


def write_clusters_json(handle: IO[bytes], clusters: ClusterResult, groups: Sequence[SyndicationGroup],
                        changes: Sequence[StoryChange] | None) -> None:
    """``clusters.json``: every story (members, why, first report, storyline), every storyline, the wire
    groups, and the changes since the earlier report in the folder (null when there was none)."""
    document = clusters_document(clusters, lazily=True)  # not render_clusters' text read back: 17 MB at 10k records
    document["syndication"] = map(asdict, groups)
    document["changes"] = None if changes is None else [asdict(change) for change in changes]
    write_json(handle, document, streamed=("stories", "storylines", "syndication"))
    handle.write(b"\n")
