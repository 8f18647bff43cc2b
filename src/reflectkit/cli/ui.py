"""Showing things and asking for things: the only place that talks to the terminal.

User text always goes through :func:`reflectkit.textsafe.safe` and is rendered as
``rich.text.Text``, never as markup. ``--plain`` (also NO_COLOR or TERM=dumb) prints plain
text with no colours, no escape sequences and no box drawing, for screen readers.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from rich.console import Console
from rich.markdown import Markdown
from rich.rule import Rule
from rich.text import Text

from reflectkit.errors import NeedsInputError
from reflectkit.textsafe import safe

READING_WIDTH = 88
PART_LINES = 30


def wants_plain(flag: bool) -> bool:
    return flag or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"


@dataclass
class UI:
    """One run's terminal: where output goes and whether we may ask questions."""

    plain: bool = False
    no_input: bool = False
    out: Console = field(init=False)
    err: Console = field(init=False)

    def __post_init__(self) -> None:
        kwargs: dict[str, object] = {"highlight": False, "emoji": False}
        if self.plain:
            kwargs["color_system"] = None
        self.out = Console(**kwargs)  # type: ignore[arg-type]
        self.err = Console(stderr=True, **kwargs)  # type: ignore[arg-type]
        self.width = min(self.out.width, READING_WIDTH)

    # -- input -------------------------------------------------------------------
    @property
    def interactive(self) -> bool:
        return not self.no_input and sys.stdin.isatty()

    def require_input(self, what: str) -> None:
        """Raise NeedsInputError naming what would have been asked, when we cannot ask."""
        if not self.interactive:
            reason = "--no-input was given" if self.no_input else "input is not a terminal"
            raise NeedsInputError(
                f"this needs an answer to: {what}",
                hint=f"It did not, because {reason}. Run it in a terminal, or pipe an answer "
                "into a single question with --question K.",
            )

    def ask(self, prompt: str) -> str:
        """One line from the user. EOF (Ctrl-D) gives an empty line."""
        try:
            typed = self.out.input(Text(prompt, style="bold"))
        except EOFError:
            self.out.print()
            return ""
        if any("\udc80" <= c <= "\udcff" for c in typed):  # bytes that were not UTF-8
            from reflectkit.cli.ask import decode_typed

            typed = decode_typed(typed.encode("utf-8", errors="surrogateescape"))
        return typed

    def pause(self) -> None:
        if self.interactive:
            self.ask("Press Enter to go on. ")

    # -- output ------------------------------------------------------------------
    def say(self, text: str = "", style: str = "") -> None:
        """Print our own text (not user text) as plain words, no markup."""
        self.out.print(Text(text, style=style), width=self.width)

    def user_text(self, text: str, *, indent: int = 2) -> None:
        """Print text a user wrote: made safe, never interpreted."""
        pad = " " * indent
        shown = "\n".join(pad + line for line in safe(text).split("\n"))
        self.out.print(Text(shown), width=self.width, soft_wrap=self.plain)

    def numbered(self, items: list[str | Text], *, start: int = 1) -> None:
        """A numbered list whose long items wrap under their own text, not the number."""
        from rich.table import Table

        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()
        for number, item in enumerate(items, start=start):
            grid.add_row(f"  {number}.", item if isinstance(item, Text) else Text(item))
        self.out.print(grid, width=self.width)

    def warn(self, text: str) -> None:
        # Soft wrap: the terminal folds a long line, so a path or address in a warning is
        # never cut in two by a hard line break and can still be copied whole.
        self.err.print(Text(safe(text), style="yellow"), soft_wrap=True)

    def heading(self, text: str) -> None:
        if self.plain:
            self.out.print(Text(f"\n{text}\n" + "=" * min(len(text), self.width)))
        else:
            self.out.print()
            self.out.print(Text(text, style="bold"), width=self.width)
            self.out.print(Rule(style="dim"), width=self.width)

    def markdown(self, body: str, *, paged: bool = False) -> None:
        """Show workbook text (our own Markdown). Long texts come in parts when ``paged``."""
        # Parts that fit the window, so that a heading never scrolls away unread.
        limit = max(12, min(PART_LINES, self.out.height - 8))
        parts = split_parts(body, limit) if paged and self.interactive else [body]
        for index, part in enumerate(parts):
            for chunk, is_link in _links_apart(safe(part)):
                if is_link:  # never folded, so it can be copied whole
                    self.out.print(Text(chunk, style="cyan"), soft_wrap=True)
                    self.out.print()
                else:  # in --plain mode the console has no colours: Markdown reflows the text
                    self.out.print(Markdown(chunk, hyperlinks=False), width=self.width)
            if index < len(parts) - 1:
                self.pause()


def _links_apart(text: str) -> list[tuple[str, bool]]:
    """Split text into runs of prose and lines that are a bare web address."""
    runs: list[tuple[str, bool]] = []
    prose: list[str] = []
    for line in text.split("\n"):
        if line.strip().startswith(("http://", "https://")) and " " not in line.strip():
            if any(p.strip() for p in prose):
                runs.append(("\n".join(prose), False))
            prose = []
            runs.append((line.strip(), True))
        else:
            prose.append(line)
    if any(p.strip() for p in prose):
        runs.append(("\n".join(prose), False))
    return runs


def split_parts(body: str, limit: int = PART_LINES) -> list[str]:
    """Split Markdown into parts of about ``limit`` lines, at headings or blank lines."""
    parts: list[list[str]] = [[]]
    for line in body.strip("\n").split("\n"):
        current = parts[-1]
        at_break = line.startswith("#") or (not line.strip() and len(current) >= limit // 2)
        if (current and len(current) >= limit and at_break) or (
            line.startswith("## ") and len(current) >= limit // 2
        ):
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p).strip("\n") for p in parts if any(s.strip() for s in p)]
