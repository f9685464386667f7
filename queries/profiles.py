"""Per-graph indexes shared by the analyses: caching, evidence, territories, facets, text.

The queries are pure functions of a projected graph (see :mod:`graph.projection`). What they
need beyond the graph itself (instrument facet tables, institution profiles, territory
containment, TF-IDF matrices) is computed once per graph and kept in a cache keyed on the
graph object, so that repeated queries on the same graph answer from memory. A graph is
treated as fixed once queried: the cache entry is dropped when its node count or its
``graph.graph["revision"]`` changes, and :func:`clear_cache` drops it after other edits.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import math
import re
import threading
import unicodedata
import weakref
from collections import Counter, OrderedDict
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any, Protocol, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.gazetteer import country_code
from graph.model import Evidence
from graph.normalize import normalize_name
from graph.vocab import LEVELS, RESPONSIBILITY_TYPES
from queries.results import EntityNotFound, NodeSummary

T = TypeVar("T")

INSTITUTION = "Institution"
TERRITORY = "Territory"
INSTRUMENT_LABELS: tuple[str, ...] = ("Instrument", "Program")
FACETS: tuple[str, ...] = ("themes", "target_groups", "support_types")

# --------------------------------------------------------------------------- caching


@dataclass
class _CacheEntry:
    fingerprint: tuple[int, object]
    indexes: dict[Hashable, Any] = field(default_factory=dict)
    results: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    building: dict[Hashable, threading.Lock] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_ENTRIES: weakref.WeakKeyDictionary[nx.Graph, _CacheEntry] = weakref.WeakKeyDictionary()
_ENTRIES_LOCK = threading.Lock()
MAX_CACHED_RESULTS = 64


def _entry(graph: nx.Graph) -> _CacheEntry:
    fingerprint = (graph.number_of_nodes(), graph.graph.get("revision"))
    with _ENTRIES_LOCK:
        entry = _ENTRIES.get(graph)
        if entry is None or entry.fingerprint != fingerprint:
            entry = _CacheEntry(fingerprint)
            _ENTRIES[graph] = entry
        return entry


_PAUSE_LOCK = threading.Lock()
_pauses = 0  # builds running with the collector paused
_resume = False  # whether the collector was on when the first of them started


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the block runs.

    Index builds allocate millions of small objects (word lists, sets, tuples), and every
    burst of allocations starts a collection that walks all live objects, the whole projected
    graph included: at 100,000 instruments that was a quarter of the duplication index's
    build. Builds leave little cyclic garbage, so the collector waits until the last build
    running ends, and resumes only if it was on when the first began.
    """
    global _pauses, _resume
    with _PAUSE_LOCK:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> None:
    """Give the pages of the heap that freed objects left empty back to the operating system.

    Index builds free hundreds of megabytes of small objects (word lists) just before they
    allocate their largest matrices; the C allocator keeps freed memory for reuse, but not
    in a form those matrices can use, so the process would hold both. On other C libraries
    than glibc this does nothing.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _cached(
    entry: _CacheEntry, store: dict[Hashable, Any], key: Hashable, build: Callable[[], T]
) -> T:
    """One build per key at a time; builds of different keys run side by side.

    Indexes depend on one another without cycles (answers on indexes, indexes on tables),
    so a build waiting for another key's build cannot deadlock.
    """
    with entry.lock:
        if key in store:
            return store[key]
        key_lock = entry.building.setdefault(("build", id(store), key), threading.Lock())
    with key_lock:
        with entry.lock:
            if key in store:
                return store[key]
        with collector_paused():
            value = build()
        with entry.lock:
            store[key] = value
            if store is entry.results:
                while len(entry.results) > MAX_CACHED_RESULTS:
                    entry.results.popitem(last=False)
        return value


def graph_index(graph: nx.Graph, key: Hashable, build: Callable[[], T]) -> T:
    """Return the index ``key`` of ``graph``, building it with ``build()`` on first use."""
    entry = _entry(graph)
    return _cached(entry, entry.indexes, key, build)


def remembered(graph: nx.Graph, key: Hashable, build: Callable[[], T]) -> T:
    """Like :func:`graph_index` for query answers: the last few are kept, oldest dropped."""
    entry = _entry(graph)
    with entry.lock:
        if key in entry.results:
            entry.results.move_to_end(key)
            return entry.results[key]
    return _cached(entry, entry.results, key, build)


def clear_cache(graph: nx.Graph) -> None:
    """Forget every index and answer computed for ``graph`` (call after mutating it)."""
    with _ENTRIES_LOCK:
        _ENTRIES.pop(graph, None)


# --------------------------------------------------------------------------- nodes, evidence


def require_node(graph: nx.Graph, entity_id: str) -> dict[str, Any]:
    """The attributes of ``entity_id``; :class:`EntityNotFound` if the graph lacks it."""
    if not isinstance(entity_id, str) or entity_id not in graph:
        raise EntityNotFound(str(entity_id))
    return graph.nodes[entity_id]


def node_name(graph: nx.Graph, node_id: str) -> str:
    """The display name of a node (its id when it has none)."""
    return graph.nodes[node_id].get("name") or node_id


def node_summary(graph: nx.Graph, node_id: str) -> NodeSummary:
    """The short description of a node used in lists, paths and views."""
    data = graph.nodes[node_id]
    return NodeSummary(
        id=node_id,
        label=data.get("label") or "",
        name=data.get("name") or node_id,
        kind=data.get("kind"),
        level=data.get("level"),
        country=data.get("country"),
        territory=data.get("territory"),
    )


def to_evidence(items: Iterable[Mapping[str, Any] | Evidence] | None) -> list[Evidence]:
    """Evidence models from the dicts stored on edges (models are passed through)."""
    return [
        item if isinstance(item, Evidence) else Evidence.model_validate(item)
        for item in (items or ())
    ]


def edge_evidence(
    graph: nx.MultiDiGraph, source: str, target: str, rel_type: str
) -> list[Evidence]:
    """Evidence of the ``rel_type`` edge from ``source`` to ``target`` (empty if absent)."""
    data = graph.get_edge_data(source, target, key=rel_type)
    return to_evidence(data.get("evidence")) if data else []


def merge_evidence(
    groups: Iterable[Iterable[Evidence]], limit: int | None = None
) -> list[Evidence]:
    """Concatenate evidence lists, dropping repeats of the same span, up to ``limit`` entries."""
    out: list[Evidence] = []
    seen: set[tuple[str, int, int, str]] = set()
    for group in groups:
        for item in group:
            if item.key() in seen:
                continue
            seen.add(item.key())
            out.append(item)
            if limit is not None and len(out) >= limit:
                return out
    return out


# --------------------------------------------------------------------------- arguments


def check_level_pair(level_pair: Sequence[str] | None) -> tuple[str, str] | None:
    """Validate a ``(level, level)`` filter; ``ValueError`` names the bad value."""
    if level_pair is None:
        return None
    if isinstance(level_pair, str) or len(level_pair) != 2:
        raise ValueError(f"level_pair must be two levels, got {level_pair!r}")
    for level in level_pair:
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r} in level_pair; expected one of {LEVELS}")
    return (level_pair[0], level_pair[1])


def check_top(top: int, name: str = "top") -> int:
    """Validate a positive result count."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"{name} must be a positive integer, got {top!r}")
    return top


