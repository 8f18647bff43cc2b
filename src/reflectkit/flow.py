"""What comes next in the workbook, and where the user stands. Pure: data in, data out.

The walkthrough goes Stage 1, Stage 2, a case study (Stage 3), then Stage 4's weekly
reflections, which start when the first case study is complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from reflectkit.content.models import CaseStudy, Question, Workbook
from reflectkit.journal.cycles import Cycle
from reflectkit.journal.models import Section
from reflectkit.schedule import CheckIn, due_now, plan_reminders

Answered = Mapping[Section, Set[str]]
StepKind = Literal["stage", "case", "pick-case", "start-stage4", "checkin", "done"]


@dataclass(frozen=True)
class Step:
    """The next thing to do. ``question`` is set for stage and case steps."""

    kind: StepKind
    stage: int = 0
    case: CaseStudy | None = None
    question: Question | None = None
    checkin: CheckIn | None = None


def stage_section(number: int) -> Section:
    return Section("stage", str(number))


def case_section(case: CaseStudy) -> Section:
    return Section("case", case.id)


def case_questions(workbook: Workbook, case: CaseStudy) -> list[Question]:
    """The questions a case study asks: Stage 3's immediate response, then its own."""
    return [*workbook.stage(3).prompts, *case.questions]


def _first_open(
    questions: Iterable[Question], done: Set[str], passed: Set[str] = frozenset()
) -> Question | None:
    return next((q for q in questions if q.id not in done and q.id not in passed), None)


def case_complete(workbook: Workbook, case: CaseStudy, answered: Answered) -> bool:
    done = answered.get(case_section(case), set())
    return all(q.id in done for q in case_questions(workbook, case))


def case_started(case: CaseStudy, answered: Answered) -> bool:
    return bool(answered.get(case_section(case)))


@dataclass
class Progress:
    """Where the user stands: answered counts per stage and case, and the Stage 4 plan."""

    stages: dict[int, tuple[int, int]] = field(default_factory=dict)
    cases: dict[int, tuple[int, int]] = field(default_factory=dict)
    checkins: list[CheckIn] = field(default_factory=list)

    @property
    def cases_complete(self) -> int:
        return sum(1 for done, total in self.cases.values() if done == total)


def progress(workbook: Workbook, answered: Answered, cycle: Cycle | None, today: date) -> Progress:
    """Counts of answered questions, for ``reflectkit progress`` and the start screen."""
    result = Progress()
    for number in (1, 2):
        prompts = workbook.stage(number).prompts
        done = answered.get(stage_section(number), set())
        result.stages[number] = (sum(q.id in done for q in prompts), len(prompts))
    for case in workbook.case_studies:
        questions = case_questions(workbook, case)
        done = answered.get(case_section(case), set())
        result.cases[case.number] = (sum(q.id in done for q in questions), len(questions))
    if cycle is not None:
        result.checkins = plan_reminders(cycle.started, today, done=cycle.done, skipped=cycle.skipped)
    return result


def next_step(
    workbook: Workbook,
    answered: Answered,
    cycle: Cycle | None,
    today: date,
    *,
    passed: Mapping[Section, Set[str]] | None = None,
) -> Step:
    """The next step for ``reflectkit start``. ``passed`` holds questions skipped this run."""
    passed = passed or {}
    for number in (1, 2):
        section = stage_section(number)
        question = _first_open(
            workbook.stage(number).prompts, answered.get(section, set()), passed.get(section, set())
        )
        if question is not None:
            return Step("stage", stage=number, question=question)
    for case in workbook.case_studies:
        if case_started(case, answered) and not case_complete(workbook, case, answered):
            section = case_section(case)
            question = _first_open(
                case_questions(workbook, case), answered.get(section, set()), passed.get(section, set())
            )
            if question is not None:
                return Step("case", stage=3, case=case, question=question)
    if not any(case_complete(workbook, c, answered) for c in workbook.case_studies):
        return Step("pick-case", stage=3)
    if cycle is None:
        return Step("start-stage4", stage=4)
    due = due_now(plan_reminders(cycle.started, today, done=cycle.done, skipped=cycle.skipped))
    if due is not None:
        return Step("checkin", stage=4, checkin=due)
    return Step("done", stage=4)


def parse_stage_number(text: str | int) -> int:
    """'2' to 2, with a kind word for anything that is not a stage."""
    from reflectkit.errors import NotFoundError

    value = str(text).strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= 4:
        return int(value)
    raise NotFoundError(f"There is no stage {value!r}: the workbook has stages 1, 2, 3 and 4.")


def check_question_number(number: int, total: int) -> None:
    """Refuse question ``number`` (1-based) of a part with ``total`` questions, saying which
    there are, when it is not one of them."""
    from reflectkit.errors import NotFoundError

    if not 1 <= number <= total:
        which = "there is one question here, number 1" if total == 1 else f"the questions are 1 to {total}"
        raise NotFoundError(f"There is no question {number} here: {which}.")
