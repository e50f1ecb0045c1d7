"""The cache's stores: bounded, shared through a file or Redis, and harmless when they fail."""

import logging
import shutil
import time
import uuid

import pytest
import redis

from api import create_app
from api.cache import Cache
from api.cache_counters import FileCounter, MemoryCounter
from api.cache_stores import STORE_ERRORS, LocalStore, RedisStore
from tests.conftest import TEST_CONFIG, ApiClient
from tests.databases import require_redis


def fetch(store, key: str):
    """One key's (version, body), as a read of one URL asks the store."""
    version, (body,) = store.fetch_all([key])
    return version, body


def test_a_local_store_keeps_at_most_its_budget_dropping_the_oldest():
    store = LocalStore(MemoryCounter(), max_bytes=10, ttl=60)
    version, _ = fetch(store, "a")
    for key in "abc":
        store.put(key, version, b"1234")

    assert [fetch(store, key)[1] for key in "abc"] == [None, b"1234", b"1234"]


def test_a_body_rendered_before_a_write_is_never_kept_after_it():
    store = LocalStore(MemoryCounter(), max_bytes=1000, ttl=60)
    version, _ = fetch(store, "a")  # read before rendering
    store.bump()  # a write commits while the body is rendered
    store.put("a", version, b"old")

    assert fetch(store, "a") == (version + 1, None)


def test_entries_expire(monkeypatch):
    store = LocalStore(MemoryCounter(), max_bytes=1000, ttl=60)
    version, _ = fetch(store, "a")
    store.put("a", version, b"body")
    clock = time.monotonic() + 61
    monkeypatch.setattr("api.cache_bodies.time.monotonic", lambda: clock)

    assert fetch(store, "a") == (version, None)


def test_a_file_counter_is_shared_by_everyone_who_maps_it(tmp_path):
    one, other = FileCounter(str(tmp_path / "v")), FileCounter(str(tmp_path / "v"))
    one.bump()
    one.bump()

    assert other.read() == 2
    other.bump()
    assert one.read() == 3


class FailingCounter(MemoryCounter):
    def __init__(self):
        super().__init__()
        self.failing = True

    def bump(self):
        if self.failing:
            raise OSError("disk gone")
        super().bump()


def test_after_a_lost_bump_nothing_is_served_until_it_goes_through():
    counter = FailingCounter()
    cache = Cache(LocalStore(counter, max_bytes=1000, ttl=60), "ns")
    version, _ = fetch(cache, "a")
    cache.put("a", version, b"before the write")
    with pytest.raises(OSError):
        cache.bump()

    assert fetch(cache, "a") == (None, None)  # still failing: answer without the cache
    counter.failing = False
    assert fetch(cache, "a") == (version + 1, None)  # the bump went through first


def redis_store(prefix: str, url: str | None = None, **options) -> RedisStore:
    return RedisStore(url or require_redis(), prefix=prefix, ttl=60, **options)


def drop_from_redis(prefix: str, key: str) -> None:
    with redis.Redis.from_url(require_redis()) as client:
        assert client.delete(f"{prefix}:{key}") == 1


@pytest.fixture
def prefix() -> str:
    return f"test-stores-{uuid.uuid4().hex}"


def test_redis_entries_carry_their_version(prefix):
    store = redis_store(prefix)
    version, _ = fetch(store, "a")
    store.put("a", version, b"body\nwith a newline")

    assert fetch(store, "a") == (version, b"body\nwith a newline")
    store.bump()
    assert fetch(store, "a") == (version + 1, None)


def test_without_a_lease_every_read_asks_redis(prefix):
    store = redis_store(prefix)
    version, _ = fetch(store, "a")
    store.put("a", version, b"body")
    drop_from_redis(prefix, "a")  # kept nowhere else

    assert fetch(store, "a") == (version, None)


def test_within_its_lease_a_process_serves_what_it_keeps_without_asking_redis(prefix, monkeypatch):
    store = redis_store(prefix, lease_ms=60_000, max_bytes=1000)
    version, _ = fetch(store, "a")
    store.put("a", version, b"body")
    drop_from_redis(prefix, "a")

    assert fetch(store, "a") == (version, b"body")  # from this process
    later = time.monotonic() + 61
    monkeypatch.setattr("api.cache_stores.time.monotonic", lambda: later)
    assert fetch(store, "a") == (version, None)  # the lease ran out: Redis was asked


def test_a_write_elsewhere_answers_once_every_lease_taken_before_has_run_out(prefix):
    reader = redis_store(prefix, lease_ms=300, max_bytes=1000)
    writer = redis_store(prefix, lease_ms=300)  # another process or instance
    version, _ = fetch(reader, "a")
    reader.put("a", version, b"before the write")
    assert fetch(reader, "a") == (version, b"before the write")  # leased: kept here

    started = time.monotonic()
    writer.bump()
    writer.settle()  # what a write's answer waits for

    assert time.monotonic() - started >= 0.3
    assert fetch(reader, "a") == (version + 1, None)  # the very next read is current


