"""Security: a read-only API by default, write endpoints behind a bearer token, bounded
uploads saved under generated names, a same-origin Content-Security-Policy on every HTML
page, CORS only when configured, and no secret in any log.

Cypher injection (labels and types only from the ontology, values only as parameters) is
tested in tests/test_cypher_builder.py.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

import app.security
from app.main import EMBEDDABLE_PREFIXES, create_app
from app.routers import admin
from app.settings import Settings
from graph.stores.sqlite_store import SQLiteStore
from tests.fixtures.api.dataset import CHILLAN, SERCOTEC, nuble_extraction
from tests.test_reliability_support import free_port, live_server, run_tejido, sqlite_url

TOKEN = "t0ken-de-escritura-9f8e7d"
NEO4J_PASSWORD = "clave-neo4j-5a4b3c"
GOOD_TEXT = (
    "La Corporación de Fomento de la Producción (CORFO) trabaja en coordinación con el "
    "Gobierno Regional de Ñuble en el Programa de Desarrollo Productivo Regional.\n"
)
ALLOWED_CSP_SOURCES = {"'self'", "'unsafe-inline'", "'none'", "data:"}
CSP_HASH = re.compile(r"'sha256-[A-Za-z0-9+/]+=*'")


def inline_scripts(page: bytes) -> list[bytes]:
    """The text of every inline script that runs (not data blocks, not files), parsed with
    lxml's HTML parser rather than the pattern the server uses."""
    from lxml import html as lxml_html

    scripts = lxml_html.fromstring(page).iter("script")
    return [
        (script.text or "").encode() for script in scripts
        if script.get("src") is None and script.get("type") != "application/json"
        and (script.text or "").strip()
    ]


def csp_hash(script: bytes) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
LOCAL_LINK = re.compile(r"""href\s*=\s*["'](/[^"'/][^"']*)["']""", re.IGNORECASE)
EXTERNAL_REFERENCE = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE
)


def settings_for(store_url: str, **changes: object) -> Settings:
    """Settings of a test app: no token, no CORS, unless ``changes`` say otherwise."""
    values: dict = {"store": store_url, "api_token": None, "cors_origins": [],
                    "gazetteer_paths": []}
    values.update(changes)
    return Settings(**values)


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """A fresh store holding the hand-made Ñuble document (SERCOTEC, Chillán...)."""
    url = sqlite_url(tmp_path / "store" / "tejido.db")
    with SQLiteStore(url) as store:
        store.write(nuble_extraction())
    return url


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder every temporary file and folder goes to during the test."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def client_for(settings: Settings) -> TestClient:
    return TestClient(create_app(settings=settings))


@pytest.fixture
def writer(store_url: str, spool: Path) -> Iterator[TestClient]:
    """A client of an app with a write token, sending it."""
    with client_for(settings_for(store_url, api_token=TOKEN)) as client:
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield client


def upload(client: TestClient, *files: tuple[str, bytes], **kwargs: object) -> httpx.Response:
    return client.post("/ingest", files=[("files", file) for file in files], **kwargs)


def revision(store_url: str) -> int:
    with SQLiteStore(store_url) as store:
        return store.revision()


NUBLE_ID = nuble_extraction().document.id
WRITE_REQUESTS = [
    ("/ingest", {"files": [("files", ("informe.txt", GOOD_TEXT.encode()))]}),
    ("/merge", {"json": {"kept": SERCOTEC, "merged": CHILLAN}}),
    ("/unmerge", {"json": {"merge_id": 1}}),
    (f"DELETE /documents/{NUBLE_ID}", {}),
]


def send(client: TestClient, path: str, **kwargs: object) -> httpx.Response:
    """POST to ``path``, or the method it starts with (``DELETE /documents/...``)."""
    method, _, target = path.rpartition(" ")
    return client.request(method or "POST", target, **kwargs)


# --------------------------------------------------------------------------- the token


