"""Typed text survives everything that can go wrong while answering, and nothing a file
holds reaches the terminal raw.

The in-process tests drive :class:`reflectkit.cli.asking.Asker` through a scripted terminal
(tests/scripted.py): each item of the script is what the user gives at the next prompt.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from reflectkit import editor as editor_module
from reflectkit.cli.answerbox import Interrupted
from reflectkit.cli.asking import Item, Stopped
from reflectkit.cli.runner import run
from reflectkit.content.models import TableQuestion, TextQuestion
from reflectkit.errors import ExitCode, ReflectkitError
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store
from tests.scripted import make_asker

DATA = Path(__file__).resolve().parents[1] / "data"
CASE = Section("case", "meeting-nobody-came-to")
QUESTION = TextQuestion(kind="text", id="immediate", prompt="What is your immediate response?")
ITEM = Item(CASE, QUESTION, 0, "Q")
PHONE = "07700 900123"


def require(condition: bool, what: str) -> None:
    """A precondition: if the flow changed so the bug is no longer reached, fail loudly (an
    error, not the expected AssertionError), so a test cannot pass for the wrong reason."""
    if not condition:
        raise RuntimeError(f"precondition not met: {what}")


def stored(journal: Journal, qid: str = "immediate") -> list[Any]:
    """Every version of an answer that is on disk: the current value, then its history."""
    unit = journal.load(CASE)
    if unit is None or qid not in unit.answers:
        return []
    answer = unit.answers[qid]
    return [answer.value, *(e.value for e in answer.history)]


def fake_editor(tmp_path: Path, payload: bytes) -> str:
    """An $EDITOR that replaces the file with ``payload``, as a user saving in it would."""
    script = tmp_path / "fake_editor.py"
    script.write_text(f"import sys\nopen(sys.argv[1], 'wb').write({payload!r})\n", encoding="utf-8")
    return f"{sys.executable} {script}"


# -- 1. A byte that is not UTF-8 in a typed answer loses the whole answer ------------------
def test_a_typed_byte_that_is_not_utf8_keeps_the_answer(home: Path) -> None:
    # "\udca3" is what a terminal reader returns for the byte 0xA3 (surrogateescape).
    asker, _, journal = make_asker(home, ["first line of my reflection\nrent is \udca3100 a week"])
    asker.ask(ITEM)
    assert stored(journal) == ["first line of my reflection\nrent is £100 a week"]


# -- 2. The editor's text is decoded with errors="replace" --------------------------------
def test_editor_text_in_latin1_is_read_not_replaced(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "Rent is £100 a week".encode("cp1252")))
    asker, _, journal = make_asker(home, [], editor=True)
    asker.ask(ITEM)
    assert stored(journal) == ["Rent is £100 a week"]


def test_privacy_edit_in_a_latin1_editor_keeps_the_characters(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = f"Mrs Okafor’s rent is £100; her phone is {PHONE}"
    redacted = "Her rent is £100"
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, redacted.encode("cp1252")))
    asker, ui, journal = make_asker(home, [typed, "e"])
    asker.ask(ITEM)
    require(not ui.script, "'e' was chosen")
    assert stored(journal) == [redacted]  # the identifying version is not kept in the history


# -- 3. Removing flagged earlier versions ---------------------------------------------------
def test_removing_flagged_earlier_versions_keeps_the_clean_ones(home: Path) -> None:
    asker, ui, journal = make_asker(home, ["my answer today", "y"])
    clean = "A long first reflection about the family's first visit, with nothing identifying."
    journal.save_answer(CASE, "immediate", question=QUESTION.prompt, kind="text", value=clean)
    journal.save_answer(CASE, "immediate", question=QUESTION.prompt, kind="text", value=f"Ring {PHONE}")
    asker.ask(ITEM)
    require(any("Remove that earlier version" in p for p in ui.prompts), "the removal was offered")
    assert stored(journal) == ["my answer today", clean]  # only the flagged version went
    assert "Removed 1 earlier version. The other earlier version is kept." in ui.shown()


def test_enter_at_remove_earlier_versions_removes_them(home: Path) -> None:
    asker, ui, journal = make_asker(home, ["my answer today", ""])
    journal.save_answer(CASE, "immediate", question=QUESTION.prompt, kind="text", value=f"Ring {PHONE}")
    asker.ask(ITEM)  # Enter: the default is to remove it
    require(any("[y]" in p for p in ui.prompts), "the removal was offered")
    assert stored(journal) == ["my answer today"]
    assert "Removed 1 earlier version." in ui.shown() and "kept" not in ui.shown().split("Removed 1")[1]


def test_no_at_remove_earlier_versions_keeps_them(home: Path) -> None:
    asker, _, journal = make_asker(home, ["my answer today", "n"])
    journal.save_answer(CASE, "immediate", question=QUESTION.prompt, kind="text", value=f"Ring {PHONE}")
    asker.ask(ITEM)
    assert stored(journal) == ["my answer today", f"Ring {PHONE}"]


# -- 4. The privacy edit overwrites another window's answer without history ----------------
def test_privacy_edit_keeps_an_answer_saved_in_another_window(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_window = "Written in my other window while the editor was open."
    asker, _, journal = make_asker(home, [f"Call Mrs A on {PHONE}", "e", "n"])

    edited: list[str] = []

    def edit(item: Item, initial: str) -> str:
        edited.append(initial)
        Store(home).journal("default").save_answer(
            CASE, "immediate", question=QUESTION.prompt, kind="text", value=other_window
        )
        return "Call Mrs A"

    monkeypatch.setattr(asker, "_edit", edit)
    asker.ask(ITEM)
    require(len(edited) == 1, "the privacy edit ran once")
    assert other_window in stored(journal)


# -- 5. Ctrl-C while retyping a flagged answer loses the retyped lines ----------------------
def test_ctrl_c_while_retyping_keeps_the_retyped_lines(home: Path) -> None:
    asker, ui, journal = make_asker(
        home, [f"Call on {PHONE}", "c", Interrupted("my careful rewritten first line\nand half a second")]
    )
    with pytest.raises(Stopped) as stop:
        asker.ask(ITEM)
    require(not ui.script, "Ctrl-C came at the retype prompt")
    assert stored(journal)[0] == "my careful rewritten first line\nand half a second"
    assert "unfinished" in stop.value.message


# -- 6. Ctrl-C while the editor is open deletes what was written in it ----------------------
def test_ctrl_c_during_the_editor_keeps_the_draft(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "some-gui-editor --wait")
    written = "Twenty minutes of writing, saved in the editor."

    calls: list[list[str]] = []

    def editor_then_ctrl_c(argv: list[str], **_: Any) -> None:
        calls.append(argv)
        Path(argv[-1]).write_text(written, encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(editor_module.subprocess, "run", editor_then_ctrl_c)
    asker, _, journal = make_asker(home, [], editor=True)
    with pytest.raises(Stopped):
        asker.ask(ITEM)
    require(len(calls) == 1, "the editor was started")
    assert stored(journal) == [written]
    assert journal.load(CASE).answers["immediate"].unfinished  # type: ignore[union-attr]


# -- 7. A save refused for any reason but StorageError loses the typed answer --------------
def test_a_refused_save_keeps_the_typed_answer_in_a_draft(home: Path) -> None:
    from reflectkit.drafts import drafts_for

    asker, ui, journal = make_asker(home, [])
    journal.save_answer(CASE, "other", question="Another question", kind="text", value="earlier")
    path = journal.unit_path(CASE)

    def newer_reflectkit_saves_meanwhile() -> str:
        path.write_text(path.read_text().replace("schema_version = 1", "schema_version = 2"))
        return "Half an hour of careful reflection."

    ui.script = [newer_reflectkit_saves_meanwhile]
    with contextlib.suppress(ReflectkitError):
        asker.ask(ITEM)
    require("schema_version = 2" in path.read_text(), "the file changed mid-answer")
    (draft,) = drafts_for(home, "default", CASE, "immediate")
    assert draft.text == "Half an hour of careful reflection."
    assert str(draft.path) in " ".join(ui.shown().split()).replace("\n", "")


# -- 8. Local case-study text reaches the terminal without textsafe.safe -------------------
def write_local_case(home: Path, **changes: Any) -> None:
    data = tomllib.loads((DATA / "case_studies" / "01-first-home-visit.toml").read_text(encoding="utf-8"))
    data.update(number=50, id="hostile-visit", title="Hostile \x1b]0;owned\x07 title")
    data["questions"][0]["prompt"] = "Which are true? \x1b[2J\x1b[31m"
    data["questions"][0]["statements"][0]["text"] = "A statement \x1b[5m that blinks"
    data.update(changes)
    folder = home / "case_studies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("command", [["case"], ["progress"], ["case", "50", "--review"]])
def test_a_local_case_study_with_escape_sequences_is_refused_and_never_shown_raw(
    home: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    write_local_case(home)
    run(command)
    captured = capsys.readouterr()
    assert "hostile.toml" in captured.err and "control character U+001B" in captured.err
    assert "\x1b" not in captured.out + captured.err
    assert "Hostile" not in captured.out  # skipped, not shown


# -- 9. Error messages carry file content to the terminal unescaped ------------------------
def test_damaged_journal_error_shows_no_escape_sequences(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.entries.mkdir(parents=True, exist_ok=True)
    (journal.entries / "stage-1.toml").write_text(
        'schema_version = 1\nsection = "stage"\nref = "1"\n'
        '[answers."\\u001b]0;owned\\u0007\\u001b[2J"]\nkind = "nonsense"\n',
        encoding="utf-8",
    )
    assert run(["export"]) == ExitCode.BAD_DATA
    err = capsys.readouterr().err
    require("answers." in err, "the error names the field path")
    assert "\x1b" not in err


def test_skipped_local_case_study_warning_shows_no_escape_sequences(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_local_case(home, **{"\x1b]0;owned\x07\x1b[2J": 1})
    assert run(["case"]) == 0
    err = capsys.readouterr().err
    require("Skipped a local case study" in err, "the file was skipped with a warning")
    assert "\x1b" not in err


@pytest.mark.posix
# -- 10. Files written with the umask's permissions ----------------------------------------
def test_every_file_in_the_data_folder_is_private(home: Path) -> None:
    old = os.umask(0o022)
    try:
        journal = Store(home).journal("default", create=True)
        journal.save_answer(CASE, "immediate", question="Q", kind="text", value="text")
    finally:
        os.umask(old)
    loose = [
        str(p.relative_to(home))
        for p in home.rglob("*")
        if p.is_file() and stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == []


# -- 11. Leftover temp files outside the journal's .tmp folder are never removed -----------
def test_leftover_config_and_schedule_temps_are_removed(home: Path) -> None:
    journal = Store(home).journal("default", create=True)
    leftovers = [home / ".tmp-crashed.toml", journal.path / ".tmp-crashed.toml"]
    for path in leftovers:
        path.write_text('names = ["Amina Begum"]\n')
    journal.save_answer(CASE, "immediate", question="Q", kind="text", value="text")
    assert run(["remind", "--weekday", "monday"]) == 0
    assert [p for p in leftovers if p.exists()] == []


# -- 12. A digit str.isdigit accepts but int() refuses ends in a traceback ------------------
def _case_superscript() -> object:
    return run(["case", "²"])


def _scale_superscript() -> object:
    from reflectkit.answering import parse_scale

    return parse_scale("²")


def _statements_superscript() -> object:
    from reflectkit.answering import parse_statements

    return parse_statements("1,²", 3)


@pytest.mark.parametrize(
    "attempt",
    [_case_superscript, _scale_superscript, _statements_superscript],
    ids=["case", "scale", "statements"],
)
def test_a_superscript_digit_is_not_a_number(attempt: Callable[[], object]) -> None:
    from reflectkit.answering import InputProblem

    try:
        result = attempt()
    except InputProblem:
        return
    assert result == ExitCode.USAGE


# -- 13. save_answer writes what read_unit refuses to read back -----------------------------
def test_a_too_large_answer_is_refused_before_writing(journal: Journal) -> None:
    journal.save_answer(CASE, "other", question="Q", kind="text", value="an earlier, unrelated answer")
    with contextlib.suppress(ReflectkitError):
        journal.save_answer(CASE, "big", question="Q", kind="text", value="x" * (8 * 1024 * 1024 + 1))
    unit = journal.load(CASE)  # refusing the big save is fine; losing the section is not
    assert unit is not None and unit.answers["other"].value == "an earlier, unrelated answer"


# -- 14. The (uncommitted) export confirmation prompt is rendered as Rich markup --------------
class _TTYStdin(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_export_confirmation_prompt_shows_its_default(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.save_answer(CASE, "immediate", question="Q", kind="text", value=f"Ring {PHONE}")
    monkeypatch.setattr(sys, "stdin", _TTYStdin("n\n"))
    run(["export"])
    err = capsys.readouterr().err
    require("Export anyway?" in err, "the confirmation was asked")
    assert "[n]" in err


# -- 15. The reminder check imports platformdirs when no folder is given --------------------
def test_reminder_check_without_reflectkit_home_imports_nothing_heavy(home: Path) -> None:
    import subprocess

    probe = (
        "from reflectkit.cli import reminder\nreminder(['case'])\n"
        "import sys\nprint('platformdirs' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTKIT_")}
    env["HOME"] = str(home)
    env.pop("XDG_DATA_HOME", None)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- 16. JSON printed to a terminal carries bidi overrides and C1 controls raw ---------------
class _TTYStdout(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_json_export_to_a_terminal_escapes_bidi_and_c1(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.save_answer(CASE, "immediate", question="Q", kind="text", value="a \u202eb \x9b31m c")
    screen = _TTYStdout()
    monkeypatch.setattr(sys, "stdout", screen)
    assert run(["export", "--as", "json"]) == 0
    shown = screen.getvalue()
    require('"value"' in shown, "the JSON was printed")
    assert "\u202e" not in shown and "\x9b" not in shown


@pytest.mark.parametrize("command", ["/quit", "/back", "/skip"])
def test_a_move_typed_below_an_answer_keeps_the_answer_unfinished(home: Path, command: str) -> None:
    """Text, Enter, then /quit (or /back, /skip) on its own line: the text is kept as an
    unfinished answer, offered back next time, and "/quit" is never part of it."""
    asker, ui, journal = make_asker(home, [f"Half of what I meant to say.\n{command}"])
    assert asker.ask(ITEM) == {"/quit": "quit", "/back": "back", "/skip": "skipped"}[command]
    unit = journal.load(CASE)
    assert unit is not None
    answer = unit.answers["immediate"]
    assert (answer.value, answer.unfinished) == ("Half of what I meant to say.", True)
    assert "kept" in " ".join(ui.shown().split()).lower()


# -- Words typed on a "Press Enter" page, and the run stopped there --------------------------
def test_words_typed_on_a_page_join_the_unfinished_answer_they_lead_to(home: Path) -> None:
    """An answer already started is not replaced: the page's words come after it."""
    asker, _ui, journal = make_asker(home, [Interrupted("started earlier")])
    with pytest.raises(Stopped):
        asker.ask(ITEM)
    require(stored(journal) == ["started earlier"], "an unfinished answer to begin with")
    keep = asker.keeps_typing_for([ITEM])
    assert keep is not None
    with pytest.raises(Stopped) as stop:
        keep("and more, typed on the next page")
    assert stored(journal)[0] == "started earlier\nand more, typed on the next page"
    assert journal.load(CASE).answers["immediate"].unfinished  # type: ignore[union-attr]
    assert "What you typed on that page is kept as an unfinished answer" in stop.value.message


