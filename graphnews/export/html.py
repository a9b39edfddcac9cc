"""Interactive HTML pages of the graph: offline, safe with untrusted text, usable at scale.

Four modules, one concern each, every step usable on its own:

* :mod:`.views` (:func:`select_view`) picks what to draw: the ``full`` graph cut to its
  ``max_nodes`` most central nodes, the neighbourhood ``around`` one article, one node per
  story ``clusters``, or the ``providers`` co-coverage graph, with a :class:`PageInfo`
  saying what was left out;
* :mod:`.layout` places the nodes, :mod:`.style` colours and sizes them (:func:`graph_style`,
  shared with the GEXF);
* this module turns a view into a :class:`Network`, vis-network's node and edge dicts and
  options (:func:`to_network`: short numeric ids, tooltip fields), and :func:`write_html` renders it
  with graphnews's own templates (``graphnews/templates/graph.html`` on ``_base.html``):
  vis-network's script and stylesheet inlined (shipped in ``graphnews/data/vis-network``), node data shipped as escaped JSON, tooltips
  built in the browser from DOM text nodes. The page makes no network request and never
  runs text from the data.

pyvis is not used at run time: its constructor prints and its ``local`` mode copies files
into the working directory, ``Network.from_nx`` is quadratic and mutates its input, its
template loads Bootstrap from a CDN and writes tooltips with ``innerHTML``, and importing it
imports IPython. graphnews keeps its own :class:`Network` and ships vis-network.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from ..atomic import write_text
from ..build import ARTICLE, EDGE_KINDS, PROVIDER, RELATED
from ..errors import GraphnewsError
from ..schema import attribute_for
from ..urls import is_http_url
from .layout import PHYSICS_MAX_EDGES, PHYSICS_MAX_NODES, central_share, compute_layout, main_component
from .page_options import COLOR_BY, DEFAULT_MAX_NODES
from .style import (
    DIRECTED_KINDS,
    EDGE_OPACITY,
    EDGE_STYLES,
    OTHER_COLOR,
    GraphStyle,
    graph_style,
    legend_style,
    node_colors,
    node_sizes,
    rgba,
)
from .templating import render
from .views import (
    CLUSTER,
    CLUSTER_SIZE,
    PageInfo,
    cluster_graph,
    finite_number,
    has_attribute,
    has_measure,
    node_scores,
    rank_nodes,
    select_view,
)

EXCERPT_CHARS = 280
LABEL_CHARS = 40
#: In big (precomputed) views only this many articles, the most central, carry a visible label;
#: the rest show their title on hover (hundreds of overlapping labels are unreadable).
LABELLED_ARTICLES = 40
#: Pages with more nodes or edges than these are drawn for speed: edges hidden while zooming, and
#: drawn plain (no dashes, no arrows). One redraw of a 10,000-node, 38,000-edge page in headless
#: Chromium (tests/bench/bench_zoom.py): 2.26 s as before, 1.43 s without dashes, 0.72 s with
#: edge colours as rgba instead of vis-network's per-edge opacity, 0.29 s without arrows.
PLAIN_MAX_NODES = 1000
#: On a large page the first view fits this share of the main component, the nodes nearest its centre.
FIT_SHARE = 0.95
PLAIN_MAX_EDGES = 5000
#: vis-network ships with graphnews (graphnews/data/vis-network/README.md: version, licence, checksums),
#: not read from pyvis's private lib/ folder, which any pyvis release may move.
VIS_NETWORK_VERSION = "9.1.2"
VIS_JS = Path(str(resources.files("graphnews") / "data" / "vis-network" / "vis-network.min.js"))
VIS_CSS = VIS_JS.with_name("vis-network.css")



@dataclass
class Network:
    """What a page draws: vis-network's node and edge dicts and options (all graphnews took from pyvis's ``Network``).

    pyvis itself is not imported (it imports IPython: 0.5 s of start-up), nor its private ``lib/`` folder read.
    """

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

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
    style: GraphStyle | None = None,
) -> tuple[Network, PageInfo]:
    """The :class:`Network` (vis-network's nodes, edges, options) of a view of ``graph`` (see :func:`select_view`).

    Node ids in the network are 0, 1, ... in sorted graph-id order; each node dict carries
    ``gid`` (the graph id), ``kind`` and the tooltip fields (``t`` title, ``p`` provider,
    ``d`` date, ``e`` excerpt, ``tp`` topics, ``c`` cluster, ``u`` http(s) link, ``n``
    article count). The full view (no ``around``) takes ``x``/``y``, sizes and colours from
    :func:`graph_style` (the whole graph's, as the GEXF has them); other views over
    :data:`PHYSICS_MAX_NODES` get a layout computed here; both turn physics off. ``style``: the
    graph's :func:`graph_style` for these ``color_by`` and ``size_by`` when the caller has it
    (``explore`` makes it once for the page and the GEXF), else it is made here.

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
    selected, info = select_view(graph, view=view, max_nodes=max_nodes, around=around, depth=depth, size_by=size_by)
    if view == "clusters":
        size_by = CLUSTER_SIZE  # a story is as big as the articles it holds (its lead chosen by size_by)
    if title:
        info.title = title
    if color_by == CLUSTER and view != "clusters" and not has_attribute(graph, CLUSTER):  # a small view may hold no article
        raise GraphnewsError("the graph has no story clusters (article attribute 'cluster'): run clustering first")
    size_basis = size_by if has_measure(selected, size_by) else "degree"
    if size_basis != size_by:
        info.notes.append(f"Sized by degree: the graph has no {size_by!r} attribute (run centrality first)")
    provider_labels = {node: data.get("label", node) for node, data in graph.nodes(data=True) if data.get("kind") == PROVIDER}
    order = sorted(selected, key=str)
    number = {node: index for index, node in enumerate(order)}
    big = selected.number_of_nodes() > PHYSICS_MAX_NODES or selected.number_of_edges() > PHYSICS_MAX_EDGES
    positions: dict[Any, tuple[float, float]] | None = None
    if view == "full" and around is None:  # drawn as the GEXF is: the whole graph's layout, sizes, colours
        if style is None or style.color_by != color_by:
            style = graph_style(graph, color_by=color_by, size_by=size_by)
        sizes, positions = style.sizes, style.positions
        colors, legend = style.colors, style.legend
        if selected.number_of_nodes() < graph.number_of_nodes() and color_by != "kind":
            # the whole graph's largest stories (providers) may have no node among those shown
            colors, legend = node_colors(selected, color_by, provider_labels)
            groups = "stories" if color_by == CLUSTER else "providers"
            if any(colour != OTHER_COLOR for _label, colour in legend):
                info.notes.append(f"Colours: the largest {groups} among the nodes shown (graph.gexf colours the whole graph's)")
            elif color_by == CLUSTER:
                info.notes.append("No story has two of its articles among the nodes shown: see the stories view (clusters.html, --view clusters)")
    else:
        colors, legend = node_colors(selected, color_by, provider_labels)
        sizes = node_sizes(selected, size_by)
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
    edge_colors = {color: rgba(color, EDGE_OPACITY) for color, _dashes, _css in EDGE_STYLES.values()}
    for source, target, kind in _edges(selected):
        weight = finite_number(kind[1])
        colour, dashes, _css = EDGE_STYLES.get(kind[0], EDGE_STYLES[RELATED])
        edge: dict[str, Any] = {"from": number[source], "to": number[target], "kind": kind[0], "color": edge_colors[colour]}
        if dashes and not plain:
            edge["dashes"] = dashes
        if kind[0] in DIRECTED_KINDS and not plain:
            edge["arrows"] = "to"
        if weight > 1:
            edge["width"] = round(1 + math.log2(weight), 2)
        net.edges.append(edge)
    net.options = _options(physics=positions is None, many=plain)
    main = main_component(selected)
    if positions is not None and len(main) > PLAIN_MAX_NODES:  # a few far leaves would shrink the rest to dots
        main = central_share(main, positions, FIT_SHARE)
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
    return render(
        "graph.html", info=info, inputs=list(inputs), built=built,
        legend=getattr(net, "graphnews", {}).get("legend", []),
        size_by=getattr(net, "graphnews", {}).get("size_by", "degree"),
        edge_legend=[(kind, legend_style(EDGE_STYLES.get(kind, EDGE_STYLES[RELATED]), getattr(net, "graphnews", {}).get("plain", False)))
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
    count = data.get(attribute_for(kind, CLUSTER_SIZE))  # a story's articles, a provider's, a topic's
    if count is not None:
        entry["n"] = count
    link = data.get("link") or (f"https://{data['domain']}" if kind == PROVIDER and data.get("domain") else None)
    if is_http_url(link):
        entry["u"] = link
    return entry


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


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _script_safe(source: str) -> str:
    """A script body that cannot close its ``<script>`` element early."""
    return source.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _kind_order(kind: str) -> int:
    return EDGE_KINDS.index(kind) if kind in EDGE_KINDS else len(EDGE_KINDS)


__all__ = [
    "CLUSTER", "DIRECTED_KINDS", "EDGE_STYLES", "GraphStyle", "PageInfo", "cluster_graph", "compute_layout",
    "graph_style", "json_for_script", "main_component", "node_colors", "node_scores", "node_sizes", "page_filters",
    "rank_nodes", "render_page", "select_view", "to_network", "write_html",
]
