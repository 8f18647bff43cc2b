"""The everyday command lines (`start`, `stage N`, `case`, `case N`, `progress`) run without
building Typer's command line, and do exactly what Typer's command would have done."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reflectkit.cli.quick import quick_command
from reflectkit.journal.models import Section
from reflectkit.journal.store import Store

TIMES = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d")

# Run one command line through reflectkit's runner, quickly or through Typer (argv[1]).
PROBE = (
    "import sys\n"
    "from reflectkit.cli import utf8_streams\n"
    "from reflectkit.cli.runner import run\n"
    "utf8_streams()\n"
    "code = run(sys.argv[2:], quick=sys.argv[1] == 'quick')\n"
    "sys.stdout.flush()\n"
    "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))\n"
    "sys.exit(code)\n"
)


def seed(home: Path) -> None:
    """A journal with answers in Stage 1 and case study 2, and a second journal."""
    store = Store(home)
    store.prepare()
    jr = store.journal("default", create=True)
    jr.save_answer(Section("stage", "1"), "1", question="Q?", kind="text", value="First thoughts.\n\nMore.")
    jr.save_answer(Section("case", "community-meeting"), "immediate", question="Q?", kind="text", value="Hm.")
    store.journal("team", create=True)


def go(way: str, home: Path, argv: list[str], stdin: str = "", **env: str) -> tuple[int, str, str, set[str]]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTKIT_")}
    environ.update(REFLECTKIT_HOME=str(home), REFLECTKIT_NO_REMIND="1", COLUMNS="100", PAGER="", **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, way, *argv], input=stdin, capture_output=True, text=True, env=environ
    )
    err, _, modules = done.stderr.rpartition("\nMODULES ")
    return done.returncode, done.stdout, err, set(modules.split())


def stored(home: Path) -> dict[str, str]:
    """Every file of every journal but the summary (a cache, which names inodes), by its path
    under the home folder, with the times (and the checksums, which cover them) left out."""
    found = {}
    for path in sorted((home / "journals").rglob("*")):
        if path.is_file() and not path.name.startswith((".lock", "summary.")):  # a cache, by inode
            lines = path.read_text(encoding="utf-8").splitlines()
            kept = [x for x in lines if not TIMES.search(x) and not x.startswith("checksum")]
            found[str(path.relative_to(home))] = "\n".join(kept)
    return found


SHAPES: list[tuple[list[str], str, dict[str, str]]] = [
    (["case"], "", {}),
    (["case", "--plain"], "", {}),
    (["--plain", "case", "-j", "team"], "", {}),
    (["case", "--journal=team"], "", {}),
    (["case", "--journal", "nobody"], "", {}),
    (["progress"], "", {}),
    (["progress", "--plain"], "", {}),
    (["progress", "-j", "nobody"], "", {}),
    (["progress"], "", {"REFLECTKIT_JOURNAL": "team"}),
    (["stage", "1", "--review"], "", {}),
    (["stage", "--review", "2"], "", {}),
    (["stage", "7", "--review"], "", {}),
    (["stage", "3", "--review"], "", {}),
    (["stage", "one", "--review"], "", {}),
    (["case", "2", "--review"], "", {}),
    (["case", "99"], "", {}),
    (["case", "2", "--question", "1"], "A drafted answer, piped in.\n\nWith a second paragraph.\n", {}),
    (["case", "2", "--question", "9"], "Too far.\n", {}),
    (["stage", "1", "--prompt", "2"], "A piped prompt answer.\n", {}),
    (["stage", "1", "--question=3", "-j", "team"], "Another.\n", {}),
    (["case", "2", "--no-input"], "", {}),
    (["stage", "1", "--no-input"], "", {}),
    (["--quiet", "start", "--no-input"], "", {}),
    (["--home", "{other}", "case"], "", {}),
]


@pytest.mark.parametrize(("argv", "stdin", "env"), SHAPES, ids=[" ".join(s[0]) for s in SHAPES])
def test_the_quick_way_does_what_typer_does(
    argv: list[str], stdin: str, env: dict[str, str], tmp_path: Path
) -> None:
    runs = {}
    for way in ("quick", "typer"):
        home = tmp_path / way
        seed(home)
        args = [a.replace("{other}", str(tmp_path / f"{way}-other")) for a in argv]
        code, out, err, modules = go(way, home, args, stdin, **env)
        assert ("typer" in modules) == (way == "typer"), f"the {way} way was not taken"
        # The two homes' paths have the same length, so lines wrap alike once named alike.
        names = {str(tmp_path / f"{way}-other"): "OTHER", str(home): "HOME"}
        for path, name in names.items():
            out, err = out.replace(path, name), err.replace(path, name)
        runs[way] = (code, out, err, stored(home))
    assert runs["quick"] == runs["typer"]


TO_TYPER = [
    [],
    ["--help"],
    ["case", "--help"],
    ["case", "-h"],
    ["case", "validate", "mine.toml"],
    ["case", "schema"],
    ["case", "two"],
    ["case", "1", "2"],
    ["case", "2", "--question", "x"],
    ["case", "2", "--question"],
    ["case", "2", "--question", "-1"],
    ["case", "2", "--question", "1", "--from", "draft.txt"],
    ["case", "-jteam"],
    ["case", "--journal", "--plain"],
    ["case", "--review=yes", "2"],
    ["case", "--", "2"],
    ["--home", "--plain", "case"],
    ["--home"],
    ["--version"],
    ["--plain"],
    ["progress", "extra"],
    ["progress", "--quiet"],
    ["stage"],
    ["stage", "1", "--from", "x.txt", "--prompt", "1"],
    ["start", "1"],
    ["export"],
    ["journal", "show"],
    ["resources"],
]


@pytest.mark.parametrize("argv", TO_TYPER, ids=[" ".join(a) or "(nothing)" for a in TO_TYPER])
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    """Help, other commands, mistakes and rarer options are Typer's to read and to explain."""
    assert quick_command(argv) is None


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert quick_command(["case"]) is not None
    monkeypatch.setenv("_REFLECTKIT_COMPLETE", "bash_complete")
    assert quick_command(["case"]) is None


