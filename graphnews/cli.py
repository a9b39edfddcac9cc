"""The ``graphnews`` command: thin click commands over the library.

Each command parses options, calls one or two library functions and formats what they
return. Exit codes: 0 success, 1 data errors under ``--strict`` or a failed write or
read, 2 usage errors (bad option, missing path).
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from typing import Any

import click
import networkx as nx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text

from . import __version__, build_graph, load, sample_data_path
from .analysis.clusters import METHODS, ClusterConfig, ClusterResult, ConfigError, config_from_mapping, \
    load_cluster_config
from .analysis.similarity import most_similar
from .atomic import write_text
from .analysis.centrality import Table, centrality_tables, select
from .analysis.pipeline import analyse
from .analysis.related import related_table
from .build import edge_counts, nodes_of_kind
from .errors import GraphnewsError, InputError
from .explore import explore as run_explore
from .export import html
from .export.clusters_report import REPORT_FORMATS, render_clusters
from .export.files import read_graph, write_graph
from .export.report import render_table, short_cell
from .model import Corpus
from .read import DEFAULT_MAX_FILE_BYTES

DEFAULT_OUTPUT_DIR = "output"
MAX_WARNING_LINES = 20


class Session:
    """What every command shares: the console on stderr, quiet/verbose, error handling."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.console = Console(stderr=True, quiet=quiet, highlight=False)
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        """One line on stderr, unless --quiet."""
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Announce a stage; with --verbose, say how long it took."""
        started = time.perf_counter()
        yield
        if self.verbose:
            self.say(f"  {name}: {time.perf_counter() - started:.2f} s")

    def progress(self, description: str) -> Callable[[int, int], None] | None:
        """A progress callback drawing a bar on stderr, or None when stderr is not a terminal."""
        if self.quiet or not self.console.is_terminal:
            return None
        bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        task = bar.add_task(description, total=None)
        bar.start()

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            if done >= total:
                bar.stop()

        return update


@dataclass(frozen=True)
class InputSpec:
    """The input options every corpus-reading command shares, gathered in one value."""

    paths: tuple[str, ...]
    graph_file: str | None
    strict: bool
    errors_file: str | None
    max_file_size: int
    workers: int | None
    use_cache: bool | None
    quiet: bool
    verbose: bool


_INPUT_FIELDS = tuple(field.name for field in fields(InputSpec))


class PathOrURL(click.Path):
    """An existing path, or an fsspec URL (``s3://...``) passed through for ``--engine dask`` to list."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "://" in value:
            return value
        return super().convert(value, param, ctx)


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared input options; the command receives them as one ``inputs: InputSpec``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        spec = InputSpec(**{name: kwargs.pop(name) for name in _INPUT_FIELDS})
        return command(*args, inputs=spec, **kwargs)

    decorators = [
        click.argument("paths", nargs=-1, type=PathOrURL(exists=True, dir_okay=True, readable=False)),
        click.option("--graph", "graph_file", type=click.Path(exists=True, dir_okay=False),
                     help="Read a graph written by `graphnews build` instead of PATHS."),
        click.option("--strict", is_flag=True, help="Exit 1 if any file or record was skipped."),
        click.option("--errors", "errors_file", type=click.Path(dir_okay=False),
                     help="Write every skipped file and warning to this file as JSON Lines."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_FILE_BYTES, show_default=True,
                     help="Skip files larger than this many bytes."),
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Processes to parse with (default: all cores for 64+ files)."),
        click.option("--cache/--no-cache", "use_cache", default=None,
                     help="Reuse parsed files from the parse cache (default: on for 64+ files)."),
        click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
        click.option("-v", "--verbose", is_flag=True, help="Timings for each stage, every warning."),
    ]
    for decorator in reversed(decorators):
        wrapper = decorator(wrapper)
    return wrapper


class Loaded:
    """A corpus (None when read from a graph file) and its graph."""

    def __init__(self, corpus: Corpus | None, graph: nx.MultiDiGraph, inputs: Sequence[str]) -> None:
        self.corpus = corpus
        self.graph = graph
        self.inputs = list(inputs)


def load_input(session: Session, spec: InputSpec) -> Loaded:
    """Read PATHS (or the sample data) and build the graph, or load a saved graph."""
    if spec.graph_file:
        if spec.paths:
            raise click.UsageError("give either PATHS or --graph, not both")
        with session.stage("load graph"):
            return Loaded(None, read_graph(spec.graph_file), [spec.graph_file])
    inputs = list(spec.paths) or [sample_data_path()]
    with session.stage("read + merge"):
        corpus = load(inputs, max_bytes=spec.max_file_size, workers=spec.workers,
                      on_progress=session.progress("Reading"), cache=spec.use_cache)
    if spec.errors_file:
        write_text(spec.errors_file, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in corpus.problems))
    with session.stage("build graph"):
        graph = build_graph(corpus)
    return Loaded(corpus, graph, inputs)


