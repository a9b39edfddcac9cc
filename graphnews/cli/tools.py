"""``graphnews settings`` and ``graphnews cache``: what the runs use."""

from __future__ import annotations

import os

import click

from ..errors import GraphnewsError
from . import cli


@cli.command("settings")
@click.option("--format", "fmt", type=click.Choice(["table", "yaml"]), default="table", show_default=True,
              help="yaml: a settings file of the defaults, to edit and pass to --config.")
def settings_command(fmt: str) -> None:
    """List every setting with its default and what it does (for --config FILE and --set KEY=VALUE).

    \b
    Example:
      graphnews settings --format yaml > settings.yaml
      graphnews explore ../shared/corpus/election --config settings.yaml --set stories.neighbours=20
    """
    from ..settings import defaults_table, defaults_yaml

    click.echo(defaults_yaml() if fmt == "yaml" else defaults_table(), nl=False)


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
    from ..corpus_cache import corpus_files, corpus_folder
    from ..read.cache import cache_info

    info = cache_info()
    click.echo(f"Parse cache: {info.path}")
    if not info.exists:
        click.echo("  (empty: nothing cached yet)")
    else:
        click.echo(f"  {info.bytes / 2**20:,.1f} MB on disk, {info.files:,} files from {info.folders:,} folders"
                   f" (cap {info.max_bytes / 2**20:,.0f} MB)")
    if info.note:
        click.echo(f"  {info.note}")
    corpora = corpus_files()
    if corpora:
        size = sum(os.path.getsize(path) for path in corpora if os.path.exists(path))
        kind = "corpus" if len(corpora) == 1 else "corpora"
        click.echo(f"  and {len(corpora)} merged {kind} of whole inputs, {size / 2**20:,.1f} MB ({corpus_folder()})")


@cache_command.command("clear")
def cache_clear_command() -> None:
    """Forget every parsed file and merged corpus (the next run parses everything again)."""
    from ..corpus_cache import clear_corpora
    from ..read.cache import cache_dir, clear_cache

    forgotten, note = clear_cache()
    corpora = clear_corpora()
    if note:
        raise GraphnewsError(note)
    click.echo(f"Parse cache cleared: {forgotten:,} files and {corpora} merged {'corpus' if corpora == 1 else 'corpora'}"
               f" forgotten ({cache_dir()})")
