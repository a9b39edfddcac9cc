"""Hostile and broken input (issue 6): every bad file gives ONE line, the rest of the run goes on.

The bad inputs are generated here, in tmp_path (the big ones at test time, never committed).
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnews import build_graph, load
from graphnews.cli import cli
from graphnews.errors import InputError
from graphnews.read import find_files, formats as formats_module, read_paths
from graphnews.read.formats import DEFAULT_MAX_FILE_BYTES, parse_file
from graphnews.read.yamlload import MAX_ALIASES, MAX_DEPTH


def alias_bomb(levels: int = 12, width: int = 10) -> str:
    """The "billion laughs": each level names the previous one ``width`` times (10**11 items)."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "title: laughs\n" + "\n".join(lines) + "\n"


#: name -> (content, expected line, expected message start). Each file is unusable as a whole.
FATAL_CASES: dict[str, tuple[str | bytes, int | None, str]] = {
    "syntax.md": ("---\ntitle: [unclosed\n---\n", 3, "invalid YAML: "),
    "tabs.md": ("---\ntitle: x\n\twebUrl: https://x.com/a\n---\n", 3, "invalid YAML: found a tab character"),
    "scalar.yaml": ("just a string\n", None, "expected a record (a mapping of fields), got text"),
    "list.md": ("---\n- a\n- b\n---\n", 2, "expected a record (a mapping of fields), got a list"),
    "title_list.md": ("---\ntitle: [a, b]\nwebUrl: https://x.com/a\n---\n", 2, "title: expected text, got a list"),
    "unclosed.md": ("---\ntitle: Never closed\nwebUrl: https://x.com/u\n\nbody text\n", 1,
                    "front matter opened with '---' is never closed"),
    "latin1.md": (b"---\ntitle: caf\xe9\n---\n", 2, "not UTF-8 text (byte 0xe9 at offset 14)"),
    "binary.txt": (b"\x7fELF\x02\x01\x01\x00\x00\x00", None, "binary file (NUL byte at offset 7)"),
    "empty.md": ("", None, "empty file"),
    "blank.txt": ("  \n\n\t\n", None, "empty file"),
    "bomb.yaml": (alias_bomb(), 13, f"more than {MAX_ALIASES} YAML aliases (an alias bomb?); refused"),
    "deep.yaml": ("title: x\nv: " + "[" * 50_000 + "]" * 50_000 + "\n", 2, f"nested more than {MAX_DEPTH} levels deep"),
    "deep_block.md": ("---\ntitle: x\nv:\n" + "- " * 50_000 + "x\n---\n", 4, f"nested more than {MAX_DEPTH} levels deep"),
    "deep.json": ("[" * 100_000 + "]" * 100_000, None, "invalid JSON: nested too deeply"),
    "huge_number.json": ('{"title": "a", "quality": ' + "9" * 5000 + "}", None, "invalid JSON: Exceeds the limit"),
    "no_identity.md": ("---\nexcerpt: nothing to name it by\n---\n", 2, "record has no http(s) URL and no title"),
    "only_bad_urls.md": ("---\nwebUrl: javascript:alert(1)\nampWebUrl: data:text/html,x\n---\n", 2,
                         "record has no http(s) URL and no title"),
    "truncated.json": ('{"title": "cut off", "webUrl": "https://x.c', 1, "invalid JSON: Unterminated string"),
    "all_bad.jsonl": ("{nope\n[1,\n", None, "no valid JSON line (first problem: invalid JSON: "),
    "plain_bad_date.txt": ("date 2031-02-30 Some text here.\n", 1, "date marker '2031-02-30' is not a real date"),
}


