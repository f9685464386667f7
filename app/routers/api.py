"""The JSON API: health, counts, entity search and detail, neighbourhoods, documents.

Every parameter is validated before the store is asked; unknown ids are 404 with a message.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field

from app.deps import get_settings, get_store, get_workspace
from app.services.documents import passage_count
from app.services.entities import (
    EntityDetail,
    EntityMissing,
    SourcedEvidence,
    entity_detail,
    sourced,
)
from app.services.filters import FilterError
from app.services.search import SearchPage, SearchQuery, search
from app.services.workspace import Workspace
from app.settings import Settings
from graph.stores import Store
from graph.stores.base import PairVerdict, StoreStats
from queries.exploration import neighbourhood
from queries.results import EntityNotFound, Subgraph, SubgraphNode

router = APIRouter(tags=["api"])

MAX_NEIGHBOURHOOD_NODES = 5000
ENTITY_ID_PATTERN = r"^[A-Za-z]+:[^\s/]{1,300}$"
DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,128}$"
HIGHLIGHT_PATTERN = r"^\d{1,10},\d{1,10}$"

EntityIdPath = Annotated[
    str, Path(description="entity id, e.g. inst:corporacion-de-fomento-de-la-produccion",
              max_length=320, pattern=ENTITY_ID_PATTERN),
]
EntityIdQuery = Annotated[
    str, Query(alias="id", description="entity id at the centre", max_length=320,
               pattern=ENTITY_ID_PATTERN),
]
DocumentIdPath = Annotated[
    str, Path(description="document id (sha256 of its bytes)", pattern=DOCUMENT_ID_PATTERN),
]
Depth = Annotated[int, Query(ge=1, le=3, description="hops from the centre (1 to 3)")]


# --------------------------------------------------------------------------- response models


class ErrorDetail(BaseModel):
    """Why a request was refused, in one sentence."""

    detail: str


def not_found(what: str) -> dict[int | str, dict]:
    """The documented 404 of an endpoint whose ``what`` may not exist."""
    return {404: {"model": ErrorDetail, "description": f"no {what} with that id"}}


class Health(BaseModel):
    """The service is up and its store answers."""

    status: Literal["ok"] = "ok"
    store: str = Field(description="kind of store: sqlite or neo4j")
    revision: int
    read_only: bool = Field(description="true when no API token is configured")


class NeighbourhoodEdge(BaseModel):
    """An edge of a neighbourhood with sourced evidence."""

    id: str
    source: str
    target: str
    type: str
    properties: dict = Field(default_factory=dict)
    evidence: list[SourcedEvidence] = Field(default_factory=list)


class Neighbourhood(BaseModel):
    """The neighbourhood of an entity: nodes with their distance, edges with evidence."""

    center: str
    depth: int
    truncated: bool
    nodes: list[SubgraphNode]
    edges: list[NeighbourhoodEdge]


class DocumentSummary(BaseModel):
    """A stored document's metadata."""

    id: str
    title: str
    path: str
    format: str
    publisher: str | None = None
    date: str | None = None
    language: str = "es"


class Highlight(BaseModel):
    """A span of the document text asked for with ``?highlight=start,end``."""

    start: int
    end: int
    text: str


class DocumentDetail(DocumentSummary):
    """A document with its text (every evidence offset refers to it)."""

    length: int
    passages: int | None = Field(description="number of passages; null if the store cannot say")
    text: str
    highlight: Highlight | None = None


# --------------------------------------------------------------------------- helpers


def store_kind(store: Store) -> str:
    """``sqlite`` or ``neo4j``: the scheme of the store URL, without host or path."""
    scheme = store.url.partition("://")[0].lower()
    return "sqlite" if scheme == "sqlite" else "neo4j"


def parse_highlight(value: str, length: int) -> tuple[int, int]:
    """``start,end`` within a text of ``length`` characters, else 422 saying why."""
    start_text, _, end_text = value.partition(",")
    start, end = int(start_text), int(end_text)
    if not start <= end <= length:
        raise HTTPException(
            status_code=422,
            detail=f"highlight {value!r} is outside the document: expected "
            f"0 <= start <= end <= {length}",
        )
    return start, end


