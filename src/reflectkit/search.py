"""Searching journals: every answer, note and earlier version, whatever the case or accents.

Words are matched where a word starts ("interpret" finds "interpreters"), every word must
be there, and a phrase ("home visit") must appear as written, whatever the spaces between
its words. Text is compared folded: lower-cased (``str.casefold``), accents and other
combining marks taken off, typographic quotes made plain, so "cafe" finds "Café" and
"didn't" finds "didn’t".

Folding runs once per text at C speed; the slower character-by-character work that puts
highlights back on the original text is done only for the results that are shown.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

from reflectkit.errors import BadDataError
from reflectkit.journal.models import Answer, Section, Unit, Value

# Combining marks of the Latin, Greek, Cyrillic and Arabic scripts, as NFKD leaves them.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_PLAIN = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_QUOTED = re.compile(r'"([^"]*)"')
_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f]')  # what TOML writes escaped


def fold(text: str) -> str:
    """``text`` as search compares it: case, accents and typographic quotes folded away."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    return _MARKS.sub("", decomposed).casefold()


def parse_terms(words: Sequence[str]) -> tuple[str, ...]:
    """Folded search terms from the command line's words.

    A word holding spaces is a phrase (the shell kept its quotes together); inside a word,
    text in double quotes is a phrase and the rest is split into words.
    """
    terms: list[str] = []
    for word in words:
        if '"' not in word and len(word.split()) > 1:
            terms.append(" ".join(fold(word).split()))
            continue
        for phrase in _QUOTED.findall(word):
            if phrase.split():
                terms.append(" ".join(fold(phrase).split()))
        terms += fold(_QUOTED.sub(" ", word).replace('"', " ")).split()
    return tuple(dict.fromkeys(terms))


def _pattern(term: str) -> re.Pattern[str]:
    # A match starts a word (or starts with a non-word character, such as a '#'): "visit"
    # finds "visits" but not "revisit". Spaces in a phrase match any run of white space.
    start = r"(?<!\w)" if term[:1].isalnum() or term[:1] == "_" else ""
    return re.compile(start + r"\s+".join(re.escape(w) for w in term.split(" ")))


