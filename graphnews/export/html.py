"""Interactive HTML pages of the graph: offline, safe with untrusted text, usable at scale.

Three steps, each usable on its own:

* :func:`select_view` picks what to draw: the ``full`` graph cut to its ``max_nodes`` most
  central nodes, the neighbourhood ``around`` one article, one node per story ``clusters``,
  or the ``providers`` co-coverage graph. It returns a new graph and a :class:`PageInfo`
  saying what was left out.
* :func:`to_network` turns that view into a :class:`Network`: vis-network's node and edge
  dicts and options (short numeric ids, colours, sizes, positions computed in Python for
  big views), so a notebook user can tweak it.
* :func:`write_html` renders the network with graphnews's own template
  (``graphnews/templates/graph.html``): vis-network's script and stylesheet inlined from the
  pyvis package, node data shipped as escaped JSON, tooltips built in the browser from DOM
  text nodes. The page makes no network request and never runs text from the data.

Of pyvis only the vis-network files are used (its package is not even imported: that
imports IPython): its constructor prints and its ``local`` mode copies files into the
working directory, ``Network.from_nx`` is quadratic and mutates its input, and its template
loads Bootstrap from a CDN and writes tooltips with ``innerHTML``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
import weakref
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from ..analysis.projections import provider_graph
from ..atomic import write_text
from ..build import ARTICLE, EDGE_KINDS, PROVIDER, RELATED, TOPIC
from ..errors import GraphnewsError
from ..lookup import find_node
from ..reprs import html_facts
from ..urls import is_http_url
from .page_options import COLOR_BY, DEFAULT_MAX_NODES, VIEWS

CLUSTER = "cluster"
CO_COVERAGE, CLUSTER_LINK = "co_coverage", "cluster_link"

#: Views larger than this (nodes, or edges) get their layout from Python with physics off:
#: vis-network's physics settled a 500-node page in 3-8 s, a 2,000-node one not in 150 s.
PHYSICS_MAX_NODES = 300
PHYSICS_MAX_EDGES = 3000
#: Layout iterations when positions are computed in Python.
LAYOUT_ITERATIONS = 300
#: From this many nodes igraph's grid variant of Fruchterman-Reingold (22 s at 5,000 nodes
#: without it, 0.4 s with it).
GRID_LAYOUT_NODES = 1000
EXCERPT_CHARS = 280
LABEL_CHARS = 40
MIN_SIZE, MAX_SIZE = 8.0, 40.0
#: In big (precomputed) views only this many articles, the most central, carry a visible label;
#: the rest show their title on hover (hundreds of overlapping labels are unreadable).
LABELLED_ARTICLES = 40
#: Pages with more nodes or edges than these are drawn for speed: edges hidden while zooming, and
#: drawn plain (no dashes, no arrows). One redraw of a 10,000-node, 38,000-edge page in headless
#: Chromium (tests/bench/bench_zoom.py): 2.26 s as before, 1.43 s without dashes, 0.72 s with
#: edge colours as rgba instead of vis-network's per-edge opacity, 0.29 s without arrows.
PLAIN_MAX_NODES = 1000
PLAIN_MAX_EDGES = 5000
#: Edge opacity, baked into each edge's rgba colour (vis-network's ``opacity`` option recomputes it every frame).
EDGE_OPACITY = 0.6

KIND_COLORS = {ARTICLE: "#4e79a7", PROVIDER: "#f28e2b", TOPIC: "#59a14f", CLUSTER: "#b07aa1"}
#: Colours for clusters and providers (Tableau 10 without the grey); the rest share OTHER_COLOR.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
OTHER_COLOR = "#bab0ac"
#: Edge style per kind: colour, dash pattern (vis-network ``dashes``), CSS border style for the legend.
EDGE_STYLES: dict[str, tuple[str, list[int] | bool, str]] = {
    RELATED: ("#8c9bab", False, "solid"),
    "published_by": ("#f28e2b", [6, 4], "dashed"),
    "tagged": ("#59a14f", [2, 4], "dotted"),
    "similar": ("#b07aa1", False, "solid"),
    "syndicated": ("#e15759", False, "solid"),
    "cites": ("#9c755f", [8, 3, 2, 3], "dashed"),
    CO_COVERAGE: ("#8c9bab", False, "solid"),
    CLUSTER_LINK: ("#8c9bab", False, "solid"),
}
DIRECTED_KINDS = frozenset({RELATED, "cites"})
#: Found without importing pyvis: its package imports IPython (0.5 s of start-up), and only this file is used.
VIS_JS = Path(importlib.util.find_spec("pyvis").origin).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"  # type: ignore[union-attr, arg-type]
VIS_CSS = VIS_JS.with_name("vis-network.css")


@dataclass
class Network:
    """What a page draws: vis-network's node and edge dicts and options (all graphnews took from pyvis's ``Network``)."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class PageInfo:
    """What a page shows: the header and the CLI summary are made from it."""

    title: str
    view: str
    nodes: int
    edges: int
    total_nodes: int
    left_out: int
    notes: list[str] = field(default_factory=list)
    layout: str = "physics"
    #: ids of the graph nodes on the page, so other pages can link to them (left out of the repr: thousands)
    shown: frozenset[str] = field(default=frozenset(), repr=False)

    def _repr_html_(self) -> str:
        """A summary of what the page shows (Jupyter)."""
        return html_facts(self.title, {"view": self.view, "nodes": self.nodes, "edges": self.edges,
                                       "left out": self.left_out, "layout": self.layout, "notes": self.notes})


