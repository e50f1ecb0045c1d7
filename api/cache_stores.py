"""Where cached answers and the data version live: Redis, or this process beside a shared counter.

A store answers `fetch_all(keys)` with the current data version and the body cached under each
key at that version (None where there is none, or only an older one), in one round trip at most.
"""

import logging
import os
import threading
import time
from contextlib import suppress

import redis

from api.cache_bodies import Bodies

# What a store raises when it cannot be reached: the request goes on without the cache.
STORE_ERRORS = (redis.RedisError, OSError)
log = logging.getLogger(__name__)


class LocalStore:
    """Bodies in this process (`Bodies`); the version from a shared counter."""

    def __init__(self, counter, *, max_bytes: int, ttl: int):
        self._counter = counter
        self._bodies = Bodies(max_bytes=max_bytes, ttl=ttl)

    def fetch_all(self, keys: list[str]) -> tuple[int, list[bytes | None]]:
        version = self._counter.read()
        return version, self._bodies.get_all(version, keys)

    def put(self, key: str, version: int, body: bytes) -> None:
        self._bodies.put(key, version, body)

    def bump(self) -> None:
        self._counter.bump()

    def settle(self) -> None:
        """Nothing to wait for: every process reads the counter itself."""


class RedisStore:
    """Bodies and the version in Redis, shared by every worker of every instance.

    Each entry carries the version it was rendered at, so that one MGET of the version and the
    entry tells whether it is current. With a lease of `lease_ms`, a process takes the version
    an MGET gave as current until `lease_ms` after it sent that MGET, and meanwhile serves the
    bodies it keeps of that version (`Bodies`) without asking Redis; after a bump, `settle`
    returns `lease_ms` after Redis moved the version on, when every lease taken before has run
    out. A write's answer leaves only once it has settled, when no process trusts an older
    version: the very next read, wherever it lands, asks Redis. Reads pay a round trip a lease
    instead of one each; writes pay what is left of the lease once they are rendered. Commands
    go over one connection a thread, straight to redis-py's connection: the client's
    per-command machinery would cost more than the read.
    """

    def __init__(self, url: str, *, prefix: str, ttl: int, lease_ms: int = 0, max_bytes: int = 0):
        self._pool = redis.ConnectionPool.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._version_key = f"{prefix}:version"
        self._prefix = prefix
        self._ttl = ttl
        self._lease_ms = lease_ms
        self._lease = lease_ms / 1000
        # A bump settles after the lease, with a margin for other hosts' clocks running faster.
        self._settle_after = self._lease * 1.01 + 0.0005 if lease_ms else 0.0
        self._bodies = Bodies(max_bytes=max_bytes, ttl=ttl)
        self._leased = (0.0, 0)  # (until, on the monotonic clock; the version it holds)
        self._local = threading.local()

    def announce_lease(self) -> None:
        """Say this process's lease where every process sharing the prefix sees it, and warn if
        another's differs: a write waits out its own lease, so a process that trusts a version
        longer could serve what the write changed for the difference."""
        with suppress(*STORE_ERRORS):
            said = self._command("SET", f"{self._prefix}:lease-ms", self._lease_ms, "GET")
            if said is not None and int(said) != self._lease_ms:
                log.warning(
                    "CACHE_LEASE_MS is %d here but was %d in another process on this CACHE_PREFIX: "
                    "give every instance the same",
                    self._lease_ms,
                    int(said),
                )

    def _command(self, *args):
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.pid != os.getpid():
            connection = self._local.connection = self._pool.make_connection()
        try:
            connection.send_command(*args)
            return connection.read_response()
        except (redis.ConnectionError, redis.TimeoutError):
            connection.disconnect()  # the next command connects afresh
            raise

    def fetch_all(self, keys: list[str]) -> tuple[int, list[bytes | None]]:
        until, version = self._leased
        sent = time.monotonic()
        if sent < until and None not in (bodies := self._bodies.get_all(version, keys)):
            return version, bodies
        version, *entries = self._command(
            "MGET", self._version_key, *(f"{self._prefix}:{key}" for key in keys)
        )
        version = int(version or 0)
        bodies = [self._current(entry, version) for entry in entries]
        if self._lease:
            self._leased = (sent + self._lease, version)
            self._bodies.hold(version)
            for key, body in zip(keys, bodies, strict=True):
                if body is not None:
                    self._bodies.put(key, version, body)
        return version, bodies

    @staticmethod
    def _current(entry: bytes | None, version: int) -> bytes | None:
        if entry is None:
            return None
        entry_version, _, body = entry.partition(b"\n")
        return body if int(entry_version) == version else None

    def put(self, key: str, version: int, body: bytes) -> None:
        entry = b"%d\n%s" % (version, body)
        self._command("SET", f"{self._prefix}:{key}", entry, "EX", self._ttl)
        if self._lease:
            self._bodies.put(key, version, body)

    def bump(self) -> None:
        """Move the version on; `settle` then waits for the leases taken before to run out."""
        self._leased = (0.0, 0)  # this process's own next read asks Redis
        try:
            self._command("INCR", self._version_key)
        finally:  # sent or not, a lease taken before may still trust the version it moves on
            self._local.settles_at = time.monotonic() + self._settle_after

    def settle(self) -> None:
        """Return once every lease taken before this thread's last bump has run out."""
        wait = getattr(self._local, "settles_at", 0.0) - time.monotonic()
        self._local.settles_at = 0.0
        if wait > 0:
            time.sleep(wait)
