"""Stage 2: merge mentions into articles, providers and topics (one node per real thing).

Every URL of a record (originalUrl, webUrl, ampWebUrl, cdnAmpWebUrl) names the same
article, and across the corpus, mentions that share any canonical URL are the same
article: the connected components of the canonical URLs group them. Within a group a full record's
fields win over a related-item stub; ties are broken by file path and position, so the
result does not depend on the order files were read in.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .errors import InputError
from .gcpause import paused_gc
from .model import Article, Corpus, Mention, Provider, RelatedLink, Topic
from .providers import provider_id, provider_key
from .urls import canonical_url, is_feed_redirect

_SLUG = re.compile(r"[^\w]+", re.UNICODE)
# ``+`` and ``#`` right after a word tell topics apart: C, C++ and C# are three languages.
_WORD_SUFFIX = re.compile(r"(?<=\w)[+#]+")


def topic_id(name: str) -> str:
    """Node id of a topic: case and punctuation do not matter (``topic:democratic-voice``),
    except ``+``/``#`` ending a word (``topic:c-plus-plus``, ``topic:c-sharp``)."""
    name = _WORD_SUFFIX.sub(lambda m: "".join("-plus" if ch == "+" else "-sharp" for ch in m.group()), name)
    return "topic:" + (_SLUG.sub("-", name.lower()).strip("-") or "untitled")


class _Memo:
    """Per-merge memo tables: a corpus names each article, provider and topic again and again.

    At 100k records ~1.4M mentions share ~0.5M distinct URLs; each distinct URL is
    canonicalised once, each distinct URL tuple turned into keys once, each declared domain
    (else each distinct provider name, domain and first URL) into a provider id once.
    """

    __slots__ = ("canonical", "domains", "given_keys", "providers", "topics", "url_keys")

    def __init__(self) -> None:
        self.canonical: dict[str, str | None] = {}
        self.url_keys: dict[tuple[str, ...], list[str]] = {}
        self.given_keys: dict[tuple[str, ...], list[str]] = {}
        self.domains: dict[str, str] = {}  # declared domain -> provider id, "" when it names none
        self.providers: dict[tuple[str | None, str | None, str | None], str | None] = {}
        self.topics: dict[str, str] = {}

    def keys(self, mention: Mention) -> list[str]:
        """Identity keys of a mention: canonical URLs, else a content hash, else title+provider.

        The reader's ``mention.keys`` are used as they are; only a mention made without
        them has its URLs canonicalised here.
        """
        urls = mention.urls
        if mention.keys:
            given = self.given_keys.get(mention.keys)
            if given is None:  # one list for every mention of the same URLs: ~0.5M lists for ~1.4M mentions at 100k
                given = self.given_keys[mention.keys] = [key for key in dict.fromkeys(mention.keys) if key]
            if given:
                return given
        elif urls:
            keys = self.url_keys.get(urls)
            if keys is None:
                canonical = self.canonical
                for url in urls:
                    if url not in canonical:
                        canonical[url] = canonical_url(url)
                keys = self.url_keys[urls] = [key for key in dict.fromkeys(canonical[url] for url in urls) if key]
            if keys:
                return keys
        if mention.content_key:
            return [f"text-{mention.content_key}"]
        seed = f"{(mention.provider_domain or mention.provider_name or '').lower()}|{mention.title.lower()}"
        return [f"title-{hashlib.sha1(seed.encode('utf-8')).hexdigest()[:16]}"]

    def provider(self, mention: Mention) -> str | None:
        """The provider id of a mention (:func:`graphnews.providers.provider_id`).

        A declared domain decides alone when it names a provider, so it is memoised by
        itself: keyed by (name, domain, first URL), ~0.7M of ~1.4M lookups missed at 100k.
        """
        domain = mention.provider_domain
        if domain is not None:
            by_domain = self.domains.get(domain)
            if by_domain is None:
                by_domain = self.domains[domain] = provider_id(None, domain) or ""
            if by_domain:
                return by_domain
        triple = (mention.provider_name, domain, mention.urls[0] if mention.urls else None)
        if triple not in self.providers:
            self.providers[triple] = provider_id(*triple)
        return self.providers[triple]

    def topic(self, name: str) -> str:
        """:func:`topic_id`, memoised."""
        tid = self.topics.get(name)
        if tid is None:
            tid = self.topics[name] = topic_id(name)
        return tid

    def best_link(self, aliases: list[str], members: list[Mention]) -> str | None:
        """The URL to open: the publisher's own https page before a feed redirect or an AMP copy."""
        if len(aliases) < 2:
            return aliases[0] if aliases else None
        known = {url: key for member in members for url, key in zip(member.urls, member.keys)}
        best, best_rank = aliases[0], (True, True, True)
        for url in aliases:  # the first of the lowest rank, as min() would pick; stop at a perfect one
            canonical = known[url] if url in known else self.canonical.get(url) or canonical_url(url)
            rank = _link_rank(url, canonical or None)
            if rank < best_rank:
                best, best_rank = url, rank
            if not any(rank):
                break
        return best



