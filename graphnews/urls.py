"""URL canonicalisation: the ONLY place graphnews decides when two URLs name one article.

URLs are read as browsers read them (the WHATWG URL standard, where it matters for
identity): spaces and control characters at the ends are trimmed, tabs and newlines
inside are removed, and in the host part of an http(s) URL a backslash is a slash, so
``https://evil.com\\@www.cnn.com/`` is evil.com (as the browser opens it), never cnn.com.
User names and passwords are dropped from every URL kept (:func:`clean_url`). Hosts are
lower-cased, percent-decoded and IDNA-encoded as browsers do (UTS 46, non-transitional:
``faß.de`` is not ``fass.de``); IPv6 hosts are written compressed in brackets.

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

import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import idna

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
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_HTTP_SCHEME = re.compile(r"^[hH][tT][tT][pP][sS]?:")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
#: The common shape of a URL: ``http(s)://host/path?key=value&...``, the host plain ASCII
#: labels (no port, user, percent-escape or trailing dot), the path of characters quoting
#: keeps, the query of unreserved ``key=value`` pairs, no fragment. Its key needs no urlsplit
#: (:func:`_canonical_plain`): most URLs of every corpus have this shape.
_UNRESERVED_RUN = r"[A-Za-z0-9._~-]"
_PLAIN_URL = re.compile(
    r"[hH][tT][tT][pP][sS]?://([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)"
    r"((?:/[A-Za-z0-9._~!$&'()*+,;=:@-]*)*)"
    rf"(?:\?({_UNRESERVED_RUN}+={_UNRESERVED_RUN}*(?:&{_UNRESERVED_RUN}+={_UNRESERVED_RUN}*)*))?"
)
#: Path segments after which ``amp`` marks the AMP copy of a page (``/article/amp/idUS...``).
AMP_PARENT_SEGMENTS = frozenset({"article", "articles"})


def browser_form(url: str) -> str:
    """``url`` as a browser reads it before parsing (WHATWG URL standard, the parts that decide the host).

    Leading and trailing C0 controls and spaces are trimmed, tabs and newlines removed
    anywhere, and in an http(s) URL every backslash before the query is a slash.

    >>> browser_form(" https://evil.com\\\\@www.cnn.com/a\\t ")
    'https://evil.com/@www.cnn.com/a'
    """
    url = url.strip(_C0_AND_SPACE)
    if "\t" in url or "\n" in url or "\r" in url:
        url = _TAB_OR_NEWLINE.sub("", url)
    if "\\" in url and _HTTP_SCHEME.match(url):
        end = min((i for i in (url.find("?"), url.find("#")) if i != -1), default=len(url))
        url = url[:end].replace("\\", "/") + url[end:]
    return url


def is_http_url(url: object) -> bool:
    """True for an absolute ``http(s)`` URL with a host: the only kind graphnews ever links to."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return False
    try:
        parts = urlsplit(browser_form(url))
        return parts.scheme.lower() in ("http", "https") and bool(_web_host(parts.hostname or ""))
    except ValueError:
        return False


