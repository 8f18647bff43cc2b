"""`reflectkit log`: the CPD log. Add, list, change and remove dated learning activities."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli.options import JournalOpt, NoInputOpt, PlainOpt, state
from reflectkit.cli.sittings import FIELDS, ask_fields
from reflectkit.cli.state import State
from reflectkit.errors import UsageError
from reflectkit.journal import cpdlog
from reflectkit.journal.cpdlog import Draft, LogEntry
from reflectkit.paths import today
from reflectkit.textsafe import one_line, safe
from reflectkit.words import count, day_words

LOG_HELP = """Your CPD log: learning activities with their date and time, for your regulator.

\b
Examples:
  reflectkit log add                   asked one thing at a time
  reflectkit log add --title='Safeguarding update' --minutes 90 --participatory
  reflectkit log list
  reflectkit log edit 3
  reflectkit log remove 3
"""

log_app = typer.Typer(help=LOG_HELP, no_args_is_help=True, rich_markup_mode=None)

DateOpt = Annotated[
    str | None, typer.Option("--date", help="The day it happened (YYYY-MM-DD; default today).")
]
MinutesOpt = Annotated[int | None, typer.Option("--minutes", help="How long it took, in minutes.")]
HoursOpt = Annotated[float | None, typer.Option("--hours", help="How long it took, in hours (1.5).")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="What it was, in general terms.")]
TypeOpt = Annotated[
    str | None,
    typer.Option("--type", help="Course, reading, team session, supervision, reflective discussion..."),
]
WithOthersOpt = Annotated[
    bool | None,
    typer.Option("--participatory/--alone", help="Learning with other professionals, or on your own."),
]
WithOpt = Annotated[
    str | None, typer.Option("--with", help="Whom you talked it over with: a role, never a name.")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="The id of a note it links to.")]
CaseOpt = Annotated[int | None, typer.Option("--case", help="The case study it links to.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="A tag (give --tag again for more).")]


def _draft(
    *,
    when: str | None,
    minutes: int | None,
    hours: float | None,
    title: str | None,
    kind: str | None,
    participatory: bool | None,
    with_: str | None,
    note: str | None,
    case: int | None,
    tags: list[str] | None,
) -> Draft:
    """The options given, read and checked; UsageError before anything is asked or saved."""
    if minutes is not None and hours is not None:
        raise UsageError("Give --minutes or --hours, not both; nothing was saved.")
    day = today()
    draft = Draft(
        date=cpdlog.parse_day(when, day) if when is not None else None,
        minutes=cpdlog.hours_to_minutes(hours) if hours is not None else minutes,
        title=title,
        type=kind,
        participatory=participatory,
        with_whom=with_,
        note=note,
        case=case,
        tags=tuple(tags) if tags else None,
    )
    return cpdlog.check(draft, today=day)


@log_app.command("add")
def add(
    ctx: typer.Context,
    when: DateOpt = None,
    minutes: MinutesOpt = None,
    hours: HoursOpt = None,
    title: TitleOpt = None,
    kind: TypeOpt = None,
    participatory: WithOthersOpt = None,
    with_: WithOpt = None,
    note: NoteOpt = None,
    case: CaseOpt = None,
    tag: TagOpt = None,
    no_input: NoInputOpt = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Add a learning activity to your CPD log: asked in a terminal, or all from options.

    With --no-input (or no terminal), nothing is asked: --title and --minutes (or --hours)
    are needed, the date is today unless --date says otherwise, and the activity counts as
    done alone unless --participatory is given.

    \b
    Examples:
      reflectkit log add
      reflectkit log add --title='Safeguarding update' --minutes 90 --participatory --type course
      reflectkit log add --title='Reading on interpreters' --hours 1.5 --alone --no-input
    """
    st = state(ctx, plain=plain, no_input=no_input, writes=True)
    draft = _draft(
        when=when, minutes=minutes, hours=hours, title=title, kind=kind, participatory=participatory,
        with_=with_, note=note, case=case, tags=tag,
    )  # fmt: skip
    day = today()
    if st.ui.interactive and (draft.title is None or draft.minutes is None):
        missing = tuple(f.name for f in FIELDS if getattr(draft, f.name) is None)
        asked = ask_fields(st, replace(draft, date=draft.date or day), today=day, asked=missing)
        if asked is None:
            st.ui.say("Stopped: nothing was added to your CPD log.")
            return
        draft = asked
    draft = replace(draft, date=draft.date or day, participatory=bool(draft.participatory))
    jr = st.journal(journal, create=True)
    entry = cpdlog.add(jr, draft, today=day)
    st.ui.say(f"Added to your CPD log as entry {entry.id}: {_line(entry)}", style="green")
    _privacy_warning(st, entry)


