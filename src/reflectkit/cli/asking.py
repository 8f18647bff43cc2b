"""Asking one question of each kind and showing what follows. What is stored, and how,
is decided in :mod:`reflectkit.journal.lifecycle`; this module only asks and shows."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from reflectkit import drafts, sections
from reflectkit.answering import InputProblem, parse_scale, parse_statements, score_statements
from reflectkit.cli import interrupts, screens
from reflectkit.cli.answerbox import Interrupted, Reply, mend
from reflectkit.cli.state import State
from reflectkit.content.models import Question, ScaleQuestion, StatementsQuestion, TableQuestion, TextQuestion
from reflectkit.errors import ExitCode, ReflectkitError
from reflectkit.journal import lifecycle
from reflectkit.journal.models import Answer, Section
from reflectkit.journal.store import Journal
from reflectkit.textsafe import safe
from reflectkit.words import count

Outcome = Literal["answered", "skipped", "back", "quit"]
MOVES = ("skip", "back", "quit")


class Stopped(ReflectkitError):
    """The run was interrupted (Ctrl-C, a closed window); the message says exactly what was kept."""

    exit_code = ExitCode.INTERRUPTED


@dataclass(frozen=True)
class Item:
    """One question to ask, where it belongs, and how it is labelled on screen."""

    section: Section
    question: Question
    position: int
    label: str


def value_text(value: Any) -> str:
    """An answer's value as text a box or a draft can hold (a table as tab-separated rows)."""
    if isinstance(value, list) and all(isinstance(r, list) for r in value):
        return "\n".join("\t".join(row) for row in value)
    return value if isinstance(value, str) else str(value)


_SLASH_WORD = re.compile(r"/[A-Za-z][\w-]{0,30}")


