"""The Dask build gives the same graph as `graphnews build`, on a LocalCluster and on a real
scheduler + 2 workers started here; survives a killed worker; reports bad files alike."""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import socket
import subprocess
import sys
from types import SimpleNamespace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
import fsspec  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from distributed import Client, LocalCluster, get_task_stream  # noqa: E402

import graphnews  # noqa: E402
from graphnews.cli import cli  # noqa: E402
from graphnews.distributed import schema  # noqa: E402
from graphnews.distributed.build import build_tables, partition_files  # noqa: E402
from graphnews.distributed.candidates import dask_pair_blocks  # noqa: E402
from graphnews.distributed.sources import list_inputs, parse_one  # noqa: E402
from graphnews.analysis.centrality import Table, centrality_tables  # noqa: E402
from graphnews.tools.synthetic import generate  # noqa: E402
from graphnews.errors import UsageError  # noqa: E402
from graphnews.tables import centrality, find_stories, load_tables  # noqa: E402

from conftest import ROOT  # noqa: E402

SYNTHETIC_RECORDS = 10_000
#: Small partitions, so the 10k corpus is cut into ~14 parse tasks and the shuffle is real.
SMALL_PARTITIONS = 8 * 1024 * 1024


def graph_sets(graph: Any) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Nodes (id -> attributes) and edges ((source, target, kind) -> attributes) of a networkx graph."""
    nodes = {node: dict(data) for node, data in graph.nodes(data=True)}
    edges = {(u, v, k): dict(data) for u, v, k, data in graph.edges(keys=True, data=True)}
    return nodes, edges


def table_sets(root: str) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """The same from a dataset, null columns left out as the graph leaves attributes out."""
    fs = fsspec.filesystem("file")
    node_rows = schema.read_table(fs, root, schema.NODES).to_pylist()
    edge_rows = schema.read_table(fs, root, schema.EDGES).to_pylist()
    nodes = {row["id"]: {k: v for k, v in row.items() if v is not None and k != "id"} for row in node_rows}
    edges = {(row["source"], row["target"], row["kind"]): {k: v for k, v in row.items()
                                                          if v is not None and k not in ("source", "target")}
             for row in edge_rows}
    assert len(nodes) == len(node_rows) and len(edges) == len(edge_rows), "a node or edge was written twice"
    return nodes, edges


@functools.lru_cache(maxsize=4)
def reference(folder: str) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]], dict[str, int]]:
    """What `graphnews build` makes of ``folder`` (computed once per corpus: the single-machine path is the slow part)."""
    graph, stats = _single_machine(folder)
    return (*graph_sets(graph), stats)


def reference_graph(folder: str) -> Any:
    return _single_machine(folder)[0]


@functools.lru_cache(maxsize=4)
def _single_machine(folder: str) -> tuple[Any, dict[str, int]]:
    corpus = graphnews.load([folder])
    return graphnews.build_graph(corpus), corpus.stats


def assert_same(folder: str, root: str) -> None:
    nodes, edges, _stats = reference(folder)
    got_nodes, got_edges = table_sets(root)
    assert set(got_nodes) == set(nodes)
    assert [node for node in nodes if got_nodes[node] != nodes[node]] == []
    assert set(got_edges) == set(edges)
    assert [edge for edge in edges if got_edges[edge] != edges[edge]] == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def local_client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      memory_limit="2GiB") as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="session")
def scheduler_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `dask scheduler` and 2 `dask worker` processes on 127.0.0.1, stopped afterwards."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    logs = tmp_path_factory.mktemp("dask-logs")
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> None:
        log = open(logs / f"{name}.log", "wb")
        started.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
                                        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT),
                                        start_new_session=True))

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
        for number in range(2):
            start(f"worker{number}", "worker", address, "--nthreads", "1", "--no-dashboard", "--memory-limit", "2GiB",
                  "--host", "127.0.0.1", "--name", f"w{number}")
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def remote_client(scheduler_address: str) -> Iterator[Client]:
    with Client(scheduler_address, timeout="60s") as client:
        yield client


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    generate(str(folder), SYNTHETIC_RECORDS, seed=3)
    return folder


@pytest.fixture(params=["local", "remote"])
def client(request: pytest.FixtureRequest) -> Client:
    return request.getfixturevalue(f"{request.param}_client")


@pytest.fixture(scope="session")
def election_tables(local_client: Client, election_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = str(tmp_path_factory.mktemp("tables") / "election.parquet")
    build_tables([str(election_dir)], out, local_client)
    return out


@pytest.mark.shared
def test_election_same_graph(client: Client, election_dir: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "election.parquet")
    result = build_tables([str(election_dir)], out, client, buckets=3, partition_bytes=1024 * 1024)
    assert result.partitions >= 3
    assert_same(str(election_dir), out)
    assert result.stats == reference(str(election_dir))[2]
    assert (result.stats["articles"], result.stats["related_links"]) == (264, 11849)
    assert not list(tmp_path.glob("*.partial-*")), "the staging folder was left behind"


@pytest.fixture(scope="session")
def synthetic_tables(local_client: Client, synthetic_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    """The 10k corpus built once on the LocalCluster (shared by the equality and the tables tests)."""
    out = str(tmp_path_factory.mktemp("tables") / "synthetic.parquet")
    return out, build_tables([str(synthetic_dir)], out, local_client, partition_bytes=SMALL_PARTITIONS, buckets=5)


def test_synthetic_same_graph_local(synthetic_tables: tuple[str, Any], synthetic_dir: Path) -> None:
    out, result = synthetic_tables
    assert result.partitions >= 10 and result.buckets == 5
    assert result.stats == reference(str(synthetic_dir))[2]
    assert result.stats["records"] == SYNTHETIC_RECORDS
    assert_same(str(synthetic_dir), out)
    parts = sorted(path.name for path in (Path(out) / "nodes").iterdir())
    assert parts == [f"part-article-{b:05d}.parquet" for b in range(5)] + ["part-provider.parquet", "part-topic.parquet"]


def test_synthetic_same_graph_remote(remote_client: Client, synthetic_dir: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "synthetic.parquet")
    result = build_tables([str(synthetic_dir)], out, remote_client, partition_bytes=SMALL_PARTITIONS, buckets=3)
    assert result.stats == reference(str(synthetic_dir))[2]
    assert_same(str(synthetic_dir), out)


@pytest.fixture(scope="session")
def small_synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small") / "corpus"
    generate(str(folder), 3000, seed=4)
    return folder


def test_worker_killed_mid_build(remote_client: Client, small_synthetic_dir: Path, tmp_path: Path) -> None:
    """A worker SIGKILLed once the parsed partitions sit in its memory: Dask recomputes what it held."""
    victims: list[int] = []

    def on_stage(name: str, seconds: float | None) -> None:
        if name == "shuffle + merge" and seconds is None:
            pids = remote_client.run(os.getpid)
            victim = pids[sorted(pids)[0]]
            os.kill(victim, signal.SIGKILL)
            victims.append(victim)

    out = str(tmp_path / "killed.parquet")
    result = build_tables([str(small_synthetic_dir)], out, remote_client, partition_bytes=2 * 1024 * 1024, buckets=4,
                          on_stage=on_stage)
    assert len(victims) == 1 and result.partitions >= 8
    with pytest.raises(ProcessLookupError):
        os.kill(victims[0], 0)
    assert result.stats == reference(str(small_synthetic_dir))[2]
    assert_same(str(small_synthetic_dir), out)
    remote_client.wait_for_workers(2, timeout=120)  # the nanny restarted it for the next tests


def _bad_corpus(folder: Path) -> None:
    folder.mkdir()
    generate(str(folder), 30, seed=5)
    (folder / "empty.md").write_text("")
    (folder / "broken.jsonl").write_text('{"title": "One", "webUrl": "https://a.example/1"}\n{not json\n')
    (folder / "open-fence.md").write_text("---\ntitle: never closed\n")
    (folder / "bad-url.json").write_text('{"title": "Two", "webUrl": "javascript:alert(1)"}')
    (folder / "big.txt").write_text("date 2020-01-01\n\n" + "word " * 15000)


def test_bad_files_reported_as_single_machine(scheduler_address: str, tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    _bad_corpus(corpus)
    runner = CliRunner()
    common = [str(corpus), "--strict", "--max-file-size", "60000"]
    local = runner.invoke(cli, ["build", *common, "-o", str(tmp_path / "g.json"), "--errors", str(tmp_path / "l.jsonl")])
    dask = runner.invoke(cli, ["build", *common, "--engine", "dask", "--scheduler", scheduler_address,
                               "-o", str(tmp_path / "g.parquet"), "--errors", str(tmp_path / "d.jsonl")])
    assert (local.exit_code, dask.exit_code) == (1, 1), dask.output

    def problem_lines(text: str) -> list[str]:
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Skipped"))
        return lines[start:]

    assert problem_lines(dask.stderr) == problem_lines(local.stderr)
    assert len([line for line in problem_lines(local.stderr) if line.startswith("  ")]) == 5  # 4 skipped + 1 warning
    assert (tmp_path / "d.jsonl").read_text() == (tmp_path / "l.jsonl").read_text()
    fs = fsspec.filesystem("file")
    rows = schema.read_table(fs, str(tmp_path / "g.parquet"), schema.PROBLEMS).to_pylist()
    assert rows == [json.loads(line) for line in (tmp_path / "l.jsonl").read_text().splitlines()]
    assert "Traceback" not in dask.output


def test_partitions_keep_order() -> None:
    files = [(f"f{i}", 4) for i in range(7)]
    assert partition_files(files, target_bytes=8) == [["f0", "f1"], ["f2", "f3"], ["f4", "f5"], ["f6"]]
    assert partition_files(files, target_bytes=100, max_files=3) == [["f0", "f1", "f2"], ["f3", "f4", "f5"], ["f6"]]
    assert partition_files([("huge", 50), ("b", 1)], target_bytes=8) == [["huge"], ["b"]]


def test_fsspec_urls_read_like_paths(tmp_path: Path) -> None:
    """Local ``file://`` URLs list like paths; another filesystem (memory://) is copied and named by its URL."""
    generate(str(tmp_path), 3, seed=1)
    assert list_inputs([f"file://{tmp_path}"]) == list_inputs([str(tmp_path)])
    memory = fsspec.filesystem("memory")
    name, text = sorted(tmp_path.iterdir())[0].name, sorted(tmp_path.iterdir())[0].read_text()
    memory.pipe(f"/gn-test/{name}", text.encode())
    memory.pipe("/gn-test/.hidden.md", b"x")
    try:
        url = memory.unstrip_protocol(f"/gn-test/{name}")
        assert [found for found, _size in list_inputs(["memory://gn-test"])] == [url]
        parsed = parse_one(url, 1 << 20)
        local = parse_one(str(sorted(tmp_path.iterdir())[0]), 1 << 20)
        assert [m.source for m in parsed.mentions] == [url]
        assert [m.title for m in parsed.mentions] == [m.title for m in local.mentions]
        assert {item.source for item in parsed.mentions[0].related} == {url}
    finally:
        memory.rm("/gn-test", recursive=True)


