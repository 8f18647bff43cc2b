"""SIGTERM and SIGHUP at any moment of a piped save: every answer is either stored, or the
message says it was not; "Saved" is never said of an answer that was not."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tests.conftest import reflectkit_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.posix,
]

SCRIPT = Path(sys.executable).parent / "reflectkit"
RUNS = 50


def stored(home: Path) -> str | None:
    path = home / "journals" / "default" / "entries" / "case-meeting-nobody-came-to.toml"
    if not path.exists():
        return None
    answers = tomllib.loads(path.read_text(encoding="utf-8")).get("answers", {})
    return answers.get("immediate", {}).get("value")


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_piped_save_never_loses_an_answer_it_called_saved(
    tmp_path: Path, signame: str
) -> None:
    rng = random.Random(signame)
    outcomes = {"saved": 0, "not saved, said so": 0, "stopped before start": 0}
    # How long one save takes on this machine, so the signals spread from start-up to after it.
    began = time.monotonic()
    warm = tmp_path / "warm-up"
    warm.mkdir(mode=0o700)
    subprocess.run(
        [str(SCRIPT), "case", "2", "--question", "1"], input=b"x", env=reflectkit_env(warm), check=True
    )
    span = (time.monotonic() - began) * 1.5
    for run in range(RUNS):
        home = tmp_path / f"home-{run}"
        home.mkdir(mode=0o700)
        (home / "config.toml").write_text("schema_version = 1\nwelcomed = true\n")
        (home / "config.toml").chmod(0o600)
        text = f"Answer number {run}, drafted elsewhere.\nWith a second line."
        child = subprocess.Popen(
            [str(SCRIPT), "case", "2", "--question", "1"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=reflectkit_env(home),
        )
        assert child.stdin is not None and child.stderr is not None
        child.stdin.write(text.encode())
        child.stdin.close()
        time.sleep(rng.uniform(0.0, span))  # anywhere from start-up to after the save
        child.send_signal(getattr(signal, signame))
        child.wait(timeout=30)
        err = child.stderr.read()
        said = err.decode("utf-8", errors="replace")
        kept = stored(home)
        seen = (run, child.returncode, kept, said)  # everything, should a run ever fail
        if kept is not None:
            assert kept == text, seen
            assert "nothing was saved" not in said.lower(), seen
            outcomes["saved"] += 1
        elif child.returncode < 0:  # the signal came before reflectkit began: it said nothing
            assert said == "", seen
            outcomes["stopped before start"] += 1
        else:
            assert "Saved" not in said and "nothing was saved" in said.lower(), seen
            outcomes["not saved, said so"] += 1
    print(signame, outcomes)
    assert outcomes["saved"] > 0  # the signals did land at many moments, saves among them
