"""The explorer as a new user meets it, on a store ingested by the real pipeline from three
small documents written the way policy documents are (a CEPAL-style head of ``Distr.``,
``LIMITADA``, a symbol and a date; a panel sheet whose title is a ``Título de la sesión``
field; a report opening on a letter-spaced ``P R E S E N T A C I Ó N``; institutions
described at length). Each test is one defect a reader found:
properties that wrap a syllable a line, descriptions cut mid-sentence, English values,
an acronym in the URL, a search that ignores the address, passages that search does not
read, document titles, expanded views and filters that cannot be linked, large graphs
labelled everywhere, legends listing what is not drawn, reports without provenance."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from app.main import create_app
from app.services.ingest import ingest_paths, lexicon_for
from app.views.network import LABELLED_NODES, build_network
from app.views.page import render_network_page
from graph.stores.sqlite_store import SQLiteStore
from queries.results import Subgraph, SubgraphEdge, SubgraphNode
from tests.browser.chromium import NEEDS_CHROMIUM, Chromium, Page
from tests.browser.server import LiveServer
from tests.fixtures.explorer.browser import (
    assert_names_readable,
    assert_quiet,
    click,
    current_path,
    drawn_ids,
    keep_screenshot,
    open_drawn,
    screen_position,
    scroll_to_network,
)
from tests.fixtures.settings import settings_for

pytestmark = NEEDS_CHROMIUM

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "explorer" / "corpus"
CORFO = "inst:corporacion-de-fomento-de-la-produccion"
SERCOTEC = "inst:servicio-de-cooperacion-tecnica"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store written by the ingestion pipeline from the two fixture documents."""
    url = f"sqlite:///{tmp_path_factory.mktemp('defects') / 'tejido.db'}"
    store = SQLiteStore(url)
    try:
        summary = ingest_paths(store, [CORPUS], lexicon=lexicon_for())
    finally:
        store.close()
    assert summary.documents == 3 and not summary.failures
    return url


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings=settings_for(store_url))) as live:
        yield live


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    with Chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium: Chromium) -> Iterator[Page]:
    tab = chromium.new_page()
    try:
        yield tab
    finally:
        chromium.close_page(tab)


def texts(page: Page, selector: str) -> list[str]:
    """The text of every element ``selector`` matches."""
    return json.loads(page.evaluate(
        f"JSON.stringify(Array.prototype.map.call(document.querySelectorAll({json.dumps(selector)}),"
        " function (e) { return e.textContent.trim(); }))"))


def property_rows(page: Page) -> dict[str, str]:
    """The entity page's properties: Spanish name → value as shown."""
    rows = json.loads(page.evaluate(
        "JSON.stringify(Array.prototype.map.call(document.querySelectorAll("
        "'#tj-properties tr'), function (r) { return [r.querySelector('th').textContent,"
        " r.querySelector('td').textContent]; }))"))
    return {name.strip(): value.strip() for name, value in rows}


# --------------------------------------------------------------------------- entity page


def test_an_acronym_in_the_address_opens_the_entity_page(server: LiveServer, page: Page) -> None:
    page.open(server.url("/explore/entity/CORFO"))
    assert current_path(page) == f"/explore/entity/{CORFO}"
    assert page.evaluate("document.getElementById('tj-heading').textContent") == (
        "Corporación de Fomento de la Producción")
    page.open(server.url("/explore/entity/Fomento%20de%20la%20Producci%C3%B3n%20Inexistente"))
    assert current_path(page) == "/"  # a name that names nothing is a search
    assert page.evaluate("document.getElementById('tj-search').value").startswith("Fomento")


def test_property_names_stay_on_one_line_and_values_read_in_spanish(
    server: LiveServer, page: Page
) -> None:
    page.open(server.url(f"/explore/entity/{quote(CORFO, safe='')}"))
    lines = json.loads(page.evaluate(
        "JSON.stringify(Array.prototype.map.call(document.querySelectorAll("
        "'#tj-properties th'), function (th) { var r = document.createRange();"
        " r.selectNodeContents(th); var tops = {};"
        " Array.prototype.forEach.call(r.getClientRects(), function (b) {"
        " tops[Math.round(b.top)] = true; }); return Object.keys(tops).length; }))"))
    assert lines and all(count == 1 for count in lines), lines
    shown = property_rows(page)
    assert shown["Tipo"] == "agencia"
    assert shown["Sector"] == "público"
    assert shown["Nivel de gobierno"] == "Nacional"
    description = shown["Descripción"]
    assert description.endswith(("…", ".", "?", "!")), description[-40:]
    assert not description.rstrip(" …").endswith(",")
    assert len(description) <= 620
    for raw in ("agency", "public", "national"):
        assert raw not in shown.values()
    assert_quiet(page)


