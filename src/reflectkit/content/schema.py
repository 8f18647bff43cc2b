"""The schema of the workbook's content: pydantic models that check every content file.

The content is data (TOML files under ``data/``); these models are its schema, used when a
file is checked (the tests and the build check the built-in workbook; a local case study is
checked when it loads). What the rest of reflectkit reads are the plain records of
:mod:`reflectkit.content.models`, built from checked data by the loader.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reflectkit.content.terms import Profession

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
Text = Annotated[str, Field(min_length=1)]
# The month a fact that can change was checked against a primary source: "2026-11".
Month = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]


_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        """Content is shown in a terminal: escape sequences and direction overrides in a
        (local) case study would act on the screen, so they are refused when it loads."""
        if isinstance(data, dict):
            for key, value in data.items():
                texts = value if isinstance(value, list) else [value]
                for text in texts:
                    if isinstance(text, str) and (bad := _UNSHOWABLE.search(text)):
                        raise ValueError(
                            f"{key}: contains the control character U+{ord(bad.group()):04X}, "
                            "which cannot be shown safely; remove it"
                        )
        return data


class Source(_Model):
    """A document the text draws on. ``citation`` is the exact bibliographic reference."""

    title: Text
    authors: list[Text] = []
    organisation: str = ""
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: str = ""
    doi: str = ""
    citation: Text
    # A source for facts that can change (law, timescales, entitlements, regulators' rules)
    # says so, and carries the month it was last checked.
    time_sensitive: bool = False
    checked: Month | None = None

    @model_validator(mode="after")
    def _who_and_where(self) -> Source:
        if self.time_sensitive and not self.checked:
            raise ValueError('a time-sensitive source needs checked = "YYYY-MM", the month it was checked')
        if not self.authors and not self.organisation:
            raise ValueError("a source needs authors or an organisation")
        if not self.url and not self.doi:
            raise ValueError("a source needs a url or a doi")
        if self.url and not re.match(r"^https?://", self.url):
            raise ValueError("url must start with http:// or https://")
        return self


class TextQuestion(_Model):
    """Free reflection. ``guidance`` is shown after the user has answered."""

    kind: Literal["text"]
    id: Id
    prompt: Text
    help: str = ""
    guidance: str = ""


class Statement(_Model):
    text: Text
    true: bool
    feedback: Text


class StatementsQuestion(_Model):
    """'Select the statements you think are true', each with its own feedback."""

    kind: Literal["statements"]
    id: Id
    prompt: Text
    help: str = ""
    statements: list[Statement] = Field(min_length=2, max_length=12)

    @model_validator(mode="after")
    def _has_a_true_statement(self) -> StatementsQuestion:
        if not any(s.true for s in self.statements):
            raise ValueError("a statements question needs at least one true statement")
        return self


class TableRow(_Model):
    """A row of a table question. ``example`` cells are filled in for the user; ``model``
    cells are shown after the user has filled the row, to compare with."""

    label: Text
    example: list[str] = []
    model: list[str] = []


class TableQuestion(_Model):
    """Rows are given; the user fills the columns. A row may carry an example."""

    kind: Literal["table"]
    id: Id
    prompt: Text
    help: str = ""
    row_header: Text
    columns: list[Text] = Field(min_length=1, max_length=6)
    rows: list[TableRow] = Field(min_length=1, max_length=20)
    # Columns (numbered from 1) that ask for a fact, such as "What the answer is": every
    # row must then give a checked answer there, as an example or a model answer.
    factual_columns: list[int] = []
    checked: Month | None = None

    @model_validator(mode="after")
    def _examples_fit(self) -> TableQuestion:
        width = len(self.columns)
        for row in self.rows:
            for name, cells in (("example", row.example), ("model", row.model)):
                if cells and len(cells) != width:
                    raise ValueError(
                        f"row {row.label!r}: {name} has {len(cells)} cells, the table has {width} columns"
                    )
        for column in self.factual_columns:
            if not 1 <= column <= width:
                raise ValueError(f"factual_columns: there is no column {column}")
            for row in self.rows:
                given = [cells[column - 1] for cells in (row.example, row.model) if cells]
                if not any(cell.strip() for cell in given):
                    raise ValueError(
                        f"row {row.label!r}: column {column} asks for a fact, so it needs a model answer"
                    )
        if self.factual_columns and not self.checked:
            raise ValueError('a table with factual_columns needs checked = "YYYY-MM"')
        return self

    @property
    def cells(self) -> int:
        """How many cells the user is asked to fill (example cells are filled already)."""
        return sum(len(self.columns) - sum(1 for c in row.example if c.strip()) for row in self.rows)


class ScaleQuestion(_Model):
    """A 1 to 5 scale with labelled ends."""

    kind: Literal["scale"]
    id: Id
    prompt: Text
    help: str = ""
    low_label: Text
    high_label: Text


class CurrentRule(_Model):
    """A fact that can change, as it stood when checked, and where to find today's rule."""

    topic: Text
    text: Text
    checked: Month
    where: Text
    url: str = Field(pattern=r"^https?://")


