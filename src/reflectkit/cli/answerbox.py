"""The answer box: reading what people type and paste at a terminal, without losing a word.

In a full terminal the box is a prompt_toolkit input of several lines: arrow keys go back
to fix any line, and a bracketed paste arrives whole, blank lines and all. In plain mode
(``--plain``, TERM=dumb, screen readers) reflectkit echoes what is typed itself and writes
no escape sequence at all; the cursor stays at the end of the text.

In both, Enter on an empty last line finishes an answer once something was typed, but not
while more input is already waiting: that Enter belongs to a paste (a terminal without
bracketed paste types a pasted text in). Ctrl-C, SIGHUP and SIGTERM raise
:class:`Interrupted` carrying the whole box, the line being typed included. Ctrl-D in an
empty box, or input that has ended, is ``/quit`` (everything already answered is saved),
never a silent skip; input that ends with text in the box is an interruption, so the text
is kept. Ctrl-Z undoes.

prompt_toolkit is imported only inside the functions that show a prompt, so that loading
this module costs nothing at start-up.
"""

from __future__ import annotations

import os
import select
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.key_binding import KeyBindings, KeyPress, KeyPressEvent

Command = Literal["skip", "back", "quit", "help", "edit"]
Mode = Literal["text", "line", "pause"]
Action = Literal["finish", "newline", "nudge"]

COMMANDS: dict[str, Command] = {
    "/skip": "skip", "/back": "back", "/quit": "quit", "/help": "help", "?": "help", "/edit": "edit"
}  # fmt: skip
FINISH_HINT = "Enter on an empty line: finish · /skip /back /quit /help · /edit: your editor"
PLAIN_FINISH_HINT = "An empty line finishes (a paste stays whole). Or: /skip /back /quit /help /edit"
COMMANDS_HINT = "Or type /skip, /back, /quit or /help (also ?) alone on the line."
NUDGE = "Nothing to finish yet: type your answer, or /skip to leave it for now."
PAUSE_MESSAGE = "Press Enter to go on."
# How long a finishing Enter waits for more input before it counts as the person's own.
# A terminal typing a paste in sends its pieces well within this; a person who finishes
# and starts on the next question is slower.
PASTE_GAP = 0.15


@dataclass(frozen=True)
class Reply:
    """What came back from a prompt: an answer, or a command to move about."""

    kind: Literal["answer", "skip", "back", "quit", "help", "edit"]
    text: str = ""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, or SIGHUP/SIGTERM (the CLI turns those into KeyboardInterrupt), while typing."""

    def __init__(self, text: str) -> None:
        # The text stays out of the exception's arguments, so that no traceback prints it.
        super().__init__()
        self.text = text


# -- pure rules ------------------------------------------------------------------------------
def parse_command(text: str) -> Command | None:
    """The command ``text`` is, when it is a command word alone (any case, spaces around)."""
    return COMMANDS.get(text.strip().lower())


def reply_for(text: str) -> Reply:
    """The reply for a finished box: a command alone; a command alone on the last line below
    some text, which goes with it (to the editor for ``/edit``, kept as an unfinished answer
    for ``/quit``, ``/back`` and ``/skip``, back in the box after ``/help``); or else an
    answer."""
    command = parse_command(text)
    if command:
        return Reply(command)
    head, _, last = text.rpartition("\n")
    after = parse_command(last)
    if head.strip() and after:
        return Reply(after, head)
    return Reply("answer", text)


def decide(mode: Mode, text: str, *, at_end: bool, at_once: bool = False) -> Action:
    """What Enter does (Esc then Enter, or Alt-Enter, when ``at_once``), before checking
    whether more input is waiting. Only a text box ever waits for a second Enter."""
    if mode != "text":
        return "finish"
    if not text or (at_once and not text.strip()):
        return "nudge"  # an Enter left over from an earlier page must not skip a question
    if parse_command(text) or (at_once and text.strip()):
        return "finish"
    if text.strip() and at_end and (text.endswith("\n") or reply_for(text).kind != "answer"):
        return "finish"
    return "newline"


def result_for(mode: Mode, text: str) -> Reply:
    """The reply once a box finishes; only the finishing line breaks are taken off."""
    if mode == "text":
        return reply_for(text.rstrip("\n"))
    if mode == "pause":
        return Reply("answer", text.rstrip("\n"))
    return reply_for(text)


def mend(text: str) -> str:
    """Bytes that were not UTF-8 (kept as surrogates) read as Windows-1252, the way an older
    terminal sends a '£', so that no typed character is dropped or replaced."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    from reflectkit.answering import decode_typed

    return decode_typed(text.encode("utf-8", errors="surrogateescape"))


