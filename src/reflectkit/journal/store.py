"""The journal store: a folder per journal, a TOML file per section, a lock per journal.

Layout under the data home::

    journals/<name>/journal.toml        what this journal is (written once)
    journals/<name>/schedule.toml       Stage 4 cycles (read by the reminder check)
    journals/<name>/entries/<kind>-<ref>.toml   one file per stage, case study, reflection
    journals/<name>/.lock               held around every read-modify-write

Saving one answer reads and rewrites one section file, so it costs the same however
large the journal grows. Each file is read only if it is a regular file (never through a
symbolic link, never blocking on a FIFO); a file whose answers no longer match the count
and checksum saved with them is named, and the rest of the journal still reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reflectkit import fileio
from reflectkit.errors import BadDataError, LockedError, NotFoundError, StorageError, UsageError
from reflectkit.journal.cycles import SCHEDULE_FILE
from reflectkit.journal.models import (
    JOURNAL_SCHEMA_VERSION,
    Answer,
    AnswerKind,
    Earlier,
    RecordError,
    Section,
    Unit,
    Value,
    checksum,
    dump_unit,
)
from reflectkit.paths import check_home, check_name, inside

if TYPE_CHECKING:
    from reflectkit.journal.summary import Summary

_T = TypeVar("_T")
LOCK_TIMEOUT = 10.0
MAX_JOURNAL_FILE = 8 * 1024 * 1024
ENTRY_NAME = re.compile(r"^(stage|case|reflection|revisit|note)-[a-z0-9][a-z0-9_-]{0,63}\.toml$")
_HOLDER_PID = re.compile(r"\(process (\d{1,10})\)")


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


def _validation_problem(path: Path, exc: RecordError) -> BadDataError:
    loc = ".".join(str(p) for p in exc.loc) or "(top level)"
    return BadDataError(
        f"{path}: {loc}: {exc.msg}",
        hint="The file was not changed. Fix it in a text editor, or move it aside and try again.",
    )


def _parse(path: Path, raw: bytes) -> tuple[Unit, dict[str, Any]]:
    data = fileio.parse_toml(raw, path, max_bytes=MAX_JOURNAL_FILE)
    try:
        return Unit.read(data), data
    except RecordError as exc:
        raise _validation_problem(path, exc) from exc


def _unsealed(path: Path, unit: Unit, data: dict[str, Any], raw: bytes) -> UnsealedFileError | None:
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


def read_unit(path: Path) -> Unit:
    """Read and check one section file; raise BadDataError if it is damaged.

    Raises:
        FileNotFoundError: there is no such file.
        UnsealedFileError: it reads, but its answers do not match their count and checksum.
        BadDataError: it is not a regular file, or cannot be read, parsed or validated.
    """
    raw = fileio.read_file(path, MAX_JOURNAL_FILE)
    unit, data = _parse(path, raw)
    problem = _unsealed(path, unit, data, raw)
    if problem:
        raise problem
    return unit


@dataclass(frozen=True)
class DamagedFile:
    """A section file that could not be used, and why."""

    path: Path
    error: BadDataError

    @property
    def hand_edited(self) -> bool:
        """True when it reads but no longer matches its checksum (it can be accepted)."""
        return isinstance(self.error, UnsealedFileError)

    @property
    def command(self) -> str:
        """The command that accepts it as it is, or "" when it must be restored or moved."""
        return accept_command(self.path) if self.hand_edited else ""


class UnitScan:
    """A journal's section files, read one at a time as they are iterated.

    A damaged file is skipped and collected in ``damaged``, so one bad file never hides the
    rest of the journal. ``damaged`` is complete once the iteration has finished.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.damaged: list[DamagedFile] = []

    def __iter__(self) -> Iterator[Unit]:
        return (unit for _, unit in self.named())

    def named(self) -> Iterator[tuple[Path, Unit]]:
        """Each readable file's path and unit."""
        self.damaged = []
        for path in self.paths:
            try:
                yield path, read_unit(path)
            except FileNotFoundError:  # removed since the folder was listed
                continue
            except BadDataError as exc:
                self.damaged.append(DamagedFile(path, exc))


@dataclass(frozen=True)
class EditReport:
    """What a section file holds now, as :meth:`Journal.inspect_edit` found it.

    A checksum says only *that* answers changed, not how, so the answers are given whole
    for the user to read before they are kept.

    Attributes:
        matched: The file already matched its count and checksum (nothing to accept).
        fingerprint: A digest of the file's bytes; pass it to ``accept_edit(seen=...)`` to
            keep exactly what was shown.
        written: The file was re-sealed with a fresh count and checksum.
    """

    path: Path
    section: Section
    answers: tuple[tuple[str, Answer], ...]
    count_said: int
    count_found: int
    matched: bool
    fingerprint: str
    written: bool = False


