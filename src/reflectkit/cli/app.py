"""The typer application: global options, the error wrapper, and the command groups."""

from __future__ import annotations

import sys
import traceback
from typing import Annotated

import typer

from reflectkit import __version__
from reflectkit.cli.state import State
from reflectkit.errors import ExitCode, ReflectkitError

app = typer.Typer(
    name="reflectkit",
    help=(
        "A reflection and case-study workbook for practitioners who support families with "
        "migrant, refugee or otherwise marginalised backgrounds.\n\n"
        "Start here:  reflectkit start"
    ),
    no_args_is_help=False,
    add_completion=False,
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
        typer.Option("--home", help="Folder for your journals and settings (else $REFLECTKIT_HOME)."),
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
    "export": "export_cmd",
    "check": "privacy_cmd",
    "privacy": "privacy_cmd",
}
_registered: set[str] = set()


def _register(argv: list[str] | None = None) -> None:
    from importlib import import_module

    from reflectkit.cli import command_word

    word = command_word(argv or [])
    wanted = [COMMANDS[word]] if word in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in wanted:
        if name not in _registered:
            _registered.add(name)
            import_module(f"reflectkit.cli.{name}").register(app)


def _closing_is_an_interrupt() -> None:
    """A closed terminal window (SIGHUP) or a shutdown (SIGTERM) stops reflectkit the way
    Ctrl-C does, so that an answer being typed is saved before it goes."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGHUP", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def run(argv: list[str]) -> int:
    """Run one command line; return the exit code. Errors become messages, not tracebacks."""
    _register(argv)
    _closing_is_an_interrupt()
    command = typer.main.get_command(app)
    debug = "--debug" in argv
    try:
        result = command.main(args=argv, prog_name="reflectkit", standalone_mode=False)
    except ReflectkitError as exc:
        if debug:
            traceback.print_exc()
        from reflectkit.textsafe import safe

        print(f"reflectkit: {safe(str(exc))}", file=sys.stderr)
        return int(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        print("\nStopped. Everything you had already answered is saved.", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except typer.Exit as exc:
        if exc.exit_code == ExitCode.INTERRUPTED:  # typer's word for a Ctrl-C
            print("\nStopped. Everything you had already answered is saved.", file=sys.stderr)
        return int(exc.exit_code)
    except typer._click.exceptions.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except OSError as exc:
        if debug:
            traceback.print_exc()
        print(f"reflectkit: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return int(ExitCode.IO)
    if result == ExitCode.INTERRUPTED:  # typer returns Ctrl-C as 130 when not standalone
        print("\nStopped. Everything you had already answered is saved.", file=sys.stderr)
    return int(result) if isinstance(result, int) else 0
