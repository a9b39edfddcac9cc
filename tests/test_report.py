"""Report formats: exact bytes for CSV, JSON, Markdown and text."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings, strategies as st

from graphnews.analysis.centrality import Table
from graphnews.errors import UsageError
from graphnews.export.report import json_bytes, render_table, write_json


def table() -> Table:
    rows = [
        {"id": "article:a.com/1", "title": "Pipes | and *stars* " + "x" * 60, "provider": "A",
         "published": "2020-11-08T14:32:21Z", "link": "https://a.com/1?q=(1)", "related_in": 3, "pagerank": 1 / 3},
        {"id": "article:b.com/2", "title": "Two", "provider": "B", "published": "", "link": "javascript:alert(1)",
         "related_in": 0, "pagerank": 2e-7},
    ]
    return Table("article", ["id", "title", "provider", "published", "link", "related_in", "pagerank"], rows,
                 ["betweenness sampled"])


def test_csv_keeps_full_values_and_six_digits() -> None:
    text = render_table(table(), "csv")
    lines = text.splitlines()
    assert lines[0] == "id,title,provider,published,link,related_in,pagerank"
    assert lines[1] == ("article:a.com/1,Pipes | and *stars* " + "x" * 60 + ",A,2020-11-08T14:32:21Z,"
                        "https://a.com/1?q=(1),3,0.333333")
    assert lines[2] == "article:b.com/2,Two,B,,javascript:alert(1),0,2e-07"


def test_json_has_columns_notes_rows() -> None:
    document = json.loads(render_table(table(), "json"))
    assert document["columns"][-1] == "pagerank" and document["notes"] == ["betweenness sampled"]
    assert document["rows"][0]["pagerank"] == 0.333333 and document["rows"][1]["related_in"] == 0


def test_markdown_escapes_and_links_only_http() -> None:
    lines = render_table(table(), "md").splitlines()
    assert lines[1] == "| --- | --- | --- | --- | --- | ---: | ---: |"
    assert lines[2] == ("| article:a.com/1 | Pipes \\| and \\*stars\\* " + "x" * 39 + "… | A | 2020-11-08 "
                        "| [open](https://a.com/1?q=%281%29) | 3 | 0.333333 |")
    assert lines[3] == "| article:b.com/2 | Two | B |  |  | 0 | 2e-07 |"
    assert lines[-1] == "*betweenness sampled*"


def test_text_aligns_columns() -> None:
    title = "Pipes | and *stars* " + "x" * 39 + "…"  # cut to 60 characters: the widest cell sets the column
    assert render_table(table(), "text").splitlines() == [
        "id               " + "title".ljust(60) + "  provider  published   link                   related_in  pagerank",
        "article:a.com/1  " + title + "  A         2020-11-08  https://a.com/1?q=(1)           3  0.333333",
        "article:b.com/2  " + "Two".ljust(60) + "  B                     javascript:alert(1)             0     2e-07",
        "note: betweenness sampled",
    ]


def test_unknown_format_fails() -> None:
    with pytest.raises(UsageError, match="unknown report format 'xml'"):
        render_table(table(), "xml")


_JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text()
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                            | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), st.lists(_JSON_VALUES, max_size=4), max_size=5), st.data())
def test_write_json_streams_exactly_the_bytes_of_the_whole_document(document: dict, data: st.DataObject) -> None:
    streamed = data.draw(st.sets(st.sampled_from(sorted(document)))) if document else set()
    buffer = io.BytesIO()
    write_json(buffer, {key: iter(value) if key in streamed else value for key, value in document.items()}, streamed)
    assert buffer.getvalue() == json_bytes(document)
