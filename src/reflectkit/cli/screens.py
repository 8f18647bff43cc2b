"""Screens shared by several commands. Each builds a value (a Rich renderable or lines of
text) from data; the caller prints it. Nothing here asks anything or saves anything."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from reflectkit.textsafe import safe

if TYPE_CHECKING:
    from rich.table import Table

    from reflectkit.answering import Mark
    from reflectkit.content.models import CaseStudy, CurrentRule, Source, TableQuestion
    from reflectkit.flow import Progress
    from reflectkit.journal.models import Answer
    from reflectkit.privacy import Finding

COMMANDS_LINE = "/skip leaves it for now · /back the previous question · /quit stops (all saved) · /help"


def grid(plain: bool, *columns: str) -> Table:
    """A table that is plain in --plain mode (no box drawing)."""
    from rich import box
    from rich.table import Table

    return Table(
        *columns,
        box=None if plain else box.SIMPLE_HEAVY,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )


def standing(prog: Progress) -> Text:
    """One short line: stages done, case studies done."""
    stages = ", ".join(f"Stage {n}: {d} of {t}" for n, (d, t) in prog.stages.items())
    started = sum(1 for d, _ in prog.cases.values() if d)
    return Text(
        f"Where you are: {stages}; case studies: {prog.cases_complete} done, "
        f"{started - prog.cases_complete} started, of {len(prog.cases)}.",
        style="dim",
    )


def professions(names: Sequence[str]) -> str:
    return ", ".join(n.replace("-", " ") for n in names)


def case_list(cases: Sequence[CaseStudy], prog: Progress, *, plain: bool, width: int) -> RenderableType:
    """The case studies with the user's progress: a table, or a list in --plain mode or a
    narrow window. Each says whether it is a fictional composite or a documented case."""
    rows = []
    for case in cases:
        done, total = prog.cases[case.number]
        status = "done" if done == total else (f"{done} of {total}" if done else "not started")
        kind = "fictional" if case.composite else "documented"
        title = safe(case.title) + (" (local)" if case.local else "")
        rows.append((case, title, kind, status))
    if plain or width < 72:
        lines = [
            Text(
                f"{case.number}. {title} ({kind}; about {case.minutes} minutes; {status}). "
                f"For: {professions(case.professions)}."
            )
            for case, title, kind, status in rows
        ]
        return Group(*lines)
    table = grid(plain, "No.", "Case study", "Kind", "Mins", "Your progress", "For")
    for case, title, kind, status in rows:
        table.add_row(
            str(case.number),
            Text(title),
            kind,
            str(case.minutes),
            status,
            Text(professions(case.professions)),
        )
    return table


def sources(items: Sequence[Source]) -> list[RenderableType]:
    """Sources, each citation wrapped under its own first word (a hanging indent); each web
    address on a line of its own, which the caller prints unfolded so it can be copied."""
    lines: list[RenderableType] = [Text("Sources:", style="dim")]
    for source in items:
        text, _, _ = safe(source.citation).partition("http")
        link = source.url or (f"https://doi.org/{source.doi}" if source.doi else "")
        text = re.sub(r"[\s,.]*available at:?\s*$", "", text, flags=re.IGNORECASE).strip()
        if source.checked:
            from reflectkit.content.models import month_words

            text += f" (checked {month_words(source.checked)})"
        lines.append(hanging("-", Text(text, style="dim")))
        if link:
            lines.append(Text(f"  {safe(link)}", style="dim"))
    return lines


def hanging(mark: str, body: Text) -> Table:
    """``mark`` then ``body``, wrapped lines lined up under the body's first word."""
    from rich.table import Table

    row = Table.grid(padding=(0, 1))
    row.add_column(no_wrap=True)
    row.add_column()
    row.add_row(Text(mark, style=body.style), body)
    return row


def current_rules(rules: Sequence[CurrentRule]) -> list[Text]:
    """Facts that change, each with the month it was checked and where to find today's rule."""
    if not rules:
        return []
    from reflectkit.content.models import month_words

    lines = [Text("Rules that change", style="bold")]
    for rule in rules:
        lines.append(
            Text(f"{safe(rule.topic)} (checked {month_words(rule.checked)}): ", style="bold")
            + Text(safe(rule.text))
        )
        lines.append(Text(f"  Today's rule: {safe(rule.where)}", style="dim"))
        lines.append(Text(f"  {safe(rule.url)}", style="dim"))
    return lines


def statement_feedback(marks: Sequence[Mark], score: float) -> list[RenderableType]:
    """Each statement again, whether the choice was right, and its feedback, wrapped under
    its own text; then the score and how it was reached."""
    from rich.table import Table

    rows = Table.grid(padding=(0, 1))
    rows.add_column(justify="right", no_wrap=True)
    rows.add_column()
    for mark in marks:
        chose = "You chose it" if mark.chosen else "You left it"
        verdict = Text(
            f"{chose}: {'right' if mark.right else 'not quite'}. ", style="green" if mark.right else "yellow"
        )
        feedback = safe(mark.feedback)
        if not feedback.startswith(("True", "False")):  # the feedback does not say it already
            verdict += Text("It is true. " if mark.true else "It is not true. ")
        body = Text(safe(mark.text), style="bold") + Text("\n") + verdict + Text(feedback)
        rows.add_row(f"{mark.number}.", body)
    trues = sum(1 for m in marks if m.true)
    picked_true = sum(1 for m in marks if m.true and m.chosen)
    picked_false = sum(1 for m in marks if not m.true and m.chosen)
    how = (
        f"You chose {picked_true} of the {trues} true statements and {picked_false} of the "
        f"{len(marks) - trues} that are not. Each true one you choose adds 1/{trues}, each of "
        f"the others takes 1/{trues} away, and the score never goes below 0."
    )
    return [rows, Text(f"Your score: {score:.0%}. ", style="bold") + Text(how)]


def table_recap(question: TableQuestion, cells: list[list[str]], *, plain: bool) -> Table:
    """The table as the user filled it, empty cells shown as such."""

    table = grid(plain, question.row_header, *question.columns)
    for row, values in zip(question.rows, cells, strict=False):
        table.add_row(
            Text(safe(row.label)),
            *(Text(safe(v)) if v.strip() else Text("(empty)", style="dim") for v in values),
        )
    return table


def model_answers(question: TableQuestion, *, plain: bool) -> Table | None:
    """Checked answers to compare with, for the rows that have them."""

    rows = [row for row in question.rows if any(c.strip() for c in row.model)]
    if not rows:
        return None
    table = grid(plain, question.row_header, *question.columns)
    for row in rows:
        table.add_row(Text(safe(row.label)), *(Text(safe(c)) for c in row.model))
    return table


def findings(title: str, found: Sequence[Finding]) -> list[Text]:
    lines = [Text(title, style="yellow")]
    for finding in found:
        lines.append(Text(f"  - {finding.reason}", style="yellow"))
        lines.append(Text(f'    "{safe(finding.text)}"'))
    return lines


def stored_table(answer: Answer, *, plain: bool) -> Table:
    """A stored table answer, laid out with the rows and columns it was asked with."""

    from reflectkit.export.common import table_grid

    header, rows = table_grid(answer, answer.value)
    table = grid(plain, *header)
    for label, *cells in rows:
        table.add_row(
            Text(safe(label)), *(Text(safe(c)) if c.strip() else Text("(empty)", style="dim") for c in cells)
        )
    return table
