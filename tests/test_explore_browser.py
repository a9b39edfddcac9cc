"""The overview page in headless Chromium: links resolve, tables sort, nothing leaves the machine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from graphnews.cli import cli
from graphnews.explore import OUTPUT_FILES

pytestmark = pytest.mark.browser
#: Set to a folder to (re)write the README's screenshots from this test run.
SCREENSHOTS = os.environ.get("GRAPHNEWS_SCREENSHOTS")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("overview")
    result = CliRunner().invoke(cli, ["explore", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def graph_page_ids(open_page: Any, page_file: Path) -> set[str]:
    loaded = open_page(page_file)
    assert loaded.errors == [] and loaded.outside == []
    return set(loaded.page.evaluate("graphnews.nodes.get().map(n => n.gid)"))


def test_every_link_resolves(open_page: Any, report: Path) -> None:
    loaded = open_page(report / "index.html", ready=None)
    page = loaded.page
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert loaded.errors == [] and loaded.outside == [] and loaded.dialogs == []
    local = [href for href in hrefs if not href.startswith("https://")]
    external = [href for href in hrefs if href.startswith("https://")]
    assert len(external) == 25 + 11 + 5  # top stories, first reports of 13 stories of 2+ that have an http link, wire copies
    assert {href for href in local if "#" not in href} == set(OUTPUT_FILES) - {"index.html"}
    ids_in = {name: graph_page_ids(open_page, report / name) for name in ("graph.html", "clusters.html", "providers.html")}
    page_anchors = set(page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
    checked = 0
    for href in local:
        target, _, fragment = href.partition("#")
        if not target:
            assert unquote(fragment) in page_anchors or fragment in page_anchors, href
        else:
            assert (report / target).is_file(), href
            if fragment:
                assert unquote(fragment) in ids_in[target], href
        checked += 1
    assert checked == 123  # output files, graph-page nodes, provider and story views, story and wire-group anchors


def test_tables_sort_on_click(open_page: Any, report: Path) -> None:
    page = open_page(report / "index.html", ready=None).page
    column = "#providers th:nth-child(3)"  # articles
    cells = "Array.from(document.querySelectorAll('#providers tbody tr td:nth-child(3)')).map(td => +td.dataset.sort)"
    page.click(column)
    ascending = page.evaluate(cells)
    assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
    assert page.get_attribute(column, "aria-sort") == "ascending"
    page.click(column)
    assert page.evaluate(cells) == sorted(ascending, reverse=True)
    page.click("#stories th:nth-child(2)")  # story titles, alphabetical
    titles = page.evaluate("Array.from(document.querySelectorAll('#stories tbody td:nth-child(2)')).map(td => td.dataset.sort)")
    assert titles == sorted(titles)


def test_graph_link_focuses_the_node(open_page: Any, report: Path) -> None:
    node = "article:wirewatch-news.com/wire/2031/03/13/port-alder-dockworkers-walk-out-over-shift-rota"
    index = open_page(report / "index.html", ready=None).page
    href = index.evaluate("id => document.querySelector(`a[href^='graph.html#'][href$='${id.split('/').pop()}']`).getAttribute('href')", node)
    page = open_page(f"{(report / 'graph.html').as_uri()}#{urlsplit(href).fragment}").page
    selected = page.evaluate("graphnews.network.getSelectedNodes().map(id => graphnews.nodes.get(id).gid)")
    assert selected[0] == node
    assert "Port Alder dockworkers walk out over shift rota" in page.inner_text("#tooltip")


def test_screenshots(open_page: Any, report: Path, tmp_path: Path) -> None:
    """Pictures of the overview and the graph; with GRAPHNEWS_SCREENSHOTS set, the README's own."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    overview = open_page(report / "index.html", ready=None).page
    overview.set_viewport_size({"width": 1200, "height": 900})
    overview.screenshot(path=str(folder / "overview.jpg"), type="jpeg", quality=70)
    graph = open_page(report / "graph.html").page
    graph.set_viewport_size({"width": 1200, "height": 800})
    graph.wait_for_timeout(500)
    graph.screenshot(path=str(folder / "graph.jpg"), type="jpeg", quality=70)
    for name in ("overview.jpg", "graph.jpg"):
        assert (folder / name).read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG
