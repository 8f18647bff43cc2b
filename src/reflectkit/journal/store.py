"""The journal store: a folder per journal, a TOML file per section, a lock per journal.

Layout under the data home::

    journals/<name>/journal.toml        what this journal is (written once)
    journals/<name>/schedule.toml       Stage 4 cycles (read by the reminder check)
    journals/<name>/entries/<kind>-<ref>.toml   one file per stage, case study, reflection
    journals/<name>/.lock               held around every read-modify-write

Saving one answer reads and rewrites one section file, so it costs the same however
large the journal grows.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from reflectkit import fileio
from reflectkit.errors import BadDataError, LockedError, NotFoundError, StorageError
from reflectkit.journal.models import (
    JOURNAL_SCHEMA_VERSION,
    Answer,
    AnswerKind,
    Earlier,
    Section,
    Unit,
    Value,
    checksum,
    dump_unit,
)
from reflectkit.paths import check_name, inside

_T = TypeVar("_T")
LOCK_TIMEOUT = 10.0
MAX_JOURNAL_FILE = 8 * 1024 * 1024


def _validation_problem(path: Path, exc: ValidationError) -> BadDataError:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return BadDataError(
        f"{path}: {loc}: {first['msg']}",
        hint="The file was not changed. Fix it in a text editor, or move it aside and try again.",
    )


def read_unit(path: Path) -> Unit:
    """Read and check one section file; raise BadDataError if it is damaged."""
    data = fileio.read_toml(path, max_bytes=MAX_JOURNAL_FILE)
    try:
        unit = Unit.model_validate(data)
    except ValidationError as exc:
        raise _validation_problem(path, exc) from exc
    raw_answers = data.get("answers", {})
    if unit.answer_count != len(raw_answers) or unit.checksum != checksum(raw_answers):
        raise BadDataError(
            f"{path}: the file looks cut short or changed by hand (its answers do not match "
            "its count and checksum).",
            hint="The file was not changed. Restore it from a backup, or move it aside.",
        )
    return unit


class Journal:
    """One journal folder. Create with :meth:`Store.journal`."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.entries = path / "entries"
        # Temp files live in their own folder (same file system, so renames stay atomic):
        # tidying up after a crash then lists a near-empty folder, not every entry.
        self.temps = path / ".tmp"
        self._swept = False

    # -- locking -----------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        """Hold the journal's lock; tidy temp files a crashed write left behind."""
        import filelock

        lock = filelock.FileLock(self.path / ".lock", timeout=timeout, mode=fileio.FILE_MODE)
        holder = self.path / ".lock-holder"
        try:
            lock.acquire()
        except filelock.Timeout:
            who = holder.read_text(errors="replace").strip() if holder.exists() else "another run"
            raise LockedError(
                f"The journal {self.name!r} is busy: {who} is saving to it.",
                hint="Wait a moment and try again. If no other reflectkit is running, try again.",
            ) from None
        try:
            with contextlib.suppress(OSError):
                fd = os.open(holder, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, fileio.FILE_MODE)
                with os.fdopen(fd, "w") as fh:
                    fh.write(f"reflectkit (process {os.getpid()})")
            if not self._swept:  # safe: every write in this folder holds this lock
                fileio.ensure_private_dir(self.temps)
                fileio.remove_leftover_temps(self.temps)
                fileio.remove_leftover_temps(self.path)
                self._swept = True
            yield
        finally:
            lock.release()

    # -- reading -------------------------------------------------------------------
    def unit_path(self, section: Section) -> Path:
        check_name(section.ref, what="section reference")
        return self.entries / section.filename

    def load(self, section: Section) -> Unit | None:
        """The section's answers, or None when nothing has been answered there yet."""
        path = self.unit_path(section)
        try:
            return read_unit(path)
        except FileNotFoundError:
            return None

    def units(self) -> Iterator[Unit]:
        """Every section file, in name order. Damaged files raise BadDataError."""
        for path in sorted(self.entries.glob("*.toml")):
            yield read_unit(path)

    def sections(self) -> list[Section]:
        """The sections that have answers, from file names only (no file is parsed)."""
        found = []
        for path in sorted(self.entries.glob("*.toml")):
            kind, _, ref = path.stem.partition("-")
            if kind in ("stage", "case", "reflection", "revisit") and ref:
                found.append(Section(kind, ref))  # type: ignore[arg-type]
        return found

    # -- writing -------------------------------------------------------------------
    def save_answer(
        self,
        section: Section,
        question_id: str,
        *,
        question: str,
        kind: AnswerKind,
        value: Value,
        position: int = 0,
        context: dict[str, Any] | None = None,
        score: float | None = None,
        now: datetime | None = None,
        keep_history: bool = True,
        unfinished: bool = False,
        replacing: Value | None = None,
        needs_review: bool = False,
    ) -> Answer:
        """Store one answer at once; an earlier answer moves into its history.

        ``keep_history=False`` replaces the answer outright: used only when the user edits
        an answer to take out details that could identify someone. With ``replacing`` it
        does so only if the stored answer is still that text (another window may have saved
        a newer one meanwhile, which must then go into the history as usual).
        """
        now = (now or datetime.now(UTC)).astimezone(UTC)
        with self.locked():
            unit = self.load(section) or Unit(section=section.kind, ref=section.ref)
            _refuse_newer(unit, self.unit_path(section))
            old = unit.answers.get(question_id)
            history = list(old.history) if old else []
            if replacing is not None and old is not None and old.value != replacing:
                keep_history = True
            if old is not None and old.value != value and keep_history:
                history.append(Earlier(value=old.value, created=old.updated, replaced=now))
            answer = Answer(
                question=question,
                kind=kind,
                value=value,
                created=old.created if old else now,
                updated=now,
                position=position,
                context=context or {},
                score=score,
                unfinished=True if unfinished else None,
                needs_review=True if needs_review else None,
                history=history,
                **(old.model_extra or {} if old else {}),
            )
            unit.answers[question_id] = answer
            self.write_unit(section, unit)
        return answer

    def modify(self, section: Section, change: Callable[[Unit], _T]) -> _T | None:
        """Apply ``change`` to the section's stored answers under the lock, and save them.

        Returns what ``change`` returned, or None (nothing written) when the section has no
        file yet. Every other rule about what is stored lives in the caller; this is the one
        read-modify-write they share.
        """
        with self.locked():
            unit = self.load(section)
            if unit is None:
                return None
            _refuse_newer(unit, self.unit_path(section))
            result = change(unit)
            self.write_unit(section, unit)
        return result

    def forget(
        self, section: Section, question_id: str, *, earlier: set[int] | None = None, current: bool = False
    ) -> int:
        """Remove earlier versions (by their place in the history), or the current text, of
        one answer; return how many texts went. Only ever at the user's request, to take out
        details that identify someone. Removing the current text puts the latest earlier
        version back in its place, or removes the answer if there is none."""
        with self.locked():
            unit = self.load(section)
            if unit is None or question_id not in unit.answers:
                return 0
            _refuse_newer(unit, self.unit_path(section))
            answer = unit.answers[question_id]
            gone = 0
            if earlier:
                kept = [old for index, old in enumerate(answer.history) if index not in earlier]
                gone += len(answer.history) - len(kept)
                answer.history = kept
            if current:
                gone += 1
                if answer.history:
                    last = answer.history.pop()
                    answer.value, answer.updated, answer.unfinished = last.value, last.created, None
                else:
                    del unit.answers[question_id]
            self.write_unit(section, unit)
        return gone

    def write_unit(self, section: Section, unit: Unit) -> None:
        """Write one section file whole (call with the lock held)."""
        fileio.ensure_private_dir(self.entries)
        payload = fileio.dumps_checked(dump_unit(unit))
        if len(payload) > MAX_JOURNAL_FILE:  # it could be written but never read back
            raise StorageError(
                f"This answer would make {self.unit_path(section).name} larger than "
                f"{MAX_JOURNAL_FILE // (1024 * 1024)} MiB, so it was not saved.",
                hint="Shorten the answer, or split it over several questions.",
            )
        fileio.write_atomic(self.unit_path(section), payload, temp_dir=self.temps)