@dataclass
class GraphStyle:
    """How the full graph is drawn: positions, sizes and colours of every node, and the legend.

    The full-view page (``graph.html``) and the GEXF file (``viz:position``, ``viz:size``,
    ``viz:color``) both take them from here, so Gephi and sigma.js show what the page shows.
    """

    positions: dict[Any, tuple[float, float]]
    sizes: dict[Any, float]
    colors: dict[Any, str]
    legend: list[tuple[str, str]]
    color_by: str
    size_by: str

    def viz(self) -> dict[Any, tuple[float, float, float, str]]:
        """node -> (x, y, size, colour), what :func:`graphnews.export.xmlgraph.write_gexf` takes."""
        return {node: (*self.positions[node], round(self.sizes[node], 1), self.colors[node]) for node in self.positions}


#: Most nodes the whole-graph layout places by force (the most central: every page's nodes are
#: among them at the default cap); the rest sit next to a placed neighbour. igraph's grid
#: Fruchterman-Reingold from graphnews's start took 9.8 s at 18,000 nodes and 68,000 edges on
#: the loaded 2-core machine, ~0.4 s at 5,000.
LAYOUT_MAX_NODES = 5000
#: Without igraph (networkx's spring layout is far slower) the force-placed core is smaller.
LAYOUT_MAX_NODES_NX = 2000
_layouts: "weakref.WeakKeyDictionary[nx.Graph, tuple[tuple[int, int, str], dict[Any, tuple[float, float]]]]" = \
    weakref.WeakKeyDictionary()


def graph_style(graph: nx.Graph, *, color_by: str | None = None, size_by: str = "pagerank") -> GraphStyle:
    """Positions, sizes and colours of every node of ``graph`` as the full-view page draws them.

    ``color_by`` defaults to ``cluster`` when the graph has story clusters, else ``kind``;
    sizes follow ``size_by`` (degree when no node has it). The layout is computed once per
    graph (kept while the graph's node and edge counts stay the same): ``explore`` writes
    the GEXF and the page from one layout.
    """
    if color_by is None:
        color_by = CLUSTER if _has_attribute(graph, CLUSTER) else "kind"
    provider_labels = {node: data.get("label", node) for node, data in graph.nodes(data=True) if data.get("kind") == PROVIDER}
    colors, legend = _colors(graph, color_by, provider_labels)
    size_basis = size_by if _has_attribute(graph, size_by) else "degree"
    return GraphStyle(whole_layout(graph, size_by), _scaled(node_scores(graph, size_by)), colors, legend, color_by, size_basis)


def whole_layout(graph: nx.Graph, size_by: str = "pagerank") -> dict[Any, tuple[float, float]]:
    """Positions of every node of ``graph`` (memoised per graph; see :func:`graph_style`).

    Up to :data:`LAYOUT_MAX_NODES` nodes, the most central by ``size_by``, are laid out by
    :func:`compute_layout`; each other node is put beside a placed neighbour (or, with none,
    on a ring around the drawing), so a huge graph costs one bounded layout plus a pass.
    """
    signature = (graph.number_of_nodes(), graph.number_of_edges(), size_by)
    memo = _layouts.get(graph)
    if memo is not None and memo[0] == signature:
        return memo[1]
    cap = LAYOUT_MAX_NODES if importlib.util.find_spec("igraph") is not None else LAYOUT_MAX_NODES_NX
    if graph.number_of_nodes() <= cap:
        positions = compute_layout(graph, sorted(graph, key=str))
    else:
        core = rank_nodes(graph, size_by)[:cap]
        positions = compute_layout(graph.subgraph(core), sorted(core, key=str))
        positions = _place_rest(graph, positions)
    _layouts[graph] = (signature, positions)
    return positions


