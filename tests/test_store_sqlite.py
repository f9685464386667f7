"""The SQLite store: the store contract on files in tmp_path, plus what only SQLite has."""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
import types
from pathlib import Path

import networkx as nx
import pytest

from graph.model import Entity, Evidence, Relation, entity_id
from graph.stores.base import StoreError, StoreUnavailable
from graph.stores.factory import DEFAULT_STORE_URL, open_store
from graph.stores.sqlite_store import SCHEMA_VERSION, SQLiteStore, fts_match_expression
from tests.store_contract import (
    ExtractionBuilder,
    StoreContract,
    convenio_extraction,
    corfo,
    corfo_duplicate,
    focal,
    full_dump,
    make_document,
    produce,
    seminario_extraction,
    taller_edited_extraction,
    taller_extraction,
)


class TestSQLiteStoreContract(StoreContract):
    """The contract, each test on its own file."""

    @pytest.fixture
    def make_store(self, tmp_path: Path):
        url = f"sqlite:///{tmp_path / 'contract.db'}"
        return lambda: SQLiteStore(url)


def _raw(store: SQLiteStore) -> sqlite3.Connection:
    return sqlite3.connect(store.path, isolation_level=None)


# ---------------------------------------------------------------------------- the file


def test_file_is_wal_with_the_schema_version(sqlite_store: SQLiteStore) -> None:
    sqlite_store.write(taller_extraction())
    raw = _raw(sqlite_store)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert {"documents", "passages", "entities", "aliases", "relations", "evidence",
                "mentions", "merges", "merge_candidates", "meta", "entity_fts",
                "passage_fts"} <= tables
    finally:
        raw.close()
    conn = sqlite_store._conn()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_integrity_check_after_writes_replacement_and_merges(
    sqlite_store: SQLiteStore,
) -> None:
    for extraction in (taller_extraction(), seminario_extraction(), convenio_extraction()):
        sqlite_store.write(extraction)
    sqlite_store.write(taller_edited_extraction())
    record = sqlite_store.merge(corfo().id, "inst:corporacion-de-fomento@cl")
    assert sqlite_store.integrity_check() == ["ok"]
    sqlite_store.unmerge(record.id)
    assert sqlite_store.integrity_check() == ["ok"]


def test_integrity_check_reports_a_broken_fts_index(sqlite_store: SQLiteStore) -> None:
    sqlite_store.write(taller_extraction())
    raw = _raw(sqlite_store)
    try:  # an edit behind the store's back: the FTS index no longer matches its content
        raw.execute("UPDATE entities SET search_text = 'x' WHERE rid = 1")
        raw.execute("DROP TRIGGER entities_fts_update")
        raw.execute("UPDATE entities SET search_text = 'otra cosa' WHERE rid = 1")
    finally:
        raw.close()
    assert sqlite_store.integrity_check() != ["ok"]


def test_reopening_keeps_the_data(sqlite_store_url: str) -> None:
    store = SQLiteStore(sqlite_store_url)
    store.write(taller_extraction())
    revision = store.revision()
    store.close()
    again = SQLiteStore(sqlite_store_url)
    try:
        assert again.revision() == revision
        assert again.get_entity(corfo().id) == corfo()
    finally:
        again.close()


def test_a_file_that_is_not_sqlite_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "notas.db"
    path.write_text("Esto no es una base de datos SQLite, sino notas de un taller.\n" * 50)
    with pytest.raises(StoreUnavailable, match=re.escape(str(path))) as caught:
        SQLiteStore(f"sqlite:///{path}")
    assert "not a database" in str(caught.value)


def test_a_sqlite_database_of_something_else_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "otra.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE inventario (programa TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreUnavailable, match="not a Tejido store"):
        SQLiteStore(f"sqlite:///{path}")


def test_a_newer_schema_is_unavailable(sqlite_store_url: str) -> None:
    SQLiteStore(sqlite_store_url).close()
    path = sqlite_store_url.removeprefix("sqlite:///")
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreUnavailable, match="newer"):
        SQLiteStore(sqlite_store_url)


def test_a_folder_that_cannot_be_created_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "ocupado"
    blocker.write_text("un archivo donde debería ir una carpeta")
    with pytest.raises(StoreUnavailable, match="ocupado") as caught:
        SQLiteStore(f"sqlite:///{blocker / 'datos' / 'tejido.db'}")
    assert "cannot create the folder" in str(caught.value)


