"""Stage 4's check-ins, shared by `start`, `reflect` and `revisit`: running one, and what
is said before and after it."""

from __future__ import annotations

from reflectkit.cli.asking import Asker, Item, ask_in_turn, stopped_for_now
from reflectkit.cli.schedule_text import plan
from reflectkit.cli.state import State
from reflectkit.flow import stage_section
from reflectkit.journal import cycles
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal
from reflectkit.paths import today
from reflectkit.schedule import CheckIn, due_now
from reflectkit.schedule import State as Phase
from reflectkit.words import day_words


def checkin_section(cycle_number: int, checkin: CheckIn) -> Section:
    if checkin.kind == "revisit":
        return Section("revisit", str(cycle_number))
    return Section("reflection", f"{cycle_number}-{checkin.id}")


def checkin_items(st: State, cycle_number: int, checkin: CheckIn) -> list[Item]:
    stage = st.workbook.stage(4)
    questions = stage.revisit if checkin.kind == "revisit" else stage.weekly
    section = checkin_section(cycle_number, checkin)
    name = checkin.label[0].upper() + checkin.label[1:]
    return [
        Item(section, q, i, f"{name}, question {i + 1} of {len(questions)}") for i, q in enumerate(questions)
    ]


def offer_checkin(st: State, jr: Journal, checkin: CheckIn) -> None:
    """At the end of `start`: a reflection is due; offer to do it now."""
    st.ui.say()
    st.ui.say(f"Your {checkin.label} ({checkin.minutes} minutes) is {checkin.state.value}.", style="bold")
    if not st.ui.interactive:
        st.ui.say(f"Run: {checkin.command}")
        return
    if st.ui.choose("Do it now? (y/n) [n] ", "yn", default="n") == "y":
        run_checkin(st, jr, checkin)
    else:
        st.ui.say(f"Fine. Whenever you are ready: {checkin.command}")


def mark_if_answered(jr: Journal, cycle_number: int, checkin: CheckIn, items: list[Item]) -> bool:
    """Record a check-in as done once any of its questions has a finished answer."""
    unit = jr.load(items[0].section)
    answered = bool(unit and any(not a.unfinished for a in unit.answers.values()))
    if answered and checkin.state.value != "done":
        with jr.locked():
            cycles.mark(jr.path, cycle_number, checkin.id, done=today())
    return answered


def run_checkin(
    st: State, jr: Journal, checkin: CheckIn, *, editor: bool = False, cycle_number: int | None = None
) -> None:
    cycle, _ = plan(jr, number=cycle_number)
    assert cycle is not None
    st.ui.heading(f"{checkin.label[0].upper() + checkin.label[1:]}: about {checkin.minutes} minutes")
    span = f"{day_words(checkin.opens, weekday=True)} to {day_words(checkin.closes, weekday=True)}"
    if checkin.state == Phase.MISSED:
        st.ui.say(
            f"This is for week {checkin.number}, {span}. It is late: think back to that week.", style="cyan"
        )
    elif checkin.kind == "weekly":
        st.ui.say(f"This is for week {checkin.number} of your four weeks, {span}.", style="dim")
    items = checkin_items(st, cycle.number, checkin)
    asker = Asker(st, jr, editor=editor)
    if checkin.kind == "revisit":
        with st.ui.leading_to(asker.keeps_typing_for(items)):  # words typed on its page are kept
            _show_weekly_notes(st, jr, cycle.number)
        _show_first_confidence(st, jr, [i.question.id for i in items if i.question.kind == "scale"])
    if checkin.kind == "revisit":
        asker.after_answer = lambda item, value: _compare_confidence(st, jr, item.question.id, value)
    outcome = ask_in_turn(asker, items)
    answered = mark_if_answered(jr, cycle.number, checkin, items)
    if answered:
        st.ui.say(f"Well done: your {checkin.label} is recorded.", style="bold green")
        _what_next(st, jr)
    if outcome == "quit":
        stopped_for_now(st, checkin.command)
    elif not answered:
        st.ui.say("Nothing was answered, so this check-in is still open.")


def _show_weekly_notes(st: State, jr: Journal, cycle_number: int) -> None:
    """Before the revisit: the four weekly reflections, or which weeks were missed."""
    from reflectkit.cli.showing import answer_view

    st.ui.say("First, read your weekly reflections again:", style="bold")
    _, checkins = plan(jr, number=cycle_number)
    states = {c.number: c.state for c in checkins if c.kind != "revisit"}
    why = {
        Phase.UPCOMING: "not reached yet",
        Phase.DUE: "not written yet",
        Phase.OVERDUE: "not written yet",
        Phase.SKIPPED: "skipped",
    }
    for week in range(1, 5):
        unit = jr.load(Section("reflection", f"{cycle_number}-week-{week}"))
        if unit is None or not unit.answers:
            reason = why.get(states.get(week, Phase.MISSED), "missed")
            st.ui.say(f"Week {week}: no reflection ({reason}).", style="dim")
            continue
        st.ui.say(f"Week {week}:", style="bold cyan")
        for _, answer in unit.ordered():
            st.ui.say(f"  {answer.question}", style="dim")
            st.ui.out.print(answer_view(answer, plain=st.ui.plain, indent=4))
    st.ui.pause()


def _first_confidence(jr: Journal, question_ids: list[str]) -> tuple[str, int] | None:
    unit = jr.load(stage_section(1))
    for qid in question_ids:
        first = unit.answers.get(qid) if unit else None
        if first is not None and isinstance(first.value, int):
            return qid, first.value
    return None


def _show_first_confidence(st: State, jr: Journal, question_ids: list[str]) -> None:
    found = _first_confidence(jr, question_ids)
    if found is not None:
        st.ui.say(
            f"In Stage 1 you rated your confidence {found[1]} out of 5. You will be asked again.",
            style="cyan",
        )


def _compare_confidence(st: State, jr: Journal, question_id: str, now: object) -> None:
    found = _first_confidence(jr, [question_id])
    if found is None or not isinstance(now, int) or isinstance(now, bool):
        return
    first = found[1]
    change = now - first
    if change:
        way = "up" if change > 0 else "down"
        st.ui.say(f"Your confidence moved from {first} to {now}: {way} by {abs(change)}.", style="cyan")
    else:
        st.ui.say(f"Your confidence is the same as in Stage 1 ({now}).", style="cyan")


def _what_next(st: State, jr: Journal) -> None:
    """After a check-in: the next one that is waiting, or when the next one opens."""
    cycle, checkins = plan(jr)
    waiting = due_now(checkins)
    if waiting is not None:
        st.ui.say(f"Your {waiting.label} is {waiting.state.value} too: {waiting.command}")
        return
    upcoming = next((c for c in checkins if c.state == Phase.UPCOMING), None)
    if upcoming is not None:
        st.ui.say(f"Next: your {upcoming.label}, from {day_words(upcoming.opens, weekday=True)}.")
    elif cycle is not None:
        st.ui.say("That completes your four weeks. To begin another cycle: reflectkit remind --restart")
