"""`reflectkit start`, `reflectkit stage N`: the guided walk through the workbook."""

from __future__ import annotations

from typing import Annotated

import typer

from reflectkit.cli.everyday import open_stage, start_walk
from reflectkit.cli.options import (
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
    start_walk(state(ctx, plain=plain, no_input=no_input), journal, editor)


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
    open_stage(st, number, prompt, review_, questions_only, from_file, journal, editor)


def register(app: typer.Typer) -> None:
    app.command()(start)
    app.command()(stage)