def _id_key(keys: Iterable[str]) -> str:
    """The key an article's id is made from: a publisher URL before a feed redirect, short first."""
    return min(keys, key=lambda key: (key.startswith(("text-", "title-")), is_feed_redirect(key), len(key), key))


def merge_mentions(
    mentions: Sequence[Mention], problems: Sequence[InputError] = (), *, files: int = 0, records: int = 0
) -> Corpus:
    """Merge full records and their related items into a :class:`Corpus`.

    Parameters
    ----------
    mentions : full records as read, each carrying its related items.
    problems, files, records : carried into the corpus for the summary.

    Examples
    --------
    >>> a = Mention("a.md", 1, True, urls=("https://www.x.com/s/",), title="S")
    >>> b = Mention("b.md", 1, True, urls=("http://amp.x.com/s?utm_source=rss",), title="S2")
    >>> corpus = merge_mentions([a, b])
    >>> list(corpus.articles), corpus.articles["article:x.com/s"].sources
    (['article:x.com/s'], ('a.md', 'b.md'))
    """
    with paused_gc():
        return _merge(mentions, problems, files, records)


def _merge(mentions: Sequence[Mention], problems: Sequence[InputError], files: int, records: int) -> Corpus:
    # every mention, its owner's index in flat (-1: a record) and its rank in the owner's list: three
    # columns, not a tuple a mention (~1.4M mentions at 100k records)
    flat: list[Mention] = []
    owners, ranks = array("l"), array("l")
    for mention in mentions:
        owner = len(flat)
        flat.append(mention)
        flat.extend(mention.related)
        owners.append(-1)
        ranks.append(-1)
        owners.extend(repeat(owner, len(mention.related)))
        ranks.extend(range(len(mention.related)))

    memo = _Memo()
    key_ids: dict[str, int] = {}
    setdefault = key_ids.setdefault
    first_key = array("q")  # each mention's first identity key
    key_links = array("q")  # (first key, other key) pairs: the keys of one mention name one article
    for mention in flat:
        keys = memo.keys(mention)
        first = setdefault(keys[0], len(key_ids))
        first_key.append(first)
        for key in keys[1:]:
            key_links.append(first)
            key_links.append(setdefault(key, len(key_ids)))
    key_names = list(key_ids)
    del key_ids
    groups = _groups(flat, first_key, key_links, key_names)

    corpus = Corpus(problems=list(problems))
    provider_names: dict[str, Counter[str]] = {}
    provider_domains: dict[str, str | None] = {}
    topic_names: dict[str, Counter[str]] = {}
    article_of_mention: list[str] = [""] * len(flat)
    for members, keys in groups:
        article_id = "article:" + _id_key(keys)
        group = [flat[i] for i in members]
        pids = [memo.provider(mention) for mention in group]
        article = _merge_group(group, pids, article_id, keys, memo)
        for i in members:
            article_of_mention[i] = article_id
        for mention, pid in zip(group, pids):
            if pid:
                names = provider_names.get(pid)
                if names is None:
                    names = provider_names[pid] = Counter()
                if mention.provider_name:
                    names[mention.provider_name] += 1
                if mention.provider_domain and provider_domains.get(pid) is None:
                    provider_domains[pid] = provider_key(mention.provider_domain)
                elif pid not in provider_domains:
                    provider_domains[pid] = None
            for name in mention.topics:
                tid = memo.topic(name)
                counts = topic_names.get(tid)
                if counts is None:
                    counts = topic_names[tid] = Counter()
                counts[name] += 1
        corpus.articles[article_id] = article
    del groups

    corpus.articles = dict(sorted(corpus.articles.items()))
    for pid in sorted(provider_names):
        names = provider_names[pid]
        display = _most_common(names) or (provider_domains.get(pid) or pid.split(":", 1)[1])
        corpus.providers[pid] = Provider(pid, display, provider_domains.get(pid), tuple(sorted(names)))
    for tid in sorted(topic_names):
        corpus.topics[tid] = Topic(tid, _most_common(topic_names[tid]) or tid.split(":", 1)[1])

    links: dict[tuple[str, str], RelatedLink] = {}
    self_links = 0
    for index, (mention, owner, rank) in enumerate(zip(flat, owners, ranks)):
        if owner < 0:
            continue
        source, target = article_of_mention[owner], article_of_mention[index]
        if source == target:
            self_links += 1
            continue
        # The same pair listed twice (two records of one story): the best rank wins, whatever the file order.
        known = links.get((source, target))
        if known is None or (rank, -(mention.quality or 0)) < (known.rank, -(known.quality or 0)):
            links[(source, target)] = RelatedLink(source, target, rank, mention.quality)
    corpus.related = sorted(links.values(), key=lambda link: (link.source, link.rank, link.target))
    full = sum(1 for article in corpus.articles.values() if article.full)
    corpus.stats = {
        "files": files,
        "records": records,
        "mentions": len(flat),
        "articles": len(corpus.articles),
        "full_articles": full,
        "related_only_articles": len(corpus.articles) - full,
        "merged_mentions": len(flat) - len(corpus.articles),
        "articles_seen_more_than_once": sum(1 for a in corpus.articles.values() if a.mentions > 1),
        "providers": len(corpus.providers),
        "topics": len(corpus.topics),
        "related_links": len(corpus.related),
        "self_links_dropped": self_links,
        "problems": sum(1 for problem in problems if problem.fatal),
        "warnings": sum(1 for problem in problems if not problem.fatal),
    }
    return corpus


