"""The Neo4j adapter of the store protocol, for teams and for data that outgrows a laptop.

Runs against the Neo4j 5 of ``docker-compose.yml`` or any Neo4j 5 / Aura given by a URI.
Every statement it sends lives in :mod:`graph.stores.cypher`. Writes are one transaction
per document (``session.execute_write``, which the driver retries on transient errors),
with ``UNWIND $rows`` batches of :data:`BATCH_SIZE` rows. Evidence is merged in Python
inside the transaction: a relation's evidence is a JSON list on the relationship.

Support: each document leaves ``(:Support)`` records of what it said about each entity and
relation (:mod:`graph.stores.support`, the model both stores share); replacing or deleting a
document removes its passages, mentions, evidence and records, then rebuilds or removes
what it supported. Relations and mentions may only point at entities of the extraction or
of the store; missing governance-level nodes (``level:national``...) are created.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import networkx as nx
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.model import (
    DocumentInfo,
    Entity,
    Evidence,
    Extraction,
    Mention,
    Passage,
    Relation,
)
from graph.normalize import normalize_name, strip_accents
from graph.projection import project
from graph.stores import core, cypher
from graph.stores.base import (
    DeleteResult,
    MergeCandidate,
    MergeRecord,
    PairVerdict,
    StoreError,
    StoreStats,
    StoreUnavailable,
    WriteResult,
    check_verdict,
    verdict_key,
)
from graph.stores.checks import check_count
from graph.stores.merging import MentionKey, MergeSnapshot
from graph.stores.support import SupportRecord
from graph.vocab import NOT_WALKED, check_label

BATCH_SIZE = 1000
META_ID = "tejido"
INDEX_WAIT_SECONDS = 120
BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

_WORD = re.compile(r"\w+")

_T = TypeVar("_T")


# --------------------------------------------------------------------------------------
# Conversions between the domain model and Neo4j properties (pure; unit-tested)
# --------------------------------------------------------------------------------------


def entity_properties(entity: Entity) -> dict[str, Any]:
    """Neo4j properties of ``entity``: its fields (``extra`` as JSON) plus search keys.

    ``None`` fields are left out (Neo4j does not store nulls); lists stay lists;
    ``norm_names`` holds the normalised names (exact look-up), ``search_names`` the same
    joined by new lines (full-text index), ``sort_name`` the normalised name (ordering).
    """
    data = entity.model_dump(mode="json")
    extra = data.pop("extra")
    props = {key: value for key, value in data.items() if value is not None}
    props["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
    norm_names = sorted(entity.normalized_names())
    props["norm_names"] = norm_names
    props["search_names"] = "\n".join(norm_names)
    props["sort_name"] = normalize_name(entity.name)
    return props


def entity_from_properties(props: dict[str, Any]) -> Entity:
    """Rebuild an :class:`Entity` from the properties :func:`entity_properties` wrote."""
    data = {k: v for k, v in props.items() if k in Entity.model_fields}
    extra = data.get("extra")
    data["extra"] = json.loads(extra) if isinstance(extra, str) and extra else {}
    return Entity(**data)


def relation_properties(relation: Relation) -> dict[str, Any]:
    """Neo4j properties of ``relation``: id, properties and evidence as JSON, and
    ``doc_ids``, the documents of its evidence (to find it when one of them goes)."""
    evidence = [item.model_dump(mode="json") for item in relation.evidence]
    return {
        "id": relation.id,
        "properties": json.dumps(relation.properties, ensure_ascii=False, sort_keys=True),
        "evidence": json.dumps(evidence, ensure_ascii=False),
        "evidence_count": len(evidence),
        "doc_ids": sorted({item.document_id for item in relation.evidence}),
    }


def relation_from_record(record: dict[str, Any]) -> Relation:
    """Rebuild a :class:`Relation` from a row of the relation statements of ``cypher``."""
    return Relation(
        source=record["source"],
        type=record["type"],
        target=record["target"],
        properties=json.loads(record["properties"] or "{}"),
        evidence=[Evidence(**item) for item in json.loads(record["evidence"] or "[]")],
    )


def document_properties(document: DocumentInfo, ingested_at: str) -> dict[str, Any]:
    """Neo4j properties of a document (text included, ``None`` fields left out)."""
    props = {k: v for k, v in document.model_dump(mode="json").items() if v is not None}
    props["ingested_at"] = ingested_at
    return props


def document_from_properties(props: dict[str, Any]) -> DocumentInfo:
    """Rebuild a :class:`DocumentInfo` from stored properties (bookkeeping left out)."""
    return DocumentInfo(**{
        k: v for k, v in props.items() if k in DocumentInfo.model_fields and v is not None
    })


_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def fulltext_query(text: str) -> str | None:
    """Lucene query for a user's search text, or ``None`` if it holds no word.

    Accents and case are folded as the index folds them; every word must be a word of a
    name or alias, the last one may also be the beginning of one (search as you type):
    ``"Corporación de Fom"`` → ``corporacion AND de AND (fom OR fom*)``. Words are made
    of letters, digits and underscores only, so nothing in ``text`` can be Lucene syntax.
    """
    words = _WORD.findall(strip_accents(text).casefold())
    if not words:
        return None
    *whole, last = (_LUCENE_SPECIAL.sub(r"\\\1", word) for word in words)
    return " AND ".join([*whole, f"({last} OR {last}*)"])


def redact_uri(uri: str) -> str:
    """``uri`` without any user name or password it may embed."""
    parts = urlsplit(uri)
    if not parts.username and not parts.password:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def batched(rows: Sequence[_T], size: int = BATCH_SIZE) -> Iterator[Sequence[_T]]:
    """Consecutive slices of ``rows`` of at most ``size`` items."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def merge_into_stored(stored: Relation, incoming: Relation) -> tuple[Relation, int]:
    """``stored`` with ``incoming``'s new evidence and the properties it lacked.

    Returns the merged relation and how many evidence entries were new.
    """
    merged = stored.model_copy(deep=True)
    before = len(merged.evidence)
    merged.add_evidence(incoming.evidence)
    for key, value in incoming.properties.items():
        merged.properties.setdefault(key, value)
    return merged, len(merged.evidence) - before