def report_problems(session: Session, problems: Sequence[InputError]) -> None:
    """End-of-run list: every skipped file or record, then warnings (capped unless --verbose)."""
    fatal = [p for p in problems if p.fatal]
    warnings = [p for p in problems if not p.fatal]
    if fatal:
        session.say(f"Skipped {len(fatal)} file(s) or record(s):")
        for problem in fatal:
            session.say(f"  {problem}")
    if warnings:
        shown = warnings if session.verbose else warnings[:MAX_WARNING_LINES]
        session.say(f"Warnings ({len(warnings)}; records kept):")
        for problem in shown:
            session.say(f"  {problem}")
        if len(shown) < len(warnings):
            session.say(f"  ... and {len(warnings) - len(shown)} more (--verbose or --errors FILE lists all)")


def finish(session: Session, loaded: Loaded, strict: bool) -> None:
    """Exit 1 under --strict when anything was skipped."""
    if loaded.corpus is None:
        return
    finish_problems(session, loaded.corpus.problems, strict)


def finish_problems(session: Session, problems: Sequence[InputError], strict: bool) -> None:
    """List the problems; exit 1 under --strict when any cost a file or record."""
    report_problems(session, problems)
    skipped = sum(1 for p in problems if p.fatal)
    if strict and skipped:
        raise click.ClickException(f"{skipped} file(s) or record(s) skipped (--strict)")


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn graphnews's own errors into one line and exit 1; never a traceback for bad data."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GraphnewsError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphnews")
def cli() -> None:
    """Turn news article records into a graph you can explore.

    PATHS are files or folders of records (YAML front matter, YAML, JSON, JSON Lines,
    dated plain text). With no PATHS, commands use the embedded sample data.
    """


@cli.command()
@input_options
@click.option("-o", "--output", default=os.path.join(DEFAULT_OUTPUT_DIR, "graph.json"), show_default=True,
              type=click.Path(), help="Where to write the graph (.json, .graphml or .gexf; DIR.parquet with --engine dask).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: one process, networkx graph. dask: on a Dask cluster, Parquet tables (see README, Scaling out).")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: a running `dask scheduler` (default: a LocalCluster).")
@handle_errors
def build(inputs: InputSpec, output: str, engine: str, scheduler: str | None) -> None:
    """Read records, merge them into articles, and write the graph.

    \b
    Example:
      graphnews build ../shared/seeds -o output/seeds.json
      graphnews build big/ --engine dask --scheduler tcp://10.0.0.5:8786 -o output/big.parquet
    """
    session = Session(inputs.quiet, inputs.verbose)
    if engine == "dask" or scheduler:
        build_on_dask(session, inputs, output, scheduler)
        return
    loaded = load_input(session, inputs)
    with session.stage("write"):
        write_graph(loaded.graph, output)
    if loaded.corpus is not None:
        for line in build_summary(loaded.corpus, loaded.graph):
            session.say(line)
    session.say(f"Wrote {output} ({loaded.graph.number_of_nodes():,} nodes, {loaded.graph.number_of_edges():,} edges)")
    finish(session, loaded, inputs.strict)


def build_on_dask(session: Session, inputs: InputSpec, output: str, scheduler: str | None) -> None:
    """``build --engine dask``: the distributed build (graphnews.distributed) writing Parquet tables."""
    try:
        from .distributed import cluster
        from .distributed.build import build_tables
    except ImportError as error:
        raise click.UsageError(f"--engine dask needs the dask extra (pip install 'graphnews[dask]'): {error}") from None
    if inputs.graph_file or not inputs.paths:
        raise click.UsageError("--engine dask reads PATHS (files, folders or fsspec URLs)")
    if output == os.path.join(DEFAULT_OUTPUT_DIR, "graph.json"):
        output = os.path.join(DEFAULT_OUTPUT_DIR, "graph.parquet")

    def on_stage(name: str, seconds: float | None) -> None:
        if seconds is not None and session.verbose:
            session.say(f"  {name}: {seconds:.2f} s")

    with cluster(scheduler, inputs.workers) as client:
        result = build_tables(list(inputs.paths), output, client, max_bytes=inputs.max_file_size, on_stage=on_stage)
    if inputs.errors_file:
        write_text(inputs.errors_file, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in result.problems))
    for line in summary_lines(result.stats, result.problems, result.providers, result.topics, result.merged,
                              result.edge_counts):
        session.say(line)
    nodes = result.stats["articles"] + result.stats["providers"] + result.stats["topics"]
    session.say(f"Wrote {result.output} ({nodes:,} nodes, {sum(result.edge_counts.values()):,} edges; {result.partitions:,} "
                f"partitions, {result.buckets:,} buckets, {result.rounds} component rounds)")
    finish_problems(session, result.problems, inputs.strict)


