"""The analyses behind the API and the pages: validated filters, runs, a per-revision cache.

Both the REST endpoints (:mod:`app.routers.analysis`) and the HTML pages
(:mod:`app.routers.explorer`) read their filters with :func:`parse_filters` and run the
analyses through the functions here, so a filter means the same everywhere:

- ``level_pair=A,B``: pairs with one side at level A and the other at level B;
- ``country``: a country code or name; both sides of a pair are of that country;
- ``theme``: a theme id (``innovation``) or its Spanish label (``Innovación``); both
  institutions of a pair have it in their profile, both instruments carry it;
- ``top``: how many rows (1 to :data:`MAX_TOP`);
- ``min_score``: the lowest score kept; for gaps and the level matrix, the overlap from
  which two institutions "share a field";
- ``territory`` (duplication, overlap, search): a state, region or municipality, by name;
  instruments located in it, institutions acting in it (a place inside it counts);
- ``institutions`` (duplication): ``different`` keeps pairs run by different institutions,
  ``same`` the variants inside one institution, ``any`` (the default) both.

The REST endpoints and ``tejido query`` run them through :data:`ANALYSES` (which also says
which items of each result are its rows), the pages directly. The query functions of
:mod:`queries` do the work; what they do not filter (ties by theme, brokers by country or
theme) is filtered here, from the same institution profiles, which also give the level
matrix the institutions to keep. Answers are kept in a
:class:`ResultCache` keyed by store revision.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
import numpy as np

from graph.facets import default_vocabularies
from graph.vocab import LEVELS
from queries.coordination import (
    find_brokers,
    find_gaps,
    find_path,
    find_ties,
    level_matrix,
    tie_index,
)
from queries.duplication import INSTITUTION_CHOICES, Institutions, find_duplicates
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

T = TypeVar("T")

DEFAULT_TOP = 50
MAX_TOP = 500
DEFAULT_SHARED_FIELD = 0.2  # overlap from which two institutions share a field

_COUNTRY = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'\-]){1,59}$")
_THEME = re.compile(r"^[\w .,'\-()]{1,80}$")
_TERRITORY = re.compile(r"^[\w .,'\-():]{1,120}$")


class FilterError(ValueError):
    """A filter parameter is invalid; the message names the parameter and what is expected."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter!r}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class AnalysisFilters:
    """Validated filters of an analysis (see the module docstring for their meaning)."""

    level_pair: tuple[str, str] | None = None
    country: str | None = None
    theme: str | None = None
    top: int = DEFAULT_TOP
    min_score: float | None = None
    institutions: Institutions = "any"
    territory: str | None = None

    def score_or(self, default: float) -> float:
        """``min_score``, or ``default`` when it was not given."""
        return default if self.min_score is None else self.min_score

    def as_query(self) -> dict[str, str]:
        """The filters that differ from the defaults, as query parameters for a link."""
        out: dict[str, str] = {}
        if self.level_pair:
            out["level_pair"] = ",".join(self.level_pair)
        if self.country:
            out["country"] = self.country
        if self.theme:
            out["theme"] = self.theme
        if self.top != DEFAULT_TOP:
            out["top"] = str(self.top)
        if self.min_score is not None:
            out["min_score"] = format(self.min_score, "g")
        if self.institutions != "any":
            out["institutions"] = self.institutions
        if self.territory:
            out["territory"] = self.territory
        return out

    def described(self) -> dict[str, Any]:
        """The filters as JSON-friendly values (every field, defaults included)."""
        return {
            "level_pair": list(self.level_pair) if self.level_pair else None,
            "country": self.country,
            "theme": self.theme,
            "top": self.top,
            "min_score": self.min_score,
            "institutions": self.institutions,
            "territory": self.territory,
        }


# --------------------------------------------------------------------------- parsing


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_level_pair(value: object) -> tuple[str, str] | None:
    """``"national,regional"`` → ``("national", "regional")``; blank → None."""
    if _blank(value):
        return None
    parts = [part.strip() for part in str(value).split(",")]
    if len(parts) != 2 or not all(parts):
        raise FilterError("level_pair", f"expected two levels separated by a comma, got {value!r}")
    for part in parts:
        if part not in LEVELS:
            raise FilterError(
                "level_pair", f"unknown level {part!r}; expected one of {', '.join(LEVELS)}"
            )
    return (parts[0], parts[1])


def parse_country(value: object) -> str | None:
    """A country code (``CL``, returned upper-case) or name; blank → None."""
    if _blank(value):
        return None
    text = " ".join(str(value).split())
    if not _COUNTRY.match(text):
        raise FilterError(
            "country", f"expected a country code such as CL or a country name, got {value!r}"
        )
    return text.upper() if len(text) == 2 else text


def parse_territory(value: object) -> str | None:
    """A territory name (a state, region or municipality) or id; blank → None."""
    if _blank(value):
        return None
    text = " ".join(str(value).split())
    if not _TERRITORY.match(text):
        raise FilterError(
            "territory", f"expected a place name such as Oaxaca or Valparaíso, got {value!r}"
        )
    return text


