"""Component ``named_levels``: the level and country an institution's name states
("Comité Innova Bío-Bío" is regional, "Cámara de Exportadores de Costa Rica" national, CR)."""

from __future__ import annotations

import bisect

from loaders.extract.components.territories import by_end, ending_at
from loaders.extract.levels import level_from_name
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


def named_after_region(state: ExtractionState) -> None:
    """An institution with no level whose name contains a region is regional, unless its own
    words say local."""
    regions = sorted(
        (c for c in state.gazetteer if c.label == "Territory" and c.kind == "region"),
        key=lambda c: c.start,
    )
    region_starts = [c.start for c in regions]
    for inst in state.base:
        builder = state.ctx.builders.get(inst.key or "")
        if inst.label != "Institution" or builder is None or builder.level:
            continue
        lo = bisect.bisect_left(region_starts, inst.start)
        hi = bisect.bisect_right(region_starts, inst.end)
        if any(t.end <= inst.end for t in regions[lo:hi]):
            # "Comité Innova Bío-Bío": named after its region, and so is a national body's
            # branch ("Instituto Nacional de Innovación Agraria de Ucayali"); "Municipalidad
            # de Puno" is named after its city, which the region is also called
            local = level_from_name(inst.name, state.ctx.country.code) == "local"
            builder.level = "local" if local else "regional"


def named_after_country(state: ExtractionState) -> None:
    """An institution (not from the gazetteer) whose name ends with a country is of that
    country, and national when nothing else placed it."""
    countries = by_end(
        c for c in state.gazetteer if c.label == "Territory" and c.kind == "country"
    )
    for inst in state.base:
        if inst.label != "Institution" or not inst.key or inst.source == "gazetteer":
            continue
        for t in ending_at(countries, inst.end):
            if inst.start < t.start and t.country:
                builder = state.ctx.builders[inst.key]
                builder.country = t.country
                if not builder.level and level_from_name(inst.name) != "supranational":
                    builder.level = "national"  # "Cámara de Exportadores de Costa Rica"
                break


@component("named_levels")
def named_levels(state: ExtractionState) -> None:
    """Levels and countries stated by names: a region in the name, a country at its end."""
    named_after_region(state)
    named_after_country(state)
