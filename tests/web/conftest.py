"""Headless Debian Chromium driven by Playwright (no browser download: the system binary)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.cli.serve import free_port, start_server, stop_process
from tests.api.conftest import served  # noqa: F401 - shared server fixture
from tests.web.newsroom import build_newsroom

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


# Per module, not per session: Playwright's sync API keeps an asyncio loop running while it is
# open, and tests in other modules that call asyncio.run() (the load test) must not meet it.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A real server over the fictional newsroom store (tests/web/newsroom.py)."""
    db = tmp_path_factory.mktemp("newsroom") / "newsroom.db"
    counts = build_newsroom(db)
    port = free_port()
    process = start_server(str(db), port)
    yield {"url": f"http://127.0.0.1:{port}", "db": db, **counts}
    stop_process(process)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
