"""``graphnews build``: records to a graph file (local engine) or Parquet tables (dask)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from ..errors import InputError, printable
from . import cli
from .options import DEFAULT_OUTPUT_DIR, STDOUT, InputSpec, LazyChoice, input_options
from .session import Session, finish, finish_problems, load_input, stdout_bytes

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    import networkx as nx

    from ..model import Corpus


@cli.command()
@input_options
@click.option("-o", "--output", default=os.path.join(DEFAULT_OUTPUT_DIR, "graph.json"), show_default=True,
              type=click.Path(allow_dash=True),
              help="Where to write the graph (.json, .graphml or .gexf; - for stdout; DIR.parquet with --engine dask).")
@click.option("--format", "fmt", type=LazyChoice("..export.files", "GRAPH_FORMATS"), default=None,
              help="Graph format (default: from the extension of --output; json for -).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: one process, networkx graph. dask: on a Dask cluster, Parquet tables (see README, Scaling out).")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: a running `dask scheduler` (default: a LocalCluster).")
def build(inputs: InputSpec, output: str, fmt: str | None, engine: str, scheduler: str | None) -> None:
    """Read records, merge them into articles, and write the graph.

    \b
    Examples:
      graphnews build ../shared/seeds -o output/seeds.json
      cat records.jsonl | graphnews build - -o - --format graphml > graph.graphml
      graphnews build big/ --engine dask --scheduler tcp://10.0.0.5:8786 -o output/big.parquet
    """
    from ..export.files import graph_format, write_graph

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
    from ..atomic import write_text

    try:
        from ..distributed import cluster
        from ..distributed.build import build_tables
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
    from ..build import edge_counts, nodes_of_kind

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
