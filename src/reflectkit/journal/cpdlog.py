"""The CPD log: dated learning activities with their time, kept in the journal folder.

Layout: ``journals/<name>/cpd-log.toml`` holds every entry, with ``schema_version``, an
entry count and a checksum (a file cut short can still parse), and ``next_id`` so that an
entry's number is never given to another. It is written whole, atomically, under the
journal's lock, and everything is checked before anything is written: a date in the
future, a duration that is not a number of minutes from 1 to 24 hours, or a missing title
is refused with a message, and the file is left as it was. Fields this version does not
know are kept, at the top of the file and in each entry.

Entries are plain records; pydantic is imported only to check what is read or about to be
written, so commands that never touch the log (and ``--help``) do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflectkit import fileio
from reflectkit.errors import BadDataError, NotFoundError, UsageError
from reflectkit.journal.store import Journal
from reflectkit.paths import EARLIEST_DAY

if TYPE_CHECKING:
    from pydantic import BaseModel

LOG_FILE = "cpd-log.toml"
LOG_SCHEMA_VERSION = 1
MAX_LOG_FILE = 4 * 1024 * 1024
MAX_MINUTES = 24 * 60
MAX_TITLE = 200
MAX_SHORT = 80
# Kinds of activity people log most, in the words the regulators' forms use. Any other
# single line is accepted too; "reflective discussion" is what the NMC's discussion counts.
TYPES = (
    "course", "conference", "e-learning", "reading", "team session", "supervision",
    "reflective discussion", "workbook", "shadowing", "teaching", "other",
)  # fmt: skip
DISCUSSION = "reflective discussion"
_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?$"
)


@dataclass(frozen=True)
class LogEntry:
    """One CPD activity. ``with_whom`` is stored as ``with``: whom, in general terms.
    ``extra`` holds the fields a newer reflectkit wrote, kept as they were."""

    id: int
    date: dt.date
    minutes: int
    title: str
    created: datetime
    updated: datetime
    type: str = "other"
    participatory: bool = False
    with_whom: str = ""
    note: str = ""
    case: int | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def stored(self) -> dict[str, Any]:
        """The entry as written in the file: the fields in order, then the unknown ones."""
        data: dict[str, Any] = {
            "id": self.id, "date": self.date, "minutes": self.minutes, "title": self.title,
            "type": self.type, "participatory": self.participatory, "with": self.with_whom,
            "note": self.note,
        }  # fmt: skip
        if self.case is not None:
            data["case"] = self.case
        data |= {"tags": list(self.tags), "created": self.created, "updated": self.updated}
        return data | {k: v for k, v in self.extra.items() if k not in data}


@cache
def _schema() -> type[BaseModel]:
    """The rules an entry must meet, as a pydantic model (built the first time it is needed)."""
    from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

    class Entry(BaseModel):
        model_config = ConfigDict(extra="allow", populate_by_name=True)

        id: int = Field(ge=1)
        date: dt.date
        minutes: int = Field(ge=1, le=MAX_MINUTES)
        title: str = Field(min_length=1)
        type: str = "other"
        participatory: bool = False
        with_whom: str = Field(default="", alias="with")
        note: str = ""
        case: int | None = None
        tags: list[str] = []
        created: AwareDatetime
        updated: AwareDatetime

    return Entry


def checked_entry(data: dict[str, Any]) -> LogEntry:
    """``data`` (as stored) checked against the rules and made an entry; pydantic's
    ValidationError when it breaks one."""
    model = _schema().model_validate(data)
    values = {name: getattr(model, name) for name in type(model).model_fields}
    return LogEntry(**values, extra=dict(model.model_extra or {}))


@dataclass(frozen=True)
class Draft:
    """What is given for a new entry, or the fields to change in one (None: unchanged)."""

    date: dt.date | None = None
    minutes: int | None = None
    title: str | None = None
    type: str | None = None
    participatory: bool | None = None
    with_whom: str | None = None
    note: str | None = None
    case: int | None = None
    tags: tuple[str, ...] | None = None

    def given(self) -> dict[str, Any]:
        """The fields that were given, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass
class CpdLog:
    """The whole log as read: entries oldest first, and what else the file held."""

    entries: list[LogEntry] = field(default_factory=list)
    next_id: int = 1
    schema_version: int = LOG_SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, entry_id: int) -> LogEntry:
        found = next((e for e in self.entries if e.id == entry_id), None)
        if found is None:
            known = ", ".join(str(n) for n in sorted(e.id for e in self.entries)) or "none yet"
            raise NotFoundError(
                f"There is no CPD log entry {entry_id}; nothing was changed.",
                hint=f"Entries in your log: {known}. `reflectkit log list` shows them.",
            )
        return found


