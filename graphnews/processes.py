"""Worker processes that end with the run that started them: the parse pool's and the forked ones'.

A worker started by a run that is then killed (SIGKILL, the OOM killer) would go on using a
core and memory for nothing: on Linux each asks the kernel for a signal when its parent dies
(``PR_SET_PDEATHSIG``), and one whose parent is already gone exits at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process ``parent`` ends, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def _start_forked(parent: int) -> None:
    """Initializer of a forked worker: the parent's objects frozen (a collection would touch, hence copy,
    every page of them), then :func:`die_with_parent`."""
    gc.freeze()
    die_with_parent(parent)


def forked_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` processes forked from this one, which read its memory copy-on-write
    (module globals set before the first task included); None where fork is missing, one worker is asked,
    or this process is itself a daemonic worker (which may not start children)."""
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_forked, initargs=(os.getpid(),))
