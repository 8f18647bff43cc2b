"""Screens that read the workbook and the journal: where you stand, the case studies, one
case study, and a review of answers. They print; they never ask anything but a choice of
case study, and never save."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from reflectkit.cli import screens
from reflectkit.cli.state import State
from reflectkit.content.models import CaseStudy, Question, Source, Stage, Workbook
from reflectkit.export.common import describe_value
from reflectkit.flow import check_question_number, progress
from reflectkit.journal.cycles import current, read_cycles
from reflectkit.journal.models import Answer, Section
from reflectkit.journal.store import Journal, UnitScan, answered_ids
from reflectkit.paths import today
from reflectkit.textsafe import safe
from reflectkit.words import count

if TYPE_CHECKING:
    from reflectkit.export.document import LazyParts
    from reflectkit.journal.summary import Summary


def standing(st: State, jr: Journal) -> RenderableType:
    brief = jr.summary()
    prog = progress(st.workbook, brief.answered(), current(read_cycles(jr.path)), today())
    warn_damaged(st, brief)
    return screens.standing(prog)


def case_list(st: State, jr: Journal | None) -> RenderableType:
    answered = answered_ids(jr) if jr is not None else {}
    prog = progress(st.workbook, answered, None, today())
    return screens.case_list(st.workbook.case_studies, prog, plain=st.ui.plain, width=st.ui.out.width)


def pick_case(st: State, jr: Journal, *, intro: bool = True) -> CaseStudy | None:
    """Show the case studies and let the user choose one by number (Enter or /quit stops)."""
    if intro:
        st.ui.heading("Stage 3: choose a case study")
        st.ui.markdown(st.workbook.stage(3).body, paged=True)
    else:
        st.ui.heading("Another case study?")
    st.ui.out.print(case_list(st, jr))
    st.ui.require_input("Which case study would you like to work on?", instead="reflectkit case N")
    while True:
        reply = st.ui.read_line("Type a case study number (Enter or /quit to stop for now): ")
        typed = reply.text.strip()
        if reply.kind != "answer" or not typed:
            return None
        case = st.workbook.case(int(typed)) if (typed.isascii() and typed.isdigit()) else None
        if case is not None:
            return case
        numbers = ", ".join(str(c.number) for c in st.workbook.case_studies)
        st.ui.warn(f"{safe(typed)!r} is not one of the case studies: choose from {numbers}.")


def show_case(st: State, case: CaseStudy, *, reading: bool = True) -> None:
    """A case study's heading, what kind it is, its story, the rules that change and sources."""
    questions = len(st.workbook.stage(3).prompts) + len(case.questions)
    st.ui.heading(f"Case study {case.number}: {safe(case.title)}")
    st.ui.say(
        f"About {case.minutes} minutes, {count(questions, 'question')}. You can stop at any point "
        f"and carry on later: `reflectkit case {case.number}` picks up where you left off.",
        style="dim",
    )
    st.ui.say(safe(case.summary), style="italic")
    if case.composite:
        st.ui.say(safe(case.evidence_note), style="dim")
    if not reading:
        return
    st.ui.markdown(case.body, paged=True)
    st.ui.show(*screens.current_rules(case.current_rules))
    show_sources(st, case.sources)


def show_sources(st: State, sources: list[Source]) -> None:
    for line in screens.sources(sources):
        if isinstance(line, Text):  # a web address: never folded, so it can be copied whole
            st.ui.out.print(line, soft_wrap=True)
        else:
            st.ui.show(line)


def up_to_date(st: State, jr: Journal) -> RenderableType:
    from reflectkit.cli.schedule_text import schedule_items
    from reflectkit.schedule import plan_reminders

    lines: list[RenderableType] = [
        Text(""),
        Text("You are up to date: nothing is waiting for you.", style="bold green"),
    ]
    cycle = current(read_cycles(jr.path))
    if cycle is not None:
        plan = plan_reminders(cycle.started, today(), done=cycle.done, skipped=cycle.skipped)
        lines += [Text(line) for line in schedule_items(cycle, plan)]
    if not st.ui.interactive:
        lines.append(Text("You could try another case study: reflectkit case  (lists them)"))
    return Group(*lines)


def answer_view(answer: Answer, *, plain: bool, indent: int = 2) -> RenderableType:
    """One stored answer for the terminal: a table as a table, anything else as text."""
    from rich.padding import Padding

    if answer.kind == "table" and isinstance(answer.value, list):
        return Padding(screens.stored_table(answer, plain=plain), (0, 0, 0, indent))
    if plain:
        return Text(answer_text(answer, indent=indent))
    from reflectkit.export.common import describe

    # Wrapped lines keep the indent too, so an answer reads as one block.
    return Padding(Text(safe(describe(answer))), (0, 0, 0, indent))


