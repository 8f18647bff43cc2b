"""End-to-end tests: the installed ``reflectkit`` script in a real pseudo-terminal.

Each test drives the script the way a practitioner would: it reads the prompts on the
screen and types answers. The questions, statements, table rows and scoring inputs come
from the workbook's own TOML files, so the tests check what a user is actually shown.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import time
import tomllib
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]
import pytest

from tests.conftest import reflectkit_env

pytestmark = [pytest.mark.slow, pytest.mark.posix]

SCRIPT = Path(sys.executable).parent / "reflectkit"
DATA = Path(__file__).resolve().parents[1] / "data"
WORKBOOK: dict[str, Any] = tomllib.loads((DATA / "workbook.toml").read_text(encoding="utf-8"))
TODAY = "2026-11-23"  # a Monday

PAUSE = "Press Enter to go on."
STOPPED = "answered before is saved."
FINISH = "Enter on an empty line: finish"
# CSI sequences, OSC sequences (links), and two-byte escapes.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
BOX_DRAWING = re.compile("[\u2500-\u257f]")


# -- the workbook, read straight from its files ------------------------------------------
def stage(number: int) -> dict[str, Any]:
    return next(s for s in WORKBOOK["stages"] if s["number"] == number)


def case_file(number: int) -> Path:
    (path,) = (DATA / "case_studies").glob(f"{number:02d}-*.toml")
    return path


def case_data(number: int) -> dict[str, Any]:
    return tomllib.loads(case_file(number).read_text(encoding="utf-8"))


def case_questions(number: int) -> list[dict[str, Any]]:
    """What `reflectkit case N` asks: Stage 3's immediate response, then the case's own."""
    return [*stage(3)["prompts"], *case_data(number)["questions"]]


def expected_score(question: dict[str, Any], chosen: list[int]) -> int:
    """The scoring rule, written out from the issue: +1/n per true statement chosen,
    -1/n per false one chosen, n = number of true statements, never below 0 (percent)."""
    statements = question["statements"]
    n = sum(1 for s in statements if s["true"])
    total = sum((1 if statements[i - 1]["true"] else -1) for i in chosen) / n
    return round(max(total, 0.0) * 100)


def short(day: date) -> str:
    """A date as the schedule shows it: "Mon 7 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


# -- terminal helpers ----------------------------------------------------------------------
def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def flat(text: str) -> str:
    """Text with escapes removed and all runs of white space made one space."""
    return " ".join(strip_ansi(text).split())


def spawn(
    home: Path, *args: str, rows: int = 40, cols: int = 100, welcomed: bool | None = None, **env: str
) -> pexpect.spawn:
    """Start the script in a pseudo-terminal of ``rows`` x ``cols``: a colour terminal unless
    ``env`` says otherwise, sized by the terminal alone (no COLUMNS/LINES).

    The welcome and privacy note show once per data folder. Tests that start with another
    command than `start` mark it as seen (``welcomed=True`` by default for them), so they
    begin at the screen they are about."""
    if welcomed is None:
        welcomed = "start" not in args
    config = home / "config.toml"
    if welcomed and not config.exists():
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        config.write_text("schema_version = 1\nwelcomed = true\n")
        config.chmod(0o600)
    # pexpect does not answer the cursor-position requests prompt_toolkit sends; a real
    # terminal does. Without this, prompt_toolkit would warn on screen.
    environment = reflectkit_env(home, **{"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", **env})
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        if name not in env:
            environment.pop(name, None)
    child = pexpect.spawn(
        str(SCRIPT),
        list(args),
        env=environment,
        dimensions=(rows, cols),
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
    )
    child.logfile_read = io.StringIO()
    return child


def screen(child: pexpect.spawn) -> str:
    """Everything the program has written to the terminal so far."""
    log = child.logfile_read
    assert isinstance(log, io.StringIO)
    return log.getvalue()


LOG_OFFER = "Add it to your CPD log?"


def advance(child: pexpect.spawn, *literals: str, timeout: float = 20) -> int:
    """Press Enter through "Press Enter to go on." pauses (and say no to logging a finished
    part in the CPD log) until one of ``literals`` shows. Returns the index of the literal seen."""
    patterns = [PAUSE, LOG_OFFER, *literals]
    while True:
        index: int = child.expect_exact(patterns, timeout=timeout)
        if index == 0:
            child.send("\r")
            continue
        if index == 1:
            child.send("n\r")
            child.expect_exact("[y] n")  # the prompt drawn again with the answer: not a new offer
            continue
        return index - 2


def finish(child: pexpect.spawn, timeout: float = 20) -> int:
    """Wait for the program to end; return its exit status."""
    child.expect(pexpect.EOF, timeout=timeout)
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return int(child.exitstatus)


def interrupt(child: pexpect.spawn) -> int:
    """Press Ctrl-C; return the exit status."""
    child.sendintr()
    return finish(child)


def run(
    home: Path,
    *args: str,
    stdin: bytes | None = None,
    timeout: float = 30,
    env: dict[str, str] | None = None,
    **extra: str,
) -> subprocess.CompletedProcess[bytes]:
    """Run the script without a terminal (stdin from ``stdin`` or /dev/null)."""
    return subprocess.run(
        [str(SCRIPT), *args],
        env=reflectkit_env(home, **{**(env or {}), **extra}),
        capture_output=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        timeout=timeout,
    )


def export_json(home: Path) -> dict[str, Any]:
    done = run(home, "export", "--as", "json")
    assert done.returncode == 0, done.stderr.decode()
    loaded: dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
    return loaded


def answers_in(export: dict[str, Any], kind: str, ref: str) -> dict[str, Any]:
    """question id -> stored value, for one section of a JSON export."""
    for section in export["sections"]:
        if section["kind"] == kind and section["ref"] == ref:
            return {a["question_id"]: a["value"] for a in section["answers"]}
    return {}


# -- answering one question of each kind -----------------------------------------------
def last_token(prompt: str) -> str:
    """The end of an input prompt that survives wrapping (Rich breaks lines at spaces)."""
    return prompt.rstrip().split()[-1]


def type_line(child: pexpect.spawn, text: str) -> None:
    child.send(text + "\r")


def box(child: pexpect.spawn) -> None:
    """Wait for the answer box (its hint line shows how to finish)."""
    child.expect_exact(FINISH)


def answer_text(child: pexpect.spawn, lines: list[str]) -> str:
    """Type each line and Enter, then Enter on the empty last line to finish."""
    box(child)
    for line in lines:
        type_line(child, line)
        time.sleep(0.05)
    words = " ".join(lines).split()
    if words:  # the box has read the typing (on a busy machine that can take a while) ...
        child.expect_exact(words[-1])
    time.sleep(0.3)  # ... then a person's finishing Enter, not part of a paste
    type_line(child, "")
    child.expect_exact("Saved.")
    return "\n".join(lines)


def answer_statements(child: pexpect.spawn, typed: str) -> None:
    child.expect_exact("Type the numbers")
    child.expect_exact("Your choice:")
    type_line(child, typed)
    child.expect_exact("Saved.")


