"""HTML views: the neighbourhood of an entity as a pyvis page, and the vis-network files.

``?standalone=1`` returns one self-contained HTML file (vis-network and our CSS/JS inlined)
to save, mail or embed with an iframe; otherwise the page links them from this server.
"""

from __future__ import annotations

import html
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import document_titles, get_settings, get_store
from app.routers.api import Depth, EntityIdQuery
from app.settings import Settings
from app.views import assets
from app.views.network import LAYOUTS, Layout, build_network, resolve_layout
from app.views.page import render_network_page
from graph.stores import Store
from queries.exploration import neighbourhood
from queries.results import EntityNotFound, Subgraph

router = APIRouter(tags=["views"])

ASSET_CACHE = "public, max-age=86400"
LAYOUT_NAMES = {
    "physics": "física en vivo",
    "radial": "radial (posiciones calculadas)",
    "layered": "por nivel de gobierno",
    "spring": "resortes (posiciones calculadas)",
}


def error_page(status_code: int, message: str) -> HTMLResponse:
    """A minimal HTML page stating an error, the message escaped."""
    body = (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
        f"<title>Error {status_code}</title></head><body>"
        f'<h1>Error {status_code}</h1><p id="tj-error">{html.escape(message)}</p></body></html>'
    )
    return HTMLResponse(body, status_code=status_code)


def counted(count: int, singular: str, plural: str) -> str:
    """``1 nodo``, ``3 nodos``."""
    return f"{count} {singular if count == 1 else plural}"


def export_filename(entity_id: str) -> str:
    """A safe file name for the standalone export of ``entity_id``'s neighbourhood."""
    slug = re.sub(r"[^a-z0-9]+", "-", entity_id.lower()).strip("-")[:80] or "vista"
    return f"tejido-{slug}.html"


def cut_notice(subgraph: Subgraph, cap: int) -> str | None:
    """The message shown when the view stopped at the node cap."""
    if not subgraph.truncated:
        return None
    return (
        f"Vista recortada: se muestran {len(subgraph.nodes)} nodos, el máximo de una vista "
        f"(TEJIDO_MAX_VIEW_NODES = {cap}). Reduzca la profundidad para ver el vecindario "
        "completo."
    )


@router.get("/views/neighbourhood", response_class=HTMLResponse)
def neighbourhood_view(
    request: Request,
    entity_id: EntityIdQuery,
    depth: Depth = 1,
    layout: Annotated[Layout, Query(description=(
        "auto (live physics for small views, radial beyond 300 nodes), physics, radial, "
        f"layered (by governance level) or spring; one of {', '.join(LAYOUTS)}"))] = "auto",
    standalone: Annotated[bool, Query(description="one self-contained HTML file")] = False,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """The neighbourhood of an entity as an interactive vis-network page."""
    try:
        subgraph = neighbourhood(store.view(), entity_id, depth=depth,
                                 limit=settings.max_view_nodes)
    except EntityNotFound as exc:
        return error_page(404, str(exc))
    net = build_network(subgraph, layout, document_titles(store))
    centre = next(node for node in subgraph.nodes if node.id == subgraph.center)
    chosen = resolve_layout(layout, len(subgraph.nodes))
    summary = (
        f"{counted(len(subgraph.nodes), 'nodo', 'nodos')} · "
        f"{counted(len(subgraph.edges), 'relación', 'relaciones')} · "
        f"profundidad {depth} · disposición: {LAYOUT_NAMES[chosen]}"
    )
    page = render_network_page(
        net,
        title=f"{centre.name} · Tejido",
        heading=f"Vecindario de {centre.name}",
        summary=summary,
        notice=cut_notice(subgraph, settings.max_view_nodes),
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
