"""Benchmark (not a test): time to write a page, and time until Chromium shows it settled.

    python tests/bench/bench_html.py [SIZES...]    # default 500 1000 2000 5000

Graphs are random article graphs (3 related links per article, one provider in 20, seed 0),
drawn with every node kept; pages load in headless Debian Chromium.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright

from graphnews.export.html import write_html

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def random_graph(n: int) -> nx.MultiDiGraph:
    rng = random.Random(0)
    graph = nx.MultiDiGraph()
    providers = [f"provider:p{i}.com" for i in range(max(1, n // 20))]
    for p in providers:
        graph.add_node(p, kind="provider", label=p)
    articles = [f"article:a{i}" for i in range(n - len(providers))]
    for a in articles:
        graph.add_node(a, kind="article", title=f"Story {a}", link=f"https://x.com/{a}")
        graph.add_edge(a, rng.choice(providers), key="published_by", kind="published_by")
    for a in articles:
        for b in rng.sample(articles, 3):
            if a != b:
                graph.add_edge(a, b, key="related", kind="related")
    return graph


def main(sizes: list[int]) -> None:
    folder = Path(tempfile.mkdtemp())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for n in sizes:
            graph = random_graph(n)
            path = folder / f"g{n}.html"
            started = time.perf_counter()
            info = write_html(graph, str(path), max_nodes=n)
            written = time.perf_counter() - started
            page = browser.new_page(viewport={"width": 1300, "height": 850})
            started = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.graphnews && window.graphnews.stable", timeout=300000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            shown = time.perf_counter() - started
            page.close()
            print(f"{n:>6} nodes {info.edges:>6} edges  layout {info.layout:<11}  write {written:5.2f} s  "
                  f"page {path.stat().st_size / 1e6:4.1f} MB  load+stable {shown:5.2f} s", flush=True)
        browser.close()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 1000, 2000, 5000])
