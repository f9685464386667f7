"""The analyses a user runs: coordination ties, the level matrix, gaps, brokers, paths,
overlap and duplication, each with its filters (:mod:`app.services.filters`).

The REST endpoints, the pages, ``tejido query`` and ``tejido report`` all run them through
:data:`ANALYSES` (which also says which items of each result are its rows) or
:func:`run_analysis`, so a filter means the same everywhere. The query functions of
:mod:`queries` do the work; what they do not filter (ties by theme, brokers by country or
theme) is filtered here, from the same institution profiles, which also give the level
matrix the institutions to keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from app.services.filters import AnalysisFilters
from queries.coordination import (
    find_brokers,
    find_gaps,
    find_path,
    find_ties,
    level_matrix,
    tie_index,
)
from queries.duplication import find_duplicates
from queries.overlap import find_overlaps
from queries.profiles import (
    facet_key,
    graph_index,
    institution_table,
    instrument_table,
    territory_index,
    within_territory,
)
from queries.results import (
    Broker,
    DuplicationResult,
    Gap,
    LevelMatrix,
    OverlapResult,
    PathResult,
    Tie,
)

DEFAULT_SHARED_FIELD = 0.2  # overlap from which two institutions share a field

# --------------------------------------------------------------------------- selections


def institution_mask(
    graph: nx.MultiDiGraph, country: str | None, theme: str | None
) -> np.ndarray:
    """Rows of the institution table kept by the country and theme filters."""
    table = institution_table(graph)
    keep = np.ones(len(table.ids), dtype=bool)
    if country is not None:
        code = territory_index(graph).country_code(country)
        keep &= np.array([c == code for c in table.countries], dtype=bool)
    if theme is not None:
        key = facet_key(theme)
        keep &= np.array([key in counts for counts in table.facets["themes"]], dtype=bool)
    return keep


def entities_with_theme(graph: nx.MultiDiGraph, theme: str) -> frozenset[str]:
    """Instruments and programmes carrying ``theme`` and institutions whose profile has it."""

    def build() -> frozenset[str]:
        key = facet_key(theme)
        instruments = instrument_table(graph)
        institutions = institution_table(graph)
        found = {
            node
            for node, themes in zip(instruments.ids, instruments.facets["themes"], strict=True)
            if key in themes
        }
        found.update(
            node
            for node, counts in zip(institutions.ids, institutions.facets["themes"], strict=True)
            if key in counts
        )
        return frozenset(found)

    return graph_index(graph, ("explorer", "with_theme", facet_key(theme)), build)


def entities_in_territory(graph: nx.MultiDiGraph, territory: str) -> frozenset[str]:
    """Instruments and programmes located in ``territory``, institutions acting in it and
    territories inside it (a place inside it counts, see
    :func:`queries.profiles.within_territory`)."""

    def build() -> frozenset[str]:
        instruments = instrument_table(graph)
        institutions = institution_table(graph)
        found: set[str] = set()
        for table in (instruments, institutions):
            inside = within_territory(graph, table.territories, territory)
            found.update(node for node, kept in zip(table.ids, inside, strict=True) if kept)
        places = [n for n, d in graph.nodes(data=True) if d.get("label") == "Territory"]
        inside = within_territory(graph, [frozenset({p}) for p in places], territory)
        found.update(p for p, kept in zip(places, inside, strict=True) if kept)
        return frozenset(found)

    return graph_index(graph, ("explorer", "in_territory", territory.casefold()), build)


def countries_in_graph(graph: nx.MultiDiGraph) -> list[str]:
    """Country codes carried by the graph's entities, sorted."""

    def build() -> list[str]:
        found = {
            str(country).upper()
            for _, country in graph.nodes(data="country")
            if country and len(str(country)) == 2 and str(country).isalpha()
        }
        return sorted(found)

    return graph_index(graph, ("explorer", "countries"), build)


# --------------------------------------------------------------------------- analyses


