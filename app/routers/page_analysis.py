"""The analysis pages: coordination (matrix as a heat map, gaps, brokers, the network of
ties), overlap and duplication, each with the filters of its analysis in the URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import get_workspace
from app.routers.page_entity import evidence_link
from app.routers.pages import answer, block_for, filter_options, html_page, page_context, root_of
from app.services.analyses import (
    coordination_brokers,
    coordination_gaps,
    coordination_matrix,
    coordination_ties,
    duplicate_pairs,
    overlap_pairs,
)
from app.services.filters import PARAMETERS, AnalysisFilters, read_filters
from app.services.views import HEADINGS, analysis_view, read_layout
from app.services.workspace import Workspace
from app.views.analysis_graphs import shared_summary
from app.views.heatmap import heatmap

router = APIRouter(include_in_schema=False)

# The filters each page's form shows: those of the analyses it runs.
PAGE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "coordination": tuple(dict.fromkeys(
        (*PARAMETERS["coordination"], *PARAMETERS["matrix"], *PARAMETERS["gaps"],
         *PARAMETERS["brokers"]))),
    "overlap": PARAMETERS["overlap"],
    "duplication": PARAMETERS["duplication"],
}
# The API endpoints a page links to for its data, each with the filters it takes.
DATA_ENDPOINTS = {"matrix": "matrix", "ties": "coordination", "gaps": "gaps",
                  "brokers": "brokers", "pairs": None}


def data_queries(kind: str, filters: AnalysisFilters) -> dict[str, dict[str, str]]:
    """For each data link of an analysis page, the filters its endpoint takes."""
    query = filters.as_query()
    out = {}
    for name, analysis in DATA_ENDPOINTS.items():
        keys = PARAMETERS.get(analysis or kind, ())
        out[name] = {key: query[key] for key in keys if key in query}
    return out


def _analysis_page(
    request: Request, workspace: Workspace, kind: str,
    extra: Callable[[nx.MultiDiGraph, AnalysisFilters], dict[str, Any]],
) -> Response:
    def build() -> Response:
        graph = workspace.graph()
        filters = read_filters(request.query_params, PAGE_PARAMETERS[kind], graph=graph)
        layout = read_layout(request.query_params.get("layout"))
        cap = workspace.max_view_nodes
        titles = workspace.titles()
        built = workspace.cached(
            ("view", kind, filters, layout, cap),
            lambda: analysis_view(graph, titles, kind, filters, layout=layout, cap=cap))
        root = root_of(request)

        def name_of(node: str) -> str:
            return graph.nodes[node].get("name") or node if node in graph else node

        context = page_context(request, kind, HEADINGS[kind])
        context |= {
            "filters": filters,
            "fields": PAGE_PARAMETERS[kind],
            "layout": layout,
            "options": filter_options(workspace),
            "network": block_for(request, built, cap),
            "titles": titles,
            "data_queries": data_queries(kind, filters),
            "evidence_href": lambda ev: evidence_link(root, ev.document_id, ev.start, ev.end),
            "shared_summary": lambda shared, limit=None: shared_summary(shared, limit, name_of),
            "name_of": name_of,
        }
        context |= workspace.cached(("page", kind, filters), lambda: extra(graph, filters))
        return html_page(f"explorer_{kind}.html", context)

    return answer(request, build)


@router.get("/explore/coordination", response_class=HTMLResponse)
def coordination_page(request: Request,
                      workspace: Workspace = Depends(get_workspace)) -> Response:
    """The level-by-level matrix as a heat map, gaps, brokers and the network of ties."""

    def extra(graph: nx.MultiDiGraph, filters: AnalysisFilters) -> dict[str, Any]:
        ties, total = coordination_ties(graph, filters)
        return {"heatmap": heatmap(coordination_matrix(graph, filters)),
                "gaps": coordination_gaps(graph, filters),
                "brokers": coordination_brokers(graph, filters),
                "ties": ties, "ties_total": total}

    return _analysis_page(request, workspace, "coordination", extra)


@router.get("/explore/overlap", response_class=HTMLResponse)
def overlap_page(request: Request, workspace: Workspace = Depends(get_workspace)) -> Response:
    """Institution pairs ranked by overlap, with what they share, and their network."""
    return _analysis_page(request, workspace, "overlap",
                          lambda graph, filters: {"result": overlap_pairs(graph, filters)})


# How a reviewer's verdict reads on the duplication page.
VERDICT_NAMES = {"duplicate": "revisado: duplicado", "not_duplicate": "revisado: no duplicado"}


@router.get("/explore/duplication", response_class=HTMLResponse)
def duplication_page(request: Request,
                     workspace: Workspace = Depends(get_workspace)) -> Response:
    """Instrument pairs ranked by duplication: score breakdown, both sides' evidence side by
    side, and their network."""
    return _analysis_page(request, workspace, "duplication",
                          lambda graph, filters: {"result": duplicate_pairs(graph, filters),
                                                  "verdict_names": VERDICT_NAMES})
