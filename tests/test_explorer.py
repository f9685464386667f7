"""The explorer's pages, views, exports, report and commands, without a browser.

On the store of tests/fixtures/explorer/dataset.py, whose graph is known by construction:
what each page lists and links, what each network view draws, the files each view
exports, the standalone files' independence from any server, and names written as HTML
(``<img src=x onerror=alert(1)>``) shown as text everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import networkx as nx
import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli_views import (
    ViewExportError,
    export_view,
    export_view_command,
    report_command,
    resolve_focus,
)
from app.main import create_app
from app.services.filters import AnalysisFilters
from app.services.reports import build_report
from app.services.workspace import Workspace
from app.views.analysis_graphs import (
    DERIVED_EDGE_STYLES,
    analysis_network,
    overlap_view,
    ties_view,
)
from app.views.assets import external_references
from app.views.heatmap import EMPTY_COLOUR, heat_colour, heatmap, text_colour
from queries.coordination import find_ties, level_matrix
from queries.overlap import find_overlaps
from tests.fixtures.explorer import harness
from tests.fixtures.explorer.dataset import (
    BARRIOS,
    BONO,
    CEPAL,
    CHILE,
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
    TIES,
)
from tests.fixtures.settings import settings_for

HOSTILE_MARKERS = ("<img", "<b onmouseover", "onerror=alert", "onmouseover=alert")

dataset = harness.dataset
client = harness.client
store = harness.store


class Page(HTMLParser):
    """Tags with their attributes, script bodies, and the text of elements by id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._open.append((tag, attributes.get("id")))
            if attributes.get("id"):
                self.texts[attributes["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        while self._open:
            name, _ = self._open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        for _, element_id in self._open:
            if element_id:
                self.texts[element_id] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def graph_payload(self) -> dict:
        body = next(b for a, b in self.scripts if a.get("id") == "tj-graph-data")
        return json.loads(body)


def page(client: TestClient, url: str, status: int = 200) -> tuple[Page, str]:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text), response.text


def assert_hostile_names_are_text(html: str, parsed: Page) -> None:
    """No element or attribute comes from a hostile name; the names appear escaped."""
    assert parsed.find("img") == []
    assert [t for t, a in parsed.tags if t == "b"] == []
    handlers = [(t, k) for t, a in parsed.tags for k in a if k.startswith("on")]
    assert handlers == []
    outside_scripts = re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)
    for marker in ("<img", "<b onmouseover"):
        assert marker not in outside_scripts
    for _, body in parsed.scripts:
        if "application/json" in str(_.get("type")):
            assert "<img" not in body and "<b " not in body


# --------------------------------------------------------------------------- home, search


def test_home_has_the_search_box_filters_and_counts(client: TestClient) -> None:
    parsed, html = page(client, "/")
    assert parsed.find("input", id="tj-search")
    values = {a.get("value") for a in parsed.find("option")}
    assert {"entrepreneurship", "innovation", "sme_development", "Institution", "national",
            "CL"} <= values
    counts = parsed.texts["tj-counts"]
    assert "Institución" in counts and "7" in counts
    scripts = [a.get("src") for a, _ in parsed.scripts if a.get("src")]
    assert scripts == ["/static/explorer.js"]
    assert external_references(html) == []


def test_search_with_a_theme_keeps_entities_that_have_it(client: TestClient) -> None:
    items = client.get("/entities", params={"theme": "sme_development"}).json()["items"]
    assert {i["id"] for i in items} == {BARRIOS, SERCOTEC, MUNI}
    items = client.get("/entities", params={"theme": "Desarrollo de mipymes",
                                            "q": "VALPARAISO"}).json()["items"]
    assert [i["id"] for i in items if i["matched"] == "name"] == [MUNI]
    assert items[0]["id"] == MUNI  # names first, then the passages that speak of others
    items = client.get("/entities", params={"theme": "sme_development",
                                            "type": "Institution"}).json()["items"]
    assert {i["id"] for i in items} == {SERCOTEC, MUNI}


def test_the_search_page_and_the_api_are_one_search(client: TestClient) -> None:
    api = client.get("/entities", params={"q": "valparaíso"}).json()
    parsed, _ = page(client, "/?q=valpara%C3%ADso&type=&level=")
    links = parsed.find("a", **{"class": "tj-result"})
    assert [link["href"].rsplit("/", 1)[1] for link in links] == [
        quote(item["id"], safe="") for item in api["items"]]
    assert api["total"] == len(api["items"]) > 0


