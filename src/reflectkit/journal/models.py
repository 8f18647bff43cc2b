"""The journal's records: one file per section (a stage, a case study, a reflection, a note).

Fields this version does not know are kept (``extra="allow"``) and written back, so a
file touched by a newer reflectkit loses nothing when an older one saves into it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

JOURNAL_SCHEMA_VERSION = 1
SectionKind = Literal["stage", "case", "reflection", "revisit", "note"]
AnswerKind = Literal["text", "statements", "table", "scale"]
Value = str | int | list[int] | list[list[str]]


@dataclass(frozen=True, order=True)
class Section:
    """What a group of answers belongs to: ``Section("case", "first-home-visit")``."""

    kind: SectionKind
    ref: str

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.ref}.toml"


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True)


class Earlier(_Record):
    """A replaced answer, kept in the answer's history."""

    value: Value
    created: AwareDatetime
    replaced: AwareDatetime


class Answer(_Record):
    """One answer, with the question as it was shown when it was given."""

    question: str
    kind: AnswerKind
    value: Value
    created: AwareDatetime
    updated: AwareDatetime
    position: int = 0
    context: dict[str, str | list[str]] = {}
    score: float | None = None
    unfinished: bool | None = None  # saved part-way (Ctrl-C while typing): asked again
    # Looks identifying and the user has not yet changed it or chosen to keep it: named by
    # `check`, `start` and `export` until they do.
    needs_review: bool | None = None
    history: list[Earlier] = []

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Answer:
        expected = {"text": str, "scale": int, "statements": list, "table": list}[self.kind]
        if not isinstance(self.value, expected) or isinstance(self.value, bool):
            raise ValueError(f"a {self.kind} answer cannot hold {type(self.value).__name__}")
        return self


class NoteInfo(_Record):
    """What a note is about: its title, the day of the event, the reflective model it
    follows (its answers are keyed by that model's stage ids) and the minutes spent."""

    title: str = Field(min_length=1, max_length=200)
    event_date: date
    model: str = Field(min_length=1, max_length=64)
    minutes: int | None = Field(default=None, ge=1, le=1440)


class Unit(_Record):
    """The contents of one section file. ``tags`` and ``note`` are left out of the file
    when unset, so files without them read and write exactly as before."""

    schema_version: int = Field(default=JOURNAL_SCHEMA_VERSION, ge=1)
    section: SectionKind
    ref: str
    answer_count: int = 0
    checksum: str = ""
    tags: list[str] | None = None
    note: NoteInfo | None = None
    answers: dict[str, Answer] = {}

    @field_validator("answers")
    @classmethod
    def _keys(cls, answers: dict[str, Answer]) -> dict[str, Answer]:
        for key in answers:
            if not key or len(key) > 64:
                raise ValueError(f"bad question id {key!r}")
        return answers

    @property
    def key(self) -> Section:
        return Section(self.section, self.ref)

    def ordered(self) -> list[tuple[str, Answer]]:
        return sorted(self.answers.items(), key=lambda kv: (kv[1].position, kv[1].created))


def _jsonable(obj: object) -> str:
    if isinstance(obj, datetime):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def checksum(answers: dict[str, Any]) -> str:
    """A digest of the answers as stored, so a file cut short is noticed even if it parses."""
    canon = json.dumps(answers, sort_keys=True, ensure_ascii=True, default=_jsonable)
    return "sha256:" + hashlib.sha256(canon.encode("ascii")).hexdigest()


def dump_unit(unit: Unit) -> dict[str, Any]:
    """The TOML-ready dict for a unit, with its count and checksum filled in."""
    data = unit.model_dump(mode="python", exclude_none=True, exclude={"answer_count", "checksum"})
    answers = data.pop("answers")
    head = {
        "schema_version": data.pop("schema_version"),
        "section": data.pop("section"),
        "ref": data.pop("ref"),
        "answer_count": len(answers),
        "checksum": checksum(answers),
    }
    return {**head, **data, "answers": answers}
