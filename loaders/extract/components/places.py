"""Component ``places``: places the document locates in a country ("Ciudad, País")."""

from __future__ import annotations

from loaders.extract.patterns import find_places_with_country
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("places")
def places(state: ExtractionState) -> None:
    """Add to the gazetteer matches the unknown places written with a known country."""
    lexicon = state.lexicon
    for place, country_name in find_places_with_country(state.text):
        country = lexicon.lookup(country_name)
        known = lexicon.lookup(place.name)
        if country is None or country.kind != "country" or known is not None:
            continue
        place.country = country.country
        place.source = "gazetteer"  # a place the document locates, kept like a known one
        state.gazetteer.append(place)
