"""`reflectkit search`: find words in every answer, note and earlier version."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.text import Text

from reflectkit import sections
from reflectkit.cli.options import JournalOpt, PlainOpt, state
from reflectkit.cli.state import State
from reflectkit.errors import UsageError
from reflectkit.journal import notes
from reflectkit.journal.models import Unit
from reflectkit.journal.store import UnitScan
from reflectkit.search import (
    Hit,
    Query,
    Segment,
    candidates,
    newest_first,
    parse_day,
    parse_terms,
    search_units,
    snippet,
)
from reflectkit.textsafe import one_line, safe
from reflectkit.words import count, day_words

SEARCH_HELP = """Find words in your journal: every answer, note and earlier version.

Case and accents do not matter ("cafe" finds "Café"); every word must be there, and
a word finds longer ones it starts ("interpret" finds "interpreters"). Put a phrase in
quotes. Details that may identify someone are hidden in the results.

To keep what you search for out of your shell's history, run reflectkit search alone
and type the words when asked.

\b
Examples:
  reflectkit search interpreter
  reflectkit search "home visit" letter
  reflectkit search visit --tag interpreters --since 2026-09
  reflectkit search trust --model gibbs --until 2026-11-30
  reflectkit search housing --all --json
"""


@dataclass(frozen=True)
class Shown:
    """A hit as it is shown: its heading (a note's title is the user's own text, so it is
    checked too) and the snippet's segments."""

    hit: Hit
    title: str
    segments: list[Segment]

    @property
    def hidden(self) -> bool:
        return self.title != self.hit.title or any(kind == "hidden" for _, kind in self.segments)


def search(
    ctx: typer.Context,
    words: Annotated[list[str] | None, typer.Argument(help="Words to find; a phrase in quotes.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Only parts with this tag.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this day (2026-11-30) or month.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this day or month.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Only notes written with this model.")] = None,
    all_journals: Annotated[bool, typer.Option("--all", help="Search every journal.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Results as JSON, for scripts.")] = False,
    show_identifying: Annotated[
        bool, typer.Option("--show-identifying", help="Show details that may identify someone in full.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", help="Show at most N results, newest first; 0 for all.")
    ] = 50,
    journal: JournalOpt = "default",
    plain: PlainOpt = False,
) -> None:
    st = state(ctx, plain=plain)
    query = _query(st, words or [], tag or [], since, until, model)
    hits: list[Hit] = []
    for jr in _journals(st, journal, all_journals):
        from reflectkit.cli.showing import warn_damaged

        # Only files that hold every word are parsed (the rest cannot match).
        scan = UnitScan(list(candidates(sorted(jr.entries.glob("*.toml")), query)))
        hits += search_units(jr.name, scan, query, title_of=lambda unit: _title(st, unit))
        warn_damaged(st, scan)
    found = newest_first(hits)
    chosen = found[:limit] if limit > 0 else found
    names = () if show_identifying else tuple(st.config().names)
    shown = [
        Shown(
            h, _masked(h.title, names, show_identifying), _segments(h, query.terms, names, show_identifying)
        )
        for h in chosen
    ]
    if as_json:
        _print_json(query, shown, len(found))
    else:
        _print_text(st, shown, len(found), several=all_journals)


search.__doc__ = SEARCH_HELP


def _query(
    st: State,
    words: Sequence[str],
    tags: Sequence[str],
    since: str | None,
    until: str | None,
    model: str | None,
) -> Query:
    terms = parse_terms(words)
    if not (terms or tags or since or until or model):
        st.ui.require_input("what to search for", instead='reflectkit search WORDS (a phrase "in quotes")')
        reply = st.ui.read_line("Search for: ")
        terms = parse_terms([reply.text]) if reply.kind == "answer" else ()
        if not terms:
            raise typer.Exit(0)
    return Query(
        terms=terms,
        tags=tuple(notes.parse_tags(tags)),
        since=_day(since, "--since", end=False),
        until=_day(until, "--until", end=True),
        model=model,
    )


