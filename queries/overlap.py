"""Overlap: institutions whose competences overlap, especially across governance levels.

Each institution has a profile (see :class:`queries.profiles.InstitutionTable`): the
themes, target groups and support types of the instruments it runs and of its mandate,
the levels of those instruments, the territories it works in, and the text of its mandate
and instrument names. The overlap of two institutions is a weighted sum (:data:`WEIGHTS`)
of

- ``themes``, ``target_groups``, ``support_types``, ``levels``: cosine similarity of the
  facet profiles, each value weighted ``1 + ln(count)`` by how many instruments carry it;
- ``territory``: the larger of the two shares of one side's territories that lie within
  (or equal) the other side's, containment counting through ``PART_OF``;
- ``text``: cosine of TF-IDF vectors of the mandate and instrument-name text.

A document's explicit statement that two institutions overlap (``OVERLAPS_WITH``) is the
document's word: such a pair scores ``EXPLICIT_BASE + (1 - EXPLICIT_BASE) * computed``,
so it ranks among the strongest, and it carries the statement's evidence. A statement about
a collective actor ("los gobiernos regionales") holds for each of its members that the same
document names (:mod:`queries.collectives`); otherwise collective actors and regional units
of the same kind are compared like any institution.

Scores of every pair are computed once per graph (a dense matrix up to
:data:`DENSE_LIMIT` institutions, else each institution's :data:`NEIGHBOURS_KEPT` best
pairs) and kept in the graph's cache, so repeated queries with other filters are fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.model import Evidence
from graph.vocab import RESPONSIBILITY_TYPES
from queries.collectives import member_statements
from queries.profiles import (
    FACETS,
    PROFILE_FACETS,
    InstitutionTable,
    TextMatrix,
    ancestor_matrix,
    binary_matrix,
    check_fraction,
    check_level_pair,
    check_top,
    described_filters,
    edge_evidence,
    facet_key,
    graph_index,
    institution_table,
    instrument_table,
    merge_evidence,
    outermost,
    relation_pairs,
    remembered,
    rowwise_dot,
    territory_index,
    territory_names,
    territory_overlap_names,
    text_matrix,
    within_territory,
)
from queries.results import OverlapPair, OverlapResult

WEIGHTS: dict[str, float] = {
    "themes": 0.25,
    "target_groups": 0.2,
    "territory": 0.15,
    "support_types": 0.1,
    "levels": 0.1,
    "text": 0.2,
}
EXPLICIT_BASE = 0.5
DENSE_LIMIT = 6000
NEIGHBOURS_KEPT = 200
DECIMALS = 6
EVIDENCE_PER_PAIR = 8
_BLOCK_ROWS = 512
_ROUNDING = 1e-5  # float32 scores are ranked after rounding to DECIMALS


# --------------------------------------------------------------------------- index


@dataclass
class OverlapIndex:
    """Profile matrices of the institutions and the scores of their pairs."""

    table: InstitutionTable
    facets: dict[str, sp.csr_matrix]  # rows of unit length
    text: TextMatrix
    under: sp.csr_matrix  # [i, u]: how many of i's territories lie in (or are) place u
    outer: sp.csr_matrix  # [i, u]: u is one of i's territories that no other of them contains
    covered_count: np.ndarray
    explicit: dict[tuple[int, int], list[tuple[str, str]]]  # pair → OVERLAPS_WITH edges
    scores: np.ndarray | None = None  # dense, symmetric, float32, explicit boost applied
    neighbours: sp.csr_matrix | None = None  # the kept best pairs when not dense
    _territory_meet: np.ndarray | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        """Number of institutions."""
        return len(self.table.ids)

    @property
    def exact(self) -> bool:
        """Whether every pair's score is kept (else only each row's best ones)."""
        return self.scores is not None

    def territory_meet(self) -> np.ndarray:
        """Dense boolean matrix: both territories known and meeting (containment counts)."""
        if self._territory_meet is None:
            meet = (self.under @ self.outer.T) + (self.outer @ self.under.T)
            self._territory_meet = np.asarray(meet.toarray() > 0)
        return self._territory_meet


def overlap_index(graph: nx.MultiDiGraph) -> OverlapIndex:
    """The overlap index of ``graph``, pair scores included (cached per graph)."""
    return graph_index(graph, "overlap", lambda: _build_index(graph))


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)
    return sp.csr_matrix(sp.diags(scale) @ matrix)


def _build_index(graph: nx.MultiDiGraph) -> OverlapIndex:
    table = institution_table(graph)
    territories = territory_index(graph)
    facets: dict[str, sp.csr_matrix] = {}
    for facet in PROFILE_FACETS:
        counts = table.facets[facet]
        weights, values = binary_matrix([set(c) for c in counts])
        for row, counter in enumerate(counts):
            for k in range(weights.indptr[row], weights.indptr[row + 1]):
                weights.data[k] = 1.0 + np.log(counter[values[weights.indices[k]]])
        facets[facet] = _unit_rows(weights)
    closures = [
        frozenset().union(*(territories.closure(t) for t in row)) for row in table.territories
    ]
    places = sorted(frozenset().union(*closures)) if closures else []
    covered, _ = binary_matrix(table.territories, places)
    outer, _ = binary_matrix([outermost(row, territories) for row in table.territories], places)
    under = sp.csr_matrix(covered @ ancestor_matrix(places, territories))
    explicit = _explicit_pairs(graph, table)
    index = OverlapIndex(
        table=table,
        facets=facets,
        text=text_matrix(table.texts, char_ngrams_too=False),
        under=under,
        outer=outer,
        covered_count=np.diff(covered.indptr).astype(np.float64),
        explicit=explicit,
    )
    _score_all(index)
    return index


def _explicit_pairs(
    graph: nx.MultiDiGraph, table: InstitutionTable
) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """Pairs of rows a document says overlap, with the ``OVERLAPS_WITH`` edges that say so;
    a statement about a collective actor counts for its members the same document names
    (:mod:`queries.collectives`)."""
    explicit: dict[tuple[int, int], list[tuple[str, str]]] = {}

    def add(first: str, second: str, edge: tuple[str, str]) -> None:
        if first in table.position and second in table.position and first != second:
            i, j = sorted((table.position[first], table.position[second]))
            if edge not in explicit.setdefault((i, j), []):
                explicit[(i, j)].append(edge)

    stated = relation_pairs(graph).get("OVERLAPS_WITH", [])
    for source, target in stated:
        add(source, target, (source, target))
    for member, other, source, target in member_statements(
        graph, stated, "OVERLAPS_WITH", table.ids
    ):
        add(member, other, (source, target))
    return explicit


# --------------------------------------------------------------------------- scoring


def _block_components(index: OverlapIndex, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Components of every pair of ``rows`` × all institutions (dense)."""
    out: dict[str, np.ndarray] = {}
    for facet in PROFILE_FACETS:
        matrix = index.facets[facet]
        out[facet] = (matrix[rows] @ matrix.T).toarray()
    out["text"] = (index.text.matrix[rows] @ index.text.matrix.T).toarray()
    out["territory"] = _territory_share(
        (index.under[rows] @ index.outer.T).toarray(),
        (index.outer[rows] @ index.under.T).toarray(),
        index.covered_count[rows][:, None],
        index.covered_count[None, :],
    )
    return out