def build_summary(corpus: Corpus, graph: nx.MultiDiGraph) -> list[str]:
    """The lines `graphnews build` prints: what was read, merged and built."""
    merged = [(a.id, a.mentions) for a in corpus.articles.values() if a.mentions > 1 and a.full]
    return summary_lines(corpus.stats, corpus.problems, [graph.nodes[node]["label"] for node in nodes_of_kind(graph, "provider")],
                         [graph.nodes[t]["label"] for t in nodes_of_kind(graph, "topic")], merged, edge_counts(graph))


def summary_lines(stats: dict[str, int], problems: Sequence[InputError], providers: Sequence[str], topics: Sequence[str],
                  merged: Sequence[tuple[str, int]], edges: dict[str, int]) -> list[str]:
    """The build summary from its parts (provider and topic display names sorted by id; merged (id, mentions) by id).

    Shared by both engines: ``build --engine dask`` has no corpus or graph, only their counts.
    """
    shown = ", ".join(providers[:20]) + (f", ... and {len(providers) - 20} more" if len(providers) > 20 else "")
    skipped_files = len({p.path for p in problems if p.fatal})
    lines = [
        f"Read {stats['files']:,} files: {stats['records']:,} records, {skipped_files:,} files with skipped content",
        f"Articles: {stats['articles']:,} ({stats['full_articles']:,} full records, "
        f"{stats['related_only_articles']:,} seen only as related items)",
        f"Merged: {stats['mentions']:,} mentions into {stats['articles']:,} articles "
        f"({stats['articles_seen_more_than_once']:,} articles seen more than once; "
        f"{stats['self_links_dropped']:,} self-links dropped)",
    ]
    for article, mentions in merged[:5]:
        lines.append(f"  {mentions} mentions -> {article}")
    if len(merged) > 5:
        lines.append(f"  ... and {len(merged) - 5} more full records merged with other mentions")
    lines += [
        f"Providers ({len(providers)}): {shown}",
        f"Topics ({stats['topics']}): " + ", ".join(topics[:20]),
        "Edges: " + ", ".join(f"{kind} {count:,}" for kind, count in edges.items()),
    ]
    return lines


@cli.command("html")
@input_options
@click.option("-o", "--output", default=os.path.join(DEFAULT_OUTPUT_DIR, "graph.html"), show_default=True,
              type=click.Path(dir_okay=False), help="Where to write the page.")
@click.option("--view", type=click.Choice(html.VIEWS), default="full", show_default=True,
              help="full graph, one node per story cluster, or provider co-coverage.")
@click.option("--color-by", type=click.Choice(html.COLOR_BY), default="kind", show_default=True, help="Node colours.")
@click.option("--size-by", default="pagerank", show_default=True,
              help="Node attribute that sizes and ranks nodes (degree when absent).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=html.DEFAULT_MAX_NODES, show_default=True,
              help="Keep this many most central nodes; the page says what was left out.")
