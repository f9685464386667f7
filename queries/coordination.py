"""Coordination: who works with whom, across which levels, through which channels.

Two institutions are tied when at least one channel joins them:

- ``coordinates_with``: a document says they coordinate (``COORDINATES_WITH``);
- ``shared_body``: both take part in the same coordination body or event
  (``PARTICIPATES_IN``, or ``PART_OF`` a body), or one takes part in a body the other
  leads (is responsible or co-responsible for it, or participates with a leading role);
- ``shared_instrument``: both are responsible or co-responsible for the same instrument
  or programme;
- ``membership``: one takes part in, is part of, or leads the other when the other is
  itself an institution (a committee, a network, a parent ministry).

Every channel carries the evidence of the relations it rests on. On top of the ties:
the multilevel matrix (:func:`level_matrix`), coordination gaps (:func:`find_gaps`:
overlapping institutions that share a territory and have no tie), brokers
(:func:`find_brokers`: cross-level betweenness on the tie graph) and paths
(:func:`find_path`).

Ties, the tie graph and broker scores are computed once per graph and cached with it.
Lists returned from the cache are new lists of shared result objects: treat them as
read-only.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations, pairwise

import networkx as nx
import numpy as np

from graph.model import Evidence
from graph.normalize import normalize_name
from graph.vocab import LEVELS
from queries.overlap import (
    OverlapFilters,
    OverlapIndex,
    describe_pairs,
    overlap_index,
    ranked_pairs,
)
from queries.profiles import (
    INSTITUTION,
    INSTRUMENT_LABELS,
    check_fraction,
    check_level_pair,
    check_top,
    edge_evidence,
    graph_index,
    institution_table,
    merge_evidence,
    node_name,
    node_summary,
    relation_pairs,
    remembered,
    require_node,
    territory_index,
)
from queries.results import (
    Broker,
    Channel,
    Gap,
    LevelCell,
    LevelMatrix,
    PathResult,
    PathStep,
    Tie,
)

CHANNEL_ORDER: tuple[str, ...] = (
    "coordinates_with",
    "shared_body",
    "shared_instrument",
    "membership",
)
# Kinds of institution that are coordination bodies even when nobody is said to join them.
BODY_KINDS: frozenset[str] = frozenset(
    {
        "committee",
        "working_group",
        "network",
        "council",
        "commission",
        "board",
        "forum",
        "roundtable",
        "integration_scheme",
        "association",
        "event",
    }
)
# Roles (normalised) of a PARTICIPATES_IN relation that make the participant a leader.
LEAD_ROLES: frozenset[str] = frozenset(
    {
        "lead",
        "leader",
        "chair",
        "coordinator",
        "organizer",
        "organiser",
        "host",
        "responsible",
        "coordinador",
        "coordinadora",
        "lider",
        "presidente",
        "presidenta",
        "organizador",
        "organizadora",
        "responsable",
        "anfitrion",
        "secretaria tecnica",
        "preside",
    }
)
UNKNOWN_LEVEL = "unknown"
BROKER_EXACT_LIMIT = 500  # above this many tied institutions, betweenness is sampled
BROKER_SAMPLE = 256
BROKER_SEED = 20240601
EVIDENCE_PER_TIE = 12
EVIDENCE_PER_BROKER = 6

_Edge = tuple[str, str, str]  # (source, target, relationship type)


# --------------------------------------------------------------------------- ties


@dataclass
class TieIndex:
    """Channels of every tied pair (ids sorted) and the tie graph."""

    channels: dict[tuple[str, str], dict[tuple[str, str], list[_Edge]]]
    graph: nx.Graph = field(default_factory=nx.Graph)


def tie_index(graph: nx.MultiDiGraph) -> TieIndex:
    """Ties of ``graph`` (cached per graph)."""
    return graph_index(graph, "ties", lambda: _build_ties(graph))


def _is_institution(graph: nx.MultiDiGraph, node: str) -> bool:
    return graph.nodes[node].get("label") == INSTITUTION


def _leads_by_role(properties: dict | None) -> bool:
    role = (properties or {}).get("role")
    return bool(role) and normalize_name(str(role)) in LEAD_ROLES


_Channels = dict[tuple[str, str], dict[tuple[str, str], list[_Edge]]]


def _add_channel(
    channels: _Channels, a: str, b: str, kind: str, via: str, edges: Iterable[_Edge]
) -> None:
    """Record that ``a`` and ``b`` are tied through ``kind`` (``via`` a body or instrument)."""
    if a == b:
        return
    key = (a, b) if a < b else (b, a)
    bucket = channels.setdefault(key, {}).setdefault((kind, via), [])
    bucket.extend(e for e in edges if e not in bucket)


@dataclass
class _Bodies:
    """Coordination bodies, the institutions that join and lead each, and what each
    institution is responsible for."""

    bodies: set[str]
    joiners: dict[str, dict[str, _Edge]]
    leaders: dict[str, dict[str, _Edge]]
    owners: dict[str, dict[str, _Edge]]


def _bodies(graph: nx.MultiDiGraph, pairs: dict[str, list[tuple[str, str]]]) -> _Bodies:
    """Coordination bodies: what institutions join (participate in, or are part of) and lead."""
    joiners: dict[str, dict[str, _Edge]] = {}
    leaders: dict[str, dict[str, _Edge]] = {}
    for source, target in pairs.get("PARTICIPATES_IN", ()):
        if not _is_institution(graph, source):
            continue
        edge = (source, target, "PARTICIPATES_IN")
        properties = graph.edges[source, target, "PARTICIPATES_IN"].get("properties")
        group = leaders if _leads_by_role(properties) else joiners
        group.setdefault(target, {})[source] = edge
    bodies = (
        set(joiners)
        | set(leaders)
        | {
            n
            for n, d in graph.nodes(data=True)
            if d.get("label") == INSTITUTION and d.get("kind") in BODY_KINDS
        }
    )
    for source, target in pairs.get("PART_OF", ()):
        if target in bodies and _is_institution(graph, source):
            joiners.setdefault(target, {}).setdefault(source, (source, target, "PART_OF"))
    owners: dict[str, dict[str, _Edge]] = {}
    for rel_type in ("RESPONSIBLE_FOR", "CO_RESPONSIBLE_FOR"):
        for source, target in pairs.get(rel_type, ()):
            if _is_institution(graph, source):
                owners.setdefault(target, {}).setdefault(source, (source, target, rel_type))
    for body in bodies:
        for source, edge in owners.get(body, {}).items():
            leaders.setdefault(body, {}).setdefault(source, edge)
    return _Bodies(bodies, joiners, leaders, owners)


def _shared_body_ties(graph: nx.MultiDiGraph, found: _Bodies, channels: _Channels) -> None:
    """Members and heads of one body are tied through it; each is a member of the body."""
    for body in sorted(found.bodies):
        members = found.joiners.get(body, {})
        heads = found.leaders.get(body, {})
        for (a, edge_a), (b, edge_b) in combinations(sorted(members.items()), 2):
            _add_channel(channels, a, b, "shared_body", body, [edge_a, edge_b])
        for a, edge_a in sorted(members.items()):
            for b, edge_b in sorted(heads.items()):
                _add_channel(channels, a, b, "shared_body", body, [edge_a, edge_b])
        if _is_institution(graph, body):
            for a, edge_a in sorted({**members, **heads}.items()):
                _add_channel(channels, a, body, "membership", "", [edge_a])
            for (a, edge_a), (b, edge_b) in combinations(sorted(heads.items()), 2):
                _add_channel(channels, a, b, "shared_body", body, [edge_a, edge_b])


def _build_ties(graph: nx.MultiDiGraph) -> TieIndex:
    pairs = relation_pairs(graph)
    channels: _Channels = {}
    for source, target in pairs.get("COORDINATES_WITH", ()):
        if _is_institution(graph, source) and _is_institution(graph, target):
            _add_channel(channels, source, target, "coordinates_with", "",
                         [(source, target, "COORDINATES_WITH")])
    found = _bodies(graph, pairs)
    _shared_body_ties(graph, found, channels)
    for source, target in pairs.get("PART_OF", ()):
        if (
            target not in found.bodies
            and _is_institution(graph, source)
            and _is_institution(graph, target)
        ):
            _add_channel(channels, source, target, "membership", "",
                         [(source, target, "PART_OF")])
    owners = found.owners
    for instrument in sorted(owners):
        if graph.nodes[instrument].get("label") not in INSTRUMENT_LABELS:
            continue
        for (a, edge_a), (b, edge_b) in combinations(sorted(owners[instrument].items()), 2):
            _add_channel(channels, a, b, "shared_instrument", instrument, [edge_a, edge_b])

    tie_graph = nx.Graph()
    institutions = institution_table(graph)
    for key in sorted(channels):
        a, b = key
        tie_graph.add_edge(a, b, channels=len(channels[key]))
    for node in tie_graph:
        tie_graph.nodes[node]["level"] = institutions.levels[institutions.position[node]]
    return TieIndex(channels=channels, graph=tie_graph)


def _tie(
    graph: nx.MultiDiGraph, key: tuple[str, str], found: dict[tuple[str, str], list[_Edge]]
) -> Tie:
    a, b = key
    rank = {kind: k for k, kind in enumerate(CHANNEL_ORDER)}
    channels = []
    for (kind, via), edges in sorted(
        found.items(), key=lambda item: (rank[item[0][0]], item[0][1])
    ):
        evidence = merge_evidence(edge_evidence(graph, *edge) for edge in edges)
        channels.append(
            Channel(
                kind=kind,
                via=via or None,
                via_name=node_name(graph, via) if via else None,
                evidence=evidence,
            )
        )
    level_a, level_b = graph.nodes[a].get("level"), graph.nodes[b].get("level")
    return Tie(
        a=a,
        b=b,
        name_a=node_name(graph, a),
        name_b=node_name(graph, b),
        level_a=level_a,
        level_b=level_b,
        cross_level=bool(level_a and level_b and level_a != level_b),
        channels=channels,
        evidence=merge_evidence((c.evidence for c in channels), limit=EVIDENCE_PER_TIE),
    )


def _pair_allowed(
    graph: nx.MultiDiGraph, a: str, b: str, level_pair: tuple[str, str] | None, country: str | None
) -> bool:
    nodes = graph.nodes
    if level_pair is not None:
        levels = (nodes[a].get("level"), nodes[b].get("level"))
        if levels not in (level_pair, level_pair[::-1]):
            return False
    if country is not None:
        index = territory_index(graph)
        code = index.country_code(country)
        if any(index.country_code(nodes[x].get("country")) != code for x in (a, b)):
            return False
    return True


def find_ties(
    graph: nx.MultiDiGraph,
    *,
    level_pair: tuple[str, str] | None = None,
    country: str | None = None,
) -> list[Tie]:
    """Every coordination tie, most channels first, then by ids.

    ``level_pair`` keeps ties between an institution at each level; ``country`` keeps ties
    whose two institutions are of that country.
    """
    pair = check_level_pair(level_pair)

    def build() -> list[Tie]:
        index = tie_index(graph)
        ties = [
            _tie(graph, key, found)
            for key, found in index.channels.items()
            if _pair_allowed(graph, key[0], key[1], pair, country)
        ]
        ties.sort(key=lambda t: (-len(t.channels), t.a, t.b))
        return ties

    return list(remembered(graph, ("ties", pair, country), build))


# --------------------------------------------------------------------------- matrix


def _level_of(level: str | None) -> str:
    return level or UNKNOWN_LEVEL


def level_matrix(
    graph: nx.MultiDiGraph,
    *,
    overlap_threshold: float = 0.2,
    keep: frozenset[str] | None = None,
) -> LevelMatrix:
    """Ties against shared fields for every pair of governance levels.

    For each unordered pair of levels: how many institution pairs there are, how many are
    tied, how many share a field (overlap score at least ``overlap_threshold``), and how
    many of those are tied; ``coordination_rate`` is the last over the one before.

    ``keep``, when given, restricts the institutions counted to those ids (others are
    ignored). Ties and overlap scores stay those of the whole graph (a tie through a body
    of another country still counts); only the pairs counted are restricted.
    """
    threshold = check_fraction(overlap_threshold, "overlap_threshold")
    return remembered(
        graph,
        ("level_matrix", threshold, keep),
        lambda: _level_matrix(graph, threshold, keep),
    )


def _level_matrix(
    graph: nx.MultiDiGraph, threshold: float, keep: frozenset[str] | None
) -> LevelMatrix:
    index = overlap_index(graph)
    table = index.table
    labels = np.array([_level_of(level) for level in table.levels], dtype=object)
    kept = _kept_rows(table.ids, keep)
    present = [lv for lv in (*LEVELS, UNKNOWN_LEVEL) if (kept & (labels == lv)).any()]
    sharing = _sharing_counts(index, labels, kept, present, threshold)
    tied: dict[tuple[str, str], int] = {}
    tied_sharing: dict[tuple[str, str], int] = {}
    for a, b in tie_index(graph).channels:
        i, j = table.position[a], table.position[b]
        if not (kept[i] and kept[j]):
            continue
        key = _cell_key(labels[i], labels[j], present)
        tied[key] = tied.get(key, 0) + 1
        score = _pair_score(index, i, j)
        if score >= threshold and score > 0:
            tied_sharing[key] = tied_sharing.get(key, 0) + 1
    counts = {lv: int((kept & (labels == lv)).sum()) for lv in present}
    cells = []
    for x, first in enumerate(present):
        for second in present[x:]:
            key = (first, second)
            pairs = (
                counts[first] * (counts[first] - 1) // 2
                if first == second
                else counts[first] * counts[second]
            )
            share = sharing.get(key, 0)
            cells.append(
                LevelCell(
                    level_a=first,
                    level_b=second,
                    institution_pairs=pairs,
                    tied_pairs=tied.get(key, 0),
                    sharing_field=share,
                    tied_and_sharing=tied_sharing.get(key, 0),
                    coordination_rate=(tied_sharing.get(key, 0) / share) if share else None,
                )
            )
    return LevelMatrix(levels=present, overlap_threshold=threshold, cells=cells)


def _kept_rows(ids: list[str], keep: frozenset[str] | None) -> np.ndarray:
    """Boolean mask of the institution table's rows that ``keep`` names (all when None)."""
    if keep is None:
        return np.ones(len(ids), dtype=bool)
    return np.array([node in keep for node in ids], dtype=bool)


