"""Column mappings for programme inventories: which column holds what, and where the header is.

A :class:`ColumnMapping` names, for each catalogue field (programme name, responsible
agencies, objective, target groups, territory, budget...), the header text of the column or
columns that hold it; which sheets to read; and which cell values mean "no value". The header
row is found, below any title block, as the first row whose cells match enough of the
mapping's headers. Header texts compare by :func:`graph.normalize.normalize_name`, and a
leading numbering ("4.2. Objetivo") may differ between the mapping and the file.

Mappings come from YAML files (shipped ones in ``loaders/mappings``, or the user's); when none
matches a file, :func:`guess_mapping` builds one from Spanish or English header names.
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


def detect_mapping(
    document: Document, user_mappings: Sequence[ColumnMapping] = ()
) -> ColumnMapping | None:
    """The first user or shipped mapping that fits ``document``, else a guessed one.

    Returns ``None`` when the document does not look like a programme inventory: no
    table has a row with a recognisable programme-name header and another field.
    """
    for mapping in (*user_mappings, *shipped_mappings()):
        if mapping_matches(document, mapping):
            return mapping
    return guess_mapping(document)


# Header phrases by field, most telling first, for guessing. A header matches a phrase when
# the phrase occurs in it as whole words (plural "s"/"es" allowed). The order of the fields
# settles headers that several could claim: "población objetivo" is a target group, not an
# objective; "tipo de programa" and "código del programa" are not the programme's name.
_GUESS_SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("codigo", "clave", "folio", "code", "id")),
    ("budget", ("presupuesto", "monto", "importe", "budget", "amount", "funding")),
    ("year", ("ano", "anio", "year", "ejercicio fiscal", "ejercicio", "ciclo", "periodo",
              "vigencia", "period")),
    ("source", ("url", "hipervinculo", "enlace", "link", "sitio web", "pagina web", "website",
                "source", "fuente")),
    ("target_groups", ("poblacion objetivo", "grupo de atencion", "grupo objetivo",
                       "beneficiario", "destinatario", "etapa de vida", "target group",
                       "target population", "beneficiary", "target")),
    ("support_types", ("tipo de apoyo", "tipo de instrumento", "tipo de beneficio",
                       "modalidad de apoyo", "modalidad", "support type", "type of support",
                       "instrument type", "apoyo")),
    ("themes", ("tema", "area tematica", "eje tematico", "derecho social", "sector", "theme",
                "topic")),
    ("level", ("nivel de gobierno", "orden de gobierno", "government level", "level")),
    ("country", ("pais", "country")),
    ("territory", ("entidad federativa", "estado", "region", "provincia", "departamento",
                   "municipio", "comuna", "territorio", "territory", "state", "province")),
    ("responsible", ("dependencia", "institucion responsable", "unidad responsable",
                     "entidad responsable", "responsable", "institucion", "organismo",
                     "ejecutor", "ministerio", "agency", "ministry", "responsible",
                     "institution")),
    ("objective", ("objetivo", "proposito", "objective", "purpose", "goal", "aim")),
    ("description", ("descripcion", "resumen", "description", "summary")),
    ("name", ("nombre del programa", "nombre de la intervencion", "nombre del instrumento",
              "nombre", "programa", "intervencion", "instrumento", "programme", "program",
              "name")),
)
_GUESS_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (field, tuple(re.compile(rf"\b{re.escape(p)}(?:e?s)?\b") for p in phrases))
    for field, phrases in _GUESS_SYNONYMS
)
# Territory headers that tell the level of the programmes when no column gives it.
_TERRITORY_LEVELS: tuple[tuple[str, Level], ...] = (
    ("entidad federativa", "regional"), ("estado", "regional"), ("region", "regional"),
    ("provincia", "regional"), ("departamento", "regional"), ("state", "regional"),
    ("province", "regional"), ("municipio", "local"), ("comuna", "local"),
)


@dataclass(frozen=True)
class _Claim:
    field: str
    rank: int  # position of the phrase in the field's list: lower is more telling
    extra_words: int  # header words beyond the phrase: fewer is a closer match
    column: int


def _claim(header: str, column: int) -> _Claim | None:
    """The field a header names, by the first field (in priority order) with a phrase in it."""
    key = header_key(header)
    if not key:
        return None
    words = len(key.split())
    for field, patterns in _GUESS_PATTERNS:
        for rank, pattern in enumerate(patterns):
            match = pattern.search(key)
            if match:
                extra = words - len(match.group(0).split())
                return _Claim(field, rank, extra, column)
    return None


def _guess_row(cells: Sequence[str]) -> dict[str, list[_Claim]]:
    claims: dict[str, list[_Claim]] = {}
    for column, cell in enumerate(cells):
        claim = _claim(cell, column)
        if claim is not None:
            claims.setdefault(claim.field, []).append(claim)
    return claims


def guess_mapping(document: Document, search_rows: int = 30) -> ColumnMapping | None:
    """Build a mapping from the header names of the document's tables, or ``None``.

    The header row is the top row (of any table) that names the most fields, among rows
    naming the programme name and at least one other field. A single-value field takes the
    column with the most telling, closest header; multi-value fields take every column.
    """
    best: tuple[int, dict[str, list[_Claim]], Sequence[str]] | None = None
    for table in document.tables:
        for row in table.rows[:search_rows]:
            claims = _guess_row(row.cells)
            if "name" not in claims or len(claims) < 2:
                continue
            if best is None or len(claims) > best[0]:
                best = (len(claims), claims, row.cells)
    if best is None:
        return None
    _, claims, cells = best
    columns: dict[str, list[str]] = {}
    for field, field_claims in claims.items():
        if field in MULTI_VALUE_FIELDS:
            chosen = field_claims
        else:
            chosen = [min(field_claims, key=lambda c: (c.rank, c.extra_words, c.column))]
        columns[field] = [cells[c.column] for c in chosen]
    level = None
    if "level" not in columns and "territory" in columns:
        level = _level_from_territory_header(columns["territory"][0])
    return ColumnMapping(
        name="guessed",
        description="guessed from the header names",
        columns=columns,
        min_header_matches=len(columns),
        header_search_rows=search_rows,
        level=level,
    )


def _level_from_territory_header(header: str) -> Level | None:
    key = header_key(header)
    for phrase, level in _TERRITORY_LEVELS:
        if re.search(rf"\b{phrase}s?\b", key):
            return level
    return None
