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

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import networkx as nx

from .atomic import WriteError
from .model import Corpus

#: Output files and what each is for (the README and the overview page show this).
OUTPUT_FILES: dict[str, str] = {
    "index.html": "overview: summary, timeline, top stories, providers, topics, clusters, syndication",
    "graph.html": "interactive graph of the most central articles, providers and topics",
    "clusters.html": "one node per story cluster, linked by the stories between them",
    "providers.html": "which outlets cover each other's stories (co-coverage)",
    "report.md": "the tables as Markdown, ready to paste into a document",
    "centrality.csv": "every measure for every article, provider and topic",
    "clusters.json": "story clusters with their members, and syndication groups",
    "graph.json": "the whole graph as node-link JSON (reload with --graph)",
    "graph.graphml": "the whole graph for Gephi, yEd or igraph",
    "graph.gexf": "the whole graph for Gephi",
}

StageCallback = Callable[[str, float | None], None]


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
        staging = tempfile.mkdtemp(prefix=".graphnews-staging-", dir=out_dir)
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


def explore(paths: Sequence[str], out_dir: str, **options: Any) -> ExploreResult:  # replaced at integration
    raise NotImplementedError
