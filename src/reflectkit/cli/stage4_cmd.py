"""Stage 4: `reflectkit reflect`, `revisit`, `remind` and `progress`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reflectkit.cli.everyday import show_progress
from reflectkit.cli.options import EditorOpt, FromOpt, JournalOpt, NoInputOpt, PlainOpt, state
from reflectkit.cli.schedule_text import plan, schedule_table
from reflectkit.cli.state import State
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal import cycles
from reflectkit.journal.store import Journal
from reflectkit.paths import today
from reflectkit.schedule import CheckIn, due_now
from reflectkit.schedule import State as Phase
from reflectkit.words import count, day_words

if TYPE_CHECKING:
    pass

AnywayOpt = Annotated[bool, typer.Option("--anyway", help="Reflect now even if nothing is due yet.")]


@dataclass(frozen=True)
class Target:
    """Which check-in a `reflect` or `revisit` run is for, and what to do with it."""

    kind: str
    anyway: bool = False
    week: int | None = None
    cycle: int | None = None
    question: int | None = None
    source: Path | None = None
    skip: bool = False


def _checkin_command(
    ctx: typer.Context, target: Target, journal: str, editor: bool, plain: bool, no_input: bool
) -> None:
    st = state(ctx, plain=plain, no_input=no_input)
    jr = st.journal(journal)
    cycle, checkins = plan(jr, number=target.cycle)
    if cycle is None:
        from reflectkit.cli.schedule_text import NOT_STARTED

        if target.cycle is not None:
            raise NotFoundError(
                f"There is no cycle {target.cycle}.", hint="reflectkit remind shows your cycles."
            )
        st.ui.say(NOT_STARTED)
        return
    wanted = [c for c in checkins if (c.kind == "revisit") == (target.kind == "revisit")]
    chosen = _chosen(target, wanted)
    if target.skip:
        _skip(st, jr, cycle.number, chosen or due_now(wanted))
    elif target.question is not None:
        from reflectkit.cli.checkins import checkin_items, mark_if_answered
        from reflectkit.cli.journey import answer_one

        checkin = (
            chosen or due_now(wanted) or next((c for c in wanted if c.state == Phase.UPCOMING), wanted[-1])
        )
        items = checkin_items(st, cycle.number, checkin)
        answer_one(st, jr, items, target.question, editor=editor, source=target.source)
        mark_if_answered(jr, cycle.number, checkin, items)
    elif chosen is not None:
        from reflectkit.cli.checkins import run_checkin

        run_checkin(st, jr, chosen, editor=editor, cycle_number=cycle.number)
    else:
        _due_or_say_why(st, jr, target, checkins, wanted, editor=editor)


def _chosen(target: Target, wanted: list[CheckIn]) -> CheckIn | None:
    if target.week is not None:
        if not 1 <= target.week <= 4:
            raise UsageError(f"There is no week {target.week}: the weekly reflections are weeks 1 to 4.")
        return wanted[target.week - 1]
    if target.kind == "revisit" and (target.cycle is not None or target.question is not None):
        return wanted[0]
    return None


def _skip(st: State, jr: Journal, cycle_number: int, checkin: CheckIn | None) -> None:
    if checkin is None:
        st.ui.say("Nothing is waiting to be skipped.")
        return
    with jr.locked():
        cycles.mark(jr.path, cycle_number, checkin.id, done=None)
    st.ui.say(f"Your {checkin.label} is marked as skipped; it will not be asked for again.")


def _due_or_say_why(
    st: State, jr: Journal, target: Target, checkins: list[CheckIn], wanted: list[CheckIn], *, editor: bool
) -> None:
    due = due_now(wanted)
    if due is None and target.anyway:
        due = next((c for c in wanted if c.state == Phase.UPCOMING), None)
    if due is not None:
        from reflectkit.cli.checkins import run_checkin

        run_checkin(st, jr, due, editor=editor)
        return
    other = due_now(checkins)
    nxt = next((c for c in wanted if c.state == Phase.UPCOMING), None)
    when = f" Your next one, the {nxt.label}, opens on {day_words(nxt.opens, weekday=True)}." if nxt else ""
    if other is not None:  # the other kind of check-in is waiting
        st.ui.say(f"Not this one yet.{when} Your {other.label} is {other.state.value}: {other.command}")
    else:
        st.ui.say(f"Nothing is due just now: well done.{when}")
    if nxt and not target.anyway:
        st.ui.say(f"To reflect early anyway: {nxt.command} --anyway", style="dim")


CycleOpt = Annotated[int | None, typer.Option("--cycle", help="A cycle other than the current one.")]
QuestionOpt = Annotated[
    int | None, typer.Option("--question", help="Answer (or change) question K only; takes a piped answer.")
]
SkipOpt = Annotated[bool, typer.Option("--skip", help="Mark this check-in as skipped, so it stops waiting.")]


def reflect(
    ctx: typer.Context,
    anyway: AnywayOpt = False,
    week: Annotated[int | None, typer.Option("--week", help="Week N (1 to 4), done late or again.")] = None,
    cycle: CycleOpt = None,
    question: QuestionOpt = None,
    from_file: FromOpt = None,
    skip: SkipOpt = False,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    """Your five-minute weekly reflection: What? So what? Now what?

    \b
    Examples:
      reflectkit reflect
      reflectkit reflect --week 2            the week 2 reflection, late
      reflectkit reflect --skip              mark this week's as skipped
      reflectkit reflect --question 1 < what-happened.txt
    """
    target = Target("weekly", anyway, week, cycle, question, from_file, skip)
    _checkin_command(ctx, target, journal, editor, plain, no_input)


def revisit(
    ctx: typer.Context,
    anyway: AnywayOpt = False,
    cycle: CycleOpt = None,
    question: QuestionOpt = None,
    from_file: FromOpt = None,
    skip: SkipOpt = False,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    """The fifteen-minute revisit after four weeks.

    \b
    Examples:
      reflectkit revisit
      reflectkit revisit --question 2
    """
    target = Target("revisit", anyway, None, cycle, question, from_file, skip)
    _checkin_command(ctx, target, journal, editor, plain, no_input)


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
    st = state(ctx, plain=plain, writes=restart or weekday is not None or at is not None)
    jr = st.journal(journal, create=True if restart else None)
    if weekday is not None or at is not None:
        _save_preferences(st, weekday, at)
    if restart:
        with jr.locked():
            started = cycles.start_cycle(jr.path, today())
        earlier = " Earlier cycles stay in your journal." if started.number > 1 else ""
        st.ui.say(f"A new four-week cycle (cycle {started.number}) starts today.{earlier}", style="bold")
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
    from reflectkit.cli.output import deliver, target

    cycle, checkins = plan(jr)
    if cycle is None:
        raise UsageError("There is no schedule to export yet.", hint="Start one: reflectkit remind --restart")
    output = target(path, force=force, option="--ics")
    waiting = [c for c in checkins if c.state in (Phase.UPCOMING, Phase.DUE, Phase.OVERDUE)]
    if not waiting:
        st.ui.say("Nothing in this cycle is still to do, so there is nothing to put in a calendar.")
        return
    config = st.config()
    payload = build_ics(
        waiting,
        cycle_id=f"cycle-{cycle.number}",
        journal=jr.name,
        now=datetime.now(UTC),
        weekday=config.weekday,
        at=config.at,
    )
    deliver(payload, output, what="--ics FILE")
    if output is not None:
        st.ui.say(
            f"Open {output} with your calendar to add {count(len(waiting), 'reminder')}. "
            "Exporting again later updates the same events rather than adding copies.",
            style="green",
        )


def progress_cmd(ctx: typer.Context, journal: JournalOpt = "default", plain: PlainOpt = False) -> None:
    """Your progress: stages, case studies and the Stage 4 schedule.

    \b
    Example:
      reflectkit progress
    """
    show_progress(state(ctx, plain=plain), journal)


def register(app: typer.Typer) -> None:
    app.command("reflect")(reflect)
    app.command("revisit")(revisit)
    app.command()(remind)
    app.command("progress")(progress_cmd)
