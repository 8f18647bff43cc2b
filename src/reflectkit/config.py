"""The user's settings: ``config.toml`` in the data home.

Holds the names to watch for (never exported), the preferred day and time for calendar
reminders, and whether the welcome has been shown. Unknown keys are kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from reflectkit import fileio
from reflectkit.errors import BadDataError, StorageError, UsageError

CONFIG_SCHEMA_VERSION = 1
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Config:
    """Settings, with whatever else the file held kept in ``extra``."""

    names: list[str] = field(default_factory=list)
    weekday: int | None = None
    at: time = time(9, 0)
    welcomed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def load_config(path: Path) -> Config:
    """Read the settings; a missing file gives the defaults and creates nothing.

    Only a regular file is read (never through a symbolic link, never blocking on a FIFO);
    anything else raises BadDataError naming it.
    """
    try:
        data = fileio.read_toml(path)
    except FileNotFoundError:
        return Config()
    data = dict(data)
    version = data.pop("schema_version", CONFIG_SCHEMA_VERSION)
    if not isinstance(version, int) or version > CONFIG_SCHEMA_VERSION:
        raise BadDataError(f"{path} was written by a newer reflectkit; nothing was changed.")
    names = data.pop("names", [])
    weekday = data.pop("reminder_weekday", None)
    at = data.pop("reminder_time", "09:00")
    welcomed = data.pop("welcomed", False)
    try:
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("names must be a list of text")
        parsed_weekday = WEEKDAYS.index(weekday) if weekday is not None else None
        parsed_at = time.fromisoformat(at) if isinstance(at, str) else time(9, 0)
    except ValueError as exc:
        raise BadDataError(f"{path}: {exc}", hint="Fix the file in a text editor.") from exc
    return Config(names, parsed_weekday, parsed_at, bool(welcomed), data)


def save_config(path: Path, config: Config) -> None:
    """Write the settings atomically, keeping keys this version does not know.

    A missing folder is created private; an existing one (the data home) is left as it is.
    """
    data: dict[str, Any] = {"schema_version": CONFIG_SCHEMA_VERSION, **config.extra}
    data["names"] = list(config.names)
    if config.weekday is not None:
        data["reminder_weekday"] = WEEKDAYS[config.weekday]
    data["reminder_time"] = config.at.strftime("%H:%M")
    data["welcomed"] = config.welcomed
    if not path.parent.is_dir():
        fileio.ensure_private_dir(path.parent)
    fileio.write_toml(path, data)


@contextlib.contextmanager
def editing(path: Path) -> Iterator[Config]:
    """Load the settings, let the caller change them, save them: all under a lock, so two
    reflectkit windows changing settings at once do not lose each other's change."""
    from reflectkit.errors import LockedError
    from reflectkit.locking import FileLock, LockTimeout

    lock_path = path.with_name(".config.lock")
    lock = FileLock(lock_path, timeout=10, mode=fileio.FILE_MODE)
    try:
        lock.acquire()
    except LockTimeout:
        raise LockedError("Your settings are being saved by another reflectkit; try again.") from None
    except OSError as exc:
        raise StorageError(f"Could not lock {lock_path}: {exc.strerror or exc}.") from exc
    try:
        fileio.remove_leftover_temps(path.parent)  # every write here holds this lock
        config = load_config(path)
        yield config
        save_config(path, config)
    finally:
        lock.release()


def parse_weekday(value: str) -> int:
    """'mon', 'Monday' or '1' (Monday) to 0..6."""
    text = value.strip().lower()
    with contextlib.suppress(ValueError):
        number = int(text)
        if 1 <= number <= 7:
            return number - 1
    for index, day in enumerate(WEEKDAYS):
        if len(text) >= 3 and day.startswith(text):
            return index
    raise UsageError(f"{value!r} is not a day of the week.", hint="Try 'monday' or 'mon'.")


def parse_time(value: str) -> time:
    """'9:30' or '14:00' to a time."""
    try:
        hours, _, minutes = value.strip().partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise UsageError(f"{value!r} is not a time of day.", hint="Try 09:30 or 14:00.") from None
