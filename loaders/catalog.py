"""Programme inventories (CSV, XLSX) into instruments, institutions and territories.

:func:`extract_catalog` reads the tables of a :class:`~loaders.document.Document` with a
:class:`~loaders.catalog_mapping.ColumnMapping`. Each kept row becomes a Passage (the row's
span) and an Instrument; the responsible agencies in the row become Institutions
(``RESPONSIBLE_FOR`` the instrument, ``OPERATES_IN`` the territory) and the territory a
Territory (the instrument ``COVERS`` it), under the gazetteer's name when the gazetteer knows
it. Every relation carries the row's cells as evidence, one entry per mapped cell of the
fields a reader checks (:data:`EVIDENCE_FIELDS`: name, responsible, objective, target groups,
support, territory, budget...), each naming its field and column header; every entity is
mentioned at the span of its cell (or of its part of a cell), and a surface form other than
its name is kept as an alias.

Keys. An instrument is keyed by its name, the territory of the row and its code when the
catalogue has one: the same name in two states is two programmes, and the same programme met
twice (in a country-wide sheet and again in its state's sheet) is one, with evidence from
both rows. The territory is always part of the key when known, so that an id never depends
on which other rows the file holds. A regional or local agency is keyed by its name and
territory too (every Mexican state has its own "Secretaría de Salud"); a national agency,
marked by the mapping's ``national_agency_markers`` such as "(Federal)" or named "...
Nacional ..." / "... Federal ...", by its name alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pydantic import BaseModel, Field

from graph.facets import FACETS, Facets, Vocabularies, default_vocabularies
from graph.gazetteer import country_code, load_gazetteer
from graph.model import (
    Entity,
    Evidence,
    Extraction,
    Mention,
    Passage,
    Relation,
    entity_id,
    make_evidence,
    passage_id,
)
from graph.normalize import normalize_name
from graph.vocab import Level
from loaders.catalog_mapping import ColumnMapping, HeaderRow, find_header
from loaders.catalog_values import institution_kind, parse_amount, parse_level, period
from loaders.document import Document, Table, TableRow

EXTRACTOR = "catalog"

_SPACE = re.compile(r"\s+")
# Agencies named "... Nacional ..." or "... Federal ..." are national wherever they act.
# Fields whose cells are a row's evidence, in the order they are shown.
EVIDENCE_FIELDS: tuple[str, ...] = (
    "name", "responsible", "objective", "description", "target_groups", "support_types",
    "territory", "level", "budget", "year",
)
_NATIONAL_WORDS = frozenset({"nacional", "federal", "national"})
_TERRITORY_KINDS: dict[str, str] = {"national": "country", "regional": "region"}
_PUBLIC_KINDS = frozenset(
    {"ministry", "division", "agency", "regional_government", "municipality"}
)


class CatalogError(ValueError):
    """A document cannot be read as a catalogue; the message names the file and the problem."""


class SkippedRow(BaseModel):
    """A table row that became no instrument, and why."""

    sheet: str | None
    row: int  # 1-based position of the row in its table
    reason: str


class CatalogResult(BaseModel):
    """What a catalogue yielded: the extraction, and every row left out with its reason."""

    extraction: Extraction
    skipped: list[SkippedRow] = Field(default_factory=list)


def extract_catalog(
    document: Document, mapping: ColumnMapping, vocabularies: Vocabularies | None = None
) -> CatalogResult:
    """Turn the rows of ``document``'s tables into instruments, institutions and territories.

    Tables are those ``mapping`` selects (by sheet); in each, rows above the header row
    (a title block) and rows without a programme name are skipped with their reason.
    Facets come from the mapped catalogue columns (:func:`graph.facets.map_values`) and
    from the name, objective and description (:func:`graph.facets.assign_facets`).
    """
    builder = _CatalogBuilder(document, mapping, vocabularies or default_vocabularies())
    ignored: list[str] = []
    for position, table in enumerate(document.tables, start=1):
        label = table.sheet or f"table {position}"
        if not mapping.selects(table):
            ignored.append(label)
            continue
        header = find_header(table, mapping)
        if header is None:
            builder.warn(
                f"{label}: no header row matching mapping {mapping.name!r} in its first "
                f"{mapping.header_search_rows} rows; its {len(table.rows)} rows were not read"
            )
            continue
        builder.add_table(table, header)
    if ignored:
        builder.warn(
            f"sheets not selected by mapping {mapping.name!r}, not read: {', '.join(ignored)}"
        )
    return builder.result()


@dataclass(frozen=True)
class _Cell:
    """A non-empty cell value with its span in the document text."""

    text: str
    start: int
    end: int
    column: str = ""  # header of the cell's column


class _CatalogBuilder:
    """Accumulates passages, entities, relations and mentions over the rows of a catalogue."""

    def __init__(
        self, document: Document, mapping: ColumnMapping, vocabularies: Vocabularies
    ) -> None:
        self.document = document
        self.mapping = mapping
        self.vocabularies = vocabularies
        self.info = document.info()
        self.passages: dict[str, Passage] = {}
        self.entities: dict[str, Entity] = {}
        self.relations: dict[str, Relation] = {}
        self.mentions: dict[tuple[str, str, int, int], Mention] = {}
        self.skipped: list[SkippedRow] = []
        self.warnings: list[str] = []
        self.first_seen: dict[str, str] = {}  # instrument id -> where it was first read
        self.unmapped: Counter[tuple[str, str]] = Counter()
        self._headers: list[str] = []
        separators = [re.escape(s) for s in mapping.agency_separators if s]
        self.agency_separator = re.compile("|".join(separators)) if separators else None

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def add_table(self, table: Table, header: HeaderRow) -> None:
        header_cells = table.rows[header.index].cells
        self._headers = [_clean(cell) for cell in header_cells]
        for index, row in enumerate(table.rows):
            number = index + 1
            self._check_row(table, number, row)
            if index < header.index:
                self._skip(table, number, "above the header row (title block)")
            elif index > header.index:
                if row.cells == header_cells:
                    self._skip(table, number, "repeated header row")
                else:
                    self._add_row(table, number, row, header)

    def _skip(self, table: Table, number: int, reason: str) -> None:
        self.skipped.append(SkippedRow(sheet=table.sheet, row=number, reason=reason))

    def _check_row(self, table: Table, number: int, row: TableRow) -> None:
        if self.document.text[row.start:row.end] != "\t".join(row.cells):
            raise CatalogError(
                f"{self.document.path}: {_where(table, number)}: the row's span "
                f"[{row.start}, {row.end}) in the text does not hold its cells"
            )

    def _cells(self, row: TableRow, header: HeaderRow) -> dict[str, list[_Cell]]:
        """The non-empty mapped cells of ``row`` by field; missing (ragged) cells are empty."""
        starts = _cell_starts(row)
        headers = self._headers
        out: dict[str, list[_Cell]] = {}
        for field, positions in header.columns.items():
            for position in positions:
                if position >= len(row.cells) or self.mapping.is_empty(row.cells[position]):
                    continue
                raw = row.cells[position]
                lead = len(raw) - len(raw.lstrip())
                text = raw.strip()
                start = starts[position] + lead
                column = headers[position] if position < len(headers) else ""
                out.setdefault(field, []).append(_Cell(text, start, start + len(text), column))
        return out

    def _add_row(self, table: Table, number: int, row: TableRow, header: HeaderRow) -> None:
        if not any(cell.strip() for cell in row.cells):
            self._skip(table, number, "empty row")
            return
        cells = self._cells(row, header)
        if "name" not in cells:
            columns = ", ".join(repr(c) for c in header.column_names(table, "name"))
            self._skip(table, number, f"no programme name (column {columns} is empty)")
            return
        where = _where(table, number)
        width = len(table.rows[header.index].cells)
        if any(cell.strip() for cell in row.cells[width:]):
            self.warn(f"{where}: cells beyond the last header column were not read")
        passage = Passage(
            id=passage_id(self.info.id, row.start, row.end),
            document_id=self.info.id,
            start=row.start,
            end=row.end,
            text=self.document.text[row.start:row.end],
        )
        self.passages[passage.id] = passage
        evidence = [
            make_evidence(self.info, passage, cell.start, cell.end, EXTRACTOR,
                          field=name, column=cell.column)
            for name in EVIDENCE_FIELDS
            for cell in cells.get(name, ())
        ]
        self._add_programme(cells, passage, evidence, where)

    def _add_programme(
        self, cells: dict[str, list[_Cell]], passage: Passage, evidence: list[Evidence],
        where: str,
    ) -> None:
        level = self._level(cells, where)
        country = self._country(cells, where)
        territory_cell = _first(cells, "territory")
        territory = None
        if territory_cell:
            territory = self._territory(_clean(territory_cell.text), level, country)
        instrument = self._instrument(cells, level, country, territory, where)
        if instrument.id in self.first_seen:
            self.warn(
                f"{where}: same programme as {self.first_seen[instrument.id]} "
                f"({instrument.id}); read once, with the evidence of both rows"
            )
        else:
            self.first_seen[instrument.id] = where
        self._add_entity(instrument, passage, cells["name"][0])
        if territory_cell and territory:
            self._add_entity(territory, passage, territory_cell)
            self._relate(instrument.id, "COVERS", territory.id, evidence)
        for agency_cell in cells.get("responsible", ()):
            for part in self._agencies(agency_cell):
                agency = self._institution(part.text, level, country, territory)
                self._add_entity(agency, passage, part)
                self._relate(agency.id, "RESPONSIBLE_FOR", instrument.id, evidence)
                if territory:
                    self._relate(agency.id, "OPERATES_IN", territory.id, evidence)

    def _instrument(
        self,
        cells: dict[str, list[_Cell]],
        level: Level | None,
        country: str | None,
        territory: Entity | None,
        where: str,
    ) -> Entity:
        """The Instrument of a row, keyed by name, territory and code, with its facets."""
        name = _clean(cells["name"][0].text)
        territory_name = territory.name if territory else None
        code = _text(cells, "code")
        key = " ".join(part for part in (name, territory_name, code) if part)
        objective, description = _text(cells, "objective"), _text(cells, "description")
        from_columns: dict[str, list[str]] = {facet: [] for facet in FACETS}
        for facet, ids in from_columns.items():
            for cell in cells.get(facet, ()):
                mapped = self.vocabularies.map_values(facet, cell.text)
                if not mapped:
                    self.unmapped[(facet, _clean(cell.text))] += 1
                ids.extend(mapped)
        facets = self.vocabularies.assign(name, objective, description).union(
            Facets(**from_columns)
        )
        return Entity(
            id=entity_id("Instrument", key, country),
            label="Instrument",
            name=name,
            level=level,
            country=country,
            territory=territory_name,
            objective=objective,
            description=description,
            code=code,
            period=period(_text(cells, "year")),
            budget=self._budget(cells, where),
            source=_text(cells, "source"),
            extra={"catalog": self.mapping.name},
            **facets.model_dump(),
        )

    def _territory(self, name: str, level: Level | None, country: str | None) -> Entity:
        """The Territory a row names, under the gazetteer's name when the gazetteer knows it
        ("Estado de Colima" → Colima), so that its id is the gazetteer's."""
        kind = None
        if country is not None:
            hits = load_gazetteer().lookup(name, label="Territory", country=country)
            if len(hits) == 1:
                name, kind = hits[0].name, hits[0].kind
        return Entity(
            id=entity_id("Territory", name, country),
            label="Territory",
            name=name,
            kind=kind or self.mapping.territory_kind or _TERRITORY_KINDS.get(level or ""),
            country=country,
        )

    def _institution(
        self, surface: str, level: Level | None, country: str | None, territory: Entity | None
    ) -> Entity:
        """An Institution for one agency named in a row of a programme at ``level``."""
        name = _clean(surface)
        unmarked = _strip_national_marker(name, self.mapping.national_agency_markers)
        if unmarked is not None:
            name, level = unmarked, "national"
        elif _NATIONAL_WORDS & set(normalize_name(name).split()):
            level = "national"
        local = territory.name if territory and level in ("regional", "local") else None
        key = f"{name} {local}" if local else name
        kind = institution_kind(name)
        return Entity(
            id=entity_id("Institution", key, country),
            label="Institution",
            name=name,
            kind=kind,
            sector="public" if kind in _PUBLIC_KINDS else None,
            level=level,
            country=country,
            territory=local,
        )

    def _agencies(self, cell: _Cell) -> list[_Cell]:
        """The agencies named in one cell, split on the mapping's separators, with spans."""
        bounds = [0]
        if self.agency_separator is not None:
            for match in self.agency_separator.finditer(cell.text):
                bounds.extend((match.start(), match.end()))
        bounds.append(len(cell.text))
        parts: list[_Cell] = []
        for begin, end in zip(bounds[::2], bounds[1::2], strict=True):
            piece = cell.text[begin:end]
            text = piece.strip()
            if text and not self.mapping.is_empty(text):
                start = cell.start + begin + len(piece) - len(piece.lstrip())
                parts.append(_Cell(text, start, start + len(text)))
        return parts

    def _add_entity(self, entity: Entity, passage: Passage, cell: _Cell) -> None:
        """Add ``entity`` (or merge it into the one with its id), mentioned at ``cell``.

        A surface form other than the entity's name ("Estado de Colima" for Colima) is kept
        as an alias.
        """
        surface = _clean(cell.text)
        if surface != entity.name and surface not in entity.aliases:
            entity.aliases.append(surface)
        known = self.entities.get(entity.id)
        if known is None:
            self.entities[entity.id] = entity
        else:
            known.absorb(entity)
        mention = Mention(
            passage_id=passage.id,
            entity_id=entity.id,
            start=cell.start,
            end=cell.end,
            text=self.document.text[cell.start:cell.end],
        )
        self.mentions[(mention.passage_id, mention.entity_id, mention.start, mention.end)] = mention

    def _relate(
        self, source: str, rel_type: str, target: str, evidence: list[Evidence]
    ) -> None:
        relation = Relation(source=source, type=rel_type, target=target, evidence=evidence)
        known = self.relations.get(relation.id)
        if known is None:
            self.relations[relation.id] = relation
        else:
            known.add_evidence(evidence)

    def _level(self, cells: dict[str, list[_Cell]], where: str) -> Level | None:
        raw = _text(cells, "level")
        if raw is None:
            return self.mapping.level
        level = parse_level(raw)
        if level is None:
            self.warn(f"{where}: level {raw!r} not recognised; used the mapping's default")
            return self.mapping.level
        return level

    def _country(self, cells: dict[str, list[_Cell]], where: str) -> str | None:
        raw = _text(cells, "country")
        if raw is None:
            return self.mapping.country
        code = country_code(raw)
        if code is None and re.fullmatch(r"[A-Za-z]{2}", raw):
            code = raw.upper()
        if code is None:
            self.warn(f"{where}: country {raw!r} not recognised; used the mapping's default")
            return self.mapping.country
        return code

    def _budget(self, cells: dict[str, list[_Cell]], where: str) -> float | None:
        raw = _text(cells, "budget")
        if raw is None:
            return None
        amount = parse_amount(raw)
        if amount is None:
            self.warn(f"{where}: budget {raw!r} is not an amount; left empty")
        return amount

    def result(self) -> CatalogResult:
        for (facet, value), count in sorted(self.unmapped.items()):
            self.warn(f"{facet}: catalogue value {value!r} maps to no vocabulary id ({count} rows)")
        extraction = Extraction(
            document=self.info,
            passages=list(self.passages.values()),
            entities=list(self.entities.values()),
            relations=list(self.relations.values()),
            mentions=list(self.mentions.values()),
            warnings=self.warnings,
        )
        return CatalogResult(extraction=extraction, skipped=self.skipped)


def _where(table: Table, number: int) -> str:
    return f"{table.sheet} row {number}" if table.sheet else f"row {number}"


def _cell_starts(row: TableRow) -> list[int]:
    """Offset in the document text of each cell of ``row`` (cells are joined by tabs)."""
    starts: list[int] = []
    position = row.start
    for cell in row.cells:
        starts.append(position)
        position += len(cell) + 1
    return starts


def _first(cells: dict[str, list[_Cell]], field: str) -> _Cell | None:
    found = cells.get(field)
    return found[0] if found else None


def _text(cells: dict[str, list[_Cell]], field: str) -> str | None:
    cell = _first(cells, field)
    return _clean(cell.text) if cell else None


def _clean(text: str) -> str:
    """White space collapsed and trimmed."""
    return _SPACE.sub(" ", text).strip()


def _strip_national_marker(name: str, markers: list[str]) -> str | None:
    """``name`` without the national marker that ends it ("... (Federal)"), or None."""
    folded = name.casefold()
    for marker in (m.strip() for m in markers):
        if marker and folded.endswith(marker.casefold()):
            return _clean(name[: -len(marker)])
    return None
