"""All the analysis a graph can get, in the order it needs: enrich, cluster, measure.

Shared by ``graphnews explore`` and by commands that need one piece on demand (``html
--view clusters`` on a freshly read corpus), so the steps run the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import networkx as nx

from ..gcpause import frozen_heap
from ..settings import Settings
from .annotate import write_measures, write_stories
from .centrality import Table, centrality_tables
from .changes import Previous, StoryChange, carry_ids
from .clusters import ClusterResult, enrich, find_clusters
from .coverage import Coverage, coverage
from .similarity import text_model
from .syndication import SyndicationGroup, groups_from_graph

Stage = Callable[[str], AbstractContextManager[None]]


@dataclass
class Analysis:
    """What :func:`analyse` found (the graph itself is annotated in place)."""

    added: dict[str, int] = field(default_factory=dict)
    groups: list[SyndicationGroup] = field(default_factory=list)
    clusters: ClusterResult | None = None
    coverage: Coverage | None = None
    changes: list[StoryChange] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)

    def __repr__(self) -> str:
        stories = f"{len(self.clusters.clusters):,} stories" if self.clusters else "no stories"
        return (f"Analysis({stories}, {len(self.groups):,} wire groups, added {self.added}, "
                f"tables {sorted(self.tables)})")


def analyse(graph: nx.MultiDiGraph, settings: Settings | None = None, *, seed: int = 0,
            clusters: bool = True, centrality: bool = True, previous: Previous | None = None,
            stage: Stage | None = None) -> Analysis:
    """Add similar/syndicated/cites edges and stories, then centrality, to ``graph``.

    Parameters
    ----------
    graph : the article graph from :func:`graphnews.build_graph`; changed in place: new
        edges, and node attributes ``cluster``, ``cluster_label``, ``story``, ``storyline``,
        ``story_why``, ``syndication``, ``pagerank``, ``provider_pagerank`` ... (all written
        by :mod:`.annotate`, named as :mod:`graphnews.schema` declares)
    settings : the analysis settings (:class:`graphnews.settings.Settings`; default: the defaults).
    seed : seed of sampled betweenness and of the provider camps.
    previous : the stories of an earlier run: their ids are carried over and the changes listed.
    clusters, centrality : which parts to run.
    stage : a context-manager factory wrapped around each step (timings, progress).

    Returns
    -------
    Analysis : edge counts added, syndication groups, clusters and centrality tables.
    """
    with frozen_heap():  # the graph is not garbage: the collector need not walk it at every full collection
        return _analyse(graph, settings, seed, clusters, centrality, previous, stage or (lambda _name: nullcontext()))


def _analyse(graph: nx.MultiDiGraph, settings: Settings | None, seed: int, clusters: bool, centrality: bool,
             previous: Previous | None, step: Stage) -> Analysis:
    result = Analysis()
    if clusters:
        with step("similarity, syndication, citations"):
            model = text_model(graph)
            result.added = enrich(graph, settings, model=model)
            result.groups = groups_from_graph(graph)
        with step("stories"):
            found = find_clusters(graph, settings, groups=result.groups)
            result.clusters, result.changes = carry_ids(found, previous)
            write_stories(graph, result.clusters)
        with step("coverage"):
            result.coverage = coverage(graph, result.clusters, result.groups, seed=seed)
    if centrality:
        with step("centrality"):
            result.tables = centrality_tables(graph, seed=seed)
            write_measures(graph, result.tables)
    return result

