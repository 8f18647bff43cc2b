"""Records for the regulators: the pieces every regulator's export shares, and the dated
learning record with hours for Social Care Wales, the SSSC and the NISCC.

Shared: dates in words, a header, answers picked for a form's sections (each shown under
a ``From:`` line naming the question it answers), and the dated rows of what was done,
from the journal's sections (with the workbook's suggested times) and from the CPD log
(with the time logged). The learning record is a table of those rows with hours; what each
regulator asks for is quoted from ``data/regulators/<id>.toml``, never written here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from reflectkit import sections
from reflectkit.content.models import Workbook, month_words
from reflectkit.export.common import describe, local_day
from reflectkit.export.document import Document, Part
from reflectkit.export.markdown import inline, quote
from reflectkit.journal.cpdlog import LogEntry, duration_words
from reflectkit.journal.models import Answer, Unit
from reflectkit.regulators import Regulator, load_regulators
from reflectkit.words import count, day_words

# format name -> (module, description), beside the table in reflectkit.export
# Question ids from the workbook (data/workbook.toml): stable, as the journal stores them.
IMMEDIATE = "immediate"
CONFIDENCE = "confidence-role"
WEEKLY_MINUTES = 5
REVISIT_MINUTES = 15
EMPTY = "(Nothing in your journal fits here yet: write this part yourself.)"

Rule = Callable[[Unit, str, Answer], bool]


def number(n: int) -> str:
    """'five' for 5, up to ten; digits after that."""
    small = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return small[n - 1] if 1 <= n <= len(small) else str(n)


# -- dates and the header ------------------------------------------------------------------
def words(when: date) -> str:
    """'5 March 2026', in English whatever the process locale."""
    return day_words(when)


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


# -- answers picked for a form ----------------------------------------------------------------
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


# notes, mapped by their reflective model --------------------------------------------------
@cache
def _model_parts() -> dict[str, dict[str, str]]:
    """For each built-in reflective model: its stage ids and the part of the form each feeds."""
    from reflectkit.content.reflective import load_builtin_models

    return {m.id: {s.id: s.nmc for s in m.stages if s.nmc} for m in load_builtin_models()}


def note_text(part_name: str) -> Rule:
    """Text answers in a note whose model says they feed ``part_name`` of the NMC form; a
    model reflectkit does not know puts them all under what was learnt."""

    def rule(unit: Unit, qid: str, answer: Answer) -> bool:
        if str(unit.section) != "note" or answer.kind != "text":
            return False
        model = getattr(getattr(unit, "note", None), "model", "")
        mapping = _model_parts().get(model)
        return (mapping.get(qid) if mapping is not None else "learning") == part_name

    return rule


def pick(doc: Document, workbook: Workbook | None, *rules: Rule) -> list[Picked]:
    """The non-empty answers any rule accepts, in the journal's order."""
    found = []
    for part in doc.parts:
        for qid, answer in part.answers:
            if isinstance(answer.value, str) and not answer.value.strip():
                continue
            if any(rule(part.unit, qid, answer) for rule in rules):
                source = inline(sections.source(part.unit.key, answer.position, workbook))
                found.append(Picked(source, answer.question, answer))
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
        out += [f"From: {item.source} — {inline(item.question)}", "", quote(describe(item.answer)), ""]
    return out


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


# -- dated rows: what was done, and when -------------------------------------------------------
@dataclass(frozen=True)
class Activity:
    """One row of a dated record. ``minutes`` is logged time, or the workbook's suggestion
    (``suggested``); None when neither is known."""

    when: date
    title: str
    done: str
    minutes: int | None
    suggested: bool = True
    case: int | None = None


def cell(text: str) -> str:
    """Text for one Markdown table cell: safe, on one line, its pipes and backslashes escaped."""
    return inline(text).replace("\\", "\\\\").replace("|", "\\|")


