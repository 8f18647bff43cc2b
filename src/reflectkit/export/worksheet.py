"""A printable worksheet for one case study, for a facilitator running a team session.

It needs no journal: the case study, its questions with room to write, suggested
timings, the sources, and notes for the facilitator (privacy, and the answers to the
true-or-false statements, kept at the end so they can be left off the handouts).
Questions are numbered as ``reflectkit case N --question K`` numbers them.
"""

from __future__ import annotations

from reflectkit.content.models import (
    CaseStudy,
    Question,
    ScaleQuestion,
    StatementsQuestion,
    TableQuestion,
    TextQuestion,
    Workbook,
    month_words,
)
from reflectkit.export.hcpc import cell
from reflectkit.export.markdown import inline
from reflectkit.textsafe import safe

# Rough minutes for a group to answer and talk over one question of each kind.
MINUTES = {"text": 5, "statements": 5, "table": 10, "scale": 5}
DISCUSSION_MINUTES = 10
WRITING_LINES = 6
RULE = "_" * 60

FOR_WHOM = {
    "social-work": "social workers",
    "health-visiting": "health visitors",
    "nursing": "nurses",
    "midwifery": "midwives",
    "primary-care": "GP practice (primary care) staff",
    "mental-health": "mental health workers",
    "education": "teachers and school staff",
    "housing": "housing staff",
    "community-work": "community workers",
}

PRIVACY = [
    "- Before you start, remind everyone not to name any family, child or colleague, and to "
    "leave out details that could point to one family: ages, schools, streets, dates, "
    "languages spoken in a small community.",
    "- When people share examples from their own work, ask for the pattern, not the family.",
    "- Completed worksheets may hold details of real work. Collect them at the end, or ask "
    "people to keep them as carefully as case notes, and shred spare copies. Do not photograph "
    "or scan them into shared folders.",
    "- If something shared raises a safeguarding concern, follow your usual procedures.",
]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reading_minutes(case: CaseStudy) -> int:
    """Time to read the case aloud or alone: about 40% of its solo time, to the nearest 5."""
    return max(5, 5 * round(case.minutes * 0.4 / 5))


def _timings(case: CaseStudy, questions: list[Question]) -> list[str]:
    rows = [("Read the case study", reading_minutes(case))]
    rows += [(f"Question {n}", MINUTES[q.kind]) for n, q in enumerate(questions, start=1)]
    rows.append(("Discussion: what will each of us do differently?", DISCUSSION_MINUTES))
    total = sum(m for _, m in rows)
    return [
        f"About {total} minutes in all (working alone, the case study takes about {case.minutes} minutes).",
        "",
        *(f"- {minutes} min: {what}" for what, minutes in rows),
        "",
    ]


def _demote(body: str) -> list[str]:
    """The case's own Markdown with its headings one level down, under ours."""
    out, fenced = [], False
    for line in safe(body).strip("\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return [*out, ""]


def _writing_area(lines: int = WRITING_LINES) -> list[str]:
    out: list[str] = []
    for _ in range(lines):
        out += [RULE, ""]
    return out


def _answer_space(question: Question) -> list[str]:
    if isinstance(question, StatementsQuestion):
        return [*(f"- [ ] {n}. {inline(s.text)}" for n, s in enumerate(question.statements, 1)), ""]
    if isinstance(question, TableQuestion):
        head = [question.row_header, *question.columns]
        out = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + " --- |" * len(head)]
        for row in question.rows:
            label = cell(row.label) + (" (example)" if row.example else "")
            cells = [cell(c) for c in row.example] or [" "] * len(question.columns)
            out.append("| " + " | ".join([label, *cells]) + " |")
        return [*out, "", "Notes:", "", *_writing_area(3)]
    if isinstance(question, ScaleQuestion):
        return [
            f"1 = {inline(question.low_label)}, 5 = {inline(question.high_label)}",
            "",
            "Circle one:   1   2   3   4   5",
            "",
            "Why?",
            "",
            *_writing_area(2),
        ]
    return _writing_area()


def _question(number: int, question: Question) -> list[str]:
    out = [
        f"### Question {number} (about {MINUTES[question.kind]} minutes)",
        "",
        safe(question.prompt),
        "",
    ]
    if question.help:
        out += [f"Hint: {safe(question.help)}", ""]
    return out + _answer_space(question)


def _answers(questions: list[Question]) -> list[str]:
    out = []
    for number, question in enumerate(questions, start=1):
        if isinstance(question, StatementsQuestion):
            out += [f"Question {number}:", ""]
            for i, s in enumerate(question.statements, start=1):
                feedback = inline(s.feedback)
                said = feedback.lower().startswith(("true", "false"))
                verdict = "" if said else ("True. " if s.true else "False. ")
                out.append(f"{i}. {inline(s.text)} {verdict}{feedback}")
            out.append("")
        elif isinstance(question, TextQuestion) and question.guidance:
            out += [f"Question {number}: {safe(question.guidance)}", ""]
        elif isinstance(question, TableQuestion) and any(c.strip() for r in question.rows for c in r.model):
            checked = f" (checked {month_words(question.checked)})" if question.checked else ""
            out += [f"Question {number}, answers to compare with{checked}:", ""]
            out.append("| " + " | ".join(cell(h) for h in (question.row_header, *question.columns)) + " |")
            out.append("|" + " --- |" * (len(question.columns) + 1))
            for row in question.rows:
                if any(c.strip() for c in row.model):
                    out.append("| " + " | ".join(cell(c) for c in (row.label, *row.model)) + " |")
            out.append("")
    return ["### Answers and points to compare", "", *out] if out else []


def _intro(case: CaseStudy, questions: list[Question]) -> list[str]:
    who = _join([FOR_WHOM.get(p, p) for p in case.professions])
    evidence = [f"About this case study: {inline(case.evidence_note)}", ""]
    return [
        f"# Team worksheet: case study {case.number}, {inline(case.title)}",
        "",
        f"For a team session with {who}, or anyone who works with families from a migrant, "
        "refugee or otherwise marginalised background.",
        "",
        inline(case.summary),
        "",
        "## Suggested timings",
        "",
        *_timings(case, questions),
        "## Facilitator's note on privacy",
        "",
        *PRIVACY,
        "",
        "## The case study",
        "",
        *(evidence if case.evidence_note else []),
        *_demote(case.body),
        *_rules(case),
    ]


def _rules(case: CaseStudy) -> list[str]:
    """Facts that change, as they stood when checked, and where to find today's rule."""
    if not case.current_rules:
        return []
    out = ["", "### Rules that change", ""]
    for rule in case.current_rules:
        out.append(
            f"- **{inline(rule.topic)}** (checked {month_words(rule.checked)}): {inline(rule.text)} "
            f"Today's rule: {inline(rule.where)}, {inline(rule.url)}"
        )
    return out


def render(case: CaseStudy, workbook: Workbook) -> str:
    """The worksheet for ``case`` as Markdown: printable, and the same every time."""
    questions = [*workbook.stage(3).prompts, *case.questions]
    out = [*_intro(case, questions), "## Questions", ""]
    for number, question in enumerate(questions, start=1):
        out += _question(number, question)
    out += ["## Sources", "", *(f"- {inline(s.citation)}" for s in case.sources), ""]
    out += [
        "## For the facilitator",
        "",
        "Keep this part for yourself, or leave it off the copies you hand out.",
        "",
        *_answers(questions),
    ]
    return "\n".join(out).rstrip("\n") + "\n"