def _cell_key(a: str, b: str, order: list[str]) -> tuple[str, str]:
    return (a, b) if order.index(a) <= order.index(b) else (b, a)


def _pair_score(index: OverlapIndex, i: int, j: int) -> float:
    if index.scores is not None:
        return float(index.scores[i, j])
    return float(index.neighbours[i, j])


def _sharing_counts(
    index: OverlapIndex,
    labels: np.ndarray,
    kept: np.ndarray,
    present: list[str],
    threshold: float,
) -> dict[tuple[str, str], int]:
    """Kept institution pairs of each level pair whose overlap reaches the threshold."""
    out: dict[tuple[str, str], int] = {}
    if index.scores is not None:
        above = (index.scores >= threshold) & (index.scores > 0)
        np.fill_diagonal(above, False)
        groups = {lv: np.flatnonzero(kept & (labels == lv)) for lv in present}
        for x, first in enumerate(present):
            for second in present[x:]:
                block = above[np.ix_(groups[first], groups[second])]
                count = int(block.sum())
                out[(first, second)] = count // 2 if first == second else count
        return out
    upper = index.neighbours.tocoo()
    chosen = (
        (upper.row < upper.col)
        & (upper.data >= threshold)
        & (upper.data > 0)
        & kept[upper.row]
        & kept[upper.col]
    )
    for i, j in zip(upper.row[chosen], upper.col[chosen], strict=True):
        key = _cell_key(labels[i], labels[j], present)
        out[key] = out.get(key, 0) + 1
    return out


