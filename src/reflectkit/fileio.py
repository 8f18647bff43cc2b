"""Reading and writing reflectkit's files safely, on every platform.

Reading opens a file without following a symbolic link and without blocking on a FIFO,
checks that it is a regular file, caps the size before parsing, rejects a BOM and invalid
UTF-8, and turns every parse failure into a message naming the file, line and column.
Writing serialises the whole document first, checks that it parses back to the same data,
then replaces the target atomically: a crash at any moment leaves the old file or the new
one, never a mix. Steps that only POSIX has (folder fsync, chmod) are skipped on Windows,
where a virus scanner holding a file for a moment is waited for instead.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from pathlib import Path

from reflectkit.errors import BadDataError, StorageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up cost)
if TYPE_CHECKING:
    from typing import Any

MAX_FILE_BYTES = 2 * 1024 * 1024
TEMP_PREFIX = ".tmp-"
FILE_MODE = 0o600
DIR_MODE = 0o700
# os.replace on Windows fails while another program (a virus scanner, the search indexer)
# has the target open; it lets go within moments, so a save waits about a second for it.
REPLACE_TRIES = 10
REPLACE_PAUSE = 0.1
_SHARING_VIOLATIONS = (5, 32)  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION

# O_NONBLOCK makes opening a FIFO return at once (then fstat refuses it) instead of waiting
# for a writer for ever; on a regular file it changes nothing.
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_LINE_COL = re.compile(r"\(at line (\d+), column (\d+)\)")
_AT_END = "(at end of document)"


def is_windows() -> bool:
    """True on Windows, where folders cannot be opened and chmod means almost nothing."""
    return sys.platform == "win32" or os.name == "nt"


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISREG, "a file"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(path: Path, mode: int, expected: str = "an ordinary file") -> BadDataError:
    kind = next((name for test, name in _KINDS if test(mode)), "a device")
    return BadDataError(
        f"{path} is {kind}, not {expected}, so reflectkit did not use it and left it alone.",
        hint="reflectkit reads and writes only ordinary files: move it out of the way, then try again.",
    )


def check_regular(path: Path) -> os.stat_result | None:
    """The ``lstat`` of ``path`` if it is a regular file, None if nothing is there.

    Anything else (a symbolic link, FIFO, folder, device) raises BadDataError naming it.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st.st_mode)
    return st


def open_regular(
    path: Path, flags: int = os.O_RDONLY, mode: int = FILE_MODE, *, follow_symlinks: bool = False
) -> int:
    """Open ``path`` as a file descriptor, only if it is (or becomes) a regular file.

    The last part of the path is never followed if it is a symbolic link (``O_NOFOLLOW``,
    or ``lstat`` first where the platform lacks it) unless ``follow_symlinks`` is set, and a
    FIFO never blocks. Raises FileNotFoundError when nothing is there (and ``flags`` do not
    create it), BadDataError naming the file when it is something other than a file.
    """
    if not follow_symlinks and not _NOFOLLOW:
        check_regular(path)  # pragma: no cover - Windows: no O_NOFOLLOW, and no FIFOs
    try:
        fd = os.open(path, flags | _OPEN_FLAGS | (0 if follow_symlinks else _NOFOLLOW), mode)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP (a link), ENXIO (a FIFO nobody reads), EISDIR, EACCES...
        try:
            found = (os.stat if follow_symlinks else os.lstat)(path).st_mode
        except OSError:
            raise exc from None
        if not stat.S_ISREG(found):
            raise _not_regular(path, found) from exc
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, max_bytes: int = MAX_FILE_BYTES, *, follow_symlinks: bool = False) -> bytes:
    """Up to ``max_bytes + 1`` bytes of a regular file, opened as :func:`open_regular` does."""
    fd = open_regular(path, follow_symlinks=follow_symlinks)
    chunks, left = [], max_bytes + 1
    try:
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """:func:`read_regular`, with a failure to read reported as BadDataError naming the file."""
    try:
        return read_regular(path, max_bytes)
    except (FileNotFoundError, BadDataError):
        raise
    except OSError as exc:
        raise BadDataError(f"{path}: cannot be read: {exc.strerror or exc}") from exc


def read_toml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> dict[str, Any]:
    """Read and parse one TOML file, or raise BadDataError naming what is wrong and where."""
    return parse_toml(read_file(path, max_bytes), path, max_bytes=max_bytes)