Question = Annotated[
    TextQuestion | StatementsQuestion | TableQuestion | ScaleQuestion,
    Field(discriminator="kind"),
]


def _unique_ids(questions: list[Question], where: str) -> None:
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise ValueError(f"duplicate question id {q.id!r} in {where}")
        seen.add(q.id)


class Stage(_Model):
    """One of the workbook's four stages. Stage 3's prompts are asked for each case study."""

    number: int = Field(ge=1, le=4)
    id: Id
    title: Text
    minutes: int = Field(ge=1, le=240)
    body: Text
    sources: list[Source] = []
    current_rules: list[CurrentRule] = []
    prompts: list[Question] = []
    weekly: list[Question] = []
    revisit: list[Question] = []

    @model_validator(mode="after")
    def _ids(self) -> Stage:
        _unique_ids(self.prompts, f"stage {self.number} prompts")
        _unique_ids(self.weekly, f"stage {self.number} weekly prompts")
        _unique_ids(self.revisit, f"stage {self.number} revisit prompts")
        return self


class CaseStudy(_Model):
    """A case study: a story or documented case, and the questions it asks."""

    schema_version: Literal[1] = 1
    number: int = Field(ge=1, le=999)
    id: Id
    title: Text
    summary: Text = Field(max_length=200)
    professions: list[Profession] = Field(min_length=1)
    minutes: int = Field(ge=1, le=240)
    composite: bool
    evidence_note: str = ""
    body: Text
    sources: list[Source] = Field(min_length=1)
    current_rules: list[CurrentRule] = []
    questions: list[Question] = Field(min_length=4)
    local: bool = Field(default=False, exclude=True)

    @model_validator(mode="after")
    def _checks(self) -> CaseStudy:
        _unique_ids(self.questions, f"case study {self.number}")
        if self.composite and not self.evidence_note:
            raise ValueError("a composite case study needs an evidence_note saying what it draws on")
        return self


class Resource(Source):
    """A further reading or toolkit, shown by ``reflectkit resources``."""

    description: Text
    professions: list[Profession | Literal["all"]] = Field(min_length=1)


class Workbook(_Model):
    """The whole workbook: its stages, built-in case studies and resources."""

    schema_version: Literal[1] = 1
    id: Id
    title: Text
    introduction: Text
    privacy_note: Text
    sources: list[Source] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=4, max_length=4)
    resources: list[Resource] = []
    case_studies: list[CaseStudy] = []

    @model_validator(mode="after")
    def _stage_numbers(self) -> Workbook:
        if [s.number for s in self.stages] != [1, 2, 3, 4]:
            raise ValueError("stages must be numbered 1, 2, 3, 4 in order")
        return self

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]

    def case(self, number: int) -> CaseStudy | None:
        return next((c for c in self.case_studies if c.number == number), None)

    def case_by_id(self, case_id: str) -> CaseStudy | None:
        return next((c for c in self.case_studies if c.id == case_id), None)