def load_neighbourhood(store: Store, entity_id: str, depth: int, limit: int) -> Subgraph:
    """The neighbourhood of ``entity_id`` in the store's graph; 404 if there is no such entity."""
    try:
        return neighbourhood(store.view(), entity_id, depth=depth, limit=limit)
    except EntityNotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


# --------------------------------------------------------------------------- endpoints


@router.get("/health", response_model=Health)
def health(
    store: Store = Depends(get_store), settings: Settings = Depends(get_settings)
) -> Health:
    """Whether the service and its store answer (503 when the store is unavailable)."""
    return Health(store=store_kind(store), revision=store.revision(),
                  read_only=settings.read_only)


@router.get("/stats", response_model=StoreStats)
def stats(store: Store = Depends(get_store)) -> StoreStats:
    """Counts of documents, passages, entities per label, relations per type, evidence."""
    return store.stats()


@router.get("/entities", response_model=SearchPage)
def search_entities(
    query: Annotated[SearchQuery, Query()], workspace: Workspace = Depends(get_workspace)
) -> SearchPage:
    """Search entities by name, alias or acronym and by the passages about them, with type,
    level, country, territory and theme filters, facet counts and paging; exact name
    matches first."""
    try:
        return search(workspace, query)
    except FilterError as exc:
        raise HTTPException(status_code=422, detail=f"query parameter {exc}") from exc


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=not_found("entity"))
def get_entity(
    entity_id: EntityIdPath, workspace: Workspace = Depends(get_workspace)
) -> EntityDetail:
    """An entity's properties and relationships, each with its evidence quotes."""
    try:
        return entity_detail(workspace, entity_id)
    except EntityMissing as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


@router.get("/graph/neighbourhood", response_model=Neighbourhood,
            responses=not_found("entity"))
def get_neighbourhood(
    entity_id: EntityIdQuery,
    depth: Depth = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_NEIGHBOURHOOD_NODES,
                                description="most nodes returned")] = 500,
    workspace: Workspace = Depends(get_workspace),
) -> Neighbourhood:
    """Nodes within ``depth`` hops of an entity and the edges among them, with evidence."""
    subgraph = load_neighbourhood(workspace.store, entity_id, depth, limit)
    titles = workspace.titles()
    return Neighbourhood(
        center=subgraph.center,
        depth=subgraph.depth,
        truncated=subgraph.truncated,
        nodes=subgraph.nodes,
        edges=[
            NeighbourhoodEdge(**edge.model_dump(exclude={"evidence"}),
                              evidence=sourced(edge.evidence, titles))
            for edge in subgraph.edges
        ],
    )


@router.get("/verdicts", response_model=list[PairVerdict])
def list_verdicts(store: Store = Depends(get_store)) -> list[PairVerdict]:
    """Every reviewer's verdict on a pair of programmes, by pair (record them with
    ``POST /verdicts``)."""
    return store.verdicts()


@router.get("/documents", response_model=list[DocumentSummary])
def list_documents(store: Store = Depends(get_store)) -> list[DocumentSummary]:
    """Every stored document, in the order they were ingested."""
    return [DocumentSummary(**doc.model_dump(exclude={"text"})) for doc in store.documents()]


@router.get("/documents/{document_id}", response_model=DocumentDetail,
            responses=not_found("document"))
def get_document(
    document_id: DocumentIdPath,
    highlight: Annotated[str | None, Query(
        pattern=HIGHLIGHT_PATTERN, description="start,end character offsets to return")] = None,
    store: Store = Depends(get_store),
) -> DocumentDetail:
    """A document's metadata, text and number of passages; optionally one span of it."""
    doc = store.get_document(document_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"no document with id {document_id!r}")
    span = None
    if highlight is not None:
        start, end = parse_highlight(highlight, len(doc.text))
        span = Highlight(start=start, end=end, text=doc.text[start:end])
    return DocumentDetail(
        **doc.model_dump(),
        length=len(doc.text),
        passages=passage_count(store, document_id),
        highlight=span,
    )
