"""What every command shares: the stderr console, the corpus or graph it loads, the end-of-run list."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import click

from .. import sample_data_path
from ..errors import InputError, printable
from .options import InputSpec
from .report import RunReport

if TYPE_CHECKING:  # the library is imported inside each command: `graphnews --help` stays light
    import networkx as nx

    from ..model import Corpus


def stdout_bytes() -> IO[bytes]:
    """Standard output as a binary stream (``sys.stdout.buffer``, which CliRunner replaces too).

    Not ``click.get_binary_stream``: click 8.5 deprecates it.
    """
    return sys.stdout.buffer


class Session:
    """What every command shares: the console on stderr, quiet/verbose, the run's :class:`RunReport`."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.report = click.get_current_context().ensure_object(RunReport)
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
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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
        from ..export.files import read_graph

        with session.stage("load graph"):
            return Loaded(None, read_graph(spec.graph_file), [spec.graph_file])
    from .. import build_graph, load

    inputs = list(spec.paths) or [sample_data_path()]
    with session.stage("read + merge"):
        corpus = load(inputs, max_bytes=spec.max_file_size, workers=spec.workers,
                      on_progress=session.progress("Reading"), cache=spec.use_cache, follow_links=spec.follow_links)
    if spec.errors_file:
        from ..atomic import write_text

        write_text(spec.errors_file, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in corpus.problems))
    with session.stage("build graph"):
        graph = build_graph(corpus)
    return Loaded(corpus, graph, inputs)


def finish(session: Session, loaded: Loaded, strict: bool) -> None:
    """List the corpus's problems and add them to the run report (it exits 1 under --strict when any was skipped)."""
    if loaded.corpus is None:
        return
    if session.verbose:
        for reason, count in sorted(loaded.corpus.yaml_reference.items(), key=lambda item: (-item[1], item[0])):
            session.say(f"YAML read with PyYAML instead of yaml-rs: {count:,} document(s), {reason}")
    finish_problems(session, loaded.corpus.problems, strict)


def finish_problems(session: Session, problems: Sequence[InputError], strict: bool) -> None:
    """Add the problems to the run report and list them on stderr."""
    session.report.add_problems(problems, strict=strict)
    for line in session.report.problem_lines(session.verbose):
        session.say(line)


def has_node_attribute(graph: nx.Graph, name: str) -> bool:
    """True when any node carries attribute ``name`` (a graph loaded with --graph may be analysed already)."""
    return any(name in data for _node, data in graph.nodes(data=True))
