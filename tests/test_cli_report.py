"""`graphnews report` and `graphnews related` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import yaml
from click.testing import CliRunner

from graphnews.cli import cli

KUSHNER_AMP = "https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"
KUSHNER_RSS = "http://rss.cnn.com/~r/rss/cnn_allpolitics/~3/tSO9kPadSX0/index.html"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def hand_count_weighted_degree(folder: Path) -> Counter[str]:
    """Related links between different provider domains, read straight from the raw YAML."""
    degree: Counter[str] = Counter()
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---", 1)[0].removeprefix("---\n")
        record = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe_load, in C
        source = record["provider"]["domain"]
        for item in record.get("related") or []:
            target = (item.get("provider") or {}).get("domain")
            if target and target != source:
                degree[source] += 1
                degree[target] += 1
    return degree


def test_election_provider_report_matches_hand_count(election_dir: Path) -> None:
    code, out, _ = run("report", str(election_dir), "--kind", "provider", "--top", "10", "--format", "csv", "-q")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 10
    assert list(rows[0]) == ["id", "name", "domain", "articles", "cited_by_others", "topics", "weighted_degree",
                             "pagerank", "betweenness"]
    assert all(row[column] != "" for row in rows for column in rows[0])
    hand = hand_count_weighted_degree(election_dir)
    expected_top3 = [domain for domain, _ in sorted(hand.items(), key=lambda item: (-item[1], item[0]))[:3]]
    assert [row["domain"] for row in rows[:3]] == expected_top3 == ["foxnews.com", "wsj.com", "realclearpolitics.com"]
    # merging dedupes repeated links, so the graph's count may only be lower than the raw count
    for row in rows[:3]:
        assert 0.9 * hand[row["domain"]] <= int(row["weighted_degree"]) <= hand[row["domain"]]


def test_related_same_answer_for_amp_and_rss_urls(seeds_dir: Path) -> None:
    code, by_amp, _ = run("related", KUSHNER_AMP, str(seeds_dir), "--format", "json", "-q")
    assert code == 0
    document = json.loads(by_amp)
    ids = [row["id"] for row in document["rows"]]
    assert len(ids) == 9 and ids[0] == (
        "article:cnn.com/cnn/videos/politics/2020/11/14/pro-trump-groups-gather-in-washington-to-protest-election-vpx.cnn")
    assert document["rows"][0]["why"] == ["listed as related by it (#2)", "same provider (CNN)"]
    assert document["notes"][0].startswith(
        "related stories of article:cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html")
    code, by_rss, _ = run("related", KUSHNER_RSS, str(seeds_dir), "--format", "json", "-q")
    assert code == 0 and by_rss == by_amp


def test_report_is_byte_identical_across_runs_and_writes_file(tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    second = tmp_path / "b.md"
    assert run("report", "--format", "md", "-o", str(first), "-q")[0] == 0
    assert run("report", "--format", "md", "-o", str(second), "-q")[0] == 0
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8")
    assert text.count("| id | title | provider |") == 1 and "| id | name | articles |" in text


def test_report_from_graph_file_with_measures(tmp_path: Path) -> None:
    graph = tmp_path / "graph.json"
    assert run("build", "-o", str(graph), "-q")[0] == 0
    code, out, _ = run("report", "--graph", str(graph), "--kind", "topic", "--measure", "articles", "--top", "2",
                       "--format", "csv")
    assert code == 0
    assert out.splitlines() == ["id,name,articles", "topic:election,Election,10", "topic:labor,Labor,5"]
    code, out, _ = run("report", "--graph", str(graph), "--kind", "topic", "--format", "table")
    assert code == 0 and "topic:election" in out and "Election" in out


def test_report_bad_measure_exits_2_and_unknown_article_exits_1() -> None:
    code, _, err = run("report", "--kind", "provider", "--measure", "katz")
    assert code == 2 and "katz (a provider table has articles, cited_by_others" in err
    code, _, err = run("related", "https://nowhere.example/x")
    assert code == 1
    assert err == ("Error: no article with URL or id 'https://nowhere.example/x' among 51 articles "
                   "(ids are listed by `graphnews report --kind article --format csv`)\n")
