"""The duplication page in Chromium on a store ingested from a small inventory of two states,
where three agencies of each state run the same student transport grant: the territory and
institutions filters in the address fill the form, submitting the form keeps them, the three
programmes of one state show as one cluster, and every pair shows its GAO category and the
territory beside each programme."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from app.main import create_app
from tests.browser.chromium import NEEDS_CHROMIUM, Chromium, Page
from tests.browser.server import LiveServer
from tests.fixtures.settings import ingested_store, settings_for

pytestmark = NEEDS_CHROMIUM

HEADER = ["Programa", "Dependencia", "Estado", "Objetivo", "Tipo de apoyo", "Población objetivo"]
GRANTS = (
    ("Transporte para estudiantes", "Secretaría de Educación",
     "Apoyo económico mensual para el transporte de estudiantes universitarios"),
    ("Apoyo al transporte estudiantil", "Instituto de la Juventud",
     "Apoyo económico mensual al transporte diario de estudiantes universitarios"),
    ("Pase estudiantil", "Secretaría de Movilidad",
     "Apoyo económico mensual para el transporte público de estudiantes universitarios"),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("states")
    path = folder / "programas_estatales.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *(
            [f"{name} {state}", f"{agency} de {state}", state, objective, "Monetario",
             "Estudiantes"]
            for state in ("Oaxaca", "Puebla") for name, agency, objective in GRANTS)])
    url = ingested_store(folder / "tejido.db", [path])
    with LiveServer(create_app(settings=settings_for(url))) as live:
        yield live


def _form(page: Page) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries(['territory', 'institutions', 'verdict'].map(n => "
        "[n, document.querySelector(`form [name=${n}]`).value]))")


def _shown(page: Page) -> dict[str, object]:
    return page.evaluate("""({
        clusters: Array.from(document.querySelectorAll('#tj-clusters li.tx-cluster'))
            .map(li => li.dataset.members.split(' ').length),
        pairs: document.querySelectorAll('li.tx-duplicate').length,
        categories: Array.from(document.querySelectorAll('li.tx-duplicate .tj-category'))
            .map(tag => tag.dataset.category),
        places: Array.from(new Set(Array.from(
            document.querySelectorAll('#tj-pairs .tj-territory')).map(s => s.textContent))),
    })""")


def test_the_form_keeps_territory_and_institutions_and_shows_clusters(
    server: LiveServer,
) -> None:
    with Chromium() as browser:
        page = browser.new_page()
        page.open(server.url("/explore/duplication?territory=Puebla"))
        assert _form(page) == {"territory": "Puebla", "institutions": "different",
                               "verdict": "any"}
        shown = _shown(page)
        assert shown["clusters"] == [3]
        assert shown["pairs"] == 3 and shown["places"] == ["Puebla"]
        assert set(shown["categories"]) <= {"duplication", "overlap", "fragmentation"}
        assert len(shown["categories"]) == 3

        page.evaluate("""(() => {
            const form = document.querySelector('form [name=territory]').form;
            form.elements.territory.value = 'Oaxaca';
            form.elements.institutions.value = 'any';
            form.requestSubmit();
        })()""")
        page.wait_until("location.search.includes('Oaxaca') && document.readyState === "
                        "'complete' && !!document.querySelector('form [name=territory]')")
        query = parse_qs(urlsplit(page.evaluate("location.href")).query)
        assert query["territory"] == ["Oaxaca"] and query["institutions"] == ["any"]
        assert _form(page)["territory"] == "Oaxaca"
        assert _form(page)["institutions"] == "any"
        shown = _shown(page)
        assert shown["places"] == ["Oaxaca"] and shown["clusters"] == [3]
        assert not page.errors()
        browser.close_page(page)


def test_the_csv_of_the_page_keeps_its_filters(server: LiveServer) -> None:
    import httpx

    answer = httpx.get(server.url("/analysis/duplication"),
                       params={"territory": "Oaxaca", "format": "csv"})
    assert answer.status_code == 200
    rows = list(csv.DictReader(answer.text.splitlines()))
    assert len(rows) == 3
    assert all(r["territory_a"] == r["territory_b"] == "Oaxaca" for r in rows)
    assert all(r["category"] in ("duplication", "overlap", "fragmentation") for r in rows)
