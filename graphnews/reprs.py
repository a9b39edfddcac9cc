"""Short reprs, notebook HTML summaries and DataFrame export for result objects.

A result of a 14,000-article corpus printed with the dataclass repr ran to millions of
characters in a notebook; the objects use these helpers for one-line reprs, a small HTML
table (``_repr_html_``, every value escaped: titles come from the web) and ``to_pandas()``
(pandas is optional: imported only there).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: Rows an HTML summary shows; the caption says how many more there are.
HTML_ROWS = 10
#: Longest cell an HTML summary shows.
HTML_CELL_CHARS = 80


def short(value: object, limit: int = HTML_CELL_CHARS) -> str:
    """``value`` as one line of at most ``limit`` characters.

    >>> short(["a", "b"]), short(0.1234567), short("x" * 100, 5)
    ('a; b', '0.123457', 'xxxx…')
    """
    if isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, (list, tuple, set, frozenset)):
        text = "; ".join(map(str, value))
    else:
        text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def html_table(caption: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]], total: int) -> str:
    """A small escaped HTML table: the first :data:`HTML_ROWS` rows of ``total``, under ``caption``.

    >>> print(html_table("t", ["a"], [{"a": "<b>"}], 3))
    <table><caption>t (3 rows, first 1 shown)</caption><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>
    """
    shown = [row for _, row in zip(range(HTML_ROWS), rows)]
    more = f" ({total:,} rows, first {len(shown)} shown)" if total > len(shown) else ""
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(short(row.get(column)))}</td>" for column in columns) + "</tr>"
                   for row in shown)
    return (f"<table><caption>{html.escape(caption)}{more}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def html_facts(title: str, facts: Mapping[str, object]) -> str:
    """A titled two-column HTML list of facts (name, value), escaped.

    >>> html_facts("Corpus", {"articles": 3})
    '<div><strong>Corpus</strong><table><tr><th>articles</th><td>3</td></tr></table></div>'
    """
    rows = "".join(f"<tr><th>{html.escape(str(name))}</th><td>{html.escape(short(value))}</td></tr>"
                   for name, value in facts.items())
    return f"<div><strong>{html.escape(title)}</strong><table>{rows}</table></div>"


def to_pandas(records: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    """``records`` as a :class:`pandas.DataFrame` with ``columns`` in order (pandas is optional)."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_pandas() needs pandas: pip install pandas (to_records() needs nothing)") from None
    return pandas.DataFrame.from_records(records, columns=list(columns))
