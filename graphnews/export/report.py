"""Formatting centrality and related-story tables: CSV, JSON, Markdown and plain text.

Every format is byte-for-byte stable for the same table: floats are written with
:data:`SIGNIFICANT_DIGITS` significant digits, rows keep the table's order. CSV and JSON
carry every column in full (ids, URLs); Markdown and text shorten titles for reading.

Untrusted text (titles, names come from the web) is neutralised for each format:

* CSV: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or
  their full-width forms) gets a leading ``'`` (the OWASP rule against formula injection in
  spreadsheets); a real number (``-0.25``, ``-3``) stays a number (:func:`csv_cell`).
* Markdown: line breaks folded into spaces; ``\\ ` * _ [ ] ( ) ! < > | # ~`` escaped, so no
  title makes a heading, a table row, a link or a remote image (:func:`markdown_text`);
  only http(s) URLs become links.
* JSON: NaN and infinities, which JSON does not have, are written as ``null`` (:func:`json_text`).
The terminal table drawn with rich lives in the CLI, which reuses :func:`cell` and
:func:`shorten`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Collection, Sequence
from typing import IO, Any
from urllib.parse import quote

import orjson

from ..analysis.centrality import Table
from ..errors import UsageError
from ..urls import is_http_url

FORMATS = ("csv", "json", "md", "text")
SIGNIFICANT_DIGITS = 6
#: Longest title shown in Markdown and text (full titles are in CSV and JSON).
TITLE_WIDTH = 60
_MARKDOWN_SPECIAL = str.maketrans({**{ch: f"\\{ch}" for ch in "\\`*_[]()!|#~"}, "<": "&lt;", ">": "&gt;", "&": "&amp;"})
_FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_cell(text: str) -> str:
    """A CSV cell no spreadsheet runs as a formula: a leading ``'`` before ``= + - @``, tab or CR.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-0.25"), csv_cell("@home"), csv_cell("News")
    ("'=HYPERLINK(1)", '-0.25', "'@home", 'News')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def markdown_text(text: str) -> str:
    """``text`` as inert Markdown on one line: breaks folded, every marking character escaped.

    >>> markdown_text("![x](https://e.com/p.png) | <b>\\n# h")
    '\\\\!\\\\[x\\\\]\\\\(https://e.com/p.png\\\\) \\\\| &lt;b&gt; \\\\# h'
    """
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)


def json_text(data: Any) -> str:
    """``data`` as JSON indented by 2 (``json.dumps(data, ensure_ascii=False, indent=2)``), NaN and infinities as ``null``.

    orjson writes it: ``json``'s indented encoder is pure Python (10k records: ``clusters.json``
    in 0.06 s against 0.53 s, the same text); what orjson refuses (a lone surrogate, an
    integer past 64 bits) goes through ``json``.
    """
    try:
        return orjson.dumps(data, option=_INDENTED).decode()
    except orjson.JSONEncodeError:
        return json.dumps(finite(data), ensure_ascii=False, allow_nan=False, indent=2)


def json_bytes(data: Any) -> bytes:
    """:func:`json_text` encoded in UTF-8, for a file: orjson's bytes as they are, never also one ``str``
    (100k records: ``clusters.json``, 162 MB, was bytes, then text, then bytes again)."""
    try:
        return orjson.dumps(data, option=_INDENTED)
    except orjson.JSONEncodeError:
        return json_text(data).encode()


_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


def write_json(handle: IO[bytes], document: dict[str, Any], streamed: Collection[str] = ()) -> None:
    """Write ``json_bytes(document)`` to ``handle``, the values under ``streamed`` taken from iterables one item
    at a time: a 100k-record ``clusters.json`` never holds all its stories as dicts, nor as one text.

    Each item is indented as the whole document would indent it (JSON text holds no raw newline
    inside a string, so indenting a piece is replacing its newlines).

    >>> buffer = io.BytesIO()
    >>> write_json(buffer, {"a": iter([{"b": 1}]), "c": []}, streamed={"a"})
    >>> buffer.getvalue() == json_bytes({"a": [{"b": 1}], "c": []})
    True
    """
    if not document:
        handle.write(b"{}")
        return
    for number, (key, value) in enumerate(document.items()):
        handle.write((b"{\n  " if number == 0 else b",\n  ") + json_bytes(key) + b": ")
        if key not in streamed:
            handle.write(json_bytes(value).replace(b"\n", b"\n  "))
            continue
        empty = True
        for item in value:
            handle.write(b"[\n    " if empty else b",\n    ")
            handle.write(json_bytes(item).replace(b"\n", b"\n    "))
            empty = False
        handle.write(b"[]" if empty else b"\n  ]")
    handle.write(b"\n}")


