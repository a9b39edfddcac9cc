"""A parse cache: a second run over an unchanged corpus skips reading and parsing.

One SQLite database (``parse.sqlite3``) under :func:`cache_dir`, one row per file, keyed by
its absolute path and checked against its size, ``mtime_ns`` and the byte limit it was read
with. The row holds the file's parsed result as plain JSON (:func:`dump_result`: lists,
text, numbers; dates as ISO 8601 text), written by the worker that parsed the file.
Nothing in the folder is ever unpickled or executed: whoever can write there can at most
make graphnews read wrong records, and the folder must be the user's own (it is created
``0700``; one owned by another user is not used).

Never trusted blindly:

* the database records a *version*: a hash of the reader and model source code and the
  YAML parser in use (:func:`cache_version`). Any change empties it;
* a database SQLite cannot read (truncated, garbage) is deleted and rebuilt; one that is
  only *locked* by another graphnews process is left alone (this run goes without it);
* a row that cannot be decoded is treated as a miss and the file parsed again.

Bounded: rows of folders that no longer exist are forgotten whenever new rows are
written, and past :func:`max_cache_bytes` (``$GRAPHNEWS_CACHE_MAX_MB``, default 1,024 MB)
the folders used longest ago are evicted. ``graphnews cache info|clear`` shows and empties it.

The cache is only a speed-up: every failure to use or write it falls back to parsing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from itertools import repeat
from operator import attrgetter
from sys import intern
from typing import Any

import orjson

from ..errors import InputError
from ..model import Image, Mention
from .formats import FileResult
from .yamlload import parser_name

__all__ = ["CacheInfo", "ParseCache", "cache_dir", "cache_info", "cache_version", "clear_cache", "decode_result",
           "dump_result", "encode_result", "file_stat", "load_result", "max_cache_bytes"]

CACHE_FILE = "parse.sqlite3"
DEFAULT_MAX_MB = 1024
#: SQLite page size of a new cache database.
PAGE_SIZE = 65536
#: Files looked up per query (SQLite's default limit on host parameters is 999+).
_BATCH = 500
#: Seconds to wait for another process's write lock before going without the cache.
_LOCK_TIMEOUT = 2.0
_FIELDS = tuple(Mention.__dataclass_fields__)
_PUBLISHED, _IMAGES, _RELATED = _FIELDS.index("published"), _FIELDS.index("images"), _FIELDS.index("related")
assert len(_FIELDS) == 19, "the cache's JSON layout follows Mention's fields: update _decode_mention"
_FIELD_VALUES = attrgetter(*_FIELDS)
#: The fallback for what orjson refuses (a lone surrogate, an integer past 64 bits): ASCII JSON, escapes and all.
_to_ascii_json = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode

Outcome = FileResult | InputError
Stat = tuple[int, int]


def cache_dir() -> str:
    """Where the parse cache lives: ``$GRAPHNEWS_CACHE_DIR``, ``$XDG_CACHE_HOME/graphnews`` or ``~/.cache/graphnews``."""
    explicit = os.environ.get("GRAPHNEWS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "graphnews")


def max_cache_bytes() -> int:
    """The size cap: ``$GRAPHNEWS_CACHE_MAX_MB`` megabytes (default :data:`DEFAULT_MAX_MB`)."""
    try:
        megabytes = float(os.environ.get("GRAPHNEWS_CACHE_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return max(0, int(megabytes * 1024 * 1024))


def cache_version() -> str:
    """A fingerprint of everything a cached result depends on: reader code, model, URL rules, parser."""
    digest = hashlib.sha1(parser_name().encode())
    package = resources.files("graphnews")
    for name in ("model.py", "errors.py", "urls.py"):  # urls.py: mentions carry their canonical URL keys
        digest.update((package / name).read_bytes())
    for entry in sorted((package / "read").iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".py"):
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def _encode_mention(mention: Mention, path: str) -> list[Any]:
    """A mention as a JSON list in field order; ``source`` left out (None) when it is the file's path."""
    values = list(_FIELD_VALUES(mention))
    if mention.source == path:
        values[0] = None
    if mention.published is not None:
        values[_PUBLISHED] = mention.published.isoformat()
    if mention.images:
        values[_IMAGES] = [[image.url, image.width, image.height] for image in mention.images]
    if mention.related:
        values[_RELATED] = [_encode_mention(item, path) for item in mention.related]
    return values


