"""Coverage of stories: what got covered, who reported first, who follows whom, what one camp missed.

Everything here is read off the stories (:mod:`.stories`) and the publication times; no
new model. Times are the articles' ``published`` values, so "first" means first *published*
in the corpus, not first to know.

* **Prominence** of a story: distinct providers first; then, as a tie-break worth less than
  one provider in all, articles (0.4 x log2(articles) / 10, capped), span (0.4 x days / 7,
  capped) and wire pickup (0.1 when wire copies carry it). So a story told by four outlets
  outranks every story told by three.
* **Providers**: stories covered, stories reported first (of the stories two or more
  providers told), median delay behind the first report, share of its stories that reached
  it as wire copies.
* **Lead and lag**: for two providers that told at least ``min_shared`` stories in common,
  how often the second published after the first and the median lag, listed once, from the
  side that usually publishes first (both ways when the median lag is 0).
* **Camps**: communities (Louvain, seed 0) of the providers linked by the stories they share.
  A camp is named by its three largest members. Co-coverage camps are *not* political leanings:
  they group outlets that tell the same stories, which in a small corpus is mostly who
  publishes a lot on the same days.
* **Blindspots**: a story told by at least ``min_outlets`` providers, all in one camp, while
  other camps exist: a blindspot of the other camps.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

import networkx as nx

from .clusters import Cluster, ClusterResult
from .stories import published_hours
from .syndication import SyndicationGroup

MIN_SHARED = 2
MIN_OUTLETS = 2


@dataclass(frozen=True)
class StoryCoverage:
    """One story's coverage: how many outlets, articles, when and who first."""

    story: str
    number: int
    headline: str
    providers: int
    articles: int
    first_published: str | None
    first_provider: str | None
    span_hours: float
    wire: bool
    prominence: float
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class ProviderCoverage:
    """One provider's record: stories covered and reported first, median delay, wire share."""

    provider: str
    name: str
    stories: int
    shared_stories: int
    first_reports: int
    median_delay_hours: float | None
    wire_share: float
    camp: int | None


@dataclass(frozen=True)
class LeadLag:
    """How ``follower`` published after ``leader`` on the stories both told."""

    leader: str
    follower: str
    shared: int
    follower_later: int
    median_lag_hours: float


@dataclass(frozen=True)
class Camp:
    """Providers that tell the same stories, named by their three largest members."""

    id: int
    label: str
    providers: tuple[str, ...]


@dataclass(frozen=True)
class Blindspot:
    """A story told only inside one camp by at least ``min_outlets`` outlets."""

    story: str
    headline: str
    camp: int
    outlets: tuple[str, ...]
    missed_by: tuple[int, ...]


@dataclass
class Coverage:
    """Every coverage table of one corpus (see the module docstring)."""

    stories: list[StoryCoverage] = field(default_factory=list)
    providers: list[ProviderCoverage] = field(default_factory=list)
    leadlag: list[LeadLag] = field(default_factory=list)
    camps: list[Camp] = field(default_factory=list)
    blindspots: list[Blindspot] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"Coverage({len(self.stories):,} stories, {len(self.providers):,} providers, "
                f"{len(self.leadlag):,} lead-lag pairs, {len(self.camps):,} camps, {len(self.blindspots):,} blindspots)")


def prominence(providers: int, articles: int, span_hours: float, wire: bool) -> float:
    """Distinct providers, then articles, span and wire pickup as a tie-break worth under 1.

    >>> prominence(4, 1, 0.0, False) > prominence(3, 500, 24 * 30, True)
    True
    >>> round(prominence(2, 4, 48.0, True), 4)
    2.2943
    """
    return (providers + 0.4 * min(math.log2(max(articles, 1)), 10.0) / 10.0
            + 0.4 * min(span_hours / 24.0, 7.0) / 7.0 + (0.1 if wire else 0.0))


