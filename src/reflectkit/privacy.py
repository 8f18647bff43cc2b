"""Find details in free text that could identify a person.

Pattern checks for NHS and National Insurance numbers, postcodes, phone numbers, email
addresses, dates of birth, street addresses, titled names and names the user lists;
``LIMITATIONS`` says what they cannot do. The patterns see the text as a reader does
(:mod:`reflectkit.privacy_text`): a no-break space or a zero-width character hides
nothing. This module is on the start-up path: it imports only the standard library, and
its patterns run in time linear in the text (no nested quantifiers; lookbehinds stop a
match from starting inside a word or number).
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from reflectkit.privacy_text import Reading, listed_names, read, titled_names


class _Later:
    """A pattern compiled when first used. The patterns of the detectors below are needed
    only by text with a digit or an '@' (see find_identifiers), which most answers lack: a
    run that checks only those compiles none of them."""

    __slots__ = ("_flags", "_pattern", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._pattern: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = re.compile(self._source, self._flags)
        return self._pattern

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text, pos, endpos)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self.pattern.split(text, maxsplit=maxsplit)

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        return self.pattern.subn(replacement, text)


__all__ = ["KINDS", "LIMITATIONS", "Finding", "find_identifiers"]

# Most specific first: when two findings cover exactly the same text, the earlier kind wins.
KINDS: dict[str, str] = {
    "nhs-number": "NHS number",
    "ni-number": "National Insurance number",
    "email": "email address",
    "date-of-birth": "date of birth",
    "phone": "phone number",
    "postcode": "postcode",
    "address": "street address",
    "name": "name",
}
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

LIMITATIONS = (
    "This check looks for common patterns: NHS and National Insurance numbers, postcodes, "
    "phone numbers, email addresses, dates of birth, street addresses and the names on your "
    "own list. It cannot catch everything. It will miss nicknames, misspelt names and names "
    "you have not listed, descriptions of a person, rare details such as an unusual job, "
    "illness or place, and a combination of ordinary facts that together point to one family. "
    "It can also flag things that are harmless. Read your writing again before you share it: "
    "you remain responsible for making sure nobody can be recognised from it."
)


@dataclass(frozen=True)
class Finding:
    """One detail in the text that may identify someone.

    Attributes:
        kind: One of the keys of ``KINDS``.
        text: The matched text exactly as it appears in the input.
        start: Offset of the first character, so that ``input[start:end] == text``.
        end: Offset just past the last character.
        reason: One plain-English sentence saying why this was flagged.
    """

    kind: str
    text: str
    start: int
    end: int
    reason: str


_REASONS = {
    "nhs-number": "This looks like an NHS number (ten digits with a valid check digit).",
    "ni-number": "This looks like a National Insurance number "
    "(two letters, six digits and a final letter from A to D).",
    "email": "This looks like an email address.",
    "date-of-birth": "This looks like a date of birth, because a word such as “born” or “DOB” is next to it.",
    "phone": "This looks like a UK phone number.",
    "postcode": "This looks like a UK postcode, which can point to a single street.",
    "address": "This looks like a street address (a house number and a street name).",
    "name": "This matches a name on your own list of names to leave out.",
}
_UNCUED_DATE_REASON = "A full date can identify someone, for example a date of birth."

# --- NHS numbers: 3-3-4 digits, one separator style, not part of a longer number. ---
_NHS = _Later(r"(?<!\d)(?<!\d[.,/-])(\d{3})([ .-]?)(\d{3})([ .-]?)(\d{4})(?![.,/-]?\d)")


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11  # a remainder of 0 gives 11, which stands for 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for m in _NHS.finditer(text):
        digits = m[1] + m[3] + m[5]
        # "943-476 5919" is two numbers; "943476 5919" is one whose first space was lost
        # (or was a zero-width space, which reads as nothing).
        if m[2] and m[4] and m[2] != m[4]:
            continue
        # Repeated digits such as 000 000 0000 pass the check but are placeholders.
        if len(set(digits)) > 1 and _nhs_check_digit_ok(digits):
            yield _finding("nhs-number", m)


# --- National Insurance numbers ---
_NI = _Later(r"(?<!\w)([A-Z])([A-Z]) ?\d\d ?\d\d ?\d\d ?[A-D](?!\w)", re.IGNORECASE)
_NI_UNALLOCATED = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def _ni_numbers(text: str) -> Iterator[Finding]:
    for m in _NI.finditer(text):
        first, second = m[1].upper(), m[2].upper()
        if first in "DFIQUV" or second in "DFIOQUV" or first + second in _NI_UNALLOCATED:
            continue
        # Lower case with spaces ("at 12 34 56 a") is more likely ordinary text.
        if m[0].isupper() or " " not in m[0]:
            yield _finding("ni-number", m)


# --- Postcodes: outward code (A9, A99, AA9, AA99, A9A, AA9A) and inward code (9AA). ---
_POSTCODE = _Later(
    r"(?<!\w)(?:GIR ?0AA|[A-PR-UWYZ](?:[A-HK-Y]?\d\d?|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
    r" ?\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)

# --- Phone numbers: 01, 02, 03, 07 and 08 numbers, national or with +44 / 0044. ---
_PHONE = _Later(
    r"""
    (?<![\w+(])(?<!\d[-./])                   # not the tail of a word or a longer number
    (?P<intl>(?:\+|00)44[ .-]?(?:\(0\)[ .-]?)?)?
    \(?(?(intl)|0)[1-378]
    (?:(?:[ .-]|\)[ .-]?)?\d){8,9}            # one optional separator before each digit
    (?!\d|[-./]\d)
    """,
    re.VERBOSE,
)
_INTL_PREFIX = _Later(r"^(?:\+|00)44[ .-]?(?:\(0\)[ .-]?)?")
_SHORT_TAIL = _Later(r"(?:[ .-]|\)[ .-]?)\d{1,2}$")


def _phone_ok(candidate: str) -> bool:
    body, intl = _INTL_PREFIX.subn("", candidate)
    groups = re.findall(r"\d+", body)
    digits = sum(map(len, groups)) + intl  # count the national 0 that +44 replaces
    # UK numbers are written in groups of three or more ("020 7946 0018"); lists of
    # small numbers ("01 02 03 04 05") are not phone numbers.
    first_ok = len(groups[0]) >= (2 if intl else 3)  # "+44 20 7946 0018"
    return 10 <= digits <= 11 and first_ok and all(len(g) >= 3 for g in groups[1:])


def _phones(text: str) -> Iterator[Finding]:
    for m in _PHONE.finditer(text):
        candidate = m[0]
        if not _phone_ok(candidate):
            # "0161 496 000 2" may be a phone number followed by a small number.
            tail = _SHORT_TAIL.search(candidate)
            if tail is None or not _phone_ok(candidate[: tail.start()]):
                continue
            candidate = candidate[: tail.start()]
        yield Finding("phone", candidate, m.start(), m.start() + len(candidate), _REASONS["phone"])


# --- Email addresses ---
_EMAIL = _Later(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")

# --- Dates: numeric (d/m/y, y-m-d) and written ("3 April 2019", "April 3rd, 2019"). ---
_NUMERIC_DATE = _Later(
    r"(?<![\w./-])(?:(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})(?P<isep>[/.-])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2}))(?!\w|[./-]\d)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_WRITTEN_DATE = _Later(
    rf"(?<![\w.])(?:(?P<d1>{_DAY})(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\s{{1,3}}(?P<d2>{_DAY})(?:st|nd|rd|th)?(?!\w))"
    rf"(?:,?\s{{1,3}}(?P<y>\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIRTH_CUE = _Later(
    r"\b(?:born|d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s?days?|birth\s?dates?)(?!\w)",
    re.IGNORECASE,
)
_CUE_BREAK = _Later(r"[.!?]\s+[A-Z]|;|\n\s*\n")  # a new sentence, clause or paragraph
_CUE_WINDOW = 80  # characters looked at before a date
_CUE_MAX_WORDS = 5  # "born in Leeds General Infirmary on 3 April 2019"
_CLAUSE_END = _Later(r"[.!?;](?:\s|$)|\n")
_CUE_AFTER_MAX_WORDS = 2  # "14/05/2024 is her birthday", "3 April 2019 (her birthday)"
# A date just after one of these words is when something happened, not when someone was
# born: "we met on 14/05/2024", "the review on 3/4/2025", "dated 02/09/2024".
_EVENT_WORDS = frozenset((
    "on", "by", "for", "from", "until", "till", "since", "before", "after", "between", "and", "to",
    "of", "dated", "due", "met", "meet", "meeting", "review", "reviewed", "visit", "visited",
    "seen", "saw", "session", "appointment", "conference", "hearing", "supervision", "deadline",
    "updated", "published", "issued", "held", "booked", "planned", "started", "ended", "starts",
    "ends", "opened", "closed", "sent", "received", "called", "rang", "phoned", "agreed", "week",
    "term", "training", "course",
))  # fmt: skip
_EVENT_MAX_WORDS = 3


def _is_date(day: int, month: int, year: int | None) -> bool:
    try:
        date(2000 if year is None else year, month, day)  # 2000 allows 29 February
    except ValueError:
        return False
    return year is None or 1880 <= year <= 2099


def _has_birth_cue(text: str, m: re.Match[str]) -> bool:
    """A birth cue a few words before the date, or just after it in the same clause."""
    cues = list(_BIRTH_CUE.finditer(text, max(0, m.start() - _CUE_WINDOW), m.start()))
    if cues:
        gap = text[cues[-1].end() : m.start()]
        if len(gap.split()) <= _CUE_MAX_WORDS and not _CUE_BREAK.search(gap):
            return True
    tail = _CLAUSE_END.split(text[m.end() : m.end() + _CUE_WINDOW], maxsplit=1)[0]
    cue = _BIRTH_CUE.search(tail)
    return cue is not None and len(tail[: cue.start()].split()) <= _CUE_AFTER_MAX_WORDS


def _after_an_event_word(text: str, start: int) -> bool:
    before = _CLAUSE_END.split(text[max(0, start - _CUE_WINDOW) : start])[-1]
    words = before.split()[-_EVENT_MAX_WORDS:]
    return any(word.strip(",:()").casefold() in _EVENT_WORDS for word in words)


def _numeric_dates(text: str) -> Iterator[Finding]:
    year: int | None
    for m in _NUMERIC_DATE.finditer(text):
        if m["iy"]:
            day, month, year = int(m["id"]), int(m["im"]), int(m["iy"])
        else:
            day, month = int(m["d"]), int(m["m"])
            year = int(m["y"]) if len(m["y"]) == 4 else None  # "19" gives no century
        # Either order: an American date is as identifying as a British one.
        if not (_is_date(day, month, year) or _is_date(month, day, year)):
            continue
        if _has_birth_cue(text, m):
            yield _finding("date-of-birth", m)
        elif (year is not None or m["sep"] == "/") and not _after_an_event_word(text, m.start()):
            # Without a cue, "3.4.19" or "6-2-21" could as well be a section or a score.
            yield _finding("date-of-birth", m, _UNCUED_DATE_REASON)


def _written_dates(text: str) -> Iterator[Finding]:
    for m in _WRITTEN_DATE.finditer(text):
        day = int(m["d1"] or m["d2"])
        # casefold, because the pattern also matches "ſep" (a long s) when ignoring case.
        key = (m["m1"] or m["m2"]).casefold()[:3]
        month = _MONTHS.index(key) + 1 if key in _MONTHS else 0
        year = int(m["y"]) if m["y"] else None
        # A written date is flagged only after a birth cue: "accessed 4 June 2024" is not.
        if _is_date(day, month, year) and _has_birth_cue(text, m):
            yield _finding("date-of-birth", m)


# --- Street addresses: "12 Acacia Road", "4b Mill Lane", "Flat 3, 12 Acacia Road". ---
_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Place|Court|Terrace|Gardens"
    "|Grove|Square|Walk|Row|Hill|Park|View|Mews|Parade|Rise|Green|Vale|Gate|Wharf|Yard|Quay"
    "|Boulevard|Villas|Heights"
)
_HOUSE = r"\d{1,4}[A-Za-z]?,?[ ]{1,2}"
_ADDRESS = _Later(
    rf"(?<![\w.,/-])(?:(?:[Ff]lat|FLAT|[Aa]partment|[Uu]nit)[ ]{_HOUSE}(?:{_HOUSE})?|{_HOUSE})"
    rf"(?:[A-Z][A-Za-z'’-]*[ ]{{1,2}}){{1,3}}(?:{_STREET_TYPES})\b"
)
# Courts named in practice writing are institutions, not homes ("3 Family Court hearings").
_NOT_A_STREET = _Later(
    r"\b(?:Family|Youth|Crown|County|High|Supreme|Magistrates['’]?|Coroners?['’]?s?|Appeal)"
    r"[ ]{1,2}Court$"
)


def _addresses(text: str) -> Iterator[Finding]:
    for m in _ADDRESS.finditer(text):
        if not _NOT_A_STREET.search(m[0]):
            yield _finding("address", m)


_TITLED_REASON = "This looks like a person's name: a title such as Mrs or Dr before a name."


# --- Putting it together ---
def _finding(kind: str, m: re.Match[str], reason: str = "", group: int = 0) -> Finding:
    return Finding(kind, m[group], m.start(group), m.end(group), reason or _REASONS[kind])


_DETECTORS = (_nhs_numbers, _ni_numbers, _phones, _numeric_dates, _written_dates, _addresses)
_PLAIN_PATTERNS = (("postcode", _POSTCODE), ("email", _EMAIL))


def _resolve_overlaps(candidates: list[Finding]) -> list[Finding]:
    """Keep the longer of two overlapping findings, or the more specific if equally long."""
    kept: list[Finding] = []
    starts: list[int] = []
    ends: list[int] = []
    for f in sorted(candidates, key=lambda f: (f.start - f.end, _RANK[f.kind], f.start)):
        i = bisect.bisect_left(starts, f.start)
        if (i > 0 and ends[i - 1] > f.start) or (i < len(starts) and starts[i] < f.end):
            continue
        starts.insert(i, f.start)
        ends.insert(i, f.end)
        kept.insert(i, f)
    return kept


_NEEDS_DIGIT_OR_AT = re.compile(r"[\d@]")


def _in_source(finding: Finding, text: str, reading: Reading) -> Finding:
    start, end = reading.span(finding.start, finding.end)
    return Finding(finding.kind, text[start:end], start, end, finding.reason)


def find_identifiers(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Find details in ``text`` that may identify a person.

    The text is checked as a reader sees it (see :func:`reflectkit.privacy_text.read`):
    no-break and other spaces, zero-width characters, soft hyphens, full-width digits and
    case hide nothing.

    Args:
        text: Any text, of any length.
        names: Names the user wants kept out of their writing. Each entry is literal text
            (never a pattern), matched as whole words, ignoring case. A capitalised word
            or a title next to a listed name is taken with it ("Fatima Begum", "Mrs
            Begum"). Blank entries are ignored; a single string counts as one name.

    Returns:
        Findings sorted by ``start``, with offsets and text in ``text`` as given. Where
        findings overlap only one is kept: the longer, or if they are the same length the
        more specific (an NHS number over a phone).
    """
    reading = read(text)
    seen = reading.text
    candidates: list[Finding] = []
    # Every detector but the names needs a digit or an '@': most reflections have
    # neither, and a whole journal is checked before each export.
    if _NEEDS_DIGIT_OR_AT.search(seen):
        candidates += [f for detect in _DETECTORS for f in detect(seen)]
        candidates += [_finding(k, m) for k, pattern in _PLAIN_PATTERNS for m in pattern.finditer(seen)]
    listed = listed_names(seen, (names,) if isinstance(names, str) else tuple(names))
    candidates += [Finding("name", seen[a:b], a, b, _REASONS["name"]) for a, b in listed]
    candidates += [Finding("name", seen[a:b], a, b, _TITLED_REASON) for a, b in titled_names(seen)]
    if reading.starts is not None:
        candidates = [_in_source(f, text, reading) for f in candidates]
    return _resolve_overlaps(candidates)
