"""Screens shared by several commands: where you stand, the case table, a case study,
a review of answers, the Stage 4 schedule."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from reflectkit.answering import InputProblem, parse_piped
from reflectkit.cli.ask import Asker
from reflectkit.cli.state import State
from reflectkit.content.models import CaseStudy, Question
from reflectkit.errors import UsageError
from reflectkit.export.common import describe
from reflectkit.flow import progress
from reflectkit.journal.cycles import current, read_cycles
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, answered_ids
from reflectkit.paths import today
from reflectkit.textsafe import safe


def table(st: State, *columns: str) -> Table:
    """A table that is plain in --plain mode (no box drawing)."""
    return Table(
        *columns,
        box=None if st.ui.plain else box.SIMPLE_HEAVY,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )


def standing(st: State, jr: Journal) -> None:
    """One short summary: stages done, case studies done, what comes next."""
    wb = st.workbook
    prog = progress(wb, answered_ids(jr), current(read_cycles(jr.path)), today())
    stages = ", ".join(f"Stage {n}: {d}/{t}" for n, (d, t) in prog.stages.items())
    started = sum(1 for d, _ in prog.cases.values() if d)
    st.ui.say(
        f"Where you are: {stages}; case studies: {prog.cases_complete} done, "
        f"{started - prog.cases_complete} started, of {len(prog.cases)}.",
        style="dim",
    )


def _professions(names: Sequence[str], limit: int = 2) -> str:
    shown = ", ".join(n.replace("-", " ") for n in names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


def case_table(st: State, jr: Journal) -> None:
    """The case studies with the user's progress: a table, or a list in --plain mode."""
    wb = st.workbook
    prog = progress(wb, answered_ids(jr), None, today())
    grid = table(st, "No.", "Case study", "For", "Mins", "Your progress")
    for case in wb.case_studies:
        done, total = prog.cases[case.number]
        title = safe(case.title) + (" (local)" if case.local else "")
        status = "done" if done == total else (f"{done} of {total}" if done else "not started")
        if st.ui.plain or st.ui.width < 64:  # a list reads better than a cramped table
            who = ", ".join(p.replace("-", " ") for p in case.professions)
            st.ui.out.print(Text(f"{case.number}. {title} ({case.minutes} minutes; {status}). For: {who}."))
        else:
            grid.add_row(
                str(case.number), Text(title), Text(_professions(case.professions)), str(case.minutes), status
            )
    if not st.ui.plain and st.ui.width >= 64:
        st.ui.out.print(grid, width=st.ui.width)
        st.ui.say("(+N: and N more professions)", style="dim")


def pick_case(st: State, jr: Journal, *, intro: bool = True) -> CaseStudy | None:
    """Show the case table and let the user choose one by number (Enter stops)."""
    if intro:
        st.ui.heading("Stage 3: choose a case study")
        st.ui.markdown(st.workbook.stage(3).body, paged=True)
    else:
        st.ui.heading("Another case study?")
    case_table(st, jr)
    st.ui.require_input("Which case study would you like to work on?")
    while True:
        typed = st.ui.ask("Type a case study number (Enter to stop for now): ").strip()
        if not typed:
            return None
        case = st.workbook.case(int(typed)) if (typed.isascii() and typed.isdigit()) else None
        if case is not None:
            return case
        numbers = ", ".join(str(c.number) for c in st.workbook.case_studies)
        st.ui.warn(f"{typed!r} is not one of the case studies: choose from {numbers}.")


def show_case(st: State, case: CaseStudy) -> None:
    st.ui.heading(f"Case study {case.number}: {safe(case.title)}  (about {case.minutes} minutes)")
    st.ui.say(safe(case.summary), style="italic")
    if case.composite:
        st.ui.say(safe(case.evidence_note), style="dim")
    st.ui.markdown(case.body, paged=True)
    st.ui.say("Sources:", style="dim")
    for source in case.sources:
        text, _, _ = safe(source.citation).partition("http")
        link = source.url or (f"https://doi.org/{source.doi}" if source.doi else "")
        text = re.sub(r"[\s,.]*available at:?\s*$", "", text, flags=re.IGNORECASE).strip()
        st.ui.say(f"- {text}", style="dim")
        if link:  # on a line of its own, not folded, so it can be copied whole
            st.ui.out.print(Text(f"  {safe(link)}", style="dim"), soft_wrap=True)


def review(st: State, jr: Journal, section: Section, questions: list[Question], title: str) -> None:
    """Show the answers given so far, question by question. Asks nothing."""
    st.ui.heading(f"Your answers: {safe(title)}")
    unit = jr.load(section)
    answers = unit.answers if unit else {}
    for index, question in enumerate(questions, start=1):
        st.ui.say(f"{index}. {question.prompt}", style="bold")
        answer = answers.get(question.id)
        if answer is None:
            st.ui.say("   (not answered yet)", style="dim")
            continue
        st.ui.user_text(describe(answer), indent=3)
        stamp = answer.updated.astimezone().strftime("%d %b %Y %H:%M")
        earlier = f"; {len(answer.history)} earlier version(s) kept" if answer.history else ""
        st.ui.say(f"   answered {stamp}{earlier}", style="dim")


def store_piped(
    st: State, asker: Asker, section: Section, question: Question, position: int, raw: bytes
) -> None:
    """Store all of stdin, exactly, as the answer to one question."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"The text piped in is not UTF-8 (byte {exc.start}); nothing was saved.") from exc
    if not text.strip():
        raise UsageError("Nothing was piped in, so nothing was saved.")
    try:
        value, score = parse_piped(question, text)
    except InputProblem as exc:
        raise UsageError(f"{exc} Nothing was saved.") from exc
    asker.save(section, question, value, score=score, position=position)
    st.ui.err.print(Text(f"Saved your answer to: {question.prompt}"))
    if isinstance(value, str):
        from reflectkit.privacy import find_identifiers

        for finding in find_identifiers(value, names=st.config().names):
            st.ui.warn(f"This answer may identify someone: {finding.reason}")


def schedule(st: State, jr: Journal) -> None:
    """The Stage 4 schedule as a table, or how to start it."""
    from reflectkit.cli.stage4_cmd import schedule_table

    schedule_table(st, jr)


def all_done(st: State, jr: Journal) -> None:
    st.ui.say()
    st.ui.say("You are up to date: nothing is waiting for you.", style="bold green")
    schedule(st, jr)
    if not st.ui.interactive:
        st.ui.say("You could try another case study: reflectkit case  (lists them)")
