"""Output writers run in forked child processes, beside the parent's own writing.

``explore`` writes its three whole-graph files (``graph.json``, ``graph.graphml``,
``graph.gexf``: about half of its write stage) in a child while it writes the pages itself.
A forked child shares the parent's graph copy-on-write: nothing is pickled or copied up
front. Each file is written atomically (:func:`graphnews.atomic.atomic_open`) into the
caller's staging folder; the child reports through a pipe how long each file took, or what
failed, and the parent raises that failure (:class:`~graphnews.errors.WriteError` as it was).

:class:`Writers` waits for every child before its ``with`` block ends; when the block fails
or is interrupted (Ctrl-C), it kills and reaps its children first, so none is left a zombie
or goes on writing into a folder being removed; on Linux a child also dies with a killed
parent (``PR_SET_PDEATHSIG``). Where ``os.fork`` is missing the writers run in the parent.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TypeVar

from ..errors import WriteError

Task = tuple[str, Callable[[], object]]
T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


class Writers:
    """Runs groups of writers in forked children and collects each file's seconds (``with`` block).

    >>> with Writers() as writers:
    ...     writers.start([("a", lambda: None)])
    >>> sorted(writers.seconds)
    ['a']
    """

    def __init__(self, fork: bool | None = None) -> None:
        self.fork = hasattr(os, "fork") if fork is None else fork
        #: seconds each file took to make and write, in whichever process wrote it
        self.seconds: dict[str, float] = {}
        self._children: list[tuple[int, int]] = []  # (pid, read end of its pipe)

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if kind is None:
            self.wait()
        else:
            self._kill()

    def run(self, name: str, write: Callable[[], T]) -> T:
        """Run one writer here, timed under ``name``; its value is returned."""
        started = time.perf_counter()
        value = write()
        self.seconds[name] = time.perf_counter() - started
        return value

    def start(self, tasks: Sequence[Task]) -> None:
        """Run ``tasks`` one after the other in one forked child (here, when forking is off)."""
        if not self.fork:
            for name, write in tasks:
                self.run(name, write)
            return
        sys.stdout.flush()
        sys.stderr.flush()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's stack
            os.close(read_end)
            _child(tasks, write_end)
        os.close(write_end)
        self._children.append((pid, read_end))

    def wait(self) -> None:
        """Wait for every child; raise the first failure one reported (after reaping them all)."""
        failures = []
        try:
            while self._children:
                pid, read_end = self._children[0]
                report = _read_all(read_end)
                os.waitpid(pid, 0)
                self._children.pop(0)
                os.close(read_end)
                try:
                    message = json.loads(report)
                except ValueError:
                    message = {"error": "crash", "message": "a writer process ended without a report"}
                if "error" in message:
                    failures.append(message)
                else:
                    self.seconds.update(message["seconds"])
        except BaseException:
            self._kill()
            raise
        if failures:
            first = failures[0]
            if first["error"] == "write":
                raise WriteError(first["message"])
            raise RuntimeError(f"a writer process failed:\n{first['message']}")

    def _kill(self) -> None:
        """Kill and reap every child still running (the run failed or was interrupted)."""
        for pid, read_end in self._children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(read_end)
        self._children.clear()


def _child(tasks: Sequence[Task], write_end: int) -> None:
    """Run ``tasks`` in this forked child, report to ``write_end`` and exit without unwinding."""
    status, report = 1, b'{"error": "crash", "message": "a writer process could not report"}'
    try:
        gc.freeze()  # the parent's objects: a collection here would touch, hence copy, every page of them
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        seconds: dict[str, float] = {}
        for name, write in tasks:
            started = time.perf_counter()
            write()
            seconds[name] = time.perf_counter() - started
        report, status = json.dumps({"seconds": seconds}).encode(), 0
    except WriteError as error:
        report = json.dumps({"error": "write", "message": str(error)}).encode()
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        report = json.dumps({"error": "crash", "message": traceback.format_exc()}).encode()
    finally:
        try:
            while report:
                report = report[os.write(write_end, report):]
        finally:
            os._exit(status)


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 65536):
        chunks.append(chunk)
    return b"".join(chunks)
