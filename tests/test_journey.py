"""The journey as a new user walks it (issue 14): what is said at the end of a part, the
words and numbers on screen, tables laid out as tables, a calendar of what is left, exports
on a new install, and reading skipped when asked."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

from reflectkit.cli.journey import end_of_part, stage_items
from reflectkit.cli.runner import run
from reflectkit.errors import ExitCode
from reflectkit.export.markdown import quote
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal
from tests.scripted import make_asker

CASE2 = Section("case", "meeting-nobody-came-to")


def pipe(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_the_end_of_a_stage_says_what_was_skipped_and_how_to_answer_it(home: Path) -> None:
    asker, ui, journal = make_asker(home, [])
    items = stage_items(asker.st.workbook, 1)
    journal.save_answer(items[0].section, items[0].question.id, question="Q", kind="text", value="x")
    end_of_part(asker.st, journal, items, "Stage 1", "Stage 2.")
    shown = " ".join(ui.shown().split())
    assert f"Stage 1: 1 of {len(items)} answered; {len(items) - 1} questions left for later." in shown
    assert "To answer question 2: reflectkit stage 1 --prompt 2" in shown and "Next: Stage 2." in shown


def test_a_table_answer_is_reviewed_as_a_table_at_the_full_width(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    pipe(monkeypatch, "'Concerns'|Max is in trouble|Max does well in maths\n")
    assert run(["case", "2", "--question", "3"]) == 0
    assert run(["--plain", "case", "2", "--review"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "'Concerns'" in line)
    assert "Max is in trouble" in row and "Max does well in maths" in row  # one row, one line
    assert "What it said or left out: 'Concerns'" not in out  # not the old run-on line
    assert run(["--plain", "case"]) == 0
    listed = capsys.readouterr().out
    assert any("health visiting, midwifery, nursing, primary care" in line for line in listed.splitlines())


def test_counts_and_dates_read_as_english(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.save_answer(Section("reflection", "1-week-1"), "what", question="Q", kind="text", value="x")
    assert run(["journal"]) == 0
    assert "1 part answered (0 case studies, 1 reflection)" in capsys.readouterr().out
    pipe(monkeypatch, "Amira\n")
    assert run(["privacy", "names", "add"]) == 0
    assert "Added 1 name. reflectkit now watches for 1 name." in capsys.readouterr().out
    assert run(["export"]) == 0
    out = capsys.readouterr().out
    assert "Answers written on " in out and "between" not in out
    assert run(["case", "2", "--question", "abc"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "'abc' is not a valid integer" in err and "Input should be" not in err
    assert run(["export", "--stage", "5"]) == ExitCode.NOT_FOUND
    assert "reflectkit stage 1" not in capsys.readouterr().err


def test_the_calendar_holds_only_what_is_left(
    journal: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from icalendar import Calendar

    from reflectkit.journal.cycles import mark, start_cycle

    start_cycle(journal.path, date(2026, 11, 23))
    mark(journal.path, 1, "week-1", done=date(2026, 11, 24))
    monkeypatch.setenv("REFLECTKIT_TODAY", "2026-11-25")
    target = tmp_path / "plan.ics"
    assert run(["remind", "--ics", str(target)]) == 0
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert [str(e["uid"]).split(".")[0] for e in events] == [
        "cycle-1-week-2",
        "cycle-1-week-3",
        "cycle-1-week-4",
        "cycle-1-revisit",
    ]
    assert "add 4 reminders" in " ".join(capsys.readouterr().out.split())


def test_export_on_a_new_install_is_an_empty_valid_document(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["export"]) == 0
    assert "There are no answers in this journal yet." in capsys.readouterr().out
    assert not home.exists()  # and nothing was created to say so


def test_a_pasted_answer_ending_in_blank_lines_leaves_no_stray_quote_line() -> None:
    assert quote("A pasted paragraph.\n\n") == "> A pasted paragraph."


def test_questions_only_skips_the_reading(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    from reflectkit.content.loader import load_builtin

    case = load_builtin().case(2)
    assert case is not None
    first_words = case.body.split("\n\n")[1].split()[:4]
    assert run(["case", "2", "--no-input"]) == ExitCode.NEEDS_INPUT
    assert " ".join(first_words) in " ".join(capsys.readouterr().out.split())
    assert run(["case", "2", "--questions", "--no-input"]) == ExitCode.NEEDS_INPUT
    assert " ".join(first_words) not in " ".join(capsys.readouterr().out.split())


def test_an_earlier_choice_of_statements_is_shown_without_the_current_score(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The score belongs to the current answer; an earlier version's was not kept, so the
    review and the export show none for it (they showed the current one)."""
    pipe(monkeypatch, "1, 2, 5\n")
    assert run(["case", "2", "--question", "2"]) == 0
    pipe(monkeypatch, "1\n")
    assert run(["case", "2", "--question", "2"]) == 0
    capsys.readouterr()
    for command in (["--plain", "case", "2", "--review"], ["export"]):
        assert run(command) == 0
        out = capsys.readouterr().out
        assert out.count("Score: 33%") == 1, command  # the current answer's, once
        assert "Score: 100%" not in out, command


def test_stage_3_and_4_headings_say_the_time_the_stage_really_asks_for(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    from reflectkit.content.loader import load_builtin

    times = sorted(c.minutes for c in load_builtin().case_studies)
    assert run(["--plain", "stage", "3", "--no-input"]) == 0
    heading = " ".join(capsys.readouterr().out.split())
    assert f"then about {times[0]} to {times[-1]} minutes for each case study" in heading
    assert run(["--plain", "stage", "4", "--no-input"]) == 0
    heading = " ".join(capsys.readouterr().out.split())
    assert "(5 minutes a week for four weeks, then a 15-minute revisit)" in heading