def write_case(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def make_bad_folder(folder: Path) -> dict[str, tuple[int | None, str]]:
    """Write every fatal case, a 200 MB sparse file and a symlink loop; return what to expect."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (content, line, message) in FATAL_CASES.items():
        write_case(folder, name, content)
        expected[name] = (line, message)
    with open(folder / "huge.txt", "wb") as handle:  # sparse: 200 MB on paper, no disk used
        handle.truncate(200 * 1024 * 1024)
    expected["huge.txt"] = (None, f"file is 209,715,200 bytes, over the {DEFAULT_MAX_FILE_BYTES:,}-byte limit")
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "back")
    return expected


@pytest.mark.parametrize("name", sorted(FATAL_CASES))
def test_fatal_case_is_one_input_error(tmp_path: Path, name: str) -> None:
    content, line, message = FATAL_CASES[name]
    path = write_case(tmp_path, name, content)
    with pytest.raises(InputError) as raised:
        parse_file(str(path))
    error = raised.value
    assert (error.path, error.line, error.fatal) == (str(path), line, True)
    assert error.message.startswith(message), error.message
    assert "\n" not in str(error)


def test_alias_bomb_is_refused_before_it_is_built(tmp_path: Path) -> None:
    path = write_case(tmp_path, "bomb.md", "---\n" + alias_bomb(levels=30) + "---\n")
    with pytest.raises(InputError, match="alias bomb"):
        parse_file(str(path))
    few = write_case(tmp_path, "few.md", "---\ntitle: &t Hello\nexcerpt: *t\nwebUrl: https://x.com/a\n---\n")
    (mention,) = parse_file(str(few)).mentions
    assert (mention.title, mention.excerpt) == ("Hello", "Hello")


def test_200_mb_file_is_refused_by_size_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.md"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    opened: list[str] = []
    real_open = builtins.open
    monkeypatch.setattr(formats_module, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k), raising=False)
    with pytest.raises(InputError, match=r"file is 209,715,200 bytes, over the 16,777,216-byte limit \(raise it with --max-file-size\)"):
        parse_file(str(huge))
    assert opened == []
    small = write_case(tmp_path, "small.md", "---\ntitle: Small\n---\n")
    with pytest.raises(InputError, match="over the 10-byte limit"):
        parse_file(str(small), max_bytes=10)
    assert parse_file(str(small), max_bytes=100).records == 1


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        parse_file(str(fifo))


#: name -> (content, expected warning line, warning message); the record is kept.
WARNING_CASES: dict[str, tuple[str, int | None, str]] = {
    "duplicate.md": ("---\ntitle: First\nwebUrl: https://x.com/d\ntitle: Second\n---\n", 4,
                     "duplicate key 'title': the last value is kept"),
    "duplicate.json": ('{"title": "First", "title": "Second"}', None, "duplicate key 'title': the last value is kept"),
    "garbage_date.md": ("---\ntitle: Second\ndate: next tuesday\n---\n", 2,
                        "date: unreadable date 'next tuesday', kept as unknown"),
    "impossible_date.md": ("---\ntitle: Second\ndate: 2020-13-45\n---\n", 2,
                           "date: unreadable date '2020-13-45', kept as unknown"),
    "number_date.md": ("---\ntitle: Second\npublishedDateTime: 12345\n---\n", 2,
                       "publishedDateTime: unreadable date 12345, kept as unknown"),
    "related_mapping.md": ("---\ntitle: Second\nrelated: {a: 1}\n---\n", 2,
                           "related: expected a list of articles, got a mapping; ignored"),
    "provider_string.md": ("---\ntitle: Second\nprovider: The Post\n---\n", 2,
                           "provider: expected a mapping with name and domain, got text; used it as the name"),
    "javascript_url.md": ("---\ntitle: Second\nwebUrl: javascript:alert(1)\n---\n", 2,
                          "webUrl: ignored 'javascript:alert(1)': not an absolute http(s) URL"),
    "relative_url.md": ("---\ntitle: Second\nwebUrl: /news/2031/a.html\n---\n", 2,
                        "webUrl: ignored '/news/2031/a.html': not an absolute http(s) URL"),
    "data_url.json": ('{"title": "Second", "url": "data:text/html,<script>x</script>"}', 1,
                      "url: ignored 'data:text/html,<script>x</script>': not an absolute http(s) URL"),
    "long_url.md": ("---\ntitle: Second\nwebUrl: https://x.com/" + "a" * 5000 + "\n---\n", 2,
                    "webUrl: ignored 'https://x.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: not an absolute http(s) URL"),
}


@pytest.mark.parametrize("name", sorted(WARNING_CASES))
def test_warning_case_keeps_the_record(tmp_path: Path, name: str) -> None:
    content, line, message = WARNING_CASES[name]
    path = write_case(tmp_path, name, content)
    result = parse_file(str(path))
    assert len(result.mentions) == 1
    assert [(p.line, p.message, p.fatal) for p in result.problems] == [(line, message, False)]
    assert result.mentions[0].title == "Second"


def test_quirks_that_are_not_errors(tmp_path: Path) -> None:
    body_dashes = write_case(tmp_path, "dashes.md", "---\ntitle: A\nwebUrl: https://x.com/a\n---\nOne\n---\nTwo\n---\n")
    assert parse_file(str(body_dashes)).mentions[0].body == "One\n---\nTwo\n---"
    bom_crlf = write_case(tmp_path, "bom.md", "\ufeff---\r\ntitle: A\r\nwebUrl: https://x.com/a\r\n---\r\nBody\r\nmore\r\n")
    mention = parse_file(str(bom_crlf)).mentions[0]
    assert (mention.title, mention.urls, mention.body) == ("A", ("https://x.com/a",), "Body\nmore")
    unknown = write_case(tmp_path, "unknown.md", "---\ntitle: A\nmood: grim\nscore: 7\nnested: {a: 1}\n---\n")
    result = parse_file(str(unknown))
    assert result.problems == []
    assert result.mentions[0].extra == (("mood", "grim"), ("score", "7"))


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://xn--bcher-kva.example/a", True),
        ("https://bücher.example/ä ö", True),
        ("https://x.com/a b", True),
        ("ftp://x.com/a", False),
        ("//x.com/a", False),
        ("https:///nohost", False),
    ],
)
def test_url_shapes(tmp_path: Path, url: str, kept: bool) -> None:
    path = write_case(tmp_path, "u.json", json.dumps({"title": "T", "webUrl": url}))
    result = parse_file(str(path))
    assert result.mentions[0].urls == ((url,) if kept else ())
    assert len(result.problems) == (0 if kept else 1)


def test_related_item_without_url_is_kept_by_title_and_provider(tmp_path: Path) -> None:
    record = {
        "title": "Host", "webUrl": "https://host.com/a",
        "related": [
            {"title": "No link here", "provider": {"name": "Other", "domain": "other.com"}},
            {"excerpt": "neither URL nor title"},
        ],
    }
    write_case(tmp_path, "r.json", json.dumps(record))
    corpus = load([str(tmp_path)])
    stubs = [a for a in corpus.articles.values() if a.id.startswith("article:title-")]
    assert len(stubs) == 1
    assert (stubs[0].title, stubs[0].url, stubs[0].link, stubs[0].provider) == ("No link here", None, None, "provider:other.com")
    assert stubs[0].id == "article:title-" + __import__("hashlib").sha1(b"other.com|no link here").hexdigest()[:16]
    assert [p.message for p in corpus.problems] == ["related: 1 item(s) without a URL or title, or malformed, were ignored"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write_case(tmp_path, "locked.md", "---\ntitle: A\n---\n")
    real_open = builtins.open

    def deny(path: str, *args: object, **kwargs: object) -> object:
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(formats_module, "open", deny, raising=False)
    with pytest.raises(InputError) as raised:
        parse_file(str(locked))
    assert str(raised.value) == f"{locked}: cannot read: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; test_unreadable_file covers it")
def test_chmod_000_file(tmp_path: Path) -> None:
    locked = write_case(tmp_path, "locked.md", "---\ntitle: A\n---\n")
    locked.chmod(0)
    with pytest.raises(InputError, match="cannot read: Permission denied"):
        parse_file(str(locked))


def test_symlink_loop_and_hidden_entries(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "up")
    os.symlink(tmp_path / "a" / "b", tmp_path / "a" / "side")
    write_case(tmp_path / "a" / "b", "one.md", "---\ntitle: One\n---\n")
    (tmp_path / "a" / ".hidden").mkdir()
    write_case(tmp_path / "a" / ".hidden", "two.md", "---\ntitle: Two\n---\n")
    write_case(tmp_path / "a", ".three.md", "---\ntitle: Three\n---\n")
    write_case(tmp_path / "a", "README.md", "# docs\n")
    assert find_files([str(tmp_path / "a")]) == [str(tmp_path / "a" / "b" / "one.md")]


def test_path_that_vanishes_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b", "c"):
        write_case(tmp_path, f"{name}.md", f"---\ntitle: {name}\n---\n")
    import graphnews.read as read_module

    walk_inputs = read_module.walk_inputs

    def list_then_delete(paths: list[str], **options: bool) -> object:
        found = walk_inputs(paths, **options)
        os.remove(tmp_path / "b.md")
        return found

    monkeypatch.setattr(read_module, "walk_inputs", list_then_delete)
    result = read_paths([str(tmp_path)], workers=1)
    assert [m.title for m in result.mentions] == ["a", "c"]
    assert [str(p) for p in result.problems] == [f"{tmp_path / 'b.md'}: cannot read: No such file or directory"]


def test_thousands_of_tiny_files(tmp_path: Path) -> None:
    for index in range(3000):
        folder = tmp_path / f"d{index // 500}"
        folder.mkdir(exist_ok=True)
        (folder / f"{index}.json").write_text(f'{{"title": "T{index}", "webUrl": "https://tiny.com/{index}"}}')
    corpus = load([str(tmp_path)])
    assert (corpus.stats["files"], corpus.stats["records"], corpus.stats["articles"]) == (3000, 3000, 3000)
    assert corpus.problems == []
    assert list(corpus.providers) == ["provider:tiny.com"]


def build_output(runner: CliRunner, args: list[str]) -> tuple[int, str]:
    result = runner.invoke(cli, ["build", *args])
    return result.exit_code, result.output


def test_acceptance_bad_inputs_mixed_with_seeds(seeds_dir: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    expected = make_bad_folder(mixed)
    good = []
    for seed in sorted(seeds_dir.iterdir()):
        shutil.copy(seed, mixed / seed.name)
        good.append(str(mixed / seed.name))
    runner = CliRunner()
    code, output = build_output(runner, [str(mixed), "-o", str(tmp_path / "mixed.json"), "--errors", str(tmp_path / "e.jsonl")])
    assert code == 0, output
    assert f"Skipped {len(expected)} file(s) or record(s):" in output
    for name, (line, message) in expected.items():
        where = f"{mixed / name}:{line}" if line is not None else str(mixed / name)
        assert output.count(str(mixed / name)) == 1, name
        assert f"  {where}: {message}" in output, name
    assert "Traceback" not in output
    errors = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert sorted(Path(e["path"]).name for e in errors) == sorted(expected)
    code, _ = build_output(runner, [*good, "-o", str(tmp_path / "good.json")])
    assert code == 0
    mixed_graph = build_graph(load([str(mixed)]))
    good_graph = build_graph(load(good))
    assert dict(mixed_graph.nodes(data=True)) == dict(good_graph.nodes(data=True))
    assert sorted(mixed_graph.edges(keys=True, data=True)) == sorted(good_graph.edges(keys=True, data=True))
    assert mixed_graph.number_of_nodes() == 40


def test_errors_file_is_exact_json_lines_and_strict_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_case(folder, "a_good.md", "---\ntitle: Good\nwebUrl: https://x.com/g\ndate: soon\n---\n")
    write_case(folder, "b_bad.md", "---\ntitle: [unclosed\n---\n")
    errors = tmp_path / "errors.jsonl"
    runner = CliRunner()
    code, output = build_output(runner, [str(folder), "-o", str(tmp_path / "g.json"), "--errors", str(errors), "--strict"])
    assert code == 1
    assert output.rstrip().endswith("Error: 1 file(s) or record(s) skipped (--strict)")
    assert errors.read_text() == (
        json.dumps({"path": str(folder / "a_good.md"), "line": 2, "message": "date: unreadable date 'soon', kept as unknown", "fatal": False}) + "\n"
        + json.dumps({"path": str(folder / "b_bad.md"), "line": 3, "message": "invalid YAML: did not find expected ',' or ']'", "fatal": True}) + "\n"
    )
    code, _ = build_output(runner, [str(folder), "-o", str(tmp_path / "g.json")])
    assert code == 0