def _territory_share(
    inside_other: np.ndarray,
    other_inside: np.ndarray,
    own_count: np.ndarray,
    other_count: np.ndarray,
) -> np.ndarray:
    """max(share of own territories inside the other's, share of the other's inside own).

    A territory inside two nested territories of the other side counts once: the other
    side's coverage is reduced to its outermost territories; shares are capped at 1.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        forward = np.where(own_count > 0, inside_other / np.where(own_count > 0, own_count, 1), 0)
        backward = np.where(
            other_count > 0, other_inside / np.where(other_count > 0, other_count, 1), 0
        )
    return np.minimum(np.maximum(forward, backward), 1.0)


def pair_components(
    index: OverlapIndex, rows_a: np.ndarray, rows_b: np.ndarray
) -> dict[str, np.ndarray]:
    """Components of the institution pairs ``(rows_a[k], rows_b[k])``."""
    out = {facet: rowwise_dot(index.facets[facet], rows_a, rows_b) for facet in PROFILE_FACETS}
    out["text"] = rowwise_dot(index.text.matrix, rows_a, rows_b)
    out["territory"] = _territory_share(
        _cross_dot(index.under, index.outer, rows_a, rows_b),
        _cross_dot(index.outer, index.under, rows_a, rows_b),
        index.covered_count[rows_a],
        index.covered_count[rows_b],
    )
    return out


def _cross_dot(
    left: sp.csr_matrix, right: sp.csr_matrix, rows_a: np.ndarray, rows_b: np.ndarray
) -> np.ndarray:
    if not len(rows_a):
        return np.zeros(0)
    return np.asarray(left[rows_a].multiply(right[rows_b]).sum(axis=1)).ravel()


def _combine(components: dict[str, np.ndarray]) -> np.ndarray:
    total = np.zeros_like(components["text"], dtype=np.float64)
    for name, weight in WEIGHTS.items():
        total = total + weight * components[name]
    return np.clip(total, 0.0, 1.0)


def _boost(score: np.ndarray | float) -> np.ndarray | float:
    return EXPLICIT_BASE + (1.0 - EXPLICIT_BASE) * score


def _score_all(index: OverlapIndex) -> None:
    n = index.size
    if n == 0:
        index.scores = np.zeros((0, 0), dtype=np.float32)
        return
    dense = n <= DENSE_LIMIT
    scores = np.zeros((n, n), dtype=np.float32) if dense else None
    kept_rows: list[np.ndarray] = []
    kept_cols: list[np.ndarray] = []
    kept_values: list[np.ndarray] = []
    for start in range(0, n, _BLOCK_ROWS):
        rows = np.arange(start, min(start + _BLOCK_ROWS, n))
        block = _combine(_block_components(index, rows))
        block[np.arange(len(rows)), rows] = 0.0
        if scores is not None:
            scores[rows] = block
            continue
        keep = min(NEIGHBOURS_KEPT, n - 1)
        best = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
        kept_rows.append(np.repeat(rows, keep))
        kept_cols.append(best.ravel())
        kept_values.append(block[np.arange(len(rows))[:, None], best].ravel())
    if scores is not None:
        for i, j in index.explicit:
            scores[i, j] = scores[j, i] = _boost(float(scores[i, j]))
        index.scores = scores
        return
    rows_all = np.concatenate(kept_rows)
    cols_all = np.concatenate(kept_cols)
    values = np.concatenate(kept_values)
    for i, j in index.explicit:
        pair = pair_components(index, np.array([i]), np.array([j]))
        value = float(_boost(_combine(pair)[0]))
        rows_all = np.concatenate((rows_all, [i, j]))
        cols_all = np.concatenate((cols_all, [j, i]))
        values = np.concatenate((values, [value, value]))
    matrix = sp.coo_matrix((values, (rows_all, cols_all)), shape=(n, n)).tocsr()
    matrix.sum_duplicates()
    index.neighbours = matrix.maximum(matrix.T).tocsr()


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class OverlapFilters:
    """Filters shared by overlap and gap queries."""

    min_score: float = 0.0
    level_pair: tuple[str, str] | None = None
    country: str | None = None
    theme: str | None = None
    territory: str | None = None


def _selected(index: OverlapIndex, filters: OverlapFilters, graph: nx.MultiDiGraph) -> np.ndarray:
    """Which institutions the country and theme filters keep."""
    table = index.table
    keep = np.ones(index.size, dtype=bool)
    if filters.country is not None:
        code = territory_index(graph).country_code(filters.country)
        keep &= np.array([c == code for c in table.countries], dtype=bool)
    if filters.theme is not None:
        theme = facet_key(filters.theme)
        keep &= np.array([theme in counts for counts in table.facets["themes"]], dtype=bool)
    if filters.territory is not None:
        keep &= within_territory(graph, table.territories, filters.territory)
    return keep


def ranked_pairs(
    graph: nx.MultiDiGraph,
    filters: OverlapFilters,
    top: int,
    exclude: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``top`` best institution pairs (rows ``a < b`` of the institution table).

    Pairs scoring 0 or under ``filters.min_score`` are left out, and so are the pairs
    ``exclude`` marks True (a dense boolean matrix). Ties are broken by ids.
    """
    index = overlap_index(graph)
    keep = _selected(index, filters, graph)
    levels = np.array([lv or "" for lv in index.table.levels], dtype=object)
    if filters.level_pair is None:
        rows = cols = np.flatnonzero(keep)
    else:
        rows = np.flatnonzero(keep & (levels == filters.level_pair[0]))
        cols = np.flatnonzero(keep & (levels == filters.level_pair[1]))
    floor = max(filters.min_score, 1e-12)
    one_set = filters.level_pair is None or filters.level_pair[0] == filters.level_pair[1]
    if index.scores is not None:
        block = index.scores[np.ix_(rows, cols)]
        usable = block >= np.float32(floor - _ROUNDING)
        if exclude is not None:
            usable &= ~exclude[np.ix_(rows, cols)]
        if one_set:
            usable &= rows[:, None] < cols[None, :]
        values = np.where(usable, block, np.float32(-1.0)).ravel()
        if np.count_nonzero(usable) > top:
            # Keep every pair that could round to the top-th value or above.
            kth = np.partition(values, len(values) - top)[len(values) - top]
            usable &= block >= kth - np.float32(_ROUNDING)
        ii, jj = np.nonzero(usable)
        a, b, values = rows[ii], cols[jj], block[ii, jj].astype(np.float64)
    else:
        sub = index.neighbours[rows][:, cols].tocoo()
        a, b, values = rows[sub.row], cols[sub.col], sub.data.astype(np.float64)
        allowed = (a < b) if one_set else (a != b)
        if exclude is not None:
            allowed &= ~exclude[a, b]
        a, b, values = a[allowed], b[allowed], values[allowed]
    values = np.round(values, DECIMALS)
    first, second = np.minimum(a, b), np.maximum(a, b)
    valid = values >= floor
    a, b, values = first[valid], second[valid], values[valid]
    order = np.lexsort((b, a, -values))[:top]
    return a[order], b[order], values[order]


