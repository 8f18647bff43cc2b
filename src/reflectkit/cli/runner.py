"""Running one command line: the everyday shapes on the quick way, the rest through Typer;
errors become messages and exit codes, never tracebacks."""

from __future__ import annotations

from reflectkit.cli.state import RUNS
from reflectkit.errors import ExitCode, ReflectkitError


def run(argv: list[str], *, quick: bool = True) -> int:
    """Run one command line; return the exit code. ``quick=False`` always goes through
    Typer (the tests compare the two ways)."""
    from reflectkit.cli import interrupts
    from reflectkit.cli.interrupts import stopped_message
    from reflectkit.cli.notices import to_stderr

    interrupts.install()
    debug = "--debug" in argv
    try:
        if quick:
            from reflectkit.cli.quick import quick_command

            command = quick_command(argv)
        if quick and command is not None:
            command()
            code = 0
        else:
            from reflectkit.cli.app import invoke

            code = invoke(argv)
    except ReflectkitError as exc:
        if exc.exit_code == ExitCode.INTERRUPTED:  # stopped part-way: the message says what was kept
            to_stderr(f"\n{exc.message}")
            return int(exc.exit_code)
        if debug:
            import traceback

            traceback.print_exc()
        from reflectkit.textsafe import safe

        to_stderr(f"reflectkit: {safe(str(exc))}")
        return int(exc.exit_code)
    except (KeyboardInterrupt, EOFError) as exc:
        if isinstance(exc, EOFError):  # as Click does: end the line the input was on
            to_stderr("")
        to_stderr(f"\n{stopped_message()}")
        _give_back_carried()
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        raise  # the reader went away: main stops quietly
    except OSError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        to_stderr(f"reflectkit: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return int(ExitCode.IO)
    _give_back_carried()
    _say_tightened()
    return code


def _give_back_carried() -> None:
    """Words typed on a "Press Enter" page that no answer box took are shown, not lost."""
    for st in RUNS:
        ui = st.__dict__.get("ui")
        if ui is not None:
            ui.give_back_carried()


def _say_tightened() -> None:
    """One line when this run found reflectkit's own files readable by others."""
    for st in RUNS:
        store = st.__dict__.get("store")
        if store is not None and store.tightened:
            from reflectkit.cli.notices import to_stderr
            from reflectkit.textsafe import safe

            names = ", ".join(safe(str(p)) for p in store.tightened[:5])
            more = f" and {len(store.tightened) - 5} more" if len(store.tightened) > 5 else ""
            to_stderr(f"reflectkit: made private again (others could read them): {names}{more}")
    RUNS.clear()