def test_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "tejido.db"
    SQLiteStore(f"sqlite:///{path}").close()
    assert path.is_file()


def test_malformed_urls_are_refused() -> None:
    for url in ("sqlite:///", "sqlite:///:memory:", "postgres:///x.db"):
        with pytest.raises(ValueError):
            SQLiteStore(url)


def test_a_closed_store_says_so(sqlite_store_url: str) -> None:
    with SQLiteStore(sqlite_store_url) as store:
        assert store.stats().documents == 0
    with pytest.raises(StoreError, match="closed"):
        store.stats()


# ---------------------------------------------------------------------------- threads


def test_reads_from_another_thread_during_an_open_write_transaction(
    sqlite_store: SQLiteStore,
) -> None:
    sqlite_store.write(taller_extraction())
    writer = _raw(sqlite_store)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE meta SET value = value + 100 WHERE key = 'revision'")
    writer.execute("DELETE FROM aliases")
    results: dict[str, object] = {}

    def read() -> None:
        try:
            results["stats"] = sqlite_store.stats()
            results["search"] = [e.id for e in sqlite_store.search_entities("corfo")]
            results["view"] = sqlite_store.view().number_of_nodes()
        except Exception as exc:  # reported below, in the test's own thread
            results["error"] = exc

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()  # before the write ends: a read that waited for it would fail with "locked"
    writer.execute("ROLLBACK")
    writer.close()
    assert "error" not in results, results.get("error")
    assert results["search"] == [corfo().id]        # the committed state, not the open one
    assert results["stats"].revision == sqlite_store.revision()
    assert results["view"] == len(list(sqlite_store.entities()))


def test_writes_from_several_threads(sqlite_store: SQLiteStore) -> None:
    extractions = [taller_extraction(), seminario_extraction(), convenio_extraction()]
    errors: list[Exception] = []

    def write(extraction) -> None:
        try:
            sqlite_store.write(extraction)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(x,)) for x in extractions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sqlite_store.stats().documents == 3
    assert sqlite_store.integrity_check() == ["ok"]


def test_connections_of_finished_threads_are_closed(sqlite_store: SQLiteStore) -> None:
    sqlite_store.write(taller_extraction())
    for _ in range(5):
        worker = threading.Thread(target=sqlite_store.stats)
        worker.start()
        worker.join()
    assert sqlite_store.connection_count <= 2   # this thread's and the last worker's
    assert sqlite_store.stats().documents == 1


def test_two_store_objects_on_one_file_see_each_other(sqlite_store_url: str) -> None:
    first, second = SQLiteStore(sqlite_store_url), SQLiteStore(sqlite_store_url)
    try:
        assert second.view().number_of_nodes() == 0
        first.write(taller_extraction())
        assert second.has_document(taller_extraction().document.id)
        assert second.view().number_of_nodes() == first.view().number_of_nodes() > 0
    finally:
        first.close()
        second.close()


# ---------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "q", ['"', "*", "AND (", "NEAR", "NEAR(corfo biobio, 2)", "corfo OR", '"corfo',
          "corfo*", "^corfo", "-corfo", "name:corfo", "entity_fts:corfo", "(((", "AND",
          "NOT corfo", "'", "\\", "\x00", "   ", "  corfo  "],
)
def test_hostile_search_input_never_raises(sqlite_store: SQLiteStore, q: str) -> None:
    sqlite_store.write(taller_extraction())
    assert isinstance(sqlite_store.search_entities(q), list)


@pytest.mark.parametrize("q", ["corfo", "gobierno regional", "bio", "<script>", ""])
def test_search_ids_are_those_of_the_entity_search_in_its_order(
    sqlite_store: SQLiteStore, q: str
) -> None:
    sqlite_store.write(taller_extraction())
    found = [e.id for e in sqlite_store.search_entities(q, limit=10)]
    assert sqlite_store.search_entity_ids(q, limit=10) == found
    assert found or q in ("<script>", "")


def test_search_words_are_quoted_and_the_last_is_a_prefix() -> None:
    assert fts_match_expression("Bío Bío") == '"Bio" "Bio"*'
    assert fts_match_expression('AND ("corfo"') == '"AND" "corfo"*'
    assert fts_match_expression('" * (') is None
    assert fts_match_expression("NEAR") == '"NEAR"*'


