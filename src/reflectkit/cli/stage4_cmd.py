"""Stage 4: `reflectkit reflect`, `revisit`, `remind` and `progress`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli.ask import Asker
from reflectkit.cli.state import EditorOpt, JournalOpt, NoInputOpt, PlainOpt, State, state
from reflectkit.errors import UsageError
from reflectkit.flow import progress, stage_section
from reflectkit.journal import cycles
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, answered_ids
from reflectkit.paths import today
from reflectkit.schedule import CheckIn, due_now, plan_reminders
from reflectkit.schedule import State as Phase

AnywayOpt = Annotated[bool, typer.Option("--anyway", help="Reflect now even if nothing is due yet.")]


def _plan(jr: Journal) -> tuple[cycles.Cycle | None, list[CheckIn]]:
    cycle = cycles.current(cycles.read_cycles(jr.path))
    if cycle is None:
        return None, []
    return cycle, plan_reminders(cycle.started, today(), done=cycle.done, skipped=cycle.skipped)


def begin_stage4(st: State, jr: Journal, *, after_case: str = "") -> None:
    """Start a four-week cycle today and show what it means."""
    stage = st.workbook.stage(4)
    st.ui.heading(f"Stage 4: {stage.title}")
    st.ui.markdown(stage.body, paged=True)
    with jr.locked():
        cycles.start_cycle(jr.path, today(), after_case=after_case)
    st.ui.say("Your four weeks start today. Here is your plan:", style="bold")
    schedule_table(st, jr)
    st.ui.say("Put it in your calendar with: reflectkit remind --ics reflections.ics", style="dim")


def schedule_table(st: State, jr: Journal) -> None:
    from reflectkit.cli.schedule_text import schedule_items, schedule_lines

    cycle, plan = _plan(jr)
    lines = schedule_lines(cycle, plan)
    if cycle is not None and max(len(line) for line in lines) > st.ui.width:
        lines = schedule_items(cycle, plan)
    for line in lines:
        st.ui.say(line)


def offer_checkin(st: State, jr: Journal, checkin: CheckIn) -> None:
    """At the end of `start`: a reflection is due; offer to do it now."""
    st.ui.say()
    st.ui.say(f"Your {checkin.label} ({checkin.minutes} minutes) is {checkin.state.value}.", style="bold")
    if not st.ui.interactive:
        st.ui.say(f"Run: {checkin.command}")
        return
    if st.ui.ask("Do it now? [y/N] ").strip().lower() in ("y", "yes"):
        run_checkin(st, jr, checkin)
    else:
        st.ui.say(f"Fine. Whenever you are ready: {checkin.command}")


def _section(cycle: cycles.Cycle, checkin: CheckIn) -> Section:
    if checkin.kind == "revisit":
        return Section("revisit", str(cycle.number))
    return Section("reflection", f"{cycle.number}-{checkin.id}")


def run_checkin(st: State, jr: Journal, checkin: CheckIn, *, editor: bool = False) -> None:
    cycle, _ = _plan(jr)
    assert cycle is not None
    stage = st.workbook.stage(4)
    questions = stage.revisit if checkin.kind == "revisit" else stage.weekly
    st.ui.heading(f"{checkin.label.capitalize()}: about {checkin.minutes} minutes")
    asker = Asker(st, jr, editor=editor)
    section = _section(cycle, checkin)
    answered = 0
    for index, question in enumerate(questions):
        if question.kind == "scale" and checkin.kind == "revisit":
            _show_first_confidence(st, jr, question.id)
        label = f"{checkin.label.capitalize()}, question {index + 1} of {len(questions)}"
        given = asker.ask(section, question, position=index, label=label)
        if given is not None:
            answered += 1
            if question.kind == "scale" and checkin.kind == "revisit":
                _compare_confidence(st, jr, question.id, given.value)
    if answered:
        with jr.locked():
            cycles.mark(jr.path, cycle.number, checkin.id, done=today())
        st.ui.say(f"Well done: your {checkin.label} is recorded.", style="bold green")
        _what_next(st, jr)
    else:
        st.ui.say("Nothing was answered, so this check-in is still open.")


def _compare_confidence(st: State, jr: Journal, question_id: str, now: object) -> None:
    unit = jr.load(stage_section(1))
    first = unit.answers.get(question_id) if unit else None
    if first is None or not isinstance(first.value, int) or not isinstance(now, int):
        return
    change = now - first.value
    if change:
        way = "up" if change > 0 else "down"
        st.ui.say(
            f"You moved from {first.value} to {now}: {way} by {abs(change)}. "
            "What made the difference? It is worth a line in your notes.",
            style="cyan",
        )
    else:
        st.ui.say(f"The same as in Stage 1 ({now}). What would help it move?", style="cyan")


def _what_next(st: State, jr: Journal) -> None:
    """After a check-in: the next one that is waiting, or when the next one opens."""
    cycle, plan = _plan(jr)
    waiting = due_now(plan)
    if waiting is not None:
        st.ui.say(f"Your {waiting.label} is {waiting.state.value} too: {waiting.command}")
        return
    upcoming = next((c for c in plan if c.state == Phase.UPCOMING), None)
    if upcoming is not None:
        st.ui.say(f"Next: your {upcoming.label}, from {upcoming.opens:%A %d %B}.")
    elif cycle is not None:
        st.ui.say("That completes your four weeks. To begin another cycle: reflectkit remind --restart")


def _show_first_confidence(st: State, jr: Journal, question_id: str) -> None:
    unit = jr.load(stage_section(1))
    first = unit.answers.get(question_id) if unit else None
    if first is not None:
        when = first.updated.astimezone().strftime("%d %B %Y")
        st.ui.say(
            f"In Stage 1 ({when}) you answered {first.value} out of 5. Answer again, as you feel now:",
            style="cyan",
        )


def _checkin_command(
    ctx: typer.Context, kind: str, anyway: bool, journal: str, editor: bool, plain: bool, no_input: bool
) -> None:
    st = state(ctx, plain=plain, no_input=no_input)
    jr = st.journal(journal)
    cycle, plan = _plan(jr)
    if cycle is None:
        from reflectkit.cli.schedule_text import NOT_STARTED

        st.ui.say(NOT_STARTED)
        return
    wanted = [c for c in plan if (c.kind == "revisit") == (kind == "revisit")]
    due = due_now(wanted)
    if due is None and anyway:
        due = next((c for c in wanted if c.state == Phase.UPCOMING), None)
    if due is None:
        other = due_now(plan)
        nxt = next((c for c in wanted if c.state == Phase.UPCOMING), None)
        when = f" Your next one, the {nxt.label}, opens on {nxt.opens:%A %d %B}." if nxt else ""
        if other is not None:  # the other kind of check-in is waiting
            st.ui.say(f"Not this one yet.{when} Your {other.label} is {other.state.value}: {other.command}")
        else:
            st.ui.say(f"Nothing is due just now: well done.{when}")
        if nxt and not anyway:
            st.ui.say("To reflect early anyway, add --anyway.", style="dim")
        return
    run_checkin(st, jr, due, editor=editor)


def _checkin_cli(kind: str, doc: str) -> Callable[..., None]:
    """`reflect` and `revisit`: the same options, each for its own kind of check-in."""

    def command(
        ctx: typer.Context,
        anyway: AnywayOpt = False,
        journal: JournalOpt = "default",
        editor: EditorOpt = False,
        plain: PlainOpt = False,
        no_input: NoInputOpt = False,
    ) -> None:
        _checkin_command(ctx, kind, anyway, journal, editor, plain, no_input)

    command.__doc__ = doc
    return command


reflect = _checkin_cli(
    "weekly",
    """Your five-minute weekly reflection: What? So what? Now what?

    \b
    Example:
      reflectkit reflect
    """,
)
revisit = _checkin_cli(
    "revisit",
    """The fifteen-minute revisit after four weeks.

    \b
    Example:
      reflectkit revisit
    """,
)


def remind(
    ctx: typer.Context,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Write the schedule to an iCalendar file.")
    ] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Start a new four-week cycle today.")] = False,
    weekday: Annotated[
        str | None, typer.Option("--weekday", help="Preferred day for calendar reminders, e.g. monday.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Preferred time for calendar reminders, e.g. 08:30.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --ics file if it exists.")] = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Show your Stage 4 schedule; put it in your calendar.

    \b
    Examples:
      reflectkit remind
      reflectkit remind --ics reflections.ics --weekday monday --at 08:30
    """
    st = state(ctx, plain=plain)
    jr = st.journal(journal, create=True if restart else None)
    if weekday is not None or at is not None:
        _save_preferences(st, weekday, at)
    if restart:
        with jr.locked():
            started = cycles.start_cycle(jr.path, today())
        st.ui.say(
            f"A new four-week cycle (cycle {started.number}) starts today. "
            "Earlier cycles stay in your journal.",
            style="bold",
        )
    schedule_table(st, jr)
    if ics is not None:
        _write_ics(st, jr, ics, force=force)


