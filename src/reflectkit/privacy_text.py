"""Text as the privacy check reads it: what a reader sees, and the people's names in it.

A zero-width space inside an NHS number, a no-break space in "Mrs Begum", full-width
digits or a ligature change nothing for a reader but defeat a pattern. :func:`read` gives
the text a reader sees, and for each of its characters the span of the original it came
from, so that findings are reported where the user wrote them. :func:`titled_names` and
:func:`listed_names` find names in that text as a reader would: "Mrs Begum", and "Fatima
Begum" whole when "Begum" is on the user's list. Standard library only: this module is on
the start-up path.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Reading", "fold", "listed_names", "read", "titled_names"]

Span = tuple[int, int]


@dataclass(frozen=True, eq=False)
class Reading:
    """Text as the check reads it, and where each of its characters came from.

    Attributes:
        text: The text as read.
        starts: For each character of ``text``, the offset in the source of the first
            character it was read from; ``None`` when ``text`` is the source unchanged.
        ends: For each character of ``text``, the offset just past the last one.
    """

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source that ``text[start:end]`` (not empty) was read from."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


# Shown as nothing, so read as nothing: besides format characters (category Cf, such as
# zero-width spaces and soft hyphens), a grapheme joiner, Hangul fillers and variation
# selectors.
_HIDDEN = re.compile("[\u034f\u115f\u1160\u3164\uffa0\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Applied after NFKC, which already makes most spaces plain. Only hyphen-like dashes
# become "-": an em dash between words is punctuation, not part of a name or a number.
_AS_READ = str.maketrans(
    dict.fromkeys(map(ord, _SPACES), " ")
    | dict.fromkeys(map(ord, "\u2028\u2029\x85"), "\n")
    | dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2212"), "-")
)
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def _read_cluster(cluster: str) -> str:
    """One character and the combining marks after it, as read."""
    kept = "".join(c for c in cluster if unicodedata.category(c) != "Cf" and not _HIDDEN.match(c))
    return unicodedata.normalize("NFKC", kept).translate(_AS_READ)


def read(text: str) -> Reading:
    """``text`` as a reader sees it.

    NFKC-normalised (full-width digits, ligatures, composed accents), every Unicode space
    a plain space, line and paragraph separators a newline, hyphen-like dashes a plain
    hyphen, and invisible characters removed. Case is kept: see :func:`fold`.

    Args:
        text: Any text.

    Returns:
        The reading, with the span of ``text`` each of its characters came from.
    """
    if text.isascii():  # nothing to change, and most answers are ASCII
        return Reading(text)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos, size = 0, len(text)
    while pos < size:
        run = _ASCII_RUN.match(text, pos)
        if run is not None:
            stop = run.end()
            if stop < size and unicodedata.combining(text[stop]):
                stop -= 1  # "e" followed by a combining accent is read as one "é"
            parts.append(text[pos:stop])
            starts += range(pos, stop)
            ends += range(pos + 1, stop + 1)
            pos = stop
        if pos < size:
            end = pos + 1
            while end < size and unicodedata.combining(text[end]):
                end += 1
            cluster = _read_cluster(text[pos:end])
            parts.append(cluster)
            starts += [pos] * len(cluster)
            ends += [end] * len(cluster)
            pos = end
    return Reading("".join(parts), starts, ends)


def fold(text: str) -> Reading:
    """``text`` case-folded ("Strauß" and "STRAUSS" both become "strauss"), with the way back."""
    folded = text.casefold()
    if len(folded) == len(text):  # no character folded to more than one
        return Reading(folded)
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        width = len(char.casefold())
        starts += [index] * width
        ends += [index + 1] * width
    return Reading(folded, starts, ends)


# --- Names: a title before a capitalised word, and the names the user listed ---
_TITLES = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "prof"})
_TITLE = re.compile(r"(?<![\w.])(?:mrs|mr|ms|mx|miss|dr|prof)\.?(?=[ \t])", re.IGNORECASE)
# Where a title could start: a word's first two letters, any the title's first two match
# ignoring case ("ſ", "ı" and "İ" included). Scanning for these, then matching _TITLE there,
# finds the same titles several times faster than _TITLE.finditer on text that has none.
_TITLE_START = re.compile("[MmDdPp](?<![\\w.].)[RrSsIiXx\u0130\u0131\u017f]")


def _titles(text: str) -> Iterator[re.Match[str]]:
    """What ``_TITLE.finditer(text)`` finds."""
    for start in _TITLE_START.finditer(text):
        found = _TITLE.match(text, start.start())
        if found is not None:
            yield found


# Capitalised words that start a sentence or stand for a role, not part of a name.
_NOT_NAME_WORDS = _TITLES | frozenset((
    "the", "a", "an", "and", "or", "but", "i", "we", "he", "she", "they", "it", "you", "his",
    "her", "their", "our", "my", "in", "on", "at", "to", "of", "for", "from", "with", "by", "this",
    "that", "then", "when", "if", "so", "as", "not", "no", "yes", "after", "before", "today",
    "yesterday", "also", "both", "all", "mum", "dad",
))  # fmt: skip
# Titles that begin the name of a thing: "the Mr Men books", "Little Miss Sunshine", and
# well-known organisations, brands and characters.
_THING_BEFORE = re.compile(r"(?<![\w'’-])(?:the|little)[ \t]{1,3}$", re.IGNORECASE)
_NOT_A_PERSON = re.compile(
    r"(?:dr\.?[ \t]{1,3}(?:barnardo|foster|martens|who|seuss)"
    r"|mr\.?[ \t]{1,3}(?:men|tumble|bean|kipling|motivator|blobby))(?!\w)",
    re.IGNORECASE,
)
_IN_WORD = "'’-"
_SPACES_BETWEEN = re.compile(r"[ \t]{1,3}")
_WORD_MAX = 40


def _word_after(text: str, end: int) -> Span | None:
    """The word one to three spaces after ``end``, without a possessive "'s"."""
    start = end
    while start < len(text) and start - end < 3 and text[start] in " \t":
        start += 1
    if start == end or start == len(text) or not text[start].isalpha():
        return None
    stop = start + 1
    while stop < len(text) and stop - start < _WORD_MAX and (text[stop].isalnum() or text[stop] in _IN_WORD):
        stop += 1
    return start, stop - 2 if text[stop - 2 : stop] in ("'s", "’s") else stop


def _word_before(text: str, start: int) -> Span | None:
    """The word, with a full stop after it ("F.", "Dr."), one to three spaces before ``start``."""
    stop = start
    while stop > 0 and start - stop < 3 and text[stop - 1] in " \t":
        stop -= 1
    end = stop - 1 if stop > 0 and text[stop - 1] == "." else stop
    begin = end
    while (
        begin > 0 and end - begin < _WORD_MAX and (text[begin - 1].isalnum() or text[begin - 1] in _IN_WORD)
    ):
        begin -= 1
    if stop == start or begin == end or not text[begin].isalpha() or text[begin - 1 : begin] in (".", "_"):
        return None
    return begin, stop


def _is_name_word(word: str, *, upper: bool = False) -> bool:
    bare = word.removesuffix(".")
    if bare.casefold() in _NOT_NAME_WORDS or (bare != word and len(bare) > 1):
        return False  # only an initial keeps its full stop: "F. Begum"
    return bare.isupper() if upper else bare[:1].isupper()


def _names_a_thing(text: str, title_start: int) -> bool:
    before = _THING_BEFORE.search(text, max(0, title_start - 12), title_start)
    return before is not None or _NOT_A_PERSON.match(text, title_start) is not None


def titled_names(text: str) -> Iterator[Span]:
    """Names given with a title: "Mrs Begum", "Dr. Okafor", "MRS BEGUM", "Mrs Fatima Begum".

    Args:
        text: Text as read (see :func:`read`).

    Yields:
        The span of each title and the up to three capitalised words after it. A title
        that begins the name of a thing ("the Mr Men books", "Dr Barnardo's") or an
        abbreviation ("MS Teams", "DR Congo") is not a name.
    """
    for m in _titles(text):
        title = m[0].removesuffix(".")
        # "MS Teams" and "DR Congo" are not people; "the mrs" and "miss Eid" need a name.
        upper = title.isupper()
        if not (upper or title.istitle() or (title.islower() and title != "miss")):
            continue
        if _names_a_thing(text, m.start()):
            continue
        end = m.end()
        for _ in range(3):  # "Mrs Fatima Noor Begum"
            word = _word_after(text, end)
            if word is None or not _is_name_word(text[word[0] : word[1]], upper=upper):
                break
            end = word[1]
        if end > m.end():
            yield m.start(), end


# Typographic and typewriter apostrophes and hyphens are interchangeable in names.
_NAME_CHARS = {" ": r"\s+"} | dict.fromkeys("'’‘", "['’‘]") | dict.fromkeys("-‐‑", r"[\-‐‑]")


def _literal_name(name: str) -> str:
    """A regex for ``name`` as literal text, lenient only about spaces and quote marks."""
    return "".join(_NAME_CHARS.get(ch) or re.escape(ch) for ch in " ".join(name.split()))


@functools.lru_cache(maxsize=16)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for the listed names as read and case-folded, to run on folded text."""
    keys = {" ".join(fold(read(n).text).text.split()) for n in names}
    entries = sorted(keys - {""}, key=lambda n: (-len(n), n))
    if not entries:
        return None
    # Longest first, so that "Anne Marie" wins over "Anne" at the same place. The match
    # is inside a lookahead so that overlapping names ("Anne Marie", "Marie Smith") are
    # all found, and _resolve_overlaps chooses between them.
    alternatives = "|".join(_literal_name(n) for n in entries)
    return re.compile(rf"(?<!\w)(?=((?:{alternatives}))(?!\w))")


