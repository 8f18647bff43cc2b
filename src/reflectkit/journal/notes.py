"""Notes (a reflection on any day's work, written with a reflective model) and tags.

A note is a section of kind ``note`` in the journal, one file per note
(``entries/note-<id>.toml``), so it has every guarantee the store gives: written whole,
under the journal's lock, sealed with a count and checksum. Its answers are keyed by the
model's stage ids, and go through :mod:`reflectkit.journal.lifecycle` like any other
answer; what the note is about (title, day of the event, model, minutes) sits beside them
in the file. A note's id is the day of the event and a count: ``2026-11-30-1``.

Tags are short words on a section (a note, a case study, a stage, a weekly reflection),
for finding it again with ``reflectkit search --tag TAG``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal.models import Answer, NoteInfo, Section, Unit
from reflectkit.journal.summary import NoteSummary as NoteSummary
from reflectkit.paths import EARLIEST_DAY
from reflectkit.words import MONTHS, day_words

if TYPE_CHECKING:
    from reflectkit.content.models import TextQuestion
    from reflectkit.content.reflective import ReflectiveModel
    from reflectkit.journal.store import Journal

NOTE_ID = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-([1-9]\d{0,3})$")
MAX_TITLE = 120
MAX_TAGS = 20
MAX_MINUTES = 1440
# A tag is one word of letters, digits and hyphens (any alphabet), at most 40 characters.
TAG = re.compile(r"^[^\W_][\w-]{0,39}$")
_TAG_SPLIT = re.compile(r"[\s,;]+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MODEL_KEY = "note_model"  # config.toml: the model a new note offers first


# -- what the user types -------------------------------------------------------------
def parse_tags(text: str | Iterable[str]) -> list[str]:
    """Tags from what was typed: split at commas and spaces, lower-cased, a leading '#'
    dropped, each kept once in the order given.

    Raises:
        UsageError: a tag is not one word of letters, digits and hyphens, or there are
            more than :data:`MAX_TAGS`.
    """
    pieces = [text] if isinstance(text, str) else list(text)
    tags: list[str] = []
    for piece in pieces:
        for word in _TAG_SPLIT.split(piece):
            tag = word.strip().lstrip("#").casefold()
            if not tag:
                continue
            if not TAG.fullmatch(tag):
                shown = tag.encode("unicode_escape").decode("ascii")[:60]
                raise UsageError(
                    f"{shown!r} is not a tag reflectkit can keep.",
                    hint="A tag is one word of letters, digits and hyphens, such as interpreters "
                    "or home-visits (at most 40 characters).",
                )
            if tag not in tags:
                tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UsageError(f"That is {len(tags)} tags; a part can have at most {MAX_TAGS}.")
    return tags


def check_title(text: str) -> str:
    """A note's title as typed, trimmed; refused if empty, too long or not one line."""
    title = " ".join(text.split())
    if not title:
        raise UsageError("A note needs a title: a few words about what happened.")
    if len(title) > MAX_TITLE:
        raise UsageError(f"That title has {len(title)} characters; keep it to {MAX_TITLE}.")
    if _CONTROL.search(title):
        raise UsageError("A title cannot hold control characters or direction overrides.")
    return title


def parse_event_date(text: str, today: date) -> date:
    """The day of the event: Enter or 'today' for ``today``, 'yesterday', ``2026-11-30``,
    ``30/11/2026`` or ``30/11`` (this year), read the British way round.

    Raises:
        UsageError: it is not a date, is after ``today``, or before 2000.
    """
    typed = text.strip().casefold()
    found: date | None = None
    if typed in ("", "today"):
        found = today
    elif typed == "yesterday":
        found = today - timedelta(days=1)
    else:
        found = _date_from(typed, today)
    if found is None:
        raise UsageError(
            f"{text.strip()[:40]!r} is not a date reflectkit can read.",
            hint="Type it as 2026-11-30 or 30/11/2026, or 'yesterday'; Enter means today.",
        )
    if found > today:
        raise UsageError(f"{day_words(found)} has not happened yet: a note is about something past.")
    if found < EARLIEST_DAY:
        raise UsageError(f"reflectkit keeps notes on events from {day_words(EARLIEST_DAY)} onwards.")
    return found


