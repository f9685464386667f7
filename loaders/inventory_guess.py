"""Guessing the layout of a programme inventory: where its header row is, what each column holds.

The header row is the row, among the top rows of a table, whose cells look like column names
(short labels, not numbers, dates or sentences), that names the most catalogue fields, and
under which typed data follows: columns of dates, years, amounts or links, and columns of
repeated categories. A data row cannot win over it, however many field words its long cells
contain, because only label-like cells name fields.

Columns are mapped from their header names (Spanish and English, :data:`SYNONYMS`) and then
checked against their content (the values below the header):

- a column named like an agency, a territory or a level ("entidad", "estado", "nivel") takes
  the field its values show: territories the gazetteer knows, names of agencies
  (Secretaría..., Instituto..., Alcaldía...), or governance levels;
- a column whose values cannot be what its name says is left out with the reason: a "nivel"
  whose values are not levels, a "num_beneficiarios" of numbers (a count, not a target
  group), a "presupuesto" without amounts;
- when no header names the responsible agency or the territory, a column whose values are
  agencies or known territories is taken for it.

:func:`guess_layout` returns the header row and every column's field with its reason (what
``tejido inspect`` shows); :func:`guess_mapping` turns it into a
:class:`~loaders.catalog_mapping.ColumnMapping`. :func:`detect_mapping` prefers a user's or a
shipped mapping that fits the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from graph.gazetteer import load_gazetteer
from graph.vocab import Level
from loaders.catalog_mapping import (
    MULTI_VALUE_FIELDS,
    ColumnMapping,
    header_key,
    mapping_matches,
    shipped_mappings,
)
from loaders.catalog_values import institution_kind, parse_amount, parse_level
from loaders.document import Document, Table

SEARCH_ROWS = 30  # how far below the top of a table the header row may be
SAMPLE_ROWS = 200  # rows below the header whose values tell what a column holds
LABEL_MAX_WORDS = 8  # a cell with more words is a sentence, not a column name
LABEL_MAX_CHARS = 80
CONTENT_SHARE = 0.5  # share of a column's values that must show a kind for it to count

# Header phrases by field, most telling first. A header matches a phrase when the phrase
# occurs in it as whole words (plural "s"/"es" allowed). The order of the fields settles
# headers that several could claim: "población objetivo" is a target group, not an objective;
# "tipo de programa" and "código del programa" are not the programme's name; "entidad
# federativa" is a territory, a bare "entidad" an agency unless its values are territories.
SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("codigo", "clave", "folio", "code", "id")),
    ("budget", ("presupuesto", "monto", "importe", "budget", "amount", "funding")),
    ("year", ("ano", "anio", "agno", "year", "ejercicio fiscal", "ejercicio", "ciclo",
              "periodo", "vigencia", "period", "fecha", "date")),
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
    ("level", ("nivel de gobierno", "orden de gobierno", "ambito de gobierno",
               "government level", "nivel", "orden", "level")),
    ("country", ("pais", "country")),
    ("territory", ("entidad federativa", "estado", "region", "provincia", "departamento",
                   "municipio", "alcaldia", "delegacion", "comuna", "localidad", "territorio",
                   "cobertura", "territory", "state", "province")),
    ("responsible", ("dependencia", "institucion responsable", "unidad responsable",
                     "entidad responsable", "responsable", "institucion", "organismo",
                     "ejecutor", "ministerio", "agency", "ministry", "responsible",
                     "institution", "entidad")),
    ("objective", ("objetivo", "proposito", "objective", "purpose", "goal", "aim")),
    ("description", ("descripcion", "resumen", "description", "summary")),
    ("name", ("nombre del programa", "nombre de la intervencion", "nombre del instrumento",
              "nombre de la accion", "nombre", "titulo", "denominacion", "programa",
              "intervencion", "instrumento", "programme", "program", "title", "name")),
)
_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (name, tuple(re.compile(rf"\b{re.escape(p)}(?:e?s)?\b") for p in phrases))
    for name, phrases in SYNONYMS
)
# Territory headers that tell the level of the programmes when no column gives it.
_TERRITORY_LEVELS: tuple[tuple[str, Level], ...] = (
    ("entidad federativa", "regional"), ("estado", "regional"), ("region", "regional"),
    ("provincia", "regional"), ("departamento", "regional"), ("state", "regional"),
    ("province", "regional"), ("municipio", "local"), ("alcaldia", "local"),
    ("comuna", "local"),
)
# Fields whose column may change by content, and the kinds of values each field needs.
_PLACE_FIELDS = frozenset({"responsible", "territory", "level"})
_FOUND_BY_CONTENT = ("responsible", "territory")  # taken from an unnamed column if missing
_NEEDS: dict[str, tuple[str, ...]] = {
    "budget": ("amount",),
    "year": ("year", "date"),
    "source": ("url",),
    "target_groups": ("text",),
    "support_types": ("text",),
    "themes": ("text",),
    "name": ("text",),
    "objective": ("text",),
    "description": ("text",),
}
_KIND_WORDS = {"amount": "numbers", "year": "years", "date": "dates", "url": "links",
               "text": "text"}

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}$")
_DATE = re.compile(
    r"^(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:\w+,? )?\d{1,2} de \w+ de \d{4})$",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"^(?:[A-Z]{3}|\$|€|£|US\$|MX\$)?\s*[-+]?\d[\d.,' ]*\s*"
    r"(?:millones|millón|millon|mil|miles|millions?|thousands?|k|mm|pesos|mxn|usd|clp|eur)?$",
    re.IGNORECASE,
)


def cell_kind(text: str) -> str:
    """What a cell holds: ``empty``, ``url``, ``date``, ``year``, ``amount`` or ``text``."""
    value = text.strip()
    if not value:
        return "empty"
    if _URL.match(value):
        return "url"
    if _YEAR_ONLY.match(value):
        return "year"
    if _DATE.match(value):
        return "date"
    if _AMOUNT.match(value) and parse_amount(value) is not None:
        return "amount"
    return "text"


def is_label(text: str) -> bool:
    """Whether a cell looks like a column name: short text, not a number, date or link."""
    value = text.strip()
    return (
        bool(value)
        and len(value) <= LABEL_MAX_CHARS
        and len(value.split()) <= LABEL_MAX_WORDS
        and cell_kind(value) == "text"
    )


@dataclass(frozen=True)
class _Claim:
    field: str
    rank: int  # position of the phrase in the field's list: lower is more telling
    extra_words: int  # header words beyond the phrase: fewer is a closer match
    column: int


def claim(header: str, column: int) -> _Claim | None:
    """The field a header names, by the first field (in priority order) with a phrase in it."""
    key = header_key(header)
    if not key:
        return None
    words = len(key.split())
    for name, patterns in _PATTERNS:
        for rank, pattern in enumerate(patterns):
            match = pattern.search(key)
            if match:
                return _Claim(name, rank, words - len(match.group(0).split()), column)
    return None


# --------------------------------------------------------------------------- column content


@dataclass
class ColumnContent:
    """What the values below a header show about their column."""

    values: int = 0  # non-empty values read
    kinds: dict[str, int] = field(default_factory=dict)
    distinct: int = 0
    agencies: int = 0  # values named like agencies
    territories: int = 0  # values the gazetteer knows as territories
    levels: int = 0  # values naming a governance level
    countries: set[str] = field(default_factory=set)

    def share(self, count: int) -> float:
        """``count`` as a share of the values read (0 when there are none)."""
        return count / self.values if self.values else 0.0

    def main_kind(self) -> str | None:
        """The kind most values are, if at least :data:`CONTENT_SHARE` of them are."""
        if not self.kinds:
            return None
        kind, count = max(self.kinds.items(), key=lambda item: (item[1], item[0]))
        return kind if self.share(count) >= CONTENT_SHARE else None

    def is_category(self) -> bool:
        """Short values repeated down the column (a status, a level, a kind of support)."""
        return self.values >= 4 and self.distinct <= self.values / 2


@lru_cache(maxsize=4096)
def _territory_countries(value: str) -> frozenset[str]:
    hits = load_gazetteer().lookup(value, label="Territory")
    return frozenset(hit.country for hit in hits if hit.country)


def column_content(table: Table, header_index: int, column: int) -> ColumnContent:
    """The content of ``column`` in the :data:`SAMPLE_ROWS` rows below the header."""
    content = ColumnContent()
    seen: set[str] = set()
    for row in table.rows[header_index + 1 : header_index + 1 + SAMPLE_ROWS]:
        if column >= len(row.cells):
            continue
        value = " ".join(row.cells[column].split())
        kind = cell_kind(value)
        if kind == "empty":
            continue
        content.values += 1
        content.kinds[kind] = content.kinds.get(kind, 0) + 1
        seen.add(value.casefold())
        if kind != "text" or len(value) > LABEL_MAX_CHARS * 2:
            continue
        if institution_kind(value) is not None:
            content.agencies += 1
        countries = _territory_countries(value)
        if countries:
            content.territories += 1
            content.countries |= countries
        if parse_level(value) is not None:
            content.levels += 1
    content.distinct = len(seen)
    return content


# --------------------------------------------------------------------------- header row


@dataclass(frozen=True)
class _Candidate:
    score: float
    table: int
    index: int


def _row_score(table: Table, index: int) -> float | None:
    """How much row ``index`` of ``table`` looks like its header; None if it cannot be.

    Two points per field its label-like cells name, one per column under a label that holds
    typed values (dates, years, amounts, links) or repeated categories, less one per
    non-empty cell that is not a label. A header names the programme.
    """
    cells = table.rows[index].cells
    filled = [(c, cell) for c, cell in enumerate(cells) if cell.strip()]
    labels = [(c, cell) for c, cell in filled if is_label(cell)]
    claims = {found.field for c, cell in labels if (found := claim(cell, c)) is not None}
    if len(filled) < 2 or "name" not in claims:
        return None
    typed = 0
    for c, _ in labels:
        content = column_content(table, index, c)
        if content.main_kind() in ("date", "year", "amount", "url") or content.is_category():
            typed += 1
    return 2 * len(claims) + typed - (len(filled) - len(labels))


def find_header_row(document: Document, search_rows: int = SEARCH_ROWS) -> tuple[int, int] | None:
    """(table position, row index) of the best header row of the document, or None."""
    best: _Candidate | None = None
    for t, table in enumerate(document.tables):
        for index in range(min(search_rows, len(table.rows))):
            score = _row_score(table, index)
            if score is not None and (best is None or score > best.score):
                best = _Candidate(score, t, index)
    return None if best is None else (best.table, best.index)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class ColumnGuess:
    """One column of the header row: the field it is read as (None: not read), and why."""

    column: int
    header: str
    field: str | None
    reason: str


@dataclass
class InventoryLayout:
    """The header row of an inventory table and what each of its columns holds."""

    table: int  # position of the table in the document
    sheet: str | None
    header_index: int  # position of the header row in the table's rows
    columns: list[ColumnGuess]
    country: str | None = None

    def fields(self) -> dict[str, list[ColumnGuess]]:
        """Columns read for each field, in column order."""
        out: dict[str, list[ColumnGuess]] = {}
        for guess in self.columns:
            if guess.field is not None:
                out.setdefault(guess.field, []).append(guess)
        return out


def _by_content(content: ColumnContent) -> tuple[str, str] | None:
    """The place field (territory, responsible, level) a column's values show, with why."""
    if content.share(content.territories) >= CONTENT_SHARE:
        return "territory", "its values are territories the gazetteer knows"
    if content.share(content.agencies) >= CONTENT_SHARE:
        return "responsible", "its values are names of agencies"
    if content.share(content.levels) >= CONTENT_SHARE and content.is_category():
        return "level", "its values are levels of government"
    return None


