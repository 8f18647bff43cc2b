"""`reflectkit journal`: list journals, or show one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from reflectkit import sections
from reflectkit.cli.options import JournalOpt, PlainOpt, state
from reflectkit.cli.parts import part_section
from reflectkit.cli.showing import answer_text, answer_view, warn_damaged
from reflectkit.cli.state import State
from reflectkit.cli.ui import Block
from reflectkit.content.models import Workbook
from reflectkit.drafts import Draft
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal import notes
from reflectkit.journal.models import Unit
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
        written = sum(1 for s in parts if s.kind == "note")
        answered = count(len(parts) - written, "part")
        st.ui.out.print(
            Text(f"{name}: ", style="bold")
            + Text(
                f"{answered} answered ({count(cases, 'case study', 'case studies')}, "
                f"{count(reflections, 'reflection')})" + (f" and {count(written, 'note')}" if written else "")
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
    found_notes: list[Unit] = []
    model_names: dict[str, str] = {}  # filled when the first note shows
    for unit in scan:
        if unit.note is not None:
            found_notes.append(unit)
        if not unit.answers:
            continue
        shown += 1
        _section(st, unit, workbook, model_names)
    warn_damaged(st, scan)
    if found_notes:
        _notes_by_month(st, found_notes, _model_names(st, model_names))
    if not shown:
        st.ui.say("There are no answers in this journal yet. `reflectkit start` begins.")


def _section(st: State, unit: Unit, workbook: Workbook, model_names: dict[str, str]) -> None:
    """One part of the journal, gathered and written at once."""
    out = Block(st.ui)
    out.text("")
    _heading(out, st, unit, workbook, model_names)
    for _, answer in unit.ordered():
        out.text(safe(answer.question), style="bold")
        if answer.kind == "table" and isinstance(answer.value, list):
            out.show(answer_view(answer, plain=st.ui.plain))
        else:
            out.text(answer_text(answer), reading=False)
        marks = ", unfinished" if answer.unfinished else ""
        marks += ", marked for a privacy review" if answer.needs_review else ""
        out.text(f"  {answer.updated.astimezone():%d %b %Y %H:%M}{marks}", style="dim")
    out.write()


def _heading(out: Block, st: State, unit: Unit, workbook: Workbook, model_names: dict[str, str]) -> None:
    """A part's heading; for a note, its model and minutes; then any tags."""
    if unit.note is None:
        out.text(safe(sections.title(unit.key, workbook)), style="bold cyan")
    else:
        out.text(safe(notes.heading(unit)), style="bold cyan")
        model = _model_names(st, model_names).get(unit.note.model, unit.note.model)
        minutes = f", {unit.note.minutes} minutes" if unit.note.minutes else ""
        out.text(f"  Note {unit.ref}, written with {safe(model)}{minutes}", style="dim")
    if unit.tags:
        out.text("  Tags: " + ", ".join(safe(t) for t in unit.tags), style="dim")


def _model_names(st: State, known: dict[str, str]) -> dict[str, str]:
    """Model id -> name, read on first need (only a journal with notes needs them)."""
    if not known:
        from reflectkit.content.reflective import load_models

        known.update({m.id: m.name for m in load_models(st.store.home / "models").models})
    return known


def _notes_by_month(st: State, units: list[Unit], model_names: dict[str, str]) -> None:
    found = notes.summaries(units)
    st.ui.say()
    st.ui.say(f"Your notes: {count(len(found), 'note')}, by month of the event", style="bold cyan")
    for line in notes.month_lines(found, model_names=model_names):
        st.ui.out.print(Text(safe(line)), width=st.ui.width)
    st.ui.say("Open one with: reflectkit note ID   Export one: reflectkit export --note ID", style="dim")


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
    note: Annotated[str | None, typer.Option("--note", help="A question (stage) of note ID.")] = None,
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
      reflectkit journal forget --note 2026-11-30-1 --question 1
    """
    from reflectkit.journal import lifecycle

    st = state(ctx, writes=True)
    jr = st.journal(journal, create=True)
    section = part_section(st, stage=stage, case=case, week=week, revisit=revisit, cycle=cycle, note=note)
    unit = jr.load(section)
    # A note's questions are its model's stages, in the order they were answered.
    ids = (
        [q.id for q in sections.questions(section, st.workbook)] or [k for k, _ in unit.ordered()]
        if unit
        else []
    )
    if not 1 <= question <= len(ids):
        raise UsageError(f"That part has questions 1 to {len(ids)}; there is no question {question}.")
    qid = ids[question - 1]
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


def register(app: typer.Typer) -> None:
    app.add_typer(journal_app, name="journal")
