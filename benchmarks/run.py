"""reflectkit's performance targets, measured. Prints a table; exits 1 if a target is missed.

Each figure is the median of at least 10 runs, compared with a baseline measured in the
same loop (alternating), so the ratios hold on a slower or busier machine.

Usage:  uv run python benchmarks/run.py [--runs N] [--answers N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_journal import make

SCRIPT = str(Path(sys.executable).parent / "reflectkit")
ROWS: list[tuple[str, str, str, str, str, bool]] = []


def env_for(home: Path, **extra: str) -> dict[str, str]:
    # As on a user's machine, Python may cache bytecode (some shells here forbid it).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("REFLECTKIT_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(REFLECTKIT_HOME=str(home), **extra)
    return env


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def alternate(runs: int, a: Callable[[], float], b: Callable[[], float]) -> tuple[float, float]:
    """Medians of a and b, measured alternately so both see the same machine."""
    xs, ys = [], []
    for _ in range(runs):
        xs.append(a())
        ys.append(b())
    return statistics.median(xs), statistics.median(ys)


def record(name: str, value: float, base: float | None, target: str, ok: bool, unit: str = "ms") -> None:
    shown = f"{value * 1000:.1f} ms" if unit == "ms" else f"{value:.1f} {unit}"
    base_shown = "" if base is None else f"{base * 1000:.1f} ms"
    ratio = "" if base is None or not base else f"{value / base:.2f}x"
    ROWS.append((name, shown, base_shown, ratio, target, ok))


def startup(runs: int, empty: Path) -> None:
    python = [sys.executable, "-c", "pass"]
    env = env_for(empty)
    for label, argv in (("--version", [SCRIPT, "--version"]), ("remind, nothing due", [SCRIPT, "remind"])):
        value, base = alternate(runs, lambda a=argv: wall(a, env), lambda: wall(python, env))
        record(f"reflectkit {label}", value, base, "<= 4x python -c pass", value <= 4 * base)


def reminder_cost(runs: int, home: Path) -> None:
    """What the reminder adds to a command: first load what every command loads anyway,
    then time the reminder check itself (its own imports and the file it reads)."""
    probe = (
        "import reflectkit.cli.app, reflectkit.journal.store, time; t = time.perf_counter(); "
        "from reflectkit.cli import reminder; reminder(['case']); print(time.perf_counter() - t)"
    )
    costs = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", probe], env=env_for(home), capture_output=True, text=True, check=True
        ).stdout
        costs.append(float(out))
    value = statistics.median(costs)
    record("reminder check (in a command)", value, None, "<= 5 ms", value <= 0.005)


def save_cost(runs: int, empty: Path, big: Path) -> None:
    from reflectkit.journal.models import Section
    from reflectkit.journal.store import Store

    def one(home: Path) -> float:
        journal = Store(home).journal("default", create=True)
        start = time.perf_counter()
        journal.save_answer(
            Section("case", "first-home-visit"),
            "immediate",
            question="Q?",
            kind="text",
            value="One more answer.",
        )
        return time.perf_counter() - start

    one(big), one(empty)  # warm the caches for both
    value, base = alternate(max(runs * 4, 60), lambda: one(big), lambda: one(empty))
    record("save one answer, 5,000-answer journal", value, base, "<= 1.2x empty journal", value <= 1.2 * base)


def export_cost(runs: int, big: Path) -> None:
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [SCRIPT, "export"],
            env=env_for(big),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    value = statistics.median(times)
    record("export, 5,000 answers", value, None, "<= 1 s", value <= 1.0)
    # ru_maxrss for children is the largest child so far: measure export alone, first.
    record("export peak memory", max(peaks), None, "<= 80 MiB", max(peaks) <= 80, unit="MiB")


def first_output(runs: int, big: Path) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [SCRIPT, "--plain", "journal", "show"],
            env=env_for(big),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        times.append(time.perf_counter() - start)
        proc.kill()
        proc.wait()
    value = statistics.median(times)
    record("journal show, first line out", value, None, "<= 0.3 s", value <= 0.3)


def remind_big(runs: int, empty: Path, big: Path) -> None:
    value, base = alternate(
        runs, lambda: wall([SCRIPT, "remind"], env_for(big)), lambda: wall([SCRIPT, "remind"], env_for(empty))
    )
    record("remind, 5,000-answer journal", value, base, "<= 1.2x empty journal", value <= 1.2 * base)


def search_cost(runs: int, big: Path) -> None:
    """`reflectkit search` for a word found in 1% of a 5,000-answer journal's files (50 of
    them gain an answer holding it, in a copy of the journal): every file is read, and
    those holding the word are parsed."""
    import shutil

    from reflectkit.journal.models import Section
    from reflectkit.journal.store import Store

    home = big.with_name("search")
    shutil.copytree(big, home)
    journal = Store(home).journal("default", create=True)
    for n in range(50):
        journal.save_answer(
            Section("case", f"local-case-{n * 20}"),
            "q9",
            question="Question 9?",
            kind="text",
            value=f"The interpreter arrived late to visit {n}; we started without her.",
            position=9,
        )
    value = statistics.median(wall([SCRIPT, "search", "interpreter"], env_for(home)) for _ in range(runs))
    record("search, 5,000 answers", value, None, "<= 0.5 s", value <= 0.5)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--answers", type=int, default=5000)
    args = parser.parse_args()
    runs = max(args.runs, 10)
    with tempfile.TemporaryDirectory() as tmp:
        empty, big = Path(tmp) / "empty", Path(tmp) / "big"
        print(f"Making a journal of {args.answers} answers...", file=sys.stderr)
        make(big, args.answers)
        make(empty, 0)
        export_cost(runs, big)  # first, so the peak memory is export's own
        startup(runs, empty)
        reminder_cost(runs, big)
        save_cost(runs, empty, big)
        first_output(runs, big)
        remind_big(runs, empty, big)
        search_cost(runs, big)
    header = ("figure", "median", "baseline", "ratio", "target", "met")
    rows = [header, *((*r[:5], "yes" if r[5] else "NO") for r in ROWS)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return 0 if all(r[5] for r in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
