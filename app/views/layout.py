"""Node positions computed on the server, for views too large for live physics.

Three layouts, all deterministic:

- ``radial``: the centre in the middle, each ring of the neighbourhood on a circle large
  enough for its nodes (networkx's circular layout), ring members ordered by the angle of
  the nodes that brought them in, so that branches stay together. Linear in the size of
  the view: the default for large views.
- ``layered``: one band per governance level, supranational at the top, local at the
  bottom, nodes without a level last; long bands wrap onto several rows.
- ``spring``: networkx's Fruchterman-Reingold, started from the radial layout and seeded;
  seconds on views of a thousand nodes or more, so only on request.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Literal

import networkx as nx

from app.views.styles import LEVEL_ORDER, level_key
from queries.results import Subgraph, SubgraphNode

PositionLayout = Literal["radial", "layered", "spring"]
Positions = dict[str, tuple[float, float]]

NODE_GAP = 70.0          # pixels between neighbours on a ring or a row
RING_GAP = 220.0         # minimum pixels between rings
ROW_GAP = 90.0           # pixels between the rows of one band
BAND_GAP = 180.0         # extra pixels between governance-level bands
SPRING_SEED = 7
CHAR_WIDTH = 7.5         # pixels of one character of a node label
LABEL_CHARS = 40         # longest label drawn


def _adjacency(subgraph: Subgraph) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for edge in subgraph.edges:
        if edge.source != edge.target:
            adjacent[edge.source].add(edge.target)
            adjacent[edge.target].add(edge.source)
    return adjacent


def _node_key(node: SubgraphNode) -> tuple[str, str, str]:
    return (node.label, node.name.casefold(), node.id)


def _circular_mean(angles: list[float]) -> float:
    angle = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
    return angle % (2 * math.pi)


def _ring(members: list[SubgraphNode], radius: float) -> Positions:
    """networkx's circular layout of ``members``, in order, on a circle of ``radius``."""
    if len(members) == 1:  # networkx puts a lone node in the centre; keep it on its ring
        return {members[0].id: (radius, 0.0)}
    layout = nx.circular_layout([node.id for node in members], scale=radius)
    return {node: (float(x), float(y)) for node, (x, y) in layout.items()}


def radial_positions(subgraph: Subgraph) -> Positions:
    """Rings by distance from the centre, each ordered by the angles of its parents."""
    adjacent = _adjacency(subgraph)
    rings: dict[int, list[SubgraphNode]] = defaultdict(list)
    for node in subgraph.nodes:
        rings[node.depth].append(node)
    positions: Positions = {}
    angles: dict[str, float] = {}
    radius = 0.0
    for depth in sorted(rings):
        members = rings[depth]
        if depth == 0 and len(members) == 1:
            positions[members[0].id] = (0.0, 0.0)
            angles[members[0].id] = 0.0
            continue

        def parent_angle(node: SubgraphNode) -> float:
            parents = [angles[p] for p in adjacent.get(node.id, ()) if p in angles]
            return _circular_mean(parents) if parents else 0.0

        members.sort(key=lambda n: (round(parent_angle(n), 6), *_node_key(n)))
        radius = max(radius + RING_GAP, len(members) * NODE_GAP / (2 * math.pi))
        ring = _ring(members, radius)
        for node in members:
            x, y = ring[node.id]
            positions[node.id] = (x, y)
            angles[node.id] = math.atan2(y, x) % (2 * math.pi)
    return positions


def layered_positions(subgraph: Subgraph) -> Positions:
    """One band per governance level, top to bottom, wrapped into rows as wide as the
    widest band needs (the view is wider than tall, as a screen is). Neighbours in a row
    are spaced by the length of their names and alternate up and down, so that no two
    labels print on one spot."""
    bands: dict[str, list[SubgraphNode]] = defaultdict(list)
    for node in subgraph.nodes:
        bands[level_key(node.level)].append(node)
    per_row = max(8, math.ceil(math.sqrt(2.5 * len(subgraph.nodes))))
    positions: Positions = {}
    y = 0.0
    for level in LEVEL_ORDER:
        members = sorted(bands.get(level, ()), key=_node_key)
        if not members:
            continue
        for start in range(0, len(members), per_row):
            row = members[start:start + per_row]
            widest = max(min(len(node.name), LABEL_CHARS) for node in row)
            step = max(NODE_GAP * 1.5, CHAR_WIDTH * widest / 2 + NODE_GAP / 2)
            left = -(len(row) - 1) * step / 2
            for index, node in enumerate(row):
                positions[node.id] = (left + index * step, y + (ROW_GAP / 2) * (index % 2))
            y += ROW_GAP * 1.5
        y += BAND_GAP
    return positions


def spring_positions(subgraph: Subgraph) -> Positions:
    """networkx spring layout, started from :func:`radial_positions`, in pixels."""
    graph = nx.Graph()
    graph.add_nodes_from(node.id for node in subgraph.nodes)
    graph.add_edges_from((e.source, e.target) for e in subgraph.edges if e.source != e.target)
    start = radial_positions(subgraph)
    extent = max((max(abs(x), abs(y)) for x, y in start.values()), default=1.0) or 1.0
    initial = {node: (x / extent, y / extent) for node, (x, y) in start.items()}
    count = graph.number_of_nodes()
    iterations = max(10, min(50, 20_000 // max(count, 1)))
    scale = 40.0 * math.sqrt(count) + 200.0
    layout = nx.spring_layout(
        graph, pos=initial, iterations=iterations, seed=SPRING_SEED, scale=scale
    )
    return {node: (float(x), float(y)) for node, (x, y) in layout.items()}


def compute_positions(subgraph: Subgraph, layout: PositionLayout) -> Positions:
    """Positions of every node of ``subgraph`` in pixels for ``layout``."""
    if layout == "radial":
        return radial_positions(subgraph)
    if layout == "layered":
        return layered_positions(subgraph)
    if layout == "spring":
        return spring_positions(subgraph)
    raise ValueError(f"unknown layout {layout!r}; expected radial, layered or spring")
