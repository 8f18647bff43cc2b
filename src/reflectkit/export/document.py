"""A journal gathered for export: its sections in workbook order, each with a title.

Every exporter works from a :class:`Document`, so the order, titles and filters
(``--case N``, ``--stage N``, ``--note ID``) are decided once. Notes come after the
workbook, by the day of the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from reflectkit import sections
from reflectkit.content.models import Workbook
from reflectkit.journal import notes
from reflectkit.journal.models import Answer, Unit

if TYPE_CHECKING:
    from reflectkit.content.reflective import ReflectiveModel


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


@dataclass(frozen=True)
class Document:
    journal: str
    generated: date
    parts: list[Part]

    @property
    def answers(self) -> list[Answer]:
        return [a for p in self.parts for _, a in p.answers]

    @property
    def first(self) -> datetime | None:
        return min((a.created for a in self.answers), default=None)

    @property
    def last(self) -> datetime | None:
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
    chosen = []
    for unit in units:
        if not unit.answers:
            continue
        if case is not None and not (unit.section == "case" and unit.ref == case):
            continue
        if stage is not None and not _in_stage(unit, stage):
            continue
        if note is not None and not (unit.section == "note" and unit.ref == note):
            continue
        chosen.append(unit)
    chosen.sort(key=lambda u: sections.order(u.key, workbook))
    known = {m.id: m for m in models}
    return Document(journal, generated, [_part(u, workbook, known) for u in chosen])


def _part(unit: Unit, workbook: Workbook | None, models: dict[str, ReflectiveModel]) -> Part:
    if unit.note is None:
        questions = sections.questions(unit.key, workbook)
        unanswered = tuple(q.prompt for q in questions if q.id not in unit.answers)
        return Part(sections.title(unit.key, workbook), unit, unanswered)
    model = models.get(unit.note.model)
    stages = model.stages if model else []
    unanswered = tuple(s.prompt for s in stages if s.id not in unit.answers)
    return Part(notes.heading(unit), unit, unanswered, model)


def _in_stage(unit: Unit, stage: int) -> bool:
    if stage == 3:
        return unit.section == "case"
    if stage == 4:
        return unit.section in ("reflection", "revisit")
    return unit.section == "stage" and unit.ref == str(stage)
