"""Find entities that may be one: shared normalised names or acronyms, near-identical names.

Used by ``tejido review`` over the whole store (merge candidates recorded at ingestion only
compare each new document with what was stored before it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from graph.model import Entity
from graph.normalize import normalize_name
from graph.stores.base import MergeCandidate

FUZZY_THRESHOLD = 92.0


def possible_duplicates(entities: Iterable[Entity], *, fuzzy: float = FUZZY_THRESHOLD,
                        max_fuzzy: int = 20000) -> list[MergeCandidate]:
    """Pairs of entities of one label that share a normalised name, alias or acronym, or
    whose names are near-identical (rapidfuzz token-sort ratio ≥ ``fuzzy``).

    Entities of different countries, levels or territories are not paired (a state's
    "Secretaría de Salud" is not another state's). Fuzzy pairing is skipped for labels with
    more than ``max_fuzzy`` entities.
    """
    by_label: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        by_label[entity.label].append(entity)
    found: dict[tuple[str, str], MergeCandidate] = {}
    for group in by_label.values():
        index: dict[str, list[Entity]] = defaultdict(list)
        for entity in group:
            for form in entity.normalized_names():
                index[form].append(entity)
        for form, sharing in index.items():
            for i, a in enumerate(sharing):
                for b in sharing[i + 1:]:
                    _add(found, a, b, 1.0, f"both are called {form!r}")
        if len(group) > max_fuzzy:
            continue
        names = [normalize_name(e.name) for e in group]
        for i, entity in enumerate(group):
            for _name, score, j in process.extract(names[i], names, scorer=fuzz.token_sort_ratio,
                                                   score_cutoff=fuzzy, limit=4):
                if j != i:
                    _add(found, entity, group[j], round(score / 100, 3),
                         f"names {score:.0f}% similar")
    return sorted(found.values(), key=lambda c: (-c.score, c.a, c.b))


def _add(found: dict[tuple[str, str], MergeCandidate], a: Entity, b: Entity, score: float,
         reason: str) -> None:
    if a.id == b.id or not attributes_agree(a, b):
        return
    key = tuple(sorted((a.id, b.id)))
    if key not in found or found[key].score < score:
        found[key] = MergeCandidate(a=key[0], b=key[1], score=score, reason=reason)


def attributes_agree(a: Entity, b: Entity) -> bool:
    """Whether no country, level or territory of ``a`` and ``b`` contradict each other."""
    for field in ("country", "level", "territory"):
        va, vb = getattr(a, field), getattr(b, field)
        if va and vb and normalize_name(str(va)) != normalize_name(str(vb)):
            return False
    return True