# --------------------------------------------------------------------------------------
# Connection
# --------------------------------------------------------------------------------------


def connect(
    uri: str,
    auth: tuple[str, str] | None,
    *,
    attempts: int = 3,
    timeout: float = 5.0,
    first_delay: float = 0.5,
) -> Any:
    """Open a driver and check that the server answers, retrying with exponential backoff.

    Raises :class:`StoreUnavailable` (never quoting the password) when the URI is invalid,
    the credentials are refused, or the server stays unreachable after ``attempts`` tries.
    """
    shown = redact_uri(uri)
    attempts = max(1, attempts)
    scheme = urlsplit(uri).scheme.lower()
    if scheme not in BOLT_SCHEMES:
        raise StoreUnavailable(
            f"invalid Neo4j URI {shown!r}: the scheme must be one of "
            f"{', '.join(s + '://' for s in BOLT_SCHEMES)}"
        )
    if shown != uri:
        raise StoreUnavailable(
            f"invalid Neo4j URI {shown!r}: credentials do not belong in the URI; "
            "set NEO4J_USER and NEO4J_PASSWORD"
        )
    secret = auth[1] if auth else None

    def describe(exc: BaseException) -> str:
        text = _first_line(exc)
        return text.replace(secret, "***") if secret else text

    try:
        # notifications off: a fresh database warns of every property key not written yet
        driver = GraphDatabase.driver(
            uri, auth=auth, connection_timeout=timeout, max_transaction_retry_time=30.0,
            notifications_min_severity="OFF",
        )
    except (ConfigurationError, ValueError) as exc:
        raise StoreUnavailable(f"invalid Neo4j URI {shown!r}: {describe(exc)}") from None
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            driver.verify_connectivity()
            return driver
        except AuthError:
            driver.close()
            user = auth[0] if auth else None
            raise StoreUnavailable(
                f"Neo4j at {shown} refused the credentials of user {user!r}: "
                "check NEO4J_USER and NEO4J_PASSWORD"
            ) from None
        except Neo4jError as exc:
            driver.close()
            raise StoreUnavailable(
                f"Neo4j at {shown} refused the connection: {exc.code}: {describe(exc)}"
            ) from None
        except (ServiceUnavailable, SessionExpired, DriverError, OSError) as exc:
            if attempt == attempts:
                driver.close()
                raise StoreUnavailable(
                    f"cannot reach Neo4j at {shown} after {attempts} attempts: "
                    f"{describe(exc)}"
                ) from None
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


# --------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------


@dataclass
class _StoredRelation:
    """A relation as stored: the model and its element id."""

    relation: Relation
    element_id: str


def _rows(tx: ManagedTransaction, query: str, /, **params: Any) -> list[dict[str, Any]]:
    return tx.run(query, params).data()


def _value(tx: ManagedTransaction, query: str, key: str, /, **params: Any) -> Any:
    record = tx.run(query, params).single()
    return record[key] if record is not None else None


