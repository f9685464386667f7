"""Component ``memberships``: membership lists of legal text give PARTICIPATES_IN for each
member, the roles of presiding and of technical secretariat, and the organs of a body."""

from __future__ import annotations

from loaders.extract.legal import CandidateIndex, membership_relations
from loaders.extract.legal_organs import organ_lists
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("memberships")
def memberships(state: ExtractionState) -> None:
    """Members of every "integrado por / conformado por" list (see
    :mod:`loaders.extract.legal`); the bodies of office holders and collective members
    become entities; the organs a body is said to have are its parts
    (:mod:`loaders.extract.legal_organs`)."""
    membership_relations(state.ctx, state.base)
    organ_lists(state.ctx, state.base, CandidateIndex(state.base), state.ctx.article_starts)
