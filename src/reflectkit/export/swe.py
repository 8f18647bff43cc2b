"""Social Work England CPD records, one per activity, filled in from the journal.

Social Work England's online CPD form asks for the type of activity, a description and
why it is relevant to your practice, the date, what you learnt, and the impact on your
practice and the people you work with; at least one record each registration year must
include peer reflection. An activity is what :func:`reflectkit.export.nmc.activities`
finds: a case study with the reflections after it, a stage, a note. Above each answer a
``From:`` line names the question it came from. The peer reflection happened outside
reflectkit: a CPD log entry for the activity that says whom it was talked over with is
quoted, and the rest is left for the user. The figures come from
``data/regulators/swe.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reflectkit.content.models import Workbook
from reflectkit.export.document import Document
from reflectkit.export.markdown import inline
from reflectkit.export.nmc import Activity, activities, describe_activity, target
from reflectkit.export.records import (
    EMPTY,
    Picked,
    case_text,
    confidence_change,
    header,
    note_text,
    number,
    pick,
    render_picked,
    span,
    text_in,
    unused_note,
    words,
)
from reflectkit.journal.cpdlog import LogEntry
from reflectkit.regulators import Regulator, load_regulators

HEADINGS = (
    "Type of CPD activity",
    "Description of the activity, and why it is relevant to your practice",
    "Date of the activity",
    "What you learnt",
    "The impact on your practice and on the people you work with",
    "Peer reflection",
)


def _activity_type(doc: Document) -> str:
    kinds = {str(p.unit.section) for p in doc.parts}
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
        note_text("nature"),
    )
    learnt = pick(
        doc,
        workbook,
        text_in("stage", "notes"),
        case_text(immediate=True),
        case_text(immediate=False),
        text_in("reflection", "so-what"),
        note_text("learning"),
    )
    impact = pick(
        doc,
        workbook,
        text_in("reflection", "now-what"),
        text_in("revisit", "changed", "keep-doing"),
        note_text("change"),
    )
    return [relevance, learnt, impact + confidence_change(doc, workbook)]


def _reminders(doc: Document, found: list[list[Picked]]) -> list[str]:
    names = (
        "why the activity is relevant to your practice",
        "what you learnt",
        "the impact on your practice",
    )
    missing = [
        f"{names[i]} (nothing in your journal fits it yet)"
        for i, picked in enumerate(found)
        if not picked and (i or not doc.parts)
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
    note = unused_note(doc, [p for picked in found for p in picked])
    return [*lines, *([note] if note else []), ""]


def _peer_reflection(act: Activity | None, log: Sequence[LogEntry], swe: Regulator) -> list[str]:
    talks = [
        e for e in log if act is not None and act.case is not None and e.case == act.case and e.with_whom
    ]
    said = [
        f"From your CPD log: on {words(e.date)} you talked it over with {inline(e.with_whom)}." for e in talks
    ]
    return [
        "Social Work England asks that, each registration year, at least "
        f"{number(target(swe, 'peer-reflection'))} of the {number(target(swe, 'records'))} or more pieces "
        "of CPD you record includes peer reflection: what you learnt from discussing your learning "
        "with someone else. That could be a talk with a colleague, group supervision, supervision "
        "with your manager, or a reflective team meeting.",
        "",
        *[line for s in said for line in (s, "")],
        "reflectkit cannot fill this in. If you discussed this work with someone, note:",
        "",
        "- Who you discussed it with: their role only, never their name "
        "(for example “a colleague in my team” or “my supervisor”):",
        "- What you discussed:",
        "- What you learnt from the discussion, and what you will do because of it:",
        "",
    ]


def record(
    doc: Document,
    workbook: Workbook | None = None,
    *,
    act: Activity | None = None,
    log: Sequence[LogEntry] = (),
    swe: Regulator | None = None,
) -> list[str]:
    """One CPD record, as lines, for ``doc`` narrowed to the activity ``act``."""
    swe = swe or load_regulators()["swe"]
    relevance, learnt, impact = found = _sections(doc, workbook)
    title = (
        f"Social Work England CPD record: {inline(act.title)}" if act else "Social Work England CPD record"
    )
    out = header(title, doc) + _reminders(doc, found)
    out += [f"## {HEADINGS[0]}", "", _activity_type(doc), ""]
    out += [f"## {HEADINGS[1]}", ""]
    out += (describe_activity(act, workbook, log) if act else []) + render_picked(
        relevance, empty="" if act else EMPTY
    )
    when = f"{span(doc)} (the dates of your answers)" if doc.first else "(no answers yet)"
    out += [f"## {HEADINGS[2]}", "", when, ""]
    out += [f"## {HEADINGS[3]}", "", *render_picked(learnt, empty=EMPTY)]
    out += [f"## {HEADINGS[4]}", "", *render_picked(impact, empty=EMPTY)]
    return [*out, f"## {HEADINGS[5]}", "", *_peer_reflection(act, log, swe)]


def export(
    doc: Document,
    workbook: Workbook | None = None,
    *,
    log: Sequence[LogEntry] = (),
    after_case: Mapping[str, str] | None = None,
) -> str:
    """One Social Work England CPD record per activity in ``doc``, each on its own page."""
    swe = load_regulators()["swe"]
    acts = activities(doc, workbook, after_case=after_case)
    pages = [record(a.document(doc), workbook, act=a, log=log, swe=swe) for a in acts]
    pages = pages or [record(doc, workbook, swe=swe)]
    return "\n---\n\n".join("\n".join(page).strip("\n") + "\n" for page in pages)
