"""The yaml-rs fast path gives the same records as the PyYAML reference, on every real file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import graphnews
from graphnews.read import find_files, parse_file
from graphnews.read import formats, yamlload
from graphnews.read.records import _http_url
from graphnews.read.yamlload import YamlProblem, fast_path_applies, load_yaml
from graphnews.urls import is_http_url


def parse_with(path: str, monkeypatch: pytest.MonkeyPatch, fast: bool) -> object:
    """parse_file's result (or its error) with the fast path on or off."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlload, "yaml_rs", None)
        try:
            result = parse_file(path)
        except graphnews.InputError as error:
            return ("error", str(error))
        return (result.mentions, result.records, [str(p) for p in result.problems])


def corpus_files(folder: Path | str) -> list[str]:
    files = find_files([str(folder)])
    assert files
    return files


@pytest.mark.shared
def test_election_corpus_same_records_with_both_parsers(election_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = corpus_files(election_dir)
    assert len(files) == 143
    fast_files = 0
    for path in files:
        header = Path(path).read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---\n")
        fast_files += fast_path_applies(header)
        assert parse_with(path, monkeypatch, fast=True) == parse_with(path, monkeypatch, fast=False), path
    assert fast_files == 143  # every real record takes the fast path: the proof covers it


@pytest.mark.shared
def test_seeds_same_records_with_both_parsers(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = corpus_files(seeds_dir)
    assert len(files) == 3
    for path in files:
        assert parse_with(path, monkeypatch, fast=True) == parse_with(path, monkeypatch, fast=False), path


def test_sample_same_records_with_both_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    files = corpus_files(graphnews.sample_data_path())
    assert len(files) == 23
    for path in files:
        assert parse_with(path, monkeypatch, fast=True) == parse_with(path, monkeypatch, fast=False), path


# Plain scalars YAML 1.1 (PyYAML) and YAML 1.2 (yaml-rs) read differently, and the quoted
# date yaml-rs turns into a date: each must leave the fast path and read as PyYAML does.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("flag: yes", {"flag": True}),
        ("flag: Off", {"flag": False}),
        ("n: 010", {"n": 8}),
        ("n: 0o10", {"n": "0o10"}),
        ("t: 1:20", {"t": 80}),
        ("x: 1e3", {"x": "1e3"}),
        ('d: "2020-11-09"', {"d": "2020-11-09"}),
        ("d: '2020-11-09T03:15:59Z'", {"d": "2020-11-09T03:15:59Z"}),
        ("<<: {b: 1}\nc: 2", {"b": 1, "c": 2}),
        ("on: 1", {True: 1}),
        ("a: &x 1\nb: *x", {"a": 1, "b": 1}),
        ("- yes\n- no", [True, False]),
    ],
)
def test_yaml_11_scalars_read_as_pyyaml_does(text: str, expected: object) -> None:
    assert not fast_path_applies(text)
    assert load_yaml(text) == expected == yaml.load(text, Loader=yamlload.SafeLoader)


@pytest.mark.parametrize(
    "text",
    [
        'title: "Harbour strike"\nquality: 190\nheat: -1\npublished: false',
        "publishedDateTime: 2020-11-09T03:15:59Z\nday: 2020-11-09\nat: 2020-11-09T03:15:59.5+01:00",
        "topics:\n  - Election\n  - Port Alder # a comment\nrelated: []\nimages: {}\nnothing: ~\nnone:",
        "a: 1\na: 2",  # duplicate keys: the last one wins in both
        "score: 1.50\nname: 'it''s'\nescaped: \"x\\/y \\u00e9\"",
    ],
)
def test_fast_path_equals_reference(text: str) -> None:
    assert fast_path_applies(text)
    assert load_yaml(text) == load_yaml(text, fast=False)


def test_errors_keep_pyyaml_line_numbers() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml("title: ok\nurl: x\nbad: [1, 2\nmore: 3")
    assert caught.value.line == 4
    assert caught.value.message.startswith("invalid YAML: ")


