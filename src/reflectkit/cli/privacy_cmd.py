"""`reflectkit check` and `reflectkit privacy names`: finding details that could identify someone."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.text import Text

from reflectkit import sections
from reflectkit.cli.options import JournalOpt, PlainOpt, state
from reflectkit.cli.state import State
from reflectkit.errors import ExitCode, UsageError
from reflectkit.export.document import Document
from reflectkit.paths import today
from reflectkit.textsafe import one_line, safe
from reflectkit.words import count

privacy_app = typer.Typer(
    help="Your list of names to watch for. They are kept in your settings and never exported.",
    no_args_is_help=True,
)
names_app = typer.Typer(
    help="Names reflectkit warns about when they appear in an answer.\n\n"
    "Names are typed at a prompt (or piped in, one per line), never on the command line, "
    "so they do not land in your shell history.\n\n"
    "\b\nExamples:\n  reflectkit privacy names add\n  reflectkit privacy names list\n"
    "  reflectkit privacy names remove",
    no_args_is_help=True,
)
privacy_app.add_typer(names_app, name="names")


def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON, for scripts.")] = False,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    """Look through a journal for details that could identify someone.

    It finds NHS and National Insurance numbers, postcodes, phone numbers, email addresses,
    dates of birth, street addresses and the names on your own list. It cannot catch
    everything: read your answers too. Exits 1 when something is found.

    \b
    Example:
      reflectkit check
    """
    from reflectkit.privacy import LIMITATIONS

    st = state(ctx, plain=plain)
    jr = st.journal(journal, create=False)
    from reflectkit.cli.showing import warn_damaged
    from reflectkit.export.document import LazyParts, stream

    doc = stream(jr, st.workbook, generated=today())  # a part at a time: memory stays flat
    rows = journal_findings(st, doc) + draft_findings(st, jr.name)
    st.left_out = warn_damaged(st, doc.parts) if isinstance(doc.parts, LazyParts) else False
    if as_json:
        ascii_only = sys.stdout.isatty()  # nothing in an answer may act on the screen
        print(json.dumps({"journal": jr.name, "findings": rows}, ensure_ascii=ascii_only, indent=2))
    else:
        _show_findings(st, rows, LIMITATIONS)
    if rows:
        raise typer.Exit(int(ExitCode.FOUND))
    if st.left_out:  # a file could not be read, so it could not be checked
        raise typer.Exit(int(ExitCode.BAD_DATA))


def journal_findings(st: State, doc: Document) -> list[dict[str, Any]]:
    """Every finding in the answers and in their earlier versions, with how to fix it."""
    from reflectkit.journal.lifecycle import texts_of
    from reflectkit.privacy import find_identifiers

    names = st.config().names
    rows: list[dict[str, Any]] = []
    for part in doc.parts:
        for qid, answer in part.answers:
            texts = [("current", answer.value), *(("earlier", old.value) for old in answer.history)]
            before = len(rows)
            for version, value in texts:
                for f in (f for text in texts_of(value) for f in find_identifiers(text, names=names)):
                    rows.append(
                        {
                            "section": part.title,
                            "question_id": qid,
                            "question": answer.question,
                            "version": version,
                            "kind": f.kind,
                            "text": f.text,
                            "start": f.start,
                            "end": f.end,
                            "reason": f.reason,
                            "fix": sections.reopen(part.unit.key, answer.position, st.workbook),
                        }
                    )
            if answer.needs_review and len(rows) == before:
                rows.append(_marked_row(st, part, qid, answer))
    return rows


def _marked_row(st: State, part: Any, qid: str, answer: Any) -> dict[str, Any]:
    return {
        "section": part.title,
        "question_id": qid,
        "question": answer.question,
        "version": "current",
        "kind": "needs-review",
        "text": "",
        "start": 0,
        "end": 0,
        "reason": "This answer was saved marked for a privacy review, and has not been reviewed yet.",
        "fix": sections.reopen(part.unit.key, answer.position, st.workbook),
    }


def draft_findings(st: State, journal: str) -> list[dict[str, Any]]:
    """Findings in rescue drafts: they hold text as private as the journal's."""
    from reflectkit.drafts import list_drafts
    from reflectkit.privacy import find_identifiers

    names = st.config().names
    rows = []
    drafts, _ = list_drafts(st.store.home, journal=journal)
    for draft in drafts:
        for f in find_identifiers(draft.text, names=names):
            rows.append(
                {
                    "section": f"A draft kept when a save failed ({draft.path.name})",
                    "question_id": draft.question_id,
                    "question": draft.question,
                    "version": "draft",
                    "kind": f.kind,
                    "text": f.text,
                    "start": f.start,
                    "end": f.end,
                    "reason": f.reason,
                    "fix": "reflectkit journal drafts --remove  (or open the question again to use it)",
                }
            )
    return rows


