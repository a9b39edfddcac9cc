"""Every setting the analysis takes, declared once: defaults, types, help, validation.

One frozen :class:`Settings` (black's ``Mode``, datasette's declared settings) holds a
group per concern (``stories``, ``similar``, ``syndication``, ``related``); each field
carries its help text. The CLI's ``--config FILE`` and ``--set KEY=VALUE``, the
``graphnews settings`` table and the README's settings block are all made from this
declaration, and code takes the Settings (or its group) as a parameter.

Keys are dotted (``stories.story_threshold``); a bare field name that only one group has
(``story_threshold``) is accepted too, so the flat files of earlier versions still load.

Implementation limits that keep the run fast and bounded (sampling thresholds of
betweenness and of the similarity candidates, page layout caps) are not settings: they
change how long a run takes, not what it finds, and stay module constants next to the code.

This module imports only the standard library: ``graphnews --help`` loads it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, cast

from .errors import SettingsError, printable


def setting(default: float | int, help: str) -> Any:
    """A settings field: its default and the help line shown by ``graphnews settings`` and the README."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class _Group:
    """A group of settings: every field is a finite, non-negative number (ints integral)."""

    def __post_init__(self) -> None:
        for declared in fields(self):
            value = getattr(self, declared.name)
            kind = type(cast(float, declared.default))
            if not _fits(value, kind):
                raise SettingsError(f"{_GROUP_NAMES.get(type(self), '')}{declared.name} must be a finite "
                                    f"non-negative {kind.__name__}, not {_shown(value)}")
            object.__setattr__(self, declared.name, kind(value))


