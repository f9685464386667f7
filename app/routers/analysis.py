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
from app.analyses import (
    ANALYSES,
    MAX_TOP,
    AnalysisFilters,
    FilterError,
    app_cache,
    parse_filters,
    shortest_path,
)
from app.deps import get_store
from app.routers.api import ENTITY_ID_PATTERN
from graph.stores import Store
from queries.duplication import Institutions
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

LevelPairQuery = Annotated[str | None, Query(
    max_length=40, description="two governance levels, comma-separated: national,regional")]
CountryQuery = Annotated[str | None, Query(
    max_length=60, description="country code (CL) or name (Chile)")]
ThemeQuery = Annotated[str | None, Query(
    max_length=80, description="theme id (innovation) or Spanish label (Innovación)")]
TopQuery = Annotated[int | None, Query(ge=1, le=MAX_TOP, description="rows returned (1 to 500)")]
ScoreQuery = Annotated[float | None, Query(ge=0.0, le=1.0, description="lowest score kept")]
FormatQuery = Annotated[Format, Query(description="json (default) or csv")]
TerritoryQuery = Annotated[str | None, Query(
    max_length=120, description="a state, region or municipality by name (Oaxaca): "
    "what lies in it, a place inside it counting")]
EntityQuery = Annotated[str, Query(pattern=ENTITY_ID_PATTERN, max_length=320,
                                   description="entity id")]


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


def accepts(*names: str) -> Callable[[Request], None]:
    """A dependency refusing (422) query parameters other than ``names`` and ``format``."""
    allowed = frozenset((*names, "format"))

    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise HTTPException(
                status_code=422,
                detail=f"unknown query parameter {', '.join(map(repr, unknown))} for "
                f"{request.url.path}; it takes {', '.join(sorted(allowed))}",
            )

    return check


def read_filters(store: Store, **values: object) -> AnalysisFilters:
    """Validated filters, or 422 naming the parameter at fault."""
    try:
        return parse_filters(values, store.view())
    except FilterError as exc:
        raise HTTPException(status_code=422, detail=f"query parameter {exc}") from exc


def cached_response(
    request: Request,
    store: Store,
    key: tuple,
    fmt: Format,
    build: Callable[[int], tuple[BaseModel, str]],
    filename: str,
) -> Response:
    """The response for ``key``, from the cache when the store has not changed.

    ``build(revision)`` returns the answer model and its CSV text; only the chosen
    serialisation is kept.
    """
    revision = store.revision()

    def render() -> bytes:
        model, csv_text = build(revision)
        if fmt == "csv":
            return csv_text.encode("utf-8")
        return model.model_dump_json().encode("utf-8")

    body = app_cache(request.app.state).get(revision, ("rest", *key, fmt), render)
    if fmt == "csv":
        return Response(body, media_type=CSV_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{filename}.csv"',
        })
    return Response(body, media_type=JSON_MEDIA_TYPE)


def analysis_response(
    request: Request,
    store: Store,
    fmt: Format,
    name: str,
    filters: AnalysisFilters,
    answer: Callable[[int, Any], BaseModel],
    filename: str,
) -> Response:
    """Run the analysis ``name`` (:data:`app.analyses.ANALYSES`) with ``filters`` over the
    store's graph and render its answer.

    ``answer(revision, result)`` is the JSON answer; the analysis's rows are its CSV. The
    response is cached under ``name`` and the filters (see :func:`cached_response`).
    """
    analysis = ANALYSES[name]

    def build(revision: int) -> tuple[BaseModel, str]:
        result = analysis.run(store.view(), filters)
        return answer(revision, result), analysis_csv.results_csv(analysis.rows(result))

    return cached_response(request, store, (name, filters), fmt, build, filename)


def _json_doc(model: type[BaseModel]) -> dict:
    return {200: {"model": model, "content": {CSV_MEDIA_TYPE: {}},
                  "description": "JSON, or CSV with ?format=csv"}}


# --------------------------------------------------------------------------- endpoints


@router.get("/coordination", response_class=Response, responses=_json_doc(TiesAnswer),
            dependencies=[Depends(accepts("level_pair", "country", "theme", "top"))])
