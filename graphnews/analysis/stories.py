"""Stories and storylines: which articles report one event, and which events form one thread.

A **story** is one event or development, what an aggregator shows under one headline; a
**storyline** is a continuing thread of stories (definitions of ``../shared/truth/README.md``).
Most articles of a day are the only report of their story, so singletons are normal.

Method (fitted on the labelled election set; every figure is a
:class:`~graphnews.settings.StorySettings` field, ``stories.*`` of the settings):

1. **Text.** Each article's title (twice) and lede (:func:`~.similarity.headline_text`)
   become a TF-IDF vector of words and word bigrams. Candidate pairs are the ``neighbours``
   most similar articles of each article with a cosine of at least the storyline threshold
   (sparse products: never all pairs).
2. **Time.** A pair's score is its cosine times ``exp(-hours apart / decay)``; an article
   without a date is not decayed. Stories decay fast (``story_decay_hours``), storylines slowly.
3. **Wire copies** (:mod:`.syndication`) score 1 before the decay: the same lede from two
   outlets within days is one story, the same lede reused a month later is not.
4. **Stories** are average-linkage clusters (:mod:`.linkage`) cut at ``story_threshold``:
   two groups merge while the mean score over all their member pairs stays above it. No
   resolution limit, unlike modularity, which merged whole days into one community.
5. **Storylines** continue the same linkage from the stories, with the slow decay, down to
   ``storyline_threshold`` or ``storyline_threshold_ratio`` times the corpus'
   :func:`background_similarity` (the mean cosine of two of its articles), whichever is
   higher: every story lies in exactly one storyline. A thread is told apart from the words
   every article of the corpus shares (a city's name in a local week, a president's in an
   election month), so its threshold rises with them: the cosine that joined the labelled
   election set's threads well (0.01) merged the fictional sample's six threads into three,
   whose background is twice as high. The fixed floor keeps a diverse corpus (background
   near 0) from linking everything it can: the 100k benchmark's storylines took twice the
   time without it.

Related lists are not used: in the dataset they are long machine-made snapshots (one
outlet lists ~140 items in every record), and weighting their links even by ``1 / length``
lowered both scores on the labelled set.

Each story gets a headline (the title of its most typical member: the highest summed score
to the others, ties by the earliest), 3-5 keywords that set it apart from the rest of the
corpus (class-based TF-IDF), its first report, providers, span, and for each member the
evidence that put it there.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..build import ARTICLE
from ..settings import StorySettings
from .linkage import average_linkage
from .similarity import PairBlocks, ScoredPairs, TextModel, cosine_pairs, fit_text_model, headline_text
from .syndication import SyndicationGroup

HEADLINE_CHARACTERS = 100
#: Pairs scoring under this share of a level's threshold are left out of its linkage.
PAIR_FLOOR = 0.4
KEYWORDS = 5


@dataclass(frozen=True)
class Member:
    """One article of a story and why it is there (its strongest link inside the story)."""

    id: str
    why: str


@dataclass
class Story:
    """One event: members earliest first, with headline, keywords, first report and spread."""

    id: str
    headline: str
    keywords: list[str]
    members: list[Member]
    first: str
    first_provider: str | None
    first_published: str | None
    start: str | None
    end: str | None
    providers: list[tuple[str, int]]
    storyline: str = ""


@dataclass
class Storyline:
    """A thread of stories: its label is the headline of its largest story."""

    id: str
    label: str
    keywords: list[str]
    stories: list[str]
    articles: int


@dataclass
class StoryResult:
    """Stories (largest first, then earliest) and storylines (same order)."""

    stories: list[Story]
    storylines: list[Storyline]
    settings: StorySettings = field(default_factory=StorySettings)

    def story_of(self) -> dict[str, str]:
        """Article id -> story id."""
        return {member.id: story.id for story in self.stories for member in story.members}


def published_hours(published: object) -> float | None:
    """An ISO 8601 ``published`` value as hours since the epoch (None when missing or not a date).

    >>> published_hours("1970-01-02T00:00:00Z")
    24.0
    """
    if not isinstance(published, str) or not published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).timestamp() / 3600.0
    except (ValueError, OverflowError):
        return None


def background_similarity(matrix: sp.csr_matrix) -> float:
    """The mean cosine of two different rows of ``matrix`` (L2-normalised rows): what unrelated articles score.

    ``(|sum of rows|^2 - sum of |row|^2) / (n (n - 1))``: one pass over the vectors, no pairs.

    >>> round(background_similarity(sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]]))), 4)  # (0.6 + 0 + 0.8) / 3
    0.4667
    """
    rows = matrix.shape[0]
    if rows < 2:
        return 0.0
    total = matrix.T @ np.ones(rows, dtype=np.float64)
    own = float(matrix.multiply(matrix).sum(dtype=np.float64))
    return max(0.0, (float(total @ total) - own) / (rows * (rows - 1)))


def _decayed(pairs: ScoredPairs, hours: np.ndarray, decay: float, floor: float = 0.0) -> ScoredPairs:
    """Each pair's score times ``exp(-|hours apart| / decay)`` (undated: no decay); scores under ``floor`` dropped.

    Pairs under :data:`PAIR_FLOOR` of the threshold move no story: leaving them out changed
    no score on the labelled set (to three decimals) and cut the linkage work by half.
    """
    apart = np.abs(hours[pairs.first] - hours[pairs.second])
    scores = pairs.scores * np.where(np.isnan(apart), 1.0, np.exp(-np.nan_to_num(apart) / decay))
    return pairs.with_scores(scores).where(scores >= floor)


@dataclass(frozen=True)
class StoryArticles:
    """What story detection reads of the articles, as parallel lists over their sorted ids.

    ``titles``: title, else label, else id (what a headline shows); ``texts``: the
    :func:`~.similarity.headline_text` the TF-IDF model reads; ``published``: ISO 8601
    text or None; ``providers``: provider display names or None. Built from a graph by
    :func:`story_articles`, or straight from columns (the Parquet path, :mod:`graphnews.tables`).
    """

    ids: list[str]
    titles: list[str]
    texts: list[str]
    published: list[str | None]
    providers: list[str | None]


def story_articles(nodes: Mapping[str, Mapping[str, object]], ids: Sequence[str]) -> StoryArticles:
    """The :class:`StoryArticles` of ``ids`` from node attributes by id (``graph.nodes``, or any such mapping)."""
    titles: list[str] = []
    texts: list[str] = []
    published: list[str | None] = []
    providers: list[str | None] = []
    for node in ids:
        data = nodes[node]
        titles.append(str(data.get("title") or data.get("label") or node))
        texts.append(headline_text(data))  # type: ignore[arg-type]
        when = data.get("published")
        published.append(str(when) if when else None)
        providers.append(_display_name(nodes, data.get("provider")))
    return StoryArticles(list(ids), titles, texts, published, providers)


def detect_stories(graph: nx.Graph, groups: Sequence[SyndicationGroup] = (), settings: StorySettings | None = None,
                   *, model: TextModel | None = None, pair_blocks: PairBlocks | None = None) -> StoryResult:
    """Find the stories and storylines of the articles of ``graph`` (method in the module docstring).

    Parameters
    ----------
    graph : networkx graph
        Article nodes with ``title``, ``excerpt``/``body``, ``published``, ``provider``.
    groups : sequence of SyndicationGroup
        Wire-copy groups (:func:`~.syndication.syndication_groups`): each is kept in one story.
    settings : StorySettings, optional
    model : TextModel, optional
        A model fitted with :func:`~.similarity.headline_text` and bigrams (saves a fit).
    pair_blocks : PairBlocks, optional
        Where the candidate pairs' products run (:func:`~.similarity.top_k_pairs`); here by default.

    Returns
    -------
    StoryResult
        Pure data; :func:`~.pipeline.analyse` writes ``story``/``storyline`` onto the nodes.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", kind="article", title="Dockers strike at Terminal 3 over new rota", published="2031-03-12T08:00:00Z")
    >>> g.add_node("b", kind="article", title="Terminal 3 dockers strike over new rota", published="2031-03-12T11:00:00Z")
    >>> g.add_node("c", kind="article", title="Hospital funding vote passes", published="2031-03-12T09:00:00Z")
    >>> [[m.id for m in story.members] for story in detect_stories(g).stories]
    [['a', 'b'], ['c']]
    """
    ids = model.ids if model else sorted(node for node, kind in graph.nodes(data="kind") if kind == ARTICLE)
    return stories_of_articles(story_articles(graph.nodes, ids), groups, settings, model=model, pair_blocks=pair_blocks)


def stories_of_articles(articles: StoryArticles, groups: Sequence[SyndicationGroup] = (),
                        settings: StorySettings | None = None, *, model: TextModel | None = None,
                        pair_blocks: PairBlocks | None = None) -> StoryResult:
    """:func:`detect_stories` on the articles as columns: the array-level core both paths run.

    ``model``, when given, must be fitted on ``articles.texts`` with bigrams (rows in ``articles.ids`` order).
    ``pair_blocks`` runs the candidate pairs' sparse products elsewhere (Dask tasks), same result.
    """
    settings = settings or StorySettings()
    model = model or fit_text_model(articles.ids, articles.texts, ngram_range=(1, 2))
    ids = model.ids
    row = {node: number for number, node in enumerate(ids)}
    hours = np.array([published_hours(when) for when in articles.published], dtype=np.float64)
    line_threshold = max(settings.storyline_threshold,
                         settings.storyline_threshold_ratio * background_similarity(model.matrix))
    story_floor = settings.story_threshold * PAIR_FLOOR
    cosines = cosine_pairs(model.matrix, threshold=min(line_threshold, story_floor), top_k=settings.neighbours,
                           pair_blocks=pair_blocks) if model.matrix.shape[1] else ScoredPairs.of({})
    wire: set[tuple[int, int]] = set()
    for group in groups:
        rows = sorted(row[node] for node in group.members if node in row)
        wire.update(pairwise(rows))  # a chain keeps the group together: O(n) pairs
    story_scores = _decayed(cosines, hours, settings.story_decay_hours, floor=story_floor).updated(
        _decayed(ScoredPairs.of(dict.fromkeys(wire, 1.0)), hours, settings.story_decay_hours), len(ids))
    story_labels = average_linkage(len(ids), story_scores, settings.story_threshold)
    line_scores = _decayed(cosines, hours, settings.storyline_decay_hours, floor=line_threshold * PAIR_FLOOR)
    line_labels = average_linkage(len(ids), line_scores, line_threshold, start=story_labels)
    stories = _describe_stories(articles, model, story_labels, story_scores, cosines, wire)
    return StoryResult(stories, _describe_storylines(model, stories, line_labels, row), settings)


def _stable_id(prefix: str, first_member: str) -> str:
    """An id that stays the same for the same earliest member: ``story:3f2a...``."""
    return f"{prefix}:{hashlib.sha1(first_member.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _chronological(articles: StoryArticles, rows: list[int]) -> list[int]:
    return sorted(rows, key=lambda r: (articles.published[r] or "9999", articles.ids[r]))


def _groups(labels: Sequence[int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for item, label in enumerate(labels):
        groups.setdefault(label, []).append(item)
    return groups


def provider_name(graph: nx.Graph, node: str) -> str | None:
    """The display name of an article's provider (None when it has none)."""
    return _display_name(graph.nodes, graph.nodes[node].get("provider"))


