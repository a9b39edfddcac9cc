"""The behaviours the ../shared seeds were specified with, on fictional twins in tests/data/seeds.

``000`` is a front-matter record whose ``webUrl`` is an RSS redirect (only its ``ampWebUrl``
names the article) with a related item pointing back at itself; ``001`` another record sharing
one related article; ``002`` a plain-text article (no URL) reporting 000's event and naming
its sources ("told the Harbor Herald", "reported the Alder Post"). These run without ../shared.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

import graphnews
from graphnews.analysis.clusters import enrich
from graphnews.cli import cli

from conftest import DATA

SEEDS = DATA / "seeds"
FERRY = "article:harborherald.com/news/2031/04/01/ferry-fares-frozen-for-a-year/index.html"
FERRY_AMP = "https://amp.harborherald.com/news/2031/04/01/ferry-fares-frozen-for-a-year/index.html"
FERRY_RSS = "http://rss.harborherald.com/~r/news/~3/Qx81pL0/index.html"
FREEZE = "article:alderpost.com/local/2031/04/01/islanders-win-ferry-fare-freeze"


def graph():
    return graphnews.build_graph(graphnews.load([str(SEEDS)]))


def plain_article(g) -> str:
    (node,) = [n for n, d in g.nodes(data=True) if d.get("kind") == "article" and n.startswith("article:text-")]
    return node


def test_build_counts_and_merges_url_forms(tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out), "--strict", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert Counter(node["kind"] for node in data["nodes"]) == {"article": 6, "provider": 3, "topic": 3}
    edges = Counter(edge["key"] for edge in data["edges"])
    assert edges == {"published_by": 5, "tagged": 4, "related": 4}  # 000's link to itself is dropped
    ids = {node["id"] for node in data["nodes"]}
    assert FERRY in ids and FREEZE in ids  # the freeze: www + /amp/ and http + fbclid forms are one article


def test_related_same_answer_for_amp_and_rss_urls() -> None:
    answers = []
    for url in (FERRY_AMP, FERRY_RSS):
        result = CliRunner().invoke(cli, ["related", url, str(SEEDS), "--format", "json", "-q"])
        assert result.exit_code == 0, result.output
        answers.append([row["id"] for row in json.loads(result.stdout)["rows"]])
    assert answers[0] == answers[1]
    assert answers[0][0] == FREEZE


def test_plain_text_article_cites_its_sources_and_joins_000() -> None:
    g = graph()
    assert enrich(g) == {"similar": 6, "syndicated": 1, "cites": 2}
    text = plain_article(g)
    assert sorted(v for _u, v, k in g.out_edges(text, keys=True) if k == "cites") == [
        "provider:alderpost.com", "provider:harborherald.com"]
    assert g.has_edge(FERRY, text, "syndicated")


def test_clusters_put_002_with_000_and_the_tram_story_apart() -> None:
    result = CliRunner().invoke(cli, ["clusters", str(SEEDS), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    stories = [sorted(member["id"] for member in story["members"]) for story in json.loads(result.stdout)["stories"]]
    ferry = next(story for story in stories if FERRY in story)
    assert any(member.startswith("article:text-") for member in ferry)
    assert not any("tram" in member for member in ferry)
