"""Notes and tags: the core (ids, dates, titles, tags, the NMC mapping), the exports with a
note (golden files), and the `note`, `models`, `model`, `tag`, `journal show`, `progress`
and `export --note` commands, called in-process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from reflectkit import sections
from reflectkit.cli.runner import run
from reflectkit.content.loader import load_builtin
from reflectkit.content.reflective import ReflectiveModel, load_models
from reflectkit.errors import ExitCode, UsageError
from reflectkit.export import json_export, markdown
from reflectkit.export.document import gather
from reflectkit.journal import lifecycle, notes
from reflectkit.journal.history import read_unit
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal
from tests.golden_files import assert_golden

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = date(2026, 11, 30)
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MODELS = load_models(None)
WB = load_builtin()


def model(model_id: str) -> ReflectiveModel:
    found = MODELS.get(model_id)
    assert found is not None
    return found


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setenv("REFLECTKIT_TODAY", TODAY.isoformat())
    return TODAY


@pytest.fixture
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Exports show local times: pin the zone so the golden files hold on any machine."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def write_note(
    jr: Journal, *, day: date = TODAY, model_id: str = "gibbs", stages: int = 6, tags: tuple[str, ...] = (),
    title: str = "Home visit with an interpreter", minutes: int | None = None,
) -> Section:  # fmt: skip
    """A note whose first ``stages`` stages are answered, at fixed times."""
    section = notes.create_note(
        jr, title=title, event_date=day, model=model_id, tags=list(tags), minutes=minutes
    )
    questions = notes.note_questions(model(model_id))
    for position, question in enumerate(questions[:stages]):
        text = f"{question.prompt} My answer for {question.id}."
        lifecycle.record(
            jr, section, question, text, position=position, now=START + timedelta(hours=position)
        )
    return section


# -- ids, and what the file keeps ------------------------------------------------------------
def test_a_note_is_one_file_named_by_its_day_and_a_count(journal: Journal) -> None:
    first = write_note(journal, stages=2, tags=("interpreters",), minutes=25)
    second = notes.create_note(journal, title="Another", event_date=TODAY, model="kolb")
    assert (first.ref, second.ref) == ("2026-11-30-1", "2026-11-30-2")
    saved = tomllib.loads((journal.entries / "note-2026-11-30-1.toml").read_text("utf-8"))
    assert saved["section"] == "note" and saved["tags"] == ["interpreters"]
    assert saved["note"] == {
        "title": "Home visit with an interpreter", "event_date": TODAY, "model": "gibbs", "minutes": 25
    }  # fmt: skip
    assert list(saved["answers"]) == ["description", "feelings"]
    unit = read_unit(journal.entries / "note-2026-11-30-1.toml")  # sealed like any answer file
    assert unit.note is not None and unit.note.title == "Home visit with an interpreter"
    assert journal.sections() == [first, second]


def test_notes_sort_by_day_then_count_after_the_workbook() -> None:
    refs = ["2026-11-30-10", "2026-11-30-9", "2026-01-02-1"]
    ordered = sorted((Section("note", r) for r in refs), key=lambda s: sections.order(s, WB))
    assert [s.ref for s in ordered] == ["2026-01-02-1", "2026-11-30-9", "2026-11-30-10"]
    revisit = Section("revisit", "3")
    assert sections.order(revisit, WB) < sections.order(ordered[0], WB)
    assert sections.reopen(ordered[0], 1, WB) == "reflectkit note 2026-01-02-1 --stage 2"
    assert sections.from_stem("note-2026-11-30-1") == Section("note", "2026-11-30-1")


def test_a_file_without_tags_or_note_is_written_as_before(journal: Journal) -> None:
    journal.save_answer(Section("stage", "1"), "relate", question="Q", kind="text", value="x")
    saved = tomllib.loads((journal.entries / "stage-1.toml").read_text("utf-8"))
    assert "tags" not in saved and "note" not in saved


def test_answering_keeps_the_note_and_unknown_fields(journal: Journal) -> None:
    section = write_note(journal, stages=1)
    path = journal.entries / section.filename
    path.write_text(path.read_text("utf-8").replace('model = "gibbs"', 'model = "gibbs"\nmood = "calm"'))
    questions = notes.note_questions(model("gibbs"))
    lifecycle.record(journal, section, questions[1], "Feelings.", position=1)
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["note"]["mood"] == "calm" and saved["note"]["title"].startswith("Home visit")


def test_a_bad_note_id_is_refused() -> None:
    for bad in ("../x", "2026-11-30", "2026-11-30-0", "note-1", "2026-11-30-1/x"):
        with pytest.raises(UsageError):
            notes.note_section(bad)


# -- what the user types ---------------------------------------------------------------------
def test_tags_are_split_lowered_and_checked() -> None:
    assert notes.parse_tags("Interpreters, #housing  home-visits,housing") == [
        "interpreters", "housing", "home-visits"
    ]  # fmt: skip
    assert notes.parse_tags(["réfugiés", "a,b"]) == ["réfugiés", "a", "b"]
    assert notes.parse_tags("") == []
    for bad in ("-lead", "dot.ted", "x" * 41, "a\x1bb", "semi!colon"):
        with pytest.raises(UsageError):
            notes.parse_tags(bad)
    with pytest.raises(UsageError):
        notes.parse_tags(" ".join(f"t{n}" for n in range(21)))


def test_event_dates() -> None:
    assert notes.parse_event_date("", TODAY) == TODAY
    assert notes.parse_event_date("yesterday", TODAY) == date(2026, 11, 29)
    assert notes.parse_event_date("2026-10-05", TODAY) == date(2026, 10, 5)
    assert notes.parse_event_date("5/10/2026", TODAY) == date(2026, 10, 5)  # British: day first
    assert notes.parse_event_date("5/10", TODAY) == date(2026, 10, 5)
    for bad in ("tomorrow", "2026-12-01", "31/02/2026", "1999-12-31", "next week"):
        with pytest.raises(UsageError):
            notes.parse_event_date(bad, TODAY)


def test_titles_and_minutes() -> None:
    assert notes.check_title("  A visit \n") == "A visit"
    for bad in ("", "   ", "x" * 121, "a\x1b[31mb", "a\u202eb"):
        with pytest.raises(UsageError):
            notes.check_title(bad)
    assert notes.parse_minutes("") is None and notes.parse_minutes("25 minutes") == 25
    for bad in ("0", "-5", "1441", "ten"):
        with pytest.raises(UsageError):
            notes.parse_minutes(bad)


# -- tags on any part ------------------------------------------------------------------------
def test_tags_go_on_a_part_with_answers(journal: Journal) -> None:
    case = Section("case", WB.case_studies[1].id)
    assert notes.change_tags(journal, case, add=["housing"]) is None  # nothing saved there yet
    journal.save_answer(case, "immediate", question="Q", kind="text", value="x")
    assert notes.change_tags(journal, case, add=["housing", "interpreters"]) == ["housing", "interpreters"]
    assert notes.change_tags(journal, case, remove=["housing"]) == ["interpreters"]
    assert read_unit(journal.entries / case.filename).tags == ["interpreters"]
    assert notes.change_tags(journal, case, remove=["interpreters"]) == []
    assert "tags" not in tomllib.loads((journal.entries / case.filename).read_text("utf-8"))


# -- lists by month, and the NMC account -----------------------------------------------------
def test_notes_are_listed_by_month(journal: Journal) -> None:
    write_note(journal, day=date(2026, 11, 3), stages=1, tags=("supervision",))
    write_note(journal, day=date(2026, 10, 20), stages=6, title="A team meeting")
    write_note(journal, day=date(2026, 11, 3), stages=0, title="Later that day", model_id="kolb")
    found = notes.summaries(journal.units())
    assert [n.id for n in found] == ["2026-10-20-1", "2026-11-03-1", "2026-11-03-2"]
    lines = notes.month_lines(found, model_names={"gibbs": "Gibbs"})
    assert lines == [
        "October 2026: 1 note",
        "  20 Oct  A team meeting  (2026-10-20-1, Gibbs, 6 answered)",
        "November 2026: 2 notes",
        "  3 Nov  Home visit with an interpreter  (2026-11-03-1, Gibbs, 1 answered; tags: supervision)",
        "  3 Nov  Later that day  (2026-11-03-2, kolb, 0 answered)",
    ]


def test_a_gibbs_note_feeds_the_nmc_account_by_its_mapping(journal: Journal) -> None:
    section = write_note(journal, stages=6)
    lifecycle.keep_unfinished(
        journal, section, notes.note_questions(model("gibbs"))[4], "half a conclusion", position=4
    )
    unit = journal.load(section)
    assert unit is not None
    laid_out = notes.note_for_nmc(unit, model("gibbs"))
    assert laid_out.title == "Home visit with an interpreter" and laid_out.event_date == TODAY
    got = {part: [p.source.rsplit(": ", 1)[1] for p in picks] for part, picks in laid_out.parts.items()}
    # The conclusion is unfinished, so it is left out until it is finished.
    assert got == {"nature": ["Description"], "learning": ["Analysis"], "change": ["Action plan"], "code": []}
    assert laid_out.parts["nature"][0].source == "Note 2026-11-30-1 (Gibbs' reflective cycle): Description"
    with pytest.raises(UsageError):
        notes.note_for_nmc(unit, model("kolb"))


# -- exports with a note ---------------------------------------------------------------------
def fill_for_export(jr: Journal) -> None:
    case = WB.case_studies[1]
    section = Section("case", case.id)
    question = WB.stage(3).prompts[0]
    jr.save_answer(section, question.id, question=question.prompt, kind="text", now=START,
                   value="I would ask the school who the family trusts.")  # fmt: skip
    notes.change_tags(jr, section, add=["schools"])
    write_note(jr, day=date(2026, 11, 27), stages=4, tags=("interpreters", "home-visits"), minutes=30)
    write_note(jr, day=date(2026, 11, 28), model_id="driscoll", stages=3, title="Supervision")


def test_golden_exports_with_notes(journal: Journal, utc_zone: None) -> None:
    fill_for_export(journal)
    doc = gather(journal.units(), WB, journal="default", generated=TODAY, models=MODELS.models)
    assert [p.unit.section for p in doc.parts] == ["case", "note", "note"]
    # A note's part carries its model, so a form can lay it out (notes.note_for_nmc).
    assert [p.model.id if p.model else None for p in doc.parts] == [None, "gibbs", "driscoll"]
    assert_golden(markdown.render(doc), "export-markdown-notes.md")
    assert_golden(json_export.render(doc), "export-json-notes.json")
    one = gather(journal.units(), WB, journal="default", generated=TODAY, note="2026-11-27-1",
                 models=MODELS.models)  # fmt: skip
    assert_golden(markdown.render(one), "export-markdown-one-note.md")


def test_json_export_keeps_a_notes_fields(journal: Journal) -> None:
    fill_for_export(journal)
    doc = gather(journal.units(), WB, journal="default", generated=TODAY, models=MODELS.models)
    sections_out = json.loads(json_export.render(doc))["sections"]
    assert sections_out[0]["tags"] == ["schools"] and "note" not in sections_out[0]
    assert sections_out[1]["note"] == {
        "title": "Home visit with an interpreter", "event_date": "2026-11-27", "model": "gibbs", "minutes": 30
    }  # fmt: skip
    assert [a["question_id"] for a in sections_out[1]["answers"]] == [
        "description", "feelings", "evaluation", "analysis"
    ]  # fmt: skip


# -- the commands ----------------------------------------------------------------------------
def test_models_lists_one_line_each_and_a_broken_local_one_is_named(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "models").mkdir(parents=True)
    (home / "models" / "broken.toml").write_text("id = ")
    assert run(["--plain", "models"]) == 0
    captured = capsys.readouterr()
    lines = [
        line for line in captured.out.splitlines() if line.startswith(tuple(m.id for m in MODELS.models))
    ]
    assert len(lines) == len(MODELS.models) == 6
    assert any(line.startswith("gibbs") and "(offered first)" in line for line in lines)
    assert "broken.toml" in captured.err


def test_model_validate_and_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["model", "validate", str(DATA / "models" / "kolb.toml")]) == 0
    assert "is a valid reflective model: Kolb" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text((DATA / "models" / "kolb.toml").read_text("utf-8").replace('id = "kolb"', 'id = "Kolb!"'))
    assert run(["model", "validate", str(bad)]) == ExitCode.BAD_DATA
    assert "bad.toml: id:" in capsys.readouterr().err
    assert run(["model", "schema"]) == 0
    assert "stages" in json.loads(capsys.readouterr().out)["properties"]


def test_a_new_note_needs_a_terminal(
    journal: Journal, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["note", "--no-input"]) == ExitCode.NEEDS_INPUT
    assert "title" in capsys.readouterr().err
    assert not list(journal.entries.glob("note-*"))


def test_note_stage_from_a_file(
    journal: Journal, today: date, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    section = write_note(journal, stages=1)
    draft = tmp_path / "draft.txt"
    draft.write_text("I felt rushed.\r\nAnd unsure.\n", encoding="utf-8")
    assert run(["note", section.ref, "--stage", "feelings", "--from", str(draft), "--tag", "rushed"]) == 0
    unit = journal.load(section)
    assert unit is not None and unit.answers["feelings"].value == "I felt rushed.\r\nAnd unsure.\n"
    assert unit.tags == ["rushed"]
    assert run(["note", section.ref, "--stage", "9", "--from", str(draft)]) == ExitCode.NOT_FOUND
    assert run(["note", section.ref, "--stage", "nonsense", "--from", str(draft)]) == ExitCode.USAGE
    assert run(["note", "--from", str(draft)]) == ExitCode.USAGE  # --from needs --stage
    assert run(["note", "2026-01-01-1", "--stage", "1", "--from", str(draft)]) == ExitCode.NOT_FOUND
    assert run(["note", "--model", "nonsense"]) == ExitCode.NOT_FOUND


def test_tag_command(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    case = WB.case(2)
    assert case is not None
    assert run(["tag", "--case", "2", "interpreters"]) == ExitCode.NOT_FOUND  # nothing answered yet
    journal.save_answer(Section("case", case.id), "immediate", question="Q", kind="text", value="x")
    assert run(["--plain", "tag", "--case", "2", "interpreters", "Housing"]) == 0
    assert "interpreters, housing" in capsys.readouterr().out
    assert run(["--plain", "tag", "--case", "2", "housing", "--remove"]) == 0
    note = write_note(journal, stages=1)
    assert run(["tag", "--note", note.ref, "interpreters"]) == 0
    capsys.readouterr()
    assert run(["--plain", "tag"]) == 0
    assert "interpreters  2 parts" in capsys.readouterr().out
    assert run(["tag", "interpreters"]) == ExitCode.USAGE  # which part?
    assert run(["tag", "--case", "2", "--stage", "1", "x"]) == ExitCode.USAGE


def test_journal_show_and_progress_list_notes_by_month_with_tags(
    journal: Journal, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_for_export(journal)
    assert run(["--plain", "journal", "show"]) == 0
    out = flat(capsys.readouterr().out)
    assert "Note: Home visit with an interpreter (27 November 2026)" in out
    assert "Note 2026-11-27-1, written with Gibbs' reflective cycle, 30 minutes" in out
    assert "Tags: interpreters, home-visits" in out and "Tags: schools" in out
    assert "Your notes: 2 notes, by month of the event" in out and "November 2026: 2 notes" in out
    assert run(["--plain", "progress"]) == 0
    out = flat(capsys.readouterr().out)
    assert "Notes: 2 notes" in out and "November 2026: 2 notes" in out
    assert "28 Nov Supervision (2026-11-28-1, What? So what? Now what? (Driscoll), 3 answered)" in out
    assert run(["--plain", "journal"]) == 0
    assert "and 2 notes" in flat(capsys.readouterr().out)


def flat(text: str) -> str:
    """Output with every run of white space one space: the terminal's width folds lines."""
    return " ".join(text.split())


def test_export_one_note(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    fill_for_export(journal)
    assert run(["export", "--note", "2026-11-28-1"]) == 0
    out = capsys.readouterr().out
    assert "## Note: Supervision (28 November 2026)" in out and "Home visit" not in out
    assert "written with What? So what? Now what? (Driscoll)" in out
    assert run(["export", "--note", "2026-01-01-1"]) == ExitCode.NOT_FOUND
    assert run(["export", "--note", "../x"]) == ExitCode.USAGE


def test_the_core_of_notes_and_search_loads_without_the_command_line() -> None:
    code = (
        "import sys, reflectkit.journal.notes, reflectkit.search, reflectkit.export.document; "
        "print(sorted(m for m in ('typer', 'rich') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
