"""Safe, bounded YAML loading: fast where it is provably the same, PyYAML everywhere else.

Two parsers, one result:

* **PyYAML** (libyaml's ``CSafeLoader`` when present, else the pure-Python ``SafeLoader``)
  is the reference: YAML 1.1, the behaviour every test and error message is written for.
* **yaml-rs** (Rust, optional) is about ten times faster, but it speaks YAML 1.2 and
  resolves some plain scalars differently (``yes``/``on`` stay text, ``010`` is ten,
  ``1:20`` stays text, ``1e3`` is a float, and a *quoted* ``"2020-11-09"`` becomes a date).
  So it is used only for documents made entirely of lines in a conservative grammar
  (:data:`_SAFE_DOCUMENT`) on which both parsers give equal Python objects: single-line
  quoted strings that do not look like dates, plain text starting with a letter (not a
  YAML 1.1 boolean word), decimal integers and floats, ``true``/``false``/``null``, strict
  ISO timestamps, ``[]``/``{}``, comments. Anything else (``---`` document markers, aliases, anchors, tags, block or
  multi-line quoted scalars, flow collections, odd keys) goes to PyYAML. Duplicate keys:
  PyYAML keeps the last value; yaml-rs is told to do the same. Whenever yaml-rs fails, the
  text is parsed again with PyYAML, so errors always carry PyYAML's line numbers and
  messages. ``tests/test_parsers.py`` checks that both paths give equal records on every
  real file we have.

Aliases are where YAML gets dangerous: ``&a [*b, *b, ...]`` nested ten deep names a
billion items in a few hundred bytes ("billion laughs"). PyYAML shares aliased objects
instead of copying them, but any code that walks the result walks the billion. News
records have no use for anchors, so a document with more than :data:`MAX_ALIASES` aliases
is refused before it is constructed (the fast path never sees an alias).

Nesting is the other danger: libyaml's composer recurses in C, and a few hundred kilobytes
of ``[[[[...`` (or ``- - - ...``) overflow the C stack and kill the process, which no
``except`` can catch. A document nested deeper than :data:`MAX_DEPTH` is refused first.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
    LIBYAML = True
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader
    LIBYAML = False


class SafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
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
    yaml_rs = None

MAX_ALIASES = 100
#: Records nest four or five levels; CSafeLoader crashes somewhere past 10,000.
MAX_DEPTH = 500
DEPTH_REFUSED = f"nested more than {MAX_DEPTH} levels deep; refused"
# An alias is ``*name`` where a value can start; a cheap pre-check before counting events.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]")
# Nesting needs either flow brackets or a long indentation/indicator prefix on some line.
_DEEP_PREFIX = re.compile(r"^[ \t?:-]{%d}" % MAX_DEPTH, re.MULTILINE)

# The fast-path grammar: every line of the document must be one of these shapes.
_KEY = r"(?!(?:[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[tT]rue|TRUE|[fF]alse|FALSE|[nN]ull|NULL):)[A-Za-z_][A-Za-z0-9_-]*"
_NOT_A_DATE = r"(?![0-9]{4}-[0-9])"
_VALUE = "|".join((
    rf'"{_NOT_A_DATE}[^"\\\n]*(?:\\.[^"\\\n]*)*"',  # double-quoted, one line
    rf"'{_NOT_A_DATE}[^'\n]*(?:''[^'\n]*)*'",  # single-quoted, one line
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?",
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?",
    r"(?:[tT]rue|TRUE|[fF]alse|FALSE|[nN]ull|NULL|~|\[\]|\{\})",
    # plain text: starts with a letter, is not a YAML 1.1 boolean word,
    # and holds no ``: `` (which would make it a key) and no ``#``
    r"(?!(?:[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF)[ \t]*(?:#|$))[A-Za-z](?:[^\n#:]|:(?![ \t]|$))*",
))
_SAFE_LINE = (
    rf"[ \t]*(?:-[ \t]+)*(?:-|{_KEY}:)?(?:[ \t]+(?:{_VALUE}))?[ \t]*(?:#[^\n]*)?"
    rf"|[ \t]*(?:-[ \t]+)*(?:{_VALUE})[ \t]*(?:#[^\n]*)?"
)
_SAFE_DOCUMENT = re.compile(rf"(?:(?:{_SAFE_LINE})\n)*(?:{_SAFE_LINE})?", re.MULTILINE)


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


def fast_path_applies(text: str) -> bool:
    """True when ``text`` is in the grammar on which yaml-rs and PyYAML agree (and yaml-rs is here)."""
    # Deep nesting overflows yaml-rs's stack as it does libyaml's: the reference path checks it.
    return yaml_rs is not None and not _maybe_deep(text) and _SAFE_DOCUMENT.fullmatch(text) is not None


def load_yaml(text: str, *, all_documents: bool = False, fast: bool = True) -> Any:
    """Parse ``text`` safely; raises :class:`YamlProblem` with a line number on bad input.

    Parameters
    ----------
    text : the YAML (a front-matter header or a whole ``.yaml`` file).
    all_documents : return a list of every ``---``-separated document.
    fast : allow the yaml-rs fast path (``False`` forces the PyYAML reference, for tests).

    Returns
    -------
    The Python objects PyYAML's safe loader would make (``datetime`` for timestamps).

    Examples
    --------
    >>> load_yaml("title: Harbour strike\\nquality: 190\\npublished: 2020-11-09")
    {'title': 'Harbour strike', 'quality': 190, 'published': datetime.date(2020, 11, 9)}
    >>> load_yaml("flag: yes")  # YAML 1.1, as PyYAML reads it
    {'flag': True}
    """
    if fast and fast_path_applies(text):
        try:
            loaded = yaml_rs.loads(text, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins)
        except Exception:  # noqa: BLE001 - any failure: let the reference parser judge and name the line
            pass
        else:
            if all_documents:  # no ``---`` line passes the grammar: exactly one document
                return [] if loaded is None else [loaded]
            return loaded
    return _load_reference(text, all_documents)


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


def _maybe_deep(text: str) -> bool:
    """Cheap over-estimate: could ``text`` nest deeper than :data:`MAX_DEPTH`?"""
    return text.count("[") + text.count("{") > MAX_DEPTH or _DEEP_PREFIX.search(text) is not None


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
