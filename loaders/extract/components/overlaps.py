"""Component ``overlaps``: one candidate per stretch of text, from every recogniser."""

from __future__ import annotations

from loaders.extract.candidates import resolve_overlaps
from loaders.extract.mottos import outside_mottos
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("overlaps")
def overlaps(state: ExtractionState) -> None:
    """Resolve overlapping candidates (see :func:`loaders.extract.candidates.resolve_overlaps`),
    leaving out those inside the year's motto (:mod:`loaders.extract.mottos`)."""
    kept = resolve_overlaps(
        [
            *state.gazetteer,
            *state.laws,
            *state.quoted,
            *state.patterns,
            *state.marked,
            *state.section_items,
            *state.named,
            *state.objects,
        ]
    )
    keep = outside_mottos(state.text, [(c.start, c.end) for c in kept])
    state.base = [c for c, ok in zip(kept, keep, strict=True) if ok]
