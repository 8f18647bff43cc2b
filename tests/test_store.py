"""The journal store keeps every word: atomic writes, locks, damaged files, permissions."""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflectkit import fileio
from reflectkit.errors import BadDataError, StorageError, UsageError
from reflectkit.export import json_export
from reflectkit.export.document import gather
from reflectkit.journal.history import read_unit
from reflectkit.journal.models import Section, checksum
from reflectkit.journal.store import Journal, Store
from tests.conftest import run_in_processes

CASE = Section("case", "first-home-visit")
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def save(journal: Journal, qid: str, value: str, section: Section = CASE) -> None:
    journal.save_answer(section, qid, question=f"Question {qid}?", kind="text", value=value, now=NOW)


def test_answer_round_trips_with_history(journal: Journal) -> None:
    save(journal, "immediate", "first thoughts")
    save(journal, "immediate", "second thoughts")
    unit = journal.load(CASE)
    assert unit is not None
    answer = unit.answers["immediate"]
    assert answer.value == "second thoughts"
    assert [e.value for e in answer.history] == ["first thoughts"]
    assert answer.question == "Question immediate?"
    assert answer.created.utcoffset() is not None


def test_unchanged_answer_adds_no_history(journal: Journal) -> None:
    save(journal, "q", "same")
    save(journal, "q", "same")
    unit = journal.load(CASE)
    assert unit is not None and unit.answers["q"].history == []


def test_keep_history_false_forgets_the_earlier_text(journal: Journal) -> None:
    save(journal, "q", "I met Amira at 12 Acacia Road")
    journal.save_answer(CASE, "q", question="Q", kind="text", value="I met the mother", keep_history=False)
    raw = journal.unit_path(CASE).read_text()
    assert "Acacia" not in raw


# -- Saving costs the same however large the journal ------------------------------------
def test_save_touches_only_its_own_section_file(journal: Journal) -> None:
    for n in range(30):
        save(journal, "q", f"answer {n}", Section("case", f"local-{n}"))
    before = {p.name: p.stat().st_mtime_ns for p in journal.entries.glob("*.toml")}
    time.sleep(0.01)
    save(journal, "q", "one more", Section("case", "local-7"))
    after = {p.name: p.stat().st_mtime_ns for p in journal.entries.glob("*.toml")}
    changed = [name for name in after if after[name] != before.get(name)]
    assert changed == ["case-local-7.toml"]


