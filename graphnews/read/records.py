"""Turning one parsed record (a mapping from YAML or JSON) into a :class:`Mention`.

Field by field, with the types checked: web data is often wrong. A problem that makes the
record unusable raises :class:`InputError`; a problem with one field (a garbage date, a
``javascript:`` URL, ``related`` given as a mapping) is reported as a warning and the rest
of the record is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InputError
from ..model import Image, Mention
from ..urls import MAX_URL_LENGTH, is_http_url
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
# ``http(s)://host`` then the end or a path, query or fragment: such text is an
# http(s) URL by :func:`graphnews.urls.is_http_url` without asking urlsplit (a third of
# a record's parse time). Anything else is left to is_http_url.
_PLAIN_HTTP_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9._-]+(?:[/?#]|\Z)")

Warn = Callable[[str], None]


def mention_from_mapping(
    data: object, source: str, line: int | None, warn: Warn, *, full: bool = True, body: str = ""
) -> Mention:
    """Check and convert one record mapping; ``warn`` receives one line per bad field."""
    if not isinstance(data, Mapping):
        raise InputError(source, f"expected a record (a mapping of fields), got {_kind(data)}", line)
    title = _text(data, "title", source, line)
    urls: list[str] = []
    for key in URL_FIELDS:
        value = data.get(key)
        if value is None or value == "":
            continue
        if _is_http_url(value):
            if value not in urls:
                urls.append(value.strip())
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
        excerpt=_text(data, "excerpt", source, line),
        body=body or _text(data, "body", source, line),
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
    )


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
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text(data: Mapping[str, Any], key: str, source: str, line: int | None) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(source, f"{key}: expected text, got {_kind(value)}", line)


def _optional_text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: object, key: str, warn: Warn) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    warn(f"{key}: expected a whole number, got {_preview(value)}")
    return None


def _provider(value: object, warn: Warn) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, str):
        warn("provider: expected a mapping with name and domain, got text; used it as the name")
        return value.strip() or None, None
    if not isinstance(value, Mapping):
        warn(f"provider: expected a mapping with name and domain, got {_kind(value)}; ignored")
        return None, None
    name = value.get("name")
    domain = value.get("domain")
    return (
        name.strip() or None if isinstance(name, str) else None,
        domain.strip() or None if isinstance(domain, str) else None,
    )


def _topics(value: object, warn: Warn) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        warn(f"topics: expected a list of names, got {_kind(value)}; ignored")
        return ()
    topics = [item.strip() for item in value if isinstance(item, str) and item.strip()]
    if len(topics) != len(value):
        warn("topics: items that are not text were ignored")
    return tuple(dict.fromkeys(topics))


def _images(value: object) -> tuple[Image, ...]:
    if not isinstance(value, list):
        return ()
    images = []
    for item in value:
        url = item.get("url") if isinstance(item, Mapping) else item
        if _is_http_url(url):
            width = item.get("width") if isinstance(item, Mapping) else None
            height = item.get("height") if isinstance(item, Mapping) else None
            images.append(
                Image(url.strip(), width if isinstance(width, int) else None, height if isinstance(height, int) else None)
            )
    return tuple(images)


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
        try:
            items.append(mention_from_mapping(item, source, line, lambda _msg: None, full=False))
        except InputError:
            skipped += 1
    if skipped:
        warn(f"related: {skipped} item(s) without a URL or title, or malformed, were ignored")
    return tuple(items)


def _extra(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    extra = []
    for key in sorted(k for k in data if isinstance(k, str) and k not in KNOWN_FIELDS):
        value = data[key]
        if isinstance(value, (str, int, float, bool)) or value is None:
            extra.append((key, str(value)[:MAX_EXTRA_TEXT]))
    return tuple(extra)


def _is_http_url(value: object) -> bool:
    """:func:`graphnews.urls.is_http_url`, with a regular-expression shortcut for the common case."""
    if isinstance(value, str) and len(value) <= MAX_URL_LENGTH and _PLAIN_HTTP_URL.match(value):
        return True
    return is_http_url(value)
