"""`reflectkit note` (a reflection on any day's work), `reflectkit models`, and
`reflectkit model validate|schema`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from reflectkit.cli.asking import Asker, Item, ask_in_turn, privacy_first, stopped_for_now
from reflectkit.cli.journey import answer_one
from reflectkit.cli.options import EditorOpt, JournalOpt, NoInputOpt, PlainOpt, state
from reflectkit.cli.state import State
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal import notes
from reflectkit.journal.models import Section
from reflectkit.journal.store import Journal
from reflectkit.paths import today
from reflectkit.textsafe import safe
from reflectkit.words import count, day_words

TYPE_CHECKING = False
if TYPE_CHECKING:  # the models' module brings pydantic: loaded only when a model is read
    from reflectkit.content.reflective import ModelsReport, ReflectiveModel

NOTE_HELP = """Reflect on any day's work, with the reflective model you were taught.

Asks a title, the day it happened and the model (Gibbs, Driscoll, Kolb, ...), then each
stage of the model in the answer box, then tags and the minutes spent. Every answer is
saved the moment you give it; Ctrl-C keeps what you were typing.

\b
Examples:
  reflectkit note                          a new note
  reflectkit note --model driscoll --tag interpreters
  reflectkit note 2026-11-30-1             carry on with a note (ids: reflectkit journal show)
  reflectkit note 2026-11-30-1 --stage 2   answer (or change) one stage
  reflectkit note --from draft.txt --stage 1   a new note, its first stage from a drafted file
  reflectkit models                        the reflective models you can choose from
"""

ModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="The reflective model, e.g. gibbs (reflectkit models).")
]
TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", "-t", help="A tag, such as interpreters; give it again for more.")
]
StageOpt = Annotated[
    str | None, typer.Option("--stage", help="Only stage N (a number, or its id such as description).")
]
NoteFromOpt = Annotated[
    Path | None,
    typer.Option("--from", help="Store the text of this file (UTF-8) as one stage's answer (with --stage).",
                 show_default=False),
]  # fmt: skip
MinutesOpt = Annotated[int | None, typer.Option("--minutes", help="Minutes spent, for a CPD record.")]


class _NoteAsker(Asker):
    """The Asker, showing each stage's "what to write here" under its question."""

    def _show_earlier(self, item: Item) -> str:
        if item.question.help:
            self.ui.say(item.question.help, style="italic")
        return super()._show_earlier(item)


def load_all_models(st: State) -> ModelsReport:
    """The built-in and local models; a broken local file is named and left out."""
    from reflectkit.content.reflective import load_models

    report = load_models(st.store.home / "models")
    for problem in report.skipped:
        st.ui.warn(f"Skipped a local model: {problem}")
    return report


def items_for(section: Section, model: ReflectiveModel) -> list[Item]:
    total = len(model.stages)
    return [
        Item(section, question, i, f"{model.name}, stage {i + 1} of {total}: {stage.title}")
        for i, (stage, question) in enumerate(zip(model.stages, notes.note_questions(model), strict=True))
    ]


def note(
    ctx: typer.Context,
    note_id: Annotated[
        str | None, typer.Argument(help="A note to carry on with, such as 2026-11-30-1.", show_default=False)
    ] = None,
    model: ModelOpt = None,
    tag: TagOpt = None,
    stage: StageOpt = None,
    from_file: NoteFromOpt = None,
    minutes: MinutesOpt = None,
    journal: JournalOpt = "default",
    editor: EditorOpt = False,
    plain: PlainOpt = False,
    no_input: NoInputOpt = False,
) -> None:
    st = state(ctx, plain=plain, no_input=no_input, writes=True)
    tags = notes.parse_tags(tag or [])
    if minutes is not None:
        minutes = notes.parse_minutes(str(minutes))
    if from_file is not None and stage is None:
        raise UsageError("--from stores a drafted text into one stage: add --stage N.")
    report = load_all_models(st)
    if model is not None and report.get(model) is None:
        raise NotFoundError(
            f"There is no reflective model {model!r}.", hint="`reflectkit models` lists them."
        )
    jr = st.journal(journal, create=True)
    if note_id is None:
        _new_note(st, jr, report, model, tags, minutes, stage=stage, source=from_file, editor=editor)
    else:
        _existing(st, jr, report, note_id, tags, minutes, stage=stage, source=from_file, editor=editor)


note.__doc__ = NOTE_HELP


