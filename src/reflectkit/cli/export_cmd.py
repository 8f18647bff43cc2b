"""`reflectkit export`: the journal as Markdown, JSON or a regulator's form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reflectkit.cli.state import JournalOpt, State, state
from reflectkit.errors import NotFoundError, ReflectkitError, UsageError
from reflectkit.export import FORMATS, exporter
from reflectkit.export.document import Document, gather
from reflectkit.paths import today


class PrivacyRefusal(ReflectkitError):
    pass


def export(
    ctx: typer.Context,
    as_: Annotated[str, typer.Option("--as", "--format", help="Format: " + ", ".join(FORMATS) + ".")] = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of the screen.")] = None,
    case: Annotated[int | None, typer.Option("--case", help="Only case study N.")] = None,
    stage: Annotated[int | None, typer.Option("--stage", help="Only stage N.", min=1, max=4)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse to export if anything may identify someone.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace --output if it already exists.")] = False,
    journal: JournalOpt = "default",
) -> None:
    """Export your journal: Markdown (default), JSON, or a regulator's format.

    Examples:
      reflectkit export > journal.md
      reflectkit export --as json --output journal.json
      reflectkit export --case 2 --output case2.md
    """
    st = state(ctx)
    if as_ not in FORMATS:
        raise UsageError(f"{as_!r} is not a format reflectkit can export.",
                         hint="Choose from: " + ", ".join(f"{k} ({v[1]})" for k, v in FORMATS.items()))
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} already exists; nothing was written.", hint="Add --force to replace it.")
    doc = build_document(st, journal, case=case, stage=stage)
    privacy_gate(st, doc, strict=strict)
    text = exporter(as_)(doc, st.workbook)
    deliver(text, output)


def build_document(st: State, journal: str, *, case: int | None = None, stage: int | None = None) -> Document:
    jr = st.journal(journal, create=False)
    case_id = None
    if case is not None:
        found = st.workbook.case(case)
        if found is None:
            raise NotFoundError(f"There is no case study {case}.")
        case_id = found.id
    return gather(jr.units(), st.workbook, journal=jr.name, generated=today(), case=case_id, stage=stage)


def privacy_gate(st: State, doc: Document, *, strict: bool) -> None:
    """Warn on stderr about answers that may identify someone; with ``strict``, refuse."""
    from reflectkit.privacy import find_identifiers

    names = st.config().names
    found = 0
    for part in doc.parts:
        for _, answer in part.answers:
            if isinstance(answer.value, str):
                for finding in find_identifiers(answer.value, names=names):
                    found += 1
                    print(f"reflectkit: warning: {part.title}: {finding.reason}", file=sys.stderr)
    if found and strict:
        raise PrivacyRefusal(
            f"Nothing was exported: {found} detail(s) may identify someone.",
            hint="Edit those answers (reflectkit case N --question K), or export without --strict.",
        )


def deliver(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from reflectkit.fileio import write_atomic

    write_atomic(output, text.encode("utf-8"))
    print(f"Wrote {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command()(export)