def check_fraction(value: float, name: str) -> float:
    """Validate a threshold in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")
    return float(value)


class PairFilters(Protocol):
    """The filters every pair query takes (overlap, gaps, duplication)."""

    @property
    def min_score(self) -> float: ...
    @property
    def level_pair(self) -> tuple[str, str] | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def theme(self) -> str | None: ...
    @property
    def territory(self) -> str | None: ...


def described_filters(filters: PairFilters) -> dict[str, Any]:
    """The filters of a pair query as a result states them (JSON-friendly)."""
    return {
        "min_score": filters.min_score,
        "level_pair": list(filters.level_pair) if filters.level_pair else None,
        "country": filters.country,
        "theme": filters.theme,
        "territory": filters.territory,
    }


@lru_cache(maxsize=65536)
def facet_key(value: str) -> str:
    """Comparison form of a facet value or filter (themes are matched accent- and case-free)."""
    return normalize_name(value).replace(" ", "_")


# --------------------------------------------------------------------------- relations


def relation_pairs(graph: nx.MultiDiGraph) -> dict[str, list[tuple[str, str]]]:
    """Every edge of the graph as ``(source, target)`` grouped by relationship type."""

    def build() -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for source, target, rel_type in graph.edges(keys=True):
            out.setdefault(rel_type, []).append((source, target))
        for pairs in out.values():
            pairs.sort()
        return out

    return graph_index(graph, "relation_pairs", build)


# --------------------------------------------------------------------------- territories


@dataclass
class TerritoryIndex:
    """Territory ids, names and containment (``PART_OF`` plus the country of a territory).

    Territories named only in an entity's ``territory`` field and not found among the
    Territory nodes become ``place:<normalised name>`` keys; a country without a node becomes
    ``country:<code>``. Both take part in containment like any territory.
    """

    parents: dict[str, set[str]]
    names: dict[str, str]
    by_name: dict[str, str]
    by_country: dict[str, str]
    country_codes: dict[str, str]
    _closures: dict[str, frozenset[str]] = field(default_factory=dict)

    def country_code(self, value: str | None) -> str | None:
        """Canonical comparison key of a country given by code or by name."""
        if not value:
            return None
        key = normalize_name(str(value))
        return self.country_codes.get(key, key) or None

    def country_territory(self, country: str | None) -> str | None:
        """The territory that stands for a whole country."""
        code = self.country_code(country)
        if code is None:
            return None
        return self.by_country.get(code, f"country:{code}")

    def resolve(self, value: str | None, graph: nx.Graph) -> str | None:
        """The territory a node id or a place name refers to."""
        if not value:
            return None
        if value in graph and graph.nodes[value].get("label") == TERRITORY:
            return value
        key = normalize_name(value)
        if not key:
            return None
        return self.by_name.get(key) or self.by_country.get(key) or f"place:{key}"

    def closure(self, territory: str) -> frozenset[str]:
        """The territory and every territory that contains it."""
        cached = self._closures.get(territory)
        if cached is not None:
            return cached
        seen = {territory}
        stack = [territory]
        while stack:
            for parent in self.parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        result = frozenset(seen)
        self._closures[territory] = result
        return result

    def name(self, territory: str) -> str:
        """Display name of a territory key."""
        if territory in self.names:
            return self.names[territory]
        return territory.split(":", 1)[-1]


def within_territory(
    graph: nx.MultiDiGraph, territories: Sequence[frozenset[str]], value: str
) -> np.ndarray:
    """Which rows have a territory inside the one ``value`` names (a node id or a place
    name: itself or any place it contains, through ``PART_OF`` and countries)."""
    index = territory_index(graph)
    target = index.resolve(value, graph)
    if target is not None and target.startswith("place:"):
        code = country_code(value)  # a country the graph has no node for: "México"
        if code is not None:
            target = index.country_territory(code)
    return np.fromiter(
        (any(target in index.closure(t) for t in row) for row in territories),
        dtype=bool,
        count=len(territories),
    )


def territory_names(graph: nx.MultiDiGraph, territories: Iterable[str]) -> list[str]:
    """Display names of territory keys, sorted."""
    index = territory_index(graph)
    return sorted({index.name(t) for t in territories})


def territory_index(graph: nx.MultiDiGraph) -> TerritoryIndex:
    """The territory index of ``graph`` (cached)."""
    return graph_index(graph, "territories", lambda: _build_territory_index(graph))


def _build_territory_index(graph: nx.MultiDiGraph) -> TerritoryIndex:
    territories = sorted(n for n, d in graph.nodes(data=True) if d.get("label") == TERRITORY)
    names: dict[str, str] = {}
    by_name: dict[str, str] = {}
    by_country: dict[str, str] = {}
    country_codes: dict[str, str] = {}
    for tid in territories:
        data = graph.nodes[tid]
        names[tid] = data.get("name") or tid
        for form in (data.get("name"), data.get("acronym"), *(data.get("aliases") or ())):
            if form:
                by_name.setdefault(normalize_name(form), tid)
        if data.get("kind") == "country" and data.get("country"):
            code = normalize_name(data["country"])
            by_country.setdefault(code, tid)
            for form in (data.get("name"), *(data.get("aliases") or ())):
                if form:
                    country_codes.setdefault(normalize_name(form), code)
    parents: dict[str, set[str]] = {}
    for source, target in relation_pairs(graph).get("PART_OF", ()):
        if source in names and target in names:
            parents.setdefault(source, set()).add(target)
    index = TerritoryIndex(parents, names, by_name, by_country, country_codes)
    # A territory with a country and no PART_OF chain up to a country lies in its country.
    for tid in territories:
        data = graph.nodes[tid]
        if data.get("kind") == "country" or not data.get("country"):
            continue
        if not any(
            graph.nodes[t].get("kind") == "country" for t in index.closure(tid) if t in names
        ):
            country = index.country_territory(data["country"])
            if country and country != tid:
                parents.setdefault(tid, set()).add(country)
    index._closures.clear()
    return index


def place_parent(index: TerritoryIndex, place: str, country: str | None) -> str | None:
    """Record that an unresolved place named by an entity lies in that entity's country;
    returns the country's territory when it was recorded."""
    country_territory = index.country_territory(country)
    if place.startswith("place:") and country_territory:
        index.parents.setdefault(place, set()).add(country_territory)
        index._closures.pop(place, None)
        return country_territory
    return None


