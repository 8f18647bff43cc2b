"""Reflective models (Gibbs, Driscoll, Kolb, ...) as content: their schema, and loading them.

A reflective model is a TOML file: a name, a one-line summary, its sources, and two or more
stages, each with the question it asks and a short "what to write here". Built-in models
live in ``data/models/``; users add their own in ``<home>/models/``. As with case studies,
every problem is reported as ``file: field.path: message``, and a broken local file is
reported and skipped without stopping the built-in models from loading.

Model ids and stage ids are stable: notes store them, and store each answer under its
stage id. A stage may say which part of the NMC reflective account it feeds, so an export
can fill the account from a note written with any model.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, field_validator
from pydantic.json_schema import SkipJsonSchema

from reflectkit.content.loader import CASE_FILE_NAME, MAX_CONTENT_BYTES, data_root, format_validation_error
from reflectkit.content.schema import Id, Source, Text, _Model
from reflectkit.errors import BadDataError, ContentError
from reflectkit.fileio import parse_toml

MODEL_SCHEMA_VERSION: Literal[1] = 1
# The four parts of the NMC reflective account, in the form's order.
NmcPart = Literal["nature", "learning", "change", "code"]
NMC_PARTS: tuple[str, ...] = NmcPart.__args__  # type: ignore[attr-defined]


def _one_line(value: str) -> str:
    # Names, summaries and titles are listed one per line (`reflectkit models`).
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Line = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]


class ModelStage(_Model):
    """One stage of a reflective model: the question asked, and what to write there."""

    id: Id
    title: Annotated[Line, Field(max_length=80)]
    prompt: Annotated[Line, Field(max_length=300)]
    help: Annotated[Text, Field(max_length=500)]
    nmc: NmcPart | None = None


class ReflectiveModel(_Model):
    """A reflective model: its stages in order, and where it comes from."""

    schema_version: Literal[1] = MODEL_SCHEMA_VERSION
    id: Id
    name: Annotated[Line, Field(max_length=80)]
    summary: Annotated[Line, Field(max_length=100)]
    best_for: Annotated[Line, Field(max_length=200)]
    sources: list[Source] = Field(min_length=1)
    stages: list[ModelStage] = Field(min_length=2, max_length=20)
    # Set by the loader, never by the file: a local file cannot pass itself off as built-in.
    local: SkipJsonSchema[bool] = Field(default=False, exclude=True)

    @field_validator("schema_version", mode="before")
    @classmethod
    def _known_version(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and value > MODEL_SCHEMA_VERSION:
            raise ValueError(
                f"this file is for a newer version of reflectkit (schema_version {value}); "
                f"this version reads {MODEL_SCHEMA_VERSION}: update reflectkit"
            )
        return value

    @field_validator("stages")
    @classmethod
    def _unique_stage_ids(cls, stages: list[ModelStage]) -> list[ModelStage]:
        seen: set[str] = set()
        for stage in stages:
            if stage.id in seen:
                raise ValueError(f"stage id {stage.id!r} is used twice; each stage needs its own id")
            seen.add(stage.id)
        return stages

    @field_validator("local", mode="before")
    @classmethod
    def _not_in_files(cls, value: Any) -> Any:
        raise ValueError("is set by reflectkit, not in the file: remove it")

    def stage(self, stage_id: str) -> ModelStage | None:
        """The stage with this id, if the model has one."""
        return next((s for s in self.stages if s.id == stage_id), None)

    def for_nmc(self, part: str) -> list[ModelStage]:
        """The stages that feed one part of the NMC reflective account, in order."""
        return [s for s in self.stages if s.nmc == part]


def model_schema() -> dict[str, Any]:
    """The JSON Schema of a reflective model file, for editors and ``model schema``."""
    return ReflectiveModel.model_json_schema()


def models_root(root: Path | None = None) -> Path:
    """The folder of built-in models, found the way the workbook is."""
    return (root or data_root()) / "models"


# -- Reading ------------------------------------------------------------------------------
def _read(path: Path, *, follow_links: bool) -> dict[str, Any]:
    """Parse one model file, capped in size; in a user's folder, only a regular file.

    A FIFO would block ``open()`` for ever and a symlink can point anywhere, so local files
    are opened without following links and without blocking, then checked to be regular.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ContentError(
                f"{path}: is a symbolic link; reflectkit reads only regular files in its folder."
            ) from exc
        raise ContentError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ContentError(f"{path}: is not a regular file, so it was not read.")
        try:
            raw = fh.read(MAX_CONTENT_BYTES + 1)
        except OSError as exc:
            raise ContentError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    try:
        return parse_toml(raw, path, max_bytes=MAX_CONTENT_BYTES)
    except BadDataError as exc:
        raise ContentError(exc.message, hint=exc.hint) from exc


