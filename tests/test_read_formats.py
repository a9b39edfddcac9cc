"""Every reader, dates, discovery and merging (issue 2), with the sample corpus facts as expected values."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from graphnews import build_graph, load, sample_data_path
from graphnews.errors import InputError
from graphnews.merge import merge_mentions
from graphnews.model import Mention
from graphnews.read import read_paths
from graphnews.read.dates import parse_datetime
from graphnews.read.formats import parse_file, split_front_matter

SAMPLE = Path(sample_data_path())
RECORD = {"title": "Bridge shut", "webUrl": "https://www.harborherald.com/a/", "provider": {"name": "HH", "domain": "harborherald.com"}}


def sample(relative: str) -> str:
    return str(SAMPLE / relative)


def test_sample_corpus_facts() -> None:
    corpus = load([str(SAMPLE)])
    stats = corpus.stats
    assert (stats["files"], stats["records"], stats["articles"]) == (23, 27, 51)
    assert (stats["full_articles"], stats["related_only_articles"], stats["self_links_dropped"]) == (27, 24, 3)
    assert (stats["providers"], stats["topics"]) == (12, 19)
    assert corpus.problems == []
    assert [p.split(":", 1)[1] for p in corpus.providers] == [
        "alderpost.com", "calloway-courier.com", "callowayledger.com", "cpr-calloway.org", "harborherald.com",
        "northbaytimes.com", "portaldergazette.com", "riversidedaily.net", "tidegate-tech.com",
        "touchline-calloway.com", "weeklylantern.org", "wirewatch-news.com",
    ]
    assert corpus.providers["provider:alderpost.com"].names == ("Alder Post", "The Alder Post")
    assert len([a for a in corpus.articles.values() if a.id.startswith("article:text-")]) == 2


@pytest.mark.parametrize(
    ("relative", "records", "with_body"),
    [
        ("day1/alderpost-hospital-vote-preview.md", 1, None),
        ("day1/courier-recount-friday.markdown", 1, None),
        ("day1/harborherald-saltmarsh-bridge-shut.txt", 1, None),
        ("feeds/bundle.yaml", 2, False),
        ("feeds/alderpost-tax-inquiry.json", 1, False),
        ("feeds/more.jsonl", 4, False),
        ("day1/plain_port_strike.txt", 1, True),
    ],
)
def test_each_reader_on_the_sample(relative: str, records: int, with_body: bool | None) -> None:
    result = parse_file(sample(relative))
    assert (result.records, len(result.mentions), result.problems) == (records, records, [])
    assert all(m.full and m.title for m in result.mentions)
    if with_body is not None:
        assert all(bool(m.body) is with_body for m in result.mentions)


def test_front_matter_record_fields() -> None:
    (mention,) = parse_file(sample("day1/gazette-emergency-ferry.md")).mentions
    assert mention.published == datetime(2031, 3, 13, 9, 15, tzinfo=UTC)  # written +01:00
    assert mention.line == 2


def test_yaml_and_json_single_and_list(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text("title: One\nwebUrl: https://x.com/1\n")
    (tmp_path / "two.yml").write_text("- title: A\n  webUrl: https://x.com/a\n- 7\n- title: B\n")
    (tmp_path / "one.json").write_text(json.dumps(RECORD))
    (tmp_path / "list.json").write_text(json.dumps([RECORD, "nope"]))
    assert [m.title for m in parse_file(str(tmp_path / "one.yaml")).mentions] == ["One"]
    two = parse_file(str(tmp_path / "two.yml"))
    assert [m.title for m in two.mentions] == ["A", "B"]
    assert [str(p) for p in two.problems] == [f"{tmp_path / 'two.yml'}: record 2: expected a record (a mapping of fields), got a int"]
    assert parse_file(str(tmp_path / "one.json")).mentions[0].provider_domain == "harborherald.com"
    listed = parse_file(str(tmp_path / "list.json"))
    assert (len(listed.mentions), [p.message for p in listed.problems]) == (1, ["record 2: expected a record (a mapping of fields), got text"])


def test_json_lines_bad_line_reported_with_its_number(tmp_path: Path) -> None:
    lines = [json.dumps({**RECORD, "webUrl": f"https://x.com/{i}"}) for i in range(3)]
    (tmp_path / "f.jsonl").write_text(lines[0] + "\n{broken\n\n" + lines[1] + "\n" + lines[2] + "\n")
    result = parse_file(str(tmp_path / "f.jsonl"))
    assert [m.urls[0] for m in result.mentions] == ["https://x.com/0", "https://x.com/1", "https://x.com/2"]
    assert [m.line for m in result.mentions] == [1, 4, 5]
    assert [(p.line, p.message) for p in result.problems] == [(2, "invalid JSON: Expecting property name enclosed in double quotes (column 2)")]


def test_plain_text_with_and_without_marker(tmp_path: Path) -> None:
    text = "Dockers walk out at dawn. Talks failed on Friday.\n\nMore text follows here."
    (tmp_path / "a.txt").write_text("date 2031-03-13 " + text)
    (tmp_path / "b.txt").write_text(text)
    dated = parse_file(str(tmp_path / "a.txt")).mentions[0]
    undated = parse_file(str(tmp_path / "b.txt")).mentions[0]
    assert (dated.title, dated.published) == ("Dockers walk out at dawn.", datetime(2031, 3, 13, tzinfo=UTC))
    assert (undated.title, undated.published) == ("Dockers walk out at dawn.", None)
    (tmp_path / "moved").mkdir()
    shutil.move(tmp_path / "a.txt", tmp_path / "moved" / "renamed.txt")
    moved = parse_file(str(tmp_path / "moved" / "renamed.txt")).mentions[0]
    assert moved.content_key == dated.content_key
    assert load([str(tmp_path / "moved")]).articles.keys() == {f"article:text-{dated.content_key}"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-11-09T03:15:59Z", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        ("2020-11-09T04:15:59+01:00", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        ("2020-11-09", datetime(2020, 11, 9, tzinfo=UTC)),
        ("Mon, 09 Nov 2020 03:15:59 GMT", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        ("Mon, 09 Nov 2020 04:15:59 +0100", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        (1604891759, datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        (1604891759000, datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        ("1604891759", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        ("next tuesday", None), ("", None), (12345, None), (True, None), (float("nan"), None),
        ("2020-02-30", None), (["2020-11-09"], None), ("9" * 100, None),
        (" 2020-11-09 ", datetime(2020, 11, 9, tzinfo=UTC)), ("2020-11-09 03:15:59", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)),
        ("1604891759000", datetime(2020, 11, 9, 3, 15, 59, tzinfo=UTC)), ("1604891759000000", None), ("\u0662020-11-09", None),
    ],
)
def test_dates(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_recursive_dirs_skip_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for folder in (tmp_path / "a" / "b", tmp_path / ".git"):
        (folder / "r.json").write_text(json.dumps(RECORD))
    (tmp_path / "a" / ".draft.json").write_text(json.dumps(RECORD))
    result = read_paths([str(tmp_path)])
    assert [m.source for m in result.mentions] == [str(tmp_path / "a" / "b" / "r.json")]


def test_merging_union_find_full_wins_sources_kept() -> None:
    stub = Mention("a.md", 2, False, urls=("https://amp.x.com/s/amp/",), title="Stub title")
    bridge = Mention("c.md", 2, True, urls=("https://x.com/s?utm_source=rss", "https://y.com/t"), title="Full title",
                     excerpt="Full excerpt", related=(Mention("c.md", 2, False, urls=("http://www.x.com/s",), title="Self"),))
    other = Mention("a.md", 2, True, urls=("https://y.com/t#c",), title="", related=(stub,))
    corpus = merge_mentions([other, bridge])
    (article,) = corpus.articles.values()
    assert article.id == "article:x.com/s"
    assert (article.title, article.excerpt, article.full, article.mentions) == ("Full title", "Full excerpt", True, 4)
    assert article.sources == ("a.md", "c.md")
    assert (corpus.related, corpus.stats["self_links_dropped"]) == ([], 2)


def test_provider_identity_by_domain() -> None:
    mentions = [
        Mention("a.md", 2, True, urls=("https://www.p.com/1",), title="1", provider_name="The Post", provider_domain="www.p.com"),
        Mention("b.md", 2, True, urls=("https://amp.p.com/2",), title="2", provider_name="Post", provider_domain="amp.p.com"),
        Mention("c.md", 2, True, urls=("https://p.com/3",), title="3", provider_name="Post"),
    ]
    graph = build_graph(merge_mentions(mentions))
    providers = {n: d for n, d in graph.nodes(data=True) if d["kind"] == "provider"}
    assert providers == {"provider:p.com": {"kind": "provider", "label": "Post", "domain": "p.com", "names": ["Post", "The Post"]}}


def test_lone_surrogates_and_huge_sizes_are_kept_writable(tmp_path: Path) -> None:
    """JSON's ``"\\ud800"`` in a URL used to stop the run (no UTF-8 for it): it becomes U+FFFD, as in
    titles; an image width past 64 bits is unknown, as a huge ``quality`` is."""
    (tmp_path / "a.json").write_text(
        '{"title": "T\\ud800", "webUrl": "http://alder.example/x\\ud800y",'
        ' "images": [{"url": "http://alder.example/i\\udfff.png", "width": 100000000000000000000000, "height": 30}]}'
    )
    [mention] = read_paths([str(tmp_path)], cache=True).mentions
    assert (mention.title, mention.urls) == ("T\ufffd", ("http://alder.example/x\ufffdy",))
    assert mention.keys == ("alder.example/x%EF%BF%BDy",)
    assert [(image.url, image.width, image.height) for image in mention.images] == [("http://alder.example/i\ufffd.png", None, 30)]


def _fenced_by_lines(text: str) -> tuple[str, str] | None:
    """The front matter rule, line by line: the header runs to the first later line that is ``---`` or ``...`` and blanks."""
    lines = text.split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    return None if closing is None else ("\n".join(lines[1:closing]), "\n".join(lines[closing + 1:]).strip())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["---", "...", "--- ", "---\r", "-- -", "----", "\t---", "...\u00a0", "---\x1c", "a: 1",
                                 "", " ", "x", "\u2028", "--- # c"]), max_size=8))
def test_front_matter_closes_at_the_first_fence_line(lines: list[str]) -> None:
    """split_front_matter finds the closing line as the line-by-line rule does: blanks after it (\\r, NBSP) count, others not."""
    for text in ("\n".join(lines), "---\n" + "\n".join(lines)):
        try:
            found: tuple[str, str] | None = split_front_matter(text, "a.md")
        except InputError:
            found = None
        assert found == _fenced_by_lines(text)
