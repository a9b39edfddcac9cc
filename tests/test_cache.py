"""The parse cache: hits on unchanged files, misses on changed ones, never trusts damage."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
from dataclasses import replace as dataclass_replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphnews
import graphnews.merge
from graphnews.cli import cli
from graphnews.model import Image, Mention
from graphnews.read import cache as cache_module, formats, read_paths
from graphnews.read.cache import CACHE_FILE, ParseCache, cache_dir, cache_info, max_cache_bytes

RECORD = '---\ntitle: "{title}"\nwebUrl: "https://alder.example/{slug}"\npublishedDateTime: 2020-11-09T03:15:59Z\n---\n'


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


def test_files_are_stored_in_batches_during_the_read(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read stores parsed files CACHE_BATCH at a time (then the rest, tidied once): all six come back without a parse."""
    monkeypatch.setattr(graphnews.read, "CACHE_BATCH", 2)
    inserts: list[tuple[int, bool]] = []
    original = ParseCache.put_many

    def counting(self: ParseCache, entries: list, max_bytes: int, *, tidy: bool = True) -> None:
        inserts.append((len(entries), tidy))
        original(self, entries, max_bytes, tidy=tidy)

    monkeypatch.setattr(ParseCache, "put_many", counting)
    first = read_paths([str(corpus)], cache=True, workers=1)
    assert inserts == [(2, False), (2, False), (2, False), (0, True)]
    calls = count_parses(monkeypatch)
    assert summary(read_paths([str(corpus)], cache=True, workers=1)) == summary(first) and calls == []


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


def test_rows_are_plain_json_never_pickles(cache_home: Path, corpus: Path) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:
        blobs = [row[0] for row in connection.execute("SELECT result FROM files")]
    assert len(blobs) == 6
    decoded = [json.loads(blob) for blob in blobs]
    assert sorted(row[0] for row in decoded) == ["error"] + ["ok"] * 5
    assert (cache_home.stat().st_mode & 0o777) == 0o700
    assert ((cache_home / CACHE_FILE).stat().st_mode & 0o077) == 0


def test_blobs_are_compact_json_and_survive_what_orjson_refuses() -> None:
    """orjson writes the bytes the standard library would; a lone surrogate or a 64-bit overflow,
    which orjson refuses, goes through ``json``'s ASCII escapes and reads back the same."""
    result = formats.FileResult("a.md", [Mention("a.md", 2, True, ("https://alder.example/a",), title="Strike é",
                                                 images=(Image("https://alder.example/i.png", 640, None),))], 1)
    blob = cache_module.dump_result(result, ["deep nesting"])
    assert blob == json.dumps(cache_module.encode_result(result, ["deep nesting"]), ensure_ascii=False,
                              separators=(",", ":")).encode()
    assert cache_module.load_result(blob) == (result, ["deep nesting"])
    odd = formats.FileResult("a.md", [Mention("a.md", 2, True, title="T\ud800", quality=10**30)], 1)
    blob = cache_module.dump_result(odd)
    assert blob.isascii() and b"\\ud800" in blob
    assert cache_module.load_result(blob) == (odd, [])