def _place_rest(graph: nx.Graph, positions: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """``positions`` plus every other node: beside its first placed neighbour, else on an outer ring."""
    placed = dict(positions)
    rng = random.Random(0)
    radius = max((math.hypot(x, y) for x, y in positions.values()), default=100.0) * 1.1
    rest = sorted((node for node in graph if node not in placed), key=str)
    for node in rest:
        neighbours = list(graph.successors(node)) + list(graph.predecessors(node)) if graph.is_directed() else list(graph[node])
        anchor = next((placed[n] for n in neighbours if n in placed), None)
        if anchor is None:
            angle = rng.uniform(0, 2 * math.pi)
            placed[node] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
        else:
            placed[node] = (round(anchor[0] + rng.uniform(-30, 30), 1), round(anchor[1] + rng.uniform(-30, 30), 1))
    return placed


def select_view(
    graph: nx.Graph,
    *,
    view: str = "full",
    max_nodes: int = DEFAULT_MAX_NODES,
    around: str | None = None,
    depth: int = 1,
    size_by: str = "pagerank",
) -> tuple[nx.Graph, PageInfo]:
    """Choose the part of ``graph`` a page draws; ``graph`` itself is never changed.

    Parameters
    ----------
    graph : the article graph (schema in :mod:`graphnews.build`).
    view : ``full`` (the graph), ``clusters`` (one node per story cluster, from the article
        attribute ``cluster``) or ``providers`` (provider co-coverage).
    max_nodes : keep at most this many nodes, the most central by ``size_by`` (degree when
        no node has that attribute), ties broken by id.
    around : an article id or any of its URLs: keep only its neighbourhood up to ``depth``
        hops (edges followed both ways). Only with ``view="full"``.
    size_by : node attribute that ranks (and later sizes) nodes.

    Returns
    -------
    (view graph, PageInfo) : a new graph; ``PageInfo.notes`` says what was left out.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edges_from([("a", "b"), ("a", "c"), ("a", "d")])
    [0, 0, 0]
    >>> nx.set_node_attributes(g, "article", "kind")
    >>> view, info = select_view(g, max_nodes=2)
    >>> sorted(view), info.left_out, info.notes
    (['a', 'b'], 2, ['Left out 2 of 4 nodes (the least central by degree): 2 article'])
    """
    if view not in VIEWS:
        raise GraphnewsError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if max_nodes < 1:
        raise GraphnewsError("max_nodes must be at least 1")
    notes: list[str] = []
    if around is not None:
        if view != "full":
            raise GraphnewsError("--around works with the full view only")
        center = find_node(graph, around)
        selected = graph.subgraph(_neighbourhood(graph, center, depth)).copy()
        notes.append(f"Neighbourhood of {graph.nodes[center].get('label', center)} ({depth} hop{'s' if depth != 1 else ''})")
        keep_first = [center]
    elif view == "clusters":
        selected, keep_first = cluster_graph(graph, size_by=size_by), []
    elif view == "providers":
        selected, keep_first = _provider_view(graph), []
    else:
        selected, keep_first = graph, []  # copied below, once trimmed: copying 1.5M edges first costs seconds
    total = selected.number_of_nodes()
    basis = size_by if _has_attribute(selected, size_by) else "degree"
    if total > max_nodes:
        ranked = rank_nodes(selected, size_by)
        kept = set(keep_first) | set(ranked[: max_nodes - len(set(keep_first) - set(ranked[:max_nodes]))])
        dropped = Counter(kind for node, kind in selected.nodes(data="kind", default="node") if node not in kept)
        notes.append(f"Left out {total - len(kept):,} of {total:,} nodes (the least central by {basis}): "
                     + ", ".join(f"{count:,} {kind}" for kind, count in sorted(dropped.items())))
        selected = selected.subgraph(kept).copy()
    if selected is graph:
        selected = graph.copy()
    info = PageInfo(shown=frozenset(str(node) for node in selected),
        title=_default_title(graph, view, around), view=view, nodes=selected.number_of_nodes(),
        edges=selected.number_of_edges(), total_nodes=total, left_out=total - selected.number_of_nodes(), notes=notes,
    )
    return selected, info


def rank_nodes(graph: nx.Graph, size_by: str) -> list[str]:
    """Node ids, most central first, each kind ranked on its own scale; articles take 3 places in 4.

    Scores are attribute ``size_by`` when any node has it, else degree. Article, provider and
    topic PageRank come from three different graphs, so nodes are ranked within their kind;
    the order then takes three articles for every other node while both last, so any cap
    keeps mostly articles and still the leading providers and topics.

    >>> g = nx.Graph([("a", "p"), ("b", "p"), ("c", "p"), ("d", "t")])
    >>> nx.set_node_attributes(g, {"a": "article", "b": "article", "c": "article", "d": "article",
    ...                            "p": "provider", "t": "topic"}, "kind")
    >>> rank_nodes(g, "pagerank")
    ['a', 'b', 'c', 'p', 'd', 't']
    """
    score = node_scores(graph, size_by)
    by_kind: dict[str, list[Any]] = {}
    for node, kind in graph.nodes(data="kind", default="node"):
        by_kind.setdefault(str(kind), []).append(node)
    for members in by_kind.values():
        members.sort(key=lambda node: (-score[node], str(node)))
    articles = by_kind.pop(ARTICLE, [])
    share = {node: (position / len(members), str(node))
             for members in by_kind.values() for position, node in enumerate(members)}
    others = sorted(share, key=share.__getitem__)  # the kinds interleaved by their own rank
    ranked: list[Any] = []
    for start in range(0, max(len(articles), 3 * len(others)), 3):
        ranked.extend(articles[start:start + 3])
        ranked.extend(others[start // 3:start // 3 + 1])
    return ranked


def node_scores(graph: nx.Graph, size_by: str) -> dict[Any, float]:
    """Score of every node: attribute ``size_by`` (0 where missing) when any node has it, else degree."""
    if _has_attribute(graph, size_by):
        return {node: _number(value) for node, value in graph.nodes(data=size_by, default=0.0)}
    return {node: float(degree) for node, degree in graph.degree(weight="weight")}


def cluster_graph(graph: nx.Graph, *, size_by: str = "pagerank") -> nx.Graph:
    """One node per story cluster (article attribute ``cluster``), edges = links between clusters.

    Nodes are ``cluster:<n>`` with ``kind="cluster"``, ``articles`` (count), ``label`` and
    ``link`` of the lead article (highest ``size_by``, else degree), ``providers`` and
    ``topics`` (most frequent first). Edge ``weight`` counts article-to-article edges that
    cross the two clusters.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"cluster": 0, "title": "A"}), ("b", {"cluster": 0}), ("c", {"cluster": 1})], kind="article")
    >>> _ = g.add_edge("a", "b"); _ = g.add_edge("b", "c"); _ = g.add_edge("a", "c")
    >>> c = cluster_graph(g)
    >>> sorted(c.nodes(data="articles")), list(c.edges(data="weight"))
    ([('cluster:0', 2), ('cluster:1', 1)], [('cluster:0', 'cluster:1', 2)])
    """
    members: dict[int, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") == ARTICLE and isinstance(data.get(CLUSTER), int):
            members.setdefault(data[CLUSTER], []).append(node)
    if not members:
        raise GraphnewsError("the graph has no story clusters (article attribute 'cluster'): run clustering first")
    score = node_scores(graph, size_by)
    clusters = nx.Graph()
    provider_labels = {node: graph.nodes[node].get("label", node) for node in graph if graph.nodes[node].get("kind") == PROVIDER}
    for number in sorted(members):
        articles = sorted(members[number])
        lead = min(articles, key=lambda node: (-score[node], node))
        lead_data = graph.nodes[lead]
        providers = Counter(provider_labels.get(graph.nodes[a].get("provider"), graph.nodes[a].get("provider")) for a in articles)
        topics = Counter(topic for a in articles for topic in graph.nodes[a].get("topics", ()))
        attributes = {
            "kind": CLUSTER, CLUSTER: number, "articles": len(articles), "cluster_label": lead_data.get("cluster_label"),
            "label": lead_data.get("cluster_label") or lead_data.get("title") or lead_data.get("label") or lead,
            "providers": [name for name, _ in sorted(providers.items(), key=lambda item: (-item[1], str(item[0]))) if name],
            "topics": [name for name, _ in sorted(topics.items(), key=lambda item: (-item[1], item[0]))],
            "published": lead_data.get("published"), "link": lead_data.get("link"),
        }
        clusters.add_node(f"cluster:{number}", **{k: v for k, v in attributes.items() if v is not None})
    for source, target in graph.edges():
        a, b = graph.nodes[source].get(CLUSTER), graph.nodes[target].get(CLUSTER)
        if isinstance(a, int) and isinstance(b, int) and a != b and a in members and b in members:
            u, v = f"cluster:{a}", f"cluster:{b}"
            if clusters.has_edge(u, v):
                clusters[u][v]["weight"] += 1
            else:
                clusters.add_edge(u, v, weight=1, kind=CLUSTER_LINK)
    return clusters


def to_network(
    graph: nx.Graph,
    *,
    color_by: str = "kind",
    size_by: str = "pagerank",
    view: str = "full",
    max_nodes: int = DEFAULT_MAX_NODES,
    around: str | None = None,
    depth: int = 1,
    title: str | None = None,
) -> tuple[Network, PageInfo]:
    """The :class:`Network` (vis-network's nodes, edges, options) of a view of ``graph`` (see :func:`select_view`).

    Node ids in the network are 0, 1, ... in sorted graph-id order; each node dict carries
    ``gid`` (the graph id), ``kind`` and the tooltip fields (``t`` title, ``p`` provider,
    ``d`` date, ``e`` excerpt, ``tp`` topics, ``c`` cluster, ``u`` http(s) link, ``n``
    article count). The full view (no ``around``) takes ``x``/``y``, sizes and colours from
    :func:`graph_style` (the whole graph's, as the GEXF has them); other views over
    :data:`PHYSICS_MAX_NODES` get a layout computed here; both turn physics off.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("article:a", kind="article", title="A", link="javascript:alert(1)")
    >>> net, info = to_network(g)
    >>> net.nodes[0]["t"], "u" in net.nodes[0], info.layout
    ('A', False, 'precomputed')
    """
    if color_by not in COLOR_BY:
        raise GraphnewsError(f"unknown colouring {color_by!r}; choose one of {', '.join(COLOR_BY)}")
    if view == "clusters":
        size_by = "articles"  # a story cluster is as big as the articles it holds
    selected, info = select_view(graph, view=view, max_nodes=max_nodes, around=around, depth=depth, size_by=size_by)
    if title:
        info.title = title
    if color_by == CLUSTER and view != "clusters" and not _has_attribute(graph, CLUSTER):  # a small view may hold no article
        raise GraphnewsError("the graph has no story clusters (article attribute 'cluster'): run clustering first")
    size_basis = size_by if _has_attribute(selected, size_by) else "degree"
    if size_basis != size_by:
        info.notes.append(f"Sized by degree: the graph has no {size_by!r} attribute (run centrality first)")
    provider_labels = {node: data.get("label", node) for node, data in graph.nodes(data=True) if data.get("kind") == PROVIDER}
    order = sorted(selected, key=str)
    number = {node: index for index, node in enumerate(order)}
    big = selected.number_of_nodes() > PHYSICS_MAX_NODES or selected.number_of_edges() > PHYSICS_MAX_EDGES
    positions: dict[Any, tuple[float, float]] | None = None
    if view == "full" and around is None:  # drawn as the GEXF is: the whole graph's layout, sizes, colours
        style = graph_style(graph, color_by=color_by, size_by=size_by)
        colors, sizes, positions = style.colors, style.sizes, style.positions
        used = {colors[node] for node in selected}
        legend = [row for row in style.legend if row[1] in used]
    else:
        colors, legend = _colors(selected, color_by, provider_labels)
        sizes = _scaled(node_scores(selected, size_by))
        if big:
            positions = compute_layout(selected, order)
    unlabelled: set[Any] = set()
    if positions is not None:
        info.layout = "precomputed"
    if big:
        articles = [node for node in rank_nodes(selected, size_by) if selected.nodes[node].get("kind") == ARTICLE]
        unlabelled = set(articles[LABELLED_ARTICLES:])
    net = Network()
    for node in order:
        entry = _node_entry(node, selected.nodes[node], provider_labels)
        entry.update(id=number[node], color=colors[node], size=round(sizes[node], 1))
        if node in unlabelled:
            entry["label"] = ""
        if positions is not None:
            entry["x"], entry["y"] = positions[node]
        net.nodes.append(entry)
    plain = selected.number_of_nodes() > PLAIN_MAX_NODES or selected.number_of_edges() > PLAIN_MAX_EDGES
    if plain:
        info.notes.append("Large page: edges are drawn plain (no dashes or arrows) and hidden while zooming, to stay fluid")
    rgba = {color: _rgba(color, EDGE_OPACITY) for color, _dashes, _css in EDGE_STYLES.values()}
    for source, target, kind in _edges(selected):
        weight = _number(kind[1])
        style = EDGE_STYLES.get(kind[0], EDGE_STYLES[RELATED])
        edge: dict[str, Any] = {"from": number[source], "to": number[target], "kind": kind[0], "color": rgba[style[0]]}
        if style[1] and not plain:
            edge["dashes"] = style[1]
        if kind[0] in DIRECTED_KINDS and not plain:
            edge["arrows"] = "to"
        if weight > 1:
            edge["width"] = round(1 + math.log2(weight), 2)
        net.edges.append(edge)
    net.options = _options(physics=positions is None, many=plain)
    main = main_component(selected)
    if len(main) < len(order):  # isolated nodes and small islands would shrink the first view to a dot
        net.graphnews_fit = sorted(number[node] for node in main)  # type: ignore[attr-defined]  # read by render_page
    net.graphnews = {"legend": legend, "size_by": size_basis, "plain": plain}  # type: ignore[attr-defined]  # read by render_page
    return net, info


def write_html(graph: nx.Graph, path: str, *, title: str | None = None, inputs: tuple[str, ...] | list[str] = (),
               built_at: datetime | None = None, **options: Any) -> PageInfo:
    """Write a self-contained interactive page of ``graph`` to ``path`` (atomically).

    ``options`` are those of :func:`to_network`. ``inputs`` (file or folder names) and
    ``built_at`` (default: now, UTC) go in the page header.
    """
    net, info = to_network(graph, title=title, **options)
    write_text(path, render_page(net, info, inputs=inputs, built_at=built_at))
    return info


def render_page(net: Network, info: PageInfo, *, inputs: tuple[str, ...] | list[str] = (),
                built_at: datetime | None = None) -> str:
    """The HTML of the page: graphnews's template with vis-network inlined and the data as safe JSON."""
    built = (built_at or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    kinds_present = sorted({edge["kind"] for edge in net.edges}, key=lambda k: (_kind_order(k), k))
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "layout": info.layout,
            "fit": getattr(net, "graphnews_fit", None)}
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = environment.from_string((resources.files("graphnews") / "templates" / "graph.html").read_text(encoding="utf-8"))
    return template.render(
        info=info, inputs=list(inputs), built=built,
        legend=getattr(net, "graphnews", {}).get("legend", []),
        size_by=getattr(net, "graphnews", {}).get("size_by", "degree"),
        edge_legend=[(kind, _legend_style(EDGE_STYLES.get(kind, EDGE_STYLES[RELATED]), getattr(net, "graphnews", {}).get("plain", False)))
                     for kind in kinds_present],
        vis_js=jinja2.filters.Markup(_script_safe(VIS_JS.read_text(encoding="utf-8"))),
        vis_css=jinja2.filters.Markup(VIS_CSS.read_text(encoding="utf-8").replace("</", "<\\/")),
        data_json=jinja2.filters.Markup(json_for_script(data)),
        filters=page_filters(net.nodes),
    )


def page_filters(nodes: list[dict[str, Any]]) -> dict[str, bool]:
    """Which filters a page offers: only those with something to filter (a clusters page has no articles).

    >>> page_filters([{"kind": "cluster", "p": "A"}])
    {'kind': False, 'provider': False, 'topic': False, 'cluster': False, 'date': False}
    """
    articles = [node for node in nodes if node.get("kind") == ARTICLE]
    return {
        "kind": len({node.get("kind") for node in nodes}) > 1,
        "provider": len({node["p"] for node in articles if "p" in node}) > 1,
        "topic": any(node.get("tp") for node in articles),
        "cluster": len({node["c"] for node in articles if "c" in node}) > 1,
        "date": any("d" in node for node in articles),
    }


def json_for_script(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped.

    >>> json_for_script({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def compute_layout(graph: nx.Graph, order: list[Any]) -> dict[Any, tuple[float, float]]:
    """Positions for a big view: igraph's Fruchterman-Reingold when installed, else networkx's.

    Deterministic (seeded with 0, fixed iteration count); scaled so the average node has
    about 60 px around it in vis-network coordinates.
    """
    if not order:
        return {}
    index = {node: i for i, node in enumerate(order)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v})
    try:
        import igraph
    except ImportError:  # igraph is optional
        simple = nx.Graph()
        simple.add_nodes_from(range(len(order)))
        simple.add_edges_from(pairs)
        placed = nx.spring_layout(simple, seed=0, iterations=50)
        coords = [tuple(placed[i]) for i in range(len(order))]
    else:
        start = random.Random(0)
        spread = math.sqrt(len(order))  # igraph's own start scale; a tiny one puts every node in one grid cell
        seed = [[start.uniform(-spread, spread), start.uniform(-spread, spread)] for _ in order]
        previous = random.getstate()
        igraph.set_random_number_generator(random.Random(0))
        try:
            coords = igraph.Graph(n=len(order), edges=pairs).layout_fruchterman_reingold(
                seed=seed, niter=LAYOUT_ITERATIONS, grid="grid" if len(order) >= GRID_LAYOUT_NODES else "nogrid").coords
        finally:
            igraph.set_random_number_generator(random)
            random.setstate(previous)
    return _scaled_positions(order, coords)


def _scaled_positions(order: list[Any], coords: list[Any]) -> dict[Any, tuple[float, float]]:
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    extent = 60.0 * math.sqrt(len(order)) * 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {node: (round((x - cx) / span * extent, 1), round((y - cy) / span * extent, 1)) for node, (x, y) in zip(order, coords)}


def _neighbourhood(graph: nx.Graph, center: Any, depth: int) -> set[Any]:
    """Nodes within ``depth`` hops of ``center``, following edges both ways."""
    seen, frontier = {center}, {center}
    for _ in range(max(depth, 0)):
        reached = set()
        for node in frontier:
            reached.update(graph.successors(node) if graph.is_directed() else graph.neighbors(node))
            if graph.is_directed():
                reached.update(graph.predecessors(node))
        frontier = reached - seen
        seen |= frontier
    return seen


def _provider_view(graph: nx.Graph) -> nx.Graph:
    """Provider co-coverage graph with the providers' own attributes copied in."""
    projected = provider_graph(graph)
    for node in projected:
        for key, value in graph.nodes[node].items():
            projected.nodes[node].setdefault(key, value)
    for _u, _v, data in projected.edges(data=True):
        data["kind"] = CO_COVERAGE
    return projected


def _edges(graph: nx.Graph) -> list[tuple[Any, Any, tuple[str, Any]]]:
    """(source, target, (kind, weight)) for every edge, sorted for stable output."""
    if graph.is_multigraph():
        rows = [(u, v, (str(data.get("kind", key)), data.get("weight", 1))) for u, v, key, data in graph.edges(keys=True, data=True)]
    else:
        rows = [(u, v, (str(data.get("kind", RELATED)), data.get("weight", 1))) for u, v, data in graph.edges(data=True)]
    return sorted(rows, key=lambda row: (str(row[0]), str(row[1]), row[2][0]))


def _node_entry(node: Any, data: dict[str, Any], provider_labels: dict[str, str]) -> dict[str, Any]:
    """The fields a page needs of one node (tooltip, filters, label); only http(s) links kept."""
    kind = str(data.get("kind", "node"))
    title = str(data.get("title") or data.get("label") or node)
    entry: dict[str, Any] = {"gid": str(node), "kind": kind, "label": _shorten(title, LABEL_CHARS), "t": title}
    provider = data.get("provider")
    if kind == ARTICLE and provider:
        entry["p"] = str(provider_labels.get(provider, provider))
    elif kind == PROVIDER:
        entry["p"] = title
    elif kind == CLUSTER and data.get("providers"):
        entry["p"] = ", ".join(map(str, data["providers"][:3]))
    if data.get("published"):
        entry["d"] = str(data["published"])[:10]
    if data.get("excerpt"):
        entry["e"] = _shorten(str(data["excerpt"]), EXCERPT_CHARS)
    if data.get("topics"):
        entry["tp"] = [str(topic) for topic in data["topics"]]
    if isinstance(data.get(CLUSTER), int):
        entry["c"] = data[CLUSTER]
    if kind == ARTICLE and data.get("cluster_label"):
        entry["s"] = _shorten(str(data["cluster_label"]), EXCERPT_CHARS)
    if data.get("story_why"):
        entry["w"] = str(data["story_why"])
    if "articles" in data:
        entry["n"] = data["articles"]
    link = data.get("link") or (f"https://{data['domain']}" if kind == PROVIDER and data.get("domain") else None)
    if is_http_url(link):
        entry["u"] = link
    return entry


def _colors(graph: nx.Graph, color_by: str, provider_labels: dict[str, str]) -> tuple[dict[Any, str], list[tuple[str, str]]]:
    """Colour of every node, and the legend as (label, colour) rows."""
    kinds = {node: str(kind) for node, kind in graph.nodes(data="kind", default="node")}
    if color_by == "kind":
        present = sorted(set(kinds.values()), key=lambda k: (list(KIND_COLORS).index(k) if k in KIND_COLORS else 99, k))
        return ({n: KIND_COLORS.get(k, OTHER_COLOR) for n, k in kinds.items()},
                [(k, KIND_COLORS.get(k, OTHER_COLOR)) for k in present])
    if color_by == CLUSTER:
        group = {n: graph.nodes[n][CLUSTER] for n in graph if isinstance(graph.nodes[n].get(CLUSTER), int)}
        keywords = {graph.nodes[n][CLUSTER]: graph.nodes[n].get("cluster_label") for n in group}
        name = {g: f"{g}: {keywords[g]}" if keywords.get(g) else f"cluster {g}" for g in group.values()}
    else:
        group = {}
        for n, kind in kinds.items():
            owner = n if kind == PROVIDER else graph.nodes[n].get("provider")
            if owner:
                group[n] = owner
        name = {g: str(provider_labels.get(g, g)) for g in group.values()}
    counts: Counter[Any] = Counter()
    for node, owner in group.items():  # a story node of the clusters view weighs as its articles
        counts[owner] += int(graph.nodes[node].get("articles", 1)) if kinds[node] == CLUSTER else 1
    top = sorted(counts, key=lambda g: (-counts[g], str(g)))[: len(PALETTE)]
    color_of = {g: PALETTE[i] for i, g in enumerate(top)}
    colors = {n: color_of.get(group.get(n), OTHER_COLOR) if n in group else OTHER_COLOR for n in graph}
    legend = [(name[g], color_of[g]) for g in top]
    if any(c == OTHER_COLOR for c in colors.values()):
        legend.append((f"other or no {color_by}", OTHER_COLOR))
    return colors, legend


def main_component(graph: nx.Graph) -> set[Any]:
    """Nodes of the largest (weakly) connected component; ties go to the one with the smallest node id.

    >>> sorted(main_component(nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])))
    ['a', 'b', 'c']
    """
    if graph.number_of_nodes() == 0:
        return set()
    parts = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    return min(parts, key=lambda part: (-len(part), min(map(str, part))))


def _options(*, physics: bool, many: bool = False) -> dict[str, Any]:
    """vis-network options: physics with bounded stabilisation for small views, fixed positions for big ones.

    ``many`` (a big page) also hides edges while zooming, as they are while dragging: redrawing
    every edge on each wheel step is what makes a 10,000-node page stall.
    """
    options: dict[str, Any] = {
        "nodes": {"shape": "dot", "font": {"size": 12, "strokeWidth": 3}, "borderWidth": 1},
        "edges": {"smooth": False, "width": 1, "arrows": {"to": {"scaleFactor": 0.4}}},
        "interaction": {"hover": True, "tooltipDelay": 100000, "hideEdgesOnDrag": True, "hideEdgesOnZoom": many,
                        "navigationButtons": False},
        "layout": {"improvedLayout": False, "randomSeed": 0},
    }
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _rgba(color: str, alpha: float) -> str:
    """``#rrggbb`` with an alpha, as CSS ``rgba()``.

    >>> _rgba("#8c9bab", 0.6)
    'rgba(140,155,171,0.6)'
    """
    return f"rgba({int(color[1:3], 16)},{int(color[3:5], 16)},{int(color[5:7], 16)},{alpha})"


def _legend_style(style: tuple[str, list[int] | bool, str], plain: bool) -> tuple[str, list[int] | bool, str]:
    """An edge style as the legend shows it: solid when the page draws edges plain."""
    return (style[0], False, "solid") if plain else style


def _has_attribute(graph: nx.Graph, name: str) -> bool:
    return any(name in data for _node, data in graph.nodes(data=True))


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _scaled(scores: dict[Any, float]) -> dict[Any, float]:
    """Map scores to node sizes between MIN_SIZE and MAX_SIZE (square root: area follows score)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high <= low:
        return {node: (MIN_SIZE + MAX_SIZE) / 3 for node in scores}
    return {node: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((s - low) / (high - low)) for node, s in scores.items()}


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _script_safe(source: str) -> str:
    """A script body that cannot close its ``<script>`` element early."""
    return source.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _kind_order(kind: str) -> int:
    return EDGE_KINDS.index(kind) if kind in EDGE_KINDS else len(EDGE_KINDS)


def _default_title(graph: nx.Graph, view: str, around: str | None) -> str:
    inputs = graph.graph.get("inputs") or []
    source = ", ".join(Path(str(p)).name or str(p) for p in inputs[:3]) or "graph"
    what = {"full": "news graph", "clusters": "story clusters", "providers": "provider co-coverage"}[view]
    return f"graphnews: {what} of {source}" + (f" around {around}" if around else "")
