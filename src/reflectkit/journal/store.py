"""The journal store: a folder per journal, a TOML file per section, a lock per journal.

Layout under the data home::

    journals/<name>/journal.toml        what this journal is (written once)
    journals/<name>/schedule.toml       Stage 4 cycles (read by the reminder check)
    journals/<name>/entries/<kind>-<ref>.toml   one file per stage, case study, reflection
    journals/<name>/entries/<kind>-<ref>.history.jsonl   its answers' earlier versions
    journals/<name>/.lock               held around every read-modify-write

Saving one answer reads and rewrites one section file, so it costs the same however
large the journal grows; the version it replaces goes to the section's history file
(:mod:`reflectkit.journal.history`), so it costs the same however long the history is
too. How one section file is read and checked is in :mod:`reflectkit.journal.sectionfile`;
a damaged file is named, and the rest of the journal still reads.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reflectkit import fileio
from reflectkit.errors import BadDataError, LockedError, NotFoundError, StorageError, UsageError
from reflectkit.journal.cycles import SCHEDULE_FILE
from reflectkit.journal.history import (
    HISTORY_SUFFIX,
    MAX_HISTORY_FILE,
    Records,
    attach,
    current_section,
    every_version,
    histories,
    history_full,
    history_path,
    history_payload,
    history_problem,
    read_header,
    read_history,
    read_history_as_is,
    read_unit,
    read_whole,
    remove_stale,
)
from reflectkit.journal.models import (
    JOURNAL_SCHEMA_VERSION,
    SUM_BYTES,
    Answer,
    AnswerKind,
    Earlier,
    HistoryFile,
    Section,
    Unit,
    Value,
    dump_unit,
    history_record,
    line_body,
    line_end,
    seal_line,
)
from reflectkit.journal.sectionfile import (
    MAX_JOURNAL_FILE,
    UnsealedFileError,
    accept_command,
    parse_section,
    read_section,
    unsealed,
)
from reflectkit.paths import check_home, check_name, inside

if TYPE_CHECKING:
    from reflectkit.journal.summary import Summary

_T = TypeVar("_T")
LOCK_TIMEOUT = 10.0
ENTRY_NAME = re.compile(r"^(stage|case|reflection|revisit|note)-[a-z0-9][a-z0-9_-]{0,63}\.toml$")
HISTORY_NAME = re.compile(r"^(stage|case|reflection|revisit|note)-[a-z0-9][a-z0-9_-]{0,63}\.history\.jsonl$")
_HOLDER_PID = re.compile(r"\(process (\d{1,10})\)")


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

    _read = staticmethod(read_unit)

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
                yield path, self._read(path)
            except FileNotFoundError:  # removed since the folder was listed
                continue
            except BadDataError as exc:
                self.damaged.append(DamagedFile(path, exc))


def _record_again(path: Path, damaged: list[Any]) -> dict[str, Any] | None:
    """The summary's record of one entry file, read again because it changed since the
    summary was made; None if it is gone, or damaged (then named in ``damaged``)."""
    from reflectkit.journal.summary import record_of

    try:
        return record_of(read_section(path))
    except FileNotFoundError:
        return None
    except BadDataError as exc:
        damaged.append(DamagedFile(path, exc))
        return None


def _record_strictly(path: Path, damaged: list[Any]) -> dict[str, Any] | None:
    """As :func:`_record_again`, but a damaged file raises BadDataError."""
    from reflectkit.journal.summary import record_of

    try:
        return record_of(read_section(path))
    except FileNotFoundError:
        return None


class _CurrentScan(UnitScan):
    """A scan of the section files alone, without their history (for the summary)."""

    _read = staticmethod(read_section)


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
        from reflectkit.locking import FileLock, LockTimeout

        lock_path = self.path / ".lock"
        lock = FileLock(lock_path, timeout=timeout, mode=fileio.FILE_MODE)
        try:
            lock.acquire()
        except LockTimeout:
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
        replace_unfinished: bool = False,
    ) -> Answer:
        """Store one answer at once; an earlier answer moves into its history.

        ``keep_history=False`` replaces the answer outright: used only when the user edits
        an answer to take out details that could identify someone. With ``replacing`` it
        does so only if the stored answer is still that text (another window may have saved
        a newer one meanwhile, which must then go into the history as usual).
        ``replace_unfinished`` replaces a stored answer outright if it is unfinished (the
        answer finished from it takes its place).

        The history is not read: the answer returned lists at most the earlier versions its
        section file held inline (:meth:`load` gives them all).
        """
        now = (now or datetime.now(UTC)).astimezone(UTC)
        with self.locked():
            path = self.unit_path(section)
            unit = current_section(path) or Unit(section=section.kind, ref=section.ref)
            _refuse_newer(unit, path)
            old = unit.answers.get(question_id)
            if replacing is not None and old is not None and old.value != replacing:
                keep_history = True
            if replace_unfinished and old is not None and old.unfinished:
                keep_history = False
            earlier = None
            if old is not None and old.value != value and keep_history:
                earlier = Earlier(value=old.value, created=old.updated, replaced=now)
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
                history=list(old.history) if old else [],
                **(old.model_extra or {} if old else {}),
            )
            unit.answers[question_id] = answer
            self._save_replacing(section, unit, question_id, earlier)
        return answer

    def _save_replacing(
        self, section: Section, unit: Unit, question_id: str, earlier: Earlier | None
    ) -> None:
        """Save a unit read without its history, whose answer ``question_id`` replaced
        ``earlier`` (None: nothing goes into the history)."""
        path = self.unit_path(section)
        inline = any(answer.history for answer in unit.answers.values())
        if not inline and (earlier is None or self._append_history(path, unit, question_id, earlier)):
            self._write_section(section, unit)
        else:  # the first version kept, a history held inline, or a rewrite that stopped
            # The lines the section file on disk reads come first, so that a stop before it
            # is replaced leaves them as they were; what it holds inline and the version
            # just replaced come after them.
            named = unit.history_file is not None
            moved = read_history(path, unit)[0] if named else []
            tail = [(q, e) for q, answer in unit.answers.items() for e in answer.history]
            tail += [(question_id, earlier)] if earlier is not None else []
            self._rewrite_history(section, unit, moved, tail=tail, in_place=not named)
            self._write_section(section, unit)

    def _append_history(self, path: Path, unit: Unit, question_id: str, earlier: Earlier) -> bool:
        """Append one earlier version to the section's history file, forced to disk before
        the section file is saved (which then stands for it). Only the file's first line
        and the end of its last saved line are read. False when the history file is not
        the one the section file names (a rewrite stopped): it must be written whole."""
        mark = unit.history_file
        if mark is None:
            return False
        hpath = history_path(path)
        line, digest = seal_line(mark.last, line_body(history_record(question_id, earlier)))
        if mark.size + len(line) > MAX_HISTORY_FILE:
            raise history_full(hpath)
        try:
            fd = fileio.open_regular(hpath, os.O_RDWR)
        except FileNotFoundError:
            raise history_problem(
                path, f"it is missing, yet {path.name} keeps its answers' earlier versions there."
            ) from None
        except OSError as exc:
            raise fileio.storage_error(hpath, exc) from exc
        try:
            if os.fstat(fd).st_size < mark.size:
                raise history_problem(
                    path, f"it is shorter than the {mark.size} bytes saved in it: it looks cut short."
                )
            first = fileio.read_at(fd, 0, min(mark.size, 4096))
            head, _ = read_header(path, unit, first[: first.find(b"\n") + 1])
            if head["generation"] != mark.generation:
                return False
            if fileio.read_at(fd, max(0, mark.size - SUM_BYTES - 1), SUM_BYTES + 1) != line_end(mark.last):
                raise history_problem(
                    path, f"its last line does not match {path.name}: it was changed outside reflectkit."
                )
            if fileio.write_at(fd, line, mark.size, hpath):
                _noted(self.tightened, hpath)
        except OSError as exc:
            raise fileio.storage_error(hpath, exc) from exc
        finally:
            os.close(fd)
        unit.history_file = HistoryFile(generation=mark.generation, size=mark.size + len(line), last=digest)
        return True

    def _rewrite_history(
        self,
        section: Section,
        unit: Unit,
        common: Records,
        *,
        tail: Records | None = None,
        tail_saved: bool = True,
        in_place: bool = False,
    ) -> None:
        """Write the section's history file whole, under a new generation: ``common`` then
        ``tail`` (see :func:`history_payload`); the unit's section file must be saved next
        (call with the lock held).

        ``in_place``: the section file on disk names no history file, so none is read
        until that is saved, and this one can be written over (no rename); otherwise it is
        replaced whole, atomically.
        """
        path = self.unit_path(section)
        try:
            payload, mark = history_payload(section, common, tail or [], tail_saved=tail_saved)
        except UnicodeError as exc:
            raise StorageError(
                "An earlier version holds characters that cannot be saved as UTF-8; nothing was saved."
            ) from exc
        hpath = history_path(path)
        if len(payload) > MAX_HISTORY_FILE:
            raise history_full(hpath)
        self._entries_ready()
        if in_place:
            loose = fileio.write_in_place(hpath, payload)
        else:
            loose = fileio.write_atomic(hpath, payload, temp_dir=self.temps)
        if loose:
            _noted(self.tightened, hpath)
        unit.history_file = mark

    def modify(self, section: Section, change: Callable[[Unit], _T]) -> _T | None:
        """Apply ``change`` to the section's stored answers under the lock, and save them.

        Returns what ``change`` returned, or None (nothing written) when the section has no
        file yet. Every other rule about what is stored lives in the caller; this is the one
        read-modify-write they share. The unit comes with its history; the history file is
        rewritten only if ``change`` changed a history.
        """
        with self.locked():
            path = self.unit_path(section)
            try:
                unit, orphans, inline = read_whole(path)
            except FileNotFoundError:
                return None
            _refuse_newer(unit, path)
            before = histories(unit)
            result = change(unit)
            if inline or histories(unit) != before:
                self._write_whole(section, unit, orphans, from_disk=True)
            else:
                self._write_section(section, unit)
        return result

    def forget(
        self, section: Section, question_id: str, *, earlier: set[int] | None = None, current: bool = False
    ) -> int:
        """Remove earlier versions (by their place in the history), or the current text, of
        one answer; return how many texts went. Only ever at the user's request, to take out
        details that identify someone. Removing the current text puts the latest earlier
        version back in its place, or removes the answer if there is none.

        The history file is written whole without them (no copy is left in it), then the
        section file. A version put back as the answer stays at the end of the history file,
        unused, until the next save there: a stop between the two writes leaves it in the
        history or as the answer, never in neither."""
        with self.locked():
            path = self.unit_path(section)
            try:
                unit, orphans, _ = read_whole(path)
            except FileNotFoundError:
                return 0
            if question_id not in unit.answers:
                return 0
            _refuse_newer(unit, path)
            answer = unit.answers[question_id]
            gone = 0
            if earlier:
                kept = [old for index, old in enumerate(answer.history) if index not in earlier]
                gone += len(answer.history) - len(kept)
                answer.history = kept
            back: Records = []
            if current:
                gone += 1
                if answer.history:
                    last = answer.history.pop()
                    back.append((question_id, last))
                    answer.value, answer.updated, answer.unfinished = last.value, last.created, None
                else:
                    del unit.answers[question_id]
            named = unit.history_file is not None
            if back or orphans or named or histories(unit):
                common = every_version(unit) + orphans
                self._rewrite_history(section, unit, common, tail=back, tail_saved=False, in_place=not named)
            self._write_section(section, unit)
        return gone

    def write_unit(self, section: Section, unit: Unit) -> None:
        """Write one section file whole, with its answers' earlier versions (call with the
        lock held). A unit read with its history keeps the history file's lines for
        questions it no longer holds."""
        orphans: Records = []
        if unit.history_file is not None:  # a damaged history file raises: it is not written over
            records, _ = read_history(self.unit_path(section), unit)
            orphans = [(q, e) for q, e in records if q not in unit.answers]
        self._write_whole(section, unit, orphans)

    def _write_whole(
        self, section: Section, unit: Unit, orphans: Records, *, from_disk: bool = False
    ) -> None:
        """The history file whole (when there is any history), then the section file.
        ``from_disk``: the unit was read from the section file now on disk (so whether that
        names a history file is known)."""
        if orphans or unit.history_file is not None or histories(unit):
            in_place = from_disk and unit.history_file is None
            self._rewrite_history(section, unit, every_version(unit) + orphans, in_place=in_place)
        self._write_section(section, unit)

    def _write_section(self, section: Section, unit: Unit) -> None:
        """Write the section file alone (call with the lock held). Once the unit has a
        history file its answers' histories are there, not in this file; without one, any
        history file left beside it (by a first move that stopped) is stale and goes."""
        self._entries_ready()
        path = self.unit_path(section)
        payload = fileio.dumps_checked(dump_unit(unit, inline_history=unit.history_file is None))
        if len(payload) > MAX_JOURNAL_FILE:  # it could be written but never read back
            raise StorageError(
                f"This answer would make {path.name} larger than "
                f"{MAX_JOURNAL_FILE // (1024 * 1024)} MiB, so it was not saved.",
                hint="Shorten the answer, or split it over several questions.",
            )
        if fileio.write_atomic(path, payload, temp_dir=self.temps):
            _noted(self.tightened, path)
        if unit.history_file is None:
            remove_stale(history_path(path))
        self._summarise(path.name, unit)

    def _entries_ready(self) -> None:
        if fileio.ensure_private_dir(self.entries):
            _noted(self.tightened, self.entries)

    def _summarise(self, name: str, unit: Unit) -> None:
        """Keep the journal's summary up to date after a save (the lock is held). The answer
        is saved already: a summary that cannot be written is left stale, so it is rebuilt
        from the entries when next read, and the save still succeeds."""
        from reflectkit.journal import summary

        def every_entry() -> Iterator[tuple[str, Unit]]:
            for path in sorted(self.entries.glob("*.toml")):
                with contextlib.suppress(FileNotFoundError, BadDataError):
                    yield path.name, read_section(path)

        with contextlib.suppress(OSError, ValueError, BadDataError):
            summary.saved(self.path, self.temps, name, unit, every_entry)

    def summary(self, *, strict: bool = False) -> Summary:
        """What the journal holds, in brief (:mod:`reflectkit.journal.summary`): read from the
        summary file when it matches the entries exactly, else rebuilt from them. A damaged
        file is named in the summary's ``damaged`` list (``strict``: raises BadDataError).
        A run that writes stores a rebuilt summary; one that only reads changes nothing."""
        from reflectkit.journal import summary

        lazily = summary.read_as_used(self.path, self.entries, _record_strictly if strict else _record_again)
        if lazily is not None:
            return lazily
        sigs = summary.signatures(self.entries)
        found = summary.read(self.path, sigs)
        if found is not None:
            return found
        scan = _CurrentScan(sorted(self.entries.glob("*.toml")))
        named = ((path.name, unit) for path, unit in scan.named())
        rebuilt = (
            summary.build(named)
            if not strict
            else summary.build((path.name, read_section(path)) for path in scan.paths)
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
        """Keep a hand-edited section file (and its history file) as it is now: re-seal it
        with a fresh count and checksum, and its history file with fresh digests. With
        ``seen`` (the fingerprint of the report the user was shown), only if neither file
        has changed since.

        Raises:
            UsageError: ``path`` is not one of this journal's entry files.
            BadDataError: it does not parse or validate (fix it first), or changed since
                it was shown.
        """
        target = self._entry_file(path)
        with self.locked():
            report, unit, orphans = self._examine(target)
            if seen is not None and report.fingerprint != seen:
                raise BadDataError(
                    f"{target} changed again since its answers were shown, so it was not accepted.",
                    hint="Nothing was changed. Run the command again to see it as it is now.",
                )
            if report.matched:
                return report
            _refuse_newer(unit, target)
            self._write_whole(report.section, unit, orphans, from_disk=True)
        return replace(report, written=True)

    def _entry_file(self, path: Path | str) -> Path:
        """The section file named by ``path`` (its history file names it too)."""
        given = Path(path)
        candidate = self.entries / given if str(given) == given.name else given.absolute()
        in_entries = candidate.parent.resolve() == self.entries.resolve()
        name = candidate.name
        if HISTORY_NAME.fullmatch(name):
            name = name.removesuffix(HISTORY_SUFFIX) + ".toml"
        if not (ENTRY_NAME.fullmatch(name) and in_entries):
            raise UsageError(
                f"{path} is not an entry file of the journal {self.name!r}.",
                hint=f"Entry files are in {self.entries}, named like case-first-home-visit.toml.",
            )
        return self.entries / name

    def _examine(self, target: Path) -> tuple[EditReport, Unit, Records]:
        try:
            raw = fileio.read_file(target, MAX_JOURNAL_FILE)
        except FileNotFoundError:
            raise NotFoundError(f"There is no file {target}.") from None
        unit, data = parse_section(target, raw)
        if unit.key.filename != target.name:
            raise BadDataError(
                f"{target} says it holds {unit.section} {unit.ref!r}, which its name does not; "
                "nothing was changed.",
                hint="Correct 'section' and 'ref' in a text editor, then try again.",
            )
        matched = unsealed(target, unit, data, raw) is None
        records: Records = []
        import hashlib  # only when a hand-edited file is accepted: not on every run

        fingerprint = hashlib.sha256(raw)
        if unit.history_file is not None:
            try:
                records, kept = read_history(target, unit)
            except UnsealedFileError:
                matched = False
                records, kept = read_history_as_is(target, unit)
            fingerprint.update(b"\0" + kept)
        orphans = attach(unit, records)
        report = EditReport(
            path=target,
            section=unit.key,
            answers=tuple(unit.ordered()),
            count_said=unit.answer_count,
            count_found=len(data.get("answers", {})),
            matched=matched,
            fingerprint="sha256:" + fingerprint.hexdigest(),
        )
        return report, unit, orphans


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


def answered_ids(source: Journal | Iterable[Unit]) -> Mapping[Section, set[str]]:
    """For each section with answers, the ids of the questions answered (not those left
    unfinished). Given a Journal, a damaged file raises; given a :class:`UnitScan`, it is
    collected in the scan's ``damaged`` list instead."""
    if isinstance(source, Journal):
        return source.summary(strict=True).answered()
    return {unit.key: {k for k, a in unit.answers.items() if not a.unfinished} for unit in source}
