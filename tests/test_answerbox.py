"""The answer box: commands, finishing rules and echo as pure functions, then the real
prompts in a pseudo-terminal, driven the way a person types and a terminal pastes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]
import pytest

from reflectkit.cli.answerbox import (
    COMMANDS_HINT,
    FINISH_HINT,
    PLAIN_FINISH_HINT,
    Interrupted,
    Reply,
    decide,
    echo_for,
    mend,
    parse_command,
    reply_for,
    result_for,
)

pytestmark = pytest.mark.posix

HARNESS = str(Path(__file__).with_name("answerbox_harness.py"))
ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# Two paragraphs as a word processor gives them: a blank line between, a tab, an indent,
# typographic quotes, a pound sign and an accent.
PASTE = (
    "We met the family at the children’s centre.\n"
    "The mother said “we were told to wait” – £5 for the bus, café after.\n"
    "\n"
    "\tSecond paragraph, after a blank line.\n"
    "  Indented: next steps agreed."
)
# Waited for on the screen; one word, since the box draws a space by moving the cursor.
LAST_WORD = "agreed."


# -- the rules, no terminal -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("/skip", "skip"),
        ("  /SKIP  ", "skip"),
        ("\t/Back\n", "back"),
        ("/quit", "quit"),
        ("/help", "help"),
        ("?", "help"),
        (" ? ", "help"),
        ("/edit", "edit"),
    ],
)
def test_a_command_word_alone_is_a_command(typed: str, command: str) -> None:
    assert parse_command(typed) == command
    assert reply_for(typed) == Reply(command)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "typed", ["/skip it", "I will /skip", "skip", "q", "quit", "back", "", "??", "/ skip", "/skip\n\nmore"]
)
def test_anything_else_is_an_answer(typed: str) -> None:
    assert parse_command(typed) is None
    assert reply_for(typed) == Reply("answer", typed)


def test_edit_alone_on_the_last_line_takes_the_text_above_to_the_editor() -> None:
    assert reply_for("First thoughts.\n\nMore\n/edit") == Reply("edit", "First thoughts.\n\nMore")
    assert reply_for("First thoughts.\n/skip") == Reply("skip", "First thoughts.")


@pytest.mark.parametrize(
    ("mode", "text", "at_end", "at_once", "action"),
    [
        ("text", "", True, False, "nudge"),  # a stray Enter never skips a question
        ("text", "", True, True, "nudge"),
        ("text", "one line", True, False, "newline"),
        ("text", "one line\n", True, False, "finish"),
        ("text", "one line\n", False, False, "newline"),  # the cursor is back up in the text
        ("text", "para\n\nmore", True, False, "newline"),
        ("text", "one line", True, True, "finish"),
        ("text", "  \n", True, False, "newline"),  # only spaces: nothing to finish
        ("text", "/skip", True, False, "finish"),
        ("text", "/skip", False, False, "finish"),
        ("text", "my answer\n/edit", True, False, "finish"),
        ("line", "", True, False, "finish"),
        ("line", "1,3", False, False, "finish"),
        ("pause", "", True, False, "finish"),
    ],
)
def test_what_enter_does(mode: Any, text: str, at_end: bool, at_once: bool, action: str) -> None:
    assert decide(mode, text, at_end=at_end, at_once=at_once) == action


def test_only_the_finishing_line_breaks_are_taken_off() -> None:
    assert result_for("text", "  lead\tand tab  \n\n") == Reply("answer", "  lead\tand tab  ")
    assert result_for("text", "/back\n") == Reply("back")
    assert result_for("line", " 1, 3 ") == Reply("answer", " 1, 3 ")
    assert result_for("line", "/QUIT") == Reply("quit")
    assert result_for("pause", "typed here\n") == Reply("answer", "typed here")


def test_bytes_that_were_not_utf8_are_read_as_windows_1252() -> None:
    raw = "£5 and caf".encode() + b"\xe9 \xa35"
    assert mend(raw.decode("utf-8", errors="surrogateescape")) == "£5 and café £5"
    assert mend("plain ☕ text") == "plain ☕ text"


@pytest.mark.parametrize(
    ("shown", "new", "written"),
    [
        ("", "abc", "abc"),
        ("ab", "abc\nd", "c\n> d"),
        ("abc", "ab", "\b \b"),
        ("ab", "aX", "\b \bX"),
        ("a漢", "a", "\b\b  \b\b"),  # a wide character takes two columns
        ("one\ntwo", "onetwo", "\n> onetwo"),  # a joined line is shown afresh
        ("", "\x1b[31mred", "\\x1b[31mred"),  # never an escape sequence
    ],
)
def test_plain_echo(shown: str, new: str, written: str) -> None:
    assert echo_for(shown, new, "> ") == written


def test_interrupted_keeps_the_text_but_never_prints_it() -> None:
    exc = Interrupted("Mrs B at 14 Oak Road")
    assert isinstance(exc, KeyboardInterrupt)
    assert exc.text == "Mrs B at 14 Oak Road"
    assert "Oak" not in str(exc) and "Oak" not in repr(exc)


def test_the_hints_fit_one_line_and_name_every_command() -> None:
    for hint in (FINISH_HINT, PLAIN_FINISH_HINT, COMMANDS_HINT):
        assert "\n" not in hint and len(hint) <= 80
    for word in ("/skip", "/back", "/quit", "/help"):
        assert word in FINISH_HINT and word in PLAIN_FINISH_HINT and word in COMMANDS_HINT
    assert "/edit" in FINISH_HINT and "/edit" in PLAIN_FINISH_HINT
    assert PLAIN_FINISH_HINT.isascii()  # read out by a screen reader as it is


def test_importing_the_box_does_not_load_prompt_toolkit() -> None:
    probe = (
        "import sys, reflectkit.cli.answerbox\nprint(sorted(m for m in sys.modules if 'prompt_toolkit' in m))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("steps", [["text"], ["line:Number: "], ["text", "line:Number: ", "pause", "text"]])
def test_input_that_has_ended_is_quit_never_a_hang(steps: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, HARNESS, *steps],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    results = [
        json.loads(line[len("RESULT ") :]) for line in out.stdout.splitlines() if line.startswith("RESULT")
    ]
    expected = [
        {"kind": "pause", "text": ""} if s == "pause" else {"kind": "quit", "text": ""} for s in steps
    ]
    assert results == expected


# -- in a real terminal ---------------------------------------------------------------------------
class Term:
    """One harness run in a 100x40 pseudo-terminal; reads the screen text without escapes."""

    def __init__(
        self, *steps: str, plain: bool = False, term: str = "xterm-256color", cpr: bool = False
    ) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLECTKIT_", "PROMPT_TOOLKIT_"))}
        env.update(TERM=term, PYTHONUTF8="1", LC_ALL="C.UTF-8", PYTHONPATH=str(ROOT / "src"))
        if not cpr:  # pexpect does not answer cursor position requests; a terminal does
            env["PROMPT_TOOLKIT_NO_CPR"] = "1"
        args = [HARNESS, *steps] + (["--plain"] if plain else [])
        self.plain = plain or term == "dumb"
        self.child = pexpect.spawn(
            sys.executable, args, env=env, dimensions=(40, 100), encoding="utf-8", cwd=str(ROOT)
        )
        self.raw = ""
        self.seen = 0

    def screen(self) -> str:
        return ANSI.sub("", self.raw).replace("\r", "")

    def wait_for(self, text: str, timeout: float = 15) -> None:
        """Read until ``text`` is shown (after what was waited for before). The box may
        draw a space as a cursor movement: wait for words, not phrases, once typing began."""
        deadline = time.monotonic() + timeout
        while (found := self.screen().find(text, self.seen)) < 0:
            if time.monotonic() > deadline or (not self.child.isalive() and not self._read(0.2)):
                raise AssertionError(f"{text!r} was not shown; the screen ends {self.screen()[-600:]!r}")
            self._read(0.1)
        self.seen = found + len(text)

    def _read(self, timeout: float) -> bool:
        try:
            self.raw += self.child.read_nonblocking(65536, timeout=timeout)
            return True
        except (pexpect.TIMEOUT, pexpect.EOF):
            return False

    def ready(self, what: str = "text") -> None:
        """Wait until the prompt is up (raw mode on), so keys are not echoed by the kernel."""
        if what == "text":
            self.wait_for("> " if self.plain else FINISH_HINT)
        else:
            self.wait_for(what)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def result(self, timeout: float = 15) -> dict[str, str]:
        """The next RESULT line the harness printed."""
        self.wait_for("RESULT ", timeout)
        deadline = time.monotonic() + timeout
        while "\n" not in self.screen()[self.seen :]:
            assert time.monotonic() < deadline, "the RESULT line did not end"
            self._read(0.1)
        line = self.screen()[self.seen :].split("\n", 1)[0]
        self.seen += len(line)
        return dict(json.loads(line))

    def no_result_yet(self, wait: float = 0.8) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            self._read(0.1)
        assert "RESULT" not in self.screen()[self.seen :]

    def close(self) -> None:
        deadline = time.monotonic() + 2
        while self.child.isalive() and time.monotonic() < deadline:
            self._read(0.1)
        self._read(0.1)
        self.child.close(force=True)
        if self.plain:
            assert "\x1b" not in self.raw, "plain mode wrote an escape sequence"


MODES = {
    "box": {},
    "plain": {"plain": True},
    "dumb": {"term": "dumb"},
}


@pytest.fixture(params=list(MODES))
def mode(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dict(MODES[request.param])


@pytest.fixture
def terms() -> Iterator[list[Term]]:
    started: list[Term] = []
    yield started
    for term in started:
        term.close()


def start(terms: list[Term], *steps: str, **options: Any) -> Term:
    term = Term(*steps, **options)
    terms.append(term)
    return term


def as_typed(text: str) -> str:
    """What a terminal sends for ``text`` typed or pasted without brackets: CR for Enter."""
    return text.replace("\n", "\r")


def finish(term: Term) -> dict[str, str]:
    """The person's own Enters: end the last line, then an empty line to finish."""
    term.wait_for(LAST_WORD)
    term.send("\r")
    time.sleep(0.3)
    term.send("\r")
    return term.result()


