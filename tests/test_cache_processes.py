"""Across gunicorn's workers and across instances, a write is seen by the very next read.

Each process keeps cached answers; the statement count each response reports
(`X-SQL-Statements`) shows which answers came from a cache (none) and which were rendered.
"""

import time
import uuid
from contextlib import contextmanager

import pytest
import redis

from api.cache_counters import FileCounter
from tests.conftest import migrate
from tests.databases import fresh_postgres_database, require_redis, sqlite_url
from tests.servers import SECRETS, production_env, register, run_together, serving

COUNTED = {"BENCH_SQL_COUNT": "1", **SECRETS}
WORKERS = int(production_env()["WEB_CONCURRENCY"])  # an instance's


@contextmanager
def service(kind: str, instances: int, tmp_path, workers: int = WORKERS, **settings: str):
    """`instances` gunicorn instances of `workers` workers on one database of this kind, every
    worker started; `settings` add to their environment."""
    counted = {**COUNTED, "WEB_CONCURRENCY": str(workers), **settings}
    if kind == "sqlite":
        path = tmp_path / "conduit.sqlite3"
        migrate(sqlite_url(path))
        version = FileCounter(f"{path}-version").read
        env = production_env(DATABASE_URL=sqlite_url(path), **counted)
        before = version()  # migrating started an app, which moved it on
        with serving(instances, env, tmp_path) as running:
            every_worker_started(version, before, workers * instances)
            yield running
        return
    redis_url = require_redis()
    with fresh_postgres_database() as url:
        migrate(url)
        prefix = f"test-{uuid.uuid4().hex[:12]}"
        client = redis.Redis.from_url(redis_url)
        env = production_env(DATABASE_URL=url, REDIS_URL=redis_url, CACHE_PREFIX=prefix, **counted)
        with serving(instances, env, tmp_path) as running:
            every_worker_started(
                lambda: int(client.get(f"{prefix}:version") or 0), 0, workers * instances
            )
            yield running
        client.close()


def every_worker_started(version, before: int, workers: int) -> None:
    """Until each of the `workers` has moved the data version on, as a worker does when it
    starts (api/cache.py). An instance is ready once one of its workers is: a second one
    starting later would empty the first one's cache in the middle of a test that counts
    renders."""
    deadline = time.monotonic() + 30
    while version() < before + workers:
        assert time.monotonic() < deadline, f"version {version()}: a worker did not start"
        time.sleep(0.05)


def read(instance, path: str, token=None) -> tuple[dict, int]:
    status, body, headers = instance.request("GET", path, token=token)
    assert status == 200, body
    return body, int(headers["X-SQL-Statements"])


def bodies_everywhere(instance, slug: str, renders: int) -> tuple[set[str], int]:
    """The bodies rounds of 20 concurrent reads get, spread over the instance's two workers,
    until `renders` of them were rendered rather than taken from a cache (for 20 s at most: a
    busy machine may give one worker whole rounds)."""
    bodies, rendered = set(), 0
    deadline = time.monotonic() + 20
    while rendered < renders and time.monotonic() < deadline:
        reads = run_together([lambda: read(instance, f"/api/articles/{slug}") for _ in range(20)])
        bodies |= {body["article"]["body"] for body, _ in reads}
        rendered += sum(1 for _, statements in reads if statements)
    return bodies, rendered


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_write_through_one_worker_is_read_through_the_other(kind, tmp_path):
    with service(kind, 1, tmp_path) as (server,):
        token = register(server, "jake")
        article = {"article": {"title": "Workers", "description": "d", "body": "before"}}
        slug = server.request("POST", "/api/articles", article, token=token)[1]["article"]["slug"]
        # Rendered, then kept: once by each worker without Redis; with it, by the first worker
        # to ask, or by both when they ask at the same moment.
        renders = {2} if kind == "sqlite" else {1, 2}
        bodies, rendered = bodies_everywhere(server, slug, min(renders))
        assert (bodies, rendered) in [({"before"}, count) for count in renders]

        change = {"article": {"body": "after"}}
        assert server.request("PUT", f"/api/articles/{slug}", change, token=token)[0] == 200

        bodies, rendered = bodies_everywhere(server, slug, min(renders))
        assert (bodies, rendered) in [({"after"}, count) for count in renders]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_write_through_one_instance_is_read_through_the_other(kind, tmp_path):
    # A worker each: the workers of one instance are the test above's.
    with service(kind, 2, tmp_path, workers=1) as (a, b):
        token = register(a, "jake")
        fan = register(b, "jane")
        article = {"article": {"title": "Shared", "description": "d", "body": "b"}}
        slug = a.request("POST", "/api/articles", article, token=token)[1]["article"]["slug"]
        path = f"/api/articles/{slug}"
        for instance in (a, b):
            run_together([lambda i=instance: read(i, path) for _ in range(10)])
            assert read(instance, path)[1] == 0  # kept by this instance

        assert a.request("POST", f"{path}/favorite", token=fan)[0] == 200
        body, statements = read(b, path)
        assert (body["article"]["favoritesCount"], statements > 0) == (1, True)
        assert read(b, path, token=fan)[0]["article"]["favorited"] is True
        assert read(a, "/api/articles")[0]["articles"][0]["favoritesCount"] == 1


def test_a_write_is_answered_once_no_instance_serves_what_it_kept_under_its_lease(tmp_path):
    # A lease long enough to be seen: without the wait, the other instance would still serve
    # what it kept when asked right after the write's answer.
    with service("postgresql", 2, tmp_path, workers=1, CACHE_LEASE_MS="300") as (a, b):
        token = register(a, "jake")
        article = {"article": {"title": "Leased", "description": "d", "body": "before"}}
        slug = a.request("POST", "/api/articles", article, token=token)[1]["article"]["slug"]
        path = f"/api/articles/{slug}"
        read(b, path)
        assert read(b, path)[1] == 0  # kept by b, which trusts its version

        started = time.monotonic()
        assert a.request("PUT", path, {"article": {"body": "after"}}, token=token)[0] == 200
        assert time.monotonic() - started >= 0.3

        body, statements = read(b, path)
        assert (body["article"]["body"], statements > 0) == ("after", True)
