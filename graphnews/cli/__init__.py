"""The ``graphnews`` command: thin click commands over the library.

Each command parses options, calls one or two library functions and formats what they
return. One :class:`RunReport` per run collects what went wrong and decides the exit
status: 0 success, 1 data errors under ``--strict`` or a failed write or read, 2 usage
errors (bad option, missing path: click's, before the run starts), 130 Ctrl-C.
"""

from __future__ import annotations

import click

from .. import __version__
from .report import ReportingGroup


@click.group(cls=ReportingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphnews")
def cli() -> None:
    """Turn news article records into a graph you can explore.

    PATHS are files or folders of records (YAML front matter, YAML, JSON, JSON Lines,
    dated plain text), or - for JSON, JSON Lines or a YAML stream on standard input. With
    no PATHS, commands use the embedded sample data. -o - writes to standard output.
    """


# The commands register themselves on the group as they are imported.
from . import build, pages, reports, stories, tools  # noqa: E402,F401
