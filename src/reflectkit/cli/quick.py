"""The everyday command lines, read without building Typer's command line.

Building it (Typer, its copy of Click, every option of the command) is about a third of a
short command's time, and `reflectkit case`, `case 2`, `stage 1 --review` or `progress` need
none of it. Only the plain shapes of these commands are read here: a global option, the
command, its number, and the options below. Anything else (a --help, a mistake, an option
not listed, --from) returns None and goes to Typer, which reads and explains everything.
Both ways call the same functions (``everyday``); tests run each shape both ways and
compare what is printed and stored."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from reflectkit.cli import everyday
from reflectkit.cli.argv import completing
from reflectkit.cli.state import RUNS, State, fold

GLOBAL_FLAGS = {"--plain": "plain", "--quiet": "quiet", "-q": "quiet", "--debug": "debug"}


@dataclass
class Shape:
    """What one command accepts on the quick way: how many plain arguments (each a whole
    number where ``numbers`` says so), its flags, and its options that take a value."""

    arguments: tuple[int, ...]
    flags: dict[str, str]
    values: dict[str, str]
    numbers: bool = True


SHARED_FLAGS = {"--plain": "plain", "--no-input": "no_input", "--editor": "editor"}
JOURNAL = {"--journal": "journal", "-j": "journal"}
SHAPES = {
    "start": Shape((0,), SHARED_FLAGS, JOURNAL),
    "stage": Shape(
        (1,),
        {**SHARED_FLAGS, "--review": "review", "--questions": "questions"},
        {**JOURNAL, "--prompt": "question", "--question": "question"},
        numbers=False,  # `stage one` is for parse_stage_number to explain, as Typer's way does
    ),
    "case": Shape(
        (0, 1),
        {**SHARED_FLAGS, "--review": "review", "--questions": "questions"},
        {**JOURNAL, "--question": "question"},
    ),
    "progress": Shape((0,), {"--plain": "plain"}, JOURNAL),
}


def quick_command(argv: list[str]) -> Callable[[], None] | None:
    """What runs ``argv`` without Typer, or None when Typer must read it."""
    if completing():
        return None
    settings: dict[str, object] = {}
    i = 0
    while i < len(argv) and argv[i].startswith("-"):  # global options, before the command
        arg = argv[i]
        if arg in GLOBAL_FLAGS:
            settings[GLOBAL_FLAGS[arg]] = True
        elif arg == "--home" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            i += 1
            settings["home"] = argv[i]
        elif arg.startswith("--home=") and not arg[7:].startswith("-"):
            settings["home"] = arg[7:]
        else:
            return None
        i += 1
    if i == len(argv) or argv[i] not in SHAPES:
        return None
    word, rest = argv[i], argv[i + 1 :]
    found = _read(SHAPES[word], rest)
    if found is None:
        return None
    arguments, options = found
    return lambda: _run(word, arguments, options, settings)


def _read(shape: Shape, rest: list[str]) -> tuple[list[str], dict[str, object]] | None:
    """The plain arguments and the options of ``rest``, or None if it is not a plain shape."""
    arguments: list[str] = []
    options: dict[str, object] = {}
    i = 0
    while i < len(rest):
        arg = rest[i]
        name, equals, value = arg.partition("=")
        if arg in shape.flags:
            options[shape.flags[arg]] = True
        elif name in shape.values and name.startswith("--") and equals:
            options[shape.values[name]] = value
        elif arg in shape.values and i + 1 < len(rest):
            i += 1
            options[shape.values[arg]] = rest[i]
        elif arg.startswith("-"):
            return None  # help, a mistake, or an option only Typer reads
        else:
            arguments.append(arg)
        i += 1
    if len(arguments) not in shape.arguments:
        return None
    if shape.numbers and not all(a.isascii() and a.isdigit() for a in arguments):
        return None  # `case validate`, `case schema`, or a mistake for Typer to explain
    for key in ("journal", "question"):
        text = options.get(key)
        if isinstance(text, str) and text.startswith("-"):
            return None  # a missing value: Click would take the next option as the value
    question = options.get("question")
    if question is not None:
        text = str(question)
        if not (text.isascii() and text.isdigit()):
            return None  # not a whole number: Typer says so in its words
        options["question"] = int(text)
    return arguments, options


def _run(word: str, arguments: list[str], options: dict[str, object], settings: dict[str, object]) -> None:
    home = settings.get("home")
    st = State(
        home=home if isinstance(home, str) else None,
        plain=bool(settings.get("plain")),
        quiet=bool(settings.get("quiet")),
        debug=bool(settings.get("debug")),
    )
    RUNS.append(st)
    fold(st, plain=bool(options.get("plain")), no_input=bool(options.get("no_input")))
    given = options.get("journal")
    journal = given if isinstance(given, str) else os.environ.get("REFLECTKIT_JOURNAL") or "default"
    editor, review, questions = (bool(options.get(k)) for k in ("editor", "review", "questions"))
    question = options.get("question")
    number = question if isinstance(question, int) else None
    if word == "start":
        everyday.start_walk(st, journal, editor)
    elif word == "stage":
        everyday.open_stage(st, arguments[0], number, review, questions, None, journal, editor)
    elif word == "case":
        target = arguments[0] if arguments else None
        everyday.open_case(st, target, journal, number, review, questions, None, editor)
    else:
        everyday.show_progress(st, journal)
