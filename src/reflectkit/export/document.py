"""A journal gathered for export: its sections in workbook order, each with a title.

Every exporter works from a :class:`Document`, so the order, titles and filters
(``--case N``, ``--stage N``) are decided once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from reflectkit import sections
from reflectkit.content.models import Workbook
from reflectkit.journal.models import Answer, Unit


@dataclass(frozen=True)
class Part:
    """One section of the journal, ready to export; ``unanswered`` holds the prompts of the
    questions in it that have no answer yet."""

    title: str
    unit: Unit
    unanswered: tuple[str, ...] = ()

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
    chosen.sort(key=lambda u: sections.order(u.key, workbook))
    parts = [
        Part(
            sections.title(u.key, workbook),
            u,
            tuple(q.prompt for q in sections.questions(u.key, workbook) if q.id not in u.answers),
        )
        for u in chosen
    ]
    return Document(journal, generated, parts)


def _in_stage(unit: Unit, stage: int) -> bool:
    if stage == 3:
        return unit.section == "case"
    if stage == 4:
        return unit.section in ("reflection", "revisit")
    return unit.section == "stage" and unit.ref == str(stage)
