"""The seed articles served: two events in the API and on the pages, the Assad timeline page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from storyline.cli.serve import free_port, start_server, stop_process
from tests.conftest import shared_data_path


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seeds = shared_data_path("seeds")
    db = tmp_path_factory.mktemp("seeds-served") / "seeds.db"
    subprocess.run([sys.executable, "-m", "storyline.cli", "--db", str(db), "ingest", str(seeds)],
                   check=True, capture_output=True, timeout=600)
    port = free_port()
    process = start_server(str(db), port)
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


def test_two_events_listed_and_every_page_served(seeds_server: str) -> None:
    with httpx.Client(base_url=seeds_server, timeout=60) as client:
        events = client.get("/api/events").json()
        assert sorted(e["date"] for e in events) == ["2013-11-14", "2018-05-17"]
        home = client.get("/").text
        for event in events:
            assert f'/events/{event["id"]}' in home
            page = client.get(f"/events/{event['id']}")
            assert page.status_code == 200 and "Sources side by side" in page.text
            brief = client.get(f"/api/events/{event['id']}").json()
            assert 1 <= len(brief["summary"]) <= 5
        timeline = client.get("/timeline", params={"q": "Assad"})
        assert timeline.status_code == 200
        for day in ("2013-11-14", "2017-11-20", "2017-12-11", "2018-05-17"):
            assert f'datetime="{day}"' in timeline.text
        assert client.get("/openapi.json").json()["info"]["title"] == "storyline"
