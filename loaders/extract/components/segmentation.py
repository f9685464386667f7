"""Component ``segmentation``: the passages evidence quotes (sentences, table rows)."""

from __future__ import annotations

from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("segmentation")
def segmentation(state: ExtractionState) -> None:
    """Segment the cleaned text into passages (see :mod:`loaders.extract.segment`)."""
    state.ctx.set_passages()
