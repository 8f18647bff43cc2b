"""What `reflectkit start` does next, and where it resumes."""

from __future__ import annotations

from datetime import date

import pytest

from reflectkit.content.loader import load_builtin
from reflectkit.content.models import Workbook
from reflectkit.flow import case_questions, case_section, next_step, progress, stage_section
from reflectkit.journal.cycles import Cycle
from reflectkit.journal.models import Section

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def wb() -> Workbook:
    return load_builtin()


def ids(questions: list) -> set[str]:  # type: ignore[type-arg]
    return {q.id for q in questions}


def stages_done(wb: Workbook) -> dict[Section, set[str]]:
    return {stage_section(1): ids(wb.stage(1).prompts), stage_section(2): ids(wb.stage(2).prompts)}


def test_a_new_user_starts_at_stage_1_prompt_1(wb: Workbook) -> None:
    step = next_step(wb, {}, None, TODAY)
    assert step.kind == "stage" and step.stage == 1
    assert step.question == wb.stage(1).prompts[0]


def test_resumes_at_the_first_unanswered_prompt(wb: Workbook) -> None:
    first, second, third = (q.id for q in wb.stage(1).prompts[:3])
    step = next_step(wb, {stage_section(1): {first, third}}, None, TODAY)
    assert step.question is not None and step.question.id == second


def test_skipped_prompts_are_passed_over_this_run_only(wb: Workbook) -> None:
    first = wb.stage(1).prompts[0].id
    passed = {stage_section(1): {first}}
    assert next_step(wb, {}, None, TODAY, passed=passed).question == wb.stage(1).prompts[1]
    assert next_step(wb, {}, None, TODAY).question == wb.stage(1).prompts[0]


def test_after_stages_1_and_2_the_user_picks_a_case(wb: Workbook) -> None:
    assert next_step(wb, stages_done(wb), None, TODAY).kind == "pick-case"


def test_a_started_case_is_continued(wb: Workbook) -> None:
    case = wb.case(3)
    assert case is not None
    answered = stages_done(wb) | {case_section(case): {"immediate"}}
    step = next_step(wb, answered, None, TODAY)
    assert step.kind == "case" and step.case == case
    assert step.question == case.questions[0]


def test_a_complete_case_starts_stage_4(wb: Workbook) -> None:
    case = wb.case(2)
    assert case is not None
    answered = stages_done(wb) | {case_section(case): ids(case_questions(wb, case))}
    assert next_step(wb, answered, None, TODAY).kind == "start-stage4"


def test_with_a_cycle_the_due_reflection_comes_next_then_done(wb: Workbook) -> None:
    case = wb.case(2)
    assert case is not None
    answered = stages_done(wb) | {case_section(case): ids(case_questions(wb, case))}
    cycle = Cycle(1, TODAY)
    step = next_step(wb, answered, cycle, TODAY)
    assert step.kind == "checkin" and step.checkin is not None and step.checkin.id == "week-1"
    cycle.done["week-1"] = TODAY
    assert next_step(wb, answered, cycle, TODAY).kind == "done"
    assert next_step(wb, answered, cycle, date(2026, 11, 30)).checkin.id == "week-2"  # type: ignore[union-attr]


def test_progress_counts(wb: Workbook) -> None:
    case = wb.case(1)
    assert case is not None
    prog = progress(wb, {case_section(case): {"immediate"}}, None, TODAY)
    assert prog.stages[1] == (0, len(wb.stage(1).prompts))
    assert prog.cases[1] == (1, len(case.questions) + 1)
    assert prog.cases_complete == 0