# -- Hostile text is stored exactly ------------------------------------------------------
HOSTILE = [
    "",
    "\x00nul\x00",
    "esc \x1b[31mred\x1b[0m",
    "crlf\r\nline\rcr",
    "quotes ' \" ''' \"\"\" \\ \\n",
    "emoji 😀👩🏽‍⚕️ and RTL \u202egnp.exe",
    "[/bold] [link=http://x]x[/link]",
    "x" * 200_000,
    "\ufeffbom inside",
    "tab\there\x7f\x85\x9b",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_round_trips(journal: Journal, text: str) -> None:
    save(journal, "q", text)
    unit = read_unit(journal.unit_path(CASE))
    assert unit.answers["q"].value == text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_round_trips_through_save_load_and_json(journal: Journal, text: str) -> None:
    save(journal, "q", text)
    unit = journal.load(CASE)
    assert unit is not None and unit.answers["q"].value == text
    doc = gather(journal.units(), None, journal="default", generated=date(2026, 11, 23))
    exported = json.loads(json_export.render(doc))
    assert exported["sections"][0]["answers"][0]["value"] == text


# -- Failures part-way through a write leave the original byte-identical ---------------
@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_failed_write_keeps_the_original(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    save(journal, "q", "the original")
    path = journal.unit_path(CASE)
    original = path.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    if where == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, fh: object) -> None:
                self.fh = fh

            def __enter__(self) -> Failing:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> int:
                raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(os, where, boom)
    with pytest.raises(StorageError):
        save(journal, "q", "the replacement")
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert not list(journal.temps.glob(fileio.TEMP_PREFIX + "*"))
    assert not list(journal.entries.glob(fileio.TEMP_PREFIX + "*"))


def test_leftover_temp_files_are_removed_on_the_next_save(journal: Journal) -> None:
    leftover = journal.temps / (fileio.TEMP_PREFIX + "abc.toml")
    journal.temps.mkdir(exist_ok=True)
    leftover.write_text("half a file")
    save(journal, "q", "x")
    assert not leftover.exists()


def test_full_disk_gives_a_clear_error_and_keeps_the_original(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(journal, "q", "the original")
    path = journal.unit_path(CASE)
    original = path.read_bytes()
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        save(journal, "q", "x" * 10_000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert path.read_bytes() == original


# -- Two processes saving at once -------------------------------------------------------
def _writer(home: str, tag: str, count: int) -> None:
    journal = Store(Path(home)).journal("default")
    for n in range(count):
        journal.save_answer(CASE, f"{tag}-{n}", question="Q", kind="text", value=f"{tag} answer {n}")


def test_two_processes_saving_200_answers_each_keep_all_400(journal: Journal, home: Path) -> None:
    run_in_processes(_writer, (str(home), "a", 200), (str(home), "b", 200))
    unit = journal.load(CASE)
    assert unit is not None
    assert len(unit.answers) == 400
    assert unit.answers["a-199"].value == "a answer 199"
    assert unit.answers["b-0"].value == "b answer 0"


# -- Files the store cannot trust are never overwritten --------------------------------
def _damaged_cases(good: bytes) -> dict[str, bytes]:
    return {
        "truncated": good[: len(good) * 2 // 3],
        "bom": b"\xef\xbb\xbf" + good,
        "invalid-utf8": good.replace(b"answer", b"ans\xffwer", 1),
        "oversized": good + b"#" * (9 * 1024 * 1024),
        "deeply-nested": b"x = " + b"[" * 100_000 + b"]" * 100_000,
        "dropped-answer": good.replace(b"[answers.q2]", b"[ignored]", 1),
    }


@pytest.mark.parametrize(
    "kind", ["truncated", "bom", "invalid-utf8", "oversized", "deeply-nested", "dropped-answer"]
)
def test_damaged_file_is_reported_and_never_overwritten(journal: Journal, kind: str) -> None:
    save(journal, "q1", "answer one")
    save(journal, "q2", "answer two")
    path = journal.unit_path(CASE)
    damaged = _damaged_cases(path.read_bytes())[kind]
    path.write_bytes(damaged)
    started = time.monotonic()
    with pytest.raises(BadDataError) as caught:
        journal.load(CASE)
    assert time.monotonic() - started < 1.0
    assert str(path) in str(caught.value)
    with pytest.raises(BadDataError):
        save(journal, "q3", "a new answer")
    assert path.read_bytes() == damaged


def test_syntax_error_names_line_and_column(journal: Journal) -> None:
    save(journal, "q", "x")
    path = journal.unit_path(CASE)
    path.write_text(path.read_text().replace('kind = "text"', 'kind = "text', 1))
    with pytest.raises(BadDataError, match=r"line \d+, column \d+"):
        journal.load(CASE)


# -- Fields from a newer version ---------------------------------------------------------
def _rewrite(path: Path, change: object) -> None:
    import tomllib

    import tomli_w

    data = tomllib.loads(path.read_text())
    change(data)  # type: ignore[operator]
    data["checksum"] = checksum(data["answers"])
    path.write_text(tomli_w.dumps(data))


def test_unknown_fields_survive_a_save(journal: Journal) -> None:
    save(journal, "q", "x")
    path = journal.unit_path(CASE)

    def add_fields(data: dict) -> None:  # type: ignore[type-arg]
        data["mood"] = "hopeful"
        data["answers"]["q"]["tags"] = ["family", "school"]

    _rewrite(path, add_fields)
    save(journal, "q", "changed")
    save(journal, "other", "y")
    import tomllib

    data = tomllib.loads(path.read_text())
    assert data["mood"] == "hopeful"
    assert data["answers"]["q"]["tags"] == ["family", "school"]
    assert data["answers"]["q"]["value"] == "changed"


def test_a_newer_format_is_read_but_not_written(journal: Journal) -> None:
    save(journal, "q", "x")
    path = journal.unit_path(CASE)
    _rewrite(path, lambda d: d.__setitem__("schema_version", 99))
    before = path.read_bytes()
    assert journal.load(CASE) is not None
    with pytest.raises(BadDataError, match="newer reflectkit"):
        save(journal, "q", "y")
    assert path.read_bytes() == before


@pytest.mark.posix
# -- Permissions and names ------------------------------------------------------------
def test_private_permissions_under_umask_022(home: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store(home)
        journal = store.journal("work", create=True)
        save(journal, "q", "x")
    finally:
        os.umask(old)
    for folder in (home, store.journals_dir, journal.path, journal.entries):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in (journal.unit_path(CASE), journal.path / "journal.toml"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


@pytest.mark.posix
def test_loose_permissions_are_tightened_on_a_run_that_writes(home: Path) -> None:
    journal = Store(home).journal("work", create=True)
    journal.path.chmod(0o755)
    (journal.path / "journal.toml").chmod(0o644)
    Store.open(home, create=False).journal("work")
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o755, "a run that only reads changed something"
    store = Store.open(home, create=True)
    store.journal("work", create=True)
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o700
    assert stat.S_IMODE((journal.path / "journal.toml").stat().st_mode) == 0o600
    assert store.tightened == [journal.path, journal.path / "journal.toml"]


@pytest.mark.parametrize(
    "name", ["../x", "/etc/x", "CON", "con", "nul", "a\x00b", "", "A", "-x", "x" * 65, "a/b", "é"]
)
def test_bad_journal_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(UsageError):
        store.journal(name, create=True)
    assert not (store.home.parent / "x").exists()


def test_a_symlink_out_of_the_folder_is_refused(store: Store, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (store.journals_dir / "escape").symlink_to(outside)
    with pytest.raises(UsageError, match="outside"):
        store.journal("escape")


def test_good_names_are_accepted(store: Store) -> None:
    for name in ("default", "work-2026", "team_a", "0"):
        assert store.journal(name, create=True).name == name


# -- The lock ------------------------------------------------------------------------
def test_a_held_lock_is_reported_with_who_holds_it(journal: Journal) -> None:
    with journal.locked(), pytest.raises(Exception) as caught:
        other = Journal(journal.path, journal.name)
        with other.locked(timeout=0.2):
            pass
    assert "busy" in str(caught.value)
    assert f"process {os.getpid()}" in str(caught.value)


def test_a_schedule_with_a_time_of_day_is_refused(journal: Journal) -> None:
    from reflectkit.journal.cycles import read_cycles

    (journal.path / "schedule.toml").write_text(
        "schema_version = 1\n[[cycles]]\nnumber = 1\nstarted = 2026-11-23T10:00:00\n"
    )
    with pytest.raises(BadDataError, match="without a time"):
        read_cycles(journal.path)


def test_forget_earlier_versions_or_the_whole_answer(journal: Journal) -> None:
    save(journal, "q", "Mrs Begum, NHS 943 476 5919")
    save(journal, "q", "the mother")
    save(journal, "other", "kept")
    assert journal.forget(CASE, "q", earlier={0}) == 1
    unit = journal.load(CASE)
    assert unit is not None and unit.answers["q"].history == [] and unit.answers["q"].value == "the mother"
    assert "Begum" not in journal.unit_path(CASE).read_text()
    assert journal.forget(CASE, "q", current=True) == 1
    unit = journal.load(CASE)
    assert unit is not None and set(unit.answers) == {"other"}


def test_unfinished_answers_do_not_count_as_answered(journal: Journal) -> None:
    from reflectkit.journal.store import answered_ids

    journal.save_answer(CASE, "q", question="Q", kind="text", value="half", unfinished=True)
    assert answered_ids(journal)[CASE] == set()
    save(journal, "q", "whole")
    assert answered_ids(journal)[CASE] == {"q"}


# -- The temp file a write starts with ------------------------------------------------
def test_a_write_starts_in_a_new_private_temp_file(tmp_path: Path) -> None:
    fd, name = fileio.new_temp(tmp_path, ".toml")
    os.close(fd)
    made = Path(name)
    assert made.parent == tmp_path and made.name.startswith(fileio.TEMP_PREFIX) and made.suffix == ".toml"
    if os.name != "nt":
        assert stat.S_IMODE(made.stat().st_mode) == 0o600


def test_a_temp_name_already_taken_is_never_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a file someone left there, and not a link someone planted: a new name is drawn."""
    taken = tmp_path / f"{fileio.TEMP_PREFIX}{bytes(6).hex()}.toml"
    taken.write_text("someone else's")
    planted = tmp_path / f"{fileio.TEMP_PREFIX}{bytes([1] * 6).hex()}.toml"
    target = tmp_path / "target"
    target.write_text("left alone")
    if os.name != "nt":
        planted.symlink_to(target)
    draws = iter([bytes(6), bytes([1] * 6), bytes([2] * 6)])
    monkeypatch.setattr(fileio.os, "urandom", lambda n: next(draws))
    fd, name = fileio.new_temp(tmp_path, ".toml")
    os.write(fd, b"mine")
    os.close(fd)
    assert Path(name).name == f"{fileio.TEMP_PREFIX}{bytes([2] * 6).hex()}.toml"
    assert taken.read_text() == "someone else's" and target.read_text() == "left alone"