def test_words_typed_on_a_page_before_no_text_question_are_not_made_an_answer(home: Path) -> None:
    from reflectkit.content.models import ScaleQuestion

    asker, _, journal = make_asker(home, [])
    scale = Item(
        CASE,
        ScaleQuestion(kind="scale", id="sure", prompt="How sure?", low_label="not", high_label="very"),
        0,
        "Q",
    )
    assert asker.keeps_typing_for([scale]) is None
    assert stored(journal, "sure") == []


def test_the_page_gives_its_words_to_the_keeper(monkeypatch: pytest.MonkeyPatch) -> None:
    from reflectkit.cli import answerbox
    from reflectkit.cli.ui import UI

    def stopped(**_: Any) -> str:
        raise Interrupted("typed on the page")

    monkeypatch.setattr(answerbox, "pause", stopped)
    monkeypatch.setattr(UI, "interactive", property(lambda self: True))
    ui, kept = UI(plain=True), []
    ui.carry = "typed on the page before"
    with pytest.raises(Interrupted), ui.leading_to(kept.append):
        ui.pause()
    assert kept == ["typed on the page before\ntyped on the page"]
    with pytest.raises(Interrupted):  # outside leading_to: nobody to keep them (as before)
        ui.pause()
    assert ui.keeper is None


