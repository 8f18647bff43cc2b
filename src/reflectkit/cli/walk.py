"""The guided walk of `reflectkit start`: the welcome, then the next open question until the
user stops or all is done. Loaded only when `start` runs."""

from __future__ import annotations

from reflectkit.cli.asking import Asker, Item, privacy_note, stopped_for_now
from reflectkit.cli.checkins import offer_checkin
from reflectkit.cli.journey import (
    after_case,
    begin_stage4,
    case_items,
    end_of_part,
    keeps_typing,
    stage_items,
)
from reflectkit.cli.showing import pick_case, show_case, show_stage_reading, stage_heading, up_to_date
from reflectkit.cli.state import State
from reflectkit.content.models import CaseStudy
from reflectkit.flow import case_complete, case_section, next_step
from reflectkit.journal.cycles import current, read_cycles
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, answered_ids
from reflectkit.paths import today


def welcome(st: State, jr: Journal) -> None:
    """The workbook's introduction and the privacy note, the first time `start` runs."""
    if st.config().welcomed:
        return
    wb = st.workbook
    st.ui.heading(f"Welcome to reflectkit: {wb.title}")
    # The walk begins at Stage 1: words typed on these pages are kept for its first prompt.
    with st.ui.leading_to(keeps_typing(st, jr, stage_items(wb, 1))):
        st.ui.markdown(wb.introduction)
        st.ui.pause()
        privacy_note(st, jr)


class Walk:
    """One `start` run: asks the next open question until the user stops or all is done.

    /back goes to the question asked before in this run; /skip leaves a question for a
    later run; /quit stops with everything saved.
    """

    def __init__(self, st: State, jr: Journal, *, editor: bool = False) -> None:
        self.st, self.jr = st, jr
        self.asker = Asker(st, jr, editor=editor)
        self.passed: dict[Section, set[str]] = {}
        self.shown: set[str] = set()
        self.picked: CaseStudy | None = None
        self.asked: list[Item] = []
        self.again: list[Item] = []  # questions to ask again (after /back), first to last

    def run(self) -> None:
        while (item := self._next()) is not None:
            if self._ask(item) == "quit":
                return

    def _next(self) -> Item | None:
        """The next question to ask, or None when this run is over."""
        if self.again:
            return self.again.pop()
        wb = self.st.workbook
        step = next_step(
            wb, answered_ids(self.jr), current(read_cycles(self.jr.path)), today(), passed=self.passed
        )
        if step.kind in ("stage", "case") and step.question is not None:
            return self._item(step.stage, step.case, step.question.id)
        if step.kind == "pick-case":
            return self._next_in_picked()
        if step.kind == "start-stage4":  # a case study finished before Stage 4 began
            answered = answered_ids(self.jr)
            first = next((c for c in wb.case_studies if case_complete(wb, c, answered)), None)
            begin_stage4(self.st, self.jr, after_case=first.id if first else "")
            return self._next()
        if step.kind == "checkin" and step.checkin is not None:
            offer_checkin(self.st, self.jr, step.checkin)
            return None
        if self.picked is not None:  # carrying on with a case study picked this run
            return self._next_in_picked()
        self.st.ui.show(up_to_date(self.st, self.jr))
        if not self.st.ui.interactive:
            return None
        self.picked = pick_case(self.st, self.jr, intro=False)
        return self._next_in_picked() if self.picked is not None else None

    def _next_in_picked(self) -> Item | None:
        """The next question of the case study picked this run that was not skipped."""
        if self.picked is None:
            self.picked = pick_case(self.st, self.jr)
        if self.picked is None:
            return None
        unit = self.jr.load(case_section(self.picked))
        done = {k for k, a in unit.answers.items() if not a.unfinished} if unit else set()
        skipped = self.passed.get(case_section(self.picked), set())
        items = case_items(self.st.workbook, self.picked)
        return next((i for i in items if i.question.id not in done | skipped), None)

    def _item(self, stage: int, case: CaseStudy | None, question_id: str) -> Item:
        items = (
            case_items(self.st.workbook, case) if case is not None else stage_items(self.st.workbook, stage)
        )
        return next(i for i in items if i.question.id == question_id)

    def _introduce(self, item: Item) -> None:
        """A part's heading and reading the first time it comes up in this run."""
        key = f"{item.section.kind}-{item.section.ref}"
        if key in self.shown:
            return
        self.shown.add(key)
        if item.section.kind == "case":
            show_case(self.st, self.st.workbook.case_by_id(item.section.ref))  # type: ignore[arg-type]
            return
        number = int(item.section.ref)
        stage = self.st.workbook.stage(number)
        self.st.ui.heading(stage_heading(self.st.workbook, number))
        if self.jr.load(item.section) is None:
            show_stage_reading(self.st, stage)
        else:  # coming back: straight to the next prompt
            self.st.ui.say(
                f"Carrying on where you left off. To read this stage again: reflectkit stage {number}",
                style="dim",
            )

    def _ask(self, item: Item) -> str:
        with self.st.ui.leading_to(self.asker.keeps_typing_for([item])):  # words typed on its pages
            self._introduce(item)
        outcome = self.asker.ask(item)
        if outcome == "quit":
            stopped_for_now(self.st, "reflectkit start")
        elif outcome == "back":
            if self.asked:
                previous = self.asked.pop()
                self.passed.get(previous.section, set()).discard(previous.question.id)
                self.again += [item, previous]
            else:
                self.st.ui.say(
                    "This is the first question of this session; there is none before it.", style="dim"
                )
                self.again.append(item)
        else:
            self.asked.append(item)
            if outcome == "skipped":
                self.passed.setdefault(item.section, set()).add(item.question.id)
            self._part_ended(item)
        return outcome

    def _part_ended(self, item: Item) -> None:
        """After the last question of a stage or case study: a summary, and what is next."""
        wb = self.st.workbook
        if item.section.kind == "case":
            case = wb.case_by_id(item.section.ref)
            items = case_items(wb, case) if case else []
            if items and item.question.id == items[-1].question.id:
                end_of_part(self.st, self.jr, items, f"Case study {case.number}")  # type: ignore[union-attr]
                after_case(self.st, self.jr, case)  # type: ignore[arg-type]
                self.picked = None
        elif item.section.kind == "stage":
            items = stage_items(wb, int(item.section.ref))
            if item.question.id == items[-1].question.id:
                following = "Stage 2" if item.section.ref == "1" else "the case studies (Stage 3)"
                end_of_part(self.st, self.jr, items, f"Stage {item.section.ref}", f"{following}.")
