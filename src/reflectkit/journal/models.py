"""The journal's records: one file per section (a stage, a case study, a reflection, a note).

Plain classes, checked by hand when a file is read: the journal is read by nearly every
command, so it must not cost an import of pydantic. Fields this version does not know are
kept (in ``model_extra``) and written back, so a file touched by a newer reflectkit loses
nothing when an older one saves into it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

JOURNAL_SCHEMA_VERSION = 1
SectionKind = Literal["stage", "case", "reflection", "revisit", "note"]
AnswerKind = Literal["text", "statements", "table", "scale"]
Value = str | int | list[int] | list[list[str]]
SECTION_KINDS = ("stage", "case", "reflection", "revisit", "note")
ANSWER_KINDS = ("text", "statements", "table", "scale")


@dataclass(frozen=True, order=True)
class Section:
    """What a group of answers belongs to: ``Section("case", "first-home-visit")``."""

    kind: SectionKind
    ref: str

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.ref}.toml"


class RecordError(ValueError):
    """A stored record that does not fit: ``loc`` is the field path, ``msg`` says why."""

    def __init__(self, loc: tuple[str | int, ...], msg: str) -> None:
        super().__init__(f"{'.'.join(map(str, loc))}: {msg}")
        self.loc = loc
        self.msg = msg


# -- checking one field ------------------------------------------------------------------
def _text(data: dict[str, Any], key: str, loc: tuple[str | int, ...], *, default: Any = ...) -> Any:
    value = data.get(key, default)
    if value is ...:
        raise RecordError((*loc, key), "Field required")
    if not isinstance(value, str) and not (value is None and default is None):
        raise RecordError((*loc, key), "Input should be a valid string")
    return value


def _int(value: Any, loc: tuple[str | int, ...]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(loc, "Input should be a valid integer")
    return value


def _flag(value: Any, loc: tuple[str | int, ...]) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise RecordError(loc, "Input should be a valid boolean")
    return value


def _moment(value: Any, loc: tuple[str | int, ...]) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(loc, "Input should be a valid datetime") from None
    if not isinstance(value, datetime):
        raise RecordError(loc, "Input should be a valid datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise RecordError(loc, "Input should have timezone info")
    return value


def _value(value: Any, loc: tuple[str | int, ...]) -> Value:
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, list):
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return value
        if all(isinstance(row, list) and all(isinstance(c, str) for c in row) for row in value):
            return value
    raise RecordError(loc, "Input should be text, a whole number, a list of numbers or rows of text")


def _required(data: dict[str, Any], key: str, loc: tuple[str | int, ...]) -> Any:
    if key not in data:
        raise RecordError((*loc, key), "Field required")
    return data[key]


def _table(value: Any, loc: tuple[str | int, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RecordError(loc, "Input should be a valid dictionary")
    return value


class _Record:
    """Fields in ``_fields`` order, then those this version does not know (``model_extra``)."""

    _fields: tuple[str, ...] = ()
    model_extra: dict[str, Any]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the records it replaces were

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def to_dict(self, *, exclude_none: bool = False, json_ready: bool = False) -> dict[str, Any]:
        """The record as stored (``json_ready``: datetimes and dates as ISO text)."""
        out: dict[str, Any] = {}
        for name in self._fields:
            out[name] = _plain(getattr(self, name), exclude_none, json_ready)
        for name, value in self.model_extra.items():
            out[name] = _plain(value, exclude_none, json_ready)
        if exclude_none:
            out = {k: v for k, v in out.items() if v is not None}
        return out


def _plain(value: Any, exclude_none: bool, json_ready: bool) -> Any:
    if isinstance(value, _Record):
        return value.to_dict(exclude_none=exclude_none, json_ready=json_ready)
    if isinstance(value, list):
        return [_plain(v, exclude_none, json_ready) for v in value]
    if isinstance(value, dict):
        found = {k: _plain(v, exclude_none, json_ready) for k, v in value.items()}
        return {k: v for k, v in found.items() if v is not None} if exclude_none else found
    if json_ready and isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if json_ready and isinstance(value, date):
        return value.isoformat()
    return value


def _extra(data: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


class Earlier(_Record):
    """A replaced answer, kept in the answer's history."""

    _fields = ("value", "created", "replaced")

    def __init__(self, *, value: Value, created: datetime, replaced: datetime, **extra: Any) -> None:
        self._set({"value": value, "created": created, "replaced": replaced, **extra}, ())

    def _set(self, data: dict[str, Any], loc: tuple[str | int, ...]) -> None:
        self.value: Value = _value(_required(data, "value", loc), (*loc, "value"))
        self.created: datetime = _moment(_required(data, "created", loc), (*loc, "created"))
        self.replaced: datetime = _moment(_required(data, "replaced", loc), (*loc, "replaced"))
        self.model_extra = _extra(data, self._fields)

    @classmethod
    def read(cls, data: Any, loc: tuple[str | int, ...]) -> Earlier:
        record = cls.__new__(cls)
        record._set(_table(data, loc), loc)
        return record


