"""NMC reflective accounts, one activity at a time, and the CPD log as the NMC's CPD record.

NMC revalidation asks for written reflective accounts on the NMC's form, each about one
piece of CPD, one piece of practice-related feedback, or one event or experience in your
practice: four headings, the last with the Code's four themes. An activity here is a case
study with the Stage 4 reflections that followed it, a stage of the workbook, or a note;
given several, the exporter writes one account for each. Above every answer a ``From:``
line says which question it answers, so how reflectkit mapped the user's words is in plain
view. The CPD log follows, as the NMC's CPD record: date, method, topic, hours and
participatory hours. The figures (five accounts, 35 hours, 20 of them participatory) come
from ``data/regulators/nmc.toml``, never from here.

The shared pieces (picking answers, dates, rows) are in :mod:`.records`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from reflectkit.content.models import Workbook
from reflectkit.errors import NotFoundError
from reflectkit.export import records
from reflectkit.export.document import Document, Part
from reflectkit.export.markdown import inline
from reflectkit.export.records import (
    Picked,
    case_text,
    cell,
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
from reflectkit.journal.cpdlog import LogEntry, duration_words
from reflectkit.regulators import Regulator, load_regulators
from reflectkit.words import count

CODE_THEMES = (
    "Prioritise people",
    "Practise effectively",
    "Preserve safety",
    "Promote professionalism and trust",
)
HEADINGS = (
    "What was the nature of the CPD activity and/or practice-related feedback and/or event "
    "or experience in your practice?",
    "What did you learn from the CPD activity and/or feedback and/or event or experience in your practice?",
    "How did you change or improve your practice as a result?",
    "How is this relevant to the Code? Select one or more themes: " + " – ".join(CODE_THEMES),
)

EMPTY = records.EMPTY


# -- activities ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Activity:
    """What one account is about: its parts (a case study and the reflections after it)."""

    key: str
    title: str
    parts: tuple[Part, ...]
    case: int | None = None

    def document(self, doc: Document) -> Document:
        """``doc`` narrowed to this activity."""
        return Document(doc.journal, doc.generated, list(self.parts))


def _cycle(part: Part) -> str | None:
    """The Stage 4 cycle a weekly reflection or revisit belongs to; None for other parts."""
    if part.unit.section == "reflection":
        return part.unit.ref.partition("-")[0]
    return part.unit.ref if part.unit.section == "revisit" else None


def activities(
    doc: Document, workbook: Workbook | None, *, after_case: Mapping[str, str] | None = None
) -> list[Activity]:
    """The activities in ``doc``, in its order. Stage 4 reflections go with the case study
    their cycle followed (``after_case``: cycle number to case id) when it is in ``doc``."""
    groups: dict[str, list[Part]] = {}
    for part in doc.parts:
        cycle = _cycle(part)
        key = f"{part.unit.section}-{part.unit.ref}"
        if cycle is not None:
            followed = f"case-{(after_case or {}).get(cycle, '')}"
            key = followed if followed in groups else f"cycle-{cycle}"
        groups.setdefault(key, []).append(part)
    found = []
    for key, parts in groups.items():
        lead = parts[0]
        case = workbook.case_by_id(lead.unit.ref) if workbook and lead.unit.section == "case" else None
        title = (
            f"Stage 4 weekly reflections (cycle {_cycle(lead)})" if key.startswith("cycle-") else lead.title
        )
        found.append(Activity(key, title, tuple(parts), case.number if case else None))
    return found


def _what_it_was(act: Activity, workbook: Workbook | None) -> str:
    lead = act.parts[0]
    answered = len(lead.answers)
    book = f"the reflective workbook “{inline(workbook.title if workbook else 'reflectkit')}”"
    when = span(Document("", date.min, [lead]))
    case = workbook.case_by_id(lead.unit.ref) if workbook and lead.unit.section == "case" else None
    if case and workbook:
        total = len(workbook.stage(3).prompts) + len(case.questions)
        return (
            f"I read case study {case.number}, “{inline(case.title)}”, in {book}, and answered "
            f"{answered} of its {total} questions ({when}). {inline(case.summary)}"
        )
    if lead.unit.section == "stage":
        asked = count(answered, "reflective question")
        return f"I read {inline(lead.title)}, in {book}, and answered {asked} ({when})."
    if lead.unit.section == "note":
        title = getattr(getattr(lead.unit, "note", None), "title", "") or lead.title
        return f"A reflection on an event or experience in my practice: “{inline(title)}” ({when})."
    return ""


def describe_activity(act: Activity, workbook: Workbook | None, log: Sequence[LogEntry]) -> list[str]:
    """What the activity was, drafted in the first person from what the journal knows."""
    text = _what_it_was(act, workbook)
    weekly = sum(1 for p in act.parts if p.unit.section == "reflection")
    if weekly:
        revisit = any(p.unit.section == "revisit" for p in act.parts)
        text += (
            f" Over four weeks I wrote {count(weekly, 'short weekly reflection')} on moments in my own "
            "practice (What? So what? Now what?)"
            + (", then looked back at what had changed." if revisit else ".")
        )
    for e in log:
        if act.case is not None and e.case == act.case:
            others = "with others" if e.participatory else "on my own"
            text += f" In my CPD log: {words(e.date)}, {duration_words(e.minutes)}, {others}."
    return ["Drafted by reflectkit from your journal; change it freely:", "", text.strip(), ""]


# -- the NMC form ---------------------------------------------------------------------------------
def _sections(doc: Document, workbook: Workbook | None) -> list[list[Picked]]:
    nature = pick(doc, workbook, text_in("reflection", "what"), note_text("nature"))
    learnt = pick(
        doc,
        workbook,
        text_in("stage", refs=("1", "2")),
        case_text(immediate=True),
        case_text(immediate=False),
        text_in("reflection", "so-what"),
        note_text("learning"),
    )
    changed = pick(
        doc,
        workbook,
        text_in("reflection", "now-what"),
        text_in("revisit", "changed", "keep-doing", "what-made-the-difference"),
        note_text("change"),
    )
    code = pick(doc, workbook, note_text("code"))
    return [nature, learnt, changed + confidence_change(doc, workbook), code]


def _themes(themes: Sequence[str], code: list[Picked]) -> list[str]:
    chosen = [t for t in CODE_THEMES if t in themes]
    boxes = [f"- [{'x' if t in chosen else ' '}] {t}" for t in CODE_THEMES]
    if chosen:
        out = [
            "Themes you chose (kept in your reflectkit settings; change them with "
            "`reflectkit export --as nmc --themes 1,3`):",
            "",
            *boxes,
            "",
        ]
    else:
        out = [*boxes, "", "(choose the themes that apply)", ""]
    if code:
        return out + render_picked(code, empty="")
    return [*out, "How this reflection relates to the Code (write this yourself: reflectkit cannot):", ""]


def rules(regulator: Regulator | None = None) -> Regulator:
    """The NMC's rules, as shipped in ``data/regulators/nmc.toml``."""
    return regulator or load_regulators()["nmc"]