def _save_preferences(st: State, weekday: str | None, at: str | None) -> None:
    from reflectkit.config import WEEKDAYS, parse_time, parse_weekday

    with st.edit_config() as config:
        if weekday is not None:
            config.weekday = parse_weekday(weekday)
        if at is not None:
            config.at = parse_time(at)
    day = (
        WEEKDAYS[config.weekday].capitalize() + "s"
        if config.weekday is not None
        else "the first day of each week"
    )
    st.ui.say(f"Calendar reminders will be on {day} at {config.at:%H:%M}.")


def _write_ics(st: State, jr: Journal, path: Path, *, force: bool) -> None:
    from reflectkit.calendar_ics import build_ics
    from reflectkit.fileio import write_atomic

    cycle, plan = _plan(jr)
    if cycle is None:
        raise UsageError("There is no schedule to export yet.", hint="Start one: reflectkit remind --restart")
    if path.exists() and not force:
        raise UsageError(
            f"{path} already exists.",
            hint="Add --force to replace it (your calendar will update the same events, not add new ones).",
        )
    config = st.config()
    payload = build_ics(
        plan,
        cycle_id=f"cycle-{cycle.number}",
        journal=jr.name,
        now=datetime.now(UTC),
        weekday=config.weekday,
        at=config.at,
    )
    write_atomic(path, payload)
    st.ui.say(f"Wrote {path}. Open it with your calendar to add the five reminders.", style="green")