# -- reading what people type --------------------------------------------------------------
def parse_minutes(text: str) -> int:
    """'90', '90m', '1h', '1.5h', '1h 30m' or '1:30' as minutes; UsageError if it is none."""
    typed = text.strip().lower()
    hours, colon, rest = typed.partition(":")
    if colon and hours.isdigit() and rest.isdigit() and len(rest) == 2:
        return int(hours) * 60 + int(rest)
    if typed.lstrip("-").isdigit():
        return int(typed)
    found = _DURATION.match(typed)
    if not typed or not found or not (found["h"] or found["m"]):
        raise UsageError(
            f"{text.strip()!r} is not a length of time.",
            hint="Give minutes (90), or hours: 1.5h, 1h 30m, 1:30.",
        )
    return round(float(found["h"] or 0) * 60) + int(found["m"] or 0)


def parse_day(text: str, today: date) -> date:
    """'2026-11-30', 'today' or 'yesterday' as a date; UsageError if it is none."""
    typed = text.strip().lower()
    if typed in ("today", ""):
        return today
    if typed == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise UsageError(f"{text.strip()!r} is not a date.", hint="Use the form 2026-11-30.") from None


def duration_words(minutes: int) -> str:
    """'1 hour 30 minutes', '45 minutes', '2 hours'."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'' if hours == 1 else 's'}"] if hours else []
    parts += [f"{rest} minute{'' if rest == 1 else 's'}"] if rest or not hours else []
    return " ".join(parts)


def hours_to_minutes(hours: float) -> int:
    """Hours given with --hours, to the nearest minute."""
    return round(hours * 60)


# -- checking an entry before it is saved ------------------------------------------------------
def _one_line(value: str, what: str, limit: int) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise UsageError(f"The {what} is longer than {limit} characters; nothing was saved.")
    return text


def _check_date(day: date, today: date) -> None:
    if day > today:
        raise UsageError(
            f"The date {day.isoformat()} is in the future; nothing was saved.",
            hint="Log an activity once it has happened, on the day it happened.",
        )
    if day < EARLIEST_DAY:
        raise UsageError(f"The date {day.isoformat()} is before {EARLIEST_DAY}; nothing was saved.")


def _check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_MINUTES:
        what = "negative" if minutes < 0 else ("zero" if minutes == 0 else "more than 24 hours")
        raise UsageError(
            f"A duration of {minutes} minutes is {what}; nothing was saved.",
            hint="Give the time one activity took, from 1 minute to 24 hours (log a long course day by day).",
        )


def _tidy(draft: Draft) -> dict[str, Any]:
    """Text fields on one line and within their length; the type in lower case."""
    changes: dict[str, Any] = {}
    if draft.title is not None:
        changes["title"] = _one_line(draft.title, "title", MAX_TITLE)
        if not changes["title"]:
            raise UsageError(
                "A CPD log entry needs a title; nothing was saved.", hint="Add --title='What it was'."
            )
    if draft.type is not None:
        kind = _one_line(draft.type, "type", MAX_SHORT).lower().replace("-", " ") or "other"
        changes["type"] = "e-learning" if kind == "e learning" else kind
    if draft.with_whom is not None:
        changes["with_whom"] = _one_line(draft.with_whom, "'with' text", MAX_SHORT)
    if draft.note is not None:
        changes["note"] = _one_line(draft.note, "note reference", MAX_SHORT)
    if draft.tags is not None:
        tags = (_one_line(t, "tag", MAX_SHORT) for t in draft.tags)
        changes["tags"] = tuple(dict.fromkeys(t for t in tags if t))
    return changes


def check(draft: Draft, *, today: date) -> Draft:
    """The draft made tidy (text on one line, the type in lower case), or UsageError naming
    the first problem. Only given fields are checked, so an edit is checked the same way."""
    if draft.date is not None:
        _check_date(draft.date, today)
    if draft.minutes is not None:
        _check_minutes(draft.minutes)
    if draft.case is not None and draft.case < 1:
        raise UsageError(f"{draft.case} is not a case study number; nothing was saved.")
    return replace(draft, **_tidy(draft))


# -- the file ----------------------------------------------------------------------------------
def log_path(jr: Journal) -> Path:
    """Where the journal's CPD log lives."""
    return jr.path / LOG_FILE


def _checksum(entries: list[dict[str, Any]]) -> str:
    canon = json.dumps(entries, sort_keys=True, ensure_ascii=True, default=lambda o: o.isoformat())
    return "sha256:" + hashlib.sha256(canon.encode("ascii")).hexdigest()


def _problem(jr: Journal, detail: str, hint: str = "") -> BadDataError:
    return BadDataError(
        f"{log_path(jr)}: {detail}",
        hint=hint or "Nothing was changed. Fix the file in a text editor, or restore it from a backup.",
    )


