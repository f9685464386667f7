"""Component ``referents``: a generic body named only in the singular is the document's own
body of that kind (see :mod:`loaders.extract.referents`)."""

from __future__ import annotations

from loaders.extract.finish import apply_redirects
from loaders.extract.referents import generic_referents, name_variants
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("referents")
def referents(state: ExtractionState) -> None:
    """Merge one name written in both numbers, then "Consejo regional" into "Consejo
    Regional del Gobierno Regional de X"."""
    apply_redirects(state.ctx, state.base, name_variants(state.ctx))
    generic, same_body = generic_referents(state.ctx)
    apply_redirects(state.ctx, state.base, same_body)
    # the generic entry's names ("consejos regionales", "CORE") stay out of the specific body
    apply_redirects(state.ctx, state.base, generic, take_names=False)
