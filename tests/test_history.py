"""Earlier versions live in a history file beside their section file: a save appends one
line, a stopped save leaves the old answer or the new one, damage is named, forgetting
leaves no copy, and journals that kept their history inline read and move it out."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflectkit import fileio
from reflectkit.errors import BadDataError, StorageError
from reflectkit.journal.history import history_path, read_unit
from reflectkit.journal.models import Answer, Earlier, Section, Unit, dump_unit
from reflectkit.journal.sectionfile import UnsealedFileError
from reflectkit.journal.store import Journal

CASE = Section("case", "first-home-visit")
OTHER = Section("stage", "1")
START = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def at(n: int) -> datetime:
    return START + timedelta(minutes=n)


def save(journal: Journal, value: str, n: int, qid: str = "q", section: Section = CASE) -> None:
    journal.save_answer(section, qid, question="Q?", kind="text", value=value, now=at(n))


def versions(journal: Journal, qid: str = "q") -> list[object]:
    """The answer's current text, then its earlier versions, newest first."""
    unit = journal.load(CASE)
    assert unit is not None
    answer = unit.answers[qid]
    return [answer.value, *reversed([e.value for e in answer.history])]


def hfile(journal: Journal) -> Path:
    return history_path(journal.unit_path(CASE))


def long_history(journal: Journal, count: int) -> None:
    """An answer with ``count`` earlier versions, written as a move from inline would."""
    history = [Earlier(value=f"old {n}", created=at(n), replaced=at(n + 1)) for n in range(count)]
    unit = Unit(section=CASE.kind, ref=CASE.ref)
    unit.answers["q"] = Answer(
        question="Q?", kind="text", value="now", created=at(0), updated=at(count), history=history
    )
    with journal.locked():
        journal.write_unit(CASE, unit)


