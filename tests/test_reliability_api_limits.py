"""API limits and validation: every parameter bounded, depth at most 3, pages at most 500
rows, views capped; a refusal is a 4xx with a message, never a 5xx.

The schema itself is checked parameter by parameter, and then Schemathesis runs over it
against live servers on 127.0.0.1 (read-only, and with a write token), with the checks
``not_a_server_error``, ``response_schema_conformance``, ``content_type_conformance`` and
``negative_data_rejection``, a fixed seed and a bounded number of examples.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.main import create_app
from app.settings import Settings
from tests.fixtures.api.dataset import SERCOTEC, build_dataset
from tests.test_reliability_support import child_env, live_server, sqlite_url

SCHEMATHESIS_CHECKS = (
    "not_a_server_error,status_code_conformance,response_schema_conformance,"
    "content_type_conformance,response_headers_conformance,negative_data_rejection,"
    "unsupported_method,allow_header_conformance"
)
SCHEMATHESIS_EXAMPLES = 40
SCHEMATHESIS_SEED = 20261121
TOKEN = "token-de-prueba-de-esquema"
GRAPH_DATA = re.compile(
    r'<script id="tj-graph-data" type="application/json">(.*?)</script>', re.DOTALL
)


@pytest.fixture(scope="module")
def dataset_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with real data (see tests/fixtures/api/dataset.py), built once here."""
    return build_dataset(tmp_path_factory.mktemp("limits") / "tejido.db").path


