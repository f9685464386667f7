"""Reviewers' verdicts on duplicate programmes, on a store ingested from the Mexico City
inventory fixture and served by uvicorn: recorded through HTTP (token required) and from the
duplication page in Chromium, listed, kept across re-ingestion, filtering the list (API,
page form, command line) and written into the CSV export."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from graph.stores import open_store
from loaders.ingest import ingest
from tests.browser.chromium import NEEDS_CHROMIUM, Chromium, Page
from tests.browser.server import LiveServer
from tests.fixtures.settings import ingested_store, settings_for

CDMX = Path(__file__).resolve().parents[1] / "fixtures" / "inventories" / \
    "cdmx_programas_sociales.csv"
pytestmark = NEEDS_CHROMIUM
TOKEN = "verdict-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return ingested_store(tmp_path / "tejido.db", [CDMX])


@pytest.fixture
def server(store_url: str) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings=settings_for(store_url, api_token=TOKEN))) as live:
        yield live


def _pairs(server: LiveServer, **params: object) -> list[dict]:
    response = httpx.get(server.url("/analysis/duplication"), params={"top": 50, **params})
    assert response.status_code == 200, response.text
    return response.json()["pairs"]


def _key(pair: dict) -> tuple[str, str]:
    return pair["a"], pair["b"]


def test_a_verdict_is_recorded_listed_and_filters_the_list(server: LiveServer) -> None:
    pairs = _pairs(server)
    assert len(pairs) >= 3 and all(p["verdict"] is None for p in pairs)
    first, second = pairs[0], pairs[1]
    body = {"members": [first["b"], first["a"]], "verdict": "not_duplicate",
            "note": "distinto público"}
    refused = httpx.post(server.url("/verdicts"), json=body)
    assert refused.status_code == 401
    recorded = httpx.post(server.url("/verdicts"), json=body, headers=AUTH)
    assert recorded.status_code == 200, recorded.text
    assert [(v["a"], v["b"], v["verdict"]) for v in recorded.json()] == [
        (first["a"], first["b"], "not_duplicate")]
    httpx.post(server.url("/verdicts"), headers=AUTH,
               json={"members": [second["a"], second["b"]], "verdict": "duplicate"})

    listed = httpx.get(server.url("/verdicts")).json()
    assert {(v["a"], v["b"], v["verdict"]) for v in listed} == {
        (first["a"], first["b"], "not_duplicate"), (second["a"], second["b"], "duplicate")}
    labelled = {_key(p): (p["verdict"], p["verdict_note"]) for p in _pairs(server)}
    assert labelled[_key(first)] == ("not_duplicate", "distinto público")
    assert labelled[_key(second)] == ("duplicate", "")

    unreviewed = {_key(p) for p in _pairs(server, verdict="unreviewed")}
    assert _key(first) not in unreviewed and _key(second) not in unreviewed
    assert unreviewed == set(labelled) - {_key(first), _key(second)}
    assert [_key(p) for p in _pairs(server, verdict="not_duplicate")] == [_key(first)]
    assert [_key(p) for p in _pairs(server, verdict="duplicate")] == [_key(second)]

    exported = httpx.get(server.url("/analysis/duplication"),
                         params={"top": 50, "format": "csv"}).text
    rows = {(r["a"], r["b"]): r for r in csv.DictReader(io.StringIO(exported))}
    assert rows[_key(first)]["verdict"] == "not_duplicate"
    assert rows[_key(first)]["verdict_note"] == "distinto público"
    assert rows[_key(second)]["verdict"] == "duplicate"

    bad = httpx.post(server.url("/verdicts"), headers=AUTH,
                     json={"members": [first["a"], first["a"]], "verdict": "duplicate"})
    assert bad.status_code == 422
    unknown = httpx.post(server.url("/verdicts"), headers=AUTH,
                         json={"members": [first["a"], "instr:no-such"], "verdict": "duplicate"})
    assert unknown.status_code == 404
    cleared = httpx.post(server.url("/verdicts"), headers=AUTH,
                         json={"members": [first["a"], first["b"]], "verdict": "none"})
    assert cleared.status_code == 200
    assert _key(first) in {_key(p) for p in _pairs(server, verdict="unreviewed")}


def test_a_cluster_verdict_judges_every_pair_and_survives_reingestion(
    server: LiveServer, store_url: str
) -> None:
    members = sorted({m for p in _pairs(server)[:3] for m in (p["a"], p["b"])})[:3]
    response = httpx.post(server.url("/verdicts"), headers=AUTH,
                          json={"members": members, "verdict": "duplicate", "note": "grupo"})
    assert response.status_code == 200
    assert len(response.json()) == 3

    store = open_store(store_url)
    try:
        document = store.documents()[0]
        store.delete_document(document.id)
        assert not store.get_entity(members[0])
        assert ingest([CDMX], store).documents == 1
        assert len(store.verdicts()) == 3
    finally:
        store.close()
    judged = _pairs(server, verdict="duplicate")
    assert {(p["a"], p["b"]) for p in judged} <= {
        (a, b) for a in members for b in members if a < b}
    assert judged and all(p["verdict_note"] == "grupo" for p in judged)

    env = {**os.environ, "TEJIDO_LANGUAGE": "en"}
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "query", "duplication", "--store", store_url,
         "--verdict", "duplicate", "--format", "csv"],
        capture_output=True, text=True, env=env, check=True).stdout
    cli_rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["a"], r["b"]) for r in cli_rows} == {(p["a"], p["b"]) for p in judged}
    assert all(r["verdict"] == "duplicate" for r in cli_rows)


def test_the_page_marks_a_pair_and_its_form_keeps_the_filters(server: LiveServer) -> None:
    with Chromium() as browser:
        page: Page = browser.new_page()
        page.open(server.url("/explore/duplication?institutions=different&verdict=unreviewed"))
        assert page.evaluate("document.querySelector('select[name=institutions]').value") \
            == "different"
        assert page.evaluate("document.querySelector('select[name=verdict]').value") \
            == "unreviewed"
        before = page.evaluate("document.querySelectorAll('li.tx-duplicate').length")
        first = page.evaluate(
            "[document.querySelector('li.tx-duplicate').dataset.a,"
            " document.querySelector('li.tx-duplicate').dataset.b]")
        page.evaluate(f"""(() => {{
            document.getElementById('tj-verdict-token').value = {TOKEN!r};
            const form = document.querySelector('li.tx-duplicate form.tj-verdict-form');
            form.elements.verdict.value = 'not_duplicate';
            form.elements.note.value = 'otro público';
            form.requestSubmit();
        }})()""")
        page.wait_until(
            "document.readyState === 'complete' && "
            f"document.querySelectorAll('li.tx-duplicate').length === {before - 1}")
        page.open(server.url("/explore/duplication?verdict=not_duplicate"))
        shown = page.evaluate(
            "Array.from(document.querySelectorAll('li.tx-duplicate')).map(li => "
            "[li.dataset.a, li.dataset.b, li.querySelector('.tj-verdict').dataset.verdict, "
            "li.querySelector('.tj-verdict-note').textContent])")
        assert shown == [[*first, "not_duplicate", "otro público"]]
        assert not page.errors()
        browser.close_page(page)
