"""Messages on standard error, folded for the terminal they are read in."""

from __future__ import annotations

import sys


def to_stderr(text: str) -> None:
    """Print ``text`` on standard error. In a terminal each line is folded at the window's
    width between words, never inside a `quoted command`, so no word is cut in two."""
    if sys.stderr.isatty():
        import re
        import shutil
        import textwrap

        width = max(min(shutil.get_terminal_size().columns, 100), 20)
        whole = re.compile(r"`[^`\n]*`")

        def fold(line: str) -> str:
            kept = whole.sub(lambda m: m[0].replace(" ", "\0"), line)
            return textwrap.fill(kept, width=width, break_long_words=False, break_on_hyphens=False)

        text = "\n".join(fold(line) if len(line) > width else line for line in text.split("\n"))
        text = text.replace("\0", " ")
    print(text, file=sys.stderr)
