"""Plain-text articles: an optional ``date YYYY-MM-DD`` marker, then the text. No URL.

Such an article is identified by a hash of its whitespace-normalised text, so moving or
renaming the file keeps its id. Its title is the first sentence of its lead paragraph
(a leading photo caption, recognised by a trailing credit such as ``(Reuters)``, is
skipped), shortened to :data:`TITLE_MAX` characters.
"""

from __future__ import annotations

import hashlib
import re

from ..errors import InputError
from ..model import Mention
from .dates import parse_datetime
from .records import clean_text

TITLE_MAX = 110
EXCERPT_MAX = 300
_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
_CAPTION_CREDIT = re.compile(r"\((?:[A-Z][\w .&/-]{1,40}|(?:AP|AFP|Reuters|Getty)[^)]*)\)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORDS = re.compile(r"\s+")


def looks_like_plain_text(text: str) -> bool:
    """True when ``text`` opens with the ``date YYYY-MM-DD`` marker."""
    return bool(_DATE_MARKER.match(text))


def content_key(text: str) -> str:
    """Stable identity of a text: 16 hex digits of the SHA-1 of its normalised words."""
    normalised = _WORDS.sub(" ", text).strip().lower()
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, marking the cut."""
    text = _WORDS.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-— ")
    return cut + "…"


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph (the whole paragraph when it has one sentence)."""
    return _SENTENCE_END.split(paragraph.strip(), maxsplit=1)[0]


def parse_plain_text(text: str, source: str) -> Mention:
    """Read a plain-text article; raises :class:`InputError` when it holds no words.

    Control characters (an escape sequence in the text) are dropped first (:func:`~.records.clean_text`).
    """
    text = clean_text(text)
    published = None
    marker = _DATE_MARKER.match(text)
    if marker:
        published = parse_datetime(marker.group(1))
        if published is None:
            raise InputError(source, f"date marker {marker.group(1)!r} is not a real date", 1)
        text = text[marker.end():]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise InputError(source, "plain-text article has no text", 1)
    lead = paragraphs
    if len(paragraphs) > 1 and _CAPTION_CREDIT.search(paragraphs[0]):
        lead = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    return Mention(
        source=source,
        line=1,
        full=True,
        content_key=content_key(body),
        title=shorten(first_sentence(lead[0]), TITLE_MAX),
        excerpt=shorten(lead[0], EXCERPT_MAX),
        body=body,
        published=published,
        type="article",
    )
