"""Benchmarks: every pipeline stage on synthetic corpora of growing size.

``python -m graphnews.tools.bench --sizes 1000,10000 --out output/bench.json [--naive] [--producer synthetic,pyyaml]``

For each size it writes (or reuses) a synthetic corpus (:mod:`graphnews.tools.synthetic`) under
``$GRAPHNEWS_BENCH_DIR`` (default: ``<tmp>/graphnews-bench``) and times the stages:
read+parse cold (parse cache emptied), read+parse warm (parse cache filled), merge, graph
build, read+merge warm (the merged corpus loaded whole: :mod:`graphnews.corpus_cache`),
centrality, similarity, clusters, html, and explore total (``graphnews.explore.explore``
on the corpus, cold: parse cache emptied). Stages from other modules (centrality, clusters,
html, explore) are run when importable and implemented, else reported as ``n/a (not available)``.

Memory: ``peak_rss_mb`` is the process's peak resident set size after the stage
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``; a high-water mark, so it never goes
down), plus the peak of worker processes (``RUSAGE_CHILDREN``) for the read stages.

``--producer`` names who writes the corpus's front matter (:data:`graphnews.tools.synthetic.PRODUCER_NAMES`;
``synthetic``: the generator's own line template, ``pyyaml``: ``yaml.safe_dump``'s defaults,
the most common producer); several, comma-separated, are measured one after the other.

``--naive`` adds two side-by-side comparisons on a 10k corpus of each producer, both sides
timed in the same run: the naive *build* (pure-Python ``yaml.SafeLoader`` in one process,
a networkx graph keyed by ``webUrl``) against ``graphnews build --no-cache`` (a subprocess,
imports included); and the naive *page* (the same plus pyvis ``Network.from_nx`` with its
own template) against graphnews' read, merge, build and HTML page.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__, build_graph
from ..atomic import write_text
from ..loader import load
from ..merge import merge_mentions
from ..read import read_paths
from ..read.yamlload import parser_name
from .synthetic import PRODUCER_NAMES, generate

__all__ = [
    "bench_dir",
    "cold_build_seconds",
    "corpus_for",
    "explore_outputs",
    "format_table",
    "naive_build_comparison",
    "naive_comparison",
    "run_size",
]

NOT_AVAILABLE = "n/a (not available)"
SKIPPED = "skipped (--io-only)"
#: Stages that always run: reading, merging and building the graph.
IO_STAGES = ("read+parse cold", "read+parse warm", "merge", "graph build", "read+merge warm (corpus cache)")
STAGES = (*IO_STAGES, "centrality", "similarity", "clusters", "html", "explore total")


def bench_dir() -> str:
    """Where synthetic corpora are cached between runs (``$GRAPHNEWS_BENCH_DIR`` or the temp folder)."""
    return os.environ.get("GRAPHNEWS_BENCH_DIR") or os.path.join(tempfile.gettempdir(), "graphnews-bench")


def corpus_for(n: int, seed: int = 0, folder: str | None = None, producer: str = "synthetic") -> str:
    """The folder of the ``n``-article synthetic corpus written by ``producer``, generated once and then reused."""
    path = os.path.join(folder or bench_dir(), f"{producer}-{n}-seed{seed}")
    marker = os.path.join(path, ".complete")
    if not os.path.exists(marker):
        generate(path, n, seed, producer=producer)
        write_text(marker, f"{n}\n")
    return path


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: kilobytes


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        imported = __import__(f"graphnews.{module}", fromlist=[name])
    except ImportError:
        return None
    return getattr(imported, name, None)


def _timed(rows: list[dict[str, Any]], stage: str, records: int, action: Callable[[], Any] | None,
           children: bool = False, note: str = "") -> Any:
    if action is None:
        rows.append({"stage": stage, "seconds": None, "records_per_s": None, "peak_rss_mb": None, "note": NOT_AVAILABLE})
        return None
    started = time.perf_counter()
    try:
        value = action()
    except NotImplementedError:  # a stage whose module is still a stub on this branch
        return _timed(rows, stage, records, None)
    seconds = time.perf_counter() - started
    peak = _rss_mb() + (_rss_mb(resource.RUSAGE_CHILDREN) if children else 0.0)
    rows.append({"stage": stage, "seconds": round(seconds, 3), "records_per_s": round(records / seconds) if seconds else None,
                 "peak_rss_mb": round(peak, 1), "note": note})
    return value


def run_size(n: int, seed: int = 0, workdir: str | None = None, *, io_only: bool = False,
             producer: str = "synthetic") -> dict[str, Any]:
    """Time every stage on the ``n``-article corpus; returns ``{"n", "records", "rows"}``.

    ``io_only`` times only :data:`IO_STAGES` (the others are listed as skipped): at 100k
    the analysis stages take far longer than reading, merging and building.

    The parse cache is pointed at a private folder under the bench directory, emptied
    before the cold read, so a user's own cache is neither used nor touched.
    """
    folder = corpus_for(n, seed, workdir, producer)
    private_cache = os.path.join(workdir or bench_dir(), "parse-cache")
    shutil.rmtree(private_cache, ignore_errors=True)
    saved = os.environ.get("GRAPHNEWS_CACHE_DIR")
    os.environ["GRAPHNEWS_CACHE_DIR"] = private_cache
    try:
        run = _run_stages(folder, n, private_cache, io_only)
        run["producer"] = producer
    finally:
        if saved is None:
            os.environ.pop("GRAPHNEWS_CACHE_DIR", None)
        else:
            os.environ["GRAPHNEWS_CACHE_DIR"] = saved
    if io_only:
        run["rows"] += [{"stage": stage, "seconds": None, "records_per_s": None, "peak_rss_mb": None, "note": SKIPPED}
                        for stage in STAGES[len(IO_STAGES):]]
    return run


def _run_stages(folder: str, n: int, private_cache: str, io_only: bool) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    _timed(rows, "read+parse cold", n, lambda: read_paths([folder], cache=True), children=True)
    result = _timed(rows, "read+parse warm", n, lambda: read_paths([folder], cache=True), children=True)
    corpus = _timed(rows, "merge", n, lambda: merge_mentions(result.mentions, result.problems, files=result.files,
                                                            records=result.records))
    graph = _timed(rows, "graph build", n, lambda: build_graph(corpus))
    load([folder], cache=True)  # stores the merged corpus (graphnews.corpus_cache), loaded whole next
    _timed(rows, "read+merge warm (corpus cache)", n, lambda: load([folder], cache=True))
    summary = {"n": n, "records": result.records, "files": result.files, "articles": len(corpus.articles),
               "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "rows": rows}
    if io_only:
        return summary
    centrality = _optional("analysis.centrality", "centrality_tables")
    _timed(rows, "centrality", n, centrality and (lambda: centrality(graph, seed=0)))
    enrich = _optional("analysis.clusters", "enrich")
    _timed(rows, "similarity", n, enrich and (lambda: enrich(graph, None)))
    find_clusters = _optional("analysis.clusters", "find_clusters")
    _timed(rows, "clusters", n, find_clusters and (lambda: find_clusters(graph)))
    write_html = _optional("export.html", "write_html")
    html_path = os.path.join(folder + "-out", "graph.html")
    _timed(rows, "html", n, write_html and (lambda: write_html(graph, html_path)))
    explore = _optional("explore", "explore")

    def explore_cold() -> Any:
        shutil.rmtree(private_cache, ignore_errors=True)
        return explore([folder], folder + "-explore")  # type: ignore[misc]

    _timed(rows, "explore total", n, explore and explore_cold, children=True, note="cold: parse cache emptied")
    return summary


def _naive_graph(folder: str, files: int) -> Any:
    """The naive script's graph: pure-Python ``yaml.SafeLoader``, one process, nodes keyed by ``webUrl``."""
    import networkx as nx
    import yaml

    graph = nx.DiGraph()
    for name in sorted(os.listdir(folder))[:files]:
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            text = handle.read()
        if not text.startswith("---"):
            continue
        record = yaml.load(text.split("\n---", 1)[0][4:], Loader=yaml.SafeLoader)
        source = record["webUrl"]
        graph.add_node(source, label=record["title"])
        for item in record.get("related") or []:
            graph.add_edge(source, item["webUrl"])
    return graph


