"""Deleting a document leaves a store as if the document had never been ingested.

The shared sample corpus is ingested; its last file is deleted through the store protocol;
the store must then equal a reference into which only the other files were ingested:
documents, entities, relations with their evidence, mentions, merge candidates, counts and
every analysis. On SQLite always, on Neo4j when ``NEO4J_URI`` is set (the reference is then
the SQLite one: both stores give the same answers for the same input, see
tests/test_store_parity.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.stores.sqlite_store import SQLiteStore
from loaders.ingest import ingest
from tests.store_contract import BOTH_STORES, fresh_store, full_dump
from tests.test_store_parity import CORPUS, analysis_dump, view_dump


def corpus_files() -> list[Path]:
    """The corpus's files, in the order ingestion reads them."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS}: the shared sample corpus is absent (set TEJIDO_SHARED)")
    return sorted(p for p in CORPUS.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Dumps of a SQLite store of every corpus file but the last."""
    files = corpus_files()
    store = SQLiteStore(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'tejido.db'}")
    try:
        summary = ingest(files[:-1], store)
        assert summary.documents == len(files) - 1 and not summary.failures
        return {"store": full_dump(store), "view": view_dump(store.view()),
                "answers": analysis_dump(store)}
    finally:
        store.close()


def _ingest_all_then_delete_the_last(store) -> None:
    files = corpus_files()
    summary = ingest(files, store)
    assert summary.documents == len(files) and not summary.failures
    (last,) = [d for d in store.documents() if d.path == str(files[-1])]
    before = store.stats()
    result = store.delete_document(last.id)
    assert result.path == str(files[-1])
    after = store.stats()
    assert after.documents == before.documents - 1 and after.passages < before.passages


def _assert_equal(store, reference: dict) -> None:
    dumped = full_dump(store)
    for part in ("documents", "entities", "relations", "mentions", "candidates", "stats"):
        assert dumped[part] == reference["store"][part], part
    assert view_dump(store.view()) == reference["view"]
    assert analysis_dump(store) == reference["answers"]


@pytest.mark.parametrize("kind", BOTH_STORES)
def test_deleting_a_document_leaves_the_reference(
    kind: str, reference: dict, tmp_path: Path
) -> None:
    with fresh_store(kind, tmp_path) as store:
        _ingest_all_then_delete_the_last(store)
        _assert_equal(store, reference)
