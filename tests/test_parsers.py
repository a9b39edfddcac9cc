"""yaml-rs (the one fast parser) gives the same records as the PyYAML reference: real files, several producers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

import graphnews
from graphnews.read import find_files, formats, parse_file, yamlload
from graphnews.read.records import _http_url
from graphnews.read.yamlload import YamlProblem, fast_path_applies, load_yaml
from graphnews.tools.synthetic import PRODUCER_NAMES, generate
from graphnews.urls import clean_url, is_http_url


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


@pytest.mark.parametrize("producer", PRODUCER_NAMES)
def test_producers_same_records_with_both_parsers(producer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Front matter as PyYAML (default and wide), ruamel.yaml, Jekyll users, JSON and CRLF files write it."""
    if producer == "ruamel":
        pytest.importorskip("ruamel.yaml")
    assert generate(str(tmp_path), 60, seed=3, producer=producer) == 60
    files = corpus_files(tmp_path)
    yamlload.take_reasons()
    for path in files:
        fast = parse_with(path, monkeypatch, fast=True)
        assert fast == parse_with(path, monkeypatch, fast=False), path
        assert fast[1] == 1 and not fast[2], path  # one record, no warning
    assert yamlload.take_reasons().count("yaml-rs is not installed") == len(files)  # only the reference runs went there
    with_dates = [m for path in files for m in parse_file(path).mentions if m.published is not None]
    assert len(with_dates) == len(files)


def test_sample_same_records_with_both_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    files = corpus_files(graphnews.sample_data_path())
    assert len(files) == 23
    for path in files:
        assert parse_with(path, monkeypatch, fast=True) == parse_with(path, monkeypatch, fast=False), path


# Plain scalars YAML 1.1 (PyYAML) and YAML 1.2 (yaml-rs) read differently: each such
# document goes to PyYAML, and says why.
@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        ("flag: yes", {"flag": True}, "boolean"),
        ("flag: Off", {"flag": False}, "boolean"),
        ("n: 010", {"n": 8}, "number"),
        ("n: 0o10", {"n": "0o10"}, "number"),
        ("t: 1:20", {"t": 80}, "number"),
        ("x: 1e3", {"x": "1e3"}, "number"),
        ("x: +.5", {"x": "+.5"}, "number"),
        ("n: 09", {"n": "09"}, "number"),
        ("<<: {b: 1}\nc: 2", {"b": 1, "c": 2}, "merge"),
        ("on: 1", {True: 1}, "boolean"),
        ("- yes\n- no", [True, False], "boolean"),
        ("tags: [a, off]", {"tags": ["a", False]}, "boolean"),
        ("a:\n  010", {"a": 8}, "number"),
        ("a: !!str 5", {"a": "5"}, "tag"),
        ("? on\n: 1", {True: 1}, "boolean"),
        ("a:\tyes", {"a": True}, "boolean"),
    ],
)
def test_yaml_11_scalars_go_to_pyyaml_and_say_why(text: str, expected: object, reason: str) -> None:
    yamlload.take_reasons()
    assert yamlload.reference_reason(text) is not None
    assert load_yaml(text) == expected == yaml.load(text, Loader=yamlload.SafeLoader)
    (said,) = yamlload.take_reasons()
    assert reason in said.replace("merge key", "merge").replace("yes/no", "boolean").replace("plain number", "number")