# --------------------------------------------------------------------------- gaps


def find_gaps(
    graph: nx.MultiDiGraph,
    *,
    top: int = 50,
    min_overlap: float = 0.2,
    level_pair: tuple[str, str] | None = None,
    country: str | None = None,
    theme: str | None = None,
    require_shared_territory: bool = True,
) -> list[Gap]:
    """Institution pairs that overlap but have no coordination tie, most overlapping first.

    Pairs scoring under ``min_overlap`` are left out, and, with
    ``require_shared_territory``, so are pairs whose territories are both known and do not
    meet (they share a field but not a place). Each gap says why it is one.
    """
    top = check_top(top)
    filters = OverlapFilters(
        check_fraction(min_overlap, "min_overlap"), check_level_pair(level_pair), country, theme
    )
    key = ("gaps", top, filters, require_shared_territory)
    return list(
        remembered(graph, key, lambda: _gaps(graph, top, filters, require_shared_territory))
    )


def _gaps(
    graph: nx.MultiDiGraph, top: int, filters: OverlapFilters, require_shared_territory: bool
) -> list[Gap]:
    index = overlap_index(graph)
    table = index.table
    exclude = np.zeros((index.size, index.size), dtype=bool)
    for a, b in tie_index(graph).channels:
        i, j = table.position[a], table.position[b]
        exclude[i, j] = exclude[j, i] = True
    if require_shared_territory:
        known = index.covered_count > 0
        exclude |= np.outer(known, known) & ~index.territory_meet()
    rows_a, rows_b, scores = ranked_pairs(graph, filters, top, exclude=exclude)
    gaps = []
    for pair in describe_pairs(graph, rows_a, rows_b, scores):
        cross = bool(pair.level_a and pair.level_b and pair.level_a != pair.level_b)
        gaps.append(
            Gap(
                a=pair.a,
                b=pair.b,
                name_a=pair.name_a,
                name_b=pair.name_b,
                level_a=pair.level_a,
                level_b=pair.level_b,
                cross_level=cross,
                overlap=pair.score,
                breakdown=pair.breakdown,
                shared=pair.shared,
                reasons=_reasons(pair.shared, pair.explicit, pair.level_a, pair.level_b, cross),
                evidence=pair.evidence,
            )
        )
    return gaps


