"""Component ``sentences``: relations stated by trigger phrases within one sentence."""

from __future__ import annotations

from loaders.extract.registry import component
from loaders.extract.sentences import sentence_relations
from loaders.extract.state import ExtractionState


@component("sentences")
def sentences(state: ExtractionState) -> None:
    """Coordination, execution, funding, participation... (see
    :mod:`loaders.extract.sentences`), with the speaker lines as context."""
    sentence_relations(state.ctx, state.base, state.speaker_context, state.bare_subjects)
