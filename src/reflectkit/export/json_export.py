"""The journal as JSON: every answer's text exactly as stored, for scripts and backups."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from reflectkit import __version__
from reflectkit.export.document import Document, Part
from reflectkit.journal.models import Answer


def _answer(question_id: str, answer: Answer) -> dict[str, Any]:
    data = answer.to_dict(exclude_none=True, json_ready=True)
    return {"question_id": question_id, **data}


def _section(part: Part) -> dict[str, Any]:
    # "tags" and "note" appear only where there are some, so older exports keep their shape.
    data: dict[str, Any] = {"kind": part.unit.section, "ref": part.unit.ref, "title": part.title}
    if part.tags:
        data["tags"] = list(part.tags)
    if part.unit.note is not None:
        data["note"] = part.unit.note.to_dict(exclude_none=True, json_ready=True)
    data["answers"] = [_answer(qid, a) for qid, a in part.answers]
    return data


def render(doc: Document, *, ascii_only: bool = False) -> str:
    return "".join(stream(doc, ascii_only=ascii_only))


def stream(doc: Document, *, ascii_only: bool = False) -> Iterator[str]:
    """The JSON a section at a time, so that a large journal is never held whole. Joined,
    the pieces are exactly ``json.dumps`` of the whole payload with ``indent=2``."""
    head = {
        "format": "reflectkit-journal",
        "schema_version": 1,
        "reflectkit": __version__,
        "journal": doc.journal,
        "exported": doc.generated.isoformat(),
        "sections": [],
    }
    text = json.dumps(head, ensure_ascii=ascii_only, indent=2)
    opening = text[: text.rindex("[]")]  # everything up to the sections' list
    first = True
    for part in doc.parts:
        # A section sits two levels deep: each of its lines is indented four more spaces.
        body = json.dumps(_section(part), ensure_ascii=ascii_only, indent=2).replace("\n", "\n    ")
        yield (opening + "[\n    " if first else ",\n    ") + body
        first = False
    yield opening + "[]\n}\n" if first else "\n  ]\n}\n"


def export(doc: Document, workbook: object = None) -> str:
    import sys

    # Shown in a terminal, escape everything but ASCII: bidi overrides and C1 controls in an
    # answer must not act on the screen. Parsed, the JSON is the same either way.
    return render(doc, ascii_only=sys.stdout.isatty())
