"""End-to-end: `reflectkit note` in a real pseudo-terminal, as a practitioner types it.

The stages asked come from the model's own TOML file (data/models/gibbs.toml), so the
tests check what a user is actually shown. The terminal helpers are those of test_e2e.py.
"""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]
import pytest

from tests.test_e2e import FINISH, answer_text, finish, flat, interrupt, screen, spawn, type_line

pytestmark = pytest.mark.slow

SCRIPT = Path(sys.executable).parent / "reflectkit"
DATA = Path(__file__).resolve().parents[1] / "data"
GIBBS: dict[str, Any] = tomllib.loads((DATA / "models" / "gibbs.toml").read_text(encoding="utf-8"))
STAGES = GIBBS["stages"]
TODAY = "2026-11-30"
NOTE_ID = "2026-11-30-1"


# The terminal helpers are those of test_e2e.py (spawn marks the welcome as seen).


def stage_label(number: int) -> str:
    return f"stage {number} of {len(STAGES)}: {STAGES[number - 1]['title']}"


def start_note(child: pexpect.spawn, title: str) -> None:
    """Title, the day (Enter: today) and the model (Enter: Gibbs, offered first)."""
    child.expect_exact("Title, a few words")
    type_line(child, title)
    child.expect_exact("The day it happened")
    type_line(child, "")
    child.expect_exact("Which reflective model?")
    child.expect_exact("Type its number")
    type_line(child, "")


def saved_note(home: Path) -> dict[str, Any]:
    path = home / "journals" / "default" / "entries" / f"note-{NOTE_ID}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


# -- the tests -------------------------------------------------------------------------------
def test_a_gibbs_note_with_tags_through_every_stage(home: Path) -> None:
    child = spawn(home, "note", "--tag", "interpreters", REFLECTKIT_TODAY=TODAY)
    start_note(child, "Home visit with an interpreter")
    expected = {}
    for number, stage in enumerate(STAGES, start=1):
        child.expect_exact(stage_label(number))
        child.expect_exact(stage["prompt"])
        expected[stage["id"]] = answer_text(child, [f"{stage['title']}: first line", "and a second — ok"])
    child.expect_exact("Tags to find it again")
    type_line(child, "home-visits, Housing")
    child.expect_exact("Minutes spent")
    type_line(child, "25")
    child.expect_exact("is saved")
    assert finish(child) == 0
    shown = flat(screen(child))
    assert f"Note {NOTE_ID} is saved: 6 stages answered; tags: interpreters, home-visits, housing." in shown
    assert flat(STAGES[0]["help"]) in shown  # each stage says what to write there

    saved = saved_note(home)
    assert saved["note"] == {
        "title": "Home visit with an interpreter", "event_date": tomllib.loads(f"d = {TODAY}")["d"],
        "model": "gibbs", "minutes": 25,
    }  # fmt: skip
    assert saved["tags"] == ["interpreters", "home-visits", "housing"]
    assert {k: a["value"] for k, a in saved["answers"].items()} == expected
    assert not any(a.get("unfinished") for a in saved["answers"].values())


def test_ctrl_c_in_the_middle_keeps_the_note_and_what_was_typed(home: Path) -> None:
    child = spawn(home, "note", REFLECTKIT_TODAY=TODAY)
    start_note(child, "A difficult phone call")
    given = {}
    for number in (1, 2):
        child.expect_exact(stage_label(number))
        given[STAGES[number - 1]["id"]] = answer_text(child, [f"stage {number} answer"])
    child.expect_exact(stage_label(3))
    child.expect_exact(FINISH)
    type_line(child, "half a thought")
    child.send("and more")
    time.sleep(0.3)
    assert interrupt(child) == 130
    assert "Traceback" not in screen(child)
    assert "kept as an unfinished answer" in flat(screen(child))

    saved = saved_note(home)
    assert saved["note"]["title"] == "A difficult phone call"
    answers = saved["answers"]
    assert {k: answers[k]["value"] for k in given} == given
    third = answers[STAGES[2]["id"]]
    assert third["unfinished"] is True and third["value"] == "half a thought\nand more"

    # `reflectkit note ID` carries on at stage 3, with the text back in the box.
    child = spawn(home, "note", NOTE_ID, REFLECTKIT_TODAY=TODAY)
    child.expect_exact(stage_label(3))
    child.expect_exact("You started this answer earlier")
    child.expect_exact("half a thought")
    assert interrupt(child) == 130
    assert stage_label(1) not in flat(screen(child))