def clean_url(url: str) -> str:
    """``url`` as kept and linked: its browser form (:func:`browser_form`) without user name or password.

    >>> clean_url("https://user:secret@www.example.com/a?b=1")
    'https://www.example.com/a?b=1'
    """
    url = browser_form(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def canonical_url(url: object) -> str | None:
    """Return the identity key of ``url``, or None when it is not an absolute http(s) URL.

    Rules: the host as a browser reads it (see the module docstring); http == https; drop
    ``www.``/``amp.``/``m.`` host prefixes, user info, default ports, fragments (except
    ``#!`` routes, which name pages), trailing slashes and tracking parameters (``utm_*``,
    ``fbclid``, ``gclid``, ``cmpid``, ``ocid`` ...); percent-escapes in one case; unwrap the
    AMP cache; drop an ``amp`` path segment where it marks the AMP copy (first or last
    segment, or after ``article``/``articles``: see :data:`AMP_PARENT_SEGMENTS`) and turn
    ``.amp.html`` into ``.html``; sort the remaining query parameters. Canonicalising a canonical URL (with a scheme put back) gives it again.

    Results are memoised (:data:`CANONICAL_CACHE_SIZE` URLs): a corpus names each article
    by the same few URLs again and again, and merging 100k records asks ~1.5M times.
    """
    return _canonical_str(url) if isinstance(url, str) else None


@lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonical_str(url: str) -> str | None:
    if len(url) > MAX_URL_LENGTH:
        return None
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:
        key = _canonical_plain(plain)
        if key is not None:
            return key
    return _canonical_general(url)


def _canonical_plain(plain: re.Match[str]) -> str | None:
    """The key of a URL of the common shape (:data:`_PLAIN_URL`) without urlsplit, quote or parse_qsl.

    For such a URL every step of :func:`_canonical_general` is known in advance: the browser
    form is the URL itself, the host needs no decoding, the path no quoting and the query
    no unescaping. Gives exactly :func:`_canonical_general`'s key (a differential test holds
    it to that); None leaves the URL to it (the AMP cache, which is unwrapped there).
    """
    host = plain.group(1).lower()
    if host == "cdn.ampproject.org" or host.endswith(".cdn.ampproject.org"):
        return None
    query = plain.group(3)
    return _strip_host_prefixes(host) + _fold_path(plain.group(2)) + (_plain_query(query) if query else "")


def _plain_query(query: str) -> str:
    """:func:`_canonical_query` of a query of ``key=value`` pairs of unreserved characters (nothing to unescape)."""
    kept = [
        (key, value)
        for key, _, value in (pair.partition("=") for pair in query.split("&"))
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    if not kept:
        return ""
    return "?" + "&".join(f"{key}={value}" for key, value in sorted(kept))


def _canonical_general(url: str) -> str | None:
    """:func:`canonical_url` of any text: browser form, urlsplit, quoting; the reference for :func:`_canonical_plain`."""
    try:  # one parse serves both the http(s) check and the canonical form
        parts = urlsplit(browser_form(url))
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        host = _web_host(parts.hostname)
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    path = parts.path or ""
    if host == "cdn.ampproject.org" or host.endswith(".cdn.ampproject.org"):
        inner = _AMP_CACHE_PATH.match(path)
        if inner:
            query = f"?{parts.query}" if parts.query else ""
            return canonical_url(f"https://{inner.group(1)}{query}")
    host = _strip_host_prefixes(host)
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    route = parts.fragment.startswith("!") and parts.fragment.lstrip("!/")  # ``#!/story/1``; a bare ``#!`` is none
    fragment = f"#{_normalise_percent(quote(parts.fragment, safe=_PATH_SAFE + '?#'))}" if route else ""
    return host + _canonical_path(path) + _canonical_query(parts.query) + fragment


def _strip_host_prefixes(host: str) -> str:
    """``host`` without its ``www.``/``amp.``/``m.`` prefixes (:data:`HOST_PREFIXES`), keeping at least two labels."""
    while host.startswith(HOST_PREFIXES) and host.count(".") >= 2 and not host.startswith("["):
        host = host.split(".", 1)[1]
    return host


@lru_cache(maxsize=65536)
def _web_host(host: str) -> str:
    """The host as a browser resolves it, or "" when it is no web host.

    Percent-decoded, lower-cased, without a trailing dot; an internationalised name in its
    ``xn--`` form (UTS 46 non-transitional, as browsers; IDNA 2003 only for names that
    IDNA 2008 refuses); an IPv6 address compressed, in brackets.
    """
    host = unquote(host).lower().rstrip(".")
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            return ""
    if not host.isascii():
        host = ".".join(_ascii_label(label) for label in host.split("."))
    return host if _HOST_NAME.match(host) and ".." not in host else ""  # spaces, quotes, empty labels: not a web host


def _ascii_label(label: str) -> str:
    if label.isascii():
        return label
    try:
        return idna.encode(label, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        try:
            return label.encode("idna").decode("ascii")
        except UnicodeError:  # not a valid internationalised host name
            return " "


def _normalise_percent(text: str) -> str:
    """Percent-escapes in one case (``%2f`` is ``%2F``), unreserved characters unescaped (``%41`` is ``A``)."""
    if "%" not in text:
        return text

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(fix, text)


def _canonical_path(path: str) -> str:
    return _fold_path(_normalise_percent(quote(path, safe=_PATH_SAFE)))


def _fold_path(path: str) -> str:
    """A quoted path without empty segments, trailing slashes and the ``amp`` marks of an AMP copy."""
    if path[:1] == "/" and path[-1] != "/" and "//" not in path and "amp" not in path:
        return path  # already folded, as most are: no split and join
    segments = [seg for seg in path.split("/") if seg]
    if "amp" in path:  # every AMP mark below spells it
        while segments and segments[0] == "amp":
            segments.pop(0)
        kept: list[str] = []
        for seg in segments:
            if not (seg == "amp" and kept and kept[-1] in AMP_PARENT_SEGMENTS):
                kept.append(seg)
        segments = kept
        while segments and segments[-1] == "amp":
            segments.pop()
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
