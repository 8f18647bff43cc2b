"""The reminder check that runs before every command.

It reads one small file (the journal's ``schedule.toml``) and nothing else: no workbook
content, no answers, no pydantic.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reflectkit.journal.cycles import current, read_cycles
from reflectkit.paths import check_name
from reflectkit.schedule import plan_reminders, reminder_line


def reminder_for(home: Path, journal: str, today: date) -> str | None:
    """One line naming the reflection that is due or overdue, or None."""
    check_name(journal)
    cycle = current(read_cycles(home / "journals" / journal))
    if cycle is None:
        return None
    line = reminder_line(plan_reminders(cycle.started, today, done=cycle.done, skipped=cycle.skipped), today)
    if line and journal != "default":
        line += f" --journal {journal}"
    return line