def _shown(value: object, limit: int = 40) -> str:
    """``repr(value)`` on one line, cut to ``limit`` characters (a value comes from a file anyone may write)."""
    text = printable(repr(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _fits(value: object, kind: type) -> bool:
    """True when ``value`` is a finite, non-negative number (integral for an int setting); bools are not numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return value >= 0 and (kind is int or value.bit_length() <= 1023)  # larger ints overflow a float
    return math.isfinite(value) and value >= 0 and (kind is float or value.is_integer())


@dataclass(frozen=True)
class StorySettings(_Group):
    """Story and storyline detection (:mod:`graphnews.analysis.stories`), fitted on the labelled election set."""

    story_threshold: float = setting(0.05, "mean pair score that still merges two groups into one story")
    story_decay_hours: float = setting(48.0, "a pair's score is multiplied by exp(-hours apart / this)")
    storyline_threshold: float = setting(0.01, "the same for storylines, at least ...")
    storyline_threshold_ratio: float = setting(0.7, "... and at least this times the mean similarity of two articles ...")
    storyline_decay_hours: float = setting(400.0, "... with a slower decay")
    neighbours: int = setting(30, "candidate pairs kept per article")


@dataclass(frozen=True)
class SimilarSettings(_Group):
    """Which ``similar`` edges are added (:func:`graphnews.analysis.similarity.similar_pairs`)."""

    min_similarity: float = setting(0.25, "smallest cosine that makes a `similar` edge")
    top_k: int = setting(10, "`similar` edges kept per article")


@dataclass(frozen=True)
class SyndicationSettings(_Group):
    """Which articles are wire copies of each other (:mod:`graphnews.analysis.syndication`)."""

    min_containment: float = setting(0.75, "share of the shorter lede's word pairs the other must hold: one wire copy")
    min_shingles: int = setting(8, "ledes with fewer word pairs are never wire copies")


@dataclass(frozen=True)
class RelatedSettings(_Group):
    """How ``graphnews related`` scores the reasons two articles are related (:mod:`graphnews.analysis.related`)."""

    listed_bonus: float = setting(1.0, "score of being listed as related by the article (plus 1 / rank)")
    listed_by_score: float = setting(1.0, "score of listing the article as related")
    same_provider_score: float = setting(0.25, "score of sharing the article's provider")
    topic_score: float = setting(0.1, "times the summed idf of the topics shared with the article")


_GROUPS: dict[str, type[_Group]] = {"stories": StorySettings, "similar": SimilarSettings,
                                    "syndication": SyndicationSettings, "related": RelatedSettings}
_GROUP_NAMES = {group: f"{name}." for name, group in _GROUPS.items()}
#: The groups each cache depends on (:meth:`Settings.cache_key`): parsing takes no setting today.
CACHE_GROUPS: dict[str, tuple[str, ...]] = {"parse": (), "analysis": ("stories", "similar", "syndication")}


@dataclass(frozen=True)
class Settings:
    """All settings, one group per concern; ``Settings()`` is the defaults.

    >>> Settings().stories.story_threshold
    0.05
    >>> Settings.from_mapping({"stories.neighbours": 5, "top_k": 4}).similar.top_k
    4
    """

    stories: StorySettings = field(default_factory=StorySettings)
    similar: SimilarSettings = field(default_factory=SimilarSettings)
    syndication: SyndicationSettings = field(default_factory=SyndicationSettings)
    related: RelatedSettings = field(default_factory=RelatedSettings)

    @classmethod
    def from_mapping(cls, values: Mapping[str, object], where: str = "settings") -> Settings:
        """Settings from ``{key: value}`` (dotted, bare or nested keys); missing keys keep their defaults.

        Raises :class:`~graphnews.errors.SettingsError` naming ``where`` and the key for an
        unknown key or a value that is not a finite non-negative number.
        """
        return cls().replace(values, where)

    def replace(self, values: Mapping[str, object], where: str = "settings") -> Settings:
        """A copy with ``values`` (as :meth:`from_mapping`) changed."""
        changes: dict[str, dict[str, object]] = {}
        for key, value in _flatten(values):
            group, name = resolve_key(key, where)
            changes.setdefault(group, {})[name] = value
        try:
            return replace(self, **{group: replace(getattr(self, group), **new) for group, new in changes.items()})
        except SettingsError as error:
            raise SettingsError(f"{printable(where)}: {error}") from None

    def with_assignments(self, assignments: Iterable[str], where: str = "--set") -> Settings:
        """A copy with ``KEY=VALUE`` strings applied in order (``--set stories.neighbours=20``)."""
        values: dict[str, object] = {}
        for assignment in assignments:
            key, equals, text = assignment.partition("=")
            if not equals:
                raise SettingsError(f"{where}: {_shown(assignment)} is not KEY=VALUE")
            group, name = resolve_key(key.strip(), where)
            values[f"{group}.{name}"] = _number(text.strip(), f"{group}.{name}", where)
        return self.replace(values, where)

    def flat(self) -> dict[str, float | int]:
        """Every setting as ``{dotted key: value}``, in declaration order (what ``--config`` reads back)."""
        return {f"{group}.{name}": value for group, values in asdict(self).items() for name, value in values.items()}

    def cache_key(self, cache: str) -> str:
        """A short fingerprint of the settings a cache's entries depend on (:data:`CACHE_GROUPS`).

        >>> Settings().cache_key("parse") == Settings.from_mapping({"top_k": 3}).cache_key("parse")
        True
        """
        wanted = {group: asdict(getattr(self, group)) for group in CACHE_GROUPS[cache]}
        return hashlib.sha1(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:12]


def resolve_key(key: str, where: str = "settings") -> tuple[str, str]:
    """``(group, field)`` of a dotted key, or of a bare field name only one group has."""
    group, dot, name = key.rpartition(".")
    if dot and group in _GROUPS and name in _names(_GROUPS[group]):
        return group, name
    if not dot:
        owners = [owner for owner, declared in _GROUPS.items() if name in _names(declared)]
        if len(owners) == 1:
            return owners[0], name
    raise SettingsError(f"{printable(where)}: unknown key {_shown(key)} (known: {', '.join(declared_keys())})")


def declared_keys() -> list[str]:
    """Every dotted key, in declaration order."""
    return [f"{group}.{name}" for group, declared in _GROUPS.items() for name in _names(declared)]


def declared() -> list[tuple[str, float | int, str]]:
    """``(dotted key, default, help)`` of every setting, in declaration order."""
    return [(f"{name}.{item.name}", cast(float, item.default), item.metadata["help"])
            for name, group in _GROUPS.items() for item in fields(group)]


def defaults_table() -> str:
    """The defaults as aligned text columns: key, default, help (``graphnews settings``)."""
    rows = [("key", "default", "what it does")] + [(key, repr(default), help) for key, default, help in declared()]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    return "".join(f"{key.ljust(widths[0])}  {default.rjust(widths[1])}  {help}\n" for key, default, help in rows)


def defaults_yaml() -> str:
    """The defaults as a commented YAML settings file (the README's block; ``graphnews settings --format yaml``)."""
    lines = []
    for name, group in _GROUPS.items():
        lines.append(f"{name}:")
        width = max(len(f"  {item.name}: {item.default!r}") for item in fields(group))
        lines += [f"  {item.name}: {item.default!r}".ljust(width) + f"  # {item.metadata['help']}" for item in fields(group)]
    return "\n".join(lines) + "\n"


def load_settings(path: str, base: Settings | None = None) -> Settings:
    """Read a YAML (safe loader) or TOML (``.toml``) file of settings on top of ``base`` (default: the defaults).

    Raises :class:`~graphnews.errors.SettingsError` with the file (and line, when the parser
    gives one) for an unreadable or malformed file, an unknown key or a bad value.
    """
    where = printable(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise SettingsError(f"{where}: cannot read: {error.strerror or error}") from None
    values = _parse_toml(raw, where) if path.endswith(".toml") else _parse_yaml(raw, where)
    if values is None:
        return base or Settings()
    if not isinstance(values, dict):
        raise SettingsError(f"{where}: expected a mapping of settings, not {type(values).__name__}")
    return (base or Settings()).replace(values, path)


def _parse_yaml(raw: bytes, where: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{where}: not a YAML settings file (not UTF-8 text)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SettingsError(f"{where}:{mark.line + 1 if mark else '?'}: not valid YAML") from None
    except (ValueError, RecursionError) as error:  # e.g. a timestamp or number PyYAML cannot build
        raise SettingsError(f"{where}: not a YAML settings file ({printable(str(error))})") from None


def _parse_toml(raw: bytes, where: str) -> Any:
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{where}: not a TOML settings file (not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{where}: not valid TOML ({printable(str(error))})") from None


def _names(group: type[_Group]) -> list[str]:
    return [item.name for item in fields(group)]


def _flatten(values: Mapping[str, object], prefix: str = "") -> Iterable[tuple[str, object]]:
    """``(dotted key, value)`` pairs of a possibly nested mapping (``{stories: {neighbours: 5}}``)."""
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and not prefix and str(key) in _GROUPS:
            yield from _flatten(value, f"{dotted}.")
        else:
            yield dotted, value


def _number(text: str, key: str, where: str) -> float | int:
    """A ``--set`` value as a number (the group's check then decides whether it fits the field)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise SettingsError(f"{printable(where)}: {key} must be a number, not {_shown(text)}") from None
