"""A smoke-sized benchmark run (N=200), so the bench cannot rot: every stage, real counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import graphnews.explore
from graphnews.tools import bench, synthetic


@pytest.fixture
def bench_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRAPHNEWS_BENCH_DIR", str(tmp_path / "bench"))
    monkeypatch.setenv("GRAPHNEWS_CACHE_DIR", str(tmp_path / "user-cache"))
    return tmp_path


def test_bench_smoke_writes_every_stage(bench_home: Path) -> None:
    out = bench_home / "bench.json"
    assert bench.main(["--sizes", "200", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    (run,) = report["runs"]
    assert [row["stage"] for row in run["rows"]] == list(bench.STAGES)
    assert run["n"] == 200 and run["files"] == 200 and run["records"] == 200
    assert run["articles"] > 200 and run["nodes"] > run["articles"] and run["edges"] > 2000
    for row in run["rows"]:
        assert row["note"] == bench.NOT_AVAILABLE or row["seconds"] > 0 and row["peak_rss_mb"] > 0
    assert not (bench_home / "user-cache").exists()  # the user's parse cache is left alone


def test_synthetic_corpus_is_deterministic_and_varied(tmp_path: Path) -> None:
    assert synthetic.generate(str(tmp_path / "a"), 300, seed=0, workers=1) == 300
    synthetic.generate(str(tmp_path / "b"), 300, seed=0, workers=2)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)
    texts = [(tmp_path / "a" / n).read_text() for n in names]
    plain = [t for t in texts if t.startswith("date ")]
    assert 1 <= len(plain) <= 15
    joined = "\n".join(texts)
    for variant in ("http://", "https://www.", "https://amp.", "/amp/", ".amp.html", ".cdn.ampproject.org/c/s/", "utm_source="):
        assert variant in joined, variant
    related = [t.count("\n  - title: ") for t in texts if t.startswith("---")]
    assert min(related) >= 8 and max(related) <= 15
    assert joined.count("  - Election\n") > len(texts) / 10
    assert synthetic.article_text(5, 300, seed=1) != synthetic.article_text(5, 300, seed=0)


def test_shards_are_complete_only_when_written_to_the_end(tmp_path: Path) -> None:
    """The scale-out bench reuses shards the synthetic CLI wrote, and only those of the same corpus."""
    folder = str(tmp_path / "shards")
    assert not synthetic.shards_complete(folder, 10, per_shard=4)
    assert synthetic.generate_shards(folder, 10, per_shard=4, workers=1) == 3
    assert sorted(entry.name for entry in (tmp_path / "shards").iterdir() if entry.name.endswith(".jsonl")) == \
        ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl"]
    assert synthetic.shards_complete(folder, 10, per_shard=4)
    assert not synthetic.shards_complete(folder, 11, per_shard=4) and not synthetic.shards_complete(folder, 10, seed=1, per_shard=4)


@pytest.mark.parametrize("implemented", [False, True])
def test_explore_stage_runs_explore_cold_or_says_not_available(
    bench_home: Path, monkeypatch: pytest.MonkeyPatch, implemented: bool
) -> None:
    calls: list[tuple[list[str], str, bool]] = []

    def fake_explore(paths: list[str], out_dir: str) -> str:
        if not implemented:
            raise NotImplementedError
        calls.append((paths, out_dir, (bench_home / "bench" / "parse-cache").exists()))
        return out_dir

    monkeypatch.setattr(graphnews.explore, "explore", fake_explore)
    run = bench.run_size(120)
    row = run["rows"][-1]
    assert row["stage"] == "explore total"
    if implemented:
        folder = str(bench_home / "bench" / "synthetic-120-seed0")
        assert calls == [([folder], folder + "-explore", False)]  # cold: parse cache emptied first
        assert row["seconds"] >= 0 and row["note"] == "cold: parse cache emptied"
    else:
        assert row["seconds"] is None and row["note"] == bench.NOT_AVAILABLE


def test_naive_comparison_on_a_sample_scales_and_says_so(bench_home: Path) -> None:
    result = bench.naive_comparison(80, sample=20)
    assert result["n"] == 80
    assert result["note"].startswith("naive time measured on 20 files and scaled linearly to 80")
    assert result["naive_nodes"] > 20 * 5  # 20 records and their related items (8-15 each, some shared)
    assert result["graphnews_nodes"] > 80


def test_io_only_skips_analysis_stages(bench_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = bench_home / "io.json"
    assert bench.main(["--sizes", "150", "--io-only", "--out", str(out)]) == 0
    (run,) = json.loads(out.read_text())["runs"]
    notes = {row["stage"]: row["note"] for row in run["rows"]}
    assert [stage for stage, note in notes.items() if note == bench.SKIPPED] == list(bench.STAGES[5:])
    assert all(row["seconds"] > 0 for row in run["rows"][:5])
    expected = run["rows"][0]["seconds"] + run["rows"][2]["seconds"] + run["rows"][3]["seconds"]
    assert bench.cold_build_seconds(run) == pytest.approx(expected)
    assert f"cold read+parse+merge+build: {expected:.2f} s" in capsys.readouterr().out


@pytest.mark.parametrize("given, build_sample, page_sample", [([], None, bench.PAGE_NAIVE_SAMPLE),
                                                              (["--naive-sample", "50"], 50, 50)])
def test_naive_page_is_sampled_unless_told(bench_home: Path, monkeypatch: pytest.MonkeyPatch, given: list[str],
                                           build_sample: int | None, page_sample: int) -> None:
    """The naive page (pyvis from_nx, quadratic) is timed on a sample by default; the naive build on every file."""
    asked: dict[str, int | None] = {}

    def recorder(label: str) -> Callable[..., dict[str, object]]:
        def compare(n: int, seed: int, *, sample: int | None, producer: str) -> dict[str, object]:
            asked[label] = sample
            return {"n": n, "naive_seconds": 2.0, "graphnews_seconds": 1.0, "speedup": 2.0, "note": ""}
        return compare

    monkeypatch.setattr(bench, "naive_build_comparison", recorder("build"))
    monkeypatch.setattr(bench, "naive_comparison", recorder("page"))
    assert bench.main(["--sizes", "20", "--io-only", "--naive", "--out", str(bench_home / "n.json"), *given]) == 0
    assert asked == {"build": build_sample, "page": page_sample}


def test_naive_build_comparison_runs_graphnews_build_beside_the_naive_script(bench_home: Path) -> None:
    result = bench.naive_build_comparison(60, sample=30, producer="pyyaml")
    assert result["producer"] == "pyyaml" and result["n"] == 60
    assert result["note"] == "naive time measured on 30 files and scaled linearly to 60"
    folder = bench_home / "bench" / "pyyaml-60-seed0"
    assert (folder / ".complete").is_file()
    first = next(p for p in sorted(folder.iterdir()) if p.suffix == ".md").read_text()
    assert first.startswith("---\nampWebUrl: ")  # yaml.safe_dump's sorted keys: the PyYAML producer
    assert result["graphnews_nodes"] > 60 and result["naive_nodes"] > 30
    assert result["graphnews_seconds"] > 0 and result["naive_seconds"] > 0


def test_producers_side_by_side(bench_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = bench_home / "producers.json"
    assert bench.main(["--sizes", "80", "--io-only", "--producer", "synthetic,pyyaml", "--out", str(out)]) == 0
    runs = json.loads(out.read_text())["runs"]
    assert [(run["producer"], run["n"], run["records"]) for run in runs] == [("synthetic", 80, 80), ("pyyaml", 80, 80)]
    assert runs[0]["articles"] == runs[1]["articles"] and runs[0]["edges"] == runs[1]["edges"]  # the same corpus
    assert "N = 80, pyyaml corpus" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        bench.main(["--sizes", "80", "--producer", "yaml-cpp"])


def test_explore_outputs_times_each_of_the_twelve_files(bench_home: Path) -> None:
    result = bench.explore_outputs(120)
    assert sorted(result["files"]) == ["centrality.csv", "clusters.html", "clusters.json", "graph.gexf", "graph.graphml",
                                       "graph.html", "graph.json", "index.html", "leadlag.csv", "providers.csv",
                                       "providers.html", "report.md"]
    assert all(seconds >= 0 for seconds in result["files"].values())
    assert all(size > 60 for size in result["bytes"].values())  # leadlag.csv may hold its header only
    assert 0 < result["write_share"] < 1
    assert max(result["files"].values()) <= result["timings"]["write"]  # each file within the stage, some side by side
