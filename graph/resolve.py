"""Entity resolution across documents: match an extraction against what the store holds.

An extracted entity is the stored one when one of its normalised names, aliases or acronyms
is a stored entity's name or alias, the labels agree (Instrument and Program are one family)
and neither country, level nor territory contradict each other (each state's "Secretaría de
Salud" stays its own entity). Every surface form is kept as an alias.
Near-identical names (fuzzy, above a threshold) are never merged silently: they are recorded
as merge candidates for ``tejido review``.
"""

from __future__ import annotations

from collections import Counter

from graph.model import Entity, Extraction, Mention, Relation
from graph.normalize import normalize_name
from graph.review import attributes_agree, fuzzy_candidate, similar_names
from graph.stores.base import MergeCandidate, Store

_FAMILY = {"Program": "Instrument"}


def _family(label: str) -> str:
    return _FAMILY.get(label, label)


def _compatible(a: Entity, b: Entity) -> bool:
    return _family(a.label) == _family(b.label) and attributes_agree(a, b)


class InstitutionNames:
    """Normalised names of the stored institutions, loaded once and kept up to date by the
    caller as documents are written (ingesting a folder asks for them once, not per file)."""

    def __init__(self, store: Store) -> None:
        self.names: dict[str, str] = {
            e.id: normalize_name(e.name) for e in store.entities("Institution")
        }

    def add(self, entities: list[Entity]) -> None:
        """Record the institutions of an extraction just written."""
        for e in entities:
            if e.label == "Institution":
                self.names[e.id] = normalize_name(e.name)


def resolve(
    extraction: Extraction, store: Store, known: InstitutionNames | None = None
) -> tuple[Extraction, list[MergeCandidate]]:
    """Return ``extraction`` with ids mapped onto stored entities, and fuzzy merge candidates.

    ``known`` (optional) are the stored institutions' names for the fuzzy candidates; they
    are read from the store when not given.
    """
    names = {n for e in extraction.entities for n in e.normalized_names()}
    hits = store.find_by_normalized_names(names) if names else {}
    stored = {e.id: e for e in store.get_entities({i for ids in hits.values() for i in ids})}
    mapping: dict[str, str] = {}
    for entity in extraction.entities:
        if entity.id in stored:
            continue
        votes: Counter[str] = Counter()
        for norm in entity.normalized_names():
            for sid in hits.get(norm, []):
                if sid in stored and _compatible(entity, stored[sid]):
                    votes[sid] += 1
        if votes:
            mapping[entity.id] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    candidates = _fuzzy_candidates(extraction.entities, known or InstitutionNames(store), mapping)
    if not mapping:
        return extraction, candidates
    return _remap(extraction, mapping, stored), candidates


def _remap(
    extraction: Extraction, mapping: dict[str, str], stored: dict[str, Entity]
) -> Extraction:
    merged: dict[str, Entity] = {}
    for entity in extraction.entities:
        new_id = mapping.get(entity.id, entity.id)
        if new_id != entity.id:
            target = stored[new_id].model_copy(deep=True)
            target.absorb(entity)
            entity = target
        if new_id in merged:
            merged[new_id].absorb(entity)
        else:
            merged[new_id] = entity
    relations: dict[str, Relation] = {}
    for rel in extraction.relations:
        new = rel.model_copy(
            update={
                "source": mapping.get(rel.source, rel.source),
                "target": mapping.get(rel.target, rel.target),
            }
        )
        if new.source == new.target:
            continue
        if new.id in relations:
            relations[new.id].add_evidence(new.evidence)
        else:
            relations[new.id] = new
    mentions = [
        Mention(**{**m.model_dump(), "entity_id": mapping.get(m.entity_id, m.entity_id)})
        for m in extraction.mentions
    ]
    return extraction.model_copy(
        update={
            "entities": list(merged.values()),
            "relations": list(relations.values()),
            "mentions": mentions,
        }
    )


def _fuzzy_candidates(
    entities: list[Entity], names: InstitutionNames, mapping: dict[str, str]
) -> list[MergeCandidate]:
    """Institutions whose names are near-identical to a stored institution's (not merged)."""
    new = [e for e in entities if e.label == "Institution" and e.id not in mapping]
    if not new:
        return []
    new_ids = {e.id for e in new}
    existing_ids = [i for i in names.names if i not in new_ids]
    choices = [names.names[i] for i in existing_ids]
    out: list[MergeCandidate] = []
    for entity in new:
        query = normalize_name(entity.name)
        for index, score in similar_names(query, choices, limit=3):
            out.append(fuzzy_candidate(entity.id, existing_ids[index], score))
    return out
