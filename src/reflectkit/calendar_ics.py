"""Stage 4 reminders as an iCalendar (.ics) file to import into any calendar app.

The file holds all five check-ins of a cycle, so the calendar shows the whole plan.
Output is deterministic (same arguments, same bytes) and every event has a stable UID,
so importing a newer export of the same cycle updates the events instead of adding
copies. This module imports ``icalendar``, so import it only from the export command,
never on the start-up path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from reflectkit.schedule import CheckIn

__all__ = ["ALARM_BEFORE", "CALENDAR_NAME", "PRODID", "build_ics", "event_day"]

PRODID = "-//reflectkit//reflectkit//EN"
CALENDAR_NAME = "reflectkit reflections"
# A short heads-up to find a quiet few minutes; most calendar apps default to ten too.
ALARM_BEFORE = timedelta(minutes=10)


def build_ics(
    checkins: Sequence[CheckIn],
    *,
    cycle_id: str,
    journal: str,
    now: datetime,
    weekday: int | None = None,
    at: time = time(9, 0),
) -> bytes:
    """Write the check-ins of one cycle as an iCalendar file.

    Every check-in becomes a VEVENT, whatever its state, with a DISPLAY alarm
    :data:`ALARM_BEFORE` the start. Events are written in the order given.

    Args:
        checkins: The cycle's check-ins, as returned by ``plan_reminders``.
        cycle_id: The cycle's id; part of every UID.
        journal: The journal's name. Only a digest of it goes into the UIDs, because
            calendars are often synced to third-party services and a journal name may
            say more about the user's work than they mean to share.
        now: When the export happens, timezone-aware; written as DTSTAMP in UTC.
        weekday: Put each event on this weekday (0 = Monday) within its window;
            ``None`` uses each window's opening day.
        at: The local clock time of each event, without a timezone.

    Returns:
        The calendar as bytes (UTF-8, CRLF line endings, folded as RFC 5545 asks).

    Raises:
        ValueError: If ``now`` is naive, ``at`` has a timezone, ``weekday`` is not
            0-6, ``cycle_id`` or ``journal`` is empty, or two check-ins share an id.
    """
    _check_arguments(checkins, cycle_id=cycle_id, journal=journal, now=now, weekday=weekday, at=at)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    journal_tag = _journal_tag(journal)
    for checkin in checkins:
        # Floating local time (no TZID, no trailing Z): the event shows at `at` on the
        # user's own wall clock, wherever they are and whether it is BST or GMT that
        # week. A fixed zone would shift the reminder by an hour for anyone whose
        # calendar is in another zone, and would need a VTIMEZONE block to be correct.
        start = datetime.combine(event_day(checkin, weekday), at.replace(microsecond=0))
        uid = f"{cycle_id}-{checkin.id}.{journal_tag}@reflectkit"
        calendar.add_component(_event(checkin, uid=uid, start=start, stamp=stamp))
    ical: bytes = calendar.to_ical()  # icalendar's stubs type this loosely
    return ical


def event_day(checkin: CheckIn, weekday: int | None = None) -> date:
    """Choose the day to put a check-in on the calendar.

    Args:
        checkin: The check-in; its window is seven days long.
        weekday: 0 = Monday .. 6 = Sunday, or ``None``.

    Returns:
        The first day of the window that falls on ``weekday``, or the opening day when
        ``weekday`` is ``None``. A seven-day window always contains every weekday.
    """
    if weekday is None:
        return checkin.opens
    return checkin.opens + timedelta(days=(weekday - checkin.opens.weekday()) % 7)


def _event(checkin: CheckIn, *, uid: str, start: datetime, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=checkin.minutes))
    event.add("summary", f"reflectkit: {checkin.label} ({checkin.minutes} min)")
    event.add("description", f"Run: {checkin.command}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description",
        f"Time for your {checkin.label} ({checkin.minutes} minutes). Run: {checkin.command}",
    )
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def _journal_tag(journal: str) -> str:
    # Stable across runs and machines (unlike hash()), short, and safe in a UID.
    return hashlib.sha256(journal.encode("utf-8")).hexdigest()[:16]


def _check_arguments(
    checkins: Sequence[CheckIn],
    *,
    cycle_id: str,
    journal: str,
    now: datetime,
    weekday: int | None,
    at: time,
) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware, e.g. datetime.now(UTC)")
    if at.tzinfo is not None:
        raise ValueError("at must be a local clock time without a timezone")
    if weekday is not None and weekday not in range(7):
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}")
    if not cycle_id.strip() or not journal:
        raise ValueError("cycle_id and journal must not be empty")
    ids = [c.id for c in checkins]
    if len(ids) != len(set(ids)):
        raise ValueError(f"check-in ids repeat, so their UIDs would clash: {ids}")
