"""The Stage 4 schedule as plain lines of text.

Kept free of rich and typer: `reflectkit remind` prints this on its fast path, before
anything heavy is imported, and the full command line prints the same lines. `progress`
and `remind` show it without loading what asks questions.
"""

from __future__ import annotations

from reflectkit.journal import cycles
from reflectkit.journal.cycles import Cycle
from reflectkit.paths import today
from reflectkit.schedule import CheckIn, State, plan_reminders

TYPE_CHECKING = False  # not `typing`'s: loading typing costs `remind` a tenth of its time
if TYPE_CHECKING:
    from reflectkit.cli.state import State as RunState
    from reflectkit.journal.store import Journal

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


def plan(jr: Journal, *, number: int | None = None) -> tuple[Cycle | None, list[CheckIn]]:
    """A cycle (the current one, or cycle ``number``) and its check-ins as of today."""
    every = cycles.read_cycles(jr.path)
    cycle = cycles.current(every) if number is None else next((c for c in every if c.number == number), None)
    if cycle is None:
        return None, []
    return cycle, plan_reminders(cycle.started, today(), done=cycle.done, skipped=cycle.skipped)


def schedule_table(st: RunState, jr: Journal) -> None:
    """The schedule on screen: aligned lines, or one sentence a check-in when they would not fit."""
    cycle, checkins = plan(jr)
    lines = schedule_lines(cycle, checkins)
    if cycle is not None and max(len(line) for line in lines) > st.ui.width:
        lines = schedule_items(cycle, checkins)
    for line in lines:
        st.ui.say(line)
