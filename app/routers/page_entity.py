"""The entity page (properties in words, profile, relationships with evidence, the
neighbourhood that expands in place), the document page, and the JSON the page asks for
when a node is opened. The opened nodes are kept in the URL (``open=a,b``): an expanded
view is a link."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.deps import get_workspace
from app.routers.api import ENTITY_ID_PATTERN
from app.routers.pages import (
    PageError,
    answer,
    block_for,
    filter_options,
    html_page,
    page_context,
    root_of,
)
from app.services.documents import display_title, marked_text
from app.services.entities import (
    EntityMissing,
    entity_fields,
    find_entity,
    profile_of,
    relation_rows,
)
from app.services.views import (
    MAX_OPENED,
    ViewNotFound,
    neighbourhood_of,
    opened_nodes,
    read_depth,
    read_layout,
)
from app.services.workspace import Workspace
from app.views.analysis_graphs import view_legend
from app.views.labels import entity_label

router = APIRouter(include_in_schema=False)

EntityText = Annotated[str, Path(min_length=1, max_length=320,
                                 description="entity id, name, alias or acronym")]
DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,128}$"
ENTITY_ID = re.compile(ENTITY_ID_PATTERN)


def evidence_link(root: str, document_id: str, start: int, end: int) -> str:
    """The document page with the quoted span highlighted."""
    return f"{root}/explore/document/{document_id}?highlight={start},{end}#tj-highlight"


@router.get("/explore/entity/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: EntityText,
                workspace: Workspace = Depends(get_workspace)) -> Response:
    """An entity: properties, facets, relationships with evidence, its neighbourhood. A
    name, alias or acronym (``/explore/entity/CORFO``) leads to the entity it names, or to
    the search when it names several."""

    def build() -> Response:
        graph = workspace.graph()
        root = root_of(request)
        if entity_id not in graph:
            if ENTITY_ID.match(entity_id):
                raise PageError(404, f"no hay ninguna entidad con id {entity_id!r}")
            try:
                found = find_entity(workspace, entity_id)
            except EntityMissing:
                return RedirectResponse(f"{root}/?{urlencode({'q': entity_id})}", 303)
            target = f"{root}/explore/entity/{quote(found, safe='')}"
            if request.url.query:
                target += f"?{request.url.query}"
            return RedirectResponse(target, 307)
        profile = profile_of(workspace, entity_id)
        params = request.query_params
        depth = read_depth(params.get("depth"))
        layout = read_layout(params.get("layout"))
        opened = opened_nodes(params.getlist("open"))
        cap = workspace.max_view_nodes
        titles = workspace.titles()
        built = neighbourhood_of(workspace, entity_id, depth=depth, layout=layout,
                                 opened=opened)
        expand = f"{root}/explore/graph/expand?{urlencode({'id': entity_id, 'depth': depth})}"
        entity = profile.entity
        facets = [(facet, [(v.value, v.count) for v in values])
                  for facet, values in profile.facets.items() if values]
        context = page_context(request, "entity", str(entity.get("name") or entity_id))
        context |= {
            "entity": entity,
            "entity_id": entity_id,
            "kind_label": entity_label(entity.get("label")),
            "fields": entity_fields(entity, context["lang"]),
            "facets": facets,
            "relations": relation_rows(profile, titles, lambda ev: evidence_link(
                root, ev.document_id, ev.start, ev.end)),
            "relations_truncated": profile.truncated,
            "relation_total": sum(profile.relation_counts.values()),
            "depth": depth,
            "layout": layout,
            "opened": opened,
            "options": filter_options(workspace),
            "network": block_for(request, built, cap, expand_url=expand),
        }
        return html_page("explorer_entity.html", context)

    return answer(request, build)


@router.get("/explore/graph/expand")
def expand_graph(
    entity_id: Annotated[str, Query(alias="id", max_length=320, pattern=ENTITY_ID_PATTERN)],
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    opened: Annotated[list[str], Query(alias="open", max_length=MAX_OPENED)] = [],  # noqa: B006
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """What an entity page shows after its visitor opened (clicked) nodes: the page's
    neighbourhood and each opened node's neighbours, styled, with every relation between
    them. The page adds the nodes and edges it does not have yet."""
    nodes = opened_nodes(opened)
    try:
        built = neighbourhood_of(workspace, entity_id, depth=depth, layout="physics",
                                 opened=nodes)
    except ViewNotFound as exc:
        return JSONResponse({"detail": str(exc)}, 404)
    full = view_legend(built.net)
    legend = {part: [asdict(entry) for entry in getattr(full, part)]
              for part in ("levels", "labels", "relations")}
    return JSONResponse({"center": entity_id, "nodes": built.net.nodes,
                         "edges": built.net.edges, "legend": legend,
                         "truncated": built.subgraph.truncated})


@router.get("/explore/document/{document_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: Annotated[str, Path(pattern=DOCUMENT_ID_PATTERN)],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """A document's text; ``?highlight=start,end`` marks the quoted span."""

    def build() -> Response:
        doc = workspace.store.get_document(document_id)
        if doc is None:
            raise PageError(404, f"no hay ningún documento con id {document_id!r}")
        marked = marked_text(doc.text, request.query_params.get("highlight"))
        title = workspace.titles().get(doc.id) or display_title(doc.title, doc.path)
        context = page_context(request, "document", title)
        context |= {"document": doc, "document_title": title, "before": marked.before,
                    "marked": marked.marked, "after": marked.after, "span": marked.span}
        return html_page("explorer_document.html", context)

    return answer(request, build)