def _check_claim(found: _Claim, content: ColumnContent) -> tuple[str | None, str]:
    """The field of a column named ``found.field``, once its values are looked at."""
    named = f"header names {found.field.replace('_', ' ')}"
    if content.values == 0:
        return found.field, f"{named} (no values below to check)"
    if found.field in _PLACE_FIELDS:
        shown = _by_content(content)
        if shown is not None:
            place, why = shown
            if place == found.field:
                return place, f"{named}; {why}"
            return place, f"header suggests {found.field}, but {why}"
        if found.field == "level":
            return None, "not read: its values are not levels of government"
        return found.field, named
    needs = _NEEDS.get(found.field)
    kind = content.main_kind()
    if needs is not None and kind is not None and kind not in needs:
        return None, f"not read: {named}, but its values are {_KIND_WORDS[kind]}"
    return found.field, named


def _closeness(guess: ColumnGuess, name: str, claims: dict[int, _Claim]) -> tuple[int, int, int]:
    """Sort key of the columns read for field ``name``: the most telling, closest header
    first; a column found by its content after one named for the field."""
    found = claims.get(guess.column)
    if found is not None and found.field == name:
        return (found.rank, found.extra_words, guess.column)
    return (99, 0, guess.column)


def _choose(candidates: list[ColumnGuess], claims: dict[int, _Claim]) -> list[ColumnGuess]:
    """Keep one column per single-value field (the most telling, closest header)."""
    by_field: dict[str, list[ColumnGuess]] = {}
    for guess in candidates:
        if guess.field is not None:
            by_field.setdefault(guess.field, []).append(guess)
    kept: set[int] = set()
    for name, guesses in by_field.items():
        if name in MULTI_VALUE_FIELDS:
            kept.update(g.column for g in guesses)
            continue

        kept.add(min(guesses, key=lambda g, name=name: _closeness(g, name, claims)).column)
    out: list[ColumnGuess] = []
    for guess in candidates:
        if guess.field is None or guess.column in kept:
            out.append(guess)
        else:
            out.append(ColumnGuess(guess.column, guess.header, None,
                                   f"not read: another column holds the {guess.field}"))
    return out


