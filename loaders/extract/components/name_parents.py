"""Component ``name_parents``: parents read from the names of public bodies (generic units
of a named institution, the units of a document's one regional government, a council's
committees)."""

from __future__ import annotations

from loaders.extract.legal_parents import unit_parents
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("name_parents")
def name_parents(state: ExtractionState) -> None:
    """PART_OF read from names (see :mod:`loaders.extract.legal_parents`)."""
    unit_parents(state.ctx)
