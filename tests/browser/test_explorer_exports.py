"""Standalone files in a real browser with its network cut: every view exported from the
explorer, the view written by ``tejido export view`` and the report open from file:// and
draw every node, asking for nothing but the file itself."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from app.cli_views import export_view
from app.services.filters import AnalysisFilters
from app.services.reports import build_report
from app.services.workspace import Workspace
from graph.stores.sqlite_store import SQLiteStore
from tests.browser.chromium import NEEDS_CHROMIUM, Page
from tests.browser.server import LiveServer
from tests.fixtures.explorer import harness
from tests.fixtures.explorer.browser import (
    assert_quiet,
    drawn_ids,
    go_offline,
    hover_tooltip,
    keep_screenshot,
    screen_position,
    wait_drawn,
)
from tests.fixtures.explorer.dataset import CORFO, HOSTILE, HOSTILE_INSTITUTION, NEIGHBOURS

pytestmark = NEEDS_CHROMIUM

dataset = harness.dataset
server = harness.server
store = harness.store


def open_offline(page: Page, path: Path) -> None:
    """Open a file with the tab's network cut and wait for its drawing."""
    go_offline(page)
    page.open(path.as_uri())
    wait_drawn(page)


def payload_ids(html: str, block_id: str = "tj-graph-data") -> set[str]:
    """Node ids of a page's JSON data block."""
    start = html.index(f'id="{block_id}" type="application/json">') + len(
        f'id="{block_id}" type="application/json">')
    end = html.index("</script>", start)
    return {node["id"] for node in json.loads(html[start:end])["nodes"]}


@pytest.mark.parametrize("kind", ["coordination", "overlap", "duplication", "neighbourhood"])
def test_downloaded_view_draws_from_a_file_with_the_network_cut(
    server: LiveServer, page: Page, tmp_path: Path, kind: str
) -> None:
    params = {"format": "standalone"}
    if kind == "neighbourhood":
        params |= {"id": CORFO, "depth": "2"}
    response = httpx.get(server.url(f"/explore/view/{kind}"), params=params, timeout=30)
    assert response.status_code == 200
    exported = tmp_path / f"{kind}.html"
    exported.write_text(response.text, encoding="utf-8")
    open_offline(page, exported)
    assert drawn_ids(page) == payload_ids(response.text)
    assert page.requested_urls() == [exported.as_uri()]
    assert_quiet(page)


def test_exported_view_of_the_command_draws_offline_with_names_as_text(
    store: SQLiteStore, page: Page, tmp_path: Path
) -> None:
    html = export_view(store, "CORFO", depth=2)
    exported = tmp_path / "corfo.html"
    exported.write_text(html, encoding="utf-8")
    open_offline(page, exported)
    one_hop = {CORFO} | NEIGHBOURS[CORFO]
    assert drawn_ids(page) == one_hop | {m for n in one_hop for m in NEIGHBOURS[n]}
    assert page.requested_urls() == [exported.as_uri()]
    assert_quiet(page)


def test_report_draws_every_view_offline(store: SQLiteStore, page: Page, tmp_path: Path) -> None:
    html = build_report(Workspace(store=store), filters=AnalysisFilters(top=10),
                        generated="2024-01-01")
    report = tmp_path / "informe.html"
    report.write_text(html, encoding="utf-8")
    open_offline(page, report)
    for key in ("coordination", "overlap", "duplication"):
        network = f"tejidoNetworks['tj-view-{key}']"
        assert drawn_ids(page, network) == payload_ids(html, f"tj-data-{key}")
    network = "tejidoNetworks['tj-view-overlap']"
    page.evaluate("document.getElementById('tj-view-overlap').scrollIntoView({block: 'center'})")
    page.pump(0.3)
    position = screen_position(page, HOSTILE, network, "tj-view-overlap")
    assert hover_tooltip(page, *position).splitlines()[0] == HOSTILE_INSTITUTION
    assert page.requested_urls() == [report.as_uri()]
    assert_quiet(page)
    keep_screenshot(page, "report-overlap.png")
