"""Stage 1: files -> :class:`~graphnews.model.Mention` records, with every problem named.

>>> from graphnews.read import read_paths
>>> result = read_paths(["graphnews/data/sample"])   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat

from ..errors import InputError
from ..gcpause import paused_gc
from ..model import Mention
from ..processes import die_with_parent
from .cache import ParseCache, Stat, dump_result, file_stat, load_result
from .files import RECORD_EXTENSIONS, FoundFiles, find_files, other_types_note, walk_inputs
from .formats import DEFAULT_MAX_FILE_BYTES, FileResult, parse_file
from .yamlload import take_reasons

__all__ = ["CACHE_MIN_FILES", "DEFAULT_MAX_FILE_BYTES", "RECORD_EXTENSIONS", "FoundFiles", "ReadResult", "find_files",
           "parse_file", "read_paths", "walk_inputs", "walk_problems"]

#: Below this many files, parsing stays in this process: starting workers costs more.
PARALLEL_MIN_FILES = 64
#: With ``cache=None``, the parse cache is used from this many files on.
CACHE_MIN_FILES = 64
#: Largest number of files sent to a worker at once.
CHUNK_MAX = 64
#: Parsed files stored in the parse cache at a time during a read (10k files: 0.64 s of inserts after the last file).
CACHE_BATCH = 1000

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ReadResult:
    """Mentions from all readable files, and one problem per skipped file or bad field.

    ``yaml_reference`` counts the documents whose YAML went to PyYAML, by reason
    (:func:`graphnews.read.yamlload.take_reasons`): for ``--verbose``.
    """

    mentions: list[Mention] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    files: int = 0
    records: int = 0
    yaml_reference: Counter[str] = field(default_factory=Counter)

    @property
    def skipped(self) -> list[InputError]:
        """Problems that cost a file or a record (warnings excluded)."""
        return [problem for problem in self.problems if problem.fatal]


def _parse_one(args: tuple[str, int]) -> bytes:
    """Parse one file in a worker; the outcome travels back as one blob (:func:`~.cache.dump_result`)."""
    path, max_bytes = args
    take_reasons()
    try:
        outcome: FileResult | InputError = parse_file(path, max_bytes)
    except InputError as error:
        outcome = error
    return dump_result(outcome, take_reasons())


def read_paths(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    workers: int | None = None,
    on_progress: Progress | None = None,
    cache: bool | None = False,
    follow_links: bool = False,
    walked: FoundFiles | None = None,
) -> ReadResult:
    """Read every record file under ``paths``.

    Parameters
    ----------
    paths : files or directories (walked recursively, hidden entries skipped).
    max_bytes : files larger than this are skipped with a problem naming the limit.
    workers : processes to parse with; default: all cores when there are at least
        :data:`PARALLEL_MIN_FILES` files to parse, else 1.
    on_progress : called as ``on_progress(done, total)`` after each file.
    cache : use the parse cache (:mod:`graphnews.read.cache`): files unchanged since
        they were last parsed are not parsed again. ``None`` turns it on when there are
        at least :data:`CACHE_MIN_FILES` files.
    follow_links : follow symlinks that leave the input folders (by default each is one
        warning and is not read: see :mod:`graphnews.read.files`).
    walked : the walk of ``paths`` when the caller has made it (:func:`walk_inputs`).

    Returns
    -------
    ReadResult : mentions in file order (sorted paths, so the result does not depend on
        the order the paths were given in), problems, and counts.
    """
    from .stdin import STDIN_PATHS, read_stdin  # "-": standard input (graphnews.read.stdin)

    paths = list(paths)
    files = [path for path in paths if path not in STDIN_PATHS]
    with paused_gc():  # millions of live tuples and mentions, no garbage: see graphnews.gcpause
        found = walk_inputs(files, follow_links=follow_links) if walked is None else walked
        result = _read(found.files, max_bytes, workers, on_progress, cache)
        _age_young_objects()
    if len(files) < len(paths):
        _collect(read_stdin(max_bytes), result)
    result.problems[:0] = walk_problems(found, files)
    return result


def walk_problems(found: FoundFiles, paths: list[str]) -> list[InputError]:
    """What the walk of ``paths`` left out, one problem each, and the other record types in one note."""
    note = other_types_note(found, paths)
    return found.problems + ([note] if note else [])


def _age_young_objects() -> None:
    """Move every object the collector tracks to its oldest generation, unexamined.

    Re-enabled, the collector would first walk everything allocated while it was paused
    (all the mentions: a quarter of a warm read's CPU time at 3,000 files) to find no
    garbage. ``freeze`` then ``unfreeze`` puts those objects where only the rare full
    collections look; nothing is kept from being collected.
    """
    gc.freeze()
    gc.unfreeze()


def _read(files: list[str], max_bytes: int, workers: int | None, on_progress: Progress | None,
          cache: bool | None) -> ReadResult:
    if cache is None:
        cache = len(files) >= CACHE_MIN_FILES
    blobs: Iterable[bytes | None] = repeat(None, len(files))
    stats: list[Stat | None] = []
    store = ParseCache() if cache else None
    result = ReadResult()
    try:
        if store is not None:
            stats = [file_stat(path) for path in files]
            blobs = store.get_many(files, stats, max_bytes)
        strings: dict[str, str] = {}  # equal URLs and titles of different files: one object (see load_result)
        outcomes: list[FileResult | InputError | None] = [_cached(blob, path, result, strings)
                                                          for blob, path in zip(blobs, files)]  # fetched as decoded
        missing = [index for index, outcome in enumerate(outcomes) if outcome is None]
        done = len(files) - len(missing)
        progress = None if on_progress is None else lambda parsed: on_progress(done + parsed, len(files))
        fresh = []
        stored = False
        with contextlib.closing(_parse_all([files[index] for index in missing], max_bytes, workers, progress)) as parsed:
            for blob, index in zip(parsed, missing):  # decoded as the workers send them, not after the last
                outcomes[index], reasons = load_result(blob, strings)
                result.yaml_reference.update(reasons)
                if store is not None and (stat := stats[index]) is not None:
                    fresh.append((files[index], stat, blob))
                    if len(fresh) >= CACHE_BATCH:  # stored while the workers parse on, not all after the last file
                        store.put_many(fresh, max_bytes, tidy=False)
                        fresh, stored = [], True
        if store is not None and (fresh or stored):
            store.put_many(fresh, max_bytes)
    finally:
        if store is not None:
            store.close()
    for outcome in outcomes:
        _collect(outcome, result)  # type: ignore[arg-type]
    if on_progress is not None and not missing:
        on_progress(len(files), len(files))
    return result


def _cached(blob: bytes | None, path: str, result: ReadResult, strings: dict[str, str]) -> FileResult | InputError | None:
    """A cached outcome, or None for a miss (absent, stale, or a row that does not decode to this file)."""
    if blob is None:
        return None
    try:
        outcome, reasons = load_result(blob, strings)
    except Exception:  # noqa: BLE001 - a damaged row is a miss, never an answer
        return None
    if outcome.path != path:
        return None
    result.yaml_reference.update(reasons)
    return outcome


def _parse_all(
    files: Sequence[str], max_bytes: int, workers: int | None, on_progress: Callable[[int], None] | None
) -> Generator[bytes, None, None]:
    """Outcomes of parsing ``files`` as blobs, in order, each as soon as it is ready; in worker
    processes when there are many, so the caller decodes one chunk while the workers parse the next."""
    jobs = [(path, max_bytes) for path in files]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(files) >= PARALLEL_MIN_FILES else 1
    executor = (ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),))
                if workers > 1 and len(files) > 1 else None)
    try:
        outcomes = executor.map(_parse_one, jobs, chunksize=_chunksize(len(jobs), workers)) if executor else map(_parse_one, jobs)
        for done, outcome in enumerate(outcomes, start=1):
            yield outcome
            if on_progress is not None:
                on_progress(done)
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)


def _chunksize(jobs: int, workers: int) -> int:
    """Files a worker takes at a time: big enough to amortise the round trip, small enough to balance."""
    return max(1, min(CHUNK_MAX, jobs // (workers * 8)))


def _collect(outcome: FileResult | InputError, result: ReadResult) -> None:
    result.files += 1
    if isinstance(outcome, InputError):
        result.problems.append(outcome)
        return
    result.mentions.extend(outcome.mentions)
    result.problems.extend(outcome.problems)
    result.records += outcome.records


