"""Writers in forked children: files, seconds, failures raised in the parent, no child left behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from graphnews import explore as explore_module
from graphnews.atomic import write_text
from graphnews.errors import WriteError
from graphnews.export.forked import Writers


def _fails_to_write() -> None:
    raise WriteError("cannot write x.json: No space left on device")


def _crashes() -> None:
    raise ValueError("a bug in a writer")


@pytest.mark.parametrize("fork", [True, False])
def test_children_write_their_files_and_report_each_files_seconds(tmp_path: Path, fork: bool) -> None:
    with Writers(fork=fork) as writers:
        writers.start([("a.txt", lambda: write_text(str(tmp_path / "a.txt"), "a\n")),
                       ("b.txt", lambda: write_text(str(tmp_path / "b.txt"), "b\n"))])
        value = writers.run("c.txt", lambda: write_text(str(tmp_path / "c.txt"), "c\n") or 3)
    assert value == 3
    assert sorted(writers.seconds) == ["a.txt", "b.txt", "c.txt"]
    assert all(seconds >= 0 for seconds in writers.seconds.values())
    assert [(tmp_path / name).read_text() for name in ("a.txt", "b.txt", "c.txt")] == ["a\n", "b\n", "c\n"]


def test_a_childs_write_error_is_raised_in_the_parent_after_every_child_ended(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="No space left on device"):
        with Writers(fork=True, children=2) as writers:
            writers.start([("x.json", _fails_to_write)])
            writers.start([("y.txt", lambda: (time.sleep(0.3), write_text(str(tmp_path / "y.txt"), "y\n")))])
    assert (tmp_path / "y.txt").read_text() == "y\n"  # the other child was waited for, not killed
    assert writers._running == []


def test_one_child_at_a_time_by_default_and_none_started_after_a_failure(tmp_path: Path) -> None:
    def stamp(name: str) -> None:
        started = time.time()
        time.sleep(0.2)
        write_text(str(tmp_path / name), f"{started} {time.time()}\n")

    with Writers(fork=True) as writers:
        writers.start([("a", lambda: stamp("a"))])
        writers.start([("b", lambda: stamp("b"))])
        assert len(writers._running) == 1
    (_, a_end), (b_start, _) = (map(float, (tmp_path / name).read_text().split()) for name in "ab")
    assert b_start >= a_end
    with pytest.raises(WriteError):
        with Writers(fork=True) as writers:
            writers.start([("x.json", _fails_to_write)])
            writers.start([("c", lambda: stamp("c"))])
    assert not (tmp_path / "c").exists()


def test_a_crash_in_a_child_names_its_traceback() -> None:
    with pytest.raises(RuntimeError, match="ValueError: a bug in a writer"):
        with Writers(fork=True) as writers:
            writers.start([("x", _crashes)])


def test_an_interrupted_parent_kills_and_reaps_its_children() -> None:
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        with Writers(fork=True) as writers:
            writers.start([("slow", lambda: time.sleep(60))])
            pid = writers._running[0][0]
            raise KeyboardInterrupt
    assert time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: not a zombie, not running
        os.waitpid(pid, os.WNOHANG)


def test_explore_keeps_the_previous_report_when_a_whole_graph_file_fails_in_its_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    first = explore_module.explore([explore_module.sample_data_path()], str(out), cache=False)
    assert set(first.details["file_seconds"]) == set(explore_module.OUTPUT_FILES)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def no_space(graph: object, path: str, fmt: str, **_: object) -> str:
        if fmt == "graphml":
            raise WriteError(f"cannot write {path}: No space left on device")
        return path

    monkeypatch.setattr(explore_module, "write_graph", no_space)
    monkeypatch.setattr(explore_module, "FORK_MIN_EDGES", 0)  # the sample's graph is written in children too
    with pytest.raises(WriteError, match=r"graph\.graphml: No space left on device"):
        explore_module.explore([explore_module.sample_data_path()], str(out), cache=False)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert not [name for name in os.listdir(tmp_path) if ".staging-" in name]


def test_explore_writes_the_same_bytes_with_children_as_in_one_process(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    inline = explore_module.explore([explore_module.sample_data_path()], str(tmp_path / "inline"), cache=False)
    monkeypatch.setattr(explore_module, "FORK_MIN_EDGES", 0)
    forked = explore_module.explore([explore_module.sample_data_path()], str(tmp_path / "forked"), cache=False)
    assert set(forked.details["file_seconds"]) == set(inline.details["file_seconds"]) == set(explore_module.OUTPUT_FILES)
    for name in explore_module.OUTPUT_FILES:
        if name != "index.html":  # says when it was built, to the minute
            assert (tmp_path / "forked" / name).read_bytes() == (tmp_path / "inline" / name).read_bytes(), name


@pytest.mark.parametrize(("min_edges", "max_edges", "forks"), [(0, 10**9, True), (0, 10, False), (10**9, 10**9, False)])
def test_explore_forks_writers_only_for_graphs_between_the_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  min_edges: int, max_edges: int, forks: bool) -> None:
    """Too small a graph is not worth a child, too big a one would be copied into it page by page."""
    forked: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    monkeypatch.setattr(explore_module, "FORK_MIN_EDGES", min_edges)
    monkeypatch.setattr(explore_module, "FORK_MAX_EDGES", max_edges)
    result = explore_module.explore([explore_module.sample_data_path()], str(tmp_path / "out"), cache=False)
    assert result.graph.number_of_edges() > 10
    assert bool(forked) is forks
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(explore_module.OUTPUT_FILES)
