"""Entity resolution across documents: match an extraction against what the store holds.

An extracted entity is the stored one when one of its normalised names, aliases or acronyms
is a stored entity's name or alias, or else when one of its names has the resolution key of a
stored name ("Plan Nacional de los Recursos Hídricos" and "Plan Nacional de Recursos Hídricos",
"Ley N° 27867" and "Ley 27867", "D.S." and "Decreto Supremo": see
:func:`graph.normalize.name_key`), the labels agree (Instrument and Program are one family)
and neither country, level nor territory contradict each other (each state's "Secretaría de
Salud" stays its own entity). A generic name of another country than the stored entity of the
same id ("Municipalidades provinciales", "Consejo Regional") is its own entity, with the country
in its id. Every surface form is kept as an alias.
Near-identical names (fuzzy, above a threshold) are never merged silently: they are recorded
as merge candidates for ``tejido review``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from graph.model import Entity, Extraction, Mention, Relation, entity_id
from graph.normalize import name_key, normalize_name
from graph.review import (
    attributes_agree,
    fuzzy_candidate,
    length_window,
    similar_names,
    sort_tokens,
)
from graph.stores.base import MergeCandidate, Store

_FAMILY = {"Program": "Instrument"}
_DIGIT = re.compile(r"\d")


def _family(label: str) -> str:
    return _FAMILY.get(label, label)


def _compatible(a: Entity, b: Entity) -> bool:
    """Same label family, and no contradicting country, level or territory; the level of a
    numbered legal instrument ("Decreto Supremo N° 345-2018-EF") is read from the documents
    that cite it and says nothing of which instrument it is."""
    if _family(a.label) != _family(b.label):
        return False
    if _family(a.label) == "Instrument" and _DIGIT.search(a.name) and _DIGIT.search(b.name):
        b = b.model_copy(update={"level": a.level})
    return attributes_agree(a, b)


_KEYED = ("Institution", "Instrument", "Program")


class InstitutionNames:
    """Normalised names of the stored institutions, and the resolution keys of every stored
    institution, instrument and programme name, loaded once and kept up to date by the caller
    as documents are written (ingesting a folder asks for them once, not per file)."""

    def __init__(self, store: Store) -> None:
        self.names: dict[str, str] = {}
        self.keys: dict[tuple[str, str], set[str]] = {}
        # the fuzzy search's index: each institution's place in ``names`` (the order
        # near-identical names are ranked in on equal scores) and, by length of name, the ids
        # and token-sorted names in that order (a name far longer or shorter than another
        # cannot be near-identical to it)
        self._order: dict[str, int] = {}
        self._by_length: dict[int, tuple[list[str], list[str]]] = {}
        for label in _KEYED:
            self.add(list(store.entities(label)))

    def add(self, entities: list[Entity]) -> None:
        """Record the entities of an extraction just written."""
        for e in entities:
            if e.label == "Institution":
                self._add_name(e.id, normalize_name(e.name))
            if e.label in _KEYED:
                for form in e.names():
                    self.keys.setdefault((_family(e.label), name_key(form)), set()).add(e.id)

    def by_key(self, entity: Entity) -> set[str]:
        """Ids of the stored entities of ``entity``'s family sharing a resolution key with it."""
        family = _family(entity.label)
        return {i for form in entity.names() for i in self.keys.get((family, name_key(form)), ())}

    def _add_name(self, entity_id: str, name: str) -> None:
        old = self.names.get(entity_id)
        if old == name:
            return
        if old is not None:
            ids, sorted_names = self._by_length[len(old)]
            at = ids.index(entity_id)
            del ids[at], sorted_names[at]
        order = self._order.setdefault(entity_id, len(self._order))
        self.names[entity_id] = name
        ids, sorted_names = self._by_length.setdefault(len(name), ([], []))
        at = bisect.bisect(ids, order, key=self._order.__getitem__)
        ids.insert(at, entity_id)
        sorted_names.insert(at, sort_tokens(name))

    def similar(
        self, name: str, exclude: set[str], limit: int = 3
    ) -> list[tuple[str, float]]:
        """Ids of the institutions (less ``exclude``) whose names are near-identical to the
        normalised ``name`` (:func:`graph.review.similar_names`), with their scores, best
        first and, on equal scores, in the order of :attr:`names`: only names of a length
        that can reach the threshold are compared."""
        query = sort_tokens(name)
        low, high = length_window(len(name))
        found: list[tuple[float, int, str]] = []
        for length in range(low, high + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            ids, sorted_names = bucket
            # excluded ids are dropped after ranking: ask for as many more as there are
            wanted = limit + len(exclude)
            for index, score in similar_names(query, sorted_names, limit=wanted,
                                              tokens_sorted=True):
                if ids[index] not in exclude:
                    found.append((-score, self._order[ids[index]], ids[index]))
        found.sort()
        return [(entity_id, -score) for score, _order, entity_id in found[:limit]]


def resolve(
    extraction: Extraction, store: Store, known: InstitutionNames | None = None
) -> tuple[Extraction, list[MergeCandidate]]:
    """Return ``extraction`` with ids mapped onto stored entities, and fuzzy merge candidates.

    ``known`` (optional) are the stored institutions' names for the fuzzy candidates; they
    are read from the store when not given.
    """
    known = known or InstitutionNames(store)
    names = {n for e in extraction.entities for n in e.normalized_names()}
    hits = store.find_by_normalized_names(names) if names else {}
    keyed = {e.id: known.by_key(e) for e in extraction.entities if e.label in _KEYED}
    wanted = {i for ids in hits.values() for i in ids} | {i for ids in keyed.values() for i in ids}
    stored = {e.id: e for e in store.get_entities(wanted | {e.id for e in extraction.entities})}
    mapping: dict[str, str] = {}
    for entity in extraction.entities:
        same_id = stored.get(entity.id)
        if same_id is not None and not _other_country(entity, same_id):
            continue
        votes: Counter[str] = Counter()
        for norm in entity.normalized_names():
            for sid in hits.get(norm, []):
                if sid in stored and _compatible(entity, stored[sid]):
                    votes[sid] += 1
        if not votes:  # no name in common: a variant of a stored name (name_key)
            votes.update(
                sid for sid in keyed.get(entity.id, ()) if sid in stored
                and _compatible(entity, stored[sid])
            )
        if votes:
            mapping[entity.id] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        elif same_id is not None:
            mapping[entity.id] = entity_id(entity.label, entity.name, entity.country)
    candidates = _fuzzy_candidates(extraction.entities, known, mapping)
    if not mapping:
        return extraction, candidates
    return _remap(extraction, mapping, stored), candidates


def _other_country(entity: Entity, stored: Entity) -> bool:
    """Whether a stored entity with ``entity``'s id belongs to another country (the same
    generic name in two countries' documents)."""
    return bool(entity.country and stored.country and entity.country != stored.country)


def _remap(
    extraction: Extraction, mapping: dict[str, str], stored: dict[str, Entity]
) -> Extraction:
    merged: dict[str, Entity] = {}
    for entity in extraction.entities:
        new_id = mapping.get(entity.id, entity.id)
        if new_id != entity.id and new_id in stored:
            entity = stored[new_id].with_absorbed(entity)
        elif new_id != entity.id:  # a new entity of its own country
            entity = entity.model_copy(update={"id": new_id})
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
        m if m.entity_id not in mapping
        else Mention.of(m.passage_id, mapping[m.entity_id], m.start, m.end, m.text)
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
    out: list[MergeCandidate] = []
    for entity in new:
        for other, score in names.similar(normalize_name(entity.name), new_ids, limit=3):
            out.append(fuzzy_candidate(entity.id, other, score))
    return out