def _first_times(graph: nx.Graph, cluster: Cluster) -> dict[str, float]:
    """Provider -> the time of its first article in the story (providers with a dated article)."""
    first: dict[str, float] = {}
    for node in cluster.members:
        provider, when = graph.nodes[node].get("provider"), published_hours(graph.nodes[node].get("published"))
        if provider and when is not None and (provider not in first or when < first[provider]):
            first[provider] = when
    return first


def coverage(graph: nx.Graph, stories: ClusterResult, groups: Sequence[SyndicationGroup] = (), *,
             min_shared: int = MIN_SHARED, min_outlets: int = MIN_OUTLETS, seed: int = 0) -> Coverage:
    """The coverage tables of ``stories`` (all of them, singletons included).

    Parameters
    ----------
    graph : the analysed article graph (``provider``, ``published`` on articles).
    stories : the stories (:func:`~.clusters.find_clusters` with ``min_size=1``).
    groups : wire-copy groups: a provider's article in one counts as wire pickup.
    min_shared : pairs of providers with fewer shared stories get no lead-lag row.
    min_outlets : a story needs this many outlets of one camp to be a blindspot.
    seed : seed of the camp communities.

    Examples
    --------
    >>> from graphnews.settings import Settings
    >>> g = nx.Graph()
    >>> for node, provider, when in [("a1", "p:a", "2031-01-01T08:00:00Z"), ("b1", "p:b", "2031-01-01T10:00:00Z")]:
    ...     g.add_node(node, kind="article", provider=provider, published=when)
    >>> g.add_nodes_from([("p:a", {"kind": "provider", "label": "A"}), ("p:b", {"kind": "provider", "label": "B"})])
    >>> story = Cluster(0, "story:1", 2, "H", [], "a1", "H", "A", "2031-01-01T08:00:00Z", "2031-01-01T10:00:00Z",
    ...                 [("A", 1), ("B", 1)], [], [], "storyline:1", ["a1", "b1"], {}, {})
    >>> result = coverage(g, ClusterResult([story], [], Settings()), min_shared=1)
    >>> [(p.name, p.first_reports, p.median_delay_hours) for p in result.providers]
    [('A', 1, 0.0), ('B', 0, 2.0)]
    >>> [(r.leader, r.follower, r.follower_later, r.median_lag_hours) for r in result.leadlag]
    [('p:a', 'p:b', 1, 2.0)]
    """
    names = {node: str(data.get("label") or node) for node, data in graph.nodes(data=True) if data.get("kind") == "provider"}
    wired = {member for group in groups for member in group.members}
    rows: list[StoryCoverage] = []
    firsts: dict[str, dict[str, float]] = {}
    covered: dict[str, set[str]] = defaultdict(set)
    wire_stories: dict[str, set[str]] = defaultdict(set)
    for cluster in stories.clusters:
        outlets = sorted({str(graph.nodes[node]["provider"]) for node in cluster.members if graph.nodes[node].get("provider")})
        start, end = published_hours(cluster.start), published_hours(cluster.end)
        span = (end - start) if start is not None and end is not None else 0.0
        wire = any(node in wired for node in cluster.members)
        rows.append(StoryCoverage(cluster.story, cluster.id, cluster.label, len(outlets), cluster.size, cluster.start,
                                  cluster.lead_provider, round(span, 2), wire,
                                  round(prominence(len(outlets), cluster.size, span, wire), 4), tuple(outlets)))
        firsts[cluster.story] = _first_times(graph, cluster)
        for provider in outlets:
            covered[provider].add(cluster.story)
        for node in cluster.members:
            if node in wired and graph.nodes[node].get("provider"):
                wire_stories[str(graph.nodes[node]["provider"])].add(cluster.story)
    rows.sort(key=lambda row: (-row.prominence, row.first_published or "9999", row.story))
    camp_of, camps = provider_camps(rows, names, seed=seed)
    return Coverage(
        stories=rows,
        providers=_provider_rows(firsts, covered, wire_stories, names, camp_of),
        leadlag=_lead_lag(firsts, min_shared),
        camps=camps,
        blindspots=_blindspots(rows, camp_of, camps, min_outlets),
    )


