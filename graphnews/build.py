"""Stage 3: the graph. :func:`build_graph` turns a :class:`~graphnews.model.Corpus` into networkx.

Schema
------
Declared in full, with the attributes later stages set, in :mod:`graphnews.schema`.
A :class:`networkx.MultiDiGraph`; the key of every edge is its kind, so two articles can
be linked both as ``related`` and as ``similar`` without one edge hiding the other.

Nodes (attribute ``kind``):

* ``article:<canonical url>`` (or ``article:text-<hash>`` for an article with no URL):
  ``label``, ``title``, ``excerpt``, ``body`` (when known), ``url`` (canonical), ``link`` (http(s) URL to open),
  ``published`` (ISO 8601 UTC), ``provider`` (node id), ``topics`` (names), ``quality``,
  ``type``, ``full`` (read as a record of its own, not only as a related item),
  ``aliases`` (raw URLs), ``sources`` (files), ``mentions``.
* ``provider:<registered domain>``: ``label`` (display name), ``domain``, ``names``.
* ``topic:<slug>``: ``label`` (display name).

Edges (attribute ``kind``, and ``weight``):

* ``related``: article -> article it lists as related; ``rank`` (0 = first), ``quality``.
* ``published_by``: article -> provider.
* ``tagged``: article -> topic.
* later stages add ``similar``, ``syndicated`` (article -- article, stored once from the
  smaller id, ``weight`` = score) and ``cites`` (article -> provider it names as a source).

Attributes that would be None are left out, so every exporter (GraphML, GEXF) takes them.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from .gcpause import paused_gc
from .model import Article, Corpus
from .schema import (  # noqa: F401  (the kinds are imported from here across the package)
    ARTICLE,
    CITES,
    EDGE_KINDS,
    PROVIDER,
    PUBLISHED_BY,
    RELATED,
    SIMILAR,
    SYNDICATED,
    TAGGED,
    TOPIC,
)


def article_attributes(article: Article, topic_names: dict[str, str]) -> dict[str, object]:
    """Node attributes of an article (None values left out)."""
    attributes: dict[str, object] = {
        "kind": ARTICLE,
        "label": article.title or article.url or article.id,
        "title": article.title,
        "excerpt": article.excerpt,
        "body": article.body or None,
        "url": article.url,
        "link": article.link,
        "published": article.published.strftime("%Y-%m-%dT%H:%M:%SZ") if article.published else None,
        "provider": article.provider,
        "topics": [topic_names.get(topic, topic) for topic in article.topics],
        "quality": article.quality,
        "type": article.type,
        "full": article.full,
        "aliases": list(article.aliases),
        "sources": list(article.sources),
        "mentions": article.mentions,
    }
    return {key: value for key, value in attributes.items() if value is not None}


def _edges(corpus: Corpus) -> Iterator[tuple[str, str, str, dict[str, object]]]:
    """Every edge of the built graph, in graph order, made as networkx takes it in.

    A generator, not a list: at 100,000 records the 1.5M edge tuples and their dicts held at
    once cost ~400 MB on top of the graph. networkx copies the attributes into a dict of
    its own, so the ``published_by`` and ``tagged`` edges share one dict each here.
    """
    published_by: dict[str, object] = {"kind": PUBLISHED_BY, "weight": 1.0}
    tagged: dict[str, object] = {"kind": TAGGED, "weight": 1.0}
    for article in corpus.articles.values():
        if article.provider:
            yield article.id, article.provider, PUBLISHED_BY, published_by
        for topic in article.topics:
            yield article.id, topic, TAGGED, tagged
    for link in corpus.related:
        attributes: dict[str, object] = {"kind": RELATED, "weight": 1.0, "rank": link.rank}
        if link.quality is not None:
            attributes["quality"] = link.quality
        yield link.source, link.target, RELATED, attributes


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Build the article graph (schema in this module's docstring).

    Examples
    --------
    >>> from graphnews.model import Mention
    >>> from graphnews.merge import merge_mentions
    >>> item = Mention("a.md", 1, False, urls=("https://b.com/2",), title="Two", provider_domain="b.com")
    >>> record = Mention("a.md", 1, True, urls=("https://a.com/1",), title="One",
    ...                  provider_name="A", provider_domain="a.com", topics=("Election",), related=(item,))
    >>> graph = build_graph(merge_mentions([record]))
    >>> sorted(graph.edges(keys=True))[:2]
    [('article:a.com/1', 'article:b.com/2', 'related'), ('article:a.com/1', 'provider:a.com', 'published_by')]
    """
    with paused_gc():
        graph = nx.MultiDiGraph()
        graph.graph.update({"name": "graphnews", "inputs": list(corpus.inputs)})
        graph.add_nodes_from(
            (provider.id, {k: v for k, v in (("kind", PROVIDER), ("label", provider.name), ("domain", provider.domain),
                                             ("names", list(provider.names))) if v is not None})
            for provider in corpus.providers.values()
        )
        topic_names = {topic.id: topic.name for topic in corpus.topics.values()}
        graph.add_nodes_from((topic.id, {"kind": TOPIC, "label": topic.name}) for topic in corpus.topics.values())
        articles = corpus.articles.values()
        graph.add_nodes_from((article.id, article_attributes(article, topic_names)) for article in articles)
        graph.add_edges_from(_edges(corpus))
    return graph


def nodes_of_kind(graph: nx.Graph, kind: str) -> list[str]:
    """Ids of the nodes of one kind, sorted."""
    return sorted(node for node, node_kind in graph.nodes(data="kind") if node_kind == kind)


def edge_counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Number of edges of each kind, in :data:`EDGE_KINDS` order (kinds absent left out)."""
    counts: dict[str, int] = {}
    for _u, _v, kind in graph.edges(keys=True):
        counts[kind] = counts.get(kind, 0) + 1
    return {kind: counts[kind] for kind in (*EDGE_KINDS, *sorted(set(counts) - set(EDGE_KINDS))) if kind in counts}