def _widen_name(text: str, start: int, end: int) -> Span:
    """A listed name with the capitalised words (two at most) and title around it: "Mrs Fatima Begum"."""
    taken = 0
    while (word := _word_before(text, start)) is not None:
        is_title = text[word[0] : word[1]].removesuffix(".").casefold() in _TITLES
        if not is_title and (taken == 2 or not _is_name_word(text[word[0] : word[1]])):
            break
        start, taken = word[0], taken + 1
        if is_title:
            break
    for _ in range(2):
        word = _word_after(text, end)
        if word is None or not _is_name_word(text[word[0] : word[1]]):
            break
        end = word[1]
    return start, end


def listed_names(text: str, names: tuple[str, ...]) -> Iterator[Span]:
    """The names the user listed, found whole as a reader sees them.

    Args:
        text: Text as read (see :func:`read`).
        names: Literal names, matched as whole words ignoring case ("Strauß" matches
            "STRAUSS"). Blank ones are ignored.

    Yields:
        The span of each listed name, with the listed names, the capitalised words (two
        at most on each side) and the title directly around it: "Fatima Begum" and "mrs
        begum" when "Begum" is listed. Overlapping listed names are all yielded.
    """
    pattern = _name_pattern(names)
    if pattern is None:
        return
    folded = fold(text)
    spans: list[Span] = []
    for start, end in sorted({folded.span(m.start(1), m.end(1)) for m in pattern.finditer(folded.text)}):
        # Listed names side by side are one name: "tomasz nowak".
        if spans and _SPACES_BETWEEN.fullmatch(text, spans[-1][1], start):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    for start, end in spans:
        yield _widen_name(text, start, end)
