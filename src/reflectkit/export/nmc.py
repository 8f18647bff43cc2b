"""An NMC reflective account, filled in from the journal.

NMC revalidation asks nurses and midwives for five written reflective accounts in each
three-year period, on the NMC's form. This exporter lays the journal out under the
form's four headings. Above every answer a ``From:`` line says which question it
answers, so the user can see (and change) how reflectkit mapped their words.

The helpers at the top are shared with the Social Work England record (:mod:`.swe`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reflectkit import sections
from reflectkit.content.models import Workbook
from reflectkit.export.common import describe, local_day
from reflectkit.export.document import Document, Part
from reflectkit.export.markdown import inline, quote
from reflectkit.journal.models import Answer, Unit
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

# English month names whatever the process locale (strftime's %B follows it).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# Question ids from the workbook (data/workbook.toml): stable, as the journal stores them.
IMMEDIATE = "immediate"
CONFIDENCE = "confidence-role"

EMPTY = "(Nothing in your journal fits here yet: write this part yourself.)"

Rule = Callable[[Unit, str, Answer], bool]


# -- shared with swe.py -----------------------------------------------------------------
@dataclass(frozen=True)
class Picked:
    """An answer chosen for a section of a form, with where it came from."""

    source: str
    question: str
    answer: Answer


def text_in(section: str, *ids: str, refs: Iterable[str] = ()) -> Rule:
    """Text answers in ``section`` (only ``refs``, only question ``ids``, when given)."""
    wanted_refs = set(refs)

    def rule(unit: Unit, qid: str, answer: Answer) -> bool:
        return (
            unit.section == section
            and (not ids or qid in ids)
            and (not wanted_refs or unit.ref in wanted_refs)
            and answer.kind == "text"
        )

    return rule


def case_text(*, immediate: bool) -> Rule:
    """Text answers to a case study: its immediate response, or its own questions."""

    def rule(unit: Unit, qid: str, answer: Answer) -> bool:
        return unit.section == "case" and answer.kind == "text" and (qid == IMMEDIATE) == immediate

    return rule


def source_of(part: Part, answer: Answer, workbook: Workbook | None) -> str:
    """'Case study 2, question 1': where an answer was given, numbered as the CLI numbers it."""
    return inline(sections.source(part.unit.key, answer.position, workbook))


def pick(doc: Document, workbook: Workbook | None, *rules: Rule) -> list[Picked]:
    """The non-empty answers any rule accepts, in the journal's order."""
    found = []
    for part in doc.parts:
        for qid, answer in part.answers:
            if isinstance(answer.value, str) and not answer.value.strip():
                continue
            if any(rule(part.unit, qid, answer) for rule in rules):
                found.append(Picked(source_of(part, answer, workbook), answer.question, answer))
    return found


def confidence_change(doc: Document, workbook: Workbook | None) -> list[Picked]:
    """The Stage 1 confidence rating and its repeat at the revisit, when both exist."""

    def rule(section: str, *refs: str) -> Rule:
        return lambda u, q, a: u.section == section and q == CONFIDENCE and (not refs or u.ref in refs)

    first = pick(doc, workbook, rule("stage", "1"))
    later = pick(doc, workbook, rule("revisit"))
    return [*first, *later] if first and later else []


def render_picked(picked: Sequence[Picked], *, empty: str) -> list[str]:
    """Each answer under a 'From:' line naming its question, as a block quote."""
    if not picked:
        return [empty, ""] if empty else []
    out: list[str] = []
    for item in picked:
        out += [
            f"From: {item.source} — {inline(item.question)}",
            "",
            quote(describe(item.answer)),
            "",
        ]
    return out


def activity_lines(doc: Document, workbook: Workbook | None) -> list[str]:
    """What the user worked through, as a list drawn from the workbook's own titles."""
    if not doc.parts:
        return []
    title = workbook.title if workbook else "reflectkit"
    out = [
        f"From the workbook: you worked through these parts of the reflective workbook “{inline(title)}”:",
        "",
    ]
    later = []
    weekly = sum(1 for p in doc.parts if p.unit.section == "reflection")
    if weekly:
        later.append(
            f"- {_count(weekly, 'weekly reflection')} on your own practice (What? So what? Now what?)."
        )
    for part in doc.parts:
        unit = part.unit
        if unit.section == "revisit":
            later.append(
                f"- A four-week revisit of what changed in your practice (cycle {inline(unit.ref)})."
            )
        elif unit.section in ("stage", "case"):
            case = workbook.case_by_id(unit.ref) if workbook and unit.section == "case" else None
            out.append(f"- {inline(part.title)}." + (f" {inline(case.summary)}" if case else ""))
    return [*out, *later, ""]


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def words(when: date) -> str:
    """'5 March 2026', in English whatever the process locale."""
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def day(moment: datetime | None) -> str:
    """A date in words: the user's local day, as every export dates answers."""
    return words(local_day(moment)) if moment else "(no answers yet)"


