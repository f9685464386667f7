"""A :class:`Subgraph` as a pyvis (vis-network) network: styled nodes and edges, options.

Nodes and edges are built as plain dicts and assigned to ``net.nodes`` / ``net.edges`` in
one go (pyvis's ``add_edge`` scans every edge, which is quadratic on large views).
Tooltips (``title``) are plain text: vis-network 9 writes a string title with
``innerText``, so a name such as ``<img src=x onerror=...>`` is shown, never run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, Literal, cast

from pyvis.network import Network

from app.views.labels import value_label
from app.views.layout import PositionLayout, compute_positions
from app.views.styles import (
    LEVEL_LEGEND,
    edge_style,
    is_directed,
    label_style,
    level_colour,
    level_key,
)
from graph.model import Evidence
from queries.results import Subgraph, SubgraphEdge, SubgraphNode

Layout = Literal["auto", "physics", "radial", "layered", "spring"]
LAYOUTS: tuple[str, ...] = ("auto", "physics", "radial", "layered", "spring")

PHYSICS_NODE_LIMIT = 300     # above this, positions are computed and physics is off
LABELLED_NODES = 40          # in larger views only this many nodes, the most connected, are
                             # labelled on the canvas (every node keeps its name in its tooltip)
CLUSTER_FROM = 60            # views with more nodes collapse groups of leaves into one node
CLUSTER_MIN = 5              # leaves of one node that make a cluster
LABEL_CHARS = 40             # longest node label drawn on the canvas
QUOTE_CHARS = 280            # longest evidence quote in a tooltip
TOOLTIP_QUOTES = 3           # evidence quotes per edge tooltip
CENTRE_SIZE = 32
NODE_SIZE = 16


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def node_caption(node: SubgraphNode) -> str:
    """The label drawn under a node: its name, shortened."""
    return shorten(node.name, LABEL_CHARS)


def node_tooltip(node: SubgraphNode) -> str:
    """Plain-text tooltip of a node: name, kind of entity, level, country, id."""
    facts = [label_style(node.label).name, LEVEL_LEGEND[level_key(node.level)]]
    if node.country:
        facts.append(node.country)
    lines = [node.name, " · ".join(facts)]
    if node.kind:
        lines.append(f"tipo: {value_label('kind', node.kind)}")
    if node.territory:
        lines.append(f"territorio: {node.territory}")
    lines.append(f"id: {node.id}")
    return "\n".join(lines)


def evidence_line(evidence: Evidence, document_titles: Mapping[str, str]) -> str:
    """One evidence quote with its source: ``“quote” — title [start–end]``."""
    title = document_titles.get(evidence.document_id) or evidence.document_id[:12]
    quote = shorten(evidence.quote, QUOTE_CHARS)
    return f"“{quote}” — {title} [{evidence.start}–{evidence.end}]"


def edge_tooltip(
    edge: SubgraphEdge, names: Mapping[str, str], document_titles: Mapping[str, str]
) -> str:
    """Plain-text tooltip of an edge: type, ends, and its first evidence quotes."""
    arrow = "→" if is_directed(edge.type) else "↔"
    lines = [
        f"{edge.type} ({edge_style(edge.type).gloss})",
        f"{names.get(edge.source, edge.source)} {arrow} {names.get(edge.target, edge.target)}",
    ]
    role = edge.properties.get("role")
    if isinstance(role, str) and role:
        lines.append(f"rol: {role}")
    lines += [evidence_line(ev, document_titles) for ev in edge.evidence[:TOOLTIP_QUOTES]]
    if len(edge.evidence) > TOOLTIP_QUOTES:
        lines.append(f"(y {len(edge.evidence) - TOOLTIP_QUOTES} evidencias más)")
    if not edge.evidence:
        lines.append("(sin evidencia registrada)")
    return "\n".join(lines)


def resolve_layout(layout: Layout, node_count: int) -> Layout:
    """``auto`` is live physics up to :data:`PHYSICS_NODE_LIMIT` nodes, radial beyond."""
    if layout != "auto":
        return layout
    return "physics" if node_count <= PHYSICS_NODE_LIMIT else "radial"


def importance(subgraph: Subgraph) -> dict[str, int]:
    """How many distinct neighbours each node has in the view (the centre ranks first)."""
    neighbours: dict[str, set[str]] = {node.id: set() for node in subgraph.nodes}
    for edge in subgraph.edges:
        if edge.source != edge.target:
            neighbours.setdefault(edge.source, set()).add(edge.target)
            neighbours.setdefault(edge.target, set()).add(edge.source)
    ranks = {node: len(others) for node, others in neighbours.items()}
    if subgraph.center in ranks:
        ranks[subgraph.center] = max(ranks.values(), default=0) + 1
    return ranks


def labelled(subgraph: Subgraph, ranks: Mapping[str, int]) -> set[str]:
    """The nodes whose names are drawn: all of a small view, the most connected of a large
    one (ties broken by distance from the centre, then name)."""
    if len(subgraph.nodes) <= LABELLED_NODES:
        return {node.id for node in subgraph.nodes}
    ordered = sorted(subgraph.nodes, key=lambda n: (-ranks.get(n.id, 0), n.depth,
                                                    n.name.casefold(), n.id))
    return {node.id for node in ordered[:LABELLED_NODES]}


def clusters(subgraph: Subgraph) -> list[dict[str, Any]]:
    """Groups of leaves (nodes two hops or more from the centre with one neighbour) that
    share that neighbour, in views of more than :data:`CLUSTER_FROM` nodes: the page draws
    each as one node that opens on a click."""
    if len(subgraph.nodes) <= CLUSTER_FROM:
        return []
    neighbours: dict[str, set[str]] = {node.id: set() for node in subgraph.nodes}
    for edge in subgraph.edges:
        if edge.source != edge.target:
            neighbours[edge.source].add(edge.target)
            neighbours[edge.target].add(edge.source)
    names = {node.id: node.name for node in subgraph.nodes}
    labels = {node.id: node.label for node in subgraph.nodes}
    groups: dict[str, list[str]] = {}
    for node in subgraph.nodes:
        others = neighbours[node.id]
        if node.depth >= 2 and len(others) == 1:  # a direct neighbour stays in view
            groups.setdefault(next(iter(others)), []).append(node.id)
    found = []
    for parent, members in sorted(groups.items()):
        if len(members) < CLUSTER_MIN:
            continue
        kinds = Counter(label_style(labels[m]).name.lower() for m in members)
        described = ", ".join(f"{count} {name}" for name, count in kinds.most_common(3))
        found.append({
            "id": f"cluster:{parent}",
            "parent": parent,
            "members": sorted(members),
            "label": f"+{len(members)} ({described})",
            "title": f"{len(members)} entidades unidas solo a {names.get(parent, parent)}; "
                     "clic para verlas",
        })
    return found


def _node_dict(
    node: SubgraphNode, centre: str, position: tuple[float, float] | None,
    shown: bool = True, rank: int = 0,
) -> dict[str, Any]:
    colour = level_colour(node.level)
    is_centre = node.id == centre
    size = CENTRE_SIZE if is_centre else NODE_SIZE + min(rank, 16) // 2
    item: dict[str, Any] = {
        "id": node.id,
        "label": node_caption(node) if shown else "",
        "title": node_tooltip(node),
        "shape": label_style(node.label).shape,
        "size": size,
        "borderWidth": 3 if is_centre else 1,
        "color": {
            "background": colour,
            "border": "#222222" if is_centre else colour,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "entityLabel": node.label,
        "governanceLevel": level_key(node.level),
        "depth": node.depth,
        "rank": rank,  # names are placed most connected first (static/labels.js)
    }
    if position is not None:
        item["x"], item["y"] = round(position[0], 1), round(position[1], 1)
    return item


def _edge_dicts(
    subgraph: Subgraph, names: Mapping[str, str], document_titles: Mapping[str, str]
) -> list[dict[str, Any]]:
    parallel: Counter[frozenset[str]] = Counter()
    items = []
    for edge in subgraph.edges:
        style = edge_style(edge.type)
        pair = frozenset((edge.source, edge.target))
        rank = parallel[pair]
        parallel[pair] += 1
        item: dict[str, Any] = {
            "id": edge.id,
            "from": edge.source,
            "to": edge.target,
            "title": edge_tooltip(edge, names, document_titles),
            "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
            "dashes": list(style.dashes) if isinstance(style.dashes, tuple) else style.dashes,
            "arrows": "to" if is_directed(edge.type) else "",
            "width": 2 if edge.evidence else 1,
            "relationType": edge.type,
        }
        if rank:  # bend parallel edges apart so that each stays visible
            item["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": 0.15 * ((rank + 1) // 2),
            }
        items.append(item)
    return items


def network_options(physics: bool, node_count: int) -> dict[str, Any]:
    """vis-network options: live physics for small views, fixed positions for large ones."""
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "sans-serif", "color": "#222222"}},
        "edges": {
            "smooth": {"enabled": physics, "type": "dynamic"} if physics else False,
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": node_count > PHYSICS_NODE_LIMIT,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"springLength": 120, "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 250, "fit": True},
        },
        "layout": {"improvedLayout": physics and node_count <= 150, "randomSeed": 7},
    }


def build_network(
    subgraph: Subgraph,
    layout: Layout = "auto",
    document_titles: Mapping[str, str] | None = None,
) -> Network:
    """The pyvis network of ``subgraph``, styled, with positions unless physics lays it out."""
    titles = document_titles or {}
    chosen = resolve_layout(layout, len(subgraph.nodes))
    physics = chosen == "physics"
    positions: dict[str, tuple[float, float]] = {}
    if not physics:
        positions = compute_positions(subgraph, cast(PositionLayout, chosen))
    names = {node.id: node.name for node in subgraph.nodes}
    ranks = importance(subgraph)
    shown = labelled(subgraph, ranks)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [
        _node_dict(node, subgraph.center, positions.get(node.id), node.id in shown,
                   ranks.get(node.id, 0))
        for node in subgraph.nodes
    ]
    net.node_ids = [node.id for node in subgraph.nodes]
    net.node_map = {item["id"]: item for item in net.nodes}
    net.edges = _edge_dicts(subgraph, names, titles)
    net.options = network_options(physics, len(subgraph.nodes))
    net.tejido_clusters = clusters(subgraph)  # type: ignore[attr-defined]
    return net
