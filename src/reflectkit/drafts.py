"""Rescue drafts: an answer that could not be saved into the journal is kept here.

When a save is refused (a full disk, a damaged file, a journal that is busy), the text goes
to a private file in ``<home>/drafts/`` and the user is told where. A draft names the
journal, section and question it belongs to, so that ``start`` and the question itself can
offer it back, and it is removed as soon as that question's answer is saved. ``check``
looks inside drafts too: they may hold identifying text as much as the journal does.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reflectkit import fileio
from reflectkit.errors import BadDataError
from reflectkit.journal.models import Section

DRAFTS_DIR = "drafts"
DRAFT_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Draft:
    path: Path
    journal: str
    section: Section
    question_id: str
    question: str
    text: str
    saved: datetime


def _prefix(journal: str, section: Section, question_id: str) -> str:
    return f"{journal}--{section.kind}-{section.ref}--{question_id}--"


def save_draft(
    home: Path,
    *,
    journal: str,
    section: Section,
    question_id: str,
    question: str,
    text: str,
    now: datetime | None = None,
) -> Path:
    """Write ``text`` to a new private draft file, whole or not at all; return its path."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = home / DRAFTS_DIR
    fileio.ensure_private_dir(folder)
    stem = _prefix(journal, section, question_id) + now.strftime("%Y%m%dT%H%M%S")
    number = 1
    while (path := folder / f"{stem}-{number:03d}.toml").exists():
        number += 1
    doc = {
        "schema_version": DRAFT_SCHEMA_VERSION,
        "journal": journal,
        "section": section.kind,
        "ref": section.ref,
        "question_id": question_id,
        "question": question,
        "saved": now,
        "text": text,
    }
    # Written whole to a temp file and renamed: a full disk leaves no empty or cut-short draft.
    fileio.write_toml(path, doc)
    return path


def _read(path: Path) -> Draft:
    data = fileio.read_toml(path)
    try:
        return Draft(
            path=path,
            journal=str(data["journal"]),
            section=Section(data["section"], str(data["ref"])),
            question_id=str(data["question_id"]),
            question=str(data.get("question", "")),
            text=str(data["text"]),
            saved=data["saved"],
        )
    except (KeyError, TypeError) as exc:
        raise BadDataError(f"{path}: this draft is missing {exc}; it was left as it is.") from exc


def list_drafts(home: Path, *, journal: str | None = None) -> tuple[list[Draft], list[str]]:
    """Every readable draft (oldest first), and a message for each one that is not."""
    folder = home / DRAFTS_DIR
    found: list[Draft] = []
    problems: list[str] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith(fileio.TEMP_PREFIX):
            continue
        try:
            draft = _read(path)
        except (BadDataError, OSError) as exc:
            problems.append(str(exc))
            continue
        if journal is None or draft.journal == journal:
            found.append(draft)
    found.sort(key=lambda d: (d.saved, d.path.name))
    return found, problems


def drafts_for(home: Path, journal: str, section: Section, question_id: str) -> list[Draft]:
    """The drafts kept for one question, oldest first."""
    prefix = _prefix(journal, section, question_id)
    drafts, _ = list_drafts(home, journal=journal)
    return [d for d in drafts if d.path.name.startswith(prefix)]


def remove_drafts(home: Path, journal: str, section: Section, question_id: str) -> int:
    """Remove the drafts of one question, once its answer is safely saved; return how many."""
    folder = home / DRAFTS_DIR
    if not folder.is_dir():
        return 0
    gone = 0
    for path in folder.glob(_prefix(journal, section, question_id) + "*.toml"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            gone += 1
    return gone
