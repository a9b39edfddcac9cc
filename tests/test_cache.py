"""The parse cache: hits on unchanged files, misses on changed ones, never trusts damage."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphnews
from graphnews.cli import cli
from graphnews.read import cache as cache_module
from graphnews.read import formats, read_paths
from graphnews.read.cache import CACHE_FILE, ParseCache, cache_dir

RECORD = '---\ntitle: "{title}"\nwebUrl: "https://alder.example/{slug}"\npublishedDateTime: 2020-11-09T03:15:59Z\n---\n'


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GRAPHNEWS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number in range(5):
        (folder / f"{number}.md").write_text(RECORD.format(title=f"Story {number}", slug=f"s{number}"))
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\n")
    return folder


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file parse_file is called on (single process, so the patch is seen)."""
    calls: list[str] = []
    original = formats.parse_file

    def counting(path: str, max_bytes: int = formats.DEFAULT_MAX_FILE_BYTES) -> formats.FileResult:
        calls.append(os.path.basename(path))
        return original(path, max_bytes)

    monkeypatch.setattr("graphnews.read.parse_file", counting)
    return calls


def summary(result: graphnews.read.ReadResult) -> tuple:
    return ([(m.title, m.urls, m.published) for m in result.mentions], [str(p) for p in result.problems], result.files, result.records)


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPHNEWS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache_dir() == "/x/cache/graphnews"
    monkeypatch.setenv("GRAPHNEWS_CACHE_DIR", "/y")
    assert cache_dir() == "/y"


def test_second_run_skips_parsing(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_parses(monkeypatch)
    first = read_paths([str(corpus)], cache=True, workers=1)
    assert sorted(calls) == ["0.md", "1.md", "2.md", "3.md", "4.md", "bad.md"]
    assert (cache_home / CACHE_FILE).is_file()
    calls.clear()
    second = read_paths([str(corpus)], cache=True, workers=1)
    assert calls == []
    assert summary(second) == summary(first)
    assert second.mentions == first.mentions
    assert len(second.skipped) == 1 and "invalid YAML" in str(second.skipped[0])


def test_changed_file_is_parsed_again(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    calls = count_parses(monkeypatch)
    target = corpus / "2.md"
    target.write_text(RECORD.format(title="Story two, corrected", slug="s2"))
    os.utime(target, ns=(1, 1))  # a different mtime even on coarse clocks
    result = read_paths([str(corpus)], cache=True, workers=1)
    assert calls == ["2.md"]
    assert "Story two, corrected" in [m.title for m in result.mentions]


def test_other_byte_limit_is_a_miss(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    calls = count_parses(monkeypatch)
    result = read_paths([str(corpus)], cache=True, workers=1, max_bytes=20)
    assert len(calls) == 6
    assert len(result.skipped) == 6


def test_no_cache_bypasses(cache_home: Path, corpus: Path) -> None:
    read_paths([str(corpus)], cache=False, workers=1)
    assert not cache_home.exists()


@pytest.mark.parametrize("damage", [b"", b"garbage, not a database" * 100, "truncate"])
def test_corrupt_database_is_rebuilt(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, damage: object) -> None:
    first = read_paths([str(corpus)], cache=True, workers=1)
    database = cache_home / CACHE_FILE
    with ParseCache():  # checkpoint the WAL so the main file holds the data
        pass
    data = database.read_bytes()
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    database.write_bytes(data[: len(data) // 3] if damage == "truncate" else damage)
    calls = count_parses(monkeypatch)
    second = read_paths([str(corpus)], cache=True, workers=1)
    assert summary(second) == summary(first)
    assert len(calls) == 6  # nothing trusted: every file parsed again
    calls.clear()
    read_paths([str(corpus)], cache=True, workers=1)
    assert calls == []  # and the rebuilt cache works


def test_damaged_row_is_a_miss(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:
        connection.execute("UPDATE files SET result = x'80049500' WHERE path LIKE '%1.md'")
    calls = count_parses(monkeypatch)
    result = read_paths([str(corpus)], cache=True, workers=1)
    assert calls == ["1.md"]
    assert "Story 1" in [m.title for m in result.mentions]


def test_version_change_empties_cache(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    monkeypatch.setattr(cache_module, "cache_version", lambda: "another-parser")
    calls = count_parses(monkeypatch)
    with ParseCache() as store:
        assert store.rebuilt
    read_paths([str(corpus)], cache=True, workers=1)
    assert len(calls) == 6


def test_parallel_read_fills_and_uses_cache(cache_home: Path, corpus: Path) -> None:
    first = read_paths([str(corpus)], cache=True, workers=2)
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (6,)
    assert read_paths([str(corpus)], cache=True, workers=2).mentions == first.mentions


def test_cli_no_cache_option(cache_home: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Read 6 files: 5 records" in result.output
    assert not cache_home.exists()
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "--cache"])
    assert result.exit_code == 0, result.output
    assert (cache_home / CACHE_FILE).is_file()
