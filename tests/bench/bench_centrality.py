"""Benchmark (not a test): every centrality measure on a synthetic 100,000-article graph.

Run from the repository root: PYTHONPATH=. python tests/bench/bench_centrality.py [articles]
"""

from __future__ import annotations

import random
import sys
import time

import networkx as nx

from graphnews.analysis.centrality import article_table, provider_table, topic_table


def synthetic(articles: int, related: int = 12, providers: int = 200, topics: int = 50) -> nx.MultiDiGraph:
    """Articles with ``related`` random related links each, a provider and two topics (seed 0)."""
    rng = random.Random(0)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((f"provider:p{i}", {"kind": "provider", "label": f"P{i}"}) for i in range(providers))
    graph.add_nodes_from((f"topic:t{i}", {"kind": "topic", "label": f"T{i}"}) for i in range(topics))
    ids = [f"article:a{i}" for i in range(articles)]
    for node in ids:
        provider = f"provider:p{rng.randrange(providers)}"
        graph.add_node(node, kind="article", title=node, provider=provider)
        graph.add_edge(node, provider, key="published_by", weight=1.0)
        for topic in rng.sample(range(topics), 2):
            graph.add_edge(node, f"topic:t{topic}", key="tagged", weight=1.0)
        for rank, other in enumerate(rng.sample(ids, related)):
            if other != node:
                graph.add_edge(node, other, key="related", weight=1.0, rank=rank)
    return graph


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    started = time.perf_counter()
    graph = synthetic(n)
    print(f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges, "
          f"{time.perf_counter() - started:.1f} s")
    total = 0.0
    for function in (article_table, provider_table, topic_table):
        started = time.perf_counter()
        table = function(graph)
        seconds = time.perf_counter() - started
        total += seconds
        print(f"{function.__name__}: {len(table.rows):,} rows, {seconds:.1f} s; notes: {table.notes}")
    print(f"all tables: {total:.1f} s")
