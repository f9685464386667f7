"""Component ``bare_acronyms``: later mentions of an acronym the document defined."""

from __future__ import annotations

import re

from loaders.extract.candidates import Candidate, TakenSpans
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState

_BARE_ACRONYM = re.compile(r"\b[A-ZÁÉÍÓÚÑ][A-Z0-9ÁÉÍÓÚÑ&\-]{1,11}\b")


def defined_acronyms(state: ExtractionState) -> dict[str, str]:
    """Acronym → entity key, for the acronyms of this document's entities and definitions."""
    builders = state.ctx.builders
    acronym_keys = {b.acronym: b.key for b in builders.values() if b.acronym}
    for d in state.definitions:
        for b in builders.values():
            if d.short in b.names:
                acronym_keys.setdefault(d.short, b.key)
    return acronym_keys


@component("bare_acronyms")
def bare_acronyms(state: ExtractionState) -> None:
    """Each acronym written alone outside another name is a mention of the entity it names."""
    ctx, text = state.ctx, state.text
    acronym_keys = defined_acronyms(state)
    taken = TakenSpans(state.base)
    # a short form with its place ("ARD Laguna Verde") is looked for as written
    with_place = sorted((a for a in acronym_keys if " " in a), key=len, reverse=True)
    mentions = list(_BARE_ACRONYM.finditer(text))
    if with_place:
        mentions += re.finditer(
            r"\b(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in with_place) + r")\b",
            text,
        )
    for m in sorted(mentions, key=lambda m: (m.start(), -m.end())):
        key = acronym_keys.get(m.group()) or acronym_keys.get(re.sub(r"\s+", " ", m.group()))
        if key is None:
            continue
        if taken.covers(m.start()):
            continue
        b = ctx.builders[key]
        cand = Candidate(m.start(), m.end(), b.label, b.name, "acronym", key=key)
        ctx.add(cand)
        state.base.append(cand)
    state.base.sort(key=lambda c: c.start)
