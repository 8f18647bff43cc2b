"""Signals never cut a save short; the editor is found and run the platform's way."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from reflectkit import editor
from reflectkit.cli import interrupts


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
def test_a_signal_during_a_save_waits_for_the_save_to_finish() -> None:
    previous = signal.getsignal(signal.SIGTERM)
    interrupts.install()
    try:
        done = []
        with pytest.raises(KeyboardInterrupt), interrupts.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("the save finished")  # reached: the signal only waited
        assert done == ["the save finished"]
        with pytest.raises(KeyboardInterrupt):  # outside a save it stops at once
            os.kill(os.getpid(), signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def test_an_error_inside_a_deferred_block_is_not_replaced() -> None:
    with pytest.raises(ValueError), interrupts.deferred():
        raise ValueError("disk trouble")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            '"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst -nosession',
            ["C:\\Program Files\\Notepad++\\notepad++.exe", "-multiInst", "-nosession"],
        ),
        ("notepad.exe", ["notepad.exe"]),
        ('code --wait "C:\\Users\\Ann Lee\\x.txt"', ["code", "--wait", "C:\\Users\\Ann Lee\\x.txt"]),
        ("C:\\tools\\vim.exe -u NONE", ["C:\\tools\\vim.exe", "-u", "NONE"]),
    ],
)
def test_editor_commands_are_split_by_windows_rules_on_windows(command: str, expected: list[str]) -> None:
    assert editor.split_command(command, windows=True) == expected


def test_an_unquoted_windows_path_with_spaces_is_found(tmp_path: Path) -> None:
    program = tmp_path / "My Editor" / "edit.exe"
    program.parent.mkdir()
    program.write_text("")
    assert editor.split_command(f"{program} --wait", windows=True) == [str(program), "--wait"]


def test_editor_commands_are_split_by_posix_rules_elsewhere() -> None:
    assert editor.split_command("emacsclient -c 'my file'", windows=False) == ["emacsclient", "-c", "my file"]


def test_default_editors_by_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editor.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert editor.default_command("win32") == ["notepad"]
    assert editor.default_command("darwin")[:2] == ["open", "-W"]
    assert editor.default_command("linux") == ["nano"]
    monkeypatch.setattr(editor.shutil, "which", lambda name: None)
    assert editor.default_command("linux") == []


def _fake(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "fake_editor.py"
    script.write_text(f"import sys\npath = sys.argv[1]\n{body}\n", encoding="utf-8")
    return [sys.executable, str(script)]


def test_the_text_comes_back_exactly_less_the_editors_final_newline(tmp_path: Path) -> None:
    command = _fake(tmp_path, "open(path, 'a', encoding='utf-8', newline='').write(' and more\\n')")
    text = editor.edit_text(
        "  Begun\n\nwith a blank line",
        folder=tmp_path / "drafts",
        name_hint="Case study 2, question 1",
        command=command,
    )
    assert text == "  Begun\n\nwith a blank line and more"
    assert list((tmp_path / "drafts").iterdir()) == []  # the file is removed afterwards


def test_the_editors_file_is_named_after_the_question(tmp_path: Path) -> None:
    command = _fake(tmp_path, "import os\nopen(path, 'w').write(os.path.basename(path))")
    name = editor.edit_text("", folder=tmp_path / "d", name_hint="Case study 2, question 1", command=command)
    assert name.startswith("case-study-2-question-1-") and name.endswith(".txt")


def test_a_missing_or_failing_editor_is_reported_for_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(editor.EditorUnavailable):
        editor.edit_text("x", folder=tmp_path, name_hint="q", command=[str(tmp_path / "no-such-editor")])
    with pytest.raises(editor.EditorUnavailable):
        editor.edit_text("x", folder=tmp_path, name_hint="q", command=_fake(tmp_path, "sys.exit(3)"))
    with pytest.raises(editor.EditorUnavailable):
        editor.edit_text("x", folder=tmp_path, name_hint="q", command=[])