def naive_build_comparison(n: int = 10_000, seed: int = 0, workdir: str | None = None, sample: int | None = None,
                           producer: str = "pyyaml") -> dict[str, Any]:
    """The naive build script against ``graphnews build --no-cache``, on the same corpus in the same run.

    graphnews runs as a subprocess (``python -m graphnews build DIR -o graph.json --no-cache -q``),
    so its imports, worker start-up and the JSON write are in its time. ``sample`` as in
    :func:`naive_comparison`.
    """
    folder = corpus_for(n, seed, workdir, producer)
    naive_files = min(sample or n, n)
    out = os.path.join(folder + "-out")
    os.makedirs(out, exist_ok=True)
    started = time.perf_counter()
    naive_nodes = _naive_graph(folder, naive_files).number_of_nodes()
    naive_seconds = (time.perf_counter() - started) * n / naive_files
    command = [sys.executable, "-m", "graphnews", "build", folder, "-o", os.path.join(out, "graph.json"), "--no-cache", "-q"]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    our_seconds = time.perf_counter() - started
    with open(os.path.join(out, "graph.json"), encoding="utf-8") as handle:
        our_nodes = len(json.load(handle)["nodes"])
    note = f"naive time measured on {naive_files:,} files and scaled linearly to {n:,}" if naive_files < n else ""
    return {"n": n, "producer": producer, "naive_seconds": round(naive_seconds, 2), "graphnews_seconds": round(our_seconds, 2),
            "speedup": round(naive_seconds / our_seconds, 1), "naive_nodes": naive_nodes, "graphnews_nodes": our_nodes,
            "note": note}


