"""`reflectkit start`, `reflectkit stage N`: the guided walk through the workbook."""

from __future__ import annotations

from typing import Annotated

import typer

from reflectkit.cli import views
from reflectkit.cli.ask import Asker
from reflectkit.cli.state import EditorOpt, JournalOpt, NoInputOpt, PlainOpt, ReviewOpt, State, state
from reflectkit.content.models import CaseStudy, Question
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.flow import case_complete, case_questions, case_section, next_step, stage_section
from reflectkit.journal.cycles import current, read_cycles
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, answered_ids
from reflectkit.paths import today


def start(
    ctx: typer.Context,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    """Walk through the workbook, carrying on where you left off.

    \b
    Example:
      reflectkit start
    """
    st = state(ctx, plain=plain, no_input=no_input)
    jr = st.journal(journal, create=True)
    _welcome(st, jr)
    views.standing(st, jr)
    Walk(st, jr, editor=editor).run()


def _welcome(st: State, jr: Journal) -> None:
    if st.config().welcomed:
        return
    wb = st.workbook
    st.ui.heading(f"Welcome to reflectkit: {wb.title}")
    st.ui.markdown(wb.introduction)
    st.ui.pause()
    privacy_note(st, jr)


def privacy_first(st: State, jr: Journal) -> None:
    """Before a command that asks for answers: the privacy note, if it was never shown."""
    if st.ui.interactive and not st.config().welcomed:
        privacy_note(st, jr)


def privacy_note(st: State, jr: Journal) -> None:
    """The privacy note, shown once, before the first answer whichever command comes first."""
    st.ui.heading("Before you write: privacy")
    st.ui.markdown(st.workbook.privacy_note)
    st.ui.say(f"Your journal is kept on this computer, in {jr.path}", style="dim")
    st.ui.pause()
    with st.edit_config() as editable:
        editable.welcomed = True


class Walk:
    """One `start` run: asks the next open question until the user stops or all is done."""

    def __init__(self, st: State, jr: Journal, *, editor: bool = False) -> None:
        self.st, self.jr = st, jr
        self.asker = Asker(st, jr, editor=editor)
        self.passed: dict[Section, set[str]] = {}
        self.shown: set[str] = set()
        self.picked: CaseStudy | None = None

    def run(self) -> None:
        wb = self.st.workbook
        while True:
            cycle = current(read_cycles(self.jr.path))
            step = next_step(wb, answered_ids(self.jr), cycle, today(), passed=self.passed)
            if step.kind == "stage" and step.question is not None:
                self._stage_question(step.stage, step.question)
            elif step.kind == "case" and step.case is not None and step.question is not None:
                self._case_question(step.case, step.question)
            elif step.kind == "pick-case":
                if self.picked is None:
                    self.picked = views.pick_case(self.st, self.jr)
                question = self._next_in_picked()
                if question is None or self.picked is None:
                    break  # stopped, or skipped the rest of the case study for now
                self._case_question(self.picked, question)
            elif step.kind == "start-stage4":
                from reflectkit.cli.stage4_cmd import begin_stage4

                answered = answered_ids(self.jr)
                first = next((c.id for c in wb.case_studies if case_complete(wb, c, answered)), "")
                begin_stage4(self.st, self.jr, after_case=first)
            elif step.kind == "checkin" and step.checkin is not None:
                from reflectkit.cli.stage4_cmd import offer_checkin

                offer_checkin(self.st, self.jr, step.checkin)
                break
            else:
                views.all_done(self.st, self.jr)
                if self.picked is not None or not self.st.ui.interactive:
                    break
                self.picked = views.pick_case(self.st, self.jr, intro=False)
                question = self._next_in_picked()
                if self.picked is None or question is None:
                    break
                self._case_question(self.picked, question)

    def _next_in_picked(self) -> Question | None:
        """The next question of the case study picked this run that was not skipped."""
        if self.picked is None:
            return None
        section = case_section(self.picked)
        unit = self.jr.load(section)
        done = set(unit.answers) if unit else set()
        skipped = self.passed.get(section, set())
        questions = case_questions(self.st.workbook, self.picked)
        return next((q for q in questions if q.id not in done and q.id not in skipped), None)

    def _stage_question(self, number: int, question: Question) -> None:
        stage = self.st.workbook.stage(number)
        key = f"stage-{number}"
        if key not in self.shown:
            self.shown.add(key)
            self.st.ui.heading(f"Stage {number}: {stage.title}  (about {stage.minutes} minutes)")
            if self.jr.load(stage_section(number)) is None:
                self.st.ui.markdown(stage.body, paged=True)
            else:  # coming back: straight to the next prompt
                self.st.ui.say(
                    f"Carrying on where you left off. To read this stage again: reflectkit stage {number}",
                    style="dim",
                )
        position = [q.id for q in stage.prompts].index(question.id)
        label = f"Stage {number}, prompt {position + 1} of {len(stage.prompts)}"
        self._ask(stage_section(number), question, position, label)

    def _case_question(self, case: CaseStudy, question: Question) -> None:
        key = f"case-{case.id}"
        if key not in self.shown:
            self.shown.add(key)
            views.show_case(self.st, case)
        questions = case_questions(self.st.workbook, case)
        position = [q.id for q in questions].index(question.id)
        label = f"Case study {case.number}, question {position + 1} of {len(questions)}"
        self._ask(case_section(case), question, position, label)

    def _ask(self, section: Section, question: Question, position: int, label: str) -> None:
        if self.asker.ask(section, question, position=position, label=label) is None:
            self.passed.setdefault(section, set()).add(question.id)


def stage_number(text: str | int) -> int:
    """'2' to 2, with a kind word for anything that is not a stage."""
    value = str(text).strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= 4:
        return int(value)
    raise NotFoundError(
        f"There is no stage {value!r}: the workbook has stages 1, 2, 3 and 4.",
        hint="Try: reflectkit stage 1",
    )


def stage(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The stage, 1 to 4.", show_default=False)],
    prompt: Annotated[int | None, typer.Option("--prompt", help="Go straight to prompt K.")] = None,
    review: ReviewOpt = False,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    """Open one stage of the workbook.

    \b
    Examples:
      reflectkit stage 1
      reflectkit stage 2 --review
      reflectkit stage 1 --prompt 4
    """
    st = state(ctx, plain=plain, no_input=no_input)
    n = stage_number(number)
    jr = st.journal(journal, create=True)
    wb = st.workbook
    the_stage = wb.stage(n)
    if n in (3, 4) and (prompt is not None or review):
        raise UsageError(
            f"Stage {n} has no prompts of its own.",
            hint="Stage 3 is the case studies (reflectkit case N); Stage 4 is `reflectkit reflect`.",
        )
    section = stage_section(n)
    if review:
        views.review(st, jr, section, the_stage.prompts, f"Stage {n}: {the_stage.title}")
        return
    privacy_first(st, jr)
    if prompt is not None:
        answer_one(st, jr, section, the_stage.prompts, prompt, f"Stage {n}", editor=editor)
        return
    st.ui.heading(f"Stage {n}: {the_stage.title}  (about {the_stage.minutes} minutes)")
    st.ui.markdown(the_stage.body, paged=True)
    if n == 3:
        views.case_table(st, jr)
        st.ui.say("Open one with: reflectkit case N", style="bold")
        return
    if n == 4:
        views.schedule(st, jr)
        return
    ask_open(st, jr, section, the_stage.prompts, f"Stage {n}", editor=editor)


def ask_open(
    st: State, jr: Journal, section: Section, questions: list[Question], label: str, *, editor: bool
) -> None:
    """Ask every question not yet answered, in order."""
    unit = jr.load(section)
    done = set(unit.answers) if unit else set()
    open_ = [(i, q) for i, q in enumerate(questions) if q.id not in done]
    if not open_:
        st.ui.say(f"You have answered everything in {label}.", style="green")
        st.ui.say("To change an answer, add --question K (or --prompt K); --review shows them.")
        return
    asker = Asker(st, jr, editor=editor)
    for index, question in open_:
        asker.ask(
            section, question, position=index, label=f"{label}, question {index + 1} of {len(questions)}"
        )


def answer_one(
    st: State,
    jr: Journal,
    section: Section,
    questions: list[Question],
    number: int,
    label: str,
    *,
    editor: bool,
) -> None:
    """Answer question ``number`` (1-based): from a prompt, or from all of piped stdin."""
    if not 1 <= number <= len(questions):
        raise NotFoundError(f"{label} has questions 1 to {len(questions)}; there is no {number}.")
    question = questions[number - 1]
    asker = Asker(st, jr, editor=editor)
    import sys

    if not sys.stdin.isatty():  # an answer piped in: store it, --no-input or not
        views.store_piped(st, asker, section, question, number - 1, sys.stdin.buffer.read())
        return
    asker.ask(section, question, position=number - 1, label=f"{label}, question {number} of {len(questions)}")


def register(app: typer.Typer) -> None:
    app.command()(start)
    app.command()(stage)
