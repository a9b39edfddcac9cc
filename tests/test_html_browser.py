"""The written pages in headless Chromium: offline, safe with hostile titles, interactive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graphnews import build_graph, load, sample_data_path
from graphnews.export.html import write_html

from test_html import XSS_TITLE, news_graph

pytestmark = pytest.mark.browser


def node_id(page: Any, gid: str) -> int:
    return page.evaluate("gid => graphnews.nodes.get({filter: n => n.gid === gid})[0].id", gid)


def test_hostile_titles_do_not_run_and_show_as_text(open_page: Any, tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    write_html(news_graph(), str(path), title=XSS_TITLE)
    loaded = open_page(path)
    page = loaded.page
    assert page.evaluate("[graphnews.nodes.length, graphnews.edges.length]") == [8, 10]
    assert page.title() == XSS_TITLE
    # hover the hostile node: its tooltip shows the title as text, with no link (javascript: URL)
    target = node_id(page, "article:q.com/a5")
    point = page.evaluate("""id => { const p = graphnews.network.canvasToDOM(graphnews.network.getPosition(id));
                                     const r = document.getElementById('graph').getBoundingClientRect();
                                     return [p.x + r.left, p.y + r.top]; }""", target)
    page.mouse.move(point[0] + 40, point[1] + 40)
    page.mouse.move(*point, steps=4)
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert XSS_TITLE in tooltip.inner_text()
    assert tooltip.locator("a").count() == 0
    # selecting the hub pins its tooltip with a real http(s) link
    page.evaluate("id => graphnews.highlight(id)", node_id(page, "article:p.com/a1"))
    assert "Hub story" in tooltip.inner_text() and "Topics: Election" in tooltip.inner_text()
    assert tooltip.locator("a").get_attribute("href") == "https://p.com/a1"
    assert sorted(page.evaluate("graphnews.network.getSelectedNodes()")) == [0, 1, 2, 3, 5, 7]  # a1, a2, a3, a4, provider:p.com, topic
    page.wait_for_timeout(200)
    assert page.locator("img").count() == 0 and page.locator("script").count() == 3
    assert loaded.dialogs == [] and loaded.errors == [] and loaded.outside == []
    # a filter hides the articles of the other provider through the DataSet
    page.select_option("#f-provider", "P News")
    assert page.evaluate("graphnews.nodes.get({filter: n => !n.hidden}).map(n => n.gid).sort()") == [
        "article:p.com/a1", "article:p.com/a2", "provider:p.com", "provider:q.com", "topic:election"]


def test_around_and_clusters_pages(open_page: Any, tmp_path: Path) -> None:
    around, clusters = tmp_path / "around.html", tmp_path / "clusters.html"
    write_html(news_graph(), str(around), around="https://q.com/a3", depth=1)
    write_html(news_graph(), str(clusters), view="clusters", color_by="cluster")
    page = open_page(around).page
    assert sorted(page.evaluate("graphnews.nodes.map(n => n.gid)")) == [
        "article:p.com/a1", "article:q.com/a3", "article:q.com/a5", "provider:q.com"]
    loaded = open_page(clusters)
    assert sorted(loaded.page.evaluate("graphnews.nodes.map(n => [n.gid, n.n, n.t])")) == [
        ["cluster:0", 2, "Hub story"], ["cluster:1", 3, "Third"]]
    assert loaded.page.evaluate("graphnews.edges.length") == 1
    assert loaded.errors == [] and loaded.outside == []


def test_sample_page_search_and_screenshot(open_page: Any, tmp_path: Path) -> None:
    path = tmp_path / "sample.html"
    write_html(build_graph(load([sample_data_path()])), str(path), inputs=["sample"])
    loaded = open_page(path)
    page = loaded.page
    assert page.evaluate("[graphnews.nodes.length, graphnews.edges.length]") == [82, 274]
    page.fill("#search", "saltmarsh bridge")
    page.press("#search", "Enter")
    selected = page.evaluate("graphnews.network.getSelectedNodes()")
    assert len(selected) > 1
    assert "Saltmarsh Bridge" in page.locator("#tooltip").inner_text()
    assert page.locator("#legend li").all_inner_texts() == ["article", "provider", "topic"]
    page.screenshot(path="/tmp/graphnews-sample.png")
    assert loaded.errors == [] and loaded.outside == []


def test_first_view_fits_the_main_component_not_the_isolated_nodes(open_page: Any, tmp_path: Path) -> None:
    graph = news_graph()
    for i in range(300):  # stray articles with no link: a layout pushes them to the rim
        graph.add_node(f"article:stray.com/{i}", kind="article", title=f"Stray {i}")
    path = tmp_path / "strays.html"
    write_html(graph, str(path))
    page = open_page(path).page
    main = page.evaluate("graphnews.nodes.get({filter: n => !n.gid.startsWith('article:stray')}).map(n => n.id)")
    assert len(main) == 8
    shown = page.evaluate("graphnews.network.getScale()")
    inside = page.evaluate("""ids => { const box = document.getElementById('graph').getBoundingClientRect();
        return ids.every(id => { const p = graphnews.network.canvasToDOM(graphnews.network.getPosition(id));
                                 return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; }); }""", main)
    page.evaluate("graphnews.network.fit({animation: false})")
    assert inside and shown > 2 * page.evaluate("graphnews.network.getScale()")  # fit() caps zoom at 1


@pytest.mark.parametrize("strays", [0, 300])
def test_first_view_is_fitted_after_the_nodes_are_measured(open_page: Any, tmp_path: Path, strays: int) -> None:
    """A big precomputed page opens as zoomed as fitting it again would make it (a fit before
    the first drawing, with node bounds unmeasured, opened a 2,000-node page at 40% of that)."""
    graph = news_graph()
    for i in range(1200):  # one component: a chain of labelled articles off the hub
        graph.add_node(f"article:chain.com/{i}", kind="article", title=f"Chain story number {i}", pagerank=0.01)
        graph.add_edge("article:p.com/a1" if i == 0 else f"article:chain.com/{i - 1}", f"article:chain.com/{i}", kind="related")
    for i in range(strays):
        graph.add_node(f"article:stray.com/{i}", kind="article", title=f"Stray {i}")
    path = tmp_path / "big.html"
    write_html(graph, str(path))
    page = open_page(path).page
    shown = page.evaluate("graphnews.network.getScale()")
    page.evaluate("graphnews.fitMain()")
    assert shown == pytest.approx(page.evaluate("graphnews.network.getScale()"), rel=0.01)


def test_filters_shown_only_where_they_apply(open_page: Any, tmp_path: Path) -> None:
    clusters, full = tmp_path / "clusters.html", tmp_path / "full.html"
    write_html(news_graph(), str(clusters), view="clusters", color_by="cluster")
    write_html(news_graph(), str(full))
    page = open_page(clusters).page
    assert [page.locator(f"#{name}").count() for name in ("kinds", "f-provider", "f-topic", "f-cluster", "f-from")] == [0] * 5
    assert "Filter" not in page.locator("aside").inner_text()
    page = open_page(full).page
    assert [page.locator(f"#{name}").count() for name in ("kinds", "f-provider", "f-topic", "f-from")] == [1] * 4
    page.select_option("#f-topic", "Election")  # still filters where it applies
    assert page.evaluate("graphnews.nodes.get({filter: n => !n.hidden && n.kind === 'article'}).length") >= 1


def test_tooltip_names_the_story_and_why(open_page: Any, tmp_path: Path) -> None:
    from graphnews.analysis.pipeline import analyse

    graph = build_graph(load([sample_data_path()]))
    analyse(graph, centrality=False)
    path = tmp_path / "stories.html"
    write_html(graph, str(path), inputs=["sample"], color_by="cluster")
    page = open_page(path).page
    wire = "article:wirewatch-news.com/wire/2031/03/13/port-alder-dockworkers-walk-out-over-shift-rota"
    assert graph.nodes[wire]["story_why"].startswith("same wire copy as")
    page.fill("#search", "dockworkers walk out over shift rota")
    page.press("#search", "Enter")
    text = page.locator("#tooltip").inner_text()
    assert "story 0: " in text and "why: same wire copy as" in text
    assert page.locator("#legend li").all_inner_texts()[0].startswith("0: ")