def target(regulator: Regulator, measure: str) -> int:
    """The figure a regulator sets for ``measure`` (0 if it sets none)."""
    return next((r.target or 0 for r in regulator.requirements if r.measure == measure), 0)


def _missing(doc: Document, found: list[list[Picked]], themes: Sequence[str]) -> list[str]:
    names = ("the nature of the activity", "what you learnt", "how you changed your practice")
    missing = [
        f"{names[i]} (nothing in your journal fits it yet)"
        for i, picked in enumerate(found[:3])
        if not picked and (i or not doc.parts)
    ]
    if not any(t in CODE_THEMES for t in themes):
        missing.append("which themes of the Code apply")
    if not found[3]:
        missing.append("how your reflection relates to the Code, in your own words")
    return missing


def _reminders(doc: Document, found: list[list[Picked]], themes: Sequence[str], nmc: Regulator) -> list[str]:
    lines = [
        "**Before you use this account:**",
        "",
        "- It must not identify anyone. NMC guidance asks that reflective accounts hold no "
        "information that could identify a patient, a person you care for, a family or a "
        "colleague. Read every answer below with that in mind and edit it before you copy it "
        "into the NMC form.",
        "- reflectkit could not fill in: " + "; ".join(_missing(doc, found, themes)) + ".",
        "- Each quoted answer is in your own words, and the “From:” line above it says which "
        "question it answers. Shorten and edit freely.",
        f"- This is one of the {number(target(nmc, 'accounts'))} written reflective accounts the NMC "
        f"asks for in each {number(nmc.period.years)}-year period, each about one activity, piece of "
        "feedback or event. You talk them through in a reflective discussion with another NMC registrant.",
    ]
    note = unused_note(doc, [p for picked in found for p in picked])
    return [*lines, *([note] if note else []), ""]


