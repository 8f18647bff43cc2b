"""`reflectkit journal`: list journals, or show one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli.state import PlainOpt, State, state
from reflectkit.errors import UsageError
from reflectkit.export.common import describe
from reflectkit.export.document import title_of
from reflectkit.journal.store import read_unit
from reflectkit.textsafe import safe

JOURNAL_HELP = """Your journals: list them, or show one's answers.

\b
Examples:
  reflectkit journal              list your journals
  reflectkit journal show         show the answers in the default journal
  reflectkit journal show work    show the journal called 'work'
"""


def journal(
    ctx: typer.Context,
    action: Annotated[
        str | None, typer.Argument(help="'show' to show a journal's answers.", show_default=False)
    ] = None,
    name: Annotated[
        str | None, typer.Argument(help="Which journal (default: 'default').", show_default=False)
    ] = None,
    plain: PlainOpt = False,
) -> None:
    st = state(ctx, plain=plain)
    if action is None:
        _list(st)
    elif action == "show":
        _show(st, name or "default")
    else:
        raise UsageError(
            f"{action!r} is not something `reflectkit journal` does.", hint="Try: reflectkit journal show"
        )


journal.__doc__ = JOURNAL_HELP


def _list(st: State) -> None:
    names = st.store.journal_names()
    if not names:
        st.ui.say("You have no journals yet. `reflectkit start` makes one.")
        return
    for name in names:
        jr = st.store.journal(name)
        sections = jr.sections()
        cases = sum(1 for s in sections if s.kind == "case")
        reflections = sum(1 for s in sections if s.kind in ("reflection", "revisit"))
        st.ui.out.print(
            Text(f"{name}: ", style="bold")
            + Text(f"{len(sections)} parts answered ({cases} case studies, {reflections} reflections)")
        )
    st.ui.say(f"Kept in {st.store.journals_dir}", style="dim")


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _show(st: State, name: str) -> None:
    jr = st.store.journal(name)
    st.ui.heading(f"Journal: {name}")
    workbook = st.workbook
    shown = 0
    # One file at a time, so the first answers appear at once however large the journal.
    for path in sorted(jr.entries.glob("*.toml"), key=_show_order):
        unit = read_unit(path)
        if not unit.answers:
            continue
        shown += 1
        st.ui.say()
        st.ui.say(safe(title_of(unit, workbook)), style="bold cyan")
        for _, answer in unit.ordered():
            st.ui.out.print(Text(safe(answer.question), style="bold"), width=st.ui.width)
            st.ui.user_text(describe(answer))
            st.ui.say(f"  {answer.updated.astimezone():%d %b %Y %H:%M}", style="dim")
    if not shown:
        st.ui.say("There are no answers in this journal yet. `reflectkit start` begins.")


def _show_order(path: object) -> tuple[int, str]:
    stem = getattr(path, "stem", "")
    kind = stem.split("-", 1)[0]
    return {"stage": 0, "case": 1, "reflection": 2, "revisit": 3}.get(kind, 4), stem


def register(app: typer.Typer) -> None:
    app.command(help=JOURNAL_HELP)(journal)
