"""Column mappings for programme inventories: which column holds what, and where the header is.

A :class:`ColumnMapping` names, for each catalogue field (programme name, responsible
agencies, objective, target groups, territory, budget...), the header text of the column or
columns that hold it; which sheets to read; and which cell values mean "no value". The header
row is found, below any title block, as the first row whose cells match enough of the
mapping's headers. Header texts compare by :func:`graph.normalize.normalize_name`, and a
leading numbering ("4.2. Objetivo") may differ between the mapping and the file.

Mappings come from YAML files (shipped ones in ``loaders/mappings``, or the user's, given with
``--mapping``); when none matches a file, :mod:`loaders.inventory_guess` builds one from the
header names and the values below them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.normalize import normalize_name
from graph.vocab import Level
from loaders.document import Document, Table

CatalogField = Literal[
    "name", "responsible", "objective", "description", "target_groups", "support_types",
    "themes", "territory", "level", "country", "budget", "year", "source", "code",
]
CATALOG_FIELDS: tuple[str, ...] = get_args(CatalogField)
# Fields read from every column mapped to them; the others take the first of their columns
# that is not empty in the row (so a mapping may list fallbacks: budget executed, else planned).
MULTI_VALUE_FIELDS: frozenset[str] = frozenset(
    {"responsible", "target_groups", "support_types", "themes"}
)

DEFAULT_EMPTY_VALUES: tuple[str, ...] = (
    "No Aplica", "No Disponible", "No disponible", "N/A", "NA", "N.A.", "-", "--", "—", "ND",
    "N.D.", "n/d", "S/D", "S.D.", "s/i", "Sin información", "Sin dato", "Sin datos",
    "No especificado", "No identificado", "No informa", "Not available", "Not applicable",
    "None", "null",
)
SHIPPED_MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

_LEADING_NUMBERING = re.compile(r"^(?:\d+ )+")


class MappingError(ValueError):
    """A column mapping file is unreadable or malformed; the message names the file."""


class ColumnMapping(BaseModel):
    """How the columns of one kind of programme inventory map to catalogue fields."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    sheets: list[str] = Field(default_factory=list)  # empty: every table of the document
    columns: dict[CatalogField, list[str]]
    min_header_matches: int = Field(default=3, ge=1)  # fields a row must match to be the header
    header_search_rows: int = Field(default=30, ge=1)  # how far below the top to look
    level: Level | None = None  # the level of every programme when no column gives it
    country: str | None = None  # ISO 3166-1 alpha-2, when no column gives it
    territory_kind: str | None = None  # kind of the Territory entities (region, province...)
    empty_values: list[str] = Field(default_factory=lambda: list(DEFAULT_EMPTY_VALUES))
    agency_separators: list[str] = Field(default_factory=lambda: [";", "\n", "|"])
    national_agency_markers: list[str] = Field(default_factory=list)  # "(Federal)"
    notes: dict[str, str] = Field(default_factory=dict)  # header -> why it was read so (guesses)

    @field_validator("columns", mode="before")
    @classmethod
    def _columns_as_lists(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("columns")
    @classmethod
    def _name_column_required(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if not value.get("name"):
            raise ValueError("a mapping needs a 'name' column (the programme name)")
        if any(not headers for headers in value.values()):
            raise ValueError("every mapped field needs at least one header name")
        return value

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"country must be an ISO 3166-1 alpha-2 code like 'MX', got {value!r}")
        return value

    def is_empty(self, cell: str) -> bool:
        """Whether ``cell`` holds no value: blank, punctuation only, or an empty marker."""
        key = normalize_name(cell)
        return not key or key in self._empty_keys

    @property
    def _empty_keys(self) -> frozenset[str]:
        return _normalized_set(tuple(self.empty_values))

    def selects(self, table: Table) -> bool:
        """Whether ``table`` is one of the sheets this mapping reads."""
        if not self.sheets:
            return True
        return table.sheet is not None and normalize_name(table.sheet) in _normalized_set(
            tuple(self.sheets)
        )


@lru_cache(maxsize=64)
def _normalized_set(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_name(v) for v in values)


@dataclass(frozen=True)
class HeaderRow:
    """Where a table's header row is and which column indexes hold each field."""

    index: int  # position of the header row in ``table.rows``
    columns: dict[str, tuple[int, ...]]

    def column_names(self, table: Table, field: str) -> list[str]:
        """The header texts of the columns holding ``field``."""
        cells = table.rows[self.index].cells
        return [cells[i] for i in self.columns.get(field, ())]


def header_key(text: str) -> str:
    """Comparison form of a header text: normalised, leading numbering dropped."""
    return _LEADING_NUMBERING.sub("", normalize_name(text))


def find_header(table: Table, mapping: ColumnMapping) -> HeaderRow | None:
    """The first row among the top rows of ``table`` that matches enough mapped headers.

    A row qualifies when it holds the name column and at least ``min_header_matches``
    fields (or every mapped field, if fewer are mapped).
    """
    needed = min(mapping.min_header_matches, len(mapping.columns))
    for index, row in enumerate(table.rows[: mapping.header_search_rows]):
        columns = _match_columns(row.cells, mapping)
        if "name" in columns and len(columns) >= needed:
            return HeaderRow(index=index, columns=columns)
    return None


def _match_columns(cells: Sequence[str], mapping: ColumnMapping) -> dict[str, tuple[int, ...]]:
    """Column indexes of each mapped field in a candidate header row.

    A header of the mapping first looks for a cell equal to it once normalised; failing
    that, for a cell equal once leading numbering is dropped from both.
    """
    exact: dict[str, list[int]] = {}
    loose: dict[str, list[int]] = {}
    for position, cell in enumerate(cells):
        if cell.strip():
            exact.setdefault(normalize_name(cell), []).append(position)
            loose.setdefault(header_key(cell), []).append(position)
    found: dict[str, tuple[int, ...]] = {}
    for field, headers in mapping.columns.items():
        positions: list[int] = []
        for header in headers:
            hits = exact.get(normalize_name(header)) or loose.get(header_key(header)) or []
            positions.extend(p for p in hits[:1] if p not in positions)
        if positions:
            found[field] = tuple(positions)
    return found


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read a column mapping YAML file; :class:`MappingError` names the file on any problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot read column mapping: {exc}") from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"{path}: expected a mapping with name and columns")
    data.setdefault("name", path.stem)
    try:
        return ColumnMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'mapping'}: {err['msg']}"
            for err in exc.errors()
        )
        raise MappingError(f"{path}: invalid column mapping: {problems}") from exc


@lru_cache(maxsize=1)
def shipped_mappings() -> tuple[ColumnMapping, ...]:
    """The mappings shipped in ``loaders/mappings``, in file-name order."""
    return tuple(load_mapping(p) for p in sorted(SHIPPED_MAPPINGS_DIR.glob("*.yaml")))


def mapping_matches(document: Document, mapping: ColumnMapping) -> bool:
    """Whether a table read by ``mapping`` has a header row matching it."""
    return any(
        mapping.selects(table) and find_header(table, mapping) is not None
        for table in document.tables
    )
