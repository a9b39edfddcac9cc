"""graphnews in Jupyter: a real notebook executed with nbclient (ipykernel), outputs checked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
CELLS = [
    "import graphnews\nfrom graphnews.analysis.pipeline import analyse\n"
    "corpus = graphnews.load([graphnews.sample_data_path()])\ncorpus",
    "graph = graphnews.build_graph(corpus)\nresult = analyse(graph)\nresult.tables['provider']",
    "frame = result.tables['article'].to_pandas()\n(frame.shape, list(frame.columns[:3]), len(corpus.to_pandas()))",
    "graphnews.show(graph, view='clusters', color_by='cluster', height=500)",
]


@pytest.fixture(scope="module")
def executed() -> list:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})  # imports this checkout's graphnews
    client.execute(env={**os.environ, "PYTHONPATH": str(ROOT)})
    return [cell["outputs"] for cell in notebook.cells]


def result_of(outputs: list) -> dict:
    (output,) = [o for o in outputs if o["output_type"] == "execute_result"]
    return output["data"]


def test_corpus_shows_a_short_repr_and_a_summary(executed: list) -> None:
    data = result_of(executed[0])
    assert data["text/plain"].startswith("Corpus(23 files, 51 articles, 12 providers, 19 topics")
    assert len(data["text/plain"]) < 300 and len(data["text/html"]) < 5000
    assert "graphnews Corpus" in data["text/html"] and "(51 rows, first 10 shown)" in data["text/html"]


def test_tables_show_rows_and_export_to_pandas(executed: list) -> None:
    table = result_of(executed[1])
    assert table["text/plain"].startswith("Table('provider', 12 rows")
    assert table["text/html"].count("<tr>") == 11  # header + the first 10 rows
    assert result_of(executed[2])["text/plain"] == "((51, 10), ['id', 'title', 'provider'], 51)"


def test_show_puts_the_page_in_a_sandboxed_frame_with_vis_network_once(executed: list) -> None:
    data = result_of(executed[3])
    frame = data["text/html"]
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and 'sandbox="allow-scripts' in frame
    assert "height: 500px" in frame and "<style" not in frame.split("srcdoc=")[0]
    assert frame.count("visjs.github.io/vis-network") == 1  # the library inlined once, nothing loaded from elsewhere
    assert not re.search(r"(src|href)=&quot;(https?:)?//", frame)
    assert data["text/plain"].startswith("GraphView(clusters view: 16 nodes")