# -- Found trying it as a practitioner would ------------------------------------------------
TABLE = Item(
    CASE,
    TableQuestion(
        kind="table", id="invite", prompt="Rework it", row_header="Part", columns=["Said", "Instead"],
        rows=[{"label": "one"}, {"label": "two"}],  # type: ignore[list-item]
    ),
    2,
    "Q3",
)  # fmt: skip


def test_ctrl_c_in_a_table_keeps_the_cell_being_typed(home: Path) -> None:
    asker, ui, journal = make_asker(home, ["first cell", "second cell", Interrupted("half of the third")])
    with pytest.raises(Stopped) as stop:
        asker.ask(TABLE)
    require(not ui.script, "Ctrl-C came in the third cell")
    assert stored(journal, "invite")[0] == [["first cell", "second cell"], ["half of the third", ""]]
    assert "unfinished" in stop.value.message


def test_ctrl_c_in_the_first_cell_keeps_it(home: Path) -> None:
    asker, _ui, journal = make_asker(home, [Interrupted("only this")])
    with pytest.raises(Stopped) as stop:
        asker.ask(TABLE)
    assert stored(journal, "invite")[0] == [["only this", ""], ["", ""]]
    assert "unfinished" in stop.value.message


def test_words_added_to_a_rescued_draft_are_what_comes_back(home: Path) -> None:
    """A draft kept when a save failed comes back in the box; words added to it and then
    kept as unfinished are what the next visit shows, and the superseded draft goes."""
    from reflectkit import drafts

    asker, _ui, journal = make_asker(home, [Interrupted("the draft, and the words added after")])
    drafts.save_draft(
        home, journal=journal.name, section=CASE, question_id="immediate", question="Q?", text="the draft"
    )
    with pytest.raises(Stopped):
        asker.ask(ITEM)
    assert stored(journal)[0] == "the draft, and the words added after"
    assert drafts.drafts_for(home, journal.name, CASE, "immediate") == []
    again, ui, _ = make_asker(home, ["/quit"])
    again.ask(ITEM)
    assert ui.initials[0] == "the draft, and the words added after"


