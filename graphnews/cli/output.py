"""Tables to the terminal, a pipe or a file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from .options import STDOUT

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    from rich.table import Table as RichTable

    from ..analysis.centrality import Table


def emit_tables(tables: Sequence[Table], fmt: str, output: str | None) -> None:
    """Print tables or write them to ``output`` (``-``: stdout).

    ``table`` is drawn with rich on a terminal and as plain, full-width text otherwise (a pipe
    or a file must not get columns cut to 80 characters); ``combined-csv`` is several tables
    as one CSV with a ``kind`` column.
    """
    from ..export.report import combined_csv, render_table

    output = None if output == STDOUT else output
    if fmt == "json" and len(tables) > 1:
        text = "[\n" + ",\n".join(render_table(table, "json").rstrip("\n") for table in tables) + "\n]\n"
    elif fmt == "combined-csv":
        text = combined_csv(list(tables))
    elif fmt == "table" and output is None and sys.stdout.isatty():
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=False)
        for table in tables:
            console.print(rich_table(table))
        return
    else:
        text = "\n".join(render_table(table, "text" if fmt == "table" else fmt) for table in tables)
    if output:
        from ..atomic import write_text

        write_text(output, text)
    else:
        click.echo(text, nl=False)


TERMINAL_TITLES = {"related": "related stories", "story": "stories by coverage", "change": "changes"}


#: The columns a terminal shows of the wide tables (every column is in csv/json/md).
TERMINAL_COLUMNS = {
    "story": ["headline", "providers", "articles", "first_published", "first_provider", "prominence"],
    "change": ["kind", "headline", "articles", "added", "outlets"],
}


def rich_table(table: Table) -> RichTable:
    """A readable terminal table: shortened titles, provider and date, notes as the caption."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from ..export.report import short_cell

    drawn = RichTable(title=TERMINAL_TITLES.get(table.kind, f"{table.kind}s"), caption="\n".join(table.notes) or None,
                      caption_justify="left")
    shown = TERMINAL_COLUMNS.get(table.kind) or (
        [column for column in table.columns if column not in ("id", "link")] if table.kind in ("article", "related")
        else table.columns)
    for column in shown:
        drawn.add_column(column, justify="right" if column in table.measures else "left",
                         no_wrap=column in table.measures or column == "published",
                         min_width=24 if column in ("title", "headline") else None)
    for row in table.rows:
        drawn.add_row(*(Text(short_cell(column, row.get(column))) for column in shown))
    return drawn
