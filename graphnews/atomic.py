"""Writing outputs without ever leaving a half-written file behind.

Each output is written to a temporary file in the same folder, flushed to disk, then
renamed over the target: readers see the old file or the new one, never a mix, and a
failed or interrupted run leaves the previous output as it was.

A run killed mid-write (SIGKILL, power loss) leaves its temporary file behind:
``.<name>.<random>.tmp``. It is hidden, so no graphnews reader ever takes it for input, and
the next successful write of ``<name>`` removes such files once they are older than
:data:`STALE_TEMP_SECONDS` (younger ones may belong to a run still writing).

Targets that are not regular files keep what they are: ``-`` is standard output; a FIFO
or a device (``/dev/stdout``) is written into directly (a stream has nothing to replace);
a symlink is followed and its target replaced atomically, so the link stays a link.
Text is written as UTF-8 with ``backslashreplace``: a character no encoder can write (a
lone surrogate) becomes ``\\udXXX`` instead of costing the output.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import IO

from .errors import WriteError

#: A temporary file of ours older than this is left over from a killed run.
STALE_TEMP_SECONDS = 3600


@contextlib.contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` atomically.

    ``-``, FIFOs and devices are written directly; a symlink's target is replaced (see the module docstring).
    """
    if path == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    path = os.path.realpath(path) if os.path.islink(path) else path
    if _is_stream(path):
        try:
            handle = open(path, mode, encoding=None if "b" in mode else encoding, errors=None if "b" in mode else "backslashreplace")
        except OSError as error:
            raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
        with handle:
            yield handle
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "\n",
                       errors=None if "b" in mode else "backslashreplace") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        _remove_stale(folder, os.path.basename(path))
    except OSError as error:
        _remove_quietly(temporary)
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        _remove_quietly(temporary)
        raise


def _is_stream(path: str) -> bool:
    """True for an existing FIFO, socket or device: written into, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode) or stat.S_ISBLK(mode)


def write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_open(path) as handle:
        handle.write(text)


def _remove_stale(folder: str, name: str) -> None:
    """Remove temporary files of ``name`` that killed runs left, once they are stale."""
    remove_stale(os.path.join(glob.escape(folder), f".{glob.escape(name)}.*.tmp"))


def remove_stale(pattern: str) -> None:
    """Remove files or folders matching ``pattern`` older than :data:`STALE_TEMP_SECONDS`.

    Killed runs leave their temporary files behind; younger ones may belong to a run
    that is still writing, so they are left alone.
    """
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in glob.glob(pattern):
        with contextlib.suppress(OSError):
            if os.path.getmtime(leftover) < cutoff:
                if os.path.isdir(leftover) and not os.path.islink(leftover):
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    os.remove(leftover)


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)
