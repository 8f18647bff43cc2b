"""Make a large journal for the benchmarks: N answers spread over stages, case studies
and weekly reflections, as a practitioner might build up over years.

Usage:  python benchmarks/make_journal.py HOME [ANSWERS]
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reflectkit.journal.cycles import mark, start_cycle
from reflectkit.journal.models import Section
from reflectkit.journal.store import Store

PARAGRAPH = (
    "I noticed that the family did not know why I had come. Next time I will explain my role "
    "at the door, ask what a visit like this means where they grew up, and leave time for "
    "their questions. "
)


def make(home: Path, answers: int = 5000) -> None:
    """Fill ``home`` with a journal called 'default' holding ``answers`` text answers."""
    journal = Store(home).journal("default", create=True)
    moment = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
    per_section = 5
    for n in range(answers):
        group = n // per_section
        if group % 4 == 3:
            section = Section("reflection", f"{group}-week-{1 + group % 4}")
        else:
            section = Section("case", f"local-case-{group}")
        journal.save_answer(
            section,
            f"q{n % per_section}",
            question=f"Question {n % per_section}?",
            kind="text",
            value=PARAGRAPH * (1 + n % 3),
            position=n % per_section,
            now=moment,
        )
        moment += timedelta(hours=5)
    with journal.locked():  # a cycle with this week's reflection done: nothing is due
        start_cycle(journal.path, date.today())
        mark(journal.path, 1, "week-1", done=date.today())


if __name__ == "__main__":
    make(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5000)
