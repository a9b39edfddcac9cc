"""Hostile input, second round (issue 13): each fault is tested as a class, with a table of hostile values.

Every input is generated here, in tmp_path; the values are fictional.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnews import load, sample_data_path
from graphnews.analysis.annotate import add_syndicated_edges
from graphnews.analysis.centrality import Table
from graphnews.analysis.syndication import syndication_groups
from graphnews.atomic import write_text
from graphnews.cli import cli
from graphnews.errors import InputError, printable
from graphnews.explore import OUTPUT_FILES, explore, output_lock
from graphnews.export.files import write_graph
from graphnews.export.report import csv_cell, markdown_text, render_table
from graphnews.export.timeline import timeline_counts
from graphnews.merge import topic_id
from graphnews.providers import provider_id, provider_key
from graphnews.read import read_paths
from graphnews.read.dates import parse_datetime
from graphnews.read.formats import MAX_PROBLEMS_PER_FILE, MAX_YAML_VALUES, parse_file
from graphnews.urls import canonical_url, clean_url

LEDE = ("Hundreds of dockworkers walked out at Container Terminal 3 on Thursday over a new shift rota, "
        "leaving ships waiting in the outer harbour as talks between the union and the port broke down")


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def record(title: str = "Kept", url: str = "https://kept.example.com/a", **fields: object) -> str:
    return json.dumps({"title": title, "webUrl": url, **fields})


def no_unwritable(text: str) -> bool:
    """True when ``text`` holds no NUL and no lone surrogate (it encodes as strict UTF-8)."""
    text.encode("utf-8")
    return "\x00" not in text


# --- text fields: lone surrogates, NUL, escape sequences, huge numbers, wrong types ----------------------

#: (field, JSON value) -> the record is kept, and every output can be written.
HOSTILE_TEXT: list[tuple[str, str]] = [
    ("title", r'"Lone \ud800 surrogate"'),
    ("title", r'"Low \udfff alone"'),
    ("title", r'"NUL \u0000 inside"'),
    ("title", r'"Escape \u001b[31mred\u001b[0m \u001b]8;;https://evil.example\u0007link"'),
    ("excerpt", r'"\ud83d broken pair"'),
    ("excerpt", "true"),
    ("excerpt", "[1, 2]"),
    ("body", "{\"a\": 1}"),
    ("provider", r'{"name": "Name \udc80 x", "domain": "prov.example.com"}'),
    ("provider", r'{"name": "\u0000", "domain": "\ud800.example.com"}'),
    ("topics", r'["Topic \ud800", "NUL\u0000topic"]'),
    ("mood", r'"extra \ud800 field"'),
    ("\\ud800key", '"extra key with a surrogate"'),
    ("category", r'"\ud800"'),
    ("type", r'"\u0000"'),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE_TEXT)
def test_hostile_text_fields_keep_the_record_and_every_output_writes(tmp_path: Path, name: str, value: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    key = json.dumps(name) if not name.startswith("\\") else f'"{name}"'
    (folder / "r.json").write_text('{"title": "Kept", "webUrl": "https://kept.example.com/a", ' + f"{key}: {value}" + "}")
    if name == "title":
        (folder / "r.json").write_text('{"webUrl": "https://kept.example.com/a", "title": ' + value + "}")
    out = tmp_path / "g.json"
    result = run("build", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    text = out.read_text(encoding="utf-8")
    assert no_unwritable(text)
    graph = json.loads(text)
    assert [n["id"] for n in graph["nodes"] if n["kind"] == "article"] == ["article:kept.example.com/a"]
    for fmt in ("csv", "json", "md", "table"):
        report = run("report", str(folder), "--format", fmt, "-q")
        assert report.exit_code == 0, report.output
        assert no_unwritable(report.stdout)
    assert "\x1b" not in result.output  # stderr shows escape sequences escaped


def test_every_explore_output_writes_hostile_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, (name, value) in enumerate(HOSTILE_TEXT):
        key = json.dumps(name) if not name.startswith("\\") else f'"{name}"'
        body = f'"title": "Story {number} \\ud800", "webUrl": "https://site{number}.example.com/a", {key}: {value}'
        if name == "title":
            body = f'"webUrl": "https://site{number}.example.com/a", "title": {value}'
        (folder / f"{number:02d}.json").write_text("{" + body + "}")
    out = tmp_path / "out"
    result = run("explore", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")  # strict UTF-8: no lone surrogate survived
        assert "\x00" not in text and "\x1b" not in text and "\x07" not in text, path.name
    json.loads((out / "graph.json").read_text())
    json.loads((out / "clusters.json").read_text())
    assert len(list(csv.reader(io.StringIO((out / "centrality.csv").read_text())))) > len(HOSTILE_TEXT)


#: YAML front matter values the two YAML parsers read differently, or that no str() can spell.
HUGE_YAML: list[tuple[str, str]] = [
    ("quality", "9" * 5000),
    ("quality", "-" + "9" * 5000),
    ("mood", "9" * 5000),
    ("excerpt", "9" * 5000),
    ("publishedDateTime", "9" * 5000),
    ("quality", "0x" + "f" * 5000),
]


@pytest.mark.parametrize(("name", "value"), HUGE_YAML, ids=[f"{n}-{v[:6]}" for n, v in HUGE_YAML])
def test_huge_yaml_integers_are_a_warning_or_text_never_a_crash(tmp_path: Path, name: str, value: str) -> None:
    path = tmp_path / "r.md"
    path.write_text(f"---\ntitle: Kept\nwebUrl: https://kept.example.com/a\n{name}: {value}\n---\nBody\n")
    result = parse_file(str(path))
    (mention,) = result.mentions
    assert mention.quality is None
    assert all(len(str(problem)) < 200 for problem in result.problems)
    out = tmp_path / "g.json"
    assert run("build", str(path), "-o", str(out), "-q").exit_code == 0
    json.loads(out.read_text())


# --- dates and whole numbers at the edges --------------------------------------------------------------

#: value (as JSON) -> the ISO date kept, or None (kept as unknown with one warning).
DATES: list[tuple[str, str | None]] = [
    ('"2020-11-09"', "2020-11-09T00:00:00+00:00"),
    ('"1000-01-01"', "1000-01-01T00:00:00+00:00"),
    ('"0001-01-01"', None),
    ('"0999-12-31T23:59:59Z"', None),
    ('"9999-12-31"', None),
    ('"9999-12-31T23:00:00-05:00"', None),
    ('"0001-01-01T00:30:00+01:00"', None),
    ('"' + "1" * 400 + '"', None),
    ("1" * 400, None),
    ('"\u00b2"', None),
    ('"\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660"', None),
    ('"\uff11\uff12\uff13"', None),
    ("NaN", None),
    ("Infinity", None),
    ("-1e308", None),
    ('"Mon, 09 Nov 99999 03:15:59 GMT"', None),
    ('"Mon, 32 Nov 2020 03:15:59 GMT"', None),
    ("[2020, 11, 9]", None),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_dates_at_the_edges(tmp_path: Path, value: str, expected: str | None) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"title": "Kept", "webUrl": "https://kept.example.com/a", "date": ' + value + "}")
    result = parse_file(str(path))
    (mention,) = result.mentions
    assert (mention.published.isoformat() if mention.published else None) == expected
    assert [p.fatal for p in result.problems] == ([] if expected else [False])
    out = tmp_path / "out"
    explored = run("explore", str(path), "-o", str(out), "-q")
    assert explored.exit_code == 0, explored.output
    published = [n.get("published") for n in json.loads((out / "graph.json").read_text())["nodes"] if n["kind"] == "article"]
    assert published == ([expected[:10] + "T00:00:00Z"] if expected else [None])


@pytest.mark.parametrize("value", [10**400, -(10**400), float("nan"), float("inf"), "²", "٣", "9" * 20, True])
def test_parse_datetime_never_raises(value: object) -> None:
    assert parse_datetime(value) is None


#: quality value (JSON) -> kept number, or None with one warning.
QUALITY: list[tuple[str, int | None]] = [
    ('"5"', 5), ('"-5"', -5), ("7", 7), ("7.0", 7), ('" 12 "', 12),
    ('"--5"', None), ('"-"', None), ('"\u00b2"', None), ('"\u0663"', None), ('"5-"', None), ('"+-5"', None),
    ("7.5", None), ("1e300", None), ('"' + "9" * 40 + '"', None), ("9" * 40, None), ("[5]", None),
]


@pytest.mark.parametrize(("value", "expected"), QUALITY)
def test_quality_values(tmp_path: Path, value: str, expected: int | None) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"title": "Kept", "webUrl": "https://kept.example.com/a", "quality": ' + value + "}")
    result = parse_file(str(path))
    assert result.mentions[0].quality == expected
    assert [p.message.startswith("quality: expected a whole number") for p in result.problems] == ([] if expected is not None else [True])


# --- URLs: hosts as browsers read them, one article per page ----------------------------------------------

#: Pairs that are two different pages, however alike they look.
DIFFERENT_PAGES: list[tuple[str, str]] = [
    ("https://evil.example\\@www.cnn.com/2020/11/08/story.html", "https://www.cnn.com/2020/11/08/story.html"),
    ("https://evil.example\\\\@www.cnn.com/x", "https://www.cnn.com/x"),
    ("https://news.example/#!/story/1", "https://news.example/#!/story/2"),
    ("https://fa\u00df.de/a", "https://fass.de/a"),
    ("https://guitar.example/gear/amp/review", "https://guitar.example/gear/review"),
    ("https://[2001:db8::1]/a", "https://[2001:db8::2]/a"),
    ("https://site.example/a%2Fb", "https://site.example/a/b"),
]


@pytest.mark.parametrize(("first", "second"), DIFFERENT_PAGES)
def test_different_pages_stay_apart(first: str, second: str) -> None:
    assert canonical_url(first) != canonical_url(second)


#: Pairs that are one page.
SAME_PAGE: list[tuple[str, str]] = [
    ("https://user:secret@www.news.example/a", "https://news.example/a"),
    ("https://news.example/a%2fb", "https://news.example/a%2Fb"),
    ("https://news.example/%7Euser/%41", "https://news.example/~user/A"),
    ("https://[2001:DB8:0:0::1]:443/a", "http://[2001:db8::1]/a"),
    ("https://B\u00dcCHER.example/a", "https://xn--bcher-kva.example/a"),
    ("https://news.example/a/b#section", "https://news.example/a/b"),
    ("https://news.example/a.html#!", "https://news.example/a.html"),
    ("https://news.example/#!/", "https://news.example/"),
    ("https://www.wsj.com/amp/articles/x-1", "https://www.wsj.com/articles/x-1"),
    ("https://nypost.com/2020/11/06/x/amp/", "https://nypost.com/2020/11/06/x/"),
    ("https://mobile.reuters.com/article/amp/idUS1", "https://mobile.reuters.com/article/idUS1"),
    (" https://news.example/a\t", "https://news.example/a"),
    ("https://evil.example\\.cnn.com/x", "https://evil.example/.cnn.com/x"),  # a backslash is a slash, as in browsers
    ("https://evil.example%5C@www.cnn.com/x", "https://www.cnn.com/x"),  # user info "evil.example%5C": the host is cnn.com
    ("https://news.exa\nmple/a", "https://news.example/a"),
]


@pytest.mark.parametrize(("first", "second"), SAME_PAGE)
def test_same_page_merges(first: str, second: str) -> None:
    assert canonical_url(first) == canonical_url(second) is not None


@pytest.mark.parametrize("url", ["https://user:secret@news.example/a", "https://secret@news.example/a",
                                 "https://:secret@news.example/a", "http://a:secret@[2001:db8::1]:8080/x"])
def test_credentials_never_leave_the_record(tmp_path: Path, url: str) -> None:
    assert "secret" not in clean_url(url)
    path = tmp_path / "in" / "r.json"
    path.parent.mkdir()
    path.write_text(record(url=url, related=[{"title": "Other", "webUrl": url.replace("/a", "/b")}]))
    out = tmp_path / "out"
    assert run("explore", str(path.parent), "-o", str(out), "-q").exit_code == 0
    for written in out.iterdir():
        assert "secret" not in written.read_text(), written.name


def test_a_look_alike_url_never_takes_another_records_title_or_link(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_evil.json").write_text(record("Fake", "https://evil.example\\@www.cnn.com/2020/11/08/story.html"))
    (folder / "b_real.json").write_text(record("Real", "https://www.cnn.com/2020/11/08/story.html"))
    corpus = load([str(folder)])
    real = corpus.articles["article:cnn.com/2020/11/08/story.html"]
    assert (real.title, real.link, real.sources) == ("Real", "https://www.cnn.com/2020/11/08/story.html", (str(folder / "b_real.json"),))
    fake = corpus.articles["article:evil.example/@www.cnn.com/2020/11/08/story.html"]
    assert (fake.title, fake.link, fake.provider) == ("Fake", "https://evil.example/@www.cnn.com/2020/11/08/story.html", "provider:evil.example")


# --- providers ----------------------------------------------------------------------------------------

#: Hosts of outlets that must stay apart (same unknown or private suffix).
DISTINCT_OUTLETS: list[tuple[str, str]] = [
    ("outlet1.example", "outlet2.example"), ("a.internal", "b.internal"), ("a.local", "b.local"),
    ("one.test", "two.test"), ("alice.github.io", "bob.github.io"), ("a.netlify.app", "b.netlify.app"),
    ("x.blogspot.co.uk", "y.blogspot.co.uk"), ("x.blogspot.com", "y.blogspot.com"),
    ("bucket-a.s3.amazonaws.com", "bucket-b.s3.amazonaws.com"), ("a.herokuapp.com", "b.herokuapp.com"),
    ("localhost", "otherhost"), ("10.0.0.1", "10.0.0.2"), ("[2001:db8::1]", "[2001:db8::2]"),
    ("abcnews.go.com", "espn.go.com"),
]


@pytest.mark.parametrize(("first", "second"), DISTINCT_OUTLETS)
def test_outlets_on_shared_or_unknown_suffixes_stay_apart(first: str, second: str) -> None:
    a, b = provider_key(f"https://{first}/story"), provider_key(f"https://{second}/story")
    assert a and b and a != b


@pytest.mark.parametrize(("host", "key"), [("www.cnn.com", "cnn.com"), ("edition.cnn.com", "cnn.com"),
                                           ("news.bbc.co.uk", "bbc.co.uk"), ("www.outlet1.example", "outlet1.example"),
                                           ("https://[2001:DB8::1]:8080/x", "[2001:db8::1]")])
def test_provider_keys(host: str, key: str) -> None:
    assert provider_key(host) == key


@pytest.mark.parametrize(("name", "expected"), [("Новая газета", "provider:name:новая-газета"),
                                                ("東方日報", "provider:name:東方日報"),
                                                ("الجزيرة", "provider:name:الجزيرة"),
                                                ("Fairmont Sentinel", "provider:name:fairmont-sentinel")])
def test_non_latin_provider_names_get_a_provider(name: str, expected: str) -> None:
    assert provider_id(name, None) == expected


def test_a_provider_named_only_by_symbols_gets_a_stable_provider() -> None:
    assert provider_id("★★★", None) == provider_id(" ★★★ ", None) != provider_id("☆☆☆", None)
    assert provider_id("★★★", None).startswith("provider:name:h-")


@pytest.mark.parametrize(("names", "ids"), [
    (["C", "C++", "C#"], ["topic:c", "topic:c-plus-plus", "topic:c-sharp"]),
    (["F#", "F"], ["topic:f-sharp", "topic:f"]),
    (["#MeToo", "MeToo"], ["topic:metoo", "topic:metoo"]),
    (["Google+", "Google"], ["topic:google-plus", "topic:google"]),
])
def test_topics_that_differ_by_plus_or_sharp(names: list[str], ids: list[str]) -> None:
    assert [topic_id(name) for name in names] == ids


# --- CSV and Markdown injection ----------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1", "\r=1",
            "\uff1dcmd", "-", "=", "@"]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cells_never_start_a_formula(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("number", ["-1", "-0.25", "-3e-05", "+4", "12", "-.5"])
def test_real_numbers_stay_numbers_in_csv(number: str) -> None:
    assert csv_cell(number) == number


def explore_texts(folder: Path, texts: list[str], out: Path) -> None:
    """One record per text, the text as its title, topic and provider name; then explore into ``out``."""
    folder.mkdir()
    for number, text in enumerate(texts):
        (folder / f"{number}.json").write_text(json.dumps({
            "title": text, "webUrl": f"https://s{number}.example.com/a", "topics": [text],
            "provider": {"name": text, "domain": f"s{number}.example.com"}}))
    assert run("explore", str(folder), "-o", str(out), "-q").exit_code == 0


def test_centrality_csv_and_every_csv_report_are_neutralised(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    explore_texts(folder, FORMULAS, out)
    rows = list(csv.DictReader(io.StringIO((out / "centrality.csv").read_text())))
    texts = [row.get(column) or "" for row in rows for column in ("title", "name")]
    assert all(not text.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")) for text in texts)
    assert any(text == "'=HYPERLINK(\"https://evil.example\",\"x\")" for text in texts)
    # numbers stay numbers: ten lone articles share PageRank equally, written unquoted
    assert [row["pagerank"] for row in rows if row["kind"] == "article"] == ["0.1"] * len(FORMULAS)
    for command in (["report", "--format", "csv"], ["clusters", "--format", "csv"]):
        result = run(*command, str(folder), "-q")
        assert result.exit_code == 0
        cells = [cell for line in csv.reader(io.StringIO(result.stdout)) for cell in line]
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
        assert not any(cell.startswith("-") and not cell.lstrip("-").replace(".", "").replace("e", "").isdigit() for cell in cells)


MARKDOWN_TITLES = [
    "![pixel](https://tracker.example/p.png)",
    "[click](https://evil.example/)",
    "<img src=x onerror=alert(1)>",
    "a | b | c",
    "first line\n# injected heading",
    "line\r\n| injected | row |",
    "`code` *bold* _it_ ~~strike~~",
    "\u2028# after a line separator",
]


@pytest.mark.parametrize("title", MARKDOWN_TITLES)
def test_markdown_text_is_inert(title: str) -> None:
    text = markdown_text(title)
    assert "\n" not in text and "\r" not in text and "\u2028" not in text
    for marker in ("![", "](", "<img", "| ", "# "):
        assert marker not in text.replace("\\" + marker[0], ""), marker


def test_report_md_with_hostile_titles_and_folder_name(tmp_path: Path) -> None:
    folder, out = tmp_path / "<img src=x onerror=alert(1)>\n# Owned", tmp_path / "out"
    explore_texts(folder, MARKDOWN_TITLES, out)
    report = (out / "report.md").read_text()
    headings = [line for line in report.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# graphnews: &lt;img") and "\\# Owned" in headings[0]
    assert all(line.startswith(("# graphnews", "## ")) for line in headings)
    assert "<img" not in report and "![" not in report and "](https://tracker" not in report
    rows = [line for line in report.splitlines() if line.startswith("|")]
    assert all(line.endswith("|") for line in rows)
    result = run("report", str(folder), "--format", "md", "-q")
    assert "<img" not in result.stdout and "![" not in result.stdout


# --- NaN and infinities never reach JSON ------------------------------------------------------------------

def strict_json(text: str) -> object:
    def refuse(token: str) -> None:
        raise ValueError(f"bare {token} in JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_null_in_every_json(tmp_path: Path, value: float) -> None:
    table = Table("article", ["id", "pagerank"], [{"id": "article:a", "pagerank": value}], [])
    assert strict_json(render_table(table, "json"))["rows"] == [{"id": "article:a", "pagerank": None}]
    graph = nx.MultiDiGraph()
    graph.add_node("article:a", kind="article", pagerank=value)
    graph.add_edge("article:a", "article:a", key="similar", kind="similar", weight=value)
    write_graph(graph, str(tmp_path / "g.json"))
    document = strict_json((tmp_path / "g.json").read_text())
    assert document["nodes"][0]["pagerank"] is None and document["edges"][0]["weight"] is None


# --- files: names, links, depth, the dataset's other record types --------------------------------------------

@pytest.mark.parametrize("name", [b"caf\xe9.json", b"\xff\xfe.json", b"new\nline.json", b"tab\there.json",
                                  b"esc\x1b[31m.json", b"\xe2\x80\xae-rtl.json"])
def test_odd_file_names_are_read_and_shown_on_one_line(tmp_path: Path, name: bytes) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = os.path.join(os.fsencode(folder), name)
    with open(good, "w") as handle:
        handle.write(record())
    with open(os.path.join(os.fsencode(folder), b"junk-" + name), "w") as handle:
        handle.write("{nope")
    out = tmp_path / "out"
    errors = tmp_path / "errors.jsonl"
    result = run("explore", str(folder), "-o", str(out), "--errors", str(errors))
    assert result.exit_code == 0, result.output
    assert "Skipped 1 file(s) or record(s):" in result.output
    problem_lines = [line for line in result.output.splitlines() if "junk-" in line]
    assert len(problem_lines) == 1  # one line, whatever the name holds
    assert "\x1b" not in result.output
    (problem,) = [json.loads(line) for line in errors.read_text().splitlines()]
    assert problem["path"] == printable(os.fsdecode(os.path.join(os.fsencode(folder), b"junk-" + name)))
    graph = json.loads((out / "graph.json").read_text())
    (article,) = [n for n in graph["nodes"] if n["kind"] == "article"]
    assert article["sources"] == [printable(os.fsdecode(good))]


@pytest.mark.parametrize("target", ["/etc/os-release", "/etc/hostname", "../outside.md"])
def test_symlinks_leaving_the_inputs_are_not_followed(tmp_path: Path, target: str) -> None:
    (tmp_path / "outside.md").write_text("---\ntitle: Outside secret\nwebUrl: https://secret.example/a\n---\n")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.json").write_text(record())
    os.symlink(target if target.startswith("/") else tmp_path / "outside.md", folder / "leak.md")
    os.symlink(folder / "good.json", folder / "inside.json")  # a link within the inputs is followed
    corpus = load([str(folder)])
    assert [a.title for a in corpus.articles.values()] == ["Kept"]
    (warning,) = [p for p in corpus.problems if "symlink" in p.message]
    assert not warning.fatal and "outside the input folders; not followed (--follow-links follows it)" in warning.message
    result = run("build", str(folder), "-o", str(tmp_path / "g.json"), "--strict")
    assert result.exit_code == 0 and "Outside secret" not in (tmp_path / "g.json").read_text()
    if target == "../outside.md":
        followed = load([str(folder)], follow_links=True)
        assert sorted(a.title for a in followed.articles.values()) == ["Kept", "Outside secret"]
        assert run("build", str(folder), "--follow-links", "-o", str(tmp_path / "f.json")).exit_code == 0
        assert "Outside secret" in (tmp_path / "f.json").read_text()


@pytest.mark.parametrize("depth", [1500, 1900])
def test_deep_folders(tmp_path: Path, depth: int) -> None:
    folder = tmp_path / "in"
    deep = os.fsencode(folder)
    os.makedirs(deep)
    for _ in range(depth):
        deep = os.path.join(deep, b"d")
        os.mkdir(deep)
    with open(os.path.join(deep, b"r.json"), "w") as handle:
        handle.write(record())
    try:
        assert [a.title for a in load([str(folder)]).articles.values()] == ["Kept"]
    finally:  # removed bottom-up here: pytest's later clean-up of old tmp folders recurses and overflows on them
        os.remove(os.path.join(deep, b"r.json"))
        for _ in range(depth + 1):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def test_explore_dot_never_reads_its_own_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.json").write_text(record())
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = run("explore", ".", "--strict")
        assert result.exit_code == 0, result.output
        assert "Articles: 1 (1 full records" in result.output
    assert "output: warning: a graphnews report folder (index.html, graph.json ...); not read as input" in result.output


@pytest.mark.parametrize("layout", [
    {"_people/jane-doe.md": "---\nname: Jane Doe\nbio: A fictional reporter\n---\n"},
    {"_data/topics/election.yml": "name: Election\nslug: election\n"},
    {"_events/summit.md": "---\nname: Harbour summit\nstart: 2031-03-13\n---\n"},
    {"_people/a.md": "---\nname: A\n---\n", "_people/b.md": "---\nname: B\n---\n", "_data/topics/t.yaml": "name: T\n"},
])
def test_the_datasets_other_record_types_are_said_once(tmp_path: Path, layout: dict[str, str]) -> None:
    folder = tmp_path / "dataset"
    (folder / "_posts").mkdir(parents=True)
    (folder / "_posts" / "story.json").write_text(record())
    for name, content in layout.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    result = run("build", str(folder), "-o", str(tmp_path / "g.json"), "--strict")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if "other record types" in line]
    assert len(notes) == 1  # one line for all of them
    assert f"{len(layout)} files of the dataset's other record types" in notes[0]
    assert "Read 1 files: 1 records" in result.output


# --- front matter, fields of the wrong type --------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["\n", "\n\n\n", "  \n\t\n", "\ufeff\n"])
def test_front_matter_after_blank_lines(tmp_path: Path, prefix: str) -> None:
    path = tmp_path / "r.md"
    path.write_text(prefix + "---\ntitle: Late start\nwebUrl: https://late.example.com/a\ndate: soon\n---\nBody\n")
    result = parse_file(str(path))
    (mention,) = result.mentions
    assert (mention.title, mention.body, mention.urls) == ("Late start", "Body", ("https://late.example.com/a",))
    lines = prefix.replace("\ufeff", "").count("\n")
    assert [(p.line, p.message) for p in result.problems] == [(lines + 2, "date: unreadable date 'soon', kept as unknown")]


@pytest.mark.parametrize(("value", "kind"), [("yes", "a bool"), ("[a, b]", "a list"), ("{a: 1}", "a mapping"),
                                             ("2020-11-09", "a date")])
def test_excerpt_of_the_wrong_type_keeps_the_record(tmp_path: Path, value: str, kind: str) -> None:
    path = tmp_path / "r.md"
    path.write_text(f"---\ntitle: Kept\nwebUrl: https://kept.example.com/a\nexcerpt: {value}\n---\n")
    result = parse_file(str(path))
    assert result.mentions[0].excerpt == ""
    assert [(p.message, p.fatal) for p in result.problems] == [(f"excerpt: expected text, got {kind}; ignored", False)]
    assert run("build", str(path), "--strict", "-o", str(tmp_path / "g.json")).exit_code == 0


# --- memory and time bounds per file ------------------------------------------------------------------

@pytest.mark.parametrize(("junk", "lines"), [("{nope", 200_000), ("[1", 50_000), ('{"no": "identity"}', 100_000), ("\x1b[2J", 1000)])
def test_json_lines_problems_are_capped_per_file(tmp_path: Path, junk: str, lines: int) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([junk] * lines + [record()]) + "\n")
    started = time.perf_counter()
    result = parse_file(str(path))
    assert time.perf_counter() - started < 30
    assert [m.title for m in result.mentions] == ["Kept"]
    assert len(result.problems) == MAX_PROBLEMS_PER_FILE + 1
    assert result.problems[-1].message == f"... and {lines - MAX_PROBLEMS_PER_FILE:,} more bad lines (not listed)"
    assert all("\n" not in str(p) and "\x1b" not in str(p) for p in result.problems)


def test_warnings_are_capped_per_file_too(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(record(url=f"https://k.example.com/{n}", date="soon") for n in range(500)) + "\n")
    result = parse_file(str(path))
    assert len(result.mentions) == 500
    assert [p.fatal for p in result.problems] == [False] * (MAX_PROBLEMS_PER_FILE + 1)
    assert result.problems[-1].message == f"... and {500 - MAX_PROBLEMS_PER_FILE} more warnings (not listed)"


@pytest.mark.parametrize("shape", ["- a\n", "  - [1, 2, 3, 4, 5, 6, 7, 8]\n", "  k{n}: v\n"])
def test_yaml_with_too_many_values_is_refused_before_it_is_built(tmp_path: Path, shape: str) -> None:
    items = "".join(shape.replace("{n}", str(n)) for n in range(MAX_YAML_VALUES + 10))
    path = tmp_path / "big.md"
    path.write_text("---\ntitle: Big\nrelated:\n" + ("  nested:\n" if "k{n}" in shape else "") + items + "---\n")
    started = time.perf_counter()
    with pytest.raises(InputError, match=f"YAML holds more than {MAX_YAML_VALUES:,} values; refused"):
        parse_file(str(path))
    assert time.perf_counter() - started < 20


def test_a_wire_story_carried_by_4000_outlets_is_linear(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    for number in range(4000):
        graph.add_node(f"article:o{number:04d}.example/a", kind="article", excerpt=LEDE,
                       provider=f"provider:o{number:04d}.example", published=f"2031-03-13T{number % 24:02d}:00:00Z")
    started = time.perf_counter()
    groups = syndication_groups(graph)
    assert [len(group.members) for group in groups] == [4000]
    assert add_syndicated_edges(graph, groups) == 3999
    assert time.perf_counter() - started < 20
    first = groups[0].first
    assert first == "article:o0000.example/a"
    assert all(first in (u, v) for u, v, k in graph.edges(keys=True) if k == "syndicated")


def test_one_outlets_copies_of_one_lede_are_not_syndication() -> None:
    graph = nx.MultiDiGraph()
    for number in range(50):
        graph.add_node(f"article:tv.example/{number}", kind="article", excerpt=LEDE, provider="provider:tv.example")
    assert syndication_groups(graph) == []
    graph.add_node("article:other.example/1", kind="article", excerpt=LEDE, provider="provider:other.example")
    assert [len(group.members) for group in syndication_groups(graph)] == [51]


def test_timeline_is_linear_in_distinct_days() -> None:
    graph = nx.Graph()
    for number in range(30_000):
        graph.add_node(number, kind="article", published=f"{1900 + number // 365:04d}-{1 + number % 12:02d}-{1 + number % 28:02d}T00:00:00Z",
                       cluster=number % 9)
    graph.add_node("edge-high", kind="article", published="9999-12-31T00:00:00Z")
    graph.add_node("edge-low", kind="article", published="0001-01-01T00:00:00Z")
    graph.add_node("garbage", kind="article", published="1-01-01T00")
    started = time.perf_counter()
    timeline = timeline_counts(graph, {})
    assert time.perf_counter() - started < 5
    assert len(timeline.days) <= 62 and timeline.undated == 3


# --- outputs: -o targets, the explore folder -------------------------------------------------------------

def test_output_to_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    os.symlink(target, link)
    assert run("build", "-o", str(link), "-q").exit_code == 0
    assert link.is_symlink() and json.loads(target.read_text())["nodes"]


def test_output_to_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
    reader.start()
    assert run("report", "--format", "csv", "-o", str(fifo), "-q").exit_code == 0
    reader.join(10)
    assert received[0].startswith("kind,id,") and fifo.exists() and not fifo.is_file()  # --kind all: one table


def test_output_dash_is_stdout() -> None:
    result = run("report", "--kind", "topic", "--format", "csv", "-o", "-", "-q")
    assert result.exit_code == 0 and result.stdout.startswith("id,")
    assert not os.path.exists("-")


def test_a_second_explore_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("explore", "-o", str(out), "-q").exit_code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    with output_lock(str(out)):
        result = run("explore", "-o", str(out), "-q")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot write into {out}: another graphnews explore is writing there"
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_concurrent_explores_leave_one_complete_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = "import sys; from graphnews.cli import cli; cli(['explore', '-q', '-o', sys.argv[1], '--title', sys.argv[2]])"
    runs = [subprocess.Popen([sys.executable, "-c", script, str(out), f"run {n}"], cwd=os.getcwd(),
                             stderr=subprocess.PIPE, text=True) for n in range(3)]
    codes = [(process.wait(120), process.stderr.read()) for process in runs]
    assert sum(code == 0 for code, _ in codes) >= 1
    assert all(code == 0 or "another graphnews explore is writing there" in err for code, err in codes)
    titles = {name: next((f"run {n}" for n in range(3) if f"run {n}" in (out / name).read_text()), None)
              for name in ("index.html", "report.md", "graph.html")}
    assert len(set(titles.values())) == 1 and None not in titles.values()
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def test_foreign_files_in_the_output_folder_survive_the_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "todo.txt").write_text("mine")
    (out / "readme.txt").write_text("also mine")
    explore([sample_data_path()], str(out))
    explore([sample_data_path()], str(out))
    assert (out / "notes" / "todo.txt").read_text() == "mine" and (out / "readme.txt").read_text() == "also mine"
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "notes", "readme.txt"])


@pytest.mark.parametrize("args", [["--max-nodes", "1"], ["--max-nodes", "10"], ["--top", "1", "--max-nodes", "3"]])
def test_explore_with_a_tiny_page(tmp_path: Path, args: list[str]) -> None:
    result = run("explore", "-o", str(tmp_path / "out"), "-q", *args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("files", [{"a.json": '{"bad": 1}'}, {"a.md": "---\n---\n"}, {"a.txt": "\x00"}, {}])
def test_explore_a_corpus_with_no_readable_record(tmp_path: Path, files: dict[str, str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_text(content)
    out = tmp_path / "out"
    result = run("explore", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert "Articles: 0" in result.output


# --- the CLI: --graph, --depth, exit codes --------------------------------------------------------------

MALFORMED_GRAPHS = [
    "", "not json", "[]", "null", "{}", '{"nodes": []}', '{"graph": [], "nodes": []}',
    '{"graph": {"graphnews_format": 1}, "nodes": {}}',
    '{"graph": {"graphnews_format": 1}, "nodes": [1, 2]}',
    '{"graph": {"graphnews_format": 1}, "nodes": [{"kind": "article"}]}',
    '{"graph": {"graphnews_format": 1}, "nodes": [{"id": "a", "title": ["x"]}]}',
    '{"graph": {"graphnews_format": 1}, "nodes": [{"id": "a"}], "edges": [{"source": "a"}]}',
    '{"graph": {"graphnews_format": 1}, "nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "b", "weight": "x"}]}',
    '{"graph": {"graphnews_format": 1}, "nodes": [{"id": "a", "topics": "x"}], "edges": 5}',
    '{"graph": {"graphnews_format": 1}, "nodes": [{"id": ' + "9" * 5000 + "}]}",
    "[" * 100_000,
]


@pytest.mark.parametrize("text", MALFORMED_GRAPHS, ids=range(len(MALFORMED_GRAPHS)))
def test_malformed_graph_json_is_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "g.json"
    path.write_text(text)
    for command in (["report"], ["html", "-o", str(tmp_path / "p.html")], ["clusters"], ["related", "article:a"]):
        result = run(*command, "--graph", str(path))
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_a_graph_with_surrogate_escapes_loads_clean(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"graph": {"graphnews_format": 1}, "nodes": [{"id": "article:a", "kind": "article", '
                    '"title": "bad \\ud800 \\u0000"}], "edges": []}')
    result = run("report", "--graph", str(path), "--format", "csv")
    assert result.exit_code == 0 and "bad \ufffd " in result.stdout


@pytest.mark.parametrize("depth", ["1000000000", "99999999999999"])
def test_huge_depth_is_bounded_by_the_graph(tmp_path: Path, depth: str) -> None:
    started = time.perf_counter()
    result = run("html", "--around", "article:text-af72d479c2bd8df6", "--depth", depth, "-o", str(tmp_path / "p.html"), "-q")
    assert result.exit_code in (0, 1), result.output
    assert time.perf_counter() - started < 30 and "Traceback" not in result.output


@pytest.mark.parametrize(("args", "code"), [
    (["clusters", "--weight", "similar=x"], 2),
    (["clusters", "--weight", "nosuch=1"], 2),
    (["clusters", "--config", "{config}"], 2),
    (["explore", "--config", "{config}", "-o", "{out}"], 2),
    (["clusters", "--config", "{binary}"], 2),
    (["explore", "--config", "{binary}", "-o", "{out}"], 2),
])
def test_the_same_error_has_the_same_exit_code(tmp_path: Path, args: list[str], code: int) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("similar: [1\n")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    values = {"{config}": str(config), "{binary}": str(binary), "{out}": str(tmp_path / "out")}
    result = run(*[values.get(arg, arg) for arg in args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


# --- workers die with their run ----------------------------------------------------------------------------

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_parse_workers_die_when_their_run_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(80):
        (folder / f"{number}.json").write_text(record(url=f"https://k.example.com/{number}"))
    script = textwrap.dedent(f"""
        import time
        import graphnews.read as read
        import graphnews.read.formats as formats
        real = formats.parse_file
        def slow(path, max_bytes):
            time.sleep(60)
            return real(path, max_bytes)
        read.parse_file = slow
        read.read_paths([{str(folder)!r}], workers=2)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=os.getcwd())
    children: list[int] = []
    deadline = time.time() + 30
    while time.time() < deadline and len(children) < 2:
        time.sleep(0.2)
        try:
            children = [int(pid) for pid in Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()]
        except OSError:
            children = []
    assert len(children) >= 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10

    def alive(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
        except OSError:
            return False

    while time.time() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in children)


