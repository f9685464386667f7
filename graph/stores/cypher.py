"""Every Cypher statement the Neo4j store sends, in one place so that it can be linted.

Statements are module-level constants or builder functions. Builders splice in node labels
and relationship types only after checking them against :mod:`graph.vocab`
(:func:`graph.vocab.check_label`, :func:`graph.vocab.check_relation_type`), so no
user-supplied string can become part of a statement; every value travels as a
``$parameter``. :func:`all_statements` lists every statement, builders expanded for every
label and relationship type of the ontology, for the Cypher linter in the tests.

Graph layout in Neo4j:

- entities: ``(:Entity:<Label> {id, label, name, aliases, ..., extra (JSON), norm_names,
  search_names, sort_name})``;
- relations: ``(:Entity)-[:<TYPE> {id, properties (JSON), evidence (JSON list),
  evidence_count, doc_ids}]->(:Entity)``;
- ``(:Passage)-[:FROM_DOCUMENT]->(:Document)`` and
  ``(:Passage)-[:MENTIONS {start, end, text}]->(:Entity)``;
- ``(:Support {item_id, document_id, kind, ingested_at, data})``: what each document said
  about each entity and relation (:mod:`graph.stores.support`);
- ``(:MergeRecord)``, ``(:MergeCandidate)`` and one ``(:StoreMeta)`` node holding the
  revision counter and the merge id sequence.
"""

from __future__ import annotations

from graph.vocab import LABELS, RELATION_TYPES, check_label, check_relation_type

# Labels and relationship types of the store's own bookkeeping (fixed, never user-supplied).
ENTITY = "Entity"
DOCUMENT = "Document"
PASSAGE = "Passage"
MERGE_RECORD = "MergeRecord"
MERGE_CANDIDATE = "MergeCandidate"
VERDICT = "Verdict"
STORE_META = "StoreMeta"
SUPPORT = "Support"

ENTITY_NAMES_INDEX = "entity_names"
PASSAGE_TEXT_INDEX = "passage_text"

# Analyzer of the full-text indexes: Lucene's standard tokenizer plus ASCII folding, so that
# "Corporación" and "corporacion" index to the same term.
FULLTEXT_ANALYZER = "standard-folding"

# --------------------------------------------------------------------------------------
# Schema: constraints and indexes (idempotent thanks to IF NOT EXISTS)
# --------------------------------------------------------------------------------------

UNIQUE_ENTITY_ID = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
)
UNIQUE_DOCUMENT_ID = (
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE"
)
UNIQUE_PASSAGE_ID = (
    "CREATE CONSTRAINT passage_id IF NOT EXISTS FOR (n:Passage) REQUIRE n.id IS UNIQUE"
)
UNIQUE_MERGE_RECORD_ID = (
    "CREATE CONSTRAINT merge_record_id IF NOT EXISTS FOR (n:MergeRecord) REQUIRE n.id IS UNIQUE"
)
UNIQUE_MERGE_CANDIDATE_KEY = (
    "CREATE CONSTRAINT merge_candidate_key IF NOT EXISTS "
    "FOR (n:MergeCandidate) REQUIRE n.key IS UNIQUE"
)
UNIQUE_VERDICT_KEY = (
    "CREATE CONSTRAINT verdict_key IF NOT EXISTS FOR (n:Verdict) REQUIRE n.key IS UNIQUE"
)
UNIQUE_SUPPORT_KEY = (
    "CREATE CONSTRAINT support_key IF NOT EXISTS FOR (n:Support) REQUIRE n.key IS UNIQUE"
)
SUPPORT_ITEM_INDEX = "CREATE INDEX support_item IF NOT EXISTS FOR (n:Support) ON (n.item_id)"
SUPPORT_DOCUMENT_INDEX = (
    "CREATE INDEX support_document IF NOT EXISTS FOR (n:Support) ON (n.document_id)"
)
PASSAGE_DOCUMENT_INDEX = (
    "CREATE INDEX passage_document IF NOT EXISTS FOR (n:Passage) ON (n.document_id)"
)
UNIQUE_STORE_META_ID = (
    "CREATE CONSTRAINT store_meta_id IF NOT EXISTS FOR (n:StoreMeta) REQUIRE n.id IS UNIQUE"
)
DOCUMENT_PATH_INDEX = (
    "CREATE INDEX document_path IF NOT EXISTS FOR (n:Document) ON (n.path)"
)
ENTITY_NAMES_FULLTEXT = (
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS "
    "FOR (n:Entity) ON EACH [n.name, n.search_names] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}"
)
PASSAGE_TEXT_FULLTEXT = (
    "CREATE FULLTEXT INDEX passage_text IF NOT EXISTS "
    "FOR (n:Passage) ON EACH [n.text] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}"
)
AWAIT_INDEXES = "CALL db.awaitIndexes($timeout_seconds)"


