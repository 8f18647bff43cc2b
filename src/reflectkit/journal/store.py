"""The journal store: a folder per journal, a TOML file per section, a lock per journal.

Layout under the data home::

    journals/<name>/journal.toml        what this journal is (written once)
    journals/<name>/schedule.toml       Stage 4 cycles (read by the reminder check)
    journals/<name>/entries/<kind>-<ref>.toml   one file per stage, case study, reflection
    journals/<name>/entries/<kind>-<ref>.history.jsonl   its answers' earlier versions
    journals/<name>/.lock               held around every read-modify-write

Saving one answer reads and rewrites one section file, so it costs the same however
large the journal grows. The version it replaces is appended to the section's history
file first (and forced to disk), so a save costs the same however long the history is too,
and a save stopped at any moment leaves the old answer or the new one, never one less
version. The section file says how much of its history file it stands for (see
:class:`~reflectkit.journal.models.HistoryFile`): lines a stopped save appended beyond
that are not used. Rewriting the history file (forgetting a version, or moving a history
kept inline by an earlier reflectkit) writes it whole, then the section file.

Each file is read only if it is a regular file (never through a symbolic link, never
blocking on a FIFO); a file whose answers no longer match the count and checksum saved
with them, or a history line that no longer matches its digest, is named, and the rest of
the journal still reads.
"""

from __future__ import annotations

import contextlib
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
    HISTORY_FORMAT,
    JOURNAL_SCHEMA_VERSION,
    SUM_BYTES,
    Answer,
    AnswerKind,
    Earlier,
    HistoryFile,
    RecordError,
    Section,
    Unit,
    Value,
    checksum,
    dump_unit,
    earlier_from,
    history_record,
    line_body,
    line_end,
    open_line,
    seal_line,
)
from reflectkit.paths import check_home, check_name, inside

if TYPE_CHECKING:
    from reflectkit.journal.summary import Summary

_T = TypeVar("_T")
LOCK_TIMEOUT = 10.0
MAX_JOURNAL_FILE = 8 * 1024 * 1024
MAX_HISTORY_FILE = 256 * 1024 * 1024  # read a line at a time: no parser blows up on size
ENTRY_NAME = re.compile(r"^(stage|case|reflection|revisit|note)-[a-z0-9][a-z0-9_-]{0,63}\.toml$")
HISTORY_SUFFIX = ".history.jsonl"
HISTORY_NAME = re.compile(r"^(stage|case|reflection|revisit|note)-[a-z0-9][a-z0-9_-]{0,63}\.history\.jsonl$")
Records = list[tuple[str, Earlier]]  # (question id, earlier version), in file order
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


def history_path(path: Path) -> Path:
    """The history file beside a section file: ``case-x.toml`` keeps its answers' earlier
    versions in ``case-x.history.jsonl``."""
    return path.with_name(path.stem + HISTORY_SUFFIX)


def _read_section(path: Path) -> Unit:
    """One section file, checked, with only the history it holds inline (none, once moved)."""
    raw = fileio.read_file(path, MAX_JOURNAL_FILE)
    unit, data = _parse(path, raw)
    problem = _unsealed(path, unit, data, raw)
    if problem:
        raise problem
    return unit


def read_unit(path: Path) -> Unit:
    """Read and check one section file, with its answers' earlier versions; raise
    BadDataError if it or its history file is damaged.

    Raises:
        FileNotFoundError: there is no such file.
        UnsealedFileError: it reads, but its answers do not match their count and checksum,
            or its history file does not match what it says of it.
        BadDataError: it is not a regular file, or cannot be read, parsed or validated.
    """
    return _read_whole(path)[0]


def _read_whole(path: Path) -> tuple[Unit, Records, bool]:
    """A section file with its history; the history file's lines for questions the section
    no longer holds (kept on every rewrite, never dropped); and whether the section file
    held any history inline (a file an earlier reflectkit wrote: it moves out when saved)."""
    unit = _read_section(path)
    inline = any(answer.history for answer in unit.answers.values())
    records = _read_history(path, unit)[0] if unit.history_file is not None else []
    return unit, _attach(unit, records), inline


