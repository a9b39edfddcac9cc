"""The run report owns the exit status: 0, 1 (--strict skip, failed read or write), 2 (usage), 130 (Ctrl-C)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnews.cli import cli
from graphnews.cli.report import RunReport
from graphnews.errors import InputError


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (folder / "good.json").write_text('{"webUrl": "https://a.example.com/1", "title": "Dockers strike", '
                                      '"publishedDateTime": "2031-03-12T08:00:00Z"}')
    return folder


def test_exit_status_follows_what_was_recorded():
    report = RunReport()
    assert (report.exit_code, report.summary()) == (0, None)
    report.add_problems([InputError("a.md", "odd date", fatal=False)], strict=True)
    assert (report.exit_code, report.skipped) == (0, 0)  # a warning never fails a run
    report.add_problems([InputError("b.md", "invalid YAML", line=3)], strict=False)
    assert report.exit_code == 1  # --strict given once holds for the whole run
    report.fail("cannot write out.json: Permission denied")
    assert (report.exit_code, report.summary()) == (1, "Error: cannot write out.json: Permission denied")
    report.interrupt()
    assert (report.exit_code, report.summary()) == (130, "Interrupted.")
    assert report.problem_lines(verbose=False) == [
        "Skipped 1 file(s) or record(s):", "  b.md:3: invalid YAML",
        "Warnings (1; records kept):", "  a.md: warning: odd date"]


@pytest.mark.parametrize("command", [["build", "-o", "{out}/g.json"], ["clusters"], ["report", "--kind", "topic"],
                                     ["explore", "-o", "{out}/report"]])
def test_a_skip_exits_1_only_under_strict_with_one_summary_line(tmp_path, broken_folder, command):
    args = [arg.replace("{out}", str(tmp_path)) for arg in command] + [str(broken_folder)]
    lenient = run(*args)
    assert lenient.exit_code == 0, lenient.output
    assert "Skipped 1 file(s) or record(s):" in lenient.stderr and "Error:" not in lenient.stderr
    strict = run(*args, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "Error: 1 file(s) or record(s) skipped (--strict)"
    quiet = run(*args, "--strict", "-q")
    assert quiet.exit_code == 1 and quiet.stderr == "Error: 1 file(s) or record(s) skipped (--strict)\n"


def test_a_failed_write_exits_1_with_the_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("build", "-q", "-o", str(blocker / "g.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {blocker / 'g.json'}") and "Traceback" not in result.output


def test_a_lookup_that_fails_exits_1_and_usage_exits_2():
    missing = run("related", "article:nowhere", "-q")
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: ") and len(missing.stderr.splitlines()) == 1
    assert run("report", "--kind", "nosuch").exit_code == 2
    assert run("report", "/no/such/path").exit_code == 2


def test_ctrl_c_exits_130_with_one_line_even_under_strict(monkeypatch, broken_folder):
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("graphnews.build_graph", interrupted)
    result = run("report", str(broken_folder), "--strict", "-q")
    assert result.exit_code == 130 and result.stderr == "Interrupted.\n"
