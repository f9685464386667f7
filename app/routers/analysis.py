"""The analyses over HTTP: coordination ties, the level matrix, gaps, brokers, paths,
overlap and duplication, as JSON or (``?format=csv``) CSV.

Every parameter is validated: a wrong value, or a parameter the endpoint does not take,
is a 422 naming it; an unknown entity id is a 404. Answers are deterministic and cached
per store revision, so repeating a request costs a revision check and a dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app import analysis_csv
from app.deps import get_workspace
from app.routers.api import ENTITY_ID_PATTERN, not_found
from app.services.analyses import ANALYSES, shortest_path
from app.services.filters import PARAMETERS, AnalysisFilters, FilterError, query_model
from app.services.filters import read_filters as validate_filters
from app.services.workspace import Workspace
from queries.results import (
    Broker,
    DuplicationResult,
    Gap,
    LevelMatrix,
    OverlapResult,
    PathResult,
    Tie,
)

router = APIRouter(prefix="/analysis", tags=["analysis"])

Format = Literal["json", "csv"]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
JSON_MEDIA_TYPE = "application/json"

FormatQuery = Annotated[Format, Query(description="json (default) or csv")]
EntityQuery = Annotated[str, Query(pattern=ENTITY_ID_PATTERN, max_length=320,
                                   description="entity id")]
FORMAT_FIELD = (Format, Field(default="json", description="json (default) or csv"))
# The query model of each analysis endpoint, derived from the filters it takes.
QUERIES: dict[str, type[BaseModel]] = {
    name: query_model(name, format=FORMAT_FIELD) for name in PARAMETERS
}
CoordinationQuery = QUERIES["coordination"]
MatrixQuery = QUERIES["matrix"]
GapsQuery = QUERIES["gaps"]
BrokersQuery = QUERIES["brokers"]
OverlapQuery = QUERIES["overlap"]
DuplicationQuery = QUERIES["duplication"]


# --------------------------------------------------------------------------- answers


class TiesAnswer(BaseModel):
    """Coordination ties, most channels first."""

    revision: int
    filters: dict[str, Any]
    total: int = Field(description="ties the filters keep, before the top cut")
    ties: list[Tie]


class MatrixAnswer(BaseModel):
    """The multilevel coordination matrix."""

    revision: int
    filters: dict[str, Any]
    matrix: LevelMatrix


class GapsAnswer(BaseModel):
    """Coordination gaps, most overlapping first."""

    revision: int
    filters: dict[str, Any]
    gaps: list[Gap]


class BrokersAnswer(BaseModel):
    """Brokers of cross-level paths, best first."""

    revision: int
    filters: dict[str, Any]
    brokers: list[Broker]


class PathAnswer(BaseModel):
    """A shortest path between two entities, or ``found: false``."""

    revision: int
    a: str
    b: str
    found: bool
    path: PathResult | None = None


class OverlapAnswer(OverlapResult):
    """Institution pairs ranked by overlap, at a store revision."""

    revision: int


class DuplicationAnswer(DuplicationResult):
    """Instrument pairs ranked by duplication, at a store revision."""

    revision: int


# --------------------------------------------------------------------------- plumbing


def read_filters(workspace: Workspace, name: str, query: BaseModel) -> AnalysisFilters:
    """The validated filters of analysis ``name`` in ``query``, or 422 naming the parameter
    at fault."""
    values = query.model_dump(exclude={"format"})
    try:
        return validate_filters(values, PARAMETERS[name], graph=workspace.graph())
    except FilterError as exc:
        raise HTTPException(status_code=422, detail=f"query parameter {exc}") from exc


def cached_response(
    workspace: Workspace,
    key: tuple,
    fmt: Format,
    build: Callable[[int], tuple[BaseModel, str]],
    filename: str,
) -> Response:
    """The response for ``key``, from the cache when the store has not changed.

    ``build(revision)`` returns the answer model and its CSV text; only the chosen
    serialisation is kept.
    """
    revision = workspace.revision()

    def render() -> bytes:
        model, csv_text = build(revision)
        if fmt == "csv":
            return csv_text.encode("utf-8")
        return model.model_dump_json().encode("utf-8")

    body = workspace.cache.get(revision, ("rest", *key, fmt), render)
    if fmt == "csv":
        return Response(body, media_type=CSV_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{filename}.csv"',
        })
    return Response(body, media_type=JSON_MEDIA_TYPE)


def analysis_response(
    workspace: Workspace,
    name: str,
    query: BaseModel,
    answer: Callable[[int, AnalysisFilters, Any], BaseModel],
    filename: str,
) -> Response:
    """Run the analysis ``name`` (:data:`app.services.analyses.ANALYSES`) with the filters
    of ``query`` over the store's graph and render its answer.

    ``answer(revision, filters, result)`` is the JSON answer; the analysis's rows are its
    CSV. The response is cached under ``name`` and the filters.
    """
    filters = read_filters(workspace, name, query)
    analysis = ANALYSES[name]
    fmt: Format = getattr(query, "format", "json")

    def build(revision: int) -> tuple[BaseModel, str]:
        result = analysis.run(workspace.graph(), filters)
        return (answer(revision, filters, result),
                analysis_csv.results_csv(analysis.rows(result), workspace.graph()))

    return cached_response(workspace, (name, filters), fmt, build, filename)


def _json_doc(model: type[BaseModel]) -> dict:
    return {200: {"model": model, "content": {CSV_MEDIA_TYPE: {}},
                  "description": "JSON, or CSV with ?format=csv"}}


# --------------------------------------------------------------------------- endpoints
# Each endpoint's parameters are the query model of its analysis (QUERIES), derived from
# the one declaration of the filters in app.services.filters.


@router.get("/coordination", response_class=Response, responses=_json_doc(TiesAnswer))
def coordination(
    query: Annotated[CoordinationQuery, Query()],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """Coordination ties between institutions, with their channels and evidence."""
    return analysis_response(
        workspace, "coordination", query,
        answer=lambda revision, filters, found: TiesAnswer(
            revision=revision, filters=filters.described(), total=found[1], ties=found[0]),
        filename="tejido-coordinacion",
    )


@router.get("/coordination/matrix", response_class=Response, responses=_json_doc(MatrixAnswer))
def coordination_matrix_endpoint(
    query: Annotated[MatrixQuery, Query()],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """Ties against shared fields for every pair of governance levels."""
    return analysis_response(
        workspace, "matrix", query,
        answer=lambda revision, filters, matrix: MatrixAnswer(
            revision=revision, filters=filters.described(), matrix=matrix),
        filename="tejido-matriz",
    )


@router.get("/gaps", response_class=Response, responses=_json_doc(GapsAnswer))
def gaps(
    query: Annotated[GapsQuery, Query()],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """Institutions that share a field and a territory but have no coordination tie."""
    return analysis_response(
        workspace, "gaps", query,
        answer=lambda revision, filters, found: GapsAnswer(
            revision=revision, filters=filters.described(), gaps=found),
        filename="tejido-brechas",
    )


@router.get("/brokers", response_class=Response, responses=_json_doc(BrokersAnswer))
def brokers(
    query: Annotated[BrokersQuery, Query()],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """Institutions through which most cross-level shortest paths of the tie graph pass."""
    return analysis_response(
        workspace, "brokers", query,
        answer=lambda revision, filters, found: BrokersAnswer(
            revision=revision, filters=filters.described(), brokers=found),
        filename="tejido-intermediarios",
    )


@router.get("/path", response_class=Response,
            responses={**_json_doc(PathAnswer), **not_found("entity")})
def path(
    request: Request,
    a: EntityQuery,
    b: EntityQuery,
    format: FormatQuery = "json",
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """A shortest path between two entities, hop by hop with evidence (over coordination
    ties between two institutions, else over the relations)."""
    unknown = sorted(set(request.query_params) - {"a", "b", "format"})
    if unknown:
        raise HTTPException(status_code=422, detail=f"unknown query parameter "
                            f"{', '.join(map(repr, unknown))}; it takes a, b, format")
    graph = workspace.graph()
    for node in (a, b):
        if node not in graph:
            raise HTTPException(status_code=404, detail=f"no entity with id {node!r}")

    def build(revision: int) -> tuple[BaseModel, str]:
        found = shortest_path(workspace.graph(), a, b)
        answer = PathAnswer(revision=revision, a=a, b=b, found=found is not None, path=found)
        return answer, analysis_csv.path_csv(found)

    return cached_response(workspace, ("path", a, b), format, build, "tejido-camino")


@router.get("/overlap", response_class=Response, responses=_json_doc(OverlapAnswer))
def overlap(
    query: Annotated[OverlapQuery, Query()],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """Institution pairs ranked by the overlap of their competences, with what they share."""
    return analysis_response(
        workspace, "overlap", query,
        answer=lambda revision, filters, result: OverlapAnswer(
            **result.model_dump(), revision=revision),
        filename="tejido-traslapes",
    )


@router.get("/duplication", response_class=Response, responses=_json_doc(DuplicationAnswer))
def duplication(
    query: Annotated[DuplicationQuery, Query()],
    workspace: Workspace = Depends(get_workspace),
) -> Response:
    """Instrument pairs ranked by duplication, with the score breakdown and both sides'
    evidence."""
    return analysis_response(
        workspace, "duplication", query,
        answer=lambda revision, filters, result: DuplicationAnswer(
            **result.model_dump(), revision=revision),
        filename="tejido-duplicaciones",
    )
