"""The earlier versions of a section's answers, kept in ``<kind>-<ref>.history.jsonl`` beside
the section file.

The version a save replaces is appended to the history file first (and forced to disk), so
a save costs the same however long the history is, and a save stopped at any moment leaves
the old answer or the new one, never one less version. The section file says how much of
its history file it stands for (see :class:`~reflectkit.journal.models.HistoryFile`): lines
a stopped save appended beyond that are not used. Each line carries a digest chained to the
line before it, so a changed or missing line is named. Rewriting the history file
(forgetting a version, or moving a history kept inline by an earlier reflectkit) writes it
whole, then the section file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from reflectkit import fileio
from reflectkit.errors import BadDataError, StorageError
from reflectkit.journal.models import (
    HISTORY_FORMAT,
    SUM_BYTES,
    Earlier,
    HistoryFile,
    RecordError,
    Section,
    Unit,
    earlier_from,
    history_record,
    line_body,
    open_line,
    seal_line,
)
from reflectkit.journal.sectionfile import UnsealedFileError, accept_command, read_section

MAX_HISTORY_FILE = 256 * 1024 * 1024  # read a line at a time: no parser blows up on size
HISTORY_SUFFIX = ".history.jsonl"
Records = list[tuple[str, Earlier]]  # (question id, earlier version), in file order


def history_path(path: Path) -> Path:
    """The history file beside a section file: ``case-x.toml`` keeps its answers' earlier
    versions in ``case-x.history.jsonl``."""
    return path.with_name(path.stem + HISTORY_SUFFIX)


def history_problem(path: Path, what: str) -> UnsealedFileError:
    return UnsealedFileError(
        f"{history_path(path)}: {what}",
        path=path,
        hint="Nothing was changed. Restore it from a backup; or, to keep the answers and earlier "
        f"versions as they are now: {accept_command(path)}",
    )


def history_bytes(path: Path) -> bytes:
    hpath = history_path(path)
    raw = fileio.read_file(hpath, MAX_HISTORY_FILE)
    if len(raw) > MAX_HISTORY_FILE:
        raise BadDataError(
            f"{hpath}: the file is larger than {MAX_HISTORY_FILE // (1024 * 1024)} MiB, so it was not read.",
            hint="Nothing was changed. Move it aside to read the answers without their earlier versions.",
        )
    return raw


def read_header(path: Path, unit: Unit, line: bytes, *, strict: bool = True) -> tuple[dict[str, Any], str]:
    """The history file's first line (newline included) and its digest, checked against
    the section file it belongs to."""
    try:
        head, said, right = open_line("", line.removesuffix(b"\n"))
    except (ValueError, RecursionError):
        head, said, right = {}, "", False
    if not line.endswith(b"\n") or not isinstance(head.get("history"), int):
        if strict:
            raise history_problem(path, "line 1 does not read as the start of a history file.")
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
        raise history_problem(path, "line 1 was changed outside reflectkit.")
    return head, said


def read_history(path: Path, unit: Unit) -> tuple[Records, bytes]:
    """The earlier versions in a section's history file, each line checked against its
    digest, and the part used checked against what the section file says of it."""
    mark = unit.history_file
    assert mark is not None
    try:
        raw = history_bytes(path)
    except FileNotFoundError:
        raise history_problem(
            path, f"it is missing, yet {path.name} keeps its answers' earlier versions there."
        ) from None
    start = raw.find(b"\n") + 1
    head, said = read_header(path, unit, raw[:start] if start else raw)
    if head["generation"] == mark.generation:
        used, last = mark.size, mark.last
    else:  # a rewrite stopped before its section file was saved: the part that file reads
        used, last = start + head["size"], None
    if not (start <= used <= len(raw) and raw[used - 1 : used] == b"\n"):
        # Name the first line that no longer matches its digest, if one does.
        read_lines(path, raw[start : raw.rfind(b"\n") + 1], said, strict=True)
        if len(raw) < used:
            line, _ = fileio.end_of(raw.rstrip(b"\n"))
            raise history_problem(
                path,
                f"holds {len(raw)} of the {used} bytes saved in it: it looks cut short "
                f"(it ends at line {line}).",
            )
        raise history_problem(path, f"it does not match {path.name}: it was changed outside reflectkit.")
    records, digest = read_lines(path, raw[start:used], said, strict=True)
    if last is not None and digest != last:
        raise history_problem(
            path, f"its last line does not match {path.name}: it was changed outside reflectkit."
        )
    return records, raw


def read_history_as_is(path: Path, unit: Unit) -> tuple[Records, bytes]:
    """Every whole line of a history file that reads as an earlier version, digests or
    not (to keep a hand edit); a line cut short at the end is left out.

    Raises:
        BadDataError: a line does not read as an earlier version (it must be mended first).
    """
    try:
        raw = history_bytes(path)
    except FileNotFoundError:
        return [], b""
    start = raw.find(b"\n") + 1
    if not start:
        return [], raw
    _, said = read_header(path, unit, raw[:start], strict=False)
    return read_lines(path, raw[start:], said, strict=False)[0], raw


def read_lines(path: Path, raw: bytes, prev: str, *, strict: bool) -> tuple[Records, str]:
    """The earlier versions on the history file's lines after the first (``raw``), and the
    last line's digest. ``strict``: every digest must be right and no line cut short."""
    lines = raw.split(b"\n")
    if lines.pop() and strict:  # after the last newline: only a line cut short
        raise history_problem(path, f"line {len(lines) + 2} is cut short.")
    records: Records = []
    for number, line in enumerate(lines, start=2):
        try:
            record, said, right = open_line(prev, line)
        except (ValueError, RecursionError):
            if strict:
                raise history_problem(path, f"line {number} does not read as an earlier version.") from None
            raise BadDataError(
                f"{history_path(path)}: line {number} does not read as an earlier version.",
                hint="Nothing was changed. Mend or remove that line in a text editor, then try again.",
            ) from None
        if strict and not right:
            raise history_problem(
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


def history_payload(
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


def read_whole(path: Path) -> tuple[Unit, Records, bool]:
    """A section file with its history; the history file's lines for questions the section
    no longer holds (kept on every rewrite, never dropped); and whether the section file
    held any history inline (a file an earlier reflectkit wrote: it moves out when saved)."""
    unit = read_section(path)
    inline = any(answer.history for answer in unit.answers.values())
    records = read_history(path, unit)[0] if unit.history_file is not None else []
    return unit, attach(unit, records), inline


def attach(unit: Unit, records: Records) -> Records:
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


def read_unit(path: Path) -> Unit:
    """Read and check one section file, with its answers' earlier versions; raise
    BadDataError if it or its history file is damaged.

    Raises:
        FileNotFoundError: there is no such file.
        UnsealedFileError: it reads, but its answers do not match their count and checksum,
            or its history file does not match what it says of it.
        BadDataError: it is not a regular file, or cannot be read, parsed or validated.
    """
    return read_whole(path)[0]


def current_section(path: Path) -> Unit | None:
    """A section file without its history (its answers as they are now), or None."""
    try:
        return read_section(path)
    except FileNotFoundError:
        return None


def every_version(unit: Unit) -> Records:
    """Every answer's earlier versions, answer by answer."""
    return [(q, e) for q, answer in unit.answers.items() for e in answer.history]


def histories(unit: Unit) -> dict[str, list[dict[str, Any]]]:
    """Every answer's earlier versions, as stored: to see whether a change touched them."""
    return {q: [e.to_dict() for e in answer.history] for q, answer in unit.answers.items() if answer.history}


def history_full(hpath: Path) -> StorageError:
    return StorageError(
        f"{hpath} would grow larger than {MAX_HISTORY_FILE // (1024 * 1024)} MiB, so this answer "
        "was not saved.",
        hint="Remove earlier versions you no longer need with `reflectkit journal forget`, then try again.",
    )


def remove_stale(hpath: Path) -> None:
    """Remove a history file its section file does not name (a first move that stopped),
    so no copy of a version is left behind; anything but a regular file is left alone."""
    with contextlib.suppress(OSError, BadDataError):
        if fileio.check_regular(hpath) is not None:
            hpath.unlink()