def echo_for(shown: str, new: str, prompt: str) -> str:
    """What to write so that a plain terminal, which showed ``shown``, shows ``new``:
    characters rubbed out with backspace, new text added, never an escape sequence."""
    from reflectkit.textsafe import safe

    pairs = zip(shown, new, strict=False)  # up to the shorter one
    common = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(shown), len(new)))
    removed, added = shown[common:], new[common:]
    if "\n" in removed or "\t" in removed:
        # A line break cannot be taken back without moving the cursor up: show the line
        # being written afresh instead.
        return "\n" + prompt + safe(new.rpartition("\n")[2])
    rub_out = "".join("\b" * n + " " * n + "\b" * n for n in map(_width, reversed(removed)))
    return rub_out + safe(added).replace("\n", "\n" + prompt)


def _width(char: str) -> int:
    """Columns a character takes: none for an accent that combines, two for a wide one."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


# -- the public prompts ------------------------------------------------------------------------
def read_text(*, initial: str = "", plain: bool = False, toolbar: str | None = None) -> Reply:
    """A text answer of any length. ``initial`` fills the box (a draft being resumed), the
    cursor at its end. ``toolbar`` replaces the hint line shown under the box.

    Raises:
        Interrupted: on Ctrl-C, SIGHUP or SIGTERM, with everything in the box.
    """
    hint = toolbar or (PLAIN_FINISH_HINT if _is_plain(plain) else FINISH_HINT)
    return _ask("text", "> ", initial=initial, hint=hint, plain=plain)


def read_line(prompt: str, *, plain: bool = False, initial: str = "") -> Reply:
    """One line: statement numbers, a scale value, a table cell, a choice. Enter on an
    empty line gives ``Reply("answer", "")``; the caller decides what empty means.

    Raises:
        Interrupted: on Ctrl-C, SIGHUP or SIGTERM, with what was typed.
    """
    return after_initial(_ask("line", prompt, initial=initial, hint="", plain=plain), initial)


def after_initial(reply: Reply, initial: str) -> Reply:
    """A line that opened filled in (a table cell, a draft) with a command typed straight
    after its text ("...report to/quit"): the command, the text as it was."""
    if reply.kind == "answer" and initial and reply.text.startswith(initial):
        command = parse_command(reply.text[len(initial) :])
        if command:
            return Reply(command)
    return reply


def pause(message: str = PAUSE_MESSAGE, *, plain: bool = False) -> str:
    """Wait for Enter. Returns what was typed or pasted meanwhile ("" for none), so that the
    caller can carry it on; it never reaches the next prompt.

    Raises:
        Interrupted: on Ctrl-C, SIGHUP or SIGTERM, with what was typed.
    """
    return _ask("pause", message.rstrip() + " ", initial="", hint="", plain=plain).text


# -- running a prompt ----------------------------------------------------------------------------
@dataclass
class _State:
    """One prompt's mode and the line under it; plain mode writes instead of showing a note."""

    mode: Mode
    hint: str
    write: Callable[[str], None] | None = None
    note: str = ""

    def toolbar(self) -> str:
        return self.note or self.hint

    def nudge(self, prompt: str) -> None:
        if self.write:
            self.write(f"\n{self.hint}\n{prompt}")
        else:
            self.note = NUDGE

    def clear(self, _: object) -> None:
        self.note = ""


def _is_plain(plain: bool) -> bool:
    if plain or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return True
    try:
        return not (sys.stdin.isatty() and sys.stdout.isatty())
    except (ValueError, AttributeError):  # closed or replaced streams
        return True


def _ask(mode: Mode, prompt: str, *, initial: str, hint: str, plain: bool) -> Reply:
    make = _plain_prompt if _is_plain(plain) else _box_prompt
    run, buffer = make(mode, prompt, initial, hint)
    try:
        return run()
    except EOFError:
        # Ctrl-D in an empty box, or input that ended: stop, keeping anything typed.
        if buffer.text.strip():
            raise Interrupted(mend(buffer.text)) from None
        return Reply("quit")
    except KeyboardInterrupt as exc:
        # Ctrl-C, or a signal the CLI turned into KeyboardInterrupt, wherever it landed
        # inside prompt_toolkit: the buffer still holds every character typed.
        raise Interrupted(mend(buffer.text)) from exc


