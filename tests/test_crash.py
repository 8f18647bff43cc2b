"""SIGKILL at random moments during saves: the journal always holds the old or the new answer,
and every earlier version, however long the history."""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from reflectkit.journal.history import history_path, read_unit
from reflectkit.journal.models import Answer, Earlier, Section, Unit
from reflectkit.journal.store import Journal

pytestmark = pytest.mark.posix

SECTION = Section("case", "first-home-visit")
KILLS = 300
PAD = "word " * 4000  # a 20 KB answer, so a kill often lands mid-write


def _value(n: int) -> str:
    return f"version {n}: {PAD}end {n}"


def _save_forever(journal: Journal, start: int) -> None:
    n = start
    while True:
        n += 1
        journal.save_answer(SECTION, "immediate", question="Q", kind="text", value=_value(n))
        journal.save_answer(SECTION, f"q{n % 5}", question="Q", kind="text", value=_value(n))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_during_saves_never_loses_or_mixes_an_answer(journal: Journal) -> None:
    journal.save_answer(SECTION, "immediate", question="Q", kind="text", value=_value(0))
    rng = random.Random(2026)
    last = 0
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # the child saves until it is killed
            try:
                _save_forever(journal, last)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        unit = read_unit(journal.unit_path(SECTION))  # raises if damaged
        value = unit.answers["immediate"].value
        assert isinstance(value, str)
        number = int(value.split(":", 1)[0].removeprefix("version "))
        assert value == _value(number), "an answer was cut short or mixed"
        assert number >= last, "an answer went back to an older version"
        for key, answer in unit.answers.items():
            n = int(str(answer.value).split(":", 1)[0].removeprefix("version "))
            assert answer.value == _value(n), key
        last = number
    assert last > 0, "the children never managed to save: the test proved nothing"
    fresh = Journal(journal.path, journal.name)
    fresh.save_answer(SECTION, "after", question="Q", kind="text", value="after the crashes")
    assert not list(journal.temps.glob(".tmp-*")) and not list(journal.entries.glob(".tmp-*")), (
        "temp files left by killed saves were not tidied"
    )


# -- Long histories: the replaced version is appended to the history file first -------------
LONG_KILLS = 150
SHORT = "word " * 400  # a 2 KB answer: a long history of them is megabytes


def _short(n: int) -> str:
    return f"version {n}: {SHORT}end {n}"


def _number(value: object) -> int:
    assert isinstance(value, str)
    number = int(value.split(":", 1)[0].removeprefix("version "))
    assert value == _short(number), "an answer was cut short or mixed"
    return number


def _seed(journal: Journal, versions: int) -> None:
    """An answer with ``versions`` earlier versions (0 to versions - 1), already moved out."""
    moment = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    history = [Earlier(value=_short(n), created=moment, replaced=moment) for n in range(versions)]
    unit = Unit(section=SECTION.kind, ref=SECTION.ref)
    unit.answers["immediate"] = Answer(
        question="Q", kind="text", value=_short(versions), created=moment, updated=moment, history=history
    )
    with journal.locked():
        journal.write_unit(SECTION, unit)


def _killed_at_random(journal: Journal, work: Callable[[], None], rng: random.Random) -> None:
    pid = os.fork()
    if pid == 0:  # the child works until it is killed
        try:
            work()
        finally:
            os._exit(0)
    time.sleep(rng.uniform(0, 0.03))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _save_short_forever(journal: Journal, start: int, *, forget: bool = False) -> None:
    n = start
    while True:
        n += 1
        journal.save_answer(SECTION, "immediate", question="Q", kind="text", value=_short(n))
        if forget:
            journal.forget(SECTION, "immediate", earlier={0})


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_during_saves_into_a_long_history_keeps_every_version(journal: Journal) -> None:
    _seed(journal, 2000)
    rng = random.Random(2027)
    last = 2000
    for _ in range(LONG_KILLS):
        _killed_at_random(journal, lambda start=last: _save_short_forever(journal, start), rng)
        answer = read_unit(journal.unit_path(SECTION)).answers["immediate"]  # raises if damaged
        number = _number(answer.value)
        assert number >= last, "an answer went back to an older version"
        assert [e.value for e in answer.history] == [_short(n) for n in range(number)], "a version was lost"
        last = number
    assert last > 2000, "the children never managed to save: the test proved nothing"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_while_forgetting_loses_only_the_version_forgotten(journal: Journal) -> None:
    _seed(journal, 20)
    rng = random.Random(2028)
    last, oldest = 20, 0
    for _ in range(LONG_KILLS):
        _killed_at_random(journal, lambda start=last: _save_short_forever(journal, start, forget=True), rng)
        answer = read_unit(journal.unit_path(SECTION)).answers["immediate"]
        number = _number(answer.value)
        kept = [_number(e.value) for e in answer.history]
        assert number >= last and kept and kept[0] >= oldest
        assert kept == list(range(kept[0], number)), "a version other than the oldest went"
        on_disk = history_path(journal.unit_path(SECTION)).read_bytes()
        assert not any(f"version {n}:".encode() in on_disk for n in range(oldest, kept[0])), (
            "a forgotten version is still in the history file"
        )
        last, oldest = number, kept[0]
    assert oldest > 0, "nothing was ever forgotten: the test proved nothing"
