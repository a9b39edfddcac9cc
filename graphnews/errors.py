"""Errors graphnews raises, each naming where the problem is: one hierarchy for the whole package.

Library code raises these; the CLI turns them into one line on stderr and an exit code::

    GraphnewsError              anything graphnews raises on purpose
    +-- InputError              a file or record that cannot be read (path:line: message)
    +-- SchemaError             a graph that does not follow graphnews.schema (kind, attribute, type)
    +-- SettingsError           a settings value or file that cannot be used
    +-- UsageError              a request the library cannot serve (unknown measure, table kind, format)
    +-- LookupFailed            an article asked for by URL or id is not in the graph
    +-- WriteError              an output that could not be written (the previous file is untouched)
    +-- TruthError              a labelled truth file that cannot be read

``ValueError``/``KeyError`` stay what Python means by them (a bug); a user-facing failure is
one of these, so a caller catches :class:`GraphnewsError` and nothing else.
"""

from __future__ import annotations

from typing import Any


def printable(text: str) -> str:
    """``text`` safe to show on one line of a terminal or a file: nothing to interpret, nothing to break.

    File names that are not UTF-8 (``caf\\xe9.json`` from a latin-1 archive, which Python
    holds as lone surrogates) show their bytes as ``\\xe9``; newlines, escape sequences and
    other control or invisible characters are written as Python escapes (``\\n``, ``\\x1b``).

    >>> printable("caf\\udce9.json"), printable("two\\nlines"), printable("\\x1b[31mred")
    ('caf\\\\xe9.json', 'two\\\\nlines', '\\\\x1b[31mred')
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii") if code != 0x20 else char


class GraphnewsError(Exception):
    """Base class for every error graphnews raises on purpose."""


class InputError(GraphnewsError):
    """A file (or one record in it) that cannot be read.

    Formats as ``path:line: message`` (``path: message`` when the line is unknown), the
    shape editors and terminals turn into a link; path and message are :func:`printable`,
    so a problem is always one harmless line. ``fatal`` is False for a warning: the
    record was kept but one field of it was not (a garbage date, a ``javascript:`` URL).
    """

    def __init__(self, path: str, message: str, line: int | None = None, fatal: bool = True) -> None:
        path, message = printable(path), printable(message)
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


class SchemaError(GraphnewsError):
    """A graph whose node or edge kinds, attribute names or types are not those of :mod:`graphnews.schema`."""


class SettingsError(GraphnewsError):
    """A setting (from ``--config FILE``, ``--set`` or code) that is unknown or out of range; names the key."""


class UsageError(GraphnewsError):
    """A request the library cannot serve as asked: an unknown measure, table kind or output format."""


class WriteError(GraphnewsError):
    """An output could not be written (the previous file, if any, is untouched)."""


class TruthError(GraphnewsError):
    """A truth file that cannot be read or is not in the documented format."""