@log_app.command("list")
def list_cmd(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Only from this day (YYYY-MM-DD).")] = None,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """List your CPD log, oldest first, with the total time.

    \b
    Examples:
      reflectkit log list
      reflectkit log list --since=2026-04-01
    """
    st = state(ctx, plain=plain)
    start = cpdlog.parse_day(since, today()) if since is not None else date.min
    entries = [e for e in cpdlog.read_log(st.journal(journal)).entries if e.date >= start]
    if not entries:
        st.ui.say("Your CPD log has no entries yet. Add one with: reflectkit log add")
        return
    _show(st, entries)


def _line(entry: LogEntry) -> str:
    """One entry on one line, its user text made safe."""
    who = f", with {one_line(entry.with_whom, 60)}" if entry.with_whom else ""
    others = "with others" if entry.participatory else "alone"
    return (
        f"{day_words(entry.date)}: {one_line(entry.title, 100)} ({one_line(entry.type, 40)}; "
        f"{cpdlog.duration_words(entry.minutes)}; {others}{who})"
    )


def _show(st: State, entries: list[LogEntry]) -> None:
    if st.ui.plain or st.ui.width < 72:
        for entry in entries:
            st.ui.out.print(Text(f"{entry.id}. {_line(entry)}"), soft_wrap=st.ui.plain)
    else:
        from reflectkit.cli.screens import grid

        table = grid(st.ui.plain, "No.", "Date", "Activity", "Type", "Time", "With others")
        for e in entries:
            table.add_row(
                str(e.id), day_words(e.date), Text(safe(e.title)), Text(safe(e.type)),
                cpdlog.duration_words(e.minutes), "yes" if e.participatory else "no",
            )  # fmt: skip
        st.ui.out.print(table, width=st.ui.width)
    total = sum(e.minutes for e in entries)
    shared = sum(e.minutes for e in entries if e.participatory)
    st.ui.say(
        f"{count(len(entries), 'entry', 'entries')}: {cpdlog.duration_words(total)} in all, "
        f"{cpdlog.duration_words(shared)} of it with others (participatory)."
    )


@log_app.command("edit")
def edit(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's number (see `log list`).")],
    when: DateOpt = None,
    minutes: MinutesOpt = None,
    hours: HoursOpt = None,
    title: TitleOpt = None,
    kind: TypeOpt = None,
    participatory: WithOthersOpt = None,
    with_: WithOpt = None,
    note: NoteOpt = None,
    case: CaseOpt = None,
    tag: TagOpt = None,
    no_input: NoInputOpt = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Change an entry: the options given, or (in a terminal, with none) each field in turn.

    \b
    Examples:
      reflectkit log edit 3
      reflectkit log edit 3 --minutes 120
    """
    st = state(ctx, plain=plain, no_input=no_input, writes=True)
    draft = _draft(
        when=when, minutes=minutes, hours=hours, title=title, kind=kind, participatory=participatory,
        with_=with_, note=note, case=case, tags=tag,
    )  # fmt: skip
    old = cpdlog.read_log(st.journal(journal)).get(entry_id)
    if not draft.given():
        st.ui.require_input(
            "which fields of the entry to change", instead=f"reflectkit log edit {entry_id} --minutes 90"
        )
        changes = _ask_changes(st, old)
        if changes is None:
            st.ui.say("Stopped: the entry was not changed.")
            return
        draft = changes
    entry = cpdlog.edit(st.journal(journal, create=True), entry_id, draft, today=today())
    st.ui.say(f"Changed entry {entry.id}: {_line(entry)}", style="green")
    _privacy_warning(st, entry)


def _ask_changes(st: State, old: LogEntry) -> Draft | None:
    """Each field shown with its value, to keep (Enter) or change; only changes come back."""
    current = Draft(
        date=old.date, minutes=old.minutes, title=old.title, type=old.type, participatory=old.participatory,
        with_whom=old.with_whom or None, tags=tuple(old.tags) or None,
    )  # fmt: skip
    st.ui.say(f"Entry {old.id}: {_line(old)}")
    st.ui.say("Press Enter to keep a value, or type a new one.", style="dim")
    asked = ask_fields(st, current, today=today(), asked=tuple(f.name for f in FIELDS))
    if asked is None:
        return None
    changed = {k: v for k, v in asked.given().items() if current.given().get(k) != v}
    return Draft(**changed)


@log_app.command("remove")
def remove(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's number (see `log list`).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
    no_input: NoInputOpt = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Remove an entry from your CPD log (asks first, unless --yes).

    \b
    Examples:
      reflectkit log remove 3
      reflectkit log remove 3 --yes
    """
    st = state(ctx, plain=plain, no_input=no_input, writes=True)
    entry = cpdlog.read_log(st.journal(journal)).get(entry_id)
    if not yes:
        st.ui.require_input(f"remove entry {entry_id}?", instead=f"reflectkit log remove {entry_id} --yes")
        st.ui.say(f"Entry {entry.id}: {_line(entry)}")
        if st.ui.choose("Remove it? (y/n) [n] ", "yn", default="n") != "y":
            st.ui.say("The entry was kept.")
            return
    cpdlog.remove(st.journal(journal, create=True), entry_id)
    st.ui.say(f"Removed entry {entry_id} from your CPD log.", style="green")


def _privacy_warning(st: State, entry: LogEntry) -> None:
    """The entry is saved; say so if its words look as if they could identify someone."""
    from reflectkit.privacy import find_identifiers

    names = st.config().names
    for text in (entry.title, entry.with_whom):
        for finding in find_identifiers(text, names=names):
            st.ui.warn(
                f"{finding.reason} ({one_line(finding.text, 40)!r}). A CPD log goes into documents for "
                f"your regulator: change it with: reflectkit log edit {entry.id}"
            )


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
