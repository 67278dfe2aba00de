"""An event the event update merged into another: its old address leads to the event holding
its founding report (307), whatever the page; an id that never was an event is a clean 404."""

from __future__ import annotations

from pathlib import Path

import httpx

from storyline.cli.serve import free_port, start_server, stop_process
from storyline.model import Event, EventMember, founder_event_id
from storyline.store import Store
from tests.api.conftest import build_store


def test_a_merged_events_address_redirects_to_the_event_now_holding_its_founder(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.db"
    ids = build_store(db)
    bridge, reopening = ids["bridge"], ids["reopening"]
    merged = founder_event_id(reopening[0])
    with Store(db) as store:  # the event update merged the bridge's event into another one
        store.save_events([Event(id=merged, title="Tamsin bridge",
                                 members=[EventMember(a) for a in [*reopening, *bridge]])],
                          removed=["ev-bridge", "ev-reopen"])
    gone = founder_event_id(bridge[0])
    port = free_port()
    server = start_server(str(db), port)
    try:
        url = f"http://127.0.0.1:{port}"
        for path, moved in [
            (f"/api/events/{gone}", f"/api/events/{merged}"),
            (f"/events/{gone}?lang=en", f"/events/{merged}?lang=en"),
            (f"/download/events/{gone}?format=json", f"/download/events/{merged}?format=json"),
        ]:
            response = httpx.get(url + path, timeout=60)
            assert response.status_code == 307, path
            assert response.headers["location"] == moved
            assert response.headers["x-content-type-options"] == "nosniff"
            assert httpx.get(url + path, timeout=60, follow_redirects=True).status_code == 200
        assert httpx.get(f"{url}/api/events/{gone}", timeout=60,
                         follow_redirects=True).json()["id"] == merged
        for never in ("ev-bridge", founder_event_id("0123456789abcdef"), "ev-", "ev-+"):
            missing = httpx.get(f"{url}/api/events/{never}", timeout=60)
            assert missing.status_code == 404, never
            assert missing.json()["error"]["code"] == "not_found"
    finally:
        stop_process(server)
