"""`reflectkit tag`: tags on a part of the journal (a case study, a stage, a weekly
reflection, a revisit or a note), to find it again with `reflectkit search --tag TAG`.

Parts are named with the same options as `journal forget` and `export` (--case N,
--stage N, --week N, --revisit, --note ID), so a tag can never be mistaken for a part:
`reflectkit tag --case 2 interpreters`.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from rich.text import Text

from reflectkit import sections
from reflectkit.cli.options import JournalOpt, PlainOpt, state
from reflectkit.cli.parts import part_section
from reflectkit.cli.state import State
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal import notes
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal
from reflectkit.textsafe import safe
from reflectkit.words import count


def tag(
    ctx: typer.Context,
    tags: Annotated[
        list[str] | None, typer.Argument(help="Tags to add (or --remove).", show_default=False)
    ] = None,
    case: Annotated[int | None, typer.Option("--case", help="Case study N.")] = None,
    stage: Annotated[int | None, typer.Option("--stage", help="Stage N (1 to 4).")] = None,
    week: Annotated[int | None, typer.Option("--week", help="Week N's reflection.")] = None,
    revisit: Annotated[bool, typer.Option("--revisit", help="The four-week revisit.")] = False,
    cycle: Annotated[int, typer.Option("--cycle", help="With --week or --revisit: the cycle.")] = 1,
    note: Annotated[str | None, typer.Option("--note", help="The note with this id.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take these tags off instead.")] = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Tag a part of your journal, to find it again (reflectkit search --tag TAG).

    Without tags, shows the part's tags; without a part, lists every tag in the journal.

    \b
    Examples:
      reflectkit tag --case 2 interpreters housing
      reflectkit tag supervision --note 2026-11-30-1
      reflectkit tag --case 2 housing --remove
      reflectkit tag --case 2              the tags of case study 2
      reflectkit tag                       every tag in your journal
    """
    chosen = [x for x in (case, stage, week, note) if x is not None] + ([True] if revisit else [])
    typed = notes.parse_tags(tags or [])
    if not chosen:
        if typed:
            raise UsageError(
                "Name the part to tag: --case N, --stage N, --week N, --revisit or --note ID.",
                hint="For example: reflectkit tag --case 2 interpreters",
            )
        st = state(ctx, plain=plain)
        _list_all(st, st.journal(journal))
        return
    if len(chosen) > 1:
        raise UsageError("Name one part: --case N, --stage N, --week N, --revisit or --note ID.")
    st = state(ctx, plain=plain, writes=bool(typed))
    jr = st.journal(journal, create=True if typed else None)
    section = part_section(st, case=case, stage=stage, week=week, revisit=revisit, cycle=cycle, note=note)
    _tag_part(st, jr, section, typed, remove=remove)


def _tag_part(st: State, jr: Journal, section: Section, typed: list[str], *, remove: bool) -> None:
    """Show a part's tags, or add (or remove) some."""
    title = _title(st, jr, section)
    if not typed:
        unit = jr.load(section)
        have = unit.tags if unit else None
        st.ui.say(f"{title}: " + (", ".join(have) if have else "no tags yet."))
        return
    if remove:
        now = notes.change_tags(jr, section, remove=typed)
    else:
        now = notes.change_tags(jr, section, add=typed)
    if now is None:
        raise NotFoundError(
            f"Nothing is saved in {title} yet, so there is nothing to tag.",
            hint="Tags go on parts you have answered; answer a question there first.",
        )
    st.ui.say(f"{title}: " + (", ".join(now) if now else "no tags now."), style="green")


def _title(st: State, jr: Journal, section: Section) -> str:
    if section.kind == "note":
        return safe(notes.heading(notes.load_note(jr, section.ref)))
    return safe(sections.title(section, st.workbook))


def _list_all(st: State, jr: Journal) -> None:
    from reflectkit.cli.showing import warn_damaged

    scan = jr.scan()
    counted = Counter(t for unit in scan for t in unit.tags or ())
    warn_damaged(st, scan)
    if not counted:
        st.ui.say("There are no tags in this journal yet. Add one with: reflectkit tag --case 2 interpreters")
        return
    width = max(len(t) for t in counted)
    for name, n in sorted(counted.items()):
        st.ui.out.print(Text(safe(name).ljust(width), style="bold") + Text(f"  {count(n, 'part')}"))
    st.ui.say("Find what carries one: reflectkit search --tag TAG", style="dim")


def register(app: typer.Typer) -> None:
    app.command("tag")(tag)
