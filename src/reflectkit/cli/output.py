"""Where an export or a calendar file goes: standard output (``-`` or no ``--output``), a new
file, or a regular file the user said may be replaced. Nothing else is ever written to."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from reflectkit.errors import UsageError


def target(output: Path | None, *, force: bool, option: str = "--output") -> Path | None:
    """The file to write, or None for standard output; refuse anything but a regular file or
    a new path, before any work is done."""
    if output is None or str(output) == "-":
        return None
    try:
        info = os.lstat(output)
    except FileNotFoundError:
        if not output.parent.is_dir():
            raise UsageError(
                f"The folder {output.parent} does not exist; nothing was written.",
                hint="Create the folder first, or choose a file in a folder that exists.",
            ) from None
        return output
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(
            f"{output} is a folder; nothing was written.",
            hint=f"Give a file name inside it, for example {option} {output / 'journal.md'}",
        )
    if not stat.S_ISREG(info.st_mode):
        kind = "a link" if stat.S_ISLNK(info.st_mode) else "not an ordinary file (a device or a pipe)"
        raise UsageError(
            f"{output} is {kind}, so reflectkit will not write to it; nothing was written.",
            hint=f"Choose an ordinary file name, or {option} - for the screen.",
        )
    if not force:
        raise UsageError(f"{output} already exists; nothing was written.", hint="Add --force to replace it.")
    return output


def deliver(
    data: str | bytes, output: Path | None, *, what: str = "--output FILE (for example --output journal.md)"
) -> None:
    """Write to standard output, or atomically to ``output`` (checked by :func:`target`)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output is None:
        sys.stdout.buffer.write(payload) if hasattr(sys.stdout, "buffer") else sys.stdout.write(
            payload.decode()
        )
        sys.stdout.flush()
        if sys.stdout.isatty():
            print(f"To keep it as a file, add {what}.", file=sys.stderr)
        return
    from reflectkit.fileio import write_atomic

    write_atomic(output, payload)
    print(f"Wrote {output}", file=sys.stderr)