def progress_cmd(ctx: typer.Context, journal: JournalOpt = "default", plain: PlainOpt = False) -> None:
    """Your progress through the stages and case studies, and your Stage 4 schedule.

    \b
    Example:
      reflectkit progress
    """
    from rich.progress_bar import ProgressBar

    from reflectkit.cli.views import table

    st = state(ctx, plain=plain)
    jr = st.journal(journal)
    wb = st.workbook
    cycle, _ = _plan(jr)
    prog = progress(wb, answered_ids(jr), cycle, today())
    grid = table(st, "Part", "Answered", "")
    rows = [(f"Stage {n}: {wb.stage(n).title}", d, t) for n, (d, t) in prog.stages.items()]
    rows += [(f"Case study {c.number}: {c.title}", *prog.cases[c.number]) for c in wb.case_studies]
    for label, done, total in rows:
        bar = (
            Text("#" * done + "." * (total - done))
            if st.ui.plain
            else ProgressBar(total=total, completed=done, width=20)
        )
        grid.add_row(Text(label), f"{done} of {total}", bar)
    st.ui.out.print(grid, width=st.ui.width)
    schedule_table(st, jr)


def register(app: typer.Typer) -> None:
    app.command("reflect")(reflect)
    app.command("revisit")(revisit)
    app.command()(remind)
    app.command("progress")(progress_cmd)
