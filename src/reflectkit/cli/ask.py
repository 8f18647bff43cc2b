"""Asking one question of each kind, saving the answer at once, and checking it for
details that could identify someone."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from rich.text import Text

from reflectkit.answering import (
    InputProblem,
    context_for,
    parse_scale,
    parse_statements,
    score_statements,
)
from reflectkit.cli.state import State
from reflectkit.content.models import (
    Question,
    ScaleQuestion,
    StatementsQuestion,
    TableQuestion,
    TextQuestion,
)
from reflectkit.errors import ReflectkitError, UsageError
from reflectkit.journal.models import Answer, Section
from reflectkit.journal.store import Journal

_RETYPE = TextQuestion(kind="text", id="retype", prompt="Type the answer again.")
TEXT_HINT = (
    "Type your answer. Press Enter on an empty line to finish. "
    "Enter straight away skips it for now; 'e' opens your editor; '?' shows help."
)


class Asker:
    """Asks questions for one journal and saves each answer the moment it is given."""

    def __init__(self, st: State, journal: Journal, *, editor: bool = False) -> None:
        self.st = st
        self.ui = st.ui
        self.journal = journal
        self.use_editor = editor
        self._earlier_text = ""
        self._partial: Any = None

    # -- the public step -----------------------------------------------------------
    def ask(self, section: Section, question: Question, *, position: int, label: str) -> Answer | None:
        """Ask ``question``; save and return the answer, or None when the user skipped it."""
        if self.ui.interactive and not self.st.config().welcomed:
            from reflectkit.cli.walk_cmd import privacy_note

            privacy_note(self.st, self.journal)
        self.ui.say()
        self.ui.say(label, style="bold cyan")
        self.ui.say(question.prompt, style="bold")
        self._earlier_text = self._show_earlier(section, question)
        self._partial = None
        try:
            value, score = self._read(question)
            if value is None:
                self.ui.say("Skipped for now. You can come back to it later.", style="dim")
                return None
            answer = self.save(section, question, value, score=score, position=position)
            self._partial = None
            self._after(question, value)
            if isinstance(value, str):
                self._privacy(section, question, answer, position)
            self._earlier_versions(section, question)
        except KeyboardInterrupt:
            # Ctrl-C (or a closed window) in the middle of an answer: keep what was typed,
            # marked unfinished so that `start` asks it again, then stop. Save first: the
            # terminal may already be gone.
            if self._partial:
                self.save(section, question, self._partial, position=position, unfinished=True, quiet=True)
                with contextlib.suppress(OSError):
                    self.ui.out.print()
                    self.ui.warn("What you had typed so far is saved; you can finish it later.")
            raise
        return answer

    def save(
        self,
        section: Section,
        question: Question,
        value: Any,
        *,
        score: float | None = None,
        position: int = 0,
        keep_history: bool = True,
        unfinished: bool = False,
        replacing: Any = None,
        quiet: bool = False,
    ) -> Answer:
        try:
            answer = self.journal.save_answer(
                section,
                question.id,
                question=question.prompt,
                kind=question.kind,
                value=value,
                position=position,
                context=context_for(question),
                score=score,
                keep_history=keep_history,
                unfinished=unfinished,
                replacing=replacing,
            )
        except (ReflectkitError, UnicodeError, OSError):
            self._rescue(value)
            raise
        if not quiet:
            self.ui.say("Saved.", style="green")
        return answer

    def _rescue(self, value: Any) -> None:
        """A save was refused: keep the text in a private draft and show it, so it is not lost."""
        text = value if isinstance(value, str) else repr(value)
        where = ""
        with contextlib.suppress(OSError):
            from reflectkit.fileio import ensure_private_dir

            drafts = self.st.store.home / "drafts"
            ensure_private_dir(drafts)
            fd, name = tempfile.mkstemp(prefix="unsaved-", suffix=".txt", dir=drafts)
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8", errors="surrogateescape"))
            where = f" A copy is in {name}."
        with contextlib.suppress(OSError):
            self.ui.warn(f"Your answer could not be saved.{where} Here it is, so you can copy it:")
            self.ui.user_text(text)

    # -- reading each kind ---------------------------------------------------------
    def _read(self, question: Question) -> tuple[Any, float | None]:
        self.ui.require_input(question.prompt)
        if isinstance(question, StatementsQuestion):
            return self._statements(question)
        if isinstance(question, TableQuestion):
            return self._table(question), None
        if isinstance(question, ScaleQuestion):
            return self._scale(question), None
        return self._text(question), None

    def _help(self, question: Question) -> None:
        self.ui.say(
            question.help or "There is no right answer: write what is true for your work.", style="italic"
        )

    def _text(self, question: TextQuestion) -> str | None:
        if self.use_editor:
            return self.edit(self._earlier_text)
        self.ui.say(TEXT_HINT, style="dim")
        lines: list[str] = []
        while True:
            line = self.ui.ask("> ")
            if not lines and line.strip() == "?":
                self._help(question)
                continue
            if not lines and line.strip().lower() == "e":
                return self.edit(self._earlier_text)
            if line == "":
                break
            lines.append(line)
            self._partial = "\n".join(lines)
        return "\n".join(lines) or None

    def _statements(self, question: StatementsQuestion) -> tuple[list[int] | None, float | None]:
        self.ui.numbered([s.text for s in question.statements])
        self.ui.say(
            "Type the numbers of the statements you think are true, e.g. 1,3. Enter skips; '?' shows help.",
            style="dim",
        )
        while True:
            typed = self.ui.ask("> ")
            if not typed.strip():
                return None, None
            if typed.strip() == "?":
                self._help(question)
                continue
            try:
                chosen = parse_statements(typed, len(question.statements))
            except InputProblem as exc:
                self.ui.warn(str(exc))
                continue
            score, _ = score_statements(question, chosen)
            return chosen, score

    def _scale(self, question: ScaleQuestion) -> int | None:
        self.ui.say(f"1 = {question.low_label}   5 = {question.high_label}", style="dim")
        while True:
            typed = self.ui.ask("Your answer, 1 to 5 (Enter skips, '?' for help): ")
            if not typed.strip():
                return None
            if typed.strip() == "?":
                self._help(question)
                continue
            try:
                return parse_scale(typed)
            except InputProblem as exc:
                self.ui.warn(str(exc))

    def _table(self, question: TableQuestion) -> list[list[str]] | None:
        self.ui.say(
            f"Fill in the table row by row. Columns: {', '.join(question.columns)}. "
            "Enter leaves a cell empty. Examples show the idea: write your own.",
            style="dim",
        )
        rows: list[list[str]] = []
        typed_any = False
        for row in question.rows:
            self.ui.say(f"{question.row_header}: {row.label}", style="bold")
            cells = []
            for index, column in enumerate(question.columns):
                example = row.example[index] if row.example else ""
                hint = f" [example: {example}]" if example else ""
                typed = self.ui.ask(f"  {column}{hint}: ")
                if typed.strip() == "?":
                    self._help(question)
                    typed = self.ui.ask(f"  {column}: ")
                typed_any = typed_any or bool(typed.strip())
                cells.append(typed if typed.strip() else "")
                if typed_any:
                    width = len(question.columns)
                    done = [*rows, cells + [""] * (width - len(cells))]
                    self._partial = done + [[""] * width] * (len(question.rows) - len(done))
            rows.append(cells)
        return rows if typed_any else None

    # -- after answering -----------------------------------------------------------
    def _after(self, question: Question, value: Any) -> None:
        if isinstance(question, StatementsQuestion):
            score, marks = score_statements(question, value)
            for mark in marks:
                verdict = "Right" if mark.right else "Not quite"
                picked = "you chose it" if mark.chosen else "you left it"
                head = Text(f"{verdict}: {picked}. ", style="green" if mark.right else "yellow")
                self.ui.numbered([head + Text(mark.feedback)], start=mark.number)
            self.ui.say(f"Your score: {score:.0%}", style="bold")
        elif isinstance(question, TextQuestion) and question.guidance:
            self.ui.say("Something to compare with your answer:", style="bold")
            self.ui.markdown(question.guidance)

    def _show_earlier(self, section: Section, question: Question) -> str:
        """Show the answer given before, if any; return its text (for the editor)."""
        unit = self.journal.load(section)
        earlier = unit.answers.get(question.id) if unit else None
        if earlier is None:
            return ""
        from reflectkit.export.common import describe

        if earlier.unfinished:
            self.ui.say(
                "You started this answer earlier. Type 'e' to finish it in your editor, or write it again:",
                style="dim",
            )
        else:
            self.ui.say(
                "Your earlier answer (a new one replaces it; the earlier one is kept "
                "in its history; 'e' opens it in your editor):",
                style="dim",
            )
        self.ui.user_text(describe(earlier))
        return earlier.value if isinstance(earlier.value, str) else ""

    def _privacy(self, section: Section, question: Question, answer: Answer, position: int) -> None:
        """Warn about details that may identify someone; offer to keep, edit or retype."""
        text = str(answer.value)
        while findings := self._findings(text):
            self._show_findings("This answer may identify someone:", findings)
            if not self.ui.interactive:
                return
            choice = self._choose(
                "Keep it as it is (k), edit it in your editor (e), or type it again here (r)? [k] ",
                "ker",
            )
            if choice == "k":
                return
            try:
                new = (
                    self.edit(text)
                    if choice == "e"
                    else self._text(TextQuestion(kind="text", id="retype", prompt="retype"))
                )
            except ReflectkitError as exc:  # the editor would not start: ask again
                self.ui.warn(str(exc))
                continue
            if not new:
                if self._choose("The answer is now empty. Remove it? (y/n) [n] ", "ny") == "y":
                    self.journal.forget(section, question.id, current=True)
                    self.ui.say(
                        "Removed. Any earlier version of the answer is back in its place; "
                        "otherwise the question is open again.",
                        style="green",
                    )
                    return
                continue
            # The user is taking out identifying details: the version they are replacing
            # must not linger in the history.
            self.save(section, question, new, position=position, keep_history=False, replacing=text)
            text = new

    def _earlier_versions(self, section: Section, question: Question) -> None:
        """Offer to remove the earlier versions of an answer that may identify someone."""
        unit = self.journal.load(section)
        answer = unit.answers.get(question.id) if unit else None
        if answer is None:
            return
        flagged = {
            index: findings
            for index, old in enumerate(answer.history)
            if isinstance(old.value, str) and (findings := self._findings(old.value))
        }
        if not flagged:
            return
        findings = [f for found in flagged.values() for f in found]
        self._show_findings(
            "An earlier version of this answer, kept in its history, may identify someone:", findings
        )
        if not self.ui.interactive:
            self.ui.warn("Answer this question again in a terminal to remove those earlier versions.")
            return
        prompt = (
            f"Remove {'that earlier version' if len(flagged) == 1 else 'those earlier versions'}? (y/n) [n] "
        )
        if self._choose(prompt, "ny") == "y":
            gone = self.journal.forget(section, question.id, earlier=set(flagged))
            self.ui.say(f"Removed {gone} earlier version(s). Other versions are kept.", style="green")

    def _findings(self, text: str) -> list[Any]:
        from reflectkit.privacy import find_identifiers

        return find_identifiers(text, names=self.st.config().names)

    def _show_findings(self, title: str, findings: list[Any]) -> None:
        self.ui.warn(title)
        for finding in findings:
            self.ui.warn(f"  - {finding.reason}")
            self.ui.user_text(f'"{finding.text}"', indent=4)

    def _choose(self, prompt: str, letters: str) -> str:
        """One of ``letters``; Enter gives the first; anything else is explained and asked again."""
        while True:
            typed = self.ui.ask(prompt).strip().lower()[:1] or letters[0]
            if typed in letters:
                return typed
            self.ui.warn(f"Please type one of: {', '.join(letters)}.")

    # -- the editor ------------------------------------------------------------------
    def edit(self, initial: str) -> str | None:
        """Open $VISUAL or $EDITOR on a private temp file; return what was written."""
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or _fallback_editor()
        if not command:
            raise UsageError("No editor found.", hint="Set EDITOR, for example: export EDITOR=nano")
        drafts = self.st.store.home / "drafts"
        from reflectkit.fileio import ensure_private_dir

        ensure_private_dir(drafts)
        fd, name = tempfile.mkstemp(prefix="answer-", suffix=".md", dir=drafts)
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(initial)
            try:
                subprocess.run([*shlex.split(command), str(path)], check=False)
            except OSError as exc:
                raise ReflectkitError(f"Could not start the editor {command!r}: {exc.strerror}.") from exc
            except KeyboardInterrupt:
                self._partial = decode_typed(path.read_bytes()).rstrip("\n") or self._partial
                raise
            text = decode_typed(path.read_bytes())
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
        return text.rstrip("\n") or None


def decode_typed(raw: bytes) -> str:
    """Text from bytes a person typed: UTF-8, with any byte that is not UTF-8 read as
    Windows-1252 (a '£' from an older terminal or editor), never dropped or replaced."""
    return raw.decode("utf-8", errors="surrogateescape").translate(_SURROGATE_BYTES)


_SURROGATE_BYTES = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}


def _fallback_editor() -> str:
    return next((e for e in ("nano", "vi") if shutil.which(e)), "")