def answer_scale(child: pexpect.spawn, value: int) -> int:
    child.expect_exact("Your answer, 1 to 5:")
    type_line(child, str(value))
    child.expect_exact("Saved.")
    return value


def answer_table(child: pexpect.spawn, question: dict[str, Any], cells: list[list[str]]) -> list[list[str]]:
    """Type ``cells`` ("" presses Enter); return what should be stored: what was typed,
    never the example (an example shows the idea; it is not the user's answer)."""
    child.expect_exact("Fill in the table")
    stored = []
    for row, typed_row in zip(question["rows"], cells, strict=True):
        example = row.get("example")
        kept = []
        for index, column in enumerate(question["columns"]):
            hint = f" (example: {example[index]})" if example and example[index] else ""
            child.expect_exact(last_token(f"  {column}{hint}:"))  # the cell's name
            child.expect_exact(">")  # its input line
            type_line(child, typed_row[index])
            kept.append(typed_row[index])
        stored.append(kept)
    child.expect_exact("Saved.")
    return stored


def sample_cells(question: dict[str, Any], tag: str) -> list[list[str]]:
    cells = [
        [f"{tag} r{r + 1} c{c + 1}" for c in range(len(question["columns"]))]
        for r in range(len(question["rows"]))
    ]
    if question["rows"][0].get("example"):
        cells[0][1] = ""  # Enter leaves this cell empty, example or not
    return cells


def answer_any(child: pexpect.spawn, question: dict[str, Any], tag: str) -> Any:
    """Answer ``question`` with made-up content; return the value that should be stored."""
    kind = question["kind"]
    if kind == "text":
        return answer_text(child, [f"{tag}: first line of my answer", f"and a second line for {tag} — ok"])
    if kind == "scale":
        return answer_scale(child, 4)
    if kind == "statements":
        answer_statements(child, "1,3")
        return [1, 3]
    if kind == "table":
        return answer_table(child, question, sample_cells(question, tag))
    raise AssertionError(f"unknown question kind {kind}")