def _day(text: str | None, option: str, *, end: bool) -> Any:
    if text is None:
        return None
    try:
        return parse_day(text, end=end)
    except ValueError:
        raise UsageError(
            f"{option} {text[:40]!r} is not a day or a month.",
            hint=f"Use {option} 2026-11-30 or {option} 2026-11.",
        ) from None


def _journals(st: State, name: str, every: bool) -> list[Any]:
    if not every:
        return [st.journal(name)]
    return [st.store.journal(n) for n in st.store.journal_names()]


def _title(st: State, unit: Unit) -> str:
    if unit.note is not None:
        return notes.heading(unit)
    return sections.title(unit.key, st.workbook)


def _segments(hit: Hit, terms: Sequence[str], names: Sequence[str], show: bool) -> list[Segment]:
    """The hit's snippet, with details that may identify someone hidden unless ``show``."""
    if show:
        return snippet(hit.text, terms)
    from reflectkit.privacy import KINDS, find_identifiers
    from reflectkit.search import window

    start, end = window(hit.text, terms)
    hidden = [
        (start + f.start, start + f.end, KINDS.get(f.kind, "detail"))
        for f in find_identifiers(hit.text[start:end], names=names)
    ]
    return snippet(hit.text, terms, hidden=hidden)


def _masked(text: str, names: Sequence[str], show: bool) -> str:
    """``text`` with each detail that may identify someone replaced, unless ``show``."""
    if show:
        return text
    from reflectkit.privacy import KINDS, find_identifiers

    for f in reversed(find_identifiers(text, names=names)):
        text = f"{text[: f.start]}[{KINDS.get(f.kind, 'detail')} hidden]{text[f.end :]}"
    return text


def _where(hit: Hit, several: bool) -> str:
    parts = [one_line(hit.question, 70), day_words(hit.day)]
    if hit.version:
        parts.append(f"earlier version {hit.version}")
    if hit.tags:
        parts.append("tags: " + ", ".join(hit.tags))
    if several:
        parts.append(f"journal {hit.journal}")
    return " · ".join(parts)


def _print_text(st: State, shown: list[Shown], total: int, *, several: bool) -> None:
    if not shown:
        st.ui.say("Nothing found.")
        return
    styles = {"match": "bold yellow", "hidden": "dim italic", "plain": ""}
    for item in shown:
        st.ui.say()
        st.ui.say(safe(item.title), style="bold cyan")
        st.ui.say("  " + safe(_where(item.hit, several)), style="dim")
        line = Text("  ")
        for text, kind in item.segments:
            line.append(safe(text), style="" if st.ui.plain else styles[kind])
        st.ui.show(line)
    st.ui.say()
    summary = f"Found {count(total, 'text')}"
    summary += f"; showing the {len(shown)} most recent (--limit 0 shows all)." if len(shown) < total else "."
    st.ui.say(summary)
    if any(item.hidden for item in shown):
        st.ui.say(
            "Details that may identify someone are hidden; --show-identifying shows them in full.",
            style="dim",
        )


def _print_json(query: Query, shown: list[Shown], total: int) -> None:
    results = []
    for item in shown:
        hit, text, matches = item.hit, "", []
        for piece, kind in item.segments:
            if kind == "match":
                matches.append([len(text), len(text) + len(piece)])
            text += piece
        results.append({
            "journal": hit.journal, "kind": hit.section.kind, "ref": hit.section.ref, "title": item.title,
            "question_id": hit.question_id, "question": hit.question, "version": hit.version,
            "day": hit.day.isoformat(), "tags": list(hit.tags), "model": hit.model,
            "snippet": text, "matches": matches, "hidden": item.hidden,
        })  # fmt: skip
    payload = {
        "format": "reflectkit-search",
        "query": {
            "terms": list(query.terms),
            "tags": list(query.tags),
            "model": query.model,
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
        },
        "count": total,
        "results": results,
    }
    # In a terminal, escape everything but ASCII, so that nothing in an answer acts on the screen.
    print(json.dumps(payload, ensure_ascii=sys.stdout.isatty(), indent=2))


def register(app: typer.Typer) -> None:
    app.command("search", help=SEARCH_HELP)(search)
