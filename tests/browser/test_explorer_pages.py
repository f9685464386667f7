"""The explorer in a real browser: search as you type, entity pages whose nodes expand and
open, analysis pages drawing the expected networks, evidence links, hostile names as text,
and nothing requested from anywhere but the server."""

from __future__ import annotations

import json
from urllib.parse import quote

from queries.duplication import find_duplicates
from queries.overlap import find_overlaps
from tests.browser.chromium import NEEDS_CHROMIUM, Page
from tests.browser.server import LiveServer
from tests.fixtures.explorer import harness
from tests.fixtures.explorer.browser import (
    assert_quiet,
    click,
    click_and_load,
    current_path,
    drawn_ids,
    edge_midpoint,
    hover_tooltip,
    keep_screenshot,
    open_drawn,
    outside_requests,
    screen_position,
    scroll_to_network,
)
from tests.fixtures.explorer.dataset import (
    BARRIOS,
    BONO,
    CORFO,
    FONDO,
    GORE,
    HOSTILE,
    HOSTILE_INSTITUTION,
    HOSTILE_INSTRUMENT,
    MESA,
    MUNI,
    NEIGHBOURS,
    RELATIONS,
    SEMILLA,
    SERCOTEC,
    TEXT,
    TIED,
)

pytestmark = NEEDS_CHROMIUM

dataset = harness.dataset
server = harness.server
graph = harness.graph


def entity_path(entity_id: str) -> str:
    return f"/explore/entity/{quote(entity_id, safe='')}"


def hide_tooltip(page: Page) -> None:
    """Rest the mouse on an empty corner of the canvas until no tooltip shows."""
    box = json.loads(page.evaluate(
        "JSON.stringify(document.getElementById('mynetwork').getBoundingClientRect())"))
    page.send("Input.dispatchMouseEvent", type="mouseMoved", x=box["left"] + 3,
              y=box["top"] + 3)
    page.wait_until("!document.querySelector('div.vis-tooltip')"
                    " || document.querySelector('div.vis-tooltip').style.visibility"
                    " !== 'visible'")


def take_full_screenshot(page: Page, name: str, docs_name: str | None = None,
                         height: int = 1500) -> None:
    """A screenshot of the top of the page, ``height`` pixels tall, no tooltip open."""
    hide_tooltip(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=height,
              deviceScaleFactor=1, mobile=False)
    page.pump(0.6)
    keep_screenshot(page, name, docs_name)
    page.send("Emulation.clearDeviceMetricsOverride")
    page.pump(0.3)


def type_into_search(page: Page, text: str) -> list[str]:
    """Replace the search box's text as a user types it; the names listed once it settles."""
    before = page.evaluate("document.body.dataset.searched || ''")
    page.evaluate("(function () { var i = document.getElementById('tj-search');"
                  " i.value = ''; i.focus(); })()")
    page.send("Input.insertText", text=text)
    page.wait_until(f"(document.body.dataset.searched || '') !== {json.dumps(before)}"
                    " && document.getElementById('tj-search-status').textContent"
                    " !== 'Buscando…'")
    return json.loads(page.evaluate(
        "JSON.stringify(Array.prototype.map.call("
        "document.querySelectorAll('#tj-results a.tj-result'), function (a) {"
        " return a.textContent; }))"))


# --------------------------------------------------------------------------- search


def test_search_as_you_type_ignores_accents_and_case_and_filters(
    server: LiveServer, page: Page
) -> None:
    page.open(server.url("/"))
    typed = type_into_search(page, "VALPARAÍSO")
    assert {"Gobierno Regional de Valparaíso", "Municipalidad de Valparaíso",
            "Región de Valparaíso"} <= set(typed)
    assert type_into_search(page, "valparaiso") == typed
    before = page.evaluate("document.body.dataset.searched")
    page.evaluate("(function () { var s = document.getElementById('tj-filter-theme');"
                  " s.value = 'sme_development'; s.dispatchEvent(new Event('change')); })()")
    page.wait_until(f"document.body.dataset.searched !== {json.dumps(before)}")
    names = page.evaluate("document.querySelector('#tj-results a.tj-result').textContent")
    assert names == "Municipalidad de Valparaíso"  # the one name match comes first
    assert "theme=sme_development" in page.evaluate("location.search")  # a link
    box = json.loads(page.evaluate("JSON.stringify(document.querySelector("
                                   "'#tj-results a.tj-result').getBoundingClientRect())"))
    click_and_load(page, box["x"] + 5, box["y"] + box["height"] / 2)
    assert current_path(page) == f"/explore/entity/{MUNI}"
    assert outside_requests(page, server.base_url) == []
    assert_quiet(page)


def test_search_shows_hostile_names_as_text(server: LiveServer, page: Page) -> None:
    page.open(server.url("/"))
    names = type_into_search(page, "img")
    assert names[0] == HOSTILE_INSTITUTION  # by its name, then those whose passages say it
    assert_quiet(page)


# --------------------------------------------------------------------------- entity pages


