"""Component ``territories``: territories named inside institution names
("Gobierno Regional del Bío-Bío" OPERATES_IN Bío-Bío)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from loaders.extract.candidates import Candidate
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState

_SUBNATIONAL = ("region", "province", "commune", "city")
_OF_BEFORE = re.compile(r"\b(?:de|del|de la)\s+$")


def by_end(cands: Iterable[Candidate]) -> dict[int, list[Candidate]]:
    """Candidates indexed by their end offset."""
    out: dict[int, list[Candidate]] = defaultdict(list)
    for c in cands:
        out[c.end].append(c)
    return out


def ending_at(index: dict[int, list[Candidate]], end: int) -> list[Candidate]:
    """Candidates ending at ``end`` or one character either side (a closing quote, a dot)."""
    return [*index.get(end - 1, ()), *index.get(end, ()), *index.get(end + 1, ())]


@component("territories")
def territories(state: ExtractionState) -> None:
    """An institution whose name ends "de <region, province, commune or city>" OPERATES_IN
    that territory and takes its country when it has none."""
    ctx, text = state.ctx, state.text
    index = by_end(
        c
        for c in state.gazetteer
        if c.label == "Territory" and (c.kind or "") in _SUBNATIONAL
    )
    for inst in state.base:
        if inst.label != "Institution" or not inst.key or inst.level == "supranational":
            continue
        for t in ending_at(index, inst.end):
            if inst.start < t.start and _OF_BEFORE.search(text[inst.start : t.start]):
                territory = ctx.add(t)
                ctx.relate(
                    inst.key, "OPERATES_IN", territory.key, inst.start, inst.end, "name", 0.7
                )
                if ctx.builders[inst.key].country is None and t.country:
                    ctx.builders[inst.key].country = t.country
                break
