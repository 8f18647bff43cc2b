"""Where an export or a calendar file goes: standard output (``-`` or no ``--output``), a new
file, or a regular file the user said may be replaced. Nothing else is ever written to."""

from __future__ import annotations

import contextlib
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


class Spool:
    """An export written a piece at a time, delivered only once it is complete and allowed.

    With a file to write, the pieces go to a temp file beside it, swapped in whole by
    :meth:`deliver` (or removed if it is never called). For standard output they go to an
    unnamed temp file in ``private`` (a folder inside the data home), then are copied out.
    """

    def __init__(self, output: Path | None, private: Path | None) -> None:
        import tempfile

        self.output = output
        self.delivered = False
        self.name: str | None = None
        if output is not None:
            fd, self.name = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=output.parent)
            self.file = os.fdopen(fd, "w+b")
        else:
            folder = private if private is not None and private.is_dir() else None
            self.file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - closed by __exit__

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()
        if self.name is not None and not self.delivered:
            with contextlib.suppress(OSError):
                Path(self.name).unlink()

    def write(self, piece: str) -> None:
        self.file.write(piece.encode("utf-8"))

    def deliver(self, *, what: str) -> None:
        """Put the export where it was asked for (see :func:`deliver`)."""
        from reflectkit import fileio

        if self.output is None:
            self.file.seek(0)
            sink = getattr(sys.stdout, "buffer", None)
            while chunk := self.file.read(1 << 20):
                sink.write(chunk) if sink is not None else sys.stdout.write(chunk.decode())
            sys.stdout.flush()
            if sys.stdout.isatty():
                print(f"To keep it as a file, add {what}.", file=sys.stderr)
            return
        assert self.name is not None
        self.file.flush()
        os.fsync(self.file.fileno())
        fileio.replace_written(self.name, self.output)
        self.delivered = True
        print(f"Wrote {self.output}", file=sys.stderr)