def restore_place_parents(graph: nx.MultiDiGraph, parents: Mapping[str, Iterable[str]]) -> None:
    """Record again in the territory index of ``graph`` the countries of unresolved places
    a table built elsewhere recorded (:attr:`InstrumentTable.place_parents`)."""
    index = territory_index(graph)
    for place, countries in parents.items():
        index.parents.setdefault(place, set()).update(countries)
        index._closures.pop(place, None)


def territory_overlap(
    covered_a: Iterable[str], covered_b: Iterable[str], index: TerritoryIndex
) -> list[str]:
    """Where two coverages meet: the territories of either side inside (or equal to) one of
    the other side's, containment counting; sorted, empty when disjoint or unknown.

    A regional instrument in the Biobío and a national one in Chile meet in the Biobío.
    """
    set_a, set_b = set(covered_a), set(covered_b)
    meet = {t for t in set_a if index.closure(t) & set_b}
    meet |= {t for t in set_b if index.closure(t) & set_a}
    return sorted(meet)


def territory_overlap_names(
    covered_a: Iterable[str], covered_b: Iterable[str], index: TerritoryIndex
) -> list[str]:
    """The names of the territories where two coverages meet (see :func:`territory_overlap`)."""
    return [index.name(t) for t in territory_overlap(covered_a, covered_b, index)]


def ancestor_matrix(places: Sequence[str], index: TerritoryIndex) -> sp.csr_matrix:
    """``A[t, u] = 1`` when place ``u`` contains or is place ``t`` (both among ``places``)."""
    column = {p: k for k, p in enumerate(places)}
    rows: list[int] = []
    cols: list[int] = []
    for k, place in enumerate(places):
        for parent in index.closure(place):
            if parent in column:
                rows.append(k)
                cols.append(column[parent])
    return sp.csr_matrix(
        (np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(places), len(places)),
    )


