"""`graphnews explore`: every output, from one build, written all-or-nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnews import explore as explore_module, sample_data_path
from graphnews.cli import cli
from graphnews.explore import OUTPUT_FILES, explore
from graphnews.export.files import read_graph

WIRE_FIRST = "article:wirewatch-news.com/wire/2031/03/13/port-alder-dockworkers-walk-out-over-shift-rota"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("explore") / "out"
    result = CliRunner().invoke(cli, ["explore", "-o", str(out), "-v"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_writes_every_output_and_nothing_else(sample_run: tuple[Path, str]) -> None:
    out, output = sample_run
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUT_FILES)
    assert f"Wrote 12 files into {out}/" in output
    for stage in ("read", "graph", "similarity, syndication, citations", "stories", "coverage", "centrality", "write"):
        assert f"{stage} ..." in output
        assert f"  {stage}: " in output  # --verbose timings
    assert "Stories: 16, 13 with 2+ articles; storylines: 6" in output
    assert "wire groups: 1" in output


def test_graph_files_hold_the_same_annotated_graph(sample_run: tuple[Path, str]) -> None:
    out, _ = sample_run
    graph = read_graph(str(out / "graph.json"))
    articles = [n for n, kind in graph.nodes(data="kind") if kind == "article"]
    assert len(articles) == 51
    assert all(isinstance(graph.nodes[n]["cluster"], int) for n in articles)
    assert all("pagerank" in graph.nodes[n] for n in articles)
    graphml = read_graph(str(out / "graph.graphml"))  # GraphML ids are NMTOKENs: n0, n1, ... and graphnews_id
    gexf = read_graph(str(out / "graph.gexf"))
    assert graphml.number_of_nodes() == gexf.number_of_nodes() == graph.number_of_nodes() == 82
    assert graphml.number_of_edges() == gexf.number_of_edges() == graph.number_of_edges()
    assert graphml.nodes[WIRE_FIRST]["cluster"] == gexf.nodes[WIRE_FIRST]["cluster"] == graph.nodes[WIRE_FIRST]["cluster"]


def test_centrality_csv_has_every_node_of_every_kind(sample_run: tuple[Path, str]) -> None:
    out, _ = sample_run
    rows = list(csv.DictReader(io.StringIO((out / "centrality.csv").read_text())))
    kinds = [row["kind"] for row in rows]
    assert (kinds.count("article"), kinds.count("provider"), kinds.count("topic")) == (51, 12, 19)
    assert {"pagerank", "betweenness", "weighted_degree", "related_in"} <= set(rows[0])


def test_clusters_json_lists_clusters_and_the_wire_group(sample_run: tuple[Path, str]) -> None:
    out, _ = sample_run
    data = json.loads((out / "clusters.json").read_text())
    sizes = [c["size"] for c in data["stories"]]
    assert sizes[:5] == [7, 7, 6, 5, 4] and sum(sizes) == 51 and len(sizes) == 16
    assert sum(len(line["stories"]) for line in data["storylines"]) == 16 and len(data["storylines"]) == 6
    (group,) = data["syndication"]
    assert group["first"] == WIRE_FIRST
    assert len(group["members"]) == 5


def test_report_md_has_every_section(sample_run: tuple[Path, str]) -> None:
    text = (sample_run[0] / "report.md").read_text()
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == ["# graphnews: sample", "## Corpus", "## Top 25 stories by coverage", "## Who reported first",
                        "## Who follows whom", "## Blindspots", "## Top 25 articles by PageRank", "## Providers",
                        "## Topics", "## Stories", "## Storylines", "## Syndication groups"]
    assert "| files read | 23 |" in text
    assert "Port Alder dockworkers walk out over shift rota" in text


def test_index_page_is_escaped_and_links_only_http(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "evil.md").write_text(
        '---\ntitle: "<script>alert(1)</script> & <img src=x onerror=alert(2)>"\n'
        'webUrl: "https://evil.example/a"\nprovider: {name: "<b>Evil</b>", domain: evil.example}\n'
        "related:\n  - {title: Safe, webUrl: 'https://good.example/b', provider: {name: Good, domain: good.example}}\n---\n"
    )
    result = explore([str(corpus)], str(tmp_path / "out"))
    page = (tmp_path / "out" / "index.html").read_text()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>Evil" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in page
    assert 'href="https://evil.example/a"' in page
    assert "javascript:" not in page
    assert result.corpus.stats["articles"] == 2


def test_a_failed_run_leaves_the_previous_report_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["explore", "-o", str(out), "-q"]).exit_code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(explore_module, "markdown_report", broken)
    result = runner.invoke(cli, ["explore", "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert result.output.strip().endswith("No space left on device")
    assert "Traceback" not in result.output
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # no staging folder left either


def test_explore_refuses_a_graph_file(tmp_path: Path) -> None:
    graph = tmp_path / "g.json"
    graph.write_text("{}")
    result = CliRunner().invoke(cli, ["explore", "--graph", str(graph)])
    assert result.exit_code == 2
    assert "No such option '--graph'" in result.output  # and --help does not offer it
    assert "--graph" not in CliRunner().invoke(cli, ["explore", "--help"]).output


def test_election_explore(election_dir: Path, tmp_path: Path) -> None:
    result = explore([str(election_dir)], str(tmp_path))
    clusters = result.details["clusters"]
    assert sum(cluster.size for cluster in clusters.clusters) == 264
    assert len(clusters.clusters) == 173 and len(clusters.storylines) == 31
    rows = list(csv.DictReader(io.StringIO((tmp_path / "centrality.csv").read_text())))
    assert [row["name"] for row in rows if row["kind"] == "provider"][:3] == ["Fox News", "Wall Street Journal", "RealClearPolitics"]


def test_a_killed_runs_staging_folder_is_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    killed = tmp_path / ".out.staging-killed"  # beside the folder; under the output lock no live run owns it
    legacy = out / ".graphnews-staging-old"  # inside the folder, from an earlier version
    for folder in (killed, legacy):
        folder.mkdir(parents=True)
        (folder / "graph.json").write_text("half")
    explore([sample_data_path()], str(out))
    assert not killed.exists() and not legacy.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
