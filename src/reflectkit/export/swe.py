"""A Social Work England CPD record, filled in from the journal.

Social Work England's online CPD form asks for the type of activity, a description and
why it is relevant to your practice, the date, what you learnt, and the impact on your
practice and the people you work with; at least one record each registration year must
include peer reflection. Above each answer a ``From:`` line names the question it came
from. The peer reflection is left for the user: it happened outside reflectkit.
"""

from __future__ import annotations

from reflectkit.content.models import Workbook
from reflectkit.export.document import Document
from reflectkit.export.nmc import (
    EMPTY,
    Picked,
    activity_lines,
    case_text,
    confidence_change,
    header,
    pick,
    render_picked,
    span,
    text_in,
    unused_note,
)

HEADINGS = (
    "Type of CPD activity",
    "Description of the activity, and why it is relevant to your practice",
    "Date of the activity",
    "What you learnt",
    "The impact on your practice and on the people you work with",
    "Peer reflection",
)


def _activity_type(doc: Document) -> str:
    kinds = {p.unit.section for p in doc.parts}
    if "case" in kinds:
        kind = "Reflection on a case study and learning resource"
    elif "stage" in kinds:
        kind = "Reflection on a learning resource"
    else:
        kind = "Reflection on my own practice"
    if kinds & {"reflection", "revisit"} and kind != "Reflection on my own practice":
        kind += ", followed by weekly reflections on my own practice"
    return kind


def _sections(doc: Document, workbook: Workbook | None) -> list[list[Picked]]:
    relevance = pick(
        doc,
        workbook,
        text_in("stage", "relate", "similar-challenges", "impact"),
        text_in("reflection", "what"),
    )
    learnt = pick(
        doc,
        workbook,
        text_in("stage", "notes"),
        case_text(immediate=True),
        case_text(immediate=False),
        text_in("reflection", "so-what"),
    )
    impact = pick(
        doc,
        workbook,
        text_in("reflection", "now-what"),
        text_in("revisit", "changed", "keep-doing"),
    )
    return [relevance, learnt, impact + confidence_change(doc, workbook)]


def _reminders(doc: Document, sections: list[list[Picked]]) -> list[str]:
    names = (
        "why the activity is relevant to your practice",
        "what you learnt",
        "the impact on your practice",
    )
    missing = [
        f"{names[i]} (nothing in your journal fits it yet)"
        for i, found in enumerate(sections)
        if not found and (i or not doc.parts)
    ]
    missing.append("the peer reflection (the last section)")
    lines = [
        "**Before you use this record:**",
        "",
        "- Keep it anonymous. Social Work England asks that CPD records do not include "
        "anything that could identify the people you work with: no names, and no details that "
        "point to one family or colleague. Read every answer below with that in mind and edit it "
        "before you copy it into your online account.",
        "- reflectkit could not fill in: " + "; ".join(missing) + ".",
        "- Each quoted answer is in your own words, and the “From:” line above it says which "
        "question it answers. Shorten and edit freely.",
    ]
    note = unused_note(doc, [p for found in sections for p in found])
    return [*lines, *([note] if note else []), ""]


def _peer_reflection() -> list[str]:
    return [
        "Social Work England asks that, each registration year, at least one piece of the CPD "
        "you record includes peer reflection: what you learnt from discussing your learning "
        "with someone else. That could be a talk with a colleague, group supervision, "
        "supervision with your manager, or a reflective team meeting.",
        "",
        "reflectkit cannot fill this in. If you discussed this work with someone, note:",
        "",
        "- Who you discussed it with: their role only, never their name "
        "(for example “a colleague in my team” or “my supervisor”):",
        "- What you discussed:",
        "- What you learnt from the discussion, and what you will do because of it:",
        "",
    ]


def export(doc: Document, workbook: Workbook | None = None) -> str:
    """The Social Work England CPD record."""
    relevance, learnt, impact = sections = _sections(doc, workbook)
    out = header("Social Work England CPD record", doc) + _reminders(doc, sections)
    out += [f"## {HEADINGS[0]}", "", _activity_type(doc), ""]
    out += [f"## {HEADINGS[1]}", ""]
    out += activity_lines(doc, workbook) + render_picked(relevance, empty="" if doc.parts else EMPTY)
    when = f"{span(doc)} (the dates of your answers)" if doc.first else "(no answers yet)"
    out += [f"## {HEADINGS[2]}", "", when, ""]
    out += [f"## {HEADINGS[3]}", "", *render_picked(learnt, empty=EMPTY)]
    out += [f"## {HEADINGS[4]}", "", *render_picked(impact, empty=EMPTY)]
    out += [f"## {HEADINGS[5]}", "", *_peer_reflection()]
    return "\n".join(out).rstrip("\n") + "\n"
