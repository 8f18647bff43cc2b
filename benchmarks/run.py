"""reflectkit's performance targets, measured. Prints a table; exits 1 if a target is missed.

Each ratio is measured in one run: the figure and its baseline alternately, medians of
``--runs`` tries, so the ratios hold on a slower or busier machine. Peak memory is that of
the command alone (each is run under a small parent that reports its child's peak).

Usage:  uv run python benchmarks/run.py [--runs N] [--answers N] [--large N] [--quick]
                                        [--jrnl PATH] [--only GROUP,GROUP...]

``--quick`` takes fewer runs and a 10,000-answer journal for the rows that name 50,000
(indicative only). ``--jrnl PATH`` adds the comparisons with jrnl (the program at PATH)
listing as many entries; without it, or if PATH cannot run, they are left out with a note.
``--only`` measures some groups of rows (for example ``--only startup,show``); the journals
are made all the same.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_journal import PARAGRAPH, make, make_history

SCRIPT = str(Path(sys.executable).parent / "reflectkit")
PYTHON = [sys.executable, "-c", "pass"]
ROWS: list[tuple[str, str, str, str, str, bool]] = []
NOTES: list[str] = []
PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    # As on a user's machine, Python may cache bytecode (some shells here forbid it).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("REFLECTKIT_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(REFLECTKIT_HOME=str(home), **extra)
    return env


def wall(argv: list[str], env: dict[str, str], stdin: Path | None = None) -> float:
    start = time.perf_counter()
    with open(stdin or os.devnull, "rb") as given:  # noqa: PTH123 - a file object for the child
        subprocess.run(argv, env=env, stdin=given, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def ratio_row(name: str, value: float, base: float, limit: float, against: str) -> None:
    record(name, value, base, f"<= {limit:g}x {against}", value <= limit * base)


def startup(runs: int, empty: Path, answer: Path) -> None:
    """Commands on an empty journal against `python -c pass`, measured alternately."""
    env = env_for(empty)
    commands: list[tuple[str, list[str], float, Path | None]] = [
        ("--version", [SCRIPT, "--version"], 1.5, None),
        ("remind, nothing due", [SCRIPT, "remind"], 3, None),
        ("case (the list)", [SCRIPT, "case"], 10, None),
        ("progress", [SCRIPT, "progress"], 10, None),
        ("a piped save", [SCRIPT, "case", "2", "--question", "1"], 10, answer),
        ("stage 1 --review", [SCRIPT, "stage", "1", "--review"], 10, None),
        ("--help", [SCRIPT, "--help"], 12, None),
    ]
    for label, argv, limit, stdin in commands:
        value, base = alternate(runs, lambda a=argv, s=stdin: wall(a, env, s), lambda: wall(PYTHON, env))
        ratio_row(f"reflectkit {label}", value, base, limit, "python -c pass")


def reminder_cost(runs: int, home: Path) -> None:
    """What the reminder adds to a command: first load what every command loads anyway,
    then time the reminder check itself (its own imports and the file it reads)."""
    probe = (
        "import reflectkit.cli.runner, reflectkit.cli.everyday, reflectkit.journal.store, time; "
        "t = time.perf_counter(); "
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


def _save_timer(home: Path, section_ref: str = "first-home-visit") -> Callable[[], float]:
    from reflectkit.journal.models import Section
    from reflectkit.journal.store import Store

    journal = Store(home).journal("default", create=True)

    def one() -> float:
        start = time.perf_counter()
        journal.save_answer(
            Section("case", section_ref), "immediate", question="Q?", kind="text", value=f"{start}"
        )
        return time.perf_counter() - start

    return one


def save_cost(runs: int, empty: Path, big: Path, history: Path, answers: int) -> None:
    big_save, empty_save, long_save = _save_timer(big), _save_timer(empty), _save_timer(history)
    big_save(), empty_save(), long_save()  # warm the caches for each
    value, base = alternate(max(runs * 4, 40), big_save, empty_save)
    ratio_row(f"save one answer, {answers:,}-answer journal", value, base, 1.2, "empty journal")
    value, base = alternate(max(runs * 2, 20), long_save, empty_save)
    ratio_row("save, an answer with 10,000 earlier versions", value, base, 1.3, "empty journal")


def peak_and_time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak MiB of one run of ``argv`` (to a pipe that is read and dropped)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK, *argv], env=env, capture_output=True, text=True)
    return time.perf_counter() - start, int(out.stdout.strip() or 0) / 1024


def large_costs(runs: int, large: Path, empty: Path, size: int) -> None:
    """export, export --as json and check on the large journal: time and peak memory."""
    for label, argv in (
        ("export", [SCRIPT, "export"]),
        ("export --as json", [SCRIPT, "export", "--as", "json"]),
        ("check", [SCRIPT, "check"]),
    ):
        tries = [peak_and_time(argv, env_for(large)) for _ in range(max(2, runs // 5))]
        seconds = statistics.median(t for t, _ in tries)
        peak = max(p for _, p in tries)
        record(f"{label}, {size:,} answers", seconds, None, "<= 2 s", seconds <= 2.0)
        record(f"{label}, {size:,} answers: peak memory", peak, None, "<= 80 MiB", peak <= 80, unit="MiB")
    value, base = alternate(
        runs,
        lambda: wall([SCRIPT, "progress"], env_for(large)),
        lambda: wall([SCRIPT, "progress"], env_for(empty)),
    )
    ratio_row(f"progress, {size:,} answers", value, base, 1.5, "empty journal")


def show_cost(runs: int, big: Path, answers: int) -> float:
    """`journal show` to a pipe, whole, and its first line out."""
    times, firsts = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [SCRIPT, "journal", "show"], env=env_for(big), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        firsts.append(time.perf_counter() - start)
        proc.stdout.read()
        proc.wait()
        times.append(time.perf_counter() - start)
    first, whole = statistics.median(firsts), statistics.median(times)
    record("journal show, first line out", first, None, "<= 0.3 s", first <= 0.3)
    record(f"journal show to a pipe, {answers:,} answers", whole, None, "<= 0.5 s", whole <= 0.5)
    return whole


def remind_big(runs: int, empty: Path, big: Path, answers: int) -> None:
    value, base = alternate(
        runs, lambda: wall([SCRIPT, "remind"], env_for(big)), lambda: wall([SCRIPT, "remind"], env_for(empty))
    )
    ratio_row(f"remind, {answers:,}-answer journal", value, base, 1.2, "empty journal")


def search_cost(runs: int, big: Path, answers: int) -> None:
    """`reflectkit search` for a word found in 1% of the journal's files (50 of them gain an
    answer holding it, in a copy of the journal): every file is read, and those holding
    the word are parsed."""
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
    record(f"search, {answers:,} answers", value, None, "<= 0.5 s", value <= 0.5)


def jrnl_cost(runs: int, jrnl: str | None, tmp: Path, answers: int, ours: float) -> None:
    """jrnl listing as many entries to a pipe, against `journal show` (``ours``)."""
    if not jrnl:
        NOTES.append("jrnl comparisons left out: give --jrnl PATH to a jrnl program to add them.")
        return
    program = shutil.which(jrnl)
    if program is None:
        NOTES.append(f"jrnl comparisons left out: {jrnl} cannot be run here.")
        return
    config, journal = tmp / "jrnl-config", tmp / "jrnl.txt"
    (config / "jrnl").mkdir(parents=True)
    (config / "jrnl" / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
        "editor: ''\nencrypt: false\nhighlight: false\nindent_character: '|'\n"
        f"journals: {{default: {{journal: {journal}}}}}\nlinewrap: 79\ntagsymbols: '#@'\n"
        "template: false\ntimeformat: '%Y-%m-%d %H:%M'\nversion: v4.0\n",
        encoding="utf-8",
    )
    entries = (
        f"[2023-01-{1 + n % 28:02d} {n % 24:02d}:00] Entry {n}.\n{PARAGRAPH}\n\n" for n in range(answers)
    )
    journal.write_text("".join(entries), encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(config), "HOME": str(tmp)}
    value = statistics.median(wall([program, "-n", str(answers)], env) for _ in range(runs))
    record(f"jrnl -n {answers:,} to a pipe", value, None, "(for comparison)", True)
    record(f"journal show against jrnl -n {answers:,}", ours, value, "<= 0.4x jrnl", ours <= 0.4 * value)


GROUPS = ("large", "startup", "save", "show", "jrnl", "remind", "search")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--answers", type=int, default=5000)
    parser.add_argument("--large", type=int, default=50000, help="answers for the memory and progress rows")
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller large journal")
    parser.add_argument("--jrnl", metavar="PATH", help="jrnl, to compare `journal show` with")
    parser.add_argument(
        "--only",
        metavar="GROUPS",
        help=f"measure only these groups, comma-separated: {', '.join(GROUPS)}",
    )
    args = parser.parse_args()
    only = set(GROUPS) if args.only is None else {g.strip() for g in args.only.split(",")}
    if unknown := sorted(only - set(GROUPS)):
        parser.error(f"unknown group {', '.join(unknown)}: choose from {', '.join(GROUPS)}")
    runs = 5 if args.quick else max(args.runs, 10)
    large = 10000 if args.quick else args.large
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        empty, big, huge, history = tmp / "empty", tmp / "big", tmp / "huge", tmp / "history"
        print(f"Making journals of {args.answers:,} and {large:,} answers (as needed)...", file=sys.stderr)
        make(empty, 0)
        if only - {"large"}:
            make(big, args.answers)
        if "large" in only:
            make(huge, large)
        if "save" in only:
            make_history(history, 10000)
        answer = tmp / "answer.txt"
        answer.write_text("A drafted answer, piped in.\n", encoding="utf-8")
        if "large" in only:
            large_costs(runs, huge, empty, large)  # first: each peak is the command's own anyway
        if "startup" in only:
            startup(runs, empty, answer)
            reminder_cost(runs, big)
        if "save" in only:
            save_cost(runs, empty, big, history, args.answers)
        if only & {"show", "jrnl"}:
            ours = show_cost(runs, big, args.answers)
            if "jrnl" in only:
                jrnl_cost(max(3, runs // 3), args.jrnl, tmp, args.answers, ours)
        if "remind" in only:
            remind_big(runs, empty, big, args.answers)
        if "search" in only:
            search_cost(runs, big, args.answers)
    header = ("figure", "median", "baseline", "ratio", "target", "met")
    rows = [header, *((*r[:5], "yes" if r[5] else "NO") for r in ROWS)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for note in NOTES:
        print(f"Note: {note}")
    if args.quick:
        print(f"Note: --quick: {runs} runs, and {large:,} answers for the large rows; indicative only.")
    return 0 if all(r[5] for r in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
