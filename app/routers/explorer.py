"""The web explorer: search, entity and document pages, the neighbourhood explorer, the
coordination, overlap and duplication pages, and every view alone or as a file.

Pages:

- ``/``: search as you type (accents and case ignored) with type, level, country and theme
  filters, and the store's counts;
- ``/explore/entity/{id}``: properties, facets, relationships with their evidence quotes
  (each links to the passage highlighted in its document) and the neighbourhood, depth 1
  to 3, whose nodes expand on click;
- ``/explore/document/{id}?highlight=start,end``: a document's text, the span marked;
- ``/explore/coordination``, ``/explore/overlap``, ``/explore/duplication``: the analyses
  with the filters of the API, tables and a network view;
- ``/explore/view/{kind}``: the view of a page alone, to embed with an iframe, as one
  standalone HTML file (``format=standalone``) or as GraphML, GEXF or CSV.

Bad parameters are a 422 page naming them, unknown ids a 404 page. Every text that comes
from a document is escaped by the templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlencode

import networkx as nx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pyvis.network import Network

from app.analyses import (
    AnalysisFilters,
    FilterError,
    app_cache,
    coordination_brokers,
    coordination_gaps,
    coordination_matrix,
    coordination_ties,
    countries_in_graph,
    duplicate_pairs,
    entities_in_territory,
    entities_with_theme,
    overlap_pairs,
    parse_filters,
    parse_territory,
    parse_theme,
    theme_labels,
    themes_in_graph,
)
from app.deps import document_titles, get_settings, get_store
from app.routers.api import (
    MAX_PAGE,
    Depth,
    DocumentIdPath,
    EntityIdPath,
    EntityIdQuery,
    EntityPage,
    EntitySummary,
)
from app.routers.views import LAYOUT_NAMES, cut_notice
from app.settings import Settings
from app.views.analysis_graphs import (
    AnalysisView,
    analysis_network,
    duplication_view,
    overlap_view,
    relations_between,
    shared_summary,
    ties_view,
    view_legend,
)
from app.views.heatmap import heatmap
from app.views.labels import ENTITY_LABELS, LEVEL_LABELS, entity_label
from app.views.network import LAYOUTS, Layout, build_network, resolve_layout
from app.views.styles import edge_style
from app.views.subgraph_files import FILE_FORMATS, FileFormat, subgraph_file
from app.views.templating import render
from app.views.view_page import NetworkBlock, network_block, render_view_page
from graph.model import Entity
from graph.normalize import normalize_name
from graph.stores import Store
from graph.vocab import LABELS, LEVELS
from queries.exploration import entity_profile, neighbourhood
from queries.profiles import node_summary
from queries.results import EntityNotFound, Subgraph, SubgraphNode

router = APIRouter(tags=["explorer"])

ViewKind = Literal["neighbourhood", "coordination", "overlap", "duplication"]
ViewFormat = Literal["html", "standalone", "graphml", "gexf", "nodes.csv", "edges.csv"]
HIGHLIGHT = re.compile(r"^(\d{1,10}),(\d{1,10})$")
ANALYSIS_KINDS: tuple[str, ...] = ("coordination", "overlap", "duplication")
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
ENTITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("acronym", "Sigla"),
    ("aliases", "Otros nombres"),
    ("kind", "Tipo"),
    ("sector", "Sector"),
    ("level", "Nivel de gobierno"),
    ("country", "País"),
    ("territory", "Territorio"),
    ("objective", "Objetivo"),
    ("description", "Descripción"),
    ("code", "Código"),
    ("period", "Período"),
    ("budget", "Presupuesto"),
    ("source", "Fuente"),
)
SEARCH_SCAN = 500  # rows per store search page when a theme filter narrows the results


class PageError(Exception):
    """A request the pages answer with an error page (status and message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------- page plumbing


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def page_context(request: Request, page: str, title: str) -> dict[str, Any]:
    """What every explorer page needs: title, current page, root path, static prefix."""
    root = _root(request)
    return {"title": title, "page": page, "root": root, "static": f"{root}/static",
            "network": None}


def html_page(template: str, context: Mapping[str, Any], status: int = 200) -> HTMLResponse:
    """A rendered page."""
    return HTMLResponse(render(template, **context), status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An explorer error page stating ``message`` (escaped)."""
    context = page_context(request, "error", f"Error {status}")
    context["status"] = status
    context["message"] = message
    return html_page("explorer_error.html", context, status)


def answer(request: Request, build: Callable[[], Response]) -> Response:
    """``build()``, or the error page of the :class:`PageError` it raised."""
    try:
        return build()
    except PageError as exc:
        return error_page(request, exc.status, exc.message)
    except FilterError as exc:
        return error_page(request, 422, f"parámetro {exc.parameter}: {exc.message}")


def absolute_base(request: Request) -> str:
    """``scheme://host[:port]`` of this request, for links pasted elsewhere."""
    return f"{request.url.scheme}://{request.url.netloc}"


def read_layout(value: str | None) -> Layout:
    """A layout name (blank: ``auto``)."""
    if value is None or not value.strip():
        return "auto"
    if value not in LAYOUTS:
        raise FilterError("layout", f"expected one of {', '.join(LAYOUTS)}, got {value!r}")
    return cast(Layout, value)


def read_depth(value: str | None) -> int:
    """A neighbourhood depth from 1 to 3 (blank: 1)."""
    if value is None or not value.strip():
        return 1
    if value.strip() not in ("1", "2", "3"):
        raise FilterError("depth", f"expected 1, 2 or 3, got {value!r}")
    return int(value)


def read_filters(request: Request, graph: nx.MultiDiGraph) -> AnalysisFilters:
    """The analysis filters of the query string (blank fields are defaults)."""
    return parse_filters(request.query_params, graph)


def filter_options(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Choices of the filter forms: level pairs, countries and themes present."""
    pairs = [
        (f"{a},{b}", f"{LEVEL_LABELS[a]} – {LEVEL_LABELS[b]}")
        for i, a in enumerate(LEVELS) for b in LEVELS[i:]
    ]
    labels = theme_labels(graph)
    present = themes_in_graph(graph)
    themes = sorted(((t, labels.get(t, t)) for t in present), key=lambda x: x[1].casefold())
    return {
        "level_pairs": pairs,
        "countries": countries_in_graph(graph),
        "themes": themes,
        "layouts": [(name, LAYOUT_NAMES.get(name, "automática")) for name in LAYOUTS],
        "types": [(label, ENTITY_LABELS[label]) for label in LABELS if label != "GovernanceLevel"],
        "levels": [(level, LEVEL_LABELS[level]) for level in LEVELS],
    }


def counted(count: int, singular: str, plural: str) -> str:
    """``1 nodo``, ``3 nodos``."""
    return f"{count} {singular if count == 1 else plural}"


def view_summary(subgraph: Subgraph, layout: Layout) -> str:
    """``12 nodos · 15 relaciones · disposición: …``."""
    chosen = resolve_layout(layout, len(subgraph.nodes))
    return (
        f"{counted(len(subgraph.nodes), 'nodo', 'nodos')} · "
        f"{counted(len(subgraph.edges), 'relación', 'relaciones')} · "
        f"disposición: {LAYOUT_NAMES[chosen]}"
    )


def analysis_notice(view: AnalysisView, kind: str, cap: int) -> str | None:
    """The message shown when an analysis view stopped at the node cap."""
    if not view.truncated:
        return None
    return (
        f"Vista recortada: se muestran {view.shown} de {view.given} {ITEM_NAMES[kind]}, "
        f"el máximo que cabe en {cap} nodos (TEJIDO_MAX_VIEW_NODES). Reduzca «top» o "
        "use los filtros para ver el resto."
    )


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class BuiltView:
    """A view ready to draw: its subgraph, network, heading, summary and cut notice."""

    subgraph: Subgraph
    net: Network
    heading: str
    summary: str
    notice: str | None
    query: dict[str, str]


def build_analysis_view(
    graph: nx.MultiDiGraph, titles: Mapping[str, str], kind: str, filters: AnalysisFilters,
    layout: Layout, cap: int,
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
        raise PageError(404, f"no hay una vista llamada {kind!r}")
    net = analysis_network(view.subgraph, layout, titles)
    query = {**filters.as_query(), **({"layout": layout} if layout != "auto" else {})}
    return BuiltView(
        subgraph=view.subgraph,
        net=net,
        heading=HEADINGS[kind],
        summary=f"{described} · {view_summary(view.subgraph, layout)}",
        notice=analysis_notice(view, kind, cap),
        query=query,
    )


def build_neighbourhood_view(
    graph: nx.MultiDiGraph, titles: Mapping[str, str], entity_id: str, depth: int,
    layout: Layout, cap: int,
) -> BuiltView:
    """The neighbourhood of ``entity_id`` (404 page when there is no such entity)."""
    try:
        subgraph = neighbourhood(graph, entity_id, depth=depth, limit=cap)
    except EntityNotFound as exc:
        raise PageError(404, f"no hay ninguna entidad con id {entity_id!r}") from exc
    name = graph.nodes[entity_id].get("name") or entity_id
    query = {"id": entity_id, "depth": str(depth)}
    if layout != "auto":
        query["layout"] = layout
    return BuiltView(
        subgraph=subgraph,
        net=build_network(subgraph, layout, titles),
        heading=f"Vecindario de {name}",
        summary=f"profundidad {depth} · {view_summary(subgraph, layout)}",
        notice=cut_notice(subgraph, cap),
        query=query,
    )


def cached_view(
    request: Request, store: Store, key: tuple, build: Callable[[], BuiltView]
) -> BuiltView:
    """A built view from the per-revision cache."""
    return app_cache(request.app.state).get(store.revision(), ("view", *key), build)


def block_for(
    request: Request, built: BuiltView, kind: str, cap: int, mode: str = "open",
    expand_url: str | None = None,
) -> NetworkBlock:
    """The network block of an explorer page for ``built``."""
    return network_block(
        built.net,
        title=built.heading,
        summary=built.summary,
        notice=built.notice,
        view_path=f"{_root(request)}/explore/view/{kind}",
        query=built.query,
        absolute_base=absolute_base(request),
        mode="expand" if mode == "expand" else "open",
        cap=cap,
        expand_url=expand_url,
    )


# --------------------------------------------------------------------------- home, search


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, store: Store = Depends(get_store)) -> Response:
    """The explorer's front page: search with filters, counts, the analysis pages."""
    graph = store.view()
    context = page_context(request, "home", "Explorador")
    context |= {"stats": store.stats(), "options": filter_options(graph)}
    return html_page("explorer_home.html", context)


@router.get("/explore/search", response_model=EntityPage)
def search(
    q: Annotated[str | None, Query(max_length=200, description="words of a name, alias or "
                                   "acronym; accents and case are ignored")] = None,
    label: Annotated[str | None, Query(alias="type", max_length=40)] = None,
    level: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    theme: Annotated[str | None, Query(max_length=80, description="theme id or label")] = None,
    territory: Annotated[str | None, Query(
        max_length=120, description="a state, region or municipality by name")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    store: Store = Depends(get_store),
) -> Response:
    """``/entities`` with two more filters: ``theme`` (instruments carrying it, institutions
    whose profile has it) and ``territory`` (what lies or acts in it, a place inside it
    counting). Blank parameters are ignored."""
    label = label or None
    level = level or None
    country = (country or "").upper() or None
    if label is not None and label not in LABELS:
        return JSONResponse({"detail": f"query parameter 'type': unknown label {label!r}"}, 422)
    if level is not None and level not in LEVELS:
        return JSONResponse({"detail": f"query parameter 'level': unknown level {level!r}"}, 422)
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        return JSONResponse({"detail": "query parameter 'country': expected a two-letter "
                                       f"country code, got {country!r}"}, 422)
    graph = store.view()
    try:
        theme_id = parse_theme(theme, graph)
        place = parse_territory(territory)
    except FilterError as exc:
        return JSONResponse({"detail": f"query parameter {exc}"}, 422)
    allowed = None
    if theme_id is not None:
        allowed = entities_with_theme(graph, theme_id)
    if place is not None:
        in_place = entities_in_territory(graph, place)
        allowed = in_place if allowed is None else allowed & in_place
    found = search_entities(store, graph, q, label, level, country, allowed, limit, offset)
    items = [EntitySummary(**e.model_dump(include=set(EntitySummary.model_fields)))
             for e in found]
    return JSONResponse(EntityPage(items=items, limit=limit, offset=offset).model_dump())


def search_entities(
    store: Store, graph: nx.MultiDiGraph, q: str | None, label: str | None, level: str | None,
    country: str | None, allowed: frozenset[str] | None, limit: int, offset: int,
) -> list[Entity]:
    """The store's search, narrowed to the ``allowed`` entities when a set is given."""
    if allowed is None:
        return store.search_entities(q=q, label=label, level=level, country=country,
                                     limit=limit, offset=offset)
    themed = allowed
    if not q or not q.strip():
        chosen = sorted(
            (n for n in themed
             if (label is None or graph.nodes[n].get("label") == label)
             and (level is None or graph.nodes[n].get("level") == level)
             and (country is None or str(graph.nodes[n].get("country") or "").upper() == country)),
            key=lambda n: (normalize_name(graph.nodes[n].get("name") or n), n),
        )[offset:offset + limit]
        by_id = {e.id: e for e in store.get_entities(chosen)}
        return [by_id[n] for n in chosen if n in by_id]
    kept: list[Entity] = []
    start = 0
    while len(kept) < offset + limit:
        batch = store.search_entities(q=q, label=label, level=level, country=country,
                                      limit=SEARCH_SCAN, offset=start)
        kept += [e for e in batch if e.id in themed]
        if len(batch) < SEARCH_SCAN:
            break
        start += SEARCH_SCAN
    return kept[offset:offset + limit]


# --------------------------------------------------------------------------- entity pages


def evidence_link(root: str, document_id: str, start: int, end: int) -> str:
    """The document page with the quoted span highlighted."""
    return f"{root}/explore/document/{document_id}?highlight={start},{end}#tj-highlight"


def entity_fields(entity: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(Spanish field name, value as text) for the entity's non-empty properties."""
    rows = []
    for key, name in ENTITY_FIELDS:
        value = entity.get(key)
        if value in (None, "", [], {}):
            continue
        if key == "level":
            value = LEVEL_LABELS.get(value, value)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, float):
            value = f"{value:,.0f}".replace(",", ".")
        rows.append((name, str(value)))
    return rows


@router.get("/explore/entity/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(
    request: Request,
    entity_id: EntityIdPath,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """An entity: properties, facets, relationships with evidence, its neighbourhood."""

    def build() -> Response:
        graph = store.view()
        try:
            profile = entity_profile(graph, entity_id)
        except EntityNotFound as exc:
            raise PageError(404, f"no hay ninguna entidad con id {entity_id!r}") from exc
        depth = read_depth(request.query_params.get("depth"))
        layout = read_layout(request.query_params.get("layout"))
        titles = document_titles(store)
        cap = settings.max_view_nodes
        built = cached_view(
            request, store, ("neighbourhood", entity_id, depth, layout, cap),
            lambda: build_neighbourhood_view(graph, titles, entity_id, depth, layout, cap),
        )
        root = _root(request)
        expand = f"{root}/explore/graph/expand?{urlencode({'id': entity_id, 'depth': depth})}"
        block = block_for(request, built, "neighbourhood", cap, mode="expand",
                          expand_url=expand)
        entity = profile.entity
        relations = [
            {
                "type": rel.type,
                "gloss": edge_style(rel.type).gloss,
                "direction": rel.direction,
                "other": rel.other,
                "role": rel.properties.get("role") if isinstance(
                    rel.properties.get("role"), str) else None,
                "evidence": [
                    {"quote": ev.quote, "title": titles.get(ev.document_id) or ev.document_id,
                     "start": ev.start, "end": ev.end,
                     "href": evidence_link(root, ev.document_id, ev.start, ev.end)}
                    for ev in rel.evidence
                ],
            }
            for rel in profile.relations
        ]
        facets = [
            (facet, [(v.value, v.count) for v in values])
            for facet, values in profile.facets.items() if values
        ]
        context = page_context(request, "entity", str(entity.get("name") or entity_id))
        context |= {
            "entity": entity,
            "entity_id": entity_id,
            "kind_label": entity_label(entity.get("label")),
            "fields": entity_fields(entity),
            "facets": facets,
            "relations": relations,
            "relations_truncated": profile.truncated,
            "relation_total": sum(profile.relation_counts.values()),
            "depth": depth,
            "layout": layout,
            "options": filter_options(graph),
            "network": block,
        }
        return html_page("explorer_entity.html", context)

    return answer(request, build)


MAX_OPENED = 200  # expanded nodes one explorer page may ask for


def expanded_subgraph(
    graph: nx.MultiDiGraph, centre: str, depth: int, opened: list[str], cap: int
) -> Subgraph:
    """The neighbourhood of ``centre`` plus the direct neighbours of each ``opened`` node,
    in that order up to ``cap`` nodes, with every relation between two of them."""
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


@router.get("/explore/graph/expand", include_in_schema=False)
def expand_graph(
    entity_id: EntityIdQuery,
    depth: Depth = 1,
    opened: Annotated[list[str], Query(alias="open", max_length=MAX_OPENED)] = [],  # noqa: B006
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """What an entity page shows after its visitor opened (clicked) nodes: the page's
    neighbourhood and each opened node's neighbours, styled, with every relation between
    them. The page adds the nodes and edges it does not have yet."""
    graph = store.view()
    for node in (entity_id, *opened):
        if node not in graph:
            return JSONResponse({"detail": f"no entity with id {node!r}"}, 404)
    subgraph = expanded_subgraph(graph, entity_id, depth, opened, settings.max_view_nodes)
    net = build_network(subgraph, "physics", document_titles(store))
    legend = [asdict(entry) for entry in view_legend(net).relations]
    return JSONResponse({"center": entity_id, "nodes": net.nodes, "edges": net.edges,
                         "legend": legend, "truncated": subgraph.truncated})


@router.get("/explore/document/{document_id}", response_class=HTMLResponse,
            include_in_schema=False)
def document_page(
    request: Request, document_id: DocumentIdPath, store: Store = Depends(get_store)
) -> Response:
    """A document's text; ``?highlight=start,end`` marks the quoted span."""

    def build() -> Response:
        doc = store.get_document(document_id)
        if doc is None:
            raise PageError(404, f"no hay ningún documento con id {document_id!r}")
        text = doc.text
        span = None
        raw = request.query_params.get("highlight")
        if raw:
            match = HIGHLIGHT.match(raw.strip())
            if match is None:
                raise FilterError("highlight", f"expected start,end offsets, got {raw!r}")
            start, end = int(match.group(1)), int(match.group(2))
            if not start <= end <= len(text):
                raise FilterError("highlight", f"{raw!r} is outside the document: expected "
                                  f"0 <= start <= end <= {len(text)}")
            span = (start, end)
        context = page_context(request, "document", doc.title or doc.path)
        context |= {
            "document": doc,
            "before": text[: span[0]] if span else text,
            "marked": text[span[0]: span[1]] if span else None,
            "after": text[span[1]:] if span else "",
            "span": span,
        }
        return html_page("explorer_document.html", context)

    return answer(request, build)


# --------------------------------------------------------------------------- analysis pages


DATA_PARAMETERS: dict[str, tuple[str, ...]] = {
    "matrix": ("country", "theme", "min_score"),
    "ties": ("level_pair", "country", "theme", "top"),
    "gaps": ("level_pair", "country", "theme", "top", "min_score"),
    "brokers": ("country", "theme", "top"),
    "pairs": ("level_pair", "country", "theme", "top", "min_score"),
}


def data_queries(filters: AnalysisFilters) -> dict[str, dict[str, str]]:
    """For each data link of an analysis page, the filters its endpoint takes."""
    query = filters.as_query()
    return {
        name: {key: query[key] for key in keys if key in query}
        for name, keys in DATA_PARAMETERS.items()
    }


def _analysis_page(
    request: Request, store: Store, settings: Settings, kind: str,
    extra: Callable[[nx.MultiDiGraph, AnalysisFilters], dict[str, Any]],
) -> Response:
    def build() -> Response:
        graph = store.view()
        filters = read_filters(request, graph)
        layout = read_layout(request.query_params.get("layout"))
        cap = settings.max_view_nodes
        titles = document_titles(store)
        built = cached_view(
            request, store, (kind, filters, layout, cap),
            lambda: build_analysis_view(graph, titles, kind, filters, layout, cap),
        )
        root = _root(request)
        context = page_context(request, kind, HEADINGS[kind])
        context |= {
            "filters": filters,
            "layout": layout,
            "options": filter_options(graph),
            "network": block_for(request, built, kind, cap),
            "titles": titles,
            "data_queries": data_queries(filters),
            "evidence_href": lambda ev: evidence_link(root, ev.document_id, ev.start, ev.end),
            "shared_summary": shared_summary,
            "name_of": lambda node: graph.nodes[node].get("name") if node in graph else node,
        }
        context |= extra(graph, filters)
        return html_page(f"explorer_{kind}.html", context)

    return answer(request, build)


@router.get("/explore/coordination", response_class=HTMLResponse, include_in_schema=False)
def coordination_page(
    request: Request, store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """The level-by-level matrix as a heat map, gaps, brokers and the network of ties."""

    def extra(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> dict[str, Any]:
        ties, total = coordination_ties(graph, filters)
        return {
            "heatmap": heatmap(coordination_matrix(graph, filters)),
            "gaps": coordination_gaps(graph, filters),
            "brokers": coordination_brokers(graph, filters),
            "ties": ties,
            "ties_total": total,
        }

    return _analysis_page(request, store, settings, "coordination", extra)


@router.get("/explore/overlap", response_class=HTMLResponse, include_in_schema=False)
def overlap_page(
    request: Request, store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """Institution pairs ranked by overlap, with what they share, and their network."""

    def extra(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> dict[str, Any]:
        return {"result": overlap_pairs(graph, filters)}

    return _analysis_page(request, store, settings, "overlap", extra)


@router.get("/explore/duplication", response_class=HTMLResponse, include_in_schema=False)
def duplication_page(
    request: Request, store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """Instrument pairs ranked by duplication: score breakdown, both sides' evidence side by
    side, and their network."""

    def extra(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> dict[str, Any]:
        return {"result": duplicate_pairs(graph, filters)}

    return _analysis_page(request, store, settings, "duplication", extra)


# --------------------------------------------------------------------------- views alone


def file_name(kind: str, query: Mapping[str, str], suffix: str) -> str:
    """``tejido-overlap.graphml``, ``tejido-neighbourhood-inst-corfo.html``."""
    focus = re.sub(r"[^a-z0-9]+", "-", str(query.get("id", "")).lower()).strip("-")[:60]
    return f"tejido-{kind}{'-' + focus if focus else ''}.{suffix}"


@router.get("/explore/view/{kind}", include_in_schema=False)
def view_alone(
    request: Request,
    kind: ViewKind,
    format: Annotated[ViewFormat, Query()] = "html",
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """One view alone: a page to embed, a standalone file, or GraphML, GEXF, CSV."""

    def build() -> Response:
        graph = store.view()
        layout = read_layout(request.query_params.get("layout"))
        cap = settings.max_view_nodes
        titles = document_titles(store)
        if kind == "neighbourhood":
            entity_id = request.query_params.get("id") or ""
            depth = read_depth(request.query_params.get("depth"))
            built = cached_view(
                request, store, ("neighbourhood", entity_id, depth, layout, cap),
                lambda: build_neighbourhood_view(graph, titles, entity_id, depth, layout, cap),
            )
        else:
            filters = read_filters(request, graph)
            built = cached_view(
                request, store, (kind, filters, layout, cap),
                lambda: build_analysis_view(graph, titles, kind, filters, layout, cap),
            )
        if format in FILE_FORMATS:
            exported = subgraph_file(built.subgraph, cast(FileFormat, format))
            name = file_name(kind, built.query, exported.suffix)
            return Response(exported.content, media_type=exported.media_type,
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        page = render_view_page(
            built.net, title=f"{built.heading} · Tejido", heading=built.heading,
            summary=built.summary, notice=built.notice, standalone=format == "standalone",
            static_prefix=f"{_root(request)}/static",
        )
        headers = {}
        if format == "standalone":
            headers["Content-Disposition"] = (
                f'attachment; filename="{file_name(kind, built.query, "html")}"'
            )
        return HTMLResponse(page, headers=headers)

    return answer(request, build)
