"""Scoring stories against labels made by reading: BCubed, pairwise and ARI.

A truth file (the format of ``../shared/truth/README.md``) groups articles into stories and
stories into storylines; each member names the URLs the article was seen under. Members
are matched to the graph's articles by those URLs (canonicalised, so an AMP or RSS variant
finds the same node), falling back to the member's ``id``. Only articles that are both
labelled and in the graph are scored; the rest are counted, never guessed.

Scores (each precision, recall and F1):

* **BCubed** (Bagga & Baldwin 1998; Amigó et al. 2009): per article, the share of its
  predicted group that is in its true group (precision) and the share of its true group
  that is in its predicted group (recall), averaged over articles; F1 of the two averages.
* **pairwise**: over the pairs of articles put in one group. Precision of no pairs at all is
  1.0 (nothing was wrongly put together); F1 is 0 when recall is 0.
* **ARI**: the adjusted Rand index (Hubert & Arabie 1985).

Examples
--------
>>> truth = {"a": "s1", "b": "s1", "c": "s2"}
>>> predicted = {"a": "x", "b": "y", "c": "y"}
>>> scores = score_partition(truth, predicted)
>>> round(scores.bcubed_precision, 4), round(scores.bcubed_recall, 4), scores.pairwise_f1
(0.6667, 0.6667, 0.0)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, field
from math import comb

import networkx as nx

from ..errors import TruthError
from ..lookup import url_index
from ..urls import canonical_url

LEVELS = ("story", "storyline")


@dataclass(frozen=True)
class TruthMember:
    """One labelled article: its id at labelling time and every URL it was seen under."""

    id: str
    urls: tuple[str, ...]
    story: int
    storyline: int


@dataclass(frozen=True)
class Truth:
    """A labelled set: members with their story and storyline numbers, and the labels."""

    annotator: str
    members: tuple[TruthMember, ...]
    story_labels: tuple[str, ...]
    storyline_labels: tuple[str, ...]


def parse_truth(data: object, where: str = "truth") -> Truth:
    """A :class:`Truth` from the decoded JSON of a truth file; raises :class:`TruthError`.

    >>> truth = parse_truth({"storylines": [{"label": "L", "stories": [
    ...     {"label": "S", "members": [{"id": "article:a.com/1", "urls": ["https://a.com/1"]}]}]}]})
    >>> truth.members[0].story, truth.story_labels
    (0, ('S',))
    """
    if not isinstance(data, dict) or not isinstance(data.get("storylines"), list):
        raise TruthError(f"{where}: expected an object with a 'storylines' list")
    members: list[TruthMember] = []
    story_labels: list[str] = []
    storyline_labels: list[str] = []
    for line_number, storyline in enumerate(data["storylines"]):
        if not isinstance(storyline, dict) or not isinstance(storyline.get("stories"), list):
            raise TruthError(f"{where}: storyline {line_number + 1} has no 'stories' list")
        storyline_labels.append(str(storyline.get("label") or ""))
        for story in storyline["stories"]:
            if not isinstance(story, dict) or not isinstance(story.get("members"), list):
                raise TruthError(f"{where}: a story of storyline {line_number + 1} has no 'members' list")
            story_number = len(story_labels)
            story_labels.append(str(story.get("label") or ""))
            for member in story["members"]:
                if not isinstance(member, dict):
                    raise TruthError(f"{where}: a member of story {story_number + 1} is not an object")
                urls = member.get("urls") or []
                if not isinstance(urls, list):
                    raise TruthError(f"{where}: 'urls' of a member of story {story_number + 1} is not a list")
                members.append(TruthMember(str(member.get("id") or ""), tuple(str(url) for url in urls),
                                           story_number, line_number))
    return Truth(str(data.get("annotator") or ""), tuple(members), tuple(story_labels), tuple(storyline_labels))


def split_by_storyline(truth: Truth, parts: int = 2) -> list[Truth]:
    """``truth`` in ``parts`` disjoint pieces, whole storylines each (storyline ``k`` in piece ``k % parts``).

    What a change of the method is checked on against over-fitting: a setting chosen on one
    piece is kept only if it helps on the others too. A storyline is never cut, so no
    labelled story (and no near-duplicate of a story) lies in two pieces. Story and
    storyline numbers keep their meaning; :func:`evaluate` scores a piece as it would the
    whole set, over that piece's articles only.

    >>> truth = parse_truth({"storylines": [{"stories": [{"members": [{"id": name}]}]} for name in "abc"]})
    >>> [[m.id for m in piece.members] for piece in split_by_storyline(truth)]
    [['a', 'c'], ['b']]
    """
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    return [Truth(f"{truth.annotator} part {piece + 1}/{parts}".strip(),
                  tuple(member for member in truth.members if member.storyline % parts == piece),
                  truth.story_labels, truth.storyline_labels) for piece in range(parts)]


def load_truth(path: str) -> Truth:
    """Read a truth file (JSON, the format of the shared truth README)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise TruthError(f"{path}: cannot read: {error.strerror or error}") from None
    except (ValueError, RecursionError) as error:
        raise TruthError(f"{path}: not valid JSON ({error})") from None
    return parse_truth(data, path)


