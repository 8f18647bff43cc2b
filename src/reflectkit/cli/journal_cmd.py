"""`reflectkit journal`: list journals, or show one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from reflectkit import sections
from reflectkit.cli.showing import answer_view, warn_damaged
from reflectkit.cli.state import JournalOpt, PlainOpt, State, state
from reflectkit.drafts import Draft
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal.models import Section
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


@journal_app.command("rename")
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The journal's name now.")],
    new: Annotated[str, typer.Argument(help="Its new name.")],
) -> None:
    """Give a journal another name.

    \b
    Example:
      reflectkit journal rename default work
    """
    from reflectkit.journal.store import rename_journal

    st = state(ctx, writes=True)
    rename_journal(st.store, old, new)
    st.ui.say(f"The journal {old!r} is now called {new!r}. Use it with: --journal {new}")


@journal_app.command("delete")
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The journal to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first (for scripts).")] = False,
) -> None:
    """Delete a journal and every answer in it. This cannot be undone.

    \b
    Example:
      reflectkit journal delete practice-run
    """
    from reflectkit.journal.store import delete_journal

    st = state(ctx, writes=True)
    jr = st.store.journal(name)
    parts = jr.sections()
    st.ui.say(
        f"This deletes the journal {name!r}: {count(len(parts), 'part')} with answers, its Stage 4 "
        f"schedule and everything else in {jr.path}. It cannot be undone.",
        style="bold",
    )
    if not yes:
        prompt = f"To delete it, type its name ({name}); anything else keeps it: "
        st.ui.require_input(prompt, instead=f"reflectkit journal delete {name} --yes")
        reply = st.ui.read_line(prompt)
        if reply.kind != "answer" or reply.text.strip() != name:
            st.ui.say("Nothing was deleted.")
            return
    delete_journal(st.store, name)
    st.ui.say(f"Deleted the journal {name!r}.", style="green")


@journal_app.command("forget")
def forget(
    ctx: typer.Context,
    question: Annotated[int, typer.Option("--question", help="Question K of that part.", show_default=False)],
    stage: Annotated[int | None, typer.Option("--stage", help="A question of stage N.")] = None,
    case: Annotated[int | None, typer.Option("--case", help="A question of case study N.")] = None,
    week: Annotated[int | None, typer.Option("--week", help="A question of week N's reflection.")] = None,
    revisit: Annotated[bool, typer.Option("--revisit", help="A question of the revisit.")] = False,
    cycle: Annotated[int, typer.Option("--cycle", help="With --week or --revisit: the cycle.")] = 1,
    earlier: Annotated[
        int | None,
        typer.Option("--earlier", help="Only earlier version V (1 is the oldest), as --review lists."),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--everything", help="The answer and all its earlier versions.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
    journal: JournalOpt = "default",
) -> None:
    """Remove one answer, or one earlier version of it, from your journal.

    Without --earlier or --everything, the answer's current text goes and its latest
    earlier version takes its place (or the question is open again).

    \b
    Examples:
      reflectkit journal forget --case 2 --question 3
      reflectkit journal forget --case 2 --question 3 --earlier 1
      reflectkit journal forget --stage 1 --question 2 --everything
    """
    from reflectkit.journal import lifecycle

    st = state(ctx, writes=True)
    jr = st.journal(journal, create=True)
    section = _part(st, stage=stage, case=case, week=week, revisit=revisit, cycle=cycle)
    questions = sections.questions(section, st.workbook)
    if not 1 <= question <= len(questions):
        raise UsageError(f"That part has questions 1 to {len(questions)}; there is no question {question}.")
    qid = questions[question - 1].id
    unit = jr.load(section)
    answer = unit.answers.get(qid) if unit else None
    if answer is None:
        raise NotFoundError("There is no answer to that question, so nothing was removed.")
    what = (
        f"earlier version {earlier}" if earlier is not None
        else "the answer and every earlier version" if everything
        else "the answer's current text"
    )  # fmt: skip
    st.ui.say(f"{sections.title(section, st.workbook)}, question {question}: this removes {what}.")
    if not yes:
        st.ui.require_input("Remove it?", instead="the same command with --yes")
        if st.ui.choose("Remove it? It cannot be undone. (y/n) [n] ", "yn", default="n") != "y":
            st.ui.say("Nothing was removed.")
            return
    if earlier is not None:
        gone = lifecycle.forget_earlier(jr, section, qid, earlier)
        if not gone:
            raise NotFoundError(
                f"That answer has {count(len(answer.history), 'earlier version')}; nothing was removed."
            )
    elif everything:
        gone = lifecycle.forget_everything(jr, section, qid)
    else:
        gone = lifecycle.remove_answer(jr, section, qid)
    st.ui.say(f"Removed {count(gone, 'text')}.", style="green")


def _part(
    st: State, *, stage: int | None, case: int | None, week: int | None, revisit: bool, cycle: int
) -> Section:
    chosen = [x for x in (stage, case, week) if x is not None] + ([True] if revisit else [])
    if len(chosen) != 1:
        raise UsageError("Name one part: --stage N, --case N, --week N or --revisit.")
    if stage is not None:
        from reflectkit.flow import parse_stage_number

        return Section("stage", str(parse_stage_number(stage)))
    if case is not None:
        found = st.workbook.case(case)
        if found is None:
            raise NotFoundError(f"There is no case study {case}.")
        return Section("case", found.id)
    if week is not None:
        if not 1 <= week <= 4:
            raise UsageError(f"There is no week {week}: the weekly reflections are weeks 1 to 4.")
        return Section("reflection", f"{cycle}-week-{week}")
    return Section("revisit", str(cycle))


def register(app: typer.Typer) -> None:
    app.add_typer(journal_app, name="journal")
