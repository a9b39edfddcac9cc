"""Shared fixtures. Tests that need ../shared or a browser skip on a laptop without them,
but fail in CI (CI=true), where a missing prerequisite means the set-up is broken.

``GRAPHNEWS_SHARED=DIR`` points the ../shared lookup elsewhere: ``GRAPHNEWS_SHARED=/nonexistent
python -m pytest`` runs the suite as on a machine without the real corpus (the tests that need it
skip with a reason, every other test runs on the fictional data of graphnews/data and tests/data).
Every test that takes one of the ../shared fixtures is marked ``shared`` (so ``-m "not shared"``
selects the core suite)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GRAPHNEWS_SHARED") or ROOT.parent / "shared")
SEEDS = SHARED / "seeds"
ELECTION = SHARED / "corpus" / "election"
TRUTH = SHARED / "truth" / "election.json"
DATA = ROOT / "tests" / "data"
#: The fixtures that read ../shared; a test using one (directly or through another fixture) is marked ``shared``.
SHARED_FIXTURES = frozenset({"seeds_dir", "election_dir", "truth_file"})
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip (fail in CI) unless ``condition`` holds."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must not skip: {reason}")
        pytest.skip(reason)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache folder for the test (``$GRAPHNEWS_CACHE_DIR``)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GRAPHNEWS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    require(SEEDS.is_dir(), f"{SEEDS} not found (the shared seeds sit beside the checkout)")
    return SEEDS


@pytest.fixture(scope="session")
def election_dir() -> Path:
    require(ELECTION.is_dir(), f"{ELECTION} not found (the shared corpus sits beside the checkout)")
    return ELECTION


@pytest.fixture(scope="session")
def truth_file() -> Path:
    require(TRUTH.is_file(), f"{TRUTH} not found (the shared truth file sits beside the checkout)")
    return TRUTH


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs ../shared, so ``-m "not shared"`` runs the core suite alone."""
    for item in items:
        if SHARED_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.shared)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by playwright (one for the whole run)."""
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} not found (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api") if not IN_CI else __import__("playwright.sync_api").sync_api
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Loaded:
    """A page opened by ``open_page``, with what it did: console errors, outside requests, dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


#: A graph page is ready once vis-network has laid it out.
GRAPH_READY = "() => window.graphnews && window.graphnews.stable"


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages = []

    def opener(path: Path | str, ready: str | None = GRAPH_READY) -> Loaded:
        """Open a file (or a ``file:`` URI, e.g. with a ``#fragment``) and wait for ``ready``."""
        page = browser.new_page(viewport={"width": 1300, "height": 850})
        pages.append(page)
        loaded = Loaded(page)
        page.on("console", lambda message: message.type == "error" and loaded.errors.append(message.text))
        page.on("pageerror", lambda error: loaded.errors.append(str(error)))
        page.on("dialog", lambda dialog: (loaded.dialogs.append(dialog.message), dialog.dismiss()))

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith("file:"):
                request_route.continue_()
            else:
                loaded.outside.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.goto(path.as_uri() if isinstance(path, Path) else path)
        if ready:
            page.wait_for_function(ready, timeout=30000)
        return loaded

    yield opener
    for page in pages:
        page.close()
