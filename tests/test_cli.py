"""The command line, called in-process: journals, exports, errors, reminders, help."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reflectkit.cli import main
from reflectkit.cli.app import app
from reflectkit.cli.runner import run
from reflectkit.errors import ExitCode
from reflectkit.export import markdown
from reflectkit.export.document import gather
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store
from tests.conftest import reflectkit_env
from tests.golden_files import assert_golden

GOLDEN = Path(__file__).parent / "golden"
T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def fill(journal: Journal) -> None:
    """A small journal with every kind of answer, at fixed times."""
    s1 = Section("stage", "1")
    journal.save_answer(
        s1,
        "relate",
        question="How do these issues relate to your work?",
        kind="text",
        value="Families often think I am checking on them.\n\n- one\n- two",
        now=T0,
    )
    journal.save_answer(
        s1,
        "confidence-role",
        question="How confident are you?",
        kind="scale",
        value=3,
        context={"low_label": "Not at all", "high_label": "Very"},
        now=T0,
    )
    case = Section("case", "meeting-nobody-came-to")
    journal.save_answer(
        case,
        "immediate",
        question="Your immediate response?",
        kind="text",
        value="# Not a heading\nThe school saw absence; the parents saw a summons.",
        now=T0,
    )
    journal.save_answer(
        case,
        "immediate",
        question="Your immediate response?",
        kind="text",
        value="Second thoughts: the letter was the problem.",
        now=datetime(2026, 11, 3, 18, 0, tzinfo=UTC),
    )
    journal.save_answer(
        case,
        "true-statements",
        question="Select the statements you think are true.",
        kind="statements",
        value=[1, 3],
        score=0.5,
        position=1,
        context={"statements": ["First", "Second", "Third"]},
        now=T0,
    )
    journal.save_answer(
        case,
        "table",
        question="Fill the table.",
        kind="table",
        position=2,
        value=[["a | b", "c"], ["", "d"]],
        context={"columns": ["Now", "Next"], "rows": ["Schools", "Housing"]},
        now=T0,
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--version"])
    assert capsys.readouterr().out.strip() == "reflectkit 0.1.0"


def test_markdown_export_matches_the_golden_file(journal: Journal) -> None:
    from reflectkit.content.loader import load_builtin

    fill(journal)
    doc = gather(journal.units(), load_builtin(), journal="default", generated=date(2026, 11, 23))
    assert_golden(markdown.render(doc, tz=UTC), "export-basic.md")


def test_export_markdown_to_stdout(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    fill(journal)
    assert run(["export"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Reflective journal: default")
    assert "## Case study 2: The meeting nobody came to" in out
    assert "> Second thoughts: the letter was the problem." in out
    # the replaced answer is kept, as an earlier version, inside its quote
    assert out.index("Earlier version") < out.index("> \\# Not a heading")  # kept as text, not a heading


def test_export_json_keeps_text_exactly(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    fill(journal)
    assert run(["export", "--as", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    values = [a["value"] for s in data["sections"] for a in s["answers"]]
    assert "Families often think I am checking on them.\n\n- one\n- two" in values
    assert [1, 3] in values


def test_export_refuses_to_overwrite_without_force(
    journal: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(journal)
    target = tmp_path / "out.md"
    target.write_text("keep me")
    assert run(["export", "--output", str(target)]) == ExitCode.USAGE
    assert target.read_text() == "keep me"
    assert run(["export", "--output", str(target), "--force"]) == 0
    assert target.read_text().startswith("# Reflective journal")


def test_journal_list_and_show(journal: Journal, store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    fill(journal)
    store.journal("work", create=True)
    assert run(["journal"]) == 0
    out = capsys.readouterr().out
    assert "default: 2 parts answered" in out and "work: 0 parts" in out
    assert run(["--plain", "journal", "show"]) == 0
    out = capsys.readouterr().out
    assert "Families often think I am checking on them." in out
    assert "Case study 2: The meeting nobody came to" in out


def test_journal_show_says_which_answers_are_unfinished_or_marked(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    """As `--review` does: an answer left part-way, or marked for a privacy review, says so."""
    case = Section("case", "meeting-nobody-came-to")
    journal.save_answer(
        case, "immediate", question="First?", kind="text", value="Half a thought", unfinished=True
    )
    journal.save_answer(
        case, "stayed", question="Second?", kind="text", value="Rang 07700", needs_review=True
    )
    journal.save_answer(case, "third", question="Third?", kind="text", value="A finished answer.")
    assert run(["--plain", "journal", "show"]) == 0
    out = capsys.readouterr().out
    dates = [line for line in out.splitlines() if line.startswith("  ") and line.strip()[:2].isdigit()]
    assert len(dates) == 3, out
    assert sum("unfinished" in line for line in dates) == 1
    assert sum("marked for a privacy review" in line for line in dates) == 1


def test_hostile_text_is_shown_safely(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    journal.save_answer(
        Section("stage", "1"),
        "relate",
        question="Q [bold]x[/bold]",
        kind="text",
        value="[/bold] [link=http://evil]click[/link] \x1b[2J\x1b[31mred \u202eabc 😀",
    )
    assert run(["journal", "show"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "[/bold] [link=http://evil]click[/link]" in out
    assert "\\x1b[2J" in out and "\\u202e" in out


def test_unknown_journal_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "--journal", "nope"]) == ExitCode.NOT_FOUND
    err = capsys.readouterr().err
    assert "There is no journal called 'nope'" in err and "Traceback" not in err


def test_bad_journal_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["journal", "show", "../etc"]) == ExitCode.USAGE
    assert "not a usable journal name" in capsys.readouterr().err


def test_damaged_file_error_has_no_traceback_unless_debug(
    journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(journal)
    path = journal.unit_path(Section("stage", "1"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    # The rest of the journal is exported; the damaged file is named and the exit says so.
    assert run(["export"]) == ExitCode.BAD_DATA
    captured = capsys.readouterr()
    assert "byte-order mark" in captured.err and "Traceback" not in captured.err
    assert "Case study 2" in captured.out
    # Saving into that file is refused, with a traceback only when asked for.
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"an answer")))
    assert run(["stage", "1", "--prompt", "1"]) == ExitCode.BAD_DATA
    assert "Traceback" not in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"an answer")))
    assert run(["--debug", "stage", "1", "--prompt", "1"]) == ExitCode.BAD_DATA
    assert "Traceback" in capsys.readouterr().err


def test_piped_answer_is_stored_exactly(home: Path) -> None:
    script = Path(sys.executable).parent / "reflectkit"
    text = 'Drafted in Word.\r\nSecond line with \\ and "quotes" and 😀\n'
    result = subprocess.run(
        [str(script), "case", "2", "--question", "1"],
        input=text.encode(),
        env=reflectkit_env(home),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    unit = Store(home).journal("default").load(Section("case", "meeting-nobody-came-to"))
    assert unit is not None and unit.answers["immediate"].value == text


def test_no_input_says_what_it_would_ask(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["start", "--no-input"]) == ExitCode.NEEDS_INPUT
    err = capsys.readouterr().err
    assert "this needs an answer to:" in err


def _commands(group: object, prefix: str = "") -> list[tuple[str, object]]:
    import typer

    found = []
    for info in group.registered_commands:  # type: ignore[attr-defined]
        found.append((prefix + (info.name or info.callback.__name__), info))
    for sub in group.registered_groups:  # type: ignore[attr-defined]
        found += _commands(sub.typer_instance, prefix + sub.name + " ")
    assert isinstance(group, typer.Typer)
    return found


def test_every_command_has_help_with_an_example() -> None:
    from reflectkit.cli.app import _register

    _register()
    for name, info in _commands(app):
        doc = info.help or (info.callback.__doc__ or "")  # type: ignore[attr-defined]
        assert doc.strip(), f"{name} has no help"
        if not name.startswith("privacy names"):
            assert "reflectkit " in doc, f"{name}'s help has no example"


def test_reminder_line_appears_when_due(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reflectkit.journal.cycles import start_cycle

    start_cycle(journal.path, date(2026, 11, 1))
    monkeypatch.setenv("REFLECTKIT_TODAY", "2026-11-23")
    with pytest.raises(SystemExit):
        main(["case"])
    err = capsys.readouterr().err
    # Weeks 1 to 3 were missed and do not nag; week 4 is the one waiting.
    assert "week 4 reflection" in err and "reflectkit reflect" in err and "is due" in err
    for argv in (["--quiet", "case"], ["export"], ["case", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "reflectkit reflect" not in capsys.readouterr().err, argv
    monkeypatch.setenv("REFLECTKIT_NO_REMIND", "1")
    with pytest.raises(SystemExit):
        main(["case"])
    assert "reflectkit reflect" not in capsys.readouterr().err


def test_no_reminder_when_nothing_is_due(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reflectkit.journal.cycles import mark, start_cycle

    start_cycle(journal.path, date(2026, 11, 23))
    mark(journal.path, 1, "week-1", done=date(2026, 11, 23))
    monkeypatch.setenv("REFLECTKIT_TODAY", "2026-11-25")
    with pytest.raises(SystemExit):
        main(["case"])
    assert "reflectkit" not in capsys.readouterr().err


def test_markdown_export_keeps_raw_html_as_text(journal: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    journal.save_answer(
        Section("stage", "1"),
        "relate",
        question="Q",
        kind="text",
        value="<script>alert(1)</script> & <b>bold</b>",
    )
    assert run(["export"]) == 0
    out = capsys.readouterr().out
    assert "> &lt;script>alert(1)&lt;/script> &amp; &lt;b>bold&lt;/b>" in out
    assert "<script>" not in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_messages_to_a_terminal_fold_between_words_and_keep_commands_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import shutil

    from reflectkit.cli.notices import to_stderr

    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((40, 24)))
    message = (
        "Stopped. What you were writing is kept as an unfinished answer; "
        "`reflectkit stage 1 --prompt 2` opens it with your text.\nShort line."
    )
    to_stderr(message)
    lines = screen.getvalue().rstrip("\n").split("\n")
    assert all(len(line) <= 40 for line in lines if "`" not in line), lines
    assert any("`reflectkit stage 1 --prompt 2`" in line for line in lines), lines
    assert " ".join(lines[:-1]).split() == message.split("\n")[0].split()  # no word cut
    assert lines[-1] == "Short line."


def test_messages_to_a_pipe_are_not_folded(monkeypatch: pytest.MonkeyPatch) -> None:
    from reflectkit.cli.notices import to_stderr

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    to_stderr("x " * 100)
    assert piped.getvalue() == "x " * 100 + "\n"


@pytest.mark.parametrize(
    ("argv", "said", "where"),
    [
        (["case", "2", "--question", "abc"], "'abc' is not a valid integer", "reflectkit case --help"),
        (["stat"], "No such command 'stat'. Did you mean 'start', 'stage'?", "reflectkit --help"),
        (["stage"], "Missing argument", "reflectkit stage --help"),
    ],
)
def test_a_mistyped_command_line_is_told_in_reflectkits_own_words(
    argv: list[str], said: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith("reflectkit: ") and said in err and f"See: {where}" in err
    assert "Usage:" not in err and "Error:" not in err and "?." not in err


@pytest.mark.parametrize("argv", [["case", "2", "3"], ["case", "2", "--questions", "3"]])
def test_a_second_number_is_not_silently_ignored(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "'3' was not used" in err and "reflectkit case 2 --question 3" in err


def test_a_part_with_one_question_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["stage", "2", "--prompt", "3"]) != 0
    assert "There is no question 3 here: there is one question here, number 1." in capsys.readouterr().err


def test_review_with_a_question_shows_that_question_alone(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.save_answer(
        Section("case", "meeting-nobody-came-to"), "immediate", question="Q?", kind="text", value="First."
    )
    assert run(["--plain", "case", "2", "--review", "--question", "3"]) == 0
    out = capsys.readouterr().out
    numbered = [line.split(".")[0] for line in out.splitlines() if line[:1].isdigit()]
    assert numbered == ["3"], out
    assert run(["--plain", "case", "2", "--review", "--question", "1"]) == 0
    assert "First." in capsys.readouterr().out
    assert run(["case", "2", "--review", "--question", "9"]) != 0
    assert "There is no question 9 here" in capsys.readouterr().err