class Answer(_Record):
    """One answer, with the question as it was shown when it was given."""

    _fields = (
        "question", "kind", "value", "created", "updated", "position", "context", "score",
        "unfinished", "needs_review", "history",
    )  # fmt: skip

    def __init__(self, **data: Any) -> None:
        self._set(data, ())

    def _set(self, data: dict[str, Any], loc: tuple[str | int, ...]) -> None:
        self.question: str = _text(data, "question", loc)
        kind = _required(data, "kind", loc)
        if kind not in ANSWER_KINDS:
            raise RecordError((*loc, "kind"), "Input should be 'text', 'statements', 'table' or 'scale'")
        self.kind: AnswerKind = kind
        self.value: Value = _value(_required(data, "value", loc), (*loc, "value"))
        self.created: datetime = _moment(_required(data, "created", loc), (*loc, "created"))
        self.updated: datetime = _moment(_required(data, "updated", loc), (*loc, "updated"))
        self.position: int = _int(data.get("position", 0), (*loc, "position"))
        self.context: dict[str, str | list[str]] = _context(data.get("context", {}), (*loc, "context"))
        self.score: float | None = _score(data.get("score"), (*loc, "score"))
        self.unfinished: bool | None = _flag(data.get("unfinished"), (*loc, "unfinished"))
        # Looks identifying and the user has not yet changed it or chosen to keep it: named by
        # `check`, `start` and `export` until they do.
        self.needs_review: bool | None = _flag(data.get("needs_review"), (*loc, "needs_review"))
        history = data.get("history", [])
        if not isinstance(history, list):
            raise RecordError((*loc, "history"), "Input should be a valid list")
        self.history: list[Earlier] = [
            h if isinstance(h, Earlier) else Earlier.read(h, (*loc, "history", i))
            for i, h in enumerate(history)
        ]
        self.model_extra = _extra(data, self._fields)
        self.check(loc)

    def check(self, loc: tuple[str | int, ...] = ()) -> None:
        """Refuse a value that does not fit the answer's kind."""
        expected = {"text": str, "scale": int, "statements": list, "table": list}[self.kind]
        if not isinstance(self.value, expected) or isinstance(self.value, bool):
            raise RecordError(loc, f"a {self.kind} answer cannot hold {type(self.value).__name__}")

    @classmethod
    def read(cls, data: Any, loc: tuple[str | int, ...]) -> Answer:
        record = cls.__new__(cls)
        record._set(_table(data, loc), loc)
        return record


def _context(value: Any, loc: tuple[str | int, ...]) -> dict[str, str | list[str]]:
    for key, item in _table(value, loc).items():
        fits = isinstance(item, str) or (isinstance(item, list) and all(isinstance(s, str) for s in item))
        if not fits:
            raise RecordError((*loc, key), "Input should be text or a list of text")
    return value  # type: ignore[no-any-return]