def _row(part: Part, workbook: Workbook | None) -> Activity:
    unit, answered = part.unit, len(part.answers)
    when = local_day(min(a.created for _, a in part.answers))
    if unit.section == "stage":
        known = workbook is not None and unit.ref in ("1", "2", "3", "4")
        minutes = workbook.stage(int(unit.ref)).minutes if workbook and known else None
        return Activity(
            when,
            part.title,
            f"Read this stage of the workbook and answered {count(answered, 'reflective question')}",
            minutes,
        )
    if unit.section == "case":
        case = workbook.case_by_id(unit.ref) if workbook else None
        if case is None or workbook is None:
            return Activity(
                when, part.title, f"Read the case study and answered {count(answered, 'question')}", None
            )
        total = len(workbook.stage(3).prompts) + len(case.questions)
        done = f"Read the case study and answered {answered} of its {total} questions"
        return Activity(when, part.title, done, case.minutes, case=case.number)
    if unit.section == "revisit":
        return Activity(
            when,
            part.title,
            "Looked back over four weeks of reflections at what had changed in my practice",
            REVISIT_MINUTES,
        )
    if unit.section == "reflection":
        done = "Wrote a short structured reflection on a moment in my practice (What? So what? Now what?)"
        return Activity(when, part.title, done, WEEKLY_MINUTES)
    minutes = getattr(getattr(unit, "note", None), "minutes", None)
    return Activity(when, part.title, "Wrote a reflection on an event in my practice", minutes)


def activities(
    doc: Document, workbook: Workbook | None = None, log: Sequence[LogEntry] = ()
) -> list[Activity]:
    """The record's rows, oldest first: the journal's sections, then the CPD log's entries.
    A case study the log also holds is shown once, as logged (its time was measured)."""
    logged = {e.case for e in log if e.case is not None}
    rows = [_row(p, workbook) for p in doc.parts if p.answers]
    rows = [r for r in rows if r.case is None or r.case not in logged]
    rows += [
        Activity(e.date, e.title, e.type[:1].upper() + e.type[1:], e.minutes, False, e.case) for e in log
    ]
    return sorted(rows, key=lambda a: a.when)


def time_spent(row: Activity) -> str:
    if row.minutes is None:
        return "not known"
    return f"about {duration_words(row.minutes)}" if row.suggested else duration_words(row.minutes)


# -- the learning record: Social Care Wales, the SSSC, the NISCC --------------------------------
def _rules_lines(regulator: Regulator) -> list[str]:
    """What the regulator asks for, quoted from its rules file, and where to confirm it."""
    return [
        *(f"- {inline(r.text)}" for r in regulator.requirements),
        "",
        f"reflectkit checked this in {month_words(regulator.checked)}; confirm it on "
        f"{regulator.short}'s own page: {regulator.page}",
        "",
    ]


def _totals(rows: list[Activity], regulator: Regulator) -> list[str]:
    logged = sum(r.minutes or 0 for r in rows if not r.suggested)
    suggested = sum(r.minutes or 0 for r in rows if r.suggested)
    out = [
        f"Time logged: {duration_words(logged)}. Workbook parts, at the workbook's suggested "
        f"times: about {duration_words(suggested)}."
    ]
    hours = next((r.target for r in regulator.requirements if r.measure == "cpd-hours"), None)
    if hours:
        who = regulator.short[:1].upper() + regulator.short[1:]
        out.append(
            f"{who} asks for {hours} hours in each {number(regulator.period.years)}-year registration period."
        )
    return out


def export(
    doc: Document, workbook: Workbook | None = None, *, log: Sequence[LogEntry] = (), regulator: str = "scw"
) -> str:
    """A dated learning record with hours, for ``regulator`` (scw, sssc or niscc)."""
    rules = load_regulators()[regulator]
    rows = activities(doc, workbook, log)
    out = [
        f"# Learning record for {rules.called}",
        "",
        f"Prepared with reflectkit from the journal “{inline(doc.journal)}” on {words(doc.generated)}.",
        "",
        *_rules_lines(rules),
    ]
    if not rows:
        return "\n".join([*out, "There is nothing in this journal or your CPD log yet."]) + "\n"
    out += [
        "| Date | Learning | What you did | Time | How it helped your practice |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {words(r.when)} | {cell(r.title)} | {cell(r.done)} | {time_spent(r)} |   |" for r in rows),
        "",
        *_totals(rows, rules),
        "",
        "Fill in the last column yourself: how each piece of learning helped your practice, "
        "without anything that could identify the people you work with.",
    ]
    return "\n".join(out) + "\n"
