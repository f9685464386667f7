"""Every view alone (``/explore/view/{kind}``): a page to embed with an iframe, one
standalone HTML file (``format=standalone``), or GraphML, GEXF and CSV files that state
their date, store, source documents and filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import get_workspace
from app.routers.pages import answer, root_of
from app.services.exports import FILE_FORMATS, file_name, provenance, view_file
from app.services.filters import PARAMETERS, read_filters
from app.services.views import (
    BuiltView,
    analysis_view,
    neighbourhood_of,
    opened_nodes,
    read_depth,
    read_layout,
)
from app.services.workspace import Workspace
from app.views.view_page import render_view_page

router = APIRouter(include_in_schema=False)

ViewKind = Literal["neighbourhood", "coordination", "overlap", "duplication"]
ViewFormat = Literal["html", "standalone", "graphml", "gexf", "nodes.csv", "edges.csv"]


def requested_view(request: Request, workspace: Workspace, kind: str) -> tuple[BuiltView, str]:
    """The view a query string asks for, and its filters in words."""
    params = request.query_params
    layout = read_layout(params.get("layout"))
    cap = workspace.max_view_nodes
    titles = workspace.titles()
    if kind == "neighbourhood":
        entity_id = params.get("id") or ""
        depth = read_depth(params.get("depth"))
        opened = opened_nodes(params.getlist("open"))
        built = neighbourhood_of(workspace, entity_id, depth=depth, layout=layout,
                                 opened=opened)
        described = f"id={entity_id}; depth={depth}" + (
            f"; open={','.join(opened)}" if opened else "")
        return built, described
    graph = workspace.graph()
    filters = read_filters(params, PARAMETERS[kind], graph=graph)
    built = workspace.cached(
        ("view", kind, filters, layout, cap),
        lambda: analysis_view(graph, titles, kind, filters, layout=layout, cap=cap))
    return built, filters.sentence()


@router.get("/explore/view/{kind}")
def view_alone(
    request: Request,
    kind: ViewKind,
    format: Annotated[ViewFormat, Query()] = "html",
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """One view alone: a page to embed, a standalone file, or GraphML, GEXF, CSV."""

    def build() -> Response:
        built, described = requested_view(request, workspace, kind)
        if format in FILE_FORMATS:
            exported = workspace.cached(("file", kind, tuple(sorted(built.query.items())), format),
                                        lambda: view_file(workspace, built, format, described))
            name = file_name(kind, built.query, exported.suffix)
            return Response(exported.content, media_type=exported.media_type,
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        about = provenance(workspace, described).lines()
        page = render_view_page(
            built.net, title=f"{built.heading} · Tejido", heading=built.heading,
            summary=built.summary, notice=built.notice, standalone=format == "standalone",
            static_prefix=f"{root_of(request)}/static", provenance=about,
        )
        headers = {}
        if format == "standalone":
            headers["Content-Disposition"] = (
                f'attachment; filename="{file_name(kind, built.query, "html")}"')
        return HTMLResponse(page, headers=headers)

    return answer(request, build)
