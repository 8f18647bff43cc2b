"""The layering that keeps start-up fast and the core a library."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
