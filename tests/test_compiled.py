"""The built-in workbook ships precompiled: the same workbook as its TOML, never stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reflectkit.content import compiled
from reflectkit.content.loader import check_builtin, data_root, load_builtin


def test_the_precompiled_workbook_is_the_toml_exactly() -> None:
    checked, record = check_builtin()
    stored = json.loads(compiled.COMPILED.read_text(encoding="utf-8"))
    assert stored["source"] == compiled.digest(data_root()), (
        "src/reflectkit/content/workbook.json is stale: "
        "run `uv run python -m reflectkit.content.compiled` and commit it"
    )
    assert stored["workbook"] == checked.model_dump()
    assert compiled.load(data_root()) == record


def test_a_run_reads_the_precompiled_form() -> None:
    assert compiled.load(data_root()) is not None
    assert load_builtin() == compiled.load(data_root())


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(data_root(), root)
    return root


def test_edited_toml_is_checked_and_read_instead(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "workbook.toml"
    text = path.read_text(encoding="utf-8")
    old = check_builtin(root)[1].title
    path.write_text(text.replace(f'title = "{old}"', 'title = "An edited title"', 1), encoding="utf-8")
    assert compiled.load(root) is None
    assert load_builtin(root).title == "An edited title"


def test_a_damaged_precompiled_file_is_not_used(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    broken = tmp_path / "workbook.json"
    broken.write_text('{"format": 1, "source": ', encoding="utf-8")
    assert compiled.load(root, broken) is None
    good = tmp_path / "good.json"
    compiled.write(root, good)
    assert compiled.load(root, good) == check_builtin(root)[1]
