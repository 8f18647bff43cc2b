"""The built-in workbook, precompiled: checked once against the schema, stored as JSON.

Checking the workbook's TOML with pydantic costs more than most commands take in all, so
the checked workbook ships as ``workbook.json`` beside this module, with the digest of the
TOML it was made from. A run reads it only if the TOML under the data folder still has that
digest; otherwise (a checkout whose content is being edited) the TOML is checked and read
as before. A test fails when the file is stale; to make it again::

    uv run python -m reflectkit.content.compiled
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reflectkit.content.loader import check_builtin, data_root
from reflectkit.content.models import CONTENT_SCHEMA_VERSION
from reflectkit.content.packed import COMPILED, FORMAT, digest, load, source_files

__all__ = ["COMPILED", "FORMAT", "compile_workbook", "digest", "load", "source_files", "write"]


def compile_workbook(root: Path) -> dict[str, Any]:
    """Check the workbook's TOML under ``root`` and return its precompiled form."""
    checked, _ = check_builtin(root)
    return {
        "format": FORMAT,
        "content_schema": CONTENT_SCHEMA_VERSION,
        "source": digest(root),
        "workbook": checked.model_dump(),
    }


def write(root: Path, compiled: Path = COMPILED) -> None:
    """Write the precompiled workbook (sorted keys, so that it only changes with the TOML)."""
    text = json.dumps(compile_workbook(root), ensure_ascii=False, indent=1, sort_keys=True)
    compiled.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(data_root())
    print(f"Wrote {COMPILED}")
