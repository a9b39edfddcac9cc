"""``python -m graphnews``: the same as the ``graphnews`` command."""

from .cli import cli

cli(prog_name="graphnews")
