from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from graphnews.cli import cli

KUSHNER = "article:cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_clusters_json_on_the_sample(tmp_path):
    out = tmp_path / "clusters.json"
    result = run("clusters", "--method", "louvain", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert (data["method"], data["seed"]) == ("louvain", 0)
    assert [c["size"] for c in data["clusters"]] == [10, 10, 9, 8, 7, 7]
    assert "Added edges: similar 60, syndicated 4, cites 4" in result.stderr  # one wire group of 5: a star
    assert "Clusters: 6 over 51 articles, 6 of size >= 2" in result.stderr


def test_clusters_csv_and_md_to_stdout():
    rows = list(csv.DictReader(io.StringIO(run("clusters", "-q", "--format", "csv", "--min-size", "9").stdout)))
    assert [(r["cluster"], r["size"]) for r in rows] == [("0", "10"), ("1", "10"), ("2", "9")]
    assert rows[0]["syndication"] == "0"
    md = run("clusters", "-q", "--format", "md", "--min-size", "10").stdout.splitlines()
    assert md[0].startswith("| cluster | size | label |") and len(md) == 6


def test_clusters_table_and_weights(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("resolution: 1.0\n")
    result = run("clusters", "-q", "--config", str(config), "--weight", "similar=0", "--weight", "syndicated=0")
    assert result.exit_code == 0
    assert "label" in result.stdout.splitlines()[1]
    assert "Pickets at Gate 9" in result.stdout.splitlines()[3]
    # the wire story's first publisher is the hub of its syndication star, so it leads the cluster
    assert "Port Alder dockworkers walk out" in run("clusters", "-q").stdout.splitlines()[3]


def test_clusters_bad_options_exit_2(tmp_path):
    assert run("clusters", "--weight", "simliar=1").exit_code == 2
    assert "unknown key 'simliar'" in run("clusters", "--weight", "simliar=1").output
    assert run("clusters", "--weight", "similar").exit_code == 2
    assert run("clusters", "--method", "kmeans").exit_code == 2


def test_clusters_bad_config_exit_2_as_a_bad_weight(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("topic: [1\n")
    result = run("clusters", "--config", str(config))
    assert result.exit_code == 2 and result.output.strip().endswith(f"Error: Invalid value for --config: {config}:2: not valid YAML")
    assert run("clusters", "--weight", "topic=x").exit_code == 2


def test_similar_on_the_seeds(seeds_dir):
    url = "https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"
    result = run("similar", url, str(seeds_dir), "--top", "2", "-q")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("0.3103\tarticle:text-")


def test_similar_unknown_article_exit_1():
    result = run("similar", "https://nowhere.example/x", "-q")
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: no article with URL or id 'https://nowhere.example/x' among 51 articles "
                                     "(ids are listed by `graphnews report --kind article --format csv`)")


def test_clusters_on_the_seeds_puts_002_with_000(seeds_dir, tmp_path):
    out = tmp_path / "c.json"
    assert run("clusters", str(seeds_dir), "--format", "json", "-o", str(out), "-q").exit_code == 0
    clusters = json.loads(out.read_text())["clusters"]
    home = next(c for c in clusters if KUSHNER in c["members"])
    assert any(m.startswith("article:text-") for m in home["members"])