def match_members(graph: nx.Graph, truth: Truth) -> dict[str, TruthMember]:
    """Article id -> its labelled member, by any canonical URL of the member, else its id.

    A member that matches no article is left out; two members that match one article keep
    the first (the truth file then disagrees with the graph's URL identity).
    """
    index = url_index(graph)
    matched: dict[str, TruthMember] = {}
    for member in truth.members:
        node = next((index[key] for key in map(canonical_url, member.urls) if key and key in index), None)
        if node is None and graph.nodes.get(member.id, {}).get("kind") == "article":
            node = member.id
        if node is not None:
            matched.setdefault(node, member)
    return matched


@dataclass(frozen=True)
class Scores:
    """Agreement of a predicted partition with a true one (see the module docstring)."""

    articles: int
    true_groups: int
    predicted_groups: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    ari: float


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_partition(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Scores:
    """Score ``predicted`` against ``truth`` over the items both name.

    Parameters
    ----------
    truth, predicted : mapping
        Item -> group key. Items missing from either mapping are not scored.

    Examples
    --------
    >>> s = score_partition({"a": 1, "b": 1, "c": 2, "d": 2}, {"a": 1, "b": 1, "c": 1, "d": 2})
    >>> s.pairwise_precision, s.pairwise_recall, round(s.bcubed_precision, 4), s.bcubed_recall
    (0.3333333333333333, 0.5, 0.6667, 0.75)
    """
    items = sorted((item for item in truth if item in predicted), key=str)
    pairs_of = Counter((truth[item], predicted[item]) for item in items)
    true_sizes = Counter(truth[item] for item in items)
    predicted_sizes = Counter(predicted[item] for item in items)
    n = len(items)
    precision = sum(count * count / predicted_sizes[p] for (_, p), count in pairs_of.items()) / n if n else 1.0
    recall = sum(count * count / true_sizes[t] for (t, _), count in pairs_of.items()) / n if n else 1.0
    together = sum(comb(count, 2) for count in pairs_of.values())
    predicted_pairs = sum(comb(size, 2) for size in predicted_sizes.values())
    true_pairs = sum(comb(size, 2) for size in true_sizes.values())
    pair_precision = together / predicted_pairs if predicted_pairs else 1.0
    pair_recall = together / true_pairs if true_pairs else 1.0
    expected = predicted_pairs * true_pairs / comb(n, 2) if n > 1 else 0.0
    best = (predicted_pairs + true_pairs) / 2
    ari = (together - expected) / (best - expected) if best != expected else 1.0
    return Scores(
        articles=n, true_groups=len(true_sizes), predicted_groups=len(predicted_sizes),
        bcubed_precision=precision, bcubed_recall=recall, bcubed_f1=_f1(precision, recall),
        pairwise_precision=pair_precision, pairwise_recall=pair_recall,
        pairwise_f1=_f1(pair_precision, pair_recall) if true_pairs else 0.0, ari=ari,
    )


@dataclass(frozen=True)
class Evaluation:
    """Scores at each level, with how many labelled members were found in the graph."""

    annotator: str
    labelled: int
    matched: int
    unlabelled_articles: int
    levels: dict[str, Scores] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: counts and, per level, every score."""
        return {"annotator": self.annotator, "labelled": self.labelled, "matched": self.matched,
                "unlabelled_articles": self.unlabelled_articles,
                "levels": {level: asdict(scores) for level, scores in self.levels.items()}}


def evaluate(graph: nx.Graph, truth: Truth) -> Evaluation:
    """Score the graph's ``story`` and ``storyline`` node attributes against ``truth``.

    An article without the attribute counts as a group of its own (it was put with nothing).
    """
    matched = match_members(graph, truth)
    articles = [node for node, kind in graph.nodes(data="kind") if kind == "article"]
    levels: dict[str, Scores] = {}
    for level in LEVELS:
        expected = {node: getattr(member, level) for node, member in matched.items()}
        predicted = {node: graph.nodes[node].get(level, f"alone:{node}") for node in matched}
        levels[level] = score_partition(expected, predicted)
    return Evaluation(truth.annotator, len(truth.members), len(matched), len(articles) - len(matched), levels)
