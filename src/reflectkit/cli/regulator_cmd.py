"""`reflectkit regulator` (who you are registered with) and `reflectkit revalidation`
(where your journal and CPD log stand against that regulator's rules)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from reflectkit.cli.options import JournalOpt, PlainOpt, state
from reflectkit.cli.state import State
from reflectkit.content.models import month_words
from reflectkit.errors import UsageError
from reflectkit.journal import cpdlog
from reflectkit.paths import EARLIEST_DAY, today
from reflectkit.words import day_words

TYPE_CHECKING = False
if TYPE_CHECKING:  # the rules are read only when a regulator command runs
    from reflectkit.regulators import Regulator, Standing, Status

REGULATOR_KEY = "regulator"
DATE_KEY = "regulator_date"
STALE_MONTHS = 12

RenewalOpt = Annotated[
    str | None,
    typer.Option("--renewal", metavar="DATE", help="Your renewal (or annual declaration) date, YYYY-MM-DD."),
]


def regulator(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="nmc, swe, hcpc, scw, sssc or niscc.", show_default=False)
    ] = None,
    renewal: RenewalOpt = None,
    plain: PlainOpt = False,
) -> None:
    """Say who you are registered with, once; without a name, show the choice.

    \b
    Examples:
      reflectkit regulator
      reflectkit regulator swe
      reflectkit regulator nmc --renewal=2027-03-31
    """
    from reflectkit import regulators

    st = state(ctx, plain=plain, writes=name is not None)
    known = regulators.load_regulators()
    if name is None:
        _show_choice(st, known)
        return
    chosen = regulators.choose(known, name)
    day = _renewal(chosen, renewal)
    with st.edit_config() as config:
        if config.extra.get(REGULATOR_KEY) != chosen.id or day is not None:
            config.extra.pop(DATE_KEY, None)
        config.extra[REGULATOR_KEY] = chosen.id
        if day is not None:
            config.extra[DATE_KEY] = day
        stored = config.extra.get(DATE_KEY)
    when = f" ({chosen.period.date_name} {day_words(stored)})" if isinstance(stored, date) else ""
    st.ui.say(f"Your regulator is now {chosen.called}{when}.", style="green")
    if chosen.period.asks_date and not isinstance(stored, date):
        st.ui.say(f"Add your {chosen.period.date_name} with: reflectkit regulator {chosen.id} --renewal DATE")
    st.ui.say("See where you stand with: reflectkit revalidation")


def _renewal(chosen: Regulator, typed: str | None) -> date | None:
    """The date given with --renewal, checked; None when none was given."""
    from reflectkit import regulators

    if typed is None:
        return None
    if not chosen.period.asks_date:
        raise UsageError(
            f"{chosen.short[:1].upper()}{chosen.short[1:]} has a fixed period ({chosen.period.about}).",
            hint="Leave out --renewal.",
        )
    try:
        day = date.fromisoformat(typed.strip())
    except ValueError:
        raise UsageError(f"{typed!r} is not a date.", hint="Use the form 2027-03-31.") from None
    latest = regulators.add_years(today(), chosen.period.years + 1)
    if not EARLIEST_DAY <= day <= latest:
        raise UsageError(
            f"{day.isoformat()} cannot be your {chosen.period.date_name}: it is before {EARLIEST_DAY} "
            f"or more than {chosen.period.years + 1} years from today. Nothing was changed."
        )
    return day


def _show_choice(st: State, known: dict[str, Regulator]) -> None:
    current = st.config().extra.get(REGULATOR_KEY)
    for reg in known.values():
        mark = " (yours)" if reg.id == current else ""
        st.ui.say(f"{reg.id}: {reg.name}{mark}. {reg.who}.")
    if current not in known:
        st.ui.say("Choose yours with, for example: reflectkit regulator nmc --renewal=2027-03-31")


def revalidation(
    ctx: typer.Context,
    regulator_: Annotated[
        str | None, typer.Option("--regulator", help="Another regulator than yours, this once.")
    ] = None,
    renewal: RenewalOpt = None,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Where you stand with your regulator: each requirement, what is done and what is due.

    A guide, drawn from your CPD log and your journal; always confirm on the regulator's
    own page, which it names.

    \b
    Examples:
      reflectkit revalidation
      reflectkit revalidation --regulator nmc --renewal=2027-03-31
    """
    from reflectkit import regulators

    st = state(ctx, plain=plain)
    known = regulators.load_regulators()
    extra = st.config().extra
    name = regulator_ or extra.get(REGULATOR_KEY)
    if not isinstance(name, str):
        raise UsageError(
            "reflectkit does not know who you are registered with yet.",
            hint="Tell it once, for example: reflectkit regulator nmc --renewal=2027-03-31 "
            "(or: swe, hcpc, scw, sssc, niscc).",
        )
    chosen = regulators.choose(known, name)
    stored = extra.get(DATE_KEY) if regulator_ is None else None
    if isinstance(stored, str):  # written by hand as text rather than as a TOML date
        stored = _renewal(chosen, stored)
    given = _renewal(chosen, renewal) or (stored if isinstance(stored, date) else None)
    found = gather(st, journal, chosen, given)
    st.ui.show(*status_screen(found, today(), plain=st.ui.plain))


