"""The embedded store: one SQLite file in WAL mode, with FTS5 search of names and passages.

Each thread gets its own connection (FastAPI runs sync endpoints in a thread pool); writes
are serialised by a lock within the process and by ``BEGIN IMMEDIATE`` across processes,
while readers keep reading the last committed state (WAL). Entities are stored as the JSON
of the full :class:`~graph.model.Entity` plus the columns the lookups need; every surface
form is in ``aliases`` with its normalised form; relations carry their evidence in a table
of their own, unique per relation, document, span and extractor.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from graph.model import DocumentInfo, Entity, Evidence, Extraction, Mention, Passage, Relation
from graph.normalize import normalize_name, strip_accents
from graph.stores import core
from graph.stores.base import (
    SAVED_INDEXES_ATTRIBUTE,
    DeleteResult,
    MergeCandidate,
    MergeRecord,
    PairVerdict,
    SavedIndexes,
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
from graph.vocab import check_label

SQLITE_PREFIX = "sqlite:///"
SCHEMA_VERSION = 5
BUSY_TIMEOUT_MS = 30_000
_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound on variables
_WORD = re.compile(r"\w+")

# Version 3: what each document said about each entity and relation (graph.stores.support).
_SUPPORT_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS support (
        item_id TEXT NOT NULL,
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        kind TEXT NOT NULL, ingested_at TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (item_id, document_id)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS support_document ON support (document_id)",
)
# A version-2 store gets records from what it holds: each entity is supported by the
# documents that mention it, each relation by the documents of its evidence.
_SUPPORT_FROM_CONTENT: tuple[str, ...] = (
    *_SUPPORT_SCHEMA,
    """INSERT OR IGNORE INTO support (item_id, document_id, kind, ingested_at, data)
        SELECT DISTINCT e.id, p.document_id, 'entity', d.ingested_at, e.data
        FROM mentions m JOIN passages p ON p.id = m.passage_id
        JOIN documents d ON d.id = p.document_id JOIN entities e ON e.id = m.entity_id""",
    """INSERT OR IGNORE INTO support (item_id, document_id, kind, ingested_at, data)
        SELECT DISTINCT r.id, ev.document_id, 'relation', d.ingested_at,
            json_object('source', r.source, 'type', r.type, 'target', r.target,
                        'properties', json(r.properties), 'evidence', json('[]'))
        FROM evidence ev JOIN relations r ON r.id = ev.relation_id
        JOIN documents d ON d.id = ev.document_id""",
)

# Version 5: a random number that tells this store from any other (the revision alone does
# not: a new store at the same path counts its revisions from 0 again).
_IDENTITY = (
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('identity', random() & 9223372036854775807)"
)
INDEX_FOLDER_SUFFIX = ".indexes"  # saved query indexes go to the folder <store file>.indexes

_TOKENIZE = "tokenize = \"unicode61 remove_diacritics 2\""
# Reviewers' verdicts on pairs (kept by sorted pair, apart from documents and entities).
_VERDICTS_TABLE = """CREATE TABLE verdicts (
    a TEXT NOT NULL, b TEXT NOT NULL, verdict TEXT NOT NULL, note TEXT NOT NULL,
    created TEXT NOT NULL, PRIMARY KEY (a, b), CHECK (a < b)) WITHOUT ROWID"""

_SCHEMA: tuple[str, ...] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO meta (key, value) VALUES ('revision', 0)",
    _IDENTITY,
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, path TEXT NOT NULL, format TEXT NOT NULL,
        publisher TEXT, date TEXT, language TEXT NOT NULL, text TEXT NOT NULL,
        ingested_at TEXT NOT NULL)""",
    "CREATE INDEX documents_path ON documents (path)",
    """CREATE TABLE passages (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL)""",
    "CREATE INDEX passages_document ON passages (document_id)",
    """CREATE TABLE entities (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label TEXT NOT NULL,
        name TEXT NOT NULL, sort_name TEXT NOT NULL, level TEXT, country TEXT COLLATE NOCASE,
        source TEXT, search_text TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX entities_label ON entities (label, sort_name)",
    "CREATE INDEX entities_sort_name ON entities (sort_name)",
    "CREATE INDEX entities_level ON entities (level)",
    "CREATE INDEX entities_country ON entities (country)",
    """CREATE TABLE aliases (
        entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        alias TEXT NOT NULL, norm TEXT NOT NULL,
        PRIMARY KEY (entity_id, alias)) WITHOUT ROWID""",
    "CREATE INDEX aliases_norm ON aliases (norm)",
    """CREATE TABLE relations (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        target TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        properties TEXT NOT NULL)""",
    "CREATE INDEX relations_source ON relations (source)",
    "CREATE INDEX relations_target ON relations (target)",
    "CREATE INDEX relations_type ON relations (type)",
    """CREATE TABLE evidence (
        rid INTEGER PRIMARY KEY,
        relation_id TEXT NOT NULL REFERENCES relations (id) ON DELETE CASCADE,
        passage_id TEXT NOT NULL, document_id TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, quote TEXT NOT NULL,
        extractor TEXT NOT NULL, confidence REAL NOT NULL, field TEXT, column_name TEXT,
        UNIQUE (relation_id, document_id, start, "end", extractor))""",
    "CREATE INDEX evidence_document ON evidence (document_id)",
    """CREATE TABLE mentions (
        rid INTEGER PRIMARY KEY,
        passage_id TEXT NOT NULL REFERENCES passages (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        UNIQUE (passage_id, entity_id, start, "end"))""",
    "CREATE INDEX mentions_entity ON mentions (entity_id)",
    """CREATE TABLE merges (
        id INTEGER PRIMARY KEY AUTOINCREMENT, kept_id TEXT NOT NULL, merged_id TEXT NOT NULL,
        reason TEXT NOT NULL, created TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0,
        snapshot TEXT NOT NULL)""",
    """CREATE TABLE merge_candidates (
        a TEXT NOT NULL, b TEXT NOT NULL, score REAL NOT NULL, reason TEXT NOT NULL,
        PRIMARY KEY (a, b), CHECK (a < b)) WITHOUT ROWID""",
    "CREATE INDEX merge_candidates_score ON merge_candidates (score DESC)",
    _VERDICTS_TABLE,
    *_SUPPORT_SCHEMA,
    f"""CREATE VIRTUAL TABLE entity_fts USING fts5 (
        search_text, content = 'entities', content_rowid = 'rid', {_TOKENIZE})""",
    f"""CREATE VIRTUAL TABLE passage_fts USING fts5 (
        text, content = 'passages', content_rowid = 'rid', {_TOKENIZE})""",
    """CREATE TRIGGER entities_fts_insert AFTER INSERT ON entities BEGIN
        INSERT INTO entity_fts (rowid, search_text) VALUES (new.rid, new.search_text);
    END""",
    """CREATE TRIGGER entities_fts_delete AFTER DELETE ON entities BEGIN
        INSERT INTO entity_fts (entity_fts, rowid, search_text)
        VALUES ('delete', old.rid, old.search_text);
    END""",
    """CREATE TRIGGER entities_fts_update AFTER UPDATE OF search_text ON entities BEGIN
        INSERT INTO entity_fts (entity_fts, rowid, search_text)
        VALUES ('delete', old.rid, old.search_text);
        INSERT INTO entity_fts (rowid, search_text) VALUES (new.rid, new.search_text);
    END""",
    """CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN
        INSERT INTO passage_fts (rowid, text) VALUES (new.rid, new.text);
    END""",
    """CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
        INSERT INTO passage_fts (passage_fts, rowid, text) VALUES ('delete', old.rid, old.text);
    END""",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)

_ENTITY_UPSERT = """
    INSERT INTO entities (id, label, name, sort_name, level, country, source, search_text, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
        label = excluded.label, name = excluded.name, sort_name = excluded.sort_name,
        level = excluded.level, country = excluded.country, source = excluded.source,
        search_text = excluded.search_text, data = excluded.data
"""
_EVIDENCE_INSERT = """
    INSERT OR IGNORE INTO evidence
        (relation_id, passage_id, document_id, start, "end", quote, extractor, confidence,
         field, column_name)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_RELATION_COLUMNS = "id, source, type, target, properties"
_EVIDENCE_COLUMNS = (
    'relation_id, passage_id, document_id, start, "end", quote, extractor, confidence, '
    "field, column_name"
)
# Statements bringing a store of schema version N - 1 to version N (index N - 2).
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 2: evidence of inventory cells names their field and column
        "ALTER TABLE evidence ADD COLUMN field TEXT",
        "ALTER TABLE evidence ADD COLUMN column_name TEXT",
    ),
    _SUPPORT_FROM_CONTENT,  # 3: support records (graph.stores.support)
    (_VERDICTS_TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1),),  # 4: verdicts
    (_IDENTITY,),  # 5: the store's identity
)
_MENTION_COLUMNS = 'passage_id, entity_id, start, "end", text'


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db`` URL."""
    if not url.startswith(SQLITE_PREFIX):
        raise ValueError(f"not a SQLite store URL: {url!r} (expected sqlite:///path/to/file.db)")
    raw = url[len(SQLITE_PREFIX):]
    if not raw or raw == ":memory:":
        raise ValueError(f"SQLite store URL {url!r} names no file (expected sqlite:///path.db)")
    return Path(raw)


def fts_match_expression(q: str) -> str | None:
    """An FTS5 query for the words of ``q``: each word quoted, the last one a prefix.

    Quoting makes every input safe (``"``, ``*``, ``AND (``, ``NEAR`` are plain words
    or nothing); None when ``q`` holds no word at all.
    """
    words = _WORD.findall(strip_accents(q))
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _entity_row(entity: Entity) -> tuple:
    return (
        entity.id, entity.label, entity.name, normalize_name(entity.name), entity.level,
        entity.country, entity.source, "\n".join(sorted(entity.names())),
        entity.model_dump_json(),
    )


def _alias_rows(entity: Entity) -> list[tuple[str, str, str]]:
    return [(entity.id, name, normalize_name(name)) for name in sorted(entity.names())]


def _evidence_row(relation_id: str, ev: Evidence) -> tuple:
    return (relation_id, ev.passage_id, ev.document_id, ev.start, ev.end, ev.quote,
            ev.extractor, ev.confidence, ev.field, ev.column)


class SQLiteStore:
    """The embedded store: see the module docstring."""

    def __init__(self, url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        """Open (creating if needed) the store file named by ``url``.

        Raises StoreUnavailable naming the path when its folder cannot be created, when
        the file is not a SQLite database, or when it is a database of something else.
        """
        self.url = url
        self.path = sqlite_path(url)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._projection = core.ProjectionCache()
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"{self.path}: cannot create the folder {self.path.parent} "
                f"({exc.strerror or exc})"
            ) from exc
        try:
            self._initialise()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._busy_timeout_ms / 1000, isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self.path}: cannot open the database ({exc})") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            conn.close()
            raise StoreUnavailable(f"{self.path}: cannot open the database ({exc})") from exc
        with self._connections_lock:
            # Threads of a server's pool come and go: close what finished threads left open.
            for thread, old in [c for c in self._connections if not c[0].is_alive()]:
                old.close()
                self._connections.remove((thread, old))
            self._connections.append((threading.current_thread(), conn))
        return conn

    @property
    def connection_count(self) -> int:
        """How many connections are open (one per thread that used the store, at most)."""
        with self._connections_lock:
            return len(self._connections)

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _initialise(self) -> None:
        conn = self._conn()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if version > SCHEMA_VERSION:
                raise StoreUnavailable(
                    f"{self.path}: store schema version {version} is newer than this "
                    f"version of Tejido reads ({SCHEMA_VERSION})"
                )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version == 0:
                    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                        raise StoreUnavailable(
                            f"{self.path}: a SQLite database, but not a Tejido store "
                            "(it has tables and no store schema version)"
                        )
                    for statement in _SCHEMA:
                        conn.execute(statement)
                else:
                    for steps in _MIGRATIONS[version - 1:]:
                        for statement in steps:
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(
                f"{self.path}: cannot use this file as a SQLite store ({exc})"
            ) from exc

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: ``BEGIN IMMEDIATE`` for writes, a read snapshot otherwise."""
        conn = self._conn()
        lock = self._write_lock if write else None
        if lock is not None:
            lock.acquire()
        try:
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot start a transaction ({exc})") from exc
            try:
                yield conn
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(f"{self.path}: {exc}") from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(f"{self.path}: cannot commit ({exc})") from exc
        finally:
            if lock is not None:
                lock.release()

    def close(self) -> None:
        """Close every connection this store opened, in every thread."""
        self._closed = True
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for _thread, conn in connections:
            conn.close()

    # ------------------------------------------------------------------ low-level reads

    @staticmethod
    def _select_by_ids(
        conn: sqlite3.Connection, sql: str, ids: Iterable[str], *params: Any
    ) -> list[sqlite3.Row | tuple]:
        """Run ``sql`` (with ``{ids}`` where the id list goes) over ``ids`` in chunks."""
        unique = sorted(set(ids))
        rows: list = []
        for chunk in _chunks(unique):
            rows.extend(conn.execute(sql.format(ids=_marks(len(chunk))), (*params, *chunk)))
        return rows

    def _entities_by_ids(self, conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Entity]:
        rows = self._select_by_ids(conn, "SELECT data FROM entities WHERE id IN ({ids})", ids)
        entities = (Entity.model_validate_json(row[0]) for row in rows)
        return {e.id: e for e in entities}

    def _existing_entity_ids(self, conn: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
        rows = self._select_by_ids(conn, "SELECT id FROM entities WHERE id IN ({ids})", ids)
        return {row[0] for row in rows}

    @staticmethod
    def _build_relations(rows: Iterable[tuple], evidence_rows: Iterable[tuple]) -> list[Relation]:
        evidence: dict[str, list[Evidence]] = {}
        for row in evidence_rows:
            evidence.setdefault(row[0], []).append(Evidence(
                passage_id=row[1], document_id=row[2], start=row[3], end=row[4], quote=row[5],
                extractor=row[6], confidence=row[7], field=row[8], column=row[9],
            ))
        return [
            Relation(source=row[1], type=row[2], target=row[3],
                     properties=json.loads(row[4]), evidence=evidence.get(row[0], []))
            for row in rows
        ]

    def _relations_by_ids(self, conn: sqlite3.Connection, ids: Iterable[str]) -> list[Relation]:
        ids = list(ids)
        rows = self._select_by_ids(
            conn, f"SELECT {_RELATION_COLUMNS} FROM relations WHERE id IN ({{ids}})", ids
        )
        found = [row[0] for row in rows]
        evidence_rows = self._select_by_ids(
            conn,
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence WHERE relation_id IN ({{ids}}) "
            "ORDER BY rid",
            found,
        )
        evidence_rows.sort(key=lambda r: r[0])  # stable: keeps rid order within a relation
        return self._build_relations(sorted(rows), evidence_rows)

    def _relations_touching(self, conn: sqlite3.Connection, entity_id: str) -> list[Relation]:
        ids = [row[0] for row in conn.execute(
            "SELECT id FROM relations WHERE source = ? UNION SELECT id FROM relations "
            "WHERE target = ?", (entity_id, entity_id),
        )]
        return self._relations_by_ids(conn, ids)

    @staticmethod
    def _revision(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    @staticmethod
    def _bump_revision(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    # ------------------------------------------------------------------ low-level writes

    @staticmethod
    def _put_entities(conn: sqlite3.Connection, entities: Sequence[Entity]) -> None:
        """Store each entity exactly as given (row, aliases and search text)."""
        if not entities:
            return
        conn.executemany(_ENTITY_UPSERT, [_entity_row(e) for e in entities])
        conn.executemany("DELETE FROM aliases WHERE entity_id = ?", [(e.id,) for e in entities])
        conn.executemany(
            "INSERT INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
            [row for e in entities for row in _alias_rows(e)],
        )

    @staticmethod
    def _put_relations(conn: sqlite3.Connection, relations: Sequence[Relation]) -> None:
        """Store each relation exactly as given, replacing its properties and evidence."""
        if not relations:
            return
        conn.executemany("DELETE FROM relations WHERE id = ?", [(r.id,) for r in relations])
        conn.executemany(
            f"INSERT INTO relations ({_RELATION_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            [(r.id, r.source, r.type, r.target, json.dumps(r.properties, ensure_ascii=False))
             for r in relations],
        )
        conn.executemany(
            _EVIDENCE_INSERT, [_evidence_row(r.id, ev) for r in relations for ev in r.evidence]
        )

    @staticmethod
    def _delete_relations(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
        conn.executemany("DELETE FROM relations WHERE id = ?", [(i,) for i in ids])

    # ------------------------------------------------------------------ write

    def write(self, extraction: Extraction, replaces: Sequence[str] = ()) -> WriteResult:
        """Store one document's extraction in one transaction (:func:`graph.stores.core.write`)."""
        with self._transaction(write=True) as conn:
            try:
                return core.write(_Primitives(self, conn), extraction, _now(), replaces)
            except sqlite3.Error as exc:
                doc = extraction.document
                raise StoreError(f"{doc.path}: cannot store document {doc.id} ({exc})") from exc

    def delete_document(self, document_id: str) -> DeleteResult:
        """Delete a document as if it had never been ingested
        (:func:`graph.stores.core.delete_document`); StoreError when it is unknown."""
        with self._transaction(write=True) as conn:
            return core.delete_document(_Primitives(self, conn), document_id)

    # ------------------------------------------------------------------ documents

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this id (sha256) is stored."""
        row = self._conn().execute("SELECT 1 FROM documents WHERE id = ?", (document_id,))
        return row.fetchone() is not None

    def documents(self) -> list[DocumentInfo]:
        """All documents, without their text, in the order they were ingested."""
        rows = self._conn().execute(
            "SELECT id, title, path, format, publisher, date, language FROM documents "
            "ORDER BY ingested_at, id"
        )
        return [
            DocumentInfo(id=r[0], title=r[1], path=r[2], format=r[3], publisher=r[4], date=r[5],
                         language=r[6])
            for r in rows
        ]

    def get_document(self, document_id: str) -> DocumentInfo | None:
        """One document with its text, or None."""
        r = self._conn().execute(
            "SELECT id, title, path, format, publisher, date, language, text FROM documents "
            "WHERE id = ?", (document_id,),
        ).fetchone()
        if r is None:
            return None
        return DocumentInfo(id=r[0], title=r[1], path=r[2], format=r[3], publisher=r[4],
                            date=r[5], language=r[6], text=r[7])

    def passages(self, passage_ids: Iterable[str]) -> list[Passage]:
        """The passages with these ids that exist, in the order asked (duplicates once)."""
        wanted = list(dict.fromkeys(passage_ids))
        rows = self._select_by_ids(
            self._conn(),
            'SELECT id, document_id, start, "end", text FROM passages WHERE id IN ({ids})',
            wanted,
        )
        found = {
            r[0]: Passage(id=r[0], document_id=r[1], start=r[2], end=r[3], text=r[4])
            for r in rows
        }
        return [found[i] for i in wanted if i in found]

    def mentions_of(self, entity_id: str, limit: int = 100) -> list[Mention]:
        """Where an entity is mentioned, in the order the mentions were stored."""
        rows = self._conn().execute(
            f"SELECT {_MENTION_COLUMNS} FROM mentions WHERE entity_id = ? ORDER BY rid LIMIT ?",
            (entity_id, check_count("limit", limit)),
        )
        return [Mention(passage_id=r[0], entity_id=r[1], start=r[2], end=r[3], text=r[4])
                for r in rows]

    # ------------------------------------------------------------------ entities, relations

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity, or None."""
        row = self._conn().execute("SELECT data FROM entities WHERE id = ?", (entity_id,))
        found = row.fetchone()
        return Entity.model_validate_json(found[0]) if found else None

    def get_entities(self, entity_ids: Iterable[str]) -> list[Entity]:
        """The entities with these ids that exist."""
        return list(self._entities_by_ids(self._conn(), entity_ids).values())

    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """Every entity (optionally of one label), by name."""
        conn = self._conn()
        if label is None:
            rows = conn.execute("SELECT data FROM entities ORDER BY sort_name, id").fetchall()
        else:
            rows = conn.execute(
                "SELECT data FROM entities WHERE label = ? ORDER BY sort_name, id",
                (check_label(label),),
            ).fetchall()
        return (Entity.model_validate_json(row[0]) for row in rows)

    def relations(self) -> Iterator[Relation]:
        """Every relation with its evidence, by id."""
        with self._transaction() as conn:
            return iter(self._all_relations(conn))

    def _all_relations(self, conn: sqlite3.Connection) -> list[Relation]:
        return list(self._stream_relations(conn))

    @staticmethod
    def _stream_relations(conn: sqlite3.Connection) -> Iterator[Relation]:
        """Every relation with its evidence, by id, read as it is consumed: the relations and
        the evidence come in the same order and are joined as they go."""
        rows = conn.execute(f"SELECT {_RELATION_COLUMNS} FROM relations ORDER BY id")
        evidence_rows = conn.execute(
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence ORDER BY relation_id, rid"
        )
        pending = next(evidence_rows, None)
        for row in rows:
            while pending is not None and pending[0] < row[0]:  # evidence of no relation
                pending = next(evidence_rows, None)
            evidence: list[tuple] = []
            while pending is not None and pending[0] == row[0]:
                evidence.append(pending)
                pending = next(evidence_rows, None)
            yield from SQLiteStore._build_relations([row], evidence)

    def relations_of(self, entity_id: str) -> list[Relation]:
        """Relations where the entity is source or target, with evidence."""
        with self._transaction() as conn:
            return self._relations_touching(conn, entity_id)

    def find_by_normalized_names(self, names: Iterable[str]) -> dict[str, list[str]]:
        """Map each normalised name or alias that some entity carries to their sorted ids.

        Names no entity carries are absent from the result.
        """
        rows = self._select_by_ids(
            self._conn(), "SELECT DISTINCT norm, entity_id FROM aliases WHERE norm IN ({ids})",
            [n for n in names if n],
        )
        out: dict[str, list[str]] = {}
        for norm, entity_id in sorted(rows):
            out.setdefault(norm, []).append(entity_id)
        return out

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

        The last word of ``q`` is a prefix (search as you type). Exact matches of the
        normalised query against a name or alias come first, then the FTS5 bm25 rank.
        Without ``q`` the filtered entities are listed by name.
        """
        rows = self._search_rows("e.data", q, label, level, country, limit, offset)
        return [Entity.model_validate_json(row[0]) for row in rows]

    def search_entity_ids(self, q: str, limit: int = 50) -> list[str]:
        """The ids :meth:`search_entities` finds for ``q``, in its order, without reading
        the entities themselves (what a search page needs before it filters and pages)."""
        return [row[0] for row in self._search_rows("e.id", q, None, None, None, limit, 0)]

    def _search_rows(
        self, column: str, q: str | None, label: str | None, level: str | None,
        country: str | None, limit: int, offset: int,
    ) -> list[tuple[Any, ...]]:
        """``column`` of the entities :meth:`search_entities` finds, in its order."""
        filters: list[str] = []
        params: list[Any] = []
        if label:
            filters.append("e.label = ?")
            params.append(check_label(label))
        if level:
            filters.append("e.level = ?")
            params.append(level)
        if country:
            filters.append("e.country = ?")
            params.append(country)
        page = (check_count("limit", limit), check_count("offset", offset))
        conn = self._conn()
        if q is None or not q.strip():
            where = f"WHERE {' AND '.join(filters)}" if filters else ""
            return conn.execute(
                f"SELECT {column} FROM entities e {where} ORDER BY e.sort_name, e.id "
                "LIMIT ? OFFSET ?", (*params, *page),
            ).fetchall()
        match = fts_match_expression(q)
        if match is None:
            return []
        extra = "".join(f" AND {f}" for f in filters)
        return conn.execute(
            f"SELECT {column} FROM entity_fts JOIN entities e ON e.rid = entity_fts.rowid "
            f"WHERE entity_fts MATCH ?{extra} "
            "ORDER BY EXISTS (SELECT 1 FROM aliases a WHERE a.entity_id = e.id AND a.norm = ?) "
            "DESC, bm25(entity_fts), e.sort_name, e.id LIMIT ? OFFSET ?",
            (match, *params, normalize_name(q), *page),
        ).fetchall()

    # ------------------------------------------------------------------ stats, view

    def search_passages(self, q: str, limit: int = 20) -> list[Passage]:
        """Passages whose text holds every word of ``q`` (accent- and case-insensitive, the
        last word a prefix), by FTS5 bm25 rank."""
        match = fts_match_expression(q)
        if match is None:
            return []
        rows = self._conn().execute(
            'SELECT p.id, p.document_id, p.start, p."end", p.text FROM passage_fts '
            "JOIN passages p ON p.rid = passage_fts.rowid WHERE passage_fts MATCH ? "
            "ORDER BY bm25(passage_fts), p.rid LIMIT ?",
            (match, check_count("limit", limit)),
        )
        return [Passage(id=r[0], document_id=r[1], start=r[2], end=r[3], text=r[4]) for r in rows]

    def stats(self) -> StoreStats:
        """Counts of documents, passages, entities per label, relations per type, evidence."""
        with self._transaction() as conn:
            def count(table: str) -> int:
                return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

            return StoreStats(
                documents=count("documents"),
                passages=count("passages"),
                mentions=count("mentions"),
                evidence=count("evidence"),
                entities=dict(conn.execute(
                    "SELECT label, count(*) FROM entities GROUP BY label ORDER BY label"
                ).fetchall()),
                relations=dict(conn.execute(
                    "SELECT type, count(*) FROM relations GROUP BY type ORDER BY type"
                ).fetchall()),
                revision=self._revision(conn),
            )

    def revision(self) -> int:
        """A number that grows by one with every change of the store's content."""
        return self._revision(self._conn())

    def view(self) -> nx.MultiDiGraph:
        """The networkx projection of the entity layer, rebuilt only when the revision moves
        (shared and frozen: ``graph.copy()`` to modify it)."""

        @contextmanager
        def load() -> Iterator[
            tuple[int, Iterator[Entity], Iterator[Relation], list[PairVerdict]]
        ]:
            with self._transaction() as conn:
                entities = (Entity.model_validate_json(row[0]) for row in conn.execute(
                    "SELECT data FROM entities ORDER BY rid"
                ))
                yield (self._revision(conn), entities, self._stream_relations(conn),
                       self._verdicts(conn))

        return self._projection.get(self.revision, load, self._saved_indexes)

    def saved_indexes(self) -> SavedIndexes | None:
        """Where indexes of the store's current content are saved, and under which content
        key (None for a store file without an identity)."""
        return self._saved_indexes(self.revision()).get(SAVED_INDEXES_ATTRIBUTE)

    def _saved_indexes(self, revision: int) -> dict[str, SavedIndexes]:
        """Where indexes of the projection at ``revision`` are saved: a folder beside the
        file, under the store's identity and that revision."""
        identity = self._conn().execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
        if identity is None:
            return {}
        folder = self.path.with_name(self.path.name + INDEX_FOLDER_SUFFIX)
        return {SAVED_INDEXES_ATTRIBUTE: SavedIndexes(str(folder), f"{identity[0]:x}-{revision}")}

    def neighbourhood_graph(
        self, entity_id: str, depth: int = 1, opened: Sequence[str] = ()
    ) -> nx.MultiDiGraph:
        """The whole projection (:meth:`view`): read from a local file and cached, it
        answers a neighbourhood faster than another read of the file would."""
        return self.view()

    # ------------------------------------------------------------------ merges

    def merge(self, kept_id: str, merged_id: str, reason: str = "") -> MergeRecord:
        """Merge ``merged_id`` into ``kept_id`` (:func:`graph.stores.core.merge`)."""
        with self._transaction(write=True) as conn:
            return core.merge(_Primitives(self, conn), kept_id, merged_id, reason, _now())

    def unmerge(self, merge_id: int) -> MergeRecord:
        """Undo a recorded merge (:func:`graph.stores.core.unmerge`)."""
        with self._transaction(write=True) as conn:
            return core.unmerge(_Primitives(self, conn), merge_id)

    def merges(self) -> list[MergeRecord]:
        """Every recorded merge, newest first."""
        rows = self._conn().execute(
            "SELECT id, kept_id, merged_id, reason, created, undone FROM merges ORDER BY id DESC"
        )
        return [MergeRecord(id=r[0], kept_id=r[1], merged_id=r[2], reason=r[3], created=r[4],
                            undone=bool(r[5])) for r in rows]

    def add_merge_candidates(self, candidates: Iterable[MergeCandidate]) -> None:
        """Record pairs to review, keyed by the sorted pair; a pair again updates its score."""
        rows = {}
        for c in candidates:
            a, b = sorted((c.a, c.b))
            if a != b:
                rows[(a, b)] = (a, b, c.score, c.reason)
        if not rows:
            return
        with self._transaction(write=True) as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO merge_candidates (a, b, score, reason) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (a, b) DO UPDATE SET score = excluded.score, "
                "reason = excluded.reason "
                "WHERE score <> excluded.score OR reason <> excluded.reason",
                list(rows.values()),
            )
            if conn.total_changes != before:
                self._bump_revision(conn)

    def merge_candidates(self) -> list[MergeCandidate]:
        """Pairs to review whose entities both still exist, best score first."""
        rows = self._conn().execute(
            "SELECT a, b, score, reason FROM merge_candidates c "
            "WHERE EXISTS (SELECT 1 FROM entities WHERE id = c.a) "
            "AND EXISTS (SELECT 1 FROM entities WHERE id = c.b) "
            "ORDER BY score DESC, a, b"
        )
        return [MergeCandidate(a=r[0], b=r[1], score=r[2], reason=r[3]) for r in rows]

    # ------------------------------------------------------------------ verdicts

    def set_verdict(self, a: str, b: str, verdict: str, note: str = "") -> PairVerdict:
        """Record (or replace) the verdict on a pair of existing entities."""
        a, b = verdict_key(a, b)
        record = PairVerdict(a=a, b=b, verdict=check_verdict(verdict), note=note,
                             created=datetime.now(UTC).isoformat(timespec="seconds"))
        with self._transaction(write=True) as conn:
            missing = {a, b} - self._existing_entity_ids(conn, [a, b])
            if missing:
                raise StoreError(f"no entity with id {sorted(missing)[0]!r}")
            conn.execute(
                "INSERT INTO verdicts (a, b, verdict, note, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (a, b) DO UPDATE SET verdict = excluded.verdict, "
                "note = excluded.note, created = excluded.created",
                (a, b, record.verdict, record.note, record.created),
            )
            self._bump_revision(conn)
        return record

    def remove_verdict(self, a: str, b: str) -> bool:
        """Forget the verdict on a pair; ``False`` when there was none."""
        a, b = verdict_key(a, b)
        with self._transaction(write=True) as conn:
            gone = conn.execute("DELETE FROM verdicts WHERE a = ? AND b = ?", (a, b)).rowcount
            if gone:
                self._bump_revision(conn)
        return bool(gone)

    def verdicts(self) -> list[PairVerdict]:
        """Every recorded verdict, by pair."""
        return self._verdicts(self._conn())

    @staticmethod
    def _verdicts(conn: sqlite3.Connection) -> list[PairVerdict]:
        rows = conn.execute("SELECT a, b, verdict, note, created FROM verdicts ORDER BY a, b")
        return [PairVerdict(a=r[0], b=r[1], verdict=r[2], note=r[3], created=r[4]) for r in rows]

    # ------------------------------------------------------------------ maintenance

    def integrity_check(self) -> list[str]:
        """SQLite's integrity check plus the FTS indexes' own; ``["ok"]`` when all is well."""
        conn = self._conn()
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        for table in ("entity_fts", "passage_fts"):
            try:
                conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                result = [r for r in result if r != "ok"] + [f"{table}: {exc}"]
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            result = [r for r in result if r != "ok"]
            result += [f"foreign key: {p[0]} row {p[1]} -> {p[2]}" for p in problems]
        return result

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.url!r})"