def _groups(flat: Sequence[Mention], first_key: array, links: array,
            key_names: list[str]) -> Iterator[tuple[list[int], list[str]]]:
    """The mentions of each article (indices into ``flat``), best first, and its identity keys, sorted.

    Mentions sharing a key are one article: connected components of the keys, linked by
    the mentions that carry several. Articles come in the order of their first mention
    (the first domain seen names a provider); within one, full records come before
    related items, then by file, line and position. Sorted in numpy, not a Python
    ``sort`` per article: ~1.4M mentions in ~0.4M articles at 100k records.
    """
    if not flat:
        return
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    size = len(key_names)
    pairs = np.frombuffer(links, np.int64).reshape(-1, 2)
    adjacency = coo_matrix((np.ones(len(pairs), np.int8), (pairs[:, 0], pairs[:, 1])), shape=(size, size))
    count, component = connected_components(adjacency, directed=False)
    mention_component = component[np.frombuffer(first_key, np.int64)]
    labels, first_mention = np.unique(mention_component, return_index=True)  # every component has a mention
    rank = np.empty(count, np.int64)
    rank[labels[np.argsort(first_mention, kind="stable")]] = np.arange(count)
    mention_group = rank[mention_component]
    sources = sorted({mention.source for mention in flat})
    source_rank = dict(zip(sources, range(len(sources))))
    members = np.lexsort((
        np.fromiter((mention.line or 0 for mention in flat), np.int64, len(flat)),
        np.fromiter((source_rank[mention.source] for mention in flat), np.int64, len(flat)),
        np.fromiter((not mention.full for mention in flat), np.bool_, len(flat)),
        mention_group,
    )).tolist()  # lexsort is stable: the mention's position breaks the last ties
    name_rank = np.empty(size, np.int64)
    name_rank[sorted(range(size), key=key_names.__getitem__)] = np.arange(size)
    keys = np.lexsort((name_rank, rank[component])).tolist()
    member_ends = np.cumsum(np.bincount(mention_group, minlength=count)).tolist()
    key_ends = np.cumsum(np.bincount(rank[component], minlength=count)).tolist()
    member_start = key_start = 0
    for member_end, key_end in zip(member_ends, key_ends):
        yield members[member_start:member_end], [key_names[key] for key in keys[key_start:key_end]]
        member_start, key_start = member_end, key_end


def _most_common(counter: Counter[str]) -> str | None:
    if not counter:
        return None
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def _first(members: list[Mention], field: str) -> Any:
    """The first set value of a field among the mentions, best first."""
    for member in members:
        value = getattr(member, field)
        if value is not None and value != "" and value != ():
            return value
    return None


def _merge_group(members: list[Mention], pids: list[str | None], article_id: str, keys: list[str], memo: _Memo) -> Article:
    """One article from the mentions of one story; ``members`` are sorted best first, ``pids`` their provider ids."""
    best = members[0]
    aliases = list(dict.fromkeys(url for m in members for url in m.urls))
    provider = next((pid for pid in pids if pid), None)
    topics: dict[str, None] = {}
    for m in members:
        for name in m.topics:
            topics.setdefault(memo.topic(name), None)
    url_keys = [key for key in keys if not key.startswith(("text-", "title-"))]
    return Article(
        id=article_id,
        url=article_id.split(":", 1)[1] if url_keys else None,
        link=memo.best_link(aliases, members),
        title=str(_first(members, "title") or ""),
        excerpt=str(_first(members, "excerpt") or ""),
        body=str(_first(members, "body") or ""),
        published=_first(members, "published"),
        provider=provider,
        topics=tuple(topics),
        images=tuple(dict.fromkeys(image.url for m in members for image in m.images)),
        quality=_first(members, "quality"),
        type=_first(members, "type"),
        full=best.full,
        aliases=tuple(sorted(aliases)),
        canonical_urls=tuple(url_keys),
        sources=tuple(sorted({m.source for m in members})),
        mentions=len(members),
        extra=best.extra,
    )


def _link_rank(url: str, canonical: str | None) -> tuple[bool, bool, bool]:
    """Sort key of a candidate link: feed redirect, AMP copy, not https (False sorts first)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    is_amp = host.endswith("ampproject.org") or host.startswith("amp.") or "/amp/" in path or path.endswith(".amp.html")
    return (is_feed_redirect(canonical or ""), is_amp, parts.scheme.lower() != "https")