# --------------------------------------------------------------------------- entry point


def find_overlaps(
    graph: nx.MultiDiGraph,
    *,
    top: int = 50,
    min_score: float = 0.0,
    level_pair: tuple[str, str] | None = None,
    country: str | None = None,
    theme: str | None = None,
    territory: str | None = None,
) -> OverlapResult:
    """Rank pairs of institutions by the overlap of their competences.

    ``level_pair`` keeps pairs with one institution at each level; ``country`` keeps
    institutions of that country (code or name); ``theme`` keeps institutions whose
    profile has that theme; ``territory`` keeps institutions acting in that territory (a
    place inside it counts). Every pair lists what it shares and carries evidence.
    """
    top = check_top(top)
    filters = OverlapFilters(
        check_fraction(min_score, "min_score"), check_level_pair(level_pair), country, theme,
        territory,
    )
    result = remembered(graph, ("overlaps", top, filters), lambda: _find(graph, top, filters))
    return result.model_copy(deep=True)


def _find(graph: nx.MultiDiGraph, top: int, filters: OverlapFilters) -> OverlapResult:
    index = overlap_index(graph)
    a, b, scores = ranked_pairs(graph, filters, top)
    return OverlapResult(
        pairs=describe_pairs(graph, a, b, scores),
        institutions=index.size,
        exact=index.exact,
        weights=dict(WEIGHTS),
        filters=described_filters(filters),
    )