def test_entity_page_draws_the_neighbourhood_and_expands_on_click(
    server: LiveServer, page: Page
) -> None:
    open_drawn(page, server.url(entity_path(CORFO)))
    shown = {CORFO} | NEIGHBOURS[CORFO]
    assert drawn_ids(page) == shown
    scroll_to_network(page)
    click(page, *screen_position(page, SERCOTEC))
    page.wait_until("document.body.dataset.expansions === '1'")
    shown |= NEIGHBOURS[SERCOTEC]
    assert drawn_ids(page) == shown
    assert page.evaluate("document.getElementById('tj-node-count').textContent") == str(
        len(shown))
    expected_edges = sum(1 for s, _, t, _ in RELATIONS if s in shown and t in shown)
    assert page.evaluate("network.body.data.edges.length") == expected_edges
    link = page.evaluate("document.getElementById('tj-selection-link').textContent")
    assert link == "Servicio de Cooperación Técnica"
    legend = json.loads(page.evaluate(
        "JSON.stringify(Array.prototype.map.call(document.querySelectorAll("
        "'#tj-legend ul.tj-legend-relations li'), function (li) {"
        " return [li.dataset.relation, li.textContent.trim()]; }))"))
    shown_types = {key for key, _ in legend}
    assert {"PARTICIPATES_IN", "CO_RESPONSIBLE_FOR"} <= shown_types
    assert ["PARTICIPATES_IN", "Participa en"] in legend  # in words, not the type's name
    assert not any("_" in text for _, text in legend)
    take_full_screenshot(page, "explorer-entity.png", "explorer.png")
    scroll_to_network(page)
    click_and_load(page, *screen_position(page, MESA), count=2)
    assert current_path(page) == f"/explore/entity/{MESA}"
    assert outside_requests(page, server.base_url) == []
    assert_quiet(page)


def test_evidence_link_opens_the_document_at_the_highlighted_passage(
    server: LiveServer, page: Page
) -> None:
    page.open(server.url(entity_path(GORE)))
    link = json.loads(page.evaluate(
        "(function () { var a = document.querySelector('a.tj-evidence-link');"
        " a.scrollIntoView({block: 'center'}); var b = a.getBoundingClientRect();"
        " var quote = a.closest('blockquote').querySelector('p').textContent;"
        " return JSON.stringify([b.x + 4, b.y + b.height / 2, quote]); })()"))
    click_and_load(page, link[0], link[1])
    assert current_path(page).startswith("/explore/document/")
    marked = page.evaluate("document.getElementById('tj-highlight').textContent")
    assert f"“{marked}”" == link[2]
    assert marked in TEXT
    top = page.evaluate("document.getElementById('tj-highlight').getBoundingClientRect().top")
    assert 0 <= top <= page.evaluate("window.innerHeight")
    assert_quiet(page)


# --------------------------------------------------------------------------- analysis pages


def test_coordination_page_draws_the_ties_and_a_click_opens_a_page(
    server: LiveServer, page: Page
) -> None:
    open_drawn(page, server.url("/explore/coordination"))
    assert drawn_ids(page) == TIED | {MESA, BARRIOS}
    assert page.evaluate("document.querySelectorAll('#tj-heatmap td.tx-heat').length") == 16
    take_full_screenshot(page, "explorer-coordination.png", "coordination.png", height=1300)
    scroll_to_network(page)
    click_and_load(page, *screen_position(page, GORE))
    assert current_path(page) == f"/explore/entity/{GORE}"
    assert outside_requests(page, server.base_url) == []
    assert_quiet(page)


def test_overlap_page_draws_the_pairs_and_shows_hostile_names_as_text(
    server: LiveServer, page: Page, graph
) -> None:
    open_drawn(page, server.url("/explore/overlap"))
    pairs = find_overlaps(graph).pairs
    assert drawn_ids(page) == {node for p in pairs for node in (p.a, p.b)}
    scroll_to_network(page)
    tooltip = hover_tooltip(page, *screen_position(page, HOSTILE))
    assert tooltip.splitlines()[0] == HOSTILE_INSTITUTION
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0
    keep_screenshot(page, "explorer-overlap.png")
    assert outside_requests(page, server.base_url) == []
    assert_quiet(page)


def test_duplication_page_draws_instruments_and_owners_with_explained_edges(
    server: LiveServer, page: Page, graph
) -> None:
    open_drawn(page, server.url("/explore/duplication"))
    pairs = find_duplicates(graph).pairs
    expected = {node for p in pairs
                for node in (p.a, p.b, *p.responsible_a, *p.responsible_b)}
    assert drawn_ids(page) == expected
    take_full_screenshot(page, "explorer-duplication.png", "duplication.png", height=1300)
    scroll_to_network(page)
    tooltip = hover_tooltip(page, *screen_position(page, BONO))
    assert tooltip.splitlines()[0] == HOSTILE_INSTRUMENT
    hide_tooltip(page)
    explained = hover_tooltip(page, *edge_midpoint(page, SEMILLA, FONDO))
    assert explained.startswith("Posible duplicación · puntaje ")
    assert "Capital Semilla Emprende ↔ Fondo Regional Semilla Emprende" in explained or (
        "Fondo Regional Semilla Emprende ↔ Capital Semilla Emprende" in explained)
    assert outside_requests(page, server.base_url) == []
    assert_quiet(page)
