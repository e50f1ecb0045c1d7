"""Sign-in and sign-up limits: per client address and per account, a 429 in the envelope with
Retry-After, settings from the environment, Redis shared by instances, and proxies trusted."""

import json
import logging
import shutil
import time
import uuid

import flask_limiter
import pytest
import redis
from argon2 import PasswordHasher
from limits.storage import MemoryStorage, RedisStorage

from api.config import from_environ
from api.extensions import limiter
from tests.conftest import TEST_CONFIG, sqlite_url
from tests.databases import require_redis
from tests.servers import SECRETS, production_env, serving

SMALL_LIMITS = {
    "RATE_LIMITS_ENABLED": True,
    "LOGIN_LIMIT": "3/minute",
    "LOGIN_ACCOUNT_LIMIT": "100/minute",
    "REGISTRATION_LIMIT": "2/hour",
}


@pytest.fixture
def make_app(make_app):
    """Apps of the test's own (tests/conftest.py), with small limits unless given a `base`."""
    return lambda base=TEST_CONFIG | SMALL_LIMITS, **settings: make_app(base, **settings)


class Clock:
    """time.time, stopped, moved on by the test: a window passes without waiting for it."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    return clock


def sign_up(client, username: str, address: str = "10.0.0.1", headers=None):
    user = {"username": username, "email": f"{username}@example.com", "password": "password123"}
    return client.post(
        "/api/users", json={"user": user}, headers=headers, environ_base={"REMOTE_ADDR": address}
    )


def sign_in(client, email: str, password: str = "wrong-password", address="10.0.0.1", **kw):
    return client.post(
        "/api/users/login",
        json={"user": {"email": email, "password": password}},
        environ_base={"REMOTE_ADDR": address},
        **kw,
    )


def assert_refused(response, seconds: int) -> None:
    assert response.status_code == 429
    assert response.get_json() == {
        "errors": {"attempts": [f"too many, retry in {seconds} seconds"]}
    }
    assert response.headers["Retry-After"] == str(seconds)


def test_sign_ins_from_one_address_are_limited_whatever_their_outcome(make_app, clock):
    client = make_app().test_client()
    assert sign_up(client, "jake", address="10.0.0.9").status_code == 201

    assert sign_in(client, "jake@example.com", "password123").status_code == 200
    assert sign_in(client, "nobody@example.com").status_code == 401
    assert sign_in(client, "jake@example.com").status_code == 401
    assert_refused(sign_in(client, "jake@example.com", "password123"), 60)

    clock.advance(30)
    assert_refused(sign_in(client, "jake@example.com", "password123"), 30)
    assert sign_in(client, "jake@example.com", "password123", address="10.0.0.2").status_code == 200
    clock.advance(31)
    assert sign_in(client, "jake@example.com", "password123").status_code == 200


def test_a_page_on_another_origin_may_read_retry_after(make_app):
    client = make_app(LOGIN_LIMIT="1/minute").test_client()
    origin = {"Origin": "http://localhost:4200"}
    sign_in(client, "nobody@example.com", headers=origin)

    refused = sign_in(client, "nobody@example.com", headers=origin)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers["Access-Control-Expose-Headers"].split(", ")


def test_sign_ups_from_one_address_are_limited(make_app, clock):
    client = make_app().test_client()

    assert sign_up(client, "jake").status_code == 201
    assert sign_up(client, "jake").status_code == 409  # a refused sign-up counts as well
    assert_refused(sign_up(client, "bob"), 3600)
    assert sign_up(client, "bob", address="10.0.0.2").status_code == 201  # nothing was stored

    clock.advance(3600)
    assert sign_up(client, "alice").status_code == 201


def test_failed_sign_ins_of_one_account_are_limited_from_every_address(make_app, clock):
    client = make_app(LOGIN_LIMIT="100/minute", LOGIN_ACCOUNT_LIMIT="3/hour").test_client()
    sign_up(client, "jake", address="10.0.0.9")
    sign_up(client, "jane", address="10.0.0.9")

    # Signing in with the right password never counts: the account's owner is not locked out.
    for _ in range(5):
        assert sign_in(client, "jake@example.com", "password123").status_code == 200
    # Guesses do, from any address, however the email is written.
    for n, email in enumerate(["jake@example.com", " JAKE@example.com", "Jake@Example.com\t"]):
        assert sign_in(client, email, address=f"10.0.1.{n}").status_code == 401
    assert_refused(sign_in(client, "jake@example.com", "password123", address="10.0.2.1"), 3600)
    assert sign_in(client, "jane@example.com", "password123", address="10.0.1.0").status_code == 200

    clock.advance(3600)
    assert sign_in(client, "jake@example.com", "password123").status_code == 200


def test_a_refused_sign_in_costs_no_password_hash(make_app, monkeypatch):
    client = make_app(LOGIN_LIMIT="2/minute").test_client()
    sign_up(client, "jake", address="10.0.0.9")
    verified = []
    verify = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda *args: verified.append(args[1:]) or verify(*args)
    )

    assert sign_in(client, "jake@example.com").status_code == 401
    assert sign_in(client, "nobody@example.com").status_code == 401  # checked against the decoy
    assert len(verified) == 2
    assert sign_in(client, "jake@example.com", "password123").status_code == 429
    assert sign_in(client, "nobody@example.com").status_code == 429
    assert len(verified) == 2


def test_bodies_that_are_no_sign_in_are_refused_as_ever_under_limits(make_app, caplog):
    client = make_app(LOGIN_LIMIT="100/minute").test_client()
    bodies = {
        "{not json": 422,
        "[" * 100_000: 422,
        json.dumps({"user": {"email": 7}}): 422,
        json.dumps({"user": {"email": "a" * 2**20, "password": "p"}}): 413,
    }
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        for body, status in bodies.items():
            response = client.post("/api/users/login", data=body, content_type="application/json")
            assert response.status_code == status, body[:20]
    assert caplog.text == ""  # nothing taken for a storage failure


def test_a_failing_storage_counts_in_memory_instead_of_failing(make_app, caplog):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", CACHE_ENABLED=False, LOGIN_LIMIT="2/minute")
    client = app.test_client()

    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert sign_up(client, "jake").status_code == 201
        assert sign_in(client, "jake@example.com", "password123").status_code == 200
        assert sign_in(client, "jake@example.com").status_code == 401
        assert_refused(sign_in(client, "jake@example.com", "password123"), 60)
    assert "falling back to in-memory storage" in caplog.text


def test_a_storage_failing_after_counting_gives_the_whole_window_as_retry_after(
    make_app, monkeypatch
):
    app = make_app(LOGIN_LIMIT="1/hour")
    client = app.test_client()
    assert sign_in(client, "nobody@example.com").status_code == 401

    def unreachable(*args):
        raise redis.ConnectionError("gone")

    monkeypatch.setattr(app.extensions[limiter.EXTENSION].limiter, "get_window_stats", unreachable)
    assert_refused(sign_in(client, "nobody@example.com"), 3600)


def test_requests_to_views_without_limits_skip_the_limiter(make_app, monkeypatch):
    checked = []
    check = flask_limiter.Limiter._check_request_limit
    monkeypatch.setattr(
        flask_limiter.Limiter,
        "_check_request_limit",
        lambda *a, **kw: checked.append(a) or check(*a, **kw),
    )
    client = make_app().test_client()

    assert client.get("/api/tags").status_code == 200
    assert checked == []
    assert sign_in(client, "nobody@example.com").status_code == 401
    assert len(checked) == 1


def test_counts_are_kept_in_redis_when_it_is_set_and_in_memory_otherwise(make_app):
    for settings, storage in [({}, MemoryStorage), ({"REDIS_URL": "redis://x"}, RedisStorage)]:
        with make_app(CACHE_ENABLED=False, **settings).test_request_context():
            assert isinstance(limiter.current().storage, storage)
    with make_app(RATE_LIMITS_ENABLED=False).test_request_context():
        assert limiter.current() is None


def test_limits_come_from_the_environment(make_app, monkeypatch):
    environ = {
        "RATE_LIMITS_ENABLED": "0",
        "LOGIN_LIMIT": " 5/minute;50/hour ",
        "LOGIN_ACCOUNT_LIMIT": "20/day",
        "REGISTRATION_LIMIT": "1/hour",
        "PROXY_COUNT": "2",
    }
    assert from_environ(environ) == {
        "RATE_LIMITS_ENABLED": False,
        "LOGIN_LIMIT": "5/minute;50/hour",
        "LOGIN_ACCOUNT_LIMIT": "20/day",
        "REGISTRATION_LIMIT": "1/hour",
        "PROXY_COUNT": 2,
    }

    # What the environment says, the app enforces: TEST_CONFIG's switch left out.
    unset = {name: value for name, value in TEST_CONFIG.items() if name != "RATE_LIMITS_ENABLED"}
    monkeypatch.setenv("LOGIN_LIMIT", "1/minute")
    client = make_app(unset).test_client()
    assert sign_in(client, "nobody@example.com").status_code == 401
    assert sign_in(client, "nobody@example.com").status_code == 429
    monkeypatch.setenv("RATE_LIMITS_ENABLED", "0")
    client = make_app(unset).test_client()
    assert [sign_in(client, "nobody@example.com").status_code for _ in range(3)] == [401] * 3

    monkeypatch.setenv("RATE_LIMITS_ENABLED", "1")
    monkeypatch.setenv("LOGIN_LIMIT", "often")
    with pytest.raises(ValueError):  # refused at start, not at every sign-in
        make_app(unset)


def test_two_instances_share_the_counts_in_redis(migrated_template, tmp_path):
    redis_url = require_redis()
    prefix = f"test-limits-{uuid.uuid4().hex[:12]}"
    shutil.copyfile(migrated_template, tmp_path / "shared.sqlite3")
    env = production_env(
        DATABASE_URL=sqlite_url(tmp_path / "shared.sqlite3"),
        REDIS_URL=redis_url,
        CACHE_PREFIX=prefix,
        RATE_LIMITS_ENABLED="1",
        LOGIN_LIMIT="3/minute",
        **SECRETS,
    )
    attempt = {"user": {"email": "nobody@example.com", "password": "wrong-password"}}
    store = redis.Redis.from_url(redis_url)
    try:
        with serving(2, env, tmp_path) as (a, b):
            # Four workers in all: counted apart, none would see more than two of these.
            statuses = [server.request("POST", "/api/users/login", attempt) for server in (a, b, a)]
            assert [status for status, _, _ in statuses] == [401, 401, 401]
            for server in (b, a):
                status, body, headers = server.request("POST", "/api/users/login", attempt)
                assert status == 429, body
                assert 55 <= int(headers["Retry-After"]) <= 60
        assert store.keys(f"{prefix}:limits:*")  # under the instances' prefix
    finally:
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)
        store.close()


# Proxies: the address limits count under is the one the trusted proxies saw.


@pytest.fixture
def access_lines(capsys):
    """The access lines' client addresses logged so far, restoring the logging state after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("api").handlers[:]
    yield lambda: [
        json.loads(line)["remote_addr"]
        for line in capsys.readouterr().err.splitlines()
        if '"api.access"' in line
    ]
    root.handlers[:], logging.getLogger("api").handlers[:] = saved[0], saved[2]
    root.setLevel(saved[1])


