"""Records from standard input: ``graphnews build -`` reads JSON, JSON Lines or a YAML stream.

A path of ``-`` (or ``/dev/stdin``, which as a pipe is not a regular file and would be
skipped) names standard input. The text is parsed by the same record readers as files
(:mod:`graphnews.read.formats`): content starting with ``{`` or ``[`` is JSON (one record, a
list, or JSON Lines), anything else a YAML stream (documents separated by ``---``). Problems
name the source ``<stdin>`` and the line, as they name a file.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

from ..errors import InputError
from .formats import FileResult, _read_json, _read_yaml, _too_big, decode

STDIN = "-"
#: Paths that mean standard input.
STDIN_PATHS = frozenset((STDIN, "/dev/stdin", "/dev/fd/0"))
#: How problems name standard input.
SOURCE = "<stdin>"


def read_stdin(max_bytes: int, stream: BinaryIO | None = None) -> FileResult | InputError:
    """Parse standard input (or ``stream``) into mentions; an :class:`InputError` when nothing is usable."""
    handle = stream if stream is not None else sys.stdin.buffer
    try:
        raw = handle.read(max_bytes + 1)
    except OSError as error:
        return InputError(SOURCE, f"cannot read: {error.strerror or error}")
    if len(raw) > max_bytes:
        return InputError(SOURCE, _too_big(len(raw), max_bytes))
    result = FileResult(SOURCE)
    try:
        text = decode(raw, SOURCE)
        if not text.strip():
            return InputError(SOURCE, "empty input")
        if text.lstrip().startswith(("{", "[")):
            _read_json(text, result)  # one record, a list, or JSON Lines
        else:
            _read_yaml(text, result)  # a YAML stream
    except InputError as error:
        return error
    return result
