"""Neo4j unreachable or refusing the password: 503 from the API, a clear message and exit
code 2 from the command line (no traceback), connection retried with exponential backoff.

The unreachable server is a closed port on 127.0.0.1; a wrong password and a server lost
in the middle of a request are played by a stand-in for the driver, since no Neo4j server
runs here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j.exceptions import AuthError, ServiceUnavailable
from typer.testing import CliRunner

import graph.stores.neo4j_store as neo4j_store
from app import cli
from app.main import create_app
from app.settings import Settings
from graph.stores import StoreUnavailable
from graph.stores.neo4j_store import Neo4jStore, connect
from tests.test_reliability_support import free_port, run_tejido

PASSWORD = "clave-equivocada-77"
API_PATHS = ["/health", "/stats", "/entities?q=corfo", "/documents",
             "/analysis/overlap", "/views/neighbourhood?id=inst:corfo"]


def one_line(text: str) -> str:
    return " ".join(text.split())


def closed_port_url() -> str:
    return f"neo4j://127.0.0.1:{free_port()}"


@pytest.fixture
def backoff(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the Neo4j adapter waits between connection attempts (not slept here)."""
    delays: list[float] = []
    monkeypatch.setattr(neo4j_store.time, "sleep", delays.append)
    return delays


class StandInDriver:
    """Plays the driver: ``verify_connectivity`` raises the given errors in turn, then
    succeeds; sessions fail with ``session_error`` when one is given."""

    def __init__(self, errors: list[Exception], session_error: Exception | None = None) -> None:
        self.errors = list(errors)
        self.session_error = session_error
        self.checks = 0
        self.closed = False

    def verify_connectivity(self) -> None:
        self.checks += 1
        if self.errors:
            raise self.errors.pop(0)

    def session(self, **_: Any) -> StandInSession:
        return StandInSession(self.session_error)

    def close(self) -> None:
        self.closed = True


class StandInSession:
    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def __enter__(self) -> StandInSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def execute_read(self, work: Any) -> Any:
        raise self.error or AssertionError("no session error given")

    execute_write = execute_read


def use_driver(monkeypatch: pytest.MonkeyPatch, driver: StandInDriver) -> None:
    monkeypatch.setattr(neo4j_store.GraphDatabase, "driver", lambda *a, **k: driver)


def app_on(url: str) -> TestClient:
    return TestClient(create_app(settings=Settings(store=url, api_token=None,
                                                   cors_origins=[])))


# --------------------------------------------------------------------------- closed port


@pytest.mark.parametrize("command", [["stats"], ["review"], ["export", "--format", "json"]])
def test_cli_exits_with_a_clear_message_when_neo4j_is_unreachable(
    command: list[str], tmp_path: Path
) -> None:
    url = closed_port_url()
    result = run_tejido(*command, "--store", url,
                        env={"NEO4J_USER": "neo4j", "NEO4J_PASSWORD": PASSWORD})
    assert result.returncode == 2
    message = one_line(result.stderr)
    assert f"cannot reach Neo4j at {url} after 3 attempts" in message
    assert "Traceback" not in result.stderr + result.stdout
    assert PASSWORD not in result.stderr + result.stdout


def test_cli_ingest_into_an_unreachable_neo4j_stops_before_reading(tmp_path: Path) -> None:
    document = tmp_path / "informe.txt"
    document.write_text("El Gobierno Regional de Ñuble coordina con CORFO.\n", encoding="utf-8")
    url = closed_port_url()
    result = run_tejido("ingest", str(document), "--store", url)
    assert result.returncode == 2
    assert "cannot open the store" in one_line(result.stderr)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("path", API_PATHS)
def test_api_answers_503_when_neo4j_is_unreachable(path: str, backoff: list[float]) -> None:
    url = closed_port_url()
    with app_on(url) as client:
        backoff.clear()  # the attempt made at start-up
        response = client.get(path)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"]
    detail = response.json()["detail"]
    assert detail.startswith("the store is unavailable")
    assert f"cannot reach Neo4j at {url} after 3 attempts" in detail
    assert backoff == [0.5, 1.0]


def test_connection_is_retried_with_exponential_backoff(backoff: list[float]) -> None:
    url = closed_port_url()
    with pytest.raises(StoreUnavailable, match="after 5 attempts"):
        Neo4jStore(url, "neo4j", PASSWORD, connect_attempts=5, connect_timeout=1)
    assert backoff == [0.5, 1.0, 2.0, 4.0]


def test_a_server_that_answers_after_transient_failures_is_used(
    monkeypatch: pytest.MonkeyPatch, backoff: list[float]
) -> None:
    driver = StandInDriver([ServiceUnavailable("starting"), ServiceUnavailable("starting")])
    use_driver(monkeypatch, driver)
    assert connect("neo4j://127.0.0.1:7687", ("neo4j", PASSWORD), attempts=3) is driver
    assert driver.checks == 3
    assert backoff == [0.5, 1.0]
    assert not driver.closed


# --------------------------------------------------------------------------- wrong password


def test_wrong_password_is_not_retried_and_says_what_to_check(
    monkeypatch: pytest.MonkeyPatch, backoff: list[float]
) -> None:
    driver = StandInDriver([AuthError("The client is unauthorized due to authentication "
                                      f"failure: {PASSWORD}")])
    use_driver(monkeypatch, driver)
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore("neo4j://127.0.0.1:7687", "neo4j", PASSWORD)
    message = str(caught.value)
    assert "refused the credentials of user 'neo4j'" in message
    assert "NEO4J_PASSWORD" in message and PASSWORD not in message
    assert driver.checks == 1 and driver.closed and backoff == []


def test_cli_with_a_wrong_password_exits_2_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_driver(monkeypatch, StandInDriver([AuthError("unauthorized")]))
    result = CliRunner().invoke(
        cli.app, ["stats", "--store", "neo4j://127.0.0.1:7687"],
        env={"NEO4J_USER": "neo4j", "NEO4J_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    output = one_line(result.output)
    assert "cannot open the store" in output and "refused the credentials" in output
    assert PASSWORD not in result.output


def test_api_with_a_wrong_password_answers_503(monkeypatch: pytest.MonkeyPatch) -> None:
    use_driver(monkeypatch, StandInDriver([AuthError("unauthorized")] * 10))
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    with app_on("neo4j://127.0.0.1:7687") as client:
        response = client.get("/entities", params={"q": "corfo"})
    assert response.status_code == 503
    assert "refused the credentials" in response.json()["detail"]
    assert PASSWORD not in response.text


# --------------------------------------------------------------------------- lost mid-request


def test_a_server_lost_during_a_request_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    driver = StandInDriver([], session_error=ServiceUnavailable("connection reset"))
    use_driver(monkeypatch, driver)
    monkeypatch.setattr(Neo4jStore, "_ensure_schema", lambda self: None)
    with app_on("neo4j://127.0.0.1:7687") as client:
        response = client.get("/stats")
    assert response.status_code == 503
    assert "became unreachable" in response.json()["detail"]
    assert "connection reset" in response.json()["detail"]
