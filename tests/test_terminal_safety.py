"""Typed text survives a closed window and an older terminal's encoding: the installed
script in a real pseudo-terminal."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pytest

from reflectkit.journal.models import Section
from reflectkit.journal.store import Store
from tests.conftest import reflectkit_env

pytestmark = pytest.mark.slow

SCRIPT = Path(sys.executable).parent / "reflectkit"
STAGE1 = Section("stage", "1")


def spawn_stage1(home: Path, **env: str) -> pexpect.spawn:
    child = pexpect.spawn(
        str(SCRIPT),
        ["stage", "1", "--prompt", "1"],
        env=reflectkit_env(home, REFLECTKIT_TODAY="2026-11-23", TERM="xterm", **env),
        timeout=20,
    )
    while child.expect([b"Press Enter to go on", b"> "]) == 0:  # a welcome screen, if any
        child.send(b"\r")
    return child


def stored_text(home: Path) -> str:
    journal_dir = home / "journals" / "default"
    if not journal_dir.is_dir():
        return ""
    unit = Store(home).journal("default").load(STAGE1)
    if unit is None or "relate" not in unit.answers:
        return ""
    answer = unit.answers["relate"]
    return "\n".join(str(v) for v in [answer.value, *(e.value for e in answer.history)])


def finish(child: pexpect.spawn) -> None:
    try:
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close()


def test_a_pound_sign_from_a_latin1_terminal_is_kept(home: Path) -> None:
    child = spawn_stage1(home)
    child.send(b"first line of a long reflection\r")
    child.expect(b"> ")
    child.send(b"rent was \xa3100 a week\r")
    child.expect(b"> ")
    child.send(b"\r")
    finish(child)
    output = child.before.decode("utf-8", "replace")
    assert "Traceback" not in output
    assert "first line of a long reflection" in stored_text(home)


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_closing_the_terminal_keeps_the_lines_already_entered(home: Path, sig: int) -> None:
    child = spawn_stage1(home)
    child.send(b"first line of a long reflection\r")
    child.expect(b"> ")
    child.send(b"second line\r")
    child.expect(b"> ")
    time.sleep(0.3)
    child.kill(sig)
    finish(child)
    assert "first line of a long reflection" in stored_text(home)
