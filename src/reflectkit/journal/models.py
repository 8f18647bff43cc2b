"""The journal's records: one file per section (a stage, a case study, a reflection, a note).

Plain classes, checked by hand when a file is read: the journal is read by nearly every
command, so it must not cost an import of pydantic. Fields this version does not know are
kept (in ``model_extra``) and written back, so a file touched by a newer reflectkit loses
nothing when an older one saves into it.

An answer's earlier versions live in a history file beside its section file, one line per
version (see :func:`seal_line`), so that a save appends one line instead of rewriting them
all. Section files written before that keep their history inline, and still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

JOURNAL_SCHEMA_VERSION = 1
HISTORY_FORMAT = 1  # the history file's own format, in its first line
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


class HistoryFile(_Record):
    """What a section file knows of its history file, as of its last save.

    Attributes:
        generation: Changes each time the history file is written whole, so a section file
            can tell its own history file from one a stopped rewrite left in its place.
        size: How many of the history file's bytes this section file stands for. A save
            stopped after appending leaves more; those bytes are not used, and go on the
            next append.
        last: The digest of the last of those lines, which the next line's digest covers.
    """

    _fields = ("generation", "size", "last")

    def __init__(self, **data: Any) -> None:
        self._set(data, ())

    def _set(self, data: dict[str, Any], loc: tuple[str | int, ...]) -> None:
        self.generation: str = _sized(_text(data, "generation", loc), 1, 64, (*loc, "generation"))
        self.size: int = _int(_required(data, "size", loc), (*loc, "size"))
        if self.size < 1:
            raise RecordError((*loc, "size"), "Input should be greater than or equal to 1")
        self.last: str = _text(data, "last", loc)
        self.model_extra = _extra(data, self._fields)

    @classmethod
    def read(cls, data: Any, loc: tuple[str | int, ...]) -> HistoryFile:
        record = cls.__new__(cls)
        record._set(_table(data, loc), loc)
        return record


class Unit(_Record):
    """The contents of one section file. ``tags``, ``note`` and ``history_file`` are left out
    of the file when unset, so files without them read and write exactly as before.

    ``history_file`` is set once the answers' earlier versions have moved to the history file
    beside it; an answer's ``history`` then lists them when the unit is read with its history.
    """

    _fields = (
        "schema_version", "section", "ref", "answer_count", "checksum", "tags", "note", "history_file",
        "answers",
    )  # fmt: skip

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
        kept = data.get("history_file")
        self.history_file: HistoryFile | None = (
            kept
            if isinstance(kept, HistoryFile) or kept is None
            else HistoryFile.read(kept, ("history_file",))
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


def dump_unit(unit: Unit, *, inline_history: bool = True) -> dict[str, Any]:
    """The TOML-ready dict for a unit, with its count and checksum filled in.

    ``inline_history=False`` leaves the answers' earlier versions out (``history = []``):
    for a section whose history is kept in its history file.
    """
    for key, answer in unit.answers.items():
        answer.check(("answers", key))  # fields may have been changed since it was read
    data = unit.to_dict(exclude_none=True)
    data.pop("answer_count")
    data.pop("checksum")
    answers = data.pop("answers")
    if not inline_history:
        for answer in answers.values():
            answer["history"] = []
    head = {
        "schema_version": data.pop("schema_version"),
        "section": data.pop("section"),
        "ref": data.pop("ref"),
        "answer_count": len(answers),
        "checksum": checksum(answers),
    }
    return {**head, **data, "answers": answers}


# -- the history file: one line per earlier version ---------------------------------------
# Each line is a JSON object whose last member is its digest: ``{..., "sum": "<32 hex>"}``.
# The digest covers the line before it too, so a line changed, lost or moved is noticed.
# The first line names the file (section, ref, generation); each later one holds one
# earlier version of the answer ``q``. ``q`` and ``sum`` are the format's own names, so an
# earlier version cannot keep a field of its own by either name.
_SUM_HEAD = b',"sum":"'
_SUM_TAIL = b'"}'
SUM_BYTES = len(_SUM_HEAD) + 32 + len(_SUM_TAIL)  # what a digest adds to a line (before "\n")
_HEX = frozenset(b"0123456789abcdef")


def _digest(prev: str, body: bytes) -> str:
    import hashlib  # not on the start-up path: only saves and reads of history need it

    return hashlib.sha256(prev.encode("ascii") + b"\n" + body).hexdigest()[:32]


def line_body(record: dict[str, Any]) -> bytes:
    """One record as JSON on one line (text that is not valid UTF-8 raises UnicodeError)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal_line(prev: str, body: bytes) -> tuple[bytes, str]:
    """The line for ``body`` (from :func:`line_body`) after the line whose digest is
    ``prev`` ("" for the first line), newline included, and its own digest."""
    digest = _digest(prev, body)
    return body[:-1] + line_end(digest), digest


def line_end(digest: str) -> bytes:
    """How a line whose digest is ``digest`` ends, newline included."""
    return _SUM_HEAD + digest.encode("ascii") + _SUM_TAIL + b"\n"


def sum_of(line: bytes) -> str | None:
    """The digest a line (without its newline) says it has, or None if it has none."""
    if len(line) <= SUM_BYTES or not line.endswith(_SUM_TAIL) or line[-SUM_BYTES:-34] != _SUM_HEAD:
        return None
    found = line[-34:-2]
    return found.decode("ascii") if set(found) <= _HEX else None


def open_line(prev: str, line: bytes) -> tuple[dict[str, Any], str, bool]:
    """A line's record (without its digest), the digest it says it has, and whether that
    digest is right after the line whose digest is ``prev``.

    Raises:
        ValueError: the line is not a JSON object ending in a digest.
        RecursionError: it is nested too deeply to read.
    """
    said = sum_of(line)
    if said is None:
        raise ValueError("it does not end in a checksum")
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("it is not a record")
    record.pop("sum", None)
    return record, said, _digest(prev, line[:-SUM_BYTES] + b"}") == said


def history_record(question_id: str, earlier: Earlier) -> dict[str, Any]:
    """What one history line holds: the question's id and the version as stored."""
    return {"q": question_id, **earlier.to_dict(json_ready=True)}


def earlier_from(record: dict[str, Any], loc: tuple[str | int, ...]) -> tuple[str, Earlier]:
    """The question id and earlier version a history line holds; raises RecordError."""
    question_id = record.pop("q", None)
    if not isinstance(question_id, str) or not question_id or len(question_id) > 64:
        raise RecordError((*loc, "q"), "Input should be a question id")
    return question_id, Earlier.read(record, loc)
