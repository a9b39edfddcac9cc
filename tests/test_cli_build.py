"""`graphnews build` as a user runs it: on the seeds, on the election corpus, on bad paths."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from graphnews.cli import cli
from graphnews.export.files import read_graph

KUSHNER = "article:cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"
SEED_PROVIDERS = [
    "ABC", "Business Insider", "CBS News", "CNN", "Fairmont Sentinel", "Florida Politics",
    "New York Times", "South Bend Tribune", "Time", "USA Today", "Washington Post",
]


def test_build_seeds(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeds.json"
    result = CliRunner().invoke(cli, ["build", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Read 3 files: 3 records" in result.output
    assert f"2 mentions -> {KUSHNER}" in result.output
    assert "1 self-links dropped" in result.output
    assert f"Providers (11): {', '.join(SEED_PROVIDERS)}" in result.output
    graph = read_graph(str(out))
    assert graph.nodes[KUSHNER]["full"] is True
    assert not graph.has_edge(KUSHNER, KUSHNER)
    assert graph.number_of_nodes() == 26 + 11 + 3


def test_written_json_round_trips_with_plain_networkx(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    CliRunner().invoke(cli, ["build", str(seeds_dir), "-o", str(out), "-q"])
    from graphnews import build_graph, load

    original = build_graph(load([str(seeds_dir)]))
    original.graph["inputs"] = [str(seeds_dir)]
    data = json.loads(out.read_text())
    try:  # networkx's own reader, on every release graphnews supports: `edges=` from 3.4, `link=` before
        loaded = nx.node_link_graph(data, edges="edges")
    except TypeError:
        loaded = nx.node_link_graph(data, link="edges")
    assert nx.utils.graphs_equal(loaded, read_graph(str(out)))
    assert dict(loaded.nodes(data=True)) == dict(original.nodes(data=True))
    assert sorted(loaded.edges(keys=True, data=True)) == sorted(original.edges(keys=True, data=True))


def test_build_election_reads_all_and_merges(election_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "election.json"
    result = CliRunner().invoke(cli, ["build", str(election_dir), "-o", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    assert "Read 143 files: 143 records, 0 files with skipped content" in result.output
    assert "Skipped" not in result.output
    graph = read_graph(str(out))
    articles = [n for n, k in graph.nodes(data="kind") if k == "article"]
    assert len(articles) == 264
    assert "Merged: 12,597 mentions into 264 articles" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_bad_file_is_reported_once_and_strict_fails(seeds_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "in" / "broken.md"
    bad.parent.mkdir()
    bad.write_text("---\ntitle: [unclosed\n---\n")
    for seed in seeds_dir.iterdir():
        (tmp_path / "in" / seed.name).write_bytes(seed.read_bytes())
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 0
    assert result.output.count("broken.md") == 1
    assert f"{bad}:3: invalid YAML" in result.output
    strict = runner.invoke(cli, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "g.json"), "--strict"])
    assert strict.exit_code == 1
    assert "1 file(s) or record(s) skipped (--strict)" in strict.output
