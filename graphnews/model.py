"""Typed records: what the readers produce and what the graph is built from.

* :class:`Mention` is one appearance of an article in the input: a full record, or an
  item of someone's ``related`` list. Readers produce mentions; they know nothing of ids.
* :class:`Article`, :class:`Provider`, :class:`Topic` are the merged entities, one per
  real-world story, publisher and topic; :class:`Corpus` holds them with the related
  links between articles. :func:`graphnews.merge.merge_mentions` makes a Corpus.

Treat them as immutable: nothing changes a record once made. :class:`Mention`,
:class:`Article`, :class:`RelatedLink` and :class:`Image` are not declared ``frozen``
only because a frozen dataclass's ``__init__`` sets each field through
``object.__setattr__``: 1.7 us against 0.3 us for a mention, and a 100k-record corpus
makes 1.4 million of them on every read (hashable still: ``unsafe_hash``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen __init__ costs 5x (see below)
class Image:
    """An image attached to an article or a provider."""

    url: str
    width: int | None = None
    height: int | None = None


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen __init__ costs 5x (see below)
class Mention:
    """One appearance of an article in one file, before identities are merged.

    ``urls`` are the raw URLs as written (originalUrl, webUrl, ampWebUrl, cdnAmpWebUrl);
    ``content_key`` identifies a record that has no URL (a plain-text article) by a hash
    of its text, so a moved file keeps its identity. ``full`` is True for a record of its
    own and False for an item of a ``related`` list. ``keys`` are the canonical URLs of
    ``urls`` (:func:`graphnews.urls.canonical_url`), position for position, ``""`` where a
    URL has none: the reader computes them in its worker process (and the parse cache keeps
    them) so that the merge, one process, does not; a mention made without them is
    canonicalised when merged.
    """

    source: str
    line: int | None
    full: bool
    urls: tuple[str, ...] = ()
    content_key: str | None = None
    title: str = ""
    excerpt: str = ""
    body: str = ""
    published: datetime | None = None
    provider_name: str | None = None
    provider_domain: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    quality: int | None = None
    type: str | None = None
    category: str | None = None
    related: tuple[Mention, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Provider:
    """A publisher: one node however many display names it goes by."""

    id: str
    name: str
    domain: str | None
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic tag (``Election``); ids are case-insensitive slugs."""

    id: str
    name: str


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen __init__ costs 5x (see below)
class Article:
    """One story, merged from every mention that shares a canonical URL.

    ``url`` is the canonical key the id is made from, ``link`` the best http(s) URL to open
    in a browser (None when the article has none), ``aliases`` every raw URL seen for it.
    ``full`` says whether any full record of it was read (else it is only known as someone's
    related item). ``published`` is in UTC.
    """

    id: str
    url: str | None
    link: str | None
    title: str
    excerpt: str = ""
    body: str = ""
    published: datetime | None = None
    provider: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    quality: int | None = None
    type: str | None = None
    full: bool = False
    aliases: tuple[str, ...] = ()
    canonical_urls: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    mentions: int = 1
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """Title, excerpt and body in one string: what text similarity reads."""
        return "\n".join(part for part in (self.title, self.excerpt, self.body) if part)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen __init__ costs 5x (see below)
class RelatedLink:
    """``source`` lists ``target`` as related, at position ``rank`` (0 = first)."""

    source: str
    target: str
    rank: int
    quality: int | None = None


#: Columns of :meth:`Corpus.to_records` (one row an article).
ARTICLE_COLUMNS = ("id", "title", "provider", "published", "topics", "link", "full", "mentions", "quality", "type")


@dataclass(slots=True, repr=False)
class Corpus:
    """Everything read from the inputs, merged: the input to :func:`graphnews.build_graph`.

    Its repr is one line of counts and its notebook display a summary (the articles of a
    big corpus would run to millions of characters); :meth:`to_records` and
    :meth:`to_pandas` give one row per article.
    """

    articles: dict[str, Article] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    related: list[RelatedLink] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    #: Documents whose YAML went to PyYAML instead of yaml-rs, by reason (``--verbose`` prints it).
    yaml_reference: dict[str, int] = field(default_factory=dict)

    def _facts(self) -> dict[str, object]:
        return {"inputs": ", ".join(self.inputs) or "-", "files": self.stats.get("files", 0), "articles": len(self.articles),
                "providers": len(self.providers), "topics": len(self.topics), "related links": len(self.related),
                "problems": len(self.problems)}

    def __repr__(self) -> str:
        facts = self._facts()
        return ("Corpus(" + ", ".join(f"{value:,} {name}" for name, value in facts.items() if isinstance(value, int))
                + (f", inputs={list(self.inputs)!r}" if len(repr(list(self.inputs))) < 200 else "") + ")")

    def _repr_html_(self) -> str:
        """Counts, then the first articles and problems (Jupyter)."""
        from .reprs import html_facts, html_table

        parts = [html_facts("graphnews Corpus", self._facts()),
                 html_table("articles", ["title", "provider", "published"], self.to_records(), len(self.articles))]
        if self.problems:
            parts.append(html_table("problems", ["problem"], ({"problem": str(p)} for p in self.problems), len(self.problems)))
        return "".join(parts)

    def to_records(self) -> list[dict[str, object]]:
        """One dict per article (:data:`ARTICLE_COLUMNS`), ``published`` as a datetime."""
        return [{"id": a.id, "title": a.title, "provider": a.provider, "published": a.published, "topics": list(a.topics),
                 "link": a.link, "full": a.full, "mentions": a.mentions, "quality": a.quality, "type": a.type}
                for a in self.articles.values()]

    def to_pandas(self) -> Any:
        """:meth:`to_records` as a :class:`pandas.DataFrame` (pandas is optional)."""
        from .reprs import to_pandas

        return to_pandas(self.to_records(), ARTICLE_COLUMNS)
