"""The lock a write holds: an operating-system lock on a small file beside what it guards.

On POSIX it is ``flock`` on the file; on Windows, ``msvcrt.locking`` on its first byte.
Either way the system lets go when the holder ends, however it ends (a crash, a kill, a
closed window), so no stale lock is ever left to clear by hand. The lock file is opened as
every file of ours is (``fileio.open_regular``): never through a link, never a FIFO.

This is the part of the ``filelock`` library we used, without its start-up cost: it loads
``logging``, ``inspect``, ``typing`` and ``secrets``, about 15 ms, a tenth of a piped save."""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path
from types import TracebackType

from reflectkit import fileio

POLL = 0.02  # seconds between tries while another process holds the lock
BUSY = {errno.EACCES, errno.EAGAIN, errno.EDEADLK}

if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class LockTimeout(Exception):
    """Another process held the lock for the whole of the time allowed."""


class FileLock:
    """``with FileLock(path, timeout=10):`` holds the lock on ``path``, waiting up to
    ``timeout`` seconds for another holder (then LockTimeout). Not re-entrant: a second
    FileLock on the same file waits, even in the same process."""

    def __init__(self, path: Path, *, timeout: float, mode: int = fileio.FILE_MODE) -> None:
        self.path = path
        self.timeout = timeout
        self.mode = mode
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = fileio.open_regular(self.path, os.O_RDWR | os.O_CREAT, self.mode)
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    _try_lock(fd)
                    break
                except OSError as exc:
                    if exc.errno not in BUSY:
                        raise
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"{self.path} is held by another process")
                time.sleep(POLL)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)  # closing lets go too, should unlocking have failed

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