@pytest.mark.parametrize("params", [{"type": "Planet"}, {"level": "federal"},
                                    {"country": "C1"}, {"theme": "astrologia"},
                                    {"limit": "0"}])
def test_search_rejects_bad_filters(client: TestClient, params: dict) -> None:
    assert client.get("/entities", params=params).status_code == 422


# --------------------------------------------------------------------------- entity, document


def test_entity_page_lists_properties_relations_and_linked_evidence(
    client: TestClient, dataset
) -> None:
    parsed, _ = page(client, f"/explore/entity/{CORFO}")
    assert parsed.texts["tj-heading"] == "Corporación de Fomento de la Producción"
    assert "CORFO" in parsed.texts["tj-properties"]
    links = parsed.find("a", **{"class": "tj-evidence-link"})
    assert len(links) == len([r for r in RELATIONS if CORFO in (r[0], r[2])])
    for link in links:
        url = urlsplit(link["href"])
        assert url.path == f"/explore/document/{dataset.document_id}"
        assert url.fragment == "tj-highlight"
        start, end = map(int, parse_qs(url.query)["highlight"][0].split(","))
        target, _ = page(client, f"{url.path}?{url.query}")
        assert target.texts["tj-highlight"] == TEXT[start:end]
    links = parsed.find("a", **{"class": "tj-entity-link"})
    counterparts = {urlsplit(a["href"]).path for a in links}
    assert counterparts == {f"/explore/entity/{n}".replace(":", "%3A").replace("@", "%40")
                            for n in NEIGHBOURS[CORFO]}


def test_entity_page_draws_its_neighbourhood_at_each_depth(client: TestClient) -> None:
    expected = {CORFO} | NEIGHBOURS[CORFO]
    for depth in (1, 2, 3):
        parsed, _ = page(client, f"/explore/entity/{CORFO}?depth={depth}")
        payload = parsed.graph_payload()
        assert {n["id"] for n in payload["nodes"]} == expected
        graph = parsed.find("section", id="tj-graph")[0]
        assert graph["data-mode"] == "expand"
        assert graph["data-expand-url"] == (
            f"/explore/graph/expand?id={CORFO.replace(':', '%3A').replace('@', '%40')}"
            f"&depth={depth}")
        expected = expected | {m for n in expected for m in NEIGHBOURS.get(n, ())}


def test_expansion_adds_the_opened_nodes_neighbours_and_every_relation_among_all(
    client: TestClient,
) -> None:
    body = client.get("/explore/graph/expand", params=[
        ("id", CORFO), ("depth", "1"), ("open", SERCOTEC)]).json()
    shown = {CORFO} | NEIGHBOURS[CORFO] | NEIGHBOURS[SERCOTEC]
    assert {n["id"] for n in body["nodes"]} == shown
    expected = {(s, t, k) for s, k, t, _ in RELATIONS if s in shown and t in shown}
    assert {(e["from"], e["to"], e["relationType"]) for e in body["edges"]} == expected
    assert (GORE, MESA, "PARTICIPATES_IN") in expected  # between two nodes not opened
    assert all("x" not in n for n in body["nodes"])  # the page places new nodes itself
    assert all(e["title"] for e in body["edges"])
    assert {entry["key"] for entry in body["legend"]["relations"]} == {k for _, _, k in expected}
    drawn_levels = {node["governanceLevel"] for node in body["nodes"]}
    assert {entry["key"] for entry in body["legend"]["levels"]} == drawn_levels
    twice = client.get("/explore/graph/expand", params=[
        ("id", CORFO), ("open", SERCOTEC), ("open", MESA)]).json()
    assert {n["id"] for n in twice["nodes"]} == shown | NEIGHBOURS[MESA]


def test_expansion_refuses_unknown_ids_and_depths(client: TestClient) -> None:
    expand = "/explore/graph/expand"
    assert client.get(expand, params={"id": "inst:nadie"}).status_code == 404
    assert client.get(expand, params=[("id", CORFO), ("open", "inst:nadie")]).status_code == 404
    assert client.get(expand, params={"id": CORFO, "depth": 4}).status_code == 422
    assert client.get(expand, params={"id": "sin id"}).status_code == 422


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/explore/entity/inst:nadie", 404, "inst:nadie"),
    (f"/explore/entity/{CORFO}?depth=4", 422, "depth"),
    (f"/explore/entity/{CORFO}?layout=cubist", 422, "layout"),
    ("/explore/document/abc123", 404, "abc123"),
])
def test_bad_requests_get_an_error_page_saying_why(
    client: TestClient, url: str, status: int, words: str
) -> None:
    parsed, _ = page(client, url, status)
    assert words in parsed.texts["tj-error"]


