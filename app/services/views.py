"""Build a view: the network of an entity's neighbourhood (optionally with opened nodes) or
of an analysis under its filters, ready to draw, export or embed.

This is the one place a view is made: the pages, ``/views/neighbourhood``, the view
exports and ``tejido export view`` call :func:`neighbourhood_of` (the neighbourhood, read
from the part of the store around it, cached per store revision) or :func:`analysis_view`
and only render what they get. Each :class:`BuiltView` says what it
shows (heading, summary), whether it was cut at the node cap (one notice, worded once)
and the query that makes it again (its permalink).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import networkx as nx
from pyvis.network import Network

from app.services.analyses import coordination_ties, duplicate_pairs, overlap_pairs
from app.services.filters import AnalysisFilters, FilterError
from app.services.workspace import Workspace
from app.views.analysis_graphs import (
    AnalysisView,
    analysis_network,
    duplication_view,
    overlap_view,
    relations_between,
    ties_view,
)
from app.views.network import LAYOUTS, Layout, resolve_layout
from queries.exploration import neighbourhood
from queries.profiles import node_summary
from queries.results import EntityNotFound, Subgraph, SubgraphNode

ViewKind = Literal["neighbourhood", "coordination", "overlap", "duplication"]
VIEW_KINDS: tuple[str, ...] = ("neighbourhood", "coordination", "overlap", "duplication")
ANALYSIS_KINDS: tuple[str, ...] = ("coordination", "overlap", "duplication")
MAX_OPENED = 200  # expanded nodes one view may ask for
LAYOUT_NAMES = {
    "physics": "física en vivo",
    "radial": "radial (posiciones calculadas)",
    "layered": "por nivel de gobierno",
    "spring": "resortes (posiciones calculadas)",
}
ITEM_NAMES = {
    "coordination": "vínculos",
    "overlap": "pares de instituciones",
    "duplication": "pares de instrumentos",
}
HEADINGS = {
    "coordination": "Vínculos de coordinación",
    "overlap": "Traslapes de competencias",
    "duplication": "Posibles duplicaciones de instrumentos",
}


class ViewNotFound(LookupError):
    """The view names an entity, or is of a kind, that does not exist."""


@dataclass(frozen=True)
class BuiltView:
    """A view ready to draw: its subgraph, network, heading, summary, cut notice and the
    query parameters that rebuild it."""

    kind: str
    subgraph: Subgraph
    net: Network
    heading: str
    summary: str
    notice: str | None
    query: dict[str, str]


def read_layout(value: str | None) -> Layout:
    """A layout name (blank: ``auto``); FilterError otherwise."""
    if value is None or not str(value).strip():
        return "auto"
    if value not in LAYOUTS:
        raise FilterError("layout", f"expected one of {', '.join(LAYOUTS)}, got {value!r}")
    return cast(Layout, value)


def read_depth(value: object) -> int:
    """A neighbourhood depth from 1 to 3 (blank: 1); FilterError otherwise."""
    if value is None or not str(value).strip():
        return 1
    if str(value).strip() not in ("1", "2", "3"):
        raise FilterError("depth", f"expected 1, 2 or 3, got {value!r}")
    return int(str(value).strip())


def counted(count: int, singular: str, plural: str) -> str:
    """``1 nodo``, ``3 nodos``."""
    return f"{count} {singular if count == 1 else plural}"


def view_summary(subgraph: Subgraph, layout: Layout) -> str:
    """``12 nodos · 15 relaciones · disposición: …``."""
    chosen = resolve_layout(layout, len(subgraph.nodes))
    return (
        f"{counted(len(subgraph.nodes), 'nodo', 'nodos')} · "
        f"{counted(len(subgraph.edges), 'relación', 'relaciones')} · "
        f"disposición: {LAYOUT_NAMES.get(chosen, chosen)}"
    )


def cut_notice(subgraph: Subgraph, cap: int) -> str | None:
    """The message of a neighbourhood view that stopped at the node cap."""
    if not subgraph.truncated:
        return None
    return (
        f"Vista recortada: se muestran {len(subgraph.nodes)} nodos, el máximo de una vista "
        f"(TEJIDO_MAX_VIEW_NODES = {cap}). Reduzca la profundidad para ver el vecindario "
        "completo."
    )


def analysis_notice(view: AnalysisView, kind: str, cap: int) -> str | None:
    """The message of an analysis view that stopped at the node cap."""
    if not view.truncated:
        return None
    return (
        f"Vista recortada: se muestran {view.shown} de {view.given} {ITEM_NAMES[kind]}, "
        f"el máximo que cabe en {cap} nodos (TEJIDO_MAX_VIEW_NODES). Reduzca «top» o "
        "use los filtros para ver el resto."
    )


def expanded_subgraph(
    graph: nx.MultiDiGraph, centre: str, depth: int, opened: Sequence[str], cap: int
) -> Subgraph:
    """The neighbourhood of ``centre`` plus the direct neighbours of each ``opened`` node,
    in that order up to ``cap`` nodes, with every relation between two of them."""
    if not opened:
        return neighbourhood(graph, centre, depth=depth, limit=cap)
    chosen: dict[str, int] = {}
    truncated = False
    for node, hops in ((centre, depth), *((o, 1) for o in opened)):
        part = neighbourhood(graph, node, depth=hops, limit=cap)
        truncated |= part.truncated
        for item in part.nodes:
            if item.id in chosen:
                continue
            if len(chosen) >= cap:
                truncated = True
                break
            chosen[item.id] = item.depth
    nodes = [SubgraphNode(**node_summary(graph, n).model_dump(), depth=d)
             for n, d in chosen.items()]
    return Subgraph(center=centre, depth=depth, nodes=nodes,
                    edges=relations_between(graph, chosen), truncated=truncated)


def neighbourhood_view(
    graph: nx.MultiDiGraph, titles: Mapping[str, str], entity_id: str, *, depth: int = 1,
    layout: Layout = "auto", cap: int = 2000, opened: Sequence[str] = (),
) -> BuiltView:
    """The neighbourhood of ``entity_id`` (and of each ``opened`` node); ViewNotFound when
    one of them does not exist."""
    for node in (entity_id, *opened):
        if node not in graph:
            raise ViewNotFound(f"no hay ninguna entidad con id {node!r}")
    if len(opened) > MAX_OPENED:
        raise FilterError("open", f"at most {MAX_OPENED} opened nodes, got {len(opened)}")
    try:
        subgraph = expanded_subgraph(graph, entity_id, depth, list(opened), cap)
    except EntityNotFound as exc:
        raise ViewNotFound(f"no hay ninguna entidad con id {entity_id!r}") from exc
    name = graph.nodes[entity_id].get("name") or entity_id
    query = {"id": entity_id, "depth": str(depth)}
    if layout != "auto":
        query["layout"] = layout
    if opened:
        query["open"] = ",".join(opened)
    return BuiltView(
        kind="neighbourhood",
        subgraph=subgraph,
        net=analysis_network(subgraph, layout, titles),
        heading=f"Vecindario de {name}",
        summary=f"profundidad {depth} · {view_summary(subgraph, layout)}",
        notice=cut_notice(subgraph, cap),
        query=query,
    )


def neighbourhood_of(
    workspace: Workspace, entity_id: str, *, depth: int = 1, layout: Layout = "auto",
    opened: Sequence[str] = (),
) -> BuiltView:
    """The neighbourhood view of ``entity_id`` (and of each ``opened`` node) as every entry
    point shows it: read from the part of the store around it, under the workspace's node
    cap, computed once per store revision."""
    cap = workspace.max_view_nodes
    return workspace.cached(
        ("view", "neighbourhood", entity_id, depth, layout, tuple(opened), cap),
        lambda: neighbourhood_view(workspace.neighbourhood_graph(entity_id, depth, opened),
                                   workspace.titles(), entity_id, depth=depth, layout=layout,
                                   cap=cap, opened=opened))


def analysis_view(
    graph: nx.MultiDiGraph, titles: Mapping[str, str], kind: str, filters: AnalysisFilters,
    *, layout: Layout = "auto", cap: int = 2000,
) -> BuiltView:
    """The network view of one analysis under ``filters``."""
    if kind == "coordination":
        ties, total = coordination_ties(graph, filters)
        view = ties_view(graph, ties, cap)
        described = f"{counted(len(ties), 'vínculo', 'vínculos')} de {total}"
    elif kind == "overlap":
        pairs = overlap_pairs(graph, filters).pairs
        view = overlap_view(graph, pairs, cap)
        described = counted(len(pairs), "par", "pares")
    elif kind == "duplication":
        dup_pairs = duplicate_pairs(graph, filters).pairs
        view = duplication_view(graph, dup_pairs, cap)
        described = counted(len(dup_pairs), "par", "pares")
    else:
        raise ViewNotFound(f"no hay una vista llamada {kind!r}")
    query = {**filters.as_query(), **({"layout": layout} if layout != "auto" else {})}
    return BuiltView(
        kind=kind,
        subgraph=view.subgraph,
        net=analysis_network(view.subgraph, layout, titles),
        heading=HEADINGS[kind],
        summary=f"{described} · {view_summary(view.subgraph, layout)}",
        notice=analysis_notice(view, kind, cap),
        query=query,
    )


def opened_nodes(value: str | Sequence[str] | None) -> list[str]:
    """``open=a,b`` or repeated ``open`` parameters as a list of ids, in order, once each."""
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    found: list[str] = []
    for part in parts:
        for item in str(part).split(","):
            item = item.strip()
            if item and item not in found:
                found.append(item)
    return found
