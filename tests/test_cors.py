"""CORS on /api/*: preflights, simple and error responses, and an origin allowlist."""

import shutil

import pytest

from api import create_app
from api.extensions import db
from tests.conftest import TEST_CONFIG, ApiClient, sqlite_url

FRONTEND = "http://localhost:4200"
ALLOWED = "http://allowed.test"
FOREIGN = "http://evil.test"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "Authorization, Content-Type",
}


def header_set(response, name: str) -> set[str]:
    """A comma-separated header's values, lower-cased."""
    return {value.strip().lower() for value in response.headers.get(name, "").split(",") if value}


def preflight(client, origin: str, path: str = "/api/articles"):
    return client.request("OPTIONS", path, headers={"Origin": origin, **PREFLIGHT})


@pytest.fixture
def allowlist_api(migrated_template, tmp_path):
    """A client of an app that accepts cross-origin requests from one origin only."""
    path = tmp_path / "allowlist.sqlite3"
    shutil.copyfile(migrated_template, path)
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url(path), "CORS_ORIGINS": [ALLOWED]}
    )
    yield ApiClient(app.test_client())
    with app.app_context():
        db.engine.dispose()


def test_preflight_allows_the_frontend(api):
    response = preflight(api, FRONTEND)

    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", FRONTEND)
    assert {"authorization", "content-type"} <= header_set(response, "Access-Control-Allow-Headers")
    assert "post" in header_set(response, "Access-Control-Allow-Methods")


def test_preflight_of_an_item_route_allows_put_and_delete(api):
    for method in ("PUT", "DELETE"):
        response = api.request(
            "OPTIONS",
            "/api/articles/some-slug",
            headers={**PREFLIGHT, "Origin": FRONTEND, "Access-Control-Request-Method": method},
        )

        assert response.status_code == 200
        assert method.lower() in header_set(response, "Access-Control-Allow-Methods")


def test_simple_get_carries_allow_origin(api):
    response = api.get("/api/tags", headers={"Origin": FRONTEND})

    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", FRONTEND)


def test_response_without_origin_needs_no_cors_headers(api):
    response = api.get("/api/tags")

    assert response.status_code == 200
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    ("status", "method", "path", "json"),
    [
        (401, "GET", "/api/user", None),
        (404, "GET", "/api/articles/no-such-article", None),
        (404, "GET", "/api/nowhere", None),
        (422, "POST", "/api/users", {"user": {}}),
    ],
)
def test_error_responses_carry_allow_origin(api, status, method, path, json):
    response = api.request(method, path, json=json, headers={"Origin": FRONTEND})

    assert response.status_code == status
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", FRONTEND)


def test_allowlisted_origin_is_echoed_and_varies_by_origin(allowlist_api):
    response = allowlist_api.get("/api/tags", headers={"Origin": ALLOWED})

    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED
    assert "origin" in header_set(response, "Vary")


def test_allowlisted_origin_passes_preflight(allowlist_api):
    response = preflight(allowlist_api, ALLOWED)

    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED
    assert "post" in header_set(response, "Access-Control-Allow-Methods")


def test_foreign_origin_gets_no_allow_origin_from_an_allowlist(allowlist_api):
    simple = allowlist_api.get("/api/tags", headers={"Origin": FOREIGN})
    error = allowlist_api.get("/api/user", headers={"Origin": FOREIGN})
    flight = preflight(allowlist_api, FOREIGN)

    for response in (simple, error, flight):
        assert "Access-Control-Allow-Origin" not in response.headers
    assert simple.status_code == 200


@pytest.mark.parametrize("origin", [FOREIGN, "null", FRONTEND])
def test_credentials_are_never_allowed_for_a_reflected_origin(api, allowlist_api, origin):
    for client in (api, allowlist_api):
        responses = [
            client.get("/api/tags", headers={"Origin": origin}),
            client.get("/api/user", headers={"Origin": origin}),
            preflight(client, origin),
        ]
        for response in responses:
            reflected = response.headers.get("Access-Control-Allow-Origin") == origin
            credentials = response.headers.get("Access-Control-Allow-Credentials", "").lower()
            assert not (reflected and credentials == "true")


def test_browsers_may_send_and_read_the_request_id(api):
    allowed = api.request(
        "OPTIONS",
        "/api/articles",
        headers={
            "Origin": FRONTEND,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "X-Request-ID",
        },
    )
    assert "x-request-id" in header_set(allowed, "Access-Control-Allow-Headers")
    response = api.get("/api/tags", headers={"Origin": FRONTEND, "X-Request-ID": "trace-1"})
    assert response.headers["X-Request-ID"] == "trace-1"
    assert "x-request-id" in header_set(response, "Access-Control-Expose-Headers")
