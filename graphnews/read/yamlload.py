"""Safe, bounded YAML loading: one fast parser for every document, PyYAML as the reference.

Two parsers, one result:

* **PyYAML** (libyaml's ``CSafeLoader`` when present, else the pure-Python ``SafeLoader``)
  is the reference: YAML 1.1, the behaviour every test and error message is written for.
* **yaml-rs** (Rust) parses every document, about ten times faster. It speaks YAML 1.2,
  and it reads a *quoted* ``"2020-11-09"`` as a date, so three things keep its result
  equal to PyYAML's:

  1. it runs with ``parse_datetime=False``: every timestamp stays text, quoted or not; the
     *plain* (unquoted) timestamps, found in the text by PyYAML's own timestamp pattern,
     are then turned into ``date``/``datetime`` by PyYAML's own constructor
     (:func:`_plain_timestamps`). A timestamp written both quoted and plain in one
     document cannot be told apart in the result: that document goes to PyYAML. A caller that
     reads a field's date and its text alike (the records' date fields) names those keys
     (``text_dates``): when they hold a document's only plain timestamps, the walk is skipped;
  2. three cheap searches (:data:`_TOKEN`) find the few plain scalars YAML 1.1 and 1.2
     read differently: ``yes``/``no``/``on``/``off`` (booleans in 1.1), ``010`` (octal),
     ``1:20`` (base 60), ``1e3`` and ``+.5`` (text in 1.1), ``0o10``, ``1_0.5``, merge
     keys ``<<``, tags and ``%`` directives. A document with one of them goes to PyYAML;
  3. whenever yaml-rs fails, the text is parsed again with PyYAML, so errors always carry
     PyYAML's line numbers and messages.

  Each document that went to PyYAML is counted with its reason (:func:`take_reasons`;
  ``--verbose`` prints the counts). ``tests/test_parsers.py`` checks that both paths give
  equal records on every real file and on corpora written by several producers.

Aliases are where YAML gets dangerous: ``&a [*b, *b, ...]`` nested ten deep names a
billion items in a few hundred bytes ("billion laughs"). A document with more than
:data:`MAX_ALIASES` aliases is refused before either parser builds it.

Nesting is the other danger: libyaml's composer recurses in C, and a few hundred kilobytes
of ``[[[[...`` (or ``- - - ...``) overflow the C stack and kill the process, which no
``except`` can catch; yaml-rs's recursion dies the same way past ~10,000 levels. A
document nested deeper than :data:`MAX_DEPTH` is refused: one that could nest past
:data:`FAST_MAX_DEPTH` never reaches yaml-rs (:func:`_may_nest_past`), and the depth of
what yaml-rs built is counted as its result is walked (:func:`_scan`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from math import isqrt
from typing import Any

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
    LIBYAML = True
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader
    LIBYAML = False


class SafeLoader(_BaseLoader):
    """The safe loader, except that a timestamp that is no real date stays text.

    ``date: 2020-13-45`` would otherwise raise in the middle of construction and cost the
    whole record; as text, the record reader keeps it as an unknown date with a warning,
    exactly as the yaml-rs fast path (which reads it as text) does.
    """


def _timestamp_or_text(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

try:
    import yaml_rs
except ImportError:  # optional accelerator; PyYAML alone gives the same results
    yaml_rs = None  # type: ignore[assignment]

MAX_ALIASES = 100
#: Records nest four or five levels; CSafeLoader crashes somewhere past 10,000.
MAX_DEPTH = 500
DEPTH_REFUSED = f"nested more than {MAX_DEPTH} levels deep; refused"
#: Documents that could nest deeper than this go to PyYAML unseen by yaml-rs (its stack
#: overflowed between 10,000 and 14,000 levels of ``- `` here); a fifth of that, for margin.
FAST_MAX_DEPTH = 2_000
#: yaml-rs refuses flow collections (``[[[...``) nested deeper than this.
_FAST_FLOW_DEPTH = 256
# An alias is ``*name`` where a value can start; a cheap pre-check before counting events.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]")
# The name of an anchor or alias both parsers read alike: PyYAML stops a name at the first
# character outside these (``&x:`` is anchor ``x``), yaml-rs (YAML 1.2) reads on.
_PLAIN_ANCHOR_NAME = re.compile(r"[0-9A-Za-z_-]+(?=[ \t\n]|$)")
# A key in a flow mapping that starts on one line and meets its ``:`` on a later one: PyYAML
# refuses it (a simple key is one line), yaml-rs joins the lines (``{b\n c: d}`` is key ``b c``).
_FLOW_KEY_ACROSS_LINES = re.compile(r"[{,][ \t]*[^\s:,{}\[\]][^:,{}\[\]\n]*\n[^:,{}\[\]]*:")

# Plain scalars PyYAML (YAML 1.1) reads otherwise than yaml-rs (1.2): booleans, merge keys,
# ``010``/``0o10``/``09``, base 60 (``1:20``), ``1e3``, ``+.5``; then the end of the scalar.
_TOKEN = (
    r"(?=[yYnNoO0-9+.<=-])(?:(?P<boolean>yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)|(?P<merge><<|=)"
    r"|(?P<number>[-+]?(?:0[0-9o_][0-9_]*(?:\.[0-9_]*)?|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+|\.[0-9_]+)))"
    r"(?=[ \t]*(?:$|#|[,\]}:]))"
)
# One search per place a plain scalar can start, each led by a literal or a rare character
# so the regex engine skips ahead in C: after ``key: ``; at a line start (indentation,
# ``- `` entries, ``? `` keys); after a flow ``,``, ``[`` or ``{`` (searched only when the text has a bracket).
# The blanks and indicators before a token are possessive (no token starts with a blank or ``- ``): giving
# them back never lets one match, and trying so at every indented line took 33 of a 9 KB header's 45 us.
_YAML11_AFTER_COLON = re.compile(r":[ \t]++" + _TOKEN, re.MULTILINE)
_YAML11_AT_LINE_START = re.compile(r"\n[ \t]*+(?:[-?][ \t]++)*+" + _TOKEN, re.MULTILINE)
_YAML11_IN_FLOW = re.compile(r"[\[{,][ \t]*+" + _TOKEN, re.MULTILINE)
_TAG = re.compile(r"[\s\[{,]!(?=[^\s\]},])")
_BLOCK_SCALAR = re.compile(r"[:\-][ \t]+[|>]")
# PyYAML's timestamp pattern (its ``Resolver``).
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)
# The middle of a timestamp (``-11-`` of ``2020-11-03``): led by a literal, so searched in C
# at memchr speed (a pattern led by ``[0-9]`` is tried at every position, ~20x slower).
_STAMP_MIDDLE = re.compile(r"-[0-9]{1,2}-[0-9]")
_DIGITS_BEFORE = 4
_SCALAR_START_BEFORE = frozenset(" \t\r\n[{,:")
_SEVERAL_DOCUMENTS = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)", re.MULTILINE)
_REASONS = {
    "boolean": "a plain yes/no/on/off (a boolean in YAML 1.1)",
    "merge": "a merge key (<<)",
    "number": "a plain number YAML 1.1 reads otherwise (010, 1:20, 1e3)",
}

#: Why documents went to PyYAML in this process since the last :func:`take_reasons`.
_reasons: list[str] = []


class YamlProblem(Exception):
    """YAML that cannot be loaded, with the 1-based line of the problem when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parser_name() -> str:
    """Which parsers :func:`load_yaml` uses here, for cache keys and benchmark reports.

    >>> parser_name().startswith(("yaml-rs", "pyyaml"))
    True
    """
    reference = "pyyaml-libyaml" if LIBYAML else "pyyaml-python"
    if yaml_rs is None:
        return f"{reference}-{yaml.__version__}"
    return f"yaml-rs-{yaml_rs.__version__}+{reference}-{yaml.__version__}"


