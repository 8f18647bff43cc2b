"""The layering that keeps start-up fast and the core a library."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import reflectkit

HEAVY = ("pydantic", "typer", "rich", "icalendar", "platformdirs")
CORE = sorted(
    m.name for m in pkgutil.walk_packages(reflectkit.__path__, "reflectkit.") if ".cli" not in m.name
)


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split()[-1000:])


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_the_cli_libraries(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not loaded & {"typer", "rich", "click"}, f"{module} pulls in {loaded & {'typer', 'rich'}}"


def test_version_imports_nothing_heavy() -> None:
    loaded = loaded_after("from reflectkit.cli import main\nmain(['--version'])")
    assert not loaded & set(HEAVY)


def test_the_reminder_check_imports_nothing_heavy() -> None:
    loaded = loaded_after("from reflectkit.cli import reminder\nreminder(['case'])")
    assert not loaded & set(HEAVY)


@pytest.mark.parametrize("xdg", [None, "/tmp/xdg-data", ""])
def test_default_home_agrees_with_platformdirs(monkeypatch: pytest.MonkeyPatch, xdg: str | None) -> None:
    import platformdirs

    from reflectkit.paths import default_home

    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert str(default_home()) == platformdirs.user_data_dir("reflectkit", appauthor=False)


def loaded_by(argv: list[str], home: str, stdin: str = "") -> set[str]:
    """The modules a whole run of the command line loaded (full dotted names)."""
    probe = (
        "import sys\nfrom reflectkit.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))"
    )
    env = {**os.environ, "REFLECTKIT_HOME": home, "REFLECTKIT_NO_REMIND": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], input=stdin, capture_output=True, text=True, env=env
    )
    return set(done.stderr.rpartition("MODULES ")[2].split())


# Which commands may import what. Reading the workbook, the journal's summary or one
# section needs none of these: pydantic checks files from outside (local case studies,
# reflective models, settings), Rich's Markdown renders the workbook's reading, and Typer's
# help machinery formats --help.
QUICK_COMMANDS = {
    "case list": (["case"], ""),
    "progress": (["progress"], ""),
    "stage review": (["stage", "1", "--review"], ""),
    "journal list": (["journal"], ""),
    "journal show": (["journal", "show"], ""),
    "a piped save": (["case", "2", "--question", "1"], "A drafted answer.\n"),
}
HELP_MACHINERY = "typer._click._textwrap"


# The everyday commands are read on the quick way: not even Typer's command line is built.
EVERYDAY = ("case list", "progress", "stage review", "a piped save")


@pytest.mark.parametrize("name", sorted(QUICK_COMMANDS))
def test_quick_commands_import_neither_pydantic_nor_markdown_nor_help(name: str, tmp_path: Path) -> None:
    argv, stdin = QUICK_COMMANDS[name]
    loaded = loaded_by(argv, str(tmp_path / "home"), stdin)
    assert "reflectkit.cli.runner" in loaded, "the probe did not run the command"
    tops = {m.split(".")[0] for m in loaded}
    assert "pydantic" not in tops, f"{name} imports pydantic"
    assert "rich.markdown" not in loaded and "markdown_it" not in tops, f"{name} imports Rich's Markdown"
    assert HELP_MACHINERY not in loaded, f"{name} imports Typer's help machinery"
    if name in EVERYDAY:
        assert "reflectkit.cli.everyday" in loaded, "the command was not run on the quick way"
        assert "typer" not in tops, f"{name} loads Typer"
        assert not tops & {"filelock", "logging", "tempfile"}, f"{name} loads what a save does not need"


def test_help_and_the_reading_screens_load_what_they_need(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    assert HELP_MACHINERY in loaded_by(["--help"], home)
    assert "rich.markdown" in loaded_by(["stage", "1", "--no-input"], home)
    assert "pydantic" in {m.split(".")[0] for m in loaded_by(["case", "validate", "missing.toml"], home)}


def test_the_workbook_is_read_without_its_schema() -> None:
    loaded = loaded_after("from reflectkit.content.loader import load_builtin\nload_builtin()")
    assert "pydantic" not in loaded


def test_the_top_level_help_loads_no_command_module(tmp_path: Path) -> None:
    loaded = loaded_by(["--help"], str(tmp_path / "home"))
    from reflectkit.cli.app import COMMANDS

    assert "reflectkit.cli.runner" in loaded, "the probe did not run the command"
    assert not {f"reflectkit.cli.{name}" for name in COMMANDS.values()} & loaded
    assert "pydantic" not in {m.split(".")[0] for m in loaded}


def test_the_top_level_help_lists_every_command_as_its_own_help_says(tmp_path: Path) -> None:
    """The page made without loading the commands is the page made from the commands."""
    env = {
        **os.environ,
        "REFLECTKIT_HOME": str(tmp_path / "home"),
        "REFLECTKIT_NO_REMIND": "1",
        "COLUMNS": "80",
    }
    probe = "import sys\nfrom reflectkit.cli import main\nmain(sys.argv[1:])"
    light = subprocess.run([sys.executable, "-c", probe, "--help"], capture_output=True, text=True, env=env)
    full_probe = (
        "import typer\nfrom reflectkit.cli import app as a\na._register(['no-such-command'])\n"
        "group = typer.main.get_command(a.app)\na._summarised(group)\n"
        "print(group.get_help(group.make_context('reflectkit', [], resilient_parsing=True)))"
    )
    full = subprocess.run([sys.executable, "-c", full_probe], capture_output=True, text=True, env=env)
    assert full.returncode == 0, full.stderr
    assert light.stdout.strip() == full.stdout.strip()
    assert "..." not in light.stdout.partition("Commands:")[2], "a summary was cut short"


def test_the_cpd_log_is_read_without_pydantic_until_it_is_checked() -> None:
    loaded = loaded_after("import reflectkit.journal.cpdlog\nimport reflectkit.cli.log_cmd")
    assert "pydantic" not in loaded


READ_ONLY = ("case list", "progress", "stage review", "journal list", "journal show")


@pytest.mark.parametrize("name", READ_ONLY)
def test_commands_that_only_show_load_neither_the_asking_nor_hashing(name: str, tmp_path: Path) -> None:
    """What asks questions (the answer box, the privacy check, drafts) and the hashing library
    are loaded only by runs that ask or save."""
    argv, stdin = QUICK_COMMANDS[name]
    loaded = loaded_by(argv, str(tmp_path / "home"), stdin)
    assert "reflectkit.cli.runner" in loaded, "the probe did not run the command"
    assert "reflectkit.cli.asking" not in loaded, f"{name} loads the asking machinery"
    assert "hashlib" not in loaded, f"{name} loads hashlib"


def test_remind_answers_on_its_fast_path(tmp_path: Path) -> None:
    """A bare `reflectkit remind` prints the schedule before Typer, Rich or even typing load."""
    loaded = loaded_by(["remind"], str(tmp_path / "home"))
    assert "reflectkit.cli.schedule_text" in loaded, "the probe did not run the command"
    tops = {m.split(".")[0] for m in loaded}
    assert not tops & {*HEAVY, "typing"}, tops & {*HEAVY, "typing"}
    assert not tops & {"tomli", "tomllib"}, "a new install has no file to parse, yet the parser loaded"


def test_plain_text_is_made_safe_without_compiling_a_pattern() -> None:
    from reflectkit import textsafe

    textsafe._COMPILED.clear()
    assert textsafe.safe("Plain words, as most answers are.\n") == "Plain words, as most answers are.\n"
    assert textsafe._COMPILED == {}
    assert textsafe.safe("bell\x07") == "bell\\x07" and "terminal" in textsafe._COMPILED


@pytest.mark.parametrize("group", ["log", "journal", "model", "privacy", "case"])
def test_a_groups_help_lists_its_commands_without_cutting_them(group: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REFLECTKIT_HOME": str(tmp_path / "home"),
        "REFLECTKIT_NO_REMIND": "1",
        "COLUMNS": "80",
    }
    probe = "import sys\nfrom reflectkit.cli import main\nmain(sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", probe, group, "--help"], capture_output=True, text=True, env=env
    )
    listed = done.stdout.partition("Commands:")[2]
    assert "..." not in listed, listed
