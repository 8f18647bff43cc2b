"""Saving on Windows, simulated here: no folder fsync, sharing violations retried, no chmod."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reflectkit import fileio
from reflectkit.errors import StorageError
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store

CASE = Section("case", "first-home-visit")
not_on_windows = pytest.mark.skipif(os.name == "nt", reason="checks the behaviour away from Windows")
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def save(journal: Journal, value: str) -> None:
    journal.save_answer(CASE, "q", question="Q?", kind="text", value=value, now=NOW)


def stored(journal: Journal) -> object:
    unit = journal.load(CASE)
    assert unit is not None
    return unit.answers["q"].value


def sharing_violation(winerror: int = 32) -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file because it is being used")
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look like Windows to reflectkit's own checks (pathlib keeps working as on this OS)."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(fileio, "REPLACE_PAUSE", 0.001, raising=False)


def failing_replace(monkeypatch: pytest.MonkeyPatch, failures: int, winerror: int = 32) -> list[str]:
    calls: list[str] = []
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if len(calls) <= failures:
            raise sharing_violation(winerror)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


@not_on_windows
def test_windows_is_recognised_by_platform_or_os_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert fileio.is_windows()
    monkeypatch.setattr(sys, "platform", "linux")
    assert not fileio.is_windows()
    monkeypatch.setattr(os, "name", "nt")
    windows = fileio.is_windows()
    monkeypatch.undo()
    assert windows


def test_a_folder_that_cannot_be_opened_after_the_replace_does_not_fail_the_save(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(journal, "before")
    real_open = os.open

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).is_dir():
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    save(journal, "after")
    monkeypatch.undo()
    assert stored(journal) == "after"


def test_the_folder_is_not_fsynced_on_windows(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, windows: None
) -> None:
    called: list[Path] = []
    monkeypatch.setattr(fileio, "_fsync_dir", called.append)
    save(journal, "on windows")
    assert called == []
    assert stored(journal) == "on windows"


@not_on_windows
def test_the_folder_is_fsynced_elsewhere(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[Path] = []
    monkeypatch.setattr(fileio, "_fsync_dir", called.append)
    save(journal, "on linux")
    assert called == [journal.entries]


@pytest.mark.parametrize("winerror", [5, 32])
def test_a_brief_sharing_violation_is_retried(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, windows: None, winerror: int
) -> None:
    save(journal, "before")
    calls = failing_replace(monkeypatch, 2, winerror)
    save(journal, "after")
    assert len(calls) == 3
    assert stored(journal) == "after"


def test_a_lasting_sharing_violation_gives_a_clear_error_and_keeps_the_original(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, windows: None
) -> None:
    save(journal, "the original")
    path = journal.unit_path(CASE)
    original = path.read_bytes()
    calls = failing_replace(monkeypatch, 50)
    with pytest.raises(StorageError, match="another program") as caught:
        save(journal, "the replacement")
    assert str(path) in str(caught.value)
    assert 2 <= len(calls) <= fileio.REPLACE_TRIES
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert not list(journal.temps.glob(fileio.TEMP_PREFIX + "*"))


@not_on_windows
def test_permission_errors_are_not_retried_elsewhere(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(journal, "the original")
    calls = failing_replace(monkeypatch, 50)
    with pytest.raises(StorageError, match="permission was refused"):
        save(journal, "the replacement")
    assert len(calls) == 1


def test_no_chmod_on_windows(home: Path, monkeypatch: pytest.MonkeyPatch, windows: None) -> None:
    chmods: list[str] = []

    def record(name: str) -> Callable[..., None]:
        def call(path: Any, *args: Any, **kwargs: Any) -> None:
            chmods.append(f"{name} {path}")

        return call

    monkeypatch.setattr(os, "chmod", record("chmod"))
    monkeypatch.setattr(Path, "chmod", record("Path.chmod"))
    store = Store.open(home, create=True)
    journal = store.journal("default", create=True)
    save(journal, "x")
    assert chmods == []
    assert stored(journal) == "x"
