"""A dated list of CPD activities, as the HCPC asks registrants to keep.

The HCPC's standards for CPD ask for a continuous, up-to-date and accurate record of
CPD activities, and its audits look for gaps. Each section of the journal is one row,
dated by its first answer; gaps of three months or more are pointed out. No answer text
appears here, only titles, dates and the workbook's suggested times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from reflectkit.content.models import Workbook
from reflectkit.export.common import local_day
from reflectkit.export.document import Document, Part
from reflectkit.export.markdown import inline
from reflectkit.export.nmc import words

GAP_MONTHS = 3
WEEKLY_MINUTES = 5
REVISIT_MINUTES = 15


@dataclass(frozen=True)
class Activity:
    """One row of the record."""

    when: date
    title: str
    done: str
    minutes: int | None


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (15 Jan to 15 Apr is 3)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _activity(part: Part, workbook: Workbook | None) -> Activity:
    unit = part.unit
    answered = len(part.answers)
    when = local_day(min(a.created for _, a in part.answers))
    minutes: int | None = None
    if unit.section == "stage":
        known = workbook is not None and unit.ref in ("1", "2", "3", "4")
        minutes = workbook.stage(int(unit.ref)).minutes if workbook and known else None
        asked = _plural(answered, "reflective question")
        done = f"Read this stage of the workbook and answered {asked}"
    elif unit.section == "case":
        case = workbook.case_by_id(unit.ref) if workbook else None
        done = f"Read the case study and answered {_plural(answered, 'question')}"
        if case and workbook:
            minutes = case.minutes
            total = len(workbook.stage(3).prompts) + len(case.questions)
            done = f"Read the case study and answered {answered} of its {total} questions"
    elif unit.section == "revisit":
        minutes = REVISIT_MINUTES
        done = "Looked back over four weeks of reflections at what had changed in my practice"
    else:
        minutes = WEEKLY_MINUTES
        done = "Wrote a short structured reflection on a moment in my practice (What? So what? Now what?)"
    return Activity(when, part.title, done, minutes)


def activities(doc: Document, workbook: Workbook | None = None) -> list[Activity]:
    """The record's rows, oldest first (sections begun on the same day keep journal order)."""
    return sorted((_activity(p, workbook) for p in doc.parts if p.answers), key=lambda a: a.when)


def gaps(rows: list[Activity]) -> list[str]:
    """A warning for each gap of three months or more between consecutive activities."""
    found = []
    for before, after in pairwise(rows):
        months = months_between(before.when, after.when)
        if months >= GAP_MONTHS:
            found.append(
                f"Gap of {months} months between {inline(before.title)} ({words(before.when)}) and "
                f"{inline(after.title)} ({words(after.when)}): HCPC audits look for continuous CPD."
            )
    return found


def cell(text: str) -> str:
    """Text for one Markdown table cell: safe, on one line, its pipes escaped."""
    return inline(text).replace("\\", "\\\\").replace("|", "\\|")


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = ([_plural(hours, "hour")] if hours else []) + ([f"{rest} minutes"] if rest else [])
    return " ".join(parts) or "0 minutes"


def _table(rows: list[Activity]) -> list[str]:
    out = ["| Date | Activity | What you did | Time spent |", "| --- | --- | --- | --- |"]
    for row in rows:
        spent = f"about {row.minutes} min" if row.minutes is not None else "not known"
        out.append(f"| {words(row.when)} | {cell(row.title)} | {cell(row.done)} | {spent} |")
    known = [r.minutes for r in rows if r.minutes is not None]
    total = f"Total of the known times: about {_duration(sum(known))}." if known else ""
    return [*out, "", *([total, ""] if total else [])]


def export(doc: Document, workbook: Workbook | None = None) -> str:
    """The dated list of activities as Markdown, with any gaps flagged beneath it."""
    rows = activities(doc, workbook)
    out = [
        "# CPD record for the HCPC: dated list of activities",
        "",
        f"Prepared with reflectkit from the journal “{inline(doc.journal)}” on {words(doc.generated)}.",
        "",
        "The HCPC's standards for CPD ask you to keep a continuous, up-to-date and accurate "
        "record of your CPD activities. Each row is one part of the workbook you worked on, "
        "dated by the day of your first answer in it. Times are the workbook's suggested "
        "times, not measured ones.",
        "",
    ]
    if not rows:
        return "\n".join([*out, "There are no answers in this journal yet."]) + "\n"
    out += _table(rows)
    out += ["## Gaps", ""]
    found = gaps(rows)
    out += [f"- {g}" for g in found] or ["No gaps of three months or more between these activities."]
    since = months_between(rows[-1].when, doc.generated)
    if since >= GAP_MONTHS:
        out += [
            "",
            f"Your last activity here was {since} months before this record was made "
            f"({words(rows[-1].when)}). Add any CPD you have done since.",
        ]
    out += [
        "",
        "reflectkit could not fill in the rest of a CPD profile: a summary of your "
        "practice, and how your CPD meets the HCPC's standards. Write those yourself, "
        "without anything that could identify the people you work with.",
    ]
    return "\n".join(out) + "\n"
