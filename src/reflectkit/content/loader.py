"""Load and validate the workbook: built-in data from the package, local case studies.

The built-in workbook is checked by the tests and the build, and shipped precompiled
(:mod:`reflectkit.content.packed`): a run reads that, unless the TOML has changed since
(a checkout being edited), when the TOML is checked and read instead. Local case studies
are always checked. Every problem is reported as ``file: field.path: message``. A broken
local case study is reported and skipped; it never stops the built-in workbook from loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflectkit.content.models import (
    CaseStudy,
    TableQuestion,
    Workbook,
    case_from,
    month_words,
    workbook_from,
)
from reflectkit.errors import BadDataError, ContentError
from reflectkit.fileio import parse_toml, read_regular

if TYPE_CHECKING:
    from pydantic import ValidationError

    from reflectkit.content import schema

MAX_CONTENT_BYTES = 512 * 1024
CASE_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\.toml$")


def data_root() -> Path:
    """The folder holding the built-in content, in an installed wheel or a source checkout."""
    # Beside the package in a wheel (importlib.resources would find the same folder, at a
    # cost every command would pay).
    packaged = Path(__file__).resolve().parents[1] / "data"
    if packaged.is_dir():
        return packaged
    # An editable install (``uv run`` in a checkout) serves the package from src/,
    # and the content from the top of the repository.
    return Path(__file__).resolve().parents[3] / "data"


def format_validation_error(where: str, exc: ValidationError) -> list[str]:
    """Turn a pydantic error into ``file: field.path: message`` lines."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {loc}: {msg}")
    return lines


def _read(path: Path, *, follow_symlinks: bool = True) -> dict[str, Any]:
    """Parse one content file; only a regular file is read, so a FIFO never blocks."""
    try:
        raw = read_regular(path, MAX_CONTENT_BYTES, follow_symlinks=follow_symlinks)
        return parse_toml(raw, path, max_bytes=MAX_CONTENT_BYTES)
    except BadDataError as exc:
        raise ContentError(exc.message) from exc
    except OSError as exc:
        raise ContentError(f"{path}: cannot be read: {exc.strerror or exc}") from exc


def load_case_file(path: Path, *, local: bool = False) -> CaseStudy:
    """Load one case-study file, or raise ContentError listing every problem.

    A ``local`` file lives in the data home, so a symbolic link there is refused rather
    than followed; a file named on the command line (``case validate``) may be a link.
    """
    if not CASE_FILE_NAME.match(path.name):
        raise ContentError(
            f"{path}: the file name must be lower-case letters, digits, '-' or '_', ending in .toml."
        )
    return case_from({**check_case_file(path, local=local).model_dump(), "local": local})


def check_case_file(path: Path, *, local: bool = False) -> schema.CaseStudy:
    """One case-study file, checked against the schema; ContentError lists every problem."""
    from pydantic import ValidationError

    from reflectkit.content import schema

    data = _read(path, follow_symlinks=not local)
    try:
        return schema.CaseStudy.model_validate(data)
    except ValidationError as exc:
        raise ContentError(
            f"{path} is not a valid case study:", problems=format_validation_error(path.name, exc)
        ) from exc


def stale_checks(case: CaseStudy, today: date, *, months: int = 12) -> list[str]:
    """Warnings for facts checked more than ``months`` months before ``today``.

    A warning, never an error: the rules do not stop being shown as time passes, but the
    writer of the file is told to look at them again.
    """
    found: list[tuple[str, str]] = [(f"source {s.title!r}", s.checked) for s in case.sources if s.checked]
    found += [(f"current rule {r.topic!r}", r.checked) for r in case.current_rules]
    for q in case.questions:
        if isinstance(q, TableQuestion) and q.checked:
            found.append((f"question {q.id!r}", q.checked))
    now = today.year * 12 + today.month - 1
    warnings = []
    for what, month in found:
        year, _, number = month.partition("-")
        age = now - (int(year) * 12 + int(number) - 1)
        if age > months:
            warnings.append(
                f"{what} was checked in {month_words(month)}, {age} months ago: check it against "
                "today's rule and update its checked month."
            )
    return warnings


@dataclass
class LoadReport:
    """What loading found: the workbook, and the local files that were skipped."""

    workbook: Workbook
    skipped: list[ContentError] = field(default_factory=list)


def _check_unique(cases: list[CaseStudy] | list[schema.CaseStudy]) -> list[str]:
    problems = []
    for attr in ("number", "id"):
        seen: dict[object, str] = {}
        for case in cases:
            value = getattr(case, attr)
            if value in seen:
                problems.append(f"case study {attr} {value!r} is used twice ({seen[value]}, {case.title!r})")
            seen[value] = repr(case.title)
    return problems


def load_builtin(root: Path | None = None) -> Workbook:
    """Load the built-in workbook: precompiled when it matches the TOML files under ``root``
    (``workbook.toml``, ``resources.toml``, ``case_studies/``), else checked from them."""
    from reflectkit.content import packed

    root = root or data_root()
    return packed.load(root) or check_builtin(root)[1]


def check_builtin(root: Path | None = None) -> tuple[schema.Workbook, Workbook]:
    """Check the built-in workbook's TOML against the schema: the checked model and its
    record, or ContentError listing every problem."""
    from pydantic import ValidationError

    from reflectkit.content import schema

    root = root or data_root()
    data = _read(root / "workbook.toml")
    res = _read(root / "resources.toml") if (root / "resources.toml").exists() else {}
    problems: list[str] = []
    cases = []
    for path in sorted((root / "case_studies").glob("*.toml")):
        try:
            cases.append(check_case_file(path))
        except ContentError as exc:
            problems += exc.problems or [exc.message]
    problems += _check_unique(cases)
    try:
        resources_ = [schema.Resource.model_validate(r) for r in res.get("resources", [])]
        workbook = schema.Workbook.model_validate({**data, "resources": resources_, "case_studies": cases})
    except ValidationError as exc:
        problems += format_validation_error("workbook.toml", exc)
        workbook = None
    if problems or workbook is None:
        raise ContentError("The built-in workbook has errors:", problems=problems)
    return workbook, workbook_from(workbook.model_dump())


def load_workbook(local_dir: Path | None = None, *, root: Path | None = None) -> LoadReport:
    """The built-in workbook plus valid local case studies; broken local files are skipped."""
    workbook = load_builtin(root)
    report = LoadReport(workbook)
    if local_dir is None or not local_dir.is_dir():
        return report
    cases = list(workbook.case_studies)
    for path in sorted(local_dir.glob("*.toml")):
        try:
            case = load_case_file(path, local=True)
        except ContentError as exc:
            report.skipped.append(exc)
            continue
        clash = _check_unique([*cases, case])
        if clash:
            report.skipped.append(
                ContentError(f"{path} was skipped:", problems=clash, hint="Give it another number and id.")
            )
            continue
        cases.append(case)
    cases.sort(key=lambda c: c.number)
    report.workbook = workbook.replace(case_studies=cases)
    return report
