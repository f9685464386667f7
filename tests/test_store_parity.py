"""The same input gives the same graph and the same answers on SQLite and on Neo4j.

The shared sample corpus and the CONEVAL inventory (``../shared/catalogs``) are ingested
into a SQLite store and into the Neo4j at ``NEO4J_URI`` (``make test`` starts one); both
must then hold identical documents,
entities, relations with their evidence, mentions and merge candidates, project the same
view, give identical results for every analysis of :data:`app.analyses.ANALYSES`, and the
neighbourhoods Neo4j reads with Cypher equal those of the whole projection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from app.services.analyses import ANALYSES, AnalysisFilters
from app.services.views import expanded_subgraph
from graph.stores.base import Store
from graph.stores.neo4j_store import Neo4jStore
from graph.stores.sqlite_store import SQLiteStore
from loaders.ingest import ingest
from queries.exploration import neighbourhood
from tests.store_contract import full_dump
from tests.test_store_neo4j import NEO4J_SKIP_REASON

SHARED = Path(
    os.environ.get("TEJIDO_SHARED") or Path(__file__).resolve().parents[1] / ".." / "shared"
)
CORPUS = SHARED / "corpus"
CATALOGS = SHARED / "catalogs"

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason=NEO4J_SKIP_REASON),
]


def view_dump(graph: nx.MultiDiGraph) -> dict:
    """A view's nodes with their data and its edges with theirs, in a fixed order."""
    nodes = sorted((str(n), repr(sorted(d.items()))) for n, d in graph.nodes(data=True))
    edges = sorted(
        (str(a), str(b), str(k), repr(sorted(d.items())))
        for a, b, k, d in graph.edges(keys=True, data=True)
    )
    return {"nodes": nodes, "edges": edges}


def analysis_dump(store: Store) -> dict[str, list]:
    """Every analysis with default filters, its rows as JSON-ready data."""
    graph = store.view()
    filters = AnalysisFilters()
    return {
        name: [row.model_dump(mode="json") if hasattr(row, "model_dump") else row
               for row in analysis.items(graph, filters)]
        for name, analysis in ANALYSES.items()
    }


@pytest.fixture
def neo4j_store() -> Iterator[Neo4jStore]:
    """The Neo4j of the run, emptied."""
    store = Neo4jStore.from_env()
    store.clear()
    yield store
    store.close()


def test_the_corpus_and_inventory_give_identical_stores_and_answers(
    neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    for folder in (CORPUS, CATALOGS):
        if not folder.is_dir():
            pytest.skip(f"{folder}: the shared sample data is absent (set TEJIDO_SHARED)")
    sqlite = SQLiteStore(f"sqlite:///{tmp_path / 'tejido.db'}")
    try:
        sqlite_summary = ingest([CORPUS, CATALOGS], sqlite)
        neo4j_summary = ingest([CORPUS, CATALOGS], neo4j_store)
        assert not sqlite_summary.failures and not neo4j_summary.failures
        assert sqlite_summary.documents == neo4j_summary.documents > 0

        expected, got = full_dump(sqlite), full_dump(neo4j_store)
        assert got["stats"]["relations"] and got["stats"]["evidence"] > 0
        for part in ("documents", "entities", "relations", "mentions", "candidates", "stats"):
            assert got[part] == expected[part], part

        assert view_dump(neo4j_store.view()) == view_dump(sqlite.view())
        expected_answers = analysis_dump(sqlite)
        assert any(expected_answers.values())
        assert analysis_dump(neo4j_store) == expected_answers
        fresh = Neo4jStore.from_env()   # no projection cached: neighbourhoods by Cypher
        try:
            assert_same_neighbourhoods(sqlite, fresh)
            assert fresh.neighbourhood_graph(next(iter(fresh.view())), 1) is fresh.view()
        finally:
            fresh.close()
    finally:
        sqlite.close()


def assert_same_neighbourhoods(sqlite: SQLiteStore, neo4j: Neo4jStore) -> None:
    """Neighbourhoods read with Cypher from Neo4j's surroundings of an entity (``neo4j`` has
    no projection cached) equal those taken from the whole projection: at every depth a view
    allows, cut at a small node cap and with opened nodes, for the most connected entities,
    the governance levels and some leaves."""
    graph = sqlite.view()
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))
    levels = [n for n in ranked if graph.nodes[n].get("label") == "GovernanceLevel"]
    centres = ranked[:8] + levels[:2] + ranked[-4:]
    assert len(centres) >= 10
    for centre in centres:
        for depth in (1, 2, 3):
            for cap in (12, 2000):
                local = neo4j.neighbourhood_graph(centre, depth)
                assert local.number_of_nodes() < graph.number_of_nodes() or depth > 1
                assert neighbourhood(local, centre, depth=depth, limit=cap) == neighbourhood(
                    graph, centre, depth=depth, limit=cap), (centre, depth, cap)
        opened = [n for n in graph.successors(centre)][:2] + ranked[:1]
        local = neo4j.neighbourhood_graph(centre, 2, opened)
        assert expanded_subgraph(local, centre, 2, opened, 60) == expanded_subgraph(
            graph, centre, 2, opened, 60), (centre, opened)
    assert neo4j.neighbourhood_graph("no-such-entity", 2).number_of_nodes() == 0
