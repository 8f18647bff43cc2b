"""Stage 4 timing: windows, states, the pick of what is due, and the reminder line."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflectkit.schedule import (
    CHECKIN_IDS,
    CheckIn,
    State,
    due_now,
    plan_reminders,
    reminder_line,
)

UP, DU, OV, MS, DN, SK = State.UPCOMING, State.DUE, State.OVERDUE, State.MISSED, State.DONE, State.SKIPPED


def d(text: str) -> date:
    return date.fromisoformat(text)


# Each case: a start, the five (opens, closes) windows worked out by hand, and the
# states on several days. Windows: week N is days 7(N-1)..7N-1, the revisit 28..34.
WINDOW_CASES = {
    "month end (Jan→Feb)": (
        "2026-01-29",
        [
            ("2026-01-29", "2026-02-04"),
            ("2026-02-05", "2026-02-11"),
            ("2026-02-12", "2026-02-18"),
            ("2026-02-19", "2026-02-25"),
            ("2026-02-26", "2026-03-04"),  # no 29 Feb in 2026
        ],
    ),
    "leap day inside week 1": (
        "2028-02-26",
        [
            ("2028-02-26", "2028-03-03"),  # 26, 27, 28, 29 Feb, 1, 2, 3 Mar
            ("2028-03-04", "2028-03-10"),
            ("2028-03-11", "2028-03-17"),
            ("2028-03-18", "2028-03-24"),
            ("2028-03-25", "2028-03-31"),
        ],
    ),
    "revisit opens on the leap day": (
        "2028-02-01",
        [
            ("2028-02-01", "2028-02-07"),
            ("2028-02-08", "2028-02-14"),
            ("2028-02-15", "2028-02-21"),
            ("2028-02-22", "2028-02-28"),
            ("2028-02-29", "2028-03-06"),
        ],
    ),
    "year end": (
        "2026-12-17",
        [
            ("2026-12-17", "2026-12-23"),
            ("2026-12-24", "2026-12-30"),
            ("2026-12-31", "2027-01-06"),
            ("2027-01-07", "2027-01-13"),
            ("2027-01-14", "2027-01-20"),
        ],
    ),
    "starts on New Year's Eve": (
        "2026-12-31",
        [
            ("2026-12-31", "2027-01-06"),
            ("2027-01-07", "2027-01-13"),
            ("2027-01-14", "2027-01-20"),
            ("2027-01-21", "2027-01-27"),
            ("2027-01-28", "2027-02-03"),
        ],
    ),
    "BST starts Sun 29 Mar 2026, inside week 1": (
        "2026-03-25",
        [
            ("2026-03-25", "2026-03-31"),
            ("2026-04-01", "2026-04-07"),
            ("2026-04-08", "2026-04-14"),
            ("2026-04-15", "2026-04-21"),
            ("2026-04-22", "2026-04-28"),
        ],
    ),
    "BST starts on the last day of week 1": (
        "2026-03-23",
        [
            ("2026-03-23", "2026-03-29"),
            ("2026-03-30", "2026-04-05"),
            ("2026-04-06", "2026-04-12"),
            ("2026-04-13", "2026-04-19"),
            ("2026-04-20", "2026-04-26"),
        ],
    ),
    "GMT returns Sun 25 Oct 2026, inside week 1": (
        "2026-10-22",
        [
            ("2026-10-22", "2026-10-28"),
            ("2026-10-29", "2026-11-04"),
            ("2026-11-05", "2026-11-11"),
            ("2026-11-12", "2026-11-18"),
            ("2026-11-19", "2026-11-25"),
        ],
    ),
}

STATE_CASES = [
    # (start, today, states of week-1 .. week-4, revisit)
    ("2026-01-29", "2026-01-28", (UP, UP, UP, UP, UP)),  # the day before the start
    ("2026-01-29", "2026-01-29", (DU, UP, UP, UP, UP)),
    ("2026-01-29", "2026-02-04", (DU, UP, UP, UP, UP)),  # last day of week 1
    ("2026-01-29", "2026-02-05", (MS, DU, UP, UP, UP)),  # first day of February's week
    ("2026-01-29", "2026-02-28", (MS, MS, MS, MS, DU)),
    ("2026-01-29", "2026-03-04", (MS, MS, MS, MS, DU)),  # last day of the revisit window
    ("2026-01-29", "2026-03-05", (MS, MS, MS, MS, OV)),
    ("2026-01-29", "2027-06-01", (MS, MS, MS, MS, OV)),  # the revisit stays overdue
    ("2028-02-26", "2028-02-28", (DU, UP, UP, UP, UP)),
    ("2028-02-26", "2028-02-29", (DU, UP, UP, UP, UP)),
    ("2028-02-26", "2028-03-01", (DU, UP, UP, UP, UP)),
    ("2028-02-26", "2028-03-03", (DU, UP, UP, UP, UP)),
    ("2028-02-26", "2028-03-04", (MS, DU, UP, UP, UP)),
    ("2028-02-01", "2028-02-28", (MS, MS, MS, DU, UP)),
    ("2028-02-01", "2028-02-29", (MS, MS, MS, MS, DU)),
    ("2028-02-01", "2028-03-06", (MS, MS, MS, MS, DU)),
    ("2028-02-01", "2028-03-07", (MS, MS, MS, MS, OV)),
    ("2026-12-17", "2026-12-31", (MS, MS, DU, UP, UP)),
    ("2026-12-17", "2027-01-01", (MS, MS, DU, UP, UP)),
    ("2026-12-17", "2027-01-07", (MS, MS, MS, DU, UP)),
    ("2026-12-31", "2026-12-31", (DU, UP, UP, UP, UP)),
    ("2026-12-31", "2027-01-07", (MS, DU, UP, UP, UP)),
    ("2026-03-25", "2026-03-28", (DU, UP, UP, UP, UP)),  # Saturday, last day of GMT
    ("2026-03-25", "2026-03-29", (DU, UP, UP, UP, UP)),  # clocks go forward
    ("2026-03-25", "2026-03-30", (DU, UP, UP, UP, UP)),  # Monday, first weekday of BST
    ("2026-03-25", "2026-04-01", (MS, DU, UP, UP, UP)),
    ("2026-03-23", "2026-03-29", (DU, UP, UP, UP, UP)),
    ("2026-03-23", "2026-03-30", (MS, DU, UP, UP, UP)),
    ("2026-10-22", "2026-10-24", (DU, UP, UP, UP, UP)),  # last day of BST
    ("2026-10-22", "2026-10-25", (DU, UP, UP, UP, UP)),  # clocks go back
    ("2026-10-22", "2026-10-26", (DU, UP, UP, UP, UP)),
    ("2026-10-22", "2026-10-29", (MS, DU, UP, UP, UP)),
    ("2026-10-22", "2026-11-25", (MS, MS, MS, MS, DU)),
    ("2026-10-22", "2026-11-26", (MS, MS, MS, MS, OV)),
]


def states(checkins: list[CheckIn]) -> tuple[State, ...]:
    return tuple(c.state for c in checkins)


@pytest.mark.parametrize(("started", "windows"), WINDOW_CASES.values(), ids=WINDOW_CASES.keys())
def test_windows(started: str, windows: list[tuple[str, str]]) -> None:
    plan = plan_reminders(d(started), d(started))
    assert [(c.opens, c.closes) for c in plan] == [(d(a), d(b)) for a, b in windows]


@pytest.mark.parametrize(("started", "today", "expected"), STATE_CASES)
def test_states(started: str, today: str, expected: tuple[State, ...]) -> None:
    assert states(plan_reminders(d(started), d(today))) == expected


def test_fixed_fields() -> None:
    plan = plan_reminders(d("2026-01-05"), d("2026-01-05"))
    assert [c.id for c in plan] == list(CHECKIN_IDS)
    assert [c.kind for c in plan] == ["weekly"] * 4 + ["revisit"]
    assert [c.number for c in plan] == [1, 2, 3, 4, 5]
    assert [c.minutes for c in plan] == [5, 5, 5, 5, 15]
    assert [c.command for c in plan] == ["reflectkit reflect"] * 4 + ["reflectkit revisit"]
    assert [c.label for c in plan] == [
        "week 1 reflection",
        "week 2 reflection",
        "week 3 reflection",
        "week 4 reflection",
        "four-week revisit",
    ]


@pytest.mark.parametrize(
    ("today", "done", "skipped", "expected"),
    [
        # Done counts whatever its date: early, on time, late, even before the start.
        ("2026-01-20", {"week-1": d("2026-01-06")}, (), (DN, MS, DU, UP, UP)),
        ("2026-01-06", {"week-3": d("2026-01-06")}, (), (DU, UP, DN, UP, UP)),
        ("2026-01-20", {"week-2": d("2025-12-01")}, (), (MS, DN, DU, UP, UP)),
        ("2026-01-01", {"revisit": d("2026-01-01")}, (), (UP, UP, UP, UP, DN)),
        # Skipped wins over the date-based states...
        ("2026-01-20", {}, ("week-1", "week-3"), (SK, MS, SK, UP, UP)),
        ("2026-01-01", {}, ("week-4",), (UP, UP, UP, SK, UP)),
        # ...and done wins over skipped.
        ("2026-01-20", {"week-1": d("2026-01-07")}, ("week-1", "week-2"), (DN, SK, DU, UP, UP)),
        ("2026-03-01", {"revisit": d("2026-03-01")}, ("revisit",), (MS, MS, MS, MS, DN)),
        # Ids that are not check-ins are ignored rather than fatal.
        ("2026-01-20", {"week-9": d("2026-01-07")}, ("stage-4",), (MS, MS, DU, UP, UP)),
    ],
)
def test_done_and_skipped(
    today: str, done: dict[str, date], skipped: tuple[str, ...], expected: tuple[State, ...]
) -> None:
    plan = plan_reminders(d("2026-01-05"), d(today), done=done, skipped=skipped)
    assert states(plan) == expected


def test_skipped_accepts_any_collection() -> None:
    plan = plan_reminders(d("2026-01-05"), d("2026-01-20"), skipped={"week-2"})
    assert states(plan) == (MS, SK, DU, UP, UP)


@pytest.mark.parametrize(
    ("started", "today"),
    [(datetime(2026, 1, 5, 9), d("2026-01-05")), (d("2026-01-05"), datetime(2026, 1, 5, 9))],
)
def test_datetimes_are_refused(started: date, today: date) -> None:
    with pytest.raises(TypeError, match=r"must be a datetime\.date"):
        plan_reminders(started, today)


@pytest.mark.parametrize(
    ("today", "done", "skipped", "expected"),
    [
        ("2026-01-04", {}, (), None),  # nothing open yet
        ("2026-01-05", {}, (), "week-1"),
        ("2026-01-12", {}, (), "week-2"),  # a missed week does not nag
        ("2026-01-19", {}, (), "week-3"),
        ("2026-01-19", {"week-1": d("2026-01-19")}, (), "week-3"),
        ("2026-01-19", {}, ("week-1", "week-2"), "week-3"),  # only the due one is left
        ("2026-03-20", {}, (), "revisit"),  # the revisit stays overdue
        ("2026-02-02", {}, ("week-1", "week-2", "week-3", "week-4"), "revisit"),
        ("2026-02-10", {}, ("week-1", "week-2", "week-3", "week-4"), "revisit"),  # overdue
        ("2026-01-12", {"week-1": d("2026-01-12"), "week-2": d("2026-01-12")}, (), None),
        ("2026-02-10", {}, CHECKIN_IDS, None),
    ],
)
def test_due_now(today: str, done: dict[str, date], skipped: tuple[str, ...], expected: str | None) -> None:
    picked = due_now(plan_reminders(d("2026-01-05"), d(today), done=done, skipped=skipped))
    assert (picked.id if picked else None) == expected


def test_due_now_orders_by_date_not_input_order() -> None:
    plan = plan_reminders(d("2026-01-05"), d("2026-02-10"), done={"week-4": d("2026-01-05")})
    assert states(plan) == (MS, MS, MS, DN, OV)
    picked = due_now(reversed(plan))
    assert picked is not None
    assert picked.id == "revisit"


@pytest.mark.parametrize(
    ("started", "today", "skipped", "expected"),
    [
        (
            "2026-11-30",
            "2026-11-30",
            (),
            "Your week 1 reflection (5 minutes) is due — run: reflectkit reflect",
        ),
        (  # week 1 was missed: the week that has begun is the one named
            "2026-11-30",
            "2026-12-09",
            (),
            "Your week 2 reflection (5 minutes) is due — run: reflectkit reflect",
        ),
        (
            "2028-02-01",
            "2028-02-29",
            ("week-1", "week-2", "week-3", "week-4"),
            "Your four-week revisit (15 minutes) is due — run: reflectkit revisit",
        ),
        (
            "2028-02-01",
            "2028-03-07",
            ("week-1", "week-2", "week-3", "week-4"),
            "Your four-week revisit (15 minutes) is overdue since Tue 7 Mar — run: reflectkit revisit",
        ),
        (  # overdue since a day in another year: the year is shown
            "2026-11-23",
            "2027-01-02",
            ("week-4",),
            "Your four-week revisit (15 minutes) is overdue since Mon 28 Dec 2026 — run: reflectkit revisit",
        ),
        (  # the leap day itself
            "2028-01-25",
            "2028-03-01",
            (),
            "Your four-week revisit (15 minutes) is overdue since Tue 29 Feb — run: reflectkit revisit",
        ),
    ],
)
def test_reminder_line(started: str, today: str, skipped: tuple[str, ...], expected: str) -> None:
    plan = plan_reminders(d(started), d(today), skipped=skipped)
    assert reminder_line(plan, d(today)) == expected


@pytest.mark.parametrize(
    ("today", "done", "skipped"),
    [
        ("2026-01-04", {}, ()),  # before the start
        ("2026-01-07", {"week-1": d("2026-01-06")}, ()),  # done this week, next not open
        ("2026-03-01", {}, CHECKIN_IDS),  # all skipped
        ("2026-03-01", dict.fromkeys(CHECKIN_IDS, d("2026-02-01")), ()),  # all done
    ],
)
def test_reminder_line_none_when_nothing_due(
    today: str, done: dict[str, date], skipped: tuple[str, ...]
) -> None:
    plan = plan_reminders(d("2026-01-05"), d(today), done=done, skipped=skipped)
    assert reminder_line(plan, d(today)) is None


def test_reminder_line_ignores_locale() -> None:
    import locale

    original = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "cy_GB.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            plan = plan_reminders(d("2026-10-26"), d("2026-12-09"))
            assert "Mon 30 Nov" in (reminder_line(plan, d("2026-12-09")) or "")
        finally:
            locale.setlocale(locale.LC_TIME, original)
        return
    pytest.skip("no non-English locale installed")


@given(
    started=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)),
    offset=st.integers(min_value=-10, max_value=60),
)
def test_plan_invariants(started: date, offset: int) -> None:
    today = started + timedelta(days=offset)
    plan = plan_reminders(started, today)
    assert plan[0].opens == started
    for before, after in itertools.pairwise(plan):
        assert after.opens == before.closes + timedelta(days=1)  # no gaps, no overlaps
    for c in plan:
        assert (c.closes - c.opens).days == 6
        late = MS if c.kind == "weekly" else OV
        assert c.state is (UP if today < c.opens else DU if today <= c.closes else late)
    # At most one window holds today, and states only ever run missed → due → upcoming.
    order = {MS: 0, OV: 1, DU: 1, UP: 2}
    assert [order[s] for s in states(plan)] == sorted(order[s] for s in states(plan))
    assert states(plan).count(DU) == (1 if 0 <= offset <= 34 else 0)


def test_import_is_light() -> None:
    code = (
        "import sys, reflectkit.schedule;"
        "heavy = {'pydantic', 'typer', 'rich', 'icalendar', 'tomli_w', 'platformdirs'};"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
