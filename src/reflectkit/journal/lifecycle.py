"""The life of an answer: recorded, kept unfinished, marked for review, changed, redacted.

These are the rules about what is stored. The command line only asks and shows; every
decision (is the history kept, is a version dropped, is the answer marked as needing a
privacy review) is made by one of these functions, each testable without a terminal.

Two promises meet here. No word is lost: an answer is saved the moment it is given, even
when it looks identifying. Nothing identifies anyone unless the user chose it: such an
answer is saved *marked* (``needs_review``), and stays marked, named by ``check``,
``start`` and ``export``, until the user changes it or says to keep it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from reflectkit.answering import context_for
from reflectkit.journal.models import Answer, Section, Unit, Value
from reflectkit.privacy import Finding, find_identifiers

if TYPE_CHECKING:
    from reflectkit.content.models import Question
    from reflectkit.journal.store import Journal


@dataclass(frozen=True)
class Recorded:
    """An answer as stored, and what in it may identify someone."""

    answer: Answer
    findings: list[Finding] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.findings)


def texts_of(value: Value) -> list[str]:
    """The free text in an answer: the text itself, or a table's cells."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [cell for row in value if isinstance(row, list) for cell in row if isinstance(cell, str)]
    return []


def findings_in(value: Value, names: Iterable[str] = ()) -> list[Finding]:
    """Details in an answer's text that may identify someone."""
    names = tuple(names)
    return [f for text in texts_of(value) for f in find_identifiers(text, names=names)]


def record(
    journal: Journal,
    section: Section,
    question: Question,
    value: Value,
    *,
    position: int,
    score: float | None = None,
    names: Iterable[str] = (),
    now: datetime | None = None,
) -> Recorded:
    """Save an answer now. An earlier answer moves into its history (an unfinished one does
    not: the answer finished from it takes its place); an answer that looks identifying is
    saved marked as needing review.

    Whether the stored answer is unfinished is decided as it is replaced, under the
    journal's lock, so the answer's history is never read to save it."""
    return _save(
        journal, section, question, value, position=position, names=names,
        score=score, now=now, replace_unfinished=True,
    )  # fmt: skip


def keep_unfinished(
    journal: Journal,
    section: Section,
    question: Question,
    value: Value,
    *,
    position: int,
    names: Iterable[str] = (),
    now: datetime | None = None,
) -> Recorded:
    """Keep an answer the user was part-way through (Ctrl-C, a closed window, /quit), marked
    unfinished so that it is offered back, with the draft in the box, next time."""
    return _save(journal, section, question, value, position=position, names=names, now=now, unfinished=True)


def replace_identifying(
    journal: Journal,
    section: Section,
    question: Question,
    value: Value,
    *,
    replacing: Value,
    position: int,
    score: float | None = None,
    names: Iterable[str] = (),
) -> Recorded:
    """The user changed an answer to take out identifying details: the version they replaced
    is dropped, not kept in the history (unless another window saved a newer one meanwhile,
    which then goes into the history as usual)."""
    return _save(
        journal, section, question, value, position=position, names=names,
        score=score, keep_history=False, replacing=replacing,
    )  # fmt: skip


def _save(
    journal: Journal,
    section: Section,
    question: Question,
    value: Value,
    *,
    position: int,
    names: Iterable[str],
    score: float | None = None,
    now: datetime | None = None,
    unfinished: bool = False,
    replace_unfinished: bool = False,
    keep_history: bool = True,
    replacing: Value | None = None,
) -> Recorded:
    """Save ``value`` as the answer to ``question``, marked for review when it looks
    identifying; the rest says what it is and what becomes of the answer it replaces."""
    findings = findings_in(value, names)
    answer = journal.save_answer(
        section,
        question.id,
        question=question.prompt,
        kind=question.kind,
        value=value,
        position=position,
        context=context_for(question),
        score=score,
        now=now,
        unfinished=unfinished,
        replace_unfinished=replace_unfinished,
        keep_history=keep_history,
        replacing=replacing,
        needs_review=bool(findings),
    )
    return Recorded(answer, findings)


def set_review(journal: Journal, section: Section, question_id: str, *, needs_review: bool) -> bool:
    """Mark or clear an answer's "needs review" mark; keeping an identifying answer as it is
    is the user's explicit choice. Returns False when there is no such answer."""

    def change(unit: Unit) -> bool:
        answer = unit.answers.get(question_id)
        if answer is None:
            return False
        answer.needs_review = True if needs_review else None
        return True

    return bool(journal.modify(section, change))


def remove_answer(journal: Journal, section: Section, question_id: str) -> int:
    """Remove an answer's current text; its latest earlier version takes its place."""
    return journal.forget(section, question_id, current=True)


def identifying_history(answer: Answer, names: Iterable[str] = ()) -> dict[int, list[Finding]]:
    """Earlier versions of an answer that may identify someone, by their place in the history."""
    names = tuple(names)
    return {
        index: found for index, old in enumerate(answer.history) if (found := findings_in(old.value, names))
    }


def redact_history(journal: Journal, section: Section, question_id: str, names: Iterable[str] = ()) -> int:
    """Drop every earlier version of an answer that may identify someone; return how many."""
    unit = journal.load(section)
    answer = unit.answers.get(question_id) if unit else None
    if answer is None:
        return 0
    flagged = identifying_history(answer, names)
    return journal.forget(section, question_id, earlier=set(flagged)) if flagged else 0


@dataclass(frozen=True)
class Marked:
    """An answer waiting for the user's privacy review."""

    section: Section
    question_id: str
    answer: Answer


def needing_review(units: Iterable[Unit]) -> Iterator[Marked]:
    """Answers saved as looking identifying that the user has not yet changed or kept."""
    for unit in units:
        for question_id, answer in unit.ordered():
            if answer.needs_review:
                yield Marked(unit.key, question_id, answer)


def forget_earlier(journal: Journal, section: Section, question_id: str, version: int) -> int:
    """Remove one earlier version of an answer, numbered from 1 (the oldest) as reviews
    show them; return how many texts went (0 when there is no such version)."""
    unit = journal.load(section)
    answer = unit.answers.get(question_id) if unit else None
    if answer is None or not 1 <= version <= len(answer.history):
        return 0
    return journal.forget(section, question_id, earlier={version - 1})


def forget_everything(journal: Journal, section: Section, question_id: str) -> int:
    """Remove an answer and every earlier version of it; the question is open again."""
    unit = journal.load(section)
    answer = unit.answers.get(question_id) if unit else None
    if answer is None:
        return 0
    every = set(range(len(answer.history)))
    return journal.forget(section, question_id, earlier=every) + journal.forget(
        section, question_id, current=True
    )