# -- 1. the whole walkthrough --------------------------------------------------------------
def test_whole_walkthrough_from_a_fresh_home(home: Path) -> None:
    child = spawn(home, "start", REFLECTKIT_TODAY=TODAY)
    expected: dict[tuple[str, str], dict[str, Any]] = {}

    # The welcome, then Stage 1's prompts.
    stage1 = stage(1)["prompts"]
    for position, question in enumerate(stage1, start=1):
        advance(child, f"Stage 1, prompt {position} of {len(stage1)}")
        if position == 1:
            before = flat(screen(child))
            assert "Welcome to reflectkit" in before
            assert "Before you write: privacy" in before
            assert "Where you are: Stage 1: 0 of 4" in before
        value = answer_any(child, question, f"s1q{position}")
        expected.setdefault(("stage", "1"), {})[question["id"]] = value
    assert [q["kind"] for q in stage1] == ["text", "text", "text", "scale"]

    (notes,) = stage(2)["prompts"]
    advance(child, "Stage 2, prompt 1 of 1")
    expected[("stage", "2")] = {notes["id"]: answer_any(child, notes, "s2")}

    # Stage 3: the table of case studies, then case study 2 by its number.
    advance(child, "Type a case study number")
    table = strip_ansi(screen(child).rsplit("choose a case study", 1)[1])
    for path in sorted((DATA / "case_studies").glob("*.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        row = rf"^{case['number']}\.?\s+{re.escape(case['title'].split()[0])}"
        assert re.search(row, table, re.M), case["title"]
    type_line(child, "2")

    case = case_data(2)
    questions = case_questions(2)
    answers: dict[str, Any] = {}
    for position, question in enumerate(questions, start=1):
        advance(child, f"Case study 2, question {position} of {len(questions)}")
        answers[question["id"]] = answer_any(child, question, f"c2q{position}")
    expected[("case", case["id"])] = answers

    # The case is complete: Stage 4 begins today, and its schedule is shown.
    advance(child, "Your four weeks start today")
    child.expect_exact("Do it now? (y/n) [n]")
    type_line(child, "n")
    assert finish(child) == 0
    shown = strip_ansi(screen(child))
    plan = shown.rsplit("Your four weeks start today", 1)[1]
    start = date.fromisoformat(TODAY)
    labels = [f"week {n} reflection" for n in range(1, 5)] + ["four-week revisit"]
    for index, label in enumerate(labels):
        opens = start + timedelta(days=7 * index)
        closes = opens + timedelta(days=6)
        minutes = 15 if index == 4 else 5
        state = "due" if index == 0 else "upcoming"
        row = rf"{label}\s+{short(opens)}\s+{short(closes)}\s+{minutes} min\s+{state}\b"
        assert re.search(row, plan), (row, plan)
    assert "Cycle 1, started Monday 23 November 2026" in plan
    assert "Whenever you are ready: reflectkit reflect" in shown

    schedule = tomllib.loads((home / "journals" / "default" / "schedule.toml").read_text("utf-8"))
    assert len(schedule["cycles"]) == 1
    assert schedule["cycles"][0]["started"] == start
    assert schedule["cycles"][0].get("after_case") == case["id"]

    # Every answer is in the JSON export, exactly.
    export = export_json(home)
    for (kind, ref), wanted in expected.items():
        assert answers_in(export, kind, ref) == wanted, (kind, ref)
    statements = next(q for q in questions if q["kind"] == "statements")
    scored = [a for s in export["sections"] for a in s["answers"] if a["question_id"] == statements["id"]]
    assert round(scored[0]["score"] * 100) == expected_score(statements, [1, 3])


# -- 2. Ctrl-C in the middle of a case study ---------------------------------------------
def test_ctrl_c_mid_case_keeps_answers_and_resumes_at_the_first_open_question(home: Path) -> None:
    questions = case_questions(2)
    case_id = case_data(2)["id"]
    child = spawn(home, "case", "2")
    given = {}
    for position, question in enumerate(questions[:2], start=1):
        advance(child, f"Case study 2, question {position} of {len(questions)}")
        given[question["id"]] = answer_any(child, question, f"before-ctrl-c-{position}")
    third = questions[2]
    advance(child, f"Case study 2, question 3 of {len(questions)}")
    child.expect_exact("Fill in the table")
    example = third["rows"][0].get("example")
    first_cell = f"  {third['columns'][0]}" + (f" (example: {example[0]})" if example else "") + ":"
    child.expect_exact(last_token(first_cell))
    child.expect_exact(">")
    assert interrupt(child) == 130
    assert "Traceback" not in screen(child)

    assert answers_in(export_json(home), "case", case_id) == given

    # `reflectkit case 2` carries on at question 3, showing its text.
    child = spawn(home, "case", "2")
    advance(child, f"Case study 2, question 3 of {len(questions)}")
    child.expect_exact("Fill in the table")
    assert flat(third["prompt"]) in flat(child.before)
    assert "question 1 of" not in flat(screen(child))
    assert interrupt(child) == 130

    # So does `reflectkit start`, once Stages 1 and 2 are answered (piped in, one by one).
    for number in (1, 2):
        for k, question in enumerate(stage(number)["prompts"], start=1):
            piped = b"3" if question["kind"] == "scale" else f"stage {number} prompt {k}".encode()
            done = run(home, "stage", str(number), "--prompt", str(k), stdin=piped)
            assert done.returncode == 0, done.stderr.decode()
    child = spawn(home, "start", REFLECTKIT_TODAY=TODAY)
    advance(
        child,
        f"Case study 2, question 3 of {len(questions)}",
        "Stage 1, prompt",
        "Type a case study number",
    )
    assert child.after == f"Case study 2, question 3 of {len(questions)}"
    child.expect_exact("Fill in the table")
    assert flat(third["prompt"]) in flat(child.before)
    assert interrupt(child) == 130
    assert answers_in(export_json(home), "case", case_id) == given


def test_ctrl_c_says_that_answers_are_saved(home: Path) -> None:
    child = spawn(home, "case", "2")
    advance(child, f"Case study 2, question 1 of {len(case_questions(2))}")
    box(child)
    assert interrupt(child) == 130
    assert STOPPED in flat(screen(child))


# -- 3. the editor -----------------------------------------------------------------------
EDITED = (
    "# heading\n"
    "A line with unicode: café, naïve, 中文, emoji 🙂\n"
    "\n"
    "    an indented line\tand a tab\n"
    "last line\n"
)


def fake_editor(tmp_path: Path, text: str, name: str = "editor.py") -> tuple[str, Path]:
    """A script that writes ``text`` into the file it is given and notes that file's path.
    Returns an $EDITOR command (an interpreter and an argument, so shlex splitting is used)."""
    seen = tmp_path / f"{name}.seen"
    script = tmp_path / name
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "given = Path(sys.argv[-1])\n"
        f"Path({str(seen)!r}).write_text(\n"
        "    str(given) + '\\n' + given.read_text(encoding='utf-8'), encoding='utf-8')\n"
        f"Path(sys.argv[-1]).write_text({text!r}, encoding='utf-8', newline='')\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return f"{sys.executable} {script}", seen


def test_answer_in_the_editor_with_e_and_with_the_editor_flag(home: Path, tmp_path: Path) -> None:
    command, seen = fake_editor(tmp_path, EDITED)
    questions = case_questions(1)
    case_id = case_data(1)["id"]

    # /edit in the answer box opens $EDITOR on a temp file inside the data folder.
    child = spawn(home, "case", "1", EDITOR=command)
    advance(child, f"Case study 1, question 1 of {len(questions)}")
    box(child)
    type_line(child, "/edit")
    child.expect_exact("Saved.")
    advance(child, f"Case study 1, question 2 of {len(questions)}")
    child.expect_exact("Your choice:")  # Ctrl-C at question 2's prompt, once it is up
    assert interrupt(child) == 130

    draft, initial = seen.read_text(encoding="utf-8").split("\n", 1)
    assert Path(draft).parent == home / "drafts"
    assert initial == ""
    assert not Path(draft).exists()
    assert list((home / "drafts").iterdir()) == []
    assert answers_in(export_json(home), "case", case_id) == {questions[0]["id"]: EDITED.rstrip("\n")}

    # --editor goes straight to the editor ($VISUAL wins over $EDITOR).
    other = "Second answer, written with --editor\nline two ✓\n\n"
    visual, seen_visual = fake_editor(tmp_path, other, name="visual.py")
    number = next(i for i, q in enumerate(questions, start=1) if i > 1 and q["kind"] == "text")
    child = spawn(home, "case", "1", "--question", str(number), "--editor", EDITOR=command, VISUAL=visual)
    child.expect_exact("Saved.")
    assert FINISH not in screen(child)
    assert finish(child) == 0
    assert seen_visual.exists()
    assert list((home / "drafts").iterdir()) == []
    stored = answers_in(export_json(home), "case", case_id)
    assert stored == {
        questions[0]["id"]: EDITED.rstrip("\n"),
        questions[number - 1]["id"]: other.rstrip("\n"),
    }

    # Editing out a detail that may identify someone: the editor starts from the answer,
    # and the identifying version is not kept in the answer's history.
    cleaned = "Rang the mother; no number written here.\n"
    command, seen = fake_editor(tmp_path, cleaned, name="privacy.py")
    later = next(i for i, q in enumerate(questions, start=1) if i > number and q["kind"] == "text")
    child = spawn(home, "case", "1", "--question", str(later), EDITOR=command)
    typed = answer_text(child, ["Ring the mother on 07700 900123 tomorrow"])
    child.expect_exact("This looks like a UK phone number.")
    child.expect_exact("or keep it as it is (k)? [c]")
    type_line(child, "e")
    child.expect_exact("Saved.")
    assert finish(child) == 0
    assert seen.read_text(encoding="utf-8").split("\n", 1)[1] == typed
    assert list((home / "drafts").iterdir()) == []
    export = export_json(home)
    (answer,) = [
        a for s in export["sections"] for a in s["answers"] if a["question_id"] == questions[later - 1]["id"]
    ]
    assert answer["value"] == cleaned.rstrip("\n")
    assert "07700" not in json.dumps(export)


# -- 4. statements: feedback and score -----------------------------------------------------
@pytest.mark.parametrize("typed", ["1,2,4", "1 4 5", "1,2,3,6"])
def test_statements_feedback_and_score(home: Path, typed: str) -> None:
    questions = case_questions(1)
    number, question = next((i, q) for i, q in enumerate(questions, start=1) if q["kind"] == "statements")
    chosen = sorted({int(n) for n in re.split(r"[ ,]+", typed)})

    child = spawn(home, "case", "1", "--question", str(number))
    child.expect_exact(f"question {number} of {len(questions)}")
    answer_statements(child, typed)
    assert finish(child) == 0
    shown = flat(screen(child).rsplit(typed, 1)[1])

    # Each statement in order: its number and text again, whether it was chosen and whether
    # that was right, then its feedback (said once); then the score and how it was reached.
    marks = []
    for index, statement in enumerate(question["statements"], start=1):
        picked = index in chosen
        verdict = "right" if picked == statement["true"] else "not quite"
        marks.append(
            rf"{index}\. {re.escape(flat(statement['text']))} "
            rf"{'You chose it' if picked else 'You left it'}: {verdict}\. .{{0,20}}?"
            + re.escape(flat(statement["feedback"]))
        )
    score = expected_score(question, chosen)
    assert re.search(r"\s*".join(marks) + rf"\s*Your score: {score}%\. You chose", shown), shown
    assert re.search(r"Your score: (\d+)%", shown)[1] == str(score)  # type: ignore[index]

    (stored,) = [
        a for s in export_json(home)["sections"] for a in s["answers"] if a["question_id"] == question["id"]
    ]
    assert stored["value"] == chosen
    assert round(stored["score"] * 100) == score


# -- 5. a narrow terminal ------------------------------------------------------------------
def display_width(line: str) -> int:
    return sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
        for ch in line
    )


def screen_lines(raw: str) -> list[str]:
    """The lines the terminal shows, escapes removed (a bare CR returns to the line start)."""
    lines = []
    for line in strip_ansi(raw).replace("\r\n", "\n").split("\n"):
        lines.append(line.rsplit("\r", 1)[-1])
    return lines


def test_forty_column_terminal(home: Path) -> None:
    questions = case_questions(1)
    child = spawn(home, "case", "1", rows=30, cols=40)
    typed: list[str] = []
    values: dict[str, Any] = {}
    for position, question in enumerate(questions, start=1):
        advance(child, f"Case study 1, question {position} of {len(questions)}")
        kind = question["kind"]
        if kind == "text":
            values[question["id"]] = answer_text(child, [f"q{position} ok"])
            typed.append(f"q{position} ok")
        elif kind == "statements":
            answer_statements(child, "2,3")
            values[question["id"]] = [2, 3]
            typed.append("2,3")
        elif kind == "scale":
            values[question["id"]] = answer_scale(child, 2)
            typed.append("2")
        else:
            cells = [["x"] * len(question["columns"]) for _ in question["rows"]]
            values[question["id"]] = answer_table(child, question, cells)
            typed.append("x")
    advance(child, "Your four weeks start today")  # the first case study finished: Stage 4 begins
    assert finish(child) == 0
    raw = screen(child)
    assert "Traceback" not in raw
    # Only the program's output counts: what the user typed is echoed by the terminal.
    too_wide = []
    for line in screen_lines(raw):
        shown = next((line[: -len(t)] for t in typed if line.endswith(t)), line)
        # A web address is printed whole on a line of its own, for the terminal to wrap,
        # so that it can be copied; everything else must fit.
        if display_width(shown) > 40 and not shown.strip().startswith(("http://", "https://")):
            too_wide.append(line)
    assert too_wide == []
    assert any(display_width(line) > 30 for line in screen_lines(raw))  # it did use the width
    assert answers_in(export_json(home), "case", case_data(1)["id"]) == values


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(
            ["remind"],
            id="remind",
        ),
        pytest.param(["progress"], id="progress"),
        pytest.param(["case", "1", "--review"], id="reminder-line"),
    ],
)
def test_forty_columns_with_stage4_started(home: Path, args: list[str]) -> None:
    assert run(home, "remind", "--restart", REFLECTKIT_TODAY=TODAY).returncode == 0
    child = spawn(home, *args, rows=30, cols=40, REFLECTKIT_TODAY=TODAY)
    assert finish(child) == 0
    lines = screen_lines(screen(child))
    assert any("reflectkit reflect" in line for line in lines)
    assert [line for line in lines if display_width(line) > 40] == []


