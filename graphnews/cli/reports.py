"""``graphnews report``, ``related``, ``similar`` and ``diff``: tables of the graph."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from ..errors import GraphnewsError, UsageError
from . import cli
from .options import InputSpec, input_options, settings_options
from .output import emit_tables
from .session import Session, finish, load_input

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    from ..analysis.centrality import Table
    from ..settings import Settings


REPORT_KINDS = ("article", "provider", "topic")


@cli.command()
@input_options
@click.option("--kind", type=click.Choice([*REPORT_KINDS, "story", "all"]), default="all", show_default=True,
              help="Which table: articles, providers, topics, or all three; story: stories by coverage.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the best N rows of each table.")
@click.option("--measure", "measures", multiple=True, metavar="M",
              help="Measure columns to show, in order; the first sorts the rows (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True,
              help="csv with --kind all: one table with a kind column.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write to FILE instead of stdout (- is stdout).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of sampled betweenness.")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Analyse the Parquet tables of `build --engine dask` instead of PATHS (no networkx graph).")
@settings_options
def report(inputs: InputSpec, kind: str, top: int | None, measures: tuple[str, ...], fmt: str, output: str | None,
           seed: int, tables_path: str | None, settings: Settings | None) -> None:
    """Rank articles, providers and topics by centrality, or stories by coverage.

    \b
    Example:
      graphnews report ../shared/corpus/election --kind provider --top 10 --format csv
      graphnews report ../shared/corpus/election --kind story --top 10
    """
    from ..analysis.centrality import centrality_tables, select

    session = Session(inputs.quiet, inputs.verbose)
    kinds = REPORT_KINDS if kind == "all" else (kind,)
    loaded = None
    if tables_path:
        if kind == "story":
            from ..export.coverage_report import story_table
            from ..tables import story_coverage

            dataset, _ = tables_centrality(session, inputs, tables_path, (), seed, text=True)
            with session.stage("stories"):
                covered = story_coverage(dataset, settings, seed=seed)
            names = {node: str(dataset.nodes[node].get("label") or node) for node in dataset.providers}
            emit_story_table(story_table(covered, names), top, fmt, output)
            return
        _dataset, tables = tables_centrality(session, inputs, tables_path, kinds, seed)
    else:
        loaded = load_input(session, inputs)
        if kind == "story":
            from ..analysis.pipeline import analyse
            from ..export.coverage_report import story_table

            with session.stage("stories"):
                found = analyse(loaded.graph, settings, centrality=False, seed=seed).coverage
            assert found is not None  # analyse() finds stories unless told not to
            names = {node: str(data.get("label") or node) for node, data in loaded.graph.nodes(data=True)
                     if data.get("kind") == "provider"}
            emit_story_table(story_table(found, names), top, fmt, output)
            finish(session, loaded, inputs.strict)
            return
        with session.stage("centrality"):
            tables = centrality_tables(loaded.graph, kinds, seed=seed)
    try:
        views = [select(table, measures, top) for table in tables.values()]
    except UsageError as error:
        raise click.BadParameter(str(error), param_hint="--measure") from None
    emit_tables(views, "combined-csv" if fmt == "csv" and len(views) > 1 else fmt, output)
    if loaded is not None:
        finish(session, loaded, inputs.strict)


def emit_story_table(stories: Table, top: int | None, fmt: str, output: str | None) -> None:
    """``report --kind story``'s table, its ``top`` rows (both paths)."""
    stories.rows = stories.rows[:top] if top else stories.rows
    emit_tables([stories], fmt, output)


def tables_centrality(session: Session, inputs: InputSpec, tables_path: str, kinds: Sequence[str],
                      seed: int, *, text: bool = False) -> tuple[Any, dict[str, Table]]:
    """A Parquet dataset (``--tables``; ``text``: with the columns stories read) and its centrality tables of ``kinds``."""
    from ..tables import centrality as measure_tables, load_tables

    if inputs.paths or inputs.graph_file:
        raise click.UsageError("give either --tables or PATHS/--graph, not both")
    with session.stage("load tables"):
        loaded = load_tables(tables_path, text=text)
    with session.stage("centrality"):
        return loaded, measure_tables(loaded, kinds, seed=seed)


@cli.command()
@click.argument("url_or_id")
@input_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the best N related stories.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write to FILE instead of stdout (- is stdout).")
@settings_options
def related(url_or_id: str, inputs: InputSpec, top: int | None, fmt: str, output: str | None,
            settings: Settings | None) -> None:
    """List the stories related to one article (found by any of its URLs, or its id), with why.

    \b
    Example:
      graphnews related https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html ../shared/seeds
    """
    from ..analysis.related import related_table

    session = Session(inputs.quiet, inputs.verbose)
    loaded = load_input(session, inputs)
    emit_tables([related_table(loaded.graph, url_or_id, top=top, settings=settings.related if settings else None)], fmt, output)
    finish(session, loaded, inputs.strict)


@cli.command()
@click.argument("url_or_id")
@input_options
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many articles to list.")
def similar(url_or_id: str, inputs: InputSpec, top: int) -> None:
    """List the articles whose text is most similar to URL_OR_ID (cosine of TF-IDF vectors).

    \b
    Example:
      graphnews similar https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html ../shared/seeds
    """
    from ..analysis.similarity import most_similar

    session = Session(inputs.quiet, inputs.verbose)
    loaded = load_input(session, inputs)
    for node, score in most_similar(loaded.graph, url_or_id, top=top):
        title = " ".join(str(loaded.graph.nodes[node].get("title") or "").split())
        click.echo(f"{score:.4f}\t{node}\t{title}")
    finish(session, loaded, inputs.strict)


@cli.command()
@click.argument("old_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("new_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of stdout.")
def diff(old_dir: str, new_dir: str, fmt: str, output: str | None) -> None:
    """What changed between two explore reports: new stories, stories that grew, merged, split, gone.

    Reads clusters.json of both folders; stories are matched by their articles, as explore
    does when it writes over an earlier report.

    \b
    Example:
      graphnews diff output/monday output/tuesday
    """
    from ..analysis.changes import compare, read_previous
    from ..export.coverage_report import change_table

    reports = []
    for folder in (old_dir, new_dir):
        found = read_previous(os.path.join(folder, "clusters.json"))
        if found is None:
            raise GraphnewsError(f"{folder}: no readable clusters.json (write one with graphnews explore -o {folder})")
        reports.append(found)
    changes = compare(*reports)
    emit_tables([change_table(changes)], fmt, output)
    counts = {kind: sum(1 for change in changes if change.kind == kind) for kind in ("new", "grew", "merged", "split", "gone")}
    Session(False, False).say(", ".join(f"{count:,} {kind}" for kind, count in counts.items()))
