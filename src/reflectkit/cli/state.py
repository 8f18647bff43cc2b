"""What one run of the command line knows: the data folder, the terminal, the workbook."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reflectkit.paths import DEFAULT_JOURNAL, data_home

if TYPE_CHECKING:
    from reflectkit.cli.ui import UI
    from reflectkit.config import Config
    from reflectkit.content.models import Workbook
    from reflectkit.journal.store import Journal, Store


def number(value: str) -> int:
    """A whole number typed as an option's value, with a plain word when it is not one."""
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise typer.BadParameter(f"{text!r} is not a valid integer: type a whole number, such as 3.")
    return int(text)


JournalOpt = Annotated[
    str,
    typer.Option(
        "--journal",
        "-j",
        envvar="REFLECTKIT_JOURNAL",
        help="Which journal to use. `reflectkit journal` lists them.",
    ),
]
PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text, for screen readers.")]
EditorOpt = Annotated[bool, typer.Option("--editor", help="Write text answers in $VISUAL or $EDITOR.")]
ReviewOpt = Annotated[bool, typer.Option("--review", help="Show your answers so far; ask nothing.")]
QuestionsOnlyOpt = Annotated[
    bool, typer.Option("--questions", help="Skip the reading and go straight to the questions.")
]
FromOpt = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="Store the text of this file (UTF-8) as the answer to one question (with --question K).",
        show_default=False,
    ),
]
NoInputOpt = Annotated[
    bool, typer.Option("--no-input", help="Never ask anything; fail saying what would be asked.")
]


@dataclass
class State:
    home: str | None = None
    plain: bool = False
    quiet: bool = False
    debug: bool = False
    no_input: bool = False
    # Whether this run may write: only then are folders created or made private again.
    # Commands that only read (journal, export, check, progress, the case list) create nothing.
    writes: bool = False
    opened_to_write: bool = False
    left_out: bool = False  # a damaged file was left out of what this run read
    skipped_local: list[str] = field(default_factory=list)

    @cached_property
    def store(self) -> Store:
        from reflectkit.journal.store import Store

        self.opened_to_write = self.writes
        return Store.open(data_home(self.home), create=self.writes)

    @cached_property
    def ui(self) -> UI:
        from reflectkit.cli.ui import UI, wants_plain

        return UI(plain=wants_plain(self.plain), no_input=self.no_input)

    def journal(self, name: str = DEFAULT_JOURNAL, *, create: bool | None = None) -> Journal:
        """Open a journal. Commands that write create it (``create=True``); commands that
        only read see an empty default journal on a new install, and are told about a
        mistyped --journal name rather than have it made."""
        from reflectkit.journal.store import Journal

        if create:
            self.writes = True
            if "store" in self.__dict__ and not self.opened_to_write:
                del self.__dict__["store"]  # opened to read earlier in this run: open it to write
        store = self.store
        if not create and name == DEFAULT_JOURNAL and not (store.journals_dir / name).exists():
            return Journal(store.journals_dir / name, name, tightened=store.tightened)
        return store.journal(name, create=bool(create))

    @cached_property
    def workbook(self) -> Workbook:
        """The built-in workbook plus local case studies; broken local files are reported."""
        from reflectkit.content.loader import load_workbook

        report = load_workbook(self.store.local_cases)
        for problem in report.skipped:
            self.ui.warn(f"Skipped a local case study: {problem}")
        return report.workbook

    def config(self) -> Config:
        from reflectkit.config import load_config

        return load_config(self.store.config_path)

    def edit_config(self) -> AbstractContextManager[Config]:
        """``with st.edit_config() as config:`` changes the settings under a lock."""
        from reflectkit.config import editing

        return editing(self.store.config_path)


def state(ctx: typer.Context, *, plain: bool = False, no_input: bool = False, writes: bool = False) -> State:
    """The run's State, with per-command flags folded in. ``writes`` for commands that save."""
    obj = ctx.find_root().obj
    st: State = obj if isinstance(obj, State) else State()
    st.plain = st.plain or plain
    st.no_input = st.no_input or no_input
    st.writes = st.writes or writes
    return st