def _stored_relation(row: dict[str, Any]) -> _StoredRelation:
    return _StoredRelation(
        relation=relation_from_record(row),
        element_id=row["element_id"],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Neo4jStore:
    """Store on a Neo4j 5 server (see the module docstring for the layout and semantics)."""

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        connect_attempts: int = 3,
        connect_timeout: float = 5.0,
    ) -> None:
        """Connect to ``uri`` and make sure the constraints and indexes exist.

        ``user`` defaults to ``neo4j``; with no ``password`` the driver connects without
        authentication (a server started with ``NEO4J_AUTH=none``).
        """
        if not uri:
            raise StoreUnavailable("no Neo4j URI given: set NEO4J_URI or TEJIDO_STORE")
        self.url = redact_uri(uri)
        self._database = database
        auth = (user or "neo4j", password) if password else None
        self._driver = connect(uri, auth, attempts=connect_attempts, timeout=connect_timeout)
        self._projection = core.ProjectionCache()
        try:
            self._ensure_schema()
        except StoreError:
            self._driver.close()
            raise

    @classmethod
    def from_env(cls) -> Neo4jStore:
        """Open the store named by ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``,
        ``NEO4J_DATABASE``."""
        uri = os.environ.get("NEO4J_URI", "")
        return cls(
            uri,
            os.environ.get("NEO4J_USER"),
            os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def server_agent(self) -> str:
        """The server's agent string as Bolt reports it (``Neo4j/5.26.…``)."""
        return self._guard("read the server version",
                           lambda: str(self._driver.get_server_info().agent))

    # -- plumbing ----------------------------------------------------------------------

    def _session(self) -> Any:
        return self._driver.session(database=self._database)

    def _guard(self, action: str, work: Callable[[], _T]) -> _T:
        """Run ``work``, turning driver failures into store errors that say what failed."""
        try:
            return work()
        except StoreError:
            raise
        except AuthError:
            raise StoreUnavailable(
                f"Neo4j at {self.url} refused the credentials while trying to {action}"
            ) from None
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.url} became unreachable while trying to {action}: "
                f"{_first_line(exc)}"
            ) from None
        except Neo4jError as exc:
            raise StoreError(
                f"Neo4j at {self.url} failed to {action}: {exc.code}: {_first_line(exc)}"
            ) from None
        except DriverError as exc:
            raise StoreError(
                f"Neo4j driver failed to {action}: {_first_line(exc)}"
            ) from None

    def _read(self, action: str, work: Callable[[ManagedTransaction], _T]) -> _T:
        def run() -> _T:
            with self._session() as session:
                return session.execute_read(work)
        return self._guard(action, run)

    def _write(self, action: str, work: Callable[[ManagedTransaction], _T]) -> _T:
        def run() -> _T:
            with self._session() as session:
                return session.execute_write(work)
        return self._guard(action, run)

    def _ensure_schema(self) -> None:
        def run() -> None:
            with self._session() as session:
                for statement in cypher.schema_statements():
                    session.run(statement).consume()
                session.run(
                    cypher.AWAIT_INDEXES, {"timeout_seconds": INDEX_WAIT_SECONDS}
                ).consume()
        self._guard("create constraints and indexes", run)

    # -- writing -----------------------------------------------------------------------

    def write(self, extraction: Extraction, replaces: Sequence[str] = ()) -> WriteResult:
        """Store one document's extraction in one transaction (:func:`graph.stores.core.write`)."""
        ingested_at = _now()
        return self._write(
            f"write document {extraction.document.path}",
            lambda tx: core.write(_Primitives(tx), extraction, ingested_at, replaces),
        )

    def delete_document(self, document_id: str) -> DeleteResult:
        """Delete a document as if it had never been ingested
        (:func:`graph.stores.core.delete_document`); StoreError when it is unknown."""
        return self._write(
            f"delete document {document_id}",
            lambda tx: core.delete_document(_Primitives(tx), document_id),
        )

    def add_merge_candidates(self, candidates: Iterable[MergeCandidate]) -> None:
        """Record pairs to review (idempotent; a pair is the same in either order)."""
        rows: dict[str, dict[str, Any]] = {}
        for candidate in candidates:
            a, b = sorted((candidate.a, candidate.b))
            if a == b:
                continue
            key = f"{a}|{b}"
            rows[key] = {"key": key, "a": a, "b": b, "score": float(candidate.score),
                         "reason": candidate.reason}
        if not rows:
            return

        def work(tx: ManagedTransaction) -> None:
            changed = 0
            for batch in batched(list(rows.values())):
                changed += _value(tx, cypher.UPSERT_MERGE_CANDIDATES, "changed", rows=batch)
            if changed:
                _bump_revision(tx)

        self._write("record merge candidates", work)

    def merge(self, kept_id: str, merged_id: str, reason: str = "") -> MergeRecord:
        """Merge ``merged_id`` into ``kept_id`` (:func:`graph.stores.core.merge`)."""
        created = _now()
        return self._write(
            f"merge {merged_id} into {kept_id}",
            lambda tx: core.merge(_Primitives(tx), kept_id, merged_id, reason, created),
        )

    def unmerge(self, merge_id: int) -> MergeRecord:
        """Undo a recorded merge (:func:`graph.stores.core.unmerge`)."""
        return self._write(
            f"undo merge {merge_id}", lambda tx: core.unmerge(_Primitives(tx), merge_id)
        )

    # -- reading -----------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this id (sha256) is stored."""
        return bool(self._read(
            "look up a document",
            lambda tx: _value(tx, cypher.DOCUMENT_EXISTS, "found", id=document_id),
        ))

    def documents(self) -> list[DocumentInfo]:
        """All documents, without their text."""
        rows = self._read("list documents", lambda tx: _rows(tx, cypher.LIST_DOCUMENTS))
        return [document_from_properties(row) for row in rows]

    def get_document(self, document_id: str) -> DocumentInfo | None:
        """One document with its text, or None."""
        props = self._read(
            "read a document",
            lambda tx: _value(tx, cypher.GET_DOCUMENT, "document", id=document_id),
        )
        return document_from_properties(props) if props else None

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity, or None."""
        found = self.get_entities([entity_id])
        return found[0] if found else None

    def get_entities(self, entity_ids: Iterable[str]) -> list[Entity]:
        """The entities with these ids that exist, in no particular order."""
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        rows = self._read(
            "read entities", lambda tx: _rows(tx, cypher.GET_ENTITIES, ids=ids)
        )
        return [entity_from_properties(row["entity"]) for row in rows]

    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """Every entity (optionally of one label), by name."""
        query = cypher.entities_with_label(label) if label else cypher.LIST_ENTITIES
        rows = self._read("list entities", lambda tx: _rows(tx, query))
        return (entity_from_properties(row["entity"]) for row in rows)

    def relations(self) -> Iterator[Relation]:
        """Every relation with its evidence, by id."""
        rows = self._read("list relations", lambda tx: _rows(tx, cypher.LIST_RELATIONS))
        return (relation_from_record(row) for row in rows)

    def relations_of(self, entity_id: str) -> list[Relation]:
        """Relations where the entity is source or target, with evidence."""
        rows = self._read(
            "read relations of an entity",
            lambda tx: _rows(tx, cypher.RELATIONS_OF, id=entity_id),
        )
        return [relation_from_record(row) for row in rows]

    def search_entities(
        self,
        q: str | None = None,
        label: str | None = None,
        level: str | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Entity]:
        """Accent- and case-insensitive search over names and aliases, with filters.

        Every word of ``q`` must be a word of a name or alias, the last one may be the
        beginning of one. Entities with a name or alias equal to ``q`` once normalised come
        first, then by relevance. Without ``q`` the filtered entities are listed by name.
        """
        params: dict[str, Any] = {
            "label": check_label(label) if label else None,
            "level": level or None,
            "country": country or None,
            "limit": check_count("limit", limit),
            "offset": check_count("offset", offset),
        }
        if q is None or not q.strip():
            statement = cypher.SEARCH_ENTITIES_FILTERED
        else:
            query = fulltext_query(q)
            if query is None:
                return []
            statement = cypher.SEARCH_ENTITIES_FULLTEXT
            params.update(query=query, norm=normalize_name(q))
        rows = self._read("search entities", lambda tx: _rows(tx, statement, **params))
        return [entity_from_properties(row["entity"]) for row in rows]

    def search_passages(self, q: str, limit: int = 20) -> list[Passage]:
        """Passages whose text holds every word of ``q`` (accent- and case-insensitive, the
        last word a prefix), by full-text score."""
        query = fulltext_query(q)
        if query is None:
            return []
        params = {"query": query, "limit": check_count("limit", limit)}
        rows = self._read(
            "search passages", lambda tx: _rows(tx, cypher.SEARCH_PASSAGES, **params)
        )
        return [Passage(**row) for row in rows]

    def find_by_normalized_names(self, names: Iterable[str]) -> dict[str, list[str]]:
        """Map each normalised name or alias that some entity carries to those entities' ids."""
        wanted = sorted({name for name in names if name})
        if not wanted:
            return {}
        rows = self._read(
            "look up names",
            lambda tx: _rows(tx, cypher.FIND_BY_NORMALIZED_NAMES, names=wanted),
        )
        return {row["name"]: sorted(row["ids"]) for row in rows}

    def passages(self, passage_ids: Iterable[str]) -> list[Passage]:
        """The passages with these ids, in the order asked (unknown ids left out)."""
        ids = list(dict.fromkeys(passage_ids))
        if not ids:
            return []
        rows = self._read("read passages", lambda tx: _rows(tx, cypher.GET_PASSAGES, ids=ids))
        found = {row["id"]: Passage(**row) for row in rows}
        return [found[pid] for pid in ids if pid in found]

    def mentions_of(self, entity_id: str, limit: int = 100) -> list[Mention]:
        """Where an entity is mentioned, in document order."""
        rows = self._read(
            "read mentions",
            lambda tx: _rows(
                tx, cypher.MENTIONS_OF, id=entity_id, limit=check_count("limit", limit)
            ),
        )
        return [Mention(**row) for row in rows]

    def stats(self) -> StoreStats:
        """Counts of documents, passages, entities per label, relations per type, evidence."""

        def work(tx: ManagedTransaction) -> StoreStats:
            relations = _rows(tx, cypher.COUNT_RELATIONS_BY_TYPE)
            return StoreStats(
                documents=_value(tx, cypher.COUNT_DOCUMENTS, "n"),
                passages=_value(tx, cypher.COUNT_PASSAGES, "n"),
                mentions=_value(tx, cypher.COUNT_MENTIONS, "n"),
                entities={
                    row["key"]: row["n"] for row in _rows(tx, cypher.COUNT_ENTITIES_BY_LABEL)
                },
                relations={row["key"]: row["n"] for row in relations},
                evidence=sum(row["evidence"] for row in relations),
                revision=_value(tx, cypher.GET_REVISION, "revision", meta_id=META_ID),
            )

        return self._read("count the store's content", work)

    def revision(self) -> int:
        """A number that changes whenever the store's content changes."""
        return int(self._read(
            "read the revision",
            lambda tx: _value(tx, cypher.GET_REVISION, "revision", meta_id=META_ID),
        ))

    def view(self) -> nx.MultiDiGraph:
        """The networkx projection of the entity layer, rebuilt only when the revision moves
        (shared and frozen: ``graph.copy()`` to modify it)."""

        def load() -> nullcontext[tuple[int, list[Entity], list[Relation], list[PairVerdict]]]:
            return nullcontext((self.revision(), list(self.entities()), list(self.relations()),
                                self.verdicts()))

        return self._projection.get(self.revision, load)

    def neighbourhood_graph(
        self, entity_id: str, depth: int = 1, opened: Sequence[str] = ()
    ) -> nx.MultiDiGraph:
        """The part of the projection a neighbourhood view reads, with Cypher on the
        entity's surroundings only (the whole projection is neither read nor built); the
        cached projection itself when one of the current revision is at hand.

        The entities within ``depth`` relations of ``entity_id`` and within one of each
        ``opened`` entity, walked as :func:`queries.exploration.neighbourhood` walks
        (governance levels are reached, never walked through), and every relation between
        two of them: that function gives on it what it gives on :meth:`view`. Missing ids
        give an empty or smaller graph.
        """
        if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= 6:
            raise ValueError(f"depth must be an integer from 0 to 6, got {depth!r}")
        cached = self._projection.cached(self.revision())
        if cached is not None:
            return cached

        def work(tx: ManagedTransaction) -> tuple[dict[str, Entity], list[Relation]]:
            found = set(_read_entities(tx, [entity_id, *opened]))
            for start, hops in ((entity_id, depth), *((o, 1) for o in opened)):
                if start in found:
                    found |= _walk(tx, start, hops)
            ids = sorted(found)
            rows = _rows(tx, cypher.RELATIONS_AMONG, ids=ids)
            return _read_entities(tx, ids), [relation_from_record(row) for row in rows]

        entities, relations = self._read("read a neighbourhood", work)
        return nx.freeze(project(entities.values(), relations))

    def merges(self) -> list[MergeRecord]:
        """Every recorded merge, newest first."""
        rows = self._read("list merges", lambda tx: _rows(tx, cypher.LIST_MERGE_RECORDS))
        return [MergeRecord(**row) for row in rows]

    def merge_candidates(self) -> list[MergeCandidate]:
        """Pairs to review whose entities both still exist, best first."""
        rows = self._read(
            "list merge candidates", lambda tx: _rows(tx, cypher.LIST_MERGE_CANDIDATES)
        )
        return [MergeCandidate(**row) for row in rows]

    # -- verdicts ----------------------------------------------------------------------

    def set_verdict(self, a: str, b: str, verdict: str, note: str = "") -> PairVerdict:
        """Record (or replace) the verdict on a pair of existing entities."""
        a, b = verdict_key(a, b)
        record = PairVerdict(a=a, b=b, verdict=check_verdict(verdict), note=note,
                             created=datetime.now(UTC).isoformat(timespec="seconds"))

        def work(tx: ManagedTransaction) -> None:
            found = {row["id"] for row in _rows(tx, cypher.EXISTING_ENTITY_IDS, ids=[a, b])}
            missing = sorted({a, b} - found)
            if missing:
                raise StoreError(f"no entity with id {missing[0]!r}")
            tx.run(cypher.UPSERT_VERDICT, key=f"{a}|{b}", **record.model_dump()).consume()
            _bump_revision(tx)

        self._write(f"record the verdict on {a} and {b}", work)
        return record

    def remove_verdict(self, a: str, b: str) -> bool:
        """Forget the verdict on a pair; ``False`` when there was none."""
        a, b = verdict_key(a, b)

        def work(tx: ManagedTransaction) -> int:
            gone = int(_value(tx, cypher.DELETE_VERDICT, "deleted", key=f"{a}|{b}"))
            if gone:
                _bump_revision(tx)
            return gone

        return bool(self._write(f"remove the verdict on {a} and {b}", work))

    def verdicts(self) -> list[PairVerdict]:
        """Every recorded verdict, by pair."""
        rows = self._read("list verdicts", lambda tx: _rows(tx, cypher.LIST_VERDICTS))
        return [PairVerdict(**row) for row in rows]

    # -- housekeeping ------------------------------------------------------------------

    def clear(self) -> None:
        """Delete everything this store holds in the database (documents, entities, merges).

        Meant for tests and resets; nodes of other applications are left alone.
        """

        def delete_batch(tx: ManagedTransaction) -> int:
            return int(_value(tx, cypher.DELETE_STORE_BATCH, "deleted", batch=BATCH_SIZE))

        while self._write("clear the store", delete_batch):
            pass
        self._projection.clear()

    def close(self) -> None:
        """Release connections."""
        self._driver.close()