def naive_comparison(n: int = 10_000, seed: int = 0, workdir: str | None = None,
                     sample: int | None = None, producer: str = "synthetic") -> dict[str, Any]:
    """The script a newcomer writes (pure-Python YAML, one process, pyvis defaults) vs graphnews.

    Both read the same ``n``-article corpus and end with an HTML page of the graph; the
    naive side parses with ``yaml.SafeLoader``, builds a networkx graph and hands it to
    ``pyvis.network.Network.from_nx`` and pyvis's own template. graphnews reads cold (no
    parse cache), in parallel, with the yaml-rs fast path, and writes its own HTML when the
    HTML module is present (else stops at the graph; the note says so).

    ``sample``: run the naive side on the first ``sample`` files only and scale its time
    linearly to ``n`` (for when the full naive run would take far too long; the note says so).
    """
    from pyvis.network import Network

    folder = corpus_for(n, seed, workdir, producer)
    naive_files = min(sample or n, n)
    out = os.path.join(folder + "-out")
    os.makedirs(out, exist_ok=True)

    def naive() -> int:
        graph = _naive_graph(folder, naive_files)
        network = Network()
        network.from_nx(graph)
        network.write_html(os.path.join(out, "naive.html"), notebook=False)
        return graph.number_of_nodes()

    write_html = _optional("export.html", "write_html")

    def ours() -> int:
        graph = build_graph(merge_mentions(*_read_cold(folder)))
        if write_html is not None:
            write_html(graph, os.path.join(out, "graphnews.html"))
        return graph.number_of_nodes()

    started = time.perf_counter()
    cwd = os.getcwd()
    os.chdir(out)  # pyvis copies its lib/ folder into the current directory
    try:
        naive_nodes = naive()
    finally:
        os.chdir(cwd)
    naive_seconds = (time.perf_counter() - started) * n / naive_files
    notes = [f"naive time measured on {naive_files:,} files and scaled linearly to {n:,}"] if naive_files < n else []
    if write_html is None:
        notes.append("graphnews side without HTML (graphnews.export.html not available)")
    started = time.perf_counter()
    our_nodes = ours()
    our_seconds = time.perf_counter() - started
    return {
        "n": n, "producer": producer, "naive_seconds": round(naive_seconds, 2), "graphnews_seconds": round(our_seconds, 2),
        "speedup": round(naive_seconds / our_seconds, 1), "naive_nodes": naive_nodes, "graphnews_nodes": our_nodes,
        "note": "; ".join(notes),
    }


def explore_outputs(n: int = 10_000, seed: int = 0, workdir: str | None = None, producer: str = "synthetic") -> dict[str, Any]:
    """Seconds each of ``explore``'s output files takes to make and write, at ``n`` records.

    ``explore`` runs as usual (parse cache off) and times each file in the process that
    writes it (the whole-graph files are written in a forked child, beside the pages), so
    the files' seconds add up to more than the write stage's wall time.
    """
    from .. import explore as explore_module

    folder = corpus_for(n, seed, workdir, producer)
    result = explore_module.explore([folder], folder + "-explore", cache=False)
    files = {name: round(seconds, 3) for name, seconds in result.details["file_seconds"].items()}
    sizes = {name: os.path.getsize(os.path.join(folder + "-explore", name)) for name in files}
    total = sum(result.timings.values())
    return {"n": n, "producer": producer, "files": files, "bytes": sizes, "timings": result.timings,
            "write_share": round(result.timings["write"] / total, 3)}


def _read_cold(folder: str) -> tuple[Any, ...]:
    result = read_paths([folder], cache=False)
    return result.mentions, result.problems


