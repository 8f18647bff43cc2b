"""`reflectkit journal`: list journals, or show one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from reflectkit import sections
from reflectkit.cli.showing import answer_view, warn_damaged
from reflectkit.cli.state import JournalOpt, PlainOpt, State, state
from reflectkit.drafts import Draft
from reflectkit.textsafe import safe
from reflectkit.words import count

JOURNAL_HELP = """Your journals: list them, show one, and look after them.

\b
Examples:
  reflectkit journal              list your journals
  reflectkit journal show         show the answers in the default journal
  reflectkit journal show work    show the journal called 'work'
  reflectkit journal drafts       answers kept aside when a save failed
"""

journal_app = typer.Typer(help=JOURNAL_HELP, invoke_without_command=True, rich_markup_mode=None)


@journal_app.callback()
def journal(ctx: typer.Context, plain: PlainOpt = False) -> None:
    if ctx.invoked_subcommand is None:
        _list(state(ctx, plain=plain))


@journal_app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="Which journal (default: 'default').", show_default=False)
    ] = "default",
    plain: PlainOpt = False,
) -> None:
    """Show every answer in a journal.

    \b
    Examples:
      reflectkit journal show
      reflectkit journal show work
    """
    st = state(ctx, plain=plain)
    with st.ui.paged():
        _show(st, name)


@journal_app.command("drafts")
def drafts_cmd(
    ctx: typer.Context,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the drafts (asks first).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --remove: do not ask.")] = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Answers kept aside when they could not be saved (a full disk, a busy journal).

    Each comes back in the answer box when you open its question again, and is removed
    once that answer is saved.

    \b
    Examples:
      reflectkit journal drafts
      reflectkit journal drafts --remove
    """
    from reflectkit.drafts import list_drafts

    st = state(ctx, plain=plain)
    found, problems = list_drafts(st.store.home, journal=journal)
    for problem in problems:
        st.ui.warn(problem)
    if not found:
        st.ui.say("There are no drafts: every answer was saved.")
        return
    for draft in found:
        reopen = sections.reopen(draft.section, _position(st, draft), st.workbook)
        st.ui.say(f"{draft.saved.astimezone():%d %b %Y %H:%M}  {draft.question}", style="bold")
        st.ui.user_text(draft.text)
        st.ui.say(f"  To use it: {reopen}   File: {draft.path}", style="dim")
    if not remove:
        return
    what = f"Remove {count(len(found), 'draft')}? This cannot be undone. (y/n) [n] "
    if not yes:
        st.ui.require_input(what, instead="reflectkit journal drafts --remove --yes")
        if st.ui.choose(what, "yn", default="n") != "y":
            st.ui.say("Nothing was removed.")
            return
    for draft in found:
        draft.path.unlink(missing_ok=True)
    st.ui.say(f"Removed {count(len(found), 'draft')}.")


def _position(st: State, draft: Draft) -> int:
    """Where a draft's question sits in its part, for the command that reopens it."""
    ids = [q.id for q in sections.questions(draft.section, st.workbook)]
    return ids.index(draft.question_id) if draft.question_id in ids else 0


def _list(st: State) -> None:
    names = st.store.journal_names()
    if not names:
        st.ui.say("You have no journals yet. `reflectkit start` makes one.")
        return
    for name in names:
        jr = st.store.journal(name)
        parts = jr.sections()
        cases = sum(1 for s in parts if s.kind == "case")
        reflections = sum(1 for s in parts if s.kind in ("reflection", "revisit"))
        st.ui.out.print(
            Text(f"{name}: ", style="bold")
            + Text(
                f"{count(len(parts), 'part')} answered ({count(cases, 'case study', 'case studies')}, "
                f"{count(reflections, 'reflection')})"
            )
        )
    st.ui.say(f"Kept in {st.store.journals_dir}", style="dim")


def _show(st: State, name: str) -> None:
    jr = st.store.journal(name)
    st.ui.heading(f"Journal: {name}")
    workbook = st.workbook
    shown = 0

    # One file at a time, so the first answers appear at once however large the journal.
    def order(path: object) -> tuple[int, int, str]:
        section = sections.from_stem(getattr(path, "stem", ""))
        return sections.order(section, workbook) if section else (9, 0, str(path))

    # One file at a time, so the first answers appear at once however large the journal;
    # a damaged file is named at the end, and never hides the rest.
    scan = jr.scan(order=order)
    for unit in scan:
        if not unit.answers:
            continue
        shown += 1
        st.ui.say()
        st.ui.say(safe(sections.title(unit.key, workbook)), style="bold cyan")
        for _, answer in unit.ordered():
            st.ui.out.print(Text(safe(answer.question), style="bold"), width=st.ui.width)
            st.ui.out.print(answer_view(answer, plain=st.ui.plain))
            st.ui.say(f"  {answer.updated.astimezone():%d %b %Y %H:%M}", style="dim")
    warn_damaged(st, scan)
    if not shown:
        st.ui.say("There are no answers in this journal yet. `reflectkit start` begins.")


@journal_app.command("accept-edit")
def accept_edit(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The file reflectkit named (a path or just its name).")],
    yes: Annotated[bool, typer.Option("--yes", help="Keep it without asking.")] = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Keep a journal file you changed by hand, after reading what it now holds.

    Every file carries a count and checksum of its answers, so that a file cut short is
    noticed. A hand edit changes them too: this shows the answers as they are now and,
    if you say so, seals the file again.

    \b
    Example:
      reflectkit journal accept-edit case-first-home-visit.toml
    """
    st = state(ctx, plain=plain, writes=True)
    jr = st.journal(journal, create=True)
    report = jr.inspect_edit(file)
    if report.matched:
        st.ui.say(f"{report.path.name} is as reflectkit saved it: there is nothing to accept.")
        return
    st.ui.heading(f"What {report.path.name} holds now")
    for _, answer in report.answers:
        st.ui.out.print(Text(safe(answer.question), style="bold"), width=st.ui.width)
        st.ui.out.print(answer_view(answer, plain=st.ui.plain))
    st.ui.say(
        f"It holds {count(report.count_found, 'answer')}; when reflectkit last saved it, it held "
        f"{report.count_said}. reflectkit cannot tell what changed: read the answers above.",
        style="dim",
    )
    if not yes:
        prompt = "Keep the file as it is now? (y/n) [n] "
        st.ui.require_input(prompt, instead=f"reflectkit journal accept-edit {report.path.name} --yes")
        if st.ui.choose(prompt, "yn", default="n") != "y":
            st.ui.say("Nothing was changed.")
            return
    jr.accept_edit(report.path, seen=report.fingerprint)
    st.ui.say(f"Kept. {report.path.name} is sealed again and can be saved into.", style="green")


def register(app: typer.Typer) -> None:
    app.add_typer(journal_app, name="journal")
