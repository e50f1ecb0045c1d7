"""Rendered answers kept in this process, all of one data version, bounded in bytes."""

import threading
import time
from collections import OrderedDict


class Bodies:
    """Bodies kept in this process, all of one data version, at most `max_bytes` of them.

    Entries of another version can never be served again, so they are dropped at once.
    """

    def __init__(self, *, max_bytes: int, ttl: int):
        self._max_bytes = max_bytes
        self._ttl = ttl
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._version = None
        self._size = 0
        self._lock = threading.Lock()  # threaded workers share one store

    def get_all(self, version: int, keys: list[str]) -> list[bytes | None]:
        now = time.monotonic()
        with self._lock:
            self._hold(version)
            found = [self._entries.get(key, (0.0, None)) for key in keys]
        return [body if expires > now else None for expires, body in found]

    def put(self, key: str, version: int, body: bytes) -> None:
        with self._lock:
            if version != self._version or len(body) > self._max_bytes:
                return
            replaced = self._entries.pop(key, None)
            self._size -= len(replaced[1]) if replaced else 0
            self._entries[key] = (time.monotonic() + self._ttl, body)
            self._size += len(body)
            while self._size > self._max_bytes:
                self._size -= len(self._entries.popitem(last=False)[1][1])

    def hold(self, version: int) -> None:
        """Keep bodies of `version` from now on: those of any other are dropped."""
        with self._lock:
            self._hold(version)

    def _hold(self, version: int) -> None:
        if version != self._version:
            self._entries.clear()
            self._size, self._version = 0, version