def fail_section_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Section files can no longer be replaced, as if the run stopped just before."""
    real = fileio.write_atomic

    def write_atomic(path: Path, payload: bytes, **kwargs: object) -> bool:
        if path.suffix == ".toml":
            raise StorageError(f"Could not save {path}: stopped.")
        return real(path, payload, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fileio, "write_atomic", write_atomic)


# -- The layout ------------------------------------------------------------------------------
def test_earlier_versions_go_to_the_history_file_one_line_each(journal: Journal) -> None:
    for n in range(4):
        save(journal, f"version {n}", n)
    assert versions(journal) == ["version 3", "version 2", "version 1", "version 0"]
    lines = hfile(journal).read_bytes().splitlines()
    assert len(lines) == 1 + 3  # the file's first line, then one per earlier version
    assert [json.loads(line)["value"] for line in lines[1:]] == ["version 0", "version 1", "version 2"]
    section_text = journal.unit_path(CASE).read_text(encoding="utf-8")
    assert "version 0" not in section_text and "history = []" in section_text


def test_a_save_reads_only_the_ends_of_a_long_history(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_history(journal, 3000)
    size = hfile(journal).stat().st_size
    assert size > 100_000
    read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    save(journal, "newest", 5000)
    monkeypatch.undo()
    assert sum(read) < 32_000, "a save read the history"
    assert hfile(journal).stat().st_size > size
    assert versions(journal)[:3] == ["newest", "now", "old 2999"]
    assert len(versions(journal)) == 3002


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_comes_back_exactly_from_the_history_file(journal: Journal, text: str) -> None:
    save(journal, text, 0)
    save(journal, text + " (changed)", 1)
    save(journal, "\u2028\x85 lines of their own\r\n", 2)
    assert versions(journal)[1:3] == [text + " (changed)", text]  # earlier examples come after


def test_tables_and_choices_keep_their_shape_in_the_history_file(journal: Journal) -> None:
    journal.save_answer(CASE, "t", question="T", kind="table", value=[["a", "b"], ["", "c"]], now=at(0))
    journal.save_answer(CASE, "t", question="T", kind="table", value=[["a", "B"], ["", "c"]], now=at(1))
    journal.save_answer(CASE, "s", question="S", kind="statements", value=[1, 3], now=at(0))
    journal.save_answer(CASE, "s", question="S", kind="statements", value=[2], now=at(1))
    assert versions(journal, "t") == [[["a", "B"], ["", "c"]], [["a", "b"], ["", "c"]]]
    assert versions(journal, "s") == [[2], [1, 3]]
    unit = journal.load(CASE)
    assert unit is not None and unit.answers["s"].history[0].created == at(0)


@pytest.mark.posix
def test_the_history_file_is_private_under_umask_022(journal: Journal) -> None:
    old = os.umask(0o022)
    try:
        save(journal, "one", 0)
        save(journal, "two", 1)
        save(journal, "three", 2)
    finally:
        os.umask(old)
    assert stat.S_IMODE(hfile(journal).stat().st_mode) == 0o600


# -- A save that stops part-way ---------------------------------------------------------------
def test_a_torn_last_line_is_ignored_and_cut_off_by_the_next_save(journal: Journal) -> None:
    for n in range(3):
        save(journal, f"version {n}", n)
    with hfile(journal).open("ab") as fh:
        fh.write(b'{"q":"q","value":"version 2 again, cut sh')
    assert versions(journal) == ["version 2", "version 1", "version 0"]
    save(journal, "version 3", 3)
    assert versions(journal) == ["version 3", "version 2", "version 1", "version 0"]
    assert b"cut sh" not in hfile(journal).read_bytes()


def test_a_line_appended_before_a_stop_is_not_used_and_never_doubled(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        save(journal, f"version {n}", n)
    before = hfile(journal).stat().st_size
    fail_section_writes(monkeypatch)
    with pytest.raises(StorageError):
        save(journal, "lost in the stop", 3)
    monkeypatch.undo()
    assert hfile(journal).stat().st_size > before, "the old version was not appended first"
    assert versions(journal) == ["version 2", "version 1", "version 0"]
    save(journal, "version 3", 4)
    assert versions(journal) == ["version 3", "version 2", "version 1", "version 0"]


def test_a_first_move_that_stops_leaves_the_section_file_in_charge(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(journal, "version 0", 0)
    fail_section_writes(monkeypatch)
    with pytest.raises(StorageError):
        save(journal, "version 1", 1)
    monkeypatch.undo()
    assert hfile(journal).exists()  # written, but named by no section file: not used
    assert versions(journal) == ["version 0"]
    journal.save_answer(CASE, "q", question="Q?", kind="text", value="clean", keep_history=False)
    assert not hfile(journal).exists(), "a copy of a version stayed on disk"
    assert versions(journal) == ["clean"]


# -- Damage is named, and nothing is written over it ------------------------------------------
def _damage(journal: Journal, line: int, old: bytes, new: bytes) -> None:
    path = hfile(journal)
    lines = path.read_bytes().split(b"\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path.write_bytes(b"\n".join(lines))


def test_a_changed_line_is_named_and_can_be_accepted(journal: Journal) -> None:
    for n in range(4):
        save(journal, f"version {n}", n)
    save(journal, "kept", 0, section=OTHER)
    _damage(journal, 3, b"version 1", b"version ONE")
    with pytest.raises(UnsealedFileError, match="line 3") as caught:
        journal.load(CASE)
    assert str(hfile(journal)) in str(caught.value)
    scan = journal.scan()
    assert [u.key for u in scan] == [OTHER]
    (damaged,) = scan.damaged
    assert damaged.hand_edited and damaged.command.endswith(str(journal.unit_path(CASE)))

    report = journal.inspect_edit(hfile(journal).name)  # the history file names its section
    assert not report.matched
    assert [e.value for e in report.answers[0][1].history][1] == "version ONE"
    assert journal.accept_edit(report.path, seen=report.fingerprint).written
    assert versions(journal) == ["version 3", "version 2", "version ONE", "version 0"]


@pytest.mark.parametrize("how", ["cut at a line", "cut mid-line", "missing", "newer", "not json"])
def test_a_damaged_history_file_is_reported_by_name_and_never_rewritten(journal: Journal, how: str) -> None:
    for n in range(4):
        save(journal, f"version {n}", n)
    path = hfile(journal)
    raw = path.read_bytes()
    if how == "cut at a line":
        path.write_bytes(raw[: raw.rindex(b"\n", 0, len(raw) - 1) + 1])
    elif how == "cut mid-line":
        path.write_bytes(raw[: len(raw) - 30])
    elif how == "missing":
        path.unlink()
    elif how == "newer":
        path.write_bytes(raw.replace(b'{"history":1,', b'{"history":2,', 1))
    else:
        path.write_bytes(raw.replace(b"version 1", b'versio"]]', 1))  # the same length
    damaged = path.read_bytes() if path.exists() else None
    with pytest.raises(BadDataError) as caught:
        journal.load(CASE)
    assert str(path) in str(caught.value)
    with pytest.raises(BadDataError):
        journal.forget(CASE, "q", earlier={0})  # a rewrite reads it all first
    assert (path.read_bytes() if path.exists() else None) == damaged
    if how == "not json":  # a save reads only the file's ends: it appends after a sound last line
        save(journal, "version 4", 4)
        with pytest.raises(UnsealedFileError, match="line 3"):
            journal.load(CASE)
    else:
        with pytest.raises(BadDataError):
            save(journal, "version 4", 4)
        assert (path.read_bytes() if path.exists() else None) == damaged


def test_a_history_file_that_is_a_link_is_not_followed(journal: Journal, tmp_path: Path) -> None:
    save(journal, "version 0", 0)
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text("not ours\n")
    hfile(journal).symlink_to(outside)
    with pytest.raises(BadDataError, match="symbolic link"):
        save(journal, "version 1", 1)
    assert outside.read_text() == "not ours\n"
    assert versions(journal) == ["version 0"]


# -- Forgetting leaves no copy -----------------------------------------------------------------
def test_forgetting_removes_the_text_from_the_history_file(journal: Journal) -> None:
    save(journal, "Mrs Begum, NHS 943 476 5919", 0)
    save(journal, "the mother", 1)
    save(journal, "the mother, later", 2)
    assert b"Begum" in hfile(journal).read_bytes()
    assert journal.forget(CASE, "q", earlier={0}) == 1
    assert b"Begum" not in hfile(journal).read_bytes()
    assert versions(journal) == ["the mother, later", "the mother"]


def test_forgetting_the_current_text_leaves_no_copy_from_a_stopped_save(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(journal, "first", 0)
    save(journal, "Call Amira on 07700 900123", 1)
    fail_section_writes(monkeypatch)
    with pytest.raises(StorageError):
        save(journal, "replacing it", 2)  # its old version was appended, then the run stopped
    monkeypatch.undo()
    assert b"Amira" in hfile(journal).read_bytes()
    assert journal.forget(CASE, "q", current=True) == 1
    assert versions(journal) == ["first"]
    assert b"Amira" not in hfile(journal).read_bytes() + journal.unit_path(CASE).read_bytes()


def test_a_forget_that_stops_before_the_section_file_leaves_the_old_state(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        save(journal, f"version {n}", n)
    fail_section_writes(monkeypatch)
    with pytest.raises(StorageError):
        journal.forget(CASE, "q", current=True)
    monkeypatch.undo()
    assert versions(journal) == ["version 2", "version 1", "version 0"]
    assert journal.forget(CASE, "q", current=True) == 1
    assert versions(journal) == ["version 1", "version 0"]
    save(journal, "version 3", 3)
    assert versions(journal) == ["version 3", "version 1", "version 0"]


def test_unknown_fields_of_an_earlier_version_are_kept(journal: Journal) -> None:
    save(journal, "version 0", 0)
    save(journal, "version 1", 1)
    save(journal, "version 2", 2)

    def tag(unit: Unit) -> None:
        unit.answers["q"].history[0].model_extra["mood"] = "hopeful"

    journal.modify(CASE, tag)
    journal.forget(CASE, "q", earlier={1})
    unit = read_unit(journal.unit_path(CASE))
    assert [(e.value, e.model_extra) for e in unit.answers["q"].history] == [
        ("version 0", {"mood": "hopeful"})
    ]


# -- Journals from before: history kept inline -------------------------------------------------
def _inline_journal(journal: Journal, count: int) -> None:
    """A section file as earlier reflectkit wrote it, its history inside it."""
    history = [Earlier(value=f"inline {n}", created=at(n), replaced=at(n + 1)) for n in range(count)]
    unit = Unit(section=CASE.kind, ref=CASE.ref)
    unit.answers["q"] = Answer(
        question="Q?", kind="text", value="current", created=at(0), updated=at(count), history=history
    )
    journal.entries.mkdir(parents=True, exist_ok=True)
    fileio.write_toml(journal.unit_path(CASE), dump_unit(unit))


def test_an_inline_history_reads_and_moves_out_on_the_first_save(journal: Journal) -> None:
    _inline_journal(journal, 3)
    assert versions(journal) == ["current", "inline 2", "inline 1", "inline 0"]
    assert not hfile(journal).exists()
    save(journal, "newer", 10)
    assert versions(journal) == ["newer", "current", "inline 2", "inline 1", "inline 0"]
    assert "inline 0" not in journal.unit_path(CASE).read_text(encoding="utf-8")
    lines = hfile(journal).read_bytes().splitlines()
    assert len(lines) == 1 + 4
    save(journal, "newest", 11)  # from now on, one line appended per save
    assert len(hfile(journal).read_bytes().splitlines()) == 1 + 5


def _older_reflectkit_saves(journal: Journal) -> None:
    """Versions 0 and 1 saved by this reflectkit, then version 2 by an earlier one, which
    keeps the history file's table as it is and the version it replaced inline."""
    import tomllib

    import tomli_w

    from reflectkit.journal.models import checksum

    save(journal, "version 0", 0)
    save(journal, "version 1", 1)
    path = journal.unit_path(CASE)
    data = tomllib.loads(path.read_text(encoding="utf-8"))  # an older reflectkit saves "version 2"
    answer = data["answers"]["q"]
    answer["history"] = [{"value": answer["value"], "created": answer["updated"], "replaced": at(2)}]
    answer["value"], answer["updated"] = "version 2", at(2)
    data["checksum"] = checksum(data["answers"])
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def test_an_inline_history_added_by_an_older_reflectkit_comes_after_the_moved_one(journal: Journal) -> None:
    _older_reflectkit_saves(journal)
    path = journal.unit_path(CASE)
    assert versions(journal) == ["version 2", "version 1", "version 0"]
    save(journal, "version 3", 3)
    assert versions(journal) == ["version 3", "version 2", "version 1", "version 0"]
    assert "version 1" not in path.read_text(encoding="utf-8")


def test_a_move_that_stops_after_an_older_reflectkit_saved_leaves_no_extra_copy(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    _older_reflectkit_saves(journal)
    fail_section_writes(monkeypatch)
    with pytest.raises(StorageError):
        save(journal, "version 3", 3)
    monkeypatch.undo()
    assert versions(journal) == ["version 2", "version 1", "version 0"]


def test_search_finds_words_only_in_an_earlier_version(journal: Journal) -> None:
    from reflectkit.search import Query, candidates, parse_terms

    save(journal, "The interpreters never came.", 0)
    save(journal, "Nobody came at all.", 1)
    query = Query(terms=parse_terms(["interpreters"]))
    assert list(candidates([journal.unit_path(CASE)], query)) == [journal.unit_path(CASE)]
