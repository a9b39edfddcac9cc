"""Hand-made graphs for the similarity, syndication and cluster tests (fictional stories)."""

from __future__ import annotations

import networkx as nx

from graphnews.schema import ARTICLE, PROVIDER, PUBLISHED_BY, RELATED, TAGGED, TOPIC, check

STRIKE = ("Hundreds of dockworkers walked out at Container Terminal 3 on Thursday after talks over a new "
          "twelve hour shift rota collapsed, union leader Marisol Quenby said outside Gate 9")
BRIDGE = ("Engineers closed the Saltmarsh Bridge on Friday after Storm Bertrand cracked two of its piers, "
          "cutting Hollin Point off from the Tollmoor road until an emergency ferry starts")
RECOUNT = ("The electoral board ordered a full recount of the mayoral race after Mayor Teodora Vask finished "
           "eleven votes ahead of challenger Emeric Dunmore in Ward 7")


def article(graph: nx.MultiDiGraph, node: str, *, title: str = "", excerpt: str = "", body: str = "",
            provider: str | None = None, published: str | None = None, topics: tuple[str, ...] = ()) -> None:
    """Add an article node (and its provider and topic nodes and edges); the graph must follow graphnews.schema."""
    attributes = {"kind": ARTICLE, "title": title, "excerpt": excerpt, "body": body, "topics": list(topics)}
    if provider:
        attributes["provider"] = provider
        graph.add_node(provider, kind=PROVIDER, label=provider.split(":")[1].split(".")[0].title())
        graph.add_edge(node, provider, key=PUBLISHED_BY, kind=PUBLISHED_BY, weight=1.0)
    if published:
        attributes["published"] = published
    graph.add_node(node, **attributes)
    for topic in topics:
        graph.add_node(f"topic:{topic.lower()}", kind=TOPIC, label=topic)
        graph.add_edge(node, f"topic:{topic.lower()}", key=TAGGED, kind=TAGGED, weight=1.0)
    check(graph, source="helpers_stories")


def two_stories() -> nx.MultiDiGraph:
    """Three strike articles and three recount articles; all six share only the topic Election."""
    graph = nx.MultiDiGraph()
    for number, (lede, name) in enumerate([(STRIKE, "strike"), (RECOUNT, "recount")]):
        for copy in range(3):
            article(graph, f"article:{name}-{copy}", title=f"{name.title()} report {copy}",
                    excerpt=lede if copy != 2 else lede[:90], body=f"{lede} More on the {name} later.",
                    provider=f"provider:outlet{copy + 3 * number}.com", published=f"2031-03-1{copy}T08:00:00Z",
                    topics=("Election",))
    graph.add_edge("article:strike-0", "article:strike-1", key=RELATED, kind=RELATED, weight=1.0)
    graph.add_edge("article:recount-0", "article:recount-1", key=RELATED, kind=RELATED, weight=1.0)
    check(graph, source="two_stories")
    return graph
