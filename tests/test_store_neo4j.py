"""The Neo4j store: the store contract against a real server, and what can be checked without one.

``TestNeo4jStoreContract`` runs the shared contract suite (tests/store_contract.py) against
the Neo4j named by ``NEO4J_URI`` (with ``NEO4J_USER``, ``NEO4J_PASSWORD`` and optionally
``NEO4J_DATABASE``); it is skipped when ``NEO4J_URI`` is not set. It deletes the store's own
nodes (entities, documents, passages, merges) in that database before each test: point it
at a scratch database, for example ``docker compose up -d neo4j``.

The other tests need no server. They check the conversions between the model and Neo4j
properties, the Lucene queries built from user text, connection failures, and the calls
the adapter makes inside its transactions: a recording transaction accepts only
statements of :mod:`graph.stores.cypher` with exactly the parameters each one names and
values the driver can send, and answers reads from a script.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from graph.model import (
    Entity,
    Evidence,
    Extraction,
    Mention,
    Passage,
    Relation,
    passage_id,
)
from graph.stores import core, cypher
from graph.stores.base import StoreError, StoreUnavailable
from graph.stores.checks import check_extraction
from graph.stores.incoming import combine_relations, level_entity
from graph.stores.merging import MergeSnapshot
from graph.stores.neo4j_store import (
    BATCH_SIZE,
    Neo4jStore,
    _Primitives,
    batched,
    entity_from_properties,
    entity_properties,
    fulltext_query,
    merge_into_stored,
    redact_uri,
    relation_from_record,
    relation_properties,
)
from tests.store_contract import (
    StoreContract,
    corfo,
    corfo_duplicate,
    focal,
    taller_extraction,
)

# ---------------------------------------------------------------------------- the contract

NEO4J_URI = os.environ.get("NEO4J_URI")
NEO4J_SKIP_REASON = (
    "no Neo4j for the tests: "
    + (os.environ.get("TEJIDO_NEO4J_UNAVAILABLE")
       or "NEO4J_URI is not set (`make test` starts one; or run the suite under "
          "tests/neo4j/with-neo4j.sh, or point NEO4J_URI at a scratch Neo4j 5)")
)


@pytest.mark.neo4j
@pytest.mark.skipif(
    not NEO4J_URI,
    reason=NEO4J_SKIP_REASON,
)
class TestNeo4jStoreContract(StoreContract):
    """The shared store contract, against the Neo4j at NEO4J_URI."""

    @pytest.fixture
    def make_store(self) -> Callable[[], Neo4jStore]:
        """Empty the store's nodes once; then each call opens a handle on the same data."""
        first = Neo4jStore.from_env()
        try:
            first.clear()
        finally:
            first.close()
        return Neo4jStore.from_env


# ---------------------------------------------------------------------------- conversions


def test_entity_properties_round_trip_every_field():
    entity = focal()
    props = entity_properties(entity)
    assert entity_from_properties(props) == entity
    assert json.loads(props["extra"]) == entity.extra
    assert props["themes"] == entity.themes
    assert "programa de fomento a la calidad" in props["norm_names"]
    assert "focal" in props["norm_names"]
    assert props["sort_name"] == "programa de fomento a la calidad"
    assert set(props["search_names"].split("\n")) == set(props["norm_names"])


def test_entity_properties_leave_out_nulls_and_keep_empty_lists():
    entity = Entity(id="pers:ana-perez", label="Person", name="Ana Pérez")
    props = entity_properties(entity)
    assert None not in props.values()
    assert props["aliases"] == [] and props["extra"] == "{}"
    assert entity_from_properties(props) == entity


def test_entity_from_properties_ignores_bookkeeping_and_unknown_keys():
    props = entity_properties(corfo())
    props["some_future_property"] = 3
    assert entity_from_properties(props) == corfo()


def _evidence(document_id: str, start: int, quote: str, extractor: str = "trigger") -> Evidence:
    return Evidence(passage_id=passage_id(document_id, 0, 100), document_id=document_id,
                    start=start, end=start + len(quote), quote=quote, extractor=extractor,
                    confidence=0.8)


def test_relation_properties_round_trip_with_evidence_and_support():
    relation = Relation(
        source=corfo().id, type="FUNDS", target=focal().id, properties={"monto": 12.5},
        evidence=[_evidence("doc-1", 4, "financia"), _evidence("doc-2", 9, "aporta")],
    )
    props = relation_properties(relation)
    assert props["id"] == relation.id
    assert props["evidence_count"] == 2
    assert props["doc_ids"] == ["doc-1", "doc-2"]
    record = {"source": relation.source, "type": relation.type, "target": relation.target,
              "properties": props["properties"], "evidence": props["evidence"]}
    assert relation_from_record(record) == relation


