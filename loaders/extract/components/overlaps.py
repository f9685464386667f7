"""Component ``overlaps``: one candidate per stretch of text, from every recogniser."""

from __future__ import annotations

from loaders.extract.candidates import resolve_overlaps
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("overlaps")
def overlaps(state: ExtractionState) -> None:
    """Resolve overlapping candidates (see :func:`loaders.extract.candidates.resolve_overlaps`)."""
    state.base = resolve_overlaps(
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