def gather(st: State, journal: str, chosen: Regulator, given: date | None) -> Status:
    """The CPD log and the journal's finished work, counted against ``chosen``'s rules."""
    from reflectkit import regulators
    from reflectkit.cli.showing import warn_damaged

    jr = st.journal(journal)
    log = cpdlog.read_log(jr).entries
    scan = jr.scan()
    units = list(scan)
    warn_damaged(st, scan)
    work, feedback = regulators.notes_evidence(units)
    work += regulators.finished_cases(units, st.workbook)
    return regulators.status(chosen, today=today(), given=given, log=log, work=work, feedback=feedback)


# -- the screen ---------------------------------------------------------------------------------
def _amount(standing: Standing, value: int) -> str:
    if standing.requirement.unit == "minutes":
        return cpdlog.duration_words(value) if value else "0 hours"
    return str(value)


def figures(standing: Standing) -> tuple[str, str]:
    """What is done ("3 of 5") and what is left ("2 more needed")."""
    req = standing.requirement
    if req.unit in ("count", "minutes") and standing.needed:
        left = "done" if standing.met else f"{_amount(standing, standing.short_by)} more needed"
        return f"{_amount(standing, standing.done)} of {_amount(standing, standing.needed)}", left
    if req.unit == "gaps":
        if standing.met:
            return "none", f"no gaps of {req.target} months or more"
        return str(standing.done), "to explain: " + "; ".join(standing.detail)
    if req.unit == "record":
        return str(standing.done), "recorded here (no figure is set)"
    return "", "not counted by reflectkit"


def _years(years: int) -> str:
    return "year" if years == 1 else f"{('two', 'three', 'four', 'five')[years - 2]} years"


def _table(found: Status, plain: bool) -> RenderableType:
    """One row per requirement: done, a bar (never in --plain: a screen reader would read
    it out sign by sign) and what is left."""
    from rich.console import Group
    from rich.progress_bar import ProgressBar

    if plain:
        lines = []
        for s in found.standings:
            done, left = figures(s)
            lines.append(Text(f"{s.requirement.title}: " + "; ".join(p for p in (done, left) if p) + "."))
        return Group(*lines)
    table = Table.grid(padding=(0, 2))
    for s in found.standings:
        done, left = figures(s)
        needed = s.needed or 0 if s.requirement.unit in ("count", "minutes") else 0
        bar = ProgressBar(total=needed, completed=min(s.done, needed), width=16) if needed else Text("")
        table.add_row(Text(s.requirement.title, style="bold"), Text(done), bar, Text(left))
    return table


def status_screen(found: Status, day: date, *, plain: bool) -> list[RenderableType]:
    """The revalidation screen, as values for the caller to print."""
    reg, win = found.regulator, found.window
    about = reg.period.about if win.due else f"the {_years(reg.period.years)} up to today"
    due = (
        f" {reg.period.date_name[:1].upper()}{reg.period.date_name[1:]}: {day_words(win.due)}."
        if win.due
        else ""
    )
    out: list[RenderableType] = [
        Text(f"Where you stand with {reg.short}: a guide", style="bold"),
        Text(f"Period: {day_words(win.start)} to {day_words(win.end)}, {about}.{due}"),
    ]
    if win.due is None:
        out.append(Text(
            f"reflectkit does not know your {reg.period.date_name}. "
            f"Add it with: reflectkit regulator {reg.id} --renewal DATE"
        ))  # fmt: skip
    elif win.moved_on:
        out.append(Text(f"The {reg.period.date_name} you gave has passed: this is the next period."))
    out += [Text(""), _table(found, plain), Text("")]
    for standing in found.standings:
        req = standing.requirement
        counted = f" Counted here: {req.counts}." if req.counts else ""
        out.append(Text(f"{req.title}: {req.text}{counted}"))
    out += [Text(f"Note: {n.text}") for n in reg.notes]
    out += [Text(""), _guide_line(reg, day)]
    return out


def _guide_line(reg: Regulator, day: date) -> Text:
    year, month = (int(p) for p in reg.checked.split("-"))
    age = (day.year - year) * 12 + day.month - month
    stale = f" That was {age} months ago: rules change." if age > STALE_MONTHS else ""
    return Text(
        f"This is a guide, not a decision of {reg.short}. reflectkit checked these rules in "
        f"{month_words(reg.checked)}.{stale} Confirm each one on {reg.short}'s own page: {reg.page}"
    )


def register(app: typer.Typer) -> None:
    app.command("regulator")(regulator)
    app.command("revalidation")(revalidation)