def _decode_mention(values: list[Any], path: str, strings: dict[str, str]) -> Mention:
    """The inverse of :func:`_encode_mention`; names a million mentions share become one string each.

    ``strings`` makes each URL, key, title and excerpt one object however many files repeat
    it: a story's related items copy its record's (at 100k records ~7 copies each, ~1 GB).
    """
    (source, line, full, urls, content_key, title, excerpt, body, published, provider_name, provider_domain, topics,
     images, quality, kind, category, related, extra, keys) = values
    share = strings.setdefault
    return Mention(
        path if source is None else source, line, full, tuple([share(url, url) for url in urls]), content_key,
        share(title, title), share(excerpt, excerpt), body,
        _from_iso(published) if published else None,
        intern(provider_name) if provider_name else provider_name,
        intern(provider_domain) if provider_domain else provider_domain,
        tuple(map(intern, topics)) if topics else (),
        tuple([Image(*image) for image in images]) if images else (),
        quality,
        intern(kind) if kind else kind,
        intern(category) if category else category,
        tuple([_decode_mention(item, path, strings) for item in related]) if related else (),
        tuple(map(tuple, extra)) if extra else (),
        tuple([share(key, key) for key in keys]),
    )


_from_iso = datetime.fromisoformat


def encode_result(outcome: Outcome, yaml_reasons: Sequence[str] = ()) -> list[Any]:
    """A file's outcome as plain lists (JSON's types), with why its YAML went to PyYAML, if it did.

    Examples
    --------
    >>> result = FileResult("a.md", [Mention("a.md", 2, True, title="Strike")], 1)
    >>> decode_result(encode_result(result)) == (result, [])
    True
    """
    if isinstance(outcome, InputError):
        return ["error", outcome.path, outcome.message, outcome.line, outcome.fatal, list(yaml_reasons)]
    problems = [[p.path, p.message, p.line, p.fatal] for p in outcome.problems]
    return ["ok", outcome.path, [_encode_mention(m, outcome.path) for m in outcome.mentions], outcome.records, problems,
            list(yaml_reasons)]


def decode_result(values: list[Any], strings: dict[str, str] | None = None) -> tuple[Outcome, list[str]]:
    """The inverse of :func:`encode_result`: the outcome and the reasons.

    Pass one ``strings`` dict to every call of a read: equal texts of different files then
    become one object (see :func:`_decode_mention`).
    """
    if values[0] == "error":
        return InputError(*values[1:5]), values[5]
    _, path, mentions, records, problems, reasons = values
    path = intern(path)
    if strings is None:
        strings = {}
    return FileResult(path, [_decode_mention(m, path, strings) for m in mentions], records, [InputError(*p) for p in problems]), reasons


def dump_result(outcome: Outcome, yaml_reasons: Sequence[str] = ()) -> bytes:
    """A file's outcome as one JSON blob: what workers send back and what the cache stores as is.

    A worker encodes in parallel; the main process then only stores the bytes and decodes
    them once. orjson writes the bytes ``json`` would (compact, UTF-8) five times as fast
    (0.025 ms against 0.12 ms for a 10 KB record); JSON runs no code when loaded, unlike pickle.
    """
    values = encode_result(outcome, yaml_reasons)
    try:
        return orjson.dumps(values)
    except orjson.JSONEncodeError:
        return _to_ascii_json(values).encode()


def load_result(blob: bytes, strings: dict[str, str] | None = None) -> tuple[Outcome, list[str]]:
    """The inverse of :func:`dump_result` (``strings``: see :func:`decode_result`)."""
    try:
        values = orjson.loads(blob)
    except orjson.JSONDecodeError:  # a lone surrogate's escape, or a big integer (the json fallback wrote them)
        values = json.loads(blob)
    return decode_result(values, strings)


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What ``graphnews cache info`` shows."""

    path: str
    exists: bool
    bytes: int
    files: int
    folders: int
    max_bytes: int
    note: str = ""


def private_folder(folder: str) -> str | None:
    """Create ``folder`` (``0700``) if missing; why it must not be used, or None when it is the user's own."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError as error:
        return f"cannot create {folder}: {error.strerror or error}"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"{folder} belongs to another user"
    if info.st_mode & 0o002:
        return f"{folder} is writable by every user"
    return None