def read_log(jr: Journal) -> CpdLog:
    """The journal's CPD log (empty when there is none yet); BadDataError if it is damaged."""
    try:
        data = dict(fileio.read_toml(log_path(jr), max_bytes=MAX_LOG_FILE))
    except FileNotFoundError:
        return CpdLog()
    version = data.pop("schema_version", None)
    raw = data.pop("entries", [])
    count, digest, next_id = data.pop("entry_count", None), data.pop("checksum", None), data.pop("next_id", 1)
    if not isinstance(version, int) or not isinstance(raw, list) or not isinstance(next_id, int):
        raise _problem(jr, "it is not a reflectkit CPD log (schema_version, entries or next_id is missing).")
    if count != len(raw) or digest != _checksum(raw):
        raise _problem(
            jr,
            f"it holds {len(raw)} entries, but {count} were saved in it, or they were changed outside "
            "reflectkit (they no longer match the checksum saved with them).",
            hint="Nothing was changed. Restore it from a backup; or, if you edited it yourself, "
            "move it aside and add the entries again with `reflectkit log add`.",
        )
    from pydantic import ValidationError

    try:
        entries = [checked_entry(item) for item in raw]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _problem(jr, f"entries.{where}: {first['msg']}") from exc
    return CpdLog(sorted(entries, key=lambda e: (e.date, e.id)), next_id, version, data)


def _write(jr: Journal, log: CpdLog) -> None:
    """Write the whole log (call with the lock held)."""
    if log.schema_version > LOG_SCHEMA_VERSION:
        raise _problem(
            jr,
            f"it was written by a newer reflectkit (format {log.schema_version}); this one knows "
            f"format {LOG_SCHEMA_VERSION}.",
            hint="Nothing was changed. Update reflectkit to change your CPD log.",
        )
    entries = [e.stored() for e in log.entries]
    head = {"schema_version": LOG_SCHEMA_VERSION, "entry_count": len(entries), "checksum": _checksum(entries)}
    data = {**head, "next_id": log.next_id, **log.extra, "entries": entries}
    if fileio.write_toml(log_path(jr), data, temp_dir=jr.temps) and log_path(jr) not in jr.tightened:
        jr.tightened.append(log_path(jr))


def _entry(draft: Draft, *, entry_id: int, now: datetime) -> LogEntry:
    values = draft.given()
    missing = [name for name in ("date", "minutes", "title") if name not in values]
    if missing:
        raise UsageError(f"A CPD log entry needs its {' and '.join(missing)}; nothing was saved.")
    values["with"] = values.pop("with_whom", "")
    values["tags"] = list(values.get("tags", ()))
    return checked_entry({"id": entry_id, "created": now, "updated": now, **values})


def add(jr: Journal, draft: Draft, *, today: date, now: datetime | None = None) -> LogEntry:
    """Check ``draft`` and add it to the log under the journal's lock; return the entry."""
    clean = check(draft, today=today)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with jr.locked():
        log = read_log(jr)
        number = max(log.next_id, 1 + max((e.id for e in log.entries), default=0))
        entry = _entry(clean, entry_id=number, now=now)
        log.entries.append(entry)
        log.next_id = entry.id + 1
        _write(jr, log)
    return entry


def edit(jr: Journal, entry_id: int, draft: Draft, *, today: date, now: datetime | None = None) -> LogEntry:
    """Change the given fields of entry ``entry_id``, checked first; return it as saved."""
    clean = check(draft, today=today)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with jr.locked():
        log = read_log(jr)
        old = log.get(entry_id)
        changes = clean.given()
        if "tags" in changes:
            changes["tags"] = list(changes["tags"])
        entry = replace(old, **changes, updated=now)
        entry = checked_entry(entry.stored())  # the edited entry meets the same rules as a read one
        log.entries[log.entries.index(old)] = entry
        _write(jr, log)
    return entry


def remove(jr: Journal, entry_id: int) -> LogEntry:
    """Remove entry ``entry_id``; its number is not given to another entry."""
    with jr.locked():
        log = read_log(jr)
        entry = log.get(entry_id)
        log.entries.remove(entry)
        _write(jr, log)
    return entry


def in_period(entries: list[LogEntry], start: date, end: date) -> list[LogEntry]:
    """The entries dated from ``start`` to ``end``, both included."""
    return [e for e in entries if start <= e.date <= end]


def logged(log: CpdLog, title: str, day: date) -> bool:
    """True when an entry with this title is already in the log for this day (a sitting
    offered twice, say when a case study is reopened and finished again)."""
    wanted = " ".join(title.split()).casefold()
    return any(e.date == day and e.title.casefold() == wanted for e in log.entries)