def test_an_expanded_view_is_a_link(server: LiveServer, page: Page) -> None:
    open_drawn(page, server.url(f"/explore/entity/{quote(CORFO, safe='')}"))
    scroll_to_network(page)
    before = drawn_ids(page)
    click(page, *screen_position(page, SERCOTEC))
    page.wait_until("document.body.dataset.expansions === '1'")
    expanded = drawn_ids(page)
    query = parse_qs(urlsplit(page.evaluate("location.href")).query)
    assert query["open"] == [SERCOTEC]
    link = page.evaluate("location.href")
    open_drawn(page, link)  # the link alone draws the expanded view
    assert drawn_ids(page) == expanded
    assert before <= expanded
    assert_quiet(page)


# --------------------------------------------------------------------------- search


def test_the_address_holds_the_search_and_passages_are_searched(
    server: LiveServer, page: Page
) -> None:
    page.open(server.url("/?q=fomento+productivo"))
    assert page.evaluate("document.getElementById('tj-search').value") == "fomento productivo"
    names = texts(page, "#tj-results a.tj-result")
    assert "Corporación de Fomento de la Producción" in names
    total = int(page.evaluate("document.getElementById('tj-results-block').dataset.total"))
    assert total == len(names) > 1
    facets = {item: count for item, count in zip(
        texts(page, "[data-facet=type] a.tj-facet"), texts(page, "[data-facet=type] "
                                                              ".tj-facet-count"), strict=True)}
    assert facets["Institución"] == str(sum(
        1 for meta in texts(page, "#tj-results .tx-meta") if meta.startswith("Institución")))
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=900,
              deviceScaleFactor=1, mobile=False)
    keep_screenshot(page, "explorer-search.png", "search.png")
    page.send("Emulation.clearDeviceMetricsOverride")
    # paging, one result a page: the next page is a link of its own
    page.open(server.url("/?q=fomento+productivo&limit=1"))
    first = texts(page, "#tj-results a.tj-result")
    page.open(server.url("/?q=fomento+productivo&limit=1")
              + "&offset=" + str(1))
    second = texts(page, "#tj-results a.tj-result")
    assert len(first) == len(second) == 1 and first != second
    assert page.evaluate("document.getElementById('tj-prev') !== null")
    assert_quiet(page)


def test_typing_keeps_the_address_in_step(server: LiveServer, page: Page) -> None:
    page.open(server.url("/"))
    before = page.evaluate("document.body.dataset.searched")
    page.evaluate("(function () { var i = document.getElementById('tj-search');"
                  " i.value = ''; i.focus(); })()")
    page.send("Input.insertText", text="sercotec")
    page.wait_until(f"document.body.dataset.searched !== {json.dumps(before)}")
    assert parse_qs(urlsplit(page.evaluate("location.href")).query)["q"] == ["sercotec"]
    assert texts(page, "#tj-results a.tj-result")[0] == "Servicio de Cooperación Técnica"


# --------------------------------------------------------------------------- documents


def test_documents_show_titles_read_from_their_text(server: LiveServer, page: Page) -> None:
    listed = httpx.get(server.url("/documents")).json()
    titles = []
    for doc in listed:
        page.open(server.url(f"/explore/document/{doc['id']}"))
        titles.append(page.evaluate("document.getElementById('tj-heading').textContent"))
    assert sorted(titles) == [  # not "Distr.", "Panel" nor "P R E S E N T A C I Ó N"
        "Coordinación multinivel del desarrollo productivo en Chile",
        "Informe anual de la Subsecretaría de Desarrollo Regional y Administrativo",
        "Mecanismos de diversificación productiva y nuevos modelos productivos",
    ]
    assert_quiet(page)


