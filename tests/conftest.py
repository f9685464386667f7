"""Shared fixtures. Stores: an embedded SQLite store in the test's own temporary folder.

Tests marked ``neo4j`` use the one Neo4j server of the run (``NEO4J_URI``, started by
``tests/neo4j/with-neo4j.sh`` in ``make test``), whose community edition has one database:
they run on one xdist worker (group ``neo4j``, with ``--dist loadgroup``) and, whatever the
distribution, one at a time (a file lock per server), each starting from an empty store.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.stores.sqlite_store import SQLiteStore


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Send every Neo4j test to the same xdist worker (``--dist loadgroup``)."""
    for item in items:
        if item.get_closest_marker("neo4j"):
            item.add_marker(pytest.mark.xdist_group("neo4j"))


@pytest.fixture(autouse=True)
def _neo4j_exclusive(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hold the server's lock for the whole of a Neo4j test (no lock for other tests)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri or request.node.get_closest_marker("neo4j") is None:
        yield
        return
    key = hashlib.sha256(uri.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"tejido-neo4j-{key}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def sqlite_store_url(tmp_path: Path) -> str:
    """URL of a SQLite store file (not yet created) in the test's temporary folder."""
    return f"sqlite:///{tmp_path / 'store' / 'tejido.db'}"


@pytest.fixture
def sqlite_store(sqlite_store_url: str) -> Iterator[SQLiteStore]:
    """An empty SQLite store, closed after the test."""
    store = SQLiteStore(sqlite_store_url)
    yield store
    store.close()


# --------------------------------------------------------------------------- API and views


@pytest.fixture(scope="session")
def api_dataset(tmp_path_factory: pytest.TempPathFactory):
    """A SQLite store with real data, built once per session (see tests/fixtures/api/dataset.py).

    Read-only for the tests that use it: a test that writes makes its own store.
    """
    from tests.fixtures.api.dataset import build_dataset

    return build_dataset(tmp_path_factory.mktemp("api") / "tejido.db")


@pytest.fixture
def api_client(api_dataset):
    """A TestClient of the application on :func:`api_dataset`'s store, lifespan included."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.fixtures.settings import settings_for

    app = create_app(settings=settings_for(api_dataset.url))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def shared_corpus_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with the shared sample corpus ingested (skips if ../shared is absent)."""
    import os

    from loaders.ingest import ingest

    shared = Path(os.environ.get("TEJIDO_SHARED")
                  or Path(__file__).resolve().parents[1] / ".." / "shared")
    corpus = shared / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus}: the shared sample corpus is absent (set TEJIDO_SHARED)")
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'tejido.db'}"
    store = SQLiteStore(url)
    try:
        summary = ingest([corpus], store)
    finally:
        store.close()
    assert summary.documents > 0 and not summary.failures, summary.failures
    return url
