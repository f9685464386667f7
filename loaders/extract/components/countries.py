"""Component ``countries``: the document's country, and gazetteer matches read in it."""

from __future__ import annotations

from loaders.extract.countries import settle_countries
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("countries")
def countries(state: ExtractionState) -> None:
    """Settle the document's country from its gazetteer matches and keep, for a name several
    countries' entries share, the entry of that country (see :mod:`loaders.extract.countries`)."""
    state.gazetteer, state.ctx.country = settle_countries(state.gazetteer, state.text)
