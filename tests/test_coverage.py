"""Coverage on hand-made corpora where the first publisher, the lags, the camps and the blindspot are known."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graphnews
from graphnews.analysis.changes import Previous, carry_ids, compare, match_ids
from graphnews.analysis.coverage import prominence
from graphnews.analysis.pipeline import analyse
from graphnews.cli import cli
from graphnews.explore import explore

from helpers_stories import article

#: (story, outlet, hour of publication): story "s" told by a, b, c; "t" by a, b; "u" by d, e only.
REPORTS = [("s", "a", 1), ("s", "b", 3), ("s", "c", 9), ("t", "b", 2), ("t", "a", 6), ("u", "d", 4), ("u", "e", 5),
           ("v", "d", 1), ("v", "e", 2)]
WORDS = {"s": "dockers strike terminal rota union quenby walkout gate",
         "t": "hospital funding vote assembly threlfall emergency wing",
         "u": "saltmarsh bridge closed storm bertrand piers ferry",
         "v": "stadium millbrook rovers gasworks harlow plans"}


def hand_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for story, outlet, hour in REPORTS:
        article(graph, f"article:{outlet}-{story}", title=f"{WORDS[story]} {outlet}", excerpt=WORDS[story],
                provider=f"provider:{outlet}.example", published=f"2031-03-12T{hour:02d}:00:00Z")
    return graph


@pytest.fixture(scope="module")
def analysed():
    graph = hand_graph()
    return graph, analyse(graph, centrality=False)


def test_each_story_is_found_with_its_first_report(analysed) -> None:
    _, result = analysed
    rows = {row.outlets: row for row in result.coverage.stories}
    s = rows[("provider:a.example", "provider:b.example", "provider:c.example")]
    assert (s.providers, s.articles, s.first_provider, s.span_hours) == (3, 3, "A", 8.0)
    assert result.coverage.stories[0] is s  # three outlets outrank two


def test_providers_first_reports_and_delays(analysed) -> None:
    _, result = analysed
    by = {row.provider: row for row in result.coverage.providers}
    a, b, c = by["provider:a.example"], by["provider:b.example"], by["provider:c.example"]
    assert (a.stories, a.first_reports, a.median_delay_hours) == (2, 1, 2.0)  # first on s (0 h), 4 h after b on t
    assert (b.first_reports, b.median_delay_hours) == (1, 1.0)  # 2 h after a on s, first on t
    assert (c.first_reports, c.median_delay_hours) == (0, 8.0)


def test_lead_lag_lists_each_pair_once_from_the_earlier_side(analysed) -> None:
    _, result = analysed
    rows = {(row.leader, row.follower): row for row in result.coverage.leadlag}
    de = rows[("provider:d.example", "provider:e.example")]
    assert (de.shared, de.follower_later, de.median_lag_hours) == (2, 2, 1.0)
    assert ("provider:e.example", "provider:d.example") not in rows
    ab = rows.get(("provider:a.example", "provider:b.example")) or rows[("provider:b.example", "provider:a.example")]
    assert ab.shared == 2 and ab.median_lag_hours == 1.0  # +2 h on s, -4 h on t: the median of the two is -1 from a


def test_camps_and_the_blindspot(analysed) -> None:
    _, result = analysed
    camps = {camp.providers for camp in result.coverage.camps}
    assert camps == {("provider:a.example", "provider:b.example", "provider:c.example"),
                     ("provider:d.example", "provider:e.example")}
    spots = [spot.outlets for spot in result.coverage.blindspots]
    # every story is told inside one camp here, so each is a blindspot of the other camp
    assert spots.count(("provider:d.example", "provider:e.example")) == 2 and len(spots) == 4


def test_prominence_ranks_by_outlets_first() -> None:
    assert prominence(3, 1, 0, False) > prominence(2, 10_000, 24 * 365, True)
    assert prominence(2, 4, 0, False) > prominence(2, 2, 0, False)


def test_story_ids_carry_over_and_changes() -> None:
    old = Previous({"story:a": frozenset({"1", "2"}), "story:b": frozenset({"3"}), "story:c": frozenset({"4", "5"}),
                    "story:d": frozenset({"6"})}, {}, {"story:a": "A", "story:b": "B", "story:c": "C", "story:d": "D"})
    new = Previous({"story:x": frozenset({"1", "2", "7"}), "story:y": frozenset({"3", "6"}), "story:z": frozenset({"8"}),
                    "story:c": frozenset({"4"}), "story:w": frozenset({"5"})}, {}, {}, {"7": "Alder Post"})
    assert match_ids(old.stories, new.stories) == {"story:x": "story:a", "story:y": "story:b", "story:c": "story:c"}
    kinds = [(change.kind, change.story, change.other) for change in compare(old, new)]
    assert ("new", "story:z", "") in kinds
    assert ("grew", "story:x", "") in kinds and ("grew", "story:y", "") in kinds
    assert ("merged", "story:y", "story:d") in kinds
    assert ("split", "story:w", "story:c") in kinds
    grew = next(change for change in compare(old, new) if change.story == "story:x")
    assert grew.added == ("7",) and grew.outlets == ("Alder Post",)


def test_carry_ids_renames_stories_and_storylines(analysed) -> None:
    _graph, result = analysed
    stories = result.clusters
    old = Previous({"story:old": frozenset(stories.clusters[0].members)}, {}, {})
    carried, changes = carry_ids(stories, old)
    assert carried.clusters[0].story == "story:old"
    assert all(c.story == o.story for c, o in zip(carried.clusters[1:], stories.clusters[1:]))
    assert [change.kind for change in changes] == ["new"] * (len(stories.clusters) - 1)


def test_a_growing_corpus_keeps_ids_and_explore_lists_the_new_stories(tmp_path: Path) -> None:
    sample = Path(graphnews.sample_data_path())
    first = tmp_path / "day1"
    shutil.copytree(sample / "day1", first)
    out = tmp_path / "out"
    explore([str(first)], str(out))
    before = json.loads((out / "clusters.json").read_text())
    assert before["changes"] is None
    shutil.copytree(out, tmp_path / "old")
    explore([str(sample)], str(out))
    after = json.loads((out / "clusters.json").read_text())
    now = {story["id"]: {m["id"] for m in story["members"]} for story in after["stories"]}
    present = set().union(*now.values())
    kept = [story["id"] for story in before["stories"] if {m["id"] for m in story["members"]} <= present]
    merged = {change["other"] for change in after["changes"] if change["kind"] == "merged"}
    assert all(story in now or story in merged for story in kept)
    assert sum(story in now for story in kept) >= len(kept) - len(merged) > 0
    page = (out / "index.html").read_text()
    assert "What changed since the last run" in page
    grew = [change for change in after["changes"] if change["kind"] == "grew"]  # day 1 already lists day 2 as related
    assert len(grew) == 5 and all(change["added"] and change["headline"][:40] in page for change in grew)
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "old"), str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert [(row["kind"], row["story"]) for row in rows] == [(c["kind"], c["story"]) for c in after["changes"]]


def test_diff_without_a_report_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 1 and "no readable clusters.json" in result.output


def test_report_kind_story_on_the_seeds(seeds_dir) -> None:
    result = CliRunner().invoke(cli, ["report", str(seeds_dir), "--kind", "story", "--format", "csv", "--top", "1", "-q"])
    assert result.exit_code == 0, result.output
    header, first = result.stdout.splitlines()[:2]
    assert header.startswith("story,headline,providers,articles,first_published,first_provider")
    assert ",4,4,2020-11-" in first and "Florida Politics" in first


def test_election_top_story_is_told_by_four_outlets(election_dir) -> None:
    graph = graphnews.build_graph(graphnews.load([str(election_dir)]))
    found = analyse(graph, centrality=False).coverage
    top = found.stories[0]
    assert top.providers >= 4 and "Klain" in top.headline
    assert len({row.headline for row in found.stories[:10]}) == 10
