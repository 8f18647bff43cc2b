"""`reflectkit export`: the journal as Markdown, JSON or a regulator's form."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from reflectkit.cli.options import JournalOpt, NoInputOpt, state
from reflectkit.cli.output import Spool, deliver, target
from reflectkit.cli.state import State
from reflectkit.errors import ExitCode, NotFoundError, ReflectkitError, UsageError
from reflectkit.export import FORMATS, RECORDS, exporter
from reflectkit.export.document import Document, Part, gather
from reflectkit.journal.models import Answer
from reflectkit.paths import today

if TYPE_CHECKING:
    from reflectkit.journal.cpdlog import LogEntry


class PrivacyRefusal(ReflectkitError):
    pass


THEMES_KEY = "nmc_code_themes"
# The journal's own formats, then the regulators' records that Social Care Wales, the SSSC
# and the NISCC take (their exporter lists them beside itself).
ALL_FORMATS = FORMATS
ACCOUNTS = {"nmc": "An NMC reflective account", "swe": "A Social Work England CPD record"}
REGULATORS = {"nmc", "swe", "hcpc", *RECORDS}  # the formats that include the CPD log
STREAMED = {"markdown", "json"}  # written a part at a time (as text: not as Word or HTML)


FormatOpt = Annotated[str, typer.Option("--as", "--format", help="Format: " + ", ".join(ALL_FORMATS) + ".")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of the screen ('-' for the screen)."),
]
CaseOpt = Annotated[int | None, typer.Option("--case", help="Only case study N.")]
StageOpt = Annotated[str | None, typer.Option("--stage", help="Only stage N (1 to 4).")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Only the note with this id, e.g. 2026-11-30-1.")]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Refuse to export if anything may identify someone.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace --output if it already exists.")]
WorksheetOpt = Annotated[
    int | None,
    typer.Option(
        "--worksheet",
        help="A printable worksheet for case study N, for a team session (needs no journal).",
    ),
]
ThemesOpt = Annotated[
    str | None,
    typer.Option("--themes", help="With --as nmc: the Code themes that apply, by number (1,3); remembered."),
]
DocxOpt = Annotated[bool, typer.Option("--docx", help="A Word document (with --output FILE.docx).")]
HtmlOpt = Annotated[bool, typer.Option("--html", help="A web page, to print from a browser.")]


def export(
    ctx: typer.Context,
    as_: FormatOpt = "markdown",
    output: OutputOpt = None,
    case: CaseOpt = None,
    stage: StageOpt = None,
    note: NoteOpt = None,
    strict: StrictOpt = False,
    force: ForceOpt = False,
    worksheet: WorksheetOpt = None,
    themes: ThemesOpt = None,
    docx: DocxOpt = False,
    html: HtmlOpt = False,
    no_input: NoInputOpt = False,
    journal: JournalOpt = "default",
) -> None:
    """Export your journal as Markdown, JSON or a regulator's record; as Word or HTML too.

    An NMC reflective account or a Social Work England record is about one activity: choose
    it with --case N (or --stage N), or from a list in a terminal.

    Examples:

    \b
      reflectkit export > journal.md
      reflectkit export --as json --output journal.json
      reflectkit export --case 2 --output case2.md
      reflectkit export --as nmc --case 2 --output nmc-account.md
      reflectkit export --as nmc --case 2 --docx --output account.docx
      reflectkit export --as scw --html --output learning.html
      reflectkit export --worksheet 2 --output team-session.md
    """
    st = state(ctx, no_input=no_input)
    from reflectkit.flow import parse_stage_number

    stage_n = parse_stage_number(stage) if stage is not None else None
    check_options(as_, worksheet=worksheet, case=case, stage=stage_n, themes=themes)
    from reflectkit.export.docx import KINDS, convert, file_kind

    kind = file_kind(as_, docx=docx, html=html, output=None if output is None else str(output))
    output = target(output, force=force)
    if worksheet is not None:
        deliver(convert(worksheet_text(st, worksheet), kind, made=today()), output)
        return
    account = as_ in ACCOUNTS  # the whole journal is read, then one activity chosen from it
    streamed = as_ in STREAMED and kind == "markdown"
    doc = build_document(
        st, journal, case=None if account else case, stage=stage_n, note=note, streamed=streamed
    )
    if not doc.parts and note is not None:
        raise NotFoundError(f"There is no note {note} with answers in it, so nothing was exported.")
    if not doc.parts and (case is not None or stage_n is not None):
        what = f"case study {case}" if case is not None else f"stage {stage_n}"
        raise NotFoundError(f"You have not answered anything in {what} yet, so nothing was exported.")
    if streamed:
        export_streamed(st, doc, as_, output, strict=strict, private=st.store.journals_dir / journal / ".tmp")
        if st.left_out:
            raise typer.Exit(int(ExitCode.BAD_DATA))
        return
    links = _after_case(st, journal)
    doc = one_activity(st, doc, as_, case=case, links=links) if account else doc
    log = cpd_log(st, journal) if as_ in REGULATORS else []
    privacy_gate(st, doc, strict=strict, fmt=as_, log=log)
    text = regulator_text(st, as_, doc, log=log, links=links, themes=themes)
    text = exporter(as_)(doc, st.workbook) if text is None else text
    deliver(convert(text, kind, made=today()), output, what=f"--output FILE{KINDS[kind]}")
    if st.left_out:  # the rest was exported, but the document is not the whole journal
        raise typer.Exit(int(ExitCode.BAD_DATA))


def export_streamed(
    st: State, doc: Document, fmt: str, output: Path | None, *, strict: bool, private: Path
) -> None:
    """The journal as Markdown or JSON, read, checked and written a part at a time, so that
    memory does not grow with the journal; delivered only once every part was checked."""
    from reflectkit.cli.showing import warn_damaged
    from reflectkit.export import json_export, markdown
    from reflectkit.export.document import LazyParts

    names = st.config().names
    found: list[int] = []
    if isinstance(doc.parts, LazyParts):
        doc.parts.on_part = lambda part: found.append(part_warnings(st, part, fmt, names))
    else:  # not read lazily: checked first, as it is all in memory anyway
        found.append(sum(part_warnings(st, part, fmt, names) for part in doc.parts))
    pieces = (
        markdown.stream(doc) if fmt == "markdown" else json_export.stream(doc, ascii_only=sys.stdout.isatty())
    )
    with Spool(output, private) as spool:
        for piece in pieces:
            spool.write(piece)
        if isinstance(doc.parts, LazyParts) and warn_damaged(st, doc.parts):
            st.left_out = True
        decide(st, sum(found), strict=strict)
        spool.deliver(what="--output FILE.md" if fmt == "markdown" else "--output FILE.json")


def check_options(
    as_: str, *, worksheet: int | None, case: int | None, stage: int | None, themes: str | None
) -> None:
    """Refuse unknown formats and options that do not go together, before any work."""
    if as_ not in ALL_FORMATS:
        raise UsageError(
            f"{as_!r} is not a format reflectkit can export.",
            hint="Choose from: " + ", ".join(f"{k} ({v[1]})" for k, v in ALL_FORMATS.items()),
        )
    if worksheet is not None and as_ != "markdown":
        raise UsageError(
            f"--worksheet makes a Markdown worksheet; it cannot be combined with --as {as_}.",
            hint="Leave out --as, or use --as markdown.",
        )
    if worksheet is not None and (case is not None or stage is not None):
        raise UsageError("--worksheet takes the case study's number itself; leave out --case and --stage.")
    if themes is not None and as_ != "nmc":
        raise UsageError("--themes is only for the NMC reflective account (--as nmc).")


def worksheet_text(st: State, number: int) -> str:
    from reflectkit.export.worksheet import render

    found = st.workbook.case(number)
    if found is None:
        raise NotFoundError(f"There is no case study {number}.", hint="`reflectkit case` lists them.")
    return render(found, st.workbook)


def code_themes(st: State, given: str | None) -> tuple[str, ...]:
    """The NMC Code themes: from --themes (then saved), the settings, or asked once."""
    from reflectkit.export.nmc import CODE_THEMES

    config = st.config()
    if given is not None:
        chosen = _parse_themes(given)
    elif isinstance(stored := config.extra.get(THEMES_KEY), list):
        return tuple(t for t in CODE_THEMES if t in stored)
    elif _can_ask(st):
        chosen = _ask_themes(st)
        if not chosen:
            return ()
    else:
        return ()
    with st.edit_config() as editable:
        editable.extra[THEMES_KEY] = list(chosen)
    print("Saved your choice of Code themes; change it with --themes 1,3.", file=sys.stderr)
    return chosen


def _parse_themes(typed: str) -> tuple[str, ...]:
    from reflectkit.answering import InputProblem, parse_statements
    from reflectkit.export.nmc import CODE_THEMES

    try:
        numbers = parse_statements(typed, len(CODE_THEMES))
    except InputProblem:
        raise UsageError(
            f"{typed!r} is not a choice of themes: type numbers from 1 to {len(CODE_THEMES)}, such as 1,3.",
            hint=_theme_list(),
        ) from None
    return tuple(CODE_THEMES[n - 1] for n in numbers)


def _theme_list() -> str:
    from reflectkit.export.nmc import CODE_THEMES

    return "The Code's themes: " + ", ".join(f"{n} {t}" for n, t in enumerate(CODE_THEMES, start=1)) + "."


def _can_ask(st: State) -> bool:
    # The question goes to stderr, so a redirected stdout still gets only the export.
    return st.ui.interactive and sys.stderr.isatty()


def _ask_themes(st: State) -> tuple[str, ...]:
    """Ask on stderr which Code themes apply; Enter leaves the choice for later."""
    from rich.text import Text

    st.ui.err.print(Text("Which themes of the NMC Code does your reflection relate to? " + _theme_list()))
    while True:
        try:
            typed = st.ui.err.input(Text("Type their numbers, e.g. 1,3 (Enter to decide later): ")).strip()
        except EOFError:
            return ()
        if not typed:
            return ()
        try:
            return _parse_themes(typed)
        except UsageError as exc:
            st.ui.warn(exc.message)


def build_document(
    st: State,
    journal: str,
    *,
    case: int | None = None,
    stage: int | None = None,
    note: str | None = None,
    streamed: bool = False,
) -> Document:
    """The journal (or the part asked for) as a document; ``streamed``: read a part at a
    time as it is used (see :func:`reflectkit.export.document.stream`)."""
    from reflectkit.paths import DEFAULT_JOURNAL

    if journal == DEFAULT_JOURNAL and not (st.store.journals_dir / journal).is_dir():
        return Document(journal, today(), [])  # a new install: an empty, valid document
    jr = st.journal(journal, create=False)
    case_id = None
    if case is not None:
        found = st.workbook.case(case)
        if found is None:
            raise NotFoundError(f"There is no case study {case}.")
        case_id = found.id
    from reflectkit.cli.showing import warn_damaged
    from reflectkit.journal.notes import note_section

    note_id = note_section(note).ref if note is not None else None
    models = _models(st) if any(s.kind == "note" for s in jr.sections()) else []
    if streamed:
        from reflectkit.export.document import stream

        return stream(
            jr, st.workbook, generated=today(), case=case_id, stage=stage, note=note_id, models=models
        )
    scan = jr.scan()
    doc = gather(
        scan, st.workbook, journal=jr.name, generated=today(), case=case_id, stage=stage, note=note_id,
        models=models,
    )  # fmt: skip
    if warn_damaged(st, scan):
        st.left_out = True
    return doc


def _models(st: State) -> list[Any]:
    """The reflective models, so that notes are exported with their model's name."""
    from reflectkit.content.reflective import load_models

    report = load_models(st.store.home / "models")
    for problem in report.skipped:
        st.ui.warn(f"Skipped a local model: {problem}")
    return list(report.models)


