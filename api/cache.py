"""A shared cache of rendered answers that is never stale: every write moves the data version.

Each cached body is stored with the data version it was rendered at, and served only while
that is still the current version. Any commit that wrote anything moves the version on, after
the commit, so the very next read through any worker or instance renders afresh. A reader reads
the version before the queries it renders from (each statement sees every commit made before
it, on both databases), so a body is never stored under a version newer than its data.

Bodies are public: the caller's own flags are laid over them by the resource (api/rest.py).
The cache is in Redis when `REDIS_URL` is set; otherwise, on SQLite, each process keeps its
bodies and the version is a counter in a file beside the database. PostgreSQL without Redis has
no shared place for the version, so there the cache is off. With Redis, a process trusts the
version it read for a short lease, and a write's answer waits until every lease has run out
(api/cache_stores.py). Writes made outside the app (by hand, in SQL) are only seen once an
entry's `CACHE_TTL` has passed.
"""

import hashlib
import json
import logging
from contextlib import suppress

from flask import Flask, current_app, has_app_context, has_request_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from api.cache_counters import FileCounter, MemoryCounter
from api.cache_stores import STORE_ERRORS, LocalStore, RedisStore
from api.extensions import db

EXTENSION = "conduit_cache"
WROTE = "cache_wrote"  # in a session's info: this transaction changed something
LONGEST_LEASE_MS = 1000  # every write waits out the lease: longer, and workers time out
log = logging.getLogger(__name__)


class Cache:
    """Fetch, keep and invalidate bodies in a store; a store that fails means a miss, not a 500."""

    def __init__(self, store, namespace: str):
        self._store = store
        self._namespace = namespace
        # A bump that did not reach the store: nothing is served until it does.
        self._unsent_bump = False

    def fetch_all(self, keys: list[str]) -> tuple[int | None, list[bytes | None]]:
        """The current version (None: the store failed, keep nothing) and each key's body."""
        try:
            if self._unsent_bump:
                self.bump()
            return self._store.fetch_all([f"{self._namespace}:{key}" for key in keys])
        except STORE_ERRORS as error:
            log.warning("cache unavailable, answering without it: %s", error)
            return None, [None] * len(keys)

    def put(self, key: str, version: int, body: bytes) -> None:
        try:
            self._store.put(f"{self._namespace}:{key}", version, body)
        except STORE_ERRORS as error:
            log.warning("cache unavailable, answer not kept: %s", error)

    def bump(self) -> None:
        """Move the data version on: every body cached so far is out of date."""
        try:
            self._store.bump()
            self._unsent_bump = False
        except STORE_ERRORS:
            self._unsent_bump = True
            raise
        finally:
            if not has_request_context():  # no answer to hold back until it settles: wait now
                self._store.settle()

    def settle(self) -> None:
        """Wait until no process may still serve what the last bump put out of date."""
        self._store.settle()


def init_cache(app: Flask, spec: dict) -> None:
    """Build the app's cache from its settings (None when off); `spec` names its generation."""
    with app.app_context():
        url = db.engine.url  # a relative SQLite path resolved into the instance folder
    enabled = app.config["CACHE_ENABLED"]
    cache = app.extensions[EXTENSION] = _build(app.config, url, spec) if enabled else None
    if cache is not None:
        app.teardown_request(_settle)
        # A process killed between a commit and its bump left bodies that look current: each
        # starting worker (a restart, or one replacing a killed worker) moves the version on.
        with suppress(*STORE_ERRORS):
            cache.bump()  # else the next fetch sends it


def _settle(_error) -> None:
    # Teardown runs before the answer is written: a write's leaves once its bump has settled.
    if (cache := current_cache()) is not None:
        cache.settle()


def current_cache() -> Cache | None:
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def _build(config, url, spec: dict) -> Cache | None:
    # Bodies rendered by code with another document are not this code's: a new namespace.
    document = json.dumps(spec, sort_keys=True, default=str).encode()
    namespace = hashlib.sha256(document).hexdigest()[:16]
    if config["REDIS_URL"]:
        if not 0 <= config["CACHE_LEASE_MS"] <= LONGEST_LEASE_MS:
            raise RuntimeError(f"CACHE_LEASE_MS must be 0 (no lease) to {LONGEST_LEASE_MS}")
        store = RedisStore(
            config["REDIS_URL"],
            prefix=config["CACHE_PREFIX"],
            ttl=config["CACHE_TTL"],
            lease_ms=config["CACHE_LEASE_MS"],
            max_bytes=config["CACHE_MAX_BYTES"],
        )
        store.announce_lease()
        return Cache(store, namespace)
    if url.get_backend_name() != "sqlite":
        log.info("no REDIS_URL: answers are not cached on %s", url.get_backend_name())
        return None
    path = url.database
    counter = MemoryCounter() if path in (None, "", ":memory:") else FileCounter(f"{path}-version")
    store = LocalStore(counter, max_bytes=config["CACHE_MAX_BYTES"], ttl=config["CACHE_TTL"])
    return Cache(store, namespace)


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_rollback")
def _rolled_back(session) -> None:
    session.info.pop(WROTE, None)


@event.listens_for(Session, "after_commit")
def _committed(session) -> None:
    if session.info.pop(WROTE, False) and (cache := current_cache()) is not None:
        try:
            cache.bump()
        except STORE_ERRORS as error:  # committed all the same; fetches retry the bump first
            log.error("cache version not moved on after a write: %s", error)
