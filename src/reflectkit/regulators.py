"""The regulators' rules as content, and where a journal stands against them.

Each regulator is a TOML file in ``data/regulators/``: who it registers, the page to
confirm its rules on, how its period runs (three years to a renewal date, a registration
year ending on 30 November...), and each requirement with the figure it sets, what in the
journal counts towards it, and the source it was checked against with the month. A
requirement reflectkit cannot count (practice hours, say) is still listed, as a reminder.

:func:`status` is pure: the rules, today, the user's renewal date, the CPD log and the
dated pieces of work (finished case studies, notes) in; done, needed and due out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from reflectkit.content.loader import data_root, format_validation_error
from reflectkit.content.models import Workbook
from reflectkit.content.schema import Id, Month, Text, _Model
from reflectkit.errors import BadDataError, ContentError, UsageError
from reflectkit.fileio import read_toml
from reflectkit.journal.cpdlog import DISCUSSION, LogEntry
from reflectkit.journal.models import Unit

REGULATOR_SCHEMA_VERSION: Literal[1] = 1
# The order they are listed in: the four countries' social work regulators after the NMC.
ORDER = ("nmc", "swe", "hcpc", "scw", "sssc", "niscc")
Measure = Literal[
    "accounts", "feedback", "cpd-hours", "participatory-hours", "discussion",
    "records", "peer-reflection", "record", "gaps", "none",
]  # fmt: skip
COUNTS = frozenset({"accounts", "feedback", "discussion", "records", "peer-reflection"})
HOURS = frozenset({"cpd-hours", "participatory-hours"})
Url = Annotated[str, Field(pattern=r"^https?://")]


class RuleSource(_Model):
    """Where a rule was read, and the month it was last checked there."""

    title: Text
    organisation: Text
    url: Url
    checked: Month


class Period(_Model):
    """How long a period is and how it ends: on the user's own date, or a fixed "MM-DD"."""

    years: int = Field(ge=1, le=5)
    ends: Annotated[str, Field(pattern=r"^(renewal-date|(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$")]
    date_name: Text
    about: Text

    @property
    def asks_date(self) -> bool:
        return self.ends == "renewal-date"


class Requirement(_Model):
    """One thing the regulator asks for; ``target`` is its figure where it sets one."""

    id: Id
    title: Text
    measure: Measure
    target: int | None = Field(default=None, ge=1)
    text: Text
    counts: str = ""
    source: RuleSource

    @model_validator(mode="after")
    def _target_fits(self) -> Requirement:
        needs = self.measure in COUNTS | HOURS | {"gaps"}
        if needs and self.target is None:
            raise ValueError(f"a {self.measure!r} requirement needs a target")
        if not needs and self.target is not None:
            raise ValueError(f"a {self.measure!r} requirement has no target")
        return self

    @property
    def unit(self) -> Literal["count", "minutes", "gaps", "record", "none"]:
        if self.measure in COUNTS:
            return "count"
        if self.measure in HOURS:
            return "minutes"
        return self.measure  # type: ignore[return-value]


class Note(_Model):
    text: Text
    source: RuleSource


class Regulator(_Model):
    """A regulator's rules, as checked in the month ``checked``."""

    schema_version: Literal[1] = REGULATOR_SCHEMA_VERSION
    id: Id
    name: Text
    short: Text
    who: Text
    page: Url
    export: Id
    checked: Month
    period: Period
    requirements: list[Requirement] = Field(min_length=1)
    notes: list[Note] = Field(default_factory=list)

    @property
    def called(self) -> str:
        """Its name in a sentence: 'the Nursing and Midwifery Council', 'Social Work England'."""
        return f"the {self.name}" if self.short.startswith("the ") else self.name


# -- loading ---------------------------------------------------------------------------------
def load_regulator_file(path: Path) -> Regulator:
    """One regulator's rules, or ContentError listing every problem in the file."""
    try:
        data = read_toml(path)
    except BadDataError as exc:
        raise ContentError(exc.message) from exc
    try:
        return Regulator.model_validate(data)
    except ValidationError as exc:
        raise ContentError(f"{path} is not valid:", problems=format_validation_error(path.name, exc)) from exc


def load_regulators(root: Path | None = None) -> dict[str, Regulator]:
    """Every shipped regulator by id, in :data:`ORDER` (then by id)."""
    found = [load_regulator_file(p) for p in sorted(((root or data_root()) / "regulators").glob("*.toml"))]
    rank = {rid: n for n, rid in enumerate(ORDER)}
    return {r.id: r for r in sorted(found, key=lambda r: (rank.get(r.id, len(ORDER)), r.id))}


def choose(regulators: dict[str, Regulator], name: str) -> Regulator:
    """The regulator called ``name`` (its id, any case); UsageError naming the choices."""
    found = regulators.get(name.strip().lower())
    if found is None:
        raise UsageError(
            f"{name!r} is not a regulator reflectkit knows.",
            hint="Choose one of: " + ", ".join(f"{r.id} ({r.name})" for r in regulators.values()),
        )
    return found


# -- the period ---------------------------------------------------------------------------------
def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February where needed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Window:
    """The period being counted. ``due`` is None when the user has not given their date
    (then the window is the period up to today); ``moved_on`` when the date given had
    passed and the next one is shown."""

    start: date
    end: date
    due: date | None
    moved_on: bool = False