# -- 6. plain output: --plain, NO_COLOR, TERM=dumb -----------------------------------------
def assert_plain(raw: str) -> None:
    assert "\x1b" not in raw, repr(raw[max(raw.find("\x1b") - 60, 0) : raw.find("\x1b") + 20])
    assert BOX_DRAWING.findall(raw) == []


def test_plain_output_has_no_escapes_or_box_drawing(home: Path) -> None:
    questions = case_questions(1)
    table_number = next(i for i, q in enumerate(questions, start=1) if q["kind"] == "table")
    for number, piped in (
        (1, b"My first thoughts"),
        (2, b"1,2"),
        (table_number, b"a|b|c\nd|e|f\n"),
    ):
        done = run(home, "case", "1", "--question", str(number), stdin=piped)
        assert done.returncode == 0, done.stderr.decode()

    # --plain before the command, in a colour terminal.
    child = spawn(home, "--plain", "case", "1", "--review")
    assert finish(child) == 0
    raw = screen(child)
    assert_plain(raw)
    shown = flat(raw)
    assert "My first thoughts" in shown and "(not answered yet)" in shown
    assert f"{flat(questions[table_number - 1]['prompt'])}" in shown

    # The same screen without --plain does use colour and boxes (so the check above can fail).
    child = spawn(home, "case", "1", "--review")
    assert finish(child) == 0
    assert "\x1b[" in screen(child) and BOX_DRAWING.search(screen(child))

    # NO_COLOR=1: the case table.
    child = spawn(home, "case", NO_COLOR="1")
    assert finish(child) == 0
    raw = screen(child)
    assert_plain(raw)
    title = case_data(1)["title"]
    assert re.search(rf"^1\.?\s+{re.escape(title)}\b.*\b3 of {len(questions)}\b", raw, re.M), raw

    # TERM=dumb: `start` from the welcome up to the first question.
    (home / "config.toml").unlink()  # so that the welcome shows again
    child = spawn(home, "start", TERM="dumb")
    advance(child, "Stage 1, prompt 1 of")
    child.expect_exact("> ")
    raw = screen(child)
    assert_plain(raw)
    assert "Welcome to reflectkit" in raw and "Before you write: privacy" in raw
    assert interrupt(child) == 130


# -- 7. hostile answers ----------------------------------------------------------------------
HOSTILE_LINES = [
    "[/bold]",
    "[link=http://x]x[/link]",
    "\x1b[31mRED",
    "emoji 🙂 👩‍⚕️ and 中文",
    "quotes \"double\" 'single' and back\\slash \\n \\x1b",
    "bidi \u202eevil\u202c bell\x07",
]
PIPED = (
    b"piped [/bold] \x1b]8;;http://evil/\x07link\x1b]8;;\x07\r\n"
    b"NUL:\x00: \xe2\x80\xae rtl\r\n"
    b"\\ \"q\" 'q'\r\n"
)


def assert_shown_safely(raw: str, *, colour: bool) -> None:
    assert "Traceback" not in raw
    if colour:
        # Our own styling may use escapes; the user's never reach the terminal.
        assert "\x1b[31m" not in raw and "\x1b]8;" not in raw and "\x07" not in raw and "\u202e" not in raw
    else:
        assert "\x1b" not in raw
    shown = flat(raw)
    assert "[/bold]" in shown and "[link=http://x]x[/link]" in shown
    assert "\\x1b[31mRED" in shown and "\\u202eevil" in shown
    assert "emoji 🙂 👩‍⚕️ and 中文" in shown


def test_hostile_answers_are_stored_exactly_and_shown_safely(home: Path) -> None:
    questions = case_questions(1)
    case_id = case_data(1)["id"]
    text_numbers = [i for i, q in enumerate(questions, start=1) if q["kind"] == "text"]

    # Pasted into the answer box (a terminal wraps a paste in bracketed-paste markers, so
    # escape sequences and control characters in it arrive as text, not as keys).
    child = spawn(home, "case", "1")
    advance(child, f"Case study 1, question 1 of {len(questions)}")
    box(child)
    child.send("\x1b[200~" + "\r".join(HOSTILE_LINES) + "\x1b[201~")
    time.sleep(0.3)
    type_line(child, "")  # the pasted text's last line is not empty: a new line...
    time.sleep(0.3)
    type_line(child, "")  # ...and Enter on it finishes
    child.expect_exact("Saved.")
    typed = "\n".join(HOSTILE_LINES)
    advance(child, f"Case study 1, question 2 of {len(questions)}")
    assert interrupt(child) == 130

    # Piped into one question: CRLF, NUL, an OSC 8 link, bidi override, all kept.
    piped_number = text_numbers[1]
    done = run(home, "case", "1", "--question", str(piped_number), stdin=PIPED)
    assert done.returncode == 0, done.stderr.decode()

    wanted = {questions[0]["id"]: typed, questions[piped_number - 1]["id"]: PIPED.decode("utf-8")}
    assert answers_in(export_json(home), "case", case_id) == wanted
    stored = tomllib.loads(
        (home / "journals" / "default" / "entries" / f"case-{case_id}.toml").read_text(encoding="utf-8")
    )
    assert {k: v["value"] for k, v in stored["answers"].items()} == wanted

    # Shown back: journal show (plain, through a pipe) and the review (terminal, colour).
    done = run(home, "--plain", "journal", "show")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8")
    assert_shown_safely(out, colour=False)
    assert "\\x00" in out and "\\x1b]8;;http://evil/\\x07link" in out

    child = spawn(home, "case", "1", "--review")
    assert finish(child) == 0
    assert_shown_safely(screen(child), colour=True)
    done = run(home, "case", "1", "--review")
    assert done.returncode == 0
    assert_shown_safely(done.stdout.decode("utf-8"), colour=False)


