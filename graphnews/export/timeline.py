"""Articles per day per story cluster, as data and as an inline SVG chart (no scripts, no network)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

import networkx as nx

#: Distinct colours for the largest clusters; the rest are drawn grey as "other".
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
OTHER_COLOUR = "#cfcfcf"
MAX_DAYS = 62


@dataclass
class Timeline:
    """Daily article counts: one series per large cluster, plus "other" and "no cluster"."""

    days: list[str] = field(default_factory=list)
    series: list[tuple[str, list[int]]] = field(default_factory=list)
    left_out: int = 0
    undated: int = 0


def timeline_counts(graph: nx.Graph, labels: dict[int, str], *, top: int = 8) -> Timeline:
    """Count dated articles per UTC day and cluster (node attributes ``published``, ``cluster``).

    The ``top`` clusters by article count get their own series (labelled from ``labels``),
    the others share one. When dates spread over more than :data:`MAX_DAYS` days, the
    densest window of that length is shown and the articles outside it are counted in
    ``left_out``. A ``published`` that is no ``YYYY-MM-DD...`` day (or lies within
    :data:`MAX_DAYS` days of the calendar's ends) counts as undated.
    """
    per_day: Counter[tuple[str, int | None]] = Counter()
    undated = 0
    valid: dict[str, bool] = {}
    for _node, data in graph.nodes(data=True):
        if data.get("kind") != "article":
            continue
        published = data.get("published")
        day = published[:10] if isinstance(published, str) else ""
        if day not in valid:
            valid[day] = _is_day(day)
        if not valid[day]:
            undated += 1
            continue
        cluster = data.get("cluster")
        per_day[(day, cluster if isinstance(cluster, int) else None)] += 1
    timeline = Timeline(undated=undated)
    if not per_day:
        return timeline
    daily: Counter[str] = Counter()
    for (day, _cluster), count in per_day.items():
        daily[day] += count
    first, last = _window(sorted(daily), daily)
    days = _days_between(first, last)
    timeline.days = days
    timeline.left_out = sum(count for day, count in daily.items() if not first <= day <= last)
    sizes: Counter[int] = Counter()
    for (day, cluster), count in per_day.items():
        if cluster is not None and first <= day <= last:
            sizes[cluster] += count
    chosen = [cluster for cluster, _ in sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[:top]]
    index = {day: position for position, day in enumerate(days)}
    for cluster in chosen:
        counts = [0] * len(days)
        for (day, member), count in per_day.items():
            if member == cluster and day in index:
                counts[index[day]] += count
        timeline.series.append((labels.get(cluster, f"cluster {cluster}"), counts))
    rest = [0] * len(days)
    for (day, member), count in per_day.items():
        if member not in chosen and day in index:
            rest[index[day]] += count
    if any(rest):
        timeline.series.append(("other stories", rest))
    return timeline


def _is_day(day: str) -> bool:
    """True for a ``YYYY-MM-DD`` day a window of :data:`MAX_DAYS` days can start or end on."""
    if len(day) != 10:
        return False
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return False
    return date.min + timedelta(days=MAX_DAYS) <= parsed <= date.max - timedelta(days=MAX_DAYS)


def _window(days: list[str], daily: Counter) -> tuple[str, str]:
    """The first and last day shown: all of them, or the busiest MAX_DAYS-day window.

    One pass over the sorted days with a sliding window (linear in distinct days; the
    earliest window wins a tie).
    """
    ordinals = [date.fromisoformat(day).toordinal() for day in days]
    if ordinals[-1] - ordinals[0] < MAX_DAYS:
        return days[0], days[-1]
    best, best_start, best_end = -1, 0, 0
    end, total = 0, 0
    for start, first in enumerate(ordinals):
        while end < len(days) and ordinals[end] <= first + MAX_DAYS - 1:
            total += daily[days[end]]
            end += 1
        if total > best:
            best, best_start, best_end = total, start, end - 1
        total -= daily[days[start]]
    return days[best_start], days[best_end]


def _days_between(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=offset)).isoformat() for offset in range((end - start).days + 1)]


def timeline_svg(timeline: Timeline, *, width: int = 960, height: int = 260) -> str:
    """A stacked bar chart of ``timeline`` as an accessible inline SVG string (labels escaped)."""
    if not timeline.days:
        return '<p class="muted">No dated articles.</p>'
    left, right, top, bottom = 40, 10, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(series[1][i] for series in timeline.series) for i in range(len(timeline.days))]
    peak = max(totals) or 1
    bar_w = plot_w / len(timeline.days)
    parts = [
        f'<svg class="timeline" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="Articles per day, {escape(timeline.days[0])} to {escape(timeline.days[-1])}">'
    ]
    for tick in _ticks(peak):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>')
    for position, day in enumerate(timeline.days):
        x = left + position * bar_w
        base: float = top + plot_h
        for number, (label, counts) in enumerate(timeline.series):
            count = counts[position]
            if not count:
                continue
            bar_h = plot_h * count / peak
            base -= bar_h
            colour = OTHER_COLOUR if label == "other stories" else PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{base:.1f}" width="{max(bar_w - 2, 1):.1f}" height="{bar_h:.1f}" '
                f'fill="{colour}"><title>{escape(day)}: {count} — {escape(label)}</title></rect>'
            )
        if len(timeline.days) <= 16 or position % max(1, len(timeline.days) // 12) == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{escape(day[5:])}</text>'
            )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{OTHER_COLOUR if label == "other stories" else PALETTE[n % len(PALETTE)]}">'
        f'</span>{escape(label)}</li>'
        for n, (label, _counts) in enumerate(timeline.series)
    )
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'


def _ticks(peak: int) -> list[int]:
    step = max(1, round(peak / 4))
    return list(range(0, peak + 1, step))
