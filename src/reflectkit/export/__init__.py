"""Exporters: one module per format, listed in :data:`FORMATS`.

Each exporter is a function ``(document, workbook) -> str``. Output is deterministic:
the same journal and date give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the screens that only describe an answer need neither
    from reflectkit.content.models import Workbook
    from reflectkit.export.document import Document

Exporter = Callable[["Document", "Workbook"], str]

# format name -> (module, description)
FORMATS: dict[str, tuple[str, str]] = {
    "markdown": ("reflectkit.export.markdown", "the whole journal as a readable document"),
    "json": ("reflectkit.export.json_export", "every answer exactly as stored, for scripts"),
    "nmc": ("reflectkit.export.nmc", "an NMC reflective account, for revalidation"),
    "swe": ("reflectkit.export.swe", "a Social Work England CPD record"),
    "hcpc": ("reflectkit.export.hcpc", "a dated list of CPD activities, for the HCPC"),
    "scw": ("reflectkit.export.records", "a dated learning record with hours, for Social Care Wales"),
    "sssc": ("reflectkit.export.records", "a dated learning record with hours, for the SSSC"),
    "niscc": ("reflectkit.export.records", "a dated record of PRTL hours, for the NISCC"),
}
# The learning records of Social Care Wales, the SSSC and the NISCC share one exporter.
RECORDS = frozenset(k for k, (module, _) in FORMATS.items() if module == "reflectkit.export.records")


def exporter(name: str) -> Exporter:
    """The ``export(document, workbook)`` function of format ``name``."""
    module = import_module(FORMATS[name][0])
    return module.export  # type: ignore[no-any-return]
