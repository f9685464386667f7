"""Component ``tables``: responsibility tables and "Responsable: X" lines."""

from __future__ import annotations

import bisect

from loaders.extract.registry import component
from loaders.extract.state import ExtractionState
from loaders.extract.structure import document_programme, key_value_lines, table_row
from loaders.extract.tables import find_table_rows


@component("tables")
def tables(state: ExtractionState) -> None:
    """Read each table row under its section's programme (or the document's), then the
    key-value lines."""
    ctx, base = state.ctx, state.base
    doc_programme = document_programme(ctx, base)
    sections = sorted(
        (c.start, c.key) for c in state.section_items if c.label == "Program" and c.key
    )
    section_starts = [start for start, _ in sections]
    for row in find_table_rows(state.text):
        i = bisect.bisect_right(section_starts, row.start) - 1
        programme = sections[i][1] if i >= 0 else doc_programme
        table_row(ctx, row, base, programme)
    key_value_lines(ctx, base)
