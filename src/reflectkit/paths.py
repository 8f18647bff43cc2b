"""Where reflectkit keeps its data, whether that folder can hold it, and what day it is.

One place decides: ``--home`` on the command line, else ``$REFLECTKIT_HOME``, else the
platform's user data folder. ``$REFLECTKIT_TODAY`` (an ISO date) stands for today
everywhere, for tests and demonstrations. This module imports only the standard library
and reflectkit's errors: the reminder check, which runs before every command, uses it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from datetime import date
from pathlib import Path

from reflectkit.errors import StorageError, UsageError

DEFAULT_JOURNAL = "default"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Names Windows reserves for devices: a journal folder called CON cannot be copied there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
# The days reflectkit plans for: a four-week cycle and its calendar fit well inside them.
# 9999-12-20 once overflowed date arithmetic into a saved schedule that broke later runs.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(9000, 12, 31)
_RANGE = f"outside the dates reflectkit can plan ({EARLIEST_DAY} to {LATEST_DAY})"


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``override``, else ``$REFLECTKIT_HOME``, else the user data folder."""
    chosen = override or os.environ.get("REFLECTKIT_HOME")
    folder = Path(chosen).expanduser() if chosen else default_home()
    # Absolute once, here: every later message, lock and subprocess then names one place.
    return folder.absolute()


def default_home() -> Path:
    """platformdirs' user data folder for reflectkit, worked out without importing it.

    Importing platformdirs costs the reminder check, which runs before every command, more
    than everything else it does; a test checks that this agrees with platformdirs.
    """
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "reflectkit"
    if sys.platform == "win32":  # pragma: no cover - Windows
        import platformdirs

        return Path(platformdirs.user_data_dir("reflectkit", appauthor=False))
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return Path(xdg if xdg else Path.home() / ".local" / "share") / "reflectkit"


def today() -> date:
    """Today's date, or ``$REFLECTKIT_TODAY`` when it is set; either must be plannable."""
    value = os.environ.get("REFLECTKIT_TODAY")
    if not value:
        found = date.today()
        if not plannable(found):
            raise UsageError(
                f"This computer's clock says it is {found.isoformat()}, {_RANGE}.",
                hint="Set the date in the computer's settings, then try again.",
            )
        return found
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"REFLECTKIT_TODAY={value!r} is not a date.", hint="Use the form 2026-11-23."
        ) from None
    if not plannable(found):
        raise UsageError(f"REFLECTKIT_TODAY={value!r} is {_RANGE}.", hint="Use a date such as 2026-11-23.")
    return found


def plannable(day: date) -> bool:
    """True when a four-week cycle starting on ``day`` can be planned and shown."""
    return EARLIEST_DAY <= day <= LATEST_DAY


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


def check_home(home: Path, *, create: bool) -> bool:
    """Make sure ``home`` can hold private journals; with ``create``, make it if missing.

    A folder reflectkit creates is made private (0700). An existing folder is used as it
    is when nobody else can write in it and it belongs to this user; otherwise it is
    refused, and never changed: a shared or sticky folder such as /tmp is never a home.

    Returns:
        True when the folder was created now.

    Raises:
        UsageError: the folder cannot be a home, with why and what to do instead.
    """
    try:
        st = home.stat()  # a home reached through a link is the user's choice: follow it
    except FileNotFoundError:
        if not create:
            return False
        if _make_home(home):
            return True
        st = home.stat()  # another run made it meanwhile: check it like any other
    except OSError as exc:
        raise UsageError(f"{home} cannot be used as reflectkit's folder: {exc.strerror or exc}.") from exc
    if not stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{home} is not a folder, so reflectkit cannot keep your journals there.")
    problem = "" if _is_windows() else _not_private(st) or _foreign_link(home)
    if problem:
        raise UsageError(
            f"reflectkit will not keep your journals in {home}: {problem}. It was left as it is.",
            hint=f"Use a folder of its own inside it: --home {home / 'reflectkit'} (or set "
            "REFLECTKIT_HOME); reflectkit creates that folder, private to you.",
        )
    return False


def _make_home(home: Path) -> bool:
    try:
        home.parent.mkdir(parents=True, exist_ok=True)  # parents are not ours: left as made
        home.mkdir(mode=0o700)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StorageError(f"Could not create {home}: {exc.strerror or exc}.") from exc
    if not _is_windows():
        home.chmod(0o700)  # the umask may have taken more than group and other bits
    return True


def _not_private(st: os.stat_result) -> str:
    if st.st_mode & stat.S_ISVTX:
        return "it is a shared folder (its sticky bit is set, as on /tmp)"
    if st.st_mode & stat.S_IWOTH:
        return "anyone on this computer can add or remove files in it"
    if st.st_mode & stat.S_IWGRP:
        return "other members of its group can add or remove files in it"
    if st.st_uid != os.geteuid():
        return "it belongs to another user account"
    return ""


def _foreign_link(home: Path) -> str:
    # A link someone else made (in /tmp, say) could be pointed elsewhere between two runs.
    link = home.lstat()
    if stat.S_ISLNK(link.st_mode) and link.st_uid != os.geteuid():
        return "it is a link that belongs to another user account"
    return ""


def _is_windows() -> bool:
    # The same test as fileio.is_windows; fileio is not imported here (start-up cost).
    return sys.platform == "win32" or os.name == "nt"
