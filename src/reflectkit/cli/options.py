"""The options commands share, as Typer declares them, and the run's State from Typer's
context. Only the Typer command modules import this."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reflectkit.cli.state import State, fold


def number(value: str) -> int:
    """A whole number typed as an option's value, with a plain word when it is not one."""
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise typer.BadParameter(f"{text!r} is not a valid integer: type a whole number, such as 3.")
    return int(text)


JournalOpt = Annotated[
    str,
    typer.Option(
        "--journal",
        "-j",
        envvar="REFLECTKIT_JOURNAL",
        help="Which journal to use. `reflectkit journal` lists them.",
    ),
]
PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text, for screen readers.")]
EditorOpt = Annotated[bool, typer.Option("--editor", help="Write text answers in $VISUAL or $EDITOR.")]
ReviewOpt = Annotated[bool, typer.Option("--review", help="Show your answers so far; ask nothing.")]
QuestionsOnlyOpt = Annotated[
    bool, typer.Option("--questions", help="Skip the reading and go straight to the questions.")
]
FromOpt = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="Store the text of this file (UTF-8) as the answer to one question (with --question K).",
        show_default=False,
    ),
]
NoInputOpt = Annotated[
    bool, typer.Option("--no-input", help="Never ask anything; fail saying what would be asked.")
]


def state(ctx: typer.Context, *, plain: bool = False, no_input: bool = False, writes: bool = False) -> State:
    """The run's State, with per-command flags folded in. ``writes`` for commands that save."""
    obj = ctx.find_root().obj
    return fold(obj if isinstance(obj, State) else State(), plain=plain, no_input=no_input, writes=writes)