@click.option("--around", metavar="URL_OR_ID", help="Only the neighbourhood of this article (any of its URLs, or its id).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --around.")
@click.option("--title", help="Page title (default: what the page shows).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the browser when written.")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Analyse the Parquet tables of `build --engine dask` instead of PATHS (no networkx graph).")
@handle_errors
def html_page(inputs: InputSpec, output: str, view: str,
              color_by: str, size_by: str, max_nodes: int, around: str | None, depth: int, title: str | None,
              open_page: bool, tables_path: str | None) -> None:
    """Write an interactive offline page of the graph (search, filters, tooltips).

    \b
    Examples:
      graphnews html ../shared/corpus/election -o output/election.html
      graphnews html --graph output/graph.json --view clusters --color-by cluster
    """
    session = Session(inputs.quiet, inputs.verbose)
    if tables_path:
        if view == "clusters" or color_by == "cluster":
            raise click.UsageError("--tables has no story clusters yet: use --view full or providers")
        from .tables import page_graph

        dataset, measured = tables_centrality(session, inputs, tables_path, REPORT_KINDS, 0)
        loaded = Loaded(None, page_graph(dataset, measured, max_nodes), [tables_path])
    else:
        loaded = load_input(session, inputs)
    needs_clusters = (view == "clusters" or color_by == "cluster") and not has_node_attribute(loaded.graph, "cluster")
    needs_measures = not has_node_attribute(loaded.graph, size_by)
    if needs_clusters or needs_measures:
        with session.stage("analysis"):
            analyse(loaded.graph, clusters=needs_clusters, centrality=needs_measures)
    with session.stage("write page"):
        info = html.write_html(loaded.graph, output, title=title, inputs=loaded.inputs, view=view, color_by=color_by,
                               size_by=size_by, max_nodes=max_nodes, around=around, depth=depth)
    session.say(f"Wrote {output} ({info.view} view: {info.nodes:,} nodes, {info.edges:,} edges, {info.layout} layout)")
    for note in info.notes:
        session.say(f"  {note}")
    finish(session, loaded, inputs.strict)
    if open_page:
        click.launch(os.path.abspath(output))


def has_node_attribute(graph: nx.Graph, name: str) -> bool:
    """True when any node carries attribute ``name`` (a graph loaded with --graph may be analysed already)."""
    return any(name in data for _node, data in graph.nodes(data=True))


REPORT_KINDS = ("article", "provider", "topic")


def parse_weights(values: Sequence[str]) -> dict[str, float]:
    """``--weight KIND=VALUE`` options as a mapping (exit 2 on a malformed one)."""
    weights: dict[str, float] = {}
    for value in values:
        kind, _, number = value.partition("=")
        try:
            weights[kind.strip()] = float(number)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not KIND=NUMBER", param_hint="--weight") from None
    return weights


@cli.command()
@input_options
@click.option("--kind", type=click.Choice([*REPORT_KINDS, "all"]), default="all", show_default=True,
              help="Which table: articles, providers, topics, or all three.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the best N rows of each table.")
@click.option("--measure", "measures", multiple=True, metavar="M",
              help="Measure columns to show, in order; the first sorts the rows (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of stdout.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of sampled betweenness.")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Analyse the Parquet tables of `build --engine dask` instead of PATHS (no networkx graph).")
@handle_errors
def report(inputs: InputSpec, kind: str, top: int | None, measures: tuple[str, ...], fmt: str, output: str | None,
           seed: int, tables_path: str | None) -> None:
    """Rank articles, providers and topics by centrality.

    \b
    Example:
      graphnews report ../shared/corpus/election --kind provider --top 10 --format csv
    """
    session = Session(inputs.quiet, inputs.verbose)
    kinds = REPORT_KINDS if kind == "all" else (kind,)
    loaded = None
    if tables_path:
        _dataset, tables = tables_centrality(session, inputs, tables_path, kinds, seed)
    else:
        loaded = load_input(session, inputs)
        with session.stage("centrality"):
            tables = centrality_tables(loaded.graph, kinds, seed=seed)
    try:
        views = [select(table, measures, top) for table in tables.values()]
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--measure") from None
    emit_tables(views, fmt, output)
    if loaded is not None:
        finish(session, loaded, inputs.strict)


def tables_centrality(session: Session, inputs: InputSpec, tables_path: str, kinds: Sequence[str],
                      seed: int) -> tuple[Any, dict[str, Table]]:
    """A Parquet dataset (``--tables``) and its centrality tables: graphnews.tables, no article graph."""
    from .tables import centrality as measure_tables, load_tables

    if inputs.paths or inputs.graph_file:
        raise click.UsageError("give either --tables or PATHS/--graph, not both")
    with session.stage("load tables"):
        loaded = load_tables(tables_path)
    with session.stage("centrality"):
        return loaded, measure_tables(loaded, kinds, seed=seed)