def test_a_mistake_on_the_quick_way_is_told_as_any_other(tmp_path: Path) -> None:
    code, out, err, _ = go("quick", tmp_path / "home", ["case", "99"])
    assert code != 0 and out == ""
    assert err.startswith("reflectkit: There is no case study 99.")
    assert "Traceback" not in err


@pytest.mark.parametrize("word", ["start", "stage", "case", "progress"])
def test_every_option_the_quick_way_reads_is_the_same_option_in_typer(word: str) -> None:
    """A flag there is a flag here, an option with a value takes a value in both; the number
    of plain arguments fits; global options are the app's own. Renaming or changing an
    option in Typer fails this until the quick way follows."""
    import typer

    from reflectkit.cli import app as app_module
    from reflectkit.cli.quick import GLOBAL_FLAGS, SHAPES

    app_module._register([word])
    group = typer.main.get_command(app_module.app)
    command = group.commands[word]  # type: ignore[attr-defined]
    options = {name: p for p in command.params for name in p.opts if name.startswith("-")}
    shape = SHAPES[word]
    for name in shape.flags:
        assert name in options and options[name].is_flag, f"{word} {name} is not a flag in Typer"
    for name in shape.values:
        assert name in options and not options[name].is_flag, f"{word} {name} takes no value in Typer"
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    required = sum(1 for p in arguments if p.required)
    assert min(shape.arguments) >= required and max(shape.arguments) <= len(arguments)
    top = {name: p for p in group.params for name in p.opts}
    for name in [*GLOBAL_FLAGS, "--home"]:
        assert name in top, f"{name} is not a global option"
    assert all(top[name].is_flag for name in GLOBAL_FLAGS) and not top["--home"].is_flag