def account(
    doc: Document,
    workbook: Workbook | None = None,
    *,
    themes: Sequence[str] = (),
    log: Sequence[LogEntry] = (),
    act: Activity | None = None,
    nmc: Regulator | None = None,
) -> list[str]:
    """One reflective account, as lines, for ``doc`` narrowed to the activity ``act``."""
    nmc = rules(nmc)
    found = _sections(doc, workbook)
    title = f"NMC reflective account: {inline(act.title)}" if act else "NMC reflective account"
    out = header(title, doc) + _reminders(doc, found, themes, nmc)
    for place, (heading, picked) in enumerate(zip(HEADINGS[:3], found, strict=False), start=1):
        out += [f"## {heading}", ""]
        if place == 1 and act:
            out += describe_activity(act, workbook, log) + render_picked(picked, empty="")
        else:
            out += render_picked(picked, empty=EMPTY)
    return [*out, f"## {HEADINGS[3]}", "", *_themes(themes, found[3])]


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def cpd_record(log: Sequence[LogEntry], nmc: Regulator | None = None) -> list[str]:
    """The CPD log laid out as the NMC's CPD record, as lines."""
    nmc = rules(nmc)
    out = [
        "# CPD record for NMC revalidation",
        "",
        f"The NMC asks for {target(nmc, 'cpd-hours')} hours of CPD in the {number(nmc.period.years)} "
        f"years to your renewal date, at least {target(nmc, 'participatory-hours')} of them participatory "
        "(learning with other professionals). Keep evidence of each activity, and fill in the part "
        "of the Code it relates to.",
        "",
    ]
    if not log:
        return [*out, "Your CPD log has no entries yet: add them with `reflectkit log add`."]
    out += [
        "| Date | Method | Topic | Link to the Code | Hours | Participatory hours |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in log:
        shared = _hours(e.minutes) if e.participatory else "0"
        out.append(
            f"| {words(e.date)} | {cell(e.type)} | {cell(e.title)} |   | {_hours(e.minutes)} | {shared} |"
        )
    total = _hours(sum(e.minutes for e in log))
    shared_total = _hours(sum(e.minutes for e in log if e.participatory))
    return [*out, "", f"Total: {total} hours, {shared_total} of them participatory."]


def export(
    doc: Document,
    workbook: Workbook | None = None,
    *,
    themes: Sequence[str] = (),
    log: Sequence[LogEntry] = (),
    after_case: Mapping[str, str] | None = None,
) -> str:
    """One reflective account per activity in ``doc``, each on its own page, then the CPD record.

    ``themes`` are the Code themes the user chose; ``log`` the CPD log's entries;
    ``after_case`` maps a Stage 4 cycle to the case study it followed.
    """
    nmc = rules()
    acts = activities(doc, workbook, after_case=after_case)
    pages = [account(a.document(doc), workbook, themes=themes, log=log, act=a, nmc=nmc) for a in acts]
    pages = pages or [account(doc, workbook, themes=themes, nmc=nmc)]
    pages.append(cpd_record(log, nmc))
    return "\n---\n\n".join("\n".join(page).strip("\n") + "\n" for page in pages)


def _flag(act: Activity) -> str:
    """The option that picks ``act`` out of a journal."""
    kind, _, ref = act.key.partition("-")
    if kind == "case" and act.case is not None:
        return f"--case {act.case}"
    return {"stage": f"--stage {ref}", "note": f"--note {ref}"}.get(kind, "--stage 4")


def choices(acts: Sequence[Activity]) -> str:
    """'--case 2 (Case study 2: ...); --stage 1 (...)': how to choose each activity."""
    return "; ".join(f"{_flag(a)} ({inline(a.title)})" for a in acts)


def select(acts: Sequence[Activity], *, case: int | None = None) -> Activity | None:
    """The activity for case study ``case``, or the only one; None when there is a choice.

    Raises:
        NotFoundError: ``case`` was given, and nothing in it has been answered.
    """
    if case is not None:
        found = next((a for a in acts if a.case == case), None)
        if found is None:
            raise NotFoundError(
                f"You have not answered anything in case study {case} yet, so nothing was exported."
            )
        return found
    return acts[0] if len(acts) == 1 else None
