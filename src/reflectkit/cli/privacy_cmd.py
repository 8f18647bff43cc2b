"""`reflectkit check` and `reflectkit privacy names`: finding details that could identify someone."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.text import Text

from reflectkit.cli.state import JournalOpt, PlainOpt, State, state
from reflectkit.errors import ExitCode, UsageError
from reflectkit.export.document import Document, gather
from reflectkit.paths import today
from reflectkit.textsafe import one_line, safe

privacy_app = typer.Typer(
    help="Your list of names to watch for. They are kept in your settings and never exported.",
    no_args_is_help=True,
)
names_app = typer.Typer(
    help="Names reflectkit warns about when they appear in an answer.\n\n"
    "Names are typed at a prompt (or piped in, one per line), never on the command line, "
    "so they do not land in your shell history.\n\n"
    "Examples:  reflectkit privacy names add    reflectkit privacy names list",
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
    doc = gather(jr.units(), st.workbook, journal=jr.name, generated=today())
    rows = journal_findings(st, doc)
    if as_json:
        ascii_only = sys.stdout.isatty()  # nothing in an answer may act on the screen
        print(json.dumps({"journal": jr.name, "findings": rows}, ensure_ascii=ascii_only, indent=2))
    else:
        _show_findings(st, rows, LIMITATIONS)
    if rows:
        raise typer.Exit(int(ExitCode.FOUND))


def journal_findings(st: State, doc: Document) -> list[dict[str, Any]]:
    """Every finding in the answers and in their earlier versions, with how to fix it."""
    from reflectkit.privacy import find_identifiers

    names = st.config().names
    rows = []
    for part in doc.parts:
        for qid, answer in part.answers:
            texts = [("current", answer.value), *(("earlier", old.value) for old in answer.history)]
            for version, value in texts:
                if not isinstance(value, str):
                    continue
                for f in find_identifiers(value, names=names):
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
                            "fix": fix_command(st, part.unit.section, part.unit.ref, answer.position),
                        }
                    )
    return rows


def fix_command(st: State, kind: str, ref: str, position: int) -> str:
    """The command that answers this question again (and offers to remove old versions)."""
    if kind == "stage":
        return f"reflectkit stage {ref} --prompt {position + 1}"
    case = st.workbook.case_by_id(ref) if kind == "case" else None
    if case is not None:
        return f"reflectkit case {case.number} --question {position + 1}"
    return "reflectkit journal show  (then edit the file it names)"


def _show_findings(st: State, rows: list[dict[str, Any]], limitations: str) -> None:
    if not rows:
        st.ui.say("Nothing that looks identifying was found.", style="green")
    for row in rows:
        st.ui.out.print(Text(safe(str(row["section"])), style="bold"))
        st.ui.out.print(Text("  " + one_line(str(row["question"]))))
        where = "In an earlier version of this answer: " if row["version"] == "earlier" else ""
        st.ui.out.print(Text(f"  {where}{row['reason']}", style="yellow"))
        st.ui.user_text(f'"{row["text"]}"', indent=4)
        st.ui.say(f"  To change it: {row['fix']}", style="dim")
    st.ui.say()
    st.ui.say(limitations, style="dim")


def _read_names(st: State, what: str) -> list[str]:
    if not sys.stdin.isatty():
        return [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    st.ui.require_input(what)
    typed = st.ui.ask(f"{what} (Enter to cancel): ").strip()
    return [typed] if typed else []


@names_app.command("add")
def names_add(ctx: typer.Context) -> None:
    """Add a name to watch for (typed at the prompt, or piped in one per line)."""
    st = state(ctx)
    typed = _read_names(st, "Name to watch for")
    with st.edit_config() as config:
        added = [n for n in typed if n.casefold() not in {c.casefold() for c in config.names}]
        config.names.extend(added)
    st.ui.say(f"Added {len(added)} name(s). reflectkit now watches for {len(config.names)}.")


@names_app.command("remove")
def names_remove(ctx: typer.Context) -> None:
    """Stop watching for a name (typed at the prompt, or piped in)."""
    st = state(ctx)
    gone = {n.casefold() for n in _read_names(st, "Name to stop watching for")}
    with st.edit_config() as config:
        before = len(config.names)
        if not any(n.casefold() in gone for n in config.names):
            raise UsageError("That name was not on your list; nothing changed.")
        config.names = [n for n in config.names if n.casefold() not in gone]
    st.ui.say(f"Removed {before - len(config.names)} name(s).")


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