# -- 8. without a terminal ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "first_question", "reason"),
    [
        (["start"], stage(1)["prompts"][0]["prompt"], "input is not a terminal"),
        (["start", "--no-input"], stage(1)["prompts"][0]["prompt"], "--no-input was given"),
        (["case", "1"], stage(3)["prompts"][0]["prompt"], "input is not a terminal"),
    ],
    ids=["start", "start-no-input", "case"],
)
def test_without_a_terminal_it_says_what_it_would_ask(
    home: Path, args: list[str], first_question: str, reason: str
) -> None:
    began = time.monotonic()
    done = run(home, *args, timeout=10)
    assert time.monotonic() - began < 10
    assert done.returncode not in (0, 130)
    err = flat(done.stderr.decode("utf-8"))
    assert f"this needs an answer to: {flat(first_question)}" in err
    assert reason in err
    assert "Traceback" not in err


def test_no_input_in_a_terminal_never_waits(home: Path) -> None:
    began = time.monotonic()
    child = spawn(home, "start", "--no-input")
    index = child.expect_exact([pexpect.EOF, PAUSE, "> "], timeout=10)
    assert index == 0, "it waited for input"
    child.close()
    assert time.monotonic() - began < 10
    assert child.exitstatus not in (0, 130, None)
    shown = flat(screen(child))
    assert f"this needs an answer to: {flat(stage(1)['prompts'][0]['prompt'])}" in shown
    assert "--no-input was given" in shown


# -- 9. the reminder line ----------------------------------------------------------------------
REMINDER = "Your week 1 reflection (5 minutes) is due — run: reflectkit reflect"


def test_reminder_line(home: Path) -> None:
    assert run(home, "case", REFLECTKIT_TODAY=TODAY).stderr == b""  # no cycle, no reminder
    done = run(home, "remind", "--restart", REFLECTKIT_TODAY=TODAY)
    assert done.returncode == 0, done.stderr.decode()

    done = run(home, "case", REFLECTKIT_TODAY=TODAY)
    assert done.returncode == 0
    assert done.stderr.decode("utf-8").strip() == REMINDER
    assert "reflectkit reflect" not in done.stdout.decode("utf-8")
    assert run(home, "--plain", "case", REFLECTKIT_TODAY=TODAY).stderr.decode().strip() == REMINDER

    quiet_runs: list[tuple[list[str], dict[str, str]]] = [
        (["case"], {"REFLECTKIT_NO_REMIND": "1"}),
        (["--quiet", "case"], {}),
        (["-q", "case"], {}),
        (["--version"], {}),
        (["-V"], {}),
        (["--plain", "--version"], {}),
        (["--help"], {}),
        (["case", "--help"], {}),
        (["export"], {}),
        (["export", "--as", "json"], {}),
    ]
    for args, env in quiet_runs:
        done = run(home, *args, env=env, REFLECTKIT_TODAY=TODAY)
        assert done.returncode == 0, (args, done.stderr.decode())
        both = (done.stdout + done.stderr).decode("utf-8")
        assert "reflectkit reflect" not in both and "reflection (5 minutes) is due" not in both, args

    # Week 1 done (today still in week 1): no reminder.
    child = spawn(home, "reflect", REFLECTKIT_TODAY=TODAY)
    weekly = stage(4)["weekly"]
    for position in range(1, len(weekly) + 1):
        child.expect_exact(f"Week 1 reflection, question {position} of {len(weekly)}")
        answer_text(child, [f"weekly answer {position}"])
    child.expect_exact("Well done: your week 1 reflection is recorded.")
    assert finish(child) == 0
    assert "is due" not in screen(child)
    for day in (TODAY, "2026-11-29"):
        done = run(home, "case", REFLECTKIT_TODAY=day)
        assert done.returncode == 0
        assert done.stderr == b"", day
    # ...until week 2 opens.
    done = run(home, "case", REFLECTKIT_TODAY="2026-11-30")
    assert done.stderr.decode().strip() == REMINDER.replace("week 1", "week 2")
    export = export_json(home)
    assert answers_in(export, "reflection", "1-week-1") == {
        q["id"]: f"weekly answer {k}" for k, q in enumerate(weekly, start=1)
    }


def test_no_reminder_for_export_with_home_option(home: Path) -> None:
    assert run(home, "remind", "--restart", REFLECTKIT_TODAY=TODAY).returncode == 0
    done = run(home, "--home", str(home), "export", REFLECTKIT_TODAY=TODAY)
    assert done.returncode == 0
    assert b"reflectkit reflect" not in done.stdout + done.stderr


# -- bugs these tests found (fixed in cf9d77c): kept as regression tests -------------------
def test_table_answer_in_the_example_row_is_kept(home: Path) -> None:
    questions = case_questions(2)
    number, question = next((i, q) for i, q in enumerate(questions, start=1) if q["kind"] == "table")
    assert question["rows"][0].get("example") and not question["rows"][1].get("example")
    cells = [[f"my own cell {c}" for c in range(len(question["columns"]))]]
    cells += [[""] * len(question["columns"]) for _ in question["rows"][1:]]
    child = spawn(home, "case", "2", "--question", str(number))
    child.expect_exact("Fill in the table")
    for row, typed_row in zip(question["rows"], cells, strict=True):
        example = row.get("example")
        for index, column in enumerate(question["columns"]):
            hint = f" (example: {example[index]})" if example and example[index] else ""
            child.expect_exact(last_token(f"  {column}{hint}:"))
            child.expect_exact(">")
            type_line(child, typed_row[index])
    assert finish(child) == 0
    assert "Skipped for now" not in screen(child)
    assert answers_in(export_json(home), "case", case_data(2)["id"]) == {question["id"]: cells}


