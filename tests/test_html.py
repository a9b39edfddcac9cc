"""graphnews.export.html without a browser: views, the vis-network network, the written page, the CLI."""

from __future__ import annotations

import copy
import json
import math
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnews.analysis.annotate import write_measures
from graphnews.analysis.centrality import centrality_tables
from graphnews.cli import cli
from graphnews.errors import GraphnewsError, LookupFailed
from graphnews.export.files import graph_to_json
from graphnews.export.html import (
    PageInfo,
    graph_style,
    json_for_script,
    page_filters,
    render_page,
    select_view,
    to_network,
    write_html,
)
from graphnews.export.layout import compute_layout
from graphnews.export.style import OTHER_COLOR
from graphnews.export.views import cluster_graph, induced_copy

XSS_TITLE = '<img src=x onerror=alert(1)></script><script>alert(1)</script>'


def news_graph() -> nx.MultiDiGraph:
    """Five articles in two clusters, two providers, one topic; a1 is the hub."""
    g = nx.MultiDiGraph(inputs=["hand-made"])
    g.add_node("provider:p.com", kind="provider", label="P News", domain="p.com")
    g.add_node("provider:q.com", kind="provider", label="Q Daily", domain="q.com")
    g.add_node("topic:election", kind="topic", label="Election")
    articles = {
        "a1": ("Hub story", "p.com", 0, 0.4), "a2": ("Second", "p.com", 0, 0.2), "a3": ("Third", "q.com", 1, 0.2),
        "a4": ("Fourth", "q.com", 1, 0.1), "a5": (XSS_TITLE, "q.com", 1, 0.1),
    }
    for name, (title, domain, cluster, rank) in articles.items():
        node = f"article:{domain}/{name}"
        g.add_node(node, kind="article", title=title, label=title, url=f"{domain}/{name}", link=f"https://{domain}/{name}",
                   aliases=[f"https://amp.{domain}/{name}/"], provider=f"provider:{domain}", topics=["Election"],
                   published=f"2031-03-1{cluster}T08:00:00Z", excerpt="x " * 300, cluster=cluster, pagerank=rank)
        g.add_edge(node, f"provider:{domain}", key="published_by", kind="published_by", weight=1.0)
    g.nodes["article:q.com/a5"]["link"] = "javascript:alert(1)"
    g.add_edge("article:p.com/a1", "topic:election", key="tagged", kind="tagged", weight=1.0)
    for target in ("p.com/a2", "q.com/a3", "q.com/a4"):
        g.add_edge("article:p.com/a1", f"article:{target}", key="related", kind="related", weight=1.0)
    g.add_edge("article:q.com/a3", "article:q.com/a5", key="related", kind="related", weight=1.0)
    return g


def test_full_view_keeps_most_central_by_pagerank_and_says_what_was_left_out() -> None:
    view, info = select_view(news_graph(), max_nodes=3)
    assert sorted(view) == ["article:p.com/a1", "article:p.com/a2", "article:q.com/a3"]
    assert (info.nodes, info.total_nodes, info.left_out) == (3, 8, 5)
    assert info.notes == ["Left out 5 of 8 nodes (the least central by pagerank): 2 article, 2 provider, 1 topic"]


def test_full_view_falls_back_to_degree() -> None:
    view, info = select_view(news_graph(), max_nodes=2, size_by="betweenness")
    # degree: a1 5; a3 and provider:q.com 3 each, the tie broken by id
    assert sorted(view) == ["article:p.com/a1", "article:q.com/a3"]
    assert "least central by degree" in info.notes[0]


@pytest.mark.parametrize("name", ["article:q.com/a3", "https://www.q.com/a3?utm_source=x", "http://amp.q.com/a3/", "q.com/a3"])
def test_around_finds_the_article_by_id_or_any_url(name: str) -> None:
    view, info = select_view(news_graph(), around=name, depth=1)
    assert sorted(view) == ["article:p.com/a1", "article:q.com/a3", "article:q.com/a5", "provider:q.com"]
    assert info.notes == ["Neighbourhood of Third (1 hop)"]