# --------------------------------------------------------------------------- analyses


def test_analysis_filters_are_a_link(server: LiveServer, page: Page) -> None:
    page.open(server.url("/explore/coordination"))
    page.events = [e for e in page.events if e["method"] != "Page.loadEventFired"]
    page.evaluate("(function () { var f = document.getElementById('tj-filters');"
                  " f.querySelector('[name=top]').value = '7';"
                  " f.querySelector('[name=country]').value = 'CL'; f.submit(); })()")
    page.wait_for_event("Page.loadEventFired")
    query = parse_qs(urlsplit(page.evaluate("location.href")).query)
    assert query["top"] == ["7"] and query["country"] == ["CL"]
    assert page.evaluate("document.querySelector('#tj-filters [name=top]').value") == "7"
    snippet = page.evaluate("document.getElementById('tj-snippet').value")
    assert 'src="/explore/view/coordination?' in snippet  # relative: works wherever served
    assert_quiet(page)


def test_the_report_page_takes_filters_and_sections_and_says_where_it_comes_from(
    server: LiveServer, page: Page
) -> None:
    page.open(server.url("/explore/report?country=CL&sections=summary,duplication"))
    provenance = page.evaluate("document.getElementById('tj-provenance').textContent")
    assert "country=CL" in provenance
    assert "Coordinación multinivel del desarrollo productivo en Chile" in provenance
    assert "sqlite:///" in provenance
    present = json.loads(page.evaluate(
        "JSON.stringify(['tj-summary', 'tj-coordination', 'tj-overlaps', 'tj-duplicates',"
        " 'tj-views'].filter(function (id) { return document.getElementById(id); }))"))
    assert present == ["tj-summary", "tj-duplicates"]
    assert "inst:" not in page.evaluate("document.querySelector('main').innerText")
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=1100,
              deviceScaleFactor=1, mobile=False)
    page.pump(0.5)
    keep_screenshot(page, "explorer-report.png", "report.png")
    page.send("Emulation.clearDeviceMetricsOverride")


def test_an_exported_view_says_when_from_which_store_documents_and_filters_it_comes(
    server: LiveServer, store_url: str, page: Page, tmp_path: Path
) -> None:
    response = httpx.get(server.url("/explore/view/coordination"),
                         params={"format": "standalone", "country": "CL", "top": "7"}, timeout=30)
    assert response.status_code == 200
    exported = tmp_path / "coordinacion.html"
    exported.write_bytes(response.content)
    page.open(exported.as_uri())
    provenance = page.evaluate("document.getElementById('tj-provenance').textContent")
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", provenance)  # the date it was made
    assert store_url in provenance
    assert "Coordinación multinivel del desarrollo productivo en Chile" in provenance
    assert "country=CL" in provenance and "top=7" in provenance


# --------------------------------------------------------------------------- large views


def large_neighbourhood() -> Subgraph:
    """A state body's neighbourhood at depth 2: 12 partners, each with 13 programmes."""
    nodes = [SubgraphNode(id="inst:dif", label="Institution", name="Sistema Estatal DIF",
                          level="regional", depth=0)]
    edges = []
    for i in range(12):
        partner = f"inst:p{i}"
        nodes.append(SubgraphNode(id=partner, label="Institution", name=f"Secretaría {i}",
                                  level="regional", depth=1))
        edges.append(SubgraphEdge(id=f"e{i}", source="inst:dif", target=partner,
                                  type="COORDINATES_WITH"))
        for j in range(13):
            programme = f"instr:p{i}-{j}"
            nodes.append(SubgraphNode(id=programme, label="Instrument",
                                      name=f"Programa estatal {i}-{j}", level="local", depth=2))
            edges.append(SubgraphEdge(id=f"r{i}-{j}", source=partner, target=programme,
                                      type="RESPONSIBLE_FOR"))
    return Subgraph(center="inst:dif", depth=2, nodes=nodes, edges=edges)


