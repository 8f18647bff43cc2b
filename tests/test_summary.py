"""The journal's summary: kept by saves, never trusted over the entries it was made from."""

from __future__ import annotations

import json
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
    loaded = summary._load(journal.path)
    assert loaded is not None
    data = loaded[0]
    old = {
        "format": 1,
        "signatures": {n: [int(x) for x in s.split(":")] for n, s in data["signatures"].items()},
        "records": {n: json.loads(r) for n, r in data["records"].items()},
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    stored = summary.read(journal.path, summary.signatures(journal.entries))
    assert stored is not None, "an earlier summary was not read"
    assert stored.answered() == {CASE: {"a"}}


def test_a_summary_in_format_2_is_still_read(journal: Journal) -> None:
    """Format 2 (one JSON object, records as JSON text) is read as it is, not rebuilt."""
    import json

    save(journal, CASE, "a")
    loaded = summary._load(journal.path)
    assert loaded is not None
    data = loaded[0]
    two = {"format": 2, "signatures": data["signatures"], "records": data["records"]}
    (journal.path / summary.SUMMARY_FILE).write_text(json.dumps(two), encoding="utf-8")
    stored = summary.read(journal.path, summary.signatures(journal.entries))
    assert stored is not None, "a format 2 summary was not read"
    assert stored.answered() == {CASE: {"a"}}


def test_the_records_follow_a_header_one_line_each(journal: Journal) -> None:
    """The header (format and signatures) is parsed alone; each record is a line of its own,
    so a reader checks the signatures without parsing any record."""
    import json

    save(journal, CASE, "a")
    save(journal, OTHER, "x")
    loaded = summary._load(journal.path)
    assert loaded is not None
    summary.write(journal.path, journal.temps, loaded[0]["records"], loaded[0]["signatures"])
    text = (journal.path / summary.SUMMARY_FILE).read_text(encoding="utf-8")
    head, *lines = text.rstrip("\n").split("\n")
    assert json.loads(head) == {"format": 3, "signatures": summary.signatures(journal.entries)}
    names = sorted(json.loads(line.partition("\t")[0]) for line in lines)
    assert names == sorted(summary.signatures(journal.entries))


@pytest.mark.parametrize(
    "name", ["tab\there.toml", "new\nline.toml", 'a "quoted" name.toml', "back\\slash.toml"]
)
def test_any_file_name_survives_the_summary(journal: Journal, name: str) -> None:
    records = {name: {"kind": "case", "ref": "x", "answered": ["q"], "answers": 1, "review": []}}
    summary.write(journal.path, journal.temps, records, {name: "1:2:3"})
    loaded = summary._load(journal.path)
    assert loaded is not None
    assert loaded[0]["signatures"] == {name: "1:2:3"}
    assert json.loads(loaded[0]["records"][name]) == records[name]


def test_a_summary_cut_short_is_rebuilt(journal: Journal) -> None:
    save(journal, CASE, "a")
    save(journal, OTHER, "x")
    loaded = summary._load(journal.path)
    assert loaded is not None
    summary.write(journal.path, journal.temps, loaded[0]["records"], loaded[0]["signatures"])
    path = journal.path / summary.SUMMARY_FILE
    path.write_bytes(path.read_bytes()[:-15])  # the last record cut short
    assert summary._load(journal.path) is None
    assert journal.summary().answered() == truth(journal) == {CASE: {"a"}, OTHER: {"x"}}


# -- Checked as it is used -----------------------------------------------------------------
def test_only_the_entries_looked_up_are_checked(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen that needs two sections stats two entry files, however many there are."""
    save(journal, CASE, "a")
    save(journal, OTHER, "x")
    for n in range(30):
        save(journal, Section("reflection", f"1-week-{n}"), "what")
    looked: list[str] = []
    real = summary._signature

    def spy(path: str) -> str | None:
        looked.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(summary, "_signature", spy)
    found = journal.summary()
    answered = found.answered()
    assert answered[CASE] == {"a"} and answered[OTHER] == {"x"}
    assert sorted(looked) == sorted([CASE.filename, OTHER.filename])


def test_an_entry_changed_since_is_read_again_when_looked_up(journal: Journal) -> None:
    save(journal, CASE, "a")
    save(journal, OTHER, "x")
    other = Journal(journal.path.parent / "elsewhere", "elsewhere")
    other.path.mkdir()
    save(other, CASE, "b")
    path = journal.unit_path(CASE)
    path.write_bytes(other.unit_path(CASE).read_bytes())  # in place: same inode, new size
    found = journal.summary()
    assert found.answered()[CASE] == {"b"} == truth(journal)[CASE]


def test_an_entry_damaged_since_is_named_when_looked_up(journal: Journal) -> None:
    save(journal, CASE, "a")
    save(journal, OTHER, "x")
    journal.unit_path(OTHER).write_text("answer_count = [", encoding="utf-8")
    found = journal.summary()
    assert found.answered().get(CASE) == {"a"}
    assert found.answered().get(OTHER) is None
    assert [d.path.name for d in found.damaged] == [OTHER.filename]
