"""The lock a write holds: one holder at a time across processes, let go when the holder
ends however it ends, never through a link, and cheap to load."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflectkit.errors import BadDataError
from reflectkit.locking import FileLock, LockTimeout

HOLD = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from reflectkit.locking import FileLock\n"
    "lock = FileLock(Path(sys.argv[1]), timeout=5)\n"
    "lock.acquire()\n"
    "print('held', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


def holder(path: Path, seconds: float) -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", HOLD, str(path), str(seconds)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_holder_waits_then_gives_up(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    proc = holder(path, 30)
    try:
        start = time.monotonic()
        with pytest.raises(LockTimeout):
            FileLock(path, timeout=0.3).acquire()
        assert 0.25 <= time.monotonic() - start < 5
    finally:
        proc.kill()
        proc.wait()


def test_the_lock_is_taken_as_soon_as_the_holder_lets_go(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    proc = holder(path, 0.5)
    lock = FileLock(path, timeout=10)
    lock.acquire()  # waits for the holder's end, not for the timeout
    lock.release()
    proc.wait()


@pytest.mark.posix
def test_a_killed_holder_leaves_no_lock_behind(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    proc = holder(path, 60)
    proc.kill()
    proc.wait()
    with FileLock(path, timeout=1):
        pass


def test_two_locks_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    with FileLock(path, timeout=1), pytest.raises(LockTimeout):
        FileLock(path, timeout=0.1).acquire()
    with FileLock(path, timeout=0.1):  # released: free again
        pass


@pytest.mark.posix
def test_the_lock_file_is_private_and_never_a_link(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    with FileLock(path, timeout=1):
        assert path.stat().st_mode & 0o077 == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("not a lock")
    link = tmp_path / ".link-lock"
    link.symlink_to(elsewhere)
    with pytest.raises(BadDataError):
        FileLock(link, timeout=0.1).acquire()
    assert elsewhere.read_text() == "not a lock"


def test_loading_the_lock_is_cheap() -> None:
    probe = "import sys, reflectkit.locking\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    heavy = set(done.stdout.split()) & {"filelock", "logging", "asyncio", "inspect", "typing"}
    assert not heavy