# --------------------------------------------------------------------------------------
# Transaction functions (run by execute_write, hence free of side effects outside tx)
# --------------------------------------------------------------------------------------


def _bump_revision(tx: ManagedTransaction) -> int:
    return int(_value(tx, cypher.BUMP_REVISION, "revision", meta_id=META_ID))


def _walk(tx: ManagedTransaction, start: str, depth: int) -> set[str]:
    """Ids within ``depth`` relations of ``start``, not walking through NOT_WALKED labels."""
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        if not frontier:
            break
        rows = _rows(tx, cypher.NEIGHBOURS, ids=frontier)
        reached = {row["id"]: row["label"] for row in rows if row["id"] not in seen}
        seen |= reached.keys()
        frontier = sorted(n for n, label in reached.items() if label not in NOT_WALKED)
    return seen


class _Primitives:
    """The primitives of :mod:`graph.stores.core` on one Neo4j transaction."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self._tx = tx

    # -- documents

    def document_path(self, document_id: str) -> str | None:
        rows = _rows(self._tx, cypher.DOCUMENT_PATH, id=document_id)
        return str(rows[0]["path"] or "") if rows else None

    def versions_of_path(self, path: str, document_id: str) -> list[str]:
        return [row["id"] for row in _rows(
            self._tx, cypher.OTHER_VERSIONS_OF_PATH, path=path, id=document_id)]

    def remove_documents(self, document_ids: Sequence[str]) -> tuple[set[str], set[str]]:
        tx = self._tx
        entities: set[str] = set()
        relations: set[str] = set()
        for document_id in document_ids:
            for row in _rows(tx, cypher.SUPPORT_OF_DOCUMENT, id=document_id):
                (entities if row["kind"] == "entity" else relations).add(row["item_id"])
            entities.update(
                row["id"] for row in _rows(tx, cypher.ENTITIES_MENTIONED_IN, id=document_id)
            )
            updates = []
            for row in _rows(tx, cypher.RELATIONS_OF_DOCUMENT, document_id=document_id):
                stored = _stored_relation(row)
                relation = stored.relation
                relation.evidence = [e for e in relation.evidence
                                     if e.document_id != document_id]
                updates.append({"element_id": stored.element_id,
                                "props": relation_properties(relation)})
                relations.add(relation.id)
            for batch in batched(updates):
                tx.run(cypher.UPDATE_RELATIONS, {"rows": batch}).consume()
            tx.run(cypher.DELETE_SUPPORT_OF_DOCUMENT, {"id": document_id}).consume()
            tx.run(cypher.DELETE_DOCUMENT_PASSAGES, {"id": document_id}).consume()
            tx.run(cypher.DELETE_DOCUMENT, {"id": document_id}).consume()
        return entities, relations

    def insert_document(self, extraction: Extraction, ingested_at: str) -> None:
        document = extraction.document
        self._tx.run(cypher.UPSERT_DOCUMENT, {
            "id": document.id, "props": document_properties(document, ingested_at),
        }).consume()
        passage_rows = [p.model_dump(mode="json") for p in extraction.passages]
        for batch in batched(passage_rows):
            self._tx.run(cypher.UPSERT_PASSAGES, {"rows": list(batch)}).consume()

    # -- mentions

    def put_mentions(self, mentions: Sequence[Mention]) -> None:
        rows = [m.model_dump(mode="json") for m in mentions]
        for batch in batched(rows):
            self._tx.run(cypher.UPSERT_MENTIONS, {"rows": list(batch)}).consume()

    def move_mentions(self, mentions: Sequence[Mention], from_id: str, to_id: str) -> None:
        rows = [m.model_dump(mode="json") for m in mentions]
        for batch in batched(rows):
            self._tx.run(cypher.MOVE_MENTIONS, {
                "rows": list(batch), "from_id": from_id, "to_id": to_id}).consume()

    def delete_mentions(self, entity_id: str, places: Sequence[MentionKey]) -> None:
        rows = [{"passage_id": p, "start": start, "end": end} for p, start, end in places]
        for batch in batched(rows):
            self._tx.run(cypher.DELETE_MENTIONS, {
                "rows": list(batch), "entity_id": entity_id}).consume()

    def mentions_of_entity(self, entity_id: str) -> list[Mention]:
        return [Mention(entity_id=entity_id, **row)
                for row in _rows(self._tx, cypher.MENTIONS_FOR_MERGE, id=entity_id)]

    # -- support records

    def put_support(self, records: Sequence[SupportRecord]) -> None:
        rows = [{"key": f"{r.item_id}|{r.document_id}", **r.model_dump()} for r in records]
        for batch in batched(rows):
            self._tx.run(cypher.UPSERT_SUPPORT, {"rows": list(batch)}).consume()

    def existing_entity_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        return {row["id"] for row in _rows(self._tx, cypher.EXISTING_ENTITY_IDS, ids=wanted)}

    def relations_touching(self, entity_id: str) -> list[Relation]:
        return [relation_from_record(row)
                for row in _rows(self._tx, cypher.RELATIONS_OF, id=entity_id)]

    def extend_relations(self, relations: Mapping[str, Relation]) -> int:
        if not relations:
            return 0
        stored = _read_relations(self._tx, _ids_by_type(relations.values()))
        items = []
        new_evidence = 0
        for relation_id, relation in relations.items():
            if relation_id in stored:
                merged, added = merge_into_stored(stored[relation_id].relation, relation)
                items.append(merged)
                new_evidence += added
            else:
                items.append(relation)
                new_evidence += len(relation.evidence)
        _put_relations(self._tx, items, stored)
        return new_evidence

    # -- merge records and the revision

    def add_merge_record(self, record: MergeRecord, snapshot: MergeSnapshot) -> int:
        merge_id = int(_value(self._tx, cypher.NEXT_MERGE_ID, "merge_id", meta_id=META_ID))
        self._tx.run(cypher.CREATE_MERGE_RECORD, {
            "id": merge_id, "kept_id": record.kept_id, "merged_id": record.merged_id,
            "reason": record.reason, "created": record.created,
            "snapshot": json.dumps({"plan": snapshot.model_dump(mode="json")},
                                   ensure_ascii=False),
        }).consume()
        return merge_id

    def merge_record(self, merge_id: int) -> tuple[MergeRecord, MergeSnapshot] | None:
        props = _value(self._tx, cypher.GET_MERGE_RECORD, "record", id=int(merge_id))
        if props is None:
            return None
        record = MergeRecord(**{k: v for k, v in props.items() if k in MergeRecord.model_fields})
        return record, MergeSnapshot(**json.loads(props["snapshot"])["plan"])

    def mark_merge_undone(self, merge_id: int) -> None:
        self._tx.run(cypher.MARK_MERGE_UNDONE, {"id": int(merge_id)}).consume()

    def bump_revision(self) -> None:
        _bump_revision(self._tx)

    # -- entities and relations

    def support_records(self, item_ids: Iterable[str]) -> list[SupportRecord]:
        ids = sorted(set(item_ids))
        out: list[SupportRecord] = []
        for batch in batched(ids):
            out += [SupportRecord(**row) for row in
                    _rows(self._tx, cypher.SUPPORT_OF_ITEMS, ids=list(batch))]
        return out

    def entities_by_ids(self, ids: Iterable[str]) -> dict[str, Entity]:
        return _read_entities(self._tx, ids)

    def relations_by_ids(self, ids: Iterable[str]) -> dict[str, Relation]:
        stored = _read_relations(self._tx, _ids_by_type_of_ids(ids))
        return {k: s.relation for k, s in stored.items()}

    def entities_in_use(self, ids: Iterable[str]) -> set[str]:
        return {row["id"] for row in
                _rows(self._tx, cypher.ENTITIES_IN_USE, ids=sorted(set(ids)))}

    def put_entities(self, entities: Sequence[Entity]) -> None:
        _put_entities(self._tx, entities)

    def delete_entities(self, ids: Sequence[str]) -> None:
        if ids:
            self._tx.run(cypher.DELETE_ENTITIES, {"ids": list(ids)}).consume()

    def put_relations(self, relations: Sequence[Relation]) -> None:
        if not relations:
            return
        stored = _read_relations(self._tx, _ids_by_type(relations))
        turned = [stored[r.id].element_id for r in relations if r.id in stored
                  and (stored[r.id].relation.source, stored[r.id].relation.target)
                  != (r.source, r.target)]
        self._tx.run(cypher.DELETE_RELATIONS, {"element_ids": turned}).consume()
        kept = {k: v for k, v in stored.items() if v.element_id not in set(turned)}
        _put_relations(self._tx, relations, kept)

    def delete_relations(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        stored = _read_relations(self._tx, _ids_by_type_of_ids(ids))
        self._tx.run(cypher.DELETE_RELATIONS, {
            "element_ids": [s.element_id for s in stored.values()]
        }).consume()


def _read_entities(tx: ManagedTransaction, ids: Iterable[str]) -> dict[str, Entity]:
    """Stored entities by id."""
    wanted = sorted(set(ids))
    out: dict[str, Entity] = {}
    for batch in batched(wanted):
        for row in _rows(tx, cypher.GET_ENTITIES, ids=list(batch)):
            entity = entity_from_properties(row["entity"])
            out[entity.id] = entity
    return out


def _put_entities(tx: ManagedTransaction, entities: Iterable[Entity]) -> int:
    """Create or overwrite entities (all fields), grouped by label in batches."""
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity in entities:
        by_label[entity.label].append({"id": entity.id, "props": entity_properties(entity)})
    written = 0
    for label, rows in by_label.items():
        statement = cypher.upsert_entities(label)
        for batch in batched(rows):
            written += int(_value(tx, statement, "written", rows=list(batch)))
    return written


def _read_relations(
    tx: ManagedTransaction, ids_by_type: dict[str, set[str]]
) -> dict[str, _StoredRelation]:
    """Stored relations by id, looked up through each type's id index."""
    out: dict[str, _StoredRelation] = {}
    for rel_type, ids in ids_by_type.items():
        statement = cypher.relations_by_id(rel_type)
        for batch in batched(sorted(ids)):
            for row in _rows(tx, statement, ids=list(batch)):
                stored = _stored_relation(row)
                out[stored.relation.id] = stored
    return out


