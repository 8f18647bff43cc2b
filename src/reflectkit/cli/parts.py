"""Naming one part of a journal on the command line: --stage N, --case N, --week N (with
--cycle C), --revisit or --note ID. Shared by the commands that act on one part."""

from __future__ import annotations

from reflectkit.cli.state import State
from reflectkit.errors import NotFoundError, UsageError
from reflectkit.journal.models import Section


def part_section(
    st: State, *, stage: int | None, case: int | None, week: int | None, revisit: bool, cycle: int,
    note: str | None,
) -> Section:  # fmt: skip
    """The section the options name; exactly one of them must be given."""
    chosen = [x for x in (stage, case, week, note) if x is not None] + ([True] if revisit else [])
    if len(chosen) != 1:
        raise UsageError("Name one part: --stage N, --case N, --week N, --revisit or --note ID.")
    if note is not None:
        from reflectkit.journal.notes import note_section

        return note_section(note)
    if stage is not None:
        from reflectkit.flow import parse_stage_number

        return Section("stage", str(parse_stage_number(stage)))
    if case is not None:
        found = st.workbook.case(case)
        if found is None:
            raise NotFoundError(f"There is no case study {case}.")
        return Section("case", found.id)
    if week is not None:
        if not 1 <= week <= 4:
            raise UsageError(f"There is no week {week}: the weekly reflections are weeks 1 to 4.")
        return Section("reflection", f"{cycle}-week-{week}")
    return Section("revisit", str(cycle))
