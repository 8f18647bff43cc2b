"""Make a large journal for the benchmarks: N answers spread over stages, case studies
and weekly reflections, as a practitioner might build up over years.

The files are written as reflectkit writes them, a section at a time (not an answer at a
time, which would take minutes for 50,000 answers); the journal's summary is then made
from them as a run that writes would make it.

Usage:  python benchmarks/make_journal.py HOME [ANSWERS]
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reflectkit import fileio
from reflectkit.journal.cycles import mark, start_cycle
from reflectkit.journal.models import Answer, Earlier, Section, Unit, dump_unit
from reflectkit.journal.store import Store

PARAGRAPH = (
    "I noticed that the family did not know why I had come. Next time I will explain my role "
    "at the door, ask what a visit like this means where they grew up, and leave time for "
    "their questions. "
)
PER_SECTION = 5


def _section(group: int) -> Section:
    if group % 4 == 3:
        return Section("reflection", f"{group}-week-{1 + group % 4}")
    return Section("case", f"local-case-{group}")


def make(home: Path, answers: int = 5000) -> None:
    """Fill ``home`` with a journal called 'default' holding ``answers`` text answers."""
    journal = Store(home).journal("default", create=True)
    moment = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
    with journal.locked():
        for group in range(-(-answers // PER_SECTION)):
            section = _section(group)
            unit = Unit(section=section.kind, ref=section.ref)
            for n in range(group * PER_SECTION, min(answers, (group + 1) * PER_SECTION)):
                unit.answers[f"q{n % PER_SECTION}"] = Answer(
                    question=f"Question {n % PER_SECTION}?",
                    kind="text",
                    value=PARAGRAPH * (1 + n % 3),
                    created=moment,
                    updated=moment,
                    position=n % PER_SECTION,
                )
                moment += timedelta(hours=5)
            fileio.ensure_private_dir(journal.entries)
            payload = fileio.dumps_checked(dump_unit(unit))
            fileio.write_atomic(journal.unit_path(section), payload, temp_dir=journal.temps, durable=False)
        # a cycle with this week's reflection done: nothing is due
        start_cycle(journal.path, date.today())
        mark(journal.path, 1, "week-1", done=date.today())
    journal.summary()  # a run that writes stores the summary it makes


def make_history(home: Path, versions: int) -> Section:
    """A journal whose one answer has ``versions`` earlier versions; returns its section."""
    journal = Store(home).journal("default", create=True)
    section = Section("case", "first-home-visit")
    moment = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
    history = [
        Earlier(value=f"Version {n}: {PARAGRAPH}", created=moment, replaced=moment) for n in range(versions)
    ]
    unit = Unit(section=section.kind, ref=section.ref)
    unit.answers["immediate"] = Answer(
        question="Q?", kind="text", value="Now.", created=moment, updated=moment, history=history
    )
    with journal.locked():
        journal.write_unit(section, unit)
    return section


if __name__ == "__main__":
    make(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5000)
