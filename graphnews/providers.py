"""Provider identity: the ONLY place graphnews decides when two publishers are one.

A provider is identified by its registered domain (``www.cnn.com``, ``amp.cnn.com`` and
``edition.cnn.com`` are all ``cnn.com``), read from the record's ``provider.domain`` or,
failing that, from the article's URL. Display names vary (``NYT``, ``New York Times``);
the id does not. Domains on shared parents (``abcnews.go.com``: ``go.com`` also hosts
ESPN) keep their full host, see :data:`SHARED_PARENT_DOMAINS`.

The registered domain comes from the Public Suffix List *with its private section*
(``github.io``, ``netlify.app``, ``s3.amazonaws.com`` are suffixes, so ``a.github.io`` and
``b.github.io`` are two providers), from the copy bundled with ``publicsuffixlist``: nothing
is ever fetched (tldextract, used before, gives the same domains on every host of the corpus,
the seeds and the tests, ``tests/test_providers_psl.py``; it also brought requests, ~0.1 s of
every start-up). A host under no known suffix (``outlet1.example``, ``.internal``, ``.local``,
``.test``, ``localhost``) and an IP address keep the whole host: two outlets are never
merged because the list does not know their suffix.

Examples
--------
>>> provider_key("www.CNN.com")
'cnn.com'
>>> provider_key("abcnews.go.com")
'abcnews.go.com'
>>> provider_key("https://amp-cnn-com.cdn.ampproject.org/c/s/amp.cnn.com/x")
'cnn.com'
"""

from __future__ import annotations

import functools
import hashlib
import re

from publicsuffixlist import PublicSuffixList

from .urls import canonical_url

#: Registered domains that host unrelated publishers under their own sub-domains.
SHARED_PARENT_DOMAINS = frozenset({"go.com", "blogspot.com", "wordpress.com", "substack.com", "medium.com"})
#: Second-level labels hosting unrelated blogs under every country suffix (``x.blogspot.co.uk``).
SHARED_PARENT_LABELS = frozenset({"blogspot"})

#: The bundled Public Suffix List, private section included; a host under no known suffix has no registered domain.
_LIST = PublicSuffixList(accept_unknown=False)
_SLUG = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)
def provider_key(domain_or_url: str) -> str | None:
    """Return the registered domain naming a provider, or None when there is none.

    Accepts a bare domain (``www.cnn.com``) or a URL (canonicalised first, so an AMP-cache
    URL names the publisher, not Google).
    """
    text = domain_or_url.strip().lower()
    if not text:
        return None
    canonical = canonical_url(text if "://" in text else f"https://{text}")
    if canonical is None:
        return None
    host = _host(canonical)
    if not host:
        return None
    if host.startswith("["):  # an IPv6 address: the whole address
        return host
    registered = _LIST.privatesuffix(host)
    if registered is None:  # a suffix itself, or under no known suffix (an IPv4 address too): the whole host
        return host
    if registered != host and (registered in SHARED_PARENT_DOMAINS or registered.split(".", 1)[0] in SHARED_PARENT_LABELS):
        return f"{host[: -len(registered) - 1].rsplit('.', 1)[-1]}.{registered}"
    return registered


def _host(canonical: str) -> str:
    """The host of a canonical URL key, without port, path, query or fragment (IPv6 kept in brackets)."""
    end = len(canonical)
    for mark in "/?#":
        found = canonical.find(mark)
        if found != -1:
            end = min(end, found)
    authority = canonical[:end]
    if authority.startswith("["):
        return authority[: authority.find("]") + 1]
    return authority.split(":", 1)[0]


def provider_id(name: str | None, domain: str | None, article_url: str | None = None) -> str | None:
    """Node id (``provider:cnn.com``) for a publisher given its declared domain, name or URL.

    The declared domain wins, then the article URL's domain, then a slug of the name
    (``provider:name:fairmont-sentinel``; letters of every script count: ``provider:name:новая-газета``,
    and a name of symbols only is named by its hash) so a publisher without any domain is
    still one node.
    """
    for candidate in (domain, article_url):
        if isinstance(candidate, str):
            key = provider_key(candidate)
            if key:
                return f"provider:{key}"
    if isinstance(name, str) and name.strip():
        slug = _SLUG.sub("-", name.lower()).strip("-")
        if not slug:
            slug = "h-" + hashlib.sha1(" ".join(name.split()).encode("utf-8", "replace")).hexdigest()[:12]
        return f"provider:name:{slug}"
    return None
