"""What a store does, implemented once for every adapter: writing a document, deleting one,
merging two entities and undoing it, and the per-revision cache of the projection.

An adapter provides :class:`Primitives` on one transaction of its database (reads and
writes of documents, passages, mentions, entities, relations, support and merge records,
each exactly as told) and runs :func:`write`, :func:`delete_document`, :func:`merge` and
:func:`unmerge` inside that transaction; the rules (what a new version replaces, what a
document's entities and relations add to the stored ones, what a merge moves) live here,
in :mod:`graph.stores.merging` and in :mod:`graph.stores.support`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import networkx as nx

from graph.model import Entity, Extraction, Mention, Relation
from graph.projection import project
from graph.stores.base import (
    DeleteResult,
    MergeRecord,
    PairVerdict,
    StoreError,
    WriteResult,
    with_verdicts,
)
from graph.stores.checks import check_extraction, level_ends
from graph.stores.incoming import (
    combine_entities,
    combine_relations,
    level_entity,
    referenced_ends,
)
from graph.stores.merging import (
    MentionKey,
    MergeSnapshot,
    mention_key,
    plan_merge,
    plan_unmerge,
    repointed_relation_ids,
    unmerge_relation_ids,
)
from graph.stores.support import SupportPrimitives, SupportRecord, records_of, settle


class Primitives(SupportPrimitives, Protocol):
    """The reads and writes the shared store logic needs, on one transaction."""

    def document_path(self, document_id: str) -> str | None:
        """The path of a stored document, or None when it is not stored."""
        ...

    def versions_of_path(self, path: str, document_id: str) -> list[str]:
        """Ids of the other stored documents of ``path``, oldest first."""
        ...

    def remove_documents(self, document_ids: Sequence[str]) -> tuple[set[str], set[str]]:
        """Delete documents with their passages, mentions, evidence and support records;
        the ids of the entities and relations they touched, for :func:`settle`."""
        ...

    def insert_document(self, extraction: Extraction, ingested_at: str) -> None:
        """Store the extraction's document and passages."""
        ...

    def put_mentions(self, mentions: Sequence[Mention]) -> None:
        """Store mentions whose passage exists (one already stored is left as it is)."""
        ...

    def move_mentions(self, mentions: Sequence[Mention], from_id: str, to_id: str) -> None:
        """Make ``from_id``'s mentions at these places mentions of ``to_id``."""
        ...

    def delete_mentions(self, entity_id: str, places: Sequence[MentionKey]) -> None:
        """Delete ``entity_id``'s mentions at these places."""
        ...

    def mentions_of_entity(self, entity_id: str) -> list[Mention]:
        """Every mention of an entity."""
        ...

    def put_support(self, records: Sequence[SupportRecord]) -> None:
        """Store support records (one of the same item and document is replaced)."""
        ...

    def existing_entity_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of these ids that are stored entities."""
        ...

    def relations_touching(self, entity_id: str) -> list[Relation]:
        """Every relation with the entity at an end, with evidence."""
        ...

    def extend_relations(self, relations: Mapping[str, Relation]) -> int:
        """Add a document's relations: new ones are stored, stored ones gain the evidence
        and the properties they lack; returns how many evidence entries were new."""
        ...

    def add_merge_record(self, record: MergeRecord, snapshot: MergeSnapshot) -> int:
        """Store a merge record (its id is given by the store) and return its id."""
        ...

    def merge_record(self, merge_id: int) -> tuple[MergeRecord, MergeSnapshot] | None:
        """A stored merge record and its snapshot, or None."""
        ...

    def mark_merge_undone(self, merge_id: int) -> None:
        """Record that a merge was undone."""
        ...

    def bump_revision(self) -> None:
        """Move the store's revision on."""
        ...


# ------------------------------------------------------------------------------ documents


def write(
    tx: Primitives, extraction: Extraction, ingested_at: str, replaces: Sequence[str] = ()
) -> WriteResult:
    """Store one document's extraction (see :mod:`graph.stores.base`).

    The same document id again is skipped; the other versions of its path, and the
    documents of ``replaces`` (a renamed file's former versions), are replaced: their
    passages, mentions and evidence go, and what they alone supported. ``WriteResult``
    counts the distinct entities and relations of the extraction and the new evidence.
    """
    check_extraction(extraction)
    doc = extraction.document
    if tx.document_path(doc.id) is not None:
        return WriteResult(document_id=doc.id, skipped=True)
    entities = combine_entities(extraction.entities)
    relations = combine_relations(extraction.relations)
    previous = tx.versions_of_path(doc.path, doc.id)
    previous += [r for r in replaces if r != doc.id and r not in previous
                 and tx.document_path(r) is not None]
    touched = tx.remove_documents(previous)
    tx.insert_document(extraction, ingested_at)
    tx.put_entities(absorbed(entities, tx.entities_by_ids(entities)))
    referenced = referenced_ends(extraction, entities)
    missing = referenced - tx.existing_entity_ids(referenced)
    tx.put_entities([level_entity(m) for m in level_ends(extraction, missing)])
    new_evidence = tx.extend_relations(relations)
    tx.put_mentions(extraction.mentions)
    tx.put_support(records_of(doc.id, ingested_at, entities.values(), relations.values()))
    settle(tx, *touched)
    tx.bump_revision()
    return WriteResult(
        document_id=doc.id, replaced=previous[-1] if previous else None,
        entities=len(entities), relations=len(relations), evidence=new_evidence,
    )


