"""The overview page (``index.html`` of ``graphnews explore``): summary, timeline, sortable tables.

The page is rendered from plain data (:class:`Overview`) with an autoescaping Jinja
template, so titles and names from the web arrive as text, never as markup; links are made
only for http(s) URLs. It needs no network: styles and the small sorting script are inline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import jinja2

from ..urls import is_http_url


@dataclass
class Link:
    """A link in a cell: ``external`` ones open the article in a new tab."""

    href: str
    text: str
    external: bool = False
    title: str = ""


@dataclass
class Cell:
    """One table cell: text, optional links or tags, and the value it sorts by."""

    text: str = ""
    sort: str = ""
    numeric: bool = False
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Column:
    label: str
    numeric: bool = False


@dataclass
class Row:
    anchor: str
    cells: list[Cell]


@dataclass
class HtmlTable:
    """A sortable table section of the page."""

    anchor: str
    heading: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)


@dataclass
class Page:
    href: str
    label: str
    description: str = ""


@dataclass
class Card:
    value: str
    label: str


@dataclass
class Overview:
    """Everything the overview page shows."""

    title: str
    inputs: list[str]
    built_at: str
    version: str
    pages: list[Page]
    cards: list[Card]
    tables: list[HtmlTable]
    timeline_svg: str = ""
    timeline_note: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problems_more: int = 0


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("graphnews", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_overview(overview: Overview) -> str:
    """The complete, self-contained ``index.html`` text."""
    return _ENVIRONMENT.get_template("index.html").render(o=overview)


def anchor(node_id: str) -> str:
    """A fragment-safe anchor for a node id (``article:cnn.com/x`` -> ``article:cnn.com%2Fx``)."""
    return quote(node_id, safe=":-_.")


def graph_link(page: str, node_id: str) -> Link:
    """Link to a node's place in a graph page (the page focuses the node named in its hash)."""
    return Link(href=f"{page}#{anchor(node_id)}", text="◎", title="show in the graph")


def external_link(url: object, text: str) -> Link | None:
    """Link to the article itself, only for http(s) URLs."""
    if not is_http_url(url):
        return None
    return Link(href=str(url), text=text, external=True)


def number_cell(value: object) -> Cell:
    """A numeric cell: integers as is, floats to 4 significant digits."""
    if isinstance(value, bool) or value is None or (isinstance(value, float) and math.isnan(value)):
        return Cell(text="", sort="", numeric=True)
    if isinstance(value, int):
        return Cell(text=f"{value:,}", sort=str(value), numeric=True)
    if isinstance(value, float):
        return Cell(text=f"{value:.4g}", sort=repr(value), numeric=True)
    return Cell(text=str(value), sort=str(value))


def text_cell(text: object, *, links: Iterable[Link | None] = (), tags: Sequence[str] = (), sort: str | None = None) -> Cell:
    """A text cell, with optional links (None entries skipped) and tags."""
    shown = "" if text is None else str(text)
    return Cell(text=shown, sort=sort if sort is not None else shown.lower(), links=[link for link in links if link], tags=list(tags))


def shorten(text: str, limit: int = 110) -> str:
    """Shorten display text at a word boundary."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def table_from_rows(anchor_id: str, heading: str, columns: Sequence[tuple[str, str, bool]], rows: Iterable[dict[str, Any]], *,
                    row_anchor: str = "id", notes: Sequence[str] = ()) -> HtmlTable:
    """Build a table from row dicts; ``columns`` are ``(key, label, numeric)``; cells may be prebuilt."""
    body = []
    for row in rows:
        cells = []
        for key, _label, numeric in columns:
            value = row.get(key)
            cells.append(value if isinstance(value, Cell) else number_cell(value) if numeric else text_cell(value))
        body.append(Row(anchor=anchor(str(row.get(row_anchor, ""))), cells=cells))
    return HtmlTable(anchor_id, heading, [Column(label, numeric) for _key, label, numeric in columns], body, list(notes))
