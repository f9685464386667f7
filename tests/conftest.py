"""Shared fixtures. Stores: an embedded SQLite store in the test's own temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.stores.sqlite_store import SQLiteStore


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