def test_merge_into_stored_adds_new_evidence_and_missing_properties_only():
    stored = Relation(source="a", type="FUNDS", target="b", properties={"rol": "financia"},
                      evidence=[_evidence("doc-1", 4, "financia")])
    incoming = Relation(source="a", type="FUNDS", target="b",
                        properties={"rol": "otro", "monto": 3},
                        evidence=[_evidence("doc-1", 4, "financia"), _evidence("doc-2", 0, "x")])
    merged, added = merge_into_stored(stored, incoming)
    assert added == 1
    assert [e.document_id for e in merged.evidence] == ["doc-1", "doc-2"]
    assert merged.properties == {"rol": "financia", "monto": 3}
    assert len(stored.evidence) == 1   # the stored relation itself is left alone


def test_combine_relations_folds_repeats_and_undirected_readings():
    forward = Relation(source="inst:a", type="COORDINATES_WITH", target="inst:b",
                       evidence=[_evidence("d", 0, "x"), _evidence("d", 0, "x")])
    backward = Relation(source="inst:b", type="COORDINATES_WITH", target="inst:a",
                        evidence=[_evidence("d", 5, "y")])
    combined = combine_relations([forward, backward])
    assert list(combined) == [forward.id]
    assert [e.start for e in combined[forward.id].evidence] == [0, 5]


def test_level_entity():
    level = level_entity("level:regional")
    assert (level.id, level.label, level.level, level.name) == (
        "level:regional", "GovernanceLevel", "regional", "Regional"
    )


def test_batched_slices_rows():
    rows = list(range(2 * BATCH_SIZE + 3))
    sizes = [len(b) for b in batched(rows)]
    assert sizes == [BATCH_SIZE, BATCH_SIZE, 3]
    assert [x for b in batched(rows) for x in b] == rows
    assert list(batched([])) == []


# ---------------------------------------------------------------------------- search queries


@pytest.mark.parametrize(("text", "expected"), [
    ("CORFO", "(corfo OR corfo*)"),
    ("Corporación de Fom", "corporacion AND de AND (fom OR fom*)"),
    ("  Bío-Bío ", "bio AND (bio OR bio*)"),
    ("Ñuble", "(nuble OR nuble*)"),
])
def test_fulltext_query_folds_accents_and_case(text, expected):
    assert fulltext_query(text) == expected


@pytest.mark.parametrize("text", [
    'corfo") OR name:*', "a && b || !c", "title:x AND (y OR z)^3", "fo?o~2 \\ / [a TO b]",
    "AND OR NOT", '"',
])
def test_fulltext_query_leaves_no_lucene_syntax_from_the_text(text):
    query = fulltext_query(text)
    if query is None:
        return
    # Only words, the AND/OR the builder adds, its parentheses and the final prefix star.
    skeleton = re.sub(r"\b\w+\b", "w", query.replace(" AND ", " ").replace(" OR ", " "))
    assert set(skeleton) <= {"w", " ", "(", ")", "*"}, query
    assert query.count("*") == 1 and query.endswith("*)")


def test_fulltext_query_of_text_without_words():
    assert fulltext_query("") is None
    assert fulltext_query(" -- ¿? ") is None


# ---------------------------------------------------------------------------- connection


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_raises_store_unavailable_without_the_password():
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore(uri, "neo4j", "s3cret-pa55", connect_attempts=2, connect_timeout=1)
    message = str(caught.value)
    assert "s3cret-pa55" not in message
    assert uri in message and "2 attempts" in message


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "sqlite:///x.db"])
def test_other_schemes_are_refused(uri):
    with pytest.raises(StoreUnavailable, match="scheme must be one of"):
        Neo4jStore(uri, "neo4j", "pw")


def test_credentials_in_the_uri_are_refused_and_not_repeated():
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore("neo4j://ana:s3cret@db.example:7687", "neo4j", "pw")
    message = str(caught.value)
    assert "s3cret" not in message and "ana" not in message
    assert "NEO4J_PASSWORD" in message


