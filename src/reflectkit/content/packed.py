"""The built-in workbook as shipped precompiled (``workbook.json``), read when it was made
from the TOML now in the data folder. :mod:`reflectkit.content.compiled` makes it."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from reflectkit.content.models import CONTENT_SCHEMA_VERSION, Workbook, workbook_from

COMPILED = Path(__file__).with_name("workbook.json")
FORMAT = 1


def source_files(root: Path) -> list[Path]:
    """The TOML files the built-in workbook is made from, in a fixed order."""
    files = [root / "workbook.toml", root / "resources.toml"]
    return [p for p in files if p.is_file()] + sorted((root / "case_studies").glob("*.toml"))


def digest(root: Path) -> str:
    """A digest of the workbook's TOML files: their names, sizes and bytes. It tells an edited
    file from the one the JSON was made from (a CRC is enough, and costs a fraction of a
    millisecond, with no hashing library to load, on every run that shows the workbook)."""
    crc = 0
    for path in source_files(root):
        data = path.read_bytes()
        crc = zlib.crc32(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode(), crc)
        crc = zlib.crc32(data, crc)
    return f"crc32:{crc:08x}"


def load(root: Path, compiled: Path = COMPILED) -> Workbook | None:
    """The precompiled workbook if it was made from the TOML now under ``root``, else None."""
    try:
        data = json.loads(compiled.read_bytes())
        fits = data.get("format") == FORMAT and data.get("content_schema") == CONTENT_SCHEMA_VERSION
        if not fits or data.get("source") != digest(root):
            return None
        return workbook_from(data["workbook"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or damaged: the TOML is checked instead
