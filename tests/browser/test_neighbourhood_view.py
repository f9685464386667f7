"""The neighbourhood view in a real browser: drawn, offline, silent, and names shown as text."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from app.main import create_app
from app.views.network import PHYSICS_NODE_LIMIT, build_network
from app.views.page import render_network_page
from queries.results import Subgraph, SubgraphEdge, SubgraphNode
from tests.browser.chromium import NEEDS_CHROMIUM, Page
from tests.browser.server import LiveServer
from tests.fixtures.api.dataset import HOSTILE, HOSTILE_NAME, SERCOTEC, SERCOTEC_DEPTH_2
from tests.fixtures.settings import settings_for

pytestmark = NEEDS_CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DRAWN = "document.body.dataset.stable === 'true'"


def open_view(page: Page, url: str) -> None:
    """Load a view and wait until its network is drawn and still."""
    page.open(url)
    page.wait_until(DRAWN)


def node_screen_position(page: Page, node_id: str) -> tuple[float, float]:
    """Where a node is on the screen (viewport coordinates)."""
    script = (
        "(function (id) {"
        " var box = document.getElementById('mynetwork').getBoundingClientRect();"
        " var p = network.canvasToDOM(network.getPositions([id])[id]);"
        " return JSON.stringify([p.x + box.left, p.y + box.top]);"
        f"}})({json.dumps(node_id)})"
    )
    x, y = json.loads(page.evaluate(script))
    return x, y


def assert_quiet(page: Page) -> None:
    """No console error, exception, CSP violation or dialog happened."""
    assert page.errors() == []
    assert page.events_named("Page.javascriptDialogOpening") == []


def test_served_view_draws_every_node_and_stays_on_the_server(
    live_server: LiveServer, page: Page
) -> None:
    open_view(page, live_server.url(f"/views/neighbourhood?id={SERCOTEC}&depth=2"))
    assert page.evaluate("network.body.data.nodes.length") == len(SERCOTEC_DEPTH_2)
    assert page.evaluate("network.body.data.edges.length") == len(SERCOTEC_DEPTH_2) - 1
    drawn = set(page.evaluate("Object.keys(network.getPositions())"))
    assert drawn == SERCOTEC_DEPTH_2
    urls = page.requested_urls()
    assert any(url.endswith("/static/vis-network/vis-network.min.js") for url in urls)
    outside = [url for url in urls if not url.startswith(live_server.base_url + "/")]
    assert outside == []
    assert_quiet(page)
    shot = page.screenshot(ARTIFACTS / "neighbourhood.png")
    assert shot.stat().st_size > 5_000


def test_hostile_name_shows_as_text_in_heading_and_tooltip(
    live_server: LiveServer, page: Page
) -> None:
    open_view(page, live_server.url(f"/views/neighbourhood?id={SERCOTEC}"))
    x, y = node_screen_position(page, HOSTILE)
    page.send("Input.dispatchMouseEvent", type="mouseMoved", x=x - 40, y=y - 40)
    page.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    tooltip = page.wait_until(
        "(function () { var t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility === 'visible' ? t.innerText : ''; })()"
    )
    assert tooltip.splitlines()[0] == HOSTILE_NAME
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0
    page.screenshot(ARTIFACTS / "neighbourhood-tooltip.png")
    open_view(page, live_server.url(f"/views/neighbourhood?id={HOSTILE}"))
    heading = page.evaluate("document.getElementById('tj-heading').textContent")
    assert heading == f"Vecindario de {HOSTILE_NAME}"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert_quiet(page)


def test_standalone_export_works_from_a_file_with_no_server(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    response = httpx.get(
        live_server.url("/views/neighbourhood"),
        params={"id": SERCOTEC, "depth": 2, "standalone": 1}, timeout=30,
    )
    assert response.status_code == 200
    exported = tmp_path / "vista.html"
    exported.write_text(response.text, encoding="utf-8")
    open_view(page, exported.as_uri())
    assert page.evaluate("network.body.data.nodes.length") == len(SERCOTEC_DEPTH_2)
    assert page.requested_urls() == [exported.as_uri()]
    assert_quiet(page)


def test_large_view_keeps_the_computed_positions(page: Page, tmp_path: Path) -> None:
    size = PHYSICS_NODE_LIMIT + 60
    nodes = [SubgraphNode(id="inst:c", label="Institution", name="Centro", level="national",
                          depth=0)]
    nodes += [SubgraphNode(id=f"inst:n{i}", label="Institution", name=f"Consejo {i}",
                           level=("regional", "local")[i % 2], depth=1) for i in range(1, size)]
    edges = [SubgraphEdge(id=f"e{i}", source="inst:c", target=f"inst:n{i}",
                          type="PARTICIPATES_IN") for i in range(1, size)]
    net = build_network(Subgraph(center="inst:c", depth=1, nodes=nodes, edges=edges))
    html = render_network_page(net, title="grande", heading="Vista grande", summary="",
                               standalone=True)
    exported = tmp_path / "grande.html"
    exported.write_text(html, encoding="utf-8")
    open_view(page, exported.as_uri())
    assert page.evaluate("network.body.data.nodes.length") == size
    assert page.evaluate("network.physics.physicsEnabled") is False
    expected = {node["id"]: (node["x"], node["y"]) for node in net.nodes}
    drawn = json.loads(page.evaluate("JSON.stringify(network.getPositions())"))
    assert set(drawn) == set(expected)
    moved = [key for key, (x, y) in expected.items()  # vis reports whole pixels
             if abs(drawn[key]["x"] - x) > 1 or abs(drawn[key]["y"] - y) > 1]
    assert moved == [], [(k, expected[k], drawn[k]) for k in moved[:3]]
    assert_quiet(page)
    page.screenshot(ARTIFACTS / "large-view.png")


def test_api_docs_load_offline_under_the_content_security_policy(
    live_server: LiveServer, page: Page
) -> None:
    page.open(live_server.url("/docs"))
    page.wait_until("document.querySelectorAll('.opblock').length >= 8")
    outside = [url for url in page.requested_urls()
               if not url.startswith(live_server.base_url + "/") and not url.startswith("data:")]
    assert outside == []
    assert_quiet(page)


def test_shared_corpus_view_draws_what_the_api_returns(
    shared_corpus_store_url: str, page: Page
) -> None:
    settings = settings_for(shared_corpus_store_url)
    with LiveServer(create_app(settings=settings)) as server:
        entities = httpx.get(server.url("/entities"), params={"type": "Institution",
                                                              "limit": 500}).json()["items"]
        sizes = {}
        for entity in entities:
            graph = httpx.get(server.url("/graph/neighbourhood"),
                              params={"id": entity["id"], "depth": 2}).json()
            sizes[entity["id"]] = (len(graph["nodes"]), len(graph["edges"]))
        centre = max(sizes, key=lambda key: sizes[key])
        open_view(page, server.url(f"/views/neighbourhood?id={centre}&depth=2"))
        assert page.evaluate("network.body.data.nodes.length") == sizes[centre][0]
        assert page.evaluate("network.body.data.edges.length") == sizes[centre][1]
        outside = [u for u in page.requested_urls() if not u.startswith(server.base_url + "/")]
        assert outside == []
        assert_quiet(page)
        page.screenshot(ARTIFACTS / "shared-corpus.png")
