"""The journey through the workbook, shared by `start`, `stage`, `case`, `reflect` and
`revisit`: the questions a part asks, answers given from a pipe or a file, what is said when
a part ends, and the start of Stage 4."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from reflectkit import drafts, sections
from reflectkit.answering import InputProblem, parse_piped, text_from_bytes
from reflectkit.cli import interrupts
from reflectkit.cli.asking import Asker, Item, Outcome, Stopped, ask_in_turn, stopped_for_now
from reflectkit.cli.schedule_text import schedule_table
from reflectkit.cli.state import State
from reflectkit.content.models import CaseStudy, Question, Workbook
from reflectkit.errors import UsageError
from reflectkit.flow import case_complete, case_questions, case_section, check_question_number, stage_section
from reflectkit.journal import cycles, lifecycle
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, answered_ids
from reflectkit.paths import today
from reflectkit.words import count


def items_for(section: Section, questions: list[Question], label: str) -> list[Item]:
    total = len(questions)
    return [Item(section, q, i, f"{label}, question {i + 1} of {total}") for i, q in enumerate(questions)]


def stage_items(wb: Workbook, number: int) -> list[Item]:
    stage = wb.stage(number)
    total = len(stage.prompts)
    return [
        Item(stage_section(number), q, i, f"Stage {number}, prompt {i + 1} of {total}")
        for i, q in enumerate(stage.prompts)
    ]


def case_items(wb: Workbook, case: CaseStudy) -> list[Item]:
    return items_for(case_section(case), case_questions(wb, case), f"Case study {case.number}")


def still_open(jr: Journal, items: list[Item]) -> list[Item]:
    """The questions of one part not yet answered (unfinished ones included), in order."""
    unit = jr.load(items[0].section) if items else None
    done = {k for k, a in unit.answers.items() if not a.unfinished} if unit else set()
    return [item for item in items if item.question.id not in done]


def ask_open(st: State, jr: Journal, items: list[Item], *, editor: bool, carry_on: str) -> Outcome:
    """Ask every question not yet answered (unfinished ones included), in order."""
    open_items = still_open(jr, items)
    if not open_items:
        return "answered"
    outcome = ask_in_turn(Asker(st, jr, editor=editor), open_items)
    if outcome == "quit":
        stopped_for_now(st, carry_on)
    return outcome


def keeps_typing(
    st: State, jr: Journal, items: list[Item], number: int | None = None
) -> Callable[[str], None]:
    """For ``st.ui.leading_to``: words typed on the pages before a part's questions, when the
    run is stopped on one, are kept for question ``number`` (1-based), else for the first
    question still open (see :meth:`Asker.keeps_typing_for`)."""

    def keep(typed: str) -> None:
        if number is not None:
            chosen = items[number - 1 : number] if 1 <= number <= len(items) else []
        else:
            chosen = still_open(jr, items)
        keeper = Asker(st, jr).keeps_typing_for(chosen)
        if keeper is not None:
            keeper(typed)

    return keep


def answer_one(
    st: State, jr: Journal, items: list[Item], number: int, *, editor: bool, source: Path | None
) -> None:
    """Answer question ``number`` (1-based): from a file, from all of piped stdin, or asked."""
    check_question_number(number, len(items))
    item = items[number - 1]
    if source is not None:
        try:
            raw = source.read_bytes()
        except OSError as exc:
            raise UsageError(f"Could not read {source}: {exc.strerror or exc}; nothing was saved.") from None
        store_given(st, jr, item, raw, str(source))
    elif not sys.stdin.isatty():  # an answer piped in: store it, --no-input or not
        try:
            raw = sys.stdin.buffer.read()
        except KeyboardInterrupt:
            raise Stopped("Stopped before your answer had been read; nothing was saved.") from None
        store_given(st, jr, item, raw, "The text piped in")
    elif Asker(st, jr, editor=editor).ask(item) == "quit":
        stopped_for_now(st, sections.reopen(item.section, item.position, st.workbook))


def store_given(st: State, jr: Journal, item: Item, raw: bytes, source: str) -> None:
    """Store a whole file or pipe, exactly, as the answer to one question."""
    names = tuple(st.config().names)
    try:
        text = text_from_bytes(raw, source)
        if not text.strip():
            raise InputProblem(f"{source} was empty, so nothing was saved.")
        value, score = parse_piped(item.question, text)
    except InputProblem as exc:
        message = str(exc)
        if "nothing was saved" not in message.lower():
            message += " Nothing was saved."
        raise UsageError(message) from None
    recorded = None
    try:
        with interrupts.deferred():
            recorded = lifecycle.record(
                jr, item.section, item.question, value, position=item.position, score=score, names=names
            )
            drafts.remove_drafts(st.store.home, jr.name, item.section, item.question.id)
            interrupts.note_saved()
    except KeyboardInterrupt:
        # Held off during the save, a signal lands after it; one just before it, before.
        if recorded is None:
            raise Stopped("Stopped before your answer was saved; nothing was saved.") from None
        raise Stopped(f"Stopped after saving your answer to: {item.question.prompt}") from None
    st.ui.err.print(
        f"Saved your answer to: {item.question.prompt}", markup=False, highlight=False, soft_wrap=True
    )
    if recorded.findings:
        reopen = sections.reopen(item.section, item.position, st.workbook)
        for finding in recorded.findings:
            st.ui.warn(f"This answer may identify someone: {finding.reason}")
        st.ui.warn(f"It is saved, marked for review: `reflectkit check` lists it. To change it: {reopen}")


def end_of_part(st: State, jr: Journal, items: list[Item], title: str, next_step: str = "") -> None:
    """What was answered and skipped in a stage or case study, and what comes next."""
    if not items:
        return
    unit = jr.load(items[0].section)
    done = {k for k, a in unit.answers.items() if not a.unfinished} if unit else set()
    missing = [i for i in items if i.question.id not in done]
    st.ui.say()
    if not missing:
        every = "the question" if len(items) == 1 else f"all {len(items)} questions"
        st.ui.say(f"{title}: {every} answered.", style="bold green")
        _offer_sitting(st, jr, items[0].section, title)
    else:
        st.ui.say(
            f"{title}: {len(items) - len(missing)} of {len(items)} answered; "
            f"{count(len(missing), 'question')} left for later.",
            style="bold",
        )
        for item in missing[:3]:
            command = sections.reopen(item.section, item.position, st.workbook)
            st.ui.say(f"  To answer question {item.position + 1}: {command}")
    if next_step:
        st.ui.say(f"Next: {next_step}")


def _offer_sitting(st: State, jr: Journal, section: Section, title: str) -> None:
    """A finished stage or case study, offered as an entry in the CPD log."""
    from reflectkit.cli.sittings import offer_sitting

    wb = st.workbook
    if section.kind == "case" and (case := wb.case_by_id(section.ref)):
        offer_sitting(st, jr, f"Reflective workbook: {title}, {case.title}", case.minutes, case=case.number)
    elif section.kind == "stage" and section.ref in ("1", "2"):
        stage = wb.stage(int(section.ref))
        offer_sitting(st, jr, f"Reflective workbook: {title}, {stage.title}", stage.minutes)


def after_case(st: State, jr: Journal, case: CaseStudy) -> None:
    """When a case study has just been finished: Stage 4 begins if it has not yet, however
    the case study was reached."""
    wb = st.workbook
    if not case_complete(wb, case, answered_ids(jr)):
        return
    if cycles.current(cycles.read_cycles(jr.path)) is None:
        begin_stage4(st, jr, after_case=case.id)


def begin_stage4(st: State, jr: Journal, *, after_case: str = "") -> None:
    """Start a four-week cycle today and show what it means."""
    stage = st.workbook.stage(4)
    st.ui.heading(f"Stage 4 begins: {stage.title}")
    from reflectkit.cli.showing import show_stage_reading

    show_stage_reading(st, stage)
    with jr.locked():
        cycles.start_cycle(jr.path, today(), after_case=after_case)
    st.ui.say("Your four weeks start today. Here is your plan:", style="bold")
    schedule_table(st, jr)
    st.ui.say("Put it in your calendar with: reflectkit remind --ics reflections.ics", style="dim")
