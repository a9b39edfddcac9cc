"""Scale-out benchmark: JSON Lines shards -> ``build --engine dask`` -> ``explore --tables``.

Writes (or reuses) ``N`` synthetic records as JSON Lines shards
(:func:`graphnews.tools.synthetic.generate_shards`), builds the Parquet tables on a
LocalCluster (or the cluster at ``--scheduler``), then runs the tables report in this
process, and prints one JSON document: seconds per stage, CPU seconds per stage (all workers and
the client: the per-core rate, whatever else the machine runs), records per CPU second,
peak resident memory of this process (the client, and a LocalCluster's scheduler) and
of every worker.

Run ``nice -n 10 python -m graphnews.tools.dask_bench -n 100000 --data /tmp/shards``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from typing import Any


def peak_mb() -> float:
    """Peak resident memory of the calling process, in MB (Linux ``ru_maxrss`` is in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU seconds of the calling process so far (a worker's, when run with ``client.run``)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _build(client: Any, data: str, dataset: str, report: dict[str, Any]) -> None:
    """The build part of :func:`run`: wall and CPU seconds per stage, workers' peak memory."""
    from ..distributed.build import build_tables

    cpu: dict[str, float] = {}
    marks: dict[str, float] = {}

    def on_stage(name: str, seconds: float | None) -> None:  # CPU seconds of all workers + client, per stage
        now = sum(client.run(cpu_seconds).values()) + cpu_seconds()
        if seconds is None:
            marks[name] = now
        else:
            cpu[name] = now - marks[name]

    started = time.perf_counter()
    result = build_tables([data], dataset, client, on_stage=on_stage)
    report["build_seconds"] = time.perf_counter() - started
    report["stages"].update({f"build: {name}": seconds for name, seconds in result.timings.items()})
    report["cpu_seconds"] = {f"build: {name}": seconds for name, seconds in cpu.items()}
    report["worker_peak_mb"] = sorted(client.run(peak_mb).values())
    report["partitions"], report["buckets"], report["rounds"] = result.partitions, result.buckets, result.rounds
    report["stats"] = result.stats


def run(n: int, data: str, out: str, *, workers: int, scheduler: str | None, memory: str, per_shard: int,
        seed: int = 0, stories: bool = True) -> dict[str, Any]:
    """Generate (unless present), build and report; returns the measurements."""
    from ..distributed import cluster
    from ..tables import explore_tables
    from .synthetic import generate_shards, shards_complete

    report: dict[str, Any] = {"records": n, "stories": stories, "workers": workers, "scheduler": scheduler or "LocalCluster",
                              "worker_memory_limit": memory, "stages": {}}
    started = time.perf_counter()
    if not shards_complete(data, n, seed, per_shard):
        shutil.rmtree(data, ignore_errors=True)
        generate_shards(data, n, seed, per_shard)
        report["stages"]["generate shards"] = time.perf_counter() - started
    report["input_bytes"] = sum(entry.stat().st_size for entry in os.scandir(data) if entry.name.endswith(".jsonl"))
    dataset = os.path.join(out, "bench.parquet")
    with cluster(scheduler, workers, memory) as client:
        _build(client, data, dataset, report)
    report["client_peak_mb_build"] = peak_mb()
    started, cpu_started = time.perf_counter(), cpu_seconds()
    explored = explore_tables(dataset, os.path.join(out, "report"), stories=stories)
    report["explore_seconds"] = time.perf_counter() - started
    report["cpu_seconds"]["explore --tables"] = cpu_seconds() - cpu_started
    report["stages"].update({f"explore --tables: {name}": seconds for name, seconds in explored.timings.items()})
    report["client_peak_mb"] = peak_mb()
    report["cores"] = os.cpu_count() or 1
    report["records_per_cpu_second"] = {name: round(n / seconds, 1) for name, seconds in report["cpu_seconds"].items()
                                         if seconds > 0}
    report["load_average"] = os.getloadavg()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphnews.tools.dask_bench -n N --data DIR``."""
    parser = argparse.ArgumentParser(prog="python -m graphnews.tools.dask_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="records (default 100,000)")
    parser.add_argument("--data", required=True, help="folder of the JSON Lines shards (written unless complete)")
    parser.add_argument("--out", default=None, help="where the tables and the report go (default: DATA.out)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--memory", default="6GiB", help="memory limit of each LocalCluster worker (default 6GiB)")
    parser.add_argument("--scheduler", default=None, help="a running dask scheduler instead of a LocalCluster")
    parser.add_argument("--per-shard", type=int, default=1_500, help="records per shard (default 1,500)")
    parser.add_argument("--no-stories", dest="stories", action="store_false",
                        help="explore --tables without the stories (centrality and pages only)")
    options = parser.parse_args(argv)
    out = options.out or options.data.rstrip("/") + ".out"
    report = run(options.n, options.data, out, workers=options.workers, scheduler=options.scheduler,
                 memory=options.memory, per_shard=options.per_shard, stories=options.stories)
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