def privacy_gate(
    st: State, doc: Document, *, strict: bool, fmt: str = "markdown", log: Sequence[LogEntry] = ()
) -> None:
    """Warn on stderr about answers (and CPD log entries) that may identify someone; with
    ``strict``, refuse."""
    names = st.config().names
    found = sum(part_warnings(st, part, fmt, names) for part in doc.parts)
    found += _log_findings(log, names)
    decide(st, found, strict=strict)


def part_warnings(st: State, part: Part, fmt: str, names: list[str]) -> int:
    """Warn on stderr about one part's answers that may identify someone; return how many
    details were found."""
    from reflectkit import sections
    from reflectkit.privacy import find_identifiers
    from reflectkit.textsafe import one_line

    found = 0
    for _, answer in part.answers:
        fix = sections.reopen(part.unit.key, answer.position, st.workbook)
        where = one_line(part.title, 120)
        if answer.needs_review:
            print(
                f"reflectkit: warning: {where}: an answer is still marked for a privacy review "
                f"(to change it: {fix})",
                file=sys.stderr,
            )
        for text in exported_texts(answer, fmt):
            for finding in find_identifiers(text, names=names):
                found += 1
                print(
                    f"reflectkit: warning: {where}: {finding.reason} "
                    f"({one_line(finding.text, 40)!r}; to change it: {fix})",
                    file=sys.stderr,
                )
    return found


