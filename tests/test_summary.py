"""The journal's summary: kept by saves, never trusted over the entries it was made from."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reflectkit.journal import summary
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal, Store, answered_ids

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CASE = Section("case", "first-home-visit")
OTHER = Section("case", "meeting-nobody-came-to")


def save(journal: Journal, section: Section, qid: str, value: str = "text", **flags: bool) -> None:
    journal.save_answer(section, qid, question=f"{qid}?", kind="text", value=value, now=NOW, **flags)


def truth(journal: Journal) -> dict[Section, set[str]]:
    """What the entries themselves say, read one by one."""
    return answered_ids(journal.scan())


def test_saves_keep_the_summary_and_it_agrees_with_the_entries(journal: Journal) -> None:
    save(journal, CASE, "a")
    save(journal, CASE, "b", unfinished=True)
    save(journal, OTHER, "c", needs_review=True)
    stored = summary.read(journal.path, summary.signatures(journal.entries))
    assert stored is not None, "the saves did not keep the summary"
    assert stored.answered() == truth(journal) == {CASE: {"a"}, OTHER: {"c"}}
    assert stored.marked() == [(OTHER, "c", 0)]


def test_a_deleted_summary_is_rebuilt(journal: Journal) -> None:
    save(journal, CASE, "a")
    (journal.path / summary.SUMMARY_FILE).unlink()
    (journal.path / summary.LOG_FILE).unlink(missing_ok=True)
    assert journal.summary().answered() == {CASE: {"a"}}
    save(journal, OTHER, "b")  # the next save makes it again, from every entry
    stored = summary.read(journal.path, summary.signatures(journal.entries))
    assert stored is not None and stored.answered() == {CASE: {"a"}, OTHER: {"b"}}


def test_a_stale_summary_is_never_trusted(journal: Journal) -> None:
    save(journal, CASE, "a")
    save(journal, OTHER, "x")
    # Another copy of the journal saves more; its entry replaces ours behind the summary's back.
    twin = journal.path.with_name("twin")
    shutil.copytree(journal.path, twin)
    other = Journal(twin, "twin")
    save(other, CASE, "b")
    shutil.copy2(other.unit_path(CASE), journal.unit_path(CASE))
    assert journal.summary().answered() == truth(journal) == {CASE: {"a", "b"}, OTHER: {"x"}}
    # A file removed, and one added, are noticed too.
    journal.unit_path(OTHER).unlink()
    assert journal.summary().answered() == {CASE: {"a", "b"}}


def test_a_summary_that_lies_about_its_entries_is_rebuilt(journal: Journal) -> None:
    save(journal, CASE, "a")
    path = journal.path / summary.SUMMARY_FILE
    save(journal, CASE, "b")
    text = (journal.path / summary.LOG_FILE).read_text(encoding="utf-8")
    (journal.path / summary.LOG_FILE).write_text(text[:-10], encoding="utf-8")  # a line cut short
    assert journal.summary().answered() == {CASE: {"a", "b"}}
    path.write_text("{not json", encoding="utf-8")
    assert journal.summary().answered() == {CASE: {"a", "b"}}


def test_reading_runs_never_write_it_and_writing_runs_store_a_rebuilt_one(home: Path) -> None:
    store = Store.open(home, create=True)
    journal = store.journal("default", create=True)
    save(journal, CASE, "a")
    (journal.path / summary.SUMMARY_FILE).unlink()
    reader = Store.open(home, create=False).journal("default")
    assert reader.summary().answered() == {CASE: {"a"}}
    assert not (journal.path / summary.SUMMARY_FILE).exists(), "a command that only reads wrote"
    writer = Store.open(home, create=True).journal("default", create=True)
    assert writer.summary().answered() == {CASE: {"a"}}
    assert summary.read(journal.path, summary.signatures(journal.entries)) is not None


def test_a_damaged_entry_is_named_and_the_rest_summarised(journal: Journal) -> None:
    save(journal, CASE, "a")
    save(journal, OTHER, "b")
    journal.unit_path(OTHER).write_text("answer_count = [", encoding="utf-8")
    found = journal.summary()
    assert found.answered() == {CASE: {"a"}}
    assert [d.path.name for d in found.damaged] == [OTHER.filename]


def test_notes_come_from_the_summary(journal: Journal) -> None:
    from reflectkit.journal import notes

    section = notes.create_note(journal, title="Home visit", event_date=date(2026, 11, 3), model="gibbs")
    save(journal, section, "what")
    assert journal.summary().notes() == notes.summaries(journal.scan())


@pytest.mark.slow
@pytest.mark.posix
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_killed_mid_update_the_summary_is_rebuilt_never_wrong(journal: Journal) -> None:
    rng = random.Random(15)
    n = 0
    for _ in range(60):
        pid = os.fork()
        if pid == 0:  # the child saves until it is killed
            try:
                k = n
                while True:
                    k += 1
                    section = Section("case", f"local-case-{k % 7}")
                    save(journal, section, f"q{k % 3}", f"version {k}", unfinished=k % 4 == 0)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        n += 1000
        assert journal.summary().answered() == truth(journal)
    assert truth(journal), "the children never saved: the test proved nothing"


def test_a_lookup_parses_only_the_record_it_needs(journal: Journal) -> None:
    """A journal of many sections: progress parses the dozen records the workbook's parts
    have, not all of them (an unparsable record elsewhere is never touched)."""
    save(journal, CASE, "a")
    stored = summary.read(journal.path, summary.signatures(journal.entries))
    assert stored is not None
    assert all(isinstance(r, str) for r in stored.records.values()), "records are parsed before use"
    stored.records["case-elsewhere.toml"] = "{not json"
    answered = stored.answered()
    assert answered[CASE] == {"a"} and answered.get(OTHER) is None
    assert isinstance(stored.records["case-elsewhere.toml"], str)


def test_a_summary_in_the_earlier_format_is_still_read(journal: Journal) -> None:
    """Format 1 (records as objects, signatures as lists) is read as it is, not rebuilt."""
    import json

    save(journal, CASE, "a")
    path = journal.path / summary.SUMMARY_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    old = {
        "format": 1,
        "signatures": {n: [int(x) for x in s.split(":")] for n, s in data["signatures"].items()},
        "records": {n: json.loads(r) for n, r in data["records"].items()},
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    stored = summary.read(journal.path, summary.signatures(journal.entries))
    assert stored is not None, "an earlier summary was not read"
    assert stored.answered() == {CASE: {"a"}}
