"""Finding an article in a graph by any name a user has for it: its id or any of its URLs.

The one place that answers "which node is this URL?" for every command (``related``,
``similar``, ``html --around``): ids are made from canonical URLs, and every raw URL an
article was seen under is kept in its ``aliases``, so an AMP link, an RSS redirect or a
URL with tracking parameters all lead to the same node.
"""

from __future__ import annotations

import networkx as nx

from .build import ARTICLE
from .errors import LookupFailed
from .urls import canonical_url


def _canonical(text: str) -> str | None:
    return canonical_url(text) or canonical_url(f"https://{text}")


def url_index(graph: nx.Graph) -> dict[str, str]:
    """Canonical URL -> article id, from every article's ``url`` and ``aliases``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("article:a.com/1", kind="article", url="a.com/1", aliases=["https://amp.a.com/1"])
    >>> url_index(g)
    {'a.com/1': 'article:a.com/1'}
    """
    index: dict[str, str] = {}
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("kind") != ARTICLE:
            continue
        for url in [data.get("url"), *(data.get("aliases") or ())]:
            key = _canonical(url) if isinstance(url, str) else None
            if key:
                index.setdefault(key, node)
    return index


def find_article(graph: nx.Graph, url_or_id: str) -> str:
    """The id of the article named by an id or by any of its URLs (canonicalised).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("article:a.com/x", kind="article", url="a.com/x", aliases=["http://rss.a.com/~r/9"])
    >>> find_article(g, "https://amp-a-com.cdn.ampproject.org/c/s/amp.a.com/x?utm_source=feed")
    'article:a.com/x'
    >>> find_article(g, "http://rss.a.com/~r/9")
    'article:a.com/x'

    Raises
    ------
    LookupFailed
        When no article has that id or URL.
    """
    if graph.nodes.get(url_or_id, {}).get("kind") == ARTICLE:
        return url_or_id
    key = _canonical(url_or_id)
    found = None
    if key:
        by_id = f"{ARTICLE}:{key}"  # ids are made from the canonical URL
        found = by_id if graph.nodes.get(by_id, {}).get("kind") == ARTICLE else url_index(graph).get(key)
    if found is None:
        articles = sum(1 for _, kind in graph.nodes(data="kind") if kind == ARTICLE)
        raise LookupFailed(
            f"no article with URL or id {url_or_id!r} among {articles:,} articles "
            "(ids are listed by `graphnews report --kind article --format csv`)"
        )
    return found


def find_node(graph: nx.Graph, url_or_id: str) -> str:
    """Any node by its id (``provider:cnn.com``), else an article by any of its URLs."""
    if url_or_id in graph:
        return url_or_id
    return find_article(graph, url_or_id)