def decide(st: State, found: int, *, strict: bool) -> None:
    """With details found: refuse (``strict``), or in a terminal ask before exporting."""
    from reflectkit.words import count

    if found and strict:
        raise PrivacyRefusal(
            f"Nothing was exported: {count(found, 'detail')} may identify someone.",
            hint="Change those answers with the commands above, or export without --strict.",
        )
    if found and sys.stdin.isatty() and not st.no_input:
        # In a terminal, a person can still say no before identifying text leaves the journal.
        # The question goes to stderr, so that `export > file.md` keeps the file clean.
        try:
            typed = st.ui.err.input(
                Text(f"{count(found, 'detail')} may identify someone. Export anyway? (y/n) [n] ")
            )
        except EOFError:
            typed = ""
        if typed.strip().lower()[:1] != "y":
            raise PrivacyRefusal("Nothing was exported.", hint="`reflectkit check` lists what was found.")


def exported_texts(answer: Answer, fmt: str) -> list[str]:
    """The stored text that format ``fmt`` writes out for ``answer``, to check for identifiers.

    Markdown and JSON write every answer with its earlier versions, table cells included;
    the NMC and SWE forms only current text answers; the HCPC list no answer text at all.
    """
    if fmt == "hcpc" or fmt in RECORDS:
        return []
    if fmt in ("nmc", "swe"):
        return [answer.value] if isinstance(answer.value, str) else []
    texts: list[str] = []
    for value in [answer.value, *(e.value for e in answer.history)]:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts += [c for row in value if isinstance(row, list) for c in row]
    return texts


