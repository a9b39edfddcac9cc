"""Related stories of one article, ranked, with the reasons they are related.

Candidates are the articles joined to it by any article-to-article edge, in either
direction and of any kind (``related`` now; ``similar``, ``syndicated`` and later kinds
alike). Each reason adds to a score:

* it lists the candidate as related at rank r: ``1 + 1/(r+1)`` (its own editors chose it);
* the candidate lists it as related: ``1``;
* any other edge kind: the edge ``weight`` (a similarity score, say);
* same provider: ``0.25``;
* shared topics: ``0.1 * sum of IDF`` (``ln((1+N)/(1+df))``, so a topic on every article,
  like "Election", adds almost nothing).

Two URLs of one story (AMP, RSS redirect, ``www.``) are merged into one node when the
graph is built, so "same article" never appears as a reason: the article is found by any
of its URLs instead (:func:`find_article`).
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from ..build import ARTICLE, RELATED, TAGGED
from ..lookup import find_article
from ..settings import RelatedSettings
from .centrality import Table, article_fields

COLUMNS = ["rank", "id", "title", "provider", "published", "link", "score", "why"]


def related_articles(graph: nx.MultiDiGraph, url_or_id: str, *, top: int | None = None,
                     settings: RelatedSettings | None = None) -> list[dict[str, object]]:
    """The stories related to one article, best first, each with ``why`` it is related.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The article graph.
    url_or_id : str
        An article id or any URL of the article.
    top : int or None
        Keep only the best ``top``.
    settings : RelatedSettings, optional
        The score of each kind of reason (``related.*`` of the settings).

    Returns
    -------
    list of dict
        ``rank`` (1 = best), ``id``, ``title``, ``provider`` (display name), ``published``,
        ``link``, ``score`` and ``why`` (reasons, strongest first); sorted by score, ties by id.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["article:a.com/1", "article:b.com/2", "article:c.com/3"], kind="article")
    >>> _ = g.add_edge("article:a.com/1", "article:b.com/2", key="related", rank=0)
    >>> _ = g.add_edge("article:c.com/3", "article:a.com/1", key="related", rank=4)
    >>> [(row["id"], row["why"]) for row in related_articles(g, "https://a.com/1")]
    [('article:b.com/2', ['listed as related by it (#1)']), ('article:c.com/3', ['lists it as related (#5)'])]
    """
    settings = settings or RelatedSettings()
    article = find_article(graph, url_or_id)
    idf = _topic_idf(graph)
    reasons: dict[str, list[tuple[float, str]]] = {}
    for _, other, key, data in graph.out_edges(article, keys=True, data=True):
        if other != article and graph.nodes[other].get("kind") == ARTICLE:
            reasons.setdefault(other, []).append(_edge_reason(key, data, settings, outgoing=True))
    for other, _, key, data in graph.in_edges(article, keys=True, data=True):
        if other != article and graph.nodes[other].get("kind") == ARTICLE:
            reasons.setdefault(other, []).append(_edge_reason(key, data, settings, outgoing=False))
    provider = graph.nodes[article].get("provider")
    topics = _topics_of(graph, article)
    rows: list[dict[str, Any]] = []
    for other, found in reasons.items():
        data = graph.nodes[other]
        if provider and data.get("provider") == provider:
            found.append((settings.same_provider_score, f"same provider ({article_fields(graph, other)['provider']})"))
        shared = sorted(topics & _topics_of(graph, other), key=lambda topic: (-idf[topic], topic))
        if shared:
            found.append((settings.topic_score * sum(idf[t] for t in shared),
                          "shares topics: " + ", ".join(f"{graph.nodes[t].get('label', t)} (idf {idf[t]:.2f})" for t in shared)))
        found.sort(key=lambda reason: (-reason[0], reason[1]))
        rows.append({
            **article_fields(graph, other),
            "score": round(sum(score for score, _ in found), 6),
            "why": [text for _, text in found],
        })
    rows.sort(key=lambda row: (-row["score"], row["id"]))
    return [{"rank": position, **row} for position, row in enumerate(rows[:top], start=1)]


def related_table(graph: nx.MultiDiGraph, url_or_id: str, *, top: int | None = None,
                  settings: RelatedSettings | None = None) -> Table:
    """:func:`related_articles` as a :class:`Table` (kind ``related``) the report formats render.

    The note names the article by id, never by the URL asked for, so every URL of one
    story gives the same output.
    """
    article = find_article(graph, url_or_id)
    rows = related_articles(graph, article, top=top, settings=settings)
    title = graph.nodes[article].get("title") or ""
    return Table("related", list(COLUMNS), rows, [f"related stories of {article} ({title})"])


def _edge_reason(key: str, data: dict[str, object], settings: RelatedSettings, *, outgoing: bool) -> tuple[float, str]:
    if key == RELATED:
        rank = int(data.get("rank", 0))  # type: ignore[call-overload]
        if outgoing:
            return settings.listed_bonus + 1 / (rank + 1), f"listed as related by it (#{rank + 1})"
        return settings.listed_by_score, f"lists it as related (#{rank + 1})"
    weight = float(data.get("weight", 1.0))  # type: ignore[arg-type]
    direction = "" if key in ("similar", "syndicated") else (" (from it)" if outgoing else " (to it)")
    return weight, f"{key}{direction} (weight {weight:.3g})"


def _topics_of(graph: nx.MultiDiGraph, article: str) -> set[str]:
    return {topic for _, topic, key in graph.out_edges(article, keys=True) if key == TAGGED}


def _topic_idf(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Smoothed inverse document frequency of every topic over the articles."""
    articles = sum(1 for _, kind in graph.nodes(data="kind") if kind == ARTICLE)
    tagged: dict[str, int] = {}
    for _, topic, key in graph.edges(keys=True):
        if key == TAGGED:
            tagged[topic] = tagged.get(topic, 0) + 1
    return {topic: math.log((1 + articles) / (1 + count)) for topic, count in tagged.items()}


__all__ = ["related_articles", "related_table"]