def test_alias_bomb_refused_on_either_path() -> None:
    bomb = "a: &a [x, x]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(60))
    assert not fast_path_applies(bomb)
    with pytest.raises(YamlProblem, match="more than 100 YAML aliases"):
        load_yaml(bomb)


def test_fallback_without_yaml_rs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(yamlload, "yaml_rs", None)
    assert not fast_path_applies("title: x")
    assert yamlload.parser_name().startswith("pyyaml-")
    record = tmp_path / "a.md"
    record.write_text('---\ntitle: "Dock strike"\nwebUrl: "https://alder.example/strike"\npublishedDateTime: 2020-11-09T03:15:59Z\n---\n')
    mention = parse_file(str(record)).mentions[0]
    assert mention.title == "Dock strike"
    assert mention.published is not None and mention.published.isoformat() == "2020-11-09T03:15:59+00:00"


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC -.,:'\"#&*!?{}[]0123456789", min_size=0, max_size=20)
_scalars = st.one_of(
    _words, st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.sampled_from(["yes", "No", "on", "010", "1:20", "1e3", "2020-11-09", "2020-11-09T03:15:59Z", ".inf", "~", "<<"]),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-zA-Z]{0,8}", fullmatch=True), st.one_of(_scalars, st.lists(_scalars, max_size=3)), max_size=6),
       st.booleans())
def test_random_records_read_the_same(record: dict, quoted: bool) -> None:
    """Hand-written style YAML (values unquoted unless they must be) reads the same on both paths."""
    lines = []
    for key, value in record.items():
        items = value if isinstance(value, list) else [value]
        rendered = [yaml.safe_dump(item, default_style='"' if quoted else None).removesuffix("\n...\n").strip() for item in items]
        if isinstance(value, list):
            lines.append(f"{key}:" + "".join(f"\n  - {item}" for item in rendered))
        else:
            lines.append(f"{key}: {rendered[0]}")
    # also the raw, unescaped form a careless writer produces
    raw = "\n".join(f"{key}: {value}" for key, value in record.items() if isinstance(value, str))
    for text in ("\n".join(lines), raw):
        try:
            reference = load_yaml(text, fast=False)
        except YamlProblem as problem:
            with pytest.raises(YamlProblem) as caught:
                load_yaml(text)
            assert (caught.value.message, caught.value.line) == (problem.message, problem.line)
        else:
            assert load_yaml(text) == reference


URL_PIECES = st.sampled_from(["http", "HTTPS", "https", "ftp", "://", ":", "/", "?", "#", "[", "]", "@", " ", "\t",
                              "\n", "a", "B", "0", ".", "-", "_", "é", "%", "\x00", "example.com", ":80"])


@settings(max_examples=400, deadline=None)
@given(st.lists(URL_PIECES, max_size=10).map("".join))
def test_url_shortcut_agrees_with_is_http_url(text: str) -> None:
    assert (_http_url(text) is not None) == is_http_url(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("https://a.com/x", True), ("HTTP://a.com", True), ("http://a:[x", False), ("http://", False),
     ("http:///x", False), ("http://a.com\n", True), ("ftp://a.com/", False), ("x" * 5000, False)],
)
def test_url_shortcut_cases(text: str, expected: bool) -> None:
    assert (_http_url(text) is not None) is expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["title: A", " title: B", "\ttitle: C", "- title: D", "#title: E", "", "---",
                                 "'title': F", '"url": G', "url: H", "  - url: I"]), max_size=12).map("\n".join))
def test_duplicate_keys_skips_only_lines_that_cannot_be_keys(text: str) -> None:
    expected, seen = [], set()
    for number, line in enumerate(text.split("\n"), start=1):  # the regex on every line
        if line.startswith("---"):
            seen.clear()
        match = formats._TOP_LEVEL_KEY.match(line)
        if match:
            key = match.group(1).strip("'\"")
            if key in seen:
                expected.append((key, number))
            seen.add(key)
    assert list(formats.duplicate_keys(text)) == expected