def window(period: Period, today: date, given: date | None) -> Window:
    """The current period: the one that ends on or after ``today``."""
    if not period.asks_date:
        month, day = (int(p) for p in period.ends.split("-"))
        end = date(today.year, month, day)
        end = end if end >= today else add_years(end, 1)
        return Window(add_years(end, -period.years) + timedelta(days=1), end, end)
    if given is None:
        return Window(add_years(today, -period.years) + timedelta(days=1), today, None)
    end, moved = given, False
    while end < today:  # a date that has passed: the next renewal, a period later
        end, moved = add_years(end, period.years), True
    return Window(add_years(end, -period.years) + timedelta(days=1), end, end, moved)


# -- what the journal holds ------------------------------------------------------------------------
@dataclass(frozen=True)
class Dated:
    """A piece of work that counts as evidence: a finished case study, a note."""

    day: date
    title: str
    case: int | None = None


def finished_cases(units: Iterable[Unit], workbook: Workbook, tz: tzinfo | None = None) -> list[Dated]:
    """Case studies with every question answered, dated by the day of their last answer."""
    found = []
    for unit in units:
        case = workbook.case_by_id(unit.ref) if unit.section == "case" else None
        if case is None:
            continue
        done = {qid for qid, a in unit.answers.items() if not a.unfinished}
        if all(q.id in done for q in [*workbook.stage(3).prompts, *case.questions]):
            last = max(a.updated for a in unit.answers.values()).astimezone(tz).date()
            found.append(Dated(last, f"Case study {case.number}: {case.title}", case.number))
    return sorted(found, key=lambda d: d.day)


def notes_evidence(units: Iterable[Unit], tz: tzinfo | None = None) -> tuple[list[Dated], list[Dated]]:
    """Written reflections and practice-related feedback from notes (sections of the kind
    "note", dated by their event): a note tagged "feedback" is feedback."""
    accounts: list[Dated] = []
    feedback: list[Dated] = []
    for unit in units:
        if str(unit.section) != "note" or not unit.answers:
            continue
        info: Any = getattr(unit, "note", None)
        when = getattr(info, "event_date", None)
        if not isinstance(when, date):
            when = min(a.created for a in unit.answers.values()).astimezone(tz).date()
        item = Dated(when, str(getattr(info, "title", "") or f"Note {unit.ref}"))
        tags = getattr(unit, "tags", None) or []
        (feedback if "feedback" in tags else accounts).append(item)
    return sorted(accounts, key=lambda d: d.day), sorted(feedback, key=lambda d: d.day)


# -- where the journal stands ------------------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    """One requirement: ``done`` and ``needed`` are counts, or minutes for hours; for gaps,
    ``done`` is how many there are. ``met`` is None where the rule sets no figure."""

    requirement: Requirement
    done: int
    needed: int | None
    met: bool | None
    detail: tuple[str, ...] = ()

    @property
    def short_by(self) -> int:
        return max(0, (self.needed or 0) - self.done) if self.requirement.unit in ("count", "minutes") else 0


@dataclass(frozen=True)
class Status:
    regulator: Regulator
    window: Window
    standings: list[Standing]


def gaps(days: Iterable[date], until: date, months: int) -> list[tuple[date, date]]:
    """Stretches of ``months`` whole months or more between activities, and from the last
    one to ``until`` (an activity on ``until`` itself closes the stretch)."""
    ordered = sorted(set(days))
    found = []
    for before, after in zip(ordered, [*ordered[1:], until], strict=True):
        if months_between(before, after) >= months:
            found.append((before, after))
    return found


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (15 Jan to 15 Apr is 3)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def _standing(
    req: Requirement, today: date, log: Sequence[LogEntry], work: Sequence[Dated], feedback: Sequence[Dated]
) -> Standing:
    logged_cases = {e.case for e in log if e.case is not None}
    target = req.target or 0
    if req.measure in HOURS:
        with_others = req.measure == "participatory-hours"
        minutes = sum(e.minutes for e in log if e.participatory or not with_others)
        return Standing(req, minutes, target * 60, minutes >= target * 60)
    if req.measure == "gaps":
        found = gaps([e.date for e in log] + [d.day for d in work], today, target)
        shown = tuple(f"{a.isoformat()} to {b.isoformat()}" for a, b in found)
        return Standing(req, len(found), 0, not found, shown)
    if req.measure in ("record", "none"):
        count = len(log) + sum(1 for d in work if d.case not in logged_cases)
        return Standing(req, count if req.measure == "record" else 0, None, None)
    counted = {
        "accounts": len(work),
        "feedback": len(feedback),
        "discussion": sum(1 for e in log if e.type == DISCUSSION),
        "records": len(log) + sum(1 for d in work if d.case not in logged_cases),
        "peer-reflection": sum(1 for e in log if e.with_whom),
    }[req.measure]
    return Standing(req, counted, target, counted >= target)


def status(
    regulator: Regulator,
    *,
    today: date,
    given: date | None,
    log: Iterable[LogEntry] = (),
    work: Iterable[Dated] = (),
    feedback: Iterable[Dated] = (),
) -> Status:
    """Each requirement of ``regulator`` against what falls in the current period.

    Args:
        today: The day to count up to (``paths.today()`` in the CLI).
        given: The user's renewal (or declaration) date, where the period ends on one.
        log: The CPD log's entries.
        work: Written reflections: finished case studies and notes.
        feedback: Practice-related feedback (notes tagged "feedback").
    """
    win = window(regulator.period, today, given)
    inside = [e for e in log if win.start <= e.date <= win.end]
    pieces = [d for d in work if win.start <= d.day <= win.end]
    heard = [d for d in feedback if win.start <= d.day <= win.end]
    standings = [_standing(r, today, inside, pieces, heard) for r in regulator.requirements]
    return Status(regulator, win, standings)
