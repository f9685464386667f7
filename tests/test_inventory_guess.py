"""Inventories of any layout: the header row found by its column names and the typed data
below it, columns mapped by name and by content, ``tejido inspect`` and ``--mapping``."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from app.cli import app
from graph.stores import open_store
from loaders.catalog import extract_catalog
from loaders.inventory_guess import cell_kind, guess_layout, guess_mapping, is_label
from loaders.read import read

CDMX = Path(__file__).parent / "fixtures" / "inventories" / "cdmx_programas_sociales.csv"


def cdmx_rows() -> list[list[str]]:
    with CDMX.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def flat(output: str) -> str:
    return " ".join(output.split())


def test_cdmx_inventory_every_row_read_with_title_as_name_and_entidad_as_responsible():
    header, *data = cdmx_rows()
    document = read(CDMX)
    mapping = guess_mapping(document)
    assert mapping is not None
    assert mapping.columns["name"] == ["titulo"]
    assert mapping.columns["responsible"] == ["entidad"]
    assert "num_beneficiarios" not in {h for hs in mapping.columns.values() for h in hs}
    result = extract_catalog(document, mapping)
    assert result.skipped == []
    extraction = result.extraction
    names = {e.name for e in extraction.entities if e.label == "Instrument"}
    assert names == {row[header.index("titulo")] for row in data}
    responsible = {
        (r.source, r.target) for r in extraction.relations if r.type == "RESPONSIBLE_FOR"
    }
    by_id = {e.id: e.name for e in extraction.entities}
    assert {(by_id[a], by_id[b]) for a, b in responsible} == {
        (row[header.index("entidad")], row[header.index("titulo")]) for row in data
    }
    levels = {e.name: e.level for e in extraction.entities if e.label == "Instrument"}
    assert levels["Tlalpan Solidario"] == "local"
    assert levels["Seguro de Desempleo"] == "regional"


def test_a_long_inventory_keeps_its_first_row_as_header(tmp_path: Path):
    """Data rows whose long cells are full of field words never beat the header row."""
    header, *data = cdmx_rows()
    rows = [header]
    for copy in range(6):
        for row in data:
            changed = list(row)
            changed[header.index("titulo")] = f"{row[header.index('titulo')]} {copy}"
            changed[header.index("descripcion")] = (
                "Programa de apoyo económico: nombre del programa, población objetivo, tipo de "
                "apoyo, dependencia responsable, presupuesto y año. " + row[8]
            )
            rows.append(changed)
    document = read(write_csv(tmp_path / "programas.csv", rows))
    layout = guess_layout(document)
    assert layout is not None and layout.header_index == 0
    result = extract_catalog(document, guess_mapping(document))
    assert result.skipped == []
    assert sum(e.label == "Instrument" for e in result.extraction.entities) == len(rows) - 1


def test_a_plain_xlsx_header_below_a_title_with_states_found_by_content(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Programas"
    sheet.append(["Padrón de programas sociales estatales"])
    sheet.append([])
    sheet.append(["Programa", "Entidad", "Estado", "Monto autorizado", "Objetivo"])
    sheet.append(["Becas Benito", "Secretaría de Educación", "Jalisco", 1500000,
                  "Becas para estudiantes de bachillerato"])
    sheet.append(["Mujeres Jefas de Familia", "Instituto de las Mujeres", "Oaxaca", 250000,
                  "Apoyo a madres solas"])
    sheet.append(["Comedores", "Sistema DIF", "Jalisco", 900000, "Comida caliente"])
    workbook.save(tmp_path / "padron.xlsx")
    document = read(tmp_path / "padron.xlsx")
    mapping = guess_mapping(document)
    assert mapping is not None
    assert mapping.columns["territory"] == ["Estado"]
    assert mapping.columns["responsible"] == ["Entidad"]
    assert mapping.country == "MX"
    result = extract_catalog(document, mapping)
    assert result.skipped and {s.reason for s in result.skipped} == {
        "above the header row (title block)"
    }
    instruments = {e.name: e for e in result.extraction.entities if e.label == "Instrument"}
    assert set(instruments) == {"Becas Benito", "Mujeres Jefas de Familia", "Comedores"}
    assert instruments["Becas Benito"].territory == "Jalisco"
    assert instruments["Becas Benito"].budget == 1500000.0


def test_entidad_of_states_is_the_territory_and_a_nivel_of_other_values_is_not_read(
    tmp_path: Path,
):
    rows = [
        ["nombre", "entidad", "nivel", "dependencia"],
        ["Crédito a la palabra", "Chiapas", "A", "Secretaría de Economía"],
        ["Seguro Popular Estatal", "Yucatán", "B", "Secretaría de Salud"],
        ["Empleo temporal", "Chiapas", "A", "Secretaría del Trabajo"],
        ["Apoyo al campo", "Yucatán", "B", "Secretaría de Agricultura"],
    ]
    document = read(write_csv(tmp_path / "inv.csv", rows))
    layout = guess_layout(document)
    assert layout is not None
    read_as = {c.header: (c.field, c.reason) for c in layout.columns}
    assert read_as["entidad"][0] == "territory"
    assert "gazetteer" in read_as["entidad"][1]
    assert read_as["nivel"] == (None, "not read: its values are not levels of government")
    assert read_as["dependencia"][0] == "responsible"


def test_cell_kinds_and_labels():
    assert cell_kind("2019-01-31") == "date"
    assert cell_kind("31 de enero de 2019") == "date"
    assert cell_kind("2019") == "year"
    assert cell_kind("$ 150,000,000.00") == "amount"
    assert cell_kind("https://example.org/a.pdf") == "url"
    assert cell_kind("Secretaría de Salud") == "text"
    assert is_label("num_beneficiarios")
    assert not is_label("12000")
    assert not is_label("Programa que otorga raciones de comida a bajo costo a personas de")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_inspect_shows_header_mapping_and_three_samples(runner: CliRunner):
    header, *data = cdmx_rows()
    result = runner.invoke(app, ["inspect", str(CDMX)])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "header row 1" in text
    assert "entidad │ responsible" in text
    assert "titulo │ name" in text
    assert f"{len(data)} programmes" in text
    assert text.count("sample ") == 3
    for row in data[:3]:
        assert f"name: {row[header.index('titulo')]}" in text
    assert f"name: {data[3][header.index('titulo')]}" not in text


def test_a_user_mapping_overrides_the_guess_in_inspect_and_ingest(
    runner: CliRunner, tmp_path: Path
):
    header, *data = cdmx_rows()
    mapping = tmp_path / "cdmx.yaml"
    mapping.write_text(
        "name: cdmx_gaceta\ncolumns:\n  name: subtitulo\n  responsible: entidad\n"
        "  objective: descripcion\nlevel: regional\ncountry: MX\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["inspect", str(CDMX), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "mapping 'cdmx_gaceta'" in flat(result.output)
    assert "subtitulo │ name" in flat(result.output)
    store = f"sqlite:///{tmp_path / 'tejido.db'}"
    result = runner.invoke(app, ["ingest", str(CDMX), "--store", store, "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    db = open_store(store)
    try:
        names = {e.name for e in db.entities(label="Instrument")}
    finally:
        db.close()
    assert names == {row[header.index("subtitulo")] for row in data}


def test_a_broken_mapping_file_is_an_error_naming_it(runner: CliRunner, tmp_path: Path):
    broken = tmp_path / "roto.yaml"
    broken.write_text("columns: [", encoding="utf-8")
    result = runner.invoke(app, ["inspect", str(CDMX), "--mapping", str(broken)])
    assert result.exit_code == 2
    assert "roto.yaml" in "".join(result.output.split())


def test_inspect_of_a_table_without_programme_names_says_so(runner: CliRunner, tmp_path: Path):
    path = write_csv(tmp_path / "pagos.csv", [["Fecha", "Monto"], ["2020-01-01", "100"]])
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 1
    assert "--mapping" in flat(result.output)
