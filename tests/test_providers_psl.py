"""Provider identity from publicsuffixlist is what it was from tldextract, on every host graphnews has seen.

The reference is the earlier implementation: tldextract's bundled snapshot with the private
section, the whole host when there is no domain or no suffix, the shared parents' sub-domain kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from graphnews import providers, sample_data_path
from graphnews.providers import SHARED_PARENT_DOMAINS, SHARED_PARENT_LABELS, provider_key

tldextract = pytest.importorskip("tldextract")
_reference = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
HOSTS = re.compile(r"(?:https?://|domain:\s*['\"]?)([^/\s'\"<>?#)\]]+)", re.IGNORECASE)
ROOT = Path(__file__).resolve().parent.parent
#: Hosts the suffix rules treat specially: private suffixes, wildcards and their exceptions,
#: shared parents, IDN in both spellings, IP addresses, no suffix at all.
TRICKY = ["a.github.io", "github.io", "x.blogspot.co.uk", "blogspot.com", "news.blogspot.com", "abcnews.go.com",
          "go.com", "a.b.c.s3.amazonaws.com", "www.city.kawasaki.jp", "foo.kawasaki.jp", "a.b.ck", "www.ck",
          "bbc.co.uk", "co.uk", "www.bbc.co.uk", "xn--80ak6aa92e.com", "пример.рф", "www.xn--p1ai", "1.2.3.4",
          "[::1]", "localhost", "outlet1.example", "sub.outlet1.example", "a.internal", "b.local", "c.test",
          "wire.substack.com", "x.medium.com", "amp-cnn-com.cdn.ampproject.org", "edition.cnn.com", "a.netlify.app"]


def reference_key(text: str) -> str | None:
    """:func:`provider_key` as it was with tldextract."""
    text = text.strip().lower()
    canonical = providers.canonical_url(text if "://" in text else f"https://{text}") if text else None
    host = providers._host(canonical) if canonical else ""
    if not host or host.startswith("["):
        return host or None
    parts = _reference(host)
    if not parts.domain or not parts.suffix:
        return host
    registered = f"{parts.domain}.{parts.suffix}"
    if parts.subdomain and (registered in SHARED_PARENT_DOMAINS or parts.domain in SHARED_PARENT_LABELS):
        return f"{parts.subdomain.split('.')[-1]}.{registered}"
    return registered


def hosts_in(folders: Iterable[Path]) -> set[str]:
    found: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and "node_modules" not in path.parts and path.suffix not in (".png", ".whl"):
                found.update(HOSTS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def _differences(hosts: Iterable[str]) -> list[tuple[str, str | None, str | None]]:
    return [(host, provider_key(host), reference_key(host)) for host in sorted(hosts)
            if provider_key(host) != reference_key(host)]


def test_tricky_hosts_keep_their_provider() -> None:
    assert _differences(TRICKY) == []
    assert [provider_key(host) for host in ("a.github.io", "x.blogspot.co.uk", "abcnews.go.com", "outlet1.example")] \
        == ["a.github.io", "x.blogspot.co.uk", "abcnews.go.com", "outlet1.example"]


def test_every_host_of_the_tests_and_the_sample_keeps_its_provider() -> None:
    hosts = hosts_in([ROOT / "tests", Path(sample_data_path())])  # test data and the hosts the tests name
    assert len(hosts) > 100
    assert _differences(hosts) == []


def test_every_host_of_the_seeds_and_the_election_corpus_keeps_its_provider(seeds_dir: Path, election_dir: Path) -> None:
    hosts = hosts_in([seeds_dir, election_dir])
    assert len(hosts) > 50
    assert _differences(hosts) == []