def parse_day(text: str, *, end: bool = False) -> date:
    """A day from ``2026-11-30``, or a month from ``2026-11``: its first day, or with
    ``end`` its last (so ``--until 2026-11`` takes in all of November).

    Raises:
        ValueError: it is neither.
    """
    typed = text.strip()
    month = re.fullmatch(r"(\d{4})-(\d{2})", typed)
    if month is None:
        return date.fromisoformat(typed)
    year, number = int(month[1]), int(month[2])
    first = date(year, number, 1)
    if not end:
        return first
    following = date(year + number // 12, number % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True)
class Query:
    """What to look for. ``terms`` are folded (see :func:`parse_terms`); every term, tag
    and limit given must hold for a text to be found. ``model`` keeps only notes written
    with that reflective model."""

    terms: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    model: str | None = None

    @property
    def patterns(self) -> list[re.Pattern[str]]:
        return [_pattern(t) for t in self.terms]


@dataclass(frozen=True)
class Hit:
    """One text that matched: an answer's current text (``version`` 0) or one of its
    earlier versions (``version`` N, numbered from 1, the oldest, as reviews show them).

    ``day`` is the note's event day for a note's answers, else the day the text was
    written, in the user's local time.
    """

    journal: str
    section: Section
    title: str
    question_id: str
    question: str
    position: int
    version: int
    day: date
    text: str
    tags: tuple[str, ...] = ()
    model: str | None = None


def _unit_passes(unit: Unit, query: Query) -> bool:
    if query.model is not None and (unit.note is None or unit.note.model != query.model):
        return False
    return all(tag in (unit.tags or ()) for tag in query.tags)


def _day_passes(day: date, query: Query) -> bool:
    return (query.since is None or day >= query.since) and (query.until is None or day <= query.until)


def _text(value: Value) -> str:
    """The free text of an answer: its text, or a table's cells (never numbers chosen)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(c for row in value if isinstance(row, list) for c in row if isinstance(c, str))
    return ""


def candidates(paths: Iterable[Path], query: Query) -> Iterator[Path]:
    """The section files that may hold a match, found without parsing them.

    Each word of the query must appear somewhere in the file's folded bytes for it to be
    worth parsing and checking: a file without them cannot match, and most files in a
    large journal are skipped this way. A file that cannot be read is passed on, so that
    the store names it. Words holding what TOML escapes (quotes, backslashes, control
    characters) are not looked for here, only in the parsed text.
    """
    from reflectkit import fileio
    from reflectkit.journal.history import history_path
    from reflectkit.journal.sectionfile import MAX_JOURNAL_FILE

    words = [w for term in query.terms for w in term.split(" ") if w and not _ESCAPED.search(w)]
    for path in paths:
        if not words:
            yield path
            continue
        try:
            raw = fileio.read_file(path, MAX_JOURNAL_FILE)
            # Earlier versions live beside the section file, in its history file.
            with contextlib.suppress(FileNotFoundError):
                raw += b"\n" + fileio.read_file(history_path(path), MAX_JOURNAL_FILE * 8)
        except (OSError, BadDataError):
            yield path
            continue
        folded = fold(raw.decode("utf-8", "replace"))
        if all(w in folded for w in words):
            yield path


def search_units(
    journal: str,
    units: Iterable[Unit],
    query: Query,
    *,
    title_of: Callable[[Unit], str] | None = None,
    tz: tzinfo | None = None,
) -> list[Hit]:
    """The texts in ``units`` that match ``query``, in the order found.

    Args:
        journal: The journal's name, carried into each hit.
        units: Its section files (a :class:`~reflectkit.journal.store.UnitScan` will do).
        query: What to look for.
        title_of: A heading for a section with a hit (asked only for those); by default
            a note's title, or the section's kind and ref.
        tz: The zone whose calendar gives each text's day (the local zone by default).
    """
    hits: list[Hit] = []
    patterns = query.patterns
    for unit in units:
        if not unit.answers or not _unit_passes(unit, query):
            continue
        found = list(_matches(unit, query, patterns, tz))
        if not found:
            continue
        title = (title_of or _default_title)(unit)
        tags, model = tuple(unit.tags or ()), unit.note.model if unit.note else None
        for qid, answer, version, day, text in found:
            hits.append(
                Hit(
                    journal,
                    unit.key,
                    title,
                    qid,
                    answer.question,
                    answer.position,
                    version,
                    day,
                    text,
                    tags,
                    model,
                )
            )
    return hits


def _default_title(unit: Unit) -> str:
    return f"Note: {unit.note.title}" if unit.note else f"{unit.section} {unit.ref}"


def _matches(
    unit: Unit, query: Query, patterns: list[re.Pattern[str]], tz: tzinfo | None
) -> Iterator[tuple[str, Answer, int, date, str]]:
    """(question id, answer, version, day, text) for each text of ``unit`` that matches."""
    note_day = unit.note.event_date if unit.note is not None else None
    for qid, answer in unit.ordered():
        versions = [(0, answer.value, answer.updated)]
        versions += [(n, old.value, old.created) for n, old in enumerate(answer.history, start=1)]
        for version, value, written in versions:
            day = note_day or written.astimezone(tz).date()
            if not _day_passes(day, query):
                continue
            text = _text(value)
            folded = fold(text)
            if text and all(p.search(folded) for p in patterns):
                yield qid, answer, version, day, text


def newest_first(hits: Iterable[Hit]) -> list[Hit]:
    """Hits by day, newest first; on one day, current texts before earlier versions."""
    return sorted(hits, key=lambda h: (-h.day.toordinal(), h.journal, h.section.ref, h.position, h.version))


# -- showing a hit in context --------------------------------------------------------------
Segment = tuple[str, str]  # (text, "plain" | "match" | "hidden")


def _folded_map(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original one."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        out.append(folded)
        where += [index] * len(folded)
    return "".join(out), where


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where each term matches in ``text`` (offsets in the original), sorted."""
    folded, where = _folded_map(text)
    spans = []
    for term in terms:
        for m in _pattern(term).finditer(folded):
            if m.end() > m.start():
                spans.append((where[m.start()], where[m.end() - 1] + 1))
    return sorted(spans)


def snippet(
    text: str,
    terms: Sequence[str],
    *,
    hidden: Sequence[tuple[int, int, str]] = (),
    width: int = 100,
) -> list[Segment]:
    """A window of ``text`` around its first match, as segments to show.

    Matches are "match" segments; each span in ``hidden`` (start, end, what it is) is
    replaced by one "hidden" segment such as ``[phone number hidden]``, whatever it
    overlaps. White space is shown as single spaces; a cut is marked with "…".
    """
    spans = match_spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    kinds = ["plain"] * (end - start)
    for a, b in spans:
        for i in range(max(a, start), min(b, end)):
            kinds[i - start] = "match"
    labels: dict[int, str] = {}
    for a, b, what in hidden:
        if b <= start or a >= end:
            continue
        labels[max(a, start) - start] = f"[{what} hidden]"
        for i in range(max(a, start), min(b, end)):
            kinds[i - start] = "hidden"
    body = _runs(text[start:end], kinds, labels)
    return [("…", "plain")] * (start > 0) + body + [("…", "plain")] * (end < len(text))


def _runs(text: str, kinds: list[str], labels: dict[int, str]) -> list[Segment]:
    """Characters of one kind joined into segments; each hidden run becomes its label;
    white space shown as single spaces."""
    segments: list[Segment] = []
    for offset, (char, kind) in enumerate(zip(text, kinds, strict=True)):
        if kind == "hidden":
            if offset in labels:
                segments.append((labels[offset], "hidden"))
            continue
        shown = " " if char.isspace() else char
        if segments and segments[-1][1] == kind:
            segments[-1] = (segments[-1][0] + shown, kind)
        else:
            segments.append((shown, kind))
    return [(re.sub(r" {2,}", " ", t) if k == "plain" else t, k) for t, k in segments]


def window(text: str, terms: Sequence[str], width: int = 100, margin: int = 40) -> tuple[int, int]:
    """The stretch of ``text`` a snippet may show, widened by ``margin`` each side: where
    to look for identifying details (a name cut in half by the window is still found)."""
    spans = match_spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3 - margin)
    return start, min(len(text), start + width + 2 * margin)