def test_document_highlight_is_validated(client: TestClient, dataset) -> None:
    base = f"/explore/document/{dataset.document_id}"
    parsed, _ = page(client, f"{base}?highlight=0,{len(TEXT) + 1}", 422)
    assert "highlight" in parsed.texts["tj-error"]
    page(client, f"{base}?highlight=5", 422)
    parsed, _ = page(client, base)
    assert parsed.texts["tj-document"] == TEXT
    assert "tj-highlight" not in parsed.texts


# --------------------------------------------------------------------------- analysis pages


def test_coordination_page_has_heat_map_gaps_brokers_and_tie_network(
    client: TestClient, store
) -> None:
    parsed, _ = page(client, "/explore/coordination")
    levels = level_matrix(store.view()).levels
    cells = parsed.find("td", **{"class": "tx-heat"})
    assert len(cells) == len(levels) ** 2
    assert "Corporación de Fomento de la Producción" in parsed.texts["tj-gaps"]
    brokers = parsed.texts["tj-brokers"]
    assert "Servicio de Cooperación Técnica" in brokers
    payload = parsed.graph_payload()
    vias = {MESA, BARRIOS}
    assert {n["id"] for n in payload["nodes"]} == TIED | vias
    assert payload["options"]["physics"]["enabled"] is True  # a small view lays itself out


def test_analysis_pages_keep_the_filters_and_link_their_data(client: TestClient) -> None:
    parsed, _ = page(client, "/explore/coordination?level_pair=national,regional&top=3"
                             "&theme=&country=CL&min_score=0.3")
    selected = [a["value"] for a in parsed.find("option") if "selected" in a]
    assert "national,regional" in selected and "CL" in selected
    hrefs = [a["href"] for a in parsed.find("a") if a.get("href", "").startswith("/analysis/")]
    assert "/analysis/gaps?level_pair=national%2Cregional&country=CL&top=3&min_score=0.3" in hrefs
    assert "/analysis/coordination/matrix?country=CL&min_score=0.3" in hrefs
    assert "/analysis/brokers?country=CL&top=3&format=csv" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("kind", ["coordination", "overlap", "duplication"])
@pytest.mark.parametrize(("query", "name"), [("top=0", "top"), ("level_pair=x", "level_pair"),
                                             ("theme=astrologia", "theme"),
                                             ("layout=cubist", "layout")])
def test_analysis_pages_refuse_bad_filters(
    client: TestClient, kind: str, query: str, name: str
) -> None:
    parsed, _ = page(client, f"/explore/{kind}?{query}", 422)
    assert name in parsed.texts["tj-error"]


def test_overlap_page_ranks_pairs_with_what_they_share(client: TestClient, store) -> None:
    parsed, _ = page(client, "/explore/overlap")
    result = find_overlaps(store.view())
    rows = parsed.texts["tj-pairs"]
    assert "declarado" in rows and "Emprendimiento" in rows
    payload = parsed.graph_payload()
    expected = {node for p in result.pairs for node in (p.a, p.b)}
    assert {n["id"] for n in payload["nodes"]} == expected
    derived = [e for e in payload["edges"] if e["relationType"] == "OVERLAP"]
    assert len(derived) == len(result.pairs)
    legend = parsed.texts["tj-legend"]
    assert DERIVED_EDGE_STYLES["OVERLAP"].gloss.capitalize() in legend


def test_duplication_page_shows_both_sides_evidence_and_the_breakdown(client: TestClient) -> None:
    parsed, _ = page(client, "/explore/duplication")
    first = parsed.find("li", **{"class": "tx-duplicate"})[0]
    assert {first["data-a"], first["data-b"]} == {SEMILLA, FONDO}
    assert len(parsed.find("section", **{"class": "tx-side"})) == 2 * len(
        parsed.find("li", **{"class": "tx-duplicate"}))
    assert "instituciones distintas" in parsed.texts["tj-pairs"]
    payload = parsed.graph_payload()
    ids = {n["id"] for n in payload["nodes"]}
    assert {SEMILLA, FONDO, BONO, BARRIOS, CORFO, GORE, HOSTILE, SERCOTEC, MUNI} == ids
    duplicates = [e for e in payload["edges"] if e["relationType"] == "DUPLICATE"]
    assert all(e["dashes"] and e["arrows"] == "" for e in duplicates)


