"""Turning one parsed record (a mapping from YAML or JSON) into a :class:`Mention`.

Field by field, with the types checked: web data is often wrong. A problem that makes the
record unusable raises :class:`InputError`; a problem with one field (a garbage date, a
``javascript:`` URL, ``related`` given as a mapping) is reported as a warning and the rest
of the record is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields
from operator import attrgetter
from typing import Any

import orjson

from ..errors import InputError
from ..model import Image, Mention
from ..urls import MAX_URL_LENGTH, canonical_url, clean_url, is_http_url
from .dates import parse_datetime

URL_FIELDS = ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "url", "link")
DATE_FIELDS = ("publishedDateTime", "datePublished", "pubDate", "date")
#: Fields the schema defines; anything else is kept in ``Mention.extra``.
KNOWN_FIELDS = frozenset(
    {*URL_FIELDS, *DATE_FIELDS, "title", "excerpt", "body", "type", "quality", "provider",
     "topics", "images", "related", "category", "heat", "published", "secured"}
)
MAX_RELATED = 10_000
MAX_EXTRA_TEXT = 200
#: Whole numbers beyond this (a 5,000-digit ``quality``) are refused as a field, never turned into text.
MAX_INTEGER = 10**18
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")
# Code points no text output should carry: control characters but tab and line breaks
# (NUL, the ESC of terminal escape sequences, C1 controls), and surrogates (in a Python str
# from JSON's ``"\ud800"`` every surrogate is a lone one: pairs are decoded into one character).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# ``http(s)://host`` then the end or a path, query or fragment: such text is an
# http(s) URL by :func:`graphnews.urls.is_http_url` without asking urlsplit (a third of
# a record's parse time). Anything else is left to is_http_url.
_PLAIN_HTTP_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9._-]+(?:[/?#]|\Z)")
_SURROGATE = re.compile("[\ud800-\udfff]")

Warn = Callable[[str], None]
#: What orjson must refuse rather than write as JSON text another value could also give: dates and
#: subclasses. NaN and infinities it writes as ``null``, so items holding a null are not remembered.
_STRICT_JSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
#: A related mention's fields after ``source``, ``line`` and ``full``, in the order Mention takes them.
_AFTER_FULL = attrgetter(*[field.name for field in fields(Mention)][3:])


def mention_from_mapping(
    data: object, source: str, line: int | None, warn: Warn, *, full: bool = True, body: str = ""
) -> Mention:
    """Check and convert one record mapping; ``warn`` receives one line per bad field."""
    if type(data) is not dict and not isinstance(data, Mapping):  # a dict: skip the ABC's check
        raise InputError(source, f"expected a record (a mapping of fields), got {_kind(data)}", line)
    title = _text(data, "title", source, line)
    urls: list[str] = []
    for key in URL_FIELDS:
        value = data.get(key)
        if value is None or value == "":
            continue
        cleaned = _http_url(value)
        if cleaned is not None:
            if cleaned not in urls:
                urls.append(cleaned)
        else:
            warn(f"{key}: ignored {_preview(value)}: not an absolute http(s) URL")
    if not urls and not title:
        raise InputError(source, "record has no http(s) URL and no title", line)
    published = None
    for key in DATE_FIELDS:
        if data.get(key) not in (None, ""):
            published = parse_datetime(data[key])
            if published is None:
                warn(f"{key}: unreadable date {_preview(data[key])}, kept as unknown")
            break
    provider_name, provider_domain = _provider(data.get("provider"), warn)
    related = _related(data.get("related"), source, line, warn) if full else ()
    return Mention(
        source=source,
        line=line,
        full=full,
        urls=tuple(urls),
        title=title,
        excerpt=_field_text(data, "excerpt", warn),
        body=clean_text(body) if body else _field_text(data, "body", warn),
        published=published,
        provider_name=provider_name,
        provider_domain=provider_domain,
        topics=_topics(data.get("topics"), warn),
        images=_images(data.get("images")),
        quality=_int(data.get("quality"), "quality", warn),
        type=_optional_text(data.get("type")),
        category=_optional_text(data.get("category")),
        related=related,
        extra=_extra(data),
        keys=tuple([canonical_url(url) or "" for url in urls]),
    )


def clean_text(text: str) -> str:
    """``text`` without the code points no output should carry: control characters are
    dropped (NUL, the ESC of terminal escape sequences; tab and line breaks stay), a lone
    surrogate becomes U+FFFD.

    Titles and names go into UTF-8 files and onto terminals; a lone surrogate (JSON's
    ``"\\ud800"``) cannot be encoded there and would cost the whole run, an escape
    sequence would drive the terminal of whoever reads the output.

    >>> clean_text("a\\x00b\\ud800c\\x1b[31m\\n")
    'ab\\ufffdc[31m\\n'
    """
    if text.isprintable() or not _UNWRITABLE.search(text):
        return text
    return _UNWRITABLE.sub(lambda match: "\ufffd" if match.group() >= "\ud800" else "", text)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return f"a {type(value).__name__}"


def _preview(value: object, limit: int = 60) -> str:
    """A short, one-line, printable picture of a bad value (collections by their kind, huge numbers by size)."""
    if isinstance(value, str):
        text = repr(value[: 2 * limit])  # repr escapes control characters and lone surrogates
    elif isinstance(value, int) and not -MAX_INTEGER < value < MAX_INTEGER:
        return f"a number of about {_digits(value):,} digits"
    elif isinstance(value, (list, tuple, Mapping, set)):
        return _kind(value)
    else:
        text = clean_text(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _scalar_text(value: object) -> str | None:
    """Text of a string or number field (None for anything else); huge integers are not spelt out."""
    if isinstance(value, str):
        return clean_text(value.strip())
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if -MAX_INTEGER < value < MAX_INTEGER else f"(a number of about {_digits(value):,} digits)"
    if isinstance(value, float):
        return str(value)
    return None


def _digits(value: int) -> int:
    """Decimal digits of ``value``, without str() (which refuses 4,300+ digits)."""
    return int(abs(value).bit_length() * 0.30103) + 1


def _text(data: Mapping[str, Any], key: str, source: str, line: int | None) -> str:
    """A text field that names the record (``title``): a wrong type costs the record."""
    value = data.get(key)
    if value is None:
        return ""
    text = _scalar_text(value)
    if text is None:
        raise InputError(source, f"{key}: expected text, got {_kind(value)}", line)
    return text


def _field_text(data: Mapping[str, Any], key: str, warn: Warn) -> str:
    """A text field that does not name the record (``excerpt``, ``body``): a wrong type is a warning."""
    value = data.get(key)
    if value is None:
        return ""
    text = _scalar_text(value)
    if text is None:
        warn(f"{key}: expected text, got {_kind(value)}; ignored")
        return ""
    return text


def _optional_text(value: object) -> str | None:
    return clean_text(value.strip()) or None if isinstance(value, str) else None


def _int(value: object, key: str, warn: Warn) -> int | None:
    """A whole number field (``quality``), or None with a warning for anything else, huge numbers included."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int) and -MAX_INTEGER < value < MAX_INTEGER:
        return value
    if isinstance(value, float) and value.is_integer() and -MAX_INTEGER < value < MAX_INTEGER:
        return int(value)
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value)
    shown = f"a number of about {_digits(value):,} digits" if isinstance(value, int) else _preview(value)
    warn(f"{key}: expected a whole number, got {shown}")
    return None