def test_earlier_answer_is_shown_readably(home: Path) -> None:
    questions = case_questions(1)
    statements = next(i for i, q in enumerate(questions, start=1) if q["kind"] == "statements")
    table = next(i for i, q in enumerate(questions, start=1) if q["kind"] == "table")
    assert run(home, "case", "1", "--question", str(statements), stdin=b"1,3").returncode == 0
    assert run(home, "case", "1", "--question", str(table), stdin=b"aaa|bbb|ccc\n").returncode == 0

    child = spawn(home, "case", "1", "--question", str(statements))
    child.expect_exact("Your earlier answer")
    child.expect_exact("Type the numbers")
    earlier = flat(child.before)
    assert interrupt(child) == 130
    child = spawn(home, "case", "1", "--question", str(table))
    child.expect_exact("Your earlier answer")
    child.expect_exact("Fill in the table")
    earlier_table = flat(child.before)
    assert interrupt(child) == 130

    assert "[1, 3]" not in earlier
    for chosen in (1, 3):  # named in the earlier answer, and again in the list to choose from
        assert earlier.count(flat(questions[statements - 1]["statements"][chosen - 1]["text"])) >= 2
    assert "[['" not in earlier_table and "aaa" in earlier_table


def test_piped_answer_with_no_input_is_stored(home: Path) -> None:
    questions = case_questions(1)
    number = next(i for i, q in enumerate(questions, start=1) if i > 1 and q["kind"] == "text")
    done = run(home, "case", "1", "--question", str(number), "--no-input", stdin=b"drafted")
    assert done.returncode == 0, done.stderr.decode()
    stored = answers_in(export_json(home), "case", case_data(1)["id"])
    assert stored == {questions[number - 1]["id"]: "drafted"}


def stored_answer(home: Path, case_number: int, qid: str) -> dict[str, Any]:
    """One answer as the store reads it back: its value, marks, and earlier versions."""
    from reflectkit.journal.history import read_unit

    path = home / "journals" / "default" / "entries" / f"case-{case_data(case_number)['id']}.toml"
    answer = read_unit(path).answers[qid]
    found = {"value": answer.value, "history": [e.value for e in answer.history]}
    found |= {
        k: v for k, v in (("unfinished", answer.unfinished), ("needs_review", answer.needs_review)) if v
    }
    return found


def on_disk(home: Path) -> str:
    """Everything the journal's entries folder holds: answers and their earlier versions."""
    entries = home / "journals" / "default" / "entries"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(entries.iterdir()) if p.is_file())


def test_ctrl_c_keeps_the_whole_box_and_offers_it_back(home: Path) -> None:
    child = spawn(home, "case", "2", "--questions")
    advance(child, f"Case study 2, question 1 of {len(case_questions(2))}")
    box(child)
    child.send("The first line I wrote.\rAnd a second one.\rhalf a th")
    time.sleep(0.5)
    assert interrupt(child) == 130
    assert "kept as an unfinished answer" in flat(screen(child))
    kept = stored_answer(home, 2, "immediate")
    assert kept["value"] == "The first line I wrote.\nAnd a second one.\nhalf a th"
    assert kept["unfinished"] is True

    # Next time the box opens with the draft in it, the cursor at its end.
    child = spawn(home, "case", "2", "--questions")
    child.expect_exact("You started this answer earlier")
    box(child)
    child.send("ird line.")
    time.sleep(0.3)
    type_line(child, "")
    time.sleep(0.3)
    type_line(child, "")
    child.expect_exact("Saved.")
    child.expect_exact("question 2 of")
    type_line(child, "/quit")
    assert finish(child) == 0
    done = stored_answer(home, 2, "immediate")
    assert done["value"] == "The first line I wrote.\nAnd a second one.\nhalf a third line."
    assert "unfinished" not in done and not done.get("history"), done  # the draft is not an earlier version


@pytest.mark.parametrize("how", ["bracketed", "one-write", "slow-terminal"])
def test_a_pasted_answer_with_blank_lines_is_one_answer(home: Path, how: str) -> None:
    text = (
        "First paragraph, pasted from a draft.\nIts second line.\n\n"
        "Second paragraph after a blank line.\n\n\nThird, after two."
    )
    keys = text.replace("\n", "\r")
    child = spawn(home, "case", "2", "--question", "1")
    box(child)
    if how == "bracketed":
        child.send("\x1b[200~" + keys + "\x1b[201~")
    elif how == "one-write":
        child.send(keys)
    else:  # a slow terminal types the paste in, a few characters at a time
        for start in range(0, len(keys), 7):
            child.send(keys[start : start + 7])
            time.sleep(0.02)
    time.sleep(0.5)
    type_line(child, "")  # a new line after the pasted text...
    time.sleep(0.3)
    type_line(child, "")  # ...and Enter on it finishes
    child.expect_exact("Saved.")
    assert finish(child) == 0
    assert stored_answer(home, 2, "immediate")["value"] == text
    assert "question 2 of" not in screen(child)  # nothing spilled into another question


def test_text_typed_on_a_press_enter_page_is_kept_not_used_as_an_answer(home: Path) -> None:
    child = spawn(home, "start", REFLECTKIT_TODAY=TODAY)
    child.expect_exact(PAUSE)  # the welcome page
    child.send("my first thoughts, typed too early\r")
    child.expect_exact("What you typed there is kept")
    advance(child, "Stage 1, prompt 1 of")
    box(child)
    assert "Skipped" not in screen(child)
    time.sleep(0.3)
    type_line(child, "")  # the box holds the early text: a new line, then finish
    time.sleep(0.3)
    type_line(child, "")
    child.expect_exact("Saved.")
    # A double Enter on a page never skips the question after it.
    child.expect_exact("Stage 1, prompt 2 of")
    box(child)
    type_line(child, "")
    time.sleep(0.5)
    assert "Skipped" not in screen(child).rsplit("prompt 2 of", 1)[1]
    type_line(child, "/quit")
    assert finish(child) == 0
    path = home / "journals" / "default" / "entries" / "stage-1.toml"
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    assert answers[stage(1)["prompts"][0]["id"]]["value"] == "my first thoughts, typed too early"
    assert list(answers) == [stage(1)["prompts"][0]["id"]]


def test_an_earlier_line_can_be_corrected(home: Path) -> None:
    child = spawn(home, "case", "2", "--question", "1")
    box(child)
    child.send("line one\r")
    time.sleep(0.2)
    child.send("line two\r")
    time.sleep(0.2)
    child.send("\x1b[A\x1b[A")  # up twice: to line one
    child.send("\x1b[F")  # End
    child.send(" fixed")
    child.send("\x1b[B\x1b[B")  # down to the empty last line
    time.sleep(0.3)
    type_line(child, "")
    child.expect_exact("Saved.")
    assert finish(child) == 0
    assert stored_answer(home, 2, "immediate")["value"] == "line one fixed\nline two"


def test_skip_back_and_quit_at_each_kind_of_question(home: Path) -> None:
    questions = case_questions(1)
    kinds = [q["kind"] for q in questions]
    statements, table, scale = (kinds.index(k) + 1 for k in ("statements", "table", "scale"))
    assert kinds[0] == "text" and statements == 2
    child = spawn(home, "case", "1", "--questions")
    box(child)
    type_line(child, "/skip")  # text: skipped for now
    child.expect_exact("Skipped for now")
    child.expect_exact("Your choice:")
    type_line(child, "/back")  # statements: back to the text question
    child.expect_exact("question 1 of")
    answer_text(child, ["my first response"])
    child.expect_exact("Your choice:")
    type_line(child, "/skip")
    child.expect_exact(f"question {statements + 1} of")
    assert finish_with_quit(child, kinds[statements]) == 0
    assert "Stopped for now" in flat(screen(child))
    stored = answers_in(export_json(home), "case", case_data(1)["id"])
    assert stored == {"immediate": "my first response"}

    for number in (table, scale):  # /quit at a table cell and at a scale
        child = spawn(home, "case", "1", "--question", str(number))
        assert finish_with_quit(child, kinds[number - 1]) == 0
        assert "Stopped for now" in flat(screen(child))
    child = spawn(home, "case", "1", "--question", str(table))
    child.expect_exact(">")
    type_line(child, "/back")  # /back at the first cell of a table asked alone: nothing before it
    assert finish(child) == 0


