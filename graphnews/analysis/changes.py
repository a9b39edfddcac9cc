"""What is new since an earlier run: stable story ids and the changes between two runs.

A story keeps its id when the corpus grows: a story of this run takes the id of the earlier
story whose members it holds most of (each earlier id goes to one story at most, the one
with the largest overlap; ties by the larger earlier story, then by id). From the same
matching come the changes:

* ``new``: a story none of whose articles was in an earlier story;
* ``grew``: a story that kept its id and gained articles (which, and from which outlets);
* ``merged``: an earlier story whose articles are now inside a story with another id;
* ``split``: a story that took articles of an earlier story which kept its id elsewhere;
* ``gone``: an earlier story none of whose articles is in this run.

Storyline ids are carried the same way, by their articles.

Examples
--------
>>> old = {"story:a": {"1", "2"}, "story:b": {"3"}}
>>> new = {"story:x": {"1", "2", "4"}, "story:y": {"3"}, "story:z": {"5"}}
>>> match_ids(old, new)
{'story:x': 'story:a', 'story:y': 'story:b'}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .clusters import ClusterResult

#: An earlier clusters.json larger than this is not read (a report of ~1M stories).
MAX_PREVIOUS_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Previous:
    """The stories and storylines of an earlier run, as member sets."""

    stories: dict[str, frozenset[str]]
    storylines: dict[str, frozenset[str]]
    headlines: dict[str, str]
    outlets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoryChange:
    """One change between two runs (kinds in the module docstring)."""

    kind: str
    story: str
    headline: str
    articles: int
    added: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    other: str = ""


def match_ids(old: Mapping[str, set[str] | frozenset[str]], new: Mapping[str, set[str] | frozenset[str]]) -> dict[str, str]:
    """New id -> the earlier id it takes (see the module docstring)."""
    owner = {member: story for story, members in old.items() for member in members}
    candidates: list[tuple[int, int, str, str]] = []
    for story, members in new.items():
        overlap = Counter(owner[member] for member in members if member in owner)
        candidates.extend((-count, -len(old[earlier]), earlier, story) for earlier, count in overlap.items())
    taken: dict[str, str] = {}
    given: set[str] = set()
    for _, _, earlier, story in sorted(candidates):
        if story not in taken and earlier not in given:
            taken[story] = earlier
            given.add(earlier)
    return taken


def parse_previous(data: object) -> Previous | None:
    """The stories of a ``clusters.json`` document, or None when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("stories"), list):
        return None
    stories: dict[str, frozenset[str]] = {}
    headlines: dict[str, str] = {}
    outlets: dict[str, str] = {}
    for story in data["stories"]:
        if not isinstance(story, dict) or not isinstance(story.get("id"), str) or not isinstance(story.get("members"), list):
            return None
        members = [member for member in story["members"] if isinstance(member, dict)]
        stories[story["id"]] = frozenset(str(member.get("id")) for member in members)
        headlines[story["id"]] = str(story.get("label") or "")
        outlets.update((str(member.get("id")), str(member["provider"])) for member in members if member.get("provider"))
    storylines: dict[str, frozenset[str]] = {}
    for line in data.get("storylines") or []:
        if isinstance(line, dict) and isinstance(line.get("id"), str) and isinstance(line.get("stories"), list):
            storylines[line["id"]] = frozenset(member for story in line["stories"] for member in stories.get(str(story), ()))
    return Previous(stories, storylines, headlines, outlets)


def read_previous(path: str) -> Previous | None:
    """The stories of an earlier ``clusters.json`` at ``path``; None when absent, too large or not one."""
    try:
        if os.path.getsize(path) > MAX_PREVIOUS_BYTES:
            return None
        with open(path, encoding="utf-8") as handle:
            return parse_previous(json.load(handle))
    except (OSError, ValueError, RecursionError):
        return None


def carry_ids(stories: ClusterResult, previous: Previous | None) -> tuple[ClusterResult, list[StoryChange]]:
    """``stories`` with the ids of ``previous`` carried over, and the changes since it."""
    if previous is None:
        return stories, []
    current = {cluster.story: frozenset(cluster.members) for cluster in stories.clusters}
    story_ids = _renaming(match_ids(previous.stories, current), current)
    line_members: dict[str, set[str]] = {}
    for cluster in stories.clusters:
        line_members.setdefault(cluster.storyline, set()).update(cluster.members)
    line_ids = _renaming(match_ids(previous.storylines, line_members), line_members)
    clusters = [replace(cluster, story=story_ids[cluster.story], storyline=line_ids[cluster.storyline])
                for cluster in stories.clusters]
    storylines = [replace(line, id=line_ids.get(line.id, line.id), stories=[story_ids.get(s, s) for s in line.stories])
                  for line in stories.storylines]
    carried = ClusterResult(clusters, storylines, stories.settings)
    now = Previous({c.story: frozenset(c.members) for c in clusters}, {}, {c.story: c.label for c in clusters},
                   {member: name for c in clusters for member, name in c.outlets.items()})
    return carried, compare(previous, now)


def _renaming(matched: dict[str, str], current: Mapping[str, object]) -> dict[str, str]:
    """Every current id -> its id from now on: the carried one, else its own (never one carried elsewhere)."""
    carried = set(matched.values())
    renamed = {}
    for story in current:
        fresh = story if story not in carried else f"{story}-n"
        renamed[story] = matched.get(story, fresh)
    return renamed


def compare(old: Previous, new: Previous) -> list[StoryChange]:
    """The changes from ``old`` to ``new`` (ids matched by :func:`match_ids`), new stories first."""
    outlets = new.outlets
    matched = match_ids(old.stories, new.stories)
    owner = {member: story for story, members in old.stories.items() for member in members}
    changes: list[StoryChange] = []
    for story, members in new.stories.items():
        headline, size = new.headlines.get(story, ""), len(members)
        earlier = matched.get(story)
        if earlier is None:
            sources = sorted({owner[m] for m in members if m in owner})
            if not sources:
                changes.append(StoryChange("new", story, headline, size))
            for source in sources:
                changes.append(StoryChange("split", story, headline, size, other=source))
            continue
        added = tuple(sorted(members - old.stories[earlier]))
        if added:
            names = tuple(sorted({outlets[m] for m in added if m in outlets}))
            changes.append(StoryChange("grew", story, headline, size, added, names))
        for source in sorted({owner[m] for m in members if m in owner} - {earlier}):
            if source not in matched.values():
                changes.append(StoryChange("merged", story, headline, size, other=source))
    present = {member for members in new.stories.values() for member in members}
    for story, members in old.stories.items():
        if not members & present:
            changes.append(StoryChange("gone", story, old.headlines.get(story, ""), len(members)))
    order = {"new": 0, "grew": 1, "merged": 2, "split": 3, "gone": 4}
    changes.sort(key=lambda change: (order[change.kind], -change.articles, change.story, change.other))
    return changes
