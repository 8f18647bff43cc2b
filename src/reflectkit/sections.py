"""One table of the kinds of section a journal holds: stages, case studies, weekly
reflections, revisits and notes.

Everything that differs by kind (a section's title, where it sorts, how an answer in it is
named in a regulator's form, and the command that opens it again) is decided here, once,
so that journal listings, exports, privacy findings and hints agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflectkit.journal.models import Section

if TYPE_CHECKING:
    from reflectkit.content.models import Question, Workbook


@dataclass(frozen=True)
class Kind:
    """How one kind of section is named, ordered and reopened."""

    name: str
    rank: int
    noun: str  # "case study": for counts and sentences
    plural: str

    def number(self, ref: str, workbook: Workbook | None) -> int:
        """The number users know the section by (stage 2, case study 4, cycle 1)."""
        head = ref.split("-", 1)[0]
        return int(head) if head.isdigit() else 0

    def title(self, ref: str, workbook: Workbook | None) -> str:
        raise NotImplementedError

    def source(self, ref: str, position: int, workbook: Workbook | None) -> str:
        """'Case study 2, question 1': where an answer was given, numbered as the CLI does."""
        raise NotImplementedError

    def reopen(self, ref: str, position: int, workbook: Workbook | None) -> str:
        """The command that asks question ``position`` (0-based) of this section again."""
        raise NotImplementedError


class _Stage(Kind):
    def title(self, ref: str, workbook: Workbook | None) -> str:
        stage = workbook.stage(int(ref)) if workbook and ref in ("1", "2", "3", "4") else None
        return f"Stage {ref}: {stage.title}" if stage else f"Stage {ref}"

    def source(self, ref: str, position: int, workbook: Workbook | None) -> str:
        return f"Stage {ref}, prompt {position + 1}"

    def reopen(self, ref: str, position: int, workbook: Workbook | None) -> str:
        return f"reflectkit stage {ref} --prompt {position + 1}"


class _Case(Kind):
    def number(self, ref: str, workbook: Workbook | None) -> int:
        case = workbook.case_by_id(ref) if workbook else None
        return case.number if case else 0

    def title(self, ref: str, workbook: Workbook | None) -> str:
        case = workbook.case_by_id(ref) if workbook else None
        return f"Case study {case.number}: {case.title}" if case else f"Case study: {ref}"

    def source(self, ref: str, position: int, workbook: Workbook | None) -> str:
        number = self.number(ref, workbook)
        return f"Case study {number or ref}, question {position + 1}"

    def reopen(self, ref: str, position: int, workbook: Workbook | None) -> str:
        number = self.number(ref, workbook)
        if not number:  # a local case study that is no longer there
            return "reflectkit journal show  (the case study is no longer in your workbook)"
        return f"reflectkit case {number} --question {position + 1}"


def _week(ref: str) -> tuple[str, str]:
    """'2-week-3' to ('2', '3'): the cycle and the week of a weekly reflection."""
    cycle, _, checkin = ref.partition("-")
    return cycle, checkin.removeprefix("week-")


class _Reflection(Kind):
    def title(self, ref: str, workbook: Workbook | None) -> str:
        cycle, week = _week(ref)
        return f"Stage 4: week {week} reflection (cycle {cycle})"

    def source(self, ref: str, position: int, workbook: Workbook | None) -> str:
        cycle, week = _week(ref)
        return f"Week {week} reflection (cycle {cycle}), question {position + 1}"

    def reopen(self, ref: str, position: int, workbook: Workbook | None) -> str:
        cycle, week = _week(ref)
        return f"reflectkit reflect --cycle {cycle} --week {week} --question {position + 1}"


class _Revisit(Kind):
    def title(self, ref: str, workbook: Workbook | None) -> str:
        return f"Stage 4: four-week revisit (cycle {ref})"

    def source(self, ref: str, position: int, workbook: Workbook | None) -> str:
        return f"Four-week revisit (cycle {ref}), question {position + 1}"

    def reopen(self, ref: str, position: int, workbook: Workbook | None) -> str:
        return f"reflectkit revisit --cycle {ref} --question {position + 1}"


class _Note(Kind):
    """A reflection on any event, named by its id ('2026-11-30-1': the day, then a count).

    Its title and model live in the note's own file, not in the workbook: the headings here
    are what can be said from the id alone; :mod:`reflectkit.journal.notes` gives the full one.
    """

    def number(self, ref: str, workbook: Workbook | None) -> int:
        # Sorts notes by day, then by their count on that day (so 2026-11-30-10 follows -9).
        parts = ref.split("-")
        if len(parts) != 4 or not all(p.isascii() and p.isdigit() for p in parts):
            return 0
        year, month, day, seq = map(int, parts)
        return ((year * 100 + month) * 100 + day) * 10_000 + seq

    def title(self, ref: str, workbook: Workbook | None) -> str:
        return f"Note {ref}"

    def source(self, ref: str, position: int, workbook: Workbook | None) -> str:
        return f"Note {ref}, stage {position + 1}"

    def reopen(self, ref: str, position: int, workbook: Workbook | None) -> str:
        return f"reflectkit note {ref} --stage {position + 1}"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        _Stage("stage", 0, "stage", "stages"),
        _Case("case", 1, "case study", "case studies"),
        _Reflection("reflection", 2, "weekly reflection", "weekly reflections"),
        _Revisit("revisit", 3, "revisit", "revisits"),
        _Note("note", 4, "note", "notes"),
    )
}


def kind_of(section: Section) -> Kind:
    return KINDS[section.kind]


def title(section: Section, workbook: Workbook | None) -> str:
    """A heading for a section, from the workbook where it still knows it."""
    return kind_of(section).title(section.ref, workbook)


def order(section: Section, workbook: Workbook | None) -> tuple[int, int, str]:
    """Where a section sorts: stages, case studies by number, then Stage 4 by cycle."""
    kind = kind_of(section)
    return kind.rank, kind.number(section.ref, workbook), section.ref


def source(section: Section, position: int, workbook: Workbook | None) -> str:
    return kind_of(section).source(section.ref, position, workbook)


def reopen(section: Section, position: int, workbook: Workbook | None) -> str:
    return kind_of(section).reopen(section.ref, position, workbook)


def questions(section: Section, workbook: Workbook | None) -> list[Question]:
    """The questions a section asks, as the workbook has them now (empty if it no longer
    knows the section, and for a note, whose questions are its model's stages:
    :func:`reflectkit.journal.notes.note_questions`)."""
    if workbook is None:
        return []
    if section.kind == "stage" and section.ref in ("1", "2", "3", "4"):
        return list(workbook.stage(int(section.ref)).prompts)
    if section.kind == "case" and (case := workbook.case_by_id(section.ref)):
        return [*workbook.stage(3).prompts, *case.questions]
    if section.kind == "reflection":
        return list(workbook.stage(4).weekly)
    if section.kind == "revisit":
        return list(workbook.stage(4).revisit)
    return []


def from_stem(stem: str) -> Section | None:
    """The section an entry file is for ('case-first-home-visit'), or None if it is not one."""
    kind, _, ref = stem.partition("-")
    return Section(kind, ref) if kind in KINDS and ref else None  # type: ignore[arg-type]
