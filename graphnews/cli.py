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
from importlib import import_module
from typing import IO, TYPE_CHECKING, Any

import click

from . import __version__, sample_data_path
from .errors import GraphnewsError, InputError, printable
from .export.page_options import COLOR_BY, DEFAULT_MAX_NODES, VIEWS

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    import networkx as nx
    from rich.table import Table as RichTable

    from .analysis.centrality import Table
    from .analysis.clusters import ClusterConfig, ClusterResult
    from .model import Corpus

DEFAULT_OUTPUT_DIR = "output"
MAX_WARNING_LINES = 20
#: ``-o -`` writes to standard output; ``-`` as a PATH reads records from standard input.
STDOUT = "-"
#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class LazyChoice(click.Choice):
    """A :class:`click.Choice` whose values live in a module imported only when they are needed.

    ``graphnews --help`` and shell completion of command names never import it; a command's
    own ``--help`` or a given value does.
    """

    def __init__(self, module: str, name: str, *, first: Sequence[str] = ()) -> None:
        self._where = (module, name)
        self._first = tuple(first)
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        module, name = self._where
        return (*self._first, *getattr(import_module(module, __package__), name))


class InputOption(click.Option):
    """An option of the shared input group (listed under "Input options" in help)."""


class LazyDefaultInputOption(InputOption):
    """An input option whose default is a constant of a module imported only when it is needed.

    Shell completion (resilient parsing) never needs it; help and a run do.
    """

    def __init__(self, *args: Any, default_from: tuple[str, str], **kwargs: Any) -> None:
        self._default_from = default_from
        super().__init__(*args, **kwargs)

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        if call and ctx.resilient_parsing:  # completing: no value needed (help asks with call=False)
            return None
        module, name = self._default_from
        return getattr(import_module(module, __package__), name)


