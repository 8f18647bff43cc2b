"""One error hierarchy for everything reflectkit reports to a user.

Each error carries a message written for the user and an exit code. The CLI prints the
message on stderr and exits with the code; a traceback appears only with ``--debug``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FOUND = 1  # `reflectkit check` found something that may identify a person
    ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    BAD_DATA = 4
    LOCKED = 5
    NEEDS_INPUT = 6
    IO = 7
    INTERRUPTED = 130


class ReflectkitError(Exception):
    """Base class: ``message`` is shown to the user as it is."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UsageError(ReflectkitError):
    exit_code = ExitCode.USAGE


class NotFoundError(ReflectkitError):
    exit_code = ExitCode.NOT_FOUND


class BadDataError(ReflectkitError):
    """A file could not be read or validated. It is never overwritten."""

    exit_code = ExitCode.BAD_DATA


class ContentError(BadDataError):
    """Workbook content (built-in or local) failed validation."""

    def __init__(self, message: str, *, problems: list[str] | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [self.message, *("  " + p for p in self.problems)]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class LockedError(ReflectkitError):
    exit_code = ExitCode.LOCKED


class NeedsInputError(ReflectkitError):
    """A prompt would be needed but input is not possible (``--no-input`` or no terminal)."""

    exit_code = ExitCode.NEEDS_INPUT


class StorageError(ReflectkitError):
    """Writing failed (disk full, permissions). The earlier file is intact."""

    exit_code = ExitCode.IO
