"""Component ``short_forms``: short forms of a longer name become that entity."""

from __future__ import annotations

from loaders.extract.finish import merge_short_forms
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("short_forms")
def short_forms(state: ExtractionState) -> None:
    """"Mesa Directiva" → "Mesa Directiva de eLAC2020"; a person named by part of a name."""
    merge_short_forms(state.ctx, state.base)
