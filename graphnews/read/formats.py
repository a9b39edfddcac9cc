"""Reading one file: detect its format from its content, parse it, check its records.

Formats: YAML front matter (``---`` fenced mapping, optional Markdown body; any
extension, ``.txt`` included), plain YAML (one record or a list), JSON (one record or a
list), JSON Lines (one record a line; a bad line is reported and the rest are read) and
plain-text articles (``date YYYY-MM-DD`` marker, then text).

Memory is bounded per file: JSON Lines are read one line at a time (a line's record is
checked before the next is parsed), problems are kept for the first
:data:`MAX_PROBLEMS_PER_FILE` lines or records of a file and the rest only counted ("and
999,990 more bad lines"), and YAML with more than :data:`MAX_YAML_VALUES` values is
refused before it is built (a YAML parser takes about a kilobyte a value).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import InputError, printable
from ..model import Mention
from .plaintext import looks_like_plain_text, parse_plain_text
from .records import DATE_FIELDS, mention_from_mapping
from .yamlload import SafeLoader, YamlProblem, load_yaml

#: Files larger than this are refused unless the caller raises the limit (``--max-file-size``).
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024
JSON_LINES_EXTENSIONS = (".jsonl", ".ndjson")
YAML_EXTENSIONS = (".yaml", ".yml")
# A key at column 0 of a YAML mapping: a plain word or a quoted string, then ``:``.
#: The lines :data:`_TOP_LEVEL_KEY` may match (not indented, no ``-`` or ``#`` first) and ``---`` lines.
#: Led by the newline (searched for in C, unlike ``^``): the text is searched with one put before it.
_KEY_LINE = re.compile(r"\n((?:---|[^ \t\n#-])[^\n]*)")
_TOP_LEVEL_KEY = re.compile(r"""^("[^"]*"|'[^']*'|[^\s#:'"\[\]{},&*!|>%@`-][^:#]*?)[ \t]*:(?=[ \t]|$)""")
#: The line that closes front matter: ``---`` or ``...``, then blanks only (led by a newline, so the
#: regex skips from line to line in C: 20 -> 6 us for a 9 KB file, against splitting it into lines).
_CLOSING_FENCE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")
#: Problems kept per file, of each kind (skipped lines or records, warnings); the rest are counted.
MAX_PROBLEMS_PER_FILE = 10
#: Keys whose plain timestamps the YAML loader may leave as text: the record reads a date field's text and date alike.
_DATE_KEYS = frozenset(DATE_FIELDS)
#: YAML values (scalars and collections) a file may hold: news records need a few hundred.
MAX_YAML_VALUES = 200_000


@dataclass(slots=True)
class FileResult:
    """What one file gave: its mentions, the records it held, and per-record problems."""

    path: str
    mentions: list[Mention] = field(default_factory=list)
    records: int = 0
    problems: list[InputError] = field(default_factory=list)
    #: Problems not kept (over :data:`MAX_PROBLEMS_PER_FILE`), by fatal: only counted.
    untold: dict[bool, int] = field(default_factory=dict, repr=False, compare=False)

    def counting(self, fatal: bool) -> bool:
        """True once problems of this kind are only counted (the file has :data:`MAX_PROBLEMS_PER_FILE` of them)."""
        if fatal in self.untold:
            return True
        if sum(p.fatal == fatal for p in self.problems) >= MAX_PROBLEMS_PER_FILE:
            self.untold[fatal] = 0
            return True
        return False

    def report(self, problem: InputError) -> None:
        """Keep ``problem``, or only count it once the file has :data:`MAX_PROBLEMS_PER_FILE` of its kind."""
        if self.counting(problem.fatal):
            self.untold[problem.fatal] += 1
        else:
            self.problems.append(problem)

    def close(self, unit: str) -> None:
        """Add one line for the problems only counted ("and 999,990 more bad lines")."""
        for fatal in (True, False):
            count = self.untold.pop(fatal, 0)
            if count:
                what = f"bad {unit}s" if fatal else "warnings"
                self.problems.append(InputError(self.path, f"... and {count:,} more {what} (not listed)", None, fatal=fatal))


def parse_file(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FileResult:
    """Read ``path`` into mentions. Raises :class:`InputError` when nothing in it is usable.

    Problems and mentions name the file by :func:`graphnews.errors.printable` of ``path``
    (a latin-1 or newline-holding file name is shown escaped, and is still read).
    """
    extension = os.path.splitext(path)[1].lower()
    shown = printable(path)
    result = FileResult(shown)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise InputError(shown, "not a regular file")
        if info.st_size > max_bytes:
            raise InputError(shown, _too_big(info.st_size, max_bytes))
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(shown, f"cannot read: {error.strerror or error}") from None
    if len(raw) > max_bytes:  # it grew after stat
        raise InputError(shown, _too_big(len(raw), max_bytes))
    text = decode(raw, shown)
    del raw
    stripped = text.lstrip()
    if not stripped:
        raise InputError(shown, "empty file")
    if extension in JSON_LINES_EXTENSIONS:
        _read_json_lines(text, result)
    elif stripped.startswith(("{", "[")) and extension not in YAML_EXTENSIONS:
        _read_json(text, result)
    elif extension in YAML_EXTENSIONS:
        _read_yaml(text, result)
    elif stripped.startswith("---") and stripped[3:4] in ("\n", " ", "\t", ""):
        _read_front_matter(stripped, result, first_line=text[: len(text) - len(stripped)].count("\n") + 1)
    elif looks_like_plain_text(text) or extension in (".txt", ".md", ".markdown"):
        result.mentions.append(parse_plain_text(text, shown))
        result.records = 1
    else:
        raise InputError(shown, "unrecognised format (expected front matter, YAML, JSON, JSON Lines or a dated text)")
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
    opening_end = text.find("\n")
    fence = _CLOSING_FENCE.search(text, opening_end) if opening_end >= 0 else None
    if fence is None:
        raise InputError(path, "front matter opened with '---' is never closed", 1)
    return text[opening_end + 1:fence.start()], text[fence.end() + 1:].strip()


def duplicate_keys(yaml_text: str) -> Iterator[tuple[str, int]]:
    """Top-level keys written twice in a YAML mapping, as (key, 1-based line of the repeat).

    PyYAML silently keeps the last value of a repeated key; graphnews does the same but
    says so. Only keys at column 0 are checked (the fields of a front-matter or
    single-record YAML file); a ``---`` line starts a new document.

    >>> list(duplicate_keys("title: A\\nurl: u\\ntitle: B\\n"))
    [('title', 3)]
    """
    seen: set[str] = set()
    for found in _KEY_LINE.finditer("\n" + yaml_text):  # most lines are indented: the regex skips them in C
        line = found.group(1)
        if line.startswith("---"):
            seen.clear()
            continue
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            key = match.group(1).strip("'\"")
            if key in seen:
                yield key, yaml_text.count("\n", 0, found.start()) + 1
            seen.add(key)


def _duplicate_key_warnings(yaml_text: str, result: FileResult, first_line: int) -> None:
    for key, number in duplicate_keys(yaml_text):
        result.report(InputError(result.path, f"duplicate key {key!r}: the last value is kept", number + first_line - 1, fatal=False))
    result.close("line")


class _JsonObjects:
    """``object_pairs_hook`` for json: builds dicts and remembers repeated keys."""

    def __init__(self) -> None:
        self.duplicates: list[str] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.duplicates.append(key)
                seen.add(key)
        return data

    def warn(self, result: FileResult, line: int | None) -> None:
        """Add one warning per repeated key seen since the last call, then forget them."""
        for key in dict.fromkeys(self.duplicates):
            result.report(InputError(result.path, f"duplicate key {printable(key)!r}: the last value is kept", line, fatal=False))
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
    for warning in warnings:
        result.report(warning)
    result.records += 1


def _add_records(items: list[object], result: FileResult) -> None:
    """Add a list of records; a bad one is reported (``record N``) and the rest are kept."""
    for index, item in enumerate(items):
        try:
            _add_record(item, result, None)
        except InputError as error:
            result.report(InputError(result.path, f"record {index + 1}: {error.message}", None))
    result.close("record")
    if not result.mentions:
        raise _nothing_usable(result, "no usable record")


def _nothing_usable(result: FileResult, what: str) -> InputError:
    first = next((problem for problem in result.problems if problem.fatal), None)
    return InputError(result.path, what + (f" (first problem: {first.message})" if first else ""))


def _read_front_matter(text: str, result: FileResult, first_line: int = 1) -> None:
    """Front matter whose ``---`` is on ``first_line`` (blank lines before it are allowed)."""
    try:
        header, body = split_front_matter(text, result.path)
    except InputError as error:
        raise InputError(error.path, error.message, first_line) from None
    data = _load_yaml_bounded(header, result.path, first_line + 1)
    if data is None:
        if body and looks_like_plain_text(body):
            result.mentions.append(parse_plain_text(body, result.path))
            result.records = 1
            return
        raise InputError(result.path, "front matter is empty", first_line + 1)
    _add_record(data, result, first_line + 1, body=body)
    _duplicate_key_warnings(header, result, first_line=first_line + 1)


def _load_yaml_bounded(text: str, path: str, first_line: int, *, all_documents: bool = False) -> Any:
    """:func:`~.yamlload.load_yaml`, refusing more than :data:`MAX_YAML_VALUES` values before any is built.

    ``first_line`` is the file line of the text's first line (problems name file lines).
    """
    if _may_hold_more_values(text):
        values = 0
        try:
            for event in yaml.parse(text, Loader=SafeLoader):  # a stream: constant memory
                if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
                    values += 1
                    if values > MAX_YAML_VALUES:
                        line = event.start_mark.line + first_line if event.start_mark else None
                        raise InputError(path, f"YAML holds more than {MAX_YAML_VALUES:,} values; refused (news records hold a few hundred)", line)
        except yaml.YAMLError:
            pass  # load_yaml names the problem and its line
    try:
        return load_yaml(text, all_documents=all_documents, text_dates=_DATE_KEYS)
    except YamlProblem as problem:
        raise InputError(path, problem.message, problem.line + first_line - 1 if problem.line else None) from None


def _may_hold_more_values(text: str) -> bool:
    """Cheap over-estimate: every value needs a line or a flow separator of its own."""
    if len(text) < MAX_YAML_VALUES * 2:
        return False
    return text.count("\n") + text.count(",") + text.count("[") + text.count("{") > MAX_YAML_VALUES


def _read_yaml(text: str, result: FileResult) -> None:
    documents = [doc for doc in _load_yaml_bounded(text, result.path, 1, all_documents=True) if doc is not None]
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
    except (ValueError, RecursionError) as error:
        raise _json_problem(error, path, line) from None


def _json_problem(error: Exception, path: str, line: int | None) -> InputError:
    if isinstance(error, json.JSONDecodeError):
        return InputError(path, f"invalid JSON: {error.msg} (column {error.colno})", (line or 1) + error.lineno - 1)
    if isinstance(error, RecursionError):
        return InputError(path, "invalid JSON: nested too deeply", line)
    return InputError(path, f"invalid JSON: {error}", line)  # int() refuses numbers over sys.get_int_max_str_digits()


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
    result.close("record")


def _read_json_lines(text: str, result: FileResult) -> None:
    """One record a line, each checked as soon as it is parsed (memory: one line's objects at a time).

    Once a file has :data:`MAX_PROBLEMS_PER_FILE` bad lines, a line that cannot be a record
    (it does not start with ``{``) is counted without parsing it: a 16 MB file of junk
    lines costs seconds, not minutes.
    """
    objects = _JsonObjects()
    decoder = json.JSONDecoder(object_pairs_hook=objects)  # one decoder for every line
    valid = 0
    counting = False  # past the cap of bad lines: only count them
    start, number, size = 0, 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end == -1:
            end = size
        number += 1
        line = text[start:end]
        start = end + 1
        if not line or line.isspace():
            continue
        if counting and line.lstrip()[:1] != "{":
            result.untold[True] += 1
            continue
        try:
            data = decoder.decode(line)
        except (ValueError, RecursionError) as error:
            counting = counting or result.counting(True)
            if counting:
                result.untold[True] += 1
            else:
                result.report(_json_problem(error, result.path, number))
            continue
        valid += 1
        try:
            _add_record(data, result, number)
        except InputError as error:
            result.report(error)
            counting = result.counting(True)
        if objects.duplicates:
            objects.warn(result, number)
    result.close("line")
    if not valid:
        raise _nothing_usable(result, "no valid JSON line")
    if not result.mentions:
        raise _nothing_usable(result, "no usable record")