def finish_with_quit(child: pexpect.spawn, kind: str) -> int:
    child.expect_exact({"text": FINISH, "statements": "Your choice:", "scale": "1 to 5:", "table": ">"}[kind])
    type_line(child, "/quit")
    return finish(child)


def test_when_all_is_done_start_offers_another_case_study(home: Path) -> None:
    from datetime import date

    from reflectkit.content.loader import load_builtin
    from reflectkit.flow import case_questions as questions_of
    from reflectkit.journal.cycles import mark, start_cycle
    from reflectkit.journal.models import Section
    from reflectkit.journal.store import Store

    wb = load_builtin()
    journal = Store(home).journal("default", create=True)
    values = {"text": "done", "scale": 3, "statements": [1], "table": [["x"]]}
    for number in (1, 2):
        for q in wb.stage(number).prompts:
            journal.save_answer(
                Section("stage", str(number)), q.id, question=q.prompt, kind=q.kind, value=values[q.kind]
            )
    case = wb.case(2)
    assert case is not None
    for q in questions_of(wb, case):
        journal.save_answer(
            Section("case", case.id), q.id, question=q.prompt, kind=q.kind, value=values[q.kind]
        )
    start_cycle(journal.path, date(2026, 11, 23))
    mark(journal.path, 1, "week-1", done=date(2026, 11, 23))
    (home / "config.toml").write_text("schema_version = 1\nwelcomed = true\n")

    child = spawn(home, "start", REFLECTKIT_TODAY=TODAY)
    advance(child, "You are up to date")
    advance(child, "Another case study?")
    child.expect_exact("Type a case study number")
    child.sendline("3")
    advance(child, "Case study 3, question 1 of")
    assert interrupt(child) == 130


def test_an_identifying_earlier_version_is_removed_by_default(home: Path) -> None:
    first = run(home, "case", "1", "--question", "1", stdin=b"Mrs Begum, NHS number 943 476 5919.\n")
    assert first.returncode == 0
    assert b"may identify someone" in first.stderr and b"marked for review" in first.stderr
    child = spawn(home, "case", "1", "--question", "1")
    answer_text(child, ["The mother was worried about the visit."])
    child.expect_exact("An earlier version of this answer, kept in its history, may identify someone")
    child.expect_exact("Remove that earlier version? (y/n) [y]")
    child.sendline("maybe")
    child.expect_exact("Please type one of: y, n.")
    child.sendline("")
    child.expect_exact("Removed 1 earlier version.")
    assert finish(child) == 0
    stored = on_disk(home)
    assert "Begum" not in stored and "943" not in stored
    assert "The mother was worried about the visit." in stored


def test_an_identifying_answer_is_changed_by_default(home: Path) -> None:
    child = spawn(home, "case", "1", "--question", "1")
    answer_text(child, ["Call her on 07700 900123."])
    child.expect_exact("It is saved, marked for review")
    child.expect_exact("or keep it as it is (k)? [c]")
    child.sendline("")  # Enter: change it here, in the box, which holds the answer
    box(child)
    child.send("\x7f" * len(" on 07700 900123."))
    child.send(".")
    time.sleep(0.3)
    type_line(child, "")
    time.sleep(0.3)
    type_line(child, "")
    child.expect_exact("Saved.")
    assert finish(child) == 0
    answer = stored_answer(home, 1, "immediate")
    assert answer["value"] == "Call her." and "needs_review" not in answer
    assert "07700" not in on_disk(home)


def test_ctrl_c_at_the_privacy_choice_leaves_the_answer_marked_and_named(home: Path) -> None:
    child = spawn(home, "case", "1", "--question", "1")
    answer_text(child, ["Call her on 07700 900123."])
    child.expect_exact("or keep it as it is (k)? [c]")
    assert interrupt(child) == 130
    assert stored_answer(home, 1, "immediate")["needs_review"] is True
    check = run(home, "check")
    assert check.returncode == 1 and "07700" in check.stdout.decode()
    exported = run(home, "export")
    assert "still marked for a privacy review" in exported.stderr.decode()
    child = spawn(home, "start", REFLECTKIT_TODAY=TODAY)
    child.expect_exact("still marked for a privacy review")
    assert interrupt(child) == 130
    # Keeping it is an explicit choice, and then it is no longer named.
    child = spawn(home, "case", "1", "--question", "1")
    box(child)
    type_line(child, "/skip")
    assert finish(child) == 0
    child = spawn(home, "case", "1", "--question", "1")
    answer_text(child, ["Call her on 07700 900123 about the visit."])
    child.expect_exact("[c]")
    child.sendline("k")
    child.expect_exact("Kept as it is, by your choice.")
    child.expect_exact("Remove that earlier version? (y/n) [y]")  # the first, still identifying
    child.sendline("y")
    assert finish(child) == 0
    kept = stored_answer(home, 1, "immediate")
    assert "needs_review" not in kept and kept["history"] == []


def test_the_privacy_note_comes_before_the_first_answer_whatever_the_command(home: Path) -> None:
    child = spawn(home, "case", "4", welcomed=False)
    child.expect_exact("Before you write: privacy")
    child.expect_exact("Press Enter to go on.")
    assert "Food, trust and a museum" not in screen(child)  # the note comes first
    child.send("\r")
    advance(child, "Case study 4, question 1 of")
    assert interrupt(child) == 130
    assert "welcomed = true" in (home / "config.toml").read_text()
    again = spawn(home, "case", "4")
    advance(again, "Case study 4, question 1 of")
    assert "Before you write: privacy" not in screen(again)
    assert interrupt(again) == 130


def test_after_a_reflection_the_next_waiting_one_is_named(home: Path) -> None:
    assert run(home, "remind", "--restart", REFLECTKIT_TODAY="2026-11-23").returncode == 0
    assert (
        run(
            home, "revisit", "--anyway", "--question", "1", stdin=b"early", REFLECTKIT_TODAY="2026-11-24"
        ).returncode
        == 0
    )
    child = spawn(home, "reflect", REFLECTKIT_TODAY="2026-11-24")
    child.expect_exact("question 1 of")
    assert "This is for week 1 of your four weeks" in flat(screen(child))
    for _ in range(3):  # What? So what? Now what?
        answer_text(child, ["A short reflection."])
    child.expect_exact("Well done: your week 1 reflection is recorded.")
    child.expect_exact("Next: your week 2 reflection, from Monday 30 November 2026.")
    assert finish(child) == 0


