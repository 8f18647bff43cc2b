"""The journal as JSON: every answer's text exactly as stored, for scripts and backups."""

from __future__ import annotations

import json
from typing import Any

from reflectkit import __version__
from reflectkit.export.document import Document, Part
from reflectkit.journal.models import Answer


def _answer(question_id: str, answer: Answer) -> dict[str, Any]:
    data = answer.model_dump(mode="json", exclude_none=True)
    return {"question_id": question_id, **data}


def _section(part: Part) -> dict[str, Any]:
    # "tags" and "note" appear only where there are some, so older exports keep their shape.
    data: dict[str, Any] = {"kind": part.unit.section, "ref": part.unit.ref, "title": part.title}
    if part.tags:
        data["tags"] = list(part.tags)
    if part.unit.note is not None:
        data["note"] = part.unit.note.model_dump(mode="json", exclude_none=True)
    data["answers"] = [_answer(qid, a) for qid, a in part.answers]
    return data


def render(doc: Document, *, ascii_only: bool = False) -> str:
    payload = {
        "format": "reflectkit-journal",
        "schema_version": 1,
        "reflectkit": __version__,
        "journal": doc.journal,
        "exported": doc.generated.isoformat(),
        "sections": [_section(part) for part in doc.parts],
    }
    return json.dumps(payload, ensure_ascii=ascii_only, indent=2) + "\n"


def export(doc: Document, workbook: object = None) -> str:
    import sys

    # Shown in a terminal, escape everything but ASCII: bidi overrides and C1 controls in an
    # answer must not act on the screen. Parsed, the JSON is the same either way.
    return render(doc, ascii_only=sys.stdout.isatty())