def parse_top(value: object) -> int:
    """How many rows: an integer from 1 to :data:`MAX_TOP`; blank → :data:`DEFAULT_TOP`."""
    if _blank(value):
        return DEFAULT_TOP
    if isinstance(value, bool):
        raise FilterError("top", f"expected an integer from 1 to {MAX_TOP}, got {value!r}")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FilterError(
            "top", f"expected an integer from 1 to {MAX_TOP}, got {value!r}"
        ) from None
    if not 1 <= number <= MAX_TOP:
        raise FilterError("top", f"expected an integer from 1 to {MAX_TOP}, got {number}")
    return number


def parse_min_score(value: object) -> float | None:
    """A score between 0 and 1; blank → None (the analysis's own default)."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise FilterError("min_score", f"expected a number between 0 and 1, got {value!r}")
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise FilterError(
            "min_score", f"expected a number between 0 and 1, got {value!r}"
        ) from None
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise FilterError("min_score", f"expected a number between 0 and 1, got {value!r}")
    return number


def parse_institutions(value: object) -> Institutions:
    """``any``, ``different`` or ``same``; blank → ``any``."""
    if _blank(value):
        return "any"
    text = str(value).strip().lower()
    for choice in INSTITUTION_CHOICES:
        if text == choice:
            return choice
    raise FilterError(
        "institutions", f"expected one of {', '.join(INSTITUTION_CHOICES)}, got {value!r}"
    )


def theme_labels(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Every known theme id with its Spanish label: the vocabulary's and those in the graph."""

    def build() -> dict[str, str]:
        vocabulary = default_vocabularies()
        labels = {value.id: value.label for value in vocabulary.values("themes")}
        for theme in sorted(themes_in_graph(graph)):
            labels.setdefault(theme, theme.replace("_", " "))
        return labels

    return graph_index(graph, ("explorer", "theme_labels"), build)


def themes_in_graph(graph: nx.MultiDiGraph) -> set[str]:
    """Theme ids carried by the graph's instruments or institution profiles."""

    def build() -> set[str]:
        found: set[str] = set()
        for themes in instrument_table(graph).facets["themes"]:
            found.update(themes)
        for counts in institution_table(graph).facets["themes"]:
            found.update(counts)
        return found

    return graph_index(graph, ("explorer", "themes"), build)


def parse_theme(value: object, graph: nx.MultiDiGraph) -> str | None:
    """A theme id, given by id or Spanish label; blank → None; unknown → FilterError."""
    if _blank(value):
        return None
    text = str(value).strip()
    if not _THEME.match(text):
        raise FilterError("theme", f"expected a theme id such as innovation, got {value!r}")
    labels = theme_labels(graph)
    key = facet_key(text)
    if key in labels:
        return key
    by_label = {facet_key(label): theme for theme, label in labels.items()}
    if key in by_label:
        return by_label[key]
    raise FilterError(
        "theme", f"unknown theme {text!r}; expected one of {', '.join(sorted(labels))}"
    )


def parse_filters(values: Mapping[str, object], graph: nx.MultiDiGraph) -> AnalysisFilters:
    """Validate the filter parameters present in ``values`` (absent or blank: defaults)."""
    return AnalysisFilters(
        level_pair=parse_level_pair(values.get("level_pair")),
        country=parse_country(values.get("country")),
        theme=parse_theme(values.get("theme"), graph),
        top=parse_top(values.get("top")),
        min_score=parse_min_score(values.get("min_score")),
        institutions=parse_institutions(values.get("institutions")),
        territory=parse_territory(values.get("territory")),
    )


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


# --------------------------------------------------------------------------- cache


class ResultCache:
    """Answers by (store revision, key), the most recent :attr:`capacity` kept.

    When a newer revision is seen, every answer of older revisions is dropped: they can
    never be asked for again.
    """

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._revision: int | None = None
        self.hits = 0
        self.misses = 0

    def get(self, revision: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer of ``key`` at ``revision``, computed with ``compute()`` on a miss."""
        full = (revision, key)
        with self._lock:
            if self._revision is None or revision > self._revision:
                self._entries = OrderedDict(
                    (k, v) for k, v in self._entries.items() if k[0] >= revision
                )
                self._revision = revision
            if full in self._entries:
                self._entries.move_to_end(full)
                self.hits += 1
                return self._entries[full]
            self.misses += 1
        value = compute()
        with self._lock:
            self._entries[full] = value
            self._entries.move_to_end(full)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._entries.clear()
            self._revision = None


_CACHE_LOCK = threading.Lock()


def app_cache(state: Any) -> ResultCache:
    """The :class:`ResultCache` kept on an application's ``state`` (made on first use)."""
    cache = getattr(state, "analysis_cache", None)
    if cache is None:
        with _CACHE_LOCK:
            cache = getattr(state, "analysis_cache", None)
            if cache is None:
                cache = ResultCache()
                state.analysis_cache = cache
    return cache
