"""Plain text laid out exactly as Rich would print it to an uncoloured console, quickly.

Showing a large journal to a pipe spent most of its time in Rich wrapping words one at a
time. For text whose every character takes one cell (printable ASCII, which is what most
answers are), this does the same layout directly: the same word breaks, the same folding of
words longer than a line, the same trimming. Anything else is left to Rich; a test checks
that the two agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

_ONE_CELL = re.compile(r"[ -~\n]*")
_WORD = re.compile(r"\s*\S+\s*")


def fits(text: str) -> bool:
    """True when every character of ``text`` is printable ASCII, a space or a newline."""
    return _ONE_CELL.fullmatch(text) is not None


def _breaks(line: str, width: int) -> list[int]:
    """Where Rich breaks ``line`` (rich._wrap.divide_line, every character one cell).

    Rich walks word by word; every word that ends within the line fits, so this jumps
    straight to the first word that does not (the one running past the edge) and decides
    there: it starts the next line, or, when it is longer than a line, it is folded.
    """
    breaks: list[int] = []
    n, start = len(line), 0  # start: where the current output line begins
    while start + width < n:
        edge = start + width
        if line[edge] == " ":  # the word past the edge begins after these spaces
            word = len(line) - len(line[edge:].lstrip(" "))
            if word == n:
                break
        else:
            word = line.rfind(" ", start, edge) + 1
        if not (word > start and (start or line[:word].strip(" "))):
            word = start  # the first word runs past the edge (with any spaces that lead it)
        match = _WORD.match(line, word)
        if match is None:
            break
        whole = match.group()
        if len(whole.rstrip()) <= width:  # it starts the next line
            breaks.append(word)
            start = word
            continue
        pieces = range(word, word + len(whole), width)  # longer than a line: folded
        breaks += [at for at in pieces if at]
        start = pieces[-1]
    return breaks


def wrap_line(line: str, width: int) -> list[str]:
    """One line of text (no newline) as the lines Rich prints for it at ``width``."""
    if len(line) <= width:
        return [line]
    cuts = [0, *_breaks(line, width), len(line)]
    out = []
    for start, end in pairwise(cuts):
        part = line[start:end]
        if len(part) > width:  # whitespace past the edge goes, then anything still over it
            spaces = len(part) - len(part.rstrip())
            part = part[: len(part) - min(spaces, len(part) - width)][:width]
        out.append(part)
    return out


def lay_out(text: str, width: int) -> str:
    """``text`` (which :func:`fits`) as Rich prints it at ``width``, ending in a newline."""
    return "".join(piece + "\n" for line in text.split("\n") for piece in wrap_line(line, width))


@lru_cache(maxsize=1024)
def laid_out(text: str, width: int) -> str | None:
    """:func:`lay_out` of ``text`` when it :func:`fits`, else None. Remembered: a long
    listing repeats its questions, headings and blank lines hundreds of times."""
    return lay_out(text, width) if fits(text) else None


# What is never split across lines: a reflectkit command ("reflectkit stage 1 --review"),
# and anything quoted in backticks (`reflectkit case 2 --question 1`, a path).
_WHOLE = re.compile(r"`[^`\n]*`|reflectkit(?: (?:--?[a-z][a-z-]*|[a-z0-9][a-z0-9.-]*|[A-Z]+))+")


def keep_commands_whole(
    text: str, width: int, *, indent: str = "", every_line: bool = False, fold_long: bool = True
) -> str:
    """``text`` with each line longer than ``width`` wrapped between words so that no
    reflectkit command and nothing in backticks is split across two lines; a command longer
    than the line is still folded unless ``fold_long`` is false (then it runs past the edge,
    and the terminal folds it, so a path can be copied whole). Wrapped lines after the first
    begin with ``indent``. Lines that fit, and (unless ``every_line``) lines with no command,
    are left as they are (Rich prints them as before)."""
    if ("reflectkit " not in text and not every_line) or all(len(line) <= width for line in text.split("\n")):
        return text
    import textwrap

    def wrapped(line: str) -> str:
        if len(line) <= width or ("reflectkit " not in line and not every_line):
            return line
        glued = _WHOLE.sub(lambda m: m[0].replace(" ", "\0"), line)
        lines = textwrap.wrap(
            glued, width=max(width, 10), subsequent_indent=indent, break_long_words=fold_long,
            break_on_hyphens=False,
        )  # fmt: skip
        return "\n".join(lines).replace("\0", " ")

    return "\n".join(wrapped(line) for line in text.split("\n"))
