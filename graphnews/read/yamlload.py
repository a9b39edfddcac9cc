"""Safe, bounded YAML loading: libyaml's CSafeLoader when present, never the unsafe loader.

Aliases are where YAML gets dangerous: ``&a [*b, *b, ...]`` nested ten deep names a
billion items in a few hundred bytes ("billion laughs"). PyYAML shares aliased objects
instead of copying them, but any code that walks the result walks the billion. News
records have no use for anchors, so a document with more than :data:`MAX_ALIASES` aliases
is refused before it is constructed.
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
# An alias is ``*name`` where a value can start; a cheap pre-check before counting events.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]")


class YamlProblem(Exception):
    """YAML that cannot be loaded, with the 1-based line of the problem when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_yaml(text: str, *, all_documents: bool = False) -> Any:
    """Parse ``text`` safely; raises :class:`YamlProblem` with a line number on bad input."""
    try:
        if _MAYBE_ALIAS.search(text):
            _check_aliases(text)
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


def _check_aliases(text: str) -> None:
    aliases = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(
                    f"more than {MAX_ALIASES} YAML aliases (an alias bomb?); refused", line
                )
