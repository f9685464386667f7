"""Stores: one protocol (:mod:`graph.stores.base`), two adapters (SQLite, Neo4j)."""

from graph.stores.base import Store, StoreError, StoreUnavailable
from graph.stores.factory import open_store

__all__ = ["Store", "StoreError", "StoreUnavailable", "open_store"]
