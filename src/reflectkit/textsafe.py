"""Making user-written text safe to show in a terminal. Stored text is never changed.

Answers, journal names and local case studies may hold anything: escape sequences that
recolour or clear a terminal, bidirectional overrides that reorder what is shown, NUL
bytes. Before any of it reaches the screen, control characters other than newline and
tab are replaced by a visible escape such as ``\\x1b``.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """Text with every unsafe character shown as an escape; CRLF line ends become LF."""
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


def one_line(text: str, limit: int = 80) -> str:
    """A safe single-line preview of ``text``, cut to ``limit`` characters."""
    flat = " ".join(safe(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