def _display_name(nodes: Mapping[str, Mapping[str, object]], provider: object) -> str | None:
    """A provider id's display name: its node's label, else the id (None for no provider)."""
    if not provider:
        return None
    return str(nodes[provider].get("label") or provider) if provider in nodes else str(provider)  # type: ignore[index]


def shorten(text: str, limit: int = HEADLINE_CHARACTERS) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters.

    >>> shorten("Biden names Ron Klain as chief of staff", 20)
    'Biden names Ron…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _describe_stories(articles: StoryArticles, model: TextModel, labels: list[int],
                      scores: ScoredPairs, cosines: ScoredPairs, wire: set[tuple[int, int]]) -> list[Story]:
    ids, titles, published, providers_of = articles.ids, articles.titles, articles.published, articles.providers
    best: dict[int, tuple[float, int]] = {}  # row -> (score, other row) of its strongest link in its story
    strength: defaultdict[int, float] = defaultdict(float)  # row -> summed link scores
    for (a, b), score in scores.items():
        if labels[a] != labels[b]:
            continue
        strength[a] += score
        strength[b] += score
        for mine, other in ((a, b), (b, a)):
            if score > best.get(mine, (-1.0, -1))[0]:
                best[mine] = (score, other)
    cosine_of = cosines.lookup({(min(r, other), max(r, other)) for r, (_, other) in best.items()}, len(ids))
    grouped = _groups(labels)
    keywords = distinctive_terms(model, list(grouped.values()))
    stories = []
    for (_, rows), words in zip(grouped.items(), keywords):
        members = _chronological(articles, rows)
        typical = min(rows, key=lambda r: (-strength[r], published[r] or "9999", ids[r]))
        dates = [date for date in (published[r] for r in members) if date]
        providers = Counter(name for name in (providers_of[r] for r in members) if name)
        first = members[0]

        def why(r: int) -> str:
            if len(rows) == 1:  # noqa: B023 (why() is called for this story's rows only, in this iteration)
                return "the only report of this story"
            score, other = best.get(r, (0.0, -1))
            if other < 0:
                return "close to the story as a whole (mean similarity above the threshold)"
            pair = (min(r, other), max(r, other))
            if pair in wire:
                return f"same wire copy as “{shorten(titles[other], 60)}”"
            return f"similar to “{shorten(titles[other], 60)}” ({cosine_of.get(pair, score):.2f})"

        stories.append(Story(
            id=_stable_id("story", ids[first]), headline=shorten(titles[typical]), keywords=words,
            members=[Member(ids[r], why(r)) for r in members], first=ids[first],
            first_provider=providers_of[first], first_published=published[first],
            start=min(dates) if dates else None, end=max(dates) if dates else None,
            providers=sorted(providers.items(), key=lambda item: (-item[1], item[0])),
        ))
    stories.sort(key=lambda story: (-len(story.members), story.start or "9999", story.id))
    return stories