def _date_from(typed: str, today: date) -> date | None:
    try:
        return date.fromisoformat(typed)
    except ValueError:
        pass
    parts = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?", typed)
    if parts is None:
        return None
    day, month, year = int(parts[1]), int(parts[2]), int(parts[3] or today.year)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_minutes(text: str) -> int | None:
    """Minutes spent, as typed: empty for none, else a whole number from 1 to 1440."""
    typed = re.sub(r"\s*(?:minutes?|mins?)$", "", text.strip().casefold())
    if not typed:
        return None
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= MAX_MINUTES:
        return int(typed)
    raise UsageError(f"{text.strip()[:20]!r} is not a number of minutes from 1 to {MAX_MINUTES}.")


# -- writing notes and tags ------------------------------------------------------------------
def note_section(note_id: str) -> Section:
    """The section of note ``note_id``; refused unless it is an id such as 2026-11-30-1."""
    if not NOTE_ID.fullmatch(note_id):
        raise UsageError(
            f"{note_id[:40]!r} is not a note id.",
            hint="Note ids look like 2026-11-30-1; `reflectkit journal show` lists your notes.",
        )
    return Section("note", note_id)


def _next_id(journal: Journal, day: date) -> str:
    """The next free id for a note on ``day`` (call with the journal's lock held)."""
    prefix = f"note-{day.isoformat()}-"
    taken = [
        int(seq)
        for path in journal.entries.glob(f"{prefix}*.toml")
        if (seq := path.stem.removeprefix(prefix)).isascii() and seq.isdigit()
    ]
    return f"{day.isoformat()}-{max(taken, default=0) + 1}"


def create_note(
    journal: Journal,
    *,
    title: str,
    event_date: date,
    model: str,
    tags: Sequence[str] = (),
    minutes: int | None = None,
) -> Section:
    """Start a note: its file is written at once, with no answers yet, under a new id.

    The id is chosen under the journal's lock, so two windows never take the same one.
    """
    info = NoteInfo(title=check_title(title), event_date=event_date, model=model, minutes=minutes)
    with journal.locked():
        section = Section("note", _next_id(journal, event_date))
        unit = Unit(section="note", ref=section.ref, tags=list(tags) or None, note=info)
        journal.write_unit(section, unit)
    return section


def load_note(journal: Journal, note_id: str) -> Unit:
    """The note's file, or NotFoundError naming how to list the notes."""
    unit = journal.load(note_section(note_id))
    if unit is None or unit.note is None:
        raise NotFoundError(
            f"There is no note {note_id} in the journal {journal.name!r}.",
            hint="`reflectkit journal show` lists your notes.",
        )
    return unit


def set_minutes(journal: Journal, section: Section, minutes: int | None) -> bool:
    """Record the minutes a note took; False if there is no such note."""

    def change(unit: Unit) -> bool:
        if unit.note is None:
            return False
        unit.note = unit.note.replaced(minutes=minutes)
        return True

    return bool(journal.modify(section, change))


