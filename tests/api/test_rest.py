"""REST API against a real server process on loopback."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture(scope="module")
def client(served):
    with httpx.Client(base_url=served["url"], timeout=30) as http:
        yield http


def test_articles_paginated_with_total(client, served) -> None:
    response = client.get("/api/articles", params={"limit": 2})
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "4"
    body = response.json()
    assert len(body) == 2
    assert set(body[0]) >= {"id", "title", "outlet", "published", "language", "source"}


def test_events_and_filters(client) -> None:
    events = client.get("/api/events").json()
    assert [e["id"] for e in events] == ["ev-reopen", "ev-bridge"]
    assert set(events[0]) >= {"id", "title", "date", "articles", "outlets", "languages"}
    march = client.get("/api/events", params={"from": "2024-03-01", "to": "2024-03-31"}).json()
    assert [e["id"] for e in march] == ["ev-bridge"]
    by_outlet = client.get("/api/events", params={"outlet": "coast daily"}).json()
    assert [e["id"] for e in by_outlet] == ["ev-bridge"]
    by_entity = client.get("/api/events", params={"entity": "Vesk"}).json()
    assert {e["id"] for e in by_entity} == {"ev-bridge", "ev-reopen"}


def test_not_found_is_json_with_stable_code(client) -> None:
    for path in ("/api/events/nope", "/api/articles/nope", "/api/entities/nope",
                 "/api/storylines/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_invalid_parameters_are_422_json(client) -> None:
    response = client.get("/api/articles", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_parameters"


def test_entities_and_storylines(client) -> None:
    entities = client.get("/api/entities").json()
    assert entities[0]["id"] == "place:port-alvane"
    mayor = client.get("/api/entities/person:orlanda-vesk").json()
    assert [e["id"] for e in mayor["events"]] == ["ev-bridge", "ev-reopen"]
    [storyline] = client.get("/api/storylines").json()
    assert storyline["events"] == ["ev-bridge", "ev-reopen"]


def test_fulltext_search(client) -> None:
    hits = client.get("/api/search", params={"q": "ferries", "mode": "fulltext"}).json()
    assert [h["title"] for h in hits] == ["Port Alvane shuts its main bridge"]


def test_request_size_limit(client) -> None:
    response = client.post("/api/ingest", content=b"x" * (21 * 1024 * 1024),
                           headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_server_side_paths_disabled_by_default(client) -> None:
    response = client.post("/api/ingest", data={"path": "../../etc/passwd"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ingest_paths_disabled"


def test_security_headers(client) -> None:
    # Asked three times: the later answers come from the response cache, and each must carry
    # every header once (they used to pile up, one more set per replay).
    for _ in range(3):
        response = client.get("/")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers.get_list("x-content-type-options") == ["nosniff"]
        assert len(response.headers.get_list("content-security-policy")) == 1


def test_openapi_and_offline_docs(client) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/events/{event_id}" in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_entity_chips_show_each_name_once() -> None:
    from storyline.web.pages import distinct_names

    names = {"place:kessel": "Kessel Bridge", "organization:kessel": "Kessel Bridge",
             "person:vesk": "Orlanda Vesk"}
    assert distinct_names(["place:kessel", "organization:kessel", "person:vesk"], names) == [
        "place:kessel", "person:vesk"]
    assert distinct_names(list(names), names, limit=1) == ["place:kessel"]