def _show_findings(st: State, rows: list[dict[str, Any]], limitations: str) -> None:
    if not rows:
        st.ui.say("Nothing that looks identifying was found.", style="green")
    # One answer's findings together: its part and question once, the command to change it once.
    for index, row in enumerate(rows):
        before = rows[index - 1] if index else None
        after = rows[index + 1] if index + 1 < len(rows) else None
        if before is None or _answer_of(before) != _answer_of(row):
            st.ui.out.print(Text(safe(str(row["section"])), style="bold"))
            st.ui.out.print(Text("  " + one_line(str(row["question"]))))
        where = {"earlier": "In an earlier version of this answer: ", "draft": "In a draft: "}.get(
            row["version"], ""
        )
        st.ui.out.print(Text(f"  {where}{row['reason']}", style="yellow"))
        if row["text"]:
            st.ui.user_text(f'"{row["text"]}"', indent=4)
        if after is None or _answer_of(after) != _answer_of(row):
            st.ui.say(f"  To change it: {row['fix']}", style="dim")
    st.ui.say()
    st.ui.say(limitations, style="dim")


def _answer_of(row: dict[str, Any]) -> tuple[str, str, str]:
    """Which answer (or draft) a finding is in."""
    return str(row["section"]), str(row["question_id"]), str(row["fix"])


def _read_names(st: State, what: str) -> list[str]:
    if not sys.stdin.isatty():
        return [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    st.ui.require_input(what, instead="echo NAME | reflectkit privacy names add")
    reply = st.ui.read_line(f"{what} (Enter to cancel): ")
    typed = reply.text.strip() if reply.kind == "answer" else ""
    return [typed] if typed else []


@names_app.command("add")
def names_add(ctx: typer.Context) -> None:
    """Add a name to watch for (typed, or piped in one per line)."""
    st = state(ctx, writes=True)
    typed = _read_names(st, "Name to watch for")
    with st.edit_config() as config:
        added = [n for n in typed if n.casefold() not in {c.casefold() for c in config.names}]
        config.names.extend(added)
    st.ui.say(
        f"Added {count(len(added), 'name')}. reflectkit now watches for {count(len(config.names), 'name')}."
    )


@names_app.command("remove")
def names_remove(ctx: typer.Context) -> None:
    """Stop watching for a name (typed at the prompt, or piped in)."""
    st = state(ctx, writes=True)
    gone = {n.casefold() for n in _read_names(st, "Name to stop watching for")}
    with st.edit_config() as config:
        before = len(config.names)
        if not any(n.casefold() in gone for n in config.names):
            raise UsageError("That name was not on your list; nothing changed.")
        config.names = [n for n in config.names if n.casefold() not in gone]
    st.ui.say(f"Removed {count(before - len(config.names), 'name')}.")


@names_app.command("list")
def names_list(ctx: typer.Context) -> None:
    """Show the names reflectkit watches for."""
    st = state(ctx)
    names = st.config().names
    if not names:
        st.ui.say("Your list is empty. Add a name with: reflectkit privacy names add")
    for name in names:
        st.ui.user_text(name, indent=0)


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.add_typer(privacy_app, name="privacy")
