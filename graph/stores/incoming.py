"""An extraction as both stores take it in: repeats folded, ends outside it found.

An extraction may name the same entity or relation more than once (several passages
find it); a store writes each once. Folding never touches the extraction's own objects:
an entity or relation that is folded is a copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph.model import Entity, Extraction, Relation
from graph.vocab import LEVEL_NAMES


def combine_entities(entities: Iterable[Entity]) -> dict[str, Entity]:
    """Entities by id; one seen twice is a copy that absorbed the other (inputs untouched)."""
    out: dict[str, Entity] = {}
    copied: set[str] = set()
    for entity in entities:
        current = out.get(entity.id)
        if current is None:
            out[entity.id] = entity
            continue
        if entity.id not in copied:
            out[entity.id] = current.with_absorbed(entity)
            copied.add(entity.id)
        else:
            current.absorb(entity)
    return out


def combine_relations(relations: Iterable[Relation]) -> dict[str, Relation]:
    """Relations by id, each with its evidence once (inputs untouched).

    A relation seen twice (also read in the other direction, for an undirected type) is a
    copy holding both's evidence and the properties the first lacked; a relation that
    holds the same evidence entry twice is a copy holding it once.
    """
    out: dict[str, Relation] = {}
    copied: set[str] = set()
    for relation in relations:
        current = out.get(relation.id)
        if current is None:
            if _repeats_evidence(relation):
                current = relation.model_copy(deep=True)
                current.evidence = []
                current.add_evidence(relation.evidence)
                copied.add(relation.id)
            else:
                current = relation
            out[relation.id] = current
            continue
        if relation.id not in copied:
            current = out[relation.id] = current.model_copy(deep=True)
            copied.add(relation.id)
        current.add_evidence(relation.evidence)
        for key, value in relation.properties.items():
            current.properties.setdefault(key, value)
    return out


def _repeats_evidence(relation: Relation) -> bool:
    keys = {item.key() for item in relation.evidence}
    return len(keys) != len(relation.evidence)


def referenced_ends(extraction: Extraction, entities: Mapping[str, Entity]) -> set[str]:
    """Ids the extraction's relations and mentions point at that ``entities`` lacks."""
    referenced = {r.source for r in extraction.relations}
    referenced |= {r.target for r in extraction.relations}
    referenced |= {m.entity_id for m in extraction.mentions}
    return referenced - entities.keys()


def level_entity(entity_id: str) -> Entity:
    """The GovernanceLevel node ``level:<level>``, created when a relation points at it."""
    level = entity_id.split(":", 1)[1]
    return Entity(
        id=entity_id,
        label="GovernanceLevel",
        name=LEVEL_NAMES[level],
        level=level,
        source="ontology",
    )
