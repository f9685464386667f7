"""The network views of the analyses: which entities and edges each one draws.

Every view follows one rule: the entities an analysis names, every relation of the graph
between two of them (with its evidence), and, for overlap and duplication, one derived
edge per ranked pair (``OVERLAP``, ``DUPLICATE``) carrying the score, what the pair
shares and its evidence.

- coordination: the tied institutions and the bodies and instruments their ties go
  through;
- overlap: the institutions of the ranked pairs;
- duplication: the instruments of the ranked pairs and the institutions responsible.

Pairs are taken in rank order while their entities fit under the node cap; the view says
when it stopped early.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
from pyvis.network import Network

from app.views.labels import FACET_LABELS, component_label, facet_value_label, score_text
from app.views.network import Layout, build_network, evidence_line, shorten
from app.views.page import Legend, LegendEntry, legend_for
from app.views.styles import EdgeStyle
from queries.profiles import node_summary, to_evidence
from queries.results import (
    DuplicatePair,
    OverlapPair,
    Subgraph,
    SubgraphEdge,
    SubgraphNode,
    Tie,
)

OVERLAP = "OVERLAP"
DUPLICATE = "DUPLICATE"
DERIVED_EDGE_STYLES: dict[str, EdgeStyle] = {
    OVERLAP: EdgeStyle("#f39c12", (10, 6), "traslape de competencias, calculado"),
    DUPLICATE: EdgeStyle("#e84393", (10, 6), "posible duplicación, calculada"),
}
TOOLTIP_QUOTES = 2
SHARED_SHOWN = 6


@dataclass(frozen=True)
class AnalysisView:
    """A subgraph to draw and how many ranked items it shows out of how many it was given."""

    subgraph: Subgraph
    shown: int
    given: int

    @property
    def truncated(self) -> bool:
        """Whether items were left out to stay under the node cap."""
        return self.shown < self.given


# --------------------------------------------------------------------------- selection


def _take(
    groups: Iterable[Sequence[tuple[str, int]]], cap: int
) -> tuple[dict[str, int], int, int]:
    """Nodes (with their depth) of the leading groups that fit under ``cap`` nodes."""
    chosen: dict[str, int] = {}
    shown = given = 0
    full = False
    for group in groups:
        given += 1
        if full:
            continue
        new = {node: depth for node, depth in group if node not in chosen}
        if len(chosen) + len(new) > cap:
            full = True
            continue
        chosen.update(new)
        shown += 1
    return chosen, shown, given


def relations_between(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> list[SubgraphEdge]:
    """Every relation of ``graph`` whose two ends are among ``nodes``, with evidence."""
    inside = set(nodes)
    edges = [
        SubgraphEdge(
            id=data.get("id") or f"{source}|{rel_type}|{target}",
            source=source,
            target=target,
            type=rel_type,
            properties=dict(data.get("properties") or {}),
            evidence=to_evidence(data.get("evidence")),
        )
        for source in sorted(inside)
        for _, target, rel_type, data in graph.out_edges(source, keys=True, data=True)
        if target in inside
    ]
    edges.sort(key=lambda e: (e.source, e.target, e.type))
    return edges


def _subgraph(
    graph: nx.MultiDiGraph, chosen: Mapping[str, int], derived: list[SubgraphEdge]
) -> Subgraph:
    nodes = [
        SubgraphNode(**node_summary(graph, node).model_dump(), depth=depth)
        for node, depth in sorted(chosen.items(), key=lambda item: (item[1], item[0]))
    ]
    return Subgraph(
        center="",
        depth=max(chosen.values(), default=0),
        nodes=nodes,
        edges=[*relations_between(graph, chosen), *derived],
    )


def ties_view(graph: nx.MultiDiGraph, ties: Sequence[Tie], cap: int) -> AnalysisView:
    """Tied institutions (depth 0) and the bodies and instruments of their ties (depth 1)."""
    groups = [
        [(tie.a, 0), (tie.b, 0), *((c.via, 1) for c in tie.channels if c.via and c.via in graph)]
        for tie in ties
    ]
    chosen, shown, given = _take(groups, cap)
    for node, depth in list(chosen.items()):  # an institution tied directly stays in front
        if depth == 1 and any(node in (t.a, t.b) for t in ties):
            chosen[node] = 0
    return AnalysisView(_subgraph(graph, chosen, []), shown, given)


def overlap_view(graph: nx.MultiDiGraph, pairs: Sequence[OverlapPair], cap: int) -> AnalysisView:
    """The institutions of the ranked pairs, one ``OVERLAP`` edge per pair."""
    chosen, shown, given = _take(([(p.a, 0), (p.b, 0)] for p in pairs), cap)
    derived = [
        SubgraphEdge(
            id=f"{OVERLAP}|{p.a}|{p.b}",
            source=p.a,
            target=p.b,
            type=OVERLAP,
            properties={"score": p.score, "explicit": p.explicit, "shared": p.shared},
            evidence=p.evidence,
        )
        for p in pairs
        if p.a in chosen and p.b in chosen
    ]
    return AnalysisView(_subgraph(graph, chosen, derived), shown, given)


def duplication_view(
    graph: nx.MultiDiGraph, pairs: Sequence[DuplicatePair], cap: int
) -> AnalysisView:
    """The instruments of the ranked pairs (depth 0), one ``DUPLICATE`` edge per pair, and
    the institutions responsible for them (depth 1)."""
    groups = [
        [(p.a, 0), (p.b, 0),
         *((owner, 1) for owner in (*p.responsible_a, *p.responsible_b) if owner in graph)]
        for p in pairs
    ]
    chosen, shown, given = _take(groups, cap)
    derived = [
        SubgraphEdge(
            id=f"{DUPLICATE}|{p.a}|{p.b}",
            source=p.a,
            target=p.b,
            type=DUPLICATE,
            properties={"score": p.score, "breakdown": p.breakdown, "shared": p.shared,
                        "cross_level": p.cross_level},
            evidence=[*p.evidence_a[:1], *p.evidence_b[:1]],
        )
        for p in pairs
        if p.a in chosen and p.b in chosen
    ]
    return AnalysisView(_subgraph(graph, chosen, derived), shown, given)


# --------------------------------------------------------------------------- drawing


def derived_tooltip(
    edge: SubgraphEdge, names: Mapping[str, str], document_titles: Mapping[str, str]
) -> str:
    """Plain-text tooltip of an ``OVERLAP`` or ``DUPLICATE`` edge."""
    props = edge.properties
    score = score_text(props.get("score"))
    if edge.type == OVERLAP:
        head = f"Traslape de competencias · puntaje {score}"
        if props.get("explicit"):
            head += " · declarado en un documento"
    else:
        head = f"Posible duplicación · puntaje {score}"
        if props.get("cross_level"):
            head += " · entre niveles"
    lines = [head, f"{names.get(edge.source, edge.source)} ↔ {names.get(edge.target, edge.target)}"]
    breakdown = props.get("breakdown") or {}
    if breakdown:
        lines.append(" · ".join(
            f"{component_label(k)} {score_text(v)}" for k, v in breakdown.items()
        ))
    lines += [f"{label}: {values}" for label, values in
              shared_summary(props.get("shared") or {}, SHARED_SHOWN)]
    lines += [evidence_line(ev, document_titles) for ev in edge.evidence[:TOOLTIP_QUOTES]]
    if not edge.evidence:
        lines.append("(sin evidencia registrada)")
    return "\n".join(shorten(line, 400) for line in lines)


def analysis_network(
    subgraph: Subgraph, layout: Layout = "auto", document_titles: Mapping[str, str] | None = None
) -> Network:
    """:func:`app.views.network.build_network`, with the derived edges styled and explained
    (an empty view is drawn without physics)."""
    titles = document_titles or {}
    if not subgraph.nodes:  # nothing to lay out: no physics, so the page is still at once
        layout = "radial"
    net = build_network(subgraph, layout, titles)
    derived = {edge.id: edge for edge in subgraph.edges if edge.type in DERIVED_EDGE_STYLES}
    if not derived:
        return net
    names = {node.id: node.name for node in subgraph.nodes}
    for item in net.edges:
        edge = derived.get(item["id"])
        if edge is None:
            continue
        style = DERIVED_EDGE_STYLES[edge.type]
        score = float(edge.properties.get("score") or 0.0)
        item.update({
            "title": derived_tooltip(edge, names, titles),
            "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
            "dashes": list(style.dashes) if isinstance(style.dashes, tuple) else style.dashes,
            "arrows": "",
            "width": round(1 + 5 * max(0.0, min(score, 1.0)), 2),
        })
    return net


def view_legend(net: Network) -> Legend:
    """The legend of ``net`` (:func:`app.views.page.legend_for`), derived edges named."""
    legend = legend_for(net)
    relations = []
    for entry in legend.relations:
        style = DERIVED_EDGE_STYLES.get(entry.key)
        if style is None:
            relations.append(entry)
        else:
            relations.append(LegendEntry(key=entry.key, name=style.gloss.capitalize(),
                                         colour=style.colour, line=style.dash_css))
    return Legend(levels=legend.levels, labels=legend.labels, relations=relations)


SHARED_FACET_ORDER: tuple[str, ...] = (
    "themes", "target_groups", "support_types", "territories", "levels", "institutions", "terms",
)


def shared_summary(
    shared: Mapping[str, list[str]], limit: int | None = None,
    name_of: Callable[[str], str] | None = None,
) -> list[tuple[str, str]]:
    """(Spanish facet name, comma-separated values) for each non-empty shared facet, at most
    ``limit`` values each (then how many more); ``name_of`` names the institutions and
    territories given by id."""
    out = []
    for facet in SHARED_FACET_ORDER:
        values = shared.get(facet) or []
        if not values:
            continue
        shown = values if limit is None else values[:limit]
        if name_of is not None and facet in ("institutions", "territories"):
            text = ", ".join(name_of(v) for v in shown)
        else:
            text = ", ".join(facet_value_label(facet, v) for v in shown)
        if len(shown) < len(values):
            text += f" (y {len(values) - len(shown)} más)"
        out.append((FACET_LABELS.get(facet, facet), text))
    return out