def _provider_rows(firsts: dict[str, dict[str, float]], covered: dict[str, set[str]],
                   wire_stories: dict[str, set[str]], names: dict[str, str],
                   camp_of: dict[str, int]) -> list[ProviderCoverage]:
    delays: dict[str, list[float]] = defaultdict(list)
    first_reports: Counter[str] = Counter()
    for times in firsts.values():
        if len(times) < 2:
            continue
        earliest = min(times.values())
        leader = min(provider for provider, when in times.items() if when == earliest)
        first_reports[leader] += 1
        for provider, when in times.items():
            delays[provider].append(when - earliest)
    rows = [ProviderCoverage(
        provider=provider, name=names.get(provider, provider), stories=len(stories),
        shared_stories=len(delays.get(provider, ())), first_reports=first_reports[provider],
        median_delay_hours=round(median(delays[provider]), 2) if delays.get(provider) else None,
        wire_share=round(len(wire_stories.get(provider, ())) / len(stories), 4), camp=camp_of.get(provider),
    ) for provider, stories in covered.items()]
    rows.sort(key=lambda row: (-row.stories, -row.first_reports, row.provider))
    return rows


def _lead_lag(firsts: dict[str, dict[str, float]], min_shared: int) -> list[LeadLag]:
    lags: dict[tuple[str, str], list[float]] = defaultdict(list)
    for times in firsts.values():
        providers = sorted(times)
        if len(providers) > 50:  # a story told by 50+ outlets adds 2,500 pairs: keep the earliest 50
            providers = sorted(providers, key=lambda provider: (times[provider], provider))[:50]
        for leader in providers:
            for follower in providers:
                if leader != follower:
                    lags[(leader, follower)].append(times[follower] - times[leader])
    rows = [LeadLag(leader, follower, len(values), sum(1 for value in values if value > 0), round(median(values), 2))
            for (leader, follower), values in lags.items() if len(values) >= min_shared]
    # each pair once, from the side that usually publishes first (a tie: both ways)
    rows = [row for row in rows if row.median_lag_hours >= 0]
    rows.sort(key=lambda row: (-row.shared, -row.median_lag_hours, row.leader, row.follower))
    return rows


def provider_camps(rows: Sequence[StoryCoverage], names: dict[str, str], *, seed: int = 0) -> tuple[dict[str, int], list[Camp]]:
    """Camps: Louvain communities of providers linked by the number of stories they share."""
    shared = nx.Graph()
    stories_of: Counter[str] = Counter()
    for row in rows:
        stories_of.update(row.outlets)
        shared.add_nodes_from(row.outlets)
        for i, a in enumerate(row.outlets):
            for b in row.outlets[i + 1:i + 51]:  # bounded per story, as in lead-lag
                weight = shared.get_edge_data(a, b, {"weight": 0})["weight"]
                shared.add_edge(a, b, weight=weight + 1)
    if shared.number_of_edges() == 0:
        return {}, []
    found = nx.community.louvain_communities(shared, weight="weight", seed=seed)
    ordered = sorted((sorted(group, key=lambda p: (-stories_of[p], p)) for group in found),
                     key=lambda members: (-sum(stories_of[p] for p in members), members[0]))
    camps = [Camp(number, " / ".join(names.get(p, p) for p in members[:3]), tuple(members))
             for number, members in enumerate(ordered)]
    return {provider: camp.id for camp in camps for provider in camp.providers}, camps


def _blindspots(rows: Sequence[StoryCoverage], camp_of: dict[str, int], camps: Sequence[Camp],
                min_outlets: int) -> list[Blindspot]:
    real = [camp.id for camp in camps if len(camp.providers) > 1]
    if len(real) < 2:
        return []
    spots = []
    for row in rows:
        if len(row.outlets) < min_outlets or any(provider not in camp_of for provider in row.outlets):
            continue
        owners = {camp_of[provider] for provider in row.outlets}
        if len(owners) == 1:
            (camp,) = owners
            spots.append(Blindspot(row.story, row.headline, camp, row.outlets,
                                   tuple(other for other in real if other != camp)))
    return spots
