"""The catalogue loader: column mappings, header detection, guessed mappings, extraction."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from graph.model import Entity, Extraction, entity_id
from graph.normalize import normalize_name
from loaders.catalog import (
    CatalogError,
    CatalogResult,
    extract_catalog,
    parse_amount,
    parse_level,
)
from loaders.catalog_mapping import (
    ColumnMapping,
    MappingError,
    load_mapping,
    shipped_mappings,
)
from loaders.document import Document, Table, TableRow
from loaders.inventory_guess import detect_mapping, guess_mapping
from loaders.read import read

SHARED = Path(
    os.environ.get("TEJIDO_SHARED", Path(__file__).resolve().parents[1] / ".." / "shared")
)
CONEVAL = SHARED / "catalogs" / "coneval_inventario_estatal_2018.xlsx"

SPANISH_HEADER = [
    "Nombre del programa", "Dependencia responsable", "Objetivo", "Población objetivo",
    "Tipo de apoyo", "Región", "Presupuesto", "Año",
]
SPANISH_MAPPING = """
name: inventario_regional
sheets: []
columns:
  name: Nombre del programa
  responsible: Dependencia responsable
  objective: Objetivo
  target_groups: Población objetivo
  support_types: Tipo de apoyo
  territory: Región
  budget: Presupuesto
  year: Año