def test_outside_a_request_a_bump_waits_out_the_leases_itself(prefix):
    cache = Cache(redis_store(prefix, lease_ms=200), "ns")  # as `flask seed` writes
    started = time.monotonic()
    cache.bump()

    assert time.monotonic() - started >= 0.2


def test_in_a_request_a_bump_leaves_the_wait_to_the_answer(prefix):
    cache = Cache(redis_store(prefix, lease_ms=200), "ns")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        started = time.monotonic()
        cache.bump()
        bumped = time.monotonic() - started
        cache.settle()  # the request's teardown

    assert bumped < 0.2 <= time.monotonic() - started


def test_an_app_says_its_lease_when_it_starts(prefix, caplog):
    shared = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "REDIS_URL": require_redis()}
    with caplog.at_level(logging.WARNING, logger="api.cache_stores"):
        for lease_ms in (2, 3):
            create_app(
                {**TEST_CONFIG, **shared, "CACHE_PREFIX": prefix, "CACHE_LEASE_MS": lease_ms}
            )

    assert "CACHE_LEASE_MS is 3 here but was 2" in caplog.text


def test_a_write_is_answered_once_no_other_instance_serves_what_it_kept(
    tmp_path, migrated_template, prefix
):
    path = tmp_path / "conduit.sqlite3"
    shutil.copyfile(migrated_template, path)
    shared = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "REDIS_URL": require_redis()}
    config = {**TEST_CONFIG, **shared, "CACHE_PREFIX": prefix, "CACHE_LEASE_MS": 300}
    writer, reader = (ApiClient(create_app(config).test_client()) for _ in range(2))
    jake = writer.register("jake")
    assert reader.get("/api/articles").get_json()["articles"] == []  # kept, and leased

    started = time.monotonic()
    writer.create_article(jake, "Dragons")

    assert time.monotonic() - started >= 0.3
    listed = reader.get("/api/articles").get_json()["articles"]
    assert [article["slug"] for article in listed] == ["dragons"]


def test_a_process_that_writes_asks_redis_at_its_next_read(prefix):
    store = redis_store(prefix, lease_ms=60_000, max_bytes=1000)
    version, _ = fetch(store, "a")
    store.put("a", version, b"before the write")
    store.bump()

    assert fetch(store, "a") == (version + 1, None)


def test_a_bump_settles_after_what_is_left_of_the_lease(prefix, monkeypatch):
    store = redis_store(prefix, lease_ms=200)
    clock, slept = [1000.0], []
    monkeypatch.setattr("api.cache_stores.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("api.cache_stores.time.sleep", slept.append)
    store.bump()
    clock[0] += 0.15  # the write renders its answer meanwhile
    store.settle()
    store.settle()  # settled: nothing more to wait for

    assert slept == [pytest.approx(0.2 * 1.01 + 0.0005 - 0.15)]


def test_a_bump_that_cannot_reach_redis_still_waits_out_the_leases(prefix):
    store = redis_store(prefix, "redis://127.0.0.1:9/0", lease_ms=200)
    started = time.monotonic()
    with pytest.raises(STORE_ERRORS):
        store.bump()
    store.settle()

    assert time.monotonic() - started >= 0.2


def test_processes_that_disagree_on_their_lease_are_told(prefix, caplog):
    with caplog.at_level(logging.WARNING, logger="api.cache_stores"):
        redis_store(prefix, lease_ms=2).announce_lease()
        redis_store(prefix, lease_ms=2).announce_lease()  # another worker, alike
        assert caplog.records == []
        redis_store(prefix, lease_ms=5).announce_lease()
        redis_store(prefix, "redis://127.0.0.1:9/0", lease_ms=5).announce_lease()  # unreachable

    assert [record.getMessage() for record in caplog.records] == [
        "CACHE_LEASE_MS is 5 here but was 2 in another process on this CACHE_PREFIX: "
        "give every instance the same"
    ]


@pytest.mark.parametrize("lease_ms", [-1, 1001])
def test_a_lease_out_of_bounds_refuses_to_start(lease_ms):
    config = {**TEST_CONFIG, "REDIS_URL": "redis://127.0.0.1:9/0", "CACHE_LEASE_MS": lease_ms}
    with pytest.raises(RuntimeError, match="CACHE_LEASE_MS"):
        create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_without_redis_the_api_answers_from_the_database(tmp_path, migrated_template, caplog):
    path = tmp_path / "conduit.sqlite3"
    shutil.copyfile(migrated_template, path)
    dead = {"REDIS_URL": "redis://127.0.0.1:9/0", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    api = ApiClient(create_app({**TEST_CONFIG, **dead}).test_client())
    jake = api.register("jake")
    with caplog.at_level(logging.WARNING, logger="api.cache"):
        api.create_article(jake, "Dragons")
        listed = api.get("/api/articles")

    assert listed.status_code == 200
    assert [a["slug"] for a in listed.get_json()["articles"]] == ["dragons"]
    assert "cache unavailable" in caplog.text
