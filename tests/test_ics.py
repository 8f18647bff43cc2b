"""The Stage 4 calendar export: golden files, then the file read back with icalendar.

To accept a deliberate change to the output, run
``REFLECTKIT_UPDATE_GOLDEN=1 uv run pytest tests/test_ics.py`` and review the diff.
"""

from __future__ import annotations

import time as time_module
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflectkit.calendar_ics import build_ics, event_day
from reflectkit.schedule import CheckIn, plan_reminders
from tests.golden_files import assert_golden

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 10, 22, 8, 15, 30, tzinfo=UTC)


def d(text: str) -> date:
    return date.fromisoformat(text)


def export(
    started: str,
    today: str | None = None,
    *,
    now: datetime = NOW,
    journal: str = "work",
    cycle_id: str = "cycle-1",
    weekday: int | None = None,
    at: time = time(9, 0),
) -> bytes:
    plan = plan_reminders(d(started), d(today or started))
    return build_ics(plan, cycle_id=cycle_id, journal=journal, now=now, weekday=weekday, at=at)


def events(ics: bytes) -> list[icalendar.Event]:
    found = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return [e for e in found if isinstance(e, icalendar.Event)]


def uids(ics: bytes) -> list[str]:
    return [str(e["UID"]) for e in events(ics)]


def starts(ics: bytes) -> list[datetime]:
    return [e.decoded("DTSTART") for e in events(ics)]


# --- golden files -------------------------------------------------------------------


def test_golden_default() -> None:
    # Starts three days before the clocks go back (Sun 25 Oct 2026); one done, one skipped.
    plan = plan_reminders(
        d("2026-10-22"), d("2026-11-06"), done={"week-1": d("2026-10-23")}, skipped=["week-2"]
    )
    assert_golden(build_ics(plan, cycle_id="cycle-1", journal="work", now=NOW), "reminders.ics")


def test_golden_weekday_and_time() -> None:
    # Leap-year start on a Saturday; every event on the Tuesday of its window, 17:30.
    ics = export("2028-02-26", weekday=1, at=time(17, 30), journal="team-b", cycle_id="cycle-3")
    assert_golden(ics, "reminders-weekday.ics")


# --- the file read back -------------------------------------------------------------


def test_calendar_properties() -> None:
    calendar = icalendar.Calendar.from_ical(export("2026-01-29"))
    assert str(calendar["PRODID"]) == "-//reflectkit//reflectkit//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "reflectkit reflections"


def test_five_events_with_durations_and_text() -> None:
    found = events(export("2026-01-29"))
    assert [e.decoded("DURATION") for e in found] == [timedelta(minutes=m) for m in (5, 5, 5, 5, 15)]
    assert [str(e["SUMMARY"]) for e in found] == [
        "reflectkit: week 1 reflection (5 min)",
        "reflectkit: week 2 reflection (5 min)",
        "reflectkit: week 3 reflection (5 min)",
        "reflectkit: week 4 reflection (5 min)",
        "reflectkit: four-week revisit (15 min)",
    ]
    assert [str(e["DESCRIPTION"]) for e in found] == ["Run: reflectkit reflect"] * 4 + [
        "Run: reflectkit revisit"
    ]
    assert all("DTEND" not in e for e in found)  # DURATION only: RFC 5545 allows one


def test_all_five_whatever_their_state() -> None:
    plan = plan_reminders(
        d("2026-01-05"), d("2026-02-20"), done={"week-1": d("2026-01-05")}, skipped=["week-2"]
    )
    assert len(events(build_ics(plan, cycle_id="c", journal="j", now=NOW))) == 5