_REASON_LABELS = {
    "themes": "both work on",
    "target_groups": "both serve",
    "support_types": "both provide",
    "territories": "their territories meet in",
    "levels": "both run instruments at level",
}


def _reasons(
    shared: dict[str, list[str]],
    explicit: bool,
    level_a: str | None,
    level_b: str | None,
    cross: bool,
) -> list[str]:
    reasons = []
    if explicit:
        reasons.append("a document states that their competences overlap")
    for facet, label in _REASON_LABELS.items():
        values = shared.get(facet) or []
        if values:
            more = f" and {len(values) - 5} more" if len(values) > 5 else ""
            reasons.append(f"{label}: {', '.join(values[:5])}{more}")
    if cross:
        reasons.append(f"cross-level pair ({level_a} and {level_b})")
    reasons.append(
        "no coordination tie: no coordination statement, no shared body, "
        "no shared instrument or programme"
    )
    return reasons


# --------------------------------------------------------------------------- brokers


@dataclass
class _Betweenness:
    paths: dict[str, float]
    total_pairs: int
    sampled: bool


def _cross_level_betweenness(tie_graph: nx.Graph) -> _Betweenness:
    """Cross-level shortest paths through each node (sampled sources on large graphs).

    For each level, ``betweenness_centrality_subset`` from the sources of that level to
    the nodes of every other known level; networkx halves each undirected path and every
    unordered pair is reached once from each end, so the sum counts each pair once.
    """
    levels = nx.get_node_attributes(tie_graph, "level")
    known = sorted(n for n in tie_graph if levels.get(n))
    sampled = len(known) > BROKER_EXACT_LIMIT
    sources = sorted(random.Random(BROKER_SEED).sample(known, BROKER_SAMPLE)) if sampled else known
    scale = len(known) / len(sources) if sources else 1.0
    paths: dict[str, float] = dict.fromkeys(tie_graph, 0.0)
    by_level: dict[str, list[str]] = {}
    for node in known:
        by_level.setdefault(levels[node], []).append(node)
    for level in sorted(by_level):
        level_sources = [s for s in sources if levels[s] == level]
        targets = [t for t in known if levels[t] != level]
        if not level_sources or not targets:
            continue
        part = nx.betweenness_centrality_subset(tie_graph, level_sources, targets, normalized=False)
        for node, value in part.items():
            paths[node] += value * scale
    sizes = sorted(len(v) for v in by_level.values())
    total = sum(a * b for a, b in combinations(sizes, 2))
    return _Betweenness(paths=paths, total_pairs=total, sampled=sampled)