def test_an_empty_view_says_so_and_loads_no_drawing(client: TestClient) -> None:
    parsed, _ = page(client, "/explore/overlap?theme=tourism")
    assert "Nada que mostrar" in parsed.texts["tj-graph-empty"]
    assert not [a for a, _ in parsed.scripts if a.get("id") == "tj-graph-data"]
    assert [a.get("src") for a, _ in parsed.scripts if a.get("src")] == ["/static/explorer.js"]
    alone = Page(client.get("/explore/view/overlap?theme=tourism").text).graph_payload()
    assert alone["nodes"] == [] and alone["options"]["physics"]["enabled"] is False


def test_views_stop_at_the_node_cap_and_say_so(dataset) -> None:
    # The first tie (the only one with two channels) needs its two institutions, the Mesa
    # and Barrios Comerciales: four nodes, and no second tie fits beside them.
    settings = settings_for(dataset.url, max_view_nodes=4)
    with TestClient(create_app(settings=settings)) as small:
        parsed, _ = page(small, "/explore/coordination")
        assert {n["id"] for n in parsed.graph_payload()["nodes"]} == {
            MUNI, SERCOTEC, MESA, BARRIOS}
        notice = parsed.texts["tj-notice"]
        assert f"se muestran 1 de {len(TIES)} vínculos" in notice
        assert "TEJIDO_MAX_VIEW_NODES" in notice


def test_each_view_page_offers_downloads_and_an_iframe_snippet(client: TestClient) -> None:
    parsed, _ = page(client, "/explore/overlap?top=3&layout=layered")
    downloads = [a["href"] for a in parsed.find("a", **{"class": "tj-download"})]
    assert downloads == [f"/explore/view/overlap?top=3&layout=layered&format={fmt}"
                         for fmt in ("standalone", "graphml", "gexf", "nodes.csv",
                                     "edges.csv")]
    snippet = parsed.texts["tj-snippet"]
    match = re.fullmatch(r'<iframe src="([^"]+)" title="[^"]*" width="100%" height="600" '
                         r'style="border:0" loading="lazy"></iframe>', snippet)
    assert match
    src = match.group(1).replace("&amp;", "&")
    assert src == "/explore/view/overlap?top=3&layout=layered"  # relative: works anywhere
    alone, _ = page(client, urlsplit(src).path + "?" + urlsplit(src).query)
    assert alone.graph_payload() == parsed.graph_payload()


# --------------------------------------------------------------------------- views alone, files


@pytest.mark.parametrize("kind", ["coordination", "overlap", "duplication", "neighbourhood"])
def test_standalone_views_reference_nothing_outside_the_file(client: TestClient, kind: str) -> None:
    query = f"id={CORFO}&depth=2&" if kind == "neighbourhood" else ""
    response = client.get(f"/explore/view/{kind}?{query}format=standalone")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment; filename=\"tejido-")
    parsed = Page(response.text)
    assert external_references(response.text) == []
    assert [a for a, _ in parsed.scripts if a.get("src")] == []
    assert parsed.find("link", rel="stylesheet") == []
    assert "vis.Network" in response.text
    assert_hostile_names_are_text(response.text, parsed)


def without_comments(text: str) -> list[str]:
    """The lines of a CSV download after its ``#`` provenance lines."""
    return [line for line in io.StringIO(text) if not line.startswith("#")]


@pytest.mark.parametrize("kind", ["coordination", "overlap", "duplication"])
def test_graph_files_hold_the_nodes_and_edges_shown(client: TestClient, kind: str,
                                                    tmp_path: Path) -> None:
    payload = Page(client.get(f"/explore/view/{kind}").text).graph_payload()
    nodes = {n["id"] for n in payload["nodes"]}
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        response = client.get(f"/explore/view/{kind}?format={fmt}")
        assert response.status_code == 200
        assert f".{fmt}\"" in response.headers["content-disposition"]
        path = tmp_path / f"view.{fmt}"
        path.write_bytes(response.content)
        read = reader(path)
        assert set(read.nodes) == nodes
        assert read.number_of_edges() == len(payload["edges"])
    rows = list(csv.DictReader(without_comments(client.get(
        f"/explore/view/{kind}?format=nodes.csv").text)))
    assert {r["id"] for r in rows} == nodes
    edges = list(csv.DictReader(without_comments(client.get(
        f"/explore/view/{kind}?format=edges.csv").text)))
    assert len(edges) == len(payload["edges"])


