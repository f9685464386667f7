"""Component ``divisions``: territories a law lists as the divisions of another ("la
Provincia de Itata, que comprende las comunas de ...") are each PART_OF it."""

from __future__ import annotations

from loaders.extract.legal_territory import territorial_divisions
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("divisions")
def divisions(state: ExtractionState) -> None:
    """Territories and PART_OF from division lists (see
    :mod:`loaders.extract.legal_territory`)."""
    territorial_divisions(state.ctx)