# Timestamps: yaml-rs reads none of them (quoted "2020-11-09" would be a date in yaml-rs,
# text in PyYAML); the plain ones become dates as PyYAML makes them, without leaving the fast path.
@pytest.mark.parametrize(
    "text",
    [
        'd: "2020-11-09"',
        "d: '2020-11-09T03:15:59Z'",
        "d: 2020-11-09T03:15:59Z\ne: '2020-11-10'",
        "d: 2020-1-9 3:15:59",  # PyYAML's pattern allows one-digit parts; yaml-rs's does not
        "d: 2001-12-14 21:59:43.10 -5",
        "d: 2020-11-09    03:15:59",
        "d: 2020-11-09T03:15:59.Z",
        "items:\n- 2020-11-09\n- '2020-11-09x'\n- [2020-11-10, '2020-11-11']",
        '{"published": "2020-11-09", "day": 2020-11-10}',
        "d: 2020-13-45",  # no real date: text on both paths
        "a: 2020-11-09\nb: '2020-11-09'\nc: [\"2020-11-09\", 2020-11-09]",  # the same date quoted and plain
        "a: &x 1\nb: *x",
        "title: Harbour strike\nd: 2020-11-09 # a comment",
    ],
)
def test_timestamps_read_as_pyyaml_does_on_the_fast_path(text: str) -> None:
    yamlload.take_reasons()
    assert fast_path_applies(text)
    assert load_yaml(text) == load_yaml(text, fast=False) == yaml.load(text, Loader=yamlload.SafeLoader)
    assert yamlload.take_reasons() == []


# Anchor names: PyYAML stops at the first character outside [0-9A-Za-z_-], yaml-rs reads on
# (``&x:`` is anchor ``x`` then a key in PyYAML, anchor ``x:`` in yaml-rs; ``&:`` an error in one only).
@pytest.mark.parametrize(
    ("text", "reason"),
    [("a: &:", "name"), ("- &a: 1", "name"), ("a: &é y", "name"), ("a:\n  - *:b", "name"), ("&x: 1", "name"),
     ("a: &s\nb: &s", "twice"), ("a: &s 1\nb: [&s 2]\nc: *s", "twice")],
)
def test_anchors_pyyaml_reads_otherwise_go_to_pyyaml(text: str, reason: str) -> None:
    """Names PyYAML cuts short, and anchors defined twice (PyYAML refuses; yaml-rs keeps the later)."""
    assert reason in (yamlload.reference_reason(text) or "")
    try:
        expected = yaml.load(text, Loader=yamlload.SafeLoader)
    except yaml.YAMLError:
        with pytest.raises(YamlProblem):
            load_yaml(text)
    else:
        assert load_yaml(text) == expected


@pytest.mark.parametrize("text", ["a: {0\np: }", "a: {b\n c: d}", "a: {x: 1, 'b\n c': d}"])
def test_flow_keys_across_lines_go_to_pyyaml(text: str) -> None:
    """PyYAML refuses a flow mapping key spanning lines; yaml-rs would join the lines into one key."""
    assert yamlload.reference_reason(text) == "a flow mapping key across lines"
    with pytest.raises(YamlProblem):
        load_yaml(text)


@pytest.mark.parametrize("text", ["a: {b: c\n d}", "a: {b: c,\n d: e}", "a: [b\n c]", "title: AT&T & Jerry * 2", "a: &x-1 y\nb: *x-1", "url: https://x.example/?a=1&b=*"])
def test_ampersands_in_text_stay_on_yaml_rs(text: str) -> None:
    assert fast_path_applies(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a:\n  2020-11-09", "a line of its own"),
        ("a: |\n  text\nb: 2020-11-09", "block scalar"),
        ("2020-11-09: x", "a date as a mapping key"),  # PyYAML's key is a date; yaml-rs's walk sees only values
        ("a:\n  b: 1\n  2020-11-09 10:00:00: y", "a date as a mapping key"),
    ],
)
def test_unclear_timestamps_go_to_pyyaml(text: str, reason: str) -> None:
    yamlload.take_reasons()
    assert not fast_path_applies(text)
    assert load_yaml(text) == yaml.load(text, Loader=yamlload.SafeLoader)
    (said,) = yamlload.take_reasons()
    assert reason in said


