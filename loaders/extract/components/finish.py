"""Component ``finish``: the document's Extraction (entities with stable ids, relations,
mentions)."""

from __future__ import annotations

from loaders.extract.finish import build_extraction
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("finish")
def finish(state: ExtractionState) -> None:
    """Build the Extraction from the context; it ends the pipeline."""
    state.result = build_extraction(state.ctx)