def reference_reason(text: str, all_documents: bool = False) -> str | None:
    """Why ``text`` must be parsed by PyYAML, found from the text alone; None when yaml-rs may parse it.

    :func:`load_yaml` may still send the document to PyYAML after yaml-rs has read it
    (a date written both quoted and plain, or yaml-rs refusing the text).

    >>> reference_reason("title: Harbour strike\\npublished: 2020-11-09") is None
    True
    >>> reference_reason("flag: yes")
    'a plain yes/no/on/off (a boolean in YAML 1.1)'
    """
    if yaml_rs is None:
        return "yaml-rs is not installed"
    if _may_nest_past(text, FAST_MAX_DEPTH) and _maybe_deep(text, FAST_MAX_DEPTH):  # yaml-rs overflows its stack past ~10,000 levels
        return "deep nesting"
    if text[:1] == "%" or "\n%" in text:
        return "a % directive"
    if "!" in text and (text[:1] == "!" or _TAG.search(text)):
        return "a YAML tag (!)"
    anchor_reason = ("&" in text or "*" in text) and _anchor_reason(text)
    if anchor_reason:
        return anchor_reason
    if "{" in text and _FLOW_KEY_ACROSS_LINES.search(text):
        return "a flow mapping key across lines"
    found = (_YAML11_AFTER_COLON.search(text) or _YAML11_AT_LINE_START.search("\n" + text)
             or (("[" in text or "{" in text) and _YAML11_IN_FLOW.search(text)))
    if found:
        return _REASONS[found.lastgroup or "number"]
    if all_documents and _several_documents(text):
        return "several documents in one file"
    return None


