"""Publication dates in every form feeds use, normalised to aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

# Epoch seconds between 1990 and 2100; larger numbers are read as milliseconds.
_EPOCH_MIN, _EPOCH_MAX = 631_152_000, 4_102_444_800
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ASCII_DIGITS = re.compile(r"[0-9]{1,15}")
#: YAML 1.1's timestamp (PyYAML's resolver pattern, but the date alone, which fromisoformat reads).
_YAML_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)
#: Dates outside these years are not publication dates; they are kept as unknown. The
#: margin below 9999 leaves room for every later step that adds days or shifts zones.
MIN_YEAR, MAX_YEAR = 1000, 9998


def parse_datetime(value: object) -> datetime | None:
    """Return ``value`` as an aware UTC datetime, or None when it is not a date.

    Accepts datetimes (naive ones are taken as UTC), dates (midnight UTC), ISO 8601
    strings (``Z``, offsets, date only), RFC 2822 strings (``Mon, 09 Nov 2020 03:15:59
    GMT``) and epoch seconds or milliseconds. Anything else, including dates outside
    years :data:`MIN_YEAR` to :data:`MAX_YEAR`, 400-digit numbers and non-ASCII digits, is None.

    >>> parse_datetime("2020-11-09T04:15:59+01:00").isoformat()
    '2020-11-09T03:15:59+00:00'
    >>> parse_datetime(1604891759).isoformat()
    '2020-11-09T03:15:59+00:00'
    >>> parse_datetime("next tuesday") is None
    True
    """
    if type(value) is str:  # the common case first: feeds write dates as text
        return _from_text(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, date):
        return _utc(datetime(value.year, value.month, value.day))
    if isinstance(value, int):
        return _from_epoch(float(value)) if abs(value) < 10**15 else None
    if isinstance(value, float):
        return _from_epoch(value)
    return _from_text(value) if isinstance(value, str) else None


#: Date texts remembered: each article's date is read again in every related list that names it.
DATE_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=DATE_CACHE_SIZE)
def _from_text(value: str) -> datetime | None:
    """:func:`parse_datetime` of a text: epoch digits, ISO 8601 or RFC 2822.

    Memoised (datetimes are immutable, so mentions may share one): 0.2 us a repeat against 3.8 us.
    """
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if len(text) <= 15 and _ASCII_DIGITS.fullmatch(text):  # no regex for ``2020-11-09T03:15:59Z``
        return _from_epoch(float(text))
    try:
        if len(text) == 10 and _DATE_ONLY.match(text):
            return _utc(datetime.fromisoformat(text + "T00:00:00"))
        return _utc(datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text))
    except ValueError:
        if _YAML_TIMESTAMP.fullmatch(text):
            return _yaml_timestamp(text)
    try:
        return _utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError):
        return None


def _yaml_timestamp(text: str) -> datetime | None:
    """A YAML 1.1 timestamp fromisoformat refuses (``2020-1-3 1:02:03``, ``+5``, tabs), read by PyYAML's constructor.

    A plain timestamp reaches :func:`parse_datetime` as PyYAML's datetime or, from the fast
    parser, as its text (:func:`graphnews.read.yamlload.load_yaml`'s ``text_dates``): both give the same moment.
    """
    import yaml

    try:
        moment = yaml.constructor.SafeConstructor().construct_yaml_timestamp(yaml.ScalarNode("tag:yaml.org,2002:timestamp", text))
    except (ValueError, OverflowError):
        return None
    return _utc(moment)


def _utc(moment: datetime) -> datetime | None:
    try:
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None


def _from_epoch(seconds: float) -> datetime | None:
    if seconds != seconds:  # NaN
        return None
    if seconds > _EPOCH_MAX * 10:
        seconds /= 1000.0
    if not _EPOCH_MIN <= seconds <= _EPOCH_MAX:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)
