"""Reading the command line before Typer is loaded: the command word and a few options.

Start-up speed needs the reminder check and the `remind` fast path to know the command and
the journal without importing Typer. This is the one place that does it; a test checks
that it agrees with the Typer commands.
"""

from __future__ import annotations

import os

# Global and per-command options that take a value: their value is not the command word.
VALUE_OPTIONS = ("--home", "--journal", "-j")


def option(argv: list[str], *names: str) -> str | None:
    """The value of the last ``--name VALUE`` or ``--name=VALUE`` in ``argv``."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        for name in names:
            if arg == name and i + 1 < len(argv):
                found = argv[i + 1]
            elif arg.startswith(name + "="):
                found = arg.split("=", 1)[1]
    return found


def command_word(argv: list[str]) -> str | None:
    """The command named on the line, skipping options and the values they take."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def completing() -> bool:
    """True when the shell asks Typer to complete a command line (it sets _REFLECTKIT_COMPLETE)."""
    return any(name.startswith("_REFLECTKIT") and name.endswith("_COMPLETE") for name in os.environ)
