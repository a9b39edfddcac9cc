"""Errors graphnews raises, each naming where the problem is.

Library code raises these; the CLI turns them into one line on stderr and an exit code.
"""

from __future__ import annotations

from typing import Any


class GraphnewsError(Exception):
    """Base class for every error graphnews raises on purpose."""


class InputError(GraphnewsError):
    """A file (or one record in it) that cannot be read.

    Formats as ``path:line: message`` (``path: message`` when the line is unknown), the
    shape editors and terminals turn into a link. ``fatal`` is False for a warning: the
    record was kept but one field of it was not (a garbage date, a ``javascript:`` URL).
    """

    def __init__(self, path: str, message: str, line: int | None = None, fatal: bool = True) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message
        self.fatal = fatal

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {'' if self.fatal else 'warning: '}{self.message}"

    def __reduce__(self) -> tuple[Any, ...]:  # keep all fields across process pools
        return (InputError, (self.path, self.message, self.line, self.fatal))

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready mapping (for ``--errors FILE``)."""
        return {"path": self.path, "line": self.line, "message": self.message, "fatal": self.fatal}


class LookupFailed(GraphnewsError):
    """An article asked for by URL or id is not in the graph."""
