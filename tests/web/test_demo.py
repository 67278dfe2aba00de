"""The demo corpus, ingested by the real CLI, browsed in headless Chromium."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from storyline.server_process import free_port, start_server, stop_process
from tests.conftest import DEMO_CORPUS
from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "--db", str(db), "ingest", str(DEMO_CORPUS)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    port = free_port()
    process = start_server(str(db), port)
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


def test_home_event_source_timeline_on_the_demo(page, demo_server) -> None:
    page.goto(demo_server + "/")
    cards = page.locator(".event-card")
    assert cards.count() >= 6
    screenshot(page, "demo-home")

    bridge = page.locator(".event-card h2 a", has_text="Varnholm").last
    bridge.click()
    page.wait_for_url("**/events/**")
    summary = page.locator("ol.summary > li")
    assert 3 <= summary.count() <= 5
    assert page.locator("ol.summary .cite").count() == summary.count()
    assert page.locator(".sources .source").count() >= 3
    screenshot(page, "demo-event")

    page.locator(".sources .source h3 a").first.click()
    page.wait_for_url("**/articles/**")
    assert len(page.locator("main p").all()) >= 3
    screenshot(page, "demo-source")

    page.fill("#tq", "Varnholm")
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline?q=Varnholm")
    entries = page.locator("ol.timeline > li")
    assert entries.count() >= 2
    assert page.locator("svg.chart rect").count() == entries.count()
    assert page.locator("ol.timeline .cite").count() >= entries.count()
    screenshot(page, "demo-timeline")
    assert page.console_errors == []


def test_claims_read_in_the_language_the_reader_picks(page, demo_server) -> None:
    page.goto(demo_server + "/?sort=outlets")
    page.locator(".event-card h2 a", has_text="Varnholm").first.click()
    page.wait_for_url("**/events/**")
    claims = page.locator("#corroborated > li")
    default = claims.evaluate_all("els => els.map(e => e.getAttribute('lang'))")
    assert "en" in default
    chooser = page.locator("#reading-language")
    assert set(chooser.locator("a").all_inner_texts()) >= {"en", "fr", "es"}
    chooser.locator("a", has_text="fr").click()
    page.wait_for_url("**?lang=fr")
    assert chooser.locator("strong").inner_text() == "fr"
    shown = claims.evaluate_all("els => els.map(e => e.getAttribute('lang'))")
    # Every claim with a French version now reads in French; the others keep their language.
    assert shown.count("fr") > default.count("fr")
    first_french = claims.locator("xpath=self::*[@lang='fr']").first
    versions = first_french.locator("details.versions li").evaluate_all(
        "els => els.map(e => e.getAttribute('lang'))")
    assert "en" in versions or "es" in versions or "de" in versions
