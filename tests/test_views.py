"""The pyvis views: page structure, colours, shapes, escaping, offline assets, layouts, cap."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from itertools import pairwise

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.views import assets
from app.views.layout import layered_positions, radial_positions, spring_positions
from app.views.network import PHYSICS_NODE_LIMIT, build_network
from app.views.styles import EDGE_STYLES, LABEL_STYLES, LEVEL_COLOURS
from graph.model import Entity, Relation
from graph.projection import project
from graph.vocab import RELATION_TYPES
from queries.exploration import neighbourhood
from queries.results import Subgraph, SubgraphEdge, SubgraphNode
from tests.fixtures.api.dataset import (
    BID,
    CHILLAN,
    FONDO_CRECE,
    GORE_NUBLE,
    HOSTILE,
    HOSTILE_NAME,
    NUBLE_SENTENCES,
    NUBLE_TITLE,
    REGION_NUBLE,
    SERCOTEC,
    SERCOTEC_DEPTH_2,
)

URL = re.compile(r"https?://[^\s\"'<>)]+")
# Strings of vis-network's code that look like URLs but are never fetched: the SVG
# namespace, core-js's licence metadata and an error message of the uuid package.
VIS_NON_FETCHED_URLS = {
    "http://www.w3.org/2000/svg",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
}


class TagCollector(HTMLParser):
    """Every start tag of a page with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def parse(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    return collector


def payload_of(html: str) -> dict:
    """The network data block of a view page."""
    [(attrs, text)] = [s for s in parse(html).scripts if s[0].get("id") == "tj-graph-data"]
    assert attrs.get("type") == "application/json"
    return json.loads(text)


def view(client: TestClient, entity_id: str, **params) -> str:
    response = client.get("/views/neighbourhood", params={"id": entity_id, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def local_references(html: str) -> list[str]:
    """Targets of every script src and stylesheet/icon href of a page."""
    refs = []
    for tag, attrs in parse(html).tags:
        if tag == "script" and attrs.get("src"):
            refs.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            refs.append(attrs["href"])
    return refs


def urls_outside_licence(text: str) -> set[str]:
    """http(s) URLs of a script or stylesheet, leaving out its leading licence comment."""
    body = re.sub(r"\A\s*/\*.*?\*/", "", text, count=1, flags=re.DOTALL)
    return set(URL.findall(body))


# --------------------------------------------------------------------------- structure


def test_view_page_has_legend_canvas_and_data(api_client: TestClient) -> None:
    html = view(api_client, SERCOTEC, depth=2)
    tags = parse(html).tags
    ids = {attrs.get("id") for _, attrs in tags}
    assert {"mynetwork", "tj-legend", "tj-heading", "tj-graph-data"} <= ids
    drawn = payload_of(html)["nodes"]
    legend_levels = {attrs["data-level"] for tag, attrs in tags if "data-level" in attrs}
    assert legend_levels == {node["governanceLevel"] for node in drawn}  # only what is shown
    assert legend_levels <= set(LEVEL_COLOURS)
    for level in legend_levels:
        assert re.search(rf'data-level="{level}"><span class="tj-swatch" '
                         rf'style="background-color: {LEVEL_COLOURS[level]}"', html)
    legend_labels = {attrs["data-label"] for tag, attrs in tags if "data-label" in attrs}
    assert legend_labels == {node["entityLabel"] for node in drawn}
    assert legend_labels < set(LABEL_STYLES)
    relations_shown = {attrs["data-relation"] for _, attrs in tags if "data-relation" in attrs}
    payload = payload_of(html)
    assert relations_shown == {edge["relationType"] for edge in payload["edges"]}
    assert relations_shown == {"RESPONSIBLE_FOR", "COORDINATES_WITH", "FUNDS", "COVERS"}
    assert "Vecindario de Servicio de Cooperación Técnica" in html
    assert "profundidad 2 · 7 nodos · 6 relaciones" in html


def test_nodes_are_coloured_by_level_and_shaped_by_label(api_client: TestClient) -> None:
    nodes = {n["id"]: n for n in payload_of(view(api_client, SERCOTEC, depth=2))["nodes"]}
    assert set(nodes) == SERCOTEC_DEPTH_2
    expected = {
        SERCOTEC: ("national", "dot"),
        FONDO_CRECE: ("national", "square"),
        CHILLAN: ("local", "dot"),
        GORE_NUBLE: ("regional", "dot"),
        BID: ("supranational", "dot"),
        HOSTILE: ("none", "dot"),
        REGION_NUBLE: ("none", "triangle"),
    }
    for node_id, (level, shape) in expected.items():
        node = nodes[node_id]
        assert node["governanceLevel"] == level
        assert node["color"]["background"] == LEVEL_COLOURS[level]
        assert node["shape"] == shape
    assert nodes[SERCOTEC]["size"] > nodes[CHILLAN]["size"], "the centre stands out"


def test_edges_are_styled_by_relationship_type(api_client: TestClient) -> None:
    edges = payload_of(view(api_client, SERCOTEC, depth=2))["edges"]
    by_type = {edge["relationType"]: edge for edge in edges}
    responsible = by_type["RESPONSIBLE_FOR"]
    assert responsible["color"]["color"] == EDGE_STYLES["RESPONSIBLE_FOR"].colour
    assert responsible["dashes"] is False
    assert responsible["arrows"] == "to"
    assert by_type["COVERS"]["dashes"] == list(EDGE_STYLES["COVERS"].dashes)
    assert by_type["COORDINATES_WITH"]["arrows"] == "", "coordination has no direction"
    assert len({EDGE_STYLES[t].colour for t in ("RESPONSIBLE_FOR", "FUNDS", "COVERS",
                                                "COORDINATES_WITH")}) == 4


def test_every_relationship_type_has_a_style() -> None:
    assert set(EDGE_STYLES) == set(RELATION_TYPES)


def test_tooltips_are_plain_text_with_evidence(api_client: TestClient) -> None:
    payload = payload_of(view(api_client, SERCOTEC, depth=2))
    funds = next(e for e in payload["edges"] if e["relationType"] == "FUNDS")
    assert NUBLE_SENTENCES[2] in funds["title"]
    assert NUBLE_TITLE in funds["title"]
    assert "Gobierno Regional de Ñuble → Fondo Crece" in funds["title"]
    chillan = next(n for n in payload["nodes"] if n["id"] == CHILLAN)
    assert chillan["title"].splitlines()[0] == "Municipalidad de Chillán"
    assert "<" not in chillan["title"]


def test_hostile_name_is_escaped_everywhere(api_client: TestClient) -> None:
    for entity_id in (SERCOTEC, HOSTILE):
        html = view(api_client, entity_id)
        assert "<img" not in html.lower(), "the name must never become markup"
        assert not [tag for tag, _ in parse(html).tags if tag == "img"]
        payload = payload_of(html)
        hostile = next(n for n in payload["nodes"] if n["id"] == HOSTILE)
        assert hostile["title"].splitlines()[0] == HOSTILE_NAME  # text, shown by innerText
        assert hostile["label"] == HOSTILE_NAME
        edge = next(e for e in payload["edges"] if HOSTILE in (e["from"], e["to"]))
        assert HOSTILE_NAME in edge["title"]
    own = view(api_client, HOSTILE)
    assert "Vecindario de &lt;img src=x onerror=alert(1)&gt;" in own
    assert "<title>&lt;img src=x onerror=alert(1)&gt; · Tejido</title>" in own


def test_unknown_entity_view_is_an_escaped_404_page(api_client: TestClient) -> None:
    response = api_client.get("/views/neighbourhood", params={"id": "inst:<script>x"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text
    assert "inst:&lt;script&gt;x" in response.text


# --------------------------------------------------------------------------- offline


def test_served_page_links_only_this_server(api_client: TestClient) -> None:
    html = view(api_client, SERCOTEC, depth=2)
    assert assets.external_references(html) == []
    assert URL.findall(html) == []
    refs = local_references(html)
    assert "/static/vis-network/vis-network.min.js" in refs
    assert "/static/vis-network/vis-network.css" in refs
    for ref in refs:
        if ref.startswith("data:"):
            continue
        assert ref.startswith("/"), ref
        response = api_client.get(ref)
        assert response.status_code == 200, ref
        body = response.text
        assert assets.external_references(body) == [], ref
        assert urls_outside_licence(body) <= VIS_NON_FETCHED_URLS, ref
        assert "sourceMappingURL" not in body


def test_own_static_files_have_no_url_at_all() -> None:
    for name in ("network.css", "network.js"):
        assert URL.findall(assets.static_text(name)) == []


def test_vis_stylesheet_images_are_data_urls() -> None:
    urls = re.findall(r"url\(\s*[\"']?([^\"')]+)", assets.vis_stylesheet())
    assert urls, "vis-network's stylesheet has images"
    assert all(url.startswith("data:") for url in urls)


def test_standalone_export_inlines_vis_network(api_client: TestClient) -> None:
    response = api_client.get(
        "/views/neighbourhood", params={"id": SERCOTEC, "depth": 2, "standalone": 1}
    )
    assert response.status_code == 200
    assert 'filename="tejido-inst-servicio-de-cooperacion-tecnica-cl.html"' in (
        response.headers["content-disposition"]
    )
    html = response.text
    collector = parse(html)
    assert not [a for t, a in collector.tags if t == "script" and a.get("src")]
    assert not [a for t, a in collector.tags if t == "link" and a.get("rel") == "stylesheet"]
    inline_scripts = [text for attrs, text in collector.scripts if not attrs.get("type")]
    assert assets.vis_script() in inline_scripts
    assert assets.static_text("network.js") in inline_scripts
    assert assets.vis_stylesheet() in html
    assert assets.external_references(html) == []
    assert urls_outside_licence(html.split(assets.vis_script())[0]) == set()
    assert len(payload_of(html)["nodes"]) == len(SERCOTEC_DEPTH_2)


def test_external_references_are_found() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script>'
        "<link href='//cdn.example/y.css' rel=stylesheet>"
        "<style>@import 'http://cdn.example/z.css'; b { background: url(https://i.example/a.png) }"
        '</style><script src="/static/ok.js"></script><img src="data:image/png;base64,AA">'
    )
    assert assets.external_references(page) == [
        "https://cdn.example/x.js", "//cdn.example/y.css", "http://cdn.example/z.css",
        "https://i.example/a.png",
    ]


# --------------------------------------------------------------------------- cap and layouts


def test_view_is_cut_at_the_node_cap_with_a_visible_notice(api_dataset) -> None:
    settings = Settings(store=api_dataset.url, api_token=None, cors_origins=[], max_view_nodes=3)
    with TestClient(create_app(settings=settings)) as client:
        html = view(client, SERCOTEC, depth=2)
    assert len(payload_of(html)["nodes"]) == 3
    notice = re.search(r'<p class="tj-notice" id="tj-notice" role="status">([^<]*)</p>', html)
    assert notice, "the cut must be said on the page"
    assert "3 nodos" in notice.group(1)
    assert "TEJIDO_MAX_VIEW_NODES = 3" in notice.group(1)


def test_complete_view_has_no_notice(api_client: TestClient) -> None:
    assert 'id="tj-notice"' not in view(api_client, SERCOTEC, depth=2)


def star(size: int, levels: tuple[str | None, ...] = ("national", "regional", "local", None)
         ) -> Subgraph:
    """A centre with ``size - 1`` neighbours, half of which have a neighbour of their own."""
    nodes = [SubgraphNode(id="inst:centre", label="Institution", name="Centro", level="national",
                          depth=0)]
    edges = []
    for i in range(1, size):
        parent = "inst:centre" if i < size // 2 + 1 else f"inst:n{i - size // 2}"
        nodes.append(SubgraphNode(
            id=f"inst:n{i}", label="Institution", name=f"Nodo {i}",
            level=levels[i % len(levels)], depth=1 if parent == "inst:centre" else 2,
        ))
        edges.append(SubgraphEdge(id=f"e{i}", source=parent, target=f"inst:n{i}",
                                  type="COORDINATES_WITH"))
    return Subgraph(center="inst:centre", depth=2, nodes=nodes, edges=edges)


def test_small_views_use_live_physics() -> None:
    net = build_network(star(40))
    assert net.options["physics"]["enabled"] is True
    assert all("x" not in node for node in net.nodes)


def test_large_views_have_physics_off_and_computed_positions() -> None:
    subgraph = star(PHYSICS_NODE_LIMIT + 50)
    net = build_network(subgraph)
    assert net.options["physics"]["enabled"] is False
    assert len(net.nodes) == len(subgraph.nodes)
    assert len(net.edges) == len(subgraph.edges)
    positions = {(node["x"], node["y"]) for node in net.nodes}
    assert len(positions) == len(net.nodes), "no two nodes on the same spot"


def test_radial_layout_puts_rings_outside_each_other() -> None:
    subgraph = star(200)
    positions = radial_positions(subgraph)
    radius = {node.id: math.dist((0, 0), positions[node.id]) for node in subgraph.nodes}
    assert radius["inst:centre"] == 0
    ring1 = [radius[n.id] for n in subgraph.nodes if n.depth == 1]
    ring2 = [radius[n.id] for n in subgraph.nodes if n.depth == 2]
    assert max(ring1) < min(ring2)
    assert len(set(positions.values())) == len(subgraph.nodes)


def test_layered_layout_stacks_levels_top_to_bottom() -> None:
    subgraph = star(120, levels=("supranational", "national", "regional", "local", None))
    positions = layered_positions(subgraph)
    rows: dict[str, list[float]] = {}
    for node in subgraph.nodes:
        rows.setdefault(node.level or "none", []).append(positions[node.id][1])
    order = ["supranational", "national", "regional", "local", "none"]
    for upper, lower in pairwise(order):
        assert max(rows[upper]) < min(rows[lower]), f"{upper} above {lower}"
    assert len(set(positions.values())) == len(subgraph.nodes)


def test_spring_layout_places_every_node() -> None:
    subgraph = star(60)
    positions = spring_positions(subgraph)
    assert set(positions) == {node.id for node in subgraph.nodes}
    assert len(set(positions.values())) == len(subgraph.nodes)
    assert positions == spring_positions(subgraph), "seeded: the same picture every time"


@pytest.mark.parametrize("layout", ["layered", "radial", "spring"])
def test_layout_parameter_reaches_the_page(api_client: TestClient, layout: str) -> None:
    payload = payload_of(view(api_client, SERCOTEC, depth=2, layout=layout))
    assert payload["options"]["physics"]["enabled"] is False
    assert all("x" in node and "y" in node for node in payload["nodes"])
    if layout == "layered":
        y = {node["id"]: node["y"] for node in payload["nodes"]}
        assert y[BID] < y[SERCOTEC] < y[GORE_NUBLE] < y[CHILLAN] < y[REGION_NUBLE]


def test_parallel_edges_are_bent_apart() -> None:
    subgraph = Subgraph(
        center="inst:a", depth=1,
        nodes=[SubgraphNode(id="inst:a", label="Institution", name="A", depth=0),
               SubgraphNode(id="instr:b", label="Instrument", name="B", depth=1)],
        edges=[SubgraphEdge(id="1", source="inst:a", target="instr:b", type="RESPONSIBLE_FOR"),
               SubgraphEdge(id="2", source="inst:a", target="instr:b", type="FUNDS")],
    )
    first, second = build_network(subgraph).edges
    assert "smooth" not in first
    assert second["smooth"]["type"] in ("curvedCW", "curvedCCW")


# --------------------------------------------------------------------------- governance levels


def level_graph() -> nx.MultiDiGraph:
    """Two national bodies tied only through their governance level, and one real tie."""
    entities = [
        Entity(id="inst:a", label="Institution", name="A", level="national"),
        Entity(id="inst:b", label="Institution", name="B", level="national"),
        Entity(id="inst:c", label="Institution", name="C", level="local"),
        Entity(id="level:national", label="GovernanceLevel", name="Nacional",
               level="national"),
    ]
    relations = [
        Relation(source="inst:a", type="AT_LEVEL", target="level:national"),
        Relation(source="inst:b", type="AT_LEVEL", target="level:national"),
        Relation(source="inst:c", type="COORDINATES_WITH", target="inst:a"),
    ]
    return project(entities, relations)


def test_governance_level_hub_is_drawn_but_does_not_pull_in_its_members() -> None:
    subgraph = neighbourhood(level_graph(), "inst:a", depth=3)
    net = build_network(subgraph)
    nodes = {node["id"]: node for node in net.nodes}
    assert set(nodes) == {"inst:a", "inst:c", "level:national"}, "inst:b only shares a level"
    assert nodes["level:national"]["shape"] == LABEL_STYLES["GovernanceLevel"].shape
    assert nodes["level:national"]["color"]["background"] == LEVEL_COLOURS["national"]
    at_level = next(edge for edge in net.edges if edge["relationType"] == "AT_LEVEL")
    assert at_level["dashes"] == list(EDGE_STYLES["AT_LEVEL"].dashes)


# --------------------------------------------------------------------------- shared corpus


def most_connected(client: TestClient) -> str:
    """The id of the entity with the most relationships in the store behind ``client``."""
    best, best_count = "", -1
    for item in client.get("/entities", params={"limit": 500}).json()["items"]:
        count = len(client.get(f"/entities/{item['id']}").json()["relations"])
        if count > best_count:
            best, best_count = item["id"], count
    assert best_count > 0
    return best


def test_shared_corpus_view_matches_the_api_and_quotes_the_documents(
    shared_corpus_store_url: str,
) -> None:
    settings = Settings(store=shared_corpus_store_url, api_token=None, cors_origins=[],
                        max_view_nodes=2000)
    with TestClient(create_app(settings=settings)) as client:
        centre = most_connected(client)
        graph = client.get("/graph/neighbourhood", params={"id": centre, "depth": 2}).json()
        html = view(client, centre, depth=2)
        payload = payload_of(html)
        assert {n["id"] for n in payload["nodes"]} == {n["id"] for n in graph["nodes"]}
        assert {e["id"] for e in payload["edges"]} == {e["id"] for e in graph["edges"]}
        assert assets.external_references(html) == []
        assert URL.findall(html) == []
        texts: dict[str, str] = {}
        for edge in graph["edges"]:
            for evidence in edge["evidence"]:
                doc_id = evidence["document_id"]
                if doc_id not in texts:
                    texts[doc_id] = client.get(f"/documents/{doc_id}").json()["text"]
                assert texts[doc_id][evidence["start"]:evidence["end"]] == evidence["quote"]
                assert evidence["document_title"]
        assert texts, "the neighbourhood carries evidence"
