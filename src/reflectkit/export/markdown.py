"""The journal as a Markdown document.

Answers are written as block quotes, so a heading, a list or a code fence that a user
typed stays inside their answer and cannot break the document's own structure.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from reflectkit.export.common import describe, describe_value
from reflectkit.export.document import Document
from reflectkit.textsafe import safe


def quote(text: str) -> str:
    """``text`` as a Markdown block quote, every line inside it, made safe to view."""
    # Raw HTML in an answer must stay text when a viewer renders the Markdown.
    lines = safe(text).replace("&", "&amp;").replace("<", "&lt;").split("\n")
    out = []
    for index, line in enumerate(lines):
        following = index + 1 < len(lines) and lines[index + 1].strip()
        # Two trailing spaces keep the user's line breaks inside a paragraph.
        out.append(f"> {line}" + ("  " if line.strip() and following else "") if line.strip() else ">")
    return "\n".join(out)


def inline(text: str) -> str:
    """Our own or stored single-line text for a heading: safe, on one line."""
    return " ".join(safe(text).split())


def when(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y, %H:%M}"


def day(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y}"


def render(doc: Document, *, tz: tzinfo | None = None) -> str:
    """The whole document. ``tz`` sets the zone for times (the local zone by default)."""
    out = [f"# Reflective journal: {inline(doc.journal)}", ""]
    out.append(f"Exported from reflectkit on {doc.generated.day} {doc.generated:%B %Y}.")
    if doc.first and doc.last:
        out.append(f"Answers written between {day(doc.first, tz)} and {day(doc.last, tz)}.")
    else:
        out.append("There are no answers in this journal yet.")
    out.append("")
    for part in doc.parts:
        out += [f"## {inline(part.title)}", ""]
        for _, answer in part.answers:
            out += [f"### {inline(answer.question)}", "", quote(describe(answer)), ""]
            stamp = f"Written {when(answer.created, tz)}"
            if answer.updated != answer.created:
                stamp += f"; last changed {when(answer.updated, tz)}"
            out += [f"*{stamp}.*", ""]
            for earlier in answer.history:
                out += [f"Earlier version (replaced {when(earlier.replaced, tz)}):", ""]
                out += [quote(describe_value(answer, earlier.value)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def export(doc: Document, workbook: object = None) -> str:
    return render(doc)