def _new_note(
    st: State, jr: Journal, report: ModelsReport, model_id: str | None, tags: list[str],
    minutes: int | None, *, stage: str | None, source: Path | None, editor: bool,
) -> None:  # fmt: skip
    st.ui.require_input(
        "the note's title",
        instead="start the note in a terminal; then reflectkit note ID --stage N --from FILE",
    )
    privacy_first(st, jr)
    st.ui.heading("A new note")
    title = _ask_title(st)
    when = _ask_date(st)
    model = _choose_model(st, report, model_id)
    section = notes.create_note(jr, title=title, event_date=when, model=model.id, tags=tags, minutes=minutes)
    st.ui.say(f"Note {section.ref} started. Each answer is saved as you give it.", style="dim")
    items = items_for(section, model)
    if stage is not None:
        answer_one(st, jr, items, _stage_number(stage, model), editor=editor, source=source)
    if _ask_open(st, jr, items, editor=editor) == "quit":
        return
    _finish(st, jr, section, ask_minutes=minutes is None)


def _existing(
    st: State, jr: Journal, report: ModelsReport, note_id: str, tags: list[str],
    minutes: int | None, *, stage: str | None, source: Path | None, editor: bool,
) -> None:  # fmt: skip
    unit = notes.load_note(jr, note_id)
    assert unit.note is not None  # load_note makes sure
    model = report.get(unit.note.model)
    if model is None:
        raise NotFoundError(
            f"Note {note_id} follows the model {unit.note.model!r}, which reflectkit cannot find now.",
            hint=f"Put its file back in {st.store.home / 'models'}; `reflectkit journal show` shows it.",
        )
    if tags:
        now = notes.change_tags(jr, unit.key, add=tags) or []
        st.ui.say(f"Tags of note {note_id}: {', '.join(now)}.")
    if minutes is not None:
        notes.set_minutes(jr, unit.key, minutes)
        st.ui.say(f"Noted {minutes} minutes spent on note {note_id}.")
    items = items_for(unit.key, model)
    if stage is not None:
        answer_one(st, jr, items, _stage_number(stage, model), editor=editor, source=source)
        return
    if (tags or minutes is not None) and not st.ui.interactive:
        return
    st.ui.heading(safe(notes.heading(unit)))
    if _ask_open(st, jr, items, editor=editor) == "quit":
        return
    _finish(st, jr, unit.key, ask_minutes=False)


def _ask_open(st: State, jr: Journal, items: list[Item], *, editor: bool) -> str:
    """Ask the stages not answered yet (unfinished ones included), in order."""
    unit = jr.load(items[0].section)
    done = {k for k, a in unit.answers.items() if not a.unfinished} if unit else set()
    waiting = [item for item in items if item.question.id not in done]
    if not waiting:
        st.ui.say(
            f"Every stage of this note is answered. To change one: reflectkit note {items[0].section.ref} "
            "--stage N"
        )
        return "answered"
    outcome = ask_in_turn(_NoteAsker(st, jr, editor=editor), waiting)
    if outcome == "quit":
        stopped_for_now(st, f"reflectkit note {items[0].section.ref}")
    return outcome


def _stage_number(typed: str, model: ReflectiveModel) -> int:
    """Stage 'N' (1-based), or the stage with that id or title."""
    text = typed.strip().casefold()
    if text.isascii() and text.isdigit():
        return int(text)
    for number, stage in enumerate(model.stages, start=1):
        if text in (stage.id, stage.title.casefold()):
            return number
    names = ", ".join(f"{n} {s.id}" for n, s in enumerate(model.stages, start=1))
    raise UsageError(f"{model.name} has no stage {typed[:40]!r}.", hint=f"Its stages: {names}.")


def _line(st: State, prompt: str) -> str | None:
    """One line typed at ``prompt``; None when the user chose /skip, /back or /quit."""
    reply = st.ui.read_line(prompt)
    return reply.text if reply.kind == "answer" else None


def _before_start(st: State, prompt: str) -> str:
    """A line asked before the note exists: /quit (or /skip, /back) stops with nothing kept."""
    typed = _line(st, prompt)
    if typed is None:
        st.ui.say("No note was started.")
        raise typer.Exit(0)
    return typed


def _ask_title(st: State) -> str:
    from reflectkit.cli import screens
    from reflectkit.privacy import find_identifiers

    names = st.config().names
    while True:
        typed = _before_start(st, "Title, a few words about what happened: ")
        try:
            title = notes.check_title(typed)
        except UsageError as exc:
            st.ui.warn(exc.message)
            continue
        found = find_identifiers(title, names=names)
        if not found:
            return title
        st.ui.show(*screens.findings("This title may identify someone:", found))
        if st.ui.choose("Type it again (c), or keep it as it is (k)? [c] ", "ck", default="c") == "k":
            return title


def _ask_date(st: State) -> date:
    now = today()
    while True:
        typed = _before_start(st, f"The day it happened (Enter for today, {day_words(now)}): ")
        try:
            return notes.parse_event_date(typed, now)
        except UsageError as exc:
            st.ui.warn(f"{exc.message} {exc.hint}".strip())


