"""Turning what a user typed into an answer, and scoring statements. No terminal here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reflectkit.content.models import (
    Question,
    ScaleQuestion,
    StatementsQuestion,
    TableQuestion,
)


class InputProblem(ValueError):
    """What the user typed cannot be an answer; the message says why, for the user."""


def parse_statements(text: str, count: int) -> list[int]:
    """'1,3' or '1 3' to [1, 3]; every number must be between 1 and ``count``."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    numbers: list[int] = []
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            raise InputProblem(f"{part!r} is not a number. Type numbers such as 1,3.")
        number = int(part)
        if not 1 <= number <= count:
            raise InputProblem(f"There is no statement {number}: choose from 1 to {count}.")
        if number not in numbers:
            numbers.append(number)
    if not numbers:
        raise InputProblem("Type the numbers of the statements you think are true, such as 1,3.")
    return sorted(numbers)


def parse_scale(text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 5:
        raise InputProblem(f"{value!r} is not on the scale: type a whole number from 1 to 5.")
    return int(value)


@dataclass(frozen=True)
class Mark:
    number: int
    chosen: bool
    right: bool
    text: str
    feedback: str
    true: bool


def score_statements(question: StatementsQuestion, chosen: list[int]) -> tuple[float, list[Mark]]:
    """Score a selection: +1/n for each true statement chosen, -1/n for each false one
    chosen (n = the number of true statements), never below 0."""
    n = sum(s.true for s in question.statements)
    total = 0.0
    marks = []
    for number, statement in enumerate(question.statements, start=1):
        picked = number in chosen
        if picked:
            total += (1 if statement.true else -1) / n
        marks.append(
            Mark(number, picked, picked == statement.true, statement.text, statement.feedback, statement.true)
        )
    return round(max(total, 0.0), 4), marks


def parse_table(text: str, question: TableQuestion) -> list[list[str]]:
    """Rows of cells from piped text: one row per line, cells separated by tabs or '|'."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if len(lines) > len(question.rows):
        raise InputProblem(f"The table has {len(question.rows)} rows; {len(lines)} lines were given.")
    width = len(question.columns)
    rows = []
    for line in lines:
        cells = [c.strip() for c in re.split(r"\t|\|", line)]
        if len(cells) > width:
            raise InputProblem(f"A row has {len(cells)} cells; the table has {width} columns.")
        rows.append(cells + [""] * (width - len(cells)))
    rows += [[""] * width for _ in range(len(question.rows) - len(rows))]
    return rows


def context_for(question: Question) -> dict[str, Any]:
    """What was shown with a question, stored beside the answer so exports stay meaningful."""
    if isinstance(question, StatementsQuestion):
        return {"statements": [s.text for s in question.statements]}
    if isinstance(question, TableQuestion):
        return {
            "row_header": question.row_header,
            "columns": list(question.columns),
            "rows": [r.label for r in question.rows],
        }
    if isinstance(question, ScaleQuestion):
        return {"low_label": question.low_label, "high_label": question.high_label}
    return {}


def parse_piped(question: Question, text: str) -> tuple[Any, float | None]:
    """An answer to ``question`` from all of stdin. Text is kept exactly as given."""
    if isinstance(question, StatementsQuestion):
        chosen = parse_statements(text, len(question.statements))
        return chosen, score_statements(question, chosen)[0]
    if isinstance(question, ScaleQuestion):
        return parse_scale(text), None
    if isinstance(question, TableQuestion):
        return parse_table(text, question), None
    return text, None


def decode_typed(raw: bytes) -> str:
    """Text from bytes a person typed or saved: UTF-8, with any byte that is not UTF-8 read as
    Windows-1252 (a '£' from an older terminal or editor), never dropped or replaced."""
    return raw.decode("utf-8", errors="surrogateescape").translate(_SURROGATE_BYTES)


_SURROGATE_BYTES = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}


BOM = "\ufeff"


def text_from_bytes(raw: bytes, source: str) -> str:
    """An answer from a file or a pipe: UTF-8, a leading byte-order mark dropped (PowerShell
    and Notepad add one), everything else kept exactly. Other encodings are refused with a
    message that says how to save the text as UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputProblem(
            f"{source} is not UTF-8 text (line {line} has a byte UTF-8 does not use); nothing was saved. "
            "Save it as UTF-8 and try again: in Notepad, File > Save as > Encoding: UTF-8; "
            "in Word, File > Save as > Plain text > Unicode (UTF-8)."
        ) from None
    return text.removeprefix(BOM)
