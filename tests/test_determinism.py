"""Same input, same bytes: ``graphnews explore`` under two string-hash seeds writes identical outputs.

Python salts ``str`` hashes per process (``PYTHONHASHSEED``), so anything that iterates a set or
a frozenset of ids into an output (node order, ties in a ranking, cluster numbering) changes
between runs. One process cannot see that; two processes with different seeds can.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphnews.tools.synthetic import generate

from conftest import ROOT

#: The only bytes allowed to differ: the build time the HTML pages print ("2031-03-15 09:30 UTC").
BUILT_AT = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
#: The pages that print it, once each.
STAMPED = {"index.html", "graph.html", "clusters.html", "providers.html"}


def explore_twice(inputs: list[str], tmp_path: Path) -> tuple[Path, Path]:
    """Run ``graphnews explore`` on ``inputs`` with PYTHONHASHSEED=1 and =2 at once; the two output folders."""
    outs, runs = [], []
    for seed in (1, 2):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "GRAPHNEWS_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        runs.append(subprocess.Popen([sys.executable, "-m", "graphnews", "explore", *inputs, "-q", "-o", str(out)],
                                     cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True))
        outs.append(out)
    for process in runs:
        assert process.wait(300) == 0, process.stderr.read() if process.stderr else ""
    return outs[0], outs[1]


def masked(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name in STAMPED:
        data, count = BUILT_AT.subn(b"<built at>", data)
        assert count == 1, f"{path.name}: {count} build times"
    return data


@pytest.mark.parametrize("corpus", ["sample", "synthetic-300"])
def test_explore_is_byte_identical_under_another_hash_seed(corpus: str, tmp_path: Path) -> None:
    inputs = []
    if corpus != "sample":
        generate(str(tmp_path / "corpus"), 300, seed=7, workers=1)
        inputs = [str(tmp_path / "corpus")]
    first, second = explore_twice(inputs, tmp_path)
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    assert {"graph.json", "clusters.json", "report.md", "centrality.csv"} | STAMPED <= set(names)
    different = [name for name in names if masked(first / name) != masked(second / name)]
    assert different == []
    nodes = json.loads((first / "graph.json").read_text())["nodes"]
    articles = sum(node.get("kind") == "article" for node in nodes)
    assert articles == (51 if corpus == "sample" else 381)  # 300 records and 81 articles seen only as related items
