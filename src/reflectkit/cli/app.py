"""The typer application: global options, the error wrapper, and the command groups."""

from __future__ import annotations

from typing import Annotated

import typer

from reflectkit import __version__
from reflectkit.cli.state import RUNS, State
from reflectkit.errors import ExitCode

app = typer.Typer(
    name="reflectkit",
    help=(
        "A reflection and case-study workbook for practitioners who support families with "
        "migrant, refugee or otherwise marginalised backgrounds.\n\n"
        "Start here:  reflectkit start"
    ),
    no_args_is_help=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"reflectkit {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _global(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option(
            "--home", metavar="FOLDER", help="Folder for your journals and settings (else $REFLECTKIT_HOME)."
        ),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Plain text: no colours or boxes (for screen readers).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the reminder line.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full error when something fails.")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Global options go before the command: reflectkit --plain start"""
    ctx.obj = State(home=home, plain=plain, quiet=quiet, debug=debug)
    RUNS.append(ctx.obj)
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())


# Which module defines each command: only the one a run needs is imported, so a quick
# command does not pay for loading every other one.
COMMANDS = {
    "start": "walk_cmd",
    "stage": "walk_cmd",
    "reflect": "stage4_cmd",
    "revisit": "stage4_cmd",
    "remind": "stage4_cmd",
    "progress": "stage4_cmd",
    "case": "content_cmd",
    "resources": "content_cmd",
    "journal": "journal_cmd",
    "note": "note_cmd",
    "models": "note_cmd",
    "model": "note_cmd",
    "tag": "tag_cmd",
    "search": "search_cmd",
    "export": "export_cmd",
    "check": "privacy_cmd",
    "privacy": "privacy_cmd",
    "log": "log_cmd",
    "regulator": "regulator_cmd",
    "revalidation": "regulator_cmd",
}
_registered: set[str] = set()

# What `reflectkit --help` lists, in the order Typer lists the commands (commands, then
# groups): the first paragraph of each command's help. The page without a command is made
# from this, so it loads no command module; a test checks it matches the commands' own help.
SUMMARIES = {
    "start": "Walk through the workbook, carrying on where you left off.",
    "stage": "Open one stage of the workbook.",
    "reflect": "Your five-minute weekly reflection: What? So what? Now what?",
    "revisit": "The fifteen-minute revisit after four weeks.",
    "remind": "Show your Stage 4 schedule; put it in your calendar.",
    "progress": "Your progress: stages, case studies and the Stage 4 schedule.",
    "case": "Case studies: list them, open one, or check a file of your own.",
    "resources": "Further reading and toolkits, with links.",
    "note": "Reflect on any day's work, with the reflective model you were taught.",
    "models": "The reflective models a note can follow, one line each.",
    "tag": "Tag a part of your journal, to find it again (reflectkit search --tag TAG).",
    "search": "Find words in your journal: every answer, note and earlier version.",
    "export": "Export your journal as Markdown, JSON or a regulator's record; as Word or HTML too.",
    "check": "Look through a journal for details that could identify someone.",
    "regulator": "Say who you are registered with, once; without a name, show the choice.",
    "revalidation": "Where you stand with your regulator: each requirement, what is done and what is due.",
    "journal": "Your journals: list them, show one, and look after them.",
    "model": "Reflective models: check a file of your own, or print the schema of one.",
    "privacy": "Your list of names to watch for. They are kept in your settings and never exported.",
    "log": "Your CPD log: learning activities with their date and time, for your regulator.",
}


def _register(argv: list[str] | None = None) -> None:
    from importlib import import_module

    from reflectkit.cli.argv import command_word, completing

    word = command_word(argv or [])
    if word is None and not completing():
        return  # only the top-level page or --version: _summarised lists the commands
    wanted = [COMMANDS[word]] if word in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in wanted:
        if name not in _registered:
            _registered.add(name)
            import_module(f"reflectkit.cli.{name}").register(app)


def _whole_first_lines(group: typer._click.Command) -> None:
    """Each command in ``group`` and its subgroups listed by its whole first line."""
    for sub in getattr(group, "commands", {}).values():
        if sub.short_help is None and sub.help:
            sub.short_help = sub.help.split("\n\n")[0].strip()
        _whole_first_lines(sub)


def _summarised(group: typer._click.Command) -> None:
    """Each command listed with its whole first line (not cut at 45 characters); commands
    whose module was not loaded are listed from SUMMARIES, in the same order."""
    if not isinstance(group, typer.core.TyperGroup):
        return
    _whole_first_lines(group)
    if set(group.commands) >= set(SUMMARIES):
        return
    listed: dict[str, typer._click.Command] = {
        name: group.commands.get(name) or typer.core.TyperCommand(name, help=text, short_help=text)
        for name, text in SUMMARIES.items()
    }
    group.commands = {**listed, **group.commands}


def invoke(argv: list[str]) -> int:
    """Run one command line through Typer. Click's own outcomes (a usage mistake, an exit, an
    abort) become exit codes with their message; reflectkit's errors go on to the runner."""
    from reflectkit.cli.interrupts import stopped_message
    from reflectkit.cli.notices import to_stderr

    try:
        _register(argv)
        command = typer.main.get_command(app)
        from reflectkit.cli.params import lighten

        lighten(command)
        _summarised(command)
        result = command.main(args=argv, prog_name="reflectkit", standalone_mode=False)
    except typer.Abort:
        to_stderr(f"\n{stopped_message()}")
        return int(ExitCode.INTERRUPTED)
    except typer.Exit as exc:
        if exc.exit_code == ExitCode.INTERRUPTED:  # typer's word for a Ctrl-C
            to_stderr(f"\n{stopped_message()}")
        return int(exc.exit_code)
    except typer._click.exceptions.UsageError as exc:
        # In reflectkit's own words and layout, like every other message: what was wrong,
        # then where the help is (Click's usage line first reads like an error of its own).
        message = exc.format_message().strip()
        message += "" if message.endswith((".", "?", "!")) else "."
        where = f"reflectkit {' '.join(exc.ctx.command_path.split()[1:])}".rstrip() if exc.ctx else ""
        to_stderr(f"reflectkit: {message}\nSee: {where} --help" if where else f"reflectkit: {message}")
        return int(ExitCode.USAGE)
    except typer._click.exceptions.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    if result == ExitCode.INTERRUPTED:  # typer returns Ctrl-C as 130 when not standalone
        to_stderr(f"\n{stopped_message()}")
    return int(result) if isinstance(result, int) else 0
