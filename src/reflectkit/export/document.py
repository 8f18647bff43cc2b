"""A journal gathered for export: its sections in workbook order, each with a title.

Every exporter works from a :class:`Document`, so the order, titles and filters
(``--case N``, ``--stage N``, ``--note ID``) are decided once. Notes come after the
workbook, by the day of the event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reflectkit import sections
from reflectkit.content.models import Workbook
from reflectkit.journal import notes
from reflectkit.journal.models import Answer, Section, Unit

if TYPE_CHECKING:
    from reflectkit.content.reflective import ReflectiveModel
    from reflectkit.journal.store import DamagedFile, Journal


@dataclass(frozen=True)
class Part:
    """One section of the journal, ready to export; ``unanswered`` holds the prompts of the
    questions in it that have no answer yet."""

    title: str
    unit: Unit
    unanswered: tuple[str, ...] = ()
    model: ReflectiveModel | None = None  # a note's reflective model, when it is known

    @property
    def answers(self) -> list[tuple[str, Answer]]:
        return self.unit.ordered()

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.unit.tags or ())

    @property
    def model_name(self) -> str:
        """The name of a note's model ("" when it is not a note or the model is not known)."""
        return self.model.name if self.model else ""


class LazyParts:
    """A journal's parts, read one file at a time each time they are iterated, so that an
    export of any size holds one part at a time. Files that cannot be read are collected
    in ``damaged`` as the iteration meets them."""

    def __init__(self, paths: list[Path], make: Callable[[Unit], Part | None]) -> None:
        self.paths = paths
        self.make = make
        self.damaged: list[DamagedFile] = []
        self.on_part: Callable[[Part], None] | None = None  # told of each part as it is read

    def __len__(self) -> int:
        return len(self.paths)

    def __iter__(self) -> Iterator[Part]:
        from reflectkit.journal.store import UnitScan

        scan = UnitScan(self.paths)
        for unit in scan:
            part = self.make(unit)
            if part is not None:
                if self.on_part is not None:
                    self.on_part(part)
                yield part
        self.damaged = [d for d in scan.damaged if d not in self.damaged] + self.damaged


@dataclass(frozen=True)
class Document:
    journal: str
    generated: date
    parts: Sequence[Part] | LazyParts
    # When the first and last answer are known without reading every part (from the
    # journal's summary), so that a streamed document is read once.
    span: tuple[datetime | None, datetime | None] | None = None

    @property
    def answers(self) -> list[Answer]:
        return [a for p in self.parts for _, a in p.answers]

    @property
    def first(self) -> datetime | None:
        if self.span is not None:
            return self.span[0]
        return min((a.created for a in self.answers), default=None)

    @property
    def last(self) -> datetime | None:
        if self.span is not None:
            return self.span[1]
        return max((a.updated for a in self.answers), default=None)


def gather(
    units: Iterable[Unit],
    workbook: Workbook | None,
    *,
    journal: str,
    generated: date,
    case: str | None = None,
    stage: int | None = None,
    note: str | None = None,
    models: Iterable[ReflectiveModel] = (),
) -> Document:
    """The units to export, in workbook order then notes by day.

    ``case`` (an id), ``stage`` or ``note`` (an id) narrows it. ``models`` are the
    reflective models known, so that a note's heading names its model and its unanswered
    stages are listed.
    """
    chosen = [u for u in units if u.answers and _wanted(u.key, case=case, stage=stage, note=note)]
    chosen.sort(key=lambda u: sections.order(u.key, workbook))
    known = {m.id: m for m in models}
    return Document(journal, generated, [_part(u, workbook, known) for u in chosen])


def stream(
    journal: Journal,
    workbook: Workbook | None,
    *,
    generated: date,
    case: str | None = None,
    stage: int | None = None,
    note: str | None = None,
    models: Iterable[ReflectiveModel] = (),
) -> Document:
    """The same document as :func:`gather`, whose parts are read from the journal one at a
    time as they are iterated. What is in it, in which order, and the dates of its first
    and last answers come from the journal's summary, so nothing is read whole first."""
    brief = journal.summary()
    chosen = []
    for name, record in brief.items():
        section = Section(record["kind"], record["ref"])
        if record["answers"] and _wanted(section, case=case, stage=stage, note=note):
            chosen.append((sections.order(section, workbook), name, record))
    chosen.sort(key=lambda c: (c[0], c[1]))
    known = {m.id: m for m in models}

    def make(unit: Unit) -> Part | None:
        wanted = unit.answers and _wanted(unit.key, case=case, stage=stage, note=note)
        return _part(unit, workbook, known) if wanted else None

    parts = LazyParts([journal.entries / name for _, name, _ in chosen], make)
    parts.damaged = list(brief.damaged)
    firsts = [datetime.fromisoformat(r["first"]) for _, _, r in chosen if "first" in r]
    lasts = [datetime.fromisoformat(r["last"]) for _, _, r in chosen if "last" in r]
    return Document(journal.name, generated, parts, (min(firsts, default=None), max(lasts, default=None)))


def _wanted(section: Section, *, case: str | None, stage: int | None, note: str | None) -> bool:
    if case is not None and not (section.kind == "case" and section.ref == case):
        return False
    if stage is not None and not _in_stage(section, stage):
        return False
    return note is None or (section.kind == "note" and section.ref == note)


def _part(unit: Unit, workbook: Workbook | None, models: dict[str, ReflectiveModel]) -> Part:
    if unit.note is None:
        questions = sections.questions(unit.key, workbook)
        unanswered = tuple(q.prompt for q in questions if q.id not in unit.answers)
        return Part(sections.title(unit.key, workbook), unit, unanswered)
    model = models.get(unit.note.model)
    stages = model.stages if model else []
    unanswered = tuple(s.prompt for s in stages if s.id not in unit.answers)
    return Part(notes.heading(unit), unit, unanswered, model)


def _in_stage(section: Section, stage: int) -> bool:
    if stage == 3:
        return section.kind == "case"
    if stage == 4:
        return section.kind in ("reflection", "revisit")
    return section.kind == "stage" and section.ref == str(stage)
