"""`reflectkit export`: the journal as Markdown, JSON or a regulator's form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli.output import deliver, target
from reflectkit.cli.state import JournalOpt, NoInputOpt, State, state
from reflectkit.errors import ExitCode, NotFoundError, ReflectkitError, UsageError
from reflectkit.export import FORMATS, exporter
from reflectkit.export.document import Document, gather
from reflectkit.journal.models import Answer
from reflectkit.paths import today


class PrivacyRefusal(ReflectkitError):
    pass


THEMES_KEY = "nmc_code_themes"


FormatOpt = Annotated[str, typer.Option("--as", "--format", help="Format: " + ", ".join(FORMATS) + ".")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of the screen ('-' for the screen)."),
]
CaseOpt = Annotated[int | None, typer.Option("--case", help="Only case study N.")]
StageOpt = Annotated[str | None, typer.Option("--stage", help="Only stage N (1 to 4).")]
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


def export(
    ctx: typer.Context,
    as_: FormatOpt = "markdown",
    output: OutputOpt = None,
    case: CaseOpt = None,
    stage: StageOpt = None,
    strict: StrictOpt = False,
    force: ForceOpt = False,
    worksheet: WorksheetOpt = None,
    themes: ThemesOpt = None,
    no_input: NoInputOpt = False,
    journal: JournalOpt = "default",
) -> None:
    """Export your journal as Markdown, JSON or a regulator's record.

    Examples:

    \b
      reflectkit export > journal.md
      reflectkit export --as json --output journal.json
      reflectkit export --case 2 --output case2.md
      reflectkit export --as nmc --case 2 --output nmc-account.md
      reflectkit export --worksheet 2 --output team-session.md
    """
    st = state(ctx, no_input=no_input)
    from reflectkit.flow import parse_stage_number

    stage_n = parse_stage_number(stage) if stage is not None else None
    check_options(as_, worksheet=worksheet, case=case, stage=stage_n, themes=themes)
    output = target(output, force=force)
    if worksheet is not None:
        deliver(worksheet_text(st, worksheet), output)
        return
    doc = build_document(st, journal, case=case, stage=stage_n)
    if not doc.parts and (case is not None or stage_n is not None):
        what = f"case study {case}" if case is not None else f"stage {stage_n}"
        raise NotFoundError(f"You have not answered anything in {what} yet, so nothing was exported.")
    privacy_gate(st, doc, strict=strict, fmt=as_)
    if as_ == "nmc":
        from reflectkit.export import nmc

        text = nmc.export(doc, st.workbook, themes=code_themes(st, themes))
    else:
        text = exporter(as_)(doc, st.workbook)
    deliver(text, output)
    if st.left_out:  # the rest was exported, but the document is not the whole journal
        raise typer.Exit(int(ExitCode.BAD_DATA))


def check_options(
    as_: str, *, worksheet: int | None, case: int | None, stage: int | None, themes: str | None
) -> None:
    """Refuse unknown formats and options that do not go together, before any work."""
    if as_ not in FORMATS:
        raise UsageError(
            f"{as_!r} is not a format reflectkit can export.",
            hint="Choose from: " + ", ".join(f"{k} ({v[1]})" for k, v in FORMATS.items()),
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


def build_document(st: State, journal: str, *, case: int | None = None, stage: int | None = None) -> Document:
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

    scan = jr.scan()
    doc = gather(scan, st.workbook, journal=jr.name, generated=today(), case=case_id, stage=stage)
    if warn_damaged(st, scan):
        st.left_out = True
    return doc


def privacy_gate(st: State, doc: Document, *, strict: bool, fmt: str = "markdown") -> None:
    """Warn on stderr about answers that may identify someone; with ``strict``, refuse."""
    from reflectkit import sections
    from reflectkit.privacy import find_identifiers
    from reflectkit.textsafe import one_line
    from reflectkit.words import count

    names = st.config().names
    found = 0
    for part in doc.parts:
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
    if fmt == "hcpc":
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


def register(app: typer.Typer) -> None:
    app.command()(export)