def guess_layout(document: Document, search_rows: int = SEARCH_ROWS) -> InventoryLayout | None:
    """The header row of the document's inventory table and what each column holds, or None.

    None when no table has, among its top ``search_rows`` rows, a row of column names that
    names the programme.
    """
    found = find_header_row(document, search_rows)
    if found is None:
        return None
    t, index = found
    table = document.tables[t]
    cells = table.rows[index].cells
    claims: dict[int, _Claim] = {}
    candidates: list[ColumnGuess] = []
    contents: dict[int, ColumnContent] = {}
    for column, header in enumerate(cells):
        if not header.strip():
            continue
        content = contents[column] = column_content(table, index, column)
        named = claim(header, column)
        if named is None:
            candidates.append(ColumnGuess(column, header, None, "not read: no field by that name"))
            continue
        claims[column] = named
        chosen, reason = _check_claim(named, content)
        candidates.append(ColumnGuess(column, header, chosen, reason))
    fields = {g.field for g in candidates if g.field}
    for position, guess in enumerate(candidates):
        if guess.field is not None:
            continue
        shown = _by_content(contents[guess.column])
        if shown is not None and shown[0] in _FOUND_BY_CONTENT and shown[0] not in fields:
            candidates[position] = ColumnGuess(guess.column, guess.header, shown[0], shown[1])
            fields.add(shown[0])
    columns = _choose(candidates, claims)
    countries: set[str] = set()
    for guess in columns:
        if guess.field == "territory":
            countries |= contents[guess.column].countries
    return InventoryLayout(
        table=t,
        sheet=table.sheet,
        header_index=index,
        columns=columns,
        country=next(iter(countries)) if len(countries) == 1 else None,
    )


