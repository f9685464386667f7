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


def similar_names(
    query: str, choices: list[str], *, cutoff: float = FUZZY_THRESHOLD, limit: int = 4,
    tokens_sorted: bool = False,
) -> list[tuple[int, float]]:
    """Positions in ``choices`` of the normalised names near-identical to ``query`` (rapidfuzz
    token-sort ratio ≥ ``cutoff``), with their score out of 100, best first.

    ``tokens_sorted``: ``query`` and ``choices`` are already :func:`sort_tokens` forms (the
    token-sort ratio is then the plain ratio, without sorting each choice's words again)."""
    scorer = fuzz.ratio if tokens_sorted else fuzz.token_sort_ratio
    return [
        (index, score)
        for _name, score, index in process.extract(
            query, choices, scorer=scorer, score_cutoff=cutoff, limit=limit
        )
    ]


def sort_tokens(name: str) -> str:
    """The words of ``name`` sorted, one space apart: what the token-sort ratio compares."""
    return " ".join(sorted(name.split()))


def length_window(length: int, cutoff: float = FUZZY_THRESHOLD) -> tuple[int, int]:
    """The lengths a string may have to reach a ratio of ``cutoff`` (out of 100) with a string
    of ``length`` characters: the ratio is 1 - distance / (sum of lengths) and the distance is
    at least the difference of the lengths. Widened by one either side against rounding."""
    slack = 1 - cutoff / 100
    low = length * (1 - slack) / (1 + slack)
    high = length * (1 + slack) / (1 - slack) if slack < 1 else float("inf")
    return max(0, int(low) - 1), int(min(high, 1 << 30)) + 1


def fuzzy_candidate(a: str, b: str, score: float) -> MergeCandidate:
    """The merge candidate of two ids whose names scored ``score`` (out of 100)."""
    first, second = sorted((a, b))
    return MergeCandidate(
        a=first, b=second, score=round(score / 100, 3), reason=f"names {score:.0f}% similar"
    )


def possible_duplicates(
    entities: Iterable[Entity], *, fuzzy: float = FUZZY_THRESHOLD, max_fuzzy: int = 20000
) -> list[MergeCandidate]:
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
                for b in sharing[i + 1 :]:
                    _add(
                        found,
                        a,
                        b,
                        MergeCandidate(
                            a=min(a.id, b.id),
                            b=max(a.id, b.id),
                            score=1.0,
                            reason=f"both are called {form!r}",
                        ),
                    )
        if len(group) > max_fuzzy:
            continue
        names = [normalize_name(e.name) for e in group]
        for i, entity in enumerate(group):
            for j, score in similar_names(names[i], names, cutoff=fuzzy):
                if j != i:
                    _add(found, entity, group[j], fuzzy_candidate(entity.id, group[j].id, score))
    return sorted(found.values(), key=lambda c: (-c.score, c.a, c.b))


def _add(
    found: dict[tuple[str, str], MergeCandidate], a: Entity, b: Entity, candidate: MergeCandidate
) -> None:
    if a.id == b.id or not attributes_agree(a, b):
        return
    key = (candidate.a, candidate.b)
    if key not in found or found[key].score < candidate.score:
        found[key] = candidate


def attributes_agree(a: Entity, b: Entity) -> bool:
    """Whether no country, level or territory of ``a`` and ``b`` contradict each other."""
    for field in ("country", "level", "territory"):
        va, vb = getattr(a, field), getattr(b, field)
        if va and vb and normalize_name(str(va)) != normalize_name(str(vb)):
            return False
    return True