def _attach(unit: Unit, records: Records) -> Records:
    """Give each answer its earlier versions from the history file (before any held inline,
    which only an earlier reflectkit writes, after it); return the lines of no answer."""
    found: dict[str, list[Earlier]] = {}
    orphans: Records = []
    for question_id, earlier in records:
        if question_id in unit.answers:
            found.setdefault(question_id, []).append(earlier)
        else:
            orphans.append((question_id, earlier))
    for question_id, versions in found.items():
        answer = unit.answers[question_id]
        answer.history = versions + answer.history
    return orphans


def _history_problem(path: Path, what: str) -> UnsealedFileError:
    return UnsealedFileError(
        f"{history_path(path)}: {what}",
        path=path,
        hint="Nothing was changed. Restore it from a backup; or, to keep the answers and earlier "
        f"versions as they are now: {accept_command(path)}",
    )


def _history_bytes(path: Path) -> bytes:
    hpath = history_path(path)
    raw = fileio.read_file(hpath, MAX_HISTORY_FILE)
    if len(raw) > MAX_HISTORY_FILE:
        raise BadDataError(
            f"{hpath}: the file is larger than {MAX_HISTORY_FILE // (1024 * 1024)} MiB, so it was not read.",
            hint="Nothing was changed. Move it aside to read the answers without their earlier versions.",
        )
    return raw


def _header(path: Path, unit: Unit, line: bytes, *, strict: bool = True) -> tuple[dict[str, Any], str]:
    """The history file's first line (newline included) and its digest, checked against
    the section file it belongs to."""
    try:
        head, said, right = open_line("", line.removesuffix(b"\n"))
    except (ValueError, RecursionError):
        head, said, right = {}, "", False
    if not line.endswith(b"\n") or not isinstance(head.get("history"), int):
        if strict:
            raise _history_problem(path, "line 1 does not read as the start of a history file.")
        raise BadDataError(
            f"{history_path(path)}: line 1 does not read as the start of a history file.",
            hint="Nothing was changed. Restore it from a backup, or move it aside.",
        )
    if head["history"] > HISTORY_FORMAT:
        raise BadDataError(
            f"{history_path(path)} was written by a newer reflectkit (format {head['history']}); "
            f"this one knows format {HISTORY_FORMAT}.",
            hint="Nothing was changed. Update reflectkit to read these earlier versions.",
        )
    size = head.get("size")
    fits = (head.get("section"), head.get("ref")) == (unit.section, unit.ref)
    fits = fits and isinstance(size, int) and not isinstance(size, bool) and size >= 0
    if strict and not (fits and right and isinstance(head.get("generation"), str)):
        raise _history_problem(path, "line 1 was changed outside reflectkit.")
    return head, said


def _read_history(path: Path, unit: Unit) -> tuple[Records, bytes]:
    """The earlier versions in a section's history file, each line checked against its
    digest, and the part used checked against what the section file says of it."""
    mark = unit.history_file
    assert mark is not None
    try:
        raw = _history_bytes(path)
    except FileNotFoundError:
        raise _history_problem(
            path, f"it is missing, yet {path.name} keeps its answers' earlier versions there."
        ) from None
    start = raw.find(b"\n") + 1
    head, said = _header(path, unit, raw[:start] if start else raw)
    if head["generation"] == mark.generation:
        used, last = mark.size, mark.last
    else:  # a rewrite stopped before its section file was saved: the part that file reads
        used, last = start + head["size"], None
    if not (start <= used <= len(raw) and raw[used - 1 : used] == b"\n"):
        # Name the first line that no longer matches its digest, if one does.
        _lines(path, raw[start : raw.rfind(b"\n") + 1], said, strict=True)
        if len(raw) < used:
            line, _ = fileio.end_of(raw.rstrip(b"\n"))
            raise _history_problem(
                path,
                f"holds {len(raw)} of the {used} bytes saved in it: it looks cut short "
                f"(it ends at line {line}).",
            )
        raise _history_problem(path, f"it does not match {path.name}: it was changed outside reflectkit.")
    records, digest = _lines(path, raw[start:used], said, strict=True)
    if last is not None and digest != last:
        raise _history_problem(
            path, f"its last line does not match {path.name}: it was changed outside reflectkit."
        )
    return records, raw


def _read_history_as_is(path: Path, unit: Unit) -> tuple[Records, bytes]:
    """Every whole line of a history file that reads as an earlier version, digests or
    not (to keep a hand edit); a line cut short at the end is left out.

    Raises:
        BadDataError: a line does not read as an earlier version (it must be mended first).
    """
    try:
        raw = _history_bytes(path)
    except FileNotFoundError:
        return [], b""
    start = raw.find(b"\n") + 1
    if not start:
        return [], raw
    _, said = _header(path, unit, raw[:start], strict=False)
    return _lines(path, raw[start:], said, strict=False)[0], raw


