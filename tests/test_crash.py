"""SIGKILL at random moments during saves: the journal always holds the old or the new answer."""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, read_unit

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
