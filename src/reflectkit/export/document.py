"""A journal gathered for export: its sections in workbook order, each with a title.

Every exporter works from a :class:`Document`, so the order, titles and filters
(``--case N``, ``--stage N``) are decided once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from reflectkit.content.models import Workbook
from reflectkit.journal.models import Answer, Unit


@dataclass(frozen=True)
class Part:
    """One section of the journal, ready to export."""

    title: str
    unit: Unit

    @property
    def answers(self) -> list[tuple[str, Answer]]:
        return self.unit.ordered()


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


def title_of(unit: Unit, workbook: Workbook | None) -> str:
    """A heading for a section, from the workbook where it still knows it."""
    if unit.section == "stage":
        stage = workbook.stage(int(unit.ref)) if workbook and unit.ref in "1234" else None
        return f"Stage {unit.ref}: {stage.title}" if stage else f"Stage {unit.ref}"
    if unit.section == "case":
        case = workbook.case_by_id(unit.ref) if workbook else None
        return f"Case study {case.number}: {case.title}" if case else f"Case study: {unit.ref}"
    if unit.section == "revisit":
        return f"Stage 4: four-week revisit (cycle {unit.ref})"
    cycle, _, week = unit.ref.partition("-")
    return f"Stage 4: {week.replace('-', ' ')} reflection (cycle {cycle})"


def _order(unit: Unit, workbook: Workbook | None) -> tuple[int, int, str]:
    rank = {"stage": 0, "case": 1, "reflection": 2, "revisit": 3}[unit.section]
    number = 0
    if unit.section == "stage" and unit.ref.isdigit():
        number = int(unit.ref)
    elif unit.section == "case" and workbook and (case := workbook.case_by_id(unit.ref)):
        number = case.number
    elif unit.section in ("reflection", "revisit"):
        head = unit.ref.split("-", 1)[0]
        number = int(head) if head.isdigit() else 0
    return rank, number, unit.ref


def gather(
    units: Iterable[Unit],
    workbook: Workbook | None,
    *,
    journal: str,
    generated: date,
    case: str | None = None,
    stage: int | None = None,
) -> Document:
    """The units to export, in workbook order; ``case`` (an id) or ``stage`` narrows it."""
    chosen = []
    for unit in units:
        if not unit.answers:
            continue
        if case is not None and not (unit.section == "case" and unit.ref == case):
            continue
        if stage is not None and not _in_stage(unit, stage):
            continue
        chosen.append(unit)
    chosen.sort(key=lambda u: _order(u, workbook))
    return Document(journal, generated, [Part(title_of(u, workbook), u) for u in chosen])


def _in_stage(unit: Unit, stage: int) -> bool:
    if stage == 3:
        return unit.section == "case"
    if stage == 4:
        return unit.section in ("reflection", "revisit")
    return unit.section == "stage" and unit.ref == str(stage)
