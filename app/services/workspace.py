"""What every use case works on: the open store, the answers cached per store revision, and
the limits of the settings. The API makes one per application, the command line one per
command; the use cases never ask where they were called from."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import networkx as nx

from app.services.cache import ResultCache
from graph.stores import Store

T = TypeVar("T")
DEFAULT_MAX_VIEW_NODES = 2000


@dataclass
class Workspace:
    """The store a use case reads, its per-revision cache and the node cap of views."""

    store: Store
    cache: ResultCache = field(default_factory=ResultCache)
    max_view_nodes: int = DEFAULT_MAX_VIEW_NODES

    def graph(self) -> nx.MultiDiGraph:
        """The store's projection (itself cached by the store per revision)."""
        return self.store.view()

    def neighbourhood_graph(
        self, entity_id: str, depth: int, opened: Sequence[str] = ()
    ) -> nx.MultiDiGraph:
        """What a neighbourhood view of ``entity_id`` reads: the part of the projection
        around it (Neo4j reads only that, with Cypher) or the whole projection (SQLite)."""
        return self.store.neighbourhood_graph(entity_id, depth, opened)

    def revision(self) -> int:
        """The store's revision: answers of older revisions are never served."""
        return self.store.revision()

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer of ``key`` at the current revision, computed once."""
        return self.cache.get(self.revision(), key, compute)

    def titles(self) -> dict[str, str]:
        """Title of every stored document by id (its file name when it has none)."""
        from app.services.documents import document_titles

        return self.cached(("titles",), lambda: document_titles(self.store))

