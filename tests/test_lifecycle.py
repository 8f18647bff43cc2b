"""The life of an answer, decided in the core: recorded, unfinished, marked for review,
changed, redacted. No terminal is involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectkit import drafts
from reflectkit.content.models import TableQuestion, TextQuestion
from reflectkit.journal import lifecycle
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal

CASE = Section("case", "first-home-visit")
Q = TextQuestion(kind="text", id="immediate", prompt="Your immediate response?")
PHONE = "07700 900123"


def versions(journal: Journal, qid: str = "immediate") -> list[object]:
    unit = journal.load(CASE)
    assert unit is not None
    answer = unit.answers[qid]
    return [answer.value, *(e.value for e in answer.history)]


def test_a_clean_answer_is_recorded_unmarked(journal: Journal) -> None:
    recorded = lifecycle.record(journal, CASE, Q, "Nothing identifying here.", position=0)
    assert not recorded.needs_review and recorded.answer.needs_review is None
    assert versions(journal) == ["Nothing identifying here."]


def test_an_identifying_answer_is_saved_first_and_marked(journal: Journal) -> None:
    recorded = lifecycle.record(journal, CASE, Q, f"Rang her on {PHONE}", position=0)
    assert recorded.needs_review and recorded.findings[0].kind == "phone"
    stored = journal.load(CASE).answers["immediate"]  # type: ignore[union-attr]
    assert stored.value == f"Rang her on {PHONE}" and stored.needs_review is True
    marked = list(lifecycle.needing_review(journal.units()))
    assert [(m.section, m.question_id) for m in marked] == [(CASE, "immediate")]


def test_names_on_the_users_list_mark_an_answer(journal: Journal) -> None:
    assert lifecycle.record(
        journal, CASE, Q, "Talked with Amina today", position=0, names=["Amina"]
    ).needs_review
    assert not lifecycle.record(journal, CASE, Q, "Talked with Amina today", position=0).needs_review


def test_table_cells_are_checked_too(journal: Journal) -> None:
    table = TableQuestion(
        kind="table", id="table", prompt="Fill it", row_header="Row", columns=["A", "B"],
        rows=[{"label": "one"}, {"label": "two"}],  # type: ignore[list-item]
    )  # fmt: skip
    recorded = lifecycle.record(journal, CASE, table, [["fine", ""], ["", f"ring {PHONE}"]], position=1)
    assert recorded.needs_review


def test_keeping_it_as_it_is_clears_the_mark(journal: Journal) -> None:
    lifecycle.record(journal, CASE, Q, f"Rang her on {PHONE}", position=0)
    assert lifecycle.set_review(journal, CASE, "immediate", needs_review=False)
    assert list(lifecycle.needing_review(journal.units())) == []
    assert not lifecycle.set_review(journal, CASE, "nothing-here", needs_review=False)


def test_changing_an_identifying_answer_drops_the_version_it_replaces(journal: Journal) -> None:
    lifecycle.record(journal, CASE, Q, "A first, clean answer.", position=0)
    lifecycle.record(journal, CASE, Q, f"Rang her on {PHONE}", position=0)
    recorded = lifecycle.replace_identifying(
        journal, CASE, Q, "Rang her.", replacing=f"Rang her on {PHONE}", position=0
    )
    assert not recorded.needs_review
    assert versions(journal) == ["Rang her.", "A first, clean answer."]


def test_a_newer_answer_from_another_window_is_kept_in_the_history(journal: Journal) -> None:
    lifecycle.record(journal, CASE, Q, f"Rang her on {PHONE}", position=0)
    lifecycle.record(journal, CASE, Q, "Written in another window.", position=0)
    lifecycle.replace_identifying(journal, CASE, Q, "Rang her.", replacing=f"Rang her on {PHONE}", position=0)
    assert "Written in another window." in versions(journal)


def test_an_unfinished_answer_is_kept_marked_and_the_earlier_one_stays_in_history(journal: Journal) -> None:
    lifecycle.record(journal, CASE, Q, "My finished answer.", position=0)
    recorded = lifecycle.keep_unfinished(journal, CASE, Q, "Half of a new", position=0)
    assert recorded.answer.unfinished is True
    assert versions(journal) == ["Half of a new", "My finished answer."]
    finished = lifecycle.record(journal, CASE, Q, "Half of a new answer.", position=0)
    assert finished.answer.unfinished is None
    # The unfinished draft is not an "earlier version": the finished answer replaces it.
    assert versions(journal) == ["Half of a new answer.", "My finished answer."]


def test_redacting_the_history_drops_only_identifying_versions(journal: Journal) -> None:
    lifecycle.record(journal, CASE, Q, "Clean one.", position=0)
    lifecycle.record(journal, CASE, Q, f"Ring {PHONE}", position=0)
    lifecycle.record(journal, CASE, Q, "Mrs Begum came too.", position=0)
    lifecycle.record(journal, CASE, Q, "Today's answer.", position=0)
    answer = journal.load(CASE).answers["immediate"]  # type: ignore[union-attr]
    assert set(lifecycle.identifying_history(answer)) == {1, 2}
    assert lifecycle.redact_history(journal, CASE, "immediate") == 2
    assert versions(journal) == ["Today's answer.", "Clean one."]
    assert lifecycle.redact_history(journal, CASE, "missing") == 0


def test_removing_an_answer_brings_back_its_earlier_version(journal: Journal) -> None:
    lifecycle.record(journal, CASE, Q, "First.", position=0)
    lifecycle.record(journal, CASE, Q, "Second.", position=0)
    assert lifecycle.remove_answer(journal, CASE, "immediate") == 1
    assert versions(journal) == ["First."]


# -- rescue drafts -------------------------------------------------------------------------
def test_a_draft_is_kept_whole_and_found_by_its_question(home: Path) -> None:
    path = drafts.save_draft(
        home, journal="default", section=CASE, question_id="immediate", question="Q?", text="a\r\nb"
    )
    again = drafts.save_draft(
        home, journal="default", section=CASE, question_id="immediate", question="Q?", text="c"
    )
    assert path != again and path.parent.stat().st_mode & 0o077 == 0
    found = drafts.drafts_for(home, "default", CASE, "immediate")
    assert [d.text for d in found] == ["a\r\nb", "c"]
    assert drafts.drafts_for(home, "other", CASE, "immediate") == []
    assert drafts.remove_drafts(home, "default", CASE, "immediate") == 2
    assert drafts.list_drafts(home) == ([], [])


def test_a_full_disk_leaves_no_empty_or_cut_short_draft(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from reflectkit.errors import StorageError

    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        drafts.save_draft(
            home, journal="default", section=CASE, question_id="immediate", question="Q", text="x" * 100
        )
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert list((home / drafts.DRAFTS_DIR).iterdir()) == []


def test_a_damaged_draft_is_reported_not_fatal(home: Path) -> None:
    drafts.save_draft(
        home, journal="default", section=CASE, question_id="immediate", question="Q", text="kept"
    )
    (home / drafts.DRAFTS_DIR / "broken.toml").write_text("text = ", encoding="utf-8")
    found, problems = drafts.list_drafts(home)
    assert [d.text for d in found] == ["kept"] and len(problems) == 1 and "broken.toml" in problems[0]
