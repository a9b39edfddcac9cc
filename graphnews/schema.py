"""The graph schema: every node and edge kind and every attribute, who sets it and what it means.

One declaration, read by :func:`validate` (``read_graph`` and the tests check graphs with it),
by :mod:`graphnews.analysis.annotate` (the one place analysis results are written onto the
graph, under the names declared here) and by the documentation (:func:`markdown_table`
prints the table in ``docs/architecture.md``; a test keeps the two equal).

The graph is a :class:`networkx.MultiDiGraph`; every node and edge has a ``kind``, and the
key of every edge is its kind, so two articles can be linked both as ``related`` and as
``similar`` without one edge hiding the other. Attributes that would be None are left out
(GraphML and GEXF take no None), except measures, which JSON may hold as ``null`` (a NaN).

Measures of different kinds come from different graphs (article PageRank from the related
links, provider PageRank from the co-coverage graph): an article's are stored under the
measure's name (``pagerank``), a provider's and a topic's under ``<kind>_<measure>``
(``provider_pagerank``, ``topic_articles``), so no two kinds share a measure attribute and
a page sized by ``pagerank`` never compares one kind's scale with another's
(:func:`measure_attribute`).

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("article:a.com/1", kind="article", title="One", pagerank=0.5)
>>> g.add_node("provider:a.com", kind="provider", label="A", pagerank=0.9)
>>> _ = g.add_edge("article:a.com/1", "provider:a.com", key="published_by", kind="published_by", weight=1.0)
>>> validate(g)
["node 'provider:a.com' (provider): unknown attribute 'pagerank' (a provider's is 'provider_pagerank')"]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .errors import SchemaError

ARTICLE, PROVIDER, TOPIC = "article", "provider", "topic"
RELATED, PUBLISHED_BY, TAGGED = "related", "published_by", "tagged"
SIMILAR, SYNDICATED, CITES = "similar", "syndicated", "cites"

#: Value types, and the Python values each accepts (``bool`` is never a number).
TYPES = ("text", "integer", "number", "boolean", "list of text")


@dataclass(frozen=True)
class Kind:
    """A node or edge kind.

    Parameters
    ----------
    name : the ``kind`` attribute (and, for edges, the edge key).
    element : ``node`` or ``edge``.
    stage : the module that makes it.
    meaning : one line for the documentation.
    ends : for an edge, the (source kind, target kind).
    """

    name: str
    element: str
    stage: str
    meaning: str
    ends: tuple[str, str] | None = None


@dataclass(frozen=True)
class Attribute:
    """A node, edge or graph attribute.

    Parameters
    ----------
    name : the attribute's key.
    kinds : the node or edge kinds that carry it (``("graph",)`` for a graph attribute).
    type : one of :data:`TYPES`.
    stage : the module that sets it.
    meaning : one line for the documentation.
    nullable : a JSON ``null`` is accepted (measures: NaN is written as null).
    """

    name: str
    kinds: tuple[str, ...]
    type: str
    stage: str
    meaning: str
    nullable: bool = False


NODES: tuple[Kind, ...] = (
    Kind(ARTICLE, "node", "build", "a story as published: `article:<canonical url>` (`article:text-<hash>` with no URL)"),
    Kind(PROVIDER, "node", "build", "a publisher: `provider:<registered domain>`"),
    Kind(TOPIC, "node", "build", "a topic tag: `topic:<slug>`"),
)
EDGES: tuple[Kind, ...] = (
    Kind(RELATED, "edge", "build", "the article lists the other as related", (ARTICLE, ARTICLE)),
    Kind(PUBLISHED_BY, "edge", "build", "the article's publisher", (ARTICLE, PROVIDER)),
    Kind(TAGGED, "edge", "build", "a topic of the article", (ARTICLE, TOPIC)),
    Kind(SIMILAR, "edge", "analysis.similarity", "similar text (TF-IDF cosine), stored once from the smaller id",
         (ARTICLE, ARTICLE)),
    Kind(SYNDICATED, "edge", "analysis.syndication", "the same wire copy: a star from the group's first publisher",
         (ARTICLE, ARTICLE)),
    Kind(CITES, "edge", "analysis.citations", "the article names the provider as a source", (ARTICLE, PROVIDER)),
)

_A, _P, _T = (ARTICLE,), (PROVIDER,), (TOPIC,)
_ALL_NODES = (ARTICLE, PROVIDER, TOPIC)
#: The edge kinds' names, in the order summaries list them.
EDGE_KINDS = tuple(kind.name for kind in EDGES)
_ALL_EDGES = EDGE_KINDS

#: The measures of each kind's centrality table (graphnews.analysis.centrality), in table order,
#: with their type and meaning.
MEASURES: dict[str, tuple[tuple[str, str, str], ...]] = {
    ARTICLE: (
        ("related_in", "integer", "articles that list it as related"),
        ("degree", "integer", "related links in both directions"),
        ("pagerank", "number", "PageRank on the related links"),
        ("betweenness", "number", "betweenness on the related links (sampled above 5,000 articles)"),
        ("eigenvector", "number", "eigenvector centrality of the largest component"),
        ("katz", "number", "Katz centrality, when eigenvector centrality does not converge"),
    ),
    PROVIDER: (
        ("articles", "integer", "articles it published"),
        ("cited_by_others", "integer", "its articles listed as related by another provider's"),
        ("topics", "integer", "distinct topics of its articles"),
        ("weighted_degree", "number", "related links to and from other providers"),
        ("pagerank", "number", "PageRank on the co-coverage graph"),
        ("betweenness", "number", "betweenness on the co-coverage graph"),
    ),
    TOPIC: (
        ("articles", "integer", "articles tagged with it"),
        ("weighted_degree", "number", "co-occurrences with other topics"),
        ("pagerank", "number", "PageRank on the co-occurrence graph"),
    ),
}


def measure_attribute(kind: str, measure: str) -> str:
    """The node attribute holding ``measure`` for nodes of ``kind``: collision-free across kinds.

    >>> measure_attribute("article", "pagerank"), measure_attribute("provider", "pagerank")
    ('pagerank', 'provider_pagerank')
    """
    return measure if kind == ARTICLE else f"{kind}_{measure}"


def attribute_for(kind: str, name: str) -> str:
    """The attribute a node of ``kind`` holds ``name`` in: its own measure attribute when ``name`` is one of its measures.

    Lets a page be sized "by pagerank" across kinds without mixing their scales.

    >>> attribute_for("provider", "articles"), attribute_for("provider", "degree"), attribute_for("cluster", "articles")
    ('provider_articles', 'degree', 'articles')
    """
    return measure_attribute(kind, name) if kind in MEASURES and name in _measure_names(kind) else name


GRAPH_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("name", ("graph",), "text", "build", "always `graphnews`"),
    Attribute("inputs", ("graph",), "list of text", "build", "the files and folders read"),
    Attribute("graphnews_format", ("graph",), "integer", "export.files", "version of the graph JSON layout"),
)

NODE_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("kind", _ALL_NODES, "text", "build", "the node kind"),
    Attribute("label", _ALL_NODES, "text", "build", "display name (an article's title, else its URL or id)"),
    Attribute("title", _A, "text", "build", "headline"),
    Attribute("excerpt", _A, "text", "build", "the record's excerpt"),
    Attribute("body", _A, "text", "build", "article text, when the record has it"),
    Attribute("url", _A, "text", "build", "canonical URL (graphnews.urls)"),
    Attribute("link", _A, "text", "build", "an http(s) URL to open"),
    Attribute("published", _A, "text", "build", "publication time, ISO 8601 UTC"),
    Attribute("provider", _A, "text", "build", "id of its provider node"),
    Attribute("topics", _A, "list of text", "build", "topic names"),
    Attribute("quality", _A, "number", "build", "the record's quality score"),
    Attribute("type", _A, "text", "build", "the record's type (`article`, `video`, ...)"),
    Attribute("full", _A, "boolean", "build", "read as a record of its own, not only as a related item"),
    Attribute("aliases", _A, "list of text", "build", "every raw URL it was seen under"),
    Attribute("sources", _A, "list of text", "build", "the files it was read from"),
    Attribute("mentions", _A, "integer", "build", "how many times it was seen"),
    Attribute("domain", _P, "text", "build", "registered domain"),
    Attribute("names", _P, "list of text", "build", "every display name seen"),
    Attribute("syndication", _A, "integer", "analysis.annotate", "wire-copy group number"),
    Attribute("cluster", _A, "integer", "analysis.annotate", "story number in the listing (0 the largest)"),
    Attribute("cluster_label", _A, "text", "analysis.annotate", "the story's headline"),
    Attribute("story", _A, "text", "analysis.annotate", "stable story id (carried across runs)"),
    Attribute("storyline", _A, "text", "analysis.annotate", "stable storyline id"),
    Attribute("story_why", _A, "text", "analysis.annotate", "why the article is in its story"),
    *(Attribute(measure_attribute(kind, measure), (kind,), value_type, "analysis.annotate", f"{kind} {meaning}",
                nullable=True)
      for kind, measures in MEASURES.items() for measure, value_type, meaning in measures),
)

EDGE_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("kind", _ALL_EDGES, "text", "build", "the edge kind (also its key)"),
    Attribute("weight", _ALL_EDGES, "number", "build", "1.0; the score of a `similar` edge"),
    Attribute("rank", (RELATED,), "integer", "build", "position in the related list (0 = first)"),
    Attribute("quality", (RELATED,), "number", "build", "the related item's quality score"),
)

_KINDS = {"node": {kind.name: kind for kind in NODES}, "edge": {kind.name: kind for kind in EDGES}}
_BY_NAME: dict[str, dict[str, Attribute]] = {
    element: {attribute.name: attribute for attribute in attributes}
    for element, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES), ("graph", GRAPH_ATTRIBUTES))
}
#: Most problems :func:`validate` lists; the rest are counted in one line.
MAX_PROBLEMS = 20


def _is_list_of_text(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


#: The test of each type (``bool`` is never a number), and what a wrong value is not.
_CHECKS = {
    "text": (lambda value: isinstance(value, str), "text"),
    "integer": (lambda value: isinstance(value, int) and not isinstance(value, bool), "an integer"),
    "number": (lambda value: isinstance(value, (int, float)) and not isinstance(value, bool), "a number"),
    "boolean": (lambda value: isinstance(value, bool), "true or false"),
    "list of text": (_is_list_of_text, "a list of text"),
}


#: The exact Python types that pass each test without calling it (the fast path of validate).
_EXACT: dict[str, tuple[type, ...]] = {"text": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
                                        "list of text": ()}


def type_problem(value_type: str, value: Any, nullable: bool = False) -> str | None:
    """Why ``value`` is not of ``value_type`` (one of :data:`TYPES`), or None when it is.

    >>> type_problem("integer", True), type_problem("list of text", ["a", 1]), type_problem("number", 2)
    ('not an integer', 'not a list of text', None)
    """
    test, expected = _CHECKS[value_type]
    return None if test(value) or (value is None and nullable) else f"not {expected}"


def _item_problems(element: str, kind: str | None, data: Mapping[str, Any], unknown: bool) -> list[str]:
    """What is wrong with the attributes of one node, edge or graph (``element``), one line each.

    Wrong types, and with ``unknown`` the names ``kind`` does not carry. Built for speed (it
    runs on every attribute of every graph read back): an exact type match costs one tuple
    lookup, and nothing is formatted unless something is wrong.
    """
    declared_names = _BY_NAME[element]
    found = []
    for name, value in data.items():
        declared = declared_names.get(name)
        if declared is None:
            if unknown:
                found.append(_unknown(name, kind))
        elif type(value) not in _EXACT[declared.type]:  # else a subclass, a list, None or a wrong type
            problem = type_problem(declared.type, value, declared.nullable)
            if problem:
                found.append(f"{name!r} is {problem}")
        if declared is not None and unknown and kind is not None and kind not in declared.kinds:
            found.append(_unknown(name, kind))
    return found


def _measure_names(kind: str) -> set[str]:
    return {measure for measure, _type, _meaning in MEASURES[kind]}


#: Node kinds whose measures are prefixed (a bare measure name on them is an old or foreign file's).
MEASURE_OWNER_OF = frozenset({PROVIDER, TOPIC})


def _unknown(name: str, kind: str | None) -> str:
    hint = ""
    if kind in MEASURE_OWNER_OF and name in _measure_names(kind):
        hint = f" (a {kind}'s is {measure_attribute(kind, name)!r})"
    return f"unknown attribute {name!r}{hint}"


def validate(graph: nx.Graph, *, unknown: bool = True) -> list[str]:
    """The ways ``graph`` breaks the schema, one line each (empty when it follows it).

    Parameters
    ----------
    graph : networkx.Graph
        A graphnews graph (built, analysed, or read back).
    unknown : bool
        Also report attribute names not declared for the node's or edge's kind. ``read_graph``
        turns this off: other tools (Gephi) add attributes of their own, and they are kept.

    Returns
    -------
    list of str
        At most :data:`MAX_PROBLEMS` lines and, past them, one line counting the rest.
        Checked: every node and edge has a known ``kind``; an edge's key is its kind and
        its ends are of the kinds it links; declared attributes have their type.
    """
    problems: list[str] = [f"graph: {problem}" for problem in _item_problems("graph", None, graph.graph, False)]
    node_kinds = _KINDS["node"]
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        found = [_kind_problem("node", kind)] if kind not in node_kinds else _item_problems("node", kind, data, unknown)
        if found:
            where = f"node {node!r}" + (f" ({kind})" if isinstance(kind, str) else "")
            problems.extend(f"{where}: {problem}" for problem in found)
    kind_of = dict(graph.nodes(data="kind"))
    edges: Iterable[tuple[Any, Any, Any, Mapping[str, Any]]] = (
        graph.edges(keys=True, data=True) if graph.is_multigraph()
        else ((u, v, None, data) for u, v, data in graph.edges(data=True)))
    for source, target, key, data in edges:
        kind = data.get("kind", key)
        declared = _KINDS["edge"].get(kind) if isinstance(kind, str) else None
        if declared is None:
            found = [_kind_problem("edge", kind)]
        else:
            found = [f"key {key!r} is not its kind"] if key is not None and key != kind else []
            ends = (kind_of[source], kind_of[target])
            if declared.ends and ends != declared.ends and ends[0] in node_kinds and ends[1] in node_kinds:
                found.append(f"links {ends[0]} -> {ends[1]}, not {declared.ends[0]} -> {declared.ends[1]}")
            found += _item_problems("edge", kind, data, unknown)
        if found:
            where = f"edge {source!r} -> {target!r}" + (f" ({kind})" if isinstance(kind, str) else "")
            problems.extend(f"{where}: {problem}" for problem in found)
    if len(problems) > MAX_PROBLEMS:
        return [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS:,} more"]
    return problems


def _kind_problem(element: str, kind: Any) -> str:
    known = ", ".join(_KINDS[element])
    if kind is None:
        return f"no 'kind' (one of {known})"
    return f"unknown kind {kind!r} (one of {known})" if isinstance(kind, str) else "'kind' is not text"


def check(graph: nx.Graph, *, unknown: bool = True, source: str = "graph") -> None:
    """Raise :class:`~graphnews.errors.SchemaError` naming the first problem :func:`validate` finds."""
    problems = validate(graph, unknown=unknown)
    if problems:
        more = f" (and {len(problems) - 1:,} more)" if len(problems) > 1 else ""
        raise SchemaError(f"{source}: {problems[0]}{more}")


def markdown_table() -> str:
    """Every kind and attribute as Markdown tables (the ones in ``docs/architecture.md``)."""
    lines = ["| kind | element | ends | set by | meaning |", "| --- | --- | --- | --- | --- |"]
    for kind in (*NODES, *EDGES):
        ends = f"{kind.ends[0]} -> {kind.ends[1]}" if kind.ends else ""
        lines.append(f"| `{kind.name}` | {kind.element} | {ends} | `{kind.stage}` | {kind.meaning} |")
    lines += ["", "| attribute | of | on | type | set by | meaning |", "| --- | --- | --- | --- | --- | --- |"]
    for element, attributes in (("graph", GRAPH_ATTRIBUTES), ("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for attribute in attributes:
            on = "all" if attribute.kinds in (_ALL_NODES, _ALL_EDGES, ("graph",)) else ", ".join(attribute.kinds)
            lines.append(f"| `{attribute.name}` | {element} | {on} | {attribute.type} | `{attribute.stage}` "
                         f"| {attribute.meaning} |")
    return "\n".join(lines) + "\n"
