"""Stage 4 cycles: when each four-week cycle started and which check-ins are done.

Kept in ``schedule.toml`` in the journal folder: one small file, so the reminder check
that runs before every command reads nothing else. This module imports only the
standard library and reflectkit's own light modules.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from reflectkit import fileio
from reflectkit.errors import BadDataError, UsageError
from reflectkit.paths import EARLIEST_DAY, LATEST_DAY, plannable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up cost)
if TYPE_CHECKING:
    from typing import Any

SCHEDULE_FILE = "schedule.toml"
SCHEDULE_SCHEMA_VERSION = 1


class Cycle:
    """One four-week cycle of weekly reflections and its revisit.

    A plain class rather than a dataclass: this module is on the reminder check's path,
    and importing dataclasses would cost every command several milliseconds.
    """

    __slots__ = ("after_case", "done", "number", "skipped", "started")

    def __init__(
        self,
        number: int,
        started: date,
        after_case: str = "",
        done: dict[str, date] | None = None,
        skipped: list[str] | None = None,
    ) -> None:
        self.number = number
        self.started = started
        self.after_case = after_case
        self.done = dict(done or {})
        self.skipped = list(skipped or [])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cycle) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __repr__(self) -> str:
        return f"Cycle(number={self.number}, started={self.started!r})"


def _parse_cycle(raw: Any, path: Path) -> Cycle:
    try:
        started = raw["started"]
        done = dict(raw.get("done", {}))
        dates = [started, *done.values()]
        if not all(isinstance(d, date) and not isinstance(d, datetime) for d in dates):
            raise TypeError("dates must be TOML dates such as 2026-11-23, without a time")
        cycle = Cycle(
            number=int(raw["number"]),
            started=started,
            after_case=str(raw.get("after_case", "")),
            done=done,
            skipped=[str(s) for s in raw.get("skipped", [])],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadDataError(f"{path}: a cycle is not readable ({exc}); nothing was changed.") from exc
    far = next((d for d in dates if not plannable(d)), None)
    if far is not None:  # caught here, so it never reaches the date arithmetic of a later command
        raise BadDataError(
            f"{path}: cycle {cycle.number} holds the date {far.isoformat()}, outside the dates "
            f"reflectkit can plan ({EARLIEST_DAY} to {LATEST_DAY}); nothing was changed.",
            hint="Correct that date in a text editor, or remove that cycle from the file.",
        )
    return cycle


def read_schedule(journal_dir: Path) -> dict[str, Any]:
    """The raw schedule document (empty when Stage 4 has not started)."""
    path = journal_dir / SCHEDULE_FILE
    try:
        doc = fileio.read_toml(path, max_bytes=256 * 1024)
    except FileNotFoundError:
        return {}
    if not isinstance(doc.get("cycles", []), list):
        raise BadDataError(f"{path}: 'cycles' should be a list of cycles; nothing was changed.")
    return doc


def read_cycles(journal_dir: Path) -> list[Cycle]:
    """Every cycle in this journal, oldest first; BadDataError if one cannot be planned."""
    path = journal_dir / SCHEDULE_FILE
    raw = read_schedule(journal_dir)
    return [_parse_cycle(c, path) for c in raw.get("cycles", [])]


def _check_day(day: date, what: str) -> None:
    if not plannable(day):
        raise UsageError(
            f"{what} {day.isoformat()}: reflectkit plans dates from {EARLIEST_DAY} to {LATEST_DAY}.",
            hint="Nothing was saved. Check the computer's date, or REFLECTKIT_TODAY if it is set.",
        )


def current(cycles: list[Cycle]) -> Cycle | None:
    return cycles[-1] if cycles else None


def _write(journal_dir: Path, doc: dict[str, Any]) -> None:
    version = doc.setdefault("schema_version", SCHEDULE_SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEDULE_SCHEMA_VERSION:
        raise BadDataError(
            f"{journal_dir / SCHEDULE_FILE} was written by a newer reflectkit; nothing was changed."
        )
    fileio.write_toml(journal_dir / SCHEDULE_FILE, doc)


def start_cycle(journal_dir: Path, started: date, *, after_case: str = "") -> Cycle:
    """Begin a new cycle on ``started``. Call with the journal locked.

    Raises:
        UsageError: ``started`` is outside the dates reflectkit can plan; nothing is saved.
    """
    _check_day(started, "A four-week cycle cannot start on")
    doc = read_schedule(journal_dir)
    cycles = doc.setdefault("cycles", [])
    for raw in cycles:  # a schedule that cannot be read is never written over
        _parse_cycle(raw, journal_dir / SCHEDULE_FILE)
    number = max((int(c.get("number", 0)) for c in cycles), default=0) + 1
    entry: dict[str, Any] = {"number": number, "started": started, "skipped": [], "done": {}}
    if after_case:
        entry["after_case"] = after_case
    cycles.append(entry)
    _write(journal_dir, doc)
    return _parse_cycle(entry, journal_dir / SCHEDULE_FILE)


def mark(journal_dir: Path, number: int, checkin_id: str, *, done: date | None = None) -> None:
    """Mark a check-in of cycle ``number`` done on ``done``, or skipped when ``done`` is None."""
    if done is not None:
        _check_day(done, "A check-in cannot be marked done on")
    doc = read_schedule(journal_dir)
    for raw in doc.get("cycles", []):
        _parse_cycle(raw, journal_dir / SCHEDULE_FILE)
    for entry in doc.get("cycles", []):
        if entry.get("number") == number:
            if done is not None:
                entry.setdefault("done", {})[checkin_id] = done
            elif checkin_id not in entry.setdefault("skipped", []):
                entry["skipped"].append(checkin_id)
            _write(journal_dir, doc)
            return
    raise BadDataError(f"There is no cycle {number} in {journal_dir / SCHEDULE_FILE}.")
