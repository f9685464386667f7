"""What a report may be asked for: its sections, how many rows per table, the node cap of
its views. Kept apart from :mod:`app.services.reports` so that the command line can build
its options without importing the analyses."""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_TOP = 10
DEFAULT_VIEW_NODES = 300
SECTIONS: dict[str, str] = {
    "summary": "Resumen",
    "coordination": "Coordinación entre niveles",
    "overlap": "Traslapes de competencias",
    "duplication": "Duplicaciones posibles",
    "views": "Vistas de red",
}


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why."""


def read_sections(values: Iterable[str] | None) -> tuple[str, ...]:
    """The sections asked for (``coordination,overlap`` or repeated values), in report order;
    none: every section. An unknown name is a ReportError listing the known ones."""
    asked = [part.strip() for value in (values or ()) for part in str(value).split(",")
             if part.strip()]
    unknown = [name for name in asked if name not in SECTIONS]
    if unknown:
        raise ReportError(f"unknown section {', '.join(map(repr, unknown))}; expected "
                          f"{', '.join(SECTIONS)}")
    return tuple(name for name in SECTIONS if not asked or name in asked)
