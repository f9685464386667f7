"""Responsibility tables: column roles, tab-separated rows with carried-forward cells, tables
whose cells PDF extraction stacked as paragraphs, numbered activities, and the relations the
pipeline draws from them.

Fixtures (tests/fixtures/extract/): ``plan_accion.txt`` (two projects, each with a tab table;
blank responsible cells), ``calendario_actividades.txt`` (ACTIVIDAD / OBJETIVOS /
ORGANIZADORES / LUGAR Y FECHA stacked).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import Extraction
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.extract.pipeline import extract_document
from loaders.extract.tables import (
    Cell,
    column_role,
    find_table_rows,
    split_activities,
    sublist_items,
)
from loaders.read import read
from tests.fixtures.invented import relation_pairs as triples

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
SERVICIO = "Servicio Regional de Fomento Lacustre"
MUNI = "Municipalidad de Puerto Aldana"
INSTITUTO = "Instituto de Investigación Pesquera del Sur"
CAMARA = "Cámara de Turismo de Bahía Serena"
SUBSE = "Subsecretaría de Turismo"


def cell_texts(text: str) -> list[dict[str, str]]:
    rows = find_table_rows(text)
    for row in rows:
        for cell in row.cells.values():
            assert text[cell.start : cell.end] == cell.text
    return [{role: cell.text for role, cell in row.cells.items()} for row in rows]


# --- column roles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Responsable", "responsible"),
        ("Instituciones responsables", "responsible"),
        ("ORGANIZADORES", "responsible"),
        ("Corresponsable", "co_responsible"),
        ("Co-responsables", "co_responsible"),
        ("Actividades:", "activity"),
        ("Objetivo específico", "objective"),
        ("Lugar y fecha", "place_date"),
        ("Presupuesto", None),
    ],
)
def test_column_roles_from_headers(header: str, role: str | None) -> None:
    assert column_role(header) == role


# --- tab-separated tables -------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_text() -> str:
    return (FIXTURES / "plan_accion.txt").read_text(encoding="utf-8")


def test_tab_rows_carry_the_responsible_forward_within_a_group(plan_text: str) -> None:
    rows = cell_texts(plan_text)
    first_project = [r for r in rows if r["activity"].startswith("1.")]
    assert [r["activity"] for r in first_project] == [
        "1.1 Diagnóstico de caletas del litoral",
        "1.2 Talleres de capacitación para pescadores",
        "1.3 Mesa técnica de seguimiento",
    ]
    assert [r["responsible"] for r in first_project] == [SERVICIO] * 3
    assert [r["objective"] for r in first_project] == ["Mejorar la gestión de las caletas"] * 3
    assert [r.get("co_responsible") for r in first_project] == [MUNI, INSTITUTO, "No se aplica"]


def test_inherited_cells_are_marked(plan_text: str) -> None:
    rows = find_table_rows(plan_text)
    assert [sorted(r.inherited) for r in rows[:3]] == [
        [], ["objective", "responsible"], ["objective", "responsible"]
    ]


def test_a_heading_ends_the_group_so_nothing_is_inherited_across_it(plan_text: str) -> None:
    rows = cell_texts(plan_text)
    route = next(r for r in rows if r["activity"].startswith("2.1"))
    assert "responsible" not in route
    assert route["co_responsible"] == CAMARA
    fair = next(r for r in rows if r["activity"].startswith("2.2"))
    assert fair["responsible"] == CAMARA
    assert fair["objective"] == "Diversificar los ingresos de las familias"


def test_tables_are_numbered_in_document_order(plan_text: str) -> None:
    rows = find_table_rows(plan_text)
    assert [r.table_index for r in rows] == [1, 1, 1, 2, 2]


def test_text_between_tables_ends_the_group() -> None:
    text = (
        "Actividad\tResponsable\n"
        "Feria del mar\tCámara de Turismo\n"
        "\tServicio Regional\n"
        "Las demás actividades quedan por definir.\n"
        "Ruta costera\t\n"
    )
    rows = cell_texts(text)
    assert rows[-1] == {"activity": "Ruta costera"}


def test_rows_before_any_header_are_not_table_rows() -> None:
    text = "Nombre\tValor\nPeces\t20\nActividad\tResponsable\nFeria\tCámara de Turismo\n"
    assert cell_texts(text) == [{"activity": "Feria", "responsible": "Cámara de Turismo"}]


# --- stacked tables -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calendar_text() -> str:
    return (FIXTURES / "calendario_actividades.txt").read_text(encoding="utf-8")


def test_stacked_cells_become_rows_by_role(calendar_text: str) -> None:
    assert cell_texts(calendar_text) == [
        {
            "activity": "1. Encuentro Regional de Cooperativas Pesqueras",
            "objective": "Intercambiar experiencias de gestión entre las cooperativas del litoral.",
            "responsible": SERVICIO,
            "place_date": "Puerto Aldana, marzo de 2024",
        },
        {
            "activity": "2. Seminario de Innovación Acuícola",
            "objective": "Difundir técnicas de cultivo sostenible en las caletas.",
            "responsible": f"{INSTITUTO}, {CAMARA}",
            "place_date": "Bahía Serena, junio de 2024",
        },
    ]


def test_stacked_header_broken_as_lugar_y_then_fecha() -> None:
    text = (
        "ACTIVIDAD\n\nOBJETIVOS\n\nORGANIZADORES\n\nLUGAR Y\n\nFECHA\n\n"
        "1. Feria del Mar\n\nVender productos de las caletas.\n\n"
        f"{CAMARA}\n\nBahía Serena, mayo de 2024\n"
    )
    assert cell_texts(text) == [
        {
            "activity": "1. Feria del Mar",
            "objective": "Vender productos de las caletas.",
            "responsible": CAMARA,
            "place_date": "Bahía Serena, mayo de 2024",
        }
    ]


def test_text_after_a_stacked_table_is_not_part_of_its_last_cell() -> None:
    text = (
        "ACTIVIDAD\n\nOBJETIVOS\n\nORGANIZADORES\n\nLUGAR Y FECHA\n\n"
        "1. Feria del Mar\n\nVender productos de las caletas.\n\n"
        f"{CAMARA}\n\nBahía Serena, mayo de 2024\n\n"
        "Las actividades se financian con recursos propios de cada institución participante.\n"
    )
    assert cell_texts(text)[-1]["place_date"] == "Bahía Serena, mayo de 2024"


# --- activities inside cells ----------------------------------------------------------------


def test_numbered_activities_in_one_cell_are_split_with_their_codes() -> None:
    text = "18.1 Diagnóstico de caletas 18.2 Talleres de capacitación – Manual de buenas prácticas"
    cell = Cell(text, 100, 100 + len(text))
    activities = split_activities(cell)
    assert [(a.code, a.name) for a in activities] == [
        ("18.1", "Diagnóstico de caletas"),
        ("18.2", "Talleres de capacitación"),
    ]
    for a in activities:
        assert text[a.start - 100 : a.end - 100] == a.name
    assert [c.text for c in sublist_items(cell)] == ["Manual de buenas prácticas"]


def test_an_unnumbered_activity_is_the_trimmed_cell() -> None:
    activities = split_activities(Cell("  Feria anual del mar  ", 10, 33))
    assert [(a.name, a.start, a.end, a.code) for a in activities] == [
        ("Feria anual del mar", 12, 31, None)
    ]


# --- relations from tables ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


def extract_fixture(name: str, lexicon: Lexicon) -> Extraction:
    return extract_document(read(FIXTURES / name), lexicon)



@pytest.fixture(scope="module")
def plan(lexicon: Lexicon) -> Extraction:
    return extract_fixture("plan_accion.txt", lexicon)


def test_responsible_and_co_responsible_relations_from_the_tab_table(plan: Extraction) -> None:
    assert triples(plan, "RESPONSIBLE_FOR") == {
        (SERVICIO, "Diagnóstico de caletas del litoral"),
        (SERVICIO, "Talleres de capacitación para pescadores"),
        (SERVICIO, "Mesa técnica de seguimiento"),
        (CAMARA, "Feria anual de productos del mar"),
    }
    assert triples(plan, "CO_RESPONSIBLE_FOR") == {
        (MUNI, "Diagnóstico de caletas del litoral"),
        (INSTITUTO, "Talleres de capacitación para pescadores"),
        (CAMARA, "Ruta gastronómica de la costa"),
        (SUBSE, "Feria anual de productos del mar"),
    }


def test_activities_keep_their_codes_and_objectives(plan: Extraction) -> None:
    by_name = {e.name: e for e in plan.entities}
    talleres = by_name["Talleres de capacitación para pescadores"]
    assert talleres.code == "1.2"
    # the objective column is the group's goal, kept apart from the activity's own text
    assert talleres.extra["group_objective"] == "Mejorar la gestión de las caletas"
    assert talleres.objective is None
    assert by_name["Feria anual de productos del mar"].code == "2.2"


def test_no_se_aplica_names_no_institution(plan: Extraction) -> None:
    assert not [e for e in plan.entities if "aplica" in e.name.lower()]


def test_table_relations_quote_their_row(plan: Extraction) -> None:
    text = plan.document.text
    for rel in plan.relations:
        if rel.type in ("RESPONSIBLE_FOR", "CO_RESPONSIBLE_FOR"):
            for ev in rel.evidence:
                assert ev.extractor == "table"
                assert ev.quote == text[ev.start : ev.end]
                assert "\t" in ev.quote and "\n" not in ev.quote


def test_activities_belong_to_the_project_of_their_section(plan: Extraction) -> None:
    part_of = triples(plan, "PART_OF")
    assert ("Diagnóstico de caletas del litoral", "Fortalecimiento de caletas pesqueras") in part_of
    assert ("Ruta gastronómica de la costa", "Turismo costero") in part_of
    assert ("Feria anual de productos del mar", "Turismo costero") in part_of
    assert ("Ruta gastronómica de la costa", "Fortalecimiento de caletas pesqueras") not in part_of


@pytest.fixture(scope="module")
def calendar(lexicon: Lexicon) -> Extraction:
    return extract_fixture("calendario_actividades.txt", lexicon)


def test_organisers_of_a_stacked_table_are_responsible(calendar: Extraction) -> None:
    assert triples(calendar, "RESPONSIBLE_FOR") == {
        (SERVICIO, "Encuentro Regional de Cooperativas Pesqueras"),
        (INSTITUTO, "Seminario de Innovación Acuícola"),
        (CAMARA, "Seminario de Innovación Acuícola"),
    }


def test_an_organisers_cell_names_no_person(calendar: Extraction) -> None:
    assert [e.name for e in calendar.entities if e.label == "Person"] == []
    assert triples(calendar, "AFFILIATED_WITH") == set()
