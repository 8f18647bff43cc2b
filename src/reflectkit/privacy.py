"""Find details in free text that could identify a person.

Pattern checks for NHS and National Insurance numbers, postcodes, phone numbers, email
addresses, dates of birth, street addresses and names the user lists; ``LIMITATIONS``
says what they cannot do. This module is on the start-up path: it imports only the
standard library, and its patterns run in time linear in the text (no nested quantifiers;
lookbehinds stop a match from starting inside a word or number).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

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
    "date-of-birth": "This looks like a date of birth, because it comes just after a word "
    "such as “born” or “DOB”.",
    "phone": "This looks like a UK phone number.",
    "postcode": "This looks like a UK postcode, which can point to a single street.",
    "address": "This looks like a street address (a house number and a street name).",
    "name": "This matches a name on your own list of names to leave out.",
}
_UNCUED_DATE_REASON = "A full date can identify someone, for example a date of birth."

# --- NHS numbers: 3-3-4 digits, one separator style, not part of a longer number. ---
_NHS = re.compile(r"(?<!\d)(?<!\d[.,/-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![.,/-]?\d)")


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11  # a remainder of 0 gives 11, which stands for 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for m in _NHS.finditer(text):
        digits = m[1] + m[3] + m[4]
        # Repeated digits such as 000 000 0000 pass the check but are placeholders.
        if len(set(digits)) > 1 and _nhs_check_digit_ok(digits):
            yield _finding("nhs-number", m)


# --- National Insurance numbers ---
_NI = re.compile(r"(?<!\w)([A-Z])([A-Z]) ?\d\d ?\d\d ?\d\d ?[A-D](?!\w)", re.IGNORECASE)
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
_POSTCODE = re.compile(
    r"(?<!\w)(?:GIR ?0AA|[A-PR-UWYZ](?:[A-HK-Y]?\d\d?|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
    r" ?\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)

# --- Phone numbers: 01, 02, 03, 07 and 08 numbers, national or with +44 / 0044. ---
_PHONE = re.compile(
    r"""
    (?<![\w+(])(?<!\d[-./])                   # not the tail of a word or a longer number
    (?P<intl>(?:\+|00)44[ -]?(?:\(0\)[ -]?)?)?
    \(?(?(intl)|0)[1-378]
    (?:(?:[ -]|\)[ -]?)?\d){8,9}              # one optional separator before each digit
    (?!\d|[-./]\d)
    """,
    re.VERBOSE,
)
_INTL_PREFIX = re.compile(r"^(?:\+|00)44[ -]?(?:\(0\)[ -]?)?")
_SHORT_TAIL = re.compile(r"(?:[ -]|\)[ -]?)\d{1,2}$")


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
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")

# --- Dates: numeric (d/m/y, y-m-d) and written ("3 April 2019", "April 3rd, 2019"). ---
_NUMERIC_DATE = re.compile(
    r"(?<![\w./-])(?:(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})(?P<isep>[/.-])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2}))(?!\w|[./-]\d)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_WRITTEN_DATE = re.compile(
    rf"(?<![\w.])(?:(?P<d1>{_DAY})(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\s{{1,3}}(?P<d2>{_DAY})(?:st|nd|rd|th)?(?!\w))"
    rf"(?:,?\s{{1,3}}(?P<y>\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIRTH_CUE = re.compile(
    r"\b(?:born|d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s?days?|birth\s?dates?)(?!\w)",
    re.IGNORECASE,
)
_CUE_BREAK = re.compile(r"[.!?]\s+[A-Z]|;|\n\s*\n")  # a new sentence, clause or paragraph
_CUE_WINDOW = 80  # characters looked at before a date
_CUE_MAX_WORDS = 5  # "born in Leeds General Infirmary on 3 April 2019"


def _is_date(day: int, month: int, year: int | None) -> bool:
    try:
        date(2000 if year is None else year, month, day)  # 2000 allows 29 February
    except ValueError:
        return False
    return year is None or 1880 <= year <= 2099


def _has_birth_cue(text: str, start: int) -> bool:
    cues = list(_BIRTH_CUE.finditer(text, max(0, start - _CUE_WINDOW), start))
    if not cues:
        return False
    gap = text[cues[-1].end() : start]
    return len(gap.split()) <= _CUE_MAX_WORDS and not _CUE_BREAK.search(gap)


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
        if _has_birth_cue(text, m.start()):
            yield _finding("date-of-birth", m)
        elif year is not None or m["sep"] == "/":
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
        if _is_date(day, month, year) and _has_birth_cue(text, m.start()):
            yield _finding("date-of-birth", m)


# --- Street addresses: "12 Acacia Road", "4b Mill Lane", "Flat 3, 12 Acacia Road". ---
_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Place|Court|Terrace|Gardens"
    "|Grove|Square|Walk|Row|Hill|Park|View|Mews|Parade|Rise|Green|Vale|Gate|Wharf|Yard|Quay"
    "|Boulevard|Villas|Heights"
)
_HOUSE = r"\d{1,4}[A-Za-z]?,?[ ]{1,2}"
_ADDRESS = re.compile(
    rf"(?<![\w.,/-])(?:(?:[Ff]lat|FLAT|[Aa]partment|[Uu]nit)[ ]{_HOUSE}(?:{_HOUSE})?|{_HOUSE})"
    rf"(?:[A-Z][A-Za-z'’-]*[ ]{{1,2}}){{1,3}}(?:{_STREET_TYPES})\b"
)
# Courts named in practice writing are institutions, not homes ("3 Family Court hearings").
_NOT_A_STREET = re.compile(
    r"\b(?:Family|Youth|Crown|County|High|Supreme|Magistrates['’]?|Coroners?['’]?s?|Appeal)"
    r"[ ]{1,2}Court$"
)


def _addresses(text: str) -> Iterator[Finding]:
    for m in _ADDRESS.finditer(text):
        if not _NOT_A_STREET.search(m[0]):
            yield _finding("address", m)


# --- Names the user listed: literal, case-insensitive, whole words. ---
# Typographic and typewriter apostrophes and hyphens are interchangeable in names.
_NAME_CHARS = {" ": r"\s+"} | dict.fromkeys("'’‘", "['’‘]") | dict.fromkeys("-‐‑", r"[\-‐‑]")


def _literal_name(name: str) -> str:
    """A regex for ``name`` as literal text, lenient only about spaces and quote marks."""
    return "".join(_NAME_CHARS.get(ch) or re.escape(ch) for ch in " ".join(name.split()))


@functools.lru_cache(maxsize=16)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    entries = sorted({n.strip() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    if not entries:
        return None
    # Longest first, so that "Anne Marie" wins over "Anne" at the same place. The match
    # is inside a lookahead so that overlapping names ("Anne Marie", "Marie Smith") are
    # all found, and _resolve_overlaps chooses between them.
    alternatives = "|".join(_literal_name(n) for n in entries)
    return re.compile(rf"(?<!\w)(?=((?:{alternatives}))(?!\w))", re.IGNORECASE)


# --- Putting it together ---
def _finding(kind: str, m: re.Match[str], reason: str = "", group: int = 0) -> Finding:
    return Finding(kind, m[group], m.start(group), m.end(group), reason or _REASONS[kind])


# "Mrs Begum", "Dr. Okafor": a title before a capitalised word is how notes name people.
_TITLED_NAME = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.? +[A-Z][\w'’-]+")
_TITLED_REASON = "This looks like a person's name: a title such as Mrs or Dr before a name."

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


def find_identifiers(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Find details in ``text`` that may identify a person.

    Args:
        text: Any text, of any length.
        names: Names the user wants kept out of their writing. Each entry is literal text
            (never a pattern), matched as whole words, ignoring case. Blank entries are
            ignored; a single string counts as one name.

    Returns:
        Findings sorted by ``start``. Where findings overlap only one is kept: the longer,
        or if they are the same length the more specific (an NHS number over a phone).
    """
    candidates: list[Finding] = []
    # Every detector but the names list needs a digit or an '@': most reflections have
    # neither, and a whole journal is checked before each export.
    if _NEEDS_DIGIT_OR_AT.search(text):
        candidates += [f for detect in _DETECTORS for f in detect(text)]
        candidates += [_finding(k, m) for k, pattern in _PLAIN_PATTERNS for m in pattern.finditer(text)]
    candidates += [_finding("name", m, _TITLED_REASON) for m in _TITLED_NAME.finditer(text)]
    name_pattern = _name_pattern((names,) if isinstance(names, str) else tuple(names))
    if name_pattern is not None:
        candidates += [_finding("name", m, group=1) for m in name_pattern.finditer(text)]
    return _resolve_overlaps(candidates)
