"""A scripted terminal for driving the question-asking code in-process.

Each item of the script is what the user gives at the next prompt: a string is typed and
finished (a command word such as "/skip" alone comes back as that command, as in the real
answer box); an exception instance or class is raised there (``Interrupted("half typed")``
is Ctrl-C with that text in the box); a callable runs (something happening in another window
meanwhile) and its return value is what was typed. When the script runs out, every further
prompt gets "/quit", as a closed input would.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from reflectkit.cli.answerbox import Reply, after_initial, reply_for
from reflectkit.cli.asking import Asker
from reflectkit.cli.state import State
from reflectkit.cli.ui import UI
from reflectkit.journal.store import Journal


@dataclass
class ScriptedUI(UI):
    script: list[Any] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    initials: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        options: dict[str, Any] = {"width": 100, "highlight": False, "emoji": False, "color_system": None}
        self.out = Console(file=io.StringIO(), **options)
        self.err = Console(file=io.StringIO(), **options)

    @property
    def interactive(self) -> bool:
        return True

    def _next(self, prompt: str, initial: str) -> Reply:
        self.prompts.append(prompt)
        self.initials.append(initial)
        if not self.script:
            return Reply("quit")
        item = self.script.pop(0)
        if isinstance(item, BaseException) or (isinstance(item, type) and issubclass(item, BaseException)):
            raise item
        if callable(item):
            item = item()
        return reply_for(str(item))

    def read_text(self, *, initial: str = "") -> Reply:
        if self.carry:
            initial, self.carry = (f"{initial}\n{self.carry}" if initial else self.carry), ""
        return self._next("box", initial)

    def read_line(self, prompt: str, *, initial: str = "") -> Reply:
        return after_initial(self._next(prompt, initial), initial)  # as the real line prompt does

    def pause(self) -> None:
        pass

    def shown(self) -> str:
        return self.out.file.getvalue() + self.err.file.getvalue()  # type: ignore[attr-defined]


def make_asker(home: Path, script: list[Any], *, editor: bool = False) -> tuple[Asker, ScriptedUI, Journal]:
    """An Asker on a fresh journal in ``home`` (the privacy note already seen)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("schema_version = 1\nwelcomed = true\n")
    st = State(home=str(home))
    ui = ScriptedUI(plain=True, script=list(script))
    st.__dict__["ui"] = ui  # replaces the cached_property for this run
    journal = st.journal("default", create=True)
    return Asker(st, journal, editor=editor), ui, journal