def _lines(path: Path, raw: bytes, prev: str, *, strict: bool) -> tuple[Records, str]:
    """The earlier versions on the history file's lines after the first (``raw``), and the
    last line's digest. ``strict``: every digest must be right and no line cut short."""
    lines = raw.split(b"\n")
    if lines.pop() and strict:  # after the last newline: only a line cut short
        raise _history_problem(path, f"line {len(lines) + 2} is cut short.")
    records: Records = []
    for number, line in enumerate(lines, start=2):
        try:
            record, said, right = open_line(prev, line)
        except (ValueError, RecursionError):
            if strict:
                raise _history_problem(path, f"line {number} does not read as an earlier version.") from None
            raise BadDataError(
                f"{history_path(path)}: line {number} does not read as an earlier version.",
                hint="Nothing was changed. Mend or remove that line in a text editor, then try again.",
            ) from None
        if strict and not right:
            raise _history_problem(
                path,
                f"line {number} was changed outside reflectkit (it no longer matches the checksum "
                "saved with it).",
            )
        try:
            records.append(earlier_from(record, ()))
        except RecordError as exc:
            loc = ".".join(str(p) for p in exc.loc)
            raise BadDataError(
                f"{history_path(path)}: line {number}: {loc}: {exc.msg}",
                hint="Nothing was changed. Mend that line in a text editor, or restore the file "
                "from a backup.",
            ) from exc
        prev = said
    return records, prev


def _history_payload(
    section: Section, common: Records, tail: Records, *, tail_saved: bool
) -> tuple[bytes, HistoryFile]:
    """A whole history file: ``common`` then ``tail``, under a new generation, and what the
    section file saved next says of it. The section file saved next stands for the tail
    when ``tail_saved`` (a version just replaced), the one it replaces when not (a version
    about to become the answer again): the first line says how much the latter reads, in
    case the write stops before the section file is saved."""
    import secrets

    bodies = [line_body(history_record(q, e)) for q, e in (*common, *tail)]
    sizes = [len(body) + SUM_BYTES for body in bodies]  # a line's length, newline included
    common_size, tail_size = sum(sizes[: len(common)]), sum(sizes[len(common) :])
    generation = secrets.token_hex(8)
    head = {
        "history": HISTORY_FORMAT,
        "section": section.kind,
        "ref": section.ref,
        "generation": generation,
        "size": common_size + (0 if tail_saved else tail_size),
    }
    first, last = seal_line("", line_body(head))
    lines, size, prev = [first], len(first), last
    for index, body in enumerate(bodies):
        line, prev = seal_line(prev, body)
        lines.append(line)
        if index < len(common) or tail_saved:
            size, last = size + len(line), prev
    return b"".join(lines), HistoryFile(generation=generation, size=size, last=last)


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


