"""Making user-written text safe to show, in a terminal and in Markdown. Stored text is never changed.

Answers, journal names and local case studies may hold anything: escape sequences that
recolour or clear a terminal, bidirectional overrides that reorder what is shown, NUL
bytes, and characters nobody can see (zero-width spaces, soft hyphens, line separators)
that make one text look like another. In the terminal all of them are shown as a visible
escape such as ``\\x1b`` or ``\\u200b``; in Markdown the invisible ones are kept, as HTML
entities a viewer renders harmlessly, and the rest are shown as escapes.
"""

from __future__ import annotations

import re

__all__ = ["for_markdown", "one_line", "safe"]

# C0 and C1 controls other than newline and tab, DEL, and lone surrogates (which cannot
# be encoded, so printing one would crash).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
# Bidirectional controls reorder the text around them, in a terminal and in HTML alike.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Every other format character (Unicode category Cf), the line and paragraph separators,
# and letters that show as nothing. Written out rather than computed from unicodedata so
# that importing this module costs nothing; a test holds it to the Unicode database.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200d\u2060-\u2064"
    "\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u2028\u2029"
    "\u034f\u115f\u1160\u3164\uffa0"  # a grapheme joiner and the Hangul fillers
)
# A joiner between two emoji is part of one visible emoji (a family, a profession), and
# the flags of England, Scotland and Wales are spelt with tag characters: both are kept.
_EMOJI = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_KEEP = (
    rf"[{_EMOJI}][\ufe0f\U0001f3fb-\U0001f3ff]?\u200d(?=[{_EMOJI}])"
    "|\U0001f3f4\U000e0067\U000e0062"
    "(?:\U000e0065\U000e006e\U000e0067|\U000e0073\U000e0063\U000e0074|\U000e0077\U000e006c\U000e0073)"
    "\U000e007f"
)
# The patterns are compiled when first needed: printable ASCII (most text) needs none, and a
# command that prints a line or two should not pay for them.
_SOURCES = {
    "terminal": f"(?P<keep>{_KEEP})|[{_CONTROLS}{_BIDI}{_INVISIBLE}]",
    "markdown": f"(?P<keep>{_KEEP})|(?P<show>[{_CONTROLS}{_BIDI}])|[&<{_INVISIBLE}]",
    # What a cut can leave at the end of a preview: half an escape, or a joiner or tag
    # characters whose emoji was cut off.
    "broken tail": (
        r"\\(?:x[0-9a-f]?|u[0-9a-f]{0,3}|U[0-9a-f]{0,7})?$|[\u200d\ufe0f\U000e0020-\U000e007f]+$"
    ),
}
_COMPILED: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    found = _COMPILED.get(name)
    if found is None:
        found = _COMPILED[name] = re.compile(_SOURCES[name])
    return found


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _for_terminal(match: re.Match[str]) -> str:
    return match[0] if match.lastgroup == "keep" else _escape(match[0])


def _for_markdown(match: re.Match[str]) -> str:
    char = match[0]
    if match.lastgroup == "keep":
        return char
    if match.lastgroup == "show":
        return _escape(char)
    return {"&": "&amp;", "<": "&lt;"}.get(char) or f"&#x{ord(char):X};"


def safe(text: str) -> str:
    """``text`` for a terminal: every control, bidirectional and invisible character escaped.

    Args:
        text: Any text.

    Returns:
        The text with CRLF line ends made LF, and each character a reader could not see
        or that could act on the terminal shown as an escape such as ``\\x1b`` or
        ``\\u200b``. Newlines, tabs and emoji built with joiners are kept.
    """
    if text.isascii() and text.replace("\n", "").replace("\t", "").isprintable():
        return text  # printable ASCII (most answers): nothing to escape, found quickly
    return _pattern("terminal").sub(_for_terminal, text.replace("\r\n", "\n"))


def one_line(text: str, limit: int = 80) -> str:
    """A safe single-line preview of ``text``, cut to ``limit`` characters."""
    flat = " ".join(safe(text).split())
    if len(flat) <= limit:
        return flat
    return _pattern("broken tail").sub("", flat[: limit - 1]) + "…"


def for_markdown(text: str) -> str:
    """``text`` ready to place in a Markdown document: kept whole, but harmless.

    Invisible characters (zero-width spaces and joiners, soft hyphens, line and paragraph
    separators, other format characters) are kept as HTML numeric entities such as
    ``&#x200B;``: a Markdown viewer renders the same character, and anyone reading the
    file as plain text sees that it is there. ``&`` and ``<`` become ``&amp;`` and
    ``&lt;``, so HTML typed in an answer stays text. Control characters and bidirectional
    controls, which would act on a terminal or reorder the rendered page, are shown as
    escapes as :func:`safe` does.

    Args:
        text: Any text.

    Returns:
        The text with CRLF line ends made LF. It is already escaped: do not escape ``&``
        or ``<`` in it again, or the entities show as text.
    """
    if "&" not in text and "<" not in text and safe(text) is text:
        return text  # printable ASCII with nothing to turn into an entity: found quickly
    return _pattern("markdown").sub(_for_markdown, text.replace("\r\n", "\n"))
