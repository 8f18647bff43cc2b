"""Showing things and asking for things: the only place that talks to the terminal.

User text always goes through :func:`reflectkit.textsafe.safe` and is rendered as
``rich.text.Text``, never as markup. ``--plain`` (also NO_COLOR or TERM=dumb) prints plain
text with no colours, no escape sequences and no box drawing, for screen readers.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from reflectkit.cli.fastwrap import keep_commands_whole
from reflectkit.errors import NeedsInputError
from reflectkit.textsafe import safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import RenderableType

    from reflectkit.cli.answerbox import Reply

READING_WIDTH = 88
PART_LINES = 30


def wants_plain(flag: bool) -> bool:
    # no-color.org: NO_COLOR counts only when it is set to something.
    return flag or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


@dataclass
class UI:
    """One run's terminal: where output goes and whether we may ask questions."""

    plain: bool = False
    no_input: bool = False
    carry: str = ""  # typed on a "Press Enter" page, waiting for the next answer box
    keeper: Callable[[str], None] | None = None  # see leading_to
    out: Console = field(init=False)
    err: Console = field(init=False)

    def __post_init__(self) -> None:
        kwargs: dict[str, object] = {"highlight": False, "emoji": False}
        if self.plain:
            kwargs["color_system"] = None
        self.out = Console(**kwargs)  # type: ignore[arg-type]
        self.err = Console(stderr=True, **kwargs)  # type: ignore[arg-type]
        # Rich ends the program with exit 1 when the reader goes away; reflectkit's main
        # stops quietly instead (`reflectkit case | head -1` is not an error).
        self.out.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
        self.columns = self.out.width  # the console's size, read once
        self.width = min(self.columns, READING_WIDTH)
        # Uncoloured output to a pipe or file: plain text can be laid out without Rich.
        self.quick = self.out.color_system is None and not self.out.is_terminal and not self.out.record

    # -- input -------------------------------------------------------------------
    @property
    def interactive(self) -> bool:
        return not self.no_input and sys.stdin.isatty()

    def require_input(self, what: str, *, instead: str = "") -> None:
        """Raise NeedsInputError naming what would have been asked, when we cannot ask.
        ``instead`` names a command that works without a terminal, if there is one."""
        if not self.interactive:
            reason = "--no-input was given" if self.no_input else "input is not a terminal"
            hint = f"It did not, because {reason}. Run it in a terminal"
            raise NeedsInputError(
                f"this needs an answer to: {what}",
                hint=hint + (f", or: {instead}" if instead else "."),
            )

    def read_text(self, *, initial: str = "") -> Reply:
        """A text answer in the answer box. Text typed on a "Press Enter" page is offered
        here rather than lost."""
        from reflectkit.cli import answerbox

        if self.carry:
            initial = f"{initial}\n{self.carry}" if initial else self.carry
            self.carry = ""
        return answerbox.read_text(initial=initial, plain=self.plain)

    def read_line(self, prompt: str, *, initial: str = "") -> Reply:
        """One line: numbers, a scale value, a table cell, a choice. Commands come back as such."""
        from reflectkit.cli import answerbox

        return answerbox.read_line(prompt, plain=self.plain, initial=initial)

    def choose(self, prompt: str, letters: str, *, default: str) -> str:
        """One of ``letters``; Enter gives ``default``; /quit, /skip or /back give the default
        too (the caller has saved everything already); anything else is asked again."""
        while True:
            reply = self.read_line(prompt)
            if reply.kind != "answer":
                return default
            typed = reply.text.strip().lower()[:1] or default
            if typed in letters:
                return typed
            self.warn(f"Please type one of: {', '.join(letters)}.")

    def pause(self) -> None:
        """A page that waits for Enter. Anything typed or pasted on it is kept for the next
        answer box, and the user is told so. Stopped on the page (Ctrl-C, a closed window)
        with words typed, they go to the keeper :meth:`leading_to` set, if any."""
        if not self.interactive:
            return
        from reflectkit.cli import answerbox

        try:
            extra = answerbox.pause(plain=self.plain)
        except answerbox.Interrupted as exc:
            typed = "\n".join(t for t in (self.carry, exc.text) if t.strip())
            if typed.strip() and self.keeper is not None:
                self.carry = ""
                self.keeper(typed)  # keeps the words, then stops the run saying where they are
            self.carry = typed  # nothing keeps them here: the run shows them as it stops
            raise
        if extra.strip():
            self.carry = f"{self.carry}\n{extra}" if self.carry else extra
            self.say("What you typed there is kept: you will find it in the next answer box.", style="dim")

    @contextlib.contextmanager
    def leading_to(self, keeper: Callable[[str], None] | None) -> Iterator[None]:
        """While open, words typed on a "Press Enter" page when the run is stopped there go
        to ``keeper`` (which keeps them for the answer the pages lead to, and raises to
        stop the run saying where they are) rather than being lost."""
        before, self.keeper = self.keeper, keeper
        try:
            yield
        finally:
            self.keeper = before

    def give_back_carried(self) -> None:
        """Words typed on a page that no answer box took (the run ended or stopped first):
        shown, so they can be copied, since they were not saved."""
        if not self.carry.strip():
            return
        self.warn("What you typed on a page was not saved: no answer box came after it. Here it is, to copy:")
        self.err.print(Text("\n".join("  " + line for line in safe(self.carry).split("\n"))), soft_wrap=True)
        self.carry = ""

    # -- output ------------------------------------------------------------------
    @contextlib.contextmanager
    def paged(self) -> Iterator[None]:
        """Long output goes through $PAGER (or less) when it is shown in a terminal, never
        when it is piped or saved. less quits at once if it fits on one screen."""
        if not (self.out.is_terminal and sys.stdin.isatty()) or os.environ.get("PAGER") == "":
            yield
            return
        os.environ.setdefault("LESS", "-FRX")
        with self.out.pager(styles=not self.plain):
            yield

    def show(self, *items: RenderableType) -> None:
        """Print screens built elsewhere (Rich renderables), at the reading width."""
        for item in items:
            self.out.print(item, width=self.width)

    def wide(self, *items: RenderableType) -> None:
        """Print tables and lists at the terminal's full width (prose keeps a reading width)."""
        for item in items:
            self.out.print(item)

    def say(self, text: str = "", style: str = "") -> None:
        """Print our own text (not user text) as plain words, no markup. A reflectkit
        command in it is kept on one line where it fits."""
        self.out.print(Text(keep_commands_whole(text, self.width), style=style), width=self.width)

    def user_text(self, text: str, *, indent: int = 2) -> None:
        """Print text a user wrote: made safe, never interpreted."""
        if self.plain:  # the terminal (or screen reader) wraps; every line keeps its indent
            pad = " " * indent
            self.out.print(Text("\n".join(pad + line for line in safe(text).split("\n"))), soft_wrap=True)
            return
        # Wrapped lines keep the indent too, so an answer reads as one block; no line is
        # padded out with spaces to the width (a file or a pipe gets the words alone).
        options = self.out.options.update(width=max(self.width - indent, 10))
        lines = self.out.render_lines(Text(safe(text)), options, pad=False)
        pad = " " * indent
        laid = "\n".join((pad + "".join(seg.text for seg in line)).rstrip() for line in lines)
        self.out.print(Text(laid), soft_wrap=True)

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
        if self.plain:  # a screen reader reads a line of "=" sign by sign: a blank line will do
            self.out.print(Text(f"\n{text}\n"))
        else:
            self.out.print()
            self.out.print(Text(text, style="bold"), width=self.width)
            self.out.print(Rule(style="dim"), width=self.width)

    def markdown(self, body: str, *, paged: bool = False) -> None:
        """Show workbook text (our own Markdown). Long texts come in parts when ``paged``."""
        # Parts that fit the window, so that a heading never scrolls away unread.
        from rich.markdown import Markdown  # only the reading screens need it (costly to import)

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


class Block:
    """Output for one part of a long listing (a journal section, say), gathered and written
    at once: plain text is laid out here when :attr:`UI.quick` allows, anything else is
    printed by Rich in its place."""

    def __init__(self, ui: UI) -> None:
        self.ui = ui
        self.parts: list[str] = []

    def text(self, text: str, *, style: str = "", reading: bool = True) -> None:
        """Our own or already-safe text, at the reading width (else the full width)."""
        from reflectkit.cli.fastwrap import laid_out

        width = self.ui.width if reading else self.ui.columns
        laid = laid_out(text, width) if self.ui.quick else None
        if laid is not None:
            self.parts.append(laid)
        else:
            self.show(Text(text, style=style), width=width)

    def show(self, item: RenderableType, *, width: int | None = None) -> None:
        """A Rich renderable, printed after what was gathered before it."""
        self.write()
        self.ui.out.print(item, width=width)

    def write(self) -> None:
        """Write what was gathered, in one piece."""
        if self.parts:
            self.ui.out.file.write("".join(self.parts))
            self.parts = []


def _closed_pipe() -> None:
    raise BrokenPipeError


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
