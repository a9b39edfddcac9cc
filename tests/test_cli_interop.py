"""The CLI behaves like the good ones: light start, pipes both ways, one CSV, 130 on Ctrl-C."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnews.cli import cli
from graphnews.export.files import read_graph

HEAVY = ("sklearn", "scipy", "igraph", "numpy")
ROOT = Path(__file__).resolve().parent.parent
RECORDS = [
    {"title": "Harbour vote passes", "url": "https://alphapost.com/vote", "provider": {"name": "Alpha", "domain": "alphapost.com"},
     "topics": ["Harbour"], "related": [{"title": "Harbour vote preview", "url": "https://betadaily.com/preview"}]},
    {"title": "Harbour vote preview", "url": "https://betadaily.com/preview", "provider": {"name": "Beta", "domain": "betadaily.com"}},
]


def modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """Top-level modules loaded by running ``code`` in a fresh interpreter (cwd: this worktree)."""
    script = f"import sys\ntry:\n    {code}\nexcept SystemExit:\n    pass\nprint('\\n'.join(sys.modules), file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)
    return {line.split(".")[0] for line in done.stderr.splitlines()}


def test_importing_the_cli_imports_no_heavy_library() -> None:
    loaded = modules_after("import graphnews.cli")
    assert "graphnews" in loaded and "click" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "networkx" not in loaded and "rich" not in loaded


def test_help_and_completion_import_no_heavy_library() -> None:
    loaded = modules_after("from graphnews.cli import cli; cli(['--help'], prog_name='graphnews')")
    assert not loaded & {*HEAVY, "networkx", "yaml", "rich"}
    completion = {"_GRAPHNEWS_COMPLETE": "bash_complete", "COMP_WORDS": "graphnews report --", "COMP_CWORD": "2"}
    loaded = modules_after("from graphnews.cli import cli; cli(prog_name='graphnews')", completion)
    assert not loaded & {*HEAVY, "networkx", "yaml", "rich"}
    done = subprocess.run([sys.executable, "-m", "graphnews"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **completion}, timeout=120)
    assert "plain,--kind" in done.stdout and "plain,--graph" in done.stdout


def test_help_lists_own_options_before_the_shared_input_options() -> None:
    text = CliRunner().invoke(cli, ["report", "--help"]).output
    own, shared = text.index("\nOptions:"), text.index("\nInput options:")
    assert own < text.index("--kind", own) < shared < text.index("--max-file-size", own)
    assert text.index("--graph", own) > shared
    explore = CliRunner().invoke(cli, ["explore", "--help"]).output
    assert "--graph" not in explore and "--max-file-size" in explore


def test_report_piped_is_plain_full_width_text() -> None:
    result = CliRunner().invoke(cli, ["report", "--kind", "provider", "-q"])
    assert result.exit_code == 0, result.output
    header, first = result.output.splitlines()[:2]
    assert header.split()[:3] == ["id", "name", "domain"] and "│" not in result.output
    assert first.startswith("provider:") and len(header) > 80  # not cut to a terminal's width
    assert first.split()[0] in {line.split()[0] for line in result.output.splitlines()[1:]}


def test_report_csv_all_kinds_is_one_table_with_a_kind_column() -> None:
    result = CliRunner().invoke(cli, ["report", "--format", "csv", "-q"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    kinds = [row["kind"] for row in rows]
    assert (kinds.count("article"), kinds.count("provider"), kinds.count("topic")) == (51, 12, 19)
    assert len(rows) == 82 and list(rows[0])[:2] == ["kind", "id"]


@pytest.mark.parametrize("fmt", ["csv", "json", "md", "table"])
def test_report_dash_output_is_stdout(tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    dash = CliRunner().invoke(cli, ["report", "--kind", "topic", "--format", fmt, "-o", "-", "-q"])
    plain = CliRunner().invoke(cli, ["report", "--kind", "topic", "--format", fmt, "-q"])
    assert dash.exit_code == 0 and dash.output == plain.output and "topic:" in dash.output
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_html_dash_output_is_the_page_on_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["html", "-o", "-", "-q"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_build_reads_stdin_and_writes_stdout(tmp_path: Path, fmt: str) -> None:
    lines = "".join(json.dumps(record) + "\n" for record in RECORDS)
    result = CliRunner().invoke(cli, ["build", "-", "-o", "-", "--format", fmt], input=lines)
    assert result.exit_code == 0, result.stderr
    assert "Wrote the graph to stdout (5 nodes" in result.stderr
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(result.stdout_bytes)
    graph = read_graph(str(path))
    assert sorted(graph) == ["article:alphapost.com/vote", "article:betadaily.com/preview", "provider:alphapost.com",
                             "provider:betadaily.com", "topic:harbour"]
    assert graph.has_edge("article:alphapost.com/vote", "article:betadaily.com/preview", key="related")


def test_stdin_takes_a_yaml_stream_and_names_its_bad_lines() -> None:
    stream = "title: One\nurl: https://alphapost.com/1\n---\ntitle: Two\nurl: https://alphapost.com/2\n"
    result = CliRunner().invoke(cli, ["build", "-", "-o", "-"], input=stream)
    assert result.exit_code == 0 and len(json.loads(result.stdout)["nodes"]) == 3
    bad = CliRunner().invoke(cli, ["build", "-", "-o", "-", "--strict"], input=json.dumps(RECORDS[0]) + "\n{oops\n")
    assert bad.exit_code == 1 and "<stdin>:2: invalid JSON" in bad.stderr


def test_build_format_option_wins_over_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "graph.data"
    result = CliRunner().invoke(cli, ["build", "-o", str(out), "--format", "gexf", "-q"])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith('<?xml version="1.0"')
    assert read_graph(str(out)).number_of_nodes() == 82
    unknown = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "g.txt")])
    assert unknown.exit_code == 1 and "unknown graph format 'txt'" in unknown.output


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_option_reads_graphml_and_gexf(tmp_path: Path, fmt: str) -> None:
    CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "g.json"), "-q"])
    CliRunner().invoke(cli, ["build", "-o", str(tmp_path / f"g.{fmt}"), "-q"])
    args = ["report", "--kind", "topic", "--format", "csv", "-q", "--graph"]
    from_json = CliRunner().invoke(cli, [*args, str(tmp_path / "g.json")])
    from_xml = CliRunner().invoke(cli, [*args, str(tmp_path / f"g.{fmt}")])
    assert from_xml.exit_code == 0 and from_xml.output == from_json.output and from_json.output.count("\n") == 20


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("graphnews.load", interrupted)
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 130 and "Interrupted." in result.output and "Aborted!" not in result.output


def test_explore_refuses_dash_output() -> None:
    result = CliRunner().invoke(cli, ["explore", "-o", "-"])
    assert result.exit_code == 2 and "explore writes a folder" in result.output


def test_the_console_script_entry_point_is_the_group() -> None:
    import importlib
    import tomllib

    target = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["graphnews"]
    module, _, name = target.partition(":")
    assert getattr(importlib.import_module(module), name) is cli
    assert {"build", "explore", "html", "report", "clusters", "evaluate", "related", "similar", "diff", "settings",
            "cache"} == set(cli.commands)
