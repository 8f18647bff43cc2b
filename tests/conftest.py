"""Shared fixtures: every test gets its own data folder, never the real one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reflectkit.journal.store import Journal, Store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked posix are skipped on Windows, with the reason."""
    if os.name != "nt":
        return
    skip = pytest.mark.skip(reason="needs POSIX: a pseudo-terminal, signals, FIFOs or file modes")
    for item in items:
        if "posix" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point REFLECTKIT_HOME at a fresh folder; clear variables that change behaviour."""
    folder = tmp_path / "home"
    monkeypatch.setenv("REFLECTKIT_HOME", str(folder))
    for name in (
        "REFLECTKIT_TODAY",
        "REFLECTKIT_JOURNAL",
        "REFLECTKIT_NO_REMIND",
        "NO_COLOR",
        "VISUAL",
        "EDITOR",
    ):
        monkeypatch.delenv(name, raising=False)
    yield folder


@pytest.fixture
def store(home: Path) -> Store:
    s = Store(home)
    s.prepare()
    return s


@pytest.fixture
def journal(store: Store) -> Journal:
    return store.journal("default", create=True)


def reflectkit_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment for running the installed script in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTKIT_")}
    # No pager in tests that drive a terminal (a pager would wait for a key press).
    env.update({"REFLECTKIT_HOME": str(home), "PYTHONUNBUFFERED": "1", "PAGER": ""}, **extra)
    return env


def run_in_processes(target: Callable[..., None], *arg_lists: tuple[object, ...]) -> None:
    """Run ``target`` in one fresh process per argument tuple, all at once; each must succeed."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=target, args=args) for args in arg_lists]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
