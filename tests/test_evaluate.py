"""Scores worked out by hand, truth parsing, URL matching and the evaluate command."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnews.analysis.evaluate import TruthError, evaluate, load_truth, parse_truth, score_partition, split_by_storyline
from graphnews.cli import cli


def test_scores_worked_out_by_hand() -> None:
    # truth {a b} {c d e}; predicted {a b c} {d} {e}
    truth = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
    predicted = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    s = score_partition(truth, predicted)
    # BCubed precision: a, b 2/3; c 1/3; d, e 1 -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15
    assert s.bcubed_precision == pytest.approx(11 / 15)
    # BCubed recall: a, b 1; c, d, e 1/3 -> (1 + 1 + 1/3 * 3) / 5 = 3/5
    assert s.bcubed_recall == pytest.approx(3 / 5)
    assert s.bcubed_f1 == pytest.approx(2 * (11 / 15) * (3 / 5) / (11 / 15 + 3 / 5))
    # pairs predicted: ab ac bc (3), true: ab cd ce de (4), both: ab (1)
    assert (s.pairwise_precision, s.pairwise_recall) == (pytest.approx(1 / 3), pytest.approx(1 / 4))
    assert s.pairwise_f1 == pytest.approx(2 / 7)
    # ARI: index 1, expected 3 * 4 / 10 = 1.2, max (3 + 4) / 2 = 3.5 -> (1 - 1.2) / (3.5 - 1.2)
    assert s.ari == pytest.approx(-0.2 / 2.3)
    assert (s.articles, s.true_groups, s.predicted_groups) == (5, 2, 3)


def test_perfect_and_all_alone() -> None:
    truth = {"a": 1, "b": 1, "c": 2}
    perfect = score_partition(truth, {"a": 9, "b": 9, "c": 8})
    assert (perfect.bcubed_f1, perfect.pairwise_f1, perfect.ari) == (1.0, 1.0, 1.0)
    alone = score_partition(truth, {"a": 1, "b": 2, "c": 3})
    assert alone.bcubed_precision == 1.0 and alone.bcubed_recall == pytest.approx(2 / 3)
    assert alone.pairwise_f1 == 0.0 and alone.pairwise_precision == 1.0


def graph_with_stories() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("article:a.com/1", kind="article", url="a.com/1", aliases=["https://www.a.com/1"], story="s1",
                   storyline="l1")
    graph.add_node("article:b.com/2", kind="article", url="b.com/2", story="s1", storyline="l1")
    graph.add_node("article:c.com/3", kind="article", url="c.com/3", story="s2", storyline="l1")
    return graph


TRUTH = {"annotator": "hand", "storylines": [
    {"label": "L", "stories": [
        {"label": "S1", "members": [
            {"id": "article:old-id-1", "urls": ["https://amp-a-com.cdn.ampproject.org/c/s/amp.a.com/1?utm_source=x"]},
            {"id": "article:b.com/2", "urls": []}]},
        {"label": "S2", "members": [{"id": "article:c.com/3", "urls": ["https://c.com/3/"]},
                                    {"id": "article:gone", "urls": ["https://gone.example/9"]}]}]}]}


def test_members_match_by_any_url_then_id() -> None:
    result = evaluate(graph_with_stories(), parse_truth(TRUTH))
    assert (result.labelled, result.matched, result.unlabelled_articles) == (4, 3, 0)
    assert result.levels["story"].bcubed_f1 == 1.0 and result.levels["storyline"].pairwise_f1 == 1.0


def test_split_by_storyline_keeps_storylines_whole_and_scores_each_piece_alone() -> None:
    lines = {"storylines": [{"label": f"L{line}", "stories": [
        {"label": f"S{line}{story}", "members": [{"id": f"article:{line}{story}{n}"} for n in range(2)]}
        for story in range(2)]} for line in range(3)]}
    truth = parse_truth(lines)
    first, second = split_by_storyline(truth)
    assert [m.id for m in first.members] == [f"article:{line}{story}{n}" for line in (0, 2) for story in range(2)
                                             for n in range(2)]
    assert {m.storyline for m in second.members} == {1} and len(second.members) == 4
    assert first.annotator == "part 1/2" and first.story_labels == truth.story_labels
    graph = nx.MultiDiGraph()
    for member in truth.members:  # storylines 0 and 1 predicted as one story: only the whole set sees it
        story = "story:x" if member.storyline < 2 else f"story:{member.story}"
        graph.add_node(member.id, kind="article", story=story, storyline=story)
    # piece 1 sees story:x as 4 articles (stories 0, 1): 6 + 1 + 1 pairs predicted, 4 of them true
    assert evaluate(graph, first).levels["story"].pairwise_precision == pytest.approx(4 / 8)
    assert evaluate(graph, first).levels["story"].pairwise_recall == 1.0
    assert evaluate(graph, second).levels["story"].bcubed_recall == 1.0
    assert evaluate(graph, truth).matched == 12 and evaluate(graph, first).matched == 8
    with pytest.raises(ValueError):
        split_by_storyline(truth, 0)


@pytest.mark.parametrize("data, message", [
    ([], "expected an object with a 'storylines' list"),
    ({"storylines": [{"label": "L"}]}, "storyline 1 has no 'stories' list"),
    ({"storylines": [{"stories": [{"label": "S"}]}]}, "has no 'members' list"),
    ({"storylines": [{"stories": [{"members": [{"urls": "https://a.com"}]}]}]}, "is not a list"),
])
def test_bad_truth_is_one_clear_error(data, message) -> None:
    with pytest.raises(TruthError, match=message):
        parse_truth(data)


def test_evaluate_command_on_a_graph_file(tmp_path) -> None:
    from graphnews.export.files import write_graph
    graph_file, truth_file = tmp_path / "g.json", tmp_path / "truth.json"
    write_graph(graph_with_stories(), str(graph_file))
    truth_file.write_text(json.dumps(TRUTH))
    result = CliRunner().invoke(cli, ["evaluate", str(truth_file), "--graph", str(graph_file), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["matched"] == 3 and data["levels"]["story"]["pairwise_f1"] == 1.0
    table = CliRunner().invoke(cli, ["evaluate", str(truth_file), "--graph", str(graph_file)])
    assert table.stdout.splitlines()[1].split() == ["story", "2", "2", *["1.000"] * 7]
    assert "Matched 3 of 4 labelled articles" in table.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    failed = CliRunner().invoke(cli, ["evaluate", str(bad), "--graph", str(graph_file)])
    assert failed.exit_code == 1 and "not valid JSON" in failed.output and "Traceback" not in failed.output


def test_evaluate_on_the_election_corpus(election_dir, truth_file) -> None:
    truth = truth_file
    assert len(load_truth(str(truth)).members) == 264
    result = CliRunner().invoke(cli, ["evaluate", str(truth), str(election_dir), "-q"])
    assert result.exit_code == 0
    story = result.stdout.splitlines()[1].split()
    assert story[:3] == ["story", "172", "173"] and story[5] == "0.831" and story[8] == "0.481"