def _box_prompt(mode: Mode, prompt: str, initial: str, hint: str) -> tuple[Callable[[], Reply], Buffer]:
    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.filters import is_done
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl

    buffer = Buffer(multiline=True, document=Document(initial))
    state = _State(mode, hint)

    def prefix(line: int, wrap: int) -> str:
        if wrap:
            return "  " if mode == "text" else ""
        return prompt if line == 0 or mode == "text" else ""

    box = Window(BufferControl(buffer), get_line_prefix=prefix, wrap_lines=True, dont_extend_height=True)
    # The hint sits right under the box, not at the foot of the window, and goes once done.
    hint_line = Window(FormattedTextControl(state.toolbar), wrap_lines=True, dont_extend_height=True)
    parts = [box, ConditionalContainer(hint_line, filter=~is_done)] if mode == "text" else [box]
    app: Application[Reply] = Application(layout=Layout(HSplit(parts)), key_bindings=_bindings(state, prompt))
    buffer.on_text_changed += state.clear
    return app.run, buffer


def _plain_prompt(mode: Mode, prompt: str, initial: str, hint: str) -> tuple[Callable[[], Reply], Buffer]:
    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.layout import Layout, Window
    from prompt_toolkit.layout.controls import BufferControl
    from prompt_toolkit.output import DummyOutput

    continuation = "> " if mode == "text" else ""
    if mode == "text":
        _write(hint + "\n")
    buffer = Buffer(multiline=True, document=Document(initial))
    shown: list[str] = []  # what the terminal shows; empty until the prompt is written

    def show(_: object = None) -> None:
        if not shown:  # the first render: raw mode is on, so nothing typed is echoed twice
            _write(prompt)
            shown.append("")
        _write(echo_for(shown[0], buffer.text, continuation))
        shown[0] = buffer.text

    def keep_cursor_at_end(_: object) -> None:
        buffer.cursor_position = len(buffer.text)  # what is shown is always what is there

    def nudge(text: str) -> None:
        show()
        _write(text)

    state = _State(mode, hint, write=nudge)
    app: Application[Reply] = Application(
        layout=Layout(Window(BufferControl(buffer))),
        key_bindings=_bindings(state, continuation or prompt),
        output=DummyOutput(),
    )
    app.after_render += show
    buffer.on_cursor_position_changed += keep_cursor_at_end

    def run() -> Reply:
        try:
            return app.run()
        finally:
            if shown:
                show()
            _write("\n")

    return run, buffer


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError):  # the terminal has gone: what was typed is kept regardless
        pass


def _bindings(state: _State, prompt: str) -> KeyBindings:
    from prompt_toolkit.application import get_app
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("enter")
    @kb.add("c-j")  # some terminals send a line feed for Enter
    def _enter(event: KeyPressEvent) -> None:
        _on_enter(event, state, prompt, at_once=False)

    @kb.add("escape", "enter")  # also Alt-Enter
    def _finish(event: KeyPressEvent) -> None:
        _on_enter(event, state, prompt, at_once=True)

    @kb.add("c-i")  # a tab is part of the text, typed or pasted
    def _tab(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text("\t")

    @kb.add("c-z")  # undo, as people expect; never a control character in the answer
    def _undo(event: KeyPressEvent) -> None:
        event.current_buffer.undo()

    @kb.add("c-c")
    @kb.add("<sigint>")
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt)

    @kb.add("c-d", filter=Condition(lambda: not get_app().current_buffer.text))
    def _end(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError)

    return kb


def _on_enter(event: KeyPressEvent, state: _State, prompt: str, *, at_once: bool) -> None:
    buffer = event.current_buffer
    text = buffer.text
    action = decide(state.mode, text, at_end=buffer.cursor_position == len(text), at_once=at_once)
    if action == "finish" and not at_once and _more_waiting(event.app):
        action = "newline"  # the rest of a paste is already here: this Enter is part of it
    if action == "finish":
        event.app.exit(result=result_for(state.mode, mend(text)))
    elif action == "newline":
        buffer.insert_text("\n")
    else:
        state.nudge(prompt)


def _more_waiting(app: Application[Reply]) -> bool:
    """Whether more keys follow at once: read in the same go, or arriving within PASTE_GAP.
    Keys read here are queued to be handled next, in order."""
    from prompt_toolkit.keys import Keys

    def typed(keys: Iterable[KeyPress]) -> bool:  # a position report comes from the terminal
        return any(k.key != Keys.CPRResponse for k in keys)

    processor = app.key_processor
    if typed(processor.input_queue):
        return True
    deadline = time.monotonic() + PASTE_GAP
    try:
        fileno = app.input.fileno()
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([fileno], [], [], left)[0]:
                return False
            keys = app.input.read_keys()
            processor.feed_multiple(keys)
            if typed(keys):
                return True
            if app.input.closed:
                return False
    except (OSError, ValueError, NotImplementedError):  # no select on this input (Windows)
        return False
    return False