def fast_path_applies(text: str) -> bool:
    """True when ``text`` is parsed by yaml-rs alone (see :func:`reference_reason`)."""
    return reference_reason(text) is None and not isinstance(_load_fast(text), _Refused)


def take_reasons() -> list[str]:
    """Reasons documents went to PyYAML since the last call (then forgotten): for ``--verbose`` counts."""
    taken = _reasons[:]
    _reasons.clear()
    return taken


def load_yaml(text: str, *, all_documents: bool = False, fast: bool = True,
              text_dates: frozenset[str] = frozenset()) -> Any:
    """Parse ``text`` safely; raises :class:`YamlProblem` with a line number on bad input.

    Parameters
    ----------
    text : the YAML (a front-matter header or a whole ``.yaml`` file).
    all_documents : return a list of every ``---``-separated document.
    fast : parse with yaml-rs where it gives PyYAML's result (``False`` forces the PyYAML
        reference, for tests).
    text_dates : keys whose plain timestamps may be given as their text instead of a
        ``datetime``, for a caller that reads both alike (the records' date fields): when
        every plain timestamp of a document is written as ``key: stamp`` with one of these
        keys, the walk that finds and converts them is skipped (a tenth of a record's parse).

    Returns
    -------
    The Python objects PyYAML's safe loader would make (``datetime`` for timestamps, but
    under ``text_dates``).

    Examples
    --------
    >>> load_yaml("title: Harbour strike\\nquality: 190\\npublished: 2020-11-09")
    {'title': 'Harbour strike', 'quality': 190, 'published': datetime.date(2020, 11, 9)}
    >>> load_yaml("flag: yes")  # YAML 1.1, as PyYAML reads it
    {'flag': True}
    >>> load_yaml("day: '2020-11-09'")  # quoted: text, as PyYAML reads it
    {'day': '2020-11-09'}
    """
    if not fast:
        return _load_reference(text, all_documents)
    reason = reference_reason(text, all_documents)
    if reason is None:
        if "*" in text and _MAYBE_ALIAS.search(text):
            _guard(text)
        loaded = _load_fast(text, text_dates)
        if not isinstance(loaded, _Refused):
            if all_documents:  # one document at most: :func:`_several_documents` said so
                return [] if loaded is None else [loaded]
            return loaded
        reason = loaded.reason
    _reasons.append(reason)
    return _load_reference(text, all_documents)