class _Primitives:
    """The primitives of :mod:`graph.stores.core` on one SQLite transaction."""

    def __init__(self, store: SQLiteStore, conn: sqlite3.Connection) -> None:
        self._store, self._conn = store, conn

    # -- documents

    def document_path(self, document_id: str) -> str | None:
        row = self._conn.execute(
            "SELECT path FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        return None if row is None else row[0]

    def versions_of_path(self, path: str, document_id: str) -> list[str]:
        return [row[0] for row in self._conn.execute(
            "SELECT id FROM documents WHERE path = ? AND id <> ? ORDER BY ingested_at, id",
            (path, document_id),
        )]

    def remove_documents(self, document_ids: Sequence[str]) -> tuple[set[str], set[str]]:
        conn = self._conn
        entities: set[str] = set()
        relations: set[str] = set()
        for document_id in document_ids:
            for item_id, kind in conn.execute(
                "SELECT item_id, kind FROM support WHERE document_id = ?", (document_id,)
            ):
                (entities if kind == "entity" else relations).add(item_id)
            relations.update(row[0] for row in conn.execute(
                "SELECT DISTINCT relation_id FROM evidence WHERE document_id = ?", (document_id,)
            ))
            entities.update(row[0] for row in conn.execute(
                "SELECT DISTINCT m.entity_id FROM mentions m JOIN passages p "
                "ON p.id = m.passage_id WHERE p.document_id = ?", (document_id,),
            ))
            conn.execute("DELETE FROM evidence WHERE document_id = ?", (document_id,))
            conn.execute(
                "DELETE FROM mentions WHERE passage_id IN "
                "(SELECT id FROM passages WHERE document_id = ?)", (document_id,),
            )
            conn.execute("DELETE FROM support WHERE document_id = ?", (document_id,))
            conn.execute("DELETE FROM passages WHERE document_id = ?", (document_id,))
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return entities, relations

    def insert_document(self, extraction: Extraction, ingested_at: str) -> None:
        doc = extraction.document
        self._conn.execute(
            "INSERT INTO documents (id, title, path, format, publisher, date, language, text, "
            "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.title, doc.path, doc.format, doc.publisher, doc.date, doc.language,
             doc.text, ingested_at),
        )
        passages = {p.id: p for p in extraction.passages}
        self._conn.executemany(
            'INSERT INTO passages (id, document_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
            [(p.id, p.document_id, p.start, p.end, p.text) for p in passages.values()],
        )

    # -- mentions

    def put_mentions(self, mentions: Sequence[Mention]) -> None:
        self._conn.executemany(
            'INSERT OR IGNORE INTO mentions (passage_id, entity_id, start, "end", text) '
            "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM passages WHERE id = ?)",
            [(m.passage_id, m.entity_id, m.start, m.end, m.text, m.passage_id)
             for m in mentions],
        )

    def move_mentions(self, mentions: Sequence[Mention], from_id: str, to_id: str) -> None:
        self._conn.executemany(
            'UPDATE mentions SET entity_id = ? WHERE entity_id = ? AND passage_id = ? '
            'AND start = ? AND "end" = ?',
            [(to_id, from_id, m.passage_id, m.start, m.end) for m in mentions],
        )

    def delete_mentions(self, entity_id: str, places: Sequence[MentionKey]) -> None:
        self._conn.executemany(
            'DELETE FROM mentions WHERE entity_id = ? AND passage_id = ? AND start = ? '
            'AND "end" = ?',
            [(entity_id, *place) for place in places],
        )

    def mentions_of_entity(self, entity_id: str) -> list[Mention]:
        rows = self._conn.execute(
            f"SELECT {_MENTION_COLUMNS} FROM mentions WHERE entity_id = ? ORDER BY rid",
            (entity_id,),
        )
        return [Mention(passage_id=r[0], entity_id=r[1], start=r[2], end=r[3], text=r[4])
                for r in rows]

    # -- support records

    def support_records(self, item_ids: Iterable[str]) -> list[SupportRecord]:
        rows = self._store._select_by_ids(
            self._conn,
            "SELECT item_id, document_id, kind, ingested_at, data FROM support "
            "WHERE item_id IN ({ids})", item_ids,
        )
        return [SupportRecord(item_id=r[0], document_id=r[1], kind=r[2], ingested_at=r[3],
                              data=r[4]) for r in rows]

    def put_support(self, records: Sequence[SupportRecord]) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO support (item_id, document_id, kind, ingested_at, data) "
            "VALUES (?, ?, ?, ?, ?)",
            [(r.item_id, r.document_id, r.kind, r.ingested_at, r.data) for r in records],
        )

    # -- entities

    def entities_by_ids(self, ids: Iterable[str]) -> dict[str, Entity]:
        return self._store._entities_by_ids(self._conn, ids)

    def existing_entity_ids(self, ids: Iterable[str]) -> set[str]:
        return self._store._existing_entity_ids(self._conn, ids)

    def entities_in_use(self, ids: Iterable[str]) -> set[str]:
        rows = self._store._select_by_ids(
            self._conn,
            "SELECT id FROM entities e WHERE id IN ({ids}) AND ("
            "EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.id) "
            "OR EXISTS (SELECT 1 FROM relations r WHERE r.source = e.id) "
            "OR EXISTS (SELECT 1 FROM relations r WHERE r.target = e.id))",
            ids,
        )
        return {row[0] for row in rows}

    def put_entities(self, entities: Sequence[Entity]) -> None:
        self._store._put_entities(self._conn, entities)

    def delete_entities(self, ids: Sequence[str]) -> None:
        self._conn.executemany("DELETE FROM entities WHERE id = ?", [(i,) for i in ids])

    # -- relations

    def relations_by_ids(self, ids: Iterable[str]) -> dict[str, Relation]:
        return {r.id: r for r in self._store._relations_by_ids(self._conn, ids)}

    def relations_touching(self, entity_id: str) -> list[Relation]:
        return self._store._relations_touching(self._conn, entity_id)

    def put_relations(self, relations: Sequence[Relation]) -> None:
        self._store._put_relations(self._conn, relations)

    def delete_relations(self, ids: Sequence[str]) -> None:
        self._store._delete_relations(self._conn, ids)

    def extend_relations(self, relations: Mapping[str, Relation]) -> int:
        conn = self._conn
        stored = {
            row[0]: json.loads(row[1]) for row in self._store._select_by_ids(
                conn, "SELECT id, properties FROM relations WHERE id IN ({ids})", relations
            )
        }
        new_rows = []
        changed_properties = []
        for relation_id, relation in relations.items():
            if relation_id not in stored:
                new_rows.append((relation_id, relation.source, relation.type, relation.target,
                                 json.dumps(relation.properties, ensure_ascii=False)))
                continue
            properties = dict(stored[relation_id])
            for key, value in relation.properties.items():
                properties.setdefault(key, value)
            if properties != stored[relation_id]:
                changed_properties.append(
                    (json.dumps(properties, ensure_ascii=False), relation_id)
                )
        conn.executemany(
            f"INSERT INTO relations ({_RELATION_COLUMNS}) VALUES (?, ?, ?, ?, ?)", new_rows
        )
        conn.executemany("UPDATE relations SET properties = ? WHERE id = ?", changed_properties)
        before = conn.total_changes
        conn.executemany(
            _EVIDENCE_INSERT,
            [_evidence_row(rid, ev) for rid, r in relations.items() for ev in r.evidence],
        )
        return conn.total_changes - before

    # -- merge records and the revision

    def add_merge_record(self, record: MergeRecord, snapshot: MergeSnapshot) -> int:
        cursor = self._conn.execute(
            "INSERT INTO merges (kept_id, merged_id, reason, created, snapshot) "
            "VALUES (?, ?, ?, ?, ?)",
            (record.kept_id, record.merged_id, record.reason, record.created,
             snapshot.model_dump_json()),
        )
        return int(cursor.lastrowid or 0)

    def merge_record(self, merge_id: int) -> tuple[MergeRecord, MergeSnapshot] | None:
        row = self._conn.execute(
            "SELECT id, kept_id, merged_id, reason, created, undone, snapshot FROM merges "
            "WHERE id = ?", (merge_id,),
        ).fetchone()
        if row is None:
            return None
        record = MergeRecord(id=row[0], kept_id=row[1], merged_id=row[2], reason=row[3],
                             created=row[4], undone=bool(row[5]))
        return record, MergeSnapshot.model_validate_json(row[6])

    def mark_merge_undone(self, merge_id: int) -> None:
        self._conn.execute("UPDATE merges SET undone = 1 WHERE id = ?", (merge_id,))

    def bump_revision(self) -> None:
        self._store._bump_revision(self._conn)
