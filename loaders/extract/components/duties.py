"""Component ``duties``: commissions, functions, units acting for their parent, the
authority charged with a law and the council that approved an ordinance."""

from __future__ import annotations

from loaders.extract.legal_duties import duties as read_duties
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("duties")
def duties(state: ExtractionState) -> None:
    """RESPONSIBLE_FOR, CO_RESPONSIBLE_FOR, COORDINATES_WITH and PART_OF stated by the
    duties legal text assigns (see :mod:`loaders.extract.legal_duties`)."""
    read_duties(state.ctx, state.base)
