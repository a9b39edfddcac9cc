"""``graphnews clusters`` and ``graphnews evaluate``: the stories."""

from __future__ import annotations

import io
import json
import sys
from typing import TYPE_CHECKING, Any

import click

from . import cli
from .options import SCHEDULER_HELP, STDOUT, InputSpec, LazyChoice, input_options, settings_options
from .session import Loaded, Session, finish, has_node_attribute, load_input

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    from ..analysis.clusters import ClusterResult
    from ..settings import Settings


@cli.command()
@input_options
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True, help="Smallest story listed.")
@settings_options
@click.option("--format", "fmt", type=LazyChoice("..export.clusters_report", "REPORT_FORMATS", first=("table",)),
              default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the report here instead of stdout (- is stdout).")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Find the stories in the Parquet tables of `build --engine dask` instead of PATHS (no networkx graph).")
@click.option("--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP)
def clusters(inputs: InputSpec, min_size: int, settings: Settings | None, fmt: str, output: str | None,
             tables_path: str | None, scheduler: str | None) -> None:
    """Find the stories (one event each) and storylines (threads of stories) of the articles.

    \b
    Example:
      graphnews clusters ../shared/seeds --format md -o output/clusters.md
    """
    from ..analysis.clusters import ClusterResult
    from ..analysis.pipeline import analyse
    from ..export.clusters_report import render_clusters

    output = None if output == STDOUT else output
    session = Session(inputs.quiet, inputs.verbose)
    found: ClusterResult | None
    if tables_path:
        loaded, counts, found = tables_stories(session, inputs, tables_path, settings, scheduler)
    else:
        if scheduler:
            raise click.UsageError("--scheduler runs the stories of --tables: give --tables DIR.parquet")
        loaded = load_input(session, inputs)
        analysis = analyse(loaded.graph, settings, centrality=False, stage=session.stage)
        counts, found = analysis.added, analysis.clusters
    assert found is not None  # analyse() clusters unless told not to
    result = ClusterResult([c for c in found.clusters if c.size >= min_size], found.storylines, found.settings)
    text = render_clusters(result, fmt) if fmt != "table" else clusters_table(result, output is None)
    if output:
        from ..atomic import write_text

        write_text(output, text)
    else:
        click.echo(text, nl=False)
    total = sum(cluster.size for cluster in found.clusters)
    if counts:
        session.say("Added edges: " + ", ".join(f"{kind} {count:,}" for kind, count in counts.items()))
    session.say(f"Stories: {len(found.clusters):,} over "
                f"{total:,} articles, {len(result.clusters):,} of size >= {min_size}; "
                f"storylines: {len(found.storylines):,}")
    finish(session, loaded, inputs.strict)


def tables_stories(session: Session, inputs: InputSpec, tables_path: str, settings: Settings | None,
                   scheduler: str | None = None) -> tuple[Loaded, dict[str, int], ClusterResult]:
    """``clusters --tables``: the stories of a Parquet dataset (graphnews.tables.find_stories), no article graph.

    With ``scheduler``, the candidate products run as Dask tasks there (same stories).
    """
    import networkx as nx

    from ..distributed.candidates import pair_blocks_on
    from ..tables import find_stories, load_tables

    if inputs.paths or inputs.graph_file:
        raise click.UsageError("give either --tables or PATHS/--graph, not both")
    with session.stage("load tables"):
        dataset = load_tables(tables_path, text=True)
    with session.stage("stories"), pair_blocks_on(scheduler) as pair_blocks:
        found = find_stories(dataset, settings, pair_blocks=pair_blocks)
    return Loaded(None, nx.MultiDiGraph(), [tables_path]), {}, found


@cli.command()
@click.argument("truth", type=click.Path(exists=True, dir_okay=False))
@input_options
@settings_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def evaluate(truth: str, inputs: InputSpec, settings: Settings | None, fmt: str) -> None:
    """Score the stories and storylines against a labelled TRUTH file (BCubed, pairwise, ARI).

    Members of TRUTH are matched to articles by any of their URLs (canonicalised). A
    --graph that already carries stories is scored as it is; records are analysed first.

    \b
    Example:
      graphnews evaluate ../shared/truth/election.json ../shared/corpus/election
    """
    from ..analysis.evaluate import evaluate as score, load_truth
    from ..analysis.pipeline import analyse

    session = Session(inputs.quiet, inputs.verbose)
    labels = load_truth(truth)
    loaded = load_input(session, inputs)
    if settings is not None or not has_node_attribute(loaded.graph, "story"):
        with session.stage("stories"):
            analyse(loaded.graph, settings, centrality=False)
    result = score(loaded.graph, labels)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(evaluation_table(result))
    session.say(f"Matched {result.matched:,} of {result.labelled:,} labelled articles; "
                f"{result.unlabelled_articles:,} articles of the graph are not labelled (not scored)")
    finish(session, loaded, inputs.strict)


def evaluation_table(result: Any) -> str:
    """Scores as an aligned plain-text table: one row a level, one column a score."""
    header = ("level", "true", "found", "BCubed P", "BCubed R", "BCubed F1", "pair P", "pair R", "pair F1", "ARI")
    rows = [header]
    for level, scores in result.levels.items():
        rows.append((level, str(scores.true_groups), str(scores.predicted_groups),
                     *(f"{value:.3f}" for value in (scores.bcubed_precision, scores.bcubed_recall, scores.bcubed_f1,
                                                    scores.pairwise_precision, scores.pairwise_recall,
                                                    scores.pairwise_f1, scores.ari))))
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                              for column, (cell, width) in enumerate(zip(row, widths))) for row in rows)


def clusters_table(result: ClusterResult, color: bool) -> str:
    """The table of clusters (rich), as text: boxed on a terminal, plain columns in a pipe or file."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    table = RichTable(show_lines=False, box=box.HEAVY_HEAD if color and sys.stdout.isatty() else None)
    for column in ("id", "size", "headline", "keywords", "first report", "dates", "providers", "wire"):
        table.add_column(column, overflow="fold")
    for cluster in result.clusters:
        dates = " - ".join(dict.fromkeys(d[:10] for d in (cluster.start, cluster.end) if d))
        providers = ", ".join(f"{name} ({count})" for name, count in cluster.providers[:4])
        table.add_row(str(cluster.id), str(cluster.size), cluster.label, ", ".join(cluster.keywords),
                      cluster.lead_provider or "", dates, providers, ", ".join(map(str, cluster.syndication)))
    text = io.StringIO()
    Console(file=text, width=160, force_terminal=color and sys.stdout.isatty(), highlight=False).print(table)
    return text.getvalue()