def unique_label_id(label: str) -> str:
    """Uniqueness constraint on ``id`` for the ontology label ``label``."""
    label = check_label(label)
    return (
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    )


def relation_id_index(rel_type: str) -> str:
    """Range index on ``id`` of relationships of type ``rel_type``."""
    rel_type = check_relation_type(rel_type)
    return (
        f"CREATE INDEX rel_{rel_type.lower()}_id IF NOT EXISTS "
        f"FOR ()-[r:{rel_type}]-() ON (r.id)"
    )


def schema_statements() -> list[str]:
    """Every constraint and index the store needs, in the order to create them."""
    return [
        UNIQUE_ENTITY_ID,
        *(unique_label_id(label) for label in LABELS),
        UNIQUE_DOCUMENT_ID,
        UNIQUE_PASSAGE_ID,
        UNIQUE_MERGE_RECORD_ID,
        UNIQUE_MERGE_CANDIDATE_KEY,
        UNIQUE_VERDICT_KEY,
        UNIQUE_STORE_META_ID,
        UNIQUE_SUPPORT_KEY,
        DOCUMENT_PATH_INDEX,
        SUPPORT_ITEM_INDEX,
        SUPPORT_DOCUMENT_INDEX,
        PASSAGE_DOCUMENT_INDEX,
        *(relation_id_index(rel_type) for rel_type in RELATION_TYPES),
        ENTITY_NAMES_FULLTEXT,
        PASSAGE_TEXT_FULLTEXT,
    ]


# --------------------------------------------------------------------------------------
# Store bookkeeping: revision counter and merge id sequence
# --------------------------------------------------------------------------------------

GET_REVISION = (
    "OPTIONAL MATCH (m:StoreMeta {id: $meta_id}) "
    "RETURN coalesce(m.revision, 0) AS revision"
)
BUMP_REVISION = (
    "MERGE (m:StoreMeta {id: $meta_id}) "
    "SET m.revision = coalesce(m.revision, 0) + 1 "
    "RETURN m.revision AS revision"
)
NEXT_MERGE_ID = (
    "MERGE (m:StoreMeta {id: $meta_id}) "
    "SET m.merge_seq = coalesce(m.merge_seq, 0) + 1 "
    "RETURN m.merge_seq AS merge_id"
)

# --------------------------------------------------------------------------------------
# Documents and passages
# --------------------------------------------------------------------------------------

DOCUMENT_EXISTS = "MATCH (d:Document {id: $id}) RETURN count(d) > 0 AS found"
DOCUMENT_PATH = "MATCH (d:Document {id: $id}) RETURN d.path AS path"
GET_DOCUMENT = "MATCH (d:Document {id: $id}) RETURN properties(d) AS document"
LIST_DOCUMENTS = (
    "MATCH (d:Document) "
    "RETURN d.id AS id, d.title AS title, d.path AS path, d.format AS format, "
    "d.publisher AS publisher, d.date AS date, d.language AS language "
    "ORDER BY d.ingested_at, d.id"
)
OTHER_VERSIONS_OF_PATH = (
    "MATCH (d:Document {path: $path}) WHERE d.id <> $id "
    "RETURN d.id AS id ORDER BY d.ingested_at, d.id"
)
UPSERT_DOCUMENT = "MERGE (d:Document {id: $id}) SET d = $props"
UPSERT_PASSAGES = (
    "UNWIND $rows AS row "
    "MATCH (d:Document {id: row.document_id}) "
    "MERGE (p:Passage {id: row.id}) "
    "SET p.document_id = row.document_id, p.start = row.start, p.end = row.end, "
    "p.text = row.text "
    "MERGE (p)-[:FROM_DOCUMENT]->(d)"
)
UPSERT_MENTIONS = (
    "UNWIND $rows AS row "
    "MATCH (p:Passage {id: row.passage_id}) "
    "MATCH (e:Entity {id: row.entity_id}) "
    "MERGE (p)-[m:MENTIONS {start: row.start, end: row.end}]->(e) "
    "SET m.text = row.text "
    "RETURN count(m) AS written"
)
DELETE_DOCUMENT_PASSAGES = (
    "MATCH (p:Passage)-[:FROM_DOCUMENT]->(d:Document {id: $id}) "
    "DETACH DELETE p "
    "RETURN count(*) AS deleted"
)
DELETE_DOCUMENT = "MATCH (d:Document {id: $id}) DETACH DELETE d"
GET_PASSAGES = (
    "UNWIND $ids AS pid "
    "MATCH (p:Passage {id: pid}) "
    "RETURN p.id AS id, p.document_id AS document_id, p.start AS start, p.end AS end, "
    "p.text AS text"
)
SEARCH_PASSAGES = (
    "CALL db.index.fulltext.queryNodes('passage_text', $query) YIELD node, score "
    "RETURN node.id AS id, node.document_id AS document_id, node.start AS start, "
    "node.end AS end, node.text AS text "
    "ORDER BY score DESC, node.document_id, node.start "
    "LIMIT $limit"
)
MENTIONS_OF = (
    "MATCH (p:Passage)-[m:MENTIONS]->(e:Entity {id: $id}) "
    "RETURN p.id AS passage_id, e.id AS entity_id, m.start AS start, m.end AS end, "
    "m.text AS text "
    "ORDER BY p.document_id, m.start, m.end "
    "LIMIT $limit"
)

