"""The report page (``/explore/report``): the report of ``tejido report`` in the browser,
with the analyses' filters and a choice of sections in the URL; ``download=1`` saves it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import get_workspace
from app.routers.pages import answer
from app.services.filters import ALL_PARAMETERS, FilterError, read_filters
from app.services.reports import ReportError, build_report, read_sections
from app.services.workspace import Workspace

router = APIRouter(include_in_schema=False)


@router.get("/explore/report", response_class=HTMLResponse)
def report_page(request: Request, workspace: Workspace = Depends(get_workspace)) -> Response:
    """The report under the filters of the query string; ``sections=coordination,overlap``
    chooses what it shows."""

    def build() -> Response:
        params = request.query_params
        filters = read_filters(params, ALL_PARAMETERS, graph=workspace.graph())
        if "top" not in params:
            filters = filters.model_copy(update={"top": 10})
        try:
            sections = read_sections(params.getlist("sections"))
        except ReportError as exc:
            raise FilterError("sections", str(exc)) from exc
        html = workspace.cached(("report", filters, sections),
                                lambda: build_report(workspace, filters=filters,
                                                     sections=sections))
        headers = {}
        if params.get("download"):
            headers["Content-Disposition"] = 'attachment; filename="tejido-informe.html"'
        return HTMLResponse(html, headers=headers)

    return answer(request, build)
