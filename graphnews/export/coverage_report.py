"""Coverage results as tables (:class:`~graphnews.analysis.centrality.Table`), one builder per result.

The same tables feed ``providers.csv``, ``leadlag.csv``, ``report --kind story``, ``report.md``
and the overview page, so every output shows the same columns under the same names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..analysis.centrality import Table
from ..analysis.changes import StoryChange
from ..analysis.coverage import Coverage

STORY_COLUMNS = ["story", "headline", "providers", "articles", "first_published", "first_provider", "span_hours",
                 "wire", "prominence", "outlets"]
PROVIDER_COLUMNS = ["provider", "name", "camp", "stories", "shared_stories", "first_reports", "median_delay_hours",
                    "wire_share"]
LEADLAG_COLUMNS = ["leader", "follower", "leader_name", "follower_name", "shared", "follower_later", "median_lag_hours"]
BLINDSPOT_COLUMNS = ["story", "headline", "camp", "camp_label", "outlets", "missed_by"]
CHANGE_COLUMNS = ["kind", "story", "headline", "articles", "added", "outlets", "other"]


def story_table(coverage: Coverage, names: Mapping[str, str]) -> Table:
    """Stories by prominence (providers first): ``report --kind story`` and the overview's headline table."""
    rows: list[dict[str, object]] = [
        {"id": row.story, "story": row.story, "headline": row.headline, "providers": row.providers,
         "articles": row.articles, "first_published": row.first_published, "first_provider": row.first_provider,
         "span_hours": row.span_hours, "wire": "yes" if row.wire else "", "prominence": row.prominence,
         "outlets": [names.get(outlet, outlet) for outlet in row.outlets]} for row in coverage.stories]
    return Table("story", STORY_COLUMNS, rows, [
        "prominence = distinct providers + (articles, span and wire pickup, worth less than one provider in all)"])


def provider_table(coverage: Coverage) -> Table:
    """``providers.csv``: per provider, stories covered and reported first, delay, wire share, camp."""
    rows: list[dict[str, object]] = [
        {"id": row.provider, "provider": row.provider, "name": row.name, "camp": row.camp, "stories": row.stories,
         "shared_stories": row.shared_stories, "first_reports": row.first_reports,
         "median_delay_hours": row.median_delay_hours, "wire_share": row.wire_share} for row in coverage.providers]
    return Table("provider_coverage", PROVIDER_COLUMNS, rows, [
        "first_reports and median_delay_hours count the stories two or more providers told (shared_stories)"])


def leadlag_table(coverage: Coverage, names: Mapping[str, str]) -> Table:
    """``leadlag.csv``: for pairs of providers with enough shared stories, who publishes after whom."""
    rows = [{"id": f"{row.leader}>{row.follower}", "leader": row.leader, "follower": row.follower,
             "leader_name": names.get(row.leader, row.leader), "follower_name": names.get(row.follower, row.follower),
             "shared": row.shared, "follower_later": row.follower_later, "median_lag_hours": row.median_lag_hours}
            for row in coverage.leadlag]
    return Table("leadlag", LEADLAG_COLUMNS, rows, [
        "median_lag_hours: follower's first article minus leader's, over the stories both told"])


def blindspot_table(coverage: Coverage, names: Mapping[str, str]) -> Table:
    """Stories told only inside one camp of outlets."""
    labels = {camp.id: camp.label for camp in coverage.camps}
    rows = [{"id": spot.story, "story": spot.story, "headline": spot.headline, "camp": spot.camp,
             "camp_label": labels.get(spot.camp, ""), "outlets": [names.get(o, o) for o in spot.outlets],
             "missed_by": [labels.get(camp, str(camp)) for camp in spot.missed_by]} for spot in coverage.blindspots]
    return Table("blindspot", BLINDSPOT_COLUMNS, rows, [
        "camps are communities of outlets that tell the same stories, not political leanings"])


def change_table(changes: Sequence[StoryChange]) -> Table:
    """What changed since the earlier run in the same folder (``graphnews diff`` prints the same)."""
    rows = [{"id": f"{change.kind}:{change.story}:{change.other}", "kind": change.kind, "story": change.story,
             "headline": change.headline, "articles": change.articles, "added": len(change.added),
             "outlets": list(change.outlets), "other": change.other} for change in changes]
    return Table("change", CHANGE_COLUMNS, rows, [])