@pytest.mark.parametrize(
    ("text", "walked"),
    [
        ("d: '2020-11-09T03:15:59Z'\nslug: a-2020-11-09\nurl: https://x.example/2020-11-09", False),
        ('{"d": "2020-11-09", "e": ["2020-11-10"]}', False),
        ("2020-11-09: x", True),  # a plain date at the text's start (a key)
        ("d: 2020-11-09", True),
        ("items:\n- 2020-11-09", True),
        ("d: [x,2020-11-09]", True),
        ("d: {a:2020-11-09}", True),
        ("- " * 300 + "x", True),  # deep enough that the depth must be counted
    ],
)
def test_timestamp_walk_only_where_a_plain_date_or_depth_may_be(text: str, walked: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML's safe_dump quotes every date: such documents skip the walk over yaml-rs's result
    (a fifth of a file's parse time), and still read as PyYAML reads them."""
    calls = []
    real_scan = yamlload._scan
    monkeypatch.setattr(yamlload, "_scan", lambda *args: calls.append(1) or real_scan(*args))
    assert load_yaml(text) == yaml.load(text, Loader=yamlload.SafeLoader)
    assert bool(calls) is walked


DATE_KEYS = frozenset({"publishedDateTime", "date"})


@pytest.mark.parametrize(
    ("text", "walked"),
    [
        ("publishedDateTime: 2020-11-09T03:15:59Z\nrelated:\n- title: A\n  date: 2020-11-08\n- date: 2020-11-07", False),
        ("'date': 2020-11-09\n\"publishedDateTime\": 2020-11-09 03:15:59", False),
        ("date: 2020-11-09\nupdated: 2020-11-10", True),  # a plain date outside the date keys
        ("mydate: 2020-11-09", True),
        ("meta: {date: 2020-11-09}", True),  # flow: not a line's lead, so walked
        ("date:\n  2020-11-09", True),  # the value on a line of its own
    ],
)
def test_plain_dates_of_date_keys_skip_the_walk(text: str, walked: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A date field's plain timestamp may stay text (the record reads both alike): a Jekyll-style header
    whose only plain dates are its date fields skips the walk; any other plain date is still made a date."""
    calls = []
    real_scan = yamlload._scan
    monkeypatch.setattr(yamlload, "_scan", lambda *args: calls.append(1) or real_scan(*args))
    loaded = load_yaml(text, text_dates=DATE_KEYS)
    assert bool(calls) is walked
    reference = yaml.load(text, Loader=yamlload.SafeLoader)
    if walked:
        assert loaded == reference
    else:
        assert loaded != reference and yaml.load(text, Loader=yaml.BaseLoader) == _as_text(loaded)


def _as_text(value: object) -> object:
    """What BaseLoader (every scalar text) gives for ``value``: to compare a result whose dates stayed text."""
    if isinstance(value, dict):
        return {str(key): _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    return str(value)


_YAML_STAMPS = st.builds(
    "{}-{}-{}{}{}:{}:{}{}{}".format,
    st.integers(1000, 9998).map(str), st.sampled_from(["1", "01", "11", "12"]), st.sampled_from(["3", "03", "30", "31"]),
    st.sampled_from(["T", "t", " ", "\t", "  "]), st.sampled_from(["0", "1", "09", "23"]), st.sampled_from(["00", "59"]),
    st.sampled_from(["00", "59", "60"]), st.sampled_from(["", ".", ".5", ".1234567", ".000001"]),
    st.sampled_from(["", "Z", " Z", "+5", "-0", "+05:30", " -11:00", "+14"]),
)


@settings(max_examples=300, deadline=None)
@given(_YAML_STAMPS)
def test_date_fields_read_a_timestamp_and_its_text_alike(stamp: str) -> None:
    """Every YAML 1.1 timestamp form gives the record the same date from PyYAML's datetime and from its text."""
    from graphnews.read.dates import parse_datetime

    text = f"date: {stamp}"
    assert yamlload._TIMESTAMP.fullmatch(stamp)
    assert load_yaml(text, text_dates=DATE_KEYS) == {"date": stamp}
    assert parse_datetime(stamp) == parse_datetime(yaml.load(text, Loader=yamlload.SafeLoader)["date"])


@pytest.mark.parametrize("stamp", ["2020-1-3 1:02:03", "2020-11-03T10:00:00+5", "2020-11-03\t10:00:00 Z", "2020-11-03T10:00:00."])
def test_unusual_plain_timestamps_give_the_same_record(stamp: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forms fromisoformat refuses, in a front-matter date field: the same record on both parsers, with its date."""
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Bridge shut\nwebUrl: https://example.com/a\npublishedDateTime: {stamp}\n---\nbody\n")
    fast = parse_with(str(path), monkeypatch, fast=True)
    assert fast == parse_with(str(path), monkeypatch, fast=False)
    assert fast[0][0].published is not None


def test_pyyaml_producer_headers_skip_the_timestamp_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(str(tmp_path), 20, seed=3, producer="pyyaml")
    texts = [Path(path).read_text(encoding="utf-8") for path in corpus_files(tmp_path)]
    headers = [formats.split_front_matter(text, "x")[0] for text in texts if text.startswith("---")]
    assert len(headers) >= 15
    monkeypatch.setattr(yamlload, "_scan", lambda *args: pytest.fail("walked a safe_dump header"))
    assert all(load_yaml(header) == yaml.load(header, Loader=yamlload.SafeLoader) for header in headers)


def test_errors_keep_pyyaml_line_numbers() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml("title: ok\nurl: x\nbad: [1, 2\nmore: 3")
    assert caught.value.line == 4
    assert caught.value.message.startswith("invalid YAML: ")


def test_alias_bomb_refused_on_either_path() -> None:
    bomb = "a: &a [x, x]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(60))
    for fast in (True, False):
        with pytest.raises(YamlProblem, match="more than 100 YAML aliases"):
            load_yaml(bomb, fast=fast)


@pytest.mark.parametrize(("depth", "refused"), [(yamlload.MAX_DEPTH, False), (yamlload.MAX_DEPTH + 1, True)])
def test_depth_counted_in_yaml_rs_result(depth: int, refused: bool) -> None:
    """Past the cheap bound's reach yaml-rs parses, and its result's depth decides: one level over
    :data:`MAX_DEPTH` is refused with PyYAML's line, as before; at the limit both parsers agree."""
    text = "- " * depth + "x"
    assert not yamlload._may_nest_past(text, yamlload.FAST_MAX_DEPTH)
    yamlload.take_reasons()
    if refused:
        with pytest.raises(YamlProblem, match=f"nested more than {yamlload.MAX_DEPTH} levels deep") as caught:
            load_yaml(text)
        assert caught.value.line == 1
        assert yamlload.take_reasons() == ["deep nesting"]
    else:
        assert load_yaml(text) == load_yaml(text, fast=False)
        assert yamlload.take_reasons() == []


def test_long_dashed_headers_stay_on_yaml_rs() -> None:
    """A 150 KB header of dashed URLs passes the cheap bound only by the exact pre-check (:func:`_maybe_deep`)."""
    text = "".join(f"u{i}: https://alder.example/a-b-c-d-e-f/{i}\n" for i in range(2_000))
    assert yamlload._may_nest_past(text, yamlload.FAST_MAX_DEPTH)
    assert yamlload.reference_reason(text) is None


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
                              "\n", "a", "B", "0", ".", "-", "_", "é", "%", "\x00", "\x7f", "\\", "..", "\u3000",
                              "example.com", ":80"])


@settings(max_examples=400, deadline=None)
@given(st.lists(URL_PIECES, max_size=10).map("".join))
def test_url_shortcut_agrees_with_is_http_url(text: str) -> None:
    """The shortcut keeps exactly what the slow path keeps, as the slow path writes it."""
    assert _http_url(text) == (clean_url(text) if is_http_url(text) else None)


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
