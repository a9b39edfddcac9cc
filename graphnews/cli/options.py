"""Shared options: the input group (InputSpec), the settings (--config, --set), lazy choices, sectioned help."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from importlib import import_module
from typing import Any

import click

from ..errors import SettingsError

DEFAULT_OUTPUT_DIR = "output"


#: ``-o -`` writes to standard output; ``-`` as a PATH reads records from standard input.
STDOUT = "-"
#: --scheduler of the commands that analyse --tables.
SCHEDULER_HELP = ("With --tables: run the stories' candidate pairs (sparse products of the text vectors) as Dask "
                  "tasks on this running `dask scheduler` (same stories).")


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
        click.option("--max-file-size", cls=LazyDefaultInputOption, default_from=("..read", "DEFAULT_MAX_FILE_BYTES"),
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


#: Where the ``--config``/``--set`` callbacks keep the settings of the run (click's ``ctx.meta``).
SETTINGS_META = "graphnews.settings"


def _settings_callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Fold ``--config FILE`` (eager: first) and then each ``--set KEY=VALUE`` into the run's settings."""
    if not value or ctx.resilient_parsing:
        return value
    from ..settings import Settings, load_settings

    hint = f"--{param.name}" if param.name in ("config", "set") else "--weight"
    current = ctx.meta.get(SETTINGS_META) or Settings()
    try:
        ctx.meta[SETTINGS_META] = load_settings(value, current) if param.name == "config" \
            else current.with_assignments(value, hint)
    except SettingsError as error:
        raise click.BadParameter(str(error).removeprefix(f"{hint}: "), ctx=ctx, param_hint=hint) from None
    return value


def settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--config FILE`` and ``--set KEY=VALUE``; the command receives ``settings: Settings | None``.

    None means neither was given (the library then uses the defaults); ``--weight`` is a
    hidden alias of ``--set`` kept for scripts written before it.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for name in ("config", "set", "weight"):
            kwargs.pop(name)
        return command(*args, settings=click.get_current_context().meta.get(SETTINGS_META), **kwargs)

    decorators = [
        click.option("--config", type=click.Path(exists=True, dir_okay=False), is_eager=True, expose_value=True,
                     callback=_settings_callback,
                     help="YAML or TOML file of settings (graphnews settings lists them); --set overrides it."),
        click.option("--set", multiple=True, metavar="KEY=VALUE", callback=_settings_callback,
                     help="Change one setting, e.g. stories.story_threshold=0.1 (repeatable)."),
        click.option("--weight", multiple=True, hidden=True, callback=_settings_callback),
    ]
    for decorator in reversed(decorators):
        wrapper = decorator(wrapper)
    return wrapper
