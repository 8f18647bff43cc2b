"""`reflectkit start`, `reflectkit stage N`: the guided walk through the workbook."""

from __future__ import annotations

from typing import Annotated

import typer

from reflectkit.cli.schedule_text import schedule_table
from reflectkit.cli.showing import (
    case_list,
    marked_for_review,
    review,
    show_stage_reading,
    stage_heading,
    standing,
)
from reflectkit.cli.state import (
    EditorOpt,
    FromOpt,
    JournalOpt,
    NoInputOpt,
    PlainOpt,
    QuestionsOnlyOpt,
    ReviewOpt,
    number,
    state,
)
from reflectkit.errors import UsageError
from reflectkit.flow import parse_stage_number, stage_section


def start(
    ctx: typer.Context,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    """Walk through the workbook, carrying on where you left off.

    \b
    Example:
      reflectkit start
    """
    st = state(ctx, plain=plain, no_input=no_input)
    jr = st.journal(journal, create=True)
    from reflectkit.cli.walk import Walk, welcome

    welcome(st, jr)
    st.ui.show(standing(st, jr))
    marked_for_review(st, jr)
    Walk(st, jr, editor=editor).run()


def stage(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The stage, 1 to 4.", show_default=False)],
    prompt: Annotated[
        int | None, typer.Option("--prompt", "--question", help="Go straight to prompt K.", parser=number)
    ] = None,
    review_: ReviewOpt = False,
    questions_only: QuestionsOnlyOpt = False,
    from_file: FromOpt = None,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    """Open one stage of the workbook.

    \b
    Examples:
      reflectkit stage 1
      reflectkit stage 2 --review
      reflectkit stage 1 --prompt 4
      reflectkit stage 1 --questions      skip the reading, straight to the prompts
      reflectkit stage 1 --prompt 2 --from draft.txt
    """
    st = state(ctx, plain=plain, no_input=no_input)
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
            review(st, jr, stage_section(n), list(the_stage.prompts), f"Stage {n}: {the_stage.title}")
        return
    from reflectkit.cli.asking import privacy_first
    from reflectkit.cli.journey import answer_one, ask_open, end_of_part, stage_items

    items = stage_items(wb, n) if n in (1, 2) else []
    privacy_first(st, jr)
    if prompt is not None:
        answer_one(st, jr, items, prompt, editor=editor, source=from_file)
        return
    if not questions_only or n in (3, 4):
        st.ui.heading(stage_heading(wb, n))
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


def register(app: typer.Typer) -> None:
    app.command()(start)
    app.command()(stage)
