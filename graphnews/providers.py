"""Provider identity: the ONLY place graphnews decides when two publishers are one.

A provider is identified by its registered domain (``www.cnn.com``, ``amp.cnn.com`` and
``edition.cnn.com`` are all ``cnn.com``), read from the record's ``provider.domain`` or,
failing that, from the article's URL. Display names vary (``NYT``, ``New York Times``);
the id does not. Domains on shared parents (``abcnews.go.com``: ``go.com`` also hosts
ESPN) keep their full host, see :data:`SHARED_PARENT_DOMAINS`.

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
import re

import tldextract

from .urls import canonical_url

#: Registered domains that host unrelated publishers under their own sub-domains.
SHARED_PARENT_DOMAINS = frozenset({"go.com", "blogspot.com", "wordpress.com", "substack.com", "medium.com"})

# The bundled Public Suffix List snapshot: no network, no cache directory.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_SLUG = re.compile(r"[^a-z0-9]+")


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
    host = canonical.split("/", 1)[0].split(":", 1)[0].split("?", 1)[0]
    parts = _extract(host)
    if not parts.domain:
        return host or None
    registered = f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain
    if registered in SHARED_PARENT_DOMAINS and parts.subdomain:
        return f"{parts.subdomain.split('.')[-1]}.{registered}"
    return registered


def provider_id(name: str | None, domain: str | None, article_url: str | None = None) -> str | None:
    """Node id (``provider:cnn.com``) for a publisher given its declared domain, name or URL.

    The declared domain wins, then the article URL's domain, then a slug of the name
    (``provider:name:fairmont-sentinel``) so a publisher without any domain is still one node.
    """
    for candidate in (domain, article_url):
        if isinstance(candidate, str):
            key = provider_key(candidate)
            if key:
                return f"provider:{key}"
    if isinstance(name, str):
        slug = _SLUG.sub("-", name.lower()).strip("-")
        if slug:
            return f"provider:name:{slug}"
    return None