def test_around_depth_two_and_max_nodes_keeps_the_center() -> None:
    view, _ = select_view(news_graph(), around="article:q.com/a5", depth=2)
    assert sorted(view) == ["article:p.com/a1", "article:q.com/a3", "article:q.com/a4", "article:q.com/a5", "provider:q.com"]
    view, _ = select_view(news_graph(), around="article:q.com/a5", depth=2, max_nodes=2)
    assert sorted(view) == ["article:p.com/a1", "article:q.com/a5"]


def test_around_unknown_article_raises_lookup_failed() -> None:
    with pytest.raises(LookupFailed, match=re.escape("no article with URL or id 'https://nowhere.example/x'")):
        select_view(news_graph(), around="https://nowhere.example/x")


def test_clusters_view_one_node_per_cluster() -> None:
    view, info = select_view(news_graph(), view="clusters")
    assert sorted(view.nodes(data="articles")) == [("cluster:0", 2), ("cluster:1", 3)]
    assert view.nodes["cluster:0"]["label"] == "Hub story"
    assert view.nodes["cluster:1"]["label"] == "Third"  # highest pagerank in cluster 1
    assert list(view.edges(data="weight")) == [("cluster:0", "cluster:1", 2)]
    assert info.view == "clusters" and info.nodes == 2


