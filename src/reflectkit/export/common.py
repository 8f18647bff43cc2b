"""Plain-text descriptions of stored answers, shared by the exporters and the CLI."""

from __future__ import annotations

from reflectkit.journal.models import Answer, Value


def describe(answer: Answer) -> str:
    """An answer as readable text (user text unchanged: callers make it safe to show)."""
    return describe_value(answer, answer.value)


def describe_value(answer: Answer, value: Value) -> str:
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
        score = f"\nScore: {answer.score:.0%}" if answer.score is not None else ""
        return "Chose as true:\n" + "\n".join(chosen) + score
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