def _describe_storylines(model: TextModel, stories: list[Story], line_labels: list[int],
                         row: dict[str, int]) -> list[Storyline]:
    by_line: dict[int, list[Story]] = {}
    for story in stories:  # stories are largest first, so a storyline's first story is its largest
        by_line.setdefault(line_labels[row[story.members[0].id]], []).append(story)
    lines = list(by_line.values())
    keywords = distinctive_terms(model, [[row[m.id] for story in line for m in story.members] for line in lines])
    storylines = []
    for line, words in zip(lines, keywords):
        earliest = min(line, key=lambda story: (story.first_published or "9999", story.first))
        storyline = Storyline(id=_stable_id("storyline", earliest.first), label=line[0].headline, keywords=words,
                              stories=[story.id for story in line], articles=sum(len(s.members) for s in line))
        for story in line:
            story.storyline = storyline.id
        storylines.append(storyline)
    storylines.sort(key=lambda line: (-line.articles, line.id))
    return storylines


def distinctive_terms(model: TextModel, groups: list[list[int]], words: int = KEYWORDS) -> list[list[str]]:
    """Terms that set each group of rows apart from the corpus (class-based TF-IDF).

    A term scores (share of the group's articles that use it) x log(1 + articles / articles
    using it), so a word on every article of the corpus ("election") never wins and a word
    on every article of the group does. In a group of two or more only the terms that at least
    two of its articles use count; a word already inside a chosen bigram is skipped.

    >>> from graphnews.analysis.similarity import make_vectorizer
    >>> texts = ["dockers strike terminal", "dockers strike rota", "hospital vote", "hospital funding"]
    >>> vectorizer = make_vectorizer()
    >>> model = TextModel(list("abcd"), vectorizer.fit_transform(texts).tocsr(), vectorizer.get_feature_names_out())
    >>> distinctive_terms(model, [[0, 1], [2, 3]], words=2)
    [['dockers', 'strike'], ['hospital']]
    """
    if not model.terms.size or not groups:
        return [[] for _ in groups]
    present = model.matrix.copy()
    present.data[:] = 1.0
    n_articles = present.shape[0]
    weight = np.log1p(n_articles / np.maximum(np.asarray(present.sum(axis=0)).ravel(), 1.0))
    rows = [r for group in groups for r in group]
    columns = [number for number, group in enumerate(groups) for _ in group]
    indicator = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (columns, rows)), shape=(len(groups), n_articles))
    counts = (indicator @ present).tocsr()
    result = []
    for number, group in enumerate(groups):
        lo, hi = counts.indptr[number], counts.indptr[number + 1]
        terms, used = counts.indices[lo:hi], counts.data[lo:hi]
        if len(group) > 1 and (used > 1).any():  # a story's keywords are words its reports share
            terms, used = terms[used > 1], used[used > 1]
        score = used / len(group) * weight[terms]
        chosen: list[str] = []
        for position in np.lexsort((model.terms[terms], -score)):
            term = str(model.terms[terms[position]])
            if any(term in kept.split() or kept in term.split() for kept in chosen):
                continue
            chosen.append(term)
            if len(chosen) == words:
                break
        result.append(chosen)
    return result

