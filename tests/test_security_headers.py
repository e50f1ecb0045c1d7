"""Safe defaults on every response, and a Content-Security-Policy the docs pages work under."""

import pytest

import models
from api import create_app
from api.headers import API_POLICY, DOCS_POLICY
from tests.conftest import TEST_CONFIG

SAFE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/tags", 200),
        ("GET", "/api/user", 401),
        ("GET", "/api/nowhere", 404),
        ("DELETE", "/api/tags", 405),
        ("POST", "/api/users", 422),
        ("GET", "/openapi.json", 200),
        ("GET", "/healthz", 200),
    ],
)
def test_every_answer_carries_the_safe_defaults_and_the_api_policy(api, method, path, status):
    response = api.request(method, path, json={} if method == "POST" else None)

    assert response.status_code == status
    assert {name: response.headers.get(name) for name in SAFE} == SAFE
    assert response.headers["Content-Security-Policy"] == API_POLICY
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/rapidoc"])
def test_the_docs_pages_get_the_policy_they_work_under(api, path):
    response = api.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == DOCS_POLICY
    assert "'unsafe-eval'" not in DOCS_POLICY and "*" not in DOCS_POLICY


def test_hsts_is_sent_once_configured(sqlite_app):
    url = sqlite_app.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "HSTS_SECONDS": 31536000})

    response = app.test_client().get("/api/tags")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_500_carries_them_too(sqlite_app, monkeypatch):
    url = sqlite_app.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "PROPAGATE_EXCEPTIONS": False})

    def explode(cls):
        raise RuntimeError("boom")

    monkeypatch.setattr(models.Tag, "popular", classmethod(explode))

    response = app.test_client().get("/api/tags?for-a-500")

    assert response.status_code == 500
    assert {name: response.headers.get(name) for name in SAFE} == SAFE
    assert response.headers["Content-Security-Policy"] == API_POLICY
