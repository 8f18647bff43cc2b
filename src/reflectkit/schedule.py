"""Stage 4 timing: four weekly five-minute reflections, then a fifteen-minute revisit.

Everything here is pure date arithmetic on calendar dates. The caller passes in the
day the cycle started and today's *local* date, so nothing here reads the clock, and
British clock changes (BST/GMT) cannot move a window: a ``datetime.date`` has no time
of day to shift. The module imports only the standard library because every command
imports it on start-up to print the reminder line.

Windows, counted in days from the start (day 0)::

    week N   days 7(N-1) .. 7N-1   5 minutes   reflectkit reflect
    revisit  days 28 .. 34         15 minutes  reflectkit revisit

A weekly reflection whose week has ended without it is *missed* once the next window has
begun: it stops nagging (it can still be done late with ``reflectkit reflect --week N``).
The revisit has nothing after it, so it stays *overdue* until it is done or skipped.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CHECKIN_IDS",
    "CheckIn",
    "State",
    "due_now",
    "plan_reminders",
    "reminder_line",
]


class State(StrEnum):
    """Where a check-in stands on a given day."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"
    DONE = "done"
    SKIPPED = "skipped"


CHECKIN_IDS = ("week-1", "week-2", "week-3", "week-4", "revisit")

_WINDOW_DAYS = 7
WEEKLY_MINUTES = 5
REVISIT_MINUTES = 15
_NO_DATES: Mapping[str, date] = MappingProxyType({})
# English names on purpose: strftime's %a and %b follow the process locale.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# A named tuple, not a dataclass: importing dataclasses (and inspect with it) would
# cost the reminder check, which runs before every command, several milliseconds.
_CheckInFields = namedtuple(
    "_CheckInFields", ["id", "kind", "number", "opens", "closes", "minutes", "state", "command"]
)


class CheckIn(_CheckInFields):
    """One Stage 4 check-in as seen on a given day.

    Attributes:
        id: One of :data:`CHECKIN_IDS`.
        kind: ``"weekly"`` for weeks 1-4, ``"revisit"`` for the fifth.
        number: 1-4 for the weekly reflections, 5 for the revisit.
        opens: The first day it can be done.
        closes: The last day of its seven-day window.
        minutes: How long it is meant to take: 5 weekly, 15 for the revisit.
        state: Its state on the ``today`` it was planned for.
        command: What to run: ``"reflectkit reflect"`` or ``"reflectkit revisit"``.
    """

    __slots__ = ()
    id: str
    kind: str
    number: int
    opens: date
    closes: date
    minutes: int
    state: State
    command: str

    @property
    def label(self) -> str:
        """A short name for messages, e.g. ``"week 2 reflection"``."""
        if self.kind == "revisit":
            return "four-week revisit"
        return f"week {self.number} reflection"


def plan_reminders(
    started: date,
    today: date,
    *,
    done: Mapping[str, date] = _NO_DATES,
    skipped: Collection[str] = (),
) -> list[CheckIn]:
    """Lay out the five check-ins of a cycle and their state on ``today``.

    Args:
        started: The local date the cycle began (day 0 of week 1).
        today: The local date to judge states against.
        done: Check-in ids already done, with the day each was done. Done wins over
            everything, whatever the date (early and late both count).
        skipped: Check-in ids the user chose to skip. Done wins over skipped.
            Ids not in :data:`CHECKIN_IDS` are ignored in both: this runs before every
            command, and a stray id in a hand-edited file must not stop them all.
            Validate stored ids where the file is read.

    Returns:
        The five check-ins in order: week-1 .. week-4, then the revisit.

    Raises:
        TypeError: If ``started`` or ``today`` is a ``datetime`` rather than a date.
    """
    _require_date("started", started)
    _require_date("today", today)
    return [_checkin(number, started, today, done, skipped) for number in range(1, len(CHECKIN_IDS) + 1)]


def due_now(checkins: Iterable[CheckIn]) -> CheckIn | None:
    """Pick the check-in to nudge the user about.

    Args:
        checkins: Check-ins as returned by :func:`plan_reminders`.

    Returns:
        The earliest overdue check-in if there is one, else the earliest due one,
        else ``None``. Done, skipped and upcoming check-ins are never picked.
    """
    pending = [c for c in checkins if c.state in (State.DUE, State.OVERDUE)]
    if not pending:
        return None
    return min(pending, key=lambda c: (c.state is not State.OVERDUE, c.opens, c.number))


def reminder_line(checkins: Iterable[CheckIn], today: date) -> str | None:
    """Write the one-line nudge shown on stderr, or ``None`` when nothing is due.

    Args:
        checkins: Check-ins as returned by :func:`plan_reminders` for ``today``.
        today: The local date; the year is shown only when it differs from this one.

    Returns:
        For example ``"Your week 2 reflection (5 minutes) is due — run: reflectkit
        reflect"`` or ``"... is overdue since Mon 7 Dec — run: reflectkit reflect"``,
        where the date is the first day it was overdue.
    """
    checkin = due_now(checkins)
    if checkin is None:
        return None
    status = "is due"
    if checkin.state is State.OVERDUE:
        status = f"is overdue since {_short_date(checkin.closes + timedelta(days=1), today)}"
    return f"Your {checkin.label} ({checkin.minutes} minutes) {status} — run: {checkin.command}"


def _checkin(
    number: int,
    started: date,
    today: date,
    done: Mapping[str, date],
    skipped: Collection[str],
) -> CheckIn:
    checkin_id = CHECKIN_IDS[number - 1]
    weekly = number <= 4
    opens = started + timedelta(days=_WINDOW_DAYS * (number - 1))
    closes = opens + timedelta(days=_WINDOW_DAYS - 1)
    return CheckIn(
        id=checkin_id,
        kind="weekly" if weekly else "revisit",
        number=number,
        opens=opens,
        closes=closes,
        minutes=WEEKLY_MINUTES if weekly else REVISIT_MINUTES,
        state=_state(checkin_id, opens, closes, today, done, skipped, weekly=weekly),
        command="reflectkit reflect" if weekly else "reflectkit revisit",
    )


def _state(
    checkin_id: str,
    opens: date,
    closes: date,
    today: date,
    done: Mapping[str, date],
    skipped: Collection[str],
    *,
    weekly: bool,
) -> State:
    if checkin_id in done:
        return State.DONE
    if checkin_id in skipped:
        return State.SKIPPED
    if today < opens:
        return State.UPCOMING
    if today <= closes:
        return State.DUE
    # The weeks follow one another: when a week has ended, the next has begun.
    return State.MISSED if weekly else State.OVERDUE


def _short_date(day: date, today: date) -> str:
    text = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _require_date(name: str, value: date) -> None:
    # datetime is a subclass of date, but comparing one with a date raises TypeError
    # deep inside, and a time of day is exactly what this module must not depend on.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
