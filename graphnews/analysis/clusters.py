"""Story clusters: the content links and the story listing every page uses.

:func:`enrich` adds the content links (``similar``, ``syndicated``, ``cites``) to the graph;
:func:`find_clusters` runs story detection (:mod:`.stories`: TF-IDF of titles and ledes,
time decay, wire copies, average linkage) and lists each story as a :class:`Cluster` row,
largest first, with its storyline. Every article is in exactly one story, singletons
included; :func:`~.pipeline.analyse` writes ``cluster`` (the story's number in this
listing), ``story`` and ``storyline`` (stable ids) onto the article nodes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..build import CITES, SIMILAR, SYNDICATED
from ..settings import Settings
from .annotate import add_cites_edges, add_similar_edges, add_syndicated_edges
from .citations import citations
from .similarity import PairBlocks, TextModel, similar_pairs
from .stories import Storyline, detect_stories, provider_name
from .syndication import SyndicationGroup, syndication_groups

#: The columns of :meth:`ClusterResult.to_records`.
STORY_COLUMNS = ["story", "size", "headline", "keywords", "first_report", "first_provider", "start", "end", "storyline"]


@dataclass
class Cluster:
    """One story (see :mod:`.stories`) as a listing row.

    ``id`` is its number in the listing (0 the largest), ``story`` and ``storyline`` its
    stable ids; ``label`` the headline, ``keywords`` what sets it apart; ``lead`` the first
    report (earliest published member) and ``lead_provider`` its outlet; ``providers`` are
    (display name, articles); ``why`` gives each member's evidence, ``outlets`` its provider's name.
    """

    id: int
    story: str
    size: int
    label: str
    keywords: list[str]
    lead: str
    lead_title: str
    lead_provider: str | None
    start: str | None
    end: str | None
    providers: list[tuple[str, int]]
    topics: list[str]
    syndication: list[int]
    storyline: str
    members: list[str]
    why: dict[str, str]
    outlets: dict[str, str]


@dataclass
class ClusterResult:
    """Stories of at least the listed size (largest first), every storyline, and the settings used."""

    clusters: list[Cluster]
    storylines: list[Storyline]
    settings: Settings

    def __repr__(self) -> str:
        return f"ClusterResult({len(self.clusters):,} stories, {len(self.storylines):,} storylines)"

    def _repr_html_(self) -> str:
        """The largest stories as an HTML table (Jupyter)."""
        from ..reprs import html_table

        return html_table(f"{len(self.clusters):,} stories, {len(self.storylines):,} storylines", STORY_COLUMNS,
                          self.to_records(), len(self.clusters))

    def to_records(self) -> list[dict[str, object]]:
        """One dict per story (:data:`STORY_COLUMNS`), largest first."""
        return [{"story": c.story, "size": c.size, "headline": c.label, "keywords": c.keywords, "first_report": c.lead,
                 "first_provider": c.lead_provider, "start": c.start, "end": c.end, "storyline": c.storyline}
                for c in self.clusters]

    def to_pandas(self) -> Any:
        """:meth:`to_records` as a :class:`pandas.DataFrame` (pandas is optional)."""
        from ..reprs import to_pandas

        return to_pandas(self.to_records(), STORY_COLUMNS)


def enrich(graph: nx.MultiDiGraph, settings: Settings | None = None, *,
           model: TextModel | None = None) -> dict[str, int]:
    """Add ``similar``, ``syndicated`` and ``cites`` edges to ``graph``; returns their counts by kind.

    ``settings.similar`` decides the ``similar`` edges, ``settings.syndication`` the wire copies.
    """
    settings = settings or Settings()
    pairs = similar_pairs(graph, threshold=settings.similar.min_similarity, top_k=settings.similar.top_k, model=model)
    return {
        SIMILAR: add_similar_edges(graph, pairs),
        SYNDICATED: add_syndicated_edges(graph, syndication_groups(graph, settings.syndication)),
        CITES: add_cites_edges(graph, citations(graph)),
    }


def find_clusters(graph: nx.MultiDiGraph, settings: Settings | None = None, *,
                  groups: list[SyndicationGroup] | None = None, min_size: int = 1,
                  pair_blocks: PairBlocks | None = None) -> ClusterResult:
    """The stories and storylines of ``graph``'s articles, as listing rows (the graph is not changed).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The article graph.
    settings : Settings, optional
        ``settings.stories`` is used (defaults: :class:`~graphnews.settings.Settings`).
    groups : list of SyndicationGroup, optional
        Wire-copy groups; found with :func:`~.syndication.syndication_groups` (``settings.syndication``)
        when not given.
    min_size : int
        Smallest story listed (numbering counts every story, singletons included).
    pair_blocks : PairBlocks, optional
        Where the stories' candidate products run (:func:`~.similarity.top_k_pairs`; Dask tasks
        from :func:`graphnews.distributed.candidates.dask_pair_blocks`); here by default.

    Returns
    -------
    ClusterResult
        Stories largest first (ties by earliest), ``id`` 0 the largest.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", kind="article", title="Dockers strike at Terminal 3 over new rota")
    >>> g.add_node("b", kind="article", title="Terminal 3 dockers strike over new rota")
    >>> g.add_node("c", kind="article", title="Hospital funding vote passes")
    >>> [cluster.members for cluster in find_clusters(g).clusters]
    [['a', 'b'], ['c']]
    """
    settings = settings or Settings()
    groups = syndication_groups(graph, settings.syndication) if groups is None else groups
    found = detect_stories(graph, groups, settings.stories, pair_blocks=pair_blocks)
    wire_of = {member: group.id for group in groups for member in group.members}
    nodes = graph.nodes
    clusters = []
    for number, story in enumerate(found.stories):
        if len(story.members) < min_size:
            continue
        members = [member.id for member in story.members]
        topics = Counter(topic for node in members for topic in nodes[node].get("topics") or ())
        clusters.append(Cluster(
            id=number, story=story.id, size=len(members), label=story.headline, keywords=story.keywords,
            lead=story.first, lead_title=str(nodes[story.first].get("title") or nodes[story.first].get("label") or story.first),
            lead_provider=story.first_provider, start=story.start, end=story.end, providers=story.providers,
            topics=[topic for topic, _ in sorted(topics.items(), key=lambda item: (-item[1], item[0]))],
            syndication=sorted({wire_of[node] for node in members if node in wire_of}),
            storyline=story.storyline, members=members, why={member.id: member.why for member in story.members},
            outlets={node: name for node in members if (name := provider_name(graph, node))},
        ))
    return ClusterResult(clusters, found.storylines, settings)