def find_brokers(graph: nx.MultiDiGraph, *, top: int = 20) -> list[Broker]:
    """Institutions through which most cross-level shortest paths of the tie graph pass.

    Exact up to :data:`BROKER_EXACT_LIMIT` tied institutions; above, estimated from
    :data:`BROKER_SAMPLE` sources drawn with a fixed seed, so results are repeatable.
    """
    top = check_top(top)
    return list(remembered(graph, ("brokers", top), lambda: _brokers(graph, top)))


def _brokers(graph: nx.MultiDiGraph, top: int) -> list[Broker]:
    index = tie_index(graph)
    tie_graph = index.graph
    between = graph_index(graph, "betweenness", lambda: _cross_level_betweenness(tie_graph))
    ranked = sorted(
        ((value, node) for node, value in between.paths.items() if value > 0),
        key=lambda item: (-round(item[0], 9), item[1]),
    )[:top]
    brokers = []
    for value, node in ranked:
        neighbours = sorted(tie_graph[node])
        own_level = tie_graph.nodes[node].get("level")
        cross = [n for n in neighbours if tie_graph.nodes[n].get("level") not in (None, own_level)]
        evidence_groups = []
        for other in (cross + [n for n in neighbours if n not in cross])[:EVIDENCE_PER_BROKER]:
            key = (node, other) if node < other else (other, node)
            tie = _tie(graph, key, index.channels[key])
            evidence_groups.append(tie.evidence[:1])
        brokers.append(
            Broker(
                id=node,
                name=node_name(graph, node),
                level=own_level,
                score=round(value / between.total_pairs, 9) if between.total_pairs else 0.0,
                paths=round(value, 6),
                degree=len(neighbours),
                levels_connected=sorted(
                    {lv for n in neighbours if (lv := tie_graph.nodes[n].get("level"))}
                ),
                sampled=between.sampled,
                evidence=merge_evidence(evidence_groups),
            )
        )
    return brokers