class Asker:
    """Asks questions for one journal and saves each answer the moment it is given."""

    def __init__(self, st: State, journal: Journal, *, editor: bool = False) -> None:
        self.st, self.ui, self.journal = st, st.ui, journal
        self.use_editor = editor
        # Settings are read before anything is typed: a damaged config.toml is reported
        # now, not after an answer has been saved.
        self.names = tuple(st.config().names)
        self._partial: Any = None
        self._earlier = ""
        self._resume: Any = None  # an unfinished or rescued answer to carry on from
        self._rescued: tuple[Section, str] | None = None  # the question whose box began from a draft
        self._asked_about = ""  # a lone '/word' the user was told is not a command
        self._told_names = False  # pointed to `reflectkit privacy names add` this run
        self._answered_before = False  # the question shown has a finished answer already
        # Something to show once an answer is saved (the revisit compares confidence ratings).
        self.after_answer: Callable[[Item, Any], None] | None = None

    # -- one question ----------------------------------------------------------------
    def ask(self, item: Item) -> Outcome:
        """Ask ``item``; save the answer at once. Returns what the user chose to do."""
        with self.ui.leading_to(self.keeps_typing_for([item])):
            privacy_first(self.st, self.journal)
        self.ui.say()
        self.ui.say(item.label, style="bold cyan")
        self.ui.say(item.question.prompt, style="bold")
        initial = self._show_earlier(item)
        self._partial = None
        try:
            got = self._read(item, initial)
        except Interrupted as exc:
            self._stop_keeping(
                item, mend(exc.text) if isinstance(item.question, TextQuestion) else self._partial
            )
        if isinstance(got, str):
            text_kept = got == "skip" and isinstance(item.question, TextQuestion)
            if (got in ("quit", "back") or text_kept) and self._partial:
                self.ui.say(self._keep_unfinished(item, self._partial), style="dim")
            if got == "skip":
                skipped = (
                    "Your earlier answer is kept as it was."
                    if self._answered_before
                    else "Skipped for now. You can come back to it later."
                )
                self.ui.say(skipped, style="dim")
                return "skipped"
            return got  # type: ignore[return-value]
        value, score = got
        recorded = self._save(item, value, score)
        self._after(item.question, value)
        if self.after_answer is not None:
            self.after_answer(item, value)
        outcome = self._review(item, recorded)
        self._earlier_versions(item)
        return outcome or "answered"

    def _read(self, item: Item, initial: str) -> str | tuple[Any, float | None]:
        self.ui.require_input(item.question.prompt, instead=self._piped_hint(item))
        question = item.question
        if isinstance(question, StatementsQuestion):
            return self._statements(question)
        if isinstance(question, ScaleQuestion):
            return self._scale(question)
        if isinstance(question, TableQuestion):
            return self._table(question)
        return self._text(item, initial)

    def _piped_hint(self, item: Item) -> str:
        command = sections.reopen(item.section, item.position, self.st.workbook)
        return f"{command} < answer.txt" if command.startswith("reflectkit ") and "--" in command else ""

    def _help(self, question: Question) -> None:
        text = question.help or "There is no right answer: write what is true for your work."
        self.ui.say(text, style="italic")
        self.ui.say(screens.COMMANDS_LINE, style="dim")

    # -- reading each kind ---------------------------------------------------------
    def _text(self, item: Item, initial: str) -> str | tuple[Any, float | None]:
        if self.use_editor:
            written = self._edit(item, initial or self._earlier)
            if written is not None:
                return written, None
        while True:
            reply = self.ui.read_text(initial=initial)
            if reply.kind == "help":
                self._help(item.question)
                initial = reply.text  # what was typed above /help stays in the box
                continue
            if reply.kind == "edit":
                initial = reply.text
                written = self._edit(item, reply.text or self._earlier)
                if written is not None:
                    return written, None
                continue
            if reply.kind in MOVES:
                if reply.text.strip():  # typed above the command: kept as an unfinished answer
                    self._partial = mend(reply.text)
                return reply.kind
            if not reply.text.strip():
                self.ui.say(
                    "Nothing was typed. Write your answer, or /skip to leave it for now.", style="dim"
                )
                initial = ""
                continue
            word = reply.text.strip()
            if _SLASH_WORD.fullmatch(word) and word != self._asked_about:
                self._asked_about = word  # finished again as it is: saved as written
                self.ui.say(
                    f"{safe(word)!r} is not one of reflectkit's commands (/skip, /back, /quit, /help, "
                    "/edit). To save it as your answer, finish it again.",
                    style="dim",
                )
                initial = reply.text
                continue
            return mend(reply.text), None

    def _edit(self, item: Item, initial: str) -> str | None:
        """The answer written in the user's editor, or None to go on typing here."""
        from reflectkit.editor import (
            EditorInterrupted,
            EditorUnavailable,
            describe,
            edit_text,
            editor_command,
        )

        command = editor_command()
        self.ui.say(
            f"Writing in {describe(command)}: {item.question.prompt} "
            "Save and close the editor to come back here.",
            style="dim",
        )
        try:
            text = edit_text(
                initial, folder=self.st.store.home / "drafts", name_hint=item.label, command=command
            )
        except EditorUnavailable as exc:
            self.ui.warn(f"{exc.message} Type your answer here instead.")
            return None
        except EditorInterrupted as exc:
            raise Interrupted(exc.text) from None
        if not text.strip():
            self.ui.say("The editor came back empty. Type your answer here, or /skip.", style="dim")
            return None
        return text

    def _line(self, prompt: str, question: Question, initial: str = "") -> Reply:
        """One line, with /help answered here; moves and answers go back to the caller."""
        while True:
            reply = self.ui.read_line(prompt, initial=initial)
            if reply.kind == "help":
                self._help(question)
                continue
            if reply.kind == "edit":
                self.ui.say("This question is answered here, not in an editor.", style="dim")
                continue
            return reply

    def _statements(self, question: StatementsQuestion) -> str | tuple[Any, float | None]:
        self.ui.numbered([s.text for s in question.statements])
        self.ui.say("Type the numbers of the statements you think are true, e.g. 1,3.", style="dim")
        self.ui.say(screens.COMMANDS_LINE, style="dim")
        while True:
            reply = self._line("Your choice: ", question)
            if reply.kind in MOVES:
                return reply.kind
            if not reply.text.strip():
                self.ui.say("Type numbers such as 1,3, or /skip to leave it for now.", style="dim")
                continue
            try:
                chosen = parse_statements(reply.text, len(question.statements))
            except InputProblem as exc:
                self.ui.warn(str(exc))
                continue
            return chosen, score_statements(question, chosen)[0]

    def _scale(self, question: ScaleQuestion) -> str | tuple[Any, float | None]:
        self.ui.say(f"1 = {question.low_label}   5 = {question.high_label}", style="dim")
        self.ui.say(screens.COMMANDS_LINE, style="dim")
        while True:
            reply = self._line("Your answer, 1 to 5: ", question)
            if reply.kind in MOVES:
                return reply.kind
            if not reply.text.strip():
                self.ui.say("Type a number from 1 to 5, or /skip to leave it for now.", style="dim")
                continue
            try:
                return parse_scale(reply.text), None
            except InputProblem as exc:
                self.ui.warn(str(exc))

    def _table(self, question: TableQuestion) -> str | tuple[Any, float | None]:
        from reflectkit.cli.table_input import fill_table

        def keep(cells: list[list[str]]) -> None:
            self._partial = cells

        result = fill_table(self.ui, question, resume=self._resume, keep=keep, show_help=self._help)
        return result if isinstance(result, str) else (result, None)

    # -- saving ----------------------------------------------------------------------
    def _save(self, item: Item, value: Any, score: float | None) -> lifecycle.Recorded:
        """Record the answer with signals held off; say "Saved." only once it is."""
        recorded: lifecycle.Recorded | None = None
        try:
            with interrupts.deferred():
                try:
                    recorded = lifecycle.record(
                        self.journal, item.section, item.question, value,
                        position=item.position, score=score, names=self.names,
                    )  # fmt: skip
                except (ReflectkitError, OSError, UnicodeError) as exc:
                    self._rescue(item, value, exc)
                    raise
                drafts.remove_drafts(self.st.store.home, self.journal.name, item.section, item.question.id)
                interrupts.note_saved()
        except KeyboardInterrupt:
            # Held off during the save, a signal lands after it; one just before it, before.
            if recorded is None:
                self._stop_keeping(item, value)  # kept as unfinished, or a draft: it says which
            self.ui.say("Saved.", style="green")
            raise Stopped("Stopped after saving that answer. Everything you answered is saved.") from None
        self.ui.say("Saved.", style="green")
        return recorded

    def _rescue(self, item: Item, value: Any, exc: BaseException) -> None:
        """A save was refused: keep the text in a private draft, and show it, so it is not lost."""
        text = value_text(value)
        where = ""
        try:
            path = drafts.save_draft(
                self.st.store.home, journal=self.journal.name, section=item.section,
                question_id=item.question.id, question=item.question.prompt, text=text,
            )  # fmt: skip
            where = f" It is kept in {path}, and comes back in the box when you open this question again."
        except (ReflectkitError, OSError):
            where = " It could not be kept in a draft file either, so here it is to copy:"
        self.ui.warn(f"Your answer was not saved.{where}")
        if not where.endswith("."):
            self.ui.user_text(text)

    def _keep_unfinished(self, item: Item, partial: Any, *, what: str = "What you were writing") -> str:
        """Keep what was being written as an unfinished answer (or a draft); say which."""
        reopen = sections.reopen(item.section, item.position, self.st.workbook)
        with interrupts.deferred():
            try:
                lifecycle.keep_unfinished(
                    self.journal,
                    item.section,
                    item.question,
                    partial,
                    position=item.position,
                    names=self.names,
                )
            except (ReflectkitError, OSError, UnicodeError) as exc:
                self._rescue(item, partial, exc)
                return f"{what} could not be saved in the journal (see above)."
            if self._rescued == (item.section, item.question.id):  # the box began with the draft:
                with contextlib.suppress(OSError):  # what was kept now supersedes it
                    drafts.remove_drafts(
                        self.st.store.home, self.journal.name, item.section, item.question.id
                    )
        return f"{what} is kept as an unfinished answer; `{reopen}` opens it with your text."

    def keeps_typing_for(self, items: list[Item]) -> Callable[[str], None] | None:
        """A keeper for :meth:`UI.leading_to`: words typed on the pages before ``items`` are
        kept as the unfinished answer of the first text question among them (after any
        unfinished text it has already), and the run stops saying so."""
        target = next((i for i in items if isinstance(i.question, TextQuestion)), None)
        if target is None:
            return None

        def keep(typed: str) -> None:
            unit = self.journal.load(target.section)
            earlier = unit.answers.get(target.question.id) if unit else None
            before = earlier.value if earlier is not None and earlier.unfinished else ""
            text = f"{before}\n{typed}" if isinstance(before, str) and before.strip() else typed
            kept = self._keep_unfinished(target, mend(text), what="What you typed on that page")
            raise Stopped(f"Stopped. {kept} Everything you answered before is saved.")

        return keep

    def _stop_keeping(self, item: Item, partial: Any) -> None:
        kept = ""
        if partial and (not isinstance(partial, str) or partial.strip()):
            kept = " " + self._keep_unfinished(item, partial)
        raise Stopped(f"Stopped.{kept} Everything you answered before is saved.")

    # -- after answering ---------------------------------------------------------------
    def _after(self, question: Question, value: Any) -> None:
        if isinstance(question, StatementsQuestion):
            score, marks = score_statements(question, value)
            self.ui.show(*screens.statement_feedback(marks, score))
        elif isinstance(question, TableQuestion):
            self.ui.say("Your table:", style="bold")
            self.ui.wide(screens.table_recap(question, value, plain=self.ui.plain))
            model = screens.model_answers(question, plain=self.ui.plain)
            if model is not None:
                from reflectkit.content.models import month_words

                checked = f" (checked {month_words(question.checked)})" if question.checked else ""
                self.ui.say(f"Answers to compare with{checked}:", style="bold")
                self.ui.wide(model)
        elif isinstance(question, TextQuestion) and question.guidance:
            self.ui.say("Something to compare with your answer:", style="bold")
            self.ui.markdown(question.guidance)

    def _show_earlier(self, item: Item) -> str:
        """Show the answer given before, if any; return the text the box opens with."""
        self._earlier = ""
        rescued = drafts.drafts_for(self.st.store.home, self.journal.name, item.section, item.question.id)
        unit = self.journal.load(item.section)
        earlier: Answer | None = unit.answers.get(item.question.id) if unit else None
        self._answered_before = earlier is not None and not earlier.unfinished
        self._rescued = (item.section, item.question.id) if rescued else None
        if rescued:
            self.ui.say("An answer you wrote earlier could not be saved then. It is back below.", style="dim")
            self._resume = rescued[-1].text
            return rescued[-1].text
        self._resume = earlier.value if earlier is not None and earlier.unfinished else None
        if earlier is not None and earlier.kind == "table":
            self._resume = earlier.value  # the table opens filled in: Enter keeps a cell
        if earlier is None:
            return ""
        if earlier.unfinished:
            self.ui.say(
                "You started this answer earlier. It is below: carry on where you stopped.", style="dim"
            )
            return earlier.value if isinstance(earlier.value, str) else ""
        from reflectkit.cli.showing import answer_view

        self.ui.say(
            "Your earlier answer (a new one replaces it and the earlier one is kept in its history; "
            "/skip keeps it as it is"
            + ("; /edit changes it in your editor):" if earlier.kind == "text" else "):"),
            style="dim",
        )
        self.ui.show(answer_view(earlier, plain=self.ui.plain))
        self._earlier = earlier.value if isinstance(earlier.value, str) else ""
        return ""

    def _review(self, item: Item, recorded: lifecycle.Recorded) -> Outcome | None:
        """An answer that may identify someone is saved marked for review. The user changes
        it (the default) or keeps it as it is by choice; until then it stays marked."""
        reopen = sections.reopen(item.section, item.position, self.st.workbook)
        value: Any = recorded.answer.value
        found = recorded.findings
        while found:
            self.ui.show(*screens.findings("This answer may identify someone:", found))
            if not self.ui.interactive:
                self.ui.warn(
                    f"It is saved, marked for review: `reflectkit check` lists it. To change it: {reopen}"
                )
                return None
            self.ui.say(
                "It is saved, marked for review until you change it or choose to keep it.", style="dim"
            )
            if not self._told_names and not self.names:  # once a run, until the user lists a name
                self._told_names = True
                self.ui.say(
                    "reflectkit finds names only after a title such as Mrs or Dr. To be warned about "
                    "the names you work with: reflectkit privacy names add",
                    style="dim",
                )
            is_text = isinstance(value, str)
            choice = self.ui.choose(
                "Change it here (c), in your editor (e), or keep it as it is (k)? [c] "
                if is_text
                else "Fill the table in again (c), or keep it as it is (k)? [c] ",
                "cek" if is_text else "ck",
                default="c",
            )
            if choice == "k":
                lifecycle.set_review(self.journal, item.section, item.question.id, needs_review=False)
                self.ui.say("Kept as it is, by your choice.", style="dim")
                return None
            try:
                new = self._changed(item, value, editor=choice == "e")
            except Interrupted as exc:
                partial = exc.text if is_text else self._partial
                self._stop_keeping(item, partial)
            if new is None:
                self.ui.say(
                    f"Left as it was, still marked for review. To change it later: {reopen}", style="dim"
                )
                return None
            with interrupts.deferred():
                recorded = lifecycle.replace_identifying(
                    self.journal, item.section, item.question, new, replacing=value,
                    position=item.position, names=self.names,
                )  # fmt: skip
            self.ui.say("Saved.", style="green")
            value, found = new, recorded.findings
        return None

    def _changed(self, item: Item, value: Any, *, editor: bool) -> Any:
        """The answer changed by the user, or None (or a move) when they left it."""
        if isinstance(value, str):
            if editor:
                written = self._edit(item, value)
                if written is not None:
                    return written
            self.ui.say(
                "Your answer is in the box below: change or take out the details, then press Enter "
                "on an empty line. (Ctrl-U deletes from the cursor back to the start of its line.)",
                style="dim",
            )
            while True:
                reply = self.ui.read_text(initial=value)
                if reply.kind == "help":
                    self._help(item.question)
                    value = reply.text or value
                    continue
                if reply.kind in MOVES or reply.kind == "edit":
                    # A change typed above the command is kept; only a box left as it was
                    # leaves the answer as it was.
                    changed = mend(reply.text) if reply.text.strip() else ""
                    return changed if changed and changed != value else None
                if reply.text.strip():
                    return mend(reply.text)
                self.ui.say("An empty answer cannot replace it; /skip leaves it as it was.", style="dim")
        self._resume = value
        result = self._table(item.question)  # type: ignore[arg-type]
        return None if isinstance(result, str) else result[0]

    def _earlier_versions(self, item: Item) -> None:
        """Offer to remove earlier versions of the answer that may identify someone."""
        unit = self.journal.load(item.section)
        answer = unit.answers.get(item.question.id) if unit else None
        flagged = lifecycle.identifying_history(answer, self.names) if answer else {}
        if not flagged:
            return
        found = [f for group in flagged.values() for f in group]
        self.ui.show(
            *screens.findings(
                "An earlier version of this answer, kept in its history, may identify someone:", found
            )
        )
        reopen = sections.reopen(item.section, item.position, self.st.workbook)
        if not self.ui.interactive:
            self.ui.warn(f"Open this question in a terminal to remove it: {reopen}")
            return
        one = len(flagged) == 1
        prompt = f"Remove {'that earlier version' if one else 'those earlier versions'}? (y/n) [y] "
        if self.ui.choose(prompt, "yn", default="y") == "y":
            gone = lifecycle.redact_history(self.journal, item.section, item.question.id, self.names)
            after = self.journal.load(item.section)
            kept = (
                len(after.answers[item.question.id].history)
                if after and item.question.id in after.answers
                else 0
            )
            others = {0: "", 1: " The other earlier version is kept."}
            rest = others.get(kept, f" The other {count(kept, 'earlier version')} are kept.")
            self.ui.say(f"Removed {count(gone, 'earlier version')}.{rest}", style="green")
        else:
            self.ui.say(
                f"Kept. `reflectkit check` will go on listing it; {reopen} removes it later.", style="dim"
            )