def _provider(value: object, warn: Warn) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, str):
        warn("provider: expected a mapping with name and domain, got text; used it as the name")
        return _optional_text(value), None
    if type(value) is not dict and not isinstance(value, Mapping):
        warn(f"provider: expected a mapping with name and domain, got {_kind(value)}; ignored")
        return None, None
    return _optional_text(value.get("name")), _optional_text(value.get("domain"))


def _topics(value: object, warn: Warn) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        warn(f"topics: expected a list of names, got {_kind(value)}; ignored")
        return ()
    topics = [clean_text(item.strip()) for item in value if isinstance(item, str) and item.strip()]
    if len(topics) != len(value):
        warn("topics: items that are not text were ignored")
    return tuple(dict.fromkeys(topics))


def _images(value: object) -> tuple[Image, ...]:
    if not isinstance(value, list):
        return ()
    images = []
    for item in value:
        mapping = type(item) is dict or isinstance(item, Mapping)
        cleaned = _http_url(item.get("url") if mapping else item)
        if cleaned is not None:
            width = item.get("width") if mapping else None
            height = item.get("height") if mapping else None
            images.append(Image(cleaned, _dimension(width), _dimension(height)))
    return tuple(images)


def _dimension(value: object) -> int | None:
    """An image's width or height: a whole number below :data:`MAX_INTEGER`, else unknown."""
    return value if isinstance(value, int) and -MAX_INTEGER < value < MAX_INTEGER else None