def test_a_large_view_labels_what_matters_collapses_groups_and_legends_what_it_draws(
    page: Page, tmp_path: Path
) -> None:
    subgraph = large_neighbourhood()
    net = build_network(subgraph, "layered")
    exported = tmp_path / "grande.html"
    exported.write_text(render_network_page(net, title="t", heading="h", summary="",
                                            standalone=True), encoding="utf-8")
    open_drawn(page, exported.as_uri())
    labelled = page.evaluate("network.body.data.nodes.get().filter(function (n) {"
                             " return n.label; }).length")
    assert 0 < labelled <= LABELLED_NODES < len(subgraph.nodes)
    assert page.evaluate("network.body.data.nodes.get('inst:dif').label") == (
        "Sistema Estatal DIF")
    assert page.evaluate("document.body.dataset.clusters") == "12"
    assert_names_readable(page, at_least=10)  # no six names on one spot, none too small
    visible = page.evaluate("Object.keys(network.getPositions()).length")
    assert visible == 1 + 12 + 12  # the centre, its partners, one closed group each
    scroll_to_network(page)
    click(page, *screen_position(page, "cluster:inst:p0"))
    page.wait_until("document.body.dataset.clusters === '11'")
    assert page.evaluate("Object.keys(network.getPositions()).length") == visible - 1 + 13
    assert_names_readable(page, at_least=10)
    levels = texts(page, "#tj-legend ul.tj-legend-levels li")
    assert levels == ["Regional", "Local"]  # no supranational, national or missing level
    assert texts(page, "#tj-legend ul.tj-legend-labels li") == ["●Institución", "■Instrumento"]
    positions = [(n["x"], n["y"]) for n in net.nodes]
    assert len(set(positions)) == len(positions)  # no two nodes on one spot
    assert page.errors() == []
    assert_quiet(page)


def coordination_network() -> Subgraph:
    """A coordination network as large as the corpus's (118 nodes): eight groups of state
    bodies, each group responsible for the same programmes, and six international bodies."""
    nodes, edges = [], []
    for g in range(8):
        bodies = [f"inst:s{g}-{i}" for i in range(4)]
        for i, body in enumerate(bodies):
            name = f"Secretaría de Desarrollo Económico del Estado {g}-{i}"
            nodes.append(SubgraphNode(id=body, label="Institution", level="regional", depth=0,
                                      name=name))
        for j in range(10):
            programme = f"instr:s{g}-{j}"
            name = f"Programa de apoyo a la productividad {g}-{j}"
            nodes.append(SubgraphNode(id=programme, label="Instrument", level="regional",
                                      depth=1, name=name))
            edges += [SubgraphEdge(id=f"{body}>{programme}", source=body, target=programme,
                                   type="RESPONSIBLE_FOR") for body in bodies[:2 + j % 3]]
    for k in range(6):
        nodes.append(SubgraphNode(id=f"inst:x{k}", label="Institution", depth=0,
                                  level="supranational", name=f"Organismo internacional {k}"))
        edges.append(SubgraphEdge(id=f"x{k}", source=f"inst:x{k}", target=f"inst:s{k}-0",
                                  type="COORDINATES_WITH"))
    return Subgraph(center="", depth=1, nodes=nodes, edges=edges)


@pytest.mark.parametrize("layout", ["physics", "layered"])
def test_a_fitted_network_of_a_hundred_nodes_shows_names_a_reader_can_read(
    page: Page, tmp_path: Path, layout: str
) -> None:
    subgraph = coordination_network()
    assert len(subgraph.nodes) == 118
    exported = tmp_path / f"coordinacion-{layout}.html"
    exported.write_text(render_network_page(build_network(subgraph, layout), title="t",
                                            heading="h", summary="", standalone=True),
                        encoding="utf-8")
    open_drawn(page, exported.as_uri())
    assert_names_readable(page, at_least=8)  # drawn at a size one reads, never overlapping
    spread = json.loads(page.evaluate(
        "JSON.stringify((function () { var p = network.getPositions(), xs = [];"
        " Object.keys(p).forEach(function (id) { xs.push(network.canvasToDOM(p[id]).x); });"
        " return [Math.max.apply(null, xs) - Math.min.apply(null, xs),"
        " network.canvas.frame.canvas.clientWidth]; })())"))
    assert spread[0] >= 0.6 * spread[1], spread  # the drawing uses the width it is given
    page.evaluate("network.moveTo({scale: network.getScale() * 3})")  # zoomed in: more room
    assert_names_readable(page, at_least=1)
    assert page.errors() == []
