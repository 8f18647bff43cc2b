"""Messages on standard error, folded for the terminal they are read in."""

from __future__ import annotations

import sys


def to_stderr(text: str) -> None:
    """Print ``text`` on standard error. In a terminal each line is folded at the window's
    width between words, never inside a `quoted command`, so no word is cut in two."""
    if sys.stderr.isatty():
        import shutil

        from reflectkit.cli.fastwrap import keep_commands_whole

        width = max(min(shutil.get_terminal_size().columns, 100), 20)
        text = keep_commands_whole(text, width, every_line=True, fold_long=False)
    print(text, file=sys.stderr)
