"""Ctrl-C, a closed window (SIGHUP) and a shutdown (SIGTERM) all stop reflectkit the same
way, and never in the middle of a save.

Each becomes a KeyboardInterrupt, so that an answer being typed is kept before reflectkit
stops. While a save is under way (``with deferred():``) a signal is only noted; the save
completes, then the interrupt is raised, so that "saved" is only ever said of what was.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
else:
    try:  # the C module: the Python one imports enum, which costs every command milliseconds
        import _signal as signal
    except ImportError:  # pragma: no cover - an interpreter without it
        import signal

_SIGNALS = ("SIGINT", "SIGHUP", "SIGTERM")
_state = {"depth": 0, "saved": 0}
_pending: list[int] = []


def _handler(signum: int, frame: object) -> None:
    if _state["depth"]:
        _pending.append(signum)
        return
    raise KeyboardInterrupt


def install() -> None:
    """Turn SIGINT, SIGHUP and SIGTERM into KeyboardInterrupt (deferred during saves)."""
    for name in _SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _handler)


def pending() -> bool:
    """Whether a signal arrived during a save and is still waiting to stop the run."""
    return bool(_pending)


class deferred:
    """Hold signals off while the body runs; if one came, raise KeyboardInterrupt after it.

    The interrupt is raised only when the body finished: an error inside it propagates
    as it is (the signal then waits for the next safe point or the end of the run). A
    plain class rather than contextlib's decorator: this module is on every command's path.
    """

    def __enter__(self) -> None:
        _state["depth"] += 1

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        _state["depth"] -= 1
        if kind is None and not _state["depth"] and _pending:
            _pending.clear()
            raise KeyboardInterrupt


def note_saved() -> None:
    """An answer was saved in this run: a stop from now on must not say that nothing was."""
    _state["saved"] += 1


def stopped_message() -> str:
    """What a stop outside any question has kept. With an answer coming from a pipe or a
    file, either it was saved already in this run, or nothing was."""
    if sys.stdin.isatty():
        return "Stopped. Everything you had already answered is saved."
    if _state["saved"]:
        return "Stopped. Your answer was saved before you stopped."
    return "Stopped before anything was saved: nothing was saved. Your text is still where it came from."
