"""What the catalogue loader would make of an inventory, before anything is stored.

:func:`inspect_inventory` reports the mapping chosen (a user's, a shipped one or a guess), the
header row found in each table read, every header cell with the field it is read as and why,
sample rows as fields, and the rows that would be skipped with their reasons. ``tejido
inspect FILE [--mapping FILE.yaml]`` prints it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from graph.model import Entity
from loaders.catalog import SkippedRow, extract_catalog
from loaders.catalog_mapping import ColumnMapping, find_header
from loaders.document import Document
from loaders.inventory_guess import detect_mapping

SAMPLE_SIZE = 3
# Entity fields shown for a sample programme, with the catalogue field they come from.
_SAMPLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"), ("objective", "objective"), ("description", "description"),
    ("target_groups", "target_groups"), ("support_types", "support_types"),
    ("themes", "themes"), ("territory", "territory"), ("level", "level"),
    ("country", "country"), ("budget", "budget"), ("period", "year"), ("code", "code"),
    ("source", "source"),
)


class ColumnReport(BaseModel):
    """One header cell: the field it is read as (None: not read) and why."""

    column: int  # 1-based
    header: str
    field: str | None
    reason: str


class TableReport(BaseModel):
    """The header row found in one table and its columns."""

    sheet: str | None
    header_row: int | None  # 1-based; None when no header row matches the mapping
    columns: list[ColumnReport] = Field(default_factory=list)


class InventoryReport(BaseModel):
    """How an inventory file would be read."""

    path: str
    mapping: str
    mapping_description: str = ""
    tables: list[TableReport] = Field(default_factory=list)
    programmes: int = 0
    institutions: int = 0
    samples: list[dict[str, str]] = Field(default_factory=list)
    skipped: list[SkippedRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def _columns(mapping: ColumnMapping, cells: Sequence[str], found: dict[str, tuple[int, ...]]):
    by_column = {c: name for name, columns in found.items() for c in columns}
    out: list[ColumnReport] = []
    for column, header in enumerate(cells):
        if not header.strip():
            continue
        name = by_column.get(column)
        reason = mapping.notes.get(header)
        if reason is None:
            reason = f"mapping {mapping.name!r}" if name else f"not in mapping {mapping.name!r}"
        if name is not None and reason.startswith("not read"):
            reason = f"mapping {mapping.name!r}"
        out.append(ColumnReport(column=column + 1, header=header, field=name, reason=reason))
    return out


def _sample(entity: Entity, agencies: dict[str, list[str]]) -> dict[str, str]:
    row: dict[str, str] = {}
    for attribute, name in _SAMPLE_FIELDS:
        value = getattr(entity, attribute, None)
        if value in (None, "", []):
            continue
        row[name] = ", ".join(value) if isinstance(value, list) else str(value)
        if name == "name" and agencies.get(entity.id):
            row["responsible"] = "; ".join(agencies[entity.id])
    return row


def inspect_inventory(
    document: Document, user_mappings: Sequence[ColumnMapping] = ()
) -> InventoryReport | None:
    """How ``document`` would be read as an inventory, or None if it does not look like one.

    A user mapping is used when its headers are found in the file; otherwise the shipped
    mappings and then the guess are tried, as ingestion does.
    """
    mapping = detect_mapping(document, user_mappings)
    if mapping is None:
        return None
    report = InventoryReport(
        path=document.path, mapping=mapping.name, mapping_description=mapping.description
    )
    for position, table in enumerate(document.tables, start=1):
        if not mapping.selects(table):
            continue
        header = find_header(table, mapping)
        label = table.sheet or (f"table {position}" if len(document.tables) > 1 else None)
        if header is None:
            report.tables.append(TableReport(sheet=label, header_row=None))
            continue
        cells = table.rows[header.index].cells
        report.tables.append(TableReport(
            sheet=label, header_row=header.index + 1,
            columns=_columns(mapping, cells, header.columns),
        ))
    result = extract_catalog(document, mapping)
    extraction = result.extraction
    names = {e.id: e.name for e in extraction.entities}
    agencies: dict[str, list[str]] = {}
    for relation in extraction.relations:
        if relation.type == "RESPONSIBLE_FOR":
            agencies.setdefault(relation.target, []).append(names.get(relation.source, ""))
    programmes = [e for e in extraction.entities if e.label == "Instrument"]
    report.programmes = len(programmes)
    report.institutions = sum(1 for e in extraction.entities if e.label == "Institution")
    report.samples = [_sample(e, agencies) for e in programmes[:SAMPLE_SIZE]]
    report.skipped = result.skipped
    report.warnings = extraction.warnings
    return report
