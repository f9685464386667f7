"""Merging two entities and undoing it, as pure plans that every store adapter executes.

A merge of ``merged`` into ``kept`` re-points ``merged``'s relations and mentions to
``kept``: a re-pointed relation that collides with an existing one gives it its evidence,
a relation between the two entities becomes a self-loop and is dropped, a mention at a
place where ``kept`` is already mentioned is dropped. ``kept`` absorbs ``merged``'s names
and empty fields. The :class:`MergeSnapshot` records what is needed to undo all of it;
:func:`plan_unmerge` turns a snapshot and the store's current relations back into the
state before the merge.

The adapter's part is only to read what the plan functions ask for and to apply the plan
in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, Field

from graph.model import Entity, Mention, Relation

EvidenceKey = tuple[str, int, int, str]
MentionKey = tuple[str, int, int]


def mention_key(mention: Mention) -> MentionKey:
    """Where a mention is: passage id and offsets (the entity aside)."""
    return (mention.passage_id, mention.start, mention.end)


class RelationMove(BaseModel):
    """What a merge did to one of the merged entity's relations."""

    original: Relation
    outcome: Literal["moved", "collided", "dropped"]
    new_id: str | None = None
    added_evidence: list[EvidenceKey] = Field(default_factory=list)
    properties_before: dict | None = None


class MentionMove(BaseModel):
    """What a merge did to one of the merged entity's mentions."""

    mention: Mention
    collided: bool = False


class MergeSnapshot(BaseModel):
    """Everything a merge changed, as it was before: enough to undo it exactly."""

    kept: Entity
    merged: Entity
    relations: list[RelationMove] = Field(default_factory=list)
    mentions: list[MentionMove] = Field(default_factory=list)


class MergePlan(BaseModel):
    """The writes of a merge, in the order an adapter applies them."""

    kept: Entity
    delete_relations: list[str] = Field(default_factory=list)
    put_relations: list[Relation] = Field(default_factory=list)
    repoint_mentions: list[Mention] = Field(default_factory=list)
    drop_mentions: list[Mention] = Field(default_factory=list)
    snapshot: MergeSnapshot


class UnmergePlan(BaseModel):
    """The writes of an unmerge, in the order an adapter applies them.

    Restore both entities first, then delete ``delete_relations``, then store each of
    ``put_relations`` exactly as given (properties and evidence replaced), then remove
    ``kept``'s mentions at ``release_mentions`` and insert ``restore_mentions`` (skipping
    those whose passage no longer exists).
    """

    kept: Entity
    merged: Entity
    delete_relations: list[str] = Field(default_factory=list)
    put_relations: list[Relation] = Field(default_factory=list)
    release_mentions: list[MentionKey] = Field(default_factory=list)
    restore_mentions: list[Mention] = Field(default_factory=list)


def repoint(relation: Relation, old_id: str, new_id: str) -> Relation:
    """A copy of ``relation`` with every end equal to ``old_id`` replaced by ``new_id``."""
    source = new_id if relation.source == old_id else relation.source
    target = new_id if relation.target == old_id else relation.target
    return relation.model_copy(
        update={"source": source, "target": target}, deep=True
    )


def repointed_relation_ids(
    relations: Iterable[Relation], merged_id: str, kept_id: str
) -> set[str]:
    """Ids the merged entity's relations take once re-pointed (self-loops left out).

    The adapter fetches the relations that already exist under these ids and passes them
    to :func:`plan_merge` as ``existing``.
    """
    out = set()
    for relation in relations:
        moved = repoint(relation, merged_id, kept_id)
        if moved.source != moved.target:
            out.add(moved.id)
    return out