def describe_pairs(
    graph: nx.MultiDiGraph, a: np.ndarray, b: np.ndarray, scores: np.ndarray
) -> list[OverlapPair]:
    """Overlap pairs with breakdown, shared values and evidence for rows ``a``, ``b``."""
    if not len(a):
        return []
    index = overlap_index(graph)
    table = index.table
    territories = territory_index(graph)
    components = pair_components(index, a, b)
    pairs: list[OverlapPair] = []
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        explicit_edges = index.explicit.get((i, j), [])
        shared = {
            facet: sorted(set(table.facets[facet][i]) & set(table.facets[facet][j]))
            for facet in PROFILE_FACETS
        }
        shared["territories"] = territory_overlap_names(
            table.territories[i], table.territories[j], territories
        )
        breakdown = {name: round(float(components[name][k]), DECIMALS) for name in WEIGHTS}
        breakdown["explicit"] = 1.0 if explicit_edges else 0.0
        pairs.append(
            OverlapPair(
                a=table.ids[i],
                b=table.ids[j],
                name_a=table.names[i],
                name_b=table.names[j],
                level_a=table.levels[i],
                level_b=table.levels[j],
                score=float(scores[k]),
                breakdown=breakdown,
                shared=shared,
                explicit=bool(explicit_edges),
                evidence=_pair_evidence(graph, index, i, j, shared, explicit_edges),
                territories_a=territory_names(graph, table.territories[i]),
                territories_b=territory_names(graph, table.territories[j]),
            )
        )
    return pairs


def _pair_evidence(
    graph: nx.MultiDiGraph,
    index: OverlapIndex,
    i: int,
    j: int,
    shared: dict[str, list[str]],
    explicit_edges: list[tuple[str, str]],
) -> list[Evidence]:
    """The explicit statement first, then the responsibilities behind shared facets."""
    groups: list[list[Evidence]] = [
        edge_evidence(graph, source, target, "OVERLAPS_WITH") for source, target in explicit_edges
    ]
    instruments = instrument_table(graph)
    wanted = {facet: set(shared[facet]) for facet in FACETS}
    for row in (i, j):
        owner = index.table.ids[row]
        found = 0
        for instrument in index.table.instruments[row]:
            position = instruments.position[instrument]
            if not any(instruments.facets[f][position] & wanted[f] for f in FACETS):
                continue
            for rel_type in sorted(RESPONSIBILITY_TYPES):
                groups.append(edge_evidence(graph, owner, instrument, rel_type))
            found += 1
            if found >= EVIDENCE_PER_PAIR // 4:
                break
    return merge_evidence(groups, limit=EVIDENCE_PER_PAIR)
