"""The journal as a Markdown document.

Answers are written as block quotes, so a heading, a list or a code fence that a user
typed stays inside their answer and cannot break the document's own structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, tzinfo

from reflectkit.export.common import describe_value, table_grid
from reflectkit.export.document import Document, Part
from reflectkit.journal.models import Answer, Value
from reflectkit.textsafe import for_markdown
from reflectkit.words import span_words

# Characters Markdown would read as formatting anywhere in a line, and at its start.
_ANYWHERE = re.compile(r"([\\`*_\[\]~|])")
_LINE_START = re.compile(r"^(\s*)(\d{1,9}(?=[.)])|)([#>+=.)-])")


def literal(text: str) -> str:
    """User text for Markdown, made harmless (see ``for_markdown``) and kept literal: a
    viewer, Word or a web page shows the same characters the user typed, not formatting."""
    escaped = _ANYWHERE.sub(r"\\\1", for_markdown(text))
    return "\n".join(_LINE_START.sub(r"\1\2\\\3", line) for line in escaped.split("\n"))


def quote(text: str) -> str:
    """``text`` as a Markdown block quote, every line inside it, made safe to view."""
    # Raw HTML in an answer must stay text when a viewer renders the Markdown. Blank lines
    # at the end (a paste often has some) would leave an empty ">" line: they are not shown.
    lines = literal(text.rstrip("\r\n \t")).split("\n")
    out = []
    for index, line in enumerate(lines):
        following = index + 1 < len(lines) and lines[index + 1].strip()
        # Two trailing spaces keep the user's line breaks inside a paragraph.
        out.append(f"> {line}" + ("  " if line.strip() and following else "") if line.strip() else ">")
    return "\n".join(out)


def inline(text: str) -> str:
    """Our own or stored single-line text for a heading: safe, on one line."""
    return " ".join(for_markdown(text).split())


def cell(text: str) -> str:
    """A table cell: one line, its pipes escaped, an empty cell shown as such."""
    flat = literal(" ".join(text.split()))
    return flat if flat else "*(empty)*"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown (GitHub-flavoured) table."""
    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def answer_block(answer: Answer, value: Value, *, score: float | None = None) -> str:
    """An answer as Markdown: a table as a table, anything else as a block quote; ``score``
    for the current answer only."""
    if answer.kind == "table" and isinstance(value, list):
        return markdown_table(*table_grid(answer, value))
    return quote(describe_value(answer, value, score=score))


def when(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y, %H:%M}"


def day(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y}"


def about(part: Part) -> list[str]:
    """Lines under a part's heading: a note's model and minutes, and the part's tags."""
    out = []
    note = part.unit.note
    if note is not None:
        said = [f"written with {inline(part.model_name)}"] if part.model_name else []
        said += [f"{note.minutes} minutes spent"] if note.minutes else []
        if said:
            out += [f"*Note {part.unit.ref}: " + "; ".join(said) + ".*", ""]
    if part.tags:
        out += ["Tags: " + ", ".join(inline(t) for t in part.tags), ""]
    return out


def render(doc: Document, *, tz: tzinfo | None = None) -> str:
    """The whole document. ``tz`` sets the zone for times (the local zone by default)."""
    return "".join(stream(doc, tz=tz))


def stream(doc: Document, *, tz: tzinfo | None = None) -> Iterator[str]:
    """The document a part at a time, so that a large journal is never held whole: joined,
    the pieces are :func:`render`'s text (the blank lines at its end made one newline)."""
    held = ""
    for chunk in _chunks(doc, tz=tz):
        body = chunk.rstrip("\n")
        if body:
            yield held + body
            held = chunk[len(body) :]
        else:
            held += chunk
    yield "\n"


def _chunks(doc: Document, *, tz: tzinfo | None = None) -> Iterator[str]:
    out = [f"# Reflective journal: {inline(doc.journal)}", ""]
    out.append(f"Exported from reflectkit on {doc.generated.day} {doc.generated:%B %Y}.")
    if doc.first and doc.last:
        first, last = doc.first.astimezone(tz).date(), doc.last.astimezone(tz).date()
        out.append(f"Answers written {span_words(first, last)}.")
    else:
        out.append("There are no answers in this journal yet. `reflectkit start` begins the workbook.")
    out.append("")
    yield "\n".join(out) + "\n"
    for part in doc.parts:
        yield "\n".join(part_lines(part, tz)) + "\n"


def part_lines(part: Part, tz: tzinfo | None) -> list[str]:
    """One part of the document, as lines."""
    out = [f"## {inline(part.title)}", "", *about(part)]
    for _, answer in part.answers:
        block = answer_block(answer, answer.value, score=answer.score)
        out += [f"### {inline(answer.question)}", "", block, ""]
        stamp = f"Written {when(answer.created, tz)}"
        if answer.updated != answer.created:
            stamp += f"; last changed {when(answer.updated, tz)}"
        if answer.unfinished:
            stamp += "; unfinished: you stopped part-way through it"
        out += [f"*{stamp}.*", ""]
        for earlier in answer.history:
            out += [f"Earlier version (replaced {when(earlier.replaced, tz)}):", ""]
            out += [answer_block(answer, earlier.value), ""]
    if part.unanswered:
        out += ["Not answered yet:", ""]
        out += [f"- {inline(prompt)}" for prompt in part.unanswered] + [""]
    return out


def export(doc: Document, workbook: object = None) -> str:
    return render(doc)