@pytest.mark.parametrize(
    ("code", "said", "advice"),
    [
        ("ENOSPC", "the disk is full", "Free some space"),
        ("EACCES", "permission was refused", "permissions"),
        ("EROFS", "the disk is read-only", "reflectkit --home FOLDER"),
    ],
)
def test_a_refused_save_gives_advice_for_its_cause(code: str, said: str, advice: str) -> None:
    import errno

    from reflectkit import fileio

    error = fileio.storage_error(Path("entries/x.toml"), OSError(getattr(errno, code), "refused"))
    assert said in error.message and advice in str(error.hint)
    assert code == "ENOSPC" or "Free some space" not in str(error.hint)


def test_a_lone_word_that_looks_like_a_command_is_asked_about_first(home: Path) -> None:
    """'/stop' is not a command: saying so before it replaces an answer; finishing it again
    saves it as written."""
    asker, ui, journal = make_asker(home, ["/stop", "/quit"])
    assert asker.ask(ITEM) == "quit"
    assert stored(journal) == []
    assert "'/stop' is not one of reflectkit's commands" in ui.shown()
    assert ui.initials[1] == "/stop"  # back in the box, to change or to finish again
    again, _, journal = make_asker(home, ["/stop", "/stop"])
    assert again.ask(ITEM) == "answered"
    assert stored(journal)[0] == "/stop"


def test_a_command_typed_after_a_filled_in_cell_is_the_command(home: Path) -> None:
    """A table opens filled in; '/quit' typed at the end of a cell's text stops, and the
    cell keeps its text (it was saved as 'They asked who I report to/quit')."""
    first, _, journal = make_asker(home, ["They asked who I report to", "/quit"])
    assert first.ask(TABLE) == "quit"
    require(stored(journal, "invite")[0][0][0] == "They asked who I report to", "a cell filled in")
    again, ui, journal = make_asker(home, ["They asked who I report to/quit"])
    assert again.ask(TABLE) == "quit"
    assert ui.initials[0] == "They asked who I report to"
    assert stored(journal, "invite")[0][0][0] == "They asked who I report to"


def test_a_privacy_warning_points_to_the_list_of_names(home: Path) -> None:
    """Names without a title are not found by the check; the list of names is where the
    user can make them found, and the warning says so (once a run)."""
    asker, ui, _ = make_asker(home, [f"Rang her on {PHONE}", "k", f"And again on {PHONE}", "k"])
    asker.ask(ITEM)
    asker.ask(ITEM)
    assert ui.shown().count("reflectkit privacy names add") == 1
