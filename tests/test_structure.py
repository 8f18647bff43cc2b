"""The shape of the code: no import cycles, command modules independent, one table of
section kinds, and every command a hint names really parses."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from reflectkit import sections
from reflectkit.content.loader import load_builtin
from reflectkit.journal.models import Section

SRC = Path(__file__).resolve().parents[1] / "src" / "reflectkit"


def _graph() -> dict[str, set[str]]:
    """Module -> modules it imports (anywhere in its code), from the code's own imports."""
    mods = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        mods[".".join(parts)] = path
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in mods]
                targets = subs + ([node.module] if len(subs) < len(node.names) else [])
            edges[name] |= {t for t in targets if t in mods and t != name}
    return edges


def _reaches(edges: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def test_there_is_no_import_cycle() -> None:
    edges = _graph()
    cycles = sorted(f"{a} -> {b}" for a in edges for b in edges[a] if _reaches(edges, b, a))
    assert cycles == []


def test_no_command_module_imports_another() -> None:
    edges = _graph()
    commands = {m for m in edges if m.endswith("_cmd")}
    assert sorted(f"{m} -> {t}" for m in commands for t in edges[m] & commands) == []


# -- the table of section kinds ----------------------------------------------------------
WB = load_builtin()
SAMPLES = [
    Section("stage", "1"),
    Section("case", WB.case_studies[1].id),
    Section("reflection", "2-week-3"),
    Section("revisit", "1"),
]


def test_every_kind_of_section_has_a_title_order_source_and_command() -> None:
    titles = [sections.title(s, WB) for s in SAMPLES]
    assert titles[0].startswith("Stage 1: ") and titles[1].startswith("Case study 2: ")
    assert (
        titles[2] == "Stage 4: week 3 reflection (cycle 2)"
        and titles[3] == "Stage 4: four-week revisit (cycle 1)"
    )
    assert sorted(SAMPLES, key=lambda s: sections.order(s, WB)) == SAMPLES
    assert sections.source(SAMPLES[1], 0, WB) == "Case study 2, question 1"
    assert sections.from_stem("reflection-2-week-3") == SAMPLES[2] and sections.from_stem("notes") is None


def _parses(command_line: str) -> None:
    """Parse a command line with the real Typer commands, without running it."""
    import typer

    from reflectkit.cli import app as app_module

    args = command_line.split()[1:]
    app_module._register(args)
    command = typer.main.get_command(app_module.app)
    try:
        ctx = command.make_context("reflectkit", list(args))
    except Exception as exc:  # a group named alone shows its own help: a usable hint
        if type(exc).__name__ == "NoArgsIsHelpError":
            return
        raise
    while hasattr(command, "resolve_command"):
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        if not rest:  # a group named alone shows its own help
            return
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None, command_line
        try:
            command, ctx = sub, sub.make_context(name, rest, parent=ctx)
        except Exception as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                return
            raise


@pytest.mark.parametrize("section", SAMPLES, ids=[s.kind for s in SAMPLES])
def test_every_reopen_command_parses(section: Section) -> None:
    _parses(sections.reopen(section, 2, WB))


# -- every hint the program prints --------------------------------------------------------
# Words that may follow a command as arguments: numbers, file names, and sub-commands.
SUBWORDS = r"show|drafts|accept-edit|rename|delete|validate|schema|names|add|list|remove|edit"
ARG = rf"(?:\d+|[NK]|FILE|[\w\-]+\.[a-z]+|(?:show|rename|delete)(?: [a-z][\w-]*){{0,2}}|{SUBWORDS})"
OPTION = r"--?[a-z][a-z-]*(?:[ =](?:[A-Z]+|\d+(?:,\d+)*|[\w\-]+\.[a-z]+|[a-z][a-z-]*))?"
HINT = re.compile(rf"reflectkit ([a-z][a-z-]*)(?: (?:{OPTION}|{ARG})(?=\s|[.,;:)`'\"]|$))*")
PLACEHOLDERS = {"N": "2", "K": "1", "FILE": "out.md", "ID": "note-1", "PATH": "x"}


def _strings(tree: ast.AST) -> list[str]:
    """Every string in the code; an f-string with each {value} replaced by the number 2."""
    inside: set[int] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside.add(id(value))
                parts.append(value.value if isinstance(value, ast.Constant) else "2")
            found.append("".join(str(p) for p in parts))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside:
            found.append(node.value)
    return found


def _hints() -> set[str]:
    from reflectkit.cli.app import COMMANDS

    commands = set(COMMANDS)
    found = set()
    for path in SRC.rglob("*.py"):
        for text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            found |= {m.group(0) for m in HINT.finditer(text) if m.group(1) in commands}
    return found


HINTS = sorted(_hints())


def test_hints_are_found() -> None:
    assert len(HINTS) > 30
    assert "reflectkit case 2 --question 3" in HINTS


@pytest.mark.parametrize("hint", HINTS)
def test_every_hint_in_the_code_parses(hint: str) -> None:
    _parses(" ".join(PLACEHOLDERS.get(w, w) for w in hint.split()))