# --------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------

GET_ENTITIES = (
    "UNWIND $ids AS eid "
    "MATCH (e:Entity {id: eid}) "
    "RETURN properties(e) AS entity"
)
LIST_ENTITIES = (
    "MATCH (e:Entity) RETURN properties(e) AS entity ORDER BY e.sort_name, e.id"
)
EXISTING_ENTITY_IDS = (
    "UNWIND $ids AS eid "
    "MATCH (e:Entity {id: eid}) "
    "RETURN e.id AS id"
)
FIND_BY_NORMALIZED_NAMES = (
    "MATCH (e:Entity) "
    "WHERE any(name IN e.norm_names WHERE name IN $names) "
    "UNWIND [name IN e.norm_names WHERE name IN $names] AS name "
    "RETURN name, collect(DISTINCT e.id) AS ids"
)
SEARCH_ENTITIES_FULLTEXT = (
    "CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node, score "
    "WHERE ($label IS NULL OR node.label = $label) "
    "AND ($level IS NULL OR node.level = $level) "
    "AND ($country IS NULL OR toLower(node.country) = toLower($country)) "
    "RETURN properties(node) AS entity "
    "ORDER BY $norm IN node.norm_names DESC, score DESC, node.sort_name, node.id "
    "SKIP $offset LIMIT $limit"
)
SEARCH_ENTITIES_FILTERED = (
    "MATCH (e:Entity) "
    "WHERE ($label IS NULL OR e.label = $label) "
    "AND ($level IS NULL OR e.level = $level) "
    "AND ($country IS NULL OR toLower(e.country) = toLower($country)) "
    "RETURN properties(e) AS entity "
    "ORDER BY e.sort_name, e.id "
    "SKIP $offset LIMIT $limit"
)
ENTITIES_IN_USE = (
    "UNWIND $ids AS eid "
    "MATCH (e:Entity {id: eid}) "
    "WHERE EXISTS { (e)--() } "
    "RETURN e.id AS id"
)
ENTITIES_MENTIONED_IN = (
    "MATCH (:Passage {document_id: $id})-[:MENTIONS]->(e:Entity) "
    "RETURN DISTINCT e.id AS id"
)
DELETE_ENTITIES = (
    "UNWIND $ids AS eid "
    "MATCH (e:Entity {id: eid}) "
    "DETACH DELETE e"
)


def entities_with_label(label: str) -> str:
    """Every entity carrying the ontology label ``label``, by name."""
    label = check_label(label)
    return f"MATCH (e:{label}) RETURN properties(e) AS entity ORDER BY e.sort_name, e.id"


def upsert_entities(label: str) -> str:
    """Create or overwrite entities of ``label``; each row is ``{id, props}``."""
    label = check_label(label)
    return (
        "UNWIND $rows AS row "
        "MERGE (e:Entity {id: row.id}) "
        f"SET e = row.props, e:{label} "
        "RETURN count(e) AS written"
    )


# --------------------------------------------------------------------------------------
# Relations (the entity layer's typed relationships)
# --------------------------------------------------------------------------------------

_RELATION_COLUMNS = (
    "elementId(r) AS element_id, a.id AS source, type(r) AS type, b.id AS target, "
    "r.id AS id, r.properties AS properties, r.evidence AS evidence, r.doc_ids AS doc_ids"
)

