"""The data version without Redis: a counter in this process, or in a file every process maps."""

import fcntl
import mmap
import os

VERSION_BYTES = 8


class MemoryCounter:
    """The data version of a database only this process can see (SQLite in memory)."""

    def __init__(self):
        self.value = 0

    def read(self) -> int:
        return self.value

    def bump(self) -> None:
        self.value += 1


class FileCounter:
    """The data version in a small file beside the SQLite database, mapped into every process.

    Each process that opens the database file maps the same page, so a bump by one worker or
    instance is read by all others at once, with no round trip; bumps take a file lock.
    """

    def __init__(self, path: str):
        self._path = path
        self._fd = self._map = None  # opened on first use: the app starts without its database

    def _open(self) -> mmap.mmap:
        if self._map is None:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(fd).st_size < VERSION_BYTES:
                os.pwrite(fd, bytes(VERSION_BYTES), 0)
            self._fd, self._map = fd, mmap.mmap(fd, VERSION_BYTES)
        return self._map

    def read(self) -> int:
        return int.from_bytes(self._open()[:VERSION_BYTES], "little")

    def bump(self) -> None:
        self._open()
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            self._map[:VERSION_BYTES] = (self.read() + 1).to_bytes(VERSION_BYTES, "little")
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