def plan_merge(
    kept: Entity,
    merged: Entity,
    merged_relations: Iterable[Relation],
    existing: Mapping[str, Relation],
    merged_mentions: Iterable[Mention],
    kept_mention_keys: Iterable[MentionKey],
) -> MergePlan:
    """Plan the merge of ``merged`` into ``kept``.

    ``merged_relations`` are all relations with ``merged`` at an end; ``existing`` maps
    each id of :func:`repointed_relation_ids` that is stored to its relation;
    ``merged_mentions`` are all of ``merged``'s mentions and ``kept_mention_keys`` the
    places (passage, start, end) where ``kept`` is mentioned in those passages.
    """
    if kept.id == merged.id:
        raise ValueError(f"cannot merge entity {kept.id!r} into itself")
    new_kept = kept.model_copy(deep=True)
    new_kept.absorb(merged)
    snapshot = MergeSnapshot(kept=kept.model_copy(deep=True), merged=merged.model_copy(deep=True))
    plan = MergePlan(kept=new_kept, snapshot=snapshot)
    targets: dict[str, Relation] = {}
    for relation in merged_relations:
        plan.delete_relations.append(relation.id)
        moved = repoint(relation, merged.id, kept.id)
        if moved.source == moved.target:
            snapshot.relations.append(
                RelationMove(original=relation.model_copy(deep=True), outcome="dropped")
            )
            continue
        new_id = moved.id
        current = targets.get(new_id) or existing.get(new_id)
        if current is None:
            targets[new_id] = moved
            snapshot.relations.append(
                RelationMove(original=relation.model_copy(deep=True), outcome="moved",
                             new_id=new_id)
            )
            continue
        current = current.model_copy(deep=True)
        before_keys = {e.key() for e in current.evidence}
        properties_before = dict(current.properties)
        current.add_evidence(moved.evidence)
        for key, value in moved.properties.items():
            current.properties.setdefault(key, value)
        targets[new_id] = current
        snapshot.relations.append(
            RelationMove(
                original=relation.model_copy(deep=True),
                outcome="collided",
                new_id=new_id,
                added_evidence=[e.key() for e in current.evidence if e.key() not in before_keys],
                properties_before=properties_before,
            )
        )
    plan.put_relations = list(targets.values())
    occupied = set(kept_mention_keys)
    for mention in merged_mentions:
        key = mention_key(mention)
        collided = key in occupied
        snapshot.mentions.append(MentionMove(mention=mention.model_copy(), collided=collided))
        if collided:
            plan.drop_mentions.append(mention)
        else:
            plan.repoint_mentions.append(mention)
            occupied.add(key)
    return plan


def unmerge_relation_ids(snapshot: MergeSnapshot) -> set[str]:
    """Ids of the relations a merge created or changed; :func:`plan_unmerge` needs them."""
    return {m.new_id for m in snapshot.relations if m.new_id}


def plan_unmerge(snapshot: MergeSnapshot, current: Mapping[str, Relation]) -> UnmergePlan:
    """Plan the undoing of the merge recorded in ``snapshot``.

    ``current`` maps each id of :func:`unmerge_relation_ids` that is stored to its
    relation as it is now. Evidence that reached a re-pointed relation after the merge
    stays with ``kept``; everything the merge moved goes back to ``merged``.
    """
    plan = UnmergePlan(
        kept=snapshot.kept.model_copy(deep=True), merged=snapshot.merged.model_copy(deep=True)
    )
    trimmed: dict[str, Relation] = {}
    for move in snapshot.relations:
        if move.new_id is None:
            continue
        now = trimmed.get(move.new_id) or current.get(move.new_id)
        if now is None:
            continue
        now = now.model_copy(deep=True)
        if move.outcome == "moved":
            taken = {e.key() for e in move.original.evidence}
        else:
            taken = set(move.added_evidence)
            now.properties = dict(move.properties_before or {})
        now.evidence = [e for e in now.evidence if e.key() not in taken]
        trimmed[move.new_id] = now
    for move in snapshot.relations:
        if move.new_id in trimmed and move.outcome == "moved" and not trimmed[move.new_id].evidence:
            del trimmed[move.new_id]
            plan.delete_relations.append(move.new_id)
    plan.put_relations = [*trimmed.values(), *(m.original for m in snapshot.relations)]
    for move in snapshot.mentions:
        if not move.collided:
            plan.release_mentions.append(mention_key(move.mention))
        plan.restore_mentions.append(move.mention)
    return plan
