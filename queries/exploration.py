"""Exploration: the neighbourhood of an entity and everything the graph says about it."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from graph.vocab import NOT_WALKED, RELATION_TYPES
from queries.profiles import (
    FACETS,
    INSTITUTION,
    INSTRUMENT_LABELS,
    PROFILE_FACETS,
    check_top,
    institution_table,
    instrument_table,
    node_summary,
    require_node,
    territory_index,
    to_evidence,
)
from queries.results import (
    EntityProfile,
    FacetValue,
    RelationSummary,
    Subgraph,
    SubgraphEdge,
    SubgraphNode,
)

MAX_DEPTH = 6
RELATIONS_SHOWN = 200


def neighbourhood(
    graph: nx.MultiDiGraph, entity_id: str, depth: int = 1, limit: int = 500
) -> Subgraph:
    """Nodes within ``depth`` relations of ``entity_id`` (either direction) and their edges.

    Breadth first, neighbours in id order, at most ``limit`` nodes; ``truncated`` says
    whether nodes were left out. Governance-level nodes are shown but not walked through.
    Edges are every relation between two shown nodes, with its evidence.
    """
    require_node(graph, entity_id)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be an integer from 0 to {MAX_DEPTH}, got {depth!r}")
    limit = check_top(limit, "limit")
    distance = {entity_id: 0}
    frontier = [entity_id]
    truncated = False
    for level in range(1, depth + 1):
        following: list[str] = []
        for node in frontier:
            if node != entity_id and graph.nodes[node].get("label") in NOT_WALKED:
                continue
            for other in sorted(set(graph.successors(node)) | set(graph.predecessors(node))):
                if other in distance:
                    continue
                if len(distance) >= limit:
                    truncated = True
                    break
                distance[other] = level
                following.append(other)
            if truncated:
                break
        frontier = following
        if truncated or not frontier:
            break
    nodes = sorted(distance, key=lambda n: (distance[n], n))
    edges: list[SubgraphEdge] = []
    for node in nodes:
        for _, target, rel_type, data in graph.out_edges(node, keys=True, data=True):
            if target in distance:
                edges.append(
                    SubgraphEdge(
                        id=data.get("id") or f"{node}|{rel_type}|{target}",
                        source=node,
                        target=target,
                        type=rel_type,
                        properties=dict(data.get("properties") or {}),
                        evidence=to_evidence(data.get("evidence")),
                    )
                )
    edges.sort(key=lambda e: (e.source, e.target, e.type))
    return Subgraph(
        center=entity_id,
        depth=depth,
        nodes=[
            SubgraphNode(**node_summary(graph, n).model_dump(), depth=distance[n]) for n in nodes
        ],
        edges=edges,
        truncated=truncated,
    )


def entity_profile(graph: nx.MultiDiGraph, entity_id: str) -> EntityProfile:
    """An entity's fields, its facets (inherited, for institutions), and its relations.

    Relations are listed by type (ontology order), direction and counterpart id, up to
    :data:`RELATIONS_SHOWN`; ``relation_counts`` counts all of them as ``TYPE:out`` and
    ``TYPE:in``.
    """
    data = require_node(graph, entity_id)
    entity = {"id": entity_id, **data}
    rank = {t: k for k, t in enumerate(RELATION_TYPES)}
    found: list[tuple[int, str, str, str, dict]] = []
    counts: Counter[str] = Counter()
    for _, target, rel_type, edge in graph.out_edges(entity_id, keys=True, data=True):
        found.append((rank.get(rel_type, len(rank)), "out", target, rel_type, edge))
        counts[f"{rel_type}:out"] += 1
    for source, _, rel_type, edge in graph.in_edges(entity_id, keys=True, data=True):
        found.append((rank.get(rel_type, len(rank)), "in", source, rel_type, edge))
        counts[f"{rel_type}:in"] += 1
    found.sort(key=lambda item: item[:3])
    relations = [
        RelationSummary(
            type=rel_type,
            direction=direction,
            other=node_summary(graph, other),
            properties=dict(edge.get("properties") or {}),
            evidence=to_evidence(edge.get("evidence")),
        )
        for _, direction, other, rel_type, edge in found[:RELATIONS_SHOWN]
    ]
    return EntityProfile(
        entity=entity,
        facets=_facets(graph, entity_id, data.get("label")),
        relation_counts=dict(sorted(counts.items())),
        relations=relations,
        truncated=len(found) > RELATIONS_SHOWN,
    )


def _facets(
    graph: nx.MultiDiGraph, entity_id: str, label: str | None
) -> dict[str, list[FacetValue]]:
    territories = territory_index(graph)
    if label == INSTITUTION:
        table = institution_table(graph)
        row = table.position[entity_id]
        facets = {
            facet: [
                FacetValue(value=v, count=c)
                for v, c in sorted(table.facets[facet][row].items(), key=lambda x: (-x[1], x[0]))
            ]
            for facet in PROFILE_FACETS
        }
        covered = table.territories[row]
    elif label in INSTRUMENT_LABELS:
        table = instrument_table(graph)
        row = table.position[entity_id]
        facets = {
            facet: [FacetValue(value=v, count=1) for v in sorted(table.facets[facet][row])]
            for facet in FACETS
        }
        facets["levels"] = [FacetValue(value=v, count=1) for v in sorted(table.levels[row])]
        covered = table.territories[row]
    else:
        return {}
    facets["territories"] = [
        FacetValue(value=territories.name(t), count=1)
        for t in sorted(covered, key=territories.name)
    ]
    return facets
