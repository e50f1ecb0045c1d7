"""Every response carries a request id; logs are JSON lines that carry it too."""

import io
import json
import logging
import re
from datetime import UTC, datetime

import pytest
from flask import g

import models
from api.config import from_environ
from api.extensions import db
from api.logs import HANDLER_NAME, JsonFormatter, RequestIdFilter
from tests.conftest import ApiClient

GENERATED = re.compile(r"[0-9a-f]{32}")
PREFLIGHT = {
    "Origin": "http://localhost:4200",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "Authorization, Content-Type",
}


@pytest.fixture
def restore_logging():
    """Put back the process-wide logging state that JSON logging changes."""
    root, app_logger = logging.getLogger(), logging.getLogger("api")
    saved = root.handlers[:], root.level, app_logger.handlers[:]
    yield
    root.handlers[:], app_logger.handlers[:] = saved[0], saved[2]
    root.setLevel(saved[1])


@pytest.fixture
def make_app(make_app, restore_logging):
    """Apps of the test's own (tests/conftest.py), whose logging is put back afterwards."""
    return make_app


@pytest.fixture
def log_lines(capsys):
    """The JSON lines written to stderr so far, parsed (every line must be JSON)."""
    return lambda: [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def explode(*_args):
    raise RuntimeError("boom")


# Request ids.


def test_a_sane_request_id_is_echoed(api):
    response = api.get("/api/tags", headers={"X-Request-ID": "lb-1234.abc_DEF-9"})

    assert response.headers["X-Request-ID"] == "lb-1234.abc_DEF-9"


def test_a_request_id_is_generated_when_absent(api):
    first, second = api.get("/api/tags"), api.get("/api/tags")

    assert GENERATED.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "sent", ["", "has space", "x" * 129, "é", "a/b", "<script>", "id\tx"], ids=repr
)
def test_an_unsafe_request_id_is_replaced(api, sent):
    response = api.get("/api/tags", headers={"X-Request-ID": sent})

    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


def test_the_request_id_is_available_as_g_request_id(app):
    with app.test_client() as client:
        response = client.get("/healthz", headers={"X-Request-ID": "abc"})
        assert g.request_id == response.headers["X-Request-ID"] == "abc"


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/api/nowhere", {}, 404),
        ("PATCH", "/api/articles/x", {}, 405),
        ("GET", "/api/user", {}, 401),
        ("POST", "/api/users", {"Content-Type": "application/json"}, 422),
        ("OPTIONS", "/api/articles", PREFLIGHT, 200),
    ],
)
def test_error_responses_and_preflights_carry_the_request_id(api, method, path, headers, status):
    response = api.request(method, path, headers={**headers, "X-Request-ID": "r-1"}, data="{")

    assert response.status_code == status
    assert response.headers["X-Request-ID"] == "r-1"


def test_a_500_carries_the_request_id(make_app, monkeypatch):
    monkeypatch.setattr(models.Tag, "popular", classmethod(explode))
    client = make_app(PROPAGATE_EXCEPTIONS=False).test_client()

    response = client.get("/api/tags", headers={"X-Request-ID": "r-500"})

    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "r-500"


# JSON logs.


def test_each_request_writes_one_json_access_line(make_app, log_lines):
    client = make_app(LOG_JSON=True).test_client()

    client.get("/api/articles?tag=dragons", headers={"X-Request-ID": "trace-42"})

    [line] = log_lines()
    time = datetime.fromisoformat(line.pop("time"))
    assert time.utcoffset() == UTC.utcoffset(None)
    assert abs((datetime.now(UTC) - time).total_seconds()) < 60
    duration = line.pop("duration_ms")
    assert isinstance(duration, float) and duration >= 0
    assert line == {
        "level": "INFO",
        "logger": "api.access",
        "message": "GET /api/articles 200",
        "method": "GET",
        "path": "/api/articles",  # without the query string
        "status": 200,
        "remote_addr": "127.0.0.1",
        "request_id": "trace-42",
    }


def test_passwords_and_tokens_are_never_logged(make_app, log_lines):
    api = ApiClient(make_app(LOG_JSON=True).test_client())
    password = "correct-horse-battery"

    user = api.register("jake", password=password)
    login = {"user": {"email": "jake@example.com", "password": password}}
    api.post("/api/users/login", json=login)
    api.as_user(user).get("/api/user")

    lines = log_lines()
    assert [line["status"] for line in lines] == [201, 200, 200]
    text = json.dumps(lines)
    assert password not in text
    assert user["token"] not in text