def coordination_ties(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> tuple[list[Tie], int]:
    """The ``top`` ties the filters keep (most channels first) and how many they keep in all."""
    ties = find_ties(graph, level_pair=filters.level_pair, country=filters.country)
    if filters.theme is not None:
        table = institution_table(graph)
        keep = institution_mask(graph, None, filters.theme)
        ties = [t for t in ties if keep[table.position[t.a]] and keep[table.position[t.b]]]
    return ties[: filters.top], len(ties)


def coordination_matrix(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> LevelMatrix:
    """The multilevel matrix; with a country or theme, over the institutions they keep."""
    threshold = filters.score_or(DEFAULT_SHARED_FIELD)
    if filters.country is None and filters.theme is None:
        return level_matrix(graph, overlap_threshold=threshold)
    keep = institution_mask(graph, filters.country, filters.theme)
    return scoped_level_matrix(graph, threshold, keep)


def scoped_level_matrix(graph: nx.MultiDiGraph, threshold: float, keep: np.ndarray) -> LevelMatrix:
    """:func:`queries.coordination.level_matrix` over the institutions ``keep`` marks.

    ``keep`` is a boolean mask over the rows of the institution table (as made by
    :func:`institution_mask`).
    """
    table = institution_table(graph)
    kept = frozenset(table.ids[row] for row in np.flatnonzero(keep).tolist())
    return level_matrix(graph, overlap_threshold=threshold, keep=kept)


def coordination_gaps(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> list[Gap]:
    """Overlapping institutions with no tie, most overlapping first."""
    return find_gaps(
        graph,
        top=filters.top,
        min_overlap=filters.score_or(DEFAULT_SHARED_FIELD),
        level_pair=filters.level_pair,
        country=filters.country,
        theme=filters.theme,
    )


def coordination_brokers(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> list[Broker]:
    """Brokers of the whole tie graph; with a country or theme, those the filters keep."""
    if filters.country is None and filters.theme is None:
        return find_brokers(graph, top=filters.top)
    everyone = max(1, tie_index(graph).graph.number_of_nodes())
    table = institution_table(graph)
    keep = institution_mask(graph, filters.country, filters.theme)
    kept = [b for b in find_brokers(graph, top=everyone) if keep[table.position[b.id]]]
    return kept[: filters.top]


def overlap_pairs(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> OverlapResult:
    """Institution pairs ranked by the overlap of their competences."""
    return find_overlaps(
        graph,
        top=filters.top,
        min_score=filters.score_or(0.0),
        level_pair=filters.level_pair,
        country=filters.country,
        theme=filters.theme,
        territory=filters.territory,
    )


def duplicate_pairs(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> DuplicationResult:
    """Instrument pairs ranked by how much they duplicate each other."""
    return find_duplicates(
        graph,
        top=filters.top,
        min_score=filters.score_or(0.0),
        level_pair=filters.level_pair,
        country=filters.country,
        theme=filters.theme,
        institutions=filters.institutions,
        territory=filters.territory,
        verdict=filters.verdict,
    )


def shortest_path(graph: nx.MultiDiGraph, a: str, b: str) -> PathResult | None:
    """A shortest path between two entities (raises ``EntityNotFound`` for unknown ids)."""
    return find_path(graph, a, b)


@dataclass(frozen=True)
class Analysis:
    """One analysis: how it runs, and which items of its result are its rows (the rows of its
    CSV, what ``tejido query`` prints)."""

    run: Callable[[nx.MultiDiGraph, AnalysisFilters], Any]
    rows: Callable[[Any], list[Any]]

    def items(self, graph: nx.MultiDiGraph, filters: AnalysisFilters) -> list[Any]:
        """The rows of the analysis run with ``filters`` over ``graph``."""
        return self.rows(self.run(graph, filters))


# The analyses by name, for the REST endpoints and ``tejido query``.
ANALYSES: dict[str, Analysis] = {
    "coordination": Analysis(coordination_ties, lambda found: found[0]),
    "matrix": Analysis(coordination_matrix, lambda matrix: matrix.cells),
    "gaps": Analysis(coordination_gaps, lambda found: found),
    "brokers": Analysis(coordination_brokers, lambda found: found),
    "overlap": Analysis(overlap_pairs, lambda result: result.pairs),
    "duplication": Analysis(duplicate_pairs, lambda result: result.pairs),
}