def sign_in_through(client, forwarded_for: str, peer: str = "10.0.0.254"):
    return sign_in(
        client, "nobody@example.com", address=peer, headers={"X-Forwarded-For": forwarded_for}
    )


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(make_app, access_lines):
    client = make_app(LOG_JSON=True, LOGIN_LIMIT="2/minute").test_client()

    statuses = [sign_in_through(client, f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 429]
    assert access_lines() == ["10.0.0.254"] * 3


def test_behind_one_proxy_the_address_it_saw_is_the_clients(make_app, access_lines):
    client = make_app(LOG_JSON=True, LOGIN_LIMIT="2/minute", PROXY_COUNT=1).test_client()

    statuses = [sign_in_through(client, "203.0.113.7").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    assert sign_in_through(client, "203.0.113.8").status_code == 401  # another client, same proxy
    assert access_lines() == ["203.0.113.7"] * 3 + ["203.0.113.8"]


def test_behind_one_proxy_a_client_cannot_choose_its_address(make_app, access_lines):
    client = make_app(LOG_JSON=True, LOGIN_LIMIT="2/minute", PROXY_COUNT=1).test_client()

    # The client forges a chain of its own; the proxy appends the address it really came from.
    chains = [f"198.51.100.{n}, 10.1.1.{n}, 203.0.113.7" for n in range(3)]
    assert [sign_in_through(client, chain).status_code for chain in chains] == [401, 401, 429]
    assert access_lines() == ["203.0.113.7"] * 3