def _alive(pid: int) -> bool:
    # Not asked on Windows, where os.kill(pid, 0) would end the process rather than probe it.
    if fileio.is_windows() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:  # it exists, under another account
        return True
    except (OSError, OverflowError):
        return False
    return True


def _noted(found: list[Path], *paths: Path) -> None:
    found.extend(p for p in paths if p not in found)


class Journal:
    """One journal folder. Create with :meth:`Store.journal`.

    ``tightened`` collects the files and folders found readable by others and made private
    again during this run (shared with the Store, so the CLI can say so once).
    """

    def __init__(self, path: Path, name: str, *, tightened: list[Path] | None = None) -> None:
        self.path = path
        self.name = name
        self.entries = path / "entries"
        # Temp files live in their own folder (same file system, so renames stay atomic):
        # tidying up after a crash then lists a near-empty folder, not every entry.
        self.temps = path / ".tmp"
        self.tightened: list[Path] = [] if tightened is None else tightened
        self._swept = False
        self.writable = False  # opened by a run that writes: it may store a rebuilt summary

    # -- locking -----------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        """Hold the journal's lock; tidy temp files a crashed write left behind."""
        import filelock

        lock_path = self.path / ".lock"
        fileio.check_regular(lock_path)  # filelock itself never follows a link there
        lock = filelock.FileLock(lock_path, timeout=timeout, mode=fileio.FILE_MODE)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise LockedError(
                f"The journal {self.name!r} is busy: {self._holder()} is saving to it.",
                hint="Wait a moment and try again. If no other reflectkit is running, try again.",
            ) from None
        except OSError as exc:
            raise StorageError(f"Could not lock {lock_path}: {exc.strerror or exc}.") from exc
        try:
            self._mark_holder()
            if not self._swept:  # safe: every write in this folder holds this lock
                if fileio.ensure_private_dir(self.temps):
                    _noted(self.tightened, self.temps)
                fileio.remove_leftover_temps(self.temps)
                fileio.remove_leftover_temps(self.path)
                self._swept = True
            yield
        finally:
            lock.release()

    def _mark_holder(self) -> None:
        """Say who holds the lock, in a file that is never a link or a FIFO followed."""
        with contextlib.suppress(OSError):  # only a courtesy for a waiting run
            fd = fileio.open_regular(self.path / ".lock-holder", os.O_WRONLY | os.O_CREAT)
            try:
                os.ftruncate(fd, 0)
                os.write(fd, f"reflectkit (process {os.getpid()})".encode())
            finally:
                os.close(fd)

    def _holder(self) -> str:
        """Who holds the lock, naming a process only if it is still running."""
        try:
            text = fileio.read_regular(self.path / ".lock-holder", 200).decode("utf-8", "replace")
        except (OSError, BadDataError):
            return "another reflectkit"
        found = _HOLDER_PID.search(text)
        if found and _alive(int(found.group(1))):
            return f"reflectkit (process {found.group(1)})"
        return "another reflectkit"

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

    def scan(self, order: Callable[[Path], Any] | None = None) -> UnitScan:
        """Every readable section file (in name order, or by ``order``); damaged ones are
        collected in the scan's ``damaged`` list instead of stopping the reading."""
        return UnitScan(sorted(self.entries.glob("*.toml"), key=order))

    def sections(self) -> list[Section]:
        """The sections that have answers, from file names only (no file is parsed)."""
        from reflectkit import sections

        return [s for p in sorted(self.entries.glob("*.toml")) if (s := sections.from_stem(p.stem))]

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
        if fileio.ensure_private_dir(self.entries):
            _noted(self.tightened, self.entries)
        path = self.unit_path(section)
        payload = fileio.dumps_checked(dump_unit(unit))
        if len(payload) > MAX_JOURNAL_FILE:  # it could be written but never read back
            raise StorageError(
                f"This answer would make {path.name} larger than "
                f"{MAX_JOURNAL_FILE // (1024 * 1024)} MiB, so it was not saved.",
                hint="Shorten the answer, or split it over several questions.",
            )
        if fileio.write_atomic(path, payload, temp_dir=self.temps):
            _noted(self.tightened, path)
        self._summarise(path.name, unit)

    def _summarise(self, name: str, unit: Unit) -> None:
        """Keep the journal's summary up to date after a save (the lock is held). The answer
        is saved already: a summary that cannot be written is left stale, so it is rebuilt
        from the entries when next read, and the save still succeeds."""
        from reflectkit.journal import summary

        def every_entry() -> Iterator[tuple[str, Unit]]:
            for path in sorted(self.entries.glob("*.toml")):
                with contextlib.suppress(FileNotFoundError, BadDataError):
                    yield path.name, read_unit(path)

        with contextlib.suppress(OSError, ValueError, BadDataError):
            summary.saved(self.path, self.temps, name, unit, every_entry)

    def summary(self, *, strict: bool = False) -> Summary:
        """What the journal holds, in brief (:mod:`reflectkit.journal.summary`): read from the
        summary file when it matches the entries exactly, else rebuilt from them. A damaged
        file is named in the summary's ``damaged`` list (``strict``: raises BadDataError).
        A run that writes stores a rebuilt summary; one that only reads changes nothing."""
        from reflectkit.journal import summary

        sigs = summary.signatures(self.entries)
        found = summary.read(self.path, sigs)
        if found is not None:
            return found
        scan = UnitScan(sorted(self.entries.glob("*.toml")))
        named = ((path.name, unit) for path, unit in scan.named())
        rebuilt = (
            summary.build(named)
            if not strict
            else summary.build((path.name, read_unit(path)) for path in scan.paths)
        )
        rebuilt.damaged = list(scan.damaged)
        if self.writable and not rebuilt.damaged and self.path.is_dir():
            with self.locked():
                kept = {n: s for n, s in sigs.items() if n in rebuilt.records}
                summary.write(self.path, self.temps, rebuilt.records, kept)
        return rebuilt

    def recheck(self) -> list[Path]:
        """Make this journal's folders and small files private again where they are loose.

        Cheap enough for every run that writes: entry files are not walked (each is made
        private when it is next written). Returns what was loose.
        """
        found = [p for p in (self.path, self.entries, self.temps) if fileio.tighten(p, fileio.DIR_MODE)]
        files = (self.path / "journal.toml", self.path / SCHEDULE_FILE)
        found += [p for p in files if fileio.tighten(p, fileio.FILE_MODE)]
        _noted(self.tightened, *found)
        return found

    # -- hand edits ----------------------------------------------------------------
    def inspect_edit(self, path: Path | str) -> EditReport:
        """What a section file (a path, or a bare file name in ``entries/``) holds now.

        Reads only; see :meth:`accept_edit` to keep it.
        """
        return self._examine(self._entry_file(path))[0]

    def accept_edit(self, path: Path | str, *, seen: str | None = None) -> EditReport:
        """Keep a hand-edited section file as it is now: re-seal it with a fresh count and
        checksum. With ``seen`` (the fingerprint of the report the user was shown), only if
        the file has not changed since.

        Raises:
            UsageError: ``path`` is not one of this journal's entry files.
            BadDataError: it does not parse or validate (fix it first), or changed since
                it was shown.
        """
        target = self._entry_file(path)
        with self.locked():
            report, unit = self._examine(target)
            if seen is not None and report.fingerprint != seen:
                raise BadDataError(
                    f"{target} changed again since its answers were shown, so it was not accepted.",
                    hint="Nothing was changed. Run the command again to see it as it is now.",
                )
            if report.matched:
                return report
            _refuse_newer(unit, target)
            self.write_unit(report.section, unit)
        return replace(report, written=True)

    def _entry_file(self, path: Path | str) -> Path:
        given = Path(path)
        candidate = self.entries / given if str(given) == given.name else given.absolute()
        in_entries = candidate.parent.resolve() == self.entries.resolve()
        if not (ENTRY_NAME.fullmatch(candidate.name) and in_entries):
            raise UsageError(
                f"{path} is not an entry file of the journal {self.name!r}.",
                hint=f"Entry files are in {self.entries}, named like case-first-home-visit.toml.",
            )
        return self.entries / candidate.name

    def _examine(self, target: Path) -> tuple[EditReport, Unit]:
        try:
            raw = fileio.read_file(target, MAX_JOURNAL_FILE)
        except FileNotFoundError:
            raise NotFoundError(f"There is no file {target}.") from None
        unit, data = _parse(target, raw)
        if unit.key.filename != target.name:
            raise BadDataError(
                f"{target} says it holds {unit.section} {unit.ref!r}, which its name does not; "
                "nothing was changed.",
                hint="Correct 'section' and 'ref' in a text editor, then try again.",
            )
        report = EditReport(
            path=target,
            section=unit.key,
            answers=tuple(unit.ordered()),
            count_said=unit.answer_count,
            count_found=len(data.get("answers", {})),
            matched=_unsealed(target, unit, data, raw) is None,
            fingerprint="sha256:" + hashlib.sha256(raw).hexdigest(),
        )
        return report, unit