def test_search_finds_names_absorbed_later(sqlite_store: SQLiteStore) -> None:
    sqlite_store.write(taller_extraction())
    assert [e.id for e in sqlite_store.search_entities("corfo", limit=5)] == [corfo().id]
    sqlite_store.merge(corfo().id, entity_id("Institution", "Gobierno Regional del Biobío", "CL"))
    assert [e.id for e in sqlite_store.search_entities("gore bio")] == [corfo().id]


def test_unknown_label_and_negative_paging_are_refused(sqlite_store: SQLiteStore) -> None:
    with pytest.raises(ValueError, match="Agency"):
        sqlite_store.search_entities("corfo", label="Agency")
    with pytest.raises(ValueError, match="Agency"):
        list(sqlite_store.entities(label="Agency"))
    with pytest.raises(ValueError, match="limit"):
        sqlite_store.search_entities("corfo", limit=-1)
    with pytest.raises(ValueError, match="offset"):
        sqlite_store.search_entities(offset=-5)


# ---------------------------------------------------------------------------- bad input


def test_evidence_that_does_not_quote_the_text_is_refused(sqlite_store: SQLiteStore) -> None:
    extraction = taller_extraction()
    relation = extraction.relations[0]
    relation.evidence[0] = relation.evidence[0].model_copy(update={"quote": "CORFO ejecuta"})
    with pytest.raises(StoreError, match=re.escape("corpus/taller_biobio.txt")) as caught:
        sqlite_store.write(extraction)
    assert "not the document text" in str(caught.value)
    assert sqlite_store.stats().documents == 0


def test_mentions_outside_the_documents_passages_are_refused(
    sqlite_store: SQLiteStore,
) -> None:
    extraction = taller_extraction()
    extraction.mentions[0] = extraction.mentions[0].model_copy(update={"passage_id": "otro:0-5"})
    with pytest.raises(StoreError, match="otro:0-5"):
        sqlite_store.write(extraction)


def test_a_failed_write_leaves_the_store_as_it_was(sqlite_store: SQLiteStore) -> None:
    sqlite_store.write(seminario_extraction())
    before = (sqlite_store.stats(), list(sqlite_store.entities()))
    extraction = taller_extraction()
    extraction.mentions.append(extraction.mentions[0].model_copy(
        update={"entity_id": "inst:desconocida"}
    ))
    with pytest.raises(StoreError, match="inst:desconocida"):
        sqlite_store.write(extraction)
    assert (sqlite_store.stats(), list(sqlite_store.entities())) == before
    assert sqlite_store.integrity_check() == ["ok"]


def test_a_database_error_names_the_document_and_rolls_back(
    sqlite_store: SQLiteStore,
) -> None:
    taller = taller_extraction()
    sqlite_store.write(taller)
    before = sqlite_store.stats()
    seminario = seminario_extraction()
    clash = seminario.passages[0].model_copy(update={"id": taller.passages[0].id})
    seminario.passages.append(clash)   # an id another document's passage already holds
    with pytest.raises(StoreError, match=re.escape("corpus/seminario_sela.md")):
        sqlite_store.write(seminario)
    assert sqlite_store.stats() == before
    assert not sqlite_store.has_document(seminario.document.id)


# ---------------------------------------------------------------------------- merges


def test_evidence_that_arrives_after_a_merge_stays_with_the_kept_entity(
    sqlite_store: SQLiteStore,
) -> None:
    sqlite_store.write(taller_extraction())
    sqlite_store.write(convenio_extraction())
    kept, dup, ministry = corfo().id, corfo_duplicate().id, produce().id
    record = sqlite_store.merge(kept, dup)
    later = ExtractionBuilder(make_document(
        "corpus/acta.txt", "CORFO coordina con el Ministerio de la Producción."
    ))
    later.mention(corfo(), "CORFO")
    later.mention(produce(), "Ministerio de la Producción")
    later.relation(corfo(), "COORDINATES_WITH", produce(),
                   "CORFO coordina con el Ministerio de la Producción")
    acta = later.build()
    sqlite_store.write(acta)

    sqlite_store.unmerge(record.id)
    by_ends = {frozenset((r.source, r.target)): r for r in sqlite_store.relations()
               if r.type == "COORDINATES_WITH"}
    assert [e.document_id for e in by_ends[frozenset((kept, ministry))].evidence] == [
        acta.document.id
    ]
    assert [e.document_id for e in by_ends[frozenset((dup, ministry))].evidence] == [
        convenio_extraction().document.id
    ]
    responsible = {r.id: r for r in sqlite_store.relations_of(kept)}[
        f"{kept}|RESPONSIBLE_FOR|{focal().id}"
    ]
    assert [e.document_id for e in responsible.evidence] == [taller_extraction().document.id]
    assert sqlite_store.integrity_check() == ["ok"]