def answer_text(answer: Answer, *, indent: int = 2) -> str:
    """A stored answer (other than a table) as safe, indented text."""
    from reflectkit.export.common import describe

    pad = " " * indent
    return "\n".join(pad + line for line in safe(describe(answer)).split("\n"))


def review(
    st: State,
    jr: Journal,
    section: Section,
    questions: list[Question],
    title: str,
    *,
    only: int | None = None,
) -> None:
    """Show the answers given so far, question by question (``only``: question K alone, as
    `--review --question K` asks). Asks nothing."""
    if only is not None:
        check_question_number(only, len(questions))
    st.ui.heading(f"Your answers: {safe(title)}")
    unit = jr.load(section)
    answers = unit.answers if unit else {}
    for index, question in enumerate(questions, start=1):
        if only is not None and index != only:
            continue
        st.ui.say(f"{index}. {question.prompt}", style="bold")
        answer = answers.get(question.id)
        if answer is None:
            st.ui.say("   (not answered yet)", style="dim")
            continue
        st.ui.out.print(answer_view(answer, plain=st.ui.plain, indent=3))
        stamp = answer.updated.astimezone().strftime("%d %b %Y %H:%M")
        notes = [f"answered {stamp}"]
        if answer.unfinished:
            notes.append("unfinished")
        if answer.needs_review:
            notes.append("marked for a privacy review")
        st.ui.say("   " + "; ".join(notes), style="dim")
        for number, old in enumerate(answer.history, start=1):
            when = old.replaced.astimezone().strftime("%d %b %Y")
            st.ui.say(f"   Earlier version {number} (replaced {when}):", style="dim")
            st.ui.user_text(describe_value(answer, old.value), indent=5)
        if answer.history:
            st.ui.say(
                f"   To remove one: reflectkit journal forget {_part_options(st, section)} "
                f"--question {index} --earlier V",
                style="dim",
            )


def warn_damaged(st: State, scan: UnitScan | Summary | LazyParts) -> bool:
    """Name each file a scan could not read (after the rest was used), and how to mend it.
    Returns whether any was left out."""
    for damaged in scan.damaged:
        st.ui.warn(f"Left out: {damaged.error}")
    return bool(scan.damaged)


def marked_for_review(st: State, jr: Journal) -> None:
    """A word about answers still marked for a privacy review, and where they are."""
    from reflectkit import sections

    marked = jr.summary().marked()
    if not marked:
        return
    section, _, position = marked[0]
    command = sections.reopen(section, position, st.workbook)
    st.ui.warn(
        f"{count(len(marked), 'answer is', 'answers are')} still marked for a privacy review "
        f"(they may identify someone). `reflectkit check` lists them; to change the first: {command}"
    )


def _part_options(st: State, section: Section) -> str:
    """The options of `journal forget` that name a part."""
    if section.kind == "case":
        from reflectkit import sections

        return f"--case {sections.kind_of(section).number(section.ref, st.workbook)}"
    if section.kind == "reflection":
        cycle, _, week = section.ref.partition("-week-")
        return f"--week {week} --cycle {cycle}"
    if section.kind == "revisit":
        return f"--revisit --cycle {section.ref}"
    return f"--{section.kind} {section.ref}"


def show_stage_reading(st: State, stage: Stage) -> None:
    """A stage's reading, then the rules in it that change and its sources."""
    st.ui.markdown(stage.body, paged=True)
    st.ui.show(*screens.current_rules(stage.current_rules))
    if stage.sources:
        show_sources(st, stage.sources)


def stage_heading(wb: Workbook, number: int) -> str:
    """A stage's heading with the time it asks for. Stage 3's case studies and Stage 4's
    weeks take longer than their reading, and the heading says so."""
    stage = wb.stage(number)
    if number == 3 and wb.case_studies:
        times = sorted(c.minutes for c in wb.case_studies)
        each = f"{times[0]} to {times[-1]}" if times[0] != times[-1] else str(times[0])
        return (
            f"Stage 3: {stage.title}  (about {stage.minutes} minutes to read, "
            f"then about {each} minutes for each case study)"
        )
    if number == 4:
        from reflectkit.schedule import REVISIT_MINUTES, WEEKLY_MINUTES

        return (
            f"Stage 4: {stage.title}  ({WEEKLY_MINUTES} minutes a week for four weeks, "
            f"then a {REVISIT_MINUTES}-minute revisit)"
        )
    return f"Stage {number}: {stage.title}  (about {stage.minutes} minutes)"
