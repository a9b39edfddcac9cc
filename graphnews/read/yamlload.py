"""Safe, bounded YAML loading: libyaml's CSafeLoader when present, never the unsafe loader.

Aliases are where YAML gets dangerous: ``&a [*b, *b, ...]`` nested ten deep names a
billion items in a few hundred bytes ("billion laughs"). PyYAML shares aliased objects
instead of copying them, but any code that walks the result walks the billion. News
records have no use for anchors, so a document with more than :data:`MAX_ALIASES` aliases
is refused before it is constructed.

Nesting is the other danger: libyaml's composer recurses in C, and a few hundred kilobytes
of ``[[[[...`` (or ``- - - ...``) overflow the C stack and kill the process, which no
``except`` can catch. A document nested deeper than :data:`MAX_DEPTH` is refused first.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:
    SafeLoader: type = yaml.CSafeLoader
    LIBYAML = True
except AttributeError:  # PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader
    LIBYAML = False

MAX_ALIASES = 100
#: Records nest four or five levels; CSafeLoader crashes somewhere past 10,000.
MAX_DEPTH = 500
# An alias is ``*name`` where a value can start; a cheap pre-check before counting events.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]")
# Nesting needs either flow brackets or a long indentation/indicator prefix on some line.
_DEEP_PREFIX = re.compile(r"^[ \t?:-]{%d}" % MAX_DEPTH, re.MULTILINE)


class YamlProblem(Exception):
    """YAML that cannot be loaded, with the 1-based line of the problem when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_yaml(text: str, *, all_documents: bool = False) -> Any:
    """Parse ``text`` safely; raises :class:`YamlProblem` with a line number on bad input."""
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
                raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep; refused", line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(
                    f"more than {MAX_ALIASES} YAML aliases (an alias bomb?); refused", line
                )