def _related(value: object, source: str, line: int | None, warn: Warn) -> tuple[Mention, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        warn(f"related: expected a list of articles, got {_kind(value)}; ignored")
        return ()
    if len(value) > MAX_RELATED:
        warn(f"related: {len(value)} items, only the first {MAX_RELATED} are read")
    items = []
    skipped = 0
    for item in value[:MAX_RELATED]:
        made = _related_item(item, source, line)
        if made is None:
            skipped += 1
        else:
            items.append(made)
    if skipped:
        warn(f"related: {skipped} item(s) without a URL or title, or malformed, were ignored")
    return tuple(items)


class RelatedMemo:
    """Related items already read in this process, by their JSON text, while remembering pays.

    An aggregator repeats each story's item, field for field, in the related lists of many
    records (98% of the election corpus' 12,454 items are repeats): such an item is read
    once and then copied with each file's ``source`` and ``line``. A corpus whose items
    rarely repeat (the synthetic ones: 10% in 3,000 files) would pay the key (~2 us an
    item) for nothing, so after each :data:`WINDOW` look-ups with fewer than
    :data:`MIN_HIT_SHARE` repeats the memo rests for :data:`REST_WINDOWS` windows, then tries again.

    Keyed by the exact JSON text (types and key order included), two items a parser made
    share a key only when they read alike: of the values parsers make, only dates (refused)
    and NaN (written ``null``) could pass for another, and items holding them are read each time.
    """

    SIZE = 20_000
    WINDOW = 2_048
    MIN_HIT_SHARE = 0.25
    REST_WINDOWS = 16

    def __init__(self) -> None:
        self.known: dict[bytes, Mention | None] = {}
        self.looked = self.hits = self.resting = 0

    def key(self, item: object) -> bytes | None:
        """The key to look ``item`` up by, or None when it is not looked up (resting, or no exact key)."""
        self.looked += 1
        if self.looked == self.WINDOW:
            if self.resting:
                self.resting -= 1
            elif self.hits < self.MIN_HIT_SHARE * self.WINDOW:
                self.resting = self.REST_WINDOWS
            self.looked = self.hits = 0
        return None if self.resting else _json_key(item)

    def remember(self, key: bytes, mention: Mention | None) -> None:
        """Keep ``mention`` (None: the item is unusable) for ``key``; everything is forgotten when full."""
        if len(self.known) >= self.SIZE:
            self.known.clear()  # not the oldest one by one: next(iter()) walks the dict's deleted slots
        self.known[key] = mention


_memo = RelatedMemo()


def _related_item(item: object, source: str, line: int | None) -> Mention | None:
    """One item of a ``related`` list as a mention (its warnings dropped), or None when it is unusable
    (read once per process while items repeat: :class:`RelatedMemo`)."""
    key = _memo.key(item)
    if key is not None and key in _memo.known:
        _memo.hits += 1
        known = _memo.known[key]
        return None if known is None else Mention(source, line, False, *_AFTER_FULL(known))
    try:
        made: Mention | None = mention_from_mapping(item, source, line, _ignore, full=False)
    except InputError:
        made = None
    if key is not None:
        _memo.remember(key, made)
    return made


def _json_key(item: object) -> bytes | None:
    """``item``'s JSON as orjson writes it, or None when that text could stand for another value too."""
    try:
        key = orjson.dumps(item, option=_STRICT_JSON)
    except (orjson.JSONEncodeError, TypeError):  # a date, a lone surrogate, a number past 64 bits
        return None
    return None if b"null" in key else key  # NaN's text too (a title "annulled" is only not remembered)


def _ignore(_message: str) -> None:
    """A related item's warnings are not reported: the item is someone else's snapshot."""


def _extra(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    unknown = data.keys() - KNOWN_FIELDS  # in C: most records have no field beyond the schema's
    if not unknown:
        return ()
    extra = []
    for key in sorted(k for k in unknown if isinstance(k, str)):
        value = data[key]
        text = "True" if value is True else "False" if value is False else "None" if value is None else _scalar_text(value)
        if text is not None:
            extra.append((clean_text(key), text[:MAX_EXTRA_TEXT]))
    return tuple(extra)


def _http_url(value: object) -> str | None:
    """``value`` as kept when it is an http(s) URL (:func:`graphnews.urls.clean_url`), else None.

    Plain URLs (:data:`_PLAIN_HTTP_URL`, printable, no backslash or ``..``) are taken as
    they are, without asking urlsplit: a third of a record's parse time. (Three checks in
    C: a regex search for those characters took 2.4 us a URL, 40 us a file.)
    """
    if not isinstance(value, str):
        return None
    if not value.isascii():  # a lone surrogate (JSON's "\ud800") could be written nowhere: U+FFFD, as in text
        value = _SURROGATE.sub("\ufffd", value)
    if (len(value) <= MAX_URL_LENGTH and _PLAIN_HTTP_URL.match(value) and value.isprintable()
            and "\\" not in value and ".." not in value):  # no tab, newline, control, backslash or dot segment
        return value.rstrip()
    return clean_url(value) if is_http_url(value) else None
