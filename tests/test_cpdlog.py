"""The CPD log: what is refused before anything is saved, how it is stored, and the commands.

Dates come from REFLECTKIT_TODAY or are passed in; the real clock is never read.
"""

from __future__ import annotations

import io
import stat
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from reflectkit import fileio
from reflectkit.cli import sittings
from reflectkit.cli.runner import run
from reflectkit.cli.state import State
from reflectkit.cli.ui import UI
from reflectkit.errors import BadDataError, NotFoundError, UsageError
from reflectkit.journal import cpdlog
from reflectkit.journal.cpdlog import Draft
from reflectkit.journal.store import Journal
from tests.scripted import ScriptedUI

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HOSTILE = 'Course on "risk" | <b> & 🙂 zero\u200bwidth \\ back*slash*'


def draft(**given: Any) -> Draft:
    values: dict[str, Any] = {"date": date(2026, 11, 2), "minutes": 90, "title": "Safeguarding update"}
    return Draft(**{**values, **given})


def snapshot(jr: Journal) -> bytes | None:
    path = cpdlog.log_path(jr)
    return path.read_bytes() if path.exists() else None


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setenv("REFLECTKIT_TODAY", TODAY.isoformat())
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal: nothing is asked
    return TODAY


# -- the core ------------------------------------------------------------------------------------
def test_an_entry_comes_back_exactly(journal: Journal) -> None:
    entry = cpdlog.add(
        journal, draft(title=HOSTILE, with_whom="a colleague", tags=("law",)), today=TODAY, now=NOW
    )
    assert entry.id == 1
    [back] = cpdlog.read_log(journal).entries
    assert back == entry and back.title == HOSTILE
    path = cpdlog.log_path(journal)
    assert path.parent == journal.path and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(journal.temps.glob("*")), "no temp file is left behind"


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"minutes": -30}, "-30 minutes is negative"),
        ({"minutes": 0}, "0 minutes is zero"),
        ({"minutes": 24 * 60 + 1}, "more than 24 hours"),
        ({"date": date(2026, 12, 1)}, "2026-12-01 is in the future"),
        ({"date": date(1999, 12, 31)}, "before 2000-01-01"),
        ({"title": "   "}, "needs a title"),
        ({"title": None}, "needs its title"),
        ({"minutes": None}, "needs its minutes"),
        ({"title": "x" * 201}, "longer than 200 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    journal: Journal, given: dict[str, Any], said: str
) -> None:
    cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    before = snapshot(journal)
    with pytest.raises(UsageError) as caught:
        cpdlog.add(journal, draft(**given), today=TODAY, now=NOW)
    assert said in caught.value.message and "nothing was saved" in caught.value.message
    assert snapshot(journal) == before


def test_edit_checks_too_and_a_missing_entry_is_named(journal: Journal) -> None:
    cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    before = snapshot(journal)
    with pytest.raises(UsageError, match="in the future"):
        cpdlog.edit(journal, 1, Draft(date=date(2027, 1, 1)), today=TODAY)
    with pytest.raises(NotFoundError, match="no CPD log entry 7"):
        cpdlog.edit(journal, 7, Draft(minutes=30), today=TODAY)
    with pytest.raises(NotFoundError, match="no CPD log entry 7"):
        cpdlog.remove(journal, 7)
    assert snapshot(journal) == before
    changed = cpdlog.edit(journal, 1, Draft(minutes=45, participatory=True), today=TODAY, now=NOW)
    assert (changed.minutes, changed.participatory, changed.title) == (45, True, "Safeguarding update")


def test_a_number_is_never_given_twice(journal: Journal) -> None:
    for _ in range(3):
        cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    cpdlog.remove(journal, 3)
    assert cpdlog.add(journal, draft(), today=TODAY, now=NOW).id == 4


def test_unknown_fields_are_kept(journal: Journal) -> None:
    cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    path = cpdlog.log_path(journal)
    data = fileio.read_toml(path)
    data["from_the_future"] = {"kept": True}
    data["entries"][0]["evidence"] = "certificate.pdf"
    data["checksum"] = cpdlog._checksum(data["entries"])
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    cpdlog.add(journal, draft(title="Second"), today=TODAY, now=NOW)
    after = fileio.read_toml(path)
    assert after["from_the_future"] == {"kept": True}
    assert after["entries"][0]["evidence"] == "certificate.pdf"
    assert after["entry_count"] == 2