@pytest.fixture
def client(dataset_path: Path) -> TestClient:
    settings = Settings(store=sqlite_url(dataset_path), api_token=None, cors_origins=[],
                        gazetteer_paths=[])
    with TestClient(create_app(settings=settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def openapi(dataset_path: Path) -> dict:
    settings = Settings(store=sqlite_url(dataset_path), api_token=None, cors_origins=[],
                        gazetteer_paths=[])
    with TestClient(create_app(settings=settings)) as test_client:
        return test_client.get("/openapi.json").json()


# --------------------------------------------------------------------------- the schema


def resolve(schema: dict, openapi: dict) -> dict:
    """``schema`` with a local ``$ref`` followed."""
    while "$ref" in schema:
        node: dict = openapi
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def pattern_is_bounded(pattern: str | None) -> bool:
    """Whether a regular expression only matches strings up to some length: anchored at
    both ends, with no ``*``, ``+`` or open ``{n,}`` repetition (escapes aside)."""
    if not pattern or not (pattern.startswith("^") and pattern.endswith("$")):
        return False
    plain = re.sub(r"\\.", "", pattern)
    return not re.search(r"[*+]|\{\d*,\}", plain)


def unbounded(schema: dict, openapi: dict, where: str) -> list[str]:
    """What in ``schema`` lets a client send a value of unbounded size or range."""
    schema = resolve(schema, openapi)
    for alternatives in ("anyOf", "oneOf", "allOf"):
        if alternatives in schema:
            return [problem for option in schema[alternatives]
                    for problem in unbounded(option, openapi, where)]
    if "enum" in schema or "const" in schema:
        return []
    kind = schema.get("type")
    if kind in ("null", "boolean"):
        return []
    if kind in ("integer", "number"):
        low = "minimum" in schema or "exclusiveMinimum" in schema
        high = "maximum" in schema or "exclusiveMaximum" in schema
        return [] if low and high else [f"{where}: a number without both bounds"]
    if kind == "string":
        if "maxLength" in schema or schema.get("format") == "binary":
            return []
        if pattern_is_bounded(schema.get("pattern")):
            return []
        return [f"{where}: a string without maxLength or a pattern of bounded length"]
    if kind == "array":
        problems = [] if "maxItems" in schema else [f"{where}: an array without maxItems"]
        return problems + unbounded(schema.get("items", {}), openapi, f"{where}[]")
    if kind == "object":
        problems = [
            problem for name, sub in schema.get("properties", {}).items()
            for problem in unbounded(sub, openapi, f"{where}.{name}")
        ]
        if schema.get("additionalProperties") not in (None, False):
            problems.append(f"{where}: an object with free-form properties")
        return problems
    return [f"{where}: a value of no declared type"]


@pytest.mark.parametrize(
    ("schema", "bounded"),
    [
        ({"type": "string"}, False),
        ({"type": "string", "pattern": "^[a-z]+$"}, False),
        ({"type": "string", "pattern": "^[a-z]{2,}$"}, False),
        ({"type": "string", "pattern": "[a-z]{2}"}, False),
        ({"type": "string", "pattern": "^[a-z]{2}$"}, True),
        ({"type": "string", "maxLength": 5}, True),
        ({"type": "integer", "minimum": 1}, False),
        ({"type": "integer", "minimum": 1, "maximum": 3}, True),
        ({"anyOf": [{"type": "integer", "minimum": 0, "maximum": 1}, {"type": "string"}]},
         False),
        ({"type": "array", "items": {"type": "string", "maxLength": 3}}, False),
        ({"type": "object", "additionalProperties": True}, False),
        ({"enum": ["json", "csv"]}, True),
    ],
)
def test_the_bounds_checker_itself(schema: dict, bounded: bool) -> None:
    assert (unbounded(schema, {}, "x") == []) is bounded


def test_every_parameter_and_body_field_is_bounded(openapi: dict) -> None:
    problems = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                problems += unbounded(parameter["schema"], openapi,
                                      f"{where} {parameter['in']} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                problems += unbounded(media["schema"], openapi, f"{where} body")
    assert problems == []


def test_the_neighbourhood_depth_is_at_most_three(openapi: dict) -> None:
    depths = [
        resolve(parameter["schema"], openapi)
        for operations in openapi["paths"].values() for operation in operations.values()
        for parameter in operation.get("parameters", []) if parameter["name"] == "depth"
    ]
    assert depths
    assert all(d["maximum"] == 3 and d["minimum"] == 1 for d in depths), depths


def test_page_sizes_are_at_most_five_hundred(openapi: dict) -> None:
    sizes = {
        (path, parameter["name"]): resolve(parameter["schema"], openapi)
        for path, operations in openapi["paths"].items() for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] in ("limit", "top") and path != "/graph/neighbourhood"
    }
    assert ("/entities", "limit") in sizes
    for key, schema in sizes.items():
        bound = schema.get("maximum") or max(
            option.get("maximum", 0) for option in schema.get("anyOf", []))
        assert bound <= 500, key


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/entities", {"limit": 500}, 200),
        ("/entities", {"limit": 501}, 422),
        ("/entities", {"offset": 1_000_001}, 422),
        ("/graph/neighbourhood", {"id": SERCOTEC, "depth": 3}, 200),
        ("/graph/neighbourhood", {"id": SERCOTEC, "depth": 4}, 422),
        ("/views/neighbourhood", {"id": SERCOTEC, "depth": 4}, 422),
        ("/analysis/overlap", {"top": 500}, 200),
        ("/analysis/overlap", {"top": 501}, 422),
        ("/analysis/duplication", {"min_score": 1.5}, 422),
        ("/analysis/coordination", {"level_pair": "national," * 10}, 422),
        ("/entities", {"country": "C1"}, 422),
    ],
)
def test_bounds_are_enforced_with_a_message(
    client: TestClient, path: str, params: dict, status: int
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    if status >= 400:
        body = response.json()
        assert body.get("message") or body.get("detail")


def test_view_size_is_capped_by_the_setting(dataset_path: Path) -> None:
    settings = Settings(store=sqlite_url(dataset_path), api_token=None, cors_origins=[],
                        max_view_nodes=3)
    with TestClient(create_app(settings=settings)) as capped:
        page = capped.get("/views/neighbourhood", params={"id": SERCOTEC, "depth": 3}).text
    graph = json.loads(GRAPH_DATA.search(page).group(1))
    assert len(graph["nodes"]) == 3
    assert "TEJIDO_MAX_VIEW_NODES = 3" in page


@pytest.mark.parametrize("cap", [0, 100_001])
def test_the_view_cap_itself_is_bounded(cap: int) -> None:
    with pytest.raises(ValidationError, match="max_view_nodes"):
        Settings(max_view_nodes=cap)


def test_a_method_a_path_does_not_take_is_answered_with_every_method_it_takes(
    client: TestClient,
) -> None:
    document = client.get("/documents").json()[0]["id"]
    refused = client.put(f"/documents/{document}")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "DELETE, GET"
    assert client.post("/entities").headers["allow"] == "GET"


# --------------------------------------------------------------------------- schemathesis


def schemathesis_command() -> list[str]:
    script = Path(sys.executable).with_name("schemathesis")
    if not script.exists():
        pytest.skip("schemathesis is not installed (it is in the test extras)")
    return [str(script)]


@pytest.mark.slow
@pytest.mark.parametrize("with_token", [False, True], ids=["read-only", "with-token"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    dataset_path: Path, tmp_path: Path, with_token: bool
) -> None:
    command = schemathesis_command()
    store = tmp_path / "tejido.db"
    shutil.copy(dataset_path, store)  # the run with a token may write
    env = {"TEJIDO_API_TOKEN": TOKEN, "TEJIDO_MAX_UPLOAD_BYTES": "200000"} if with_token else {}
    with live_server(sqlite_url(store), tmp_path / "server.log", env=env) as base:
        arguments = [
            "run", f"{base}/openapi.json", "--checks", SCHEMATHESIS_CHECKS,
            "--max-examples", str(SCHEMATHESIS_EXAMPLES), "--seed", str(SCHEMATHESIS_SEED),
            "--workers", "1", "--request-timeout", "60",
        ]
        if with_token:
            arguments += ["--header", f"Authorization: Bearer {TOKEN}"]
        result = subprocess.run(
            [*command, *arguments], cwd=tmp_path, env=child_env(), capture_output=True,
            text=True, check=False,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"(\d+) generated, \1 passed", output), output[-3000:]
    assert "Traceback" not in (tmp_path / "server.log").read_text()
