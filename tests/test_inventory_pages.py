"""An inventory ingested into a SQLite store, seen through the API and the explorer pages:
its rows' evidence as fields with their column names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from graph.stores import open_store
from loaders.ingest import ingest
from tests.fixtures.settings import settings_for

CDMX = Path(__file__).parent / "fixtures" / "inventories" / "cdmx_programas_sociales.csv"


@pytest.fixture(scope="module")
def inventory_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('inventory') / 'tejido.db'}"
    store = open_store(url)
    try:
        summary = ingest([CDMX], store)
    finally:
        store.close()
    assert summary.documents == 1 and not summary.failures
    return url


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
