"""Projections of the article graph onto one kind of node, the graphs measures run on.

* :func:`article_graph`: articles and their ``related`` links (directed).
* :func:`provider_graph`: providers linked when an article of one lists an article of
  the other as related (either direction); ``weight`` = number of such links. Links
  inside one provider are not edges (they are counted as ``self_links`` on the node).
* :func:`topic_graph`: topics linked when an article is tagged with both; ``weight`` =
  number of such articles.
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx

from ..build import ARTICLE, PROVIDER, RELATED, TAGGED, TOPIC


def article_graph(graph: nx.MultiDiGraph, kinds: tuple[str, ...] = (RELATED,)) -> nx.DiGraph:
    """Articles with the article-to-article edges of ``kinds`` (parallel edges summed into ``weight``).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["a", "b"], kind="article")
    >>> _ = g.add_edge("a", "b", key="related", kind="related", weight=1.0)
    >>> list(article_graph(g).edges(data="weight"))
    [('a', 'b', 1.0)]
    """
    projected = nx.DiGraph()
    projected.add_nodes_from(sorted(node for node, kind in graph.nodes(data="kind") if kind == ARTICLE))
    for source, target, key, weight in graph.edges(keys=True, data="weight", default=1.0):
        if key in kinds and source in projected and target in projected:
            if projected.has_edge(source, target):
                projected[source][target]["weight"] += weight
            else:
                projected.add_edge(source, target, weight=weight)
    return projected


def provider_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Provider co-coverage graph (undirected, ``weight`` = related links between them)."""
    publisher = {article: target for article, target, key in graph.edges(keys=True) if key == "published_by"}
    projected = nx.Graph()
    projected.add_nodes_from(sorted(node for node, kind in graph.nodes(data="kind") if kind == PROVIDER), self_links=0)
    for source, target, key in graph.edges(keys=True):
        if key != RELATED:
            continue
        a, b = publisher.get(source), publisher.get(target)
        if a is None or b is None:
            continue
        if a == b:
            projected.nodes[a]["self_links"] += 1
        elif projected.has_edge(a, b):
            projected[a][b]["weight"] += 1
        else:
            projected.add_edge(a, b, weight=1)
    return projected


def topic_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Topic co-occurrence graph (undirected, ``weight`` = articles tagged with both)."""
    projected = nx.Graph()
    projected.add_nodes_from(sorted(node for node, kind in graph.nodes(data="kind") if kind == TOPIC), articles=0)
    tags: dict[str, list[str]] = {}
    for article, topic, key in graph.edges(keys=True):
        if key == TAGGED:
            tags.setdefault(article, []).append(topic)
    for topics in tags.values():
        unique = sorted(set(topics))
        for topic in unique:
            projected.nodes[topic]["articles"] += 1
        for a, b in combinations(unique, 2):
            if projected.has_edge(a, b):
                projected[a][b]["weight"] += 1
            else:
                projected.add_edge(a, b, weight=1)
    return projected