def test_view_alone_refuses_unknown_kinds_and_formats(client: TestClient) -> None:
    assert client.get("/explore/view/galaxy").status_code == 422
    assert client.get("/explore/view/overlap?format=pdf").status_code == 422
    assert client.get("/explore/view/neighbourhood?id=inst:nadie").status_code == 404


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("url", [
    "/", f"/explore/entity/{HOSTILE}", f"/explore/entity/{BONO}", f"/explore/entity/{CORFO}",
    "/explore/coordination", "/explore/overlap", "/explore/duplication",
    "/explore/view/overlap", "/explore/view/duplication",
])
def test_hostile_names_show_as_text_on_every_page(client: TestClient, url: str) -> None:
    parsed, html = page(client, url)
    assert_hostile_names_are_text(html, parsed)


def test_hostile_names_are_escaped_in_headings_tables_and_tooltips(
    client: TestClient, dataset
) -> None:
    parsed, _ = page(client, f"/explore/entity/{HOSTILE}")
    assert parsed.texts["tj-heading"] == HOSTILE_INSTITUTION
    payload = parsed.graph_payload()
    titles = {n["id"]: n["title"] for n in payload["nodes"]}
    assert titles[HOSTILE].splitlines()[0] == HOSTILE_INSTITUTION
    assert titles[BONO].splitlines()[0] == HOSTILE_INSTRUMENT
    duplication, _ = page(client, "/explore/duplication")
    assert HOSTILE_INSTRUMENT in duplication.texts["tj-pairs"]
    document, _ = page(client, f"/explore/document/{dataset.document_id}")
    assert HOSTILE_INSTITUTION in document.texts["tj-document"]


# --------------------------------------------------------------------------- builders, heat map


def test_ties_view_takes_ties_in_rank_order_under_the_cap(store) -> None:
    graph = store.view()
    ties = find_ties(graph)
    whole = ties_view(graph, ties, cap=100)
    assert not whole.truncated and whole.shown == len(ties)
    assert {n.id for n in whole.subgraph.nodes} == TIED | {MESA, BARRIOS}
    assert {n.id for n in whole.subgraph.nodes if n.depth == 1} == {BARRIOS}
    first = ties[0]
    small = ties_view(graph, ties, cap=2 + sum(1 for c in first.channels if c.via))
    assert small.truncated
    assert {first.a, first.b} <= {n.id for n in small.subgraph.nodes}


def test_derived_edges_carry_their_score_and_explanation(store) -> None:
    graph = store.view()
    pairs = find_overlaps(graph).pairs
    net = analysis_network(overlap_view(graph, pairs, cap=100).subgraph)
    derived = {e["id"]: e for e in net.edges if e["relationType"] == "OVERLAP"}
    first = derived[f"OVERLAP|{pairs[0].a}|{pairs[0].b}"]
    lines = first["title"].splitlines()
    assert lines[0].startswith("Traslape de competencias · puntaje ")
    assert "declarado en un documento" in lines[0]
    assert any(line.startswith("temas: ") and "Emprendimiento" in line for line in lines)
    assert first["width"] > derived[f"OVERLAP|{pairs[-1].a}|{pairs[-1].b}"]["width"]


def test_heat_map_colours_and_symmetry(store) -> None:
    assert heat_colour(0.0) == "#fff7bc" and heat_colour(1.0) == "#08519c"
    assert heat_colour(None) == EMPTY_COLOUR and heat_colour(7.0) == heat_colour(1.0)
    assert text_colour(0.9) == "#ffffff" and text_colour(0.1) == "#222222"
    matrix = level_matrix(store.view())
    drawn = heatmap(matrix)
    size = len(matrix.levels)
    for i in range(size):
        for j in range(size):
            assert drawn.rows[i][j].rate == drawn.rows[j][i].rate
            cell = matrix.cell(matrix.levels[i], matrix.levels[j])
            assert drawn.rows[i][j].counts == f"{cell.tied_and_sharing}/{cell.sharing_field}"


