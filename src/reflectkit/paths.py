"""Where reflectkit keeps its data, and what day it is.

One place decides: ``--home`` on the command line, else ``$REFLECTKIT_HOME``, else the
platform's user data folder. ``$REFLECTKIT_TODAY`` (an ISO date) stands for today
everywhere, for tests and demonstrations.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from reflectkit.errors import UsageError

DEFAULT_JOURNAL = "default"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Names Windows reserves for devices: a journal folder called CON cannot be copied there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``override``, else ``$REFLECTKIT_HOME``, else the user data folder."""
    chosen = override or os.environ.get("REFLECTKIT_HOME")
    if chosen:
        return Path(chosen).expanduser().absolute()
    return default_home()


def default_home() -> Path:
    """platformdirs' user data folder for reflectkit, worked out without importing it.

    Importing platformdirs costs the reminder check, which runs before every command, more
    than everything else it does; a test checks that this agrees with platformdirs.
    """
    import sys

    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "reflectkit"
    if sys.platform == "win32":  # pragma: no cover - Windows
        import platformdirs

        return Path(platformdirs.user_data_dir("reflectkit", appauthor=False))
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return Path(xdg if xdg else Path.home() / ".local" / "share") / "reflectkit"


def today() -> date:
    """Today's date, or ``$REFLECTKIT_TODAY`` when it is set."""
    value = os.environ.get("REFLECTKIT_TODAY")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"REFLECTKIT_TODAY={value!r} is not a date.", hint="Use the form 2026-11-23."
        ) from None


def check_name(name: str, *, what: str = "journal name") -> str:
    """Return ``name`` if it is safe as a folder name, else raise UsageError saying why."""
    if not NAME_PATTERN.fullmatch(name) or name in _RESERVED:
        shown = name.encode("unicode_escape").decode("ascii")[:80]
        raise UsageError(
            f"{shown!r} is not a usable {what}.",
            hint="Use 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit.",
        )
    return name


def inside(folder: Path, child: Path) -> Path:
    """Resolve ``child`` and make sure it stays inside ``folder`` (no symlink escapes)."""
    resolved = child.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise UsageError(f"{child} points outside the reflectkit folder {folder}; it was not used.")
    return resolved
