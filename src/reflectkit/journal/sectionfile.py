"""One section file (a stage, case study, reflection, revisit or note): read, parsed and
checked against the count and checksum saved with its answers.

Each file is read only if it is a regular file (never through a symbolic link, never
blocking on a FIFO); a file whose answers no longer match is an :class:`UnsealedFileError`,
which names the command that accepts it as it is now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reflectkit import fileio
from reflectkit.errors import BadDataError
from reflectkit.journal.models import RecordError, Unit, checksum

MAX_JOURNAL_FILE = 8 * 1024 * 1024


class UnsealedFileError(BadDataError):
    """A section file that reads, but whose answers do not match the count and checksum
    saved with them: changed by hand, or cut short. Saving into it waits until
    ``reflectkit journal accept-edit FILE`` (:meth:`Journal.accept_edit`) re-seals it."""

    def __init__(self, message: str, *, path: Path, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.path = path


def accept_command(path: Path) -> str:
    """The command that shows a hand-edited file's answers and keeps them."""
    return f"reflectkit journal accept-edit {path}"


def validation_problem(path: Path, exc: RecordError) -> BadDataError:
    loc = ".".join(str(p) for p in exc.loc) or "(top level)"
    return BadDataError(
        f"{path}: {loc}: {exc.msg}",
        hint="The file was not changed. Fix it in a text editor, or move it aside and try again.",
    )


def parse_section(path: Path, raw: bytes) -> tuple[Unit, dict[str, Any]]:
    data = fileio.parse_toml(raw, path, max_bytes=MAX_JOURNAL_FILE)
    try:
        return Unit.read(data), data
    except RecordError as exc:
        raise validation_problem(path, exc) from exc


def unsealed(path: Path, unit: Unit, data: dict[str, Any], raw: bytes) -> UnsealedFileError | None:
    answers = data.get("answers", {})
    if unit.answer_count == len(answers) and unit.checksum == checksum(answers):
        return None
    command = accept_command(path)
    if len(answers) < unit.answer_count:
        line, _ = fileio.end_of(raw.rstrip(b"\n"))
        return UnsealedFileError(
            f"{path}: holds {len(answers)} of the {unit.answer_count} answers saved in it: it looks "
            f"cut short (it ends at line {line}).",
            path=path,
            hint="Nothing was changed. Restore it from a backup; or, if you removed those answers "
            f"yourself, keep the file as it is now with: {command}",
        )
    return UnsealedFileError(
        f"{path}: its answers were changed outside reflectkit (they no longer match the checksum "
        "saved with them).",
        path=path,
        hint=f"Nothing was changed. To see its answers and keep them as they are now: {command}",
    )


def read_section(path: Path) -> Unit:
    """One section file, checked, with only the history it holds inline (none, once moved)."""
    raw = fileio.read_file(path, MAX_JOURNAL_FILE)
    unit, data = parse_section(path, raw)
    problem = unsealed(path, unit, data, raw)
    if problem:
        raise problem
    return unit