def guess_mapping(document: Document, search_rows: int = SEARCH_ROWS) -> ColumnMapping | None:
    """A mapping built from the guessed layout of the document (:func:`guess_layout`), or None.

    None also when the programme-name column holds no names (numbers, dates) or when the
    name is the only field found.
    """
    layout = guess_layout(document, search_rows)
    if layout is None:
        return None
    fields = layout.fields()
    if "name" not in fields or len(fields) < 2:
        return None
    columns = {name: [g.header for g in guesses] for name, guesses in fields.items()}
    level = None
    if "level" not in columns and "territory" in columns:
        level = _level_from_territory_header(columns["territory"][0])
    return ColumnMapping(
        name="guessed",
        description="guessed from the header names and the values below them",
        columns=columns,  # type: ignore[arg-type]
        min_header_matches=len(columns),
        header_search_rows=max(search_rows, layout.header_index + 1),
        level=level,
        country=layout.country,
        notes={g.header: g.reason for g in layout.columns},
    )


def _level_from_territory_header(header: str) -> Level | None:
    key = header_key(header)
    for phrase, level in _TERRITORY_LEVELS:
        if re.search(rf"\b{phrase}s?\b", key):
            return level
    return None


def detect_mapping(
    document: Document, user_mappings: Sequence[ColumnMapping] = ()
) -> ColumnMapping | None:
    """The first user or shipped mapping that fits ``document``, else a guessed one.

    Returns ``None`` when the document does not look like a programme inventory: no
    table has a row of column names naming the programme and another field.
    """
    for mapping in (*user_mappings, *shipped_mappings()):
        if mapping_matches(document, mapping):
            return mapping
    return guess_mapping(document)
