"""A command in our own messages is never split across lines, so it can be read and
copied whole, however narrow the window."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from reflectkit.cli.ui import UI, keep_commands_whole

MESSAGES = [
    "Notes: none yet. Reflect on any day's work with: reflectkit note",
    "To change an answer: reflectkit stage 1 --prompt K; to read them: reflectkit stage 1 --review",
    "Stage 4 has not started. It starts when you finish your first case study (reflectkit "
    "start), or now with: reflectkit remind --restart",
    "Stopped for now. Everything you answered is saved. Carry on any time with: reflectkit case 12",
]


def shown(text: str, width: int) -> list[str]:
    ui = UI(plain=True)
    ui.out = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False)
    ui.width = width
    ui.say(text)
    return ui.out.file.getvalue().splitlines()  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [30, 40, 50, 60, 72])
@pytest.mark.parametrize("text", MESSAGES)
def test_a_command_in_a_message_stays_on_one_line(text: str, width: int) -> None:
    lines = shown(text, width)
    assert all(len(line) <= width for line in lines)
    assert " ".join(line.strip() for line in lines) == " ".join(text.split())  # every word, in order
    for line in lines:
        assert not line.rstrip().endswith("reflectkit"), lines


def test_a_message_that_fits_is_left_as_it_is() -> None:
    assert keep_commands_whole("Open one with: reflectkit case N", 60) == "Open one with: reflectkit case N"


def test_a_command_longer_than_the_line_is_still_folded() -> None:
    folded = keep_commands_whole("Run: reflectkit export --as nmc --output revalidation-2026.md", 20)
    assert all(len(line) <= 20 for line in folded.split("\n"))