@cli.command()
@input_options
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True, help="Smallest cluster listed.")
@click.option("--method", type=click.Choice(METHODS), default="auto", show_default=True,
              help="Community detection; auto = leiden when installed, else louvain.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="YAML file of weights.")
@click.option("--weight", "weights", multiple=True, metavar="KIND=VALUE",
              help="Override one config value (related, similar, syndicated, topic, provider, resolution ...).")
@click.option("--format", "fmt", type=click.Choice(("table", *REPORT_FORMATS)), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@handle_errors
def clusters(inputs: InputSpec, min_size: int, method: str, config_file: str | None, weights: tuple[str, ...],
             fmt: str, output: str | None) -> None:
    """Group articles into story clusters (related links, similarity, wire copies, topics).

    \b
    Example:
      graphnews clusters ../shared/seeds --format md -o output/clusters.md
    """
    session = Session(inputs.quiet, inputs.verbose)
    config = load_cluster_config(config_file) if config_file else ClusterConfig()
    try:
        config = config_from_mapping({**asdict(config), **parse_weights(weights)}, "--weight")
    except ConfigError as error:
        raise click.BadParameter(str(error).removeprefix("--weight: "), param_hint="--weight") from None
    loaded = load_input(session, inputs)
    analysis = analyse(loaded.graph, config, method=method, centrality=False, stage=session.stage)
    counts, found = analysis.added, analysis.clusters
    assert found is not None  # analyse() clusters unless told not to
    result = ClusterResult([c for c in found.clusters if c.size >= min_size], found.modularity, found.method, found.seed)
    text = render_clusters(result, fmt) if fmt != "table" else clusters_table(result, output is None)
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)
    total = sum(1 for _node, cluster in loaded.graph.nodes(data="cluster") if cluster is not None)
    session.say("Added edges: " + ", ".join(f"{kind} {count:,}" for kind, count in counts.items()))
    session.say(f"Clusters: {len({c for _n, c in loaded.graph.nodes(data='cluster') if c is not None}):,} over "
                f"{total:,} articles, {len(result.clusters):,} of size >= {min_size}; "
                f"modularity {result.modularity:.4f} ({result.method}, seed {result.seed})")
    finish(session, loaded, inputs.strict)


def clusters_table(result: ClusterResult, color: bool) -> str:
    """The terminal table of clusters (rich), as text."""
    table = RichTable(show_lines=False)
    for column in ("id", "size", "label", "lead", "dates", "providers", "wire"):
        table.add_column(column, overflow="fold")
    for cluster in result.clusters:
        dates = " - ".join(dict.fromkeys(d[:10] for d in (cluster.start, cluster.end) if d))
        providers = ", ".join(f"{name} ({count})" for name, count in cluster.providers[:4])
        table.add_row(str(cluster.id), str(cluster.size), cluster.label, cluster.lead_title, dates, providers,
                      ", ".join(map(str, cluster.syndication)))
    console = Console(file=io.StringIO(), width=160, force_terminal=color and sys.stdout.isatty(), highlight=False)
    console.print(table)
    return console.file.getvalue()


@cli.command()
@click.argument("url_or_id")
@input_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the best N related stories.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of stdout.")
@handle_errors
def related(url_or_id: str, inputs: InputSpec, top: int | None, fmt: str, output: str | None) -> None:
    """List the stories related to one article (found by any of its URLs, or its id), with why.

    \b
    Example:
      graphnews related https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html ../shared/seeds
    """
    session = Session(inputs.quiet, inputs.verbose)
    loaded = load_input(session, inputs)
    emit_tables([related_table(loaded.graph, url_or_id, top=top)], fmt, output)
    finish(session, loaded, inputs.strict)


def emit_tables(tables: Sequence[Table], fmt: str, output: str | None) -> None:
    """Print tables (rich for ``table`` on a terminal) or write them to ``output``."""
    if fmt == "json" and len(tables) > 1:
        text = "[\n" + ",\n".join(render_table(table, "json").rstrip("\n") for table in tables) + "\n]\n"
    elif fmt == "table" and output is None:
        console = Console(highlight=False, soft_wrap=False)
        for table in tables:
            console.print(rich_table(table))
        return
    else:
        text = "\n".join(render_table(table, "text" if fmt == "table" else fmt) for table in tables)
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)


def rich_table(table: Table) -> RichTable:
    """A readable terminal table: shortened titles, provider and date, notes as the caption."""
    drawn = RichTable(title="related stories" if table.kind == "related" else f"{table.kind}s", caption="\n".join(table.notes) or None, caption_justify="left")
    shown = [column for column in table.columns if column not in ("id", "link")] if table.kind in ("article", "related") else table.columns
    for column in shown:
        drawn.add_column(column, justify="right" if column in table.measures else "left",
                         no_wrap=column in table.measures or column == "published", min_width=24 if column == "title" else None)
    for row in table.rows:
        drawn.add_row(*(Text(short_cell(column, row.get(column))) for column in shown))
    return drawn