def test_chained_merges_undo_in_reverse_order(sqlite_store: SQLiteStore) -> None:
    for extraction in (taller_extraction(), seminario_extraction(), convenio_extraction()):
        sqlite_store.write(extraction)
    before = full_dump(sqlite_store)
    first = sqlite_store.merge(corfo().id, corfo_duplicate().id)
    second = sqlite_store.merge(produce().id, corfo().id)
    with pytest.raises(StoreError, match="no longer exists"):
        sqlite_store.unmerge(first.id)
    sqlite_store.unmerge(second.id)
    sqlite_store.unmerge(first.id)
    assert full_dump(sqlite_store) == before


# ---------------------------------------------------------------------------- view


def test_view_is_frozen(sqlite_store: SQLiteStore) -> None:
    sqlite_store.write(taller_extraction())
    graph = sqlite_store.view()
    assert nx.is_frozen(graph)
    with pytest.raises(nx.NetworkXError):
        graph.add_node("inst:nueva")
    mutable = graph.copy()
    mutable.add_node("inst:nueva")
    assert "inst:nueva" not in sqlite_store.view()


# ---------------------------------------------------------------------------- speed


def _large_extraction(n_entities: int = 5000, n_relations: int = 10_000):
    lines = [f"La Agencia de Fomento número {i} coopera con sus pares." for i in range(n_entities)]
    text = "\n".join(lines)
    document = make_document("corpus/inventario_grande.txt", text)
    builder = ExtractionBuilder(document)
    entities, starts, offset = [], [], 0
    for i, line in enumerate(lines):
        name = f"Agencia de Fomento número {i}"
        entities.append(Entity(id=entity_id("Institution", name, "CL"), label="Institution",
                               name=name, aliases=[f"AF{i}"], country="CL", level="regional"))
        starts.append(offset + line.index(name))
        offset += len(line) + 1
    passages = {p.start: p for p in builder.passages}
    relations = []
    for k in range(n_relations):
        i, j = k % n_entities, (k * 7 + 1 + k // n_entities) % n_entities
        if i == j:
            j = (j + 1) % n_entities
        start = starts[i]
        end = start + len(entities[i].name)
        passage = passages[start - len("La ")]
        relations.append(Relation(
            source=entities[i].id, type="COORDINATES_WITH" if k % 2 else "PART_OF",
            target=entities[j].id,
            evidence=[Evidence(passage_id=passage.id, document_id=document.id, start=start,
                               end=end, quote=text[start:end], extractor="pattern")],
        ))
    builder.entities = {e.id: e for e in entities}
    builder.relations = relations
    return builder.build()


def test_a_large_extraction_is_written_whole(sqlite_store: SQLiteStore) -> None:
    extraction = _large_extraction()
    result = sqlite_store.write(extraction)
    stats = sqlite_store.stats()
    assert stats.entities == {"Institution": 5000}
    assert sum(stats.relations.values()) == result.relations == len(
        {r.id for r in extraction.relations}
    )
    assert [e.name for e in sqlite_store.search_entities("af4999")] == [
        "Agencia de Fomento número 4999"
    ]


def test_write_time_grows_linearly(tmp_path: Path) -> None:
    """Twice the entities and relations less than triple the CPU time of a write (the
    absolute figure is measured by bench/hostile.py)."""
    from tests.growth import assert_linear

    stores = iter(range(1_000))

    def write(extraction) -> None:
        store = SQLiteStore(f"sqlite:///{tmp_path / f'{next(stores)}.db'}")
        try:
            store.write(extraction)
        finally:
            store.close()

    assert_linear(lambda n: _large_extraction(n, 2 * n), write, (1_250, 2_500, 5_000))


# ---------------------------------------------------------------------------- factory


def test_factory_opens_sqlite_urls(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        assert isinstance(store, SQLiteStore)
        assert store.path == tmp_path / "f.db"
    finally:
        store.close()


def test_factory_reads_tejido_store_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEJIDO_STORE", f"sqlite:///{tmp_path / 'env.db'}")
    store = open_store()
    store.close()
    assert store.path == tmp_path / "env.db"
    monkeypatch.delenv("TEJIDO_STORE")
    monkeypatch.chdir(tmp_path)
    store = open_store()
    store.close()
    assert store.url == DEFAULT_STORE_URL
    assert (tmp_path / "data" / "tejido.db").is_file()


def test_factory_relative_and_absolute_paths(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = open_store("sqlite:///datos/rel.db")
    relative.close()
    assert (tmp_path / "datos" / "rel.db").is_file()
    absolute = open_store(f"sqlite:////{str(tmp_path / 'abs.db').lstrip('/')}")
    absolute.close()
    assert (tmp_path / "abs.db").is_file()


@pytest.mark.parametrize("scheme", ["neo4j", "neo4j+s", "bolt", "bolt+s"])
def test_factory_opens_neo4j_urls_with_credentials_from_the_environment(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    class FakeNeo4jStore:
        def __init__(self, uri, user, password, database=None):
            calls.append((uri, user, password, database))

    fake = types.ModuleType("graph.stores.neo4j_store")
    fake.Neo4jStore = FakeNeo4jStore
    monkeypatch.setitem(sys.modules, "graph.stores.neo4j_store", fake)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "clave-de-prueba")
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    store = open_store(f"{scheme}://grafo.example.org:7687")
    assert isinstance(store, FakeNeo4jStore)
    assert calls == [(f"{scheme}://grafo.example.org:7687", "neo4j", "clave-de-prueba", None)]


@pytest.mark.parametrize("url", ["postgres://localhost/tejido", "sqlite://tejido.db",
                                 "tejido.db", "http://neo4j:7474"])
def test_factory_refuses_other_urls_naming_the_accepted_schemes(url: str) -> None:
    with pytest.raises(ValueError, match="sqlite:///"):
        open_store(url)


def test_passages_round_trip_keeps_order_of_request(sqlite_store: SQLiteStore) -> None:
    extraction = taller_extraction()
    sqlite_store.write(extraction)
    first, second = extraction.passages[0], extraction.passages[1]
    assert sqlite_store.passages([second.id, first.id, second.id]) == [second, first]


def test_a_store_of_schema_version_1_is_migrated_and_keeps_its_evidence(
    sqlite_store_url: str,
) -> None:
    """Version 1 stores had no field and column on evidence: they are added on opening."""
    store = open_store(sqlite_store_url)
    extraction = taller_extraction()
    store.write(extraction)
    store.close()
    raw = sqlite3.connect(sqlite_store_url.removeprefix("sqlite:///"))
    raw.execute("ALTER TABLE evidence DROP COLUMN field")
    raw.execute("ALTER TABLE evidence DROP COLUMN column_name")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    store = open_store(sqlite_store_url)
    try:
        stored = {r.id: r for r in store.relations()}
        assert set(stored) == {r.id for r in extraction.relations}
        assert all(e.field is None for r in stored.values() for e in r.evidence)
        seminario = seminario_extraction()
        first = seminario.relations[0]
        first.evidence[0] = first.evidence[0].model_copy(update={"field": "name", "column": "x"})
        store.write(seminario)
        cells = [e for r in store.relations() for e in r.evidence if e.field is not None]
        assert [(e.field, e.column) for e in cells] == [("name", "x")]
    finally:
        store.close()
    raw = sqlite3.connect(sqlite_store_url.removeprefix("sqlite:///"))
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_a_version_2_store_is_migrated_and_can_delete_documents(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'v2.db'}"
    taller, seminario = taller_extraction(), seminario_extraction()
    with SQLiteStore(url) as store:
        store.write(seminario)
        reference = full_dump(store)
        store.write(taller)
    # what a store written before support records existed looks like
    conn = sqlite3.connect(tmp_path / "v2.db")
    conn.execute("DROP TABLE support")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with SQLiteStore(url) as store:
        assert store._conn().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        records = store._conn().execute("SELECT count(*) FROM support").fetchone()[0]
        assert records > 0
        store.delete_document(taller.document.id)
        dumped = full_dump(store)
        # what only the deleted document supported is gone, the rest stays (the records
        # of a migrated store hold what each item is, not what each document said)
        assert {e["id"] for e in dumped["entities"]} == {e["id"] for e in reference["entities"]}
        assert [(r["id"], r["evidence"]) for r in dumped["relations"]] == [
            (r["id"], r["evidence"]) for r in reference["relations"]
        ]
        assert store.integrity_check() == ["ok"]
