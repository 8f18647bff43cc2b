"""Golden files: compare output with tests/golden/<name>; REFLECTKIT_UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(actual: str | bytes, name: str) -> None:
    """Compare ``actual`` byte for byte with ``tests/golden/<name>``, with a readable diff."""
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    path = GOLDEN / name
    if os.environ.get("REFLECTKIT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return
    assert path.is_file(), f"{path} is missing; run with REFLECTKIT_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    if data != expected:
        # Line lists with their endings give pytest a readable diff, CRLF included.
        assert data.decode(errors="replace").splitlines(keepends=True) == expected.decode(
            errors="replace"
        ).splitlines(keepends=True)
    assert data == expected
