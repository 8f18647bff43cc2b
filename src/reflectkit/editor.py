"""Writing an answer in the user's own text editor.

The editor is ``$VISUAL`` or ``$EDITOR``, split by the platform's own rules (a Windows path
such as ``C:\\Program Files\\Notepad++\\notepad++.exe`` keeps its backslashes and spaces),
else a sensible default for the platform. The file lives in the private drafts folder,
is named after the question, and is removed afterwards. What comes back is exactly what
was written, less the line ends most editors add at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from reflectkit.answering import decode_typed
from reflectkit.errors import ReflectkitError


class EditorUnavailable(ReflectkitError):
    """No editor could be started; the caller falls back to typing in the terminal."""


class EditorInterrupted(KeyboardInterrupt):
    """Ctrl-C or a closed window while the editor was open; ``text`` is what was in its file."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def split_command(command: str, *, windows: bool | None = None) -> list[str]:
    """Split an editor command the way the platform's shell would."""
    windows = (os.name == "nt") if windows is None else windows
    if not windows:
        import shlex

        return shlex.split(command)
    command = command.strip()
    if not command:
        return []
    if command.startswith('"'):
        program, _, rest = command[1:].partition('"')
        return [program, *_windows_args(rest)]
    # An unquoted path with spaces: Windows tries ever longer prefixes that name a file.
    words = command.split(" ")
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if Path(candidate).is_file():
            return [candidate, *_windows_args(" ".join(words[end:]))]
    return [words[0], *_windows_args(" ".join(words[1:]))]


def _windows_args(rest: str) -> list[str]:
    """Arguments after the program: double quotes group, backslashes are kept as they are."""
    return [
        m.group(1) if m.group(1) is not None else m.group(2) for m in re.finditer(r'"([^"]*)"|(\S+)', rest)
    ]


def default_command(platform: str | None = None) -> list[str]:
    """The editor to use when $VISUAL and $EDITOR are not set, or [] when there is none."""
    platform = platform or sys.platform
    if platform == "win32":
        return ["notepad"]
    if platform == "darwin" and shutil.which("open"):
        return ["open", "-W", "-n", "-t"]  # TextEdit, waiting until it is closed
    found = next((e for e in ("nano", "vi") if shutil.which(e)), "")
    return [found] if found else []


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    chosen = env.get("VISUAL") or env.get("EDITOR") or ""
    return split_command(chosen) if chosen.strip() else default_command()


def describe(command: list[str]) -> str:
    return Path(command[0]).name if command else "your editor"


def _file_name(hint: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", hint.lower()).strip("-")[:48] or "answer"
    return f"{slug}-"


def strip_final_newline(text: str) -> str:
    """The text as written, less the line ends an editor adds at the end on saving (blank
    lines at the very end are never part of an answer; spaces and everything else are)."""
    return text.rstrip("\r\n")


def edit_text(initial: str, *, folder: Path, name_hint: str, command: list[str] | None = None) -> str:
    """Open the editor on ``initial`` in a private file; return what was saved in it.

    Raises:
        EditorUnavailable: The editor could not be started or failed; nothing was lost,
            since ``initial`` is still the caller's.
        EditorInterrupted: Ctrl-C while it was open; carries the file's text.
    """
    command = editor_command() if command is None else command
    if not command:
        raise EditorUnavailable("No text editor was found (set VISUAL or EDITOR to choose one).")
    from reflectkit.fileio import ensure_private_dir

    ensure_private_dir(folder)
    fd, name = tempfile.mkstemp(prefix=_file_name(name_hint), suffix=".txt", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(initial)
        try:
            result = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise EditorUnavailable(
                f"Could not start the editor {describe(command)!r}: {exc.strerror}."
            ) from exc
        except KeyboardInterrupt:
            raise EditorInterrupted(strip_final_newline(decode_typed(path.read_bytes()))) from None
        text = strip_final_newline(decode_typed(path.read_bytes()))
        if result.returncode != 0 and text == initial:
            raise EditorUnavailable(
                f"The editor {describe(command)!r} stopped with an error ({result.returncode})."
            )
        return text
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