def absorbed(entities: Mapping[str, Entity], stored: Mapping[str, Entity]) -> list[Entity]:
    """The entities to store: new ones as they are, stored ones that absorbed the new names
    and empty fields (those left unchanged are not written again)."""
    changed: list[Entity] = []
    for entity_id, entity in entities.items():
        current = stored.get(entity_id)
        if current is None:
            changed.append(entity)
            continue
        updated = current.with_absorbed(entity)
        if updated != current:
            changed.append(updated)
    return changed


def delete_document(tx: Primitives, document_id: str) -> DeleteResult:
    """Delete a document as if it had never been ingested; StoreError when it is unknown."""
    path = tx.document_path(document_id)
    if path is None:
        raise StoreError(f"cannot delete: no document with id {document_id!r}")
    touched = tx.remove_documents([document_id])
    entities, relations = settle(tx, *touched)
    tx.bump_revision()
    return DeleteResult(document_id=document_id, path=path, entities_removed=entities,
                        relations_removed=relations)


# ------------------------------------------------------------------------------ merges


def merge(tx: Primitives, kept_id: str, merged_id: str, reason: str, created: str) -> MergeRecord:
    """Merge ``merged_id`` into ``kept_id`` (see :mod:`graph.stores.merging`), recorded."""
    if kept_id == merged_id:
        raise StoreError(f"cannot merge entity {kept_id!r} into itself")
    found = tx.entities_by_ids([kept_id, merged_id])
    for entity_id in (kept_id, merged_id):
        if entity_id not in found:
            raise StoreError(f"cannot merge: no entity with id {entity_id!r}")
    merged_relations = tx.relations_touching(merged_id)
    existing = tx.relations_by_ids(repointed_relation_ids(merged_relations, merged_id, kept_id))
    merged_mentions = tx.mentions_of_entity(merged_id)
    kept_places = [mention_key(m) for m in tx.mentions_of_entity(kept_id)]
    plan = plan_merge(found[kept_id], found[merged_id], merged_relations, existing,
                      merged_mentions, kept_places)
    tx.put_entities([plan.kept])
    tx.delete_relations(plan.delete_relations)
    tx.put_relations(plan.put_relations)
    tx.move_mentions(plan.repoint_mentions, merged_id, kept_id)
    tx.delete_mentions(merged_id, [mention_key(m) for m in plan.drop_mentions])
    tx.delete_entities([merged_id])
    record = MergeRecord(id=0, kept_id=kept_id, merged_id=merged_id, reason=reason,
                         created=created)
    record.id = tx.add_merge_record(record, plan.snapshot)
    tx.bump_revision()
    return record


def unmerge(tx: Primitives, merge_id: int) -> MergeRecord:
    """Undo a recorded merge: both entities, their relations and mentions as recorded."""
    stored = tx.merge_record(merge_id)
    if stored is None:
        raise StoreError(f"cannot unmerge: no merge with id {merge_id!r}")
    record, snapshot = stored
    if record.undone:
        raise StoreError(f"cannot unmerge: merge {merge_id} was already undone")
    present = tx.existing_entity_ids([record.kept_id, record.merged_id])
    if record.merged_id in present:
        raise StoreError(
            f"cannot undo merge {merge_id}: entity {record.merged_id!r} exists again")
    if record.kept_id not in present:
        raise StoreError(
            f"cannot undo merge {merge_id}: entity {record.kept_id!r} no longer exists "
            "(undo the merge that removed it first)"
        )
    plan = plan_unmerge(snapshot, tx.relations_by_ids(unmerge_relation_ids(snapshot)))
    tx.put_entities([plan.kept, plan.merged])
    tx.delete_relations(plan.delete_relations)
    ends = {r.source for r in plan.put_relations} | {r.target for r in plan.put_relations}
    alive = tx.existing_entity_ids(ends)
    tx.put_relations([r for r in plan.put_relations if r.source in alive and r.target in alive])
    tx.delete_mentions(record.kept_id, plan.release_mentions)
    tx.put_mentions(plan.restore_mentions)
    tx.mark_merge_undone(merge_id)
    tx.bump_revision()
    return record.model_copy(update={"undone": True})


# ------------------------------------------------------------------------------ the view


class ProjectionCache:
    """A store's networkx projection, rebuilt only when the store's revision moves.

    The graph is shared between callers and frozen: copy it (``graph.copy()``) to modify
    it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._view: tuple[int, nx.MultiDiGraph] | None = None

    def get(
        self,
        revision: Callable[[], int],
        load: Callable[[], AbstractContextManager[tuple[
            int, Iterable[Entity], Iterable[Relation], Iterable[PairVerdict]
        ]]],
        attributes: Callable[[int], Mapping[str, Any]] | None = None,
    ) -> nx.MultiDiGraph:
        """The projection at the current ``revision()``, carrying the reviewers' verdicts.

        ``load`` opens a read of the revision, the entities, the relations and the verdicts
        (of one snapshot where the store has them); entities and relations may be read
        while they are projected, one at a time, so that the store's whole content is never
        held as models beside the graph. ``attributes(revision)`` gives graph attributes
        the projection of that revision carries besides.
        """
        with self._lock:
            if self._view is not None and self._view[0] == revision():
                return self._view[1]
            with load() as (at, entities, relations, verdicts):
                graph = with_verdicts(project(entities, relations), verdicts)
                graph.graph.update(attributes(at) if attributes else {})
                graph = nx.freeze(graph)
            self._view = (at, graph)
            return graph

    def cached(self, revision: int) -> nx.MultiDiGraph | None:
        """The projection if one of ``revision`` is cached (nothing is built)."""
        with self._lock:
            if self._view is not None and self._view[0] == revision:
                return self._view[1]
            return None

    def clear(self) -> None:
        """Forget the cached projection."""
        with self._lock:
            self._view = None
