"""The Stage 4 schedule as plain lines of text.

Kept free of rich and typer: `reflectkit remind` prints this on its fast path, before
anything heavy is imported, and the full command line prints the same lines.
"""

from __future__ import annotations

from reflectkit.journal.cycles import Cycle
from reflectkit.schedule import CheckIn, State

NOT_STARTED = (
    "Stage 4 has not started. It starts when you finish your first case study "
    "(reflectkit start), or now with: reflectkit remind --restart"
)
HEADERS = ("Check-in", "From", "To", "Time", "State", "Run")


def _row(c: CheckIn) -> tuple[str, ...]:
    run = c.command if c.state in (State.DUE, State.OVERDUE) else ""
    if c.state == State.MISSED:
        run = f"{c.command} --week {c.number}  (late, if you like)"
    return (
        c.label,
        f"{c.opens:%a} {c.opens.day} {c.opens:%b}",
        f"{c.closes:%a} {c.closes.day} {c.closes:%b}",
        f"{c.minutes} min",
        c.state.value,
        run,
    )


def schedule_lines(cycle: Cycle | None, plan: list[CheckIn]) -> list[str]:
    """The schedule as aligned lines, or a note on how to start it."""
    if cycle is None:
        return [NOT_STARTED]
    rows = [HEADERS, *(_row(c) for c in plan)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = [f"Cycle {cycle.number}, started {cycle.started:%A} {cycle.started.day} {cycle.started:%B %Y}"]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return lines


def schedule_items(cycle: Cycle | None, plan: list[CheckIn]) -> list[str]:
    """The schedule as one sentence per check-in, for narrow terminals and screen readers."""
    if cycle is None:
        return [NOT_STARTED]
    lines = [f"Cycle {cycle.number}, started {cycle.started:%A} {cycle.started.day} {cycle.started:%B %Y}:"]
    for c in plan:
        label, opens, closes, minutes, state, run = _row(c)
        tail = f" Run: {run}" if run else ""
        lines.append(f"- {label}, {opens} to {closes}, {minutes}: {state}.{tail}")
    return lines