LIST_RELATIONS = (
    "MATCH (a:Entity)-[r]->(b:Entity) "
    f"RETURN {_RELATION_COLUMNS} "
    "ORDER BY r.id"
)
RELATIONS_OF = (
    "MATCH (x:Entity {id: $id})-[r]-(:Entity) "
    "WITH DISTINCT r "
    "MATCH (a:Entity)-[r]->(b:Entity) "
    f"RETURN {_RELATION_COLUMNS} "
    "ORDER BY r.id"
)
# A neighbourhood read from the entity's surroundings only (Neo4jStore.neighbourhood_graph).
NEIGHBOURS = (
    "UNWIND $ids AS eid "
    "MATCH (:Entity {id: eid})--(n:Entity) "
    "RETURN DISTINCT n.id AS id, n.label AS label"
)
RELATIONS_AMONG = (
    "UNWIND $ids AS eid "
    "MATCH (a:Entity {id: eid})-[r]->(b:Entity) "
    "WHERE b.id IN $ids "
    f"RETURN {_RELATION_COLUMNS}"
)
RELATIONS_OF_DOCUMENT = (
    "MATCH (a:Entity)-[r]->(b:Entity) "
    "WHERE $document_id IN r.doc_ids "
    f"RETURN {_RELATION_COLUMNS}"
)
UPDATE_RELATIONS = (
    "UNWIND $rows AS row "
    "MATCH ()-[r]->() WHERE elementId(r) = row.element_id "
    "SET r += row.props "
    "RETURN count(r) AS updated"
)
DELETE_RELATIONS = (
    "UNWIND $element_ids AS eid "
    "MATCH ()-[r]->() WHERE elementId(r) = eid "
    "DELETE r"
)


def relations_by_id(rel_type: str) -> str:
    """Relations of type ``rel_type`` whose id is in ``$ids``."""
    rel_type = check_relation_type(rel_type)
    return (
        "UNWIND $ids AS rid "
        f"MATCH (a:Entity)-[r:{rel_type} {{id: rid}}]->(b:Entity) "
        f"RETURN {_RELATION_COLUMNS}"
    )


def create_relations(rel_type: str) -> str:
    """Create relations of type ``rel_type``; each row is ``{source, target, id, props}``."""
    rel_type = check_relation_type(rel_type)
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Entity {id: row.source}) "
        "MATCH (b:Entity {id: row.target}) "
        f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) "
        "SET r += row.props "
        "RETURN count(r) AS written"
    )


# --------------------------------------------------------------------------------------
# Support records (graph.stores.support): what each document said about each item
# --------------------------------------------------------------------------------------

UPSERT_SUPPORT = (
    "UNWIND $rows AS row "
    "MERGE (s:Support {key: row.key}) "
    "SET s.item_id = row.item_id, s.document_id = row.document_id, s.kind = row.kind, "
    "s.ingested_at = row.ingested_at, s.data = row.data"
)
SUPPORT_OF_ITEMS = (
    "UNWIND $ids AS iid "
    "MATCH (s:Support {item_id: iid}) "
    "RETURN s.item_id AS item_id, s.document_id AS document_id, s.kind AS kind, "
    "s.ingested_at AS ingested_at, s.data AS data"
)
SUPPORT_OF_DOCUMENT = (
    "MATCH (s:Support {document_id: $id}) "
    "RETURN s.item_id AS item_id, s.kind AS kind"
)
DELETE_SUPPORT_OF_DOCUMENT = "MATCH (s:Support {document_id: $id}) DELETE s"

# --------------------------------------------------------------------------------------
# Merges and merge candidates
# --------------------------------------------------------------------------------------

