"""Shared fixtures. Tests that need ../shared or a browser skip on a laptop without them,
but fail in CI (CI=true), where a missing prerequisite means the set-up is broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
ELECTION = SHARED / "corpus" / "election"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip (fail in CI) unless ``condition`` holds."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must not skip: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    require(SEEDS.is_dir(), f"{SEEDS} not found (the shared seeds sit beside the checkout)")
    return SEEDS


@pytest.fixture(scope="session")
def election_dir() -> Path:
    require(ELECTION.is_dir(), f"{ELECTION} not found (the shared corpus sits beside the checkout)")
    return ELECTION


def seed_file(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``000``, ``001``, ``002``)."""
    require(SEEDS.is_dir(), f"{SEEDS} not found")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


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
