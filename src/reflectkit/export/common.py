"""Plain-text descriptions of stored answers, shared by the exporters and the CLI."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from reflectkit.journal.models import Answer, Value


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The day an answer was written: the user's own local date (``tz`` pins it in tests)."""
    return moment.astimezone(tz).date()


def table_grid(answer: Answer, value: Value) -> tuple[list[str], list[list[str]]]:
    """A table answer as a header row and rows of cells, each row led by its label."""
    ctx = answer.context
    rows = value if isinstance(value, list) else []
    width = max((len(r) for r in rows if isinstance(r, list)), default=0)
    columns = [str(c) for c in ctx.get("columns", [])] or [f"Column {i + 1}" for i in range(width)]
    labels = [str(r) for r in ctx.get("rows", [])]
    header = [str(ctx.get("row_header", "")) or "Row", *columns]
    body = []
    for index, cells in enumerate(rows):
        row = [str(c) for c in cells] if isinstance(cells, list) else [str(cells)]
        row += [""] * (len(columns) - len(row))
        body.append([labels[index] if index < len(labels) else f"Row {index + 1}", *row])
    return header, body


def describe(answer: Answer) -> str:
    """An answer as readable text (user text unchanged: callers make it safe to show)."""
    return describe_value(answer, answer.value, score=answer.score)


def describe_value(answer: Answer, value: Value, *, score: float | None = None) -> str:
    """``value`` (the answer's or an earlier version's) as readable text. ``score`` is the
    current answer's only: an earlier version's score was not kept, so none is shown."""
    ctx = answer.context
    if answer.kind == "scale":
        low, high = ctx.get("low_label", ""), ctx.get("high_label", "")
        ends = f" (1 = {low}, 5 = {high})" if low and high else ""
        return f"{value} on a scale of 1 to 5{ends}"
    if answer.kind == "statements" and isinstance(value, list):
        statements = ctx.get("statements", [])
        chosen = []
        for number in value:
            if isinstance(number, int) and 0 < number <= len(statements):
                chosen.append(f"{number}. {statements[number - 1]}")
            else:
                chosen.append(str(number))
        scored = f"\nScore: {score:.0%}" if score is not None else ""
        return "Chose as true:\n" + "\n".join(chosen) + scored
    if answer.kind == "table" and isinstance(value, list):
        rows = ctx.get("rows", [])
        columns = ctx.get("columns", [])
        lines = []
        for index, cells in enumerate(value):
            label = rows[index] if index < len(rows) else f"Row {index + 1}"
            row: list[str] = list(cells) if isinstance(cells, list) else [str(cells)]
            pairs = [
                f"{columns[i] if i < len(columns) else f'Column {i + 1}'}: {cell}"
                for i, cell in enumerate(row)
            ]
            lines.append(f"{label} — " + "; ".join(pairs))
        return "\n".join(lines)
    return str(value)
