"""Component ``layout``: clean PDF-to-text artefacts; the cleaned text becomes the document's."""

from __future__ import annotations

from graph.model import Extraction
from loaders.extract.context import ExtractionContext
from loaders.extract.layout import clean_layout
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("layout")
def layout(state: ExtractionState) -> None:
    """Clean the raw text, store it as the document text and open the extraction context.

    A document without text ends the extraction here with a warning.
    """
    state.clean = clean_layout(state.raw_text)
    state.document = state.document.model_copy(update={"text": state.clean.text})
    state.ctx = ExtractionContext(state.document, state.lexicon)
    if not state.ctx.text.strip():
        state.result = Extraction(document=state.document, warnings=["no text to extract"])