def test_one_display_alarm_each() -> None:
    for event in events(export("2026-01-29")):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        alarm = alarms[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
        assert str(alarm["DESCRIPTION"]).startswith("Time for your ")
        assert str(event["DESCRIPTION"]) in str(alarm["DESCRIPTION"])
    assert b"TRIGGER:-PT10M\r\n" in export("2026-01-29")


@pytest.mark.parametrize(
    ("started", "weekday", "expected"),
    [
        # Month end, Thursday start: opening days, then the Mondays, then the Thursdays.
        (
            "2026-01-29",
            None,
            ["2026-01-29", "2026-02-05", "2026-02-12", "2026-02-19", "2026-02-26"],
        ),
        ("2026-01-29", 0, ["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02"]),
        ("2026-01-29", 3, ["2026-01-29", "2026-02-05", "2026-02-12", "2026-02-19", "2026-02-26"]),
        ("2026-01-29", 2, ["2026-02-04", "2026-02-11", "2026-02-18", "2026-02-25", "2026-03-04"]),
        # Leap day inside week 1 (Saturday start); Tuesday lands on 29 Feb.
        (
            "2028-02-26",
            None,
            ["2028-02-26", "2028-03-04", "2028-03-11", "2028-03-18", "2028-03-25"],
        ),
        ("2028-02-26", 1, ["2028-02-29", "2028-03-07", "2028-03-14", "2028-03-21", "2028-03-28"]),
        # The revisit window opens on 29 Feb (Tuesday start).
        (
            "2028-02-01",
            None,
            ["2028-02-01", "2028-02-08", "2028-02-15", "2028-02-22", "2028-02-29"],
        ),
        ("2028-02-01", 6, ["2028-02-06", "2028-02-13", "2028-02-20", "2028-02-27", "2028-03-05"]),
        # Year end.
        ("2026-12-31", 4, ["2027-01-01", "2027-01-08", "2027-01-15", "2027-01-22", "2027-01-29"]),
        # Across both British clock changes: still 09:00 wall-clock, floating.
        ("2026-03-23", 6, ["2026-03-29", "2026-04-05", "2026-04-12", "2026-04-19", "2026-04-26"]),
        ("2026-10-22", 6, ["2026-10-25", "2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22"]),
    ],
)
def test_event_days(started: str, weekday: int | None, expected: list[str]) -> None:
    ics = export(started, weekday=weekday)
    assert starts(ics) == [datetime.combine(d(day), time(9, 0)) for day in expected]


def test_start_time_is_floating() -> None:
    ics = export("2026-03-23", weekday=6, at=time(7, 45))
    assert all(start.tzinfo is None for start in starts(ics))
    assert b"TZID" not in ics
    assert b"VTIMEZONE" not in ics
    assert b"DTSTART:20260329T074500\r\n" in ics  # the morning the clocks go forward


def test_dtstamp_is_now_in_utc() -> None:
    bst_now = datetime(2026, 6, 1, 10, 0, 0, 987654, tzinfo=timezone(timedelta(hours=1)))
    found = events(export("2026-01-29", now=bst_now))
    assert {e.decoded("DTSTAMP") for e in found} == {datetime(2026, 6, 1, 9, 0, tzinfo=UTC)}
    assert export("2026-01-29", now=bst_now).count(b"DTSTAMP:20260601T090000Z\r\n") == 5


# --- UIDs ---------------------------------------------------------------------------


def test_uids_unique_and_shaped() -> None:
    found = uids(export("2026-01-29"))
    assert len(set(found)) == 5
    ids = ("week-1", "week-2", "week-3", "week-4", "revisit")
    for uid, checkin_id in zip(found, ids, strict=True):
        assert uid.startswith(f"cycle-1-{checkin_id}.")
        assert uid.endswith("@reflectkit")


def test_uids_stable_across_exports() -> None:
    first = export("2026-01-29", "2026-01-29", now=NOW)
    later = export("2026-01-29", "2026-02-20", now=NOW + timedelta(days=29, hours=3))
    assert uids(later) == uids(first)
    assert first != later  # DTSTAMP moved on; nothing else may decide the UIDs


def test_uids_do_not_depend_on_weekday_or_time() -> None:
    # Moving the reminders to another day or hour must update the events, not add more.
    assert uids(export("2026-01-29", weekday=4, at=time(16, 0))) == uids(export("2026-01-29"))


@pytest.mark.parametrize("change", [{"journal": "home"}, {"cycle_id": "cycle-2"}])
def test_uids_differ_between_journals_and_cycles(change: dict[str, Any]) -> None:
    assert set(uids(export("2026-01-29", **change))).isdisjoint(uids(export("2026-01-29")))


def test_journal_name_stays_out_of_the_file() -> None:
    ics = export("2026-01-29", journal="hassan-family-visits")
    assert b"hassan" not in ics


# --- determinism and format ---------------------------------------------------------


def test_byte_identical_for_same_inputs() -> None:
    assert export("2028-02-26", weekday=1) == export("2028-02-26", weekday=1)


@pytest.mark.skipif(not hasattr(time_module, "tzset"), reason="needs time.tzset")
def test_machine_timezone_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = set()
    for zone in ("Europe/London", "America/New_York", "Asia/Kolkata"):
        monkeypatch.setenv("TZ", zone)
        time_module.tzset()
        outputs.add(export("2026-10-22", weekday=6))
    monkeypatch.undo()
    time_module.tzset()
    assert len(outputs) == 1


def test_lines_are_crlf_and_folded() -> None:
    ics = export("2026-01-29")
    assert ics.endswith(b"END:VCALENDAR\r\n")
    lines = ics.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75


# --- arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"now": datetime(2026, 1, 1, 9)}, "timezone-aware"),
        ({"at": time(9, 0, tzinfo=UTC)}, "without a timezone"),
        ({"weekday": 7}, "weekday"),
        ({"weekday": -1}, "weekday"),
        ({"cycle_id": ""}, "must not be empty"),
        ({"journal": ""}, "must not be empty"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        export("2026-01-29", **kwargs)


def test_repeated_checkin_refused() -> None:
    plan = plan_reminders(d("2026-01-29"), d("2026-01-29"))
    with pytest.raises(ValueError, match="UIDs would clash"):
        build_ics([*plan, plan[0]], cycle_id="c", journal="j", now=NOW)


@given(
    started=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    weekday=st.integers(min_value=0, max_value=6),
)
def test_event_day_is_the_first_matching_day_in_the_window(started: date, weekday: int) -> None:
    for checkin in plan_reminders(started, started):
        day = event_day(checkin, weekday)
        assert checkin.opens <= day <= checkin.closes
        assert day.weekday() == weekday
        assert (day - checkin.opens).days < 7
    first: CheckIn = plan_reminders(started, started)[0]
    assert event_day(first) == started