def outermost(covered: Iterable[str], index: TerritoryIndex) -> frozenset[str]:
    """The territories of a coverage that no other territory of it contains."""
    items = set(covered)
    return frozenset(t for t in items if not (index.closure(t) - {t}) & items)


# --------------------------------------------------------------------------- instruments


@dataclass
class InstrumentTable:
    """Instruments and programmes of a graph, sorted by id, with their facets.

    ``territories`` are the covered territories: ``COVERS`` targets and the ``territory``
    field; failing both, the territories the responsible institutions operate in; failing
    that, the instrument's country when it is national or its level is unknown.
    """

    ids: list[str]
    position: dict[str, int]
    names: list[str]
    texts: list[str]
    responsible: list[tuple[str, ...]]
    levels: list[frozenset[str]]
    countries: list[frozenset[str]]
    facets: dict[str, list[frozenset[str]]]
    territories: list[frozenset[str]]
    stated_territories: list[frozenset[str]]  # COVERS and the territory field only
    part_of_pairs: set[tuple[int, int]]
    # the country territory each unresolved place was put in (:func:`place_parent`)
    place_parents: dict[str, set[str]] = field(default_factory=dict)


def instrument_table(graph: nx.MultiDiGraph) -> InstrumentTable:
    """The instrument table of ``graph`` (cached)."""
    return graph_index(graph, "instruments", lambda: _build_instrument_table(graph))