level: regional
country: CL
"""


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def mapping_from(tmp_path: Path, text: str) -> ColumnMapping:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def by_label(extraction: Extraction, label: str) -> dict[str, Entity]:
    """Entities of ``label`` by name; fails if a name is used by two of them."""
    entities = [e for e in extraction.entities if e.label == label]
    named = {e.name: e for e in entities}
    assert len(named) == len(entities), f"two {label} entities share a name"
    return named


def by_name_and_territory(
    extraction: Extraction, label: str
) -> dict[tuple[str, str | None], Entity]:
    return {(e.name, e.territory): e for e in extraction.entities if e.label == label}


def relation_pairs(extraction: Extraction, rel_type: str) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in extraction.relations if r.type == rel_type}


def assert_spans_are_exact(document: Document, extraction: Extraction) -> None:
    for relation in extraction.relations:
        assert relation.evidence, relation.id
        for evidence in relation.evidence:
            assert evidence.quote == document.text[evidence.start:evidence.end]
            assert evidence.extractor == "catalog"
    for passage in extraction.passages:
        assert passage.text == document.text[passage.start:passage.end]
    for mention in extraction.mentions:
        assert mention.text == document.text[mention.start:mention.end]


@pytest.fixture
def csv_result(tmp_path: Path) -> tuple[Document, CatalogResult]:
    rows = [
        ["Inventario de programas regionales 2020"],
        ["Fuente: elaboración propia"],
        SPANISH_HEADER,
        ["Fondo Emprende Joven", "Secretaría de Economía; Instituto de la Juventud",
         "Apoyar a jóvenes emprendedores con capital semilla", "Jóvenes",
         "Subsidio; Capacitación", "Región de Los Lagos", "$1,234,567.50", "2020"],
        ["Programa Mujeres Rurales", "Ministerio de Ciencia y Tecnología",
         "Mejorar los ingresos de mujeres campesinas", "Mujeres | Productores agrícolas",
         "No Aplica", "Región del Maule", "No Disponible", "2019-2021"],
        ["", "Secretaría de Salud", "Un objetivo sin programa", "N/A", "-", "Región del Maule",
         "100", "2020"],
        ["Programa Corto", "Instituto de la Juventud", "Talleres"],
    ]
    document = read(write_csv(tmp_path / "inventario.csv", rows))
    mapping = mapping_from(tmp_path, SPANISH_MAPPING)
    return document, extract_catalog(document, mapping)


def test_csv_rows_become_instruments_and_unnamed_rows_are_skipped_with_a_reason(csv_result):
    _, result = csv_result
    instruments = by_label(result.extraction, "Instrument")
    assert set(instruments) == {
        "Fondo Emprende Joven", "Programa Mujeres Rurales", "Programa Corto",
    }
    reasons = {(s.row, s.reason) for s in result.skipped}
    assert (1, "above the header row (title block)") in reasons
    assert (2, "above the header row (title block)") in reasons
    assert any(row == 6 and "no programme name" in reason for row, reason in reasons)
    assert len(result.skipped) == 3
    assert len(result.extraction.passages) == 3


def test_csv_fields_are_parsed_and_empty_markers_read_as_missing(csv_result):
    _, result = csv_result
    instruments = by_label(result.extraction, "Instrument")
    fondo = instruments["Fondo Emprende Joven"]
    assert fondo.budget == 1234567.5
    assert fondo.period == "2020"
    assert (fondo.level, fondo.country) == ("regional", "CL")
    assert fondo.territory == "Región de Los Lagos"
    assert fondo.id == entity_id("Instrument", "Fondo Emprende Joven Región de Los Lagos", "CL")
    assert {"grant", "training"} <= set(fondo.support_types)
    assert {"young_people", "entrepreneurs"} <= set(fondo.target_groups)
    assert "entrepreneurship" in fondo.themes
    rurales = instruments["Programa Mujeres Rurales"]
    assert rurales.budget is None
    assert rurales.period == "2019-2021"
    assert {"women", "farmers"} <= set(rurales.target_groups)
    assert rurales.support_types == []
    corto = instruments["Programa Corto"]
    assert (corto.territory, corto.budget, corto.objective) == (None, None, "Talleres")


def test_two_agencies_in_one_cell_split_on_semicolons_but_not_on_y(csv_result):
    _, result = csv_result
    institutions = by_name_and_territory(result.extraction, "Institution")
    lagos = "Región de Los Lagos"
    assert set(institutions) == {
        ("Secretaría de Economía", lagos), ("Instituto de la Juventud", lagos),
        ("Ministerio de Ciencia y Tecnología", "Región del Maule"),
        ("Instituto de la Juventud", None),
    }
    economia = institutions[("Secretaría de Economía", lagos)]
    juventud = institutions[("Instituto de la Juventud", lagos)]
    assert (economia.kind, economia.sector, economia.level) == ("ministry", "public", "regional")
    assert juventud.kind == "agency"
    assert economia.id == entity_id("Institution", f"Secretaría de Economía {lagos}", "CL")
    fondo = by_label(result.extraction, "Instrument")["Fondo Emprende Joven"]
    responsible = relation_pairs(result.extraction, "RESPONSIBLE_FOR")
    assert (economia.id, fondo.id) in responsible
    assert (juventud.id, fondo.id) in responsible


def test_a_regional_agency_is_a_different_institution_in_each_territory(csv_result):
    _, result = csv_result
    institutions = by_name_and_territory(result.extraction, "Institution")
    in_lagos = institutions[("Instituto de la Juventud", "Región de Los Lagos")]
    nowhere = institutions[("Instituto de la Juventud", None)]
    assert in_lagos.id != nowhere.id
    assert nowhere.id == entity_id("Institution", "Instituto de la Juventud", "CL")


def test_territories_are_covered_and_operated_in_with_row_evidence(csv_result):
    document, result = csv_result
    territories = by_label(result.extraction, "Territory")
    maule = territories["Región del Maule"]
    assert (maule.kind, maule.country) == ("region", "CL")
    rurales = by_label(result.extraction, "Instrument")["Programa Mujeres Rurales"]
    ministerio = by_name_and_territory(result.extraction, "Institution")[
        ("Ministerio de Ciencia y Tecnología", "Región del Maule")
    ]
    assert (rurales.id, maule.id) in relation_pairs(result.extraction, "COVERS")
    assert (ministerio.id, maule.id) in relation_pairs(result.extraction, "OPERATES_IN")
    row_line = next(line for line in document.text.splitlines() if "Programa Mujeres" in line)
    row_start = document.text.index(row_line)
    covers = next(r for r in result.extraction.relations if r.source == rurales.id)
    # the row's evidence is its cells, each with its field and column, not the raw row
    cells = {(e.field, e.column, e.quote) for e in covers.evidence}
    assert {
        ("name", "Nombre del programa", "Programa Mujeres Rurales"),
        ("responsible", "Dependencia responsable", "Ministerio de Ciencia y Tecnología"),
        ("objective", "Objetivo", "Mejorar los ingresos de mujeres campesinas"),
        ("territory", "Región", "Región del Maule"),
    } <= cells
    assert not any(e.quote == row_line for e in covers.evidence)
    assert all(
        row_start <= e.start < e.end <= row_start + len(row_line) for e in covers.evidence
    )
    # empty markers ("No Aplica", "No Disponible") are no evidence
    assert not {"support_types", "budget"} & {e.field for e in covers.evidence}
    assert_spans_are_exact(document, result.extraction)


def test_each_entity_is_mentioned_at_its_own_cell(csv_result):
    _, result = csv_result
    extraction = result.extraction
    names = {e.id: e.name for e in extraction.entities}
    for mention in extraction.mentions:
        assert mention.text == names[mention.entity_id]
    assert all(not e.aliases for e in extraction.entities)  # every cell is the name itself
    mentioned = Counter(names[m.entity_id] for m in extraction.mentions)
    assert mentioned["Instituto de la Juventud"] == 2
    assert mentioned["Región del Maule"] == 1  # the unnamed row mentions nothing
    assert mentioned["Fondo Emprende Joven"] == 1


def coneval_like_rows(state: str, programmes: list[list[object]]) -> list[list[object]]:
    header = [
        "Ciclo", "Entidad federativa", "1. Nombre de la intervención", "2. Dependencia 1",
        "2. Dependencia 2", "3. Entidad", "4. Objetivo", "13. Derecho social directo",
        "15. Grupos de atención 1", "16. Tipo de apoyo 1", "19. Presupuesto original (pesos)",
    ]
    title = [["INVENTARIO DE PROGRAMAS DE DESARROLLO SOCIAL"], [None], ["Datos Generales"],
             [f"Número de Programas: {len(programmes)}"]]
    return [*title, header, *programmes]


XLSX_MAPPING = """
name: sheets_and_states
columns:
  name: Nombre de la intervención
  responsible: [Dependencia 1, Dependencia 2, Entidad]
  objective: 4. Objetivo
  themes: 13. Derecho social directo
  target_groups: 15. Grupos de atención 1
  support_types: 16. Tipo de apoyo 1
  territory: Entidad federativa
  budget: 19. Presupuesto original (pesos)
  year: Ciclo