def _refuse_newer(unit: Unit, path: Path) -> None:
    if unit.schema_version > JOURNAL_SCHEMA_VERSION:
        raise BadDataError(
            f"{path} was written by a newer reflectkit (format {unit.schema_version}); "
            f"this one knows format {JOURNAL_SCHEMA_VERSION}.",
            hint="Nothing was changed. Update reflectkit to save into this journal.",
        )


class Store:
    """The data home: journals, local case studies, settings."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.journals_dir = home / "journals"
        self.local_cases = home / "case_studies"
        self.config_path = home / "config.toml"

    def prepare(self) -> None:
        """Create the folders as private (0700), and tighten any that are looser."""
        for folder in (self.home, self.journals_dir, self.local_cases):
            try:
                fileio.ensure_private_dir(folder)
            except OSError as exc:
                raise StorageError(f"Could not create {folder}: {exc.strerror or exc}.") from exc

    def journal_names(self) -> list[str]:
        if not self.journals_dir.is_dir():
            return []
        return sorted(
            p.name for p in self.journals_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def journal(self, name: str, *, create: bool = False) -> Journal:
        """Open the journal ``name``; create it when ``create`` is set."""
        check_name(name)
        path = self.journals_dir / name
        if path.is_symlink() or path.exists():
            inside(self.journals_dir, path)
        if not path.is_dir():
            if not create:
                raise NotFoundError(
                    f"There is no journal called {name!r}.",
                    hint="`reflectkit journal` lists your journals.",
                )
            self.prepare()
            fileio.ensure_private_dir(path)
            fileio.ensure_private_dir(path / "entries")
            with Journal(path, name).locked():
                if not (path / "journal.toml").exists():
                    meta = {
                        "schema_version": JOURNAL_SCHEMA_VERSION,
                        "name": name,
                        "created": datetime.now(UTC),
                    }
                    fileio.write_toml(path / "journal.toml", meta)
        for folder in (path, path / "entries"):
            if folder.is_dir() and folder.stat().st_mode & 0o077:
                folder.chmod(fileio.DIR_MODE)
        for file in (path / "journal.toml", path / "schedule.toml", self.config_path):
            if file.is_file() and file.stat().st_mode & 0o077:
                file.chmod(fileio.FILE_MODE)
        return Journal(path, name)


def answered_ids(journal: Journal) -> dict[Section, set[str]]:
    """For each section with answers, the ids of the questions answered (not those left
    unfinished)."""
    return {unit.key: {k for k, a in unit.answers.items() if not a.unfinished} for unit in journal.units()}
