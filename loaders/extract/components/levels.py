"""Component ``levels``: governance levels and countries of the entities nothing placed."""

from __future__ import annotations

from loaders.extract.finish import settle_levels
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("levels")
def levels(state: ExtractionState) -> None:
    """Levels from the name, the responsible institution, the parent and the document's
    majority; countries from the parent (see :func:`loaders.extract.finish.settle_levels`)."""
    settle_levels(state.ctx)