def test_clusters_view_trimmed_is_the_whole_cluster_graph_cut_to_its_largest_stories() -> None:
    """The capped view builds only the kept stories; it must equal building all and cutting after:
    the largest stories first, ties by node id (``cluster:10`` before ``cluster:2``), same order and links."""
    graph = nx.MultiDiGraph()
    sizes = {0: 1, 1: 3, 2: 2, 10: 2, 11: 1}
    for number, size in sizes.items():
        graph.add_nodes_from((f"a{number}-{i}", {"kind": "article", "cluster": number, "title": f"T{number}"})
                              for i in range(size))
    for source, target in [("a1-0", "a2-0"), ("a2-1", "a10-0"), ("a0-0", "a1-1"), ("a10-1", "a1-2"), ("a11-0", "a2-0")]:
        graph.add_edge(source, target, kind="related")
    view, info = select_view(graph, view="clusters", max_nodes=2)  # cluster:2 ties cluster:10 and loses
    expected = induced_copy(cluster_graph(graph), {"cluster:1", "cluster:10"})
    assert list(view.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(view.edges(data=True)) == list(expected.edges(data=True)) == [
        ("cluster:1", "cluster:10", {"weight": 1, "kind": "cluster_link"})]
    assert (info.nodes, info.total_nodes, info.left_out) == (2, 5, 3)
    assert info.notes == ["Left out 3 of 5 nodes (the least central by articles): 3 cluster"]


def test_clusters_page_leads_each_story_by_its_most_central_article_when_providers_are_measured() -> None:
    graph = news_graph()
    write_measures(graph, centrality_tables(graph, ["provider", "topic"]))  # providers hold their article counts
    graph.nodes["article:q.com/a4"]["pagerank"] = 0.3  # now the lead of cluster 1, though not its first id
    net, _ = to_network(graph, view="clusters")
    lead = {node["gid"]: node for node in net.nodes}["cluster:1"]
    assert (lead["t"], lead["u"], lead["n"]) == ("Fourth", "https://q.com/a4", 3)  # was "Third": every article scored 0


def test_each_kind_is_sized_on_its_own_scale() -> None:
    graph = news_graph()
    write_measures(graph, centrality_tables(graph))
    assert graph.nodes["provider:p.com"]["provider_pagerank"] > max(graph.nodes[f"article:{a}"]["pagerank"]
                                                                    for a in ("p.com/a1", "q.com/a3"))
    net, _ = to_network(graph)
    sizes = {node["gid"]: node["size"] for node in net.nodes}
    articles = [node for node in graph if node.startswith("article:")]
    best = max(articles, key=lambda node: graph.nodes[node]["pagerank"])
    assert sizes[best] == 40.0 and min(sizes[node] for node in articles) == 8.0  # was: the providers 40, articles below
    assert sizes["provider:p.com"] == sizes["provider:q.com"] == 16.0  # equal scores: one middle size
    provider = {node["gid"]: node for node in net.nodes}["provider:q.com"]
    assert provider["n"] == 3  # the tooltip's article count, from provider_articles


def test_clusters_view_without_clusters_says_to_run_clustering() -> None:
    graph = news_graph()
    for node in graph:
        graph.nodes[node].pop("cluster", None)
    with pytest.raises(GraphnewsError, match="run clustering first"):
        select_view(graph, view="clusters")


def test_providers_view_is_the_co_coverage_graph() -> None:
    view, _ = select_view(news_graph(), view="providers")
    assert sorted(view) == ["provider:p.com", "provider:q.com"]
    assert list(view.edges(data="weight")) == [("provider:p.com", "provider:q.com", 2)]
    assert view.nodes["provider:p.com"]["label"] == "P News"


def test_to_network_numeric_ids_safe_links_and_no_mutation() -> None:
    graph = news_graph()
    before = copy.deepcopy(graph_to_json(graph))
    net, info = to_network(graph, color_by="provider")
    assert graph_to_json(graph) == before
    assert [n["id"] for n in net.nodes] == list(range(8))
    assert [n["gid"] for n in net.nodes][:2] == ["article:p.com/a1", "article:p.com/a2"]
    by_gid = {n["gid"]: n for n in net.nodes}
    assert by_gid["article:p.com/a1"]["u"] == "https://p.com/a1"
    assert "u" not in by_gid["article:q.com/a5"]  # javascript: link dropped
    assert by_gid["article:p.com/a1"]["p"] == "P News"
    assert len(by_gid["article:p.com/a1"]["e"]) == 280
    assert by_gid["article:p.com/a1"]["color"] == by_gid["provider:p.com"]["color"] != by_gid["provider:q.com"]["color"]
    assert len(net.edges) == 10 and {e["kind"] for e in net.edges} == {"related", "published_by", "tagged"}
    assert net.options["physics"] == {"enabled": False} and info.layout == "precomputed"  # the GEXF's layout
    style = graph_style(graph, color_by="provider")
    assert all((n["x"], n["y"], n["color"]) == (*style.positions[n["gid"]], style.colors[n["gid"]]) for n in net.nodes)
    assert not any("title" in n for n in net.nodes)  # pyvis would write a string title with innerHTML


def test_big_view_gets_positions_and_physics_off() -> None:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(400), kind="article")
    for i in range(399):
        graph.add_edge(i, i + 1, key="related", kind="related")
    net, info = to_network(graph)
    net_again, _ = to_network(graph)
    assert info.layout == "precomputed" and net.options["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in net.nodes)
    assert [(n["x"], n["y"]) for n in net.nodes] == [(n["x"], n["y"]) for n in net_again.nodes]  # seeded
    assert sum(1 for n in net.nodes if n["label"]) == 40


def test_color_by_cluster_needs_clusters() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", kind="article")
    with pytest.raises(GraphnewsError, match="run clustering first"):
        to_network(graph, color_by="cluster")


def test_json_for_script_cannot_close_the_script() -> None:
    text = json_for_script({"t": XSS_TITLE})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"t": XSS_TITLE}