def _log_findings(log: Sequence[LogEntry], names: list[str]) -> int:
    """Warn about CPD log entries whose words may identify someone; return how many."""
    from reflectkit.privacy import find_identifiers
    from reflectkit.textsafe import one_line

    found = 0
    for entry in log:
        findings = [f for text in (entry.title, entry.with_whom) for f in find_identifiers(text, names=names)]
        for finding in findings:
            found += 1
            print(
                f"reflectkit: warning: CPD log entry {entry.id}: {finding.reason} "
                f"({one_line(finding.text, 40)!r}; to change it: reflectkit log edit {entry.id})",
                file=sys.stderr,
            )
    return found


# -- regulators' records --------------------------------------------------------------------------
def _after_case(st: State, journal: str) -> dict[str, str]:
    """Each Stage 4 cycle's number, and the id of the case study it followed."""
    from reflectkit.journal.cycles import read_cycles

    folder = st.store.journals_dir / journal
    if not folder.is_dir():
        return {}
    return {str(c.number): c.after_case for c in read_cycles(folder) if c.after_case}


def cpd_log(st: State, journal: str) -> list[LogEntry]:
    """The CPD log's entries (none for a journal that does not exist yet)."""
    from reflectkit.journal.cpdlog import read_log

    return read_log(st.journal(journal)).entries


def one_activity(st: State, doc: Document, fmt: str, *, case: int | None, links: dict[str, str]) -> Document:
    """``doc`` narrowed to the one activity an account or record is about: --case N, the
    only one, or the one chosen from a list in a terminal."""
    from reflectkit.export import nmc

    acts = nmc.activities(doc, st.workbook, after_case=links)
    chosen = nmc.select(acts, case=case)
    if chosen is None and len(acts) > 1:
        if not _can_ask(st):
            raise UsageError(
                f"{ACCOUNTS[fmt]} is about one activity, and this journal holds {len(acts)}: "
                "nothing was exported.",
                hint=f"Choose one with: {nmc.choices(acts)}.",
            )
        chosen = _ask_activity(st, acts)
    return chosen.document(doc) if chosen else doc


def _ask_activity(st: State, acts: list[Any]) -> Any:
    """Ask on stderr which activity to export (so that a redirected stdout gets only the export)."""
    from reflectkit.textsafe import one_line

    st.ui.err.print(Text("Which activity is this about?"))
    for number, act in enumerate(acts, start=1):
        st.ui.err.print(Text(f"  {number}. {one_line(act.title, 100)}"))
    while True:
        try:
            typed = st.ui.err.input(Text(f"Type its number (1 to {len(acts)}): ")).strip()
        except EOFError:
            typed = ""
        if not typed:
            raise PrivacyRefusal("Nothing was exported.", hint="Choose an activity with --case N.")
        if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(acts):
            return acts[int(typed) - 1]
        st.ui.warn(f"Type a number from 1 to {len(acts)}, or press Enter to stop.")


def regulator_text(
    st: State, fmt: str, doc: Document, *, log: list[LogEntry], links: dict[str, str], themes: str | None
) -> str | None:
    """A regulator's record with the CPD log in it; None for the journal's own formats."""
    from reflectkit.export import hcpc, nmc, records, swe

    if fmt == "nmc":
        return nmc.export(doc, st.workbook, themes=code_themes(st, themes), log=log, after_case=links)
    if fmt == "swe":
        return swe.export(doc, st.workbook, log=log, after_case=links)
    if fmt == "hcpc":
        return hcpc.export(doc, st.workbook, log=log)
    return records.export(doc, st.workbook, log=log, regulator=fmt) if fmt in RECORDS else None


def register(app: typer.Typer) -> None:
    app.command()(export)