def test_write_text_replaces_a_lone_surrogate_instead_of_failing(tmp_path: Path) -> None:
    write_text(str(tmp_path / "x.txt"), "a\ud800b")
    assert (tmp_path / "x.txt").read_text() == "a\\ud800b"


def test_read_paths_reports_walk_problems_first(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(record())
    os.symlink("/etc/hostname", folder / "leak.md")
    result = read_paths([str(folder)])
    assert [p.fatal for p in result.problems] == [False] and len(result.mentions) == 1


@pytest.mark.parametrize(("name", "content"), [
    ("plain.txt", "date 2031-03-13 Dockers \x1b[31mstrike\x1b[0m at Terminal 3.\x07\n"),
    ("fenced.md", "---\ntitle: Fenced\nwebUrl: https://f.example.com/a\n---\nBody \x1b]0;owned\x07 text\x7f\x9b2J\n"),
])
def test_control_characters_in_bodies_reach_no_output(tmp_path: Path, name: str, content: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_text(content)
    out = tmp_path / "out"
    assert run("explore", str(folder), "-o", str(out), "-q").exit_code == 0
    for path in out.iterdir():
        text = path.read_text()
        assert not any(char in text for char in "\x1b\x07\x7f\x9b"), path.name


@pytest.mark.parametrize("argument", ["\x1b[2Jarticle:x", "https://evil.example/\x1b]0;owned\x07", "article:\n# two lines"])
def test_error_lines_show_data_escaped(argument: str) -> None:
    result = run("related", argument, "-q")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_folder_swap_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphnews.explore as explore_module

    monkeypatch.setattr(explore_module.sys, "platform", "darwin")  # the two-rename path
    out = tmp_path / "out"
    explore([sample_data_path()], str(out), title="first")
    (out / "mine.txt").write_text("kept")
    explore([sample_data_path()], str(out), title="second")
    assert "second" in (out / "report.md").read_text() and (out / "mine.txt").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


@pytest.mark.parametrize("command", [["build"], ["report", "--format", "json"], ["clusters", "--format", "md"]])
def test_every_command_writes_dash_to_stdout(command: list[str]) -> None:
    result = run(*command, "-o", "-", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() and not os.path.exists("-")