@pytest.mark.parametrize(("path", "request_kwargs"), WRITE_REQUESTS, ids=lambda v: str(v)[:8])
@pytest.mark.parametrize("authorization", [None, f"Bearer {TOKEN}"])
def test_write_endpoints_are_off_without_a_configured_token(
    store_url: str, path: str, request_kwargs: dict, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    before = revision(store_url)
    with client_for(settings_for(store_url)) as client:
        response = send(client, path, headers=headers, **request_kwargs)
    assert response.status_code == 403
    assert "TEJIDO_API_TOKEN" in response.json()["detail"]
    assert revision(store_url) == before


@pytest.mark.parametrize(("path", "request_kwargs"), WRITE_REQUESTS, ids=lambda v: str(v)[:8])
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer otro-token", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}",
     f"Basic {TOKEN}", TOKEN, f"Token {TOKEN}", f"Bearer  {TOKEN} ", f"Bearer  {TOKEN}",
     f"Bearer\t{TOKEN}", f"Bearer {TOKEN} {TOKEN}", f" Bearer {TOKEN}x"],
)
def test_write_endpoints_need_the_exact_bearer_token(
    store_url: str, path: str, request_kwargs: dict, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    before = revision(store_url)
    with client_for(settings_for(store_url, api_token=TOKEN)) as client:
        response = send(client, path, headers=headers, params={"token": TOKEN}, **request_kwargs)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]
    assert revision(store_url) == before


