"""The JSON API through HTTP, against a real SQLite store file with real data.

The store (tests/fixtures/api/dataset.py) holds one document run through the real
pipeline and one hand-built extraction whose graph is known exactly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import app.main as main_module
from app.main import CONTENT_SECURITY_POLICY, create_app
from app.settings import Settings
from app.views.assets import external_references
from tests.fixtures.api.dataset import (
    BID,
    CHILLAN,
    FONDO_CRECE,
    GORE_NUBLE,
    HOSTILE,
    NUBLE_SENTENCES,
    NUBLE_TEXT,
    NUBLE_TITLE,
    REGION_NUBLE,
    SERCOTEC,
    SERCOTEC_DEPTH_1,
    SERCOTEC_DEPTH_2,
)


def ids(response) -> list[str]:
    """Entity ids of a search response."""
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def quiet_settings(**values) -> Settings:
    """Settings that ignore the environment's TEJIDO_* variables for the given fields."""
    base = {"api_token": None, "cors_origins": [], "max_view_nodes": 2000}
    return Settings(**(base | values))


# --------------------------------------------------------------------------- health, stats


def test_health_names_the_store_kind_and_revision(api_client: TestClient) -> None:
    body = api_client.get("/health").json()
    assert body["status"] == "ok"
    assert body["store"] == "sqlite"
    assert body["revision"] >= 2  # two documents were written
    assert body["read_only"] is True


def test_health_says_when_an_api_token_is_configured(api_dataset) -> None:
    settings = quiet_settings(store=api_dataset.url, api_token="s3cret")
    with TestClient(create_app(settings=settings)) as client:
        assert client.get("/health").json()["read_only"] is False


def test_stats_count_both_documents(api_client: TestClient) -> None:
    body = api_client.get("/stats").json()
    assert body["documents"] == 2
    assert body["relations"]["FUNDS"] >= 1
    assert body["relations"]["COVERS"] >= 1
    assert body["entities"]["Institution"] >= 5
    assert body["evidence"] >= len(NUBLE_SENTENCES) - 1


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("q", ["nuble", "ÑUBLE", "Ñuble", "gobierno regional de ñu"])
def test_search_ignores_accents_and_case(api_client: TestClient, q: str) -> None:
    assert GORE_NUBLE in ids(api_client.get("/entities", params={"q": q}))


def test_search_with_and_without_accents_gives_the_same_answer(api_client: TestClient) -> None:
    accented = ids(api_client.get("/entities", params={"q": "Cooperación Técnica"}))
    plain = ids(api_client.get("/entities", params={"q": "cooperacion tecnica"}))
    assert accented == plain
    assert accented[0] == SERCOTEC


def test_search_finds_acronyms_and_pipeline_entities(api_client: TestClient) -> None:
    assert ids(api_client.get("/entities", params={"q": "sercotec"}))[0] == SERCOTEC
    corfo = api_client.get("/entities", params={"q": "corfo"}).json()["items"]
    assert corfo, "the pipeline document names CORFO"
    assert corfo[0]["acronym"] == "CORFO"
    assert "Fomento" in corfo[0]["name"]


def test_search_filters_by_type_level_and_country(api_client: TestClient) -> None:
    local = api_client.get(
        "/entities", params={"type": "Institution", "level": "local", "country": "cl"}
    ).json()["items"]
    assert CHILLAN in [item["id"] for item in local]
    assert {(item["label"], item["level"], item["country"]) for item in local} == {
        ("Institution", "local", "CL")
    }
    territories = api_client.get("/entities", params={"type": "Territory"}).json()["items"]
    assert REGION_NUBLE in [item["id"] for item in territories]
    assert {item["label"] for item in territories} == {"Territory"}
    supranational = ids(api_client.get("/entities", params={"level": "supranational"}))
    assert BID in supranational
    assert SERCOTEC not in supranational


def test_search_pages_cover_the_list_without_repeats(api_client: TestClient) -> None:
    everything = ids(api_client.get("/entities", params={"limit": 500}))
    pages: list[str] = []
    for offset in range(0, len(everything), 3):
        pages += ids(api_client.get("/entities", params={"limit": 3, "offset": offset}))
    assert pages == everything
    assert len(set(everything)) == len(everything)


def test_search_with_no_match_is_an_empty_page(api_client: TestClient) -> None:
    assert ids(api_client.get("/entities", params={"q": "zzzqqq"})) == []