def _ids_by_type(relations: Iterable[Relation]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for relation in relations:
        out[relation.type].add(relation.id)
    return out


def _ids_by_type_of_ids(relation_ids: Iterable[str]) -> dict[str, set[str]]:
    """Relation ids (``source|TYPE|target``) grouped by their type."""
    out: dict[str, set[str]] = defaultdict(set)
    for relation_id in relation_ids:
        parts = relation_id.split("|")
        if len(parts) == 3:
            out[parts[1]].add(relation_id)
    return out


def _put_relations(
    tx: ManagedTransaction, relations: Iterable[Relation], stored: dict[str, _StoredRelation],
) -> int:
    """Store relations exactly as given: update those in ``stored``, create the others.

    An existing relation is updated in place, whatever its direction (an undirected
    relation keeps the direction it was first written with). Relations whose ends do not
    exist are not created. Returns how many relations were written.
    """
    updates: list[dict[str, Any]] = []
    creations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for relation in relations:
        props = relation_properties(relation)
        if relation.id in stored:
            updates.append({"element_id": stored[relation.id].element_id, "props": props})
        else:
            creations[relation.type].append(
                {"source": relation.source, "target": relation.target, "id": relation.id,
                 "props": props}
            )
    written = 0
    for batch in batched(updates):
        written += int(_value(tx, cypher.UPDATE_RELATIONS, "updated", rows=list(batch)))
    for rel_type, rows in creations.items():
        statement = cypher.create_relations(rel_type)
        for batch in batched(rows):
            written += int(_value(tx, statement, "written", rows=list(batch)))
    return written
