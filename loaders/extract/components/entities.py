"""Component ``entities``: the kept candidates become the document's entities."""

from __future__ import annotations

from loaders.extract.cells import office_holder
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("entities")
def entities(state: ExtractionState) -> None:
    """Drop candidates inside speakers' names, read office holders as their offices, and add
    every candidate to the context (territories only when the gazetteer knows them)."""
    person_spans = [(ln.name_start, ln.name_end) for ln in state.speaker_lines]
    base = [
        c for c in state.base if not any(s <= c.start and c.end <= e for s, e in person_spans)
    ]
    state.base = [office_holder(c, base, state.lexicon) for c in base]
    for cand in state.base:
        if cand.label == "Territory" and cand.source != "gazetteer":
            continue
        state.ctx.add(cand)