# --------------------------------------------------------------------------- entity detail


def test_entity_detail_has_properties_relations_and_sourced_evidence(
    api_client: TestClient,
) -> None:
    response = api_client.get(f"/entities/{SERCOTEC}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["entity"]["acronym"] == "SERCOTEC"
    assert body["entity"]["level"] == "national"
    seen = {(r["type"], r["direction"], r["other"]["id"]) for r in body["relations"]}
    assert seen == {
        ("RESPONSIBLE_FOR", "out", FONDO_CRECE),
        ("COORDINATES_WITH", "out", CHILLAN),
        ("COORDINATES_WITH", "in", BID),
        ("COORDINATES_WITH", "in", HOSTILE),
    }
    responsible = next(r for r in body["relations"] if r["type"] == "RESPONSIBLE_FOR")
    assert responsible["other"] == {
        "id": FONDO_CRECE, "label": "Instrument", "name": "Fondo Crece", "level": "national",
    }
    [evidence] = responsible["evidence"]
    assert evidence["document_title"] == NUBLE_TITLE
    assert evidence["quote"] == NUBLE_SENTENCES[1]
    assert NUBLE_TEXT[evidence["start"]:evidence["end"]] == evidence["quote"]


def test_entity_detail_of_an_unknown_id_is_404(api_client: TestClient) -> None:
    response = api_client.get("/entities/inst:no-such-body")
    assert response.status_code == 404
    assert "inst:no-such-body" in response.json()["detail"]


# --------------------------------------------------------------------------- neighbourhood


@pytest.mark.parametrize(("depth", "expected"), [(1, SERCOTEC_DEPTH_1), (2, SERCOTEC_DEPTH_2)])
def test_neighbourhood_by_depth(api_client: TestClient, depth: int, expected: set[str]) -> None:
    response = api_client.get("/graph/neighbourhood", params={"id": SERCOTEC, "depth": depth})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["center"] == SERCOTEC
    assert body["truncated"] is False
    assert {node["id"] for node in body["nodes"]} == expected
    depths = {node["id"]: node["depth"] for node in body["nodes"]}
    assert depths[SERCOTEC] == 0
    assert depths[FONDO_CRECE] == 1
    for edge in body["edges"]:
        assert edge["source"] in expected and edge["target"] in expected
        assert edge["evidence"], f"{edge['id']} has no evidence"
        assert edge["evidence"][0]["document_title"] == NUBLE_TITLE
    assert len(body["edges"]) == len(expected) - 1  # the fixture's graph is a tree


def test_neighbourhood_stops_at_the_limit_and_says_so(api_client: TestClient) -> None:
    body = api_client.get(
        "/graph/neighbourhood", params={"id": SERCOTEC, "depth": 2, "limit": 3}
    ).json()
    assert len(body["nodes"]) == 3
    assert body["truncated"] is True


def test_neighbourhood_of_an_unknown_id_is_404(api_client: TestClient) -> None:
    response = api_client.get("/graph/neighbourhood", params={"id": "inst:nobody"})
    assert response.status_code == 404
    assert "inst:nobody" in response.json()["detail"]


# --------------------------------------------------------------------------- documents


def test_documents_are_listed_without_text(api_client: TestClient, api_dataset) -> None:
    body = api_client.get("/documents").json()
    by_id = {doc["id"]: doc for doc in body}
    assert set(by_id) == {api_dataset.nuble_document_id, api_dataset.pipeline_document_id}
    assert by_id[api_dataset.nuble_document_id]["title"] == NUBLE_TITLE
    assert all("text" not in doc for doc in body)


def test_document_detail_has_text_and_passage_count(api_client: TestClient, api_dataset) -> None:
    body = api_client.get(f"/documents/{api_dataset.nuble_document_id}").json()
    assert body["text"] == NUBLE_TEXT
    assert body["length"] == len(NUBLE_TEXT)
    assert body["passages"] == len(NUBLE_SENTENCES)
    assert body["highlight"] is None
    pipeline = api_client.get(f"/documents/{api_dataset.pipeline_document_id}").json()
    assert pipeline["passages"] >= 1
    assert "CORFO" in pipeline["text"]


def test_document_highlight_returns_the_evidence_span(
    api_client: TestClient, api_dataset
) -> None:
    evidence = next(
        r for r in api_client.get(f"/entities/{GORE_NUBLE}").json()["relations"]
        if r["type"] == "FUNDS"
    )["evidence"][0]
    body = api_client.get(
        f"/documents/{evidence['document_id']}",
        params={"highlight": f"{evidence['start']},{evidence['end']}"},
    ).json()
    assert body["highlight"] == {
        "start": evidence["start"], "end": evidence["end"], "text": NUBLE_SENTENCES[2],
    }


@pytest.mark.parametrize("highlight", ["5,2", "0,99999", "a,b", "1", "-1,3", "1,2,3"])
def test_document_highlight_out_of_range_or_malformed_is_422(
    api_client: TestClient, api_dataset, highlight: str
) -> None:
    response = api_client.get(
        f"/documents/{api_dataset.nuble_document_id}", params={"highlight": highlight}
    )
    assert response.status_code == 422
    assert "highlight" in str(response.json())


def test_unknown_document_is_404(api_client: TestClient) -> None:
    response = api_client.get("/documents/" + "0" * 64)
    assert response.status_code == 404
    assert "0" * 64 in response.json()["detail"]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/graph/neighbourhood", {"id": SERCOTEC, "depth": 9}, "depth"),
        ("/graph/neighbourhood", {"id": SERCOTEC, "depth": 0}, "depth"),
        ("/graph/neighbourhood", {"id": SERCOTEC, "depth": "two"}, "depth"),
        ("/graph/neighbourhood", {"id": SERCOTEC, "limit": 0}, "limit"),
        ("/graph/neighbourhood", {}, "id"),
        ("/graph/neighbourhood", {"id": "no colon"}, "id"),
        ("/entities", {"limit": 10000}, "limit"),
        ("/entities", {"limit": 0}, "limit"),
        ("/entities", {"offset": -1}, "offset"),
        ("/entities", {"type": "Dragon"}, "type"),
        ("/entities", {"level": "galactic"}, "level"),
        ("/entities", {"country": "Chile"}, "country"),
        ("/entities", {"q": "x" * 201}, "q"),
        ("/views/neighbourhood", {"id": SERCOTEC, "depth": 9}, "depth"),
        ("/views/neighbourhood", {"id": SERCOTEC, "layout": "zigzag"}, "layout"),
        ("/views/neighbourhood", {"id": SERCOTEC, "standalone": "perhaps"}, "standalone"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(
    api_client: TestClient, path: str, params: dict, parameter: str
) -> None:
    response = api_client.get(path, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert f"'{parameter}'" in body["message"]
    assert any(error["loc"][-1] == parameter for error in body["detail"])


@pytest.mark.parametrize(
    "q", ['"', '*', 'AND (', 'NEAR(a b)', '%', "'; DROP TABLE entities; --", "\u0000", "ñ" * 200],
)
def test_hostile_search_text_is_never_a_server_error(api_client: TestClient, q: str) -> None:
    response = api_client.get("/entities", params={"q": q})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "path",
    ["/entities/inst:%3Cscript%3E", "/entities/x:%E2%80%AE", "/documents/..%2F..%2Fetc",
     "/entities/" + "a" * 400],
)
def test_odd_ids_are_404_or_422_never_500(api_client: TestClient, path: str) -> None:
    assert api_client.get(path).status_code in (404, 422)


# --------------------------------------------------------------------------- store unavailable


def garbage_store(tmp_path: Path) -> str:
    """URL of a file that exists but is not a SQLite database."""
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database, just text " * 100)
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    "path",
    ["/health", "/stats", "/entities?q=x", f"/entities/{SERCOTEC}",
     f"/graph/neighbourhood?id={SERCOTEC}", "/documents", f"/views/neighbourhood?id={SERCOTEC}"],
)
def test_unavailable_store_is_503_with_the_reason(tmp_path: Path, path: str) -> None:
    url = garbage_store(tmp_path)
    with TestClient(create_app(settings=quiet_settings(store=url))) as client:
        response = client.get(path)
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "unavailable" in detail
    assert "broken.db" in detail


def test_unsupported_store_url_is_503_not_a_crash() -> None:
    with TestClient(create_app(settings=quiet_settings(store="mongodb://nowhere"))) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert "mongodb://nowhere" in response.json()["detail"]


def test_pages_that_need_no_store_still_answer(tmp_path: Path) -> None:
    with TestClient(create_app(settings=quiet_settings(store=garbage_store(tmp_path)))) as client:
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").status_code == 200


def test_store_is_opened_again_once_it_can_be(tmp_path: Path) -> None:
    url = garbage_store(tmp_path)
    with TestClient(create_app(settings=quiet_settings(store=url))) as client:
        assert client.get("/health").status_code == 503
        (tmp_path / "broken.db").unlink()  # the next request may create a fresh store
        response = client.get("/health")
        assert response.status_code == 200
        assert client.get("/stats").json()["documents"] == 0


# --------------------------------------------------------------------------- settings, headers


def test_store_url_argument_wins_over_settings(api_dataset) -> None:
    app = create_app(api_dataset.url, settings=quiet_settings(store="sqlite:///elsewhere.db"))
    assert app.state.settings.store == api_dataset.url
    with TestClient(app) as client:
        assert client.get("/stats").json()["documents"] == 2


def test_settings_come_from_tejido_environment_variables(monkeypatch) -> None:
    monkeypatch.setenv("TEJIDO_STORE", "sqlite:///from-env.db")
    monkeypatch.setenv("TEJIDO_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("TEJIDO_MAX_VIEW_NODES", "120")
    monkeypatch.setenv("TEJIDO_GAZETTEER", os.pathsep.join(["one.yaml", "two.yaml"]))
    monkeypatch.setenv("TEJIDO_API_TOKEN", "")
    settings = Settings()
    assert settings.store == "sqlite:///from-env.db"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.max_view_nodes == 120
    assert settings.gazetteer_paths == ["one.yaml", "two.yaml"]
    assert settings.read_only


def test_settings_defaults(monkeypatch) -> None:
    for name in ("TEJIDO_STORE", "TEJIDO_API_TOKEN", "TEJIDO_CORS_ORIGINS",
                 "TEJIDO_MAX_VIEW_NODES", "TEJIDO_MAX_UPLOAD_BYTES", "TEJIDO_GAZETTEER",
                 "TEJIDO_GAZETTEER_PATHS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.store == "sqlite:///data/tejido.db"
    assert settings.api_token is None
    assert settings.cors_origins == []
    assert settings.max_view_nodes == 2000
    assert settings.gazetteer_paths == []


def test_html_responses_carry_the_content_security_policy(api_client: TestClient) -> None:
    for path in (f"/views/neighbourhood?id={SERCOTEC}", "/docs"):
        response = api_client.get(path)
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert policy.startswith(CONTENT_SECURITY_POLICY.split("script-src")[0])
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"
    json_response = api_client.get("/health")
    assert json_response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in json_response.headers


def test_cors_is_off_unless_origins_are_configured(api_dataset) -> None:
    origin = {"Origin": "https://research.example"}
    with TestClient(create_app(settings=quiet_settings(store=api_dataset.url))) as client:
        assert "access-control-allow-origin" not in client.get("/health", headers=origin).headers
    allowed = quiet_settings(store=api_dataset.url, cors_origins=["https://research.example"])
    with TestClient(create_app(settings=allowed)) as client:
        headers = client.get("/health", headers=origin).headers
        assert headers["access-control-allow-origin"] == "https://research.example"
        other = client.get("/health", headers={"Origin": "https://elsewhere.example"}).headers
        assert "access-control-allow-origin" not in other


def test_api_docs_are_served_offline(api_client: TestClient) -> None:
    page = api_client.get("/docs").text
    assert external_references(page) == []
    assert "https://" not in page and "http://" not in page
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css"):
        assert f'"{asset}"' in page
        assert api_client.get(asset).status_code == 200
    paths = api_client.get("/openapi.json").json()["paths"]
    for path in ("/health", "/stats", "/entities", "/entities/{entity_id}",
                 "/graph/neighbourhood", "/documents", "/documents/{document_id}",
                 "/views/neighbourhood"):
        assert path in paths


def test_docs_without_fastapi_offline_say_so_and_stay_offline(api_dataset, monkeypatch) -> None:
    monkeypatch.setattr(main_module, "_docs_assets", lambda: None)
    with TestClient(create_app(settings=quiet_settings(store=api_dataset.url))) as client:
        page = client.get("/docs")
        assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 404
    assert page.status_code == 200
    assert "fastapi-offline" in page.text
    assert 'href="/openapi.json"' in page.text
    assert external_references(page.text) == []