# --------------------------------------------------------------------------- paths


def find_path(graph: nx.MultiDiGraph, a: str, b: str) -> PathResult | None:
    """A shortest path from ``a`` to ``b``, hop by hop with evidence; None when none exists.

    Between two institutions the path runs over coordination ties (each hop lists its
    channels); otherwise over the relations of the entity graph, in either direction,
    not through governance-level nodes.
    """
    require_node(graph, a)
    require_node(graph, b)
    if _is_institution(graph, a) and _is_institution(graph, b):
        return _tie_path(graph, a, b)
    return _entity_path(graph, a, b)


def _tie_path(graph: nx.MultiDiGraph, a: str, b: str) -> PathResult | None:
    index = tie_index(graph)
    if a == b:
        return PathResult(a=a, b=b, graph="ties", nodes=[node_summary(graph, a)], steps=[])
    if a not in index.graph or b not in index.graph:
        return None
    try:
        nodes = nx.shortest_path(index.graph, a, b)
    except nx.NetworkXNoPath:
        return None
    steps = []
    for source, target in pairwise(nodes):
        key = (source, target) if source < target else (target, source)
        tie = _tie(graph, key, index.channels[key])
        steps.append(
            PathStep(
                source=source,
                target=target,
                relations=[c.kind for c in tie.channels],
                via=sorted({c.via for c in tie.channels if c.via}),
                evidence=tie.evidence,
            )
        )
    return PathResult(
        a=a, b=b, graph="ties", nodes=[node_summary(graph, n) for n in nodes], steps=steps
    )


def _entity_path(graph: nx.MultiDiGraph, a: str, b: str) -> PathResult | None:
    view = nx.subgraph_view(
        graph,
        filter_node=lambda n: n in (a, b) or graph.nodes[n].get("label") != "GovernanceLevel",
    ).to_undirected(as_view=True)
    try:
        nodes = nx.shortest_path(view, a, b)
    except nx.NetworkXNoPath:
        return None
    steps = []
    for source, target in pairwise(nodes):
        edges = [
            (u, v, k)
            for u, v in ((source, target), (target, source))
            for k in sorted(graph.get_edge_data(u, v) or {})
        ]
        steps.append(
            PathStep(
                source=source,
                target=target,
                relations=sorted({k for _, _, k in edges}),
                evidence=merge_evidence(
                    (edge_evidence(graph, u, v, k) for u, v, k in edges), limit=EVIDENCE_PER_TIE
                ),
            )
        )
    return PathResult(
        a=a, b=b, graph="entities", nodes=[node_summary(graph, n) for n in nodes], steps=steps
    )


def tie_evidence(graph: nx.MultiDiGraph, a: str, b: str) -> list[Evidence]:
    """Evidence of every channel between two institutions (empty when they are not tied)."""
    key = (a, b) if a < b else (b, a)
    found = tie_index(graph).channels.get(key)
    return _tie(graph, key, found).evidence if found else []