def privacy_first(st: State, jr: Journal) -> None:
    """Before the first answer, whichever command comes first: the privacy note, once."""
    if st.ui.interactive and not st.config().welcomed:
        privacy_note(st, jr)


def privacy_note(st: State, jr: Journal) -> None:
    st.ui.heading("Before you write: privacy")
    st.ui.markdown(st.workbook.privacy_note)
    st.ui.say(f"Your journal is kept on this computer, in {jr.path}", style="dim")
    st.ui.pause()
    with st.edit_config() as editable:
        editable.welcomed = True


def ask_in_turn(asker: Asker, items: list[Item]) -> Outcome:
    """Ask ``items`` in order: /back goes to the one before, /skip to the next, /quit stops.
    Returns "quit" if the user stopped, else "answered"."""
    index = 0
    while index < len(items):
        outcome = asker.ask(items[index])
        if outcome == "quit":
            return "quit"
        if outcome == "back":
            if index == 0:
                asker.ui.say("This is the first question here; there is none before it.", style="dim")
            index = max(index - 1, 0)
            continue
        index += 1
    return "answered"


def stopped_for_now(st: State, carry_on: str) -> None:
    st.ui.say()
    st.ui.say(
        f"Stopped for now. Everything you answered is saved. Carry on any time with: {carry_on}", style="bold"
    )