def _refuse_newer(unit: Unit, path: Path) -> None:
    if unit.schema_version > JOURNAL_SCHEMA_VERSION:
        raise BadDataError(
            f"{path} was written by a newer reflectkit (format {unit.schema_version}); "
            f"this one knows format {JOURNAL_SCHEMA_VERSION}.",
            hint="Nothing was changed. Update reflectkit to save into this journal.",
        )


class Store:
    """The data home: journals, local case studies, settings.

    ``tightened`` collects what this run found readable by others and made private again.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self.journals_dir = home / "journals"
        self.local_cases = home / "case_studies"
        self.config_path = home / "config.toml"
        self.drafts = home / "drafts"
        self.tightened: list[Path] = []

    @classmethod
    def open(cls, home: Path, *, create: bool) -> Store:
        """The store at ``home``, checked; ``create=False`` (for commands that only read)
        creates and changes nothing."""
        store = cls(home)
        store.prepare(create=create)
        return store

    def prepare(self, *, create: bool = True) -> list[Path]:
        """Check that the home can hold private journals (:func:`reflectkit.paths.check_home`).

        With ``create``, make reflectkit's folders private (0700), and make private again
        any of its own folders and settings that are loose. Without, create and change
        nothing. Returns what was loose.
        """
        check_home(self.home, create=create)
        if not create:
            return []
        found = []
        for folder in (self.journals_dir, self.local_cases):
            try:
                if fileio.ensure_private_dir(folder):
                    found.append(folder)
            except OSError as exc:
                raise StorageError(f"Could not create {folder}: {exc.strerror or exc}.") from exc
        found += [p for p in (self.drafts,) if fileio.tighten(p, fileio.DIR_MODE)]
        found += [p for p in (self.config_path,) if fileio.tighten(p, fileio.FILE_MODE)]
        _noted(self.tightened, *found)
        return found

    def journal_names(self) -> list[str]:
        if not self.journals_dir.is_dir():
            return []
        return sorted(
            p.name for p in self.journals_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def journal(self, name: str, *, create: bool = False) -> Journal:
        """Open the journal ``name``; create it when ``create`` is set.

        ``create`` marks a run that writes: its folders and small files are also made
        private again where loose. Without it nothing is created or changed.
        """
        check_name(name)
        path = self.journals_dir / name
        for part in (path, path / "entries"):
            if part.is_symlink() or part.exists():
                inside(self.journals_dir, part)
        journal = Journal(path, name, tightened=self.tightened)
        journal.writable = create
        if path.is_dir():
            if create:
                journal.recheck()
            return journal
        if not create:
            raise NotFoundError(
                f"There is no journal called {name!r}.",
                hint="`reflectkit journal` lists your journals.",
            )
        self.prepare()
        fileio.ensure_private_dir(path)
        fileio.ensure_private_dir(path / "entries")
        with Journal(path, name, tightened=self.tightened).locked():  # the one returned sweeps later
            if fileio.check_regular(path / "journal.toml") is None:
                meta = {"schema_version": JOURNAL_SCHEMA_VERSION, "name": name, "created": datetime.now(UTC)}
                fileio.write_toml(path / "journal.toml", meta)
        return journal


def rename_journal(store: Store, old: str, new: str) -> Path:
    """Rename a journal folder (under its lock); refuse a name in use or not usable."""
    check_name(new)
    source = store.journal(old)
    target = store.journals_dir / new
    if target.exists() or target.is_symlink():
        raise UsageError(f"There is already a journal called {new!r}; nothing was renamed.")
    with source.locked():
        source.path.rename(target)
    meta = target / "journal.toml"
    with contextlib.suppress(FileNotFoundError, BadDataError):
        data = fileio.read_toml(meta)
        data["name"] = new
        fileio.write_toml(meta, data)
    return target


def delete_journal(store: Store, name: str) -> int:
    """Remove a journal folder and everything in it; return how many answer files went."""
    import shutil

    journal = store.journal(name)
    files = len(list(journal.entries.glob("*.toml")))
    with journal.locked():
        doomed = journal.path.with_name(f".deleting-{name}")
        journal.path.rename(doomed)  # gone from view at once, whatever happens next
    shutil.rmtree(doomed)
    return files


def answered_ids(source: Journal | Iterable[Unit]) -> dict[Section, set[str]]:
    """For each section with answers, the ids of the questions answered (not those left
    unfinished). Given a Journal, a damaged file raises; given a :class:`UnitScan`, it is
    collected in the scan's ``damaged`` list instead."""
    if isinstance(source, Journal):
        return source.summary(strict=True).answered()
    return {unit.key: {k for k, a in unit.answers.items() if not a.unfinished} for unit in source}