class SectionedCommand(click.Command):
    """Help lists the command's own options first, then the shared input options."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own: list[tuple[str, str]] = []
        shared: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                (shared if isinstance(param, InputOption) else own).append(record)
        for title, records in (("Options", own), ("Input options", shared)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


class InterruptibleGroup(click.Group):
    """Commands are :class:`SectionedCommand`; Ctrl-C exits 130 (as shells expect), not 1."""

    command_class = SectionedCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None


def stdout_bytes() -> IO[bytes]:
    """Standard output as a binary stream (click's, so CliRunner captures it too)."""
    return click.get_binary_stream("stdout")


class Session:
    """What every command shares: the console on stderr, quiet/verbose, error handling."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        from rich.console import Console

        self.console = Console(stderr=True, quiet=quiet, highlight=False)
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        """One line on stderr, unless --quiet; escape sequences and control characters from data are shown escaped."""
        self.console.print(printable(message), markup=False, highlight=False, soft_wrap=True)

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
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
    follow_links: bool = False


_INPUT_FIELDS = tuple(field.name for field in fields(InputSpec))


class PathOrURL(click.Path):
    """An existing path, or an fsspec URL (``s3://...``) passed through for ``--engine dask`` to list."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "://" in value:
            return value
        return super().convert(value, param, ctx)


def input_options(command: Callable[..., Any] | None = None, *, graph: bool = True) -> Any:
    """Add the shared input options; the command receives them as one ``inputs: InputSpec``.

    Use as ``@input_options``, or ``@input_options(graph=False)`` for a command that reads
    records only (it is not offered ``--graph``).
    """
    if command is None:
        return functools.partial(input_options, graph=graph)

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("graph_file", None)
        spec = InputSpec(**{name: kwargs.pop(name) for name in _INPUT_FIELDS})
        return command(*args, inputs=spec, **kwargs)

    decorators = [
        click.argument("paths", nargs=-1, type=PathOrURL(exists=True, dir_okay=True, readable=False, allow_dash=True)),
        *([click.option("--graph", "graph_file", cls=InputOption, type=click.Path(exists=True, dir_okay=False),
                        help="Read a graph written by graphnews (JSON, GraphML or GEXF) instead of PATHS.")]
          if graph else []),
        click.option("--strict", cls=InputOption, is_flag=True, help="Exit 1 if any file or record was skipped."),
        click.option("--errors", "errors_file", cls=InputOption, type=click.Path(dir_okay=False),
                     help="Write every skipped file and warning to this file as JSON Lines."),
        click.option("--max-file-size", cls=LazyDefaultInputOption, default_from=(".read", "DEFAULT_MAX_FILE_BYTES"),
                     type=click.IntRange(min=1), show_default=True, help="Skip files larger than this many bytes."),
        click.option("--workers", cls=InputOption, type=click.IntRange(min=1), default=None,
                     help="Processes to parse with (default: all cores for 64+ files)."),
        click.option("--cache/--no-cache", "use_cache", cls=InputOption, default=None,
                     help="Reuse parsed files from the parse cache (default: on for 64+ files)."),
        click.option("-q", "--quiet", cls=InputOption, is_flag=True, help="No progress or summary on stderr."),
        click.option("-v", "--verbose", cls=InputOption, is_flag=True, help="Timings for each stage, every warning."),
        click.option("--follow-links", cls=InputOption, is_flag=True,
                     help="Follow symlinks that lead outside the input folders (default: one warning each, not read)."),
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
        from .export.files import read_graph

        with session.stage("load graph"):
            return Loaded(None, read_graph(spec.graph_file), [spec.graph_file])
    from . import build_graph, load

    inputs = list(spec.paths) or [sample_data_path()]
    with session.stage("read + merge"):
        corpus = load(inputs, max_bytes=spec.max_file_size, workers=spec.workers,
                      on_progress=session.progress("Reading"), cache=spec.use_cache, follow_links=spec.follow_links)
    if spec.errors_file:
        from .atomic import write_text

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
    if session.verbose:
        for reason, count in sorted(loaded.corpus.yaml_reference.items(), key=lambda item: (-item[1], item[0])):
            session.say(f"YAML read with PyYAML instead of yaml-rs: {count:,} document(s), {reason}")
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
            raise click.ClickException(printable(str(error))) from None

    return wrapper


@click.group(cls=InterruptibleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphnews")
def cli() -> None:
    """Turn news article records into a graph you can explore.

    PATHS are files or folders of records (YAML front matter, YAML, JSON, JSON Lines,
    dated plain text), or - for JSON, JSON Lines or a YAML stream on standard input. With
    no PATHS, commands use the embedded sample data. -o - writes to standard output.
    """


@cli.command()
@input_options
@click.option("-o", "--output", default=os.path.join(DEFAULT_OUTPUT_DIR, "graph.json"), show_default=True,
              type=click.Path(allow_dash=True),
              help="Where to write the graph (.json, .graphml or .gexf; - for stdout; DIR.parquet with --engine dask).")
@click.option("--format", "fmt", type=LazyChoice(".export.files", "GRAPH_FORMATS"), default=None,
              help="Graph format (default: from the extension of --output; json for -).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: one process, networkx graph. dask: on a Dask cluster, Parquet tables (see README, Scaling out).")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: a running `dask scheduler` (default: a LocalCluster).")
@handle_errors
def build(inputs: InputSpec, output: str, fmt: str | None, engine: str, scheduler: str | None) -> None:
    """Read records, merge them into articles, and write the graph.

    \b
    Examples:
      graphnews build ../shared/seeds -o output/seeds.json
      cat records.jsonl | graphnews build - -o - --format graphml > graph.graphml
      graphnews build big/ --engine dask --scheduler tcp://10.0.0.5:8786 -o output/big.parquet
    """
    from .export.files import graph_format, write_graph

    session = Session(inputs.quiet, inputs.verbose)
    if engine == "dask" or scheduler:
        build_on_dask(session, inputs, output, scheduler)
        return
    if os.path.isdir(output):
        raise click.BadParameter(f"{printable(output)} is a folder: the local engine writes one graph file",
                                 param_hint="'-o' / '--output'")
    fmt = graph_format(output, fmt)
    loaded = load_input(session, inputs)
    with session.stage("write"):
        write_graph(loaded.graph, output, fmt, stdout=stdout_bytes() if output == STDOUT else None)
    if loaded.corpus is not None:
        for line in build_summary(loaded.corpus, loaded.graph):
            session.say(line)
    where = "the graph to stdout" if output == STDOUT else output
    session.say(f"Wrote {where} ({loaded.graph.number_of_nodes():,} nodes, {loaded.graph.number_of_edges():,} edges, {fmt})")
    finish(session, loaded, inputs.strict)


def build_on_dask(session: Session, inputs: InputSpec, output: str, scheduler: str | None) -> None:
    """``build --engine dask``: the distributed build (graphnews.distributed) writing Parquet tables."""
    from .atomic import write_text

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
    from .build import edge_counts, nodes_of_kind

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
    from .analysis.pipeline import analyse
    from .export import html

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
    session.say(f"Wrote {'the page to stdout' if output == STDOUT else output} ({info.view} view: {info.nodes:,} nodes, {info.edges:,} edges, {info.layout} layout)")
    for note in info.notes:
        session.say(f"  {note}")
    finish(session, loaded, inputs.strict)
    if open_page and output != STDOUT:
        click.launch(os.path.abspath(output))


def has_node_attribute(graph: nx.Graph, name: str) -> bool:
    """True when any node carries attribute ``name`` (a graph loaded with --graph may be analysed already)."""
    return any(name in data for _node, data in graph.nodes(data=True))


REPORT_KINDS = ("article", "provider", "topic")


def config_option(config_file: str | None) -> ClusterConfig | None:
    """``--config FILE`` read, or None; a bad file is a usage error (exit 2), as a bad ``--weight`` is."""
    from .analysis.clusters import ConfigError, load_cluster_config

    if not config_file:
        return None
    try:
        return load_cluster_config(config_file)
    except ConfigError as error:
        raise click.BadParameter(str(error), param_hint="--config") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise click.BadParameter(f"{printable(config_file)}: not a YAML settings file ({printable(str(error))})",
                                 param_hint="--config") from None


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
@handle_errors
def report(inputs: InputSpec, kind: str, top: int | None, measures: tuple[str, ...], fmt: str, output: str | None,
           seed: int, tables_path: str | None) -> None:
    """Rank articles, providers and topics by centrality, or stories by coverage.

    \b
    Example:
      graphnews report ../shared/corpus/election --kind provider --top 10 --format csv
      graphnews report ../shared/corpus/election --kind story --top 10
    """
    from .analysis.centrality import centrality_tables, select

    session = Session(inputs.quiet, inputs.verbose)
    kinds = REPORT_KINDS if kind == "all" else (kind,)
    loaded = None
    if tables_path:
        if kind == "story":
            raise click.UsageError("--kind story needs the stories, which the --tables path does not find yet")
        _dataset, tables = tables_centrality(session, inputs, tables_path, kinds, seed)
    else:
        loaded = load_input(session, inputs)
        if kind == "story":
            from .analysis.pipeline import analyse
            from .export.coverage_report import story_table

            with session.stage("stories"):
                found = analyse(loaded.graph, centrality=False, seed=seed).coverage
            assert found is not None  # analyse() finds stories unless told not to
            names = {node: str(data.get("label") or node) for node, data in loaded.graph.nodes(data=True)
                     if data.get("kind") == "provider"}
            stories = story_table(found, names)
            stories.rows = stories.rows[:top] if top else stories.rows
            emit_tables([stories], fmt, output)
            finish(session, loaded, inputs.strict)
            return
        with session.stage("centrality"):
            tables = centrality_tables(loaded.graph, kinds, seed=seed)
    try:
        views = [select(table, measures, top) for table in tables.values()]
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--measure") from None
    emit_tables(views, "combined-csv" if fmt == "csv" and len(views) > 1 else fmt, output)
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
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True, help="Smallest story listed.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="YAML file of story settings.")
@click.option("--weight", "weights", multiple=True, metavar="KEY=VALUE",
              help="Override one setting (story_threshold, story_decay_hours, storyline_threshold ...).")
@click.option("--format", "fmt", type=LazyChoice(".export.clusters_report", "REPORT_FORMATS", first=("table",)),
              default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the report here instead of stdout (- is stdout).")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Find the stories in the Parquet tables of `build --engine dask` instead of PATHS (no networkx graph).")
@handle_errors
def clusters(inputs: InputSpec, min_size: int, config_file: str | None, weights: tuple[str, ...],
             fmt: str, output: str | None, tables_path: str | None) -> None:
    """Find the stories (one event each) and storylines (threads of stories) of the articles.

    \b
    Example:
      graphnews clusters ../shared/seeds --format md -o output/clusters.md
    """
    from .analysis.clusters import ClusterResult
    from .analysis.pipeline import analyse
    from .export.clusters_report import render_clusters

    output = None if output == STDOUT else output
    session = Session(inputs.quiet, inputs.verbose)
    config = story_config(config_file, weights)
    if tables_path:
        loaded, counts, found = tables_stories(session, inputs, tables_path, config)
    else:
        loaded = load_input(session, inputs)
        analysis = analyse(loaded.graph, config, centrality=False, stage=session.stage)
        counts, found = analysis.added, analysis.clusters
    assert found is not None  # analyse() clusters unless told not to
    result = ClusterResult([c for c in found.clusters if c.size >= min_size], found.storylines, found.config)
    text = render_clusters(result, fmt) if fmt != "table" else clusters_table(result, output is None)
    if output:
        from .atomic import write_text

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


def tables_stories(session: Session, inputs: InputSpec, tables_path: str,
                   config: ClusterConfig) -> tuple[Loaded, dict[str, int], ClusterResult]:
    """``clusters --tables``: the stories of a Parquet dataset (graphnews.tables.find_stories), no article graph."""
    import networkx as nx

    from .tables import find_stories, load_tables

    if inputs.paths or inputs.graph_file:
        raise click.UsageError("give either --tables or PATHS/--graph, not both")
    with session.stage("load tables"):
        dataset = load_tables(tables_path, text=True)
    with session.stage("stories"):
        found = find_stories(dataset, config)
    return Loaded(None, nx.MultiDiGraph(), [tables_path]), {}, found


def story_config(config_file: str | None, weights: Sequence[str]) -> ClusterConfig:
    """The story settings from ``--config FILE`` and ``--weight KEY=VALUE`` overrides."""
    from .analysis.clusters import ClusterConfig, ConfigError, config_from_mapping

    config = config_option(config_file) or ClusterConfig()
    try:
        return config_from_mapping({**asdict(config), **parse_weights(weights)}, "--weight")
    except ConfigError as error:
        raise click.BadParameter(str(error).removeprefix("--weight: "), param_hint="--weight") from None


@cli.command()
@click.argument("truth", type=click.Path(exists=True, dir_okay=False))
@input_options
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="YAML file of story settings.")
@click.option("--weight", "weights", multiple=True, metavar="KEY=VALUE", help="Override one story setting.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def evaluate(truth: str, inputs: InputSpec, config_file: str | None, weights: tuple[str, ...], fmt: str) -> None:
    """Score the stories and storylines against a labelled TRUTH file (BCubed, pairwise, ARI).

    Members of TRUTH are matched to articles by any of their URLs (canonicalised). A
    --graph that already carries stories is scored as it is; records are analysed first.

    \b
    Example:
      graphnews evaluate ../shared/truth/election.json ../shared/corpus/election
    """
    from .analysis.evaluate import evaluate as score, load_truth
    from .analysis.pipeline import analyse

    session = Session(inputs.quiet, inputs.verbose)
    config = story_config(config_file, weights)
    labels = load_truth(truth)
    loaded = load_input(session, inputs)
    if weights or config_file or not has_node_attribute(loaded.graph, "story"):
        with session.stage("stories"):
            analyse(loaded.graph, config, centrality=False)
    result = score(loaded.graph, labels)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(evaluation_table(result))
    session.say(f"Matched {result.matched:,} of {result.labelled:,} labelled articles; "
                f"{result.unlabelled_articles:,} articles of the graph are not labelled (not scored)")
    finish(session, loaded, inputs.strict)


@cli.command()
@click.argument("old_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("new_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of stdout.")
@handle_errors
def diff(old_dir: str, new_dir: str, fmt: str, output: str | None) -> None:
    """What changed between two explore reports: new stories, stories that grew, merged, split, gone.

    Reads clusters.json of both folders; stories are matched by their articles, as explore
    does when it writes over an earlier report.

    \b
    Example:
      graphnews diff output/monday output/tuesday
    """
    from .analysis.changes import compare, read_previous
    from .export.coverage_report import change_table

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
    console = Console(file=io.StringIO(), width=160, force_terminal=color and sys.stdout.isatty(), highlight=False)
    console.print(table)
    return console.file.getvalue()


@cli.command()
@click.argument("url_or_id")
@input_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the best N related stories.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write to FILE instead of stdout (- is stdout).")
@handle_errors
def related(url_or_id: str, inputs: InputSpec, top: int | None, fmt: str, output: str | None) -> None:
    """List the stories related to one article (found by any of its URLs, or its id), with why.

    \b
    Example:
      graphnews related https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html ../shared/seeds
    """
    from .analysis.related import related_table

    session = Session(inputs.quiet, inputs.verbose)
    loaded = load_input(session, inputs)
    emit_tables([related_table(loaded.graph, url_or_id, top=top)], fmt, output)
    finish(session, loaded, inputs.strict)


def emit_tables(tables: Sequence[Table], fmt: str, output: str | None) -> None:
    """Print tables or write them to ``output`` (``-``: stdout).

    ``table`` is drawn with rich on a terminal and as plain, full-width text otherwise (a pipe
    or a file must not get columns cut to 80 characters); ``combined-csv`` is several tables
    as one CSV with a ``kind`` column.
    """
    from .export.report import combined_csv, render_table

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
        from .atomic import write_text

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

    from .export.report import short_cell

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
    from .analysis.similarity import most_similar

    session = Session(inputs.quiet, inputs.verbose)
    loaded = load_input(session, inputs)
    for node, score in most_similar(loaded.graph, url_or_id, top=top):
        title = " ".join(str(loaded.graph.nodes[node].get("title") or "").split())
        click.echo(f"{score:.4f}\t{node}\t{title}")
    finish(session, loaded, inputs.strict)


@cli.command()
@input_options(graph=False)
@click.option("-o", "--output", "out_dir", default=DEFAULT_OUTPUT_DIR, show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the report into.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=DEFAULT_MAX_NODES, show_default=True,
              help="Cap of graph.html: the most central nodes are kept.")
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="Rows of the top-stories table on the overview and in report.md.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="YAML file of story settings.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of sampled betweenness.")
@click.option("--title", help="Title of the pages (default: from the input).")
@click.option("--tables", "tables_path", metavar="DIR.parquet",
              help="Report on the Parquet tables of `build --engine dask` (centrality.csv, report.md, graph.html; no stories yet).")
@handle_errors
def explore(inputs: InputSpec, out_dir: str, max_nodes: int, top: int, config_file: str | None,
            seed: int, title: str | None, tables_path: str | None) -> None:
    """Read once and write a complete, browsable report into a folder (the main job).

    \b
    Writes index.html (start here), graph.html, clusters.html, providers.html, report.md,
    centrality.csv, providers.csv, leadlag.csv, clusters.json, graph.json, graph.graphml and graph.gexf.

    \b
    Examples:
      graphnews explore                      # the embedded sample data, into output/
      graphnews explore ../shared/corpus/election -o output/election
    """
    from .explore import explore as run_explore

    if out_dir == STDOUT:
        raise click.UsageError("explore writes a folder of files: give -o FOLDER, not -o -")
    session = Session(inputs.quiet, inputs.verbose)
    if tables_path:
        explore_from_tables(session, inputs, tables_path, out_dir, seed=seed, max_nodes=max_nodes, top=top, title=title)
        return
    config = config_option(config_file)

    def on_stage(name: str, seconds: float | None) -> None:
        if seconds is None:
            session.say(f"{name} ...")
        elif session.verbose:
            session.say(f"  {name}: {seconds:.2f} s")

    paths = list(inputs.paths) or [sample_data_path()]
    result = run_explore(paths, out_dir, max_bytes=inputs.max_file_size, workers=inputs.workers, cache=inputs.use_cache,
                         config=config, seed=seed, max_nodes=max_nodes, top=top, title=title,
                         on_stage=on_stage, on_progress=session.progress("Reading"), follow_links=inputs.follow_links)
    if inputs.errors_file:
        from .atomic import write_text

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
# --- graphnews cache: see and empty the parse cache (graphnews.read.cache) ---------------------------

@cli.group("cache")
def cache_command() -> None:
    """See or empty the parse cache ($GRAPHNEWS_CACHE_DIR, else ~/.cache/graphnews).

    \b
    Its size is capped by $GRAPHNEWS_CACHE_MAX_MB (default 1024): past it, the folders
    used longest ago are forgotten; folders that no longer exist are forgotten too.
    """


@cache_command.command("info")
def cache_info_command() -> None:
    """Where the parse cache is, how big, how many files and folders it holds."""
    from .read.cache import cache_info

    info = cache_info()
    click.echo(f"Parse cache: {info.path}")
    if not info.exists:
        click.echo("  (empty: nothing cached yet)")
    else:
        click.echo(f"  {info.bytes / 2**20:,.1f} MB on disk, {info.files:,} files from {info.folders:,} folders"
                   f" (cap {info.max_bytes / 2**20:,.0f} MB)")
    if info.note:
        click.echo(f"  {info.note}")


@cache_command.command("clear")
def cache_clear_command() -> None:
    """Forget every parsed file (the next run parses everything again)."""
    from .read.cache import cache_dir, clear_cache

    forgotten, note = clear_cache()
    if note:
        raise click.ClickException(note)
    click.echo(f"Parse cache cleared: {forgotten:,} files forgotten ({cache_dir()})")
