"""Component ``territories``: territories named inside institution, instrument and programme
names ("Gobierno Regional del Bío-Bío" OPERATES_IN Bío-Bío, "Plan de Desarrollo Regional
Concertado de Cusco" COVERS Cusco)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from graph.normalize import without_connectives
from loaders.extract.candidates import Candidate
from loaders.extract.context import SUBNATIONAL_KINDS, ExtractionContext
from loaders.extract.legal_parents import owner_names
from loaders.extract.referents import variant_key
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState

# "Gobierno Regional de Puno"; and, for a body whose name says it is regional or
# decentralised, the Peruvian way without "de": "Gobierno Regional Puno", "Dirección Regional
# de Comercio Exterior y Turismo Cajamarca", "Dirección Desconcentrada de Cultura Cajamarca"
_OF_BEFORE = re.compile(r"\b(?:de|del|de la)\s+$")
_REGIONAL_BODY = re.compile(r"\b(?:Regional|Desconcentrad[oa]|Sub[ ]?[Rr]egional)\b")
_WORD_BEFORE = re.compile(r"[^\W\d_][ \t]+$")


def _placed_before(name_part: str) -> bool:
    """Whether the words of a name before a territory place the body there."""
    if _OF_BEFORE.search(name_part):
        return True
    return _WORD_BEFORE.search(name_part) is not None and _REGIONAL_BODY.search(name_part) is not None


def by_end(cands: Iterable[Candidate]) -> dict[int, list[Candidate]]:
    """Candidates indexed by their end offset."""
    out: dict[int, list[Candidate]] = defaultdict(list)
    for c in cands:
        out[c.end].append(c)
    return out


def ending_at(index: dict[int, list[Candidate]], end: int) -> list[Candidate]:
    """Candidates ending at ``end`` or one character either side (a closing quote, a dot)."""
    return [*index.get(end - 1, ()), *index.get(end, ()), *index.get(end + 1, ())]


# what a name ending "de <territory>" says: an institution works there, an instrument or a
# programme covers it ("Plan de Desarrollo Regional Concertado de Cusco" COVERS Cusco)
_PLACED_BY_NAME = {"Institution": "OPERATES_IN", "Instrument": "COVERS", "Program": "COVERS"}


@component("territories")
def territories(state: ExtractionState) -> None:
    """An institution whose name ends "de <region, province, commune or city>" OPERATES_IN
    that territory and takes its country when it has none; an instrument or programme
    named so COVERS it."""
    ctx, text = state.ctx, state.text
    index = by_end(
        c
        for c in state.gazetteer
        if c.label == "Territory" and (c.kind or "") in SUBNATIONAL_KINDS
    )
    known: set[str] | None = None  # the institutions' names, read once when first needed
    for named in state.base:
        rel_type = _PLACED_BY_NAME.get(named.label)
        if rel_type is None or not named.key or named.level == "supranational":
            continue
        if rel_type == "COVERS" and next(owner_names(named.name), None) is not None:
            # "Reglamento Interno del Consejo Regional del Cusco": the council's place
            continue
        for t in ending_at(index, named.end):
            if named.start < t.start and _placed_before(text[named.start : t.start]):
                if rel_type == "OPERATES_IN":
                    known = known if known is not None else _institution_keys(ctx)
                    if any(owner in known for owner in _loose_owners(named.name)):
                        # "Consejo Regional del Gobierno Regional de Apurímac": the government
                        # the document names is placed there, its organ through it
                        break
                territory = ctx.add(t)
                ctx.relate(
                    named.key, rel_type, territory.key, named.start, named.end, "name", 0.7
                )
                if ctx.builders[named.key].country is None and t.country:
                    ctx.builders[named.key].country = t.country
                break


def _institution_keys(ctx: ExtractionContext) -> set[str]:
    """The names of the document's institutions, each said loosely (:func:`_loose_key`)."""
    return {_loose_key(n) for b in ctx.builders.values() if b.label == "Institution"
            for n in b.names}


def _loose_key(name: str) -> str:
    """:func:`variant_key` without connectives: "Gobierno Regional Apurímac" and "Gobierno
    Regional de Apurímac" are one name."""
    return without_connectives(variant_key(name))


@lru_cache(maxsize=4096)
def _loose_owners(name: str) -> tuple[str, ...]:
    """The institution names that end ``name`` (:func:`owner_names`), said loosely."""
    return tuple(_loose_key(owner) for owner in owner_names(name))
