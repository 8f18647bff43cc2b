"""A dated list of CPD activities, as the HCPC asks registrants to keep.

The HCPC's standards for CPD ask for a continuous, up-to-date and accurate record of
CPD activities, and its audits ask registrants to explain gaps of three months or more.
Each section of the journal is one row, dated by its first answer, and so is each entry of
the CPD log (a case study the log also holds is shown once, with the time logged). Gaps of
three months or more are pointed out. No answer text appears here, only titles, dates and
times. The figures come from ``data/regulators/hcpc.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from reflectkit.content.models import Workbook
from reflectkit.export.document import Document
from reflectkit.export.markdown import inline
from reflectkit.export.records import Activity, cell, number, time_spent, words
from reflectkit.export.records import activities as _rows
from reflectkit.journal.cpdlog import LogEntry, duration_words
from reflectkit.regulators import load_regulators, months_between

__all__ = ["Activity", "activities", "cell", "export", "gaps", "months_between"]

GAP_MONTHS = 3


def activities(
    doc: Document, workbook: Workbook | None = None, log: Sequence[LogEntry] = ()
) -> list[Activity]:
    """The record's rows, oldest first (rows on the same day keep journal order, then the log's)."""
    return _rows(doc, workbook, log)


def _gap_months() -> int:
    rules = load_regulators()["hcpc"]
    return next((r.target or GAP_MONTHS for r in rules.requirements if r.measure == "gaps"), GAP_MONTHS)


def gaps(rows: list[Activity], months: int = GAP_MONTHS) -> list[str]:
    """A warning for each gap of ``months`` months or more between consecutive activities."""
    found = []
    for before, after in pairwise(rows):
        between = months_between(before.when, after.when)
        if between >= months:
            found.append(
                f"Gap of {between} months between {inline(before.title)} ({words(before.when)}) and "
                f"{inline(after.title)} ({words(after.when)}): HCPC audits look for continuous CPD."
            )
    return found


def _table(rows: list[Activity]) -> list[str]:
    out = ["| Date | Activity | What you did | Time spent |", "| --- | --- | --- | --- |"]
    out += [f"| {words(r.when)} | {cell(r.title)} | {cell(r.done)} | {time_spent(r)} |" for r in rows]
    logged = sum(r.minutes or 0 for r in rows if not r.suggested)
    suggested = sum(r.minutes or 0 for r in rows if r.suggested)
    totals = []
    if logged:
        totals.append(f"Time logged in your CPD log: {duration_words(logged)}.")
    if suggested:
        totals.append(
            f"Workbook parts, at the workbook's suggested times: about {duration_words(suggested)}."
        )
    return [*out, "", *([" ".join(totals), ""] if totals else [])]


def _since_last(rows: list[Activity], generated: date, months: int) -> list[str]:
    since = months_between(rows[-1].when, generated)
    if since < months:
        return []
    return [
        "",
        f"Your last activity here was {since} months before this record was made "
        f"({words(rows[-1].when)}). Add any CPD you have done since.",
    ]


def export(doc: Document, workbook: Workbook | None = None, *, log: Sequence[LogEntry] = ()) -> str:
    """The dated list of activities as Markdown, with any gaps flagged beneath it."""
    rows = activities(doc, workbook, log)
    months = _gap_months()
    out = [
        "# CPD record for the HCPC: dated list of activities",
        "",
        f"Prepared with reflectkit from the journal “{inline(doc.journal)}” on {words(doc.generated)}.",
        "",
        "The HCPC's standards for CPD ask you to keep a continuous, up-to-date and accurate "
        "record of your CPD activities. Each row is one part of the workbook you worked on, "
        "dated by the day of your first answer in it, or one entry of your CPD log. Times "
        "marked “about” are the workbook's suggested times, not measured ones.",
        "",
    ]
    if not rows:
        return "\n".join([*out, "There are no answers in this journal yet."]) + "\n"
    out += _table(rows)
    out += ["## Gaps", ""]
    found = gaps(rows, months)
    out += [f"- {g}" for g in found] or [
        f"No gaps of {number(months)} months or more between these activities."
    ]
    out += _since_last(rows, doc.generated, months)
    out += [
        "",
        "reflectkit could not fill in the rest of a CPD profile: a summary of your "
        "practice, and how your CPD meets the HCPC's standards. Write those yourself, "
        "without anything that could identify the people you work with.",
    ]
    return "\n".join(out) + "\n"