@cli.command()
@click.argument("url_or_id")
@input_options
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many articles to list.")
@handle_errors
def similar(url_or_id: str, inputs: InputSpec, top: int) -> None:
    """List the articles whose text is most similar to URL_OR_ID (cosine of TF-IDF vectors).

    \b
    Example:
      graphnews similar https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html ../shared/seeds
    """
    session = Session(inputs.quiet, inputs.verbose)
    loaded = load_input(session, inputs)
    for node, score in most_similar(loaded.graph, url_or_id, top=top):
        title = " ".join(str(loaded.graph.nodes[node].get("title") or "").split())
        click.echo(f"{score:.4f}\t{node}\t{title}")
    finish(session, loaded, inputs.strict)


@cli.command()
@input_options
@click.option("-o", "--output", "out_dir", default=DEFAULT_OUTPUT_DIR, show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the report into.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=html.DEFAULT_MAX_NODES, show_default=True,
              help="Cap of graph.html: the most central nodes are kept.")
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="Rows of the top-stories table on the overview and in report.md.")
@click.option("--method", type=click.Choice(METHODS), default="auto", show_default=True, help="Community detection.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="YAML file of cluster weights.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of clustering and sampled betweenness.")
@click.option("--title", help="Title of the pages (default: from the input).")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Report on the Parquet tables of `build --engine dask` (centrality.csv, report.md, graph.html; no stories yet).")
@handle_errors
def explore(inputs: InputSpec, out_dir: str, max_nodes: int, top: int, method: str, config_file: str | None,
            seed: int, title: str | None, tables_path: str | None) -> None:
    """Read once and write a complete, browsable report into a folder (the main job).

    \b
    Writes index.html (start here), graph.html, clusters.html, providers.html, report.md,
    centrality.csv, clusters.json, graph.json, graph.graphml and graph.gexf.

    \b
    Examples:
      graphnews explore                      # the embedded sample data, into output/
      graphnews explore ../shared/corpus/election -o output/election
    """
    if inputs.graph_file:
        raise click.UsageError("explore reads records (PATHS), not --graph")
    session = Session(inputs.quiet, inputs.verbose)
    if tables_path:
        explore_from_tables(session, inputs, tables_path, out_dir, seed=seed, max_nodes=max_nodes, top=top, title=title)
        return
    config = load_cluster_config(config_file) if config_file else None

    def on_stage(name: str, seconds: float | None) -> None:
        if seconds is None:
            session.say(f"{name} ...")
        elif session.verbose:
            session.say(f"  {name}: {seconds:.2f} s")

    paths = list(inputs.paths) or [sample_data_path()]
    result = run_explore(paths, out_dir, max_bytes=inputs.max_file_size, workers=inputs.workers, cache=inputs.use_cache,
                         config=config, method=method, seed=seed, max_nodes=max_nodes, top=top, title=title,
                         on_stage=on_stage, on_progress=session.progress("Reading"))
    if inputs.errors_file:
        write_text(inputs.errors_file, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n"
                                               for p in result.corpus.problems))
    for line in build_summary(result.corpus, result.graph):
        session.say(line)
    clusters_found = result.details["clusters"]
    session.say(f"Story clusters: {sum(1 for c in clusters_found.clusters if c.size > 1):,} with 2+ articles, "
                f"modularity {clusters_found.modularity:.3f}; wire groups: {len(result.details['groups']):,}")
    session.say(f"Wrote {len(result.files)} files into {out_dir}/ in {sum(result.timings.values()):.1f} s; "
                f"open {os.path.join(out_dir, 'index.html')}")
    finish(session, Loaded(result.corpus, result.graph, paths), inputs.strict)


def explore_from_tables(session: Session, inputs: InputSpec, tables_path: str, out_dir: str, **options: Any) -> None:
    """``explore --tables``: graphnews.tables.explore_tables, with the stage timings under --verbose."""
    from .tables import explore_tables

    if inputs.paths:
        raise click.UsageError("give either --tables or PATHS, not both")
    result = explore_tables(tables_path, out_dir, **options)
    if session.verbose:
        for name, seconds in result.timings.items():
            session.say(f"  {name}: {seconds:.2f} s")
    counts = ", ".join(f"{len(table.rows):,} {kind}s" for kind, table in result.tables.items())
    session.say(f"Measured {counts}; wrote {', '.join(result.files)}")
