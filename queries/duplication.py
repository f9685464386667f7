"""Duplication: instruments and programmes that do the same thing for the same people.

The score of two instruments is a weighted sum (weights in :data:`WEIGHTS`) of

- ``text``: cosine of TF-IDF vectors of name + objective + description, over content words
  (Spanish stop words out, accents folded) and character 3-5-grams within words;
- ``target_groups``, ``support_types``, ``themes``: cosine similarity of the facet sets,
  each value weighted by its inverse frequency among the instruments compared (sharing a
  rare theme, "cybersecurity", says more than sharing "digital transformation" in a
  digital agenda);
- ``territory``: 1 when the covered territories meet, containment counting (a regional
  instrument lies inside the country of a national one), else 0;

A component that is unknown for either instrument (no target group recorded, no territory
covered) is left out and the other weights are scaled up: missing data is not evidence of
difference. The score is ``sum(w * value over known components) / sum(w over known)``, scaled
by :data:`ELSEWHERE_FACTOR` when both territories are known and apart; it never exceeds the
fixed-weight bound ``w_text * text + (1 - w_text)`` the sparse search uses.
- ``different_institutions``: 1 when both have responsible institutions and share none,
  0 when they share one, 0.5 when either has none recorded.

Pairs where one is part of the other (``PART_OF``) are never candidates.

Candidates come from one of two generators that rank the same way:

- ``brute``: every pair is scored, by blocks of rows;
- ``sparse``: only pairs whose text cosine can reach a threshold ``t`` are scored. They are
  found by prefix filtering: each row is split into its frequent features, whose largest
  possible contribution to any cosine is below ``t``, and its rarer features, and only rows
  sharing one of the latter are compared. A pair never scored has text cosine below ``t``,
  hence a score below ``w_text * t + (1 - w_text)``; when that bound does not exceed the
  last score of the list, the list is exactly the brute-force list. Otherwise ``t`` is
  lowered to the value the list needs and the search repeats; under
  :data:`SPARSE_FLOOR` the search stops and the result says it is not proven exact.

Ties are broken by ids, scores are rounded to :data:`DECIMALS` places before ranking, so
both generators and repeated runs return the same list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.stores.base import VERDICTS_ATTRIBUTE, PairVerdict
from graph.vocab import INSTITUTION_CHOICES, VERDICT_CHOICES, Institutions, VerdictFilter
from queries.boilerplate import distinctive_words
from queries.clusters import find_clusters
from queries.gao import classify
from queries.profiles import (
    FACETS,
    PAIR_CHUNK,
    InstrumentTable,
    TextMatrix,
    binary_matrix,
    check_fraction,
    check_level_pair,
    check_top,
    described_filters,
    entity_evidence,
    facet_key,
    graph_index,
    instrument_table,
    release_freed_memory,
    remembered,
    restore_place_parents,
    row_blocks,
    rowwise_dot,
    territory_index,
    territory_names,
    territory_overlap_names,
    texts_content_words,
    with_prefixes,
    within_territory,
    words_matrix,
)
from queries.results import DuplicatePair, DuplicationResult
from queries.saved_indexes import (
    csr_arrays,
    csr_from,
    from_json_array,
    json_array,
    saved_or_built,
    table_arrays,
    table_from,
    text_arrays,
    text_from,
)

WEIGHTS: dict[str, float] = {
    "text": 0.5,
    "target_groups": 0.15,
    "support_types": 0.1,
    "themes": 0.1,
    "territory": 0.1,
    "different_institutions": 0.05,
}
# Two instruments whose territories are both known and do not meet serve other people: their
# score is scaled by this factor (a state's employment programme is not another state's twin).
ELSEWHERE_FACTOR = 0.5
# The IDF of the text is squared: a term few instruments share says more than one most of
# them use (measurements in README.md, "Duplication").
TEXT_IDF_POWER = 2.0
BRUTE_LIMIT = 3000  # "auto" scores every pair up to this many instruments
BRUTE_FALLBACK_LIMIT = 10_000  # "auto" falls back to brute force when sparse is not proven
SPARSE_START = 0.97  # first text threshold of the sparse search
SPARSE_FLOOR = 0.3  # lowest text threshold the sparse search goes to
SPARSE_STEP = 0.1  # how far the threshold drops when too few pairs were found
DECIMALS = 6
EVIDENCE_PER_INSTRUMENT = 10
_EPS = 1e-9
_SLACK = 1e-5  # margin of bounds computed in single precision
_BLOCK_ROWS = 256
_LAZY_BATCH = 4096
_PROBE_ROWS = 2048

Method = Literal["auto", "brute", "sparse"]


# --------------------------------------------------------------------------- index


@dataclass
class DuplicationIndex:
    """Matrices over the instrument table that the scoring reads."""

    table: InstrumentTable
    text: TextMatrix
    facets: dict[str, sp.csr_matrix]
    facet_sizes: dict[str, np.ndarray]
    covered: sp.csr_matrix
    closure: sp.csr_matrix
    owners: sp.csr_matrix
    has_owner: np.ndarray
    has_territory: np.ndarray
    level_masks: dict[str, np.ndarray]
    excluded: np.ndarray  # sorted codes i * n + j of PART_OF pairs (i < j)
    reviewed: dict[int, PairVerdict] = field(default_factory=dict)  # verdicts by code i * n + j

    # per facet, "owners" and "territories": a code per row, equal for rows whose row of that
    # matrix is equal (they hold the same set)
    kinds: dict[str, np.ndarray] = field(default_factory=dict)
    # the text bounds of every row (:func:`_text_totals`): built and saved with the index
    text_totals: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    pool: CandidatePool | None = None  # the widest candidate pool over all instruments
    search_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def size(self) -> int:
        """Number of instruments and programmes."""
        return len(self.table.ids)


def duplication_index(graph: nx.MultiDiGraph) -> DuplicationIndex:
    """The duplication index of ``graph`` (cached per graph; read from the folder beside
    the store when saved there for this content, else built and saved there:
    :mod:`queries.saved_indexes`)."""
    return graph_index(graph, "duplication", lambda: saved_or_built(
        graph, "duplication", lambda: _build_index(graph), _index_arrays,
        lambda arrays: _index_from(graph, arrays),
    ))


_MATRICES = ("covered", "closure", "owners")
_TOTALS = ("text.max_weight", "text.weighted_total", "text.square_total")


def _index_arrays(index: DuplicationIndex) -> dict[str, np.ndarray]:
    """The index as arrays (the reviewers' verdicts are read from the graph again)."""
    levels = sorted(index.level_masks)
    out = {
        **table_arrays(index.table),
        **text_arrays("text", index.text),
        "has_owner": index.has_owner,
        "has_territory": index.has_territory,
        "excluded": index.excluded,
        "level_names": json_array(levels),
        "level_masks": np.array([index.level_masks[level] for level in levels], dtype=bool)
        .reshape(len(levels), index.size),
    }
    for facet in FACETS:
        out.update(csr_arrays(f"facet:{facet}", index.facets[facet]))
        out[f"facet_size:{facet}"] = index.facet_sizes[facet]
    for name in _MATRICES:
        out.update(csr_arrays(name, getattr(index, name)))
    if index.text_totals is not None:
        out.update(zip(_TOTALS, index.text_totals, strict=True))
    out.update({f"kind:{name}": kinds for name, kinds in index.kinds.items()})
    return out


def _index_from(graph: nx.MultiDiGraph, arrays: dict[str, np.ndarray]) -> DuplicationIndex:
    """The index :func:`_index_arrays` saved, on ``graph``: the instrument table becomes the
    graph's (unless it has one) and the places it resolved are placed again."""
    saved = table_from(arrays)
    if any(node not in graph for node in saved.ids):
        raise ValueError("the saved instruments are not those of the graph")
    restore_place_parents(graph, saved.place_parents)
    table = graph_index(graph, "instruments", lambda: saved)
    levels = from_json_array(arrays["level_names"])
    return DuplicationIndex(
        table=table,
        text=text_from(arrays, "text"),
        facets={facet: csr_from(arrays, f"facet:{facet}") for facet in FACETS},
        facet_sizes={facet: arrays[f"facet_size:{facet}"] for facet in FACETS},
        covered=csr_from(arrays, "covered"),
        closure=csr_from(arrays, "closure"),
        owners=csr_from(arrays, "owners"),
        has_owner=arrays["has_owner"],
        has_territory=arrays["has_territory"],
        level_masks=dict(zip(levels, arrays["level_masks"], strict=True)),
        excluded=arrays["excluded"],
        reviewed=_reviewed_codes(graph, table.ids),
        text_totals=tuple(arrays[name] for name in _TOTALS) if _TOTALS[0] in arrays else None,
        kinds={key.split(":", 1)[1]: arrays[key] for key in arrays if key.startswith("kind:")},
    )


def _build_index(graph: nx.MultiDiGraph) -> DuplicationIndex:
    table = instrument_table(graph)
    territories = territory_index(graph)
    n = len(table.ids)
    facets: dict[str, sp.csr_matrix] = {}
    sizes: dict[str, np.ndarray] = {}
    for facet in FACETS:
        matrix, _ = binary_matrix(table.facets[facet])
        sizes[facet] = np.diff(matrix.indptr).astype(np.float64)
        facets[facet] = _idf_unit_rows(matrix)
    closures = [
        frozenset().union(*(territories.closure(t) for t in row)) for row in table.territories
    ]
    places = sorted(frozenset().union(*closures)) if closures else []
    covered, _ = binary_matrix(table.territories, places)
    closure, _ = binary_matrix(closures, places)
    owners, _ = binary_matrix(table.responsible)
    level_masks = {
        level: np.array([level in levels for levels in table.levels], dtype=bool)
        for level in {lv for levels in table.levels for lv in levels}
    }
    excluded = np.array(sorted(i * n + j for i, j in table.part_of_pairs), dtype=np.int64)
    text = words_matrix(_distinctive_words(table), idf_power=TEXT_IDF_POWER)
    return DuplicationIndex(
        table=table,
        text=text,
        facets=facets,
        facet_sizes=sizes,
        covered=covered,
        closure=closure,
        owners=owners,
        has_owner=np.diff(owners.indptr) > 0,
        has_territory=np.diff(covered.indptr) > 0,
        level_masks=level_masks,
        excluded=excluded,
        reviewed=_reviewed_codes(graph, table.ids),
        text_totals=_text_totals(text.matrix),
        kinds=_kinds(table),
    )


def _kinds(table: InstrumentTable) -> dict[str, np.ndarray]:
    """The kinds of the rows of the facet, owner and territory matrices (rows holding the
    same set are equal rows)."""
    columns: dict[str, Sequence[Hashable]] = {
        **table.facets, "owners": table.responsible, "territories": table.territories
    }
    out = {}
    for name, rows in columns.items():
        position: dict[Hashable, int] = {}
        out[name] = np.fromiter(
            (position.setdefault(row, len(position)) for row in rows), np.int32, len(rows)
        )
    return out


def _reviewed_codes(graph: nx.MultiDiGraph, ids: list[str]) -> dict[int, PairVerdict]:
    """The verdicts the store's view carries, by pair code, for pairs of listed instruments."""
    row = {node: i for i, node in enumerate(ids)}
    out: dict[int, PairVerdict] = {}
    for verdict in graph.graph.get(VERDICTS_ATTRIBUTE, {}).values():
        i, j = row.get(verdict.a), row.get(verdict.b)
        if i is not None and j is not None:
            out[min(i, j) * len(ids) + max(i, j)] = verdict
    return out


def _distinctive_words(table: InstrumentTable) -> list[list[str]]:
    """The content words of each instrument's name, objective and description without the
    boilerplate its place shares with other programmes (:mod:`queries.boilerplate`), and the
    prefixes of field they open with (:func:`queries.profiles.with_prefixes`); the name is
    always kept."""
    rests = texts_content_words(
        text[len(name):] if text.startswith(name) else text
        for name, text in zip(table.names, table.texts, strict=True)
    )
    names = texts_content_words(table.names)
    stripped, _ = distinctive_words(rests, table.stated_territories, names)
    del rests
    words = with_prefixes([name + rest for name, rest in zip(names, stripped, strict=True)])
    del names, stripped
    release_freed_memory()  # what the boilerplate step freed, before the text matrix is made
    return words


# --------------------------------------------------------------------------- scoring


def _idf_unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """0/1 facet rows weighted by smoothed inverse document frequency, scaled to unit length,
    so that a row product is the IDF-weighted cosine of two facet sets."""
    n = matrix.shape[0]
    df = np.asarray(matrix.sum(axis=0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    weighted = sp.csr_matrix(matrix.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(weighted.multiply(1.0 / norms[:, None]))


def _known_key(name: str) -> str:
    return f"known:{name}"


def _weighted(components: dict[str, np.ndarray], text: np.ndarray) -> np.ndarray:
    """Weighted mean over the components known for each pair (text always is)."""
    total = WEIGHTS["text"] * text
    weight = np.full_like(total, WEIGHTS["text"], dtype=np.float64)
    for name, w in WEIGHTS.items():
        if name == "text":
            continue
        known = components.get(_known_key(name))
        known = np.ones_like(total) if known is None else known
        total = total + w * known * components[name]
        weight = weight + w * known
    score = total / weight
    placed = components.get(_known_key("territory"))
    if placed is not None:
        # both places known and apart: the same programme elsewhere, not a duplicate here
        apart = placed * (1.0 - components["territory"])
        score = score * (1.0 - (1.0 - ELSEWHERE_FACTOR) * apart)
    return score


def _combine(components: dict[str, np.ndarray]) -> np.ndarray:
    return np.round(_weighted(components, components["text"]), DECIMALS)


def _institution_component(shared: np.ndarray, known: np.ndarray) -> np.ndarray:
    return np.where(known, np.where(shared > 0, 0.0, 1.0), 0.5)


def facet_components(
    index: DuplicationIndex, rows_a: np.ndarray, rows_b: np.ndarray
) -> dict[str, np.ndarray]:
    """Score components other than text of the pairs ``(rows_a[k], rows_b[k])``."""
    out: dict[str, np.ndarray] = {}
    for facet in FACETS:
        sizes = index.facet_sizes[facet]
        out[facet] = np.minimum(
            _by_kind(index.kinds.get(facet), rowwise_dot, index.facets[facet], rows_a, rows_b),
            1.0,
        )
        out[_known_key(facet)] = ((sizes[rows_a] > 0) & (sizes[rows_b] > 0)).astype(np.float64)
    meet = _by_kind(
        index.kinds.get("territories"), lambda _, a, b: _rowwise_dot_cross(
            index.covered, index.closure, a, b
        ), index.covered, rows_a, rows_b,
    )
    out["territory"] = (meet > 0).astype(np.float64)
    placed = index.has_territory
    out[_known_key("territory")] = (placed[rows_a] & placed[rows_b]).astype(np.float64)
    shared_owner = _by_kind(index.kinds.get("owners"), rowwise_dot, index.owners, rows_a, rows_b)
    known = index.has_owner[rows_a] & index.has_owner[rows_b]
    out["different_institutions"] = _institution_component(shared_owner, known)
    return out


_KIND_MIN_PAIRS = 4096  # pairs from which grouping them by kind pays


def _by_kind(
    kinds: np.ndarray | None,
    dot: Callable[[sp.csr_matrix, np.ndarray, np.ndarray], np.ndarray],
    matrix: sp.csr_matrix,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
) -> np.ndarray:
    """``dot(matrix, rows_a, rows_b)``, computed once per distinct pair of kinds.

    Rows of one kind (:attr:`DuplicationIndex.kinds`) are equal rows: the value of a pair
    of kinds is that of any pair of rows of those kinds, to the last bit. Candidate pairs
    fall into far fewer pairs of kinds (a few thousand facet sets, agencies, coverages).
    """
    if kinds is None or len(rows_a) < _KIND_MIN_PAIRS:
        return dot(matrix, rows_a, rows_b)
    codes = kinds[rows_a].astype(np.int64) * (int(kinds.max()) + 1) + kinds[rows_b]
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    return dot(matrix, rows_a[first], rows_b[first])[inverse.ravel()]


def pair_components(
    index: DuplicationIndex, rows_a: np.ndarray, rows_b: np.ndarray
) -> dict[str, np.ndarray]:
    """Score components of the instrument pairs ``(rows_a[k], rows_b[k])``."""
    return {
        "text": rowwise_dot(index.text.matrix, rows_a, rows_b),
        **facet_components(index, rows_a, rows_b),
    }


def _rowwise_dot_cross(
    covered: sp.csr_matrix, closure: sp.csr_matrix, rows_a: np.ndarray, rows_b: np.ndarray
) -> np.ndarray:
    """Covered territories of one side inside the closure of the other, both ways."""
    out = np.zeros(len(rows_a), dtype=np.float64)
    for start in range(0, len(rows_a), PAIR_CHUNK):
        a, b = rows_a[start : start + PAIR_CHUNK], rows_b[start : start + PAIR_CHUNK]
        forward = covered[a].multiply(closure[b]).sum(axis=1)
        backward = closure[a].multiply(covered[b]).sum(axis=1)
        out[start : start + len(a)] = np.asarray(forward + backward).ravel()
    return out


def _block_components(
    index: DuplicationIndex, rows: np.ndarray, cols: np.ndarray, cols_t: dict[str, sp.csr_matrix]
) -> dict[str, np.ndarray]:
    """Score components of every pair of ``rows`` × ``cols`` (dense blocks)."""

    def product(name: str, matrix: sp.csr_matrix) -> np.ndarray:
        return np.asarray((matrix[rows] @ cols_t[name]).toarray(), dtype=np.float64)

    out = {"text": product("text", index.text.matrix)}
    for facet in FACETS:
        sizes = index.facet_sizes[facet]
        out[facet] = np.minimum(product(facet, index.facets[facet]), 1.0)
        out[_known_key(facet)] = (
            (sizes[rows][:, None] > 0) & (sizes[cols][None, :] > 0)
        ).astype(np.float64)
    meet = product("closure", index.covered) + product("covered", index.closure)
    out["territory"] = (meet > 0).astype(np.float64)
    placed = index.has_territory
    out[_known_key("territory")] = (placed[rows][:, None] & placed[cols][None, :]).astype(
        np.float64
    )
    shared_owner = product("owners", index.owners)
    known = index.has_owner[rows][:, None] & index.has_owner[cols][None, :]
    out["different_institutions"] = _institution_component(shared_owner, known)
    return out


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class _Filters:
    min_score: float
    level_pair: tuple[str, str] | None
    country: str | None
    theme: str | None
    institutions: Institutions = "any"
    territory: str | None = None
    verdict: VerdictFilter = "any"


def _candidate_rows(
    index: DuplicationIndex, filters: _Filters, graph: nx.MultiDiGraph
) -> np.ndarray:
    table = index.table
    keep = np.ones(index.size, dtype=bool)
    if filters.country is not None:
        code = territory_index(graph).country_code(filters.country)
        keep &= np.array([code in countries for countries in table.countries], dtype=bool)
    if filters.theme is not None:
        theme = facet_key(filters.theme)
        keep &= np.array([theme in themes for themes in table.facets["themes"]], dtype=bool)
    if filters.level_pair is not None:
        first, second = filters.level_pair
        empty = np.zeros(index.size, dtype=bool)
        keep &= index.level_masks.get(first, empty) | index.level_masks.get(second, empty)
    if filters.territory is not None:
        keep &= within_territory(graph, table.territories, filters.territory)
    return np.flatnonzero(keep)


def _pair_mask(
    index: DuplicationIndex, a: np.ndarray, b: np.ndarray, filters: _Filters
) -> np.ndarray:
    """Which pairs ``(a[k], b[k])`` (global rows, a < b) the filters allow."""
    ok = np.ones(a.shape, dtype=bool)
    if filters.level_pair is not None:
        empty = np.zeros(index.size, dtype=bool)
        first = index.level_masks.get(filters.level_pair[0], empty)
        second = index.level_masks.get(filters.level_pair[1], empty)
        ok &= (first[a] & second[b]) | (second[a] & first[b])
    if index.excluded.size:
        codes = a.astype(np.int64) * index.size + b
        ok &= ~np.isin(codes, index.excluded)
    if filters.institutions != "any":
        same = rowwise_dot(index.owners, a, b) > 0
        ok &= same if filters.institutions == "same" else ~same
    if filters.verdict == "unreviewed" and index.reviewed:
        codes = a.astype(np.int64) * index.size + b
        ok &= ~np.isin(codes, np.fromiter(index.reviewed, dtype=np.int64))
    return ok


# --------------------------------------------------------------------------- ranking


def _best(a: np.ndarray, b: np.ndarray, s: np.ndarray, top: int) -> tuple[np.ndarray, ...]:
    """The ``top`` best pairs by score, ties broken by (a, b); keeps all pairs if fewer."""
    if len(s) > top:
        kth = np.partition(s, len(s) - top)[len(s) - top]
        keep = s >= kth
        a, b, s = a[keep], b[keep], s[keep]
    order = np.lexsort((b, a, -s))[:top]
    return a[order], b[order], s[order]


def _brute(
    index: DuplicationIndex, rows: np.ndarray, top: int, filters: _Filters
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score every pair of ``rows``; return the best ``top`` as global rows and scores."""
    matrices = {
        "text": index.text.matrix,
        "owners": index.owners,
        "closure": index.closure,
        "covered": index.covered,
        **index.facets,
    }
    cols_t = {name: sp.csr_matrix(m[rows].T) for name, m in matrices.items()}
    found: list[tuple[np.ndarray, ...]] = []
    local = np.arange(len(rows))
    for start in range(0, len(rows), _BLOCK_ROWS):
        block = rows[start : start + _BLOCK_ROWS]
        scores = _combine(_block_components(index, block, rows, cols_t))
        upper = local[None, :] > (start + np.arange(len(block)))[:, None]
        ii, jj = np.nonzero(upper & (scores >= filters.min_score))
        a, b = block[ii], rows[jj]
        s = scores[ii, jj]
        ok = _pair_mask(index, a, b, filters)
        found.append(_best(a[ok], b[ok], s[ok], top))
        if len(found) > 8:
            found = [_best(*(np.concatenate(parts) for parts in zip(*found, strict=True)), top)]
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return _best(*(np.concatenate(parts) for parts in zip(*found, strict=True)), top)


def _judged(
    index: DuplicationIndex, rows: np.ndarray, top: int, filters: _Filters
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best ``top`` pairs of ``rows`` that reviewers gave the verdict of the filter."""
    codes = np.array(sorted(code for code, v in index.reviewed.items()
                            if v.verdict == filters.verdict), dtype=np.int64)
    a, b = codes // index.size, codes % index.size
    keep = np.isin(a, rows) & np.isin(b, rows)
    a, b = a[keep], b[keep]
    keep = _pair_mask(index, a, b, filters)
    a, b = a[keep], b[keep]
    s = _combine(pair_components(index, a, b)) if len(a) else np.zeros(0)
    keep = s >= filters.min_score
    return _best(a[keep], b[keep], s[keep], top)


@dataclass
class _Compared:
    """The text rows a sparse search compares, with what every round of it reuses: the
    largest weight of each feature and, per row, the totals of ``x_f * max_f`` and ``x_f²``."""

    rows: np.ndarray
    text: sp.csr_matrix
    max_weight: np.ndarray
    weighted_total: np.ndarray
    square_total: np.ndarray


def _compared(index: DuplicationIndex, rows: np.ndarray, whole: bool) -> _Compared:
    if whole:
        if index.text_totals is None:
            index.text_totals = _text_totals(index.text.matrix)
        return _Compared(rows, index.text.matrix, *index.text_totals)
    text = index.text.matrix[rows]
    return _Compared(rows, text, *_text_totals(text))


def _text_totals(text: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The largest weight of each feature and, per row, the totals of ``x_f * max_f`` and
    ``x_f²`` (what the prefix filter bounds cosines with)."""
    max_weight = _column_max(text)
    weighted = np.zeros(text.shape[0])
    squares = np.zeros(text.shape[0])
    indptr = text.indptr
    for first, last in row_blocks(indptr):
        low, high = indptr[first], indptr[last]
        values = text.data[low:high]
        row_of = np.repeat(np.arange(last - first), np.diff(indptr[first : last + 1]))
        weighted[first:last] = np.bincount(
            row_of, values * max_weight[text.indices[low:high]], minlength=last - first
        )
        squares[first:last] = np.bincount(row_of, values * values, minlength=last - first)
    return max_weight, weighted, squares


_TAIL = 16  # entries per row the probe split looks at first, from the end


def _split(
    compared: _Compared,
    threshold: float,
    rows: np.ndarray,
    take: np.ndarray,
    entry: np.ndarray | slice,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the frequent prefix of each of ``rows`` ends, from its last ``take`` entries
    (``entry``: their positions, row after row, in order, or the slice they fill).

    The bound of an entry is its row's total less the entries after it. Returns, per row,
    whether the split was found among those entries (some of them frequent, or the whole
    row read), the number of frequent entries and the bound of the last one (0 if none).
    """
    text = compared.text
    offsets = np.concatenate(([0], np.cumsum(take)))
    seg = np.repeat(np.arange(len(rows)), take)
    values = text.data[entry]

    def total_before(x: np.ndarray, totals: np.ndarray) -> np.ndarray:
        running = np.cumsum(x)
        after = np.concatenate(([0.0], running))[offsets[1:]][seg] - running
        return totals[rows][seg] - after

    weighted = total_before(
        values * compared.max_weight[text.indices[entry]], compared.weighted_total
    )
    squares = total_before(values * values, compared.square_total)
    bound = np.minimum(weighted, np.sqrt(np.maximum(squares, 0.0)))
    frequent = bound < threshold - _EPS
    count = np.bincount(seg[frequent], minlength=len(rows))
    lengths = np.diff(text.indptr)[rows]
    last = np.maximum(offsets[:-1] + count - 1, 0)
    last_bound = np.where(count > 0, bound[last] if len(bound) else 0.0, 0.0)
    return (count > 0) | (take == lengths), lengths - take + count, last_bound


def _probe_matrix(compared: _Compared, threshold: float) -> tuple[sp.csr_matrix, np.ndarray]:
    """Split each row into frequent features (bounded below ``threshold``) and probes.

    Columns are ordered commonest first (see :class:`TextMatrix`), so a row's frequent
    part is a prefix of its entries: the longest one whose largest possible contribution to
    a cosine with any row (``min(sum x_f * max_f, norm)``, ``max_f`` the largest weight of
    feature ``f`` in any row) stays below the threshold. Returns the probe part of every
    row (single precision) and, per row, that bound for its frequent part.

    Probes are usually a few entries at the end of each row: the last :data:`_TAIL` entries
    of every row are read first, and whole rows, block by block, only for the rows whose
    split lies further back (low thresholds).
    """
    text = compared.text
    n = text.shape[0]
    indptr = text.indptr
    lengths = np.diff(indptr)
    frequent_count = np.zeros(n, dtype=np.int64)
    suffix_bound = np.zeros(n)
    todo, tail = np.arange(n), _TAIL
    while len(todo):
        take = np.minimum(lengths[todo], tail)
        starts = np.concatenate(([0], np.cumsum(take)))
        if tail > _TAIL and 4 * starts[-1] > text.nnz:
            break  # reading most of the rows: whole blocks in order cost less
        entry = np.arange(starts[-1]) - np.repeat(starts[:-1] - (indptr[todo + 1] - take), take)
        done, count, last_bound = _split(compared, threshold, todo, take, entry)
        frequent_count[todo[done]], suffix_bound[todo[done]] = count[done], last_bound[done]
        todo, tail = todo[~done], tail * 4
    pending = np.zeros(n, dtype=bool)
    pending[todo] = True
    for first, last in row_blocks(indptr) if len(todo) else ():
        wanted = pending[first:last]
        if wanted.any():
            block = np.arange(first, last)
            _, count, last_bound = _split(
                compared, threshold, block, lengths[first:last],
                slice(indptr[first], indptr[last]),
            )
            frequent_count[block[wanted]] = count[wanted]
            suffix_bound[block[wanted]] = last_bound[wanted]
    kept = lengths - frequent_count
    probe_indptr = np.concatenate(([0], np.cumsum(kept)))
    entry = np.arange(probe_indptr[-1]) - np.repeat(probe_indptr[:-1] - (indptr[1:] - kept), kept)
    probe = sp.csr_matrix(
        (text.data[entry].astype(np.float32), text.indices[entry], probe_indptr),
        shape=text.shape,
    )
    return probe, suffix_bound


def _transposed_single(text: sp.csr_matrix, columns: np.ndarray) -> sp.csr_matrix:
    """The matrix transposed (features × rows) in single precision, holding only the
    features ``columns`` marks (the rows of the others stay empty): a product with rows that
    use no other feature is the same, and the commonest features, which fill most of the
    matrix, are in no probe."""
    indptr = text.indptr
    kept_per_row = np.zeros(text.shape[0], dtype=np.int64)
    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    for first, last in row_blocks(indptr):
        low, high = indptr[first], indptr[last]
        keep = columns[text.indices[low:high]]
        row_of = np.repeat(np.arange(last - first), np.diff(indptr[first : last + 1]))
        kept_per_row[first:last] = np.bincount(row_of[keep], minlength=last - first)
        data.append(text.data[low:high][keep].astype(np.float32))
        indices.append(text.indices[low:high][keep])
    single = sp.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0, dtype=np.float32),
            np.concatenate(indices) if indices else np.zeros(0, dtype=text.indices.dtype),
            np.concatenate(([0], np.cumsum(kept_per_row))),
        ),
        text.shape,
    )
    del data, indices
    return single.T.tocsr()


def _column_max(text: sp.csr_matrix) -> np.ndarray:
    """Largest value of each column (0 for empty ones) as the single-precision copy holds it,
    nudged up, as float64: a single-precision maximum can be a hair under the true one."""
    out = np.zeros(text.shape[1], dtype=np.float32)
    for first, last in row_blocks(text.indptr):
        low, high = text.indptr[first], text.indptr[last]
        np.maximum.at(out, text.indices[low:high], text.data[low:high].astype(np.float32))
    return out.astype(np.float64) * (1 + 1e-6)


def _text_candidates(
    compared: _Compared, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i < j) of rows whose cosine may reach ``threshold``, with a ceiling.

    With ``P`` the probe part and ``S`` the frequent part of each row, a pair reaching the
    threshold has ``P_i·X_j > 0`` and ``P_j·X_i > 0``; its cosine is at most
    ``P_i·X_j + bound_i``, ``P_j·X_i + bound_j`` and ``P_i·X_j + P_j·X_i + min(bound_i,
    bound_j)`` (the last because ``S_i·S_j`` is below both bounds). Pairs failing any of
    these are dropped; the smallest of the three is returned as the pair's ceiling. The
    partial products use a single-precision copy of the matrix (half the memory) reduced to
    the features some probe holds; bounds get :data:`_SLACK` for its rounding, which only
    keeps a few more pairs.
    """
    text = compared.text
    probe, bound = _probe_matrix(compared, threshold)
    in_probe = np.zeros(text.shape[1], dtype=bool)
    in_probe[probe.indices] = True
    transposed = _transposed_single(text, in_probe)
    low = threshold - _SLACK
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, text.shape[0], _PROBE_ROWS):
        # rows and columns in 32 bits, products in single precision as computed: half the
        # memory of the pairs held until they are matched
        partial = sp.coo_matrix(probe[start : start + _PROBE_ROWS] @ transposed)
        i = partial.row.astype(np.int32) + np.int32(start)
        j = partial.col.astype(np.int32)
        keep = (i != j) & (partial.data.astype(np.float64) + bound[i] >= low)
        found.append((i[keep], j[keep], partial.data[keep]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    i, j, q = (np.concatenate(parts) for parts in zip(*found, strict=True))
    del found
    n = text.shape[0]
    code = np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j)
    del j
    order = np.lexsort((i, code))
    code, q = code[order], q[order]
    del i, order
    both = np.flatnonzero(code[1:] == code[:-1])  # seen from both rows: i < j, then j > i
    a, b = code[both] // n, code[both] % n
    # sorted by i within a code: row a's probe comes first
    q_ab, q_ba = q[both].astype(np.float64), q[both + 1].astype(np.float64)
    ceiling = np.minimum(
        np.minimum(q_ab + bound[a], q_ba + bound[b]), q_ab + q_ba + np.minimum(bound[a], bound[b])
    )
    keep = ceiling >= low
    return a[keep], b[keep], ceiling[keep]


@dataclass
class CandidatePool:
    """Pairs whose text cosine may reach ``threshold``, with score bounds and scores.

    ``upper`` bounds each pair's score (text ceiling plus the exact other components);
    ``scores`` holds exact scores once computed (NaN before). A pool built over all
    instruments holds every pair of any subset that can reach its threshold, so later
    queries with filters start from it.
    """

    threshold: float
    a: np.ndarray
    b: np.ndarray
    upper: np.ndarray
    order: np.ndarray  # by decreasing bound, ties by ids
    others: dict[str, np.ndarray]
    scores: np.ndarray


def _pool(index: DuplicationIndex, compared: _Compared, threshold: float) -> CandidatePool:
    rows = compared.rows
    local_a, local_b, ceiling = _text_candidates(compared, threshold)
    a, b = rows[local_a], rows[local_b]
    others = facet_components(index, a, b)
    upper = _weighted(others, np.minimum(ceiling + _SLACK, 1.0 + _SLACK))
    return CandidatePool(
        threshold=threshold,
        a=a,
        b=b,
        upper=upper,
        order=np.lexsort((b, a, -upper)),
        others=others,
        scores=np.full(len(a), np.nan),
    )


def _best_in_pool(
    index: DuplicationIndex, pool: CandidatePool, allowed: np.ndarray, top: int, min_score: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best ``top`` allowed pairs of the pool, computing text cosines only where needed.

    Pairs are taken in decreasing order of their bound until the bound falls below the last
    score kept (or ``min_score``); scores computed on the way stay in the pool.
    """
    order = pool.order[allowed[pool.order]]
    best: tuple[np.ndarray, ...] = (pool.a[:0], pool.b[:0], np.zeros(0))
    start, batch = 0, _LAZY_BATCH
    while start < len(order):
        head = pool.upper[order[start]]
        if head < min_score - 1e-6 or (len(best[2]) >= top and head < best[2][-1] - 1e-6):
            break
        chosen = order[start : start + batch]
        missing = chosen[np.isnan(pool.scores[chosen])]
        if len(missing):
            components = {name: values[missing] for name, values in pool.others.items()}
            components["text"] = rowwise_dot(index.text.matrix, pool.a[missing], pool.b[missing])
            pool.scores[missing] = _combine(components)
        scores = pool.scores[chosen]
        keep = scores >= min_score
        best = _best(
            np.concatenate((best[0], pool.a[chosen][keep])),
            np.concatenate((best[1], pool.b[chosen][keep])),
            np.concatenate((best[2], scores[keep])),
            top,
        )
        start += batch
        batch *= 2
    return best


def _sparse(
    index: DuplicationIndex, rows: np.ndarray, top: int, filters: _Filters
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Score the pairs of ``rows`` the prefix filter finds; return the best and exactness."""
    whole = len(rows) == index.size
    in_rows = np.zeros(index.size, dtype=bool)
    in_rows[rows] = True
    rest = 1.0 - WEIGHTS["text"]

    def needed(score: float) -> float:
        """Text threshold under which no pair can reach ``score``."""
        return (score - 1e-6 - rest) / WEIGHTS["text"]

    def search(pool: CandidatePool) -> tuple[tuple[np.ndarray, ...], float]:
        allowed = in_rows[pool.a] & in_rows[pool.b] & _pair_mask(index, pool.a, pool.b, filters)
        best = _best_in_pool(index, pool, allowed, top, filters.min_score)
        if len(best[2]) >= top:
            # A pool whose candidates mostly score low says little about the pairs under its
            # threshold: go down by steps rather than straight to the last score's need.
            return best, max(needed(float(best[2][-1])), pool.threshold - SPARSE_STEP)
        if filters.min_score > 0:
            return best, needed(filters.min_score)
        return best, pool.threshold - SPARSE_STEP

    threshold = SPARSE_START
    tried: set[float] = set()
    if index.pool is not None:
        best, target = search(index.pool)
        if index.pool.threshold <= target:
            return (*best, True)
        tried.add(index.pool.threshold)
        threshold = max(min(target, index.pool.threshold - _EPS), SPARSE_FLOOR)
    compared: _Compared | None = None
    while True:
        tried.add(threshold)
        compared = compared or _compared(index, rows, whole)
        pool = _pool(index, compared, threshold)
        if whole and (index.pool is None or pool.threshold < index.pool.threshold):
            index.pool = pool
        best, target = search(pool)
        if threshold <= target:
            return (*best, True)
        if threshold <= SPARSE_FLOOR:
            return (*best, False)
        threshold = max(target, SPARSE_FLOOR)
        if threshold in tried:
            return (*best, False)


# --------------------------------------------------------------------------- entry point


def find_duplicates(
    graph: nx.MultiDiGraph,
    *,
    top: int = 50,
    min_score: float = 0.0,
    level_pair: tuple[str, str] | None = None,
    country: str | None = None,
    theme: str | None = None,
    institutions: Institutions = "any",
    method: Method = "auto",
    territory: str | None = None,
    verdict: VerdictFilter = "any",
) -> DuplicationResult:
    """Rank pairs of instruments and programmes by how much they duplicate each other.

    ``level_pair`` keeps pairs with one side at each level (``("national", "regional")``);
    ``country`` keeps instruments of that country (code or name); ``theme`` keeps
    instruments with that theme; ``territory`` keeps instruments located in that territory
    (a node id or a place name; a place inside it counts). ``institutions="different"``
    keeps pairs that share no responsible institution (duplication across agencies),
    ``"same"`` only those that do (variants inside one agency). ``verdict`` keeps the pairs
    reviewers have not judged (``"unreviewed"``) or those judged ``"duplicate"`` or
    ``"not_duplicate"``; every listed pair carries its verdict and note. ``method`` chooses the
    candidate generator (see the module docstring); ``"auto"`` is brute force up to
    :data:`BRUTE_LIMIT` instruments, sparse above, and brute force again when the sparse
    list cannot be proven exact and there are at most :data:`BRUTE_FALLBACK_LIMIT`
    instruments.
    """
    top = check_top(top)
    min_score = check_fraction(min_score, "min_score")
    pair = check_level_pair(level_pair)
    if method not in ("auto", "brute", "sparse"):
        raise ValueError(f"method must be 'auto', 'brute' or 'sparse', got {method!r}")
    if institutions not in INSTITUTION_CHOICES:
        raise ValueError(
            f"institutions must be one of {', '.join(INSTITUTION_CHOICES)}, got {institutions!r}"
        )
    if verdict not in VERDICT_CHOICES:
        raise ValueError(f"verdict must be one of {', '.join(VERDICT_CHOICES)}, got {verdict!r}")
    filters = _Filters(min_score, pair, country, theme, institutions, territory, verdict)
    key = ("duplicates", top, filters, method)
    result = remembered(graph, key, lambda: _find(graph, top, filters, method))
    return result.model_copy(deep=True)


def _find(graph: nx.MultiDiGraph, top: int, filters: _Filters, method: Method) -> DuplicationResult:
    index = duplication_index(graph)
    rows = _candidate_rows(index, filters, graph)
    chosen = method if method != "auto" else ("brute" if len(rows) <= BRUTE_LIMIT else "sparse")
    exact = True
    if filters.verdict in ("duplicate", "not_duplicate"):
        a, b, s = _judged(index, rows, top, filters)
    elif chosen == "brute":
        a, b, s = _brute(index, rows, top, filters)
    else:
        with index.search_lock:  # sparse searches share and extend the candidate pool
            a, b, s, exact = _sparse(index, rows, top, filters)
        if not exact and method == "auto" and len(rows) <= BRUTE_FALLBACK_LIMIT:
            chosen, exact = "brute", True
            a, b, s = _brute(index, rows, top, filters)
    pairs = _describe(graph, index, a, b, s)
    return DuplicationResult(
        pairs=pairs,
        clusters=find_clusters(pairs),
        method=chosen,
        exact=exact,
        candidates=len(rows),
        weights=dict(WEIGHTS),
        filters={**described_filters(filters), "institutions": filters.institutions,
                 "verdict": filters.verdict},
    )


def _describe(
    graph: nx.MultiDiGraph, index: DuplicationIndex, a: np.ndarray, b: np.ndarray, s: np.ndarray
) -> list[DuplicatePair]:
    if not len(a):
        return []
    table = index.table
    territories = territory_index(graph)
    components = pair_components(index, a, b)
    pairs: list[DuplicatePair] = []
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        judged = index.reviewed.get(min(i, j) * index.size + max(i, j))
        owners_a, owners_b = table.responsible[i], table.responsible[j]
        levels_a, levels_b = table.levels[i], table.levels[j]
        shared = {
            facet: sorted(table.facets[facet][i] & table.facets[facet][j]) for facet in FACETS
        }
        shared["territories"] = territory_overlap_names(
            table.territories[i], table.territories[j], territories
        )
        shared["institutions"] = sorted(set(owners_a) & set(owners_b))
        shared["terms"] = index.text.shared_terms(i, j)
        category, criteria = classify(
            {name: float(values[k]) for name, values in components.items()},
            same_body=bool(shared["institutions"]),
        )
        pairs.append(
            DuplicatePair(
                category=category,
                criteria=criteria,
                a=table.ids[i],
                b=table.ids[j],
                name_a=table.names[i],
                name_b=table.names[j],
                score=float(s[k]),
                breakdown={name: round(float(components[name][k]), DECIMALS) for name in WEIGHTS},
                cross_level=bool(levels_a and levels_b and levels_a != levels_b),
                same_institution=bool(shared["institutions"]),
                levels_a=sorted(levels_a),
                levels_b=sorted(levels_b),
                shared=shared,
                responsible_a=list(owners_a),
                responsible_b=list(owners_b),
                territories_a=territory_names(graph, table.territories[i]),
                territories_b=territory_names(graph, table.territories[j]),
                evidence_a=entity_evidence(graph, table.ids[i], limit=EVIDENCE_PER_INSTRUMENT),
                evidence_b=entity_evidence(graph, table.ids[j], limit=EVIDENCE_PER_INSTRUMENT),
                verdict=judged.verdict if judged else None,
                verdict_note=judged.note if judged else "",
            )
        )
    return pairs
