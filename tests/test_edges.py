"""The edges around the store, through the command line: far dates, odd output targets,
damaged settings, drafts, local dates, hand edits, clashing case studies, huge answers,
other code pages, byte-order marks, closed pipes, colour, pagers, completion."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reflectkit.cli.runner import run
from reflectkit.errors import ExitCode
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal
from tests.conftest import reflectkit_env

SCRIPT = Path(sys.executable).parent / "reflectkit"
DATA = Path(__file__).resolve().parents[1] / "data"
CASE2 = Section("case", "meeting-nobody-came-to")
POLISH_ARABIC_EMOJI = "Zażółć gęślą jaźń — مرحبا بالعائلة — 🙂👩‍⚕️"


def cli(home: Path, *args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), *args],
        env=reflectkit_env(home, **env),
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )


def stored(journal: Journal, section: Section = CASE2, qid: str = "immediate") -> object:
    unit = journal.load(section)
    return unit.answers[qid].value if unit and qid in unit.answers else None


# -- 11.2 far dates ------------------------------------------------------------------------
def test_a_far_date_is_refused_and_nothing_is_saved(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECTKIT_TODAY", "9999-12-20")
    assert run(["remind", "--restart"]) == ExitCode.USAGE
    assert "Traceback" not in capsys.readouterr().err
    monkeypatch.setenv("REFLECTKIT_TODAY", "2026-11-30")
    for command in (["remind"], ["progress"], ["reflect", "--anyway"], ["revisit"]):
        assert run(command) == 0, command
    assert not (home / "journals" / "default" / "schedule.toml").exists()


# -- 11.5 export --output --------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_export_writes_only_to_a_regular_file_or_a_new_path(
    journal: Journal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal.save_answer(CASE2, "immediate", question="Q", kind="text", value="kept")
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for target in (fifo, folder):
        assert run(["export", "--output", str(target), "--force"]) == ExitCode.USAGE
        err = capsys.readouterr().err
        assert "nothing was written" in err and "--force" not in err.split("nothing was written")[1]
    assert run(["export", "-o", "-"]) == 0
    assert "kept" in capsys.readouterr().out
    new = tmp_path / "new.md"
    assert run(["export", "-o", str(new)]) == 0 and "kept" in new.read_text()
    assert run(["export", "-o", str(new)]) == ExitCode.USAGE  # exists: --force to replace
    assert run(["export", "-o", str(new), "--force"]) == 0


# -- 11.6 a damaged config.toml --------------------------------------------------------------
def test_a_damaged_settings_file_stops_a_save_before_it_happens(home: Path, journal: Journal) -> None:
    (home / "config.toml").write_text("names = [\n", encoding="utf-8")
    done = cli(home, "case", "2", "--question", "1", stdin=b"an answer")
    assert done.returncode == ExitCode.BAD_DATA
    assert b"config.toml" in done.stderr and b"Saved" not in done.stderr
    assert stored(journal) is None


# -- 11.7 drafts -------------------------------------------------------------------------------
def test_check_looks_inside_drafts_and_a_saved_answer_removes_its_draft(
    home: Path, journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectkit.drafts import list_drafts, save_draft

    save_draft(
        home, journal="default", section=CASE2, question_id="immediate", question="Q", text="NHS 943 476 5919"
    )
    assert run(["check"]) == ExitCode.FOUND
    out = capsys.readouterr().out
    assert "In a draft" in out and "reflectkit journal drafts --remove" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a clean answer")))
    assert run(["case", "2", "--question", "1"]) == 0
    assert list_drafts(home) == ([], [])


# -- 11.9 one notion of the day an answer was written ------------------------------------------
@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
def test_every_export_dates_answers_by_the_local_day(
    home: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1 December, 08:00 at UTC+14 is still 30 November in UTC.
    journal.save_answer(
        CASE2, "immediate", question="Q", kind="text", value="x", now=datetime(2026, 11, 30, 18, tzinfo=UTC)
    )
    monkeypatch.setenv("REFLECTKIT_TODAY", "2026-12-01")
    outputs = {}
    for tz in ("Pacific/Kiritimati",):
        env = {"TZ": tz}
        for fmt in ("markdown", "nmc", "hcpc", "swe"):
            done = cli(home, "export", "--as", fmt, REFLECTKIT_TODAY="2026-12-01", **env)
            assert done.returncode == 0, done.stderr
            outputs[fmt] = done.stdout.decode()
    for fmt, text in outputs.items():
        assert "1 December 2026" in text and "30 November 2026" not in text, fmt


# -- 11.11 a hand-edited file --------------------------------------------------------------
def test_a_hand_edit_is_reported_the_rest_still_reads_and_it_can_be_accepted(
    home: Path, journal: Journal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.save_answer(CASE2, "immediate", question="Q", kind="text", value="teh answer")
    journal.save_answer(Section("stage", "1"), "relate", question="Q", kind="text", value="untouched")
    path = journal.unit_path(CASE2)
    path.write_text(path.read_text(encoding="utf-8").replace("teh answer", "the answer"), encoding="utf-8")
    assert run(["journal", "show"]) == 0
    captured = capsys.readouterr()
    assert "untouched" in captured.out and path.name in captured.err and "accept-edit" in captured.err
    assert run(["journal", "accept-edit", path.name]) == ExitCode.NEEDS_INPUT  # it asks first
    assert run(["journal", "accept-edit", path.name, "--yes"]) == 0
    assert "the answer" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a new answer")))
    assert run(["case", "2", "--question", "1"]) == 0
    assert stored(journal) == "a new answer"


# -- 11.13 small ones ------------------------------------------------------------------------
def test_case_validate_refuses_a_file_that_clashes_with_a_built_in_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        (DATA / "case_studies" / "01-first-home-visit.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run(["case", "validate", str(mine)]) == ExitCode.BAD_DATA
    assert "already used by the built-in case study 1" in capsys.readouterr().err


def test_a_huge_piped_answer_is_not_echoed_back(home: Path, journal: Journal) -> None:
    text = ("A long answer. " * 700_000)[:10_000_000]
    done = cli(home, "case", "2", "--question", "1", stdin=text.encode())
    assert len(done.stdout) + len(done.stderr) < 5_000


# -- 12.2 UTF-8 whatever the code page -------------------------------------------------------
@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "cp1252"}, {"LANG": "C", "LC_ALL": "C"}], ids=["cp1252", "C"]
)
def test_output_is_utf8_whatever_the_code_page(home: Path, journal: Journal, env: dict[str, str]) -> None:
    journal.save_answer(
        Section("case", "food-trust-and-a-museum"),
        "immediate",
        question="Q",
        kind="text",
        value=POLISH_ARABIC_EMOJI,
    )
    for args in (
        ["export"],
        ["export", "--as", "json"],
        ["--plain", "journal", "show"],
        ["case", "4", "--review"],
    ):
        done = cli(home, *args, **env)
        assert done.returncode == 0, (args, done.stderr.decode(errors="replace"))
        out = done.stdout.decode("utf-8")  # valid UTF-8, or this raises
        assert POLISH_ARABIC_EMOJI in out or "Za\\u017c" in out, args


def test_a_byte_order_mark_is_dropped_and_other_encodings_are_refused(
    home: Path, journal: Journal, tmp_path: Path
) -> None:
    drafted = tmp_path / "draft.txt"
    drafted.write_bytes("\ufeffDrafted in Notepad: café".encode())
    assert cli(home, "case", "2", "--question", "1", "--from", str(drafted)).returncode == 0
    assert stored(journal) == "Drafted in Notepad: café"
    assert cli(home, "case", "2", "--question", "1", stdin="\ufeffPiped: naïve".encode()).returncode == 0
    assert stored(journal) == "Piped: naïve"
    drafted.write_bytes("Saved as Windows-1252: £100".encode("cp1252"))
    done = cli(home, "case", "2", "--question", "1", "--from", str(drafted))
    assert done.returncode == ExitCode.USAGE
    assert b"not UTF-8" in done.stderr and b"UTF-8" in done.stderr and b"nothing was saved" in done.stderr
    assert stored(journal) == "Piped: naïve"


# -- 12.5 conventions ------------------------------------------------------------------------
def test_a_closed_pipe_ends_quietly(home: Path, journal: Journal) -> None:
    child = subprocess.Popen(
        [str(SCRIPT), "case"], env=reflectkit_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()
    child.stdout.close()  # as `reflectkit case | head -1` does
    assert child.wait(timeout=30) in (0, 141)
    assert child.stderr.read() == b""


def test_no_color_counts_only_when_it_is_set_to_something(monkeypatch: pytest.MonkeyPatch) -> None:
    from reflectkit.cli.ui import wants_plain

    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "")
    assert not wants_plain(False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert wants_plain(False)


def test_shell_completion_is_offered(home: Path) -> None:
    # Named, not detected: detection looks for a shell among the parent processes, which a
    # test run may not have.
    done = cli(home, "--show-completion", "bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert done.returncode == 0, done.stderr
    assert b"complete" in done.stdout and b"_REFLECTKIT_COMPLETE" in done.stdout


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="a pseudo-terminal")
def test_long_output_goes_through_the_pager_in_a_terminal_only(
    home: Path, journal: Journal, tmp_path: Path
) -> None:
    import pexpect  # type: ignore[import-untyped]

    journal.save_answer(CASE2, "immediate", question="Q", kind="text", value="in the pager")
    seen = tmp_path / "paged.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > {seen}\n")
    pager.chmod(0o755)
    env = reflectkit_env(home, PAGER=str(pager), TERM="xterm")
    child = pexpect.spawn(str(SCRIPT), ["journal", "show"], env=env, timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert "in the pager" in seen.read_text()
    seen.unlink()
    done = subprocess.run([str(SCRIPT), "journal", "show"], env=env, capture_output=True, timeout=30)
    assert b"in the pager" in done.stdout and not seen.exists()  # piped: no pager


@pytest.mark.slow
def test_uv_run_prints_nothing_of_its_own_on_a_second_run() -> None:
    import shutil

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    root = Path(__file__).resolve().parents[1]
    for _ in range(2):
        done = subprocess.run(
            [uv, "run", "--project", str(root), "reflectkit", "--version"],
            capture_output=True,
            timeout=300,
            cwd=root,
        )
        assert done.returncode == 0
    assert done.stderr == b""


# -- 13 the workbook -----------------------------------------------------------------------
def test_the_case_list_says_which_case_studies_are_fictional(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reflectkit.content.loader import load_builtin

    assert run(["--plain", "case"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for case in load_builtin().case_studies:
        kind = "fictional" if case.composite else "documented"
        assert f"{case.number}. {case.title} ({kind};" in out


def test_rules_that_change_are_shown_with_their_month_in_the_case_and_the_worksheet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from reflectkit.content.loader import load_builtin
    from reflectkit.content.models import month_words

    case = next(c for c in load_builtin().case_studies if c.current_rules)
    assert run(["export", "--worksheet", str(case.number)]) == 0
    sheet = capsys.readouterr().out
    rule = case.current_rules[0]
    assert "Rules that change" in sheet and f"(checked {month_words(rule.checked)})" in sheet
    assert rule.url in sheet
