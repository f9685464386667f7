"""Component ``gazetteer``: names of the shipped and user gazetteers found in the text."""

from __future__ import annotations

from loaders.extract.lexicon import make_doc
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("gazetteer")
def gazetteer(state: ExtractionState) -> None:
    """Match the gazetteer's phrase matcher over the text (accent-free, case rules applied)."""
    state.gazetteer = list(state.lexicon.match(make_doc(state.text)))