def change_tags(
    journal: Journal, section: Section, *, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> list[str] | None:
    """Add and remove tags on a section's file; return its tags now, or None when the
    section has nothing saved yet (there is no file to put them on).

    Raises:
        UsageError: the section would have more than :data:`MAX_TAGS` tags.
    """

    def change(unit: Unit) -> list[str]:
        tags = [t for t in unit.tags or [] if t not in remove]
        tags += [t for t in add if t not in tags]
        if len(tags) > MAX_TAGS:
            raise UsageError(f"A part can have at most {MAX_TAGS} tags; nothing was changed.")
        unit.tags = tags or None
        return tags

    return journal.modify(section, change)


# -- reading notes ---------------------------------------------------------------------------
def note_questions(model: ReflectiveModel) -> list[TextQuestion]:
    """A note's questions: one text question per stage of its model, keyed by stage id."""
    from reflectkit.content.models import TextQuestion

    return [TextQuestion(kind="text", id=s.id, prompt=s.prompt, help=s.help) for s in model.stages]


def heading(unit: Unit) -> str:
    """A note's heading: 'Note: Home visit with an interpreter (30 November 2026)'."""
    if unit.note is None:
        return f"Note {unit.ref}"
    return f"Note: {unit.note.title} ({day_words(unit.note.event_date)})"


def summaries(units: Iterable[Unit]) -> list[NoteSummary]:
    """The notes among ``units``, by day of the event then id."""
    found = [
        NoteSummary(
            id=u.ref,
            title=u.note.title,
            event_date=u.note.event_date,
            model=u.note.model,
            answered=sum(1 for a in u.answers.values() if not a.unfinished),
            tags=tuple(u.tags or ()),
            minutes=u.note.minutes,
        )
        for u in units
        if u.section == "note" and u.note is not None
    ]
    from reflectkit import sections

    return sorted(found, key=lambda s: sections.order(Section("note", s.id), None))


def by_month(notes: Iterable[NoteSummary]) -> list[tuple[str, list[NoteSummary]]]:
    """Notes grouped by the month of the event, oldest month first: ('November 2026', [...])."""
    months: dict[tuple[int, int], list[NoteSummary]] = {}
    for note in notes:
        months.setdefault((note.event_date.year, note.event_date.month), []).append(note)
    return [(f"{MONTHS[m - 1]} {y}", months[(y, m)]) for y, m in sorted(months)]


def month_lines(notes: Iterable[NoteSummary], *, model_names: dict[str, str] | None = None) -> list[str]:
    """Notes listed by month, for ``journal show`` and ``progress``: a line per month with
    its count, then a line per note (user text unchanged: callers make it safe to show)."""
    lines = []
    for month, found in by_month(notes):
        lines.append(f"{month}: {len(found)} {'note' if len(found) == 1 else 'notes'}")
        for n in found:
            model = (model_names or {}).get(n.model, n.model)
            tags = f"; tags: {', '.join(n.tags)}" if n.tags else ""
            lines.append(f"  {n.event_date.day} {MONTHS[n.event_date.month - 1][:3]}  {n.title}  "
                         f"({n.id}, {model}, {n.answered} answered{tags})")  # fmt: skip
    return lines


# -- a note as the source of an NMC reflective account ----------------------------------------
@dataclass(frozen=True)
class NmcPick:
    """A note's answer chosen for one part of the NMC account, and where it came from."""

    part: str
    source: str  # "Note 2026-11-30-1 (Gibbs' reflective cycle): Description"
    question: str
    answer: Answer


@dataclass(frozen=True)
class NoteForNmc:
    """A note laid out by the four parts of the NMC reflective account.

    ``parts`` maps each part ("nature", "learning", "change", "code", in the form's order)
    to the note's answers that feed it, in the model's stage order; a part no stage of the
    model feeds is an empty list. The title and the day of the event belong to "nature".
    """

    note_id: str
    title: str
    event_date: date
    model_name: str
    minutes: int | None
    parts: dict[str, list[NmcPick]] = field(default_factory=dict)


def note_for_nmc(unit: Unit, model: ReflectiveModel) -> NoteForNmc:
    """A note's answers grouped by NMC part, following the model's ``nmc`` mapping.

    Only finished answers with text are used. Raises UsageError if ``unit`` is not a note
    or was written with another model.
    """
    from reflectkit.content.reflective import NMC_PARTS

    if unit.note is None:
        raise UsageError(f"{unit.section} {unit.ref} is not a note.")
    if unit.note.model != model.id:
        raise UsageError(f"Note {unit.ref} was written with {unit.note.model!r}, not {model.id!r}.")
    parts: dict[str, list[NmcPick]] = {}
    for part in NMC_PARTS:
        picks = []
        for stage in model.for_nmc(part):
            answer = unit.answers.get(stage.id)
            if answer is None or answer.unfinished or not isinstance(answer.value, str):
                continue
            source = f"Note {unit.ref} ({model.name}): {stage.title}"
            picks.append(NmcPick(part, source, answer.question, answer))
        parts[part] = picks
    info = unit.note
    return NoteForNmc(unit.ref, info.title, info.event_date, model.name, info.minutes, parts)
