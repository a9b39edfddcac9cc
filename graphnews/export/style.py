"""How nodes and edges look: colours by kind, story or provider, sizes by a measure, edge styles, legends.

:func:`graph_style` is the whole graph's look (positions from :mod:`.layout`), shared by
``graph.html`` and ``graph.gexf``; each node kind is sized on its own scale (:func:`node_sizes`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..build import ARTICLE, PROVIDER, RELATED, TOPIC
from .layout import whole_layout
from .views import CLUSTER, CLUSTER_LINK, CLUSTER_SIZE, CO_COVERAGE, has_attribute, has_measure, node_scores

MIN_SIZE, MAX_SIZE = 8.0, 40.0
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


def graph_style(graph: nx.Graph, *, color_by: str | None = None, size_by: str = "pagerank") -> GraphStyle:
    """Positions, sizes and colours of every node of ``graph`` as the full-view page draws them.

    ``color_by`` defaults to ``cluster`` when the graph has story clusters, else ``kind``;
    sizes follow ``size_by`` (degree when no node has it). The layout is computed once per
    graph (kept while the graph's node and edge counts stay the same): ``explore`` writes
    the GEXF and the page from one layout.
    """
    if color_by is None:
        color_by = CLUSTER if has_attribute(graph, CLUSTER) else "kind"
    provider_labels = {node: data.get("label", node) for node, data in graph.nodes(data=True) if data.get("kind") == PROVIDER}
    colors, legend = node_colors(graph, color_by, provider_labels)
    size_basis = size_by if has_measure(graph, size_by) else "degree"
    return GraphStyle(whole_layout(graph, size_by), node_sizes(graph, size_by), colors, legend, color_by, size_basis)


def node_sizes(graph: nx.Graph, size_by: str) -> dict[Any, float]:
    """Node sizes from :func:`node_scores`, each kind scaled on its own range.

    Article, provider and topic measures come from different graphs (an outlet's PageRank on
    a dozen-node co-coverage graph dwarfs any article's), so each kind's most central node
    gets the largest size.
    """
    scores = node_scores(graph, size_by)
    by_kind: dict[str, dict[Any, float]] = {}
    for node, kind in graph.nodes(data="kind", default="node"):
        by_kind.setdefault(str(kind), {})[node] = scores[node]
    return {node: size for members in by_kind.values() for node, size in _scaled(members).items()}


def node_colors(graph: nx.Graph, color_by: str, provider_labels: dict[str, str]) -> tuple[dict[Any, str], list[tuple[str, str]]]:
    """Colour of every node, and the legend as (label, colour) rows.

    The :data:`PALETTE`'s colours go to the largest groups (stories of two or more
    articles, or providers); every other node is :data:`OTHER_COLOR`.
    """
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
        counts[owner] += int(graph.nodes[node].get(CLUSTER_SIZE, 1)) if kinds[node] == CLUSTER else 1
    several = 2 if color_by == CLUSTER else 1  # a colour of its own for a story of one article marks nothing
    top = [g for g in sorted(counts, key=lambda g: (-counts[g], str(g))) if counts[g] >= several][: len(PALETTE)]
    color_of = {g: PALETTE[i] for i, g in enumerate(top)}
    colors = {n: color_of.get(group.get(n), OTHER_COLOR) if n in group else OTHER_COLOR for n in graph}
    legend = [(name[g], color_of[g]) for g in top]
    if any(c == OTHER_COLOR for c in colors.values()):
        legend.append((f"other or no {color_by}", OTHER_COLOR))
    return colors, legend


def rgba(color: str, alpha: float) -> str:
    """``#rrggbb`` with an alpha, as CSS ``rgba()``.

    >>> rgba("#8c9bab", 0.6)
    'rgba(140,155,171,0.6)'
    """
    return f"rgba({int(color[1:3], 16)},{int(color[3:5], 16)},{int(color[5:7], 16)},{alpha})"


def legend_style(style: tuple[str, list[int] | bool, str], plain: bool) -> tuple[str, list[int] | bool, str]:
    """An edge style as the legend shows it: solid when the page draws edges plain."""
    return (style[0], False, "solid") if plain else style


def _scaled(scores: dict[Any, float]) -> dict[Any, float]:
    """Map scores to node sizes between MIN_SIZE and MAX_SIZE (square root: area follows score)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high <= low:
        return {node: (MIN_SIZE + MAX_SIZE) / 3 for node in scores}
    return {node: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((s - low) / (high - low)) for node, s in scores.items()}
