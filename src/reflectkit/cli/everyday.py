"""What the everyday commands do: `start`, `stage N`, `case` and `case N`, `progress`.

Typer's commands (walk_cmd, content_cmd, stage4_cmd) and the quick command line
(``quick``) both call these, so a command does the same whichever read its options. No
command-line library is imported here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reflectkit.cli.state import State
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.textsafe import safe

if TYPE_CHECKING:
    from pathlib import Path

    from reflectkit.journal.notes import NoteSummary


def start_walk(st: State, journal: str, editor: bool) -> None:
    """`reflectkit start`: the welcome, where you stand, then the walk where you left off."""
    from reflectkit.cli.showing import marked_for_review, standing
    from reflectkit.cli.walk import Walk, welcome

    jr = st.journal(journal, create=True)
    welcome(st, jr)
    st.ui.show(standing(st, jr))
    marked_for_review(st, jr)
    Walk(st, jr, editor=editor).run()


def open_stage(
    st: State,
    number: str,
    prompt: int | None,
    review_: bool,
    questions_only: bool,
    from_file: Path | None,
    journal: str,
    editor: bool,
) -> None:
    """`reflectkit stage N`: its reading and prompts, one prompt, or its answers (--review)."""
    from reflectkit.cli.schedule_text import schedule_table
    from reflectkit.cli.showing import case_list, review, show_stage_reading, stage_heading
    from reflectkit.flow import parse_stage_number, stage_section

    n = parse_stage_number(number)
    wb = st.workbook
    the_stage = wb.stage(n)
    if n in (3, 4) and (prompt is not None or review_ or from_file is not None):
        raise UsageError(
            f"Stage {n} has no prompts of its own.",
            hint="Stage 3 is the case studies (reflectkit case N); Stage 4 is `reflectkit reflect`.",
        )
    if from_file is not None and prompt is None:
        raise UsageError("--from stores a drafted answer into one prompt: add --prompt K.")
    jr = st.journal(journal, create=None if review_ else True)
    if review_:
        with st.ui.paged():
            title = f"Stage {n}: {the_stage.title}"
            review(st, jr, stage_section(n), list(the_stage.prompts), title, only=prompt)
        return
    from reflectkit.cli.asking import privacy_first
    from reflectkit.cli.journey import answer_one, ask_open, end_of_part, keeps_typing, stage_items

    items = stage_items(wb, n) if n in (1, 2) else []
    # Words typed on the pages before the questions are kept if the run stops there.
    with st.ui.leading_to(keeps_typing(st, jr, items, prompt)):
        privacy_first(st, jr)
    if prompt is not None:
        answer_one(st, jr, items, prompt, editor=editor, source=from_file)
        return
    if not questions_only or n in (3, 4):
        st.ui.heading(stage_heading(wb, n))
        with st.ui.leading_to(keeps_typing(st, jr, items)):
            show_stage_reading(st, the_stage)
    if n == 3:
        st.ui.wide(case_list(st, jr))
        st.ui.say("Open one with: reflectkit case N", style="bold")
        return
    if n == 4:
        schedule_table(st, jr)
        return
    if ask_open(st, jr, items, editor=editor, carry_on=f"reflectkit stage {n}") != "quit":
        end_of_part(
            st,
            jr,
            items,
            f"Stage {n}",
            "reflectkit stage 2" if n == 1 else "reflectkit case  (lists the case studies)",
        )
        st.ui.say(
            f"To change an answer: reflectkit stage {n} --prompt K; "
            f"to read them: reflectkit stage {n} --review",
            style="dim",
        )


def open_case(
    st: State,
    target: str | None,
    journal: str,
    question: int | None,
    review_: bool,
    questions_only: bool,
    from_file: Path | None,
    editor: bool,
) -> None:
    """`reflectkit case`: the list; `reflectkit case N`: that case study, its answers
    (``review_``), one question, or all its questions in turn."""
    if target is None:
        from reflectkit.cli.showing import case_list

        st.ui.wide(case_list(st, st.journal(journal, create=False) if journal_exists(st, journal) else None))
        st.ui.say("Open one with: reflectkit case N", style="bold")
        return
    wb = st.workbook
    numbers = ", ".join(str(c.number) for c in wb.case_studies)
    if not (target.isascii() and target.isdigit()):
        raise UsageError(
            f"{safe(target)!r} is not a case study number.", hint=f"The case studies are: {numbers}."
        )
    chosen = wb.case(int(target))
    if chosen is None:
        raise NotFoundError(f"There is no case study {target}.", hint=f"The case studies are: {numbers}.")
    if from_file is not None and question is None:
        raise UsageError("--from stores a drafted answer into one question: add --question K.")
    # Review its answers, answer one question, or work through it. The answering screens
    # are imported only by the runs that use them.
    from reflectkit.cli.asking import privacy_first
    from reflectkit.cli.journey import after_case, answer_one, ask_open, case_items, end_of_part, keeps_typing
    from reflectkit.cli.showing import review, show_case
    from reflectkit.flow import case_section

    jr = st.journal(journal, create=None if review_ else True)
    items = case_items(wb, chosen)
    if review_:
        with st.ui.paged():
            review(
                st,
                jr,
                case_section(chosen),
                [i.question for i in items],
                f"Case study {chosen.number}: {chosen.title}",
                only=question,
            )
        return
    # Words typed on the pages before the questions are kept if the run stops there.
    with st.ui.leading_to(keeps_typing(st, jr, items, question)):
        privacy_first(st, jr)
    if question is not None:
        answer_one(st, jr, items, question, editor=editor, source=from_file)
        after_case(st, jr, chosen)
        return
    with st.ui.leading_to(keeps_typing(st, jr, items)):
        show_case(st, chosen, reading=not questions_only)
    if ask_open(st, jr, items, editor=editor, carry_on=f"reflectkit case {chosen.number}") == "quit":
        return
    end_of_part(
        st, jr, items, f"Case study {chosen.number}", "another case study (reflectkit case lists them)"
    )
    after_case(st, jr, chosen)


def journal_exists(st: State, name: str) -> bool:
    return (st.store.journals_dir / name).is_dir()


def show_progress(st: State, journal: str) -> None:
    """`reflectkit progress`: stages and case studies answered, notes by month, Stage 4."""
    from rich.progress_bar import ProgressBar
    from rich.text import Text

    from reflectkit.cli.schedule_text import plan, schedule_table
    from reflectkit.cli.screens import grid as make_grid
    from reflectkit.cli.showing import warn_damaged
    from reflectkit.flow import progress
    from reflectkit.paths import today

    jr = st.journal(journal)
    wb = st.workbook
    cycle, _ = plan(jr)
    brief = jr.summary()  # one small file, however large the journal
    prog = progress(wb, brief.answered(), cycle, today())
    warn_damaged(st, brief)
    columns = ("Part", "Answered") if st.ui.plain else ("Part", "Answered", "")
    grid = make_grid(st.ui.plain, *columns)
    rows = [(f"Stage {n}: {wb.stage(n).title}", d, t) for n, (d, t) in prog.stages.items()]
    rows += [(f"Case study {c.number}: {c.title}", *prog.cases[c.number]) for c in wb.case_studies]
    for label, done, total in rows:
        # In --plain mode "2 of 4" says it all; a bar of symbols would be read out one by one.
        bar = [] if st.ui.plain else [ProgressBar(total=total, completed=done, width=20)]
        grid.add_row(Text(label), f"{done} of {total}", *bar)
    st.ui.out.print(grid, width=st.ui.width)
    _notes_progress(st, brief.notes())
    schedule_table(st, jr)


def _notes_progress(st: State, found: list[NoteSummary]) -> None:
    """Notes written, counted and listed by month of the event."""
    from rich.text import Text

    from reflectkit.journal import notes
    from reflectkit.words import count

    st.ui.say()
    if not found:
        st.ui.say("Notes: none yet. Reflect on any day's work with: reflectkit note", style="dim")
        return
    st.ui.say(f"Notes: {count(len(found), 'note')}, by month of the event", style="bold")
    from reflectkit.content.reflective import load_models

    names = {m.id: m.name for m in load_models(st.store.home / "models").models}
    for line in notes.month_lines(found, model_names=names):
        st.ui.out.print(Text(safe(line)), width=st.ui.width)