def test_passwords_and_hashes_never_leave_the_server(make_app, log_lines, monkeypatch):
    """Not in an answer (successes, refusals, errors), not in its headers, not in a log line."""
    app = make_app(LOG_JSON=True, PROPAGATE_EXCEPTIONS=False)
    api = ApiClient(app.test_client())
    first, second = "first-secret-words", "second-secret-words"

    def login(email, password):
        return api.post("/api/users/login", json={"user": {"email": email, "password": password}})

    def register(name, password):
        user = {"username": name, "email": f"{name}@example.com", "password": password}
        return api.post("/api/users", json={"user": user})

    user = api.register("jake", password=first)
    article = api.create_article(user)
    me = api.as_user(user)
    responses = [
        login("jake@example.com", first),
        login("jake@example.com", second),
        login("nobody@example.com", first),
        register("jake", first),
        register("j2", first * 9),  # too long
        me.get("/api/user"),
        me.put("/api/user", json={"user": {"password": "x"}}),  # too short
        me.put("/api/user", json={"user": {"password": second}}),
        api.get("/api/profiles/jake"),
        api.get(f"/api/articles/{article['slug']}"),
        api.get("/api/articles"),
    ]
    monkeypatch.setattr(models.User, "check_password", explode)
    responses.append(login("jake@example.com", second))  # a crash, with its traceback logged
    with app.app_context():
        hashes = db.session.scalars(db.select(models.User.password_hash)).all()

    statuses = [response.status_code for response in responses]
    assert statuses == [200, 401, 401, 409, 422, 200, 422, 200, 200, 200, 200, 500]
    lines = log_lines()
    assert any("RuntimeError: boom" in line.get("exception", "") for line in lines)
    sent = [response.get_data(as_text=True) + str(response.headers) for response in responses]
    for text in [*sent, json.dumps(lines)]:
        for secret in (first, second, *hashes, "$argon2"):
            assert secret not in text


def test_a_500_is_logged_with_its_request_id_and_traceback(make_app, log_lines, monkeypatch):
    monkeypatch.setattr(models.Tag, "popular", classmethod(explode))
    client = make_app(LOG_JSON=True, PROPAGATE_EXCEPTIONS=False).test_client()

    client.get("/api/tags", headers={"X-Request-ID": "r-500"})

    error, access = log_lines()
    assert error["level"] == "ERROR"
    assert error["logger"] == "api"
    assert error["request_id"] == "r-500"
    assert "RuntimeError: boom" in error["exception"]
    assert (access["status"], access["request_id"]) == (500, "r-500")


def test_healthy_probes_are_not_logged_at_info(make_app, log_lines):
    client = make_app(LOG_JSON=True).test_client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200

    assert log_lines() == []


def test_lines_outside_requests_have_no_request_id_and_keep_their_extras():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    try:
        logger.warning("hello %s", "world", extra={"count": 3, "odd": object}, stack_info=True)
        try:
            raise ValueError("bad")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)

    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert {key: first[key] for key in ("level", "logger", "message", "count")} == {
        "level": "WARNING",
        "logger": "tests.logs",
        "message": "hello world",
        "count": 3,
    }
    assert first["odd"] == str(object)
    assert "request_id" not in first
    assert first["stack"].startswith("Stack (most recent call last):")
    assert second["level"] == "ERROR"
    assert second["exception"].endswith("ValueError: bad")


def test_testing_apps_leave_logging_alone(make_app):
    before = logging.getLogger().handlers[:]

    make_app()

    assert logging.getLogger().handlers == before


def test_a_second_app_replaces_the_json_handler(make_app):
    make_app(LOG_JSON=True)
    make_app(LOG_JSON=True, LOG_LEVEL="WARNING")

    root = logging.getLogger()
    assert [h.name for h in root.handlers].count(HANDLER_NAME) == 1
    assert root.level == logging.WARNING


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LOG_JSON": "1", "LOG_LEVEL": "debug"}, {"LOG_JSON": True, "LOG_LEVEL": "DEBUG"}),
        ({"LOG_JSON": "true"}, {"LOG_JSON": True}),
        ({"LOG_JSON": "0"}, {"LOG_JSON": False}),
        ({"LOG_JSON": "off"}, {"LOG_JSON": False}),
    ],
)
def test_logging_settings_come_from_the_environment(environ, expected):
    assert from_environ(environ) == expected
