"""What one run of the command line knows: the data folder, the terminal, the workbook.
No command-line library is imported here: the everyday commands run without one."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from reflectkit.paths import DEFAULT_JOURNAL, data_home

if TYPE_CHECKING:
    from reflectkit.cli.ui import UI
    from reflectkit.config import Config
    from reflectkit.content.models import Workbook
    from reflectkit.journal.store import Journal, Store


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


def fold(st: State, *, plain: bool = False, no_input: bool = False, writes: bool = False) -> State:
    """``st`` with one command's own flags folded in. ``writes`` for commands that save."""
    st.plain = st.plain or plain
    st.no_input = st.no_input or no_input
    st.writes = st.writes or writes
    return st


# The State of each run (one per process, but tests run many): what a run tightened is said
# once, at its end.
RUNS: list[State] = []