CREATE_MERGE_RECORD = (
    "CREATE (m:MergeRecord {id: $id, kept_id: $kept_id, merged_id: $merged_id, "
    "reason: $reason, created: $created, undone: false, snapshot: $snapshot})"
)
GET_MERGE_RECORD = "MATCH (m:MergeRecord {id: $id}) RETURN properties(m) AS record"
MARK_MERGE_UNDONE = "MATCH (m:MergeRecord {id: $id}) SET m.undone = true"
LIST_MERGE_RECORDS = (
    "MATCH (m:MergeRecord) "
    "RETURN m.id AS id, m.kept_id AS kept_id, m.merged_id AS merged_id, m.reason AS reason, "
    "m.created AS created, m.undone AS undone "
    "ORDER BY m.id DESC"
)
MENTIONS_FOR_MERGE = (
    "MATCH (p:Passage)-[m:MENTIONS]->(:Entity {id: $id}) "
    "RETURN p.id AS passage_id, m.start AS start, m.end AS end, m.text AS text"
)
MOVE_MENTIONS = (
    "UNWIND $rows AS row "
    "MATCH (p:Passage {id: row.passage_id})-[m:MENTIONS {start: row.start, end: row.end}]"
    "->(:Entity {id: $from_id}) "
    "MATCH (to:Entity {id: $to_id}) "
    "MERGE (p)-[n:MENTIONS {start: row.start, end: row.end}]->(to) "
    "SET n.text = row.text "
    "DELETE m"
)
DELETE_MENTIONS = (
    "UNWIND $rows AS row "
    "MATCH (:Passage {id: row.passage_id})-[m:MENTIONS {start: row.start, end: row.end}]"
    "->(:Entity {id: $entity_id}) "
    "DELETE m"
)
UPSERT_MERGE_CANDIDATES = (
    "UNWIND $rows AS row "
    "OPTIONAL MATCH (old:MergeCandidate {key: row.key}) "
    "WITH row, old IS NULL OR old.score <> row.score OR old.reason <> row.reason AS changed "
    "MERGE (c:MergeCandidate {key: row.key}) "
    "SET c.a = coalesce(c.a, row.a), c.b = coalesce(c.b, row.b), c.score = row.score, "
    "c.reason = row.reason "
    "RETURN sum(CASE WHEN changed THEN 1 ELSE 0 END) AS changed"
)
LIST_MERGE_CANDIDATES = (
    "MATCH (c:MergeCandidate) "
    "WHERE EXISTS { MATCH (:Entity {id: c.a}) } AND EXISTS { MATCH (:Entity {id: c.b}) } "
    "RETURN c.a AS a, c.b AS b, c.score AS score, c.reason AS reason "
    "ORDER BY c.score DESC, c.a, c.b"
)

UPSERT_VERDICT = (
    "MERGE (v:Verdict {key: $key}) "
    "SET v.a = $a, v.b = $b, v.verdict = $verdict, v.note = $note, v.created = $created"
)
DELETE_VERDICT = (
    "MATCH (v:Verdict {key: $key}) DELETE v RETURN count(*) AS deleted"
)
LIST_VERDICTS = (
    "MATCH (v:Verdict) "
    "RETURN v.a AS a, v.b AS b, v.verdict AS verdict, v.note AS note, v.created AS created "
    "ORDER BY v.a, v.b"
)

# --------------------------------------------------------------------------------------
# Statistics and housekeeping
# --------------------------------------------------------------------------------------

COUNT_DOCUMENTS = "MATCH (d:Document) RETURN count(d) AS n"
COUNT_PASSAGES = "MATCH (p:Passage) RETURN count(p) AS n"
COUNT_MENTIONS = "MATCH (:Passage)-[m:MENTIONS]->(:Entity) RETURN count(m) AS n"
COUNT_ENTITIES_BY_LABEL = "MATCH (e:Entity) RETURN e.label AS key, count(e) AS n ORDER BY key"
COUNT_RELATIONS_BY_TYPE = (
    "MATCH (:Entity)-[r]->(:Entity) "
    "RETURN type(r) AS key, count(r) AS n, sum(coalesce(r.evidence_count, 0)) AS evidence "
    "ORDER BY key"
)
DELETE_STORE_BATCH = (
    "MATCH (n) "
    "WHERE n:Entity OR n:Document OR n:Passage OR n:MergeRecord OR n:MergeCandidate "
    "OR n:StoreMeta OR n:Support OR n:Verdict "
    "WITH n LIMIT $batch "
    "DETACH DELETE n "
    "RETURN count(*) AS deleted"
)


def all_statements() -> dict[str, str]:
    """Every statement of this module by name, builders expanded for the whole ontology."""
    statements = {
        name: value
        for name, value in globals().items()
        if name.isupper() and not name.startswith("_") and isinstance(value, str)
        and _looks_like_cypher(value)
    }
    for label in LABELS:
        statements[f"unique_label_id[{label}]"] = unique_label_id(label)
        statements[f"entities_with_label[{label}]"] = entities_with_label(label)
        statements[f"upsert_entities[{label}]"] = upsert_entities(label)
    for rel_type in RELATION_TYPES:
        statements[f"relation_id_index[{rel_type}]"] = relation_id_index(rel_type)
        statements[f"relations_by_id[{rel_type}]"] = relations_by_id(rel_type)
        statements[f"create_relations[{rel_type}]"] = create_relations(rel_type)
    return statements


_CYPHER_OPENERS = ("MATCH", "OPTIONAL", "MERGE", "CREATE", "UNWIND", "CALL", "RETURN", "WITH")


def _looks_like_cypher(text: str) -> bool:
    """Tell statements apart from the module's other upper-case string constants."""
    return text.split(" ", 1)[0] in _CYPHER_OPENERS
