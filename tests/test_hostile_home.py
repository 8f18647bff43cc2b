"""The store in a home that is not quite ours: shared folders, odd files, hand edits, far dates."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reflectkit import paths
from reflectkit.config import editing, load_config
from reflectkit.content.loader import load_workbook
from reflectkit.errors import BadDataError, LockedError, NotFoundError, ReflectkitError, UsageError
from reflectkit.journal import cycles
from reflectkit.journal.models import Section
from reflectkit.journal.sectionfile import UnsealedFileError
from reflectkit.journal.store import Journal, Store, answered_ids

pytestmark = pytest.mark.posix

CASE = Section("case", "first-home-visit")
OTHER = Section("stage", "1")
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions, FIFOs and symlinks")


def save(journal: Journal, qid: str, value: str, section: Section = CASE) -> None:
    journal.save_answer(section, qid, question=f"Question {qid}?", kind="text", value=value, now=NOW)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """A blocking open() fails the test after a few seconds instead of hanging the run."""

    def on_alarm(signum: int, frame: object) -> None:
        # pytest.fail, not TimeoutError: an OSError could be caught and reported as a skip.
        pytest.fail("reflectkit blocked on a file that is not a regular file")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# -- 11.1 A home that is not ours -----------------------------------------------------------
@posix_only
@pytest.mark.parametrize(
    ("mode", "reason"),
    [(0o1777, "shared"), (0o777, "anyone"), (0o770, "group"), (0o1700, "shared")],
)
def test_a_shared_folder_is_never_a_home_and_is_left_as_it_is(tmp_path: Path, mode: int, reason: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    with pytest.raises(UsageError) as caught:
        Store(shared).prepare(create=True)
    message = str(caught.value)
    assert reason in message
    assert f"--home {shared / 'reflectkit'}" in message
    assert mode_of(shared) == mode, "an existing home folder was chmod-ed"
    assert tree(shared) == []
    with pytest.raises(UsageError):
        Store(shared).prepare(create=False)


@posix_only
def test_a_folder_inside_a_shared_one_is_made_private_and_then_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    store = Store(shared / "reflectkit")
    store.prepare(create=True)
    assert mode_of(store.home) == 0o700
    assert mode_of(shared) == 0o1777
    Store(shared / "reflectkit").prepare(create=True)  # the second run accepts what the first made


@posix_only
def test_an_existing_private_folder_is_used_without_chmod(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o755)  # readable by others but nobody else can write: private enough to hold ours
    store = Store(mine)
    store.prepare(create=True)
    assert mode_of(mine) == 0o755
    assert mode_of(store.journals_dir) == 0o700
    assert mode_of(store.local_cases) == 0o700


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_folder_owned_by_another_account_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 54321, 54321)
    with pytest.raises(UsageError, match="another user"):
        Store(theirs).prepare(create=True)
    assert tree(theirs) == []


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_link_made_by_another_account_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(mine)
    os.lchown(link, 54321, 54321)
    with pytest.raises(UsageError, match="link that belongs to another"):
        Store(link).prepare(create=True)
    assert tree(mine) == []
    Store(mine).prepare(create=True)


def test_a_file_named_as_home_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    with pytest.raises(ReflectkitError, match="not a folder"):
        Store(file).prepare(create=True)
    assert file.read_text() == "mine"


def test_opening_to_read_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "never-made"
    store = Store.open(missing, create=False)
    assert store.journal_names() == []
    with pytest.raises(NotFoundError):
        store.journal("default")
    assert load_config(store.config_path).names == []
    assert load_workbook(store.local_cases).skipped == []
    assert not missing.exists()

    empty = tmp_path / "empty"
    empty.mkdir(mode=0o700)
    store = Store.open(empty, create=False)
    assert store.journal_names() == []
    assert tree(empty) == []


@posix_only
def test_reading_an_existing_journal_touches_nothing(store: Store) -> None:
    journal = store.journal("default", create=True)
    save(journal, "q", "x")
    journal.entries.chmod(0o755)
    journal.unit_path(CASE).chmod(0o644)
    before = {p: (p.lstat().st_mode, p.lstat().st_mtime_ns) for p in store.home.rglob("*")}
    reader = Store.open(store.home, create=False)
    jr = reader.journal("default")
    assert [u.ref for u in jr.scan()] == [CASE.ref]
    assert answered_ids(jr) == {CASE: {"q"}}
    assert cycles.read_cycles(jr.path) == []
    after = {p: (p.lstat().st_mode, p.lstat().st_mtime_ns) for p in store.home.rglob("*")}
    assert after == before


# -- 11.3 and 11.4 Odd files --------------------------------------------------------------
@posix_only
def test_an_entry_file_that_is_a_fifo_is_reported_not_waited_for(journal: Journal, hang_guard: None) -> None:
    save(journal, "q", "kept", OTHER)
    fifo = journal.unit_path(CASE)
    os.mkfifo(fifo)
    with pytest.raises(BadDataError, match="FIFO") as caught:
        journal.load(CASE)
    assert str(fifo) in str(caught.value)
    with pytest.raises(BadDataError):
        save(journal, "q", "new text")
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was not left alone"
    scan = journal.scan()
    assert [u.ref for u in scan] == [OTHER.ref]
    assert [d.path for d in scan.damaged] == [fifo]


@posix_only
def test_settings_and_schedule_that_are_fifos_are_reported(store: Store, hang_guard: None) -> None:
    journal = store.journal("default", create=True)
    os.mkfifo(store.config_path)
    os.mkfifo(journal.path / "schedule.toml")
    with pytest.raises(BadDataError, match=r"config\.toml"):
        load_config(store.config_path)
    with pytest.raises(BadDataError, match=r"config\.toml"), editing(store.config_path):
        pass
    with pytest.raises(BadDataError, match=r"schedule\.toml"):
        cycles.read_cycles(journal.path)
    assert stat.S_ISFIFO(store.config_path.lstat().st_mode)


@posix_only
def test_odd_local_case_studies_are_skipped_with_a_warning(
    store: Store, tmp_path: Path, hang_guard: None
) -> None:
    os.mkfifo(store.local_cases / "pipe.toml")
    outside = tmp_path / "outside.toml"
    outside.write_text("schema_version = 1\n")
    (store.local_cases / "linked.toml").symlink_to(outside)
    (store.local_cases / "folder.toml").mkdir()
    report = load_workbook(store.local_cases)
    skipped = "\n".join(str(e) for e in report.skipped)
    for name in ("pipe.toml", "linked.toml", "folder.toml"):
        assert name in skipped
    assert len(report.skipped) == 3


@posix_only
def test_an_entry_symlinked_outside_the_home_is_refused(journal: Journal, tmp_path: Path) -> None:
    save(journal, "q", "mine")
    outside = tmp_path / "outside.toml"
    outside.write_bytes(journal.unit_path(CASE).read_bytes())
    journal.unit_path(CASE).unlink()
    journal.unit_path(CASE).symlink_to(outside)
    with pytest.raises(BadDataError, match="symbolic link"):
        journal.load(CASE)
    with pytest.raises(BadDataError):
        save(journal, "q", "other")
    assert journal.unit_path(CASE).is_symlink()
    scan = journal.scan()
    assert list(scan) == []
    assert [d.path.name for d in scan.damaged] == [CASE.filename]


@posix_only
def test_the_lock_holder_never_follows_a_symlink(journal: Journal, tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("do not overwrite")
    holder = journal.path / ".lock-holder"
    holder.unlink(missing_ok=True)
    holder.symlink_to(target)
    with pytest.raises(BadDataError, match=r"\.lock-holder"):
        save(journal, "q", "x")
    assert target.read_text() == "do not overwrite"
    assert holder.is_symlink()


@posix_only
def test_a_settings_file_symlinked_elsewhere_is_refused(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "other.toml"
    target.write_text('names = ["x"]\n')
    store.config_path.symlink_to(target)
    with pytest.raises(BadDataError, match="symbolic link"):
        load_config(store.config_path)


def test_a_folder_where_an_entry_file_should_be_is_reported(journal: Journal) -> None:
    journal.entries.mkdir(exist_ok=True)
    journal.unit_path(CASE).mkdir()
    with pytest.raises(BadDataError, match="folder"):
        journal.load(CASE)


# -- 11.8 Permissions re-checked ------------------------------------------------------------
@posix_only
def test_loose_permissions_are_tightened_on_a_run_that_writes_and_reported(home: Path) -> None:
    store = Store.open(home, create=True)
    journal = store.journal("default", create=True)
    save(journal, "q", "x")
    save(journal, "q", "x", OTHER)
    drafts = home / "drafts"
    drafts.mkdir(mode=0o700)
    entry = journal.unit_path(CASE)
    entry.chmod(0o644)
    drafts.chmod(0o755)
    journal.entries.chmod(0o755)
    (journal.path / "journal.toml").chmod(0o640)
    untouched = journal.unit_path(OTHER)
    untouched.chmod(0o644)

    again = Store.open(home, create=True)
    jr = again.journal("default", create=True)
    save(jr, "q", "y")
    assert mode_of(entry) == 0o600
    assert mode_of(drafts) == 0o700
    assert mode_of(journal.entries) == 0o700
    assert mode_of(journal.path / "journal.toml") == 0o600
    assert mode_of(untouched) == 0o644, "every entry was walked: only written files are re-checked"
    assert set(again.tightened) == {entry, drafts, journal.entries, journal.path / "journal.toml"}

    third = Store.open(home, create=True)
    save(third.journal("default", create=True), "q", "z")
    assert third.tightened == []


# -- 11.11 Hand edits -------------------------------------------------------------------------
def _hand_edit(journal: Journal, old: str, new: str, section: Section = CASE) -> Path:
    path = journal.unit_path(section)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_a_hand_edit_is_named_and_the_rest_still_reads(journal: Journal) -> None:
    save(journal, "q", "I went to teh school")
    save(journal, "q", "stage answer", OTHER)
    path = _hand_edit(journal, "teh", "the")
    with pytest.raises(UnsealedFileError) as caught:
        journal.load(CASE)
    assert str(path) in str(caught.value)
    assert "reflectkit journal accept-edit" in str(caught.value)
    scan = journal.scan()
    assert [u.ref for u in scan] == [OTHER.ref]
    (damaged,) = scan.damaged
    assert damaged.path == path and damaged.hand_edited
    assert damaged.command == f"reflectkit journal accept-edit {path}"
    assert answered_ids(journal.scan()) == {OTHER: {"q"}}


def test_saving_into_a_hand_edited_section_waits_for_accept_edit(journal: Journal) -> None:
    save(journal, "q", "I went to teh school")
    path = _hand_edit(journal, "teh", "the")
    edited = path.read_bytes()
    with pytest.raises(BadDataError, match="accept-edit"):
        save(journal, "q2", "more")
    assert path.read_bytes() == edited

    report = journal.inspect_edit(path)
    assert not report.matched
    assert [(qid, a.value) for qid, a in report.answers] == [("q", "I went to the school")]
    assert path.read_bytes() == edited, "inspecting wrote something"
    accepted = journal.accept_edit(path, seen=report.fingerprint)
    assert accepted.written
    unit = journal.load(CASE)
    assert unit is not None and unit.answers["q"].value == "I went to the school"
    save(journal, "q2", "more")
    assert journal.inspect_edit(path).matched


def test_accepting_a_file_that_changed_again_since_it_was_shown_is_refused(journal: Journal) -> None:
    save(journal, "q", "teh alpha")
    path = _hand_edit(journal, "teh", "the")
    report = journal.inspect_edit(path)
    _hand_edit(journal, "alpha", "omega")
    with pytest.raises(BadDataError, match="changed again"):
        journal.accept_edit(path, seen=report.fingerprint)
    with pytest.raises(UnsealedFileError):
        journal.load(CASE)


def test_accept_edit_takes_a_bare_file_name_and_refuses_other_files(journal: Journal, tmp_path: Path) -> None:
    save(journal, "q", "teh")
    _hand_edit(journal, "teh", "the")
    assert journal.accept_edit(CASE.filename).written
    stray = tmp_path / CASE.filename
    stray.write_text("x = 1\n")
    with pytest.raises(UsageError, match="entry file"):
        journal.inspect_edit(stray)
    with pytest.raises(UsageError):
        journal.inspect_edit(journal.path / "journal.toml")


def test_accept_edit_reports_answers_removed_by_hand(journal: Journal) -> None:
    save(journal, "q1", "one")
    save(journal, "q2", "two")
    path = journal.unit_path(CASE)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("[answers.q2]")], encoding="utf-8")
    with pytest.raises(UnsealedFileError, match=r"cut short.*line \d+") as caught:
        journal.load(CASE)
    assert str(path) in str(caught.value)
    report = journal.inspect_edit(path)
    assert (report.count_said, report.count_found) == (2, 1)


def test_a_file_cut_mid_value_names_a_line(journal: Journal) -> None:
    save(journal, "q", "a long answer " * 20)
    path = journal.unit_path(CASE)
    raw = path.read_bytes()
    path.write_bytes(raw[: raw.index(b"a long answer") + 30])
    with pytest.raises(BadDataError, match=r"line \d+, column \d+") as caught:
        journal.load(CASE)
    with pytest.raises(BadDataError, match=r"line \d+"):
        journal.inspect_edit(path)
    assert "cut short" in str(caught.value)


# -- 11.13 The small ones ---------------------------------------------------------------------
def test_a_busy_message_does_not_name_a_process_that_has_ended(journal: Journal) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(ended.stdout)
    with journal.locked():
        (journal.path / ".lock-holder").write_text(f"reflectkit (process {pid})")
        with pytest.raises(LockedError) as caught, Journal(journal.path, journal.name).locked(timeout=0.2):
            pass
    assert str(pid) not in str(caught.value)
    assert "another reflectkit" in str(caught.value)


def test_a_relative_home_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REFLECTKIT_HOME", "relative/home")
    assert paths.data_home() == tmp_path / "relative" / "home"
    assert paths.data_home("other") == tmp_path / "other"
    monkeypatch.delenv("REFLECTKIT_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", "xdg")
    assert paths.data_home().is_absolute()


# -- 11.2 Dates that cannot be planned ----------------------------------------------------------
@pytest.mark.parametrize("value", ["9999-12-20", "1999-12-31", "0001-01-01", "9001-01-01"])
def test_today_is_range_checked(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("REFLECTKIT_TODAY", value)
    with pytest.raises(UsageError, match="2000"):
        paths.today()


def test_today_accepts_the_edges_of_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("2000-01-01", "9000-12-31"):
        monkeypatch.setenv("REFLECTKIT_TODAY", value)
        assert paths.today() == date.fromisoformat(value)


@pytest.mark.parametrize("started", [date(9999, 12, 20), date(9999, 12, 31), date(1999, 12, 31)])
def test_a_cycle_that_cannot_be_planned_is_not_saved(journal: Journal, started: date) -> None:
    cycles.start_cycle(journal.path, date(2026, 11, 23))
    before = (journal.path / "schedule.toml").read_bytes()
    with journal.locked(), pytest.raises(UsageError, match="2000"):
        cycles.start_cycle(journal.path, started)
    assert (journal.path / "schedule.toml").read_bytes() == before
    with pytest.raises(UsageError):
        cycles.mark(journal.path, 1, "week-1", done=date(9999, 12, 31))
    assert (journal.path / "schedule.toml").read_bytes() == before


@pytest.mark.parametrize(
    "body",
    [
        "[[cycles]]\nnumber = 1\nstarted = 9999-12-20\n",
        "[[cycles]]\nnumber = 1\nstarted = 1900-01-01\n",
        "[[cycles]]\nnumber = 1\nstarted = 2026-11-23\ndone = { week-1 = 9999-12-31 }\n",
        "cycles = 3\n",
        "cycles = [1, 2]\n",
    ],
)
def test_a_schedule_that_cannot_be_planned_is_reported_naming_the_file(journal: Journal, body: str) -> None:
    path = journal.path / "schedule.toml"
    path.write_text("schema_version = 1\n" + body)
    with pytest.raises(BadDataError) as caught:
        cycles.read_cycles(journal.path)
    assert str(path) in str(caught.value)


def test_a_home_under_a_file_is_refused_clearly(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    for create in (True, False):
        with pytest.raises(ReflectkitError, match=r"notes\.txt"):
            Store(file / "reflectkit").prepare(create=create)
    assert file.read_text() == "mine"
