"""Stage 1: files -> :class:`~graphnews.model.Mention` records, with every problem named.

>>> from graphnews.read import read_paths
>>> result = read_paths(["graphnews/data/sample"])   # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Mention
from .files import RECORD_EXTENSIONS, find_files
from .formats import DEFAULT_MAX_FILE_BYTES, FileResult, parse_file

__all__ = ["ReadResult", "read_paths", "find_files", "parse_file", "DEFAULT_MAX_FILE_BYTES", "RECORD_EXTENSIONS"]

#: Below this many files, parsing stays in this process: starting workers costs more.
PARALLEL_MIN_FILES = 64

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ReadResult:
    """Mentions from all readable files, and one problem per skipped file or bad field."""

    mentions: list[Mention] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    files: int = 0
    records: int = 0

    @property
    def skipped(self) -> list[InputError]:
        """Problems that cost a file or a record (warnings excluded)."""
        return [problem for problem in self.problems if problem.fatal]


def _parse_one(args: tuple[str, int]) -> FileResult | InputError:
    path, max_bytes = args
    try:
        return parse_file(path, max_bytes)
    except InputError as error:
        return error


def read_paths(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    workers: int | None = None,
    on_progress: Progress | None = None,
) -> ReadResult:
    """Read every record file under ``paths``.

    Parameters
    ----------
    paths : files or directories (walked recursively, hidden entries skipped).
    max_bytes : files larger than this are skipped with a problem naming the limit.
    workers : processes to parse with; default: all cores when there are at least
        :data:`PARALLEL_MIN_FILES` files, else 1.
    on_progress : called as ``on_progress(done, total)`` after each file.

    Returns
    -------
    ReadResult : mentions in file order (sorted paths, so the result does not depend on
        the order the paths were given in), problems, and counts.
    """
    files = find_files(paths)
    result = ReadResult()
    jobs = [(path, max_bytes) for path in files]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(files) >= PARALLEL_MIN_FILES else 1
    outcomes: Iterable[FileResult | InputError]
    if workers > 1 and len(files) > 1:
        executor = ProcessPoolExecutor(max_workers=workers)
        outcomes = executor.map(_parse_one, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8) or 1)))
    else:
        executor = None
        outcomes = map(_parse_one, jobs)
    try:
        for done, outcome in enumerate(outcomes, start=1):
            _collect(outcome, result)
            if on_progress is not None:
                on_progress(done, len(files))
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    return result


def _collect(outcome: FileResult | InputError, result: ReadResult) -> None:
    result.files += 1
    if isinstance(outcome, InputError):
        result.problems.append(outcome)
        return
    result.mentions.extend(outcome.mentions)
    result.problems.extend(outcome.problems)
    result.records += outcome.records


