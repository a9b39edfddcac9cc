"""The run report: what went wrong in a run and the exit status it gives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from ..errors import GraphnewsError, InputError, printable
from .options import SectionedCommand

MAX_WARNING_LINES = 20


#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class RunReport:
    """What went wrong in one run, and the exit status it gives (black's ``Report``).

    Commands add the input problems (skipped files and records, warnings); the group adds
    the error that stopped a run (a failed read or write: any :class:`GraphnewsError`) and a
    Ctrl-C, then calls :meth:`exit`. Usage errors (2) are click's: they stop a run before it starts.

    >>> report = RunReport()
    >>> report.add_problems([InputError("a.json", "not JSON")], strict=False); report.exit_code
    0
    >>> report.add_problems([], strict=True); report.exit_code, report.summary()
    (1, 'Error: 1 file(s) or record(s) skipped (--strict)')
    >>> report.interrupt(); report.exit_code, report.summary()
    (130, 'Interrupted.')
    """

    def __init__(self) -> None:
        self.problems: list[InputError] = []
        self.strict = False
        self.failure: str | None = None
        self.interrupted = False

    @property
    def skipped(self) -> int:
        """Files or records that were not read (fatal problems)."""
        return sum(1 for problem in self.problems if problem.fatal)

    def add_problems(self, problems: Sequence[InputError], *, strict: bool) -> None:
        """Record the input problems of the run; under ``strict`` a skipped file or record fails it."""
        self.problems.extend(problems)
        self.strict = self.strict or strict

    def fail(self, message: str) -> None:
        """Record the error that stopped the run (one line, shown as ``Error: message``)."""
        self.failure = printable(message)

    def interrupt(self) -> None:
        """Record a Ctrl-C."""
        self.interrupted = True

    @property
    def exit_code(self) -> int:
        """130 after Ctrl-C; 1 after a failure or a skip under --strict; else 0."""
        if self.interrupted:
            return INTERRUPTED
        return 1 if self.failure is not None or (self.strict and self.skipped) else 0

    def summary(self) -> str | None:
        """The last line of a run that did not succeed (None when it did)."""
        if self.interrupted:
            return "Interrupted."
        if self.failure is not None:
            return f"Error: {self.failure}"
        return f"Error: {self.skipped} file(s) or record(s) skipped (--strict)" if self.exit_code else None

    def problem_lines(self, verbose: bool) -> list[str]:
        """The end-of-run list: every skipped file or record, then warnings (capped unless ``verbose``)."""
        fatal = [p for p in self.problems if p.fatal]
        warnings = [p for p in self.problems if not p.fatal]
        lines = [f"Skipped {len(fatal)} file(s) or record(s):", *(f"  {p}" for p in fatal)] if fatal else []
        if warnings:
            shown = warnings if verbose else warnings[:MAX_WARNING_LINES]
            lines += [f"Warnings ({len(warnings)}; records kept):", *(f"  {p}" for p in shown)]
            if len(shown) < len(warnings):
                lines.append(f"  ... and {len(warnings) - len(shown)} more (--verbose or --errors FILE lists all)")
        return lines

    def exit(self) -> None:
        """Print the summary on stderr and end with the exit status, unless the run succeeded."""
        summary = self.summary()
        if summary is not None:
            click.echo(summary, err=True)
            raise click.exceptions.Exit(self.exit_code)


class ReportingGroup(click.Group):
    """Commands are :class:`SectionedCommand`; every run has one :class:`RunReport` (``ctx.obj``) that exits.

    graphnews's own errors become one line and exit 1, never a traceback for bad data;
    Ctrl-C exits 130 (as shells expect), not click's 1 and "Aborted!".
    """

    command_class = SectionedCommand

    def invoke(self, ctx: click.Context) -> Any:
        report = ctx.ensure_object(RunReport)
        result = None
        try:
            result = super().invoke(ctx)
        except GraphnewsError as error:
            report.fail(str(error))
        except KeyboardInterrupt:
            report.interrupt()
        report.exit()
        return result