class ParseCache:
    """The parse cache database; use as a context manager (``with ParseCache() as cache``).

    Parameters
    ----------
    folder : where the database lives (default :func:`cache_dir`).
    max_bytes : size cap enforced after writing (default :func:`max_cache_bytes`).

    ``note`` says why the cache is not in use (locked, not the user's folder), else is empty.
    """

    def __init__(self, folder: str | None = None, max_bytes: int | None = None) -> None:
        self.folder = folder or cache_dir()
        self.path = os.path.join(self.folder, CACHE_FILE)
        self.version = cache_version()
        self.max_bytes = max_cache_bytes() if max_bytes is None else max_bytes
        self.rebuilt = False
        self.note = ""
        #: folders this cache was asked for or given files of: :meth:`evict` leaves them (a corpus bigger than the
        #: cap would otherwise be dropped as soon as it is stored, and every run would be cold)
        self.in_use: set[str] = set()
        self.connection = self._open()

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> sqlite3.Connection | None:
        refused = private_folder(self.folder)
        if refused:
            self.note = refused
            return None
        for attempt in range(2):
            connection = None
            try:
                connection = sqlite3.connect(self.path, timeout=_LOCK_TIMEOUT)
                self._prepare(connection)
                return connection
            except sqlite3.OperationalError as error:  # locked, busy, read-only: not damage
                if connection is not None:
                    connection.close()
                self.note = f"parse cache not used: {error}"
                return None
            except sqlite3.DatabaseError:  # not a database, or a damaged one: start again
                if connection is not None:
                    connection.close()
                if attempt:
                    return None
                self.rebuilt = True
                self._remove_files()
        return None

    def _prepare(self, connection: sqlite3.Connection) -> None:
        # both take effect on a new database; 64 KB pages hold a parsed file's ~10 KB blob without a chain of 4 KB
        # overflow pages (10k files: 0.51 -> 0.26 s to insert 100 MB)
        connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
        connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != self.version:
            self.rebuilt = row is not None
            with connection:
                connection.execute("DROP TABLE IF EXISTS files")
                connection.execute("DROP TABLE IF EXISTS folders")
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, folder TEXT, size INTEGER, mtime_ns INTEGER,"
            " max_bytes INTEGER, result BLOB)"
        )
        connection.execute("CREATE INDEX IF NOT EXISTS files_folder ON files (folder)")
        connection.execute("CREATE TABLE IF NOT EXISTS folders (folder TEXT PRIMARY KEY, used REAL)")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.chmod(self.path + suffix, 0o600)
            except OSError:
                pass

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(self.path + suffix)
            except OSError:
                pass

    def close(self) -> None:
        """Close the database (idempotent)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get_many(self, files: Sequence[str], stats: Sequence[Stat | None], max_bytes: int) -> Iterator[bytes | None]:
        """The cached blob of each file (for :func:`load_result`), or None where it is absent or stale, in order.

        Fetched a batch at a time as the caller consumes them: at 100k files the blobs
        are ~1 GB, and once all allocated at once the process keeps that memory to the end.
        """
        if self.connection is None:
            yield from repeat(None, len(files))
            return
        keys = [os.path.abspath(path) for path in files]
        folders = set(filter(_storable, map(os.path.dirname, keys)))
        self.in_use |= folders
        try:
            self._touch(folders)
        except sqlite3.DatabaseError:
            pass  # another process is writing: the folders' last use stays a little older
        for start in range(0, len(keys), _BATCH):
            batch = keys[start:start + _BATCH]
            found: list[bytes | None] = [None] * len(batch)
            try:
                where = {path: index for index, path in enumerate(batch) if _storable(path)}
                rows = self.connection.execute(
                    f"SELECT path, size, mtime_ns, max_bytes, result FROM files WHERE path IN ({','.join('?' * len(where))})",
                    list(where),
                )
                for path, size, mtime_ns, limit, blob in rows:
                    index = where[path]
                    if stats[start + index] == (size, mtime_ns) and limit == max_bytes:
                        found[index] = blob
            except sqlite3.DatabaseError:
                found = [None] * len(batch)
            yield from found

    def _touch(self, folders: Iterable[str]) -> None:
        """Mark folders as used now (eviction removes the folders used longest ago first)."""
        now = time.time()
        assert self.connection is not None
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO folders VALUES (?, ?)", [(f, now) for f in folders])

    def put_many(self, entries: Iterable[tuple[str, Stat, bytes]], max_bytes: int, *, tidy: bool = True) -> None:
        """Store outcomes, one ``(path, (size, mtime_ns), blob)`` per file (blobs from :func:`dump_result`).

        ``tidy=False`` only inserts: the folders' use, the forgotten folders and the size cap are
        left to a last call (a read stores its files in batches while the workers parse the next).
        """
        if self.connection is None:
            return
        rows = []
        for path, stat, blob in entries:
            absolute = os.path.abspath(path)
            if not _storable(absolute):
                continue
            rows.append((absolute, os.path.dirname(absolute), stat[0], stat[1], max_bytes, blob))
        self.in_use.update(row[1] for row in rows)
        try:
            with self.connection:
                self.connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
            if tidy:
                self._touch({row[1] for row in rows})
                self.forget_missing()
                self.evict()
        except sqlite3.DatabaseError:
            pass  # a cache that cannot be written only costs speed next time

    def used_bytes(self) -> int:
        """Bytes the database's live pages take (freed pages excluded)."""
        assert self.connection is not None
        pages = self.connection.execute("PRAGMA page_count").fetchone()[0]
        free = self.connection.execute("PRAGMA freelist_count").fetchone()[0]
        return (pages - free) * self.connection.execute("PRAGMA page_size").fetchone()[0]

    def forget_missing(self) -> int:
        """Drop the rows of folders that no longer exist; returns how many files were forgotten."""
        assert self.connection is not None
        gone = [row[0] for row in self.connection.execute("SELECT DISTINCT folder FROM files")
                if not os.path.isdir(row[0])]
        return self._drop_folders(gone)

    def evict(self) -> int:
        """Drop whole folders, used longest ago first, until the database is under the cap; files dropped.

        The folders in use (:attr:`in_use`) stay, even past the cap: dropping the corpus just read would only make
        the next run cold (100k records take ~1.07 GB, over the default cap).
        """
        assert self.connection is not None
        dropped = 0
        if self.used_bytes() <= self.max_bytes:
            return 0
        order = [row[0] for row in self.connection.execute(
            "SELECT DISTINCT files.folder FROM files LEFT JOIN folders ON folders.folder = files.folder"
            " ORDER BY coalesce(folders.used, 0), files.folder") if row[0] not in self.in_use]
        for folder in order:
            dropped += self._drop_folders([folder])
            if self.used_bytes() <= self.max_bytes:
                break
        self.connection.execute("PRAGMA incremental_vacuum")
        return dropped

    def _drop_folders(self, folders: Sequence[str]) -> int:
        assert self.connection is not None
        dropped = 0
        with self.connection:
            for folder in folders:
                dropped += self.connection.execute("DELETE FROM files WHERE folder = ?", (folder,)).rowcount
                self.connection.execute("DELETE FROM folders WHERE folder = ?", (folder,))
        return dropped

    def info(self) -> CacheInfo:
        """Size and contents, for ``graphnews cache info``."""
        if self.connection is None:
            return CacheInfo(self.path, os.path.exists(self.path), _file_bytes(self.path), 0, 0, self.max_bytes, self.note)
        files, folders = self.connection.execute("SELECT count(*), count(DISTINCT folder) FROM files").fetchone()
        return CacheInfo(self.path, True, _file_bytes(self.path), files, folders, self.max_bytes, self.note)

    def clear(self) -> int:
        """Forget every file; returns how many rows there were."""
        assert self.connection is not None
        with self.connection:
            count = self.connection.execute("DELETE FROM files").rowcount
            self.connection.execute("DELETE FROM folders")
        self.connection.execute("PRAGMA incremental_vacuum")
        self.connection.execute("VACUUM")
        return count


