"""Asking for CPD log entries: one field at a time, and a workbook sitting offered as one.

Every prompt is a line of the answer box (``st.ui.read_line``): ``/quit`` stops and saves
nothing, ``/back`` goes to the field before, ``/skip`` leaves an optional field empty and
``/help`` says what a field is for. Each field is checked as it is typed, with the same
rules the log applies when it saves (:func:`reflectkit.journal.cpdlog.check`), so a date
in the future or a duration of 25 hours is asked again rather than refused at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from reflectkit.cli.state import State
from reflectkit.errors import BadDataError, ReflectkitError, UsageError
from reflectkit.journal import cpdlog
from reflectkit.journal.cpdlog import Draft, LogEntry
from reflectkit.journal.store import Journal
from reflectkit.paths import today as today_
from reflectkit.textsafe import one_line


@dataclass(frozen=True)
class Ask:
    """One field: its prompt, how to read it, and what /help says."""

    name: str
    prompt: str
    read: Callable[[str, date], Any]
    help: str
    required: bool = False


def _yes_no(text: str, _: date) -> bool:
    typed = text.strip().lower()[:1]
    if typed not in ("y", "n"):
        raise UsageError("Please type y or n.")
    return typed == "y"


def _tags(text: str, _: date) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(","))


FIELDS = (
    Ask("title", "What was it? ", lambda t, _: t, "A short title, such as 'Safeguarding update' or "
        "'Team session on case study 2'. Leave out anything that could identify someone.", required=True),
    Ask("date", "When was it? (YYYY-MM-DD, today or yesterday) ", cpdlog.parse_day,
        "The day it happened. A day in the future cannot be logged.", required=True),
    Ask("minutes", "How long did it take? (minutes, or 1h 30m) ", lambda t, _: cpdlog.parse_minutes(t),
        "The time you spent, from 1 minute to 24 hours.", required=True),
    Ask("type", "What kind of activity? ", lambda t, _: t,
        "For example: " + ", ".join(cpdlog.TYPES) + ". Any other words will do."),
    Ask("participatory", "Did you do it with other professionals (participatory)? (y/n) [n] ", _yes_no,
        "Participatory learning involves interaction with others: a course, a team session, a "
        "discussion, in person or online. Reading alone is not."),
    Ask("with_whom", "Whom did you talk it over with? Their role only, never a name (Enter if nobody): ",
        lambda t, _: t, "For example 'a colleague in my team' or 'my supervisor'. Social Work England "
        "asks that one piece of CPD a year includes reflection with a peer."),
    Ask("tags", "Tags, separated by commas (Enter for none): ", _tags,
        "Words to find it by later, such as 'safeguarding' or a core learning element."),
)  # fmt: skip


def _initial(draft: Draft, name: str) -> str:
    value = getattr(draft, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "y" if value else "n"
    if isinstance(value, date):
        return value.isoformat()
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def ask_fields(st: State, draft: Draft, *, today: date, asked: tuple[str, ...] | None = None) -> Draft | None:
    """Ask for the fields of ``draft`` named in ``asked`` (by default: those not given yet),
    each shown with its current value to accept or change. None when the user quits."""
    names = asked if asked is not None else tuple(f.name for f in FIELDS if getattr(draft, f.name) is None)
    todo = [f for f in FIELDS if f.name in names]
    index = 0
    explained: set[str] = set()
    while index < len(todo):
        ask = todo[index]
        if ask.name not in explained:  # what the question is for, once, before it is asked
            st.ui.say(ask.help, style="dim")
            explained.add(ask.name)
        reply = st.ui.read_line(ask.prompt, initial=_initial(draft, ask.name))
        if reply.kind == "quit":
            return None
        if reply.kind == "back":
            index = max(0, index - 1)
            continue
        if reply.kind == "help":
            st.ui.say(ask.help, style="dim")
            continue
        typed = reply.text.strip() if reply.kind == "answer" else ""
        if not typed and ask.required:
            st.ui.warn("This one is needed: type it, or /quit to stop (nothing is saved).")
            continue
        try:
            value = ask.read(typed, today) if typed else None
            draft = cpdlog.check(replace(draft, **{ask.name: value}), today=today)
        except UsageError as exc:
            st.ui.warn(" ".join(filter(None, (exc.message.replace("; nothing was saved", ""), exc.hint))))
            continue
        index += 1
    return draft


def offer_sitting(
    st: State, jr: Journal, title: str, minutes: int, *, case: int | None = None
) -> LogEntry | None:
    """When a case study or stage is finished: offer the sitting as a CPD log entry.

    Asked only in a terminal, and only once for the same title on the same day. The user
    confirms the time, and says whether it was a team session (participatory). Returns the
    entry saved, or None.
    """
    if not st.ui.interactive:
        return None
    day = today_()
    try:
        if cpdlog.logged(cpdlog.read_log(jr), title, day):
            return None
    except BadDataError as exc:
        st.ui.warn(f"Your CPD log could not be read, so this was not offered: {exc.message}")
        return None
    st.ui.say()
    st.ui.say(f"For your CPD log: {one_line(title, 100)}, about {cpdlog.duration_words(minutes)}.")
    reply = st.ui.read_line("Add it to your CPD log? (y/n) [y] ")
    if reply.kind != "answer" or reply.text.strip().lower()[:1] not in ("", "y"):
        return None
    given = Draft(date=day, minutes=minutes, title=title, type="workbook", case=case)
    draft = ask_fields(st, given, today=day, asked=("minutes", "participatory", "with_whom"))
    if draft is None:
        st.ui.say("Nothing was added to your CPD log.", style="dim")
        return None
    if draft.participatory:
        draft = replace(draft, type="team session")
    try:
        entry = cpdlog.add(jr, draft, today=day)
    except ReflectkitError as exc:
        st.ui.warn(f"It was not added to your CPD log: {exc.message}")
        return None
    st.ui.say(f"Added to your CPD log as entry {entry.id}.", style="green")
    return entry
