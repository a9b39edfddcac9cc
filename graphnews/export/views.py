"""What a page draws: the view of the graph (full, around one article, stories, providers) and its ranking.

:func:`select_view` returns a new graph and a :class:`PageInfo` saying what was left out;
:func:`rank_nodes` orders nodes by their own kind's measure (:func:`node_scores`, read under
the names :mod:`graphnews.schema` gives each kind). Layout is :mod:`.layout`, colours and
sizes :mod:`.style`, the page itself :mod:`.html`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ..analysis.projections import provider_graph
from ..build import ARTICLE, PROVIDER
from ..errors import GraphnewsError
from ..lookup import find_node
from ..reprs import html_facts
from ..schema import attribute_for
from .page_options import DEFAULT_MAX_NODES, VIEWS

CLUSTER = "cluster"
#: The attribute of a story node of the clusters view: how many articles it holds.
CLUSTER_SIZE = "articles"
CO_COVERAGE, CLUSTER_LINK = "co_coverage", "cluster_link"


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
        selected = induced_copy(graph, _neighbourhood(graph, center, depth))
        notes.append(f"Neighbourhood of {graph.nodes[center].get('label', center)} ({depth} hop{'s' if depth != 1 else ''})")
        keep_first = [center]
    elif view == "clusters":  # each story led by its most central article, the stories ranked by their size
        return _clusters_view(graph, max_nodes, size_by)
    elif view == "providers":
        selected, keep_first = _provider_view(graph), []
    else:
        selected, keep_first = graph, []  # copied below, once trimmed: copying 1.5M edges first costs seconds
    total = selected.number_of_nodes()
    basis = size_by if has_measure(selected, size_by) else "degree"
    if total > max_nodes:
        ranked = rank_nodes(selected, size_by)
        kept = set(keep_first) | set(ranked[: max_nodes - len(set(keep_first) - set(ranked[:max_nodes]))])
        dropped = Counter(kind for node, kind in selected.nodes(data="kind", default="node") if node not in kept)
        notes.append(f"Left out {total - len(kept):,} of {total:,} nodes (the least central by {basis}): "
                     + ", ".join(f"{count:,} {kind}" for kind, count in sorted(dropped.items())))
        selected = induced_copy(selected, kept)
    if selected is graph:
        selected = graph.copy()
    info = PageInfo(shown=frozenset(str(node) for node in selected),
        title=_default_title(graph, view, around), view=view, nodes=selected.number_of_nodes(),
        edges=selected.number_of_edges(), total_nodes=total, left_out=total - selected.number_of_nodes(), notes=notes,
    )
    return selected, info


def induced_copy(graph: nx.Graph, nodes: set[Any]) -> nx.Graph:
    """The subgraph on ``nodes`` as a copy, nodes and edges in ``graph``'s order.

    ``graph.subgraph(nodes)`` iterates the set it is given, whose order changes with the
    hash seed from run to run; pages built from it came out in a different order each time.

    >>> g = nx.path_graph(["c", "a", "b", "d"])
    >>> list(induced_copy(g, {"d", "a", "c"})), list(induced_copy(g, {"d", "a", "c"}).edges)
    (['c', 'a', 'd'], [('c', 'a')])
    """
    return nx.subgraph_view(graph, filter_node=nodes.__contains__).copy()


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
    """Score of every node: its kind's ``size_by`` (0 where missing) when any node has it, else degree.

    ``size_by`` names a measure (``pagerank``) or any node attribute; a provider's or a
    topic's measure is read from its own attribute (:func:`graphnews.schema.attribute_for`).
    """
    if has_measure(graph, size_by):
        return {node: finite_number(data.get(attribute_for(str(data.get("kind")), size_by), 0.0))
                for node, data in graph.nodes(data=True)}
    return {node: float(degree) for node, degree in graph.degree(weight="weight")}


def has_measure(graph: nx.Graph, size_by: str) -> bool:
    """Whether any node holds ``size_by`` (under its kind's name for it, :func:`graphnews.schema.attribute_for`)."""
    return any(attribute_for(str(data.get("kind")), size_by) in data for _node, data in graph.nodes(data=True))


def _clusters_view(graph: nx.Graph, max_nodes: int, size_by: str) -> tuple[nx.Graph, PageInfo]:
    """:func:`select_view`'s ``clusters`` view: the ``max_nodes`` largest stories (ties by node id,
    as :func:`rank_nodes` orders them), built alone: at 10k records a graph of all ~9,000
    stories and their crossing links took 1.3 s, to keep 2,000 of them."""
    members = cluster_members(graph)
    total = len(members)
    ranked = sorted(members, key=lambda number: (-len(members[number]), f"{CLUSTER}:{number}"))
    kept = {number: members[number] for number in ranked[:max_nodes]}
    notes = []
    if total > max_nodes:
        notes.append(f"Left out {total - len(kept):,} of {total:,} nodes (the least central by {CLUSTER_SIZE}): "
                     f"{total - len(kept):,} {CLUSTER}")
    selected = cluster_graph(graph, size_by=size_by, members=kept)
    info = PageInfo(shown=frozenset(str(node) for node in selected), title=_default_title(graph, "clusters", None),
                    view="clusters", nodes=selected.number_of_nodes(), edges=selected.number_of_edges(),
                    total_nodes=total, left_out=total - selected.number_of_nodes(), notes=notes)
    return selected, info


def cluster_members(graph: nx.Graph) -> dict[int, list[str]]:
    """Article ids by story cluster number (article attribute ``cluster``), in graph order.

    Raises :class:`GraphnewsError` when no article has a cluster.
    """
    members: dict[int, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") == ARTICLE and isinstance(data.get(CLUSTER), int):
            members.setdefault(data[CLUSTER], []).append(node)
    if not members:
        raise GraphnewsError("the graph has no story clusters (article attribute 'cluster'): run clustering first")
    return members


def cluster_graph(graph: nx.Graph, *, size_by: str = "pagerank", members: dict[int, list[str]] | None = None) -> nx.Graph:
    """One node per story cluster (article attribute ``cluster``), edges = links between clusters.

    Nodes are ``cluster:<n>`` with ``kind="cluster"``, ``articles`` (count), ``label`` and
    ``link`` of the lead article (highest article ``size_by``, else degree), ``providers`` and
    ``topics`` (most frequent first). Edge ``weight`` counts article-to-article edges that
    cross the two clusters. ``members`` (from :func:`cluster_members`) limits the graph to
    those clusters, as if the rest were removed after.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"cluster": 0, "title": "A"}), ("b", {"cluster": 0}), ("c", {"cluster": 1})], kind="article")
    >>> _ = g.add_edge("a", "b"); _ = g.add_edge("b", "c"); _ = g.add_edge("a", "c")
    >>> c = cluster_graph(g)
    >>> sorted(c.nodes(data="articles")), list(c.edges(data="weight"))
    ([('cluster:0', 2), ('cluster:1', 1)], [('cluster:0', 'cluster:1', 2)])
    """
    if members is None:
        members = cluster_members(graph)
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
            "kind": CLUSTER, CLUSTER: number, CLUSTER_SIZE: len(articles), "cluster_label": lead_data.get("cluster_label"),
            "label": lead_data.get("cluster_label") or lead_data.get("title") or lead_data.get("label") or lead,
            "providers": [name for name, _ in sorted(providers.items(), key=lambda item: (-item[1], str(item[0]))) if name],
            "topics": [name for name, _ in sorted(topics.items(), key=lambda item: (-item[1], item[0]))],
            "published": lead_data.get("published"), "link": lead_data.get("link"),
        }
        clusters.add_node(f"cluster:{number}", **{k: v for k, v in attributes.items() if v is not None})
    cluster_of = {node: number for number, nodes in members.items() for node in nodes}
    crossing: Counter[tuple[int, int]] = Counter()  # (smaller, larger) cluster: links, in the order first seen
    for source, target in graph.edges():
        a, b = cluster_of.get(source), cluster_of.get(target)
        if a is not None and b is not None and a != b:
            crossing[(a, b) if a < b else (b, a)] += 1
    clusters.add_edges_from((f"cluster:{a}", f"cluster:{b}", {"weight": count, "kind": CLUSTER_LINK})
                            for (a, b), count in crossing.items())
    return clusters


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


def has_attribute(graph: nx.Graph, name: str) -> bool:
    """Whether any node of ``graph`` has attribute ``name``."""
    return any(name in data for _node, data in graph.nodes(data=True))


def finite_number(value: Any) -> float:
    """``value`` as a finite float (0.0 for text, None, NaN and infinities)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _default_title(graph: nx.Graph, view: str, around: str | None) -> str:
    inputs = graph.graph.get("inputs") or []
    source = ", ".join(Path(str(p)).name or str(p) for p in inputs[:3]) or "graph"
    what = {"full": "news graph", "clusters": "story clusters", "providers": "provider co-coverage"}[view]
    return f"graphnews: {what} of {source}" + (f" around {around}" if around else "")
