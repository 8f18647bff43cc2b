"""A small summary of a journal: which questions are answered, counts, dates, notes.

``progress``, the case list, the end of a case study and the start screen need only this,
not every answer's text, so they read one small file (``summary.json``) instead of every
entry. It is a cache and never the truth: it records the signature (inode, size, time
changed) of every entry file it was made from. A reader that finds an entry added or removed
since rebuilds it from the entries themselves; an entry changed since is read again when
its record is looked up (:func:`read_as_used`), so only the files a screen shows are
looked at. Saves keep it up to date under the journal's lock; a save cut short leaves it
stale, never wrong. Commands that only read never write it.

The file is a header line (the format and every signature, in JSON) and then one line per
record: the entry's name as a JSON string, a tab, the record's JSON. A reader parses the
header to check the signatures, and a record only when it is looked at, so `progress` on a
journal of 10,000 sections parses the dozen records the workbook's parts have.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reflectkit import fileio
from reflectkit.errors import BadDataError
from reflectkit.journal.models import Section, Unit

SUMMARY_FILE = "summary.json"
LOG_FILE = "summary.log"  # saves since the summary was last written whole, one per line
FOLD_BYTES = 256 * 1024  # the log's size at which a save folds it into the summary
FORMAT = 3  # 1: one JSON object, records as objects, signatures as lists; 2: one JSON
# object, records as JSON text (both still read)
MAX_SUMMARY_BYTES = 64 * 1024 * 1024
Signature = str


def signatures(entries: Path) -> dict[str, Signature]:
    """Each entry file's inode, size and time of change, by name: a change to any of them
    (reflectkit replaces a file whole, so even a same-size save is a new inode) shows."""
    found: dict[str, Signature] = {}
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(entries) as listing:
        for entry in listing:
            if entry.name.endswith(".toml") and not entry.name.startswith("."):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                found[entry.name] = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
    return found


def _signature(path: str) -> Signature | None:
    """One entry file's signature, as :func:`signatures` gives it; None if it is gone."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def entry_names(entries: Path) -> set[str]:
    """The names :func:`signatures` would list, without looking at each file."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(entries) as listing:
        return {e.name for e in listing if e.name.endswith(".toml") and not e.name.startswith(".")}
    return set()


def record_of(unit: Unit) -> dict[str, Any]:
    """What the summary keeps of one section file."""
    answers = unit.answers.values()
    record: dict[str, Any] = {
        "kind": unit.section,
        "ref": unit.ref,
        "answered": sorted(k for k, a in unit.answers.items() if not a.unfinished),
        "answers": len(unit.answers),
        "review": [[k, a.position] for k, a in unit.ordered() if a.needs_review],
    }
    if answers:
        record["first"] = min(a.created for a in answers).isoformat()
        record["last"] = max(a.updated for a in answers).isoformat()
    if unit.tags:
        record["tags"] = list(unit.tags)
    if unit.note is not None:
        note = unit.note
        record["note"] = {
            "title": note.title,
            "event_date": note.event_date.isoformat(),
            "model": note.model,
            "minutes": note.minutes,
        }
    return record


@dataclass(frozen=True)
class NoteSummary:
    """One note, for lists: what it is about, and how far it got."""

    id: str
    title: str
    event_date: date
    model: str
    answered: int
    tags: tuple[str, ...] = ()
    minutes: int | None = None


class _Answered(Mapping[Section, set[str]]):
    """For each section with answers, the ids of the questions answered: looked up in the
    records when asked, so a screen that needs a dozen sections parses a dozen records."""

    def __init__(self, summary: Summary) -> None:
        self._summary = summary

    def __getitem__(self, section: Section) -> set[str]:
        record = self._summary.record(section.filename)
        if record is None or (record["kind"], record["ref"]) != (section.kind, section.ref):
            raise KeyError(section)
        return set(record["answered"])

    def __iter__(self) -> Iterator[Section]:
        return (Section(r["kind"], r["ref"]) for _, r in self._summary.items())

    def __len__(self) -> int:
        return sum(1 for _ in self._summary.items())


@dataclass
class Summary:
    """The summary of a journal's entries: one record per section file, by file name.
    A record is held as read (JSON text) until :meth:`record` parses it. ``damaged`` names
    the files that could not be read.

    Read with :func:`read_as_used`, each entry's signature is checked when its record is
    first looked up (``signatures``, ``entries``), and a record whose entry has changed
    since is made again from the file (``refresh``), so a screen that shows a dozen
    sections looks at a dozen files, and never shows a record older than its file."""

    records: dict[str, dict[str, Any] | str | None] = field(default_factory=dict)
    damaged: list[Any] = field(default_factory=list)  # reflectkit.journal.store.DamagedFile
    signatures: dict[str, Signature] | None = None
    entries: Path | None = None
    refresh: Callable[[Path, list[Any]], dict[str, Any] | None] | None = None
    _checked: set[str] = field(default_factory=set)

    def record(self, name: str) -> dict[str, Any] | None:
        """The record of entry file ``name``, or None."""
        sigs, entries, refresh = self.signatures, self.entries, self.refresh
        if sigs is not None and entries is not None and refresh is not None and name not in self._checked:
            self._checked.add(name)
            # A string path: this runs for every record of an export, and Path joins cost.
            if name in self.records and _signature(os.path.join(entries, name)) != sigs.get(name):  # noqa: PTH118
                self.records[name] = refresh(entries / name, self.damaged)
        found = self.records.get(name)
        if isinstance(found, str):
            found = self.records[name] = json.loads(found)
        return found

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every record, by file name (each parsed as it comes)."""
        for name in list(self.records):
            record = self.record(name)
            if record is not None:
                yield name, record

    def items_named(self, prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The records of the entry files whose names start with ``prefix`` ("note-")."""
        for name in [n for n in self.records if n.startswith(prefix)]:
            record = self.record(name)
            if record is not None:
                yield name, record

    def answered(self) -> Mapping[Section, set[str]]:
        """For each section with answers, the ids of the questions answered."""
        return _Answered(self)

    def marked(self) -> list[tuple[Section, str, int]]:
        """Answers still marked for a privacy review: section, question id, position."""
        return [
            (Section(r["kind"], r["ref"]), qid, position)
            for _, r in sorted(self.items())
            for qid, position in r["review"]
        ]

    def notes(self) -> list[NoteSummary]:
        """The notes, as :func:`reflectkit.journal.notes.summaries` lists them."""
        from reflectkit import sections

        found = [
            NoteSummary(
                id=r["ref"],
                title=r["note"]["title"],
                event_date=date.fromisoformat(r["note"]["event_date"]),
                model=r["note"]["model"],
                answered=len(r["answered"]),
                tags=tuple(r.get("tags", ())),
                minutes=r["note"]["minutes"],
            )
            for _, r in self.items_named("note-")
            if r["kind"] == "note" and "note" in r
        ]
        return sorted(found, key=lambda s: sections.order(Section("note", s.id), None))


def _load(journal_path: Path) -> tuple[dict[str, Any], int] | None:
    """The stored summary with its log of later saves applied, and how many saves the log
    holds; None when there is none (or it is not one reflectkit can read)."""
    try:
        raw = fileio.read_regular(journal_path / SUMMARY_FILE, MAX_SUMMARY_BYTES).decode("utf-8")
        head, _, body = raw.partition("\n")
        data = json.loads(head)
        if not (isinstance(data, dict) and data.get("format") in (1, 2, FORMAT)):
            return None
        if data["format"] == FORMAT:
            data["records"] = _records(body)
        records, sigs = data["records"], data["signatures"]
        if not (isinstance(records, dict) and isinstance(sigs, dict)):
            return None
        if data["format"] == 1:  # signatures as [inode, size, time]
            data["signatures"] = sigs = {n: ":".join(map(str, s)) for n, s in sigs.items()}
        try:
            log = fileio.read_regular(journal_path / LOG_FILE, MAX_SUMMARY_BYTES)
        except FileNotFoundError:
            log = b""
    except (OSError, ValueError, KeyError, BadDataError):
        return None
    lines = log.split(b"\n")
    for line in lines[:-1]:  # a last line without its newline was cut short: left out
        try:
            change = json.loads(line)
            sig = change["sig"]
            records[change["name"]] = change["record"]
            sigs[change["name"]] = sig if isinstance(sig, str) else ":".join(map(str, sig))
        except (ValueError, KeyError, TypeError):
            continue  # its entry's signature then does not match: the summary is rebuilt
    return data, len(lines) - 1


def read(journal_path: Path, current: dict[str, Signature]) -> Summary | None:
    """The stored summary if it was made from exactly the entries there now, else None."""
    loaded = _load(journal_path)
    if loaded is None:
        return None
    data, _ = loaded
    if data["signatures"] != current or set(data["records"]) != set(current):
        return None
    return Summary(data["records"])


def _records(body: str) -> dict[str, str]:
    """The record lines after the header: name (a JSON string, so it never holds a raw tab
    or newline) and record text, split at the first tab. Raises ValueError on a line that
    is not one."""
    if body and not body.endswith("\n"):
        raise ValueError("cut short")
    records: dict[str, str] = {}
    for line in body[:-1].split("\n") if body else ():
        name, tab, text = line.partition("\t")
        if not tab or len(name) < 2 or name[0] != '"' or name[-1] != '"':
            raise ValueError("not a record line")
        records[json.loads(name) if "\\" in name else name[1:-1]] = text
    return records


def read_as_used(
    journal_path: Path, entries: Path, refresh: Callable[[Path, list[Any]], dict[str, Any] | None]
) -> Summary | None:
    """The stored summary if it names exactly the entry files there now, else None. Each
    entry is checked against its signature when its record is looked up; ``refresh(path,
    damaged)`` makes a changed entry's record again (None, and the file named in
    ``damaged``, when it cannot be read)."""
    loaded = _load(journal_path)
    if loaded is None:
        return None
    data, _ = loaded
    present = entry_names(entries)
    if set(data["signatures"]) != present or set(data["records"]) != present:
        return None
    return Summary(data["records"], signatures=data["signatures"], entries=entries, refresh=refresh)


def build(units: Iterable[tuple[str, Unit]]) -> Summary:
    """A summary of ``units`` (file name, unit)."""
    return Summary({name: record_of(unit) for name, unit in units})


def _text(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write(journal_path: Path, temps: Path, records: dict[str, Any], sigs: dict[str, Signature]) -> None:
    """Replace the stored summary and empty its log (call with the journal's lock held).

    It is a cache, so it is not forced to disk: after a power cut it may be stale or gone,
    and is then rebuilt. The log is emptied after the summary is replaced: a stop between
    the two leaves changes that are already in the summary, which apply again harmlessly.
    """
    head = json.dumps({"format": FORMAT, "signatures": sigs}, ensure_ascii=False, separators=(",", ":"))
    lines = [head]
    for name, record in records.items():
        text = record if isinstance(record, str) else _text(record)
        lines.append(f"{json.dumps(name, ensure_ascii=False)}\t{text}")
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    fileio.write_atomic(journal_path / SUMMARY_FILE, payload, temp_dir=temps, durable=False)
    with contextlib.suppress(FileNotFoundError):
        fd = fileio.open_regular(journal_path / LOG_FILE, os.O_WRONLY)
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)


def saved(journal_path: Path, temps: Path, name: str, unit: Unit, rebuild: Any) -> None:
    """After a save of entry ``name`` (call with the lock held): note it in the summary's
    log, so a save costs the same however large the journal; once the log has grown, it is
    folded into the summary. With no summary yet, ``rebuild()`` gives every entry's
    (name, unit), read from the files, and the summary is made from them."""
    try:
        logged = os.lstat(journal_path / LOG_FILE).st_size
        os.lstat(journal_path / SUMMARY_FILE)
    except FileNotFoundError:
        logged = -1 if not (journal_path / SUMMARY_FILE).exists() else 0
    if logged < 0:
        sigs_now = signatures(journal_path / "entries")  # before reading: a change meanwhile shows
        records = build(rebuild()).records
        write(journal_path, temps, records, {n: s for n, s in sigs_now.items() if n in records})
        return
    st = os.lstat(journal_path / "entries" / name)
    sig = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
    loaded = _load(journal_path) if logged >= FOLD_BYTES else None
    if loaded is not None:
        data, _ = loaded
        data["records"][name], data["signatures"][name] = record_of(unit), sig
        write(journal_path, temps, data["records"], data["signatures"])
        return
    line = json.dumps({"name": name, "sig": sig, "record": record_of(unit)}, ensure_ascii=False)
    fd = fileio.open_regular(journal_path / LOG_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line.encode("utf-8") + b"\n")
    finally:
        os.close(fd)
