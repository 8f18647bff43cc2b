"""The workbook's content as plain, frozen records: stages, case studies, questions, sources.

The content is data (TOML files under ``data/``). :mod:`reflectkit.content.schema` holds
its pydantic schema, which checks every file; these records are what the rest of
reflectkit reads, built from checked data, so that reading the workbook never needs
pydantic. Ids are stable strings that the journal stores; numbers are what users type.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from reflectkit.content.terms import MONTH_NAMES as MONTH_NAMES
from reflectkit.content.terms import PROFESSIONS as PROFESSIONS
from reflectkit.content.terms import Profession as Profession
from reflectkit.content.terms import month_words as month_words
from reflectkit.content.terms import profession_from as profession_from

CONTENT_SCHEMA_VERSION = 1

# An empty list as a default: each record gets a list of its own.
EMPTY: Any = ()


class _Plain:
    """A frozen record built from keyword arguments. A field with a class-level value is
    optional. Lighter at import than dataclasses: the workbook is read by most commands."""

    _required: ClassVar[tuple[str, ...]] = ()
    _optional: ClassVar[dict[str, Any]] = {}
    # Lists of records, and what makes one from checked data (a dict) given in their place.
    _items: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls) -> None:
        names = [n for klass in reversed(cls.__mro__) for n in vars(klass).get("__annotations__", {})]
        names = [n for n in dict.fromkeys(names) if not n.startswith("_")]
        cls._required = tuple(n for n in names if not hasattr(cls, n))
        cls._optional = {n: getattr(cls, n) for n in names if hasattr(cls, n)}

    def __init__(self, **given: Any) -> None:
        put = object.__setattr__
        try:
            for name in self._required:
                put(self, name, given.pop(name))
        except KeyError as exc:
            raise TypeError(f"{type(self).__name__} needs {exc.args[0]!r}") from None
        for name, default in self._optional.items():
            put(self, name, given.pop(name, [] if default is EMPTY else default))
        if given:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(given))!r}")
        for name, make in self._items.items():
            items = getattr(self, name)
            if any(isinstance(item, dict) for item in items):
                put(self, name, [make(item) if isinstance(item, dict) else item for item in items])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, getattr(self, "id", None), getattr(self, "title", None)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes``."""
        return type(self)(**{**vars(self), **changes})


class Source(_Plain):
    """A document the text draws on. ``citation`` is the exact bibliographic reference."""

    title: str
    citation: str
    authors: list[str] = EMPTY
    organisation: str = ""
    year: int | None = None
    url: str = ""
    doi: str = ""
    time_sensitive: bool = False
    checked: str | None = None


class TextQuestion(_Plain):
    """Free reflection. ``guidance`` is shown after the user has answered."""

    kind: Literal["text"]
    id: str
    prompt: str
    help: str = ""
    guidance: str = ""


class Statement(_Plain):
    text: str
    true: bool
    feedback: str


class StatementsQuestion(_Plain):
    """'Select the statements you think are true', each with its own feedback."""

    kind: Literal["statements"]
    id: str
    prompt: str
    statements: list[Statement]
    help: str = ""


class TableRow(_Plain):
    """A row of a table question. ``example`` cells are filled in for the user; ``model``
    cells are shown after the user has filled the row, to compare with."""

    label: str
    example: list[str] = EMPTY
    model: list[str] = EMPTY


class TableQuestion(_Plain):
    """Rows are given; the user fills the columns. A row may carry an example."""

    kind: Literal["table"]
    id: str
    prompt: str
    row_header: str
    columns: list[str]
    rows: list[TableRow]
    help: str = ""
    factual_columns: list[int] = EMPTY
    checked: str | None = None

    @property
    def cells(self) -> int:
        """How many cells the user is asked to fill (example cells are filled already)."""
        return sum(len(self.columns) - sum(1 for c in row.example if c.strip()) for row in self.rows)


class ScaleQuestion(_Plain):
    """A 1 to 5 scale with labelled ends."""

    kind: Literal["scale"]
    id: str
    prompt: str
    low_label: str
    high_label: str
    help: str = ""


class CurrentRule(_Plain):
    """A fact that can change, as it stood when checked, and where to find today's rule."""

    topic: str
    text: str
    checked: str
    where: str
    url: str