def test_cli_dask_build_replaces_output(scheduler_address: str, election_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.parquet"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    result = CliRunner().invoke(cli, ["build", str(election_dir), "--engine", "dask", "--scheduler", scheduler_address,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges", "graphnews.json", "nodes", "problems"]
    assert "Wrote " + str(out) + " (284 nodes, 12,408 edges;" in result.stderr
    assert json.loads((out / "graphnews.json").read_text())["stats"]["articles"] == 264


# --- analysis from the tables (graphnews.tables) --------------------------------------------------------------------

def assert_same_tables(got: dict[str, Table], expected: dict[str, Table]) -> None:
    assert list(got) == list(expected)
    for kind, table in expected.items():
        assert got[kind].columns == table.columns and got[kind].notes == table.notes
        assert [row["id"] for row in got[kind].rows] == [row["id"] for row in table.rows]
        for mine, theirs in zip(got[kind].rows, table.rows):
            assert mine.keys() == theirs.keys()
            for column, value in theirs.items():
                assert mine[column] == (pytest.approx(value, abs=1e-9) if isinstance(value, float) else value), column


@pytest.mark.shared
def test_tables_centrality_matches_graph_election(election_tables: str, election_dir: Path) -> None:
    graph = reference_graph(str(election_dir))
    assert_same_tables(centrality(load_tables(election_tables)), centrality_tables(graph))