def cold_build_seconds(run: dict[str, Any]) -> float:
    """Seconds from cold files to the graph: cold read+parse, merge and graph build of one run."""
    seconds = {row["stage"]: row["seconds"] for row in run["rows"]}
    return float(seconds["read+parse cold"] + seconds["merge"] + seconds["graph build"])


def format_table(runs: Sequence[dict[str, Any]]) -> str:
    """The results as an aligned text table, one block per corpus size."""
    lines = []
    width = max(len(stage) for stage in STAGES)
    for run in runs:
        lines.append(f"N = {run['n']:,}, {run.get('producer', 'synthetic')} corpus ({run['records']:,} records, {run['articles']:,} articles, "
                     f"{run['nodes']:,} nodes, {run['edges']:,} edges)")
        lines.append(f"  {'stage':<{width}} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>12}")
        for row in run["rows"]:
            if row["seconds"] is None:
                lines.append(f"  {row['stage']:<{width}} {row['note']}")
            else:
                lines.append(f"  {row['stage']:<{width}} {row['seconds']:>8.2f} {row['records_per_s'] or 0:>10,} "
                             f"{row['peak_rss_mb']:>12,.0f}")
        cold = cold_build_seconds(run)
        lines.append(f"  cold read+parse+merge+build: {cold:.2f} s, {round(run['n'] / cold):,} records/s")
    return "\n".join(lines)

#: Files the naive page is timed on by default (then scaled): a full 10k naive page does not end in 20 minutes.
PAGE_NAIVE_SAMPLE = 1_000


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphnews.tools.bench``: run, print the table, write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m graphnews.tools.bench", description="Time graphnews stage by stage.")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--out", default=os.path.join("output", "bench.json"), help="JSON results file")
    parser.add_argument("--naive", action="store_true", help="add the naive-vs-graphnews comparison on 10k")
    parser.add_argument("--naive-sample", type=int, default=None, metavar="N",
                        help="time the naive side on N files and scale linearly (default: all 10k for the build, "
                             f"{PAGE_NAIVE_SAMPLE:,} for the page, whose pyvis from_nx is quadratic)")
    parser.add_argument("--io-only", action="store_true", help="time only read, merge and graph build")
    parser.add_argument("--outputs", action="store_true", help="time each of explore's output files at 10k")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--producer", default="synthetic",
                        help=f"who writes the corpus, comma-separated for several: {', '.join(PRODUCER_NAMES)} "
                             "(default synthetic)")
    options = parser.parse_args(argv)
    producers = [name.strip() for name in options.producer.split(",") if name.strip()]
    unknown = sorted(set(producers) - set(PRODUCER_NAMES))
    if unknown or not producers:
        parser.error(f"--producer: unknown {', '.join(unknown) or 'empty'}; expected {', '.join(PRODUCER_NAMES)}")
    try:
        sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes: expected numbers like 1000,10000, got {options.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes: give at least one positive size")
    report: dict[str, Any] = {"version": __version__, "parser": parser_name(), "cpus": os.cpu_count(),
                              "memory": "peak RSS via resource.getrusage (high-water mark)", "runs": []}
    for producer in producers:
        for size in sizes:
            report["runs"].append(run_size(size, options.seed, io_only=options.io_only, producer=producer))
    print(format_table(report["runs"]))
    if options.naive:
        report["naive"] = []
        for producer in producers:
            for label, compare in (("build", naive_build_comparison), ("page", naive_comparison)):
                sample = options.naive_sample or (PAGE_NAIVE_SAMPLE if label == "page" else None)
                naive = compare(10_000, options.seed, sample=sample, producer=producer)
                naive["kind"] = label
                report["naive"].append(naive)
                print(f"\nNaive {label} vs graphnews, {producer} corpus of {naive['n']:,} articles: "
                      f"{naive['naive_seconds']:.1f} s vs {naive['graphnews_seconds']:.1f} s, {naive['speedup']}x faster"
                      + (f" ({naive['note']})" if naive["note"] else ""))
    if options.outputs:
        report["outputs"] = [explore_outputs(10_000, options.seed, producer=producer) for producer in producers]
        for outputs in report["outputs"]:
            print(f"\nexplore's files, {outputs['producer']} corpus of {outputs['n']:,}: write stage "
                  f"{outputs['timings']['write']:.2f} s = {outputs['write_share']:.0%} of the run")
            for name, seconds in sorted(outputs["files"].items(), key=lambda item: -item[1]):
                print(f"  {name:<16} {seconds:>7.2f} s {outputs['bytes'][name] / 2**20:>8.1f} MB")
    write_text(options.out, json.dumps(report, indent=2) + "\n")
    print(f"Wrote {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
