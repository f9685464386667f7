"""Inventories ingested into SQLite stores, seen through the API, the pages and the CLI: rows'
evidence as fields with their column names, GAO categories, the territory filter and the
territory beside each programme and institution."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from graph.stores import open_store
from loaders.ingest import ingest
from tests.fixtures.settings import ingested_store, settings_for

CDMX = Path(__file__).parent / "fixtures" / "inventories" / "cdmx_programas_sociales.csv"


@pytest.fixture(scope="module")
def inventory_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return ingested_store(tmp_path_factory.mktemp("inventory") / "tejido.db", [CDMX])


@pytest.fixture(scope="module")
def client(inventory_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings=settings_for(inventory_url))) as test_client:
        yield test_client


def test_duplicate_pairs_carry_the_rows_fields_with_their_columns(client: TestClient) -> None:
    response = client.get("/analysis/duplication", params={"top": 5})
    assert response.status_code == 200, response.text
    pairs = response.json()["pairs"]
    assert pairs
    for pair in pairs:
        for side in ("evidence_a", "evidence_b"):
            fields = {(e["field"], e["column"]) for e in pair[side]}
            assert {("name", "titulo"), ("responsible", "entidad")} <= fields
            assert all("\t" not in e["quote"] for e in pair[side])


def test_duplication_page_shows_fields_not_raw_rows(client: TestClient) -> None:
    response = client.get("/explore/duplication")
    assert response.status_code == 200
    html = response.text
    assert 'class="tj-row-fields"' in html
    assert "responsable <span class=\"tx-muted\">(entidad)</span>" in html
    assert "nombre <span class=\"tx-muted\">(titulo)</span>" in html
    assert "https://data.consejeria" not in html.split('class="tj-row-fields"', 1)[1].split(
        "</dl>", 1)[0]


def test_every_pair_has_its_category_and_criteria_in_json_csv_and_page(
    client: TestClient,
) -> None:
    answer = client.get("/analysis/duplication", params={"top": 10}).json()
    assert answer["pairs"] and "clusters" in answer
    for pair in answer["pairs"]:
        assert pair["category"] in ("duplication", "overlap", "fragmentation")
        assert pair["criteria"] and (
            ("same_body" in pair["criteria"]) == pair["same_institution"])
    csv_text = client.get("/analysis/duplication", params={"top": 10, "format": "csv"}).text
    header = csv_text.splitlines()[0].split(",")
    assert {"category", "criteria", "cluster"} <= set(header)
    html = client.get("/explore/duplication", params={"top": 10}).text
    assert html.count('class="tx-tag tj-category"') == len(answer["pairs"])
    assert html.count('class="tx-muted tj-criteria"') == len(answer["pairs"])


STATES_HEADER = ["Programa", "Dependencia", "Estado", "Objetivo", "Tipo de apoyo",
                 "Población objetivo"]
STATES_ROWS = [
    [f"{name} {state}", f"{agency} de {state}", state, objective, support, group]
    for state in ("Oaxaca", "Puebla")
    for name, agency, objective, support, group in (
        ("Becas de transporte", "Secretaría de Educación",
         "Apoyo económico mensual para el transporte de estudiantes universitarios",
         "Monetario", "Estudiantes"),
        ("Apoyo al transporte estudiantil", "Instituto de la Juventud",
         "Apoyo económico mensual al transporte de estudiantes universitarios de bajos "
         "recursos", "Monetario", "Estudiantes"),
        ("Comedores comunitarios", "Sistema DIF",
         "Raciones de comida caliente para familias en pobreza", "Especie", "Familias"),
    )
]


@pytest.fixture(scope="module")
def states_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("states")
    path = folder / "programas_estatales.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([STATES_HEADER, *STATES_ROWS])
    url = f"sqlite:///{folder / 'tejido.db'}"
    store = open_store(url)
    try:
        assert ingest([path], store).documents == 1
    finally:
        store.close()
    with TestClient(create_app(settings=settings_for(url))) as test_client:
        test_client.store_url = url  # type: ignore[attr-defined]
        yield test_client


def test_territory_filters_duplication_overlap_and_search(states_client: TestClient) -> None:
    every = states_client.get("/analysis/duplication", params={"top": 50}).json()["pairs"]
    assert {t for p in every for t in p["territories_a"] + p["territories_b"]} == {
        "Oaxaca", "Puebla"}
    oaxaca = states_client.get(
        "/analysis/duplication", params={"top": 50, "territory": "Oaxaca"}).json()
    assert oaxaca["filters"]["territory"] == "Oaxaca"
    assert len(oaxaca["pairs"]) == 3
    assert all(p["territories_a"] == p["territories_b"] == ["Oaxaca"] for p in oaxaca["pairs"])
    # containment: a country holds its states
    mexico = states_client.get(
        "/analysis/duplication", params={"top": 50, "territory": "México"}).json()
    assert len(mexico["pairs"]) == len(every)
    overlap = states_client.get(
        "/analysis/overlap", params={"top": 50, "territory": "Puebla"}).json()
    assert overlap["pairs"]
    assert all(p["territories_a"] == p["territories_b"] == ["Puebla"] for p in overlap["pairs"])
    found = states_client.get(
        "/entities", params={"q": "transporte", "territory": "Oaxaca"}).json()["items"]
    by_name = [item for item in found if item["matched"] == "name"]
    assert {item["name"] for item in by_name} == {
        "Becas de transporte Oaxaca", "Apoyo al transporte estudiantil Oaxaca"}
    assert all(item["territory"] == "Oaxaca" for item in by_name)
    assert found[: len(by_name)] == by_name  # names first, then passages and descriptions
    bad = states_client.get("/analysis/duplication", params={"territory": "<script>"})
    assert bad.status_code == 422 and "territory" in bad.text


def test_pages_keep_the_territory_and_institutions_filters(states_client: TestClient) -> None:
    html = states_client.get(
        "/explore/duplication", params={"territory": "Puebla", "institutions": "different"}).text
    assert 'name="territory" maxlength="120" placeholder="estado, región o municipio" ' \
        'value="Puebla"' in html
    assert '<option value="different" selected>' in html
    assert html.count('class="tj-territory">Puebla</span>') >= 2
    assert "Oaxaca" not in html.split('id="tj-pairs"', 1)[1].split("</ol>", 1)[0]
    overlap = states_client.get("/explore/overlap", params={"territory": "Oaxaca"}).text
    assert 'value="Oaxaca"' in overlap
    assert 'class="tj-territory">Oaxaca</span>' in overlap


def test_cli_query_takes_the_territory(states_client: TestClient) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    result = CliRunner().invoke(app, [
        "query", "duplication", "--store", states_client.store_url,  # type: ignore[attr-defined]
        "--territory", "Puebla", "--format", "json",
    ])
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.output)
    assert len(pairs) == 3
    assert all(p["territories_a"] == ["Puebla"] for p in pairs)