@pytest.mark.slow
def test_a_bracketed_paste_is_one_answer(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text", "text", **mode)
    term.ready()
    term.send("\x1b[200~" + as_typed(PASTE) + "\x1b[201~")
    assert finish(term) == {"kind": "answer", "text": PASTE}
    term.ready()  # the rest of the paste did not spill into the next question
    term.send("next\r\r")
    assert term.result() == {"kind": "answer", "text": "next"}


@pytest.mark.slow
def test_an_unbracketed_paste_in_one_write_is_one_answer(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text", "text", **mode)
    term.ready()
    term.send(as_typed(PASTE))
    assert finish(term) == {"kind": "answer", "text": PASTE}
    term.ready()
    term.send("next\r\r")
    assert term.result() == {"kind": "answer", "text": "next"}


@pytest.mark.slow
@pytest.mark.parametrize("size", [3, 40])
def test_a_paste_typed_in_slowly_by_the_terminal_is_one_answer(
    terms: list[Term], mode: dict[str, Any], size: int
) -> None:
    term = start(terms, "text", **mode)
    term.ready()
    typed = as_typed(PASTE)
    # Pieces of `size` characters, plus one that is the blank line's Enter on its own.
    before, after = typed.split("\r\r")
    pieces = [before[i : i + size] for i in range(0, len(before), size)] + ["\r", "\r"]
    pieces += [after[i : i + size] for i in range(0, len(after), size)]
    for piece in pieces:
        term.send(piece)
        time.sleep(0.02)
    assert finish(term) == {"kind": "answer", "text": PASTE}


@pytest.mark.slow
def test_an_earlier_line_can_be_corrected(terms: list[Term]) -> None:
    term = start(terms, "text")
    term.ready()
    term.send("I spoke with the famly.\rThen we agreed a plan.")
    term.wait_for("plan.")
    up, down, end, backspace = "\x1b[A", "\x1b[B", "\x05", "\x7f"
    term.send(up + end + backspace * 6 + "family." + down + end + "\r")
    time.sleep(0.3)
    term.send("\r")
    assert term.result() == {"kind": "answer", "text": "I spoke with the family.\nThen we agreed a plan."}


@pytest.mark.slow
def test_plain_mode_rubs_out_with_backspace(terms: list[Term]) -> None:
    term = start(terms, "text", plain=True)
    term.ready()
    term.send("a typo herr\x7fe.\r\r")
    assert term.result() == {"kind": "answer", "text": "a typo here."}


@pytest.mark.slow
def test_ctrl_c_keeps_the_whole_buffer(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text", **mode)
    term.ready()
    term.send("First line, finished.\rSecond line, half way thr\x03")
    assert term.result() == {
        "kind": "interrupted",
        "text": "First line, finished.\nSecond line, half way thr",
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"]
)
def test_a_signal_while_typing_keeps_the_whole_buffer(
    terms: list[Term], mode: dict[str, Any], signum: signal.Signals
) -> None:
    term = start(terms, "text", **mode)
    term.ready()
    term.send("Para one.\r\rPara two, half")
    term.wait_for("half")  # shown, so it has been read: now the window closes
    term.child.kill(signum)
    assert term.result() == {"kind": "interrupted", "text": "Para one.\n\nPara two, half"}


@pytest.mark.slow
def test_a_draft_fills_the_box_and_typing_goes_on_at_its_end(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text:First part of the draft,\n\nthen a second", **mode)
    term.ready()
    term.send(" and the end.\r\r")
    assert term.result() == {
        "kind": "answer",
        "text": "First part of the draft,\n\nthen a second and the end.",
    }


@pytest.mark.slow
def test_commands_are_commands_and_everything_else_an_answer(terms: list[Term], mode: dict[str, Any]) -> None:
    typed = ["/skip", "/back", " /QUIT ", "/help", "/edit", "?", "/skip it", "I will /skip", "So far\r/edit"]
    expected = ["skip", "back", "quit", "help", "edit", "help", "answer", "answer", "edit"]
    term = start(terms, *["text"] * len(typed), "line:Statements: ", "line:Statements: ", **mode)
    for keys, kind in zip(typed, expected, strict=True):
        term.ready()
        term.send(keys + "\r")
        if kind == "answer":
            time.sleep(0.3)
            term.send("\r")
        text = {"answer": keys, "edit": keys.rpartition("\r")[0]}.get(kind, "")
        assert term.result() == {"kind": kind, "text": text}
    term.ready("Statements:")
    term.send("/back\r")
    assert term.result() == {"kind": "back", "text": ""}
    term.ready("Statements:")
    term.send("\r")
    assert term.result() == {"kind": "answer", "text": ""}


@pytest.mark.slow
def test_enter_in_an_empty_box_does_not_finish_it(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text", **mode)
    term.ready()
    term.send("\r")
    term.no_result_yet()
    if term.plain:  # the hint is said again (the box shows it all along)
        term.wait_for(PLAIN_FINISH_HINT)
    term.send("\r")
    term.no_result_yet()
    term.send("Now an answer.\r\r")
    assert term.result() == {"kind": "answer", "text": "Now an answer."}


@pytest.mark.slow
def test_esc_then_enter_finishes_at_once(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text", **mode)
    term.ready()
    term.send("One line, no empty line after it.\x1b\r")
    assert term.result() == {"kind": "answer", "text": "One line, no empty line after it."}


@pytest.mark.slow
def test_ctrl_d_in_an_empty_box_is_quit(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "text", **mode)
    term.ready()
    term.send("\x04")
    assert term.result() == {"kind": "quit", "text": ""}


@pytest.mark.slow
@pytest.mark.parametrize("how", ["typed", "pasted", "bracketed"])
def test_text_on_a_pause_page_is_returned_and_never_leaks(
    terms: list[Term], mode: dict[str, Any], how: str
) -> None:
    term = start(terms, "pause", "text", **mode)
    term.ready("Press Enter to go on.")
    lines = "Notes I typed\n\nwhile reading, two paragraphs"
    if how == "typed":
        term.send("Notes I typed")
        term.wait_for("typed")
        term.send("\r")
        assert term.result() == {"kind": "pause", "text": "Notes I typed"}
    else:
        body = as_typed(lines)
        term.send("\x1b[200~" + body + "\x1b[201~\r" if how == "bracketed" else body + "\r")
        assert term.result() == {"kind": "pause", "text": lines}
    term.ready()
    term.no_result_yet(0.5)
    term.send("Fresh.\r\r")
    assert term.result() == {"kind": "answer", "text": "Fresh."}


@pytest.mark.slow
def test_a_bare_enter_on_a_pause_page_goes_on(terms: list[Term], mode: dict[str, Any]) -> None:
    term = start(terms, "pause", "line:Scale: ", **mode)
    term.ready("Press Enter to go on.")
    term.send("\r")
    assert term.result() == {"kind": "pause", "text": ""}
    term.ready("Scale:")
    term.send("4\r")
    assert term.result() == {"kind": "answer", "text": "4"}


@pytest.mark.slow
def test_a_cursor_position_report_is_not_mistaken_for_a_paste(terms: list[Term]) -> None:
    term = start(terms, "text", cpr=True)
    deadline = time.monotonic() + 10
    while "\x1b[6n" not in term.raw and time.monotonic() < deadline:
        term._read(0.1)
    term.send("\x1b[3;1R")  # the terminal's answer to prompt_toolkit's question
    term.ready()
    term.send("Answer.\r")
    time.sleep(0.3)
    term.send("\r\x1b[3;1R")  # a report read together with the finishing Enter
    assert term.result() == {"kind": "answer", "text": "Answer."}


@pytest.mark.parametrize("command", ["quit", "back", "skip", "help"])
def test_a_command_on_the_last_line_goes_with_the_text_above(command: str) -> None:
    """Typing a line, Enter, then /quit means "stop here", not an answer ending in "/quit"."""
    assert reply_for(f"My first line.\n\nMore.\n/{command}") == Reply(command, "My first line.\n\nMore.")  # type: ignore[arg-type]
    assert decide("text", f"My first line.\n/{command}", at_end=True) == "finish"
    assert reply_for(f"Using /{command} mid-line is text.") == Reply(
        "answer", f"Using /{command} mid-line is text."
    )


def test_a_command_typed_after_a_filled_in_line_is_the_command() -> None:
    from reflectkit.cli.answerbox import after_initial

    filled = "They asked who I report to"
    assert after_initial(Reply("answer", f"{filled}/quit"), filled) == Reply("quit")
    assert after_initial(Reply("answer", f"{filled} /skip "), filled) == Reply("skip")
    assert after_initial(Reply("answer", f"{filled}, and more"), filled) == Reply(
        "answer", f"{filled}, and more"
    )
    assert after_initial(Reply("answer", "/quit"), "") == Reply("answer", "/quit")  # nothing filled in
    assert after_initial(Reply("answer", "another/quit"), filled) == Reply("answer", "another/quit")
