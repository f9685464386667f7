"""Component ``gazetteer``: names of the shipped and user gazetteers found in the text."""

from __future__ import annotations

from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("gazetteer")
def gazetteer(state: ExtractionState) -> None:
    """Match the gazetteer's phrase matcher over the text (accent-free, case rules applied)."""
    state.gazetteer = state.lexicon.match_text(state.text)