def test_a_file_cut_short_or_changed_by_hand_is_never_overwritten(journal: Journal) -> None:
    for title in ("One", "Two"):
        cpdlog.add(journal, draft(title=title), today=TODAY, now=NOW)
    path = cpdlog.log_path(journal)
    raw = path.read_text(encoding="utf-8")
    cut = raw[: raw.rindex("[[entries]]")]  # still valid TOML, one entry short
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(BadDataError, match="1 entries, but 2 were saved"):
        cpdlog.read_log(journal)
    with pytest.raises(BadDataError):
        cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    assert path.read_text(encoding="utf-8") == cut


def test_a_newer_format_is_read_but_not_written(journal: Journal) -> None:
    cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    path = cpdlog.log_path(journal)
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version = 1", "schema_version = 2"))
    before = snapshot(journal)
    assert len(cpdlog.read_log(journal).entries) == 1
    with pytest.raises(BadDataError, match="newer reflectkit"):
        cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    assert snapshot(journal) == before


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90", 90),
        ("90m", 90),
        ("45 mins", 45),
        ("1h", 60),
        ("1.5h", 90),
        ("1h 30m", 90),
        ("1:30", 90),
        ("2 hours", 120),
    ],
)
def test_durations_as_people_type_them(typed: str, minutes: int) -> None:
    assert cpdlog.parse_minutes(typed) == minutes


def test_what_is_not_a_duration_or_a_day() -> None:
    for typed in ("", "soon", "1.5", "h"):
        with pytest.raises(UsageError, match="not a length of time"):
            cpdlog.parse_minutes(typed)
    assert cpdlog.parse_day("yesterday", TODAY) == date(2026, 11, 29)
    with pytest.raises(UsageError, match="not a date"):
        cpdlog.parse_day("30/11/2026", TODAY)


