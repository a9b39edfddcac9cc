"""The analysis runs with the built graph hidden from the cyclic collector, and gives it back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import graphnews
from graphnews.analysis.pipeline import analyse


def test_analysis_stages_run_on_a_frozen_heap_and_unfreeze_after() -> None:
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    frozen: dict[str, int] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        frozen[name] = gc.get_freeze_count()
        yield

    analyse(graph, stage=stage)
    assert list(frozen) == ["similarity, syndication, citations", "stories", "coverage", "centrality"]
    assert min(frozen.values()) >= graph.number_of_nodes()  # the graph's node dicts at least
    assert gc.get_freeze_count() == 0 and gc.isenabled()
