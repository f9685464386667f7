"""HTML views: the neighbourhood of an entity as a pyvis page, and the vis-network files.

``?standalone=1`` returns one self-contained HTML file (vis-network and our CSS/JS inlined)
to save, mail or embed with an iframe; otherwise the page links them from this server. The
view is built by :func:`app.services.views.neighbourhood_of`, as on the entity page.
"""

from __future__ import annotations

import html
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import get_workspace
from app.routers.api import Depth, EntityIdQuery
from app.services.views import ViewNotFound, neighbourhood_of
from app.services.workspace import Workspace
from app.views import assets
from app.views.network import LAYOUTS, Layout
from app.views.view_page import render_view_page

router = APIRouter(tags=["views"])

ASSET_CACHE = "public, max-age=86400"


def error_page(status_code: int, message: str) -> HTMLResponse:
    """A minimal HTML page stating an error, the message escaped."""
    body = (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
        f"<title>Error {status_code}</title></head><body>"
        f'<h1>Error {status_code}</h1><p id="tj-error">{html.escape(message)}</p></body></html>'
    )
    return HTMLResponse(body, status_code=status_code)


def export_filename(entity_id: str) -> str:
    """A safe file name for the standalone export of ``entity_id``'s neighbourhood."""
    slug = re.sub(r"[^a-z0-9]+", "-", entity_id.lower()).strip("-")[:80] or "vista"
    return f"tejido-{slug}.html"


@router.get(
    "/views/neighbourhood", response_class=HTMLResponse,
    responses={404: {"content": {"text/html": {}}, "description": "no entity with that id"}},
)
def neighbourhood_page(
    request: Request,
    entity_id: EntityIdQuery,
    depth: Depth = 1,
    layout: Annotated[Layout, Query(description=(
        "auto (live physics for small views, radial beyond 300 nodes), physics, radial, "
        f"layered (by governance level) or spring; one of {', '.join(LAYOUTS)}"))] = "auto",
    standalone: Annotated[bool, Query(description="one self-contained HTML file")] = False,
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """The neighbourhood of an entity as an interactive vis-network page."""
    try:
        built = neighbourhood_of(workspace, entity_id, depth=depth, layout=layout)
    except ViewNotFound as exc:
        return error_page(404, str(exc))
    centre = next((n.name for n in built.subgraph.nodes if n.id == entity_id), entity_id)
    page = render_view_page(
        built.net,
        title=f"{centre} · Tejido",
        heading=built.heading,
        summary=built.summary,
        notice=built.notice,
        standalone=standalone,
        static_prefix=f"{request.scope.get('root_path', '')}/static",
    )
    headers = {}
    if standalone:
        headers["Content-Disposition"] = f'inline; filename="{export_filename(entity_id)}"'
    return HTMLResponse(page, headers=headers)


@router.get("/static/vis-network/vis-network.min.js", include_in_schema=False)
def vis_network_script() -> Response:
    """vis-network's script, from the copy pyvis ships."""
    return Response(assets.vis_script(), media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": ASSET_CACHE})


@router.get("/static/vis-network/vis-network.css", include_in_schema=False)
def vis_network_stylesheet() -> Response:
    """vis-network's stylesheet, from the copy pyvis ships."""
    return Response(assets.vis_stylesheet(), media_type="text/css; charset=utf-8",
                    headers={"Cache-Control": ASSET_CACHE})
