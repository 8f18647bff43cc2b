"""Reading and writing TOML files safely.

Reading caps the size before parsing, rejects a BOM and invalid UTF-8, and turns every
parse failure into a message naming the file, line and column. Writing serialises the
whole document first, checks that it parses back to the same data, then replaces the
target atomically: a crash at any moment leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from pathlib import Path

from reflectkit.errors import BadDataError, StorageError

try:  # tomli is tomllib compiled with mypyc: the same parser, three times faster
    import tomli as toml_reader
except ImportError:  # pragma: no cover - a source-only install
    import tomllib as toml_reader  # type: ignore[no-redef]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up cost)
if TYPE_CHECKING:
    from typing import Any

MAX_FILE_BYTES = 2 * 1024 * 1024
TEMP_PREFIX = ".tmp-"
FILE_MODE = 0o600
DIR_MODE = 0o700

_LINE_COL = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> dict[str, Any]:
    """Read and parse one TOML file, or raise BadDataError naming what is wrong and where."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise BadDataError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    return parse_toml(raw, path, max_bytes=max_bytes)


def parse_toml(raw: bytes, path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> dict[str, Any]:
    """Parse TOML bytes with the checks of :func:`read_toml`."""
    if len(raw) > max_bytes:
        raise BadDataError(
            f"{path}: the file is larger than {max_bytes // 1024} KiB, so it was not read.",
            hint="It may not be a reflectkit file, or it was damaged. Nothing was changed.",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raise BadDataError(
            f"{path}: line 1, column 1: the file starts with a byte-order mark (BOM).",
            hint="Save it as UTF-8 without a BOM. Nothing was changed.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BadDataError(
            f"{path}: line {line}, column {col}: the file is not valid UTF-8.",
            hint="Nothing was changed. Restore it from a backup or fix it in a text editor.",
        ) from exc
    try:
        return toml_reader.loads(text)
    except toml_reader.TOMLDecodeError as exc:
        msg = str(exc)
        where = _LINE_COL.search(msg)
        place = f"line {where.group(1)}, column {where.group(2)}: " if where else ""
        reason = _LINE_COL.sub("", msg).strip()
        raise BadDataError(
            f"{path}: {place}{reason}",
            hint="Nothing was changed. Fix the file in a text editor, or move it aside.",
        ) from exc
    except RecursionError as exc:
        raise BadDataError(f"{path}: the file is nested too deeply to read.") from exc


def dumps_checked(data: dict[str, Any]) -> bytes:
    """Serialise ``data`` to TOML and prove it reads back as the same data."""
    import tomli_w  # writing is never on the start-up path

    text = tomli_w.dumps(data)
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StorageError(
            "This text holds characters that cannot be saved as UTF-8; nothing was saved."
        ) from exc
    if toml_reader.loads(text) != data:  # pragma: no cover - a tomli-w bug would land here
        raise StorageError("reflectkit could not write this data as TOML faithfully; nothing was saved.")
    return encoded


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, payload: bytes, *, temp_dir: Path | None = None) -> None:
    """Replace ``path`` with ``payload``: temp file, fsync, rename, fsync the folder.

    The temp file goes in ``temp_dir`` when given (a folder on the same file system, so
    the rename stays atomic), else beside ``path``.
    """
    import tempfile

    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".toml", dir=temp_dir or folder)
    except OSError as exc:
        raise _storage_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _storage_error(path, exc) from exc
        raise


def write_toml(path: Path, data: dict[str, Any], *, temp_dir: Path | None = None) -> None:
    """Serialise, check and atomically write one TOML document."""
    write_atomic(path, dumps_checked(data), temp_dir=temp_dir)


def _storage_error(path: Path, exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission was refused"
    else:
        reason = exc.strerror or str(exc)
    return StorageError(
        f"Could not save {path}: {reason}.",
        hint="What was saved before is intact. Free some space or fix the folder, then try again.",
    )


def remove_leftover_temps(folder: Path) -> int:
    """Remove temp files an interrupted write left behind; return how many."""
    removed = 0
    for leftover in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) as 0700, and tighten it if it is looser."""
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(DIR_MODE)