def test_a_pickle_in_a_row_is_not_run(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    marker = cache_home.parent / "ran"
    payload = pickle.dumps(Exploit(str(marker)))
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:
        connection.execute("UPDATE files SET result = ? WHERE path LIKE '%3.md'", (payload,))
    calls = count_parses(monkeypatch)
    result = read_paths([str(corpus)], cache=True, workers=1)
    assert calls == ["3.md"]  # a row that is not ours is a miss
    assert not marker.exists()
    assert "Story 3" in [m.title for m in result.mentions]


class Exploit:
    """Unpickling this would create a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (open, (self.path, "w"))


def test_folder_of_another_user_is_not_used(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_home.mkdir()
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(cache_home).st_uid + 1)
    with ParseCache() as store:
        assert store.connection is None and "belongs to another user" in store.note
    assert read_paths([str(corpus)], cache=True, workers=1).records == 5
    assert not (cache_home / CACHE_FILE).exists()


def test_locked_cache_is_left_alone(cache_home: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = read_paths([str(corpus)], cache=True, workers=1)
    monkeypatch.setattr(cache_module, "_LOCK_TIMEOUT", 0.1)
    monkeypatch.setattr(cache_module, "cache_version", lambda: "another-parser")  # must write: blocked
    holder = sqlite3.connect(cache_home / CACHE_FILE)
    holder.execute("BEGIN EXCLUSIVE")  # another graphnews process in the middle of a write
    try:
        with ParseCache() as store:
            assert store.connection is None and "locked" in store.note and not store.rebuilt
        assert summary(read_paths([str(corpus)], cache=True, workers=1)) == summary(first)
    finally:
        holder.rollback()
        holder.close()
    monkeypatch.undo()
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:  # nothing was deleted
        assert connection.execute("SELECT count(*) FROM files").fetchone() == (6,)


def test_deleted_folders_are_forgotten(cache_home: Path, corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    read_paths([str(corpus)], cache=True, workers=1)
    read_paths([str(copy)], cache=True, workers=1)
    assert cache_info().files == 12
    shutil.rmtree(copy)
    info = cache_info()
    assert (info.files, info.folders) == (6, 1)


def test_size_cap_evicts_the_folder_used_longest_ago(cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = []
    for name in ("old", "new"):
        folder = tmp_path / name
        folder.mkdir()
        for number in range(40):
            (folder / f"{number}.md").write_text(RECORD.format(title=f"{name} {number} " + "x" * 30000, slug=f"{name}{number}"))
        folders.append(folder)
    read_paths([str(folders[0])], cache=True, workers=1)
    with ParseCache() as store:
        one_folder = store.used_bytes()
    monkeypatch.setenv("GRAPHNEWS_CACHE_MAX_MB", str(one_folder * 1.5 / 2**20))
    read_paths([str(folders[1])], cache=True, workers=1)
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:
        kept = {os.path.basename(row[0]) for row in connection.execute("SELECT DISTINCT folder FROM files")}
    assert kept == {"new"}
    assert max_cache_bytes() == int(one_folder * 1.5)


def test_a_corpus_bigger_than_the_cap_stays_cached(cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder just read is never evicted by its own run (it would make every run cold); the next corpus's run drops it."""
    folders = []
    for name in ("big", "next"):
        folder = tmp_path / name
        folder.mkdir()
        for number in range(20):
            (folder / f"{number}.md").write_text(RECORD.format(title=f"{name} {number} " + "x" * 30000, slug=f"{name}{number}"))
        folders.append(folder)
    monkeypatch.setenv("GRAPHNEWS_CACHE_MAX_MB", str(0.1))  # 100 KB: less than either folder
    read_paths([str(folders[0])], cache=True, workers=1)
    calls = count_parses(monkeypatch)
    read_paths([str(folders[0])], cache=True, workers=1)
    assert calls == []
    read_paths([str(folders[1])], cache=True, workers=1)
    with sqlite3.connect(cache_home / CACHE_FILE) as connection:
        kept = {os.path.basename(row[0]) for row in connection.execute("SELECT DISTINCT folder FROM files")}
    assert kept == {"next"}


def test_cli_cache_info_and_clear(cache_home: Path, corpus: Path) -> None:
    read_paths([str(corpus)], cache=True, workers=1)
    result = CliRunner().invoke(cli, ["cache", "info"])
    assert result.exit_code == 0, result.output
    assert str(cache_home / CACHE_FILE) in result.output
    assert "6 files from 1 folders" in result.output
    result = CliRunner().invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0, result.output
    assert "6 files and 0 merged corpora forgotten" in result.output
    assert "0 files from 0 folders" in CliRunner().invoke(cli, ["cache", "info"]).output


def test_cli_verbose_counts_documents_sent_to_pyyaml(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(RECORD.format(title="Fast", slug="a"))
    (tmp_path / "b.md").write_text(RECORD.format(title="Boolean", slug="b").replace("---\n", "---\nflag: yes\n", 1))
    (tmp_path / "c.md").write_text(RECORD.format(title="Octal", slug="c").replace("---\n", "---\nn: 010\n", 1))
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "g.json"), "--no-cache", "-v"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("YAML read with PyYAML")]
    assert lines == ["YAML read with PyYAML instead of yaml-rs: 1 document(s), a plain number YAML 1.1 reads otherwise (010, 1:20, 1e3)",
                     "YAML read with PyYAML instead of yaml-rs: 1 document(s), a plain yes/no/on/off (a boolean in YAML 1.1)"]


def test_readers_canonical_url_keys_are_cached_and_used_by_merge(cache_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "a.md").write_text('---\ntitle: "Vote"\nwebUrl: "https://www.alder.example/vote/?utm_source=rss"\n'
                                 'ampWebUrl: "https://alder.example/vote/amp/"\nrelated:\n'
                                 '  - {title: "Preview", webUrl: "http://alder.example/preview"}\n'
                                 '  - {title: "Odd", webUrl: "https://bad host/x"}\n---\n')
    first = read_paths([str(folder)], cache=True).mentions
    assert first[0].keys == ("alder.example/vote", "alder.example/vote")  # an AMP copy is the same page
    assert [(item.urls, item.keys) for item in first[0].related] == [(("http://alder.example/preview",), ("alder.example/preview",)), ((), ())]
    again = read_paths([str(folder)], cache=True).mentions  # from the cache: the keys come back as parsed
    assert again == first and again[0].keys == first[0].keys
    stripped = [dataclass_replace(first[0], keys=(), related=tuple(dataclass_replace(m, keys=()) for m in first[0].related))]
    with_keys, without = graphnews.merge.merge_mentions(first), graphnews.merge.merge_mentions(stripped)
    assert list(with_keys.articles) == list(without.articles) == [
        "article:alder.example/preview", "article:alder.example/vote", "article:title-4a446b0fbfad0862"]
    assert with_keys.articles == without.articles and with_keys.related == without.related
    assert with_keys.articles["article:alder.example/vote"].link == "https://www.alder.example/vote/?utm_source=rss"


def test_a_file_name_that_is_not_utf8_is_parsed_each_run_not_a_crash(cache_home: Path, corpus: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite holds UTF-8 text only: a latin-1 name (a surrogate escape in Python) raised UnicodeEncodeError."""
    (corpus / os.fsdecode(b"caf\xe9.md")).write_text(RECORD.format(title="Cafe", slug="cafe"))
    first = read_paths([str(corpus)], cache=True, workers=1)
    calls = count_parses(monkeypatch)
    second = read_paths([str(corpus)], cache=True, workers=1)
    assert calls == [os.fsdecode(b"caf\xe9.md")] and summary(second) == summary(first)
    assert "Cafe" in [m.title for m in second.mentions]
