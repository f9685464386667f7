"""The neighbourhood of an entity in the projected graph, as a :class:`Subgraph`.

Breadth-first over edges in both directions, ring by ring up to ``depth``. Governance-level
nodes are not walked through: every national body is ``AT_LEVEL`` national, so passing
through them would pull the whole country into a depth-2 view; the level is shown by
colour instead. The walk stops at ``limit`` nodes and says so (``truncated``).
"""

from __future__ import annotations

import networkx as nx

from graph.model import Evidence
from queries.results import EntityNotFound, Subgraph, SubgraphEdge, SubgraphNode

HUB_LABELS: frozenset[str] = frozenset({"GovernanceLevel"})


def _neighbours(graph: nx.MultiDiGraph, node: str) -> list[str]:
    found = set(graph.successors(node)) | set(graph.predecessors(node))
    found.discard(node)
    return sorted(found)


def _node(graph: nx.MultiDiGraph, node: str, depth: int) -> SubgraphNode:
    data = graph.nodes[node]
    return SubgraphNode(
        id=node, label=data.get("label") or "", name=data.get("name") or node,
        kind=data.get("kind"), level=data.get("level"), country=data.get("country"),
        depth=depth,
    )


def _is_hub(graph: nx.MultiDiGraph, node: str) -> bool:
    return graph.nodes[node].get("label") in HUB_LABELS


def neighbourhood(
    graph: nx.MultiDiGraph, entity_id: str, depth: int = 1, limit: int = 500
) -> Subgraph:
    """Nodes within ``depth`` hops of ``entity_id`` (at most ``limit``) and the edges among them.

    Raises :class:`queries.results.EntityNotFound` for an unknown id and ``ValueError`` for
    a depth or limit below 1.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1, not {depth}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if entity_id not in graph:
        raise EntityNotFound(entity_id)
    depths: dict[str, int] = {entity_id: 0}
    ring = [entity_id]
    truncated = False
    for distance in range(1, depth + 1):
        next_ring: list[str] = []
        for node in ring:
            if node != entity_id and _is_hub(graph, node):
                continue
            for other in _neighbours(graph, node):
                if other in depths or (_is_hub(graph, other) and other != entity_id):
                    continue
                if len(depths) >= limit:
                    truncated = True
                    break
                depths[other] = distance
                next_ring.append(other)
            if truncated:
                break
        ring = next_ring
        if truncated or not ring:
            break
    nodes = [_node(graph, node, d) for node, d in depths.items()]
    edges = [
        SubgraphEdge(
            id=data.get("id") or f"{source}|{key}|{target}",
            source=source,
            target=target,
            type=data.get("type") or str(key),
            properties=data.get("properties") or {},
            evidence=[Evidence.model_validate(item) for item in data.get("evidence") or ()],
        )
        for source, target, key, data in graph.subgraph(depths).edges(keys=True, data=True)
    ]
    edges.sort(key=lambda e: e.id)
    return Subgraph(center=entity_id, depth=depth, nodes=nodes, edges=edges, truncated=truncated)