def test_the_token_is_compared_in_constant_time(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real_compare = app.security.hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return real_compare(given, expected)

    monkeypatch.setattr(app.security.hmac, "compare_digest", spy)
    with client_for(settings_for(store_url, api_token=TOKEN)) as client:
        wrong = client.post("/unmerge", json={"merge_id": 1},
                            headers={"Authorization": "Bearer adivinanza"})
        right = client.post("/unmerge", json={"merge_id": 1},
                            headers={"Authorization": f"Bearer {TOKEN}"})
    assert wrong.status_code == 401
    assert right.status_code == 404  # past the token: there is no merge 1
    assert compared == [(b"adivinanza", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


def test_the_token_is_checked_before_an_upload_is_read(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real_form = Request.form

    def spy(self: Request, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        parsed.append(self.url.path)
        return real_form(self, *args, **kwargs)

    monkeypatch.setattr(Request, "form", spy)
    files = {"files": ("informe.txt", GOOD_TEXT.encode())}
    with client_for(settings_for(store_url, api_token=TOKEN)) as client:
        assert client.post("/ingest", files=files).status_code == 401
        assert client.post("/ingest", files=files,
                           headers={"Authorization": "Bearer no"}).status_code == 401
    with client_for(settings_for(store_url)) as client:
        assert client.post("/ingest", files=files).status_code == 403
    assert parsed == []


def test_the_openapi_schema_declares_the_bearer_scheme_on_write_endpoints(
    store_url: str,
) -> None:
    with client_for(settings_for(store_url)) as client:
        schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values() if s["type"] == "http"} == {"bearer"}
    for path in ("/ingest", "/merge", "/unmerge", "/verdicts"):
        assert schema["paths"][path]["post"]["security"], path
    assert schema["paths"]["/documents/{document_id}"]["delete"]["security"]
    for path, operations in schema["paths"].items():
        for method in operations:
            assert method == "get" or path in {"/ingest", "/merge", "/unmerge", "/verdicts"} or (
                (path, method) == ("/documents/{document_id}", "delete")
            ), (path, method)


# --------------------------------------------------------------------------- deletion


def test_deleting_a_document_with_the_token(writer: TestClient, store_url: str) -> None:
    assert writer.get(f"/documents/{NUBLE_ID}").status_code == 200
    assert writer.get(f"/entities/{SERCOTEC}").status_code == 200
    deleted = writer.delete(f"/documents/{NUBLE_ID}")
    assert deleted.status_code == 200, deleted.text
    body = deleted.json()
    assert body["document_id"] == NUBLE_ID and body["entities_removed"] > 0
    assert writer.get(f"/documents/{NUBLE_ID}").status_code == 404
    assert writer.get(f"/entities/{SERCOTEC}").status_code == 404
    assert writer.get("/stats").json()["documents"] == 0
    again = writer.delete(f"/documents/{NUBLE_ID}")
    assert again.status_code == 404 and NUBLE_ID in again.json()["detail"]
    assert writer.delete("/documents/no es un id").status_code == 422


# --------------------------------------------------------------------------- merges


def test_merge_and_unmerge_with_the_token(writer: TestClient) -> None:
    merged = writer.post("/merge", json={"kept": SERCOTEC, "merged": CHILLAN,
                                         "reason": "prueba"})
    assert merged.status_code == 200, merged.text
    record = merged.json()
    assert (record["kept_id"], record["merged_id"], record["undone"]) == (SERCOTEC, CHILLAN,
                                                                          False)
    assert writer.get(f"/entities/{CHILLAN}").status_code == 404

    undone = writer.post("/unmerge", json={"merge_id": record["id"]})
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone"] is True
    assert writer.get(f"/entities/{CHILLAN}").status_code == 200

    again = writer.post("/unmerge", json={"merge_id": record["id"]})
    assert again.status_code == 409
    assert "already undone" in again.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/merge", {"kept": SERCOTEC, "merged": "inst:no-existe"}, 404),
        ("/merge", {"kept": "inst:no-existe", "merged": SERCOTEC}, 404),
        ("/merge", {"kept": SERCOTEC, "merged": SERCOTEC}, 422),
        ("/merge", {"kept": SERCOTEC, "merged": "../../etc/passwd"}, 422),
        ("/merge", {"kept": SERCOTEC, "merged": CHILLAN, "reason": "x" * 1001}, 422),
        ("/merge", {"kept": SERCOTEC}, 422),
        ("/unmerge", {"merge_id": 999}, 404),
        ("/unmerge", {"merge_id": 0}, 422),
        ("/unmerge", {"merge_id": "1; DROP TABLE merges"}, 422),
        ("/unmerge", {"merge_id": 2**70}, 422),
    ],
)
def test_bad_merge_requests_are_4xx_with_a_message(
    writer: TestClient, store_url: str, path: str, body: dict, status: int
) -> None:
    before = revision(store_url)
    response = writer.post(path, json=body)
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert revision(store_url) == before


# --------------------------------------------------------------------------- uploads


def test_an_upload_is_saved_under_a_generated_name_and_removed(
    writer: TestClient, spool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_paths: list[Path] = []
    real_ingest = admin.ingest_upload

    def spy(saved, *args):  # type: ignore[no-untyped-def]
        saved_paths.append(saved.path)
        assert saved.path.read_bytes() == GOOD_TEXT.encode()
        return real_ingest(saved, *args)

    monkeypatch.setattr(admin, "ingest_upload", spy)
    response = upload(writer, ("../../../etc/cron.d/informe.md", GOOD_TEXT.encode()))
    assert response.status_code == 200, response.text
    assert response.json()["files"][0]["file"] == "informe.md"
    assert response.json()["documents"] == 1

    [saved] = saved_paths
    assert saved.is_relative_to(spool)
    assert re.fullmatch(r"[0-9a-f]{32}\.md", saved.name)
    assert list(spool.iterdir()) == []  # the temporary folder is gone
    documents = writer.get("/documents").json()
    assert [doc["path"] for doc in documents if doc["format"] == "md"] == ["upload/informe.md"]


@pytest.mark.parametrize(
    ("client_name", "label"),
    [("C:\\Users\\ana\\informe.txt", "informe.txt"), ("/etc/passwd.txt", "passwd.txt"),
     ("..", "upload"), ("in\x00for\nme.txt", "informe.txt")],
)
def test_client_file_names_are_only_labels(client_name: str, label: str) -> None:
    assert app.security.client_file_name(client_name) == label


def test_failures_name_the_client_file_never_the_server_path(
    writer: TestClient, spool: Path
) -> None:
    response = upload(writer, ("vacio.txt", b""), ("bueno.txt", GOOD_TEXT.encode()),
                      ("programa.exe", b"MZ\x90\x00"))
    assert response.status_code == 200, response.text
    files = {entry["file"]: entry for entry in response.json()["files"]}
    assert files["vacio.txt"]["status"] == "failed"
    assert files["vacio.txt"]["reason"] == "empty file (0 bytes)"
    assert files["programa.exe"]["status"] == "failed"
    assert "unsupported format '.exe'" in files["programa.exe"]["reason"]
    assert files["bueno.txt"]["status"] == "ingested"
    assert str(spool) not in response.text


def test_an_upload_of_nothing_readable_is_422(writer: TestClient) -> None:
    response = upload(writer, ("vacio.txt", b""))
    assert response.status_code == 422
    assert response.json()["detail"]["files"][0]["reason"] == "empty file (0 bytes)"
    assert writer.post("/ingest", data={"path": "/etc/passwd"},
                       files={"otro": ("a.txt", b"x")}).status_code == 422


def test_uploading_the_same_file_again_changes_nothing_and_an_edit_replaces_it(
    writer: TestClient, store_url: str
) -> None:
    first = upload(writer, ("informe.txt", GOOD_TEXT.encode())).json()["files"][0]
    before = revision(store_url)
    again = upload(writer, ("informe.txt", GOOD_TEXT.encode())).json()["files"][0]
    assert again["status"] == "unchanged"
    assert revision(store_url) == before
    edited = upload(writer, ("informe.txt", GOOD_TEXT.replace("Ñuble", "Maule").encode()))
    assert edited.json()["files"][0]["replaced"] == first["document_id"]
    paths = [doc["path"] for doc in writer.get("/documents").json()]
    assert paths.count("upload/informe.txt") == 1


def test_a_broken_user_gazetteer_is_named_in_the_upload_error(
    store_url: str, spool: Path
) -> None:
    gazetteer = Path(__file__).resolve().parent / "fixtures" / "bad" / "broken_gazetteer.yaml"
    settings = settings_for(store_url, api_token=TOKEN, gazetteer_paths=[str(gazetteer)])
    before = revision(store_url)
    with client_for(settings) as client:
        response = upload(client, ("informe.txt", GOOD_TEXT.encode()),
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "gazetteer" in detail and str(gazetteer) in detail
    assert revision(store_url) == before
    assert list(spool.iterdir()) == []


def test_an_upload_over_the_limit_is_413_and_stores_nothing(
    store_url: str, spool: Path
) -> None:
    settings = settings_for(store_url, api_token=TOKEN, max_upload_bytes=2_000)
    before = revision(store_url)
    with client_for(settings) as client:
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        one_big = upload(client, ("grande.txt", b"a" * 2_001))
        assert one_big.status_code == 413
        assert "2,000 bytes" in one_big.json()["detail"]
        just_right = upload(client, ("justo.txt", GOOD_TEXT.encode().ljust(2_000, b" ")))
        assert just_right.status_code == 200
        after_good = revision(store_url)
        limit = app.security.request_body_limit(2_000)
        declared = client.post("/ingest", content=b"x" * (limit + 1),
                               headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert declared.status_code == 413

        def chunks() -> Iterator[bytes]:
            for _ in range(limit // 65_536 + 2):
                yield b"y" * 65_536

        streamed = client.post("/ingest", content=chunks(),
                               headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert streamed.status_code == 413
        assert "over the limit" in streamed.json()["detail"]
    assert after_good == before + 1
    assert revision(store_url) == after_good
    assert list(spool.iterdir()) == []


def test_an_oversized_body_is_refused_before_the_token_is_even_checked(
    store_url: str,
) -> None:
    settings = settings_for(store_url, api_token=TOKEN, max_upload_bytes=1_000)
    limit = app.security.request_body_limit(1_000)
    with client_for(settings) as client:
        response = client.post("/merge", content=b"{" + b" " * limit + b"}",
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        bad_length = client.post("/merge", content=b"{}",
                                 headers={"Content-Length": "dos", "Content-Type": "text/plain"})
        assert bad_length.status_code == 400


# --------------------------------------------------------------------------- pages, CORS


def html_pages(client: TestClient, seeds: list[str], limit: int = 60) -> dict[str, httpx.Response]:
    """HTML pages reached from ``seeds`` by following the server's own links (at most
    ``limit``), by path and query."""
    queue, seen, pages = list(seeds), set(seeds), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        pages[url] = response
        for link in LOCAL_LINK.findall(response.text):
            link = html.unescape(link).split("#", 1)[0]
            if link and not link.startswith("/static/") and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def test_every_html_page_allows_only_the_server_itself(store_url: str) -> None:
    seeds = ["/", "/docs", f"/views/neighbourhood?id={SERCOTEC}"]
    with client_for(settings_for(store_url)) as client:
        pages = html_pages(client, seeds)
    assert set(seeds) <= set(pages)
    assert any(path.startswith("/explore/entity/") for path in pages), sorted(pages)
    assert inline_scripts(pages["/docs"].content)  # a page whose inline script is hashed
    for path, response in pages.items():
        assert response.status_code == 200, (path, response.text[:300])
        policy = response.headers["content-security-policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["default-src"] == ["'self'"], path
        for name, sources in directives.items():
            if name == "frame-ancestors":  # graph views are embeddable, nothing else is
                assert sources == (["*"] if path.startswith(EMBEDDABLE_PREFIXES)
                                   else ["'none'"]), (path, sources)
                continue
            hashed = {s for s in sources if name == "script-src" and CSP_HASH.fullmatch(s)}
            assert set(sources) - hashed <= ALLOWED_CSP_SOURCES, (path, name, sources)
            assert name != "script-src" or "'unsafe-inline'" not in sources, path
        inline = inline_scripts(response.content)
        assert {csp_hash(script) for script in inline} == set(
            s for s in directives["script-src"] if CSP_HASH.fullmatch(s)), path
        assert EXTERNAL_REFERENCE.findall(response.text) == [], path
        assert response.headers["x-content-type-options"] == "nosniff"


def test_cors_preflight_only_for_configured_origins(store_url: str) -> None:
    preflight = {"Access-Control-Request-Method": "GET"}
    with client_for(settings_for(store_url)) as client:
        response = client.options("/entities", headers={"Origin": "https://a.example",
                                                        **preflight})
        assert "access-control-allow-origin" not in response.headers
    allowed = settings_for(store_url, cors_origins=["https://informes.example"])
    with client_for(allowed) as client:
        ok = client.options("/entities", headers={"Origin": "https://informes.example",
                                                  **preflight})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://informes.example"
        refused = client.options("/entities", headers={"Origin": "https://otro.example",
                                                       **preflight})
        assert "access-control-allow-origin" not in refused.headers
        assert client.get("/entities", headers={"Origin": "https://otro.example"}).headers.get(
            "access-control-allow-origin") is None


def test_cors_origins_come_from_the_environment(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEJIDO_CORS_ORIGINS", "https://informes.example")
    monkeypatch.setenv("TEJIDO_STORE", store_url)
    monkeypatch.delenv("TEJIDO_API_TOKEN", raising=False)
    with TestClient(create_app()) as client:
        response = client.get("/entities", headers={"Origin": "https://informes.example"})
    assert response.headers["access-control-allow-origin"] == "https://informes.example"


# --------------------------------------------------------------------------- logs


@pytest.mark.slow
def test_secrets_never_appear_in_logs_or_answers(store_url: str, tmp_path: Path) -> None:
    secrets = {"TEJIDO_API_TOKEN": TOKEN, "NEO4J_PASSWORD": NEO4J_PASSWORD,
               "NEO4J_USER": "neo4j"}
    answers: list[str] = []
    log = tmp_path / "server.log"
    with live_server(store_url, log, env=secrets, log_level="debug") as base:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=base, timeout=60) as http:
            responses = [
                http.post("/ingest", headers=auth,
                          files={"files": ("informe.txt", GOOD_TEXT.encode())}),
                http.post("/merge", headers=auth, json={"kept": SERCOTEC, "merged": CHILLAN}),
                http.post("/merge", headers={"Authorization": f"Bearer {TOKEN}-mal"},
                          json={"kept": SERCOTEC, "merged": CHILLAN}),
                http.post("/unmerge", headers=auth, json={"merge_id": 99}),
                http.get("/health"),
                http.get("/entities", params={"q": "sercotec"}),
            ]
        assert [r.status_code for r in responses] == [200, 200, 401, 404, 200, 200]
        answers += [r.text for r in responses]

    neo4j_log = tmp_path / "neo4j.log"
    neo4j_url = f"neo4j://127.0.0.1:{free_port()}"
    with live_server(neo4j_url, neo4j_log, env=secrets, log_level="debug") as base:
        unavailable = httpx.get(f"{base}/health", timeout=60)
        assert unavailable.status_code == 503
        answers.append(unavailable.text)
    cli = run_tejido("stats", "--store", neo4j_url, env=secrets)
    assert cli.returncode == 2

    outputs = [log.read_text(), neo4j_log.read_text(), cli.stdout, cli.stderr, *answers]
    assert "POST /merge" in outputs[0]  # the log was captured
    assert "Neo4j" in outputs[1] + cli.stderr
    for output in outputs:
        assert TOKEN not in output
        assert NEO4J_PASSWORD not in output
