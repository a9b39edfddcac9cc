"""Reading one file: detect its format from its content, parse it, check its records.

Formats: YAML front matter (``---`` fenced mapping, optional Markdown body; any
extension, ``.txt`` included), plain YAML (one record or a list), JSON (one record or a
list), JSON Lines (one record a line; a bad line is reported and the rest are read) and
plain-text articles (``date YYYY-MM-DD`` marker, then text).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..model import Mention
from .plaintext import looks_like_plain_text, parse_plain_text
from .records import mention_from_mapping
from .yamlload import YamlProblem, load_yaml

#: Files larger than this are refused unless the caller raises the limit (``--max-file-size``).
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024
JSON_LINES_EXTENSIONS = (".jsonl", ".ndjson")
YAML_EXTENSIONS = (".yaml", ".yml")
# A key at column 0 of a YAML mapping: a plain word or a quoted string, then ``:``.
#: First characters of lines :data:`_TOP_LEVEL_KEY` can never match (and the empty line).
_NOT_A_KEY_START = frozenset({"", " ", "\t", "-", "#"})
_TOP_LEVEL_KEY = re.compile(r"""^("[^"]*"|'[^']*'|[^\s#:'"\[\]{},&*!|>%@`-][^:#]*?)[ \t]*:(?=[ \t]|$)""")


@dataclass(slots=True)
class FileResult:
    """What one file gave: its mentions, the records it held, and per-record problems."""

    path: str
    mentions: list[Mention] = field(default_factory=list)
    records: int = 0
    problems: list[InputError] = field(default_factory=list)


def parse_file(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FileResult:
    """Read ``path`` into mentions. Raises :class:`InputError` when nothing in it is usable."""
    extension = os.path.splitext(path)[1].lower()
    result = FileResult(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise InputError(path, "not a regular file")
        if info.st_size > max_bytes:
            raise InputError(path, _too_big(info.st_size, max_bytes))
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    if len(raw) > max_bytes:  # it grew after stat
        raise InputError(path, _too_big(len(raw), max_bytes))
    text = decode(raw, path)
    stripped = text.lstrip()
    if not stripped:
        raise InputError(path, "empty file")
    if extension in JSON_LINES_EXTENSIONS:
        _read_json_lines(text, result)
    elif stripped.startswith(("{", "[")) and extension not in YAML_EXTENSIONS:
        _read_json(text, result)
    elif extension in YAML_EXTENSIONS:
        _read_yaml(text, result)
    elif text.startswith("---") and text[3:4] in ("\n", " ", "\t", ""):
        _read_front_matter(text, result)
    elif looks_like_plain_text(text) or extension in (".txt", ".md", ".markdown"):
        result.mentions.append(parse_plain_text(text, path))
        result.records = 1
    else:
        raise InputError(path, "unrecognised format (expected front matter, YAML, JSON, JSON Lines or a dated text)")
    return result


def _too_big(size: int, max_bytes: int) -> str:
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (raise it with --max-file-size)"


def split_front_matter(text: str, path: str) -> tuple[str, str]:
    """Split ``---``-fenced front matter into (YAML header, body).

    The header is everything up to the first later line that is ``---`` or ``...``; the
    body (stripped) may contain more ``---`` lines. Raises :class:`InputError` (line 1)
    when the fence is never closed.

    Examples
    --------
    >>> split_front_matter("---\\ntitle: A\\n---\\nbody\\n---\\nmore\\n", "a.md")
    ('title: A', 'body\\n---\\nmore')
    """
    lines = text.split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        raise InputError(path, "front matter opened with '---' is never closed", 1)
    return "\n".join(lines[1:closing]), "\n".join(lines[closing + 1:]).strip()


def duplicate_keys(yaml_text: str) -> Iterator[tuple[str, int]]:
    """Top-level keys written twice in a YAML mapping, as (key, 1-based line of the repeat).

    PyYAML silently keeps the last value of a repeated key; graphnews does the same but
    says so. Only keys at column 0 are checked (the fields of a front-matter or
    single-record YAML file); a ``---`` line starts a new document.

    >>> list(duplicate_keys("title: A\\nurl: u\\ntitle: B\\n"))
    [('title', 3)]
    """
    seen: set[str] = set()
    for number, line in enumerate(yaml_text.split("\n"), start=1):
        if line.startswith("---"):
            seen.clear()
        if line[:1] in _NOT_A_KEY_START:  # most lines are indented: skip the regex
            continue
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            key = match.group(1).strip("'\"")
            if key in seen:
                yield key, number
            seen.add(key)


def _duplicate_key_warnings(yaml_text: str, result: FileResult, first_line: int) -> None:
    for key, number in duplicate_keys(yaml_text):
        result.problems.append(
            InputError(result.path, f"duplicate key {key!r}: the last value is kept", number + first_line - 1, fatal=False)
        )


class _JsonObjects:
    """``object_pairs_hook`` for json: builds dicts and remembers repeated keys."""

    def __init__(self) -> None:
        self.duplicates: list[str] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) != len(pairs):
            seen: set[str] = set()
            self.duplicates.extend(key for key, _ in pairs if key in seen or seen.add(key))
        return data

    def warn(self, result: FileResult, line: int | None) -> None:
        """Add one warning per repeated key seen since the last call, then forget them."""
        for key in dict.fromkeys(self.duplicates):
            result.problems.append(InputError(result.path, f"duplicate key {key!r}: the last value is kept", line, fatal=False))
        self.duplicates.clear()


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text with BOM removed and line ends made ``\\n``; binary or other encodings refused."""
    nul = raw.find(b"\x00")
    if nul != -1:
        raise InputError(path, f"binary file (NUL byte at offset {nul})")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})", line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _add_record(data: object, result: FileResult, line: int | None, body: str = "") -> None:
    """Check one record and add it, collecting its warnings; raises InputError when unusable."""
    warnings: list[InputError] = []
    mention = mention_from_mapping(
        data, result.path, line, lambda message: warnings.append(InputError(result.path, message, line, fatal=False)), body=body
    )
    result.mentions.append(mention)
    result.problems.extend(warnings)
    result.records += 1


def _add_records(items: list[object], result: FileResult, line_of: list[int | None] | None = None) -> None:
    """Add a list of records; a bad one is reported (``record N``) and the rest are kept."""
    for index, item in enumerate(items):
        line = line_of[index] if line_of else None
        try:
            _add_record(item, result, line)
        except InputError as error:
            label = f"record {index + 1}: " if line is None else ""
            result.problems.append(InputError(result.path, label + error.message, line))
    if not result.mentions:
        raise InputError(result.path, "no usable record" + (f" (first problem: {result.problems[0].message})" if result.problems else ""))


def _read_front_matter(text: str, result: FileResult) -> None:
    header, body = split_front_matter(text, result.path)
    try:
        data = load_yaml(header)
    except YamlProblem as problem:
        raise InputError(result.path, problem.message, problem.line + 1 if problem.line else None) from None
    if data is None:
        if body and looks_like_plain_text(body):
            result.mentions.append(parse_plain_text(body, result.path))
            result.records = 1
            return
        raise InputError(result.path, "front matter is empty", 2)
    _add_record(data, result, 2, body=body)
    _duplicate_key_warnings(header, result, first_line=2)


def _read_yaml(text: str, result: FileResult) -> None:
    try:
        documents = [doc for doc in load_yaml(text, all_documents=True) if doc is not None]
    except YamlProblem as problem:
        raise InputError(result.path, problem.message, problem.line) from None
    if not documents:
        raise InputError(result.path, "YAML file holds no record")
    items: list[object] = []
    for document in documents:
        items.extend(document if isinstance(document, list) else [document])
    if len(items) == 1:
        _add_record(items[0], result, None)
        _duplicate_key_warnings(text, result, first_line=1)
    else:
        _add_records(items, result)


def _load_json(text: str, path: str, line: int | None, objects: _JsonObjects) -> Any:
    """``json.loads`` with every failure (syntax, depth, a 5,000-digit number) an InputError."""
    try:
        return json.loads(text, object_pairs_hook=objects)
    except json.JSONDecodeError as error:
        raise InputError(path, f"invalid JSON: {error.msg} (column {error.colno})", (line or 1) + error.lineno - 1) from None
    except RecursionError:
        raise InputError(path, "invalid JSON: nested too deeply", line) from None
    except ValueError as error:  # int() refuses numbers over sys.get_int_max_str_digits()
        raise InputError(path, f"invalid JSON: {error}", line) from None


def _read_json(text: str, result: FileResult) -> None:
    objects = _JsonObjects()
    try:
        data = _load_json(text, result.path, None, objects)
    except InputError as error:
        if error.message.startswith("invalid JSON: Extra data") and text.lstrip().startswith("{"):
            _read_json_lines(text, result)
            return
        raise
    if isinstance(data, list):
        _add_records(data, result)
    else:
        _add_record(data, result, 1)
    objects.warn(result, None)


def _read_json_lines(text: str, result: FileResult) -> None:
    items: list[object] = []
    lines: list[int | None] = []
    objects = _JsonObjects()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append(_load_json(line, result.path, number, objects))
            lines.append(number)
        except InputError as error:
            result.problems.append(error)
        objects.warn(result, number)
    if not items:
        raise InputError(result.path, "no valid JSON line" + (f" (first problem: {result.problems[0].message})" if result.problems else ""))
    _add_records(items, result, lines)
