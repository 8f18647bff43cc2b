"""The command line. ``main`` answers ``--version`` and prints the reminder line before
loading anything heavy; the commands themselves live in the modules beside this one."""

from __future__ import annotations

import os
import sys

from reflectkit.cli.argv import command_word, completing, option


def _wants_reminder(argv: list[str]) -> bool:
    if os.environ.get("REFLECTKIT_NO_REMIND") == "1":
        return False
    flags = {"--help", "-h", "--version", "-V", "--quiet", "-q"}
    if any(arg in flags for arg in argv):
        return False
    # remind, reflect and revisit say the same thing in full; export output must stay clean.
    return command_word(argv) not in {"export", "remind", "reflect", "revisit"}


def reminder(argv: list[str]) -> str | None:
    """The reminder line for this run, or None. Reads one small file; never raises."""
    try:
        from reflectkit.paths import data_home, today
        from reflectkit.reminders import reminder_for

        journal = option(argv, "--journal", "-j") or os.environ.get("REFLECTKIT_JOURNAL") or "default"
        return reminder_for(data_home(option(argv, "--home")), journal, today())
    except Exception:  # a reminder must never stop the command the user asked for
        return None


def _plain_remind(argv: list[str]) -> bool:
    """Answer a bare `reflectkit remind` without loading the full command line."""
    rest, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--journal", "-j", "--home"):
            skip = True
        elif arg not in ("--plain", "--quiet", "-q") and not arg.startswith(("--journal=", "--home=")):
            rest.append(arg)
    if rest != ["remind"]:
        return False
    from reflectkit.cli.schedule_text import schedule_items, schedule_lines
    from reflectkit.journal.cycles import current, read_cycles
    from reflectkit.paths import check_name, data_home, today
    from reflectkit.schedule import plan_reminders
    from reflectkit.textsafe import safe

    journal = option(argv, "--journal", "-j") or os.environ.get("REFLECTKIT_JOURNAL") or "default"
    cycle = current(read_cycles(data_home(option(argv, "--home")) / "journals" / check_name(journal)))
    plan = plan_reminders(cycle.started, today(), done=cycle.done, skipped=cycle.skipped) if cycle else []
    lines = schedule_lines(cycle, plan)
    if sys.stdout.isatty():
        import shutil

        columns = shutil.get_terminal_size().columns
        if max(map(len, lines)) > columns:  # one sentence per check-in, wrapped, commands whole
            from reflectkit.cli.fastwrap import keep_commands_whole

            width = max(columns, 20)
            lines = [
                keep_commands_whole(item, width, indent="  ", every_line=True)
                for item in schedule_items(cycle, plan)
            ]
    print("\n".join(safe(line) for line in lines))
    return True


def utf8_streams() -> None:
    """Standard output and error in UTF-8 whatever the locale or console code page (a
    redirected stdout on Windows gets the ANSI code page), so no answer ever fails to print."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``reflectkit`` script."""
    args = sys.argv[1:] if argv is None else list(argv)
    from reflectkit.cli import interrupts

    interrupts.install()  # before anything else: a signal from now on never cuts a save short
    try:
        utf8_streams()
        _main(args)
    except KeyboardInterrupt:  # before the command line was loaded: nothing was asked yet
        from reflectkit.cli.notices import to_stderr

        to_stderr(f"\n{interrupts.stopped_message()}")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`reflectkit case | head -1`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def _main(args: list[str]) -> None:
    shell_completing = completing()
    if args in (["--version"], ["-V"]):
        from reflectkit import __version__

        print(f"reflectkit {__version__}")
        return
    try:
        if not shell_completing and _plain_remind(args):
            return
    except Exception:  # anything unusual: let the full command line explain it
        pass
    if not shell_completing and _wants_reminder(args):
        line = reminder(args)
        if line:
            import shutil

            from reflectkit.textsafe import safe

            text = safe(line)
            if sys.stderr.isatty():  # wrap for a narrow window, keeping the command whole
                from reflectkit.cli.fastwrap import keep_commands_whole

                width = max(min(shutil.get_terminal_size().columns, 88), 20)
                text = keep_commands_whole(text, width, every_line=True)
            print(text, file=sys.stderr)
    from reflectkit.cli.runner import run

    code = run(args)
    sys.stdout.flush()  # a closed pipe shows here, inside main's BrokenPipeError handler
    sys.exit(code)
