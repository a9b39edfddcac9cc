"""The one place analysis results reach the graph, under the names :mod:`graphnews.schema` declares.

Analysis stages return plain results (pairs, groups, stories, tables), as networkx's
algorithms return dicts and leave ``set_node_attributes`` to the caller; these functions
write them. A measure is stored under :func:`graphnews.schema.measure_attribute`, so an
article's ``pagerank`` and a provider's ``provider_pagerank`` never share an attribute.

Edges are added with their kind as key: adding the same results again replaces them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import networkx as nx

from ..schema import CITES, SIMILAR, SYNDICATED, measure_attribute

if TYPE_CHECKING:  # types only: the analysis modules import this one
    from .centrality import Table
    from .clusters import ClusterResult
    from .syndication import SyndicationGroup


def add_similar_edges(graph: nx.MultiDiGraph, pairs: list[tuple[str, str, float]]) -> int:
    """Add one ``similar`` edge per pair, from the smaller id to the larger; returns how many.

    ``weight`` is the score rounded to 4 decimals.
    """
    graph.add_edges_from((min(a, b), max(a, b), SIMILAR, {"kind": SIMILAR, "weight": round(float(score), 4)})
                         for a, b, score in pairs)
    return len(pairs)


def add_syndicated_edges(graph: nx.MultiDiGraph, groups: list[SyndicationGroup]) -> int:
    """Link each group's first publisher with every other member (``syndicated``, weight 1.0).

    A star: n - 1 edges for n copies (all pairs would be n(n-1)/2, 8 million for 4,000
    outlets), each stored once from the smaller id to the larger. Also sets the node
    attribute ``syndication`` (the group id) on every member. Returns the number of edges added.
    """
    edges = []
    for group in groups:
        for member in group.members:
            graph.nodes[member]["syndication"] = group.id
            if member != group.first:
                source, target = sorted((group.first, member))
                edges.append((source, target, SYNDICATED, {"kind": SYNDICATED, "weight": 1.0}))
    graph.add_edges_from(edges)
    return len(edges)


def add_cites_edges(graph: nx.MultiDiGraph, cited: Iterable[tuple[str, str]]) -> int:
    """Add a ``cites`` edge (weight 1.0) for each (article, provider) pair; returns how many."""
    edges = [(article, provider, CITES, {"kind": CITES, "weight": 1.0}) for article, provider in cited]
    graph.add_edges_from(edges)
    return len(edges)


def write_stories(graph: nx.MultiDiGraph, stories: ClusterResult) -> None:
    """Write each article's story onto its node.

    ``cluster`` is the story's number in the listing (0 the largest), ``cluster_label`` its
    headline, ``story``/``storyline`` its stable ids and ``story_why`` the member's evidence.
    """
    for cluster in stories.clusters:
        for member in cluster.members:
            graph.nodes[member].update(cluster=cluster.id, cluster_label=cluster.label, story=cluster.story,
                                       storyline=cluster.storyline, story_why=cluster.why[member])


def write_measures(graph: nx.Graph, tables: Mapping[str, Table]) -> None:
    """Copy each row's measures onto its node under the kind's own names, so views can size nodes by them.

    An article's measures keep their column names (``pagerank``, ``betweenness``, ``degree``,
    ``related_in``, ``eigenvector``/``katz``); a provider's and a topic's are prefixed with
    the kind (``provider_pagerank``, ``provider_articles``, ``topic_weighted_degree``).

    >>> from graphnews.analysis.centrality import centrality_tables
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("topic:x", kind="topic", label="X")
    >>> write_measures(g, centrality_tables(g, ["topic"]))
    >>> g.nodes["topic:x"]["topic_pagerank"], g.nodes["topic:x"]["topic_weighted_degree"]
    (1.0, 0)
    """
    for table in tables.values():
        names = {measure: measure_attribute(table.kind, measure) for measure in table.measures}
        for row in table.rows:
            node = row["id"]
            if node in graph:
                graph.nodes[node].update((names[measure], row[measure]) for measure in table.measures if measure in row)
