"""The fast canonicaliser for plain URLs gives exactly the general one's keys.

:func:`graphnews.urls._canonical_plain` skips urlsplit, quoting and parse_qsl for URLs of
the common shape (:data:`graphnews.urls._PLAIN_URL`); these tests compare it with
:func:`graphnews.urls._canonical_general` on every URL of the shared corpus and seeds, of
every synthetic producer, and on generated URLs of that shape.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from graphnews.tools.synthetic import PRODUCER_NAMES, article_text
from graphnews.urls import _PLAIN_URL, _canonical_general, _canonical_plain, canonical_url

# Anything URL-like up to a quote, space or bracket: wider than _PLAIN_URL, so the test also
# sees URLs the fast path must decline.
_URL_TEXT = re.compile(r"""https?://[^\s'"<>)\]]+""", re.IGNORECASE)


def _urls(texts: list[str]) -> set[str]:
    return {url.rstrip(",.") for text in texts for url in _URL_TEXT.findall(text)}


def _assert_same_keys(urls: set[str]) -> int:
    """Compare both canonicalisers on every plain URL of ``urls``; how many were plain."""
    plain = 0
    for url in sorted(urls):
        match = _PLAIN_URL.fullmatch(url)
        if match is None:
            continue
        plain += 1
        fast = _canonical_plain(match)
        assert fast is None or fast == _canonical_general(url), url
        assert canonical_url(url) == _canonical_general(url), url
    return plain


def test_plain_keys_on_the_shared_files(election_dir: Path, seeds_dir: Path) -> None:
    texts = [path.read_text(encoding="utf-8", errors="replace")
             for folder in (election_dir, seeds_dir) for path in sorted(folder.rglob("*")) if path.is_file()]
    urls = _urls(texts)
    assert len(urls) > 500
    assert _assert_same_keys(urls) > len(urls) // 2  # the fast path serves most real URLs


@pytest.mark.parametrize("producer", PRODUCER_NAMES)
def test_plain_keys_on_every_producer(producer: str) -> None:
    urls = _urls([article_text(index, 400, 0, producer)[1] for index in range(0, 400, 4)])
    assert len(urls) > 500
    assert _assert_same_keys(urls) > len(urls) * 9 // 10


_LABEL = st.text("abcxyzAMP019-_", min_size=1, max_size=6)
_HOST = st.lists(st.sampled_from(["www", "amp", "m", "cdn", "ampproject", "org", "com"]) | _LABEL,
                 min_size=1, max_size=4).map(".".join)
_SEGMENT = st.sampled_from(["", "amp", "article", "articles", "a.amp.html", "x.html", "~r", "a:b@c", "!$&'()*+,;="]) | st.text(
    "abAZ09._~-", max_size=6)
_PATH = st.lists(_SEGMENT, max_size=5).map(lambda segments: "".join("/" + seg for seg in segments))
_PAIR = st.tuples(st.sampled_from(["amp", "utm_source", "OutputType", "id", "a", "b", "B"]) | st.text("aZ9._~-", min_size=1, max_size=4),
                  st.text("aZ9._~-", max_size=4))
_QUERY = st.lists(_PAIR, max_size=4).map(lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")


@given(st.sampled_from(["http", "https", "HTTPS", "hTtP"]), _HOST, _PATH, _QUERY)
def test_plain_keys_on_generated_urls(scheme: str, host: str, path: str, query: str) -> None:
    url = f"{scheme}://{host}{path}{query}"
    match = _PLAIN_URL.fullmatch(url)
    assert match is not None, url  # every generated URL has the plain shape
    fast = _canonical_plain(match)
    assert fast == _canonical_general(url) or (fast is None and "cdn.ampproject.org" in host.lower()), url


@pytest.mark.parametrize("url", [
    "https://example.com:8080/a", "https://user@example.com/a", "https://example.com/a%2fb", "https://example.com./a",
    "https://example.com/a#!/story", "https://example.com/a?b=%41", "https://example.com/a?b+c=1", "https://ex..com/a",
    "https://example.com/a b", "https://example.com\\@evil.com/", "https://bücher.de/a",
])
def test_urls_outside_the_plain_shape_are_left_to_the_general_path(url: str) -> None:
    assert _PLAIN_URL.fullmatch(url) is None
