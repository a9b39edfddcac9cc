"""A parse cache: a second run over an unchanged corpus skips reading and parsing.

One SQLite database (``parse.sqlite3``) under :func:`cache_dir`, one row per file, keyed by
its absolute path and checked against its size, ``mtime_ns`` and the byte limit it was read
with. The row holds the file's parsed result in the compact form of :func:`encode_result`
(plain tuples, pickled by the worker that parsed the file: :func:`dump_result`;
several times cheaper to load than the dataclasses themselves).

Never trusted blindly:

* the database records a *version*: a hash of the reader and model source code and the
  YAML parser in use (:func:`cache_version`). Any change empties it;
* a database SQLite cannot open (truncated, garbage) is deleted and rebuilt;
* a row that cannot be decoded is treated as a miss and the file parsed again.

The cache is only a speed-up: every failure to use or write it falls back to parsing.
Pickle runs code when loaded, so the folder must be the user's own (it is, by default:
``$GRAPHNEWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/graphnews``, else ``~/.cache/graphnews``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from ..errors import InputError
from ..model import Mention
from .formats import FileResult
from .yamlload import parser_name

__all__ = ["ParseCache", "cache_dir", "cache_version", "decode_result", "dump_result", "encode_result", "file_stat",
           "load_result"]

CACHE_FILE = "parse.sqlite3"
#: Files looked up per query (SQLite's default limit on host parameters is 999+).
_BATCH = 500
_FIELDS = tuple(Mention.__dataclass_fields__)
_RELATED_INDEX = _FIELDS.index("related")

Outcome = FileResult | InputError
Stat = tuple[int, int]


def cache_dir() -> str:
    """Where the parse cache lives: ``$GRAPHNEWS_CACHE_DIR``, ``$XDG_CACHE_HOME/graphnews`` or ``~/.cache/graphnews``."""
    explicit = os.environ.get("GRAPHNEWS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "graphnews")


def cache_version() -> str:
    """A fingerprint of everything a cached result depends on: reader code, model, parser."""
    digest = hashlib.sha1(parser_name().encode())
    package = resources.files("graphnews")
    for name in ("model.py", "errors.py"):
        digest.update((package / name).read_bytes())
    for entry in sorted((package / "read").iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".py"):
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def _encode_mention(mention: Mention) -> tuple[Any, ...]:
    values = [getattr(mention, name) for name in _FIELDS]
    values[_RELATED_INDEX] = tuple(_encode_mention(item) for item in mention.related)
    return tuple(values)


def _decode_mention(values: Sequence[Any]) -> Mention:
    related = values[_RELATED_INDEX]
    if related:
        values = list(values)
        values[_RELATED_INDEX] = tuple(_decode_mention(item) for item in related)
    return Mention(*values)


def encode_result(outcome: Outcome) -> tuple[Any, ...]:
    """A file's outcome as plain tuples: what workers send back and what the cache stores.

    Examples
    --------
    >>> result = FileResult("a.md", [Mention("a.md", 2, True, title="Strike")], 1)
    >>> decode_result(encode_result(result)) == result
    True
    """
    if isinstance(outcome, InputError):
        return ("error", outcome.path, outcome.message, outcome.line, outcome.fatal)
    problems = tuple((p.path, p.message, p.line, p.fatal) for p in outcome.problems)
    return ("ok", outcome.path, tuple(_encode_mention(m) for m in outcome.mentions), outcome.records, problems)


def decode_result(values: tuple[Any, ...]) -> Outcome:
    """The inverse of :func:`encode_result`."""
    if values[0] == "error":
        return InputError(*values[1:])
    _, path, mentions, records, problems = values
    return FileResult(path, [_decode_mention(m) for m in mentions], records, [InputError(*p) for p in problems])


def dump_result(outcome: Outcome) -> bytes:
    """A file's outcome as one blob: what workers send back and what the cache stores as is.

    A worker pickles in parallel; the main process then only stores the bytes and loads
    them once, instead of unpickling tuples from the pipe and pickling them again for the cache.
    """
    return pickle.dumps(encode_result(outcome), pickle.HIGHEST_PROTOCOL)


def load_result(blob: bytes) -> Outcome:
    """The inverse of :func:`dump_result`."""
    return decode_result(pickle.loads(blob))


class ParseCache:
    """The parse cache database; use as a context manager (``with ParseCache() as cache``).

    Parameters
    ----------
    folder : where the database lives (default :func:`cache_dir`).
    """

    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder or cache_dir()
        self.path = os.path.join(self.folder, CACHE_FILE)
        self.version = cache_version()
        self.rebuilt = False
        self.connection = self._open()

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> sqlite3.Connection | None:
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError:
            return None
        for attempt in range(2):
            try:
                connection = sqlite3.connect(self.path)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
                    " max_bytes INTEGER, result BLOB)"
                )
                row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                if row is None or row[0] != self.version:
                    self.rebuilt = row is not None
                    with connection:
                        connection.execute("DELETE FROM files")
                        connection.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
                return connection
            except sqlite3.DatabaseError:  # not a database, or a damaged one: start again
                if attempt:
                    return None
                self.rebuilt = True
                self._remove_files()
        return None

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

    def get_many(self, files: Sequence[str], stats: Sequence[Stat | None], max_bytes: int) -> list[Outcome | None]:
        """The cached outcome of each file, or None where it is absent, stale or unreadable."""
        found: list[Outcome | None] = [None] * len(files)
        if self.connection is None:
            return found
        where = {os.path.abspath(path): index for index, path in enumerate(files)}
        keys = list(where)
        try:
            for start in range(0, len(keys), _BATCH):
                batch = keys[start:start + _BATCH]
                rows = self.connection.execute(
                    f"SELECT path, size, mtime_ns, max_bytes, result FROM files WHERE path IN ({','.join('?' * len(batch))})",
                    batch,
                )
                for path, size, mtime_ns, limit, blob in rows:
                    index = where[path]
                    if stats[index] != (size, mtime_ns) or limit != max_bytes:
                        continue
                    found[index] = self._decode(blob, files[index])
        except sqlite3.DatabaseError:
            return [None] * len(files)
        return found

    @staticmethod
    def _decode(blob: bytes, path: str) -> Outcome | None:
        try:
            outcome = load_result(blob)
        except Exception:  # noqa: BLE001 - a damaged row is a miss, never an answer
            return None
        return outcome if outcome.path == path else None

    def put_many(self, entries: Iterable[tuple[str, Stat, bytes]], max_bytes: int) -> None:
        """Store outcomes, one ``(path, (size, mtime_ns), blob)`` per file (blobs from :func:`dump_result`)."""
        if self.connection is None:
            return
        rows = [(os.path.abspath(path), stat[0], stat[1], max_bytes, blob) for path, stat, blob in entries]
        try:
            with self.connection:
                self.connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError:
            pass  # a cache that cannot be written only costs speed next time


def file_stat(path: str) -> Stat | None:
    """``(size, mtime_ns)`` of ``path``, or None when it cannot be read (then it is never cached)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
