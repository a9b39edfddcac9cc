"""URL canonicalisation: the ONLY place graphnews decides when two URLs name one article.

The same story reaches a feed under many URLs: ``http`` and ``https``, with and without
``www.``, with tracking parameters, as an AMP page (``amp.`` host, ``/amp/`` segment,
``.amp.html``, ``?amp``, ``outputType=amp``) or through Google's AMP cache
(``HOST-with-dashes.cdn.ampproject.org/c/s/HOST/PATH``). :func:`canonical_url` folds all
of them into one key, written without a scheme: ``cnn.com/2020/11/08/politics/x.html``.

Examples
--------
>>> canonical_url("https://amp-cnn-com.cdn.ampproject.org/c/s/amp.cnn.com/cnn/a/index.html")
'cnn.com/cnn/a/index.html'
>>> canonical_url("http://www.Example.com:80/story/?utm_source=rss&id=7#top")
'example.com/story?id=7'
>>> canonical_url("javascript:alert(1)") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

#: Query parameters that only track the reader, never select content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "cmpid", "ocid", "mc_cid", "mc_eid",
        "igshid", "_ga", "_gl", "icid", "smid", "smtyp", "ito", "wt.mc_id",
        "ns_source", "ns_mchannel", "ns_campaign", "ftag", "sr_share", "amp",
        "outputtype",
    }
)
TRACKING_PREFIXES = ("utm_",)
#: Host prefixes that serve the same page as the bare host.
HOST_PREFIXES = ("www.", "amp.", "m.")
MAX_URL_LENGTH = 4096
#: URLs whose canonical form is remembered (about 100 MB when full).
CANONICAL_CACHE_SIZE = 1 << 19

_HOST_NAME = re.compile(r"^[a-z0-9_.-]+$")
_AMP_CACHE_PATH = re.compile(r"^/(?:c|v)/(?:s/)?(.+)$")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def is_http_url(url: object) -> bool:
    """True for an absolute ``http(s)`` URL: the only kind graphnews ever links to."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def canonical_url(url: object) -> str | None:
    """Return the identity key of ``url``, or None when it is not an absolute http(s) URL.

    Rules: lower-case host; http == https; drop ``www.``/``amp.``/``m.`` host prefixes,
    user info, default ports, fragments, trailing slashes and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``, ``cmpid``, ``ocid`` ...); unwrap the AMP cache;
    drop ``/amp/`` path segments and turn ``.amp.html`` into ``.html``; sort the remaining
    query parameters. Canonicalising a canonical URL (with a scheme put back) gives it again.

    Results are memoised (:data:`CANONICAL_CACHE_SIZE` URLs): a corpus names each article
    by the same few URLs again and again, and merging 100k records asks ~1.5M times.
    """
    return _canonical_str(url) if isinstance(url, str) else None


@lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonical_str(url: str) -> str | None:
    if len(url) > MAX_URL_LENGTH:
        return None
    try:  # one parse serves both the http(s) check and the canonical form
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        host = parts.hostname.rstrip(".")
        port = parts.port
    except ValueError:
        return None
    host = _ascii_host(host)
    if not host:
        return None
    path = parts.path or ""
    if host == "cdn.ampproject.org" or host.endswith(".cdn.ampproject.org"):
        inner = _AMP_CACHE_PATH.match(path)
        if inner:
            query = f"?{parts.query}" if parts.query else ""
            return canonical_url(f"https://{inner.group(1)}{query}")
    while host.startswith(HOST_PREFIXES) and host.count(".") >= 2:
        host = host.split(".", 1)[1]
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    return host + _canonical_path(path) + _canonical_query(parts.query)


def _ascii_host(host: str) -> str:
    """Lower-case the host and turn an internationalised name into its ``xn--`` form."""
    host = host.lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:  # not a valid internationalised host name
            return ""
    return host if _HOST_NAME.match(host) else ""  # spaces, quotes, IPv6 brackets: not a web host


def _canonical_path(path: str) -> str:
    path = quote(path, safe=_PATH_SAFE)
    segments = [seg for seg in path.split("/") if seg and seg != "amp"]
    while segments and segments[-1].endswith(".amp.html"):
        segments[-1] = segments[-1][: -len(".amp.html")] + ".html"
    return "/" + "/".join(segments) if segments else ""


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    kept = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    if not kept:
        return ""
    return "?" + urlencode(sorted(kept), quote_via=quote)


def is_feed_redirect(canonical: str) -> bool:
    """True for feed-redirect URLs (``rss.cnn.com/~r/...``), the least telling name of a story.

    Used to prefer a publisher's own URL when choosing an article's id.
    """
    host = canonical.split("/", 1)[0]
    return host.startswith(("rss.", "feeds.", "feedproxy.")) or "/~r/" in canonical