def _responsibilities(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Instrument or programme id → institutions responsible, co-responsible or funding it."""
    out: dict[str, set[str]] = {}
    nodes = graph.nodes
    pairs = relation_pairs(graph)
    for rel_type in RESPONSIBILITY_TYPES:
        for source, target in pairs.get(rel_type, ()):
            if nodes[source].get("label") == INSTITUTION:
                out.setdefault(target, set()).add(source)
    return out


def _targets(graph: nx.MultiDiGraph, rel_type: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for source, target in relation_pairs(graph).get(rel_type, ()):
        out.setdefault(source, set()).add(target)
    return out


def _build_instrument_table(graph: nx.MultiDiGraph) -> InstrumentTable:
    nodes = graph.nodes
    index = territory_index(graph)
    ids = sorted(n for n, d in graph.nodes(data=True) if d.get("label") in INSTRUMENT_LABELS)
    position = {node: i for i, node in enumerate(ids)}
    responsible_of = _responsibilities(graph)
    covers = _targets(graph, "COVERS")
    operates = _targets(graph, "OPERATES_IN")
    names: list[str] = []
    texts: list[str] = []
    responsible: list[tuple[str, ...]] = []
    levels: list[frozenset[str]] = []
    countries: list[frozenset[str]] = []
    facets: dict[str, list[frozenset[str]]] = {facet: [] for facet in FACETS}
    territories: list[frozenset[str]] = []
    stated: list[frozenset[str]] = []
    seen: dict[frozenset[str], frozenset[str]] = {}
    placed: dict[str, set[str]] = {}

    def one(values: frozenset[str]) -> frozenset[str]:
        """The first equal set met: rows share a few thousand distinct sets (a level, a
        country, a state), held once instead of once per row."""
        return seen.setdefault(values, values)

    for node in ids:
        data = nodes[node]
        names.append(data.get("name") or node)
        texts.append(
            " ".join(str(data.get(f) or "") for f in ("name", "objective", "description")).strip()
        )
        owners = tuple(sorted(responsible_of.get(node, ())))
        responsible.append(owners)
        own_level = data.get("level")
        levels.append(one(
            frozenset({own_level})
            if own_level
            else frozenset(nodes[o]["level"] for o in owners if nodes[o].get("level"))
        ))
        own_country = index.country_code(data.get("country"))
        countries.append(one(
            frozenset({own_country})
            if own_country
            else frozenset(
                c for c in (index.country_code(nodes[o].get("country")) for o in owners) if c
            )
        ))
        for facet in FACETS:
            facets[facet].append(one(frozenset(facet_key(v) for v in data.get(facet) or () if v)))
        covered = {t for t in covers.get(node, ()) if nodes[t].get("label") == TERRITORY}
        place = index.resolve(data.get("territory"), graph)
        if place:
            parent = place_parent(index, place, data.get("country"))
            if parent is not None:
                placed.setdefault(place, set()).add(parent)
            covered.add(place)
        stated.append(one(frozenset(covered)))
        if not covered:
            covered = {
                t for o in owners for t in operates.get(o, ()) if nodes[t].get("label") == TERRITORY
            }
        if not covered and own_level in (None, "national"):
            for country in countries[-1]:
                covered.add(index.country_territory(country))
        territories.append(one(frozenset(covered)))
    part_of_pairs: set[tuple[int, int]] = set()
    for source, target in relation_pairs(graph).get("PART_OF", ()):
        if source in position and target in position:
            i, j = sorted((position[source], position[target]))
            part_of_pairs.add((i, j))
    # an instrument whose own text names another ("desarrollar el proyecto «X»") is about
    # it: a component or a use of it, not a duplicate (extra["refers_to"], set by extraction)
    for node in ids:
        for target in (nodes[node].get("extra") or {}).get("refers_to", ()):
            if target in position and target != node:
                i, j = sorted((position[node], position[target]))
                part_of_pairs.add((i, j))
    return InstrumentTable(
        ids,
        position,
        names,
        texts,
        responsible,
        levels,
        countries,
        facets,
        territories,
        stated,
        part_of_pairs,
        placed,
    )


# --------------------------------------------------------------------------- institutions


@dataclass
class InstitutionTable:
    """Institutions of a graph, sorted by id, with the profile each inherits.

    An institution's profile gathers the facets of the instruments and programmes it is
    responsible or co-responsible for or funds (counted per instrument) and of its own
    mandate, the territories it operates in or its instruments cover, the levels of its
    instruments and the text of its mandate and of its instruments' names.
    """

    ids: list[str]
    position: dict[str, int]
    names: list[str]
    levels: list[str | None]
    countries: list[str | None]
    instruments: list[tuple[str, ...]]
    facets: dict[str, list[Counter[str]]]
    territories: list[frozenset[str]]
    texts: list[str]


PROFILE_FACETS: tuple[str, ...] = (*FACETS, "levels")


def institution_table(graph: nx.MultiDiGraph) -> InstitutionTable:
    """The institution table of ``graph`` (cached)."""
    return graph_index(graph, "institutions", lambda: _build_institution_table(graph))


def _build_institution_table(graph: nx.MultiDiGraph) -> InstitutionTable:
    nodes = graph.nodes
    index = territory_index(graph)
    instruments = instrument_table(graph)
    ids = sorted(n for n, d in graph.nodes(data=True) if d.get("label") == INSTITUTION)
    position = {node: i for i, node in enumerate(ids)}
    runs: dict[str, set[str]] = {}
    for instrument, owners in zip(instruments.ids, instruments.responsible, strict=True):
        for owner in owners:
            runs.setdefault(owner, set()).add(instrument)
    operates = _targets(graph, "OPERATES_IN")
    table = InstitutionTable(
        ids=ids,
        position=position,
        names=[],
        levels=[],
        countries=[],
        instruments=[],
        facets={facet: [] for facet in PROFILE_FACETS},
        territories=[],
        texts=[],
    )
    for node in ids:
        data = nodes[node]
        own = tuple(sorted(runs.get(node, ())))
        table.names.append(data.get("name") or node)
        table.levels.append(data.get("level"))
        table.countries.append(index.country_code(data.get("country")))
        table.instruments.append(own)
        rows = [instruments.position[i] for i in own]
        for facet in FACETS:
            counts: Counter[str] = Counter(facet_key(v) for v in data.get(facet) or () if v)
            for row in rows:
                counts.update(instruments.facets[facet][row])
            table.facets[facet].append(counts)
        level_counts: Counter[str] = Counter(level for i in own if (level := nodes[i].get("level")))
        table.facets["levels"].append(level_counts)
        covered = {t for t in operates.get(node, ()) if nodes[t].get("label") == TERRITORY}
        place = index.resolve(data.get("territory"), graph)
        if place:
            place_parent(index, place, data.get("country"))
            covered.add(place)
        for row in rows:
            covered.update(instruments.stated_territories[row])
        if not covered and data.get("level") in (None, "national") and table.countries[-1]:
            covered.add(index.country_territory(table.countries[-1]))
        table.territories.append(frozenset(covered))
        mandate = " ".join(str(data.get(f) or "") for f in ("objective", "description"))
        titles = " ".join(instruments.names[row] for row in rows)
        table.texts.append(f"{mandate} {titles}".strip())
    return table


# --------------------------------------------------------------------------- text

# Spanish function words, accent-folded: articles, prepositions, conjunctions, pronouns,
# determiners and the commonest auxiliary forms. Content words (desarrollo, apoyo, mayores)
# are kept: they are what two objectives share.
# fmt: off
STOP_WORDS: frozenset[str] = frozenset({
    "a", "al", "algo", "alguna", "algunas", "alguno", "algunos", "ambas", "ambos", "ante",
    "antes", "aquel", "aquella", "aquellas", "aquello", "aquellos", "asi", "aun", "aunque",
    "bajo", "cada", "casi", "como", "con", "contra", "cual", "cuales", "cualquier", "cuando",
    "de", "del", "desde", "donde", "dos", "durante", "e", "el", "ella", "ellas", "ello", "ellos",
    "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estan",
    "estar", "estas", "este", "esto", "estos", "fue", "fueron", "ha", "haber", "habia", "han",
    "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mediante", "mi",
    "mientras", "mis", "mismo", "misma", "mismos", "mismas", "mucho", "muchos", "muy", "ni", "no",
    "nos", "nuestra", "nuestras", "nuestro", "nuestros", "o", "otra", "otras", "otro", "otros",
    "para", "pero", "poco", "por", "porque", "puede", "pueden", "que", "quien", "quienes", "se",
    "sea", "sean", "segun", "ser", "si", "sin", "sino", "sobre", "son", "su", "sus", "tal",
    "tambien", "tan", "tanto", "te", "tiene", "tienen", "toda", "todas", "todo", "todos", "tras",
    "tu", "tus", "u", "un", "una", "unas", "uno", "unos", "usted", "ustedes", "y", "ya", "yo",
    "cuyo", "cuya", "cuyos", "cuyas", "dicha", "dicho", "dichas", "dichos", "sera", "seran",
    "hacia", "etc", "asimismo"
})
# fmt: on

_WORD = re.compile(r"[a-z0-9]+")
CHAR_NGRAMS: tuple[int, int] = (3, 5)


def fold(text: str) -> str:
    """Accent-folded, case-folded ASCII form of ``text`` (``Educación`` → ``educacion``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning: folded, stop words and single letters out.
    Numbers stay, one digit long too: they tell instruments apart (decreto N° 1, N° 7)."""
    return [
        w for w in _WORD.findall(fold(text))
        if (len(w) > 1 or w.isdigit()) and w not in STOP_WORDS
    ]


# White space that folds to nothing would join the words on either side of it: a text holding
# one is read whole by :func:`texts_content_words` (every other space folds to a separator).
_VANISHING_SPACE = re.compile("[\x85\u1680\u2028\u2029]")


class _TokenWords(dict[str, list[str]]):
    """Content words of each space-separated token, computed on first use."""

    def __missing__(self, token: str) -> list[str]:
        words = self[token] = content_words(token)
        return words


def texts_content_words(texts: Iterable[str]) -> list[list[str]]:
    """:func:`content_words` of each text, folding each distinct token once.

    Folding and matching words never cross a space (a space folds to itself, or to nothing
    only for the characters :data:`_VANISHING_SPACE` names), so the words of a text are the
    words of its tokens in order; inventories repeat the same few thousand tokens.
    """
    tokens = _TokenWords()
    return [
        content_words(text)
        if _VANISHING_SPACE.search(text)
        else [w for token in text.split() for w in tokens[token]]
        for text in texts
    ]


# Prefixes of Greek or Latin origin that carry a field of their own in Spanish policy words: two
# words opening with one share that field (ciberseguridad, ciberdelincuencia; microempresa,
# microcrédito; agroindustria, agropecuario; telemedicina, telesalud). A word yields its prefix
# as a term of its own when at least PREFIX_REST letters follow it (electrónico does not).
# Prefixes that open common words of other meanings (auto-: autoridad, eco-: economía) are not
# listed.
DOMAIN_PREFIXES: tuple[str, ...] = (
    "ciber", "tele", "bio", "agro", "micro", "hidro", "geo", "electro", "socio",
)
PREFIX_REST = 5


def with_prefixes(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each row of words followed by the :data:`DOMAIN_PREFIXES` its words open with, as
    terms of their own (``["ciberseguridad"]`` → ``["ciberseguridad", "ciber"]``). Each
    distinct word is looked at once."""
    opening = {
        word: prefix
        for word in {w for row in rows for w in row}
        for prefix in DOMAIN_PREFIXES
        if len(word) >= len(prefix) + PREFIX_REST and word.startswith(prefix)
    }
    if not opening:
        return [list(row) for row in rows]
    return [[*row, *(opening[w] for w in row if w in opening)] for row in rows]


def char_ngrams(word: str, low: int = CHAR_NGRAMS[0], high: int = CHAR_NGRAMS[1]) -> list[str]:
    """Character n-grams of a word padded with spaces, as ``char_wb`` analysers make them."""
    padded = f" {word} "
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


@dataclass
class TextMatrix:
    """TF-IDF rows of a list of texts over content words and character n-grams.

    Rows are unit vectors (zero for texts without content words), so that a dot product is
    a cosine; the word features get ``word_share`` of each row's squared norm. Columns are
    ordered by decreasing document frequency (ties by first appearance), so that within a
    row the commonest features come first; ``words`` maps word columns to their word.
    """

    matrix: sp.csr_matrix
    words: dict[int, str]
    document_frequency: np.ndarray

    def shared_terms(self, i: int, j: int, limit: int = 8) -> list[str]:
        """Words of rows ``i`` and ``j`` in common, most weighty first."""
        row_i, row_j = self.matrix.getrow(i), self.matrix.getrow(j)
        weights_i = {
            c: v for c, v in zip(row_i.indices, row_i.data, strict=True) if c in self.words
        }
        common = [
            (weights_i[c] * v, self.words[c])
            for c, v in zip(row_j.indices, row_j.data, strict=True)
            if c in weights_i
        ]
        common.sort(key=lambda item: (-item[0], item[1]))
        return [word for _, word in common[:limit]]


def text_matrix(
    texts: Sequence[str], *, char_ngrams_too: bool = True, word_share: float = 0.5
) -> TextMatrix:
    """TF-IDF over content words (and character 3-5-grams within words) of ``texts``.

    Character n-grams are counted per distinct word and summed through the word counts,
    which gives the same counts as analysing every text character by character. Weights
    are those of scikit-learn's ``TfidfTransformer(sublinear_tf=True, smooth_idf=True)``:
    ``(1 + ln tf) * (1 + ln((1 + n) / (1 + df)))``, each block normalised to unit length.
    """
    return words_matrix(
        texts_content_words(texts),
        char_ngrams_too=char_ngrams_too,
        word_share=word_share,
    )


def _codes(items: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each item's code (items numbered by first appearance) and the distinct items in code
    order; both loops run inside the dictionary, not in Python."""
    distinct = list(dict.fromkeys(items))
    code = {item: k for k, item in enumerate(distinct)}
    return np.fromiter(map(code.__getitem__, items), np.int64, len(items)), distinct


def coded_words(rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """The words of all rows as codes (numbered by first appearance), each row's offsets
    into them, and the vocabulary (word → code)."""
    lengths = np.fromiter(map(len, rows), np.int64, len(rows))
    codes, distinct = _codes(list(chain.from_iterable(rows)))
    vocabulary = {word: k for k, word in enumerate(distinct)}
    return codes, np.concatenate(([0], np.cumsum(lengths))), vocabulary


def _spelling_matrix(words: list[str]) -> sp.csr_matrix:
    """``S[w, w] = 1`` and ``S[w, n + g]`` = how often word ``w`` holds character n-gram ``g``
    (n-grams numbered by first appearance over the words in order)."""
    n_words = len(words)
    grams_of = [char_ngrams(word) for word in words]
    lengths = np.fromiter(map(len, grams_of), np.int64, n_words)
    codes, grams = _codes(list(chain.from_iterable(grams_of)))
    del grams_of
    rows = np.concatenate((np.arange(n_words), np.repeat(np.arange(n_words), lengths)))
    cols = np.concatenate((np.arange(n_words), n_words + codes))
    return sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(n_words, n_words + len(grams))
    )  # repeated n-grams of a word add up


def _sort_rows(matrix: sp.csr_matrix) -> None:
    """Sort the column indices of each row in place, block by block: a block goes to
    column-major order and back, two counting sorts instead of one comparison sort per row."""
    indptr = matrix.indptr
    for first, last in row_blocks(indptr):
        low, high = indptr[first], indptr[last]
        block = sp.csr_matrix(
            (matrix.data[low:high], matrix.indices[low:high], indptr[first : last + 1] - low),
            shape=(last - first, matrix.shape[1]),
        )
        ordered = block.tocsc().tocsr()
        matrix.data[low:high] = ordered.data
        matrix.indices[low:high] = ordered.indices
    matrix.has_sorted_indices = True


def words_matrix(
    rows: Sequence[Sequence[str]],
    *,
    char_ngrams_too: bool = True,
    word_share: float = 0.5,
    idf_power: float = 1.0,
) -> TextMatrix:
    """:func:`text_matrix` of texts already split into their content words.

    ``idf_power`` raises the inverse document frequency: at 2 a term that few texts share
    weighs more steeply against one that most of them use than at 1.
    """
    indices, indptr, vocabulary = coded_words(rows)
    n_docs, n_words = len(rows), len(vocabulary)
    del rows  # lists made for the call go here, before the matrices (50 MB at 100,000 texts)
    counts = sp.csr_matrix(
        (np.ones(len(indices)), indices.astype(np.int32), indptr), shape=(n_docs, n_words)
    )
    del indices
    words = list(vocabulary)
    if n_words == 0:
        return TextMatrix(sp.csr_matrix((n_docs, 0)), {}, np.zeros(0, dtype=np.int64))
    if char_ngrams_too:
        # One product gives both blocks: each word counts for itself and for its n-grams.
        counts = sp.csr_matrix(counts @ _spelling_matrix(words))  # no repeated entries
    else:
        counts.sum_duplicates()
    matrix = _sublinear_tfidf(
        counts, n_words, word_share if char_ngrams_too else 1.0, idf_power
    )
    frequency = column_counts(matrix)
    order = np.argsort(-frequency, kind="stable")  # new column k holds old column order[k]
    new_column = np.empty_like(order)
    new_column[order] = np.arange(len(order))
    new_column = new_column.astype(matrix.indices.dtype)
    for first, last in row_blocks(matrix.indptr):
        low, high = matrix.indptr[first], matrix.indptr[last]
        matrix.indices[low:high] = new_column[matrix.indices[low:high]]
    _sort_rows(matrix)
    word_columns = {int(new_column[c]): word for c, word in enumerate(words)}
    return TextMatrix(matrix, word_columns, frequency[order])


_ROW_BLOCK_ENTRIES = 2_000_000  # entries per block of in-place work (keeps temporaries small)


def column_counts(matrix: sp.csr_matrix) -> np.ndarray:
    """Entries per column, counted block by block (one count over all the indices would
    copy them into a 64-bit array as large as the matrix)."""
    out = np.zeros(matrix.shape[1], dtype=np.int64)
    for first, last in row_blocks(matrix.indptr):
        out += np.bincount(
            matrix.indices[matrix.indptr[first] : matrix.indptr[last]], minlength=matrix.shape[1]
        )
    return out


def row_blocks(indptr: np.ndarray, entries: int = _ROW_BLOCK_ENTRIES) -> list[tuple[int, int]]:
    """Consecutive row ranges of a CSR matrix holding about ``entries`` entries each."""
    blocks: list[tuple[int, int]] = []
    n_rows = len(indptr) - 1
    start = 0
    while start < n_rows:
        stop = int(np.searchsorted(indptr, indptr[start] + entries, side="right")) - 1
        stop = min(max(stop, start + 1), n_rows)
        blocks.append((start, stop))
        start = stop
    return blocks


def _sublinear_tfidf(
    counts: sp.csr_matrix, n_words: int, word_share: float, idf_power: float = 1.0
) -> sp.csr_matrix:
    """Weight counts in place; columns below ``n_words`` and the rest are normalised apart."""
    n_docs = counts.shape[0]
    frequency = column_counts(counts)
    idf = (1.0 + np.log((1.0 + n_docs) / (1.0 + frequency))) ** idf_power
    word_weight, rest_weight = math.sqrt(word_share), math.sqrt(1.0 - word_share)
    indptr = counts.indptr
    for first, last in row_blocks(indptr):
        low, high = indptr[first], indptr[last]
        data = counts.data[low:high]
        columns = counts.indices[low:high]
        np.log(data, out=data)
        data += 1.0
        data *= idf[columns]
        row_of = np.repeat(np.arange(last - first), np.diff(indptr[first : last + 1]))
        is_word = columns < n_words
        squares = data * data
        word_norm = np.sqrt(np.bincount(row_of, squares * is_word, minlength=last - first))
        rest_norm = np.sqrt(np.bincount(row_of, squares * ~is_word, minlength=last - first))
        word_scale = word_weight / np.where(word_norm > 0, word_norm, 1.0)
        rest_scale = rest_weight / np.where(rest_norm > 0, rest_norm, 1.0)
        data *= np.where(is_word, word_scale[row_of], rest_scale[row_of])
    return counts


PAIR_CHUNK = 2048  # row pairs per step of :func:`rowwise_dot` (small blocks stay in cache)


def rowwise_dot(matrix: sp.csr_matrix, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Dot products of the row pairs ``(rows_a[k], rows_b[k])`` of a sparse matrix."""
    out = np.zeros(len(rows_a), dtype=np.float64)
    for start in range(0, len(rows_a), PAIR_CHUNK):
        stop = start + PAIR_CHUNK
        product = matrix[rows_a[start:stop]].multiply(matrix[rows_b[start:stop]])
        out[start : start + len(product.indptr) - 1] = np.asarray(product.sum(axis=1)).ravel()
    return out


def binary_matrix(
    sets: Sequence[Collection[str]], values: Sequence[str] | None = None
) -> tuple[sp.csr_matrix, list[str]]:
    """Rows of 0/1 indicators for a list of sets, and the column values.

    The columns are ``values`` when given (items outside them are ignored), else the sorted
    union of the sets.
    """
    present = set().union(*sets) if sets else set()
    columns = list(values) if values is not None else sorted(present)
    lookup = dict.fromkeys(present, -1)  # items outside the columns
    lookup.update((v, i) for i, v in enumerate(columns))
    lengths = np.fromiter(map(len, sets), np.int64, len(sets))
    codes = np.fromiter(
        map(lookup.__getitem__, chain.from_iterable(sets)), np.int64, int(lengths.sum())
    )
    keep = codes >= 0
    kept = np.bincount(np.repeat(np.arange(len(sets)), lengths)[keep], minlength=len(sets))
    matrix = sp.csr_matrix(
        (np.ones(int(keep.sum())), codes[keep], np.concatenate(([0], np.cumsum(kept)))),
        shape=(len(sets), len(columns)),
    )
    matrix.sort_indices()
    return matrix, columns


# --------------------------------------------------------------------------- entity evidence

EVIDENCE_ORDER: tuple[str, ...] = (
    "RESPONSIBLE_FOR",
    "CO_RESPONSIBLE_FOR",
    "FUNDS",
    "COVERS",
    "OPERATES_IN",
    "PART_OF",
    "PARTICIPATES_IN",
    "COORDINATES_WITH",
    "OVERLAPS_WITH",
    "AT_LEVEL",
    "AFFILIATED_WITH",
)


def entity_evidence(
    graph: nx.MultiDiGraph,
    node: str,
    *,
    types: Iterable[str] | None = None,
    limit: int = 10,
) -> list[Evidence]:
    """Evidence of the relations of ``node`` (of ``types``, all by default), up to ``limit``.

    Relations are visited in :data:`EVIDENCE_ORDER` of their type, then by counterpart id,
    so that the same graph always yields the same evidence.
    """
    wanted = set(types) if types is not None else None
    found: list[tuple[int, str, str, list[Any]]] = []
    rank = {t: i for i, t in enumerate(EVIDENCE_ORDER)}
    for edges in (
        graph.out_edges(node, keys=True, data="evidence"),
        graph.in_edges(node, keys=True, data="evidence"),
    ):
        for source, target, rel_type, evidence in edges:
            if evidence and (wanted is None or rel_type in wanted):
                other = target if source == node else source
                found.append((rank.get(rel_type, len(rank)), rel_type, other, evidence))
    found.sort(key=lambda item: item[:3])
    return merge_evidence((to_evidence(item[3]) for item in found), limit=limit)