def _storable(path: str) -> bool:
    """Whether SQLite can hold ``path`` as text: a name that is not UTF-8 (a latin-1 ``caf\\xe9.md``,
    held as a surrogate escape) cannot, and such a file is parsed on every run instead."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _file_bytes(path: str) -> int:
    return sum(os.path.getsize(path + suffix) for suffix in ("", "-wal") if os.path.exists(path + suffix))


def cache_info(folder: str | None = None) -> CacheInfo:
    """The parse cache's location, size in bytes, files and folders held, cap (forgets deleted folders first)."""
    with ParseCache(folder) as store:
        if store.connection is not None:
            try:
                store.forget_missing()
            except sqlite3.DatabaseError as error:
                store.note = f"parse cache not used: {error}"
        return store.info()


def clear_cache(folder: str | None = None) -> tuple[int, str]:
    """Empty the parse cache: (files forgotten, note). The note says why nothing was done (locked...)."""
    with ParseCache(folder) as store:
        if store.connection is None:
            return 0, store.note
        try:
            return store.clear(), ""
        except sqlite3.OperationalError as error:
            return 0, f"parse cache not cleared: {error}"


def file_stat(path: str) -> Stat | None:
    """``(size, mtime_ns)`` of ``path``, or None when it cannot be read (then it is never cached)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
