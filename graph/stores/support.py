"""Which documents support an entity or a relation, and what each said: one model, both stores.

Writing a document leaves one support record per entity and per relation of its extraction:
the item as that document gave it (a relation without its evidence, which is kept per
document anyway). Both adapters store these records and use the functions here:

- an entity lives while a document supports it, a mention names it or a relation touches it
  (governance-level nodes and stored entities that relations point at have no record of
  their own); a relation lives while a document supports it or evidence is left;
- when documents go (deleted, or replaced by a new version of their file), what they
  supported is rebuilt from the records of the documents that remain, in the order those
  were ingested, as writing only them would have made it (:func:`rebuild_entity`,
  :func:`rebuild_relation`); what nothing supports any more goes.

A merge leaves the records where they are: the merged entity's stay under its id (for an
unmerge), and an item with no record of its own (the kept entity's absorbed names, a
re-pointed relation) keeps what it has, less the evidence of documents that go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Literal, Protocol

from pydantic import BaseModel

from graph.model import Entity, Evidence, Relation

Kind = Literal["entity", "relation"]


class SupportRecord(BaseModel):
    """What one document said about one entity or relation."""

    item_id: str
    document_id: str
    kind: Kind
    data: str          # the entity's JSON, or the relation's (evidence left out)
    ingested_at: str = ""

    def entity(self) -> Entity:
        """The entity as the document gave it."""
        return Entity.model_validate_json(self.data)

    def relation(self) -> Relation:
        """The relation as the document gave it, without evidence."""
        return Relation.model_validate_json(self.data)


def records_of(
    document_id: str, ingested_at: str, entities: Iterable[Entity],
    relations: Iterable[Relation],
) -> list[SupportRecord]:
    """The support records a document's (combined) entities and relations leave."""
    records = [
        SupportRecord(item_id=e.id, document_id=document_id, kind="entity",
                      data=e.model_dump_json(), ingested_at=ingested_at)
        for e in entities
    ]
    records += [
        SupportRecord(item_id=r.id, document_id=document_id, kind="relation",
                      data=json.dumps({"source": r.source, "type": r.type, "target": r.target,
                                       "properties": r.properties}, ensure_ascii=False),
                      ingested_at=ingested_at)
        for r in relations
    ]
    return records


def in_ingestion_order(records: Iterable[SupportRecord]) -> list[SupportRecord]:
    """Records sorted as their documents were ingested."""
    return sorted(records, key=lambda r: (r.ingested_at, r.document_id))


def rebuild_entity(entity_id: str, records: Sequence[SupportRecord]) -> Entity | None:
    """The entity as writing the documents of ``records`` in their order makes it.

    After a merge, the record of the kept entity comes first whatever its order, so the
    entity keeps its name; None when no record is left.
    """
    ordered = in_ingestion_order(records)
    if not ordered:
        return None
    entities = [r.entity() for r in ordered]
    first = next((i for i, e in enumerate(entities) if e.id == entity_id), 0)
    entity = entities[first].model_copy(update={"id": entity_id}, deep=True)
    for i, other in enumerate(entities):
        if i != first:
            entity.absorb(other)
    return entity


def rebuild_relation(
    records: Sequence[SupportRecord], evidence: Sequence[Evidence]
) -> Relation | None:
    """The relation as writing the documents of ``records`` in their order makes it.

    Its direction and properties come from the first document, properties the first lacks
    from the later ones; ``evidence`` is what is left of its evidence. None when no record
    is left.
    """
    ordered = in_ingestion_order(records)
    if not ordered:
        return None
    relations = [r.relation() for r in ordered]
    relation = relations[0].model_copy(deep=True)
    for other in relations[1:]:
        for key, value in other.properties.items():
            relation.properties.setdefault(key, value)
    relation.evidence = []
    relation.add_evidence(list(evidence))
    return relation


def without_documents(evidence: Iterable[Evidence], document_ids: set[str]) -> list[Evidence]:
    """``evidence`` less the entries of ``document_ids``."""
    return [e for e in evidence if e.document_id not in document_ids]


# ------------------------------------------------------------------------------ settling


class SupportPrimitives(Protocol):
    """What :func:`settle` needs of a store, inside the transaction that removed documents."""

    def support_records(self, item_ids: Iterable[str]) -> list[SupportRecord]:
        """The records of these items."""
        ...

    def entities_by_ids(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The stored entities with these ids."""
        ...

    def relations_by_ids(self, ids: Iterable[str]) -> dict[str, Relation]:
        """The stored relations with these ids, with their evidence."""
        ...

    def entities_in_use(self, ids: Iterable[str]) -> set[str]:
        """Those of these entities that a mention names or a relation touches."""
        ...

    def put_entities(self, entities: Sequence[Entity]) -> None:
        """Store each entity exactly as given."""
        ...

    def delete_entities(self, ids: Sequence[str]) -> None:
        """Delete these entities."""
        ...

    def put_relations(self, relations: Sequence[Relation]) -> None:
        """Store each relation exactly as given (direction, properties, evidence)."""
        ...

    def delete_relations(self, ids: Sequence[str]) -> None:
        """Delete these relations."""
        ...


def _by_item(records: Iterable[SupportRecord]) -> dict[str, list[SupportRecord]]:
    out: dict[str, list[SupportRecord]] = {}
    for record in records:
        out.setdefault(record.item_id, []).append(record)
    return out


def settle(
    store: SupportPrimitives, entity_ids: Iterable[str], relation_ids: Iterable[str]
) -> tuple[int, int]:
    """Rebuild or remove what removed documents supported; returns (entities, relations) removed.

    Call it once the documents' passages, mentions, evidence and records are gone, with the
    ids of the entities and relations they touched.
    """
    entity_ids, relation_ids = set(entity_ids), set(relation_ids)
    relations = store.relations_by_ids(relation_ids)
    records = _by_item(store.support_records(relation_ids))
    put_relations, dropped = [], []
    for rid, current in sorted(relations.items()):
        rebuilt = rebuild_relation(records.get(rid, []), current.evidence)
        if rebuilt is None:
            if not current.evidence:
                dropped.append(rid)
        elif rebuilt.model_dump() != current.model_dump():
            put_relations.append(rebuilt)
    store.delete_relations(dropped)
    store.put_relations(put_relations)
    for rid in dropped:
        entity_ids.update((relations[rid].source, relations[rid].target))

    entities = store.entities_by_ids(entity_ids)
    records = _by_item(store.support_records(entities))
    in_use = store.entities_in_use(entities)
    put_entities, gone = [], []
    for eid, current in sorted(entities.items()):
        rebuilt = rebuild_entity(eid, records.get(eid, []))
        if rebuilt is None:
            if eid not in in_use:
                gone.append(eid)
        elif rebuilt != current:
            put_entities.append(rebuilt)
    store.put_entities(put_entities)
    store.delete_entities(gone)
    return len(gone), len(dropped)
