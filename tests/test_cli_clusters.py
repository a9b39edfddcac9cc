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
    result = run("clusters", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["settings"]["stories.story_threshold"] == 0.05 and data["settings"]["similar.top_k"] == 10
    assert [c["size"] for c in data["stories"]][:5] == [7, 7, 6, 5, 4]
    assert len(data["storylines"]) == 6
    wire = data["stories"][0]
    assert wire["syndication"] == [0] and wire["id"].startswith("story:") and wire["storyline"].startswith("storyline:")
    assert sum(m["why"].startswith("same wire copy as") for m in wire["members"]) == 5
    assert "Added edges: similar 60, syndicated 4, cites 4" in result.stderr  # one wire group of 5: a star
    assert "Stories: 16 over 51 articles, 13 of size >= 2; storylines: 6" in result.stderr


def test_clusters_csv_and_md_to_stdout():
    rows = list(csv.DictReader(io.StringIO(run("clusters", "-q", "--format", "csv", "--min-size", "6").stdout)))
    assert [(r["cluster"], r["size"]) for r in rows] == [("0", "7"), ("1", "7"), ("2", "6")]
    assert rows[0]["syndication"] == "0" and rows[1]["first_provider"] == "Tidegate Tech"
    assert rows[1]["label"] == "Tax office confirms data leak affecting 41,000 taxpayers"
    md = run("clusters", "-q", "--format", "md", "--min-size", "7").stdout.splitlines()
    assert md[0].startswith("| cluster | story | size | label | keywords |") and len(md) == 4


def test_clusters_table_and_weights(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("story_threshold: 0.05\n")
    table = run("clusters", "-q", "--config", str(config)).stdout
    assert table.splitlines()[0].split()[:3] == ["id", "size", "headline"] and "┃" not in table  # plain off a terminal
    strict = run("clusters", "-q", "--format", "csv", "--set", "stories.story_threshold=0.5")
    alias = run("clusters", "-q", "--format", "csv", "--weight", "story_threshold=0.5")  # the old name of --set
    loose = run("clusters", "-q", "--format", "csv")
    assert strict.exit_code == loose.exit_code == 0 and alias.stdout == strict.stdout
    assert len(strict.stdout.splitlines()) < len(loose.stdout.splitlines())  # fewer stories of 2+ articles


def test_clusters_bad_options_exit_2(tmp_path):
    assert run("clusters", "--set", "simliar=1").exit_code == 2
    assert "unknown key 'simliar'" in run("clusters", "--set", "simliar=1").output
    assert run("clusters", "--set", "story_threshold").exit_code == 2
    assert run("clusters", "--set", "story_threshold=nan").exit_code == 2
    assert run("clusters", "--set", "story_decay_hours=inf").exit_code == 2


def test_clusters_bad_config_exit_2_as_a_bad_weight(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("story_threshold: [1\n")
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
    clusters = json.loads(out.read_text())["stories"]
    home = next(c for c in clusters if KUSHNER in [m["id"] for m in c["members"]])
    assert any(m["id"].startswith("article:text-") for m in home["members"])
