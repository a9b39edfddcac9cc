"""URL canonicalisation: one row per rule, with the URL patterns the seeds contain."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from graphnews.urls import _fold_path, canonical_url, is_feed_redirect, is_http_url

CNN = "cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # seed 000: web (RSS redirect), AMP host, AMP cache
        ("https://amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html", CNN),
        ("https://amp-cnn-com.cdn.ampproject.org/c/s/amp.cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html", CNN),
        ("http://rss.cnn.com/~r/rss/cnn_allpolitics/~3/tSO9kPadSX0/index.html", "rss.cnn.com/~r/rss/cnn_allpolitics/~3/tSO9kPadSX0/index.html"),
        # seed 000: NYT .amp.html and its AMP-cache form
        ("https://www.nytimes.com/2020/11/07/us/politics/a.amp.html", "nytimes.com/2020/11/07/us/politics/a.html"),
        ("https://www-nytimes-com.cdn.ampproject.org/c/s/www.nytimes.com/2020/11/07/us/politics/a.amp.html",
         "nytimes.com/2020/11/07/us/politics/a.html"),
        # seed 001: /amp/ path segment
        ("https://abcnews.go.com/amp/Politics/wireStory/tight-spot-74196953", "abcnews.go.com/Politics/wireStory/tight-spot-74196953"),
        ("https://abcnews-go-com.cdn.ampproject.org/c/s/abcnews.go.com/amp/Politics/wireStory/tight-spot-74196953",
         "abcnews.go.com/Politics/wireStory/tight-spot-74196953"),
        # seed 001: trailing slash, www
        ("https://www.cbsnews.com/live/video/20201113000632-is-there/", "cbsnews.com/live/video/20201113000632-is-there"),
        # http == https, case of scheme and host, default ports, fragments
        ("HTTP://WWW.Example.COM:80/Story#comments", "example.com/Story"),
        ("https://example.com:443/story", "example.com/story"),
        ("https://example.com:8080/story", "example.com:8080/story"),
        # tracking parameters
        ("https://example.com/s?utm_source=rss&utm_medium=feed&id=3", "example.com/s?id=3"),
        ("https://example.com/s?fbclid=abc&gclid=x&cmpid=y&ocid=z", "example.com/s"),
        # AMP switches in the query
        ("https://www.foxnews.com/politics/story?outputType=amp", "foxnews.com/politics/story"),
        ("https://example.com/story?amp", "example.com/story"),
        ("https://example.com/story?amp=1&page=2", "example.com/story?page=2"),
        # remaining parameters are sorted
        ("https://example.com/s?b=2&a=1", "example.com/s?a=1&b=2"),
        # user info dropped, IDN host in its ASCII form, spaces quoted
        ("https://user:pw@example.com/a", "example.com/a"),
        ("https://bücher.de/a b", "xn--bcher-kva.de/a%20b"),
        ("https://example.com/", "example.com"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "/relative/path", "mailto:a@b.c", "", "https://", None, 42, "ftp://x.com/a"])
def test_not_http_urls_have_no_canonical_form(url: object) -> None:
    assert canonical_url(url) is None
    assert not is_http_url(url)


def test_feed_redirects_are_recognised() -> None:
    assert is_feed_redirect("rss.cnn.com/~r/rss/cnn_allpolitics/~3/x/index.html")
    assert not is_feed_redirect(CNN)


@given(st.text(max_size=80))
def test_canonicalising_twice_equals_once(text: str) -> None:
    for candidate in (text, "https://" + text, "http://www." + text):
        first = canonical_url(candidate)
        if first is not None:
            assert canonical_url("https://" + first) == first



@given(st.lists(st.sampled_from(["", "a", "b.html", "2031", "x-y"]), max_size=6).map("/".join))
def test_fold_path_shortcut_gives_the_split_and_join(path: str) -> None:
    """Without ``amp``, folding only drops empty segments: the shortcut for an already folded
    path and the split-and-join agree on every path, with and without its slashes."""
    for candidate in (path, "/" + path, path + "/", "/" + path + "/"):
        segments = [seg for seg in candidate.split("/") if seg]
        assert _fold_path(candidate) == ("/" + "/".join(segments) if segments else "")