def _choose_model(st: State, report: ModelsReport, given: str | None) -> ReflectiveModel:
    """The model chosen (--model, or asked with the usual one as Enter); it becomes the usual."""
    usual = report.get(str(st.config().extra.get(notes.MODEL_KEY, ""))) or report.get("gibbs")
    chosen = report.get(given) if given else None
    if chosen is None:
        st.ui.say("Which reflective model?", style="bold")
        st.ui.numbered([Text(f"{m.name}: {m.summary}") for m in report.models])
        default = usual or report.models[0]
        while chosen is None:
            typed = _before_start(st, f"Type its number (Enter for {default.name}): ").strip().casefold()
            chosen = default if not typed else _pick(report, typed)
            if chosen is None:
                st.ui.warn(f"Type a number from 1 to {len(report.models)}, or Enter.")
    if usual is None or chosen.id != usual.id:
        with st.edit_config() as config:
            config.extra[notes.MODEL_KEY] = chosen.id
        st.ui.say(f"{chosen.name} is now the model a new note offers first.", style="dim")
    return chosen


def _pick(report: ModelsReport, typed: str) -> ReflectiveModel | None:
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(report.models):
        return report.models[int(typed) - 1]
    return report.get(typed)


def _finish(st: State, jr: Journal, section: Section, *, ask_minutes: bool) -> None:
    """Tags and minutes, asked at the end; then where to find the note again."""
    unit = jr.load(section)
    have = list(unit.tags or []) if unit else []
    hint = f" (so far: {', '.join(have)})" if have else ""
    while True:
        typed = _line(st, f"Tags to find it again{hint}, e.g. interpreters, housing (Enter for none): ")
        try:
            more = notes.parse_tags(typed or "")
            break
        except UsageError as exc:
            st.ui.warn(f"{exc.message} {exc.hint}".strip())
    if more:
        have = notes.change_tags(jr, section, add=more) or have
    while ask_minutes:
        typed = _line(st, "Minutes spent on it, for your CPD record (Enter to leave out): ")
        try:
            spent = notes.parse_minutes(typed or "")
        except UsageError as exc:
            st.ui.warn(exc.message)
            continue
        if spent is not None:
            notes.set_minutes(jr, section, spent)
        break
    _closing(st, jr, section, have)


def _closing(st: State, jr: Journal, section: Section, tags: list[str]) -> None:
    unit = jr.load(section)
    done = sum(1 for a in unit.answers.values() if not a.unfinished) if unit else 0
    tagged = f"; tags: {', '.join(tags)}" if tags else ""
    st.ui.say()
    st.ui.say(f"Note {section.ref} is saved: {count(done, 'stage')} answered{tagged}.", style="bold green")
    st.ui.say(f"  Export it: reflectkit export --note {section.ref}")
    st.ui.say("  Find it again: reflectkit search WORDS, or reflectkit journal show")


def models_cmd(ctx: typer.Context, plain: PlainOpt = False) -> None:
    """The reflective models a note can follow, one line each.

    Add your own in the models folder of your reflectkit folder; `reflectkit model
    validate FILE` checks one first.

    \b
    Example:
      reflectkit models
    """
    st = state(ctx, plain=plain)
    report = load_all_models(st)
    usual = str(st.config().extra.get(notes.MODEL_KEY, "")) or "gibbs"
    width = max(len(m.id) for m in report.models)
    for m in report.models:
        marks = (" (local)" if m.local else "") + (" (offered first)" if m.id == usual else "")
        line = Text(m.id.ljust(width), style="bold") + Text(f"  {m.name}: {m.summary}{marks}")
        st.ui.out.print(line, soft_wrap=True)
    st.ui.say(
        f"Yours go in {st.store.home / 'models'}. Use one with: reflectkit note --model ID", style="dim"
    )


model_app = typer.Typer(
    help="Reflective models: check a file of your own, or print the schema of one.\n\n\b\nExamples:\n"
    "  reflectkit model validate my-model.toml\n  reflectkit model schema",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@model_app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="The model file to check.")]) -> None:
    """Check a reflective-model file of your own and explain each problem.

    \b
    Example:
      reflectkit model validate my-model.toml
    """
    from reflectkit.content.reflective import load_model_file

    found = load_model_file(file)
    print(f"{file} is a valid reflective model: {safe(found.name)} ({count(len(found.stages), 'stage')}).")
    print("Copy it into the models folder of your reflectkit folder to use it.")


@model_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a reflective-model file, for your editor.

    \b
    Example:
      reflectkit model schema > model.schema.json
    """
    from reflectkit.content.reflective import model_schema

    print(json.dumps(model_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.command("note", help=NOTE_HELP)(note)
    app.command("models")(models_cmd)
    app.add_typer(model_app, name="model")
