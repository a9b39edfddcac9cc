"""Output writers run in forked child processes, beside the parent's own writing.

``explore`` writes its three whole-graph files (``graph.json``, ``graph.graphml``,
``graph.gexf``) and ``clusters.json``, about half of its write stage, in children while it
writes the pages itself.
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

    At most ``children`` run at a time (the others wait in line, started as one ends): each
    copies the pages of the parent it touches, about half of the parent's own memory while it
    serialises the whole graph, so a second one at once would cost that again for little time
    on two cores.

    >>> with Writers() as writers:
    ...     writers.start([("a", lambda: None)])
    >>> sorted(writers.seconds)
    ['a']
    """

    def __init__(self, fork: bool | None = None, children: int = 1) -> None:
        self.fork = hasattr(os, "fork") if fork is None else fork
        self.children = children
        #: seconds each file took to make and write, in whichever process wrote it
        self.seconds: dict[str, float] = {}
        self._running: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self._waiting: list[Sequence[Task]] = []
        self._failures: list[dict[str, str]] = []

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if kind is None:
            self.wait()
        else:
            self._kill()

    def run(self, name: str, write: Callable[[], T]) -> T:
        """Run one writer here, timed under ``name``; its value is returned (then a waiting group may start)."""
        started = time.perf_counter()
        value = write()
        self.seconds[name] = time.perf_counter() - started
        self._launch()
        return value

    def start(self, tasks: Sequence[Task]) -> None:
        """Run ``tasks`` one after the other in a forked child (here, at once, when forking is off)."""
        if not self.fork:
            for name, write in tasks:
                self.run(name, write)
            return
        self._waiting.append(tasks)
        self._launch()

    def wait(self) -> None:
        """Wait for every child and group; raise the first failure one reported (after reaping them all)."""
        try:
            while self._running:
                self._collect(*self._running[0])
                self._launch()
        except BaseException:
            self._kill()
            raise
        if self._failures:
            first = self._failures[0]
            if first["error"] == "write":
                raise WriteError(first["message"])
            raise RuntimeError(f"a writer process failed:\n{first['message']}")

    def _launch(self) -> None:
        """Reap the children that ended; fork waiting groups while fewer than ``children`` run (none after a failure)."""
        for pid, read_end in list(self._running):
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                self._collect(pid, read_end, reaped=True)
        while self._waiting and len(self._running) < self.children and not self._failures:
            tasks = self._waiting.pop(0)
            sys.stdout.flush()
            sys.stderr.flush()
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the parent's stack
                os.close(read_end)
                _child(tasks, write_end)
            os.close(write_end)
            self._running.append((pid, read_end))
        if self._failures:
            self._waiting.clear()

    def _collect(self, pid: int, read_end: int, reaped: bool = False) -> None:
        """Read a child's report (it ends once written) and reap it."""
        report = _read_all(read_end)
        if not reaped:
            os.waitpid(pid, 0)
        self._running.remove((pid, read_end))
        os.close(read_end)
        try:
            message = json.loads(report)
        except ValueError:
            message = {"error": "crash", "message": "a writer process ended without a report"}
        if "error" in message:
            self._failures.append(message)
        else:
            self.seconds.update(message["seconds"])

    def _kill(self) -> None:
        """Kill and reap every child still running (the run failed or was interrupted)."""
        self._waiting.clear()
        for pid, read_end in self._running:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(read_end)
        self._running.clear()


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