def load_model_file(path: Path, *, local: bool = False) -> ReflectiveModel:
    """Load one reflective-model file, or raise ContentError listing every problem.

    Args:
        path: The TOML file.
        local: True for a file from the user's folder: it is marked local, and a symbolic
            link or anything but a regular file is refused.
    """
    if not CASE_FILE_NAME.match(path.name):
        raise ContentError(
            f"{path}: the file name must be lower-case letters, digits, '-' or '_', ending in .toml."
        )
    data = _read(path, follow_links=not local)
    try:
        model = ReflectiveModel.model_validate(data)
    except ValidationError as exc:
        raise ContentError(
            f"{path} is not a valid reflective model:",
            problems=format_validation_error(path.name, exc),
            hint="`reflectkit model schema` prints the fields a model file takes.",
        ) from exc
    return model.model_copy(update={"local": local})


# -- Loading all of them ------------------------------------------------------------------
@dataclass
class ModelsReport:
    """The models found (built-in first, then local, each by name) and the files skipped."""

    models: list[ReflectiveModel]
    skipped: list[ContentError] = field(default_factory=list)

    def get(self, model_id: str) -> ReflectiveModel | None:
        """The model with this id, if there is one."""
        return next((m for m in self.models if m.id == model_id), None)


def _by_name(models: list[ReflectiveModel]) -> list[ReflectiveModel]:
    return sorted(models, key=lambda m: (m.name.casefold(), m.id))


def _clash(file_name: str, model: ReflectiveModel, other: ReflectiveModel) -> str:
    kind = "local" if other.local else "built-in"
    return f"{file_name}: id: {model.id!r} is already used by the {kind} model {other.name!r}"


def load_builtin_models(root: Path | None = None) -> list[ReflectiveModel]:
    """The built-in models, by name. Any problem in them is an error, listed in full."""
    folder = models_root(root)
    models: list[ReflectiveModel] = []
    problems: list[str] = []
    seen: dict[str, ReflectiveModel] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            model = load_model_file(path)
        except ContentError as exc:
            problems += exc.problems or [exc.message]
            continue
        if model.id in seen:
            problems.append(_clash(path.name, model, seen[model.id]))
        seen[model.id] = model
        models.append(model)
    if not models and not problems:
        problems.append(f"{folder}: no reflective models were found there")
    if problems:
        raise ContentError("The built-in reflective models have errors:", problems=problems)
    return _by_name(models)


def load_models(local_dir: Path | None, *, root: Path | None = None) -> ModelsReport:
    """The built-in models plus the valid local ones in ``local_dir``.

    A local file that cannot be read, does not validate, or reuses an id already taken is
    reported in ``skipped`` and left out; the built-in models always load. Files whose
    names start with a dot (editors' and half-written temporary files) are not looked at.

    Args:
        local_dir: The user's models folder (``<home>/models``), or None. A folder that
            does not exist holds no models.
        root: The built-in content folder, for tests; by default the shipped one.
    """
    builtin = load_builtin_models(root)
    report = ModelsReport(models=builtin)
    if local_dir is None or not local_dir.is_dir():
        return report
    taken = {m.id: m for m in builtin}
    local: list[ReflectiveModel] = []
    for path in sorted(local_dir.glob("*.toml")):
        if path.name.startswith("."):
            continue
        try:
            model = load_model_file(path, local=True)
        except ContentError as exc:
            report.skipped.append(exc)
            continue
        if model.id in taken:
            report.skipped.append(
                ContentError(
                    f"{path} was skipped:",
                    problems=[_clash(path.name, model, taken[model.id])],
                    hint="Give it another id: notes store the id, so each id names one model.",
                )
            )
            continue
        taken[model.id] = model
        local.append(model)
    report.models = [*builtin, *_by_name(local)]
    return report