def test_tables_centrality_matches_graph_synthetic(synthetic_tables: tuple[str, Any], synthetic_dir: Path) -> None:
    graph = reference_graph(str(synthetic_dir))
    measured = centrality(load_tables(synthetic_tables[0]))
    assert any("sampled" in note for note in measured["article"].notes)  # 12,709 articles: the sampled branch
    assert_same_tables(measured, centrality_tables(graph))


@pytest.mark.shared
def test_cli_tables(election_tables: str, election_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    from_tables = runner.invoke(cli, ["report", "--tables", election_tables, "--format", "csv", "--top", "5"])
    from_records = runner.invoke(cli, ["report", str(election_dir), "--format", "csv", "--top", "5", "-q"])
    assert from_tables.exit_code == 0, from_tables.output
    assert from_tables.stdout == from_records.stdout and from_tables.stdout.count("\n") == 3 * 5 + 1  # one table, kind column
    out = tmp_path / "report"
    explored = runner.invoke(cli, ["explore", "--tables", election_tables, "-o", str(out), "--max-nodes", "60"])
    assert explored.exit_code == 0, explored.output
    assert sorted(p.name for p in out.iterdir()) == ["centrality.csv", "clusters.json", "graph.html", "report.md"]
    assert (out / "centrality.csv").read_text().count("\n") == 1 + 264 + 14 + 6
    assert "## Top providers" in (out / "report.md").read_text()
    stories = json.loads((out / "clusters.json").read_text())
    assert len(stories["stories"]) == 173 and sum(story["size"] for story in stories["stories"]) == 264
    assert stories["stories"][0]["size"] == 10  # the largest story, as `graphnews clusters` finds it
    page_text = (out / "graph.html").read_text()
    assert len(re.findall(r'"c": ?\d+', page_text)) >= 40  # the page's articles carry their story number
    page = runner.invoke(cli, ["html", "--tables", election_tables, "-o", str(tmp_path / "p.html"), "--max-nodes", "40"])
    assert page.exit_code == 0 and "40 nodes" in page.stderr, page.output
    clusters = runner.invoke(cli, ["html", "--tables", election_tables, "--view", "clusters", "-o", str(tmp_path / "c.html"),
                                   "--max-nodes", "264"])
    assert clusters.exit_code == 0, clusters.output
    assert "clusters view: 173 nodes" in clusters.stderr  # every story of the 264 articles, as `graphnews clusters` finds them
    colored = runner.invoke(cli, ["html", "--tables", election_tables, "--color-by", "cluster", "-o", str(tmp_path / "k.html")])
    assert colored.exit_code == 0, colored.output
    both = runner.invoke(cli, ["report", str(election_dir), "--tables", election_tables])
    assert both.exit_code == 2


@pytest.mark.shared
def test_tables_stories_equal_clusters(election_tables: str, election_dir: Path) -> None:
    """`clusters --tables` runs the same story code on the columns: the same stories, storylines and evidence."""
    runner = CliRunner()
    from_tables = runner.invoke(cli, ["clusters", "--tables", election_tables, "--format", "json", "--min-size", "1"])
    from_records = runner.invoke(cli, ["clusters", str(election_dir), "--format", "json", "--min-size", "1", "-q"])
    assert from_tables.exit_code == 0, from_tables.output
    mine, theirs = json.loads(from_tables.stdout), json.loads(from_records.stdout)
    assert len(mine["stories"]) == 173 and len(mine["storylines"]) == 31
    members = [sorted(member["id"] for member in story["members"]) for story in mine["stories"]]
    assert members == [sorted(member["id"] for member in story["members"]) for story in theirs["stories"]]
    assert from_tables.stdout == from_records.stdout  # headlines, keywords, why, storylines: byte for byte
    assert "Stories: 173 over 264 articles, 173 of size >= 1; storylines: 31" in from_tables.stderr
    assert "Added edges" not in from_tables.stderr  # the tables path adds no similar/syndicated/cites edges


@pytest.mark.shared
def test_tables_story_report_equals_graph(election_tables: str, election_dir: Path) -> None:
    """`report --kind story --tables` is the coverage code of the networkx path on the columns: the same bytes."""
    runner = CliRunner()
    from_tables = runner.invoke(cli, ["report", "--tables", election_tables, "--kind", "story", "--format", "csv"])
    from_records = runner.invoke(cli, ["report", str(election_dir), "--kind", "story", "--format", "csv", "-q"])
    assert from_tables.exit_code == 0, from_tables.output
    assert from_tables.stdout.count("\n") == 1 + 173  # a header and one row a story
    assert from_tables.stdout == from_records.stdout


@pytest.mark.shared
def test_tables_stories_with_a_scheduler_equal_in_process(election_tables: str, scheduler_address: str,
                                                          tmp_path: Path) -> None:
    """`--scheduler` runs the candidate products on the cluster: the same stories, byte for byte."""
    runner = CliRunner()
    args = ["clusters", "--tables", election_tables, "--format", "json", "--min-size", "1"]
    here, there = runner.invoke(cli, args), runner.invoke(cli, [*args, "--scheduler", scheduler_address])
    assert there.exit_code == 0, there.output
    assert there.stdout == here.stdout and len(json.loads(there.stdout)["stories"]) == 173
    explored = runner.invoke(cli, ["explore", "--tables", election_tables, "--scheduler", scheduler_address,
                                   "-o", str(tmp_path / "report")])
    assert explored.exit_code == 0, explored.output
    assert (tmp_path / "report" / "clusters.json").read_text() == here.stdout  # streamed, byte for byte the same
    refused = runner.invoke(cli, ["clusters", str(ROOT / "tests" / "data" / "seeds"), "--scheduler", scheduler_address])
    assert refused.exit_code == 2 and "--scheduler runs the stories of --tables" in refused.output


def test_synthetic_story_candidates_as_dask_tasks(synthetic_tables: tuple[str, Any], remote_client: Client) -> None:
    """Above 5,000 articles (pruned candidates, then rescored): one task per 1,500 rows, the same stories."""
    dataset = load_tables(synthetic_tables[0], text=True)
    here = find_stories(dataset)
    with get_task_stream(remote_client) as stream:
        there = find_stories(dataset, pair_blocks=dask_pair_blocks(remote_client, rows_per_task=1500))
    articles = len(dataset.articles)
    tasks = [task for task in stream.data if str(task["key"]).startswith("block_pairs")]
    assert articles > 5000 and len(tasks) == -(-articles // 1500)
    assert [cluster.members for cluster in there.clusters] == [cluster.members for cluster in here.clusters]
    assert there.storylines == here.storylines and len(here.clusters) > 100


@pytest.mark.shared
def test_find_stories_needs_the_text_columns(election_tables: str) -> None:
    with pytest.raises(UsageError, match="text=True"):
        find_stories(load_tables(election_tables))


def test_failed_build_is_one_line_and_leaves_no_output(scheduler_address: str, tmp_path: Path) -> None:
    """A task that fails on the cluster (here: the output sits under a file) ends the build with one line, exit 1."""
    (tmp_path / "corpus").mkdir()
    generate(str(tmp_path / "corpus"), 5, seed=2)
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "a-file" / "out.parquet"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "corpus"), "--engine", "dask",
                                      "--scheduler", scheduler_address, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the build failed on the cluster: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "corpus"]


def test_killed_worker_message() -> None:
    from distributed.scheduler import KilledWorker

    from graphnews.distributed.build import _cluster_message

    message = _cluster_message(KilledWorker("parse_partition-1f2e", SimpleNamespace(address="tcp://127.0.0.1:4000"), 3))
    assert message.startswith("the build failed: workers died running parse_partition-1f2e too often")
