"""Nothing lost: outputs are replaced atomically, a killed or failed write keeps the old file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnews import atomic
from graphnews.atomic import STALE_TEMP_SECONDS, WriteError, atomic_open, write_text
from graphnews.cli import cli

ROOT = Path(__file__).resolve().parent.parent

# Writes forever through atomic_open, saying "writing" once the temp file holds data.
SLOW_WRITER = """
import sys
from graphnews.atomic import atomic_open
with atomic_open(sys.argv[1]) as handle:
    handle.write("x" * 1_000_000)
    handle.flush()
    print("writing", flush=True)
    while True:
        handle.write("y" * 65536)
"""


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def test_write_text_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.json"
    write_text(str(target), "one")
    write_text(str(target), "two")
    assert target.read_text() == "two"
    assert leftovers(target.parent) == []
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_exception_inside_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.json"
    target.write_text("old")
    with pytest.raises(ZeroDivisionError), atomic_open(str(target)) as handle:
        handle.write("half")
        raise ZeroDivisionError
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_killed_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.json"
    target.write_text('{"old": true}')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, env=env)
    assert writer.stdout is not None
    assert writer.stdout.readline() == b"writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    assert target.read_text() == '{"old": true}'
    (temp,) = leftovers(tmp_path)
    assert temp.startswith(".graph.json.")  # hidden: no reader takes it for input
    # A fresh leftover may belong to a run still writing: the next write leaves it alone ...
    write_text(str(target), "new")
    assert leftovers(tmp_path) == [temp]
    # ... and removes it once it is stale.
    old = time.time() - STALE_TEMP_SECONDS - 1
    os.utime(tmp_path / temp, (old, old))
    write_text(str(target), "newer")
    assert target.read_text() == "newer"
    assert leftovers(tmp_path) == []


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    with pytest.raises(WriteError, match=r"cannot write .*blocker/graph.json: "):
        write_text(str(tmp_path / "blocker" / "graph.json"), "x")


def test_failed_rename_keeps_the_old_file_and_cli_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.json"
    target.write_text("previous")

    def refuse(source: str, destination: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    result = CliRunner().invoke(cli, ["build", "-q", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot write {target}: Permission denied\n"
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_cli_output_under_a_file_exits_1_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    result = CliRunner().invoke(cli, ["build", "-q", "-o", str(tmp_path / "blocker" / "g.json")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: cannot write {tmp_path / 'blocker' / 'g.json'}: ")