def test_a_missed_week_stops_nagging_and_can_be_done_late(home: Path) -> None:
    assert run(home, "remind", "--restart", REFLECTKIT_TODAY="2026-11-23").returncode == 0
    # Day 15: weeks 1 and 2 were missed; week 3 is the one that is due.
    done = run(home, "case", REFLECTKIT_TODAY="2026-12-08")
    assert (
        done.stderr.decode().strip() == "Your week 3 reflection (5 minutes) is due — run: reflectkit reflect"
    )
    schedule = run(home, "remind", REFLECTKIT_TODAY="2026-12-08").stdout.decode()
    assert re.search(r"week 1 reflection .* missed", schedule) and "reflect --week 1" in schedule
    child = spawn(home, "reflect", REFLECTKIT_TODAY="2026-12-08")
    child.expect_exact("question 1 of")
    assert "This is for week 3 of your four weeks" in flat(screen(child))
    assert interrupt(child) == 130
    child = spawn(home, "reflect", "--week", "1", REFLECTKIT_TODAY="2026-12-08")
    child.expect_exact("question 1 of")
    assert "It is late: think back to that week." in flat(screen(child))
    for _ in range(3):
        answer_text(child, ["Looking back at week one."])
    child.expect_exact("Well done: your week 1 reflection is recorded.")
    assert finish(child) == 0
    # --skip marks a week skipped; the missed weeks never nag, and after the revisit
    # nothing does.
    assert run(home, "reflect", "--week", "2", "--skip", REFLECTKIT_TODAY="2026-12-08").returncode == 0
    later = run(home, "case", REFLECTKIT_TODAY="2027-03-20").stderr.decode()
    assert "revisit" in later and "reflection" not in later
    done = run(home, "revisit", "--question", "1", stdin=b"What changed.", REFLECTKIT_TODAY="2027-03-20")
    assert done.returncode == 0, done.stderr.decode()
    assert run(home, "case", REFLECTKIT_TODAY="2027-03-20").stderr == b""


def test_finishing_a_case_with_case_n_begins_stage_4_and_the_revisit_shows_the_weeks(home: Path) -> None:
    questions = case_questions(2)
    for number, question in enumerate(questions, start=1):
        piped = {"text": b"done", "statements": b"1", "scale": b"3", "table": b"a|b|c\n"}[question["kind"]]
        done = run(home, "case", "2", "--question", str(number), stdin=piped, REFLECTKIT_TODAY=TODAY)
        assert done.returncode == 0, done.stderr.decode()
    assert "Stage 4 begins" in done.stdout.decode()
    done = run(
        home, "reflect", "--question", "1", stdin=b"What happened in week one.", REFLECTKIT_TODAY=TODAY
    )
    assert done.returncode == 0, done.stderr.decode()
    child = spawn(home, "revisit", "--anyway", REFLECTKIT_TODAY="2026-12-21")
    child.expect_exact("read your weekly reflections again")
    child.expect_exact("What happened in week one.")
    child.expect_exact("Week 2: no reflection (missed).")
    assert interrupt(child) == 130
    # On the cycle's first days, the weeks ahead are not "missed".
    child = spawn(home, "revisit", "--anyway", REFLECTKIT_TODAY=TODAY)
    child.expect_exact("read your weekly reflections again")
    child.expect_exact("Week 2: no reflection (not reached yet).")
    assert interrupt(child) == 130


@pytest.mark.parametrize("how", ["ctrl-c", "window closed"])
def test_text_typed_on_a_page_is_kept_when_the_run_is_stopped_there(home: Path, how: str) -> None:
    """Typed on the privacy page, then Ctrl-C or a closed window: the words are kept as the
    unfinished answer of the question the page led to, and the message says where."""
    child = spawn(home, "case", "2", "--question", "1", welcomed=False)
    child.expect_exact(PAUSE)  # the privacy note, before the first answer
    child.send("thoughts I had while reading")
    child.expect_exact("while reading")
    if how == "ctrl-c":
        assert interrupt(child) == 130
        said = flat(strip_ansi(screen(child)))
        assert "What you typed on that page is kept as an unfinished answer" in said
        assert "reflectkit case 2 --question 1" in said
    else:
        child.kill(signal.SIGHUP)
        child.expect(pexpect.EOF)
        child.close()
    answer = stored_answer(home, 2, "immediate")
    assert answer["value"] == "thoughts I had while reading" and answer["unfinished"] is True


def test_text_typed_on_a_story_page_goes_to_the_first_open_question(home: Path) -> None:
    child = spawn(home, "case", "2")
    child.expect_exact(PAUSE)  # a page of the story
    child.send("this reminds me of a family I met")
    child.expect_exact("family I met")
    assert interrupt(child) == 130
    answer = stored_answer(home, 2, "immediate")
    assert answer["value"] == "this reminds me of a family I met" and answer["unfinished"] is True


def test_text_typed_on_the_welcome_page_is_kept_for_the_first_prompt(home: Path) -> None:
    child = spawn(home, "start", REFLECTKIT_TODAY=TODAY)
    child.expect_exact(PAUSE)  # the welcome page
    child.send("before I start: a note to self")
    child.expect_exact("note to self")
    assert interrupt(child) == 130
    assert "reflectkit stage 1 --prompt 1" in flat(strip_ansi(screen(child)))
    path = home / "journals" / "default" / "entries" / "stage-1.toml"
    answer = tomllib.loads(path.read_text(encoding="utf-8"))["answers"][stage(1)["prompts"][0]["id"]]
    assert answer["value"] == "before I start: a note to self" and answer["unfinished"] is True


@pytest.mark.parametrize("key", ["enter", "ctrl-c"])
def test_words_typed_on_a_page_no_question_follows_are_shown_back(home: Path, key: str) -> None:
    """Stage 2 already answered: its reading leads to no answer box, so words typed on a
    page are shown back, to copy, rather than dropped (or promised to a box that never comes)."""
    assert stage(2)["prompts"][0]["kind"] == "text"
    assert run(home, "stage", "2", "--prompt", "1", stdin=b"Answered already.\n").returncode == 0
    child = spawn(home, "stage", "2")
    child.expect_exact(PAUSE)
    child.send("a thought worth keeping")
    child.expect_exact("worth keeping")
    if key == "enter":
        child.send("\r")
        advance(child, "Stage 2: the question answered.")
        child.expect_exact(LOG_OFFER)
        child.send("n\r")
        code = finish(child)
    else:
        code = interrupt(child)
    said = flat(strip_ansi(screen(child)))
    assert "not saved: no answer box came after it" in said, said[-400:]
    assert "a thought worth keeping" in said.split("to copy:")[-1]
    assert code == (0 if key == "enter" else 130)


@pytest.mark.parametrize("cols", [50, 80])
def test_remind_wraps_to_the_window_before_stage_4_has_started(home: Path, cols: int) -> None:
    child = spawn(home, "remind", cols=cols)
    assert finish(child) == 0
    lines = [
        line.rstrip() for line in strip_ansi(screen(child)).replace("\r", "").split("\n") if line.strip()
    ]
    assert lines and all(len(line) <= cols for line in lines), lines
    assert any("reflectkit remind --restart" in line for line in lines), lines