# -- the commands ------------------------------------------------------------------------------
def test_log_add_from_options(home: Path, today: date, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "log",
        "add",
        "--title=Team session",
        "--hours",
        "1.5",
        "--participatory",
        "--type",
        "Team-Session",
    ]
    assert run([*args, "--with", "my team", "--tag", "law", "--tag", "trust", "--no-input"]) == 0
    assert "Added to your CPD log as entry 1" in capsys.readouterr().out
    [entry] = cpdlog.read_log(Journal(home / "journals" / "default", "default")).entries
    assert (entry.date, entry.minutes, entry.type, entry.participatory) == (today, 90, "team session", True)
    assert (entry.with_whom, entry.tags) == ("my team", ["law", "trust"])
    assert run(["--plain", "log", "list"]) == 0
    out = capsys.readouterr().out
    assert "1. 30 November 2026: Team session (team session; 1 hour 30 minutes; with others" in out
    assert "1 entry: 1 hour 30 minutes in all, 1 hour 30 minutes of it with others" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--title=Course", "--minutes", "-30"], "-30 minutes is negative"),
        (["--title=Course", "--minutes", "90", "--date", "2026-12-01"], "is in the future"),
        (["--minutes", "90"], "needs its title"),
        (["--title=Course", "--minutes", "90", "--hours", "1"], "not both"),
        (["--title=Course", "--minutes", "90", "--date", "soon"], "'soon' is not a date"),
    ],
)
def test_log_add_refuses_bad_input(
    home: Path, today: date, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    assert run(["log", "add", *args, "--no-input"]) == 2
    assert said in capsys.readouterr().err
    assert not (home / "journals" / "default" / cpdlog.LOG_FILE).exists()


def test_log_edit_and_remove(journal: Journal, today: date, capsys: pytest.CaptureFixture[str]) -> None:
    cpdlog.add(journal, draft(), today=TODAY, now=NOW)
    before = snapshot(journal)
    assert run(["log", "edit", "9", "--minutes", "30"]) == 3
    assert run(["log", "remove", "9", "--yes"]) == 3
    assert "no CPD log entry 9" in capsys.readouterr().err
    assert run(["log", "edit", "1", "--minutes", "-5"]) == 2
    assert run(["log", "edit", "1"]) == 6, "nothing to change, and nobody to ask"
    assert run(["log", "remove", "1"]) == 6, "it asks first, and cannot ask here"
    assert snapshot(journal) == before
    assert run(["log", "edit", "1", "--minutes", "30"]) == 0
    assert cpdlog.read_log(journal).get(1).minutes == 30
    assert run(["log", "remove", "1", "--yes"]) == 0
    assert cpdlog.read_log(journal).entries == []


def test_log_list_of_an_empty_log(home: Path, today: date, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["log", "list"]) == 0
    assert "no entries yet" in capsys.readouterr().out
    assert not (home / "journals").exists(), "listing creates nothing"


def test_a_title_that_may_identify_someone_is_pointed_out(
    home: Path, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["log", "add", "--title=Visit to Mrs Begum", "--minutes", "30", "--no-input"]) == 0
    assert "reflectkit log edit 1" in capsys.readouterr().err


# -- asking, one field at a time -----------------------------------------------------------------
def scripted(home: Path, script: list[Any]) -> tuple[State, ScriptedUI, Journal]:
    st = State(home=str(home))
    ui = ScriptedUI(plain=True, script=list(script))
    st.__dict__["ui"] = ui
    return st, ui, st.journal("default", create=True)


def test_fields_are_asked_and_checked_as_typed(home: Path) -> None:
    script = ["", "Safeguarding", "2026-12-05", "today", "25h", "1h 30m", "course", "maybe", "y", "/back"]
    script += ["y", "a colleague", "law, trust"]
    st, ui, _ = scripted(home, script)
    got = sittings.ask_fields(st, Draft(), today=TODAY)
    assert got == Draft(
        TODAY, 90, "Safeguarding", "course", True, "a colleague", None, None, ("law", "trust")
    )
    shown = ui.shown()
    assert "This one is needed" in shown
    assert "2026-12-05 is in the future" in shown and "more than 24 hours" in shown
    assert "Please type y or n" in shown
    assert ui.prompts.count(sittings.FIELDS[4].prompt) == 3, "/back asked the question before again"


def test_each_question_says_what_it_wants_and_a_refusal_says_what_would_do(home: Path) -> None:
    st, ui, _ = scripted(home, ["Team session", "today", "an hour", "60", "/quit"])
    assert sittings.ask_fields(st, Draft(), today=TODAY) is None
    shown = " ".join(ui.shown().split())
    assert "A short title, such as" in shown  # before the first, bare-sounding question
    assert shown.count("The time you spent, from 1 minute") == 1  # once, though asked twice
    assert "For example: course, conference" in shown  # the kinds, before "What kind of activity?"
    assert "'an hour' is not a length of time. Give minutes (90), or hours" in shown


def test_quit_saves_nothing(home: Path) -> None:
    st, _, journal = scripted(home, ["Safeguarding", "/quit"])
    assert sittings.ask_fields(st, Draft(), today=TODAY) is None
    assert snapshot(journal) is None


def test_a_finished_case_study_is_offered_as_an_entry(home: Path, today: date) -> None:
    st, ui, journal = scripted(home, ["", "50", "y", "my team"])
    entry = sittings.offer_sitting(st, journal, "Case study 2: The meeting nobody came to", 50, case=2)
    assert entry is not None
    assert (entry.date, entry.minutes, entry.type, entry.participatory, entry.case) == (
        TODAY,
        50,
        "team session",
        True,
        2,
    )
    assert ui.initials[1] == "50", "the workbook's time is offered, to accept or change"
    # The same sitting is not offered twice on one day, and nothing is asked without a terminal.
    assert sittings.offer_sitting(st, journal, "Case study 2: The meeting nobody came to", 50) is None
    st.__dict__["ui"] = UI(plain=True, no_input=True)
    assert sittings.offer_sitting(st, journal, "Stage 2: What practitioners can do", 25) is None
    assert len(cpdlog.read_log(journal).entries) == 1


def test_declining_a_sitting_saves_nothing(home: Path, today: date) -> None:
    st, _, journal = scripted(home, ["n"])
    assert sittings.offer_sitting(st, journal, "Stage 1", 30) is None
    st, _, journal = scripted(home, ["/quit"])
    assert sittings.offer_sitting(st, journal, "Stage 1", 30) is None
    assert snapshot(journal) is None