def _score(value: Any, loc: tuple[str | int, ...]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(loc, "Input should be a valid number")
    return float(value)


class NoteInfo(_Record):
    """What a note is about: its title, the day of the event, the reflective model it
    follows (its answers are keyed by that model's stage ids) and the minutes spent."""

    _fields = ("title", "event_date", "model", "minutes")

    def __init__(self, **data: Any) -> None:
        self._set(data, ())

    def _set(self, data: dict[str, Any], loc: tuple[str | int, ...]) -> None:
        self.title: str = _sized(_text(data, "title", loc), 1, 200, (*loc, "title"))
        self.event_date: date = _day(_required(data, "event_date", loc), (*loc, "event_date"))
        self.model: str = _sized(_text(data, "model", loc), 1, 64, (*loc, "model"))
        minutes = data.get("minutes")
        if minutes is not None and not 1 <= _int(minutes, (*loc, "minutes")) <= 1440:
            raise RecordError((*loc, "minutes"), "Input should be from 1 to 1440")
        self.minutes: int | None = minutes
        self.model_extra = _extra(data, self._fields)

    def replaced(self, **changes: Any) -> NoteInfo:
        """A copy with ``changes``, checked as a new one would be."""
        return NoteInfo(**{**self.to_dict(), **changes})

    @classmethod
    def read(cls, data: Any, loc: tuple[str | int, ...]) -> NoteInfo:
        record = cls.__new__(cls)
        record._set(_table(data, loc), loc)
        return record


def _sized(text: str, low: int, high: int, loc: tuple[str | int, ...]) -> str:
    if not low <= len(text) <= high:
        raise RecordError(loc, f"String should have {low} to {high} characters")
    return text


def _day(value: Any, loc: tuple[str | int, ...]) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise RecordError(loc, "Input should be a valid date") from None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RecordError(loc, "Input should be a valid date")
    return value


class Unit(_Record):
    """The contents of one section file. ``tags`` and ``note`` are left out of the file
    when unset, so files without them read and write exactly as before."""

    _fields = ("schema_version", "section", "ref", "answer_count", "checksum", "tags", "note", "answers")

    def __init__(self, **data: Any) -> None:
        self._set(data, ())

    def _set(self, data: dict[str, Any], loc: tuple[str | int, ...]) -> None:
        self.schema_version: int = _int(
            data.get("schema_version", JOURNAL_SCHEMA_VERSION), ("schema_version",)
        )
        if self.schema_version < 1:
            raise RecordError(("schema_version",), "Input should be greater than or equal to 1")
        section = _required(data, "section", loc)
        if section not in SECTION_KINDS:
            raise RecordError(
                ("section",), "Input should be 'stage', 'case', 'reflection', 'revisit' or 'note'"
            )
        self.section: SectionKind = section
        self.ref: str = _text(data, "ref", loc)
        self.answer_count: int = _int(data.get("answer_count", 0), ("answer_count",))
        self.checksum: str = _text(data, "checksum", loc, default="")
        tags = data.get("tags")
        if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
            raise RecordError(("tags",), "Input should be a list of text")
        self.tags: list[str] | None = tags
        note = data.get("note")
        self.note: NoteInfo | None = (
            note if isinstance(note, NoteInfo) or note is None else NoteInfo.read(note, ("note",))
        )
        answers = _table(data.get("answers", {}), ("answers",))
        for key in answers:
            if not key or len(key) > 64:
                raise RecordError(("answers",), f"Value error, bad question id {key!r}")
        self.answers: dict[str, Answer] = {
            k: a if isinstance(a, Answer) else Answer.read(a, ("answers", k)) for k, a in answers.items()
        }
        self.model_extra = _extra(data, self._fields)

    @classmethod
    def read(cls, data: dict[str, Any]) -> Unit:
        """A unit from a parsed file; raises :class:`RecordError` naming the field."""
        record = cls.__new__(cls)
        record._set(data, ())
        return record

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
    import hashlib

    canon = json.dumps(answers, sort_keys=True, ensure_ascii=True, default=_jsonable)
    return "sha256:" + hashlib.sha256(canon.encode("ascii")).hexdigest()


def dump_unit(unit: Unit) -> dict[str, Any]:
    """The TOML-ready dict for a unit, with its count and checksum filled in."""
    for key, answer in unit.answers.items():
        answer.check(("answers", key))  # fields may have been changed since it was read
    data = unit.to_dict(exclude_none=True)
    data.pop("answer_count")
    data.pop("checksum")
    answers = data.pop("answers")
    head = {
        "schema_version": data.pop("schema_version"),
        "section": data.pop("section"),
        "ref": data.pop("ref"),
        "answer_count": len(answers),
        "checksum": checksum(answers),
    }
    return {**head, **data, "answers": answers}