# --------------------------------------------------------------------------- report, commands


def test_report_is_self_contained_and_complete(store) -> None:
    html = build_report(Workspace(store=store), filters=AnalysisFilters(top=5),
                        generated="2024-01-01")
    parsed = Page(html)
    assert external_references(html) == []
    assert [a for a, _ in parsed.scripts if a.get("src")] == []
    assert "generado el 2024-01-01" in html
    assert {"tj-counts", "tj-heatmap", "tj-gaps", "tj-brokers", "tj-overlap-table",
            "tj-duplicate-list"} <= set(parsed.texts)
    blocks = {a["id"]: json.loads(body) for a, body in parsed.scripts
              if str(a.get("id", "")).startswith("tj-data-")}
    assert set(blocks) == {"tj-data-coordination", "tj-data-overlap", "tj-data-duplication"}
    assert {n["id"] for n in blocks["tj-data-coordination"]["nodes"]} == TIED | {MESA, BARRIOS}
    assert len(parsed.find("li", **{"class": "tx-duplicate"})) == 5
    assert "Por qué: texto" in parsed.texts["tj-duplicate-list"]
    assert_hostile_names_are_text(html, parsed)


def test_focus_resolves_ids_acronyms_and_names(store) -> None:
    assert resolve_focus(store, CORFO).id == CORFO
    assert resolve_focus(store, "corfo").id == CORFO
    assert resolve_focus(store, "comision economica para america latina y el caribe").id == CEPAL
    with pytest.raises(ViewExportError, match="no entity is called"):
        resolve_focus(store, "ministerio de la magia")
    with pytest.raises(ViewExportError, match="did you mean"):
        resolve_focus(store, "valparaiso")
    with pytest.raises(ViewExportError, match="empty"):
        resolve_focus(store, "  ")


def test_exported_view_is_the_neighbourhood_standalone(store) -> None:
    html = export_view(store, "CORFO", depth=1)
    parsed = Page(html)
    assert {n["id"] for n in parsed.graph_payload()["nodes"]} == {CORFO} | NEIGHBOURS[CORFO]
    assert external_references(html) == []
    assert [a for a, _ in parsed.scripts if a.get("src")] == []
    with pytest.raises(ViewExportError, match="depth"):
        export_view(store, "CORFO", depth=5)
    with pytest.raises(ViewExportError, match="layout"):
        export_view(store, "CORFO", layout="cubist")


@pytest.fixture
def commands() -> typer.Typer:
    """The two commands as ``tejido`` registers them."""
    app = typer.Typer()
    app.command("view")(export_view_command)
    app.command("report")(report_command)
    return app


def test_commands_write_files_and_fail_clearly(
    commands: typer.Typer, dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEJIDO_STORE", raising=False)
    runner = CliRunner()
    view = tmp_path / "out" / "corfo.html"
    result = runner.invoke(commands, ["view", "--focus", "CORFO", "--depth", "2", "--out",
                                      str(view), "--store", dataset.url])
    assert result.exit_code == 0, result.output
    ids = {n["id"] for n in Page(view.read_text(encoding="utf-8")).graph_payload()["nodes"]}
    one_hop = {CORFO} | NEIGHBOURS[CORFO]
    assert ids == one_hop | {m for n in one_hop for m in NEIGHBOURS[n]}
    assert {CHILE, MESA} <= ids
    result = runner.invoke(commands, ["view", "--focus", "nadie", "--out",
                                      str(tmp_path / "x.html"), "--store", dataset.url])
    assert result.exit_code == 1 and "no entity is called" in " ".join(result.output.split())
    assert not (tmp_path / "x.html").exists()
    report = tmp_path / "informe.html"
    result = runner.invoke(commands, ["report", "--out", str(report), "--store", dataset.url,
                                      "--top", "3"])
    assert result.exit_code == 0, result.output
    assert external_references(report.read_text(encoding="utf-8")) == []
    result = runner.invoke(commands, ["report", "--out", str(tmp_path), "--store",
                                      dataset.url])
    assert result.exit_code == 1 and "is a folder" in " ".join(result.output.split())
    result = runner.invoke(commands, ["report", "--out", str(report), "--store", "mysql://x"])
    assert result.exit_code == 2
