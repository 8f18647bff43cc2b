"""`reflectkit case` (list, open, validate, schema) and `reflectkit resources`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli import views
from reflectkit.cli.state import EditorOpt, JournalOpt, NoInputOpt, PlainOpt, ReviewOpt, state
from reflectkit.cli.walk_cmd import answer_one, ask_open
from reflectkit.errors import ContentError, NotFoundError, UsageError
from reflectkit.flow import case_questions, case_section
from reflectkit.textsafe import safe

CASE_HELP = """Case studies: list them, open one, or check a file of your own.

\b
Examples:
  reflectkit case                     list the case studies and your progress
  reflectkit case 2                   read case study 2 and answer its questions
  reflectkit case 2 --review          show your answers to case study 2
  reflectkit case 2 --question 3      answer (or change) question 3
  reflectkit case 2 --question 3 < draft.txt   store a drafted answer
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
    question: Annotated[int | None, typer.Option("--question", help="Go straight to question K.")] = None,
    review: ReviewOpt = False,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    st = state(ctx, plain=plain, no_input=no_input)
    if target == "schema":
        from reflectkit.content.models import CaseStudy

        print(json.dumps(CaseStudy.model_json_schema(), indent=2))
        return
    if target == "validate":
        _validate(st, file)
        return
    jr = st.journal(journal, create=True if target is not None and not review else None)
    if target is None:
        views.case_table(st, jr)
        st.ui.say("Open one with: reflectkit case N", style="bold")
        return
    if not (target.isascii() and target.isdigit()):
        raise UsageError(f"{target!r} is not a case study number.", hint="Try: reflectkit case 2")
    wb = st.workbook
    chosen = wb.case(int(target))
    if chosen is None:
        numbers = ", ".join(str(c.number) for c in wb.case_studies)
        raise NotFoundError(f"There is no case study {target}.", hint=f"The case studies are: {numbers}.")
    questions = case_questions(wb, chosen)
    section = case_section(chosen)
    label = f"Case study {chosen.number}"
    if review:
        views.review(st, jr, section, questions, f"{label}: {chosen.title}")
        return
    from reflectkit.cli.walk_cmd import privacy_first

    privacy_first(st, jr)
    if question is not None:
        answer_one(st, jr, section, questions, question, label, editor=editor)
    else:
        views.show_case(st, chosen)
        ask_open(st, jr, section, questions, label, editor=editor)


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
    from reflectkit.content.loader import stale_checks
    from reflectkit.paths import today

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