class _CurrentScan(UnitScan):
    """A scan of the section files alone, without their history (for the summary)."""

    _read = staticmethod(_read_section)


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
            unit = _current(path) or Unit(section=section.kind, ref=section.ref)
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
            moved = _read_history(path, unit)[0] if named else []
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
            raise _history_full(hpath)
        try:
            fd = fileio.open_regular(hpath, os.O_RDWR)
        except FileNotFoundError:
            raise _history_problem(
                path, f"it is missing, yet {path.name} keeps its answers' earlier versions there."
            ) from None
        except OSError as exc:
            raise fileio.storage_error(hpath, exc) from exc
        try:
            if os.fstat(fd).st_size < mark.size:
                raise _history_problem(
                    path, f"it is shorter than the {mark.size} bytes saved in it: it looks cut short."
                )
            first = fileio.read_at(fd, 0, min(mark.size, 4096))
            head, _ = _header(path, unit, first[: first.find(b"\n") + 1])
            if head["generation"] != mark.generation:
                return False
            if fileio.read_at(fd, max(0, mark.size - SUM_BYTES - 1), SUM_BYTES + 1) != line_end(mark.last):
                raise _history_problem(
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
        ``tail`` (see :func:`_history_payload`); the unit's section file must be saved next
        (call with the lock held).

        ``in_place``: the section file on disk names no history file, so none is read
        until that is saved, and this one can be written over (no rename); otherwise it is
        replaced whole, atomically.
        """
        path = self.unit_path(section)
        try:
            payload, mark = _history_payload(section, common, tail or [], tail_saved=tail_saved)
        except UnicodeError as exc:
            raise StorageError(
                "An earlier version holds characters that cannot be saved as UTF-8; nothing was saved."
            ) from exc
        hpath = history_path(path)
        if len(payload) > MAX_HISTORY_FILE:
            raise _history_full(hpath)
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
                unit, orphans, inline = _read_whole(path)
            except FileNotFoundError:
                return None
            _refuse_newer(unit, path)
            before = _histories(unit)
            result = change(unit)
            if inline or _histories(unit) != before:
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
                unit, orphans, _ = _read_whole(path)
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
            if back or orphans or named or _histories(unit):
                common = _every_version(unit) + orphans
                self._rewrite_history(section, unit, common, tail=back, tail_saved=False, in_place=not named)
            self._write_section(section, unit)
        return gone

    def write_unit(self, section: Section, unit: Unit) -> None:
        """Write one section file whole, with its answers' earlier versions (call with the
        lock held). A unit read with its history keeps the history file's lines for
        questions it no longer holds."""
        orphans: Records = []
        if unit.history_file is not None:  # a damaged history file raises: it is not written over
            records, _ = _read_history(self.unit_path(section), unit)
            orphans = [(q, e) for q, e in records if q not in unit.answers]
        self._write_whole(section, unit, orphans)

    def _write_whole(
        self, section: Section, unit: Unit, orphans: Records, *, from_disk: bool = False
    ) -> None:
        """The history file whole (when there is any history), then the section file.
        ``from_disk``: the unit was read from the section file now on disk (so whether that
        names a history file is known)."""
        if orphans or unit.history_file is not None or _histories(unit):
            in_place = from_disk and unit.history_file is None
            self._rewrite_history(section, unit, _every_version(unit) + orphans, in_place=in_place)
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
            _remove_stale(history_path(path))
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
                    yield path.name, _read_section(path)

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
        scan = _CurrentScan(sorted(self.entries.glob("*.toml")))
        named = ((path.name, unit) for path, unit in scan.named())
        rebuilt = (
            summary.build(named)
            if not strict
            else summary.build((path.name, _read_section(path)) for path in scan.paths)
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
        unit, data = _parse(target, raw)
        if unit.key.filename != target.name:
            raise BadDataError(
                f"{target} says it holds {unit.section} {unit.ref!r}, which its name does not; "
                "nothing was changed.",
                hint="Correct 'section' and 'ref' in a text editor, then try again.",
            )
        matched = _unsealed(target, unit, data, raw) is None
        records: Records = []
        import hashlib  # only when a hand-edited file is accepted: not on every run

        fingerprint = hashlib.sha256(raw)
        if unit.history_file is not None:
            try:
                records, kept = _read_history(target, unit)
            except UnsealedFileError:
                matched = False
                records, kept = _read_history_as_is(target, unit)
            fingerprint.update(b"\0" + kept)
        orphans = _attach(unit, records)
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


def _current(path: Path) -> Unit | None:
    """A section file without its history (its answers as they are now), or None."""
    try:
        return _read_section(path)
    except FileNotFoundError:
        return None


def _every_version(unit: Unit) -> Records:
    """Every answer's earlier versions, answer by answer."""
    return [(q, e) for q, answer in unit.answers.items() for e in answer.history]


def _histories(unit: Unit) -> dict[str, list[dict[str, Any]]]:
    """Every answer's earlier versions, as stored: to see whether a change touched them."""
    return {q: [e.to_dict() for e in answer.history] for q, answer in unit.answers.items() if answer.history}


def _history_full(hpath: Path) -> StorageError:
    return StorageError(
        f"{hpath} would grow larger than {MAX_HISTORY_FILE // (1024 * 1024)} MiB, so this answer "
        "was not saved.",
        hint="Remove earlier versions you no longer need with `reflectkit journal forget`, then try again.",
    )


def _remove_stale(hpath: Path) -> None:
    """Remove a history file its section file does not name (a first move that stopped),
    so no copy of a version is left behind; anything but a regular file is left alone."""
    with contextlib.suppress(OSError, BadDataError):
        if fileio.check_regular(hpath) is not None:
            hpath.unlink()


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
