"""Project entities and relations into a networkx MultiDiGraph for the queries.

Node attributes are the entity's fields (``label``, ``name``, ``level``, ``themes``...);
each edge is keyed by its relationship type and carries ``type``, ``id``, ``properties``
and ``evidence`` (a list of :class:`graph.model.Evidence` dumps).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.model import Entity, Relation


def project(entities: Iterable[Entity], relations: Iterable[Relation]) -> nx.MultiDiGraph:
    """Build the entity-layer graph; relations whose ends are unknown are skipped."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((e.id, e.model_dump(exclude={"id"})) for e in entities)
    graph.add_edges_from(
        (
            r.source,
            r.target,
            r.type,
            {
                "type": r.type,
                "id": r.id,
                "properties": r.properties,
                "evidence": [ev.model_dump() for ev in r.evidence],
            },
        )
        for r in relations
        if r.source in graph and r.target in graph
    )
    return graph


def entity_from_node(graph: nx.MultiDiGraph, node_id: str) -> Entity:
    """Rebuild the :class:`Entity` stored on ``node_id``."""
    return Entity(id=node_id, **graph.nodes[node_id])