def span(doc: Document) -> str:
    """'5 January 2026 to 16 February 2026': the days the answers were written."""
    first, last = day(doc.first), day(doc.last)
    return first if first == last else f"{first} to {last}"


def header(title: str, doc: Document) -> list[str]:
    when = f"Answers written {span(doc)}." if doc.first else "There are no answers in this journal yet."
    return [
        f"# {title}",
        "",
        f"Prepared with reflectkit from the journal “{inline(doc.journal)}” on "
        f"{words(doc.generated)}. {when}",
        "",
    ]


def unused_note(doc: Document, used: Iterable[Picked]) -> str:
    """A line saying how many answers the form left out, or '' when none were."""
    chosen = {id(p.answer) for p in used}
    left = [a for a in doc.answers if id(a) not in chosen]
    if not left:
        return ""
    kinds = {
        "statements": ("choice of statements", "choices of statements"),
        "table": ("table", "tables"),
        "scale": ("rating", "ratings"),
        "text": ("written answer", "written answers"),
    }
    counts: dict[tuple[str, str], int] = {}
    for answer in left:
        empty = isinstance(answer.value, str) and not answer.value.strip()
        word = ("empty answer", "empty answers") if empty else kinds.get(answer.kind, ("answer", "answers"))
        counts[word] = counts.get(word, 0) + 1
    listed = ", ".join(count(n, *word) for word, n in counts.items())
    return f"- Not used here: {listed}. `reflectkit export` shows every answer."


# -- the NMC form -------------------------------------------------------------------------
def _sections(doc: Document, workbook: Workbook | None) -> list[list[Picked]]:
    nature = pick(doc, workbook, case_text(immediate=True), text_in("reflection", "what"))
    learnt = pick(
        doc,
        workbook,
        text_in("stage", refs=("1", "2")),
        case_text(immediate=False),
        text_in("reflection", "so-what"),
    )
    changed = pick(
        doc,
        workbook,
        text_in("reflection", "now-what"),
        text_in("revisit", "changed", "keep-doing", "what-made-the-difference"),
    )
    return [nature, learnt, changed + confidence_change(doc, workbook)]


def _themes(themes: Sequence[str]) -> list[str]:
    chosen = [t for t in CODE_THEMES if t in themes]
    if not chosen:
        return [*(f"- [ ] {t}" for t in CODE_THEMES), "", "(choose the themes that apply)", ""]
    return [
        "Themes you chose (kept in your reflectkit settings; change them with "
        "`reflectkit export --as nmc --themes 1,3`):",
        "",
        *(f"- [{'x' if t in chosen else ' '}] {t}" for t in CODE_THEMES),
        "",
    ]


def _reminders(doc: Document, sections: list[list[Picked]], themes: Sequence[str]) -> list[str]:
    names = ("the nature of the activity", "what you learnt", "how you changed your practice")
    missing = [
        f"{names[i]} (nothing in your journal fits it yet)"
        for i, found in enumerate(sections)
        if not found and (i or not doc.parts)
    ]
    if not any(t in CODE_THEMES for t in themes):
        missing.append("which themes of the Code apply")
    missing.append("how your reflection relates to the Code, in your own words")
    lines = [
        "**Before you use this account:**",
        "",
        "- It must not identify anyone. NMC guidance asks that reflective accounts hold no "
        "information that could identify a patient, a person you care for, a family or a "
        "colleague. Read every answer below with that in mind and edit it before you copy it "
        "into the NMC form.",
        "- reflectkit could not fill in: " + "; ".join(missing) + ".",
        "- Each quoted answer is in your own words, and the “From:” line above it says which "
        "question it answers. Shorten and edit freely.",
        "- NMC revalidation asks for five reflective accounts in each three-year period. "
        "For an account about one case study: `reflectkit export --as nmc --case N` "
        "(that leaves out the Stage 4 reflections, so add what changed yourself).",
    ]
    note = unused_note(doc, [p for found in sections for p in found])
    return [*lines, *([note] if note else []), ""]


def export(doc: Document, workbook: Workbook | None = None, *, themes: Sequence[str] = ()) -> str:
    """The NMC reflective account. ``themes`` are the Code themes the user chose."""
    sections = _sections(doc, workbook)
    out = header("NMC reflective account", doc) + _reminders(doc, sections, themes)
    for number, (heading, found) in enumerate(zip(HEADINGS[:3], sections, strict=True), start=1):
        out += [f"## {heading}", ""]
        if number == 1 and doc.parts:
            out += activity_lines(doc, workbook) + render_picked(found, empty="")
        else:
            out += render_picked(found, empty=EMPTY)
    out += [f"## {HEADINGS[3]}", "", *_themes(themes)]
    out += ["How this reflection relates to the Code (write this yourself: reflectkit cannot):", ""]
    return "\n".join(out).rstrip("\n") + "\n"
