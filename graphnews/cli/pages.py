"""``graphnews html`` and ``graphnews explore``: the pages."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import click

from .. import sample_data_path
from ..export.page_options import COLOR_BY, DEFAULT_MAX_NODES, VIEWS
from . import cli
from .build import build_summary
from .options import (
    DEFAULT_OUTPUT_DIR,
    SCHEDULER_HELP,
    STDOUT,
    InputSpec,
    input_options,
    settings_options,
)
from .reports import REPORT_KINDS, tables_centrality
from .session import Loaded, Session, finish, has_node_attribute, load_input

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    from ..settings import Settings


@cli.command("html")
@input_options
@click.option("-o", "--output", default=os.path.join(DEFAULT_OUTPUT_DIR, "graph.html"), show_default=True,
              type=click.Path(dir_okay=False, allow_dash=True), help="Where to write the page (- for stdout).")
@click.option("--view", type=click.Choice(VIEWS), default="full", show_default=True,
              help="full graph, one node per story cluster, or provider co-coverage.")
@click.option("--color-by", type=click.Choice(COLOR_BY), default="kind", show_default=True, help="Node colours.")
@click.option("--size-by", default="pagerank", show_default=True,
              help="Node attribute that sizes and ranks nodes (degree when absent).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=DEFAULT_MAX_NODES, show_default=True,
              help="Keep this many most central nodes; the page says what was left out.")
@click.option("--around", metavar="URL_OR_ID", help="Only the neighbourhood of this article (any of its URLs, or its id).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --around.")
@click.option("--title", help="Page title (default: what the page shows).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the browser when written.")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Analyse the Parquet tables of `build --engine dask` instead of PATHS (no networkx graph).")
@settings_options
def html_page(inputs: InputSpec, output: str, view: str,
              color_by: str, size_by: str, max_nodes: int, around: str | None, depth: int, title: str | None,
              open_page: bool, tables_path: str | None, settings: Settings | None) -> None:
    """Write an interactive offline page of the graph (search, filters, tooltips).

    \b
    Examples:
      graphnews html ../shared/corpus/election -o output/election.html
      graphnews html --graph output/graph.json --view clusters --color-by cluster
    """
    from ..analysis.pipeline import analyse
    from ..export import html

    session = Session(inputs.quiet, inputs.verbose)
    wants_stories = view == "clusters" or color_by == "cluster"
    if tables_path:
        from ..tables import find_stories, page_graph

        dataset, measured = tables_centrality(session, inputs, tables_path, REPORT_KINDS, 0, text=wants_stories)
        found = None
        if wants_stories:
            with session.stage("stories"):
                found = find_stories(dataset, settings)
        loaded = Loaded(None, page_graph(dataset, measured, max_nodes, found), [tables_path])
    else:
        loaded = load_input(session, inputs)
    needs_clusters = wants_stories and not tables_path and (
        settings is not None or not has_node_attribute(loaded.graph, "cluster"))
    needs_measures = not has_node_attribute(loaded.graph, size_by)
    if needs_clusters or needs_measures:
        with session.stage("analysis"):
            analyse(loaded.graph, settings, clusters=needs_clusters, centrality=needs_measures)
    options = dict(title=title, inputs=loaded.inputs, view=view, color_by=color_by, size_by=size_by,
                   max_nodes=max_nodes, around=around,
                   depth=min(depth, loaded.graph.number_of_nodes()))  # more hops than nodes reach nothing new
    with session.stage("write page"):
        if output == STDOUT:
            net, info = html.to_network(loaded.graph, title=title, view=view, color_by=color_by, size_by=size_by,
                                        max_nodes=max_nodes, around=around, depth=options["depth"])
            click.echo(html.render_page(net, info, inputs=loaded.inputs), nl=False)
        else:
            info = html.write_html(loaded.graph, output, **options)
    where = "the page to stdout" if output == STDOUT else output
    session.say(f"Wrote {where} ({info.view} view: {info.nodes:,} nodes, {info.edges:,} edges, {info.layout} layout)")
    for note in info.notes:
        session.say(f"  {note}")
    finish(session, loaded, inputs.strict)
    if open_page and output != STDOUT and not session.report.exit_code:
        click.launch(os.path.abspath(output))


@cli.command()
@input_options(graph=False)
@click.option("-o", "--output", "out_dir", default=DEFAULT_OUTPUT_DIR, show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the report into.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=DEFAULT_MAX_NODES, show_default=True,
              help="Cap of graph.html: the most central nodes are kept.")
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="Rows of the top-stories table on the overview and in report.md.")
@settings_options
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of sampled betweenness.")
@click.option("--title", help="Title of the pages (default: from the input).")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Report on the Parquet tables of `build --engine dask` (centrality.csv, report.md, graph.html, clusters.json).")
@click.option("--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP)
def explore(inputs: InputSpec, out_dir: str, max_nodes: int, top: int, settings: Settings | None,
            seed: int, title: str | None, tables_path: str | None, scheduler: str | None) -> None:
    """Read once and write a complete, browsable report into a folder (the main job).

    \b
    Writes index.html (start here), graph.html, clusters.html, providers.html, report.md,
    centrality.csv, providers.csv, leadlag.csv, clusters.json, graph.json, graph.graphml and graph.gexf.

    \b
    Examples:
      graphnews explore                      # the embedded sample data, into output/
      graphnews explore ../shared/corpus/election -o output/election
    """
    from ..explore import explore as run_explore

    if out_dir == STDOUT:
        raise click.UsageError("explore writes a folder of files: give -o FOLDER, not -o -")
    session = Session(inputs.quiet, inputs.verbose)
    if tables_path:
        explore_from_tables(session, inputs, tables_path, out_dir, scheduler, seed=seed, max_nodes=max_nodes, top=top,
                            title=title, settings=settings)
        return
    if scheduler:
        raise click.UsageError("--scheduler runs the stories of --tables: give --tables DIR.parquet")
    def on_stage(name: str, seconds: float | None) -> None:
        if seconds is None:
            session.say(f"{name} ...")
        elif session.verbose:
            session.say(f"  {name}: {seconds:.2f} s")

    paths = list(inputs.paths) or [sample_data_path()]
    result = run_explore(paths, out_dir, max_bytes=inputs.max_file_size, workers=inputs.workers, cache=inputs.use_cache,
                         settings=settings, seed=seed, max_nodes=max_nodes, top=top, title=title,
                         on_stage=on_stage, on_progress=session.progress("Reading"), follow_links=inputs.follow_links)
    if inputs.errors_file:
        from ..atomic import write_text

        write_text(inputs.errors_file, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n"
                                               for p in result.corpus.problems))
    for line in build_summary(result.corpus, result.graph):
        session.say(line)
    clusters_found = result.details["clusters"]
    session.say(f"Stories: {len(clusters_found.clusters):,}, {sum(1 for c in clusters_found.clusters if c.size > 1):,} "
                f"with 2+ articles; storylines: {len(clusters_found.storylines):,}; "
                f"wire groups: {len(result.details['groups']):,}")
    session.say(f"Wrote {len(result.files)} files into {out_dir}/ in {sum(result.timings.values()):.1f} s; "
                f"open {os.path.join(out_dir, 'index.html')}")
    finish(session, Loaded(result.corpus, result.graph, paths), inputs.strict)


def explore_from_tables(session: Session, inputs: InputSpec, tables_path: str, out_dir: str, scheduler: str | None,
                        **options: Any) -> None:
    """``explore --tables``: graphnews.tables.explore_tables, with the stage timings under --verbose.

    With ``scheduler``, the stories' candidate products run as Dask tasks there.
    """
    from ..distributed.candidates import pair_blocks_on
    from ..tables import explore_tables

    if inputs.paths:
        raise click.UsageError("give either --tables or PATHS, not both")
    with pair_blocks_on(scheduler) as pair_blocks:
        result = explore_tables(tables_path, out_dir, pair_blocks=pair_blocks, **options)
    if session.verbose:
        for name, seconds in result.timings.items():
            session.say(f"  {name}: {seconds:.2f} s")
    counts = ", ".join(f"{len(table.rows):,} {kind}s" for kind, table in result.tables.items())
    session.say(f"Measured {counts}; wrote {', '.join(result.files)}")