def finite(data: Any) -> Any:
    """``data`` (JSON-ready lists, dicts, tuples and scalars) with every NaN or infinite float made None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(value) for value in data]
    return data


def number(value: float) -> float:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits.

    >>> number(0.0123456789)
    0.0123457
    """
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def cell(value: object) -> str:
    """One value as text: floats to 6 significant digits, lists joined by ``; ``.

    >>> cell(1 / 3), cell(12), cell(None), cell(["a", "b"])
    ('0.333333', '12', '', 'a; b')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{SIGNIFICANT_DIGITS}g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(item) for item in value)
    return str(value)


def shorten(text: str, width: int = TITLE_WIDTH) -> str:
    """One line of at most ``width`` characters, ending with ``…`` when cut.

    >>> shorten("Recount ordered in Ward 7 after scanner fault", 20)
    'Recount ordered in …'
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def short_cell(column: str, value: object) -> str:
    """A cell for reading rather than processing: shortened titles, dates without time."""
    if column == "title":
        return shorten(cell(value))
    if column == "published":
        return cell(value)[:10]
    return cell(value)


def render_table(table: Table, fmt: str) -> str:
    """``table`` as ``csv``, ``json``, ``md`` (Markdown) or ``text``.

    Parameters
    ----------
    table : Table
        From :func:`graphnews.analysis.centrality.centrality_tables` or
        :func:`graphnews.analysis.related.related_table`.
    fmt : str
        One of :data:`FORMATS`.

    Returns
    -------
    str
        The whole document, ending with a newline.

    Examples
    --------
    >>> t = Table("topic", ["id", "name", "pagerank"], [{"id": "topic:x", "name": "X|Y", "pagerank": 2 / 3}], ["n"])
    >>> print(render_table(t, "csv"), end="")
    id,name,pagerank
    topic:x,X|Y,0.666667
    >>> print(render_table(t, "md"), end="")
    | id | name | pagerank |
    | --- | --- | ---: |
    | topic:x | X\\|Y | 0.666667 |
    <BLANKLINE>
    *n*
    """
    if fmt == "csv":
        return _csv(table)
    if fmt == "json":
        return _json(table)
    if fmt == "md":
        return _markdown(table)
    if fmt == "text":
        return _text(table)
    raise UsageError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(cell(row.get(column))) for column in table.columns])
    return buffer.getvalue()


def _json(table: Table) -> str:
    rows = [{column: _json_value(row.get(column)) for column in table.columns} for row in table.rows]
    document = {"kind": table.kind, "columns": table.columns, "notes": table.notes, "rows": rows}
    return json_text(document) + "\n"


def _json_value(value: object) -> object:
    return number(value) if isinstance(value, float) and math.isfinite(value) else finite(value)


def _markdown(table: Table) -> str:
    measures = set(table.measures)
    lines = [
        "| " + " | ".join(markdown_text(column) for column in table.columns) + " |",
        "| " + " | ".join("---:" if column in measures else "---" for column in table.columns) + " |",
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(_markdown_cell(column, row.get(column)) for column in table.columns) + " |")
    if table.notes:
        lines += [""] + [f"*{markdown_text(note)}*" for note in table.notes]
    return "\n".join(lines) + "\n"


def _markdown_cell(column: str, value: object) -> str:
    if column == "link":
        return f"[open]({quote(str(value), safe=':/?&=#%~+,;@!$*-._')})" if is_http_url(value) else ""
    return markdown_text(short_cell(column, value))


def _text(table: Table) -> str:
    cells = [[short_cell(column, row.get(column)) for column in table.columns] for row in table.rows]
    widths = [max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(table.columns)]
    measures = set(table.measures)

    def line(values: list[str]) -> str:
        return "  ".join(value.rjust(width) if column in measures else value.ljust(width)
                         for value, width, column in zip(values, widths, table.columns)).rstrip()

    lines = [line(table.columns)] + [line(values) for values in cells]
    return "\n".join(lines + [f"note: {note}" for note in table.notes]) + "\n"


def combined_csv(tables: Sequence[Table]) -> str:
    """Several tables as one CSV: a ``kind`` column, then the union of their columns in order.

    >>> a = Table("topic", ["id", "pagerank"], [{"id": "topic:x", "pagerank": 0.5}], [])
    >>> b = Table("provider", ["id", "articles"], [{"id": "provider:y", "articles": 3}], [])
    >>> print(combined_csv([a, b]), end="")
    kind,id,pagerank,articles
    topic,topic:x,0.5,
    provider,provider:y,,3
    """
    buffer = io.StringIO()
    write_combined_csv(buffer, tables)
    return buffer.getvalue()


def write_combined_csv(handle: IO[str], tables: Sequence[Table]) -> None:
    """:func:`combined_csv` written to ``handle`` row by row (a million-row table is never one string)."""
    columns = list(dict.fromkeys(column for table in tables for column in table.columns))
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["kind", *(csv_cell(column) for column in columns)])
    for table in tables:
        for row in table.rows:
            writer.writerow([csv_cell(table.kind), *(csv_cell(cell(row.get(column))) for column in columns)])
