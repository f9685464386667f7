"""Component ``law_titles``: a numbered law and the title written beside it are one
instrument ("Ley Nº 27867, Ley Orgánica de Gobiernos Regionales")."""

from __future__ import annotations

from loaders.extract.finish import apply_redirects
from loaders.extract.legal_titles import law_title_redirects
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("law_titles")
def law_titles(state: ExtractionState) -> None:
    """Merge each numbered law into the one title it is written in apposition with (see
    :mod:`loaders.extract.legal_titles`)."""
    apply_redirects(state.ctx, state.base, law_title_redirects(state.ctx, state.base))
