"""Case-study tools, resources, Stage 4 commands and privacy commands, called in-process."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from reflectkit.cli.runner import run
from reflectkit.errors import ExitCode
from reflectkit.journal.cycles import read_cycles
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setenv("REFLECTKIT_TODAY", "2026-11-23")
    return date(2026, 11, 23)


# -- Case studies --------------------------------------------------------------------
def test_case_list_shows_every_case_and_progress(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.save_answer(
        Section("case", "first-home-visit"), "immediate", question="Q", kind="text", value="x"
    )
    assert run(["--plain", "case"]) == 0
    out = capsys.readouterr().out
    for title in ("A first home visit", "Twenty-eight days", "Poverty, shame and being believed"):
        assert title in out
    assert "1 of 7" in out and "not started" in out


def test_case_validate_accepts_a_good_file_and_explains_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builtin = DATA / "case_studies" / "03-night-in-a-and-e.toml"
    good = tmp_path / "good.toml"
    good.write_text(
        builtin.read_text()
        .replace("number = 3", "number = 103")
        .replace('id = "night-in-a-and-e"', 'id = "my-night"')
    )
    assert run(["case", "validate", str(good)]) == 0
    assert "is a valid case study: A night in A&E" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("number = 103", "number = 'three'"))
    assert run(["case", "validate", str(bad)]) == ExitCode.BAD_DATA
    err = capsys.readouterr().err
    assert "bad.toml: number:" in err and "Traceback" not in err


def test_case_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["case", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "questions" in schema["properties"]


def test_local_case_studies_appear_and_broken_ones_are_reported(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = home / "case_studies"
    local.mkdir(parents=True)
    text = (DATA / "case_studies" / "01-first-home-visit.toml").read_text()
    (local / "team-case.toml").write_text(
        text.replace("number = 1", "number = 20").replace('id = "first-home-visit"', 'id = "team-case"')
    )
    (local / "broken.toml").write_text("number = ")
    assert run(["--plain", "case"]) == 0
    captured = capsys.readouterr()
    assert "20" in captured.out and "(local)" in captured.out
    assert "broken.toml" in captured.err


def test_unknown_case_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["case", "42"]) == ExitCode.NOT_FOUND
    assert "There is no case study 42" in capsys.readouterr().err


def test_resources_filter_by_profession(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--plain", "resources", "--profession", "social-work"]) == 0
    social = capsys.readouterr().out
    assert "doi.org/10.1332/204986015X14212365837689" in social  # Gupta 2015
    assert run(["resources", "--profession", "plumbing"]) == ExitCode.USAGE
    assert "Choose from" in capsys.readouterr().err


# -- Stage 4 ---------------------------------------------------------------------------
def test_remind_restart_then_ics(
    journal: Journal, today: date, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["remind"]) == 0
    assert "Stage 4 has not started" in capsys.readouterr().out
    assert run(["remind", "--restart", "--weekday", "friday", "--at", "08:30"]) == 0
    out = capsys.readouterr().out
    assert "week 1 reflection" in out and "due" in out
    ics = tmp_path / "r.ics"
    assert run(["remind", "--ics", str(ics)]) == 0
    cal = Calendar.from_ical(ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 5
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts[0].weekday() == 4 and (starts[0].hour, starts[0].minute) == (8, 30)
    uids = [str(e["UID"]) for e in events]
    assert run(["remind", "--ics", str(ics)]) == ExitCode.USAGE  # exists: needs --force
    assert run(["remind", "--ics", str(ics), "--force"]) == 0
    assert sorted(str(e["UID"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == sorted(uids)


def test_restart_keeps_earlier_cycles(journal: Journal, today: date) -> None:
    assert run(["remind", "--restart"]) == 0
    assert run(["remind", "--restart"]) == 0
    assert [c.number for c in read_cycles(journal.path)] == [1, 2]


def test_reflect_says_kindly_when_nothing_is_due(
    journal: Journal, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["reflect"]) == 0
    assert "has not started" in capsys.readouterr().out
    from reflectkit.journal.cycles import mark, start_cycle

    start_cycle(journal.path, today)
    mark(journal.path, 1, "week-1", done=today)
    assert run(["reflect"]) == 0
    out = capsys.readouterr().out
    assert "Nothing is due just now" in out and "--anyway" in out
    assert run(["revisit"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "the four-week revisit, opens on Monday 21 December" in out


def test_progress_shows_bars_and_schedule(
    journal: Journal, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.save_answer(Section("stage", "1"), "relate", question="Q", kind="text", value="x")
    assert run(["--plain", "progress"]) == 0
    out = capsys.readouterr().out
    assert "Stage 1: What practitioners and migrant families told us" in out
    # In --plain mode "1 of 4" says it; a bar of symbols would be read out one by one.
    assert "1 of 4" in out and "#" not in out
    assert "Stage 4 has not started" in out
    assert run(["progress"]) == 0
    assert "1 of 4" in capsys.readouterr().out


# -- Privacy ---------------------------------------------------------------------------
def test_names_are_added_listed_removed_and_never_exported(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Amira\nO'Neil\n"))
    assert run(["privacy", "names", "add"]) == 0
    assert run(["privacy", "names", "list"]) == 0
    assert "Amira" in capsys.readouterr().out
    journal.save_answer(
        Section("stage", "1"), "relate", question="Q", kind="text", value="I visited amira and her son."
    )
    assert run(["check"]) == ExitCode.FOUND
    assert "amira" in capsys.readouterr().out
    assert run(["export", "--as", "json"]) == 0
    captured = capsys.readouterr()
    assert "Amira" not in json.dumps(json.loads(captured.out)).replace("amira", "")
    assert "warning" in captured.err
    monkeypatch.setattr("sys.stdin", io.StringIO("amira\n"))
    assert run(["privacy", "names", "remove"]) == 0
    assert run(["check"]) == 0


def test_check_names_each_answer_once_with_all_its_findings(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    value = "Call Mrs Begum on 07700 900123 or write to 14 Oak Road."
    journal.save_answer(Section("stage", "1"), "relate", question="Q", kind="text", value=value)
    journal.save_answer(
        Section("stage", "1"), "similar", question="Q2", kind="text", value="Mr Khan came.", position=1
    )
    assert run(["--plain", "check"]) == ExitCode.FOUND
    out = capsys.readouterr().out
    assert out.count("To change it: reflectkit stage 1 --prompt 1") == 1
    assert out.count("To change it: reflectkit stage 1 --prompt 2") == 1
    assert all(found in out for found in ("Mrs Begum", "07700 900123", "14 Oak Road", "Mr Khan"))
    assert run(["check"]) == ExitCode.FOUND  # the styled layout, sent to a pipe
    styled = capsys.readouterr().out
    assert "Mrs Begum" in styled
    quoted = [line for line in styled.splitlines() if line.lstrip().startswith('"')]
    assert quoted and not [line for line in quoted if line.endswith(" ")], "padded with spaces"


def test_check_json_for_scripts(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    journal.save_answer(
        Section("stage", "1"),
        "relate",
        question="Q",
        kind="text",
        value="Her NHS number is 943 476 5919 and she lives at SW1A 1AA.",
    )
    assert run(["check", "--json"]) == ExitCode.FOUND
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {f["kind"] for f in findings} == {"nhs-number", "postcode"}


def test_export_strict_refuses_when_something_identifies(
    journal: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.save_answer(Section("stage", "1"), "relate", question="Q", kind="text", value="Call 07700 900123")
    target = tmp_path / "out.md"
    assert run(["export", "--strict", "--output", str(target)]) != 0
    assert not target.exists()
    assert "Nothing was exported" in capsys.readouterr().err


def test_an_empty_home_is_created_private(home: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)
    assert run(["journal"]) == 0
    assert not home.exists()  # a command that only reads creates nothing
    assert run(["remind", "--restart"]) == 0
    assert (home.stat().st_mode & 0o777) == 0o700


def test_revisit_points_to_the_weekly_reflection_that_is_waiting(
    journal: Journal, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    from reflectkit.journal.cycles import start_cycle

    start_cycle(journal.path, today)
    assert run(["revisit"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Not this one yet." in out and "Your week 1 reflection is due: reflectkit reflect" in out


def test_a_mistyped_journal_name_is_reported_not_created(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["progress", "-j", "tem"], ["remind", "-j", "tem"], ["reflect", "-j", "tem"]):
        assert run(command) == ExitCode.NOT_FOUND
        assert "There is no journal called 'tem'" in capsys.readouterr().err
    assert not (home / "journals" / "tem").exists()
    assert run(["remind", "--restart", "-j", "team"]) == 0
    assert (home / "journals" / "team").is_dir()


# -- Looking after journals: rename, delete, forget ------------------------------------
def test_a_journal_can_be_renamed_and_deleted(
    journal: Journal, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    journal.save_answer(Section("stage", "1"), "relate", question="Q", kind="text", value="kept")
    assert run(["journal", "rename", "default", "work"]) == 0
    assert (home / "journals" / "work" / "entries" / "stage-1.toml").exists()
    assert not (home / "journals" / "default").exists()
    assert run(["journal", "rename", "work", "../x"]) == ExitCode.USAGE
    capsys.readouterr()
    assert run(["journal", "delete", "work"]) == ExitCode.NEEDS_INPUT  # no terminal: it asks first
    assert (home / "journals" / "work").exists()
    assert run(["journal", "delete", "work", "--yes"]) == 0
    assert not (home / "journals" / "work").exists()
    assert "cannot be undone" in capsys.readouterr().out


def test_one_answer_or_one_earlier_version_can_be_forgotten(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    s1 = Section("stage", "1")
    for text in ("first", "second", "third"):
        journal.save_answer(s1, "relate", question="Q", kind="text", value=text)
    assert run(["journal", "forget", "--stage", "1", "--question", "1", "--earlier", "1", "--yes"]) == 0
    answer = journal.load(s1).answers["relate"]  # type: ignore[union-attr]
    assert answer.value == "third" and [e.value for e in answer.history] == ["second"]
    assert run(["journal", "forget", "--stage", "1", "--question", "1", "--yes"]) == 0
    answer = journal.load(s1).answers["relate"]  # type: ignore[union-attr]
    assert answer.value == "second" and answer.history == []
    assert run(["journal", "forget", "--stage", "1", "--question", "1", "--everything", "--yes"]) == 0
    assert "relate" not in journal.load(s1).answers  # type: ignore[union-attr]
    assert run(["journal", "forget", "--stage", "1", "--question", "1", "--yes"]) == ExitCode.NOT_FOUND
    assert run(["journal", "forget", "--question", "1", "--yes"]) == ExitCode.USAGE
