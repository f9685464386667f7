"""The search page (``/``): the query, facets and paging live in the URL, so every search is a
link. ``?fragment=results`` answers only the results block (the page's search-as-you-type
swaps it in and updates the address)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.deps import get_workspace
from app.routers.pages import answer, filter_options, html_page, page_context
from app.services.filters import FilterError
from app.services.search import FACETS, SearchQuery, search
from app.services.workspace import Workspace

router = APIRouter(include_in_schema=False)


def read_query(request: Request) -> SearchQuery:
    """The search of the query string (unknown parameters ignored); FilterError if wrong."""
    params = request.query_params
    values = {name: params.get(name) for name in SearchQuery.model_fields if name in params}
    try:
        return SearchQuery(**{k: v for k, v in values.items() if v is not None and v != ""})
    except ValidationError as exc:
        error = exc.errors()[0]
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, FilterError):
            raise cause from None
        raise FilterError(str(error["loc"][0]), error["msg"]) from None


def link(query: SearchQuery, **changes: object) -> str:
    """``?…`` of ``query`` with ``changes`` (None removes a parameter; filters reset paging)."""
    values = query.as_query()
    if any(name != "offset" for name in changes):
        values.pop("offset", None)
    for name, value in changes.items():
        if value is None or value == "":
            values.pop(name, None)
        else:
            values[name] = str(value)
    return "?" + urlencode(values) if values else "?"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, fragment: Annotated[str | None, Query(max_length=20)] = None,
         workspace: Workspace = Depends(get_workspace)) -> Response:
    """The explorer's front page: search with facets and paging, counts, the analyses."""

    def build() -> Response:
        query = read_query(request)
        searched = bool(query.q or any(getattr(query, f) for f in FACETS))
        context = page_context(request, "home", "Explorador")
        context |= {
            "query": query, "searched": searched,
            "results": search(workspace, query) if searched else None,
            "facets": FACETS, "link": lambda **changes: link(query, **changes),
            "stats": workspace.store.stats(), "options": filter_options(workspace),
        }
        template = "explorer_results.html" if fragment == "results" else "explorer_home.html"
        return html_page(template, context)

    return answer(request, build)
