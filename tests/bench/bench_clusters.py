"""Benchmark: similarity + syndication + stories on a synthetic corpus (not a test).

Run ``PYTHONPATH=. python tests/bench/bench_clusters.py 10000 100000`` from the repository root. Articles are drawn from
``n / 20`` synthetic stories (each with its own vocabulary over a shared Zipf background),
one in ten stories also carried as wire copies; seconds are printed per stage.
"""

from __future__ import annotations

import sys
import time

import networkx as nx
import numpy as np

from graphnews.analysis.clusters import enrich, find_clusters
from graphnews.analysis.similarity import text_model


def synthetic_graph(n: int, seed: int = 0) -> nx.MultiDiGraph:
    """``n`` articles in ``n // 20`` stories, with related links inside stories."""
    rng = np.random.default_rng(seed)
    background = [f"w{i}" for i in range(20000)]
    zipf = 1 / np.arange(1, len(background) + 1)
    zipf /= zipf.sum()
    graph = nx.MultiDiGraph()
    stories = max(1, n // 20)
    story_words = [[f"s{s}x{k}" for k in range(12)] for s in range(stories)]
    wire = {s: " ".join(rng.choice(story_words[s], 30)) for s in range(0, stories, 10)}
    for i in range(n):
        story = int(rng.integers(stories))
        words = list(rng.choice(background, 40, p=zipf)) + list(rng.choice(story_words[story], 10))
        rng.shuffle(words)
        node = f"article:{i:07d}"
        excerpt = wire[story] if story in wire and rng.random() < 0.3 else " ".join(words[:25])
        graph.add_node(node, kind="article", title=" ".join(words[:8]), excerpt=excerpt, body=" ".join(words),
                       provider=f"provider:p{i % 50}", published=f"2031-03-{1 + i % 28:02d}T00:00:00Z")
        if i and rng.random() < 0.3:
            graph.add_edge(node, f"article:{int(rng.integers(i)):07d}", key="related", kind="related", weight=1.0)
    return graph


def main(sizes: list[int]) -> None:
    for n in sizes:
        graph = synthetic_graph(n)
        started = time.perf_counter()
        model = text_model(graph)
        fitted = time.perf_counter()
        counts = enrich(graph, model=model)
        enriched = time.perf_counter()
        result = find_clusters(graph)
        done = time.perf_counter()
        print(f"{n:>7} articles: tfidf {fitted - started:.1f} s, similar+syndication+cites {enriched - fitted:.1f} s, "
              f"stories+storylines {done - enriched:.1f} s, total {done - started:.1f} s; {counts}; "
              f"{len(result.clusters)} stories, {len(result.storylines)} storylines")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10000])