Question = TextQuestion | StatementsQuestion | TableQuestion | ScaleQuestion


class Stage(_Plain):
    """One of the workbook's four stages. Stage 3's prompts are asked for each case study."""

    number: int
    id: str
    title: str
    minutes: int
    body: str
    sources: list[Source] = EMPTY
    current_rules: list[CurrentRule] = EMPTY
    prompts: list[Question] = EMPTY
    weekly: list[Question] = EMPTY
    revisit: list[Question] = EMPTY


class CaseStudy(_Plain):
    """A case study: a story or documented case, and the questions it asks."""

    number: int
    id: str
    title: str
    summary: str
    professions: list[str]
    minutes: int
    composite: bool
    body: str
    sources: list[Source]
    questions: list[Question]
    schema_version: int = 1
    evidence_note: str = ""
    current_rules: list[CurrentRule] = EMPTY
    local: bool = False

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of a case-study file (``reflectkit case schema``)."""
        from reflectkit.content import schema

        return schema.CaseStudy.model_json_schema()  # the schema is pydantic's: imported only here


class Resource(Source):
    """A further reading or toolkit, shown by ``reflectkit resources``."""

    description: str = ""
    professions: list[str] = EMPTY


class Workbook(_Plain):
    """The whole workbook: its stages, built-in case studies and resources."""

    id: str
    title: str
    introduction: str
    privacy_note: str
    sources: list[Source]
    stages: list[Stage]
    schema_version: int = 1
    resources: list[Resource] = EMPTY
    case_studies: list[CaseStudy] = EMPTY

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]

    def case(self, number: int) -> CaseStudy | None:
        return next((c for c in self.case_studies if c.number == number), None)

    def case_by_id(self, case_id: str) -> CaseStudy | None:
        return next((c for c in self.case_studies if c.id == case_id), None)


# -- building records from checked data (a schema model's dump, or the compiled workbook) --
def question_from(data: dict[str, Any]) -> Question:
    """A question record from checked data."""
    kinds: dict[str, Any] = {
        "text": TextQuestion,
        "statements": StatementsQuestion,
        "table": TableQuestion,
        "scale": ScaleQuestion,
    }
    return kinds[data["kind"]](**data)  # type: ignore[no-any-return]


def _source(data: dict[str, Any]) -> Source:
    return Source(**data)


def _rule(data: dict[str, Any]) -> CurrentRule:
    return CurrentRule(**data)


StatementsQuestion._items = {"statements": lambda d: Statement(**d)}
TableQuestion._items = {"rows": lambda d: TableRow(**d)}
_TEXTS = {"sources": _source, "current_rules": _rule}
Stage._items = {**_TEXTS, "prompts": question_from, "weekly": question_from, "revisit": question_from}
CaseStudy._items = {**_TEXTS, "questions": question_from}
Workbook._items = {
    "sources": _source,
    "stages": lambda d: Stage(**d),
    "resources": lambda d: Resource(**d),
    "case_studies": lambda d: CaseStudy(**d),
}


def case_from(data: dict[str, Any]) -> CaseStudy:
    """A case study record from checked data."""
    return CaseStudy(**data)


def workbook_from(data: dict[str, Any]) -> Workbook:
    """The workbook record from checked data (:meth:`schema.Workbook.model_dump`)."""
    return Workbook(**data)


# Honest timings: what a careful first reading and each kind of task take, in minutes.
READING_WORDS_PER_MINUTE = 120
TASK_MINUTES = {"text": 5.0, "statements": 2.0, "scale": 1.0, "table": 0.0}
MINUTES_PER_STATEMENT = 0.5
MINUTES_PER_CELL = 1.5


def estimate_minutes(body: str, questions: list[Question]) -> int:
    """A realistic time for a piece of work: its reading, then its tasks counted one by one,
    rounded up to the next five minutes."""
    total = len(body.split()) / READING_WORDS_PER_MINUTE
    for q in questions:
        total += TASK_MINUTES[q.kind]
        if isinstance(q, StatementsQuestion):
            total += MINUTES_PER_STATEMENT * len(q.statements)
        elif isinstance(q, TableQuestion):
            total += MINUTES_PER_CELL * q.cells
    return 5 * -(-int(total + 0.999) // 5)