def test_missing_uri_is_refused(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(StoreUnavailable, match="NEO4J_URI"):
        Neo4jStore.from_env()


def test_redact_uri():
    assert redact_uri("neo4j://ana:pw@db:7687/x") == "neo4j://db:7687/x"
    assert redact_uri("neo4j+s://db.example") == "neo4j+s://db.example"


# ---------------------------------------------------------------------------- transactions

STATEMENTS = frozenset(cypher.all_statements().values())
PARAMETER = re.compile(r"\$(\w+)")


def _check_driver_value(value: Any, where: str) -> None:
    """Fail unless ``value`` is made of what the driver sends: None, bool, numbers, text,
    lists and string-keyed maps of them."""
    if value is None or isinstance(value, bool | int | float | str):
        return
    if isinstance(value, list):
        for item in value:
            _check_driver_value(item, where)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{where}: map key {key!r} is not a string"
            _check_driver_value(item, where)
        return
    raise AssertionError(f"{where}: {type(value).__name__} cannot be sent to Neo4j: {value!r}")


def _always_one_row(query: str) -> bool:
    """Whether Neo4j answers ``query`` with one row even when nothing matches."""
    returned = query.rpartition("RETURN")[2]
    aggregates = bool(re.search(r"\b(count|sum)\(", returned)) and "RETURN" in query
    return aggregates or query.startswith(("MERGE ", "OPTIONAL MATCH "))


class _Result:
    def __init__(self, rows: list[dict[str, Any]], query: str) -> None:
        self._rows = rows
        self._query = query

    def data(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def single(self) -> dict[str, Any] | None:
        if self._rows:
            return self._rows[0]
        if _always_one_row(self._query):
            return defaultdict(int)   # an aggregate over nothing: counts and sums are 0
        return None

    def consume(self) -> None:
        return None


class RecordingTransaction:
    """A managed transaction that checks every call and answers reads from a script."""

    def __init__(self, script: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.script = script or {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> _Result:
        params = dict(parameters or {})
        assert query in STATEMENTS, f"statement not in graph.stores.cypher: {query[:90]}"
        assert set(params) == set(PARAMETER.findall(query)), (
            f"parameters {sorted(params)} do not match the statement's "
            f"{sorted(set(PARAMETER.findall(query)))}: {query[:90]}"
        )
        _check_driver_value(params, query[:60])
        for name in ("rows", "ids", "element_ids"):
            if isinstance(params.get(name), list):
                assert len(params[name]) <= BATCH_SIZE, f"${name} exceeds a batch: {query[:60]}"
        self.calls.append((query, params))
        return _Result(self.script.get(query, []), query)

    def params_of(self, query: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``query``."""
        return [params for q, params in self.calls if q == query]

    def rows_sent(self, query: str) -> list[dict[str, Any]]:
        """Every row sent in ``$rows`` by the calls of ``query``."""
        return [row for params in self.params_of(query) for row in params["rows"]]


def _existing(*ids: str) -> list[dict[str, str]]:
    return [{"id": i} for i in ids]


NOW = "2026-01-01T00:00:00+00:00"


def _write_extraction(tx: RecordingTransaction, extraction: Extraction):
    return core.write(_Primitives(tx), extraction, NOW)  # type: ignore[arg-type]


def _merge(tx: RecordingTransaction, kept: str, merged: str, reason: str):
    return core.merge(_Primitives(tx), kept, merged, reason, NOW)  # type: ignore[arg-type]


def _unmerge(tx: RecordingTransaction, merge_id: int):
    return core.unmerge(_Primitives(tx), merge_id)  # type: ignore[arg-type]


def test_first_write_of_a_document_sends_only_module_statements_in_batches():
    extraction = taller_extraction()
    text = extraction.document.text
    # Many passages: the passage upserts must come in batches of at most BATCH_SIZE rows.
    extra = [Passage(id=passage_id(extraction.document.id, i, i + 1),
                     document_id=extraction.document.id, start=i, end=i + 1,
                     text=text[i % len(text)])
             for i in range(2 * BATCH_SIZE + 5)]
    extraction.passages.extend(extra)
    tx = RecordingTransaction({cypher.EXISTING_ENTITY_IDS: []})
    result = _write_extraction(tx, extraction)

    assert not result.skipped and result.replaced is None
    assert result.entities == len(extraction.entities)
    assert result.relations == len(extraction.relations)
    assert result.evidence == sum(len(r.evidence) for r in extraction.relations)
    passage_calls = tx.params_of(cypher.UPSERT_PASSAGES)
    assert len(passage_calls) == 3
    assert sum(len(p["rows"]) for p in passage_calls) == len(extraction.passages)
    # The level node the AT_LEVEL relation needs is created; every entity and relation of
    # the document gets a support record, the level node none.
    institutions = tx.rows_sent(cypher.upsert_entities("Institution"))
    assert {row["id"] for row in institutions} == {
        e.id for e in extraction.entities if e.label == "Institution"
    }
    levels = tx.rows_sent(cypher.upsert_entities("GovernanceLevel"))
    assert [row["id"] for row in levels] == ["level:national"]
    support = tx.rows_sent(cypher.UPSERT_SUPPORT)
    assert sorted(row["item_id"] for row in support) == sorted(
        [e.id for e in extraction.entities] + [r.id for r in extraction.relations]
    )
    assert {row["document_id"] for row in support} == {extraction.document.id}
    created = [row for rel_type in {r.type for r in extraction.relations}
               for row in tx.rows_sent(cypher.create_relations(rel_type))]
    assert sorted(row["id"] for row in created) == sorted(r.id for r in extraction.relations)
    assert len(tx.params_of(cypher.BUMP_REVISION)) == 1
    assert tx.params_of(cypher.DELETE_ENTITIES) == []


def test_a_stored_document_is_skipped_after_one_read():
    extraction = taller_extraction()
    tx = RecordingTransaction({cypher.DOCUMENT_PATH: [{"path": extraction.document.path}]})
    result = _write_extraction(tx, extraction)
    assert result.skipped
    assert [q for q, _ in tx.calls] == [cypher.DOCUMENT_PATH]


def test_relations_to_unknown_entities_are_refused_naming_them():
    extraction = taller_extraction()
    extraction.relations.append(Relation(
        source=corfo().id, type="FUNDS", target="instr:no-existe",
        evidence=[extraction.relations[0].evidence[0]],
    ))
    tx = RecordingTransaction({cypher.EXISTING_ENTITY_IDS: []})
    with pytest.raises(StoreError, match="instr:no-existe") as caught:
        _write_extraction(tx, extraction)
    assert extraction.document.path in str(caught.value)
    assert tx.params_of(cypher.BUMP_REVISION) == []


def test_stored_entities_absorb_what_a_new_document_says():
    extraction = taller_extraction()
    stored_corfo = corfo().model_copy(update={"aliases": ["Corfo"], "objective": None})
    tx = RecordingTransaction({
        cypher.GET_ENTITIES: [{"entity": entity_properties(stored_corfo)}],
        cypher.EXISTING_ENTITY_IDS: _existing("level:national"),
    })
    _write_extraction(tx, extraction)
    rows = {row["id"]: row["props"] for row in
            tx.rows_sent(cypher.upsert_entities("Institution"))}
    written = entity_from_properties(rows[corfo().id])
    assert {"CORFO", "Corfo"} <= set(written.aliases)
    assert written.objective == corfo().objective


def test_check_extraction_names_the_file_and_the_problems():
    extraction = taller_extraction()
    check_extraction(extraction)   # a consistent extraction passes
    broken = extraction.model_copy(deep=True)
    broken.relations[0].evidence[0].quote = "texto que no está"
    broken.mentions.append(Mention(passage_id="nowhere:0-1", entity_id=corfo().id, start=0,
                                   end=1, text="L"))
    with pytest.raises(StoreError) as caught:
        check_extraction(broken)
    message = str(caught.value)
    assert message.startswith(extraction.document.path)
    assert "texto que no está" in message and "nowhere:0-1" in message


def test_unmerge_refuses_unknown_and_undone_merges():
    with pytest.raises(StoreError, match="12345"):
        _unmerge(RecordingTransaction(), 12345)
    snapshot = MergeSnapshot(kept=corfo(), merged=corfo_duplicate())
    record = {"id": 3, "kept_id": corfo().id, "merged_id": corfo_duplicate().id,
              "reason": "", "created": "", "undone": True,
              "snapshot": json.dumps({"plan": snapshot.model_dump(mode="json")})}
    tx = RecordingTransaction({cypher.GET_MERGE_RECORD: [{"record": record}]})
    with pytest.raises(StoreError, match="already undone"):
        _unmerge(tx, 3)


def test_merge_refuses_missing_entities_and_self_merges():
    only_corfo = {cypher.GET_ENTITIES: [{"entity": entity_properties(corfo())}]}
    with pytest.raises(StoreError, match="inst:no-existe"):
        _merge(RecordingTransaction(only_corfo), corfo().id, "inst:no-existe", "")
    with pytest.raises(StoreError, match="inst:no-existe"):
        _merge(RecordingTransaction(only_corfo), "inst:no-existe", corfo().id, "")
    with pytest.raises(StoreError, match="itself"):
        _merge(RecordingTransaction(), corfo().id, corfo().id, "")