def test_written_page_is_self_contained_and_escaped(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    info = write_html(news_graph(), str(out), title="<b>My</b> graph", inputs=["<in>"])
    page = out.read_text(encoding="utf-8")
    assert isinstance(info, PageInfo) and (info.nodes, info.edges) == (8, 10)
    assert "<title>&lt;b&gt;My&lt;/b&gt; graph</title>" in page
    assert "input: &lt;in&gt;" in page
    assert "<img src=x" not in page and "<script>alert" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from elsewhere
    assert "bootstrap" not in page.lower()
    assert page.count("</script>") == 3 and "vis.Network" in page
    assert not list(tmp_path.glob("lib")) and sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_cli_html_writes_sample_page(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (full view: 82 nodes, 274 edges, precomputed layout)" in result.output
    assert "Sized by degree" not in result.output  # PageRank is computed when the graph lacks it
    page = out.read_text(encoding="utf-8")
    assert "82 nodes, 274 edges" in page and "Node size: pagerank" in page
    unknown = CliRunner().invoke(cli, ["html", "-o", str(out), "--size-by", "mood"])
    assert "Sized by degree: the graph has no 'mood' attribute" in unknown.output


def test_cli_html_clusters_view_clusters_on_demand(tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    result = CliRunner().invoke(cli, ["html", "-o", str(out), "--view", "clusters"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (clusters view: 16 nodes," in result.output  # the sample's 16 stories


def test_cli_html_max_nodes_and_errors(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["html", "-o", str(out), "--max-nodes", "10", "-q"])
    assert result.exit_code == 0
    assert "Left out 72 of 82 nodes" in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["html", "-o", str(out), "--around", "https://nowhere.example/x"])
    assert result.exit_code == 1 and "Error: no article with URL or id 'https://nowhere.example/x' among 51 articles" in result.output
    assert CliRunner().invoke(cli, ["html", "--max-nodes", "0"]).exit_code == 2
    assert CliRunner().invoke(cli, ["html", "--color-by", "mood"]).exit_code == 2


def test_cli_html_election(election_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.html"
    result = CliRunner().invoke(cli, ["html", str(election_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "(full view: 284 nodes, 12,408 edges, precomputed layout)" in result.output


def test_big_pages_hide_edges_while_zooming_and_draw_them_plain() -> None:
    small, _ = to_network(news_graph())
    assert small.options["interaction"]["hideEdgesOnZoom"] is False
    assert any(e.get("dashes") for e in small.edges) and any(e.get("arrows") == "to" for e in small.edges)
    assert all(e["color"].startswith("rgba(") and e["color"].endswith(",0.6)") for e in small.edges)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((f"p{i}", {"kind": "provider"}) for i in range(10))
    for i in range(1200):
        graph.add_node(f"a{i}", kind="article")
        graph.add_edge(f"a{i}", f"p{i % 10}", key="published_by", kind="published_by")
        graph.add_edge(f"a{i}", f"a{(i * 7) % 1200}", key="related", kind="related")
    big, info = to_network(graph)
    assert big.options["interaction"]["hideEdgesOnZoom"] is True
    assert not any("dashes" in e or "arrows" in e for e in big.edges)
    assert "Large page: edges are drawn plain (no dashes or arrows) and hidden while zooming, to stay fluid" in info.notes
    page = render_page(big, info)
    assert "border-top-style: dashed" not in page and "border-top-style: solid" in page


def test_page_filters_offer_only_what_applies() -> None:
    clusters, _ = to_network(news_graph(), view="clusters", color_by="cluster")
    assert page_filters(clusters.nodes) == {"kind": False, "provider": False, "topic": False, "cluster": False, "date": False}
    full, _ = to_network(news_graph())
    assert page_filters(full.nodes) == {"kind": True, "provider": True, "topic": True, "cluster": True, "date": True}
    providers, _ = to_network(news_graph(), view="providers")
    assert page_filters(providers.nodes)["provider"] is False


def test_vis_network_is_graphnews_own_copy_with_its_version_and_checksums() -> None:
    import hashlib

    from graphnews.export.html import VIS_CSS, VIS_JS, VIS_NETWORK_VERSION

    assert VIS_JS.parent.parts[-2:] == ("data", "vis-network") and "pyvis" not in str(VIS_JS)
    assert f"@version {VIS_NETWORK_VERSION}\n" in VIS_JS.read_text(encoding="utf-8")[:400]
    notes = (VIS_JS.parent / "README.md").read_text(encoding="utf-8")
    for path in (VIS_JS, VIS_CSS):
        assert f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}" in notes
    page = render_page(*to_network(news_graph()))
    assert VIS_JS.read_text(encoding="utf-8")[:2000].replace("</", "<\\/") in page


TRIMMED_PAGE = """
import networkx as nx
from graphnews.export.views import select_view
g = nx.MultiDiGraph()
g.add_nodes_from((f"article:{i:03d}" for i in range(300)), kind="article")
for i in range(299):
    g.add_edge(f"article:{i:03d}", f"article:{(i * 7 + 1) % 300:03d}", key="related", kind="related", weight=1.0)
view, info = select_view(g, max_nodes=100)
print(info.left_out, list(view), list(view.edges))
"""


def test_trimmed_page_is_the_same_under_any_hash_seed() -> None:
    """A page cut to max_nodes lists its nodes and edges in the graph's order, not a set's (which varies by run)."""
    runs = [subprocess.run([sys.executable, "-c", TRIMMED_PAGE], env={**os.environ, "PYTHONHASHSEED": seed},
                           capture_output=True, text=True, check=True).stdout for seed in ("1", "2", "3")]
    assert runs[0].startswith("200 ['article:")
    assert runs[0] == runs[1] == runs[2]


def test_page_of_part_of_the_graph_colours_the_stories_it_shows() -> None:
    """The whole graph's biggest story is left out of a small page: the page colours the two
    stories it shows two articles of, not a story of one article, and says so."""
    graph = nx.MultiDiGraph()
    stories = {"big": (0, 5, 0.01), "shown": (1, 2, 0.5), "pair": (2, 2, 0.4), "alone": (3, 1, 0.9)}
    for name, (cluster, size, rank) in stories.items():
        for i in range(size):
            graph.add_node(f"article:{name}/{i}", kind="article", title=f"{name} {i}", cluster=cluster, pagerank=rank)
    net, info = to_network(graph, color_by="cluster", max_nodes=5)
    colours = {node["gid"]: node["color"] for node in net.nodes}
    assert sorted(colours) == ["article:alone/0", "article:pair/0", "article:pair/1", "article:shown/0", "article:shown/1"]
    assert colours["article:shown/0"] == colours["article:shown/1"] != colours["article:pair/0"] == colours["article:pair/1"]
    assert colours["article:alone/0"] == OTHER_COLOR
    assert [label for label, _colour in net.graphnews["legend"]] == ["cluster 1", "cluster 2", "other or no cluster"]
    assert "Colours: the largest stories among the nodes shown (graph.gexf colours the whole graph's)" in info.notes
    _net, info = to_network(graph, color_by="cluster", max_nodes=1)  # one article shown: no story to colour
    assert info.notes[-1] == "No story has two of its articles among the nodes shown: see the stories view (clusters.html, --view clusters)"
    whole = graph_style(graph, color_by="cluster").colors  # the GEXF's: the biggest story of all
    assert whole["article:big/0"] != OTHER_COLOR and whole["article:alone/0"] == OTHER_COLOR


def test_layout_scales_the_main_component_not_the_islands_flung_out() -> None:
    """1,500 linked articles and as many isolated ones: nine in ten of the linked ones lie within
    60 * sqrt(1,500) px of their centre (scaled by the whole span they were squeezed into 130 px)."""
    graph = nx.relabel_nodes(nx.gnm_random_graph(1500, 6000, seed=1), lambda i: f"article:core/{i}")
    graph.add_nodes_from(f"article:stray/{i}" for i in range(1500))
    positions = compute_layout(graph, sorted(graph, key=str))
    core = [positions[node] for node in graph if node.startswith("article:core/")]
    cx, cy = statistics.median(x for x, _ in core), statistics.median(y for _, y in core)
    distances = sorted(math.hypot(x - cx, y - cy) for x, y in core)
    assert distances[int(0.9 * (len(distances) - 1))] == pytest.approx(60 * math.sqrt(1500), rel=0.01)
    assert len(set(positions.values())) == 3000