level: regional
country: MX
territory_kind: region
agency_separators: ["|"]
national_agency_markers: ["(Federal)"]
"""


@pytest.fixture
def xlsx_result(tmp_path: Path) -> tuple[Document, CatalogResult]:
    colima = [
        2018, "Colima", "Programa de Becas", "Secretaría de Educación", "No Aplica",
        "No Disponible", "Otorgar becas a estudiantes", "Educación", "Estudiantes", "Beca",
        2500000,
    ]
    colima_salud = [
        2018, "Colima", "Salud Cerca de Ti", "Secretaría de Salud",
        "Secretaría de Salud (Federal)", "Servicios de Salud | Sistema Estatal DIF",
        "Llevar atención médica a localidades", "Salud", "No Aplica", "Servicios de salud",
        "No Disponible",
    ]
    sonora_becas = [
        2018, "Sonora", "Programa de Becas", "Secretaría de Educación", "No Aplica",
        "No Aplica", "Becas para estudiantes de bajos recursos", "Educación", "Estudiantes",
        "Beca", 1200000.5,
    ]
    sonora_salud = [
        2018, "Sonora", "Vacunación Universal", "Secretaría de Salud", "No Aplica",
        "No Disponible", "Vacunar a la población", "Salud", "Toda la población",
        "Servicios de salud", 300,
    ]
    sheets = {
        "Nacional": coneval_like_rows("", [colima, colima_salud, sonora_becas, sonora_salud]),
        "Colima": coneval_like_rows("Colima", [colima, colima_salud]),
        # The state sheet writes the state's long name; the gazetteer knows it is Sonora.
        "Sonora": coneval_like_rows(
            "Sonora",
            [[row[0], "Estado de Sonora", *row[2:]] for row in (sonora_becas, sonora_salud)],
        ),
    }
    document = read(write_xlsx(tmp_path / "inventario.xlsx", sheets))
    return document, extract_catalog(document, mapping_from(tmp_path, XLSX_MAPPING))


def test_xlsx_programmes_repeated_across_sheets_are_read_once_with_all_their_evidence(xlsx_result):
    document, result = xlsx_result
    instruments = [e for e in result.extraction.entities if e.label == "Instrument"]
    assert len(instruments) == 4
    assert len({e.id for e in instruments}) == 4
    becas = [e for e in instruments if e.name == "Programa de Becas"]
    assert {e.territory for e in becas} == {"Colima", "Sonora"}
    colima_becas = next(e for e in becas if e.territory == "Colima")
    covers = next(
        r for r in result.extraction.relations
        if r.type == "COVERS" and r.source == colima_becas.id
    )
    territory_cells = [e for e in covers.evidence if e.field == "territory"]
    assert len(territory_cells) == 2
    assert len({e.passage_id for e in territory_cells}) == 2
    assert {normalize_name(e.quote).removeprefix("estado de ") for e in territory_cells} == {
        "colima"
    }
    assert len(result.extraction.passages) == 8
    assert sum("same programme as" in w for w in result.extraction.warnings) == 4
    assert_spans_are_exact(document, result.extraction)


def test_territories_take_the_gazetteer_name_and_keep_the_cell_as_alias(xlsx_result):
    _, result = xlsx_result
    extraction = result.extraction
    territories = by_label(extraction, "Territory")
    assert set(territories) == {"Colima", "Sonora"}
    sonora = territories["Sonora"]
    assert sonora.id == entity_id("Territory", "Sonora", "MX")
    assert (sonora.kind, sonora.aliases) == ("region", ["Estado de Sonora"])
    assert {m.text for m in extraction.mentions if m.entity_id == sonora.id} == {
        "Sonora", "Estado de Sonora",
    }
    federal = next(e for e in extraction.entities if e.label == "Institution"
                   and e.level == "national")
    assert federal.aliases == ["Secretaría de Salud (Federal)"]


def test_xlsx_title_blocks_are_skipped_and_header_found_below_them(xlsx_result):
    _, result = xlsx_result
    per_sheet = Counter(s.sheet for s in result.skipped)
    # The blank row of each title block is dropped by the reader: three title rows remain.
    assert per_sheet == {"Nacional": 3, "Colima": 3, "Sonora": 3}
    assert {s.reason for s in result.skipped} == {"above the header row (title block)"}


def test_state_agencies_are_keyed_by_state_and_federal_ones_are_national(xlsx_result):
    _, result = xlsx_result
    institutions = [e for e in result.extraction.entities if e.label == "Institution"]
    state_health = [
        e for e in institutions if e.name == "Secretaría de Salud" and e.level == "regional"
    ]
    assert {e.territory for e in state_health} == {"Colima", "Sonora"}
    federal = [e for e in institutions if e.level == "national"]
    assert [(e.name, e.territory) for e in federal] == [("Secretaría de Salud", None)]
    assert federal[0].id == entity_id("Institution", "Secretaría de Salud", "MX")
    names = {e.name for e in institutions}
    assert {"Servicios de Salud", "Sistema Estatal DIF"} <= names
    assert "No Disponible" not in names


def test_xlsx_numbers_and_catalogue_facets(xlsx_result):
    _, result = xlsx_result
    instruments = {(e.name, e.territory): e for e in result.extraction.entities
                   if e.label == "Instrument"}
    sonora_becas = instruments[("Programa de Becas", "Sonora")]
    assert sonora_becas.budget == 1200000.5
    assert sonora_becas.period == "2018"
    assert "scholarship" in sonora_becas.support_types
    assert {"students", "low_income_households"} <= set(sonora_becas.target_groups)
    assert "education" in sonora_becas.themes
    vacunacion = instruments[("Vacunación Universal", "Sonora")]
    assert vacunacion.budget == 300.0
    assert "general_population" in vacunacion.target_groups
    assert "service_provision" in vacunacion.support_types


def test_ragged_rows_empty_rows_and_repeated_headers_in_a_hand_built_document():
    rows = [
        ["Programa", "Institución responsable", "Región"],
        ["Plan Uno", "Ministerio de Hacienda"],
        ["Plan Dos", "Ministerio de Hacienda", "Región Imaginaria", "sobrante"],
        ["", "", ""],
        ["Programa", "Institución responsable", "Región"],
    ]
    text_rows, tables_rows, position = [], [], 0
    for cells in rows:
        line = "\t".join(cells)
        tables_rows.append(TableRow(cells=cells, start=position, end=position + len(line)))
        text_rows.append(line)
        position += len(line) + 1
    document = Document(
        path="hecho-a-mano.csv", format="csv", sha256="ab" * 32, text="\n".join(text_rows),
        tables=[Table(rows=tables_rows)],
    )
    mapping = ColumnMapping(
        name="hand", columns={"name": ["Programa"], "responsible": ["Institución responsable"],
                              "territory": ["Región"]},
        level="national", country="CL",
    )
    result = extract_catalog(document, mapping)
    instruments = by_label(result.extraction, "Instrument")
    assert instruments["Plan Uno"].territory is None
    assert instruments["Plan Dos"].territory == "Región Imaginaria"
    assert instruments["Plan Dos"].level == "national"
    assert any("row 3" in w and "beyond the last header column" in w
               for w in result.extraction.warnings)
    assert [(s.row, s.reason) for s in result.skipped] == [
        (4, "empty row"), (5, "repeated header row"),
    ]
    assert_spans_are_exact(document, result.extraction)


def test_a_single_value_field_reads_the_first_of_its_columns_that_has_a_value(tmp_path: Path):
    rows = [
        ["Programa", "Presupuesto ejercido", "Presupuesto original"],
        ["Plan Uno", "No Disponible", "500"],
        ["Plan Dos", "750", "900"],
    ]
    document = read(write_csv(tmp_path / "presupuestos.csv", rows, delimiter=","))
    mapping = ColumnMapping(
        name="fallback",
        columns={"name": ["Programa"],
                 "budget": ["Presupuesto ejercido", "Presupuesto original"]},
    )
    budgets = {e.name: e.budget for e in extract_catalog(document, mapping).extraction.entities}
    assert budgets == {"Plan Uno": 500.0, "Plan Dos": 750.0}


def test_a_row_whose_span_does_not_hold_its_cells_is_an_error_naming_the_file():
    document = Document(
        path="roto.csv", format="csv", sha256="cd" * 32, text="Programa\nOtro texto",
        tables=[Table(rows=[TableRow(cells=["Programa"], start=0, end=8),
                            TableRow(cells=["Plan"], start=9, end=13)])],
    )
    mapping = ColumnMapping(name="m", columns={"name": ["Programa"]})
    with pytest.raises(CatalogError, match=r"roto\.csv: row 2"):
        extract_catalog(document, mapping)


def test_guessed_mapping_on_english_headers(tmp_path: Path):
    rows = [
        ["Programme name", "Responsible agency", "Objective", "Target group",
         "Type of support", "State", "Budget (USD)", "Year"],
        ["Export Boost", "Ministry of Trade", "Help SMEs export", "SMEs", "Loan",
         "Jalisco", "USD 2,500,000", "2021"],
        ["Seed Fund", "Innovation Agency", "Finance startups", "Entrepreneurs", "Grant",
         "Jalisco", "750000", "2022"],
    ]
    document = read(write_csv(tmp_path / "programmes.csv", rows))
    mapping = detect_mapping(document)
    assert mapping is not None and mapping.name == "guessed"
    assert mapping.columns == {
        "name": ["Programme name"], "responsible": ["Responsible agency"],
        "objective": ["Objective"], "target_groups": ["Target group"],
        "support_types": ["Type of support"], "territory": ["State"],
        "budget": ["Budget (USD)"], "year": ["Year"],
    }
    assert mapping.level == "regional"
    result = extract_catalog(document, mapping)
    instruments = by_label(result.extraction, "Instrument")
    assert instruments["Export Boost"].budget == 2500000.0
    assert instruments["Export Boost"].support_types == ["loan"]
    assert "smes" in instruments["Export Boost"].target_groups
    assert instruments["Seed Fund"].support_types == ["grant"]
    assert set(by_label(result.extraction, "Institution")) == {
        "Ministry of Trade", "Innovation Agency",
    }


def test_guessed_mapping_prefers_the_closest_header_and_reads_below_a_title(tmp_path: Path):
    rows = [
        ["Listado de programas vigentes"],
        ["Código del programa", "Nombre del programa", "Tipo de programa",
         "¿Referencia en el presupuesto de egresos?", "Presupuesto aprobado", "Población objetivo"],
        ["P-01", "Crédito Joven", "Crédito", "Sí", "1000", "Jóvenes"],
    ]
    document = read(write_csv(tmp_path / "listado.csv", rows, delimiter=","))
    mapping = guess_mapping(document)
    assert mapping is not None
    assert mapping.columns["name"] == ["Nombre del programa"]
    assert mapping.columns["code"] == ["Código del programa"]
    assert mapping.columns["budget"] == ["Presupuesto aprobado"]
    assert mapping.columns["target_groups"] == ["Población objetivo"]
    result = extract_catalog(document, mapping)
    (instrument,) = [e for e in result.extraction.entities if e.label == "Instrument"]
    assert (instrument.code, instrument.budget) == ("P-01", 1000.0)
    assert instrument.id == entity_id("Instrument", "Crédito Joven P-01")


def test_a_table_without_a_name_column_is_not_an_inventory(tmp_path: Path):
    rows = [["Fecha", "Monto", "Observaciones"], ["2020-01-01", "100", "pago"]]
    document = read(write_csv(tmp_path / "pagos.csv", rows))
    assert detect_mapping(document) is None


def test_detect_mapping_prefers_a_user_mapping_that_matches(tmp_path: Path, csv_result):
    document, _ = csv_result
    user = mapping_from(tmp_path, SPANISH_MAPPING)
    assert detect_mapping(document, [user]) is user
    assert detect_mapping(document).name == "guessed"


def test_unselected_sheets_and_sheets_without_header_are_reported(tmp_path: Path):
    sheets = {
        "Programas": [["Nombre del programa", "Dependencia responsable", "Región"],
                      ["Plan Uno", "Secretaría de Turismo", "Colima"]],
        "Notas": [["Nota"], ["texto libre"]],
        "Resumen": [["Total", "1"]],
    }
    document = read(write_xlsx(tmp_path / "libro.xlsx", sheets))
    mapping = ColumnMapping(
        name="two_sheets", sheets=["Programas", "Notas"],
        columns={"name": ["Nombre del programa"], "responsible": ["Dependencia responsable"]},
    )
    result = extract_catalog(document, mapping)
    warnings = result.extraction.warnings
    assert any(w.startswith("Notas: no header row") and "2 rows were not read" in w
               for w in warnings)
    assert any("not read: Resumen" in w for w in warnings)
    assert [e.name for e in result.extraction.entities if e.label == "Instrument"] == ["Plan Uno"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("columns: [oops", "invalid YAML"),
        ("columns:\n  objective: Objetivo\n", "needs a 'name' column"),
        ("columns:\n  name: Programa\ncolour: red\n", "colour"),
        ("columns:\n  name: Programa\n  nickname: Alias\n", "columns.nickname"),
        ("columns:\n  name: Programa\ncountry: Mexico\n", "ISO 3166-1"),
        ("columns:\n  name: Programa\nlevel: federal\n", "level"),
    ],
)
def test_bad_mapping_files_raise_errors_naming_the_file(tmp_path: Path, content: str, problem: str):
    path = tmp_path / "bad_mapping.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$1,234.50", 1234.5),
        ("1.234,50", 1234.5),
        ("2.500.000", 2500000.0),
        ("1,5", 1.5),
        ("MXN 2 500", 2500.0),
        ("3,5 millones", 3500000.0),
        ("US$ 12 mil", 12000.0),
        ("19433623.19", 19433623.19),
        ("0", 0.0),
        ("No", None),
        ("1,2,3", None),
    ],
)
def test_parse_amount(text: str, amount: float | None):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "level"),
    [("Estatal", "regional"), ("Gobierno Federal", "national"), ("Municipal", "local"),
     ("Nacional", "national"), ("Internacional", "supranational"), ("Mixto", None)],
)
def test_parse_level(text: str, level: str | None):
    assert parse_level(text) == level


def test_the_coneval_mapping_is_shipped():
    names = [m.name for m in shipped_mappings()]
    assert "coneval_estatal_2018" in names


def _independent_coneval_keys(sheets: list[str] | None) -> tuple[set[tuple[str, str]], int]:
    """Distinct (state, programme name) keys and named rows, read with openpyxl directly."""
    workbook = openpyxl.load_workbook(CONEVAL, read_only=True)
    keys: set[tuple[str, str]] = set()
    rows_with_name = 0
    for sheet in workbook.worksheets:
        if sheets is not None and sheet.title not in sheets:
            continue
        columns: dict[str, int] | None = None
        for values in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).strip() for v in values]
            if columns is None:
                if "1. Nombre de la intervención" in cells:
                    columns = {c: i for i, c in enumerate(cells) if c}
                continue
            name = cells[columns["1. Nombre de la intervención"]]
            state = cells[columns["Entidad federativa"]]
            if name:
                rows_with_name += 1
                keys.add((normalize_name(state), normalize_name(name)))
    workbook.close()
    return keys, rows_with_name


@pytest.fixture(scope="module")
def coneval_document() -> Document:
    if not CONEVAL.is_file():
        pytest.skip(f"shared data not found at {CONEVAL}")
    return read(CONEVAL)


@pytest.mark.slow
def test_coneval_inventory_is_read_once_per_programme(coneval_document: Document):
    document = coneval_document
    mapping = detect_mapping(document)
    assert mapping is not None and mapping.name == "coneval_estatal_2018"
    result = extract_catalog(document, mapping)
    extraction = result.extraction
    keys, named_rows = _independent_coneval_keys(["IE_2018"])
    state_keys, _ = _independent_coneval_keys(
        [t.sheet for t in document.tables if t.sheet != "IE_2018"]
    )
    assert state_keys == keys  # the country-wide sheet holds every state's programmes
    instruments = [e for e in extraction.entities if e.label == "Instrument"]
    assert 1300 <= len(keys) <= named_rows <= 1500
    assert len(instruments) == len(keys)
    ids = [e.id for e in extraction.entities]
    assert len(ids) == len(set(ids))
    assert all(s.reason for s in result.skipped)
    assert len(extraction.passages) == named_rows
    assert_spans_are_exact(document, extraction)
    known = set(ids)
    assert all(r.source in known and r.target in known for r in extraction.relations)
    territories = [e for e in extraction.entities if e.label == "Territory"]
    assert len(territories) == len({state for state, _ in keys}) == 32
    assert all(e.level == "regional" and e.country == "MX" for e in instruments)
    assert sum(e.budget is not None for e in instruments) > 500
    institutions = [e for e in extraction.entities if e.label == "Institution"]
    assert not [e for e in institutions if normalize_name(e.name) in {"no disponible", "no aplica"}]
    assert any(e.level == "national" for e in institutions)


@pytest.mark.slow
def test_coneval_every_sheet_read_gives_the_same_instruments(coneval_document: Document):
    country_wide = detect_mapping(coneval_document)
    every_sheet = country_wide.model_copy(update={"sheets": []})
    first = extract_catalog(coneval_document, country_wide).extraction
    second = extract_catalog(coneval_document, every_sheet).extraction

    def instrument_ids(extraction: Extraction) -> set[str]:
        return {e.id for e in extraction.entities if e.label == "Instrument"}

    assert instrument_ids(second) == instrument_ids(first)
    assert len(second.passages) == 2 * len(first.passages)
