"""`reflectkit case` (list, open, validate, schema) and `reflectkit resources`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli.everyday import open_case
from reflectkit.cli.options import (
    EditorOpt,
    FromOpt,
    JournalOpt,
    NoInputOpt,
    PlainOpt,
    QuestionsOnlyOpt,
    ReviewOpt,
    number,
    state,
)
from reflectkit.content.models import CaseStudy
from reflectkit.errors import ContentError, NotFoundError, UsageError
from reflectkit.textsafe import safe

CASE_HELP = """Case studies: list them, open one, or check a file of your own.

\b
Examples:
  reflectkit case                     list the case studies and your progress
  reflectkit case 2                   read case study 2 and answer its questions
  reflectkit case 2 --review          show your answers to case study 2
  reflectkit case 2 --question 3      answer (or change) question 3
  reflectkit case 2 --question 3 < draft.txt   store a drafted answer
  reflectkit case 2 --question 3 --from draft.txt   the same, from a file
  reflectkit case 2 --questions       straight to the questions, without the story
  reflectkit case validate mine.toml  check a case-study file of your own
  reflectkit case schema              print the JSON Schema of a case-study file
"""


def case(
    ctx: typer.Context,
    target: Annotated[
        str | None, typer.Argument(help="A case study number, or 'validate' or 'schema'.", show_default=False)
    ] = None,
    file: Annotated[
        Path | None, typer.Argument(help="With 'validate': the file to check.", show_default=False)
    ] = None,
    question: Annotated[
        int | None,
        typer.Option("--question", help="Go straight to question K.", show_default=False, parser=number),
    ] = None,
    review_: ReviewOpt = False,
    questions_only: QuestionsOnlyOpt = False,
    from_file: FromOpt = None,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    st = state(ctx, plain=plain, no_input=no_input)
    if target == "schema":
        print(json.dumps(CaseStudy.model_json_schema(), indent=2))
        return
    if target == "validate":
        _validate(st, file)
        return
    if file is not None:  # `case 2 3`, or `case 2 --questions 3` meant as --question 3
        also = f" --question {file}" if str(file).isdigit() else ""
        raise UsageError(
            f"reflectkit case takes one case study number; {safe(str(file))!r} was not used.",
            hint=f"To answer one question: reflectkit case {safe(target or 'N')}{also or ' --question K'}",
        )
    open_case(st, target, journal, question, review_, questions_only, from_file, editor)


case.__doc__ = CASE_HELP


def _validate(st: object, file: Path | None) -> None:
    from reflectkit.content.loader import load_case_file

    if file is None:
        raise UsageError("Which file?", hint="reflectkit case validate my-case.toml")
    try:
        found = load_case_file(file)
    except FileNotFoundError:
        raise NotFoundError(f"There is no file {file}.") from None
    except ContentError as exc:
        raise ContentError(
            exc.message,
            problems=exc.problems,
            hint="Fix these and run `reflectkit case validate` again. `reflectkit case schema` "
            "shows every field.",
        ) from None
    from reflectkit.content.loader import load_builtin, stale_checks
    from reflectkit.paths import today

    for builtin in load_builtin().case_studies:
        if builtin.number == found.number or builtin.id == found.id:
            what = f"number {found.number}" if builtin.number == found.number else f"id {found.id!r}"
            raise ContentError(
                f"{file} is well formed, but reflectkit would skip it: its {what} is already used by "
                f"the built-in case study {builtin.number}, {safe(builtin.title)!r}.",
                hint="Give it a number and an id of its own. The workbook's case studies: reflectkit case",
            )
    print(f"{file} is a valid case study: {safe(found.title)} ({len(found.questions)} questions).")
    for warning in stale_checks(found, today()):
        print(f"Warning: {safe(warning)}", file=sys.stderr)
    print("Copy it into your reflectkit folder's case_studies/ to use it.")


def resources(
    ctx: typer.Context,
    profession: Annotated[
        str | None,
        typer.Option("--profession", "-p", help="Only resources for this profession, e.g. nursing."),
    ] = None,
    plain: PlainOpt = False,
) -> None:
    """Further reading and toolkits, with links.

    \b
    Examples:
      reflectkit resources
      reflectkit resources --profession social-work
    """
    from reflectkit.content.models import PROFESSIONS, profession_from

    st = state(ctx, plain=plain)
    if profession is not None:
        known = profession_from(profession)
        if known is None:
            raise UsageError(
                f"{profession!r} is not a profession reflectkit knows.",
                hint="Choose from: " + ", ".join(p.replace("-", " ") for p in PROFESSIONS),
            )
        profession = known
    items = [
        r
        for r in st.workbook.resources
        if profession is None or profession in r.professions or "all" in r.professions
    ]
    st.ui.heading("Resources" + (f" for {profession}" if profession else ""))
    for item in items:
        st.ui.say(item.title, style="bold")
        st.ui.say("  " + item.description)
        link = item.url or (f"https://doi.org/{item.doi}" if item.doi else "")
        st.ui.out.print(Text("  " + link, style="cyan"), soft_wrap=True)
        st.ui.say("  For: " + ", ".join(item.professions), style="dim")
    if not items:
        st.ui.say("No resources are listed for that profession yet.")


def register(app: typer.Typer) -> None:
    app.command(help=CASE_HELP)(case)
    app.command()(resources)