def toml_reader() -> Any:
    """The TOML parser, imported when a file is first parsed (a run that reads no TOML file,
    such as `reflectkit remind` on a new install, does not load it). tomli is tomllib
    compiled with mypyc: the same parser, three times faster."""
    try:
        import tomli
    except ImportError:  # pragma: no cover - a source-only install
        import tomllib

        return tomllib
    return tomli


def end_of(raw: bytes) -> tuple[int, int]:
    """The line and column just after the last byte of ``raw``."""
    return raw.count(b"\n") + 1, len(raw) - (raw.rfind(b"\n") + 1) + 1


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
        line, col = end_of(raw[: exc.start])
        raise BadDataError(
            f"{path}: line {line}, column {col}: the file is not valid UTF-8.",
            hint="Nothing was changed. Restore it from a backup or fix it in a text editor.",
        ) from exc
    reader = toml_reader()
    try:
        return reader.loads(text)  # type: ignore[no-any-return]
    except reader.TOMLDecodeError as exc:
        raise _syntax_error(str(exc), raw, path) from exc
    except RecursionError as exc:
        raise BadDataError(f"{path}: the file is nested too deeply to read.") from exc


def _syntax_error(msg: str, raw: bytes, path: Path | str) -> BadDataError:
    where = _LINE_COL.search(msg)
    if where:
        place = f"line {where.group(1)}, column {where.group(2)}: "
    elif _AT_END in msg:  # the parser gives no line here, yet that is where a cut file stops
        line, col = end_of(raw)
        place = f"line {line}, column {col}: the file ends too early (it may have been cut short): "
    else:
        place = ""
    reason = _LINE_COL.sub("", msg).replace(_AT_END, "").strip()
    return BadDataError(
        f"{path}: {place}{reason}",
        hint="Nothing was changed. Fix the file in a text editor, or move it aside.",
    )


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
    if toml_reader().loads(text) != data:  # pragma: no cover - a tomli-w bug would land here
        raise StorageError("reflectkit could not write this data as TOML faithfully; nothing was saved.")
    return encoded


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform lets a folder be opened.

    It runs after the replace: the new file is already in place, so a refusal here must not
    turn a good save into "could not save".
    """
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace(source: str, target: Path) -> None:
    """``os.replace``, retried for about a second on a Windows sharing violation."""
    tries = REPLACE_TRIES if is_windows() else 1
    for attempt in range(1, tries + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if attempt == tries or getattr(exc, "winerror", None) not in _SHARING_VIOLATIONS:
                raise
        import time

        time.sleep(REPLACE_PAUSE)


def write_atomic(path: Path, payload: bytes, *, temp_dir: Path | None = None, durable: bool = True) -> bool:
    """Replace ``path`` with ``payload``: temp file, fsync, rename, fsync the folder.

    The temp file goes in ``temp_dir`` when given (a folder on the same file system, so
    the rename stays atomic), else beside ``path``. A target that exists but is not a
    regular file (a symbolic link, a FIFO) is refused and left alone. ``durable=False``
    (for a cache that is rebuilt when lost) skips forcing the bytes to disk.

    Returns:
        True when the file it replaced could be read by others (it is private now).
    """
    before = check_regular(path)
    folder = path.parent
    try:
        fd, tmp = new_temp(temp_dir or folder, ".toml")
    except OSError as exc:
        raise _storage_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if not is_windows():
            os.chmod(tmp, FILE_MODE)
        _replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _storage_error(path, exc) from exc
        raise
    if durable and not is_windows():
        _fsync_dir(folder)
    return before is not None and not is_windows() and bool(before.st_mode & 0o077)


_NEW_FILE = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0)


def new_temp(folder: Path, suffix: str) -> tuple[int, str]:
    """A new file in ``folder``, private, named ``TEMP_PREFIX`` + random + ``suffix``, open
    for writing: a file descriptor and its path. As ``tempfile.mkstemp`` makes one (a name
    that is taken, by a file or a link, is never opened; another is drawn), without loading
    tempfile, which brings shutil and the compression modules into every save."""
    for _ in range(100):
        name = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, _NEW_FILE, FILE_MODE), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused name for a temporary file", str(folder))


def replace_written(temp: str, path: Path) -> None:
    """Swap a complete, flushed temp file in over ``path`` as :func:`write_atomic` does (the
    target must be a regular file or nothing; the temp file is made private first)."""
    check_regular(path)
    try:
        if not is_windows():
            os.chmod(temp, FILE_MODE)
        _replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _storage_error(path, exc) from exc
    if not is_windows():
        _fsync_dir(path.parent)


def read_at(fd: int, offset: int, size: int) -> bytes:
    """Up to ``size`` bytes of an open file from ``offset`` (fewer at its end)."""
    os.lseek(fd, offset, os.SEEK_SET)
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def write_at(fd: int, payload: bytes, offset: int, path: Path) -> bool:
    """Cut an open file (opened by :func:`open_regular`) at ``offset``, write ``payload``
    there and force it to disk: for a file that grows by appending, where only what comes
    after ``offset`` may change. ``path`` names it in errors.

    On a failure the file is cut back to ``offset`` where possible, so what came before is
    never touched; the error is a StorageError as from :func:`write_atomic`.

    Returns:
        True when the file could be read by others (it is private now).
    """
    loose = False
    try:
        if not is_windows() and os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, FILE_MODE)
            loose = True
        os.ftruncate(fd, offset)
        os.lseek(fd, offset, os.SEEK_SET)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, offset)
        raise _storage_error(path, exc) from exc
    return loose


def write_in_place(path: Path, payload: bytes) -> bool:
    """Make ``payload`` the whole of ``path`` (created private if missing), written in place
    and forced to disk with its folder entry. Only for a file nothing reads yet: a stop
    part-way leaves it cut short. One rename fewer than :func:`write_atomic`, which matters
    where renames are slow or refused (Windows, a scanner holding the folder).

    Returns:
        True when the file could be read by others (it is private now).
    """
    try:
        fd = open_regular(path, os.O_RDWR | os.O_CREAT)
    except OSError as exc:
        raise _storage_error(path, exc) from exc
    try:
        loose = write_at(fd, payload, 0, path)
    finally:
        os.close(fd)
    if not is_windows():
        _fsync_dir(path.parent)
    return loose


def write_toml(path: Path, data: dict[str, Any], *, temp_dir: Path | None = None) -> bool:
    """Serialise, check and atomically write one TOML document (see :func:`write_atomic`)."""
    return write_atomic(path, dumps_checked(data), temp_dir=temp_dir)


def storage_error(path: Path, exc: OSError) -> StorageError:
    """A failure to write ``path``, said plainly (a full disk, a refusal, a busy file)."""
    return _storage_error(path, exc)


def _storage_error(path: Path, exc: OSError) -> StorageError:
    intact = "What was saved before is intact."
    hint = f"{intact} Fix what stopped it, then try again."
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS and is_windows():
        reason = "another program (a virus scanner or the search indexer, perhaps) kept the file open"
        hint = f"{intact} Wait a moment, then try again."
    elif exc.errno == errno.ENOSPC:
        reason = "the disk is full"
        hint = f"{intact} Free some space, then try again."
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission was refused"
        hint = f"{intact} Check that you may write to that folder (its permissions), then try again."
    elif exc.errno == errno.EROFS:
        reason = "the disk is read-only"
        hint = f"{intact} Use a folder you can write to (reflectkit --home FOLDER), then try again."
    else:
        reason = exc.strerror or str(exc)
    return StorageError(f"Could not save {path}: {reason}.", hint=hint)


def remove_leftover_temps(folder: Path) -> int:
    """Remove temp files an interrupted write left behind; return how many."""
    removed = 0
    for leftover in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


def tighten(path: Path, mode: int) -> bool:
    """Make one of reflectkit's own files or folders private again if it is looser.

    Only a real file or folder owned by this user is changed (never a link's target), and
    never on Windows, where the user profile's permissions protect the data instead.

    Returns:
        True when it was loose and has been tightened.
    """
    if is_windows():
        return False
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    owned = st.st_uid == os.geteuid()
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)) or not owned or not st.st_mode & 0o077:
        return False
    try:
        os.chmod(path, mode)
    except OSError:  # a file system without Unix permissions: nothing more can be done
        return False
    return True


def ensure_private_dir(folder: Path) -> bool:
    """Create one of reflectkit's own folders (and parents) as 0700, or tighten it if looser.

    Not for the data home itself, which is checked and never changed (see
    :func:`reflectkit.paths.check_home`). A link to a folder is used as it is; a file or
    anything else in its place is refused.

    Returns:
        True when an existing folder was loose and has been tightened.
    """
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if not is_windows():
            with contextlib.suppress(OSError):  # the umask may have taken more than group and other bits
                os.chmod(folder, DIR_MODE)
        return False
    if stat.S_ISLNK(st.st_mode) and folder.is_dir():
        return False
    if not stat.S_ISDIR(st.st_mode):
        raise _not_regular(folder, st.st_mode, "a folder")
    return tighten(folder, DIR_MODE)
