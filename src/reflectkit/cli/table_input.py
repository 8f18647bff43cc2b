"""Filling in a table question cell by cell, in the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reflectkit.answering import InputProblem, parse_table
from reflectkit.cli.answerbox import Interrupted
from reflectkit.cli.ui import UI
from reflectkit.content.models import TableQuestion

MOVES = ("skip", "back", "quit")


def _resume_cells(question: TableQuestion, resume: Any) -> list[list[str]]:
    """Cells to start from: an unfinished table, a rescued draft (tab-separated), or empty."""
    width = len(question.columns)
    if isinstance(resume, str):
        try:
            resume = parse_table(resume, question)
        except InputProblem:
            resume = None
    cells = [[""] * width for _ in question.rows]
    if isinstance(resume, list):
        for r, row in enumerate(resume[: len(cells)]):
            if isinstance(row, list):
                for c, value in enumerate(row[:width]):
                    cells[r][c] = str(value)
    return cells


def fill_table(
    ui: UI,
    question: TableQuestion,
    *,
    resume: Any,
    keep: Callable[[list[list[str]]], None],
    show_help: Callable[[TableQuestion], None],
) -> str | list[list[str]]:
    """The filled table, or "skip"/"back"/"quit". ``keep`` is told the cells after every
    one typed, so that Ctrl-C or /quit can keep them as an unfinished answer."""
    cells = _resume_cells(question, resume)
    slots = [(r, c) for r in range(len(question.rows)) for c in range(len(question.columns))]
    ui.say(
        f"Fill in the table row by row ({len(slots)} cells). Enter leaves a cell empty; "
        "/skip leaves the rest of the table empty; /back goes to the cell before; /quit stops.",
        style="dim",
    )
    if any(any(v.strip() for v in row) for row in cells):
        ui.say("What you wrote before is filled in: press Enter to keep a cell as it is.", style="dim")
    index, shown_row = 0, -1
    while index < len(slots):
        r, c = slots[index]
        row = question.rows[r]
        if r != shown_row:
            ui.say(f"{question.row_header}: {row.label}", style="bold")
            shown_row = r
        example = row.example[c] if row.example else ""
        hint = f" (example: {example})" if example.strip() else ""
        # The cell's name is printed (and wraps at spaces); the input line stays short.
        ui.say(f"  {question.columns[c]}{hint}:", style="")
        try:
            reply = ui.read_line("  > ", initial=cells[r][c])
        except Interrupted as exc:  # Ctrl-C or a closed window: the cell being typed is kept too
            if exc.text.strip() and exc.text != cells[r][c]:
                cells[r][c] = exc.text
                keep([list(row_cells) for row_cells in cells])
            raise
        if reply.kind == "help" or reply.kind == "edit":
            show_help(question)
            continue
        if reply.kind == "back":
            if index == 0:
                return _back_out(ui) if _typed(cells) else "back"
            index -= 1
            shown_row = -1
            continue
        if reply.kind == "quit":
            return "quit"
        if reply.kind == "skip":
            if not _typed(cells):
                return "skip"
            ui.say("The rest of the table is left empty.", style="dim")
            break
        cells[r][c] = reply.text
        if _typed(cells):
            keep([list(row_cells) for row_cells in cells])
        index += 1
    return cells if _typed(cells) else "skip"


def _typed(cells: list[list[str]]) -> bool:
    return any(v.strip() for row in cells for v in row)


def _back_out(ui: UI) -> str:
    ui.say(
        "Going back to the question before; what you typed in this table is kept as unfinished.", style="dim"
    )
    return "back"
