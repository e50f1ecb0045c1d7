"""Production serving: two gunicorn instances on one PostgreSQL database act as one service."""

import json
import subprocess

import pytest

from api.config import PLACEHOLDER_SECRET
from tests.conftest import migrate
from tests.databases import fresh_postgres_database, sqlite_url
from tests.servers import (
    BIN,
    ROOT,
    SECRETS,
    STARTUP_SECONDS,
    free_port,
    production_env,
    register,
    run_together,
    serving,
)


def test_two_instances_share_one_database(tmp_path):
    with fresh_postgres_database() as url:
        migrate(url)
        # A worker each: what they share is the database, and it is the instances that do.
        env = production_env(DATABASE_URL=url, WEB_CONCURRENCY="1", **SECRETS)
        with serving(2, env, tmp_path) as (a, b):
            exercise_across(a, b)
            # Stopping is part of the test: the logs are complete only once both have exited.
            a.stop()
            b.stop()
        logs = a.stderr() + b.stderr()

    assert a.process.returncode == b.process.returncode == 0
    assert "Traceback" not in logs
    access = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    traced = [line for line in access if line.get("request_id") == "scale-out-trace"]
    assert [(line["method"], line["path"], line["status"]) for line in traced] == [
        ("GET", "/api/user", 200)
    ]


def exercise_across(a, b) -> None:
    # A token issued by one instance works on the other: both sign with the same key.
    user = {"username": "alice", "email": "alice@example.com", "password": "password123"}
    status, body, _ = a.request("POST", "/api/users", {"user": user})
    assert status == 201, body
    alice = body["user"]["token"]
    login = {"user": {"email": user["email"], "password": user["password"]}}
    assert b.request("POST", "/api/users/login", login)[0] == 200
    status, body, headers = b.request(
        "GET", "/api/user", token=alice, headers={"X-Request-ID": "scale-out-trace"}
    )
    assert (status, body["user"]["username"]) == (200, "alice")
    assert headers["X-Request-ID"] == "scale-out-trace"

    # What one writes, the other reads.
    article = {"title": "Scaling out", "description": "d", "body": "b", "tagList": ["ops"]}
    status, body, _ = b.request("POST", "/api/articles", {"article": article}, token=alice)
    assert status == 201, body
    slug = body["article"]["slug"]
    assert a.request("GET", f"/api/articles/{slug}")[1]["article"]["title"] == "Scaling out"

    bob = register(b, "bob")
    assert a.request("POST", "/api/profiles/alice/follow", token=bob)[0] == 200
    assert b.request("GET", "/api/profiles/alice", token=bob)[1]["profile"]["following"] is True
    comment = {"comment": {"body": "Nice"}}
    assert a.request("POST", f"/api/articles/{slug}/comments", comment, token=bob)[0] == 201
    comments = b.request("GET", f"/api/articles/{slug}/comments")[1]["comments"]
    assert [c["body"] for c in comments] == ["Nice"]
    feed = b.request("GET", "/api/articles/feed", token=bob)[1]["articles"]
    assert [item["slug"] for item in feed] == [slug]

    # Favorites stay exact while both instances take them at once.
    instances = (a, b)
    fans = run_together([lambda n=n: register(instances[n % 2], f"fan{n}") for n in range(20)])
    path = f"/api/articles/{slug}/favorite"

    def send(method: str, instance, token: str):
        return lambda: instance.request(method, path, token=token)[0]

    # Every fan favorites through both instances at once: 40 concurrent requests.
    assert set(run_together([send("POST", i, fan) for fan in fans for i in instances])) == {200}
    assert favorites_count(a, slug) == favorites_count(b, slug) == 20
    # Half take it back through both, while the other half favorite again: 30 at once.
    leaving, staying = fans[:10], fans[10:]
    calls = [send("DELETE", i, fan) for fan in leaving for i in instances]
    calls += [send("POST", instances[n % 2], fan) for n, fan in enumerate(staying)]
    assert set(run_together(calls)) == {200}
    assert favorites_count(a, slug) == favorites_count(b, slug) == 10


def favorites_count(instance, slug: str) -> int:
    return instance.request("GET", f"/api/articles/{slug}")[1]["article"]["favoritesCount"]


@pytest.mark.parametrize(
    "command",
    [
        [BIN / "gunicorn", "-c", "gunicorn.conf.py", "api:create_app()"],
        [BIN / "flask", "--app", "api", "db", "upgrade"],
    ],
    ids=["gunicorn", "flask"],
)
@pytest.mark.parametrize("secret", [PLACEHOLDER_SECRET, ""], ids=["placeholder", "missing"])
def test_production_refuses_to_start_without_real_secrets(tmp_path, command, secret):
    env = production_env(
        DATABASE_URL=sqlite_url(tmp_path / "never.sqlite3"),
        SECRET_KEY=secret,
        JWT_SECRET_KEY="j" * 40,
        PORT=str(free_port()),
        WEB_CONCURRENCY="1",  # one worker that fails to boot says it as well as two
    )

    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=STARTUP_SECONDS
    )

    assert result.returncode != 0
    assert "RuntimeError: SECRET_KEY must be set to a random value of 32+ characters" in (
        result.stderr
    )
    assert not (tmp_path / "never.sqlite3").exists()