def coordination(
    request: Request,
    level_pair: LevelPairQuery = None,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    top: TopQuery = None,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Coordination ties between institutions, with their channels and evidence."""
    filters = read_filters(store, level_pair=level_pair, country=country, theme=theme, top=top)
    return analysis_response(
        request, store, format, "coordination", filters,
        answer=lambda revision, found: TiesAnswer(
            revision=revision, filters=filters.described(), total=found[1], ties=found[0]),
        filename="tejido-coordinacion",
    )


@router.get("/coordination/matrix", response_class=Response, responses=_json_doc(MatrixAnswer),
            dependencies=[Depends(accepts("country", "theme", "min_score"))])
def coordination_matrix_endpoint(
    request: Request,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    min_score: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="overlap from which two institutions share a field "
        "(default 0.2)")] = None,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Ties against shared fields for every pair of governance levels."""
    filters = read_filters(store, country=country, theme=theme, min_score=min_score)
    return analysis_response(
        request, store, format, "matrix", filters,
        answer=lambda revision, matrix: MatrixAnswer(
            revision=revision, filters=filters.described(), matrix=matrix),
        filename="tejido-matriz",
    )


@router.get("/gaps", response_class=Response, responses=_json_doc(GapsAnswer),
            dependencies=[Depends(accepts("level_pair", "country", "theme", "top",
                                          "min_score"))])
def gaps(
    request: Request,
    level_pair: LevelPairQuery = None,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    top: TopQuery = None,
    min_score: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="lowest overlap of a gap (default 0.2)")] = None,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Institutions that share a field and a territory but have no coordination tie."""
    filters = read_filters(store, level_pair=level_pair, country=country, theme=theme,
                           top=top, min_score=min_score)
    return analysis_response(
        request, store, format, "gaps", filters,
        answer=lambda revision, found: GapsAnswer(
            revision=revision, filters=filters.described(), gaps=found),
        filename="tejido-brechas",
    )


@router.get("/brokers", response_class=Response, responses=_json_doc(BrokersAnswer),
            dependencies=[Depends(accepts("country", "theme", "top"))])
def brokers(
    request: Request,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    top: TopQuery = None,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Institutions through which most cross-level shortest paths of the tie graph pass."""
    filters = read_filters(store, country=country, theme=theme, top=top)
    return analysis_response(
        request, store, format, "brokers", filters,
        answer=lambda revision, found: BrokersAnswer(
            revision=revision, filters=filters.described(), brokers=found),
        filename="tejido-intermediarios",
    )


@router.get("/path", response_class=Response, responses=_json_doc(PathAnswer),
            dependencies=[Depends(accepts("a", "b"))])
def path(
    request: Request,
    a: EntityQuery,
    b: EntityQuery,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """A shortest path between two entities, hop by hop with evidence (over coordination
    ties between two institutions, else over the relations)."""
    graph = store.view()
    for node in (a, b):
        if node not in graph:
            raise HTTPException(status_code=404, detail=f"no entity with id {node!r}")

    def build(revision: int) -> tuple[BaseModel, str]:
        found = shortest_path(store.view(), a, b)
        answer = PathAnswer(revision=revision, a=a, b=b, found=found is not None, path=found)
        return answer, analysis_csv.path_csv(found)

    return cached_response(request, store, ("path", a, b), format, build, "tejido-camino")


@router.get("/overlap", response_class=Response, responses=_json_doc(OverlapAnswer),
            dependencies=[Depends(accepts("level_pair", "country", "theme", "top",
                                          "min_score", "territory"))])
def overlap(
    request: Request,
    level_pair: LevelPairQuery = None,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    top: TopQuery = None,
    min_score: ScoreQuery = None,
    territory: TerritoryQuery = None,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Institution pairs ranked by the overlap of their competences, with what they share."""
    filters = read_filters(store, level_pair=level_pair, country=country, theme=theme,
                           top=top, min_score=min_score, territory=territory)
    return analysis_response(
        request, store, format, "overlap", filters,
        answer=lambda revision, result: OverlapAnswer(**result.model_dump(), revision=revision),
        filename="tejido-traslapes",
    )


@router.get("/duplication", response_class=Response, responses=_json_doc(DuplicationAnswer),
            dependencies=[Depends(accepts("level_pair", "country", "theme", "top",
                                          "min_score", "institutions", "territory"))])
def duplication(
    request: Request,
    level_pair: LevelPairQuery = None,
    country: CountryQuery = None,
    theme: ThemeQuery = None,
    top: TopQuery = None,
    min_score: ScoreQuery = None,
    institutions: Annotated[Institutions | None, Query(
        description="any (default); different: run by different institutions; "
        "same: variants inside one institution")] = None,
    territory: TerritoryQuery = None,
    format: FormatQuery = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Instrument pairs ranked by duplication, with the score breakdown and both sides'
    evidence."""
    filters = read_filters(store, level_pair=level_pair, country=country, theme=theme,
                           top=top, min_score=min_score, institutions=institutions,
                           territory=territory)
    return analysis_response(
        request, store, format, "duplication", filters,
        answer=lambda revision, result: DuplicationAnswer(
            **result.model_dump(), revision=revision),
        filename="tejido-duplicaciones",
    )