class _Refused:
    """yaml-rs's result cannot be made PyYAML's, and why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


_FAILED = _Refused("yaml-rs refused it")
_STAMP_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_Slot = tuple[Any, Any, str]  # (container, key or index, text)


def _load_fast(text: str, text_dates: frozenset[str] = frozenset()) -> Any:
    """yaml-rs's result made equal to PyYAML's (plain timestamps under ``text_dates`` may stay
    text, see :func:`load_yaml`), or a :class:`_Refused` saying why it cannot be."""
    try:
        loaded = yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins)
    except Exception:  # noqa: BLE001 - any failure: let the reference parser judge and name the line
        return _FAILED
    if type(loaded) is str:  # a document that is one scalar: a plain timestamp unless quoted
        if _looks_like_timestamp(loaded) and text.strip()[:1] not in ("'", '"'):
            return _plain_timestamp(loaded)
        return loaded
    if type(loaded) is not dict and type(loaded) is not list:  # None, a number, a boolean
        return loaded
    if not _may_hold_plain_timestamp(text, text_dates) and not _maybe_deep(text):
        return loaded  # no plain timestamp to make a date of, and too shallow to count its depth
    stamps: list[_Slot] = []
    try:
        _scan(loaded, stamps, 1)
    except _Unlike as unlike:
        return unlike.refused
    return _fix_timestamps(text, loaded, stamps) or loaded


def _may_hold_plain_timestamp(text: str, text_dates: frozenset[str] = frozenset()) -> bool:
    """Could ``text`` hold a plain (unquoted) timestamp, but as the value of a ``text_dates`` key?
    False only when it surely does not.

    A plain timestamp starts where a plain scalar can: at the text's start, after
    whitespace, or after ``:``, ``,``, ``[`` or ``{``. PyYAML's ``safe_dump`` quotes every
    date-like text (``'2020-11-03T10:00:00Z'``), so its documents need no walk for dates.
    One that a line leads with ``key: `` (or ``- key: ``), ``key`` in ``text_dates``, is that
    key's value, which the caller reads as text or date alike.

    >>> _may_hold_plain_timestamp("day: '2020-11-03'\\nslug: a-2020-11-03")
    False
    >>> _may_hold_plain_timestamp("day: 2020-11-03")
    True
    >>> _may_hold_plain_timestamp("- day: 2020-11-03", frozenset({"day"}))
    False
    """
    date_value = _date_value_lead(text_dates) if text_dates else None
    for found in _STAMP_MIDDLE.finditer(text):
        year = found.start() - _DIGITS_BEFORE
        if year >= 0 and text[year:found.start()].isdigit() and (year == 0 or text[year - 1] in _SCALAR_START_BEFORE):
            if date_value is None or not date_value.fullmatch(text, text.rfind("\n", 0, year) + 1, year):
                return True
    return False


@lru_cache(maxsize=4)
def _date_value_lead(keys: frozenset[str]) -> re.Pattern[str]:
    """A line's lead up to the value of one of ``keys``: indentation, ``- `` entries, the key (quoted or not), ``:``."""
    names = "|".join(re.escape(key) for key in sorted(keys))
    return re.compile(rf"[ \t]*(?:-[ \t]+)*(?:{names}|'(?:{names})'|\"(?:{names})\")[ \t]*:[ \t]+")


def _looks_like_timestamp(value: str) -> bool:
    return len(value) >= 8 and value[4:5] == "-" and value[:1] in _DIGITS and _TIMESTAMP.fullmatch(value) is not None


_DIGITS = frozenset("0123456789")


class _Unlike(Exception):
    """yaml-rs's result cannot be made PyYAML's (its ``refused`` says why): nested deeper than
    :data:`MAX_DEPTH` (PyYAML's event count refuses it with its line), or a date as a key."""

    def __init__(self, refused: _Refused) -> None:
        super().__init__(refused.reason)
        self.refused = refused


_DEEP = _Refused("deep nesting")
_DATE_KEY = _Refused("a date as a mapping key")


def _scan(value: Any, stamps: list[_Slot], depth: int) -> None:
    """Walk yaml-rs's result (``value`` is a collection ``depth`` levels deep) and collect
    where a text looks like a timestamp; raises :class:`_Unlike` past :data:`MAX_DEPTH` or
    at a date-like key (PyYAML makes a plain one a ``date`` key, which the source must decide)."""
    if depth > MAX_DEPTH:
        raise _Unlike(_DEEP)
    if type(value) is dict:
        pairs: Any = value.items()
        if any(type(key) is str and key[:1] in _DIGITS and _looks_like_timestamp(key) for key in value):
            raise _Unlike(_DATE_KEY)
    else:
        pairs = enumerate(value)
    for key, item in pairs:
        kind = type(item)
        if kind is str:
            if item[4:5] == "-" and item[:1] in _DIGITS and _TIMESTAMP.fullmatch(item):
                stamps.append((value, key, item))
        elif kind is dict or kind is list:
            _scan(item, stamps, depth + 1)


def _fix_timestamps(text: str, loaded: Any, stamps: list[_Slot]) -> _Refused | None:
    """Turn the timestamp-like texts written *plain* into dates, as PyYAML does; quoted ones stay text.

    yaml-rs (asked not to read dates) gives both as text; the source tells them apart. The
    walk met the texts in document order, so one forward pass over the source finds each:
    between quotes it stays text, after ``key:``, ``-`` or a flow bracket with a scalar end
    after it, it is plain. Where that is unclear (a date on a line of its own, a block
    scalar) the document goes to PyYAML. Known blind spot: the same date text inside an
    earlier multi-line quoted string; date fields read text and date alike.
    """
    if not stamps:
        return None
    if ("|" in text or ">" in text) and _BLOCK_SCALAR.search(text):
        return _Refused("a date-like text beside a block scalar")
    position = 0
    converted: dict[str, Any] = {}
    for container, key, stamp in stamps:
        at = text.find(stamp, position)
        plain = False
        while at != -1:
            end = at + len(stamp)
            before, after = text[at - 1:at] if at else "\n", text[end:end + 1]
            if before in ("'", '"') and after == before:
                break
            if before in _PLAIN_BEFORE and after in _PLAIN_AFTER:
                line = text[text.rfind("\n", 0, at) + 1:at].rstrip(" \t")
                if not line:
                    return _Refused("a date on a line of its own")
                if line[-1] in ":-[{,?":
                    plain = True
                    break
            at = text.find(stamp, at + 1)
        if at == -1:  # not in the source as written: a quoted text with escapes
            continue
        position = at + len(stamp)
        if plain:
            value = converted.get(stamp)
            if value is None:
                value = converted[stamp] = _plain_timestamp(stamp)
            container[key] = value
    return None


_PLAIN_BEFORE = frozenset(" \t\n[{,")
_PLAIN_AFTER = frozenset(("", "\n", " ", "\t", "#", ",", "]", "}"))


def _plain_timestamp(stamp: str) -> Any:
    """What PyYAML makes of a plain timestamp (the common ``...T03:15:59Z`` without its regex)."""
    if len(stamp) == 20 and stamp[10] == "T" and stamp[19] == "Z":
        try:
            return datetime.fromisoformat(stamp)
        except ValueError:
            pass
    return _timestamp_or_text(_STAMP_CONSTRUCTOR, yaml.ScalarNode("tag:yaml.org,2002:timestamp", stamp))


def _anchor_reason(text: str) -> str | None:
    """Why the ``&``/``*`` marks where values start may read differently in the two parsers, or None.

    A value starts at a line's lead (after indentation and ``- ``/``? ``), after ``: ``
    and after a flow ``[``, ``{`` or ``,``; elsewhere (``AT&T``, ``Tom & Jerry``) the mark is text.
    PyYAML stops a name at the first character outside ``[0-9A-Za-z_-]`` and refuses an anchor
    defined twice; yaml-rs reads on and lets the later one win. Over-estimates in block text
    holding ``, &`` (sent to PyYAML: slower, never wrong).
    """
    anchors: set[str] = set()
    for at in _positions(text, "&", "*"):
        before = at
        while before and text[before - 1] in " \t":
            before -= 1
        lead = text[before - 1] if before else "\n"
        if not (lead in "\n[{," or (lead in ":-?" and before < at)):
            continue
        name = _PLAIN_ANCHOR_NAME.match(text, at + 1)
        if name is None:
            return "an anchor or alias name outside [0-9A-Za-z_-]"
        if text[at] == "&":
            if name.group() in anchors:
                return "an anchor defined twice"
            anchors.add(name.group())
    return None


def _positions(text: str, *marks: str) -> Iterator[int]:
    """Where each of ``marks`` (single characters) stands in ``text``, mark by mark.

    ``str.find`` skips to them in C; a regex character class ``[&*]`` scanned a 9 KB front
    matter in 46 us, the two finds in 5.
    """
    for mark in marks:
        at = text.find(mark)
        while at >= 0:
            yield at
            at = text.find(mark, at + 1)


def _several_documents(text: str) -> bool:
    """More than one ``---`` document (yaml-rs would return them as one list)."""
    markers = [found.start() for found in _SEVERAL_DOCUMENTS.finditer(text)]
    return len(markers) > 1 or (len(markers) == 1 and text[:markers[0]].strip(" \t\n") != "")


def _guard(text: str) -> None:
    """Refuse an alias bomb (or deep nesting) before yaml-rs expands it."""
    try:
        _check_events(text)
    except yaml.YAMLError:
        pass  # invalid YAML: yaml-rs fails on it too, and the reference names the problem


def _load_reference(text: str, all_documents: bool) -> Any:
    try:
        if _MAYBE_ALIAS.search(text) or _maybe_deep(text):
            _check_events(text)
        if all_documents:
            return list(yaml.load_all(text, Loader=SafeLoader))
        return yaml.load(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml >= 0.2.5 stops at 1,000 levels, before our own count
            raise YamlProblem(DEPTH_REFUSED, line) from None
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML: {error}", None) from None
    except RecursionError:
        raise YamlProblem("invalid YAML: nested too deeply", None) from None
    except (ValueError, OverflowError) as error:  # a value its resolver cannot build: 2020-13-45
        raise YamlProblem(f"invalid YAML value: {error}", None) from None


def _may_nest_past(text: str, depth: int) -> bool:
    """Cheap over-estimate: could ``text`` nest deeper than ``depth`` levels in yaml-rs?

    Past the flow levels yaml-rs allows (:data:`_FAST_FLOW_DEPTH`), each level takes a
    ``-`` or ``?`` indicator or one more column of indentation, and ``d`` levels of
    indentation take ``d * d / 2`` characters. Two counts in C (0.009 ms for a 9 KB
    header, against 0.02 ms for :func:`_maybe_deep`, which is asked only when this says
    yes: long headers full of dashed URLs); the exact depth is counted after.
    """
    return text.count("-") + text.count("?") + isqrt(2 * len(text)) + _FAST_FLOW_DEPTH > depth


def _maybe_deep(text: str, depth: int = MAX_DEPTH) -> bool:
    """Cheap over-estimate: could ``text`` nest deeper than ``depth`` levels?

    Each level takes a flow bracket or one more column of a line's lead (its indentation
    and ``-``/``?``/``:`` indicators), so a text with fewer than half of ``depth`` of each
    cannot. The lead is searched from each line break, a literal the regex engine finds in
    C (0.01 ms for a 9 KB header, against 0.09 ms for four substring counts).

    >>> _maybe_deep("a:\\n  - b\\n  - [c, d]"), _maybe_deep("- " * 300), _maybe_deep("[" * 300)
    (False, True, True)
    """
    return text.count("[") + text.count("{") > depth // 2 or _deep_line(depth // 2).search("\n" + text) is not None


@lru_cache(maxsize=4)
def _deep_line(lead: int) -> re.Pattern[str]:
    """A line led by ``lead`` characters of indentation or indicators."""
    return re.compile(rf"\n[ \t?:-]{{{lead}}}")


def _check_events(text: str) -> None:
    """Refuse alias bombs and deep nesting from the event stream (flat, no recursion)."""
    aliases = depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(DEPTH_REFUSED, line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(
                    f"more than {MAX_ALIASES} YAML aliases (an alias bomb?); refused", line
                )
