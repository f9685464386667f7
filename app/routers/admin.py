"""Write endpoints: upload and ingest files, delete a document, merge two entities, undo a merge.

All of them are off unless ``TEJIDO_API_TOKEN`` is set, and then need it as a bearer token
(see :func:`app.security.require_write_token`). The token is checked before a request body
is read. Uploads are limited in number and size and saved under a fresh temporary folder
with generated names (:func:`app.security.save_upload`); the client's file name is kept
only as a label: documents are recorded as ``upload/<name>``, so that uploading an edited
file of the same name replaces the earlier version, as re-ingesting an edited file does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from app.deps import get_settings, get_store
from app.routers.api import ENTITY_ID_PATTERN, DocumentIdPath
from app.security import SavedUpload, client_file_name, require_write_token, save_upload
from app.services.ingest import LexiconError, ingest_named_files, lexicon_for
from app.services.verdicts import MAX_MEMBERS, judge
from app.settings import Settings
from graph.stores import Store, StoreError, StoreUnavailable
from graph.stores.base import DeleteResult, MergeRecord, PairVerdict
from loaders.extract.lexicon import Lexicon

router = APIRouter(tags=["admin"], dependencies=[Depends(require_write_token)])

MAX_FILES_PER_UPLOAD = 20
MAX_FORM_FIELDS = 5
UPLOAD_FIELD = "files"
UPLOAD_PATH_PREFIX = "upload/"
MAX_MERGE_ID = 2**62

AUTH_RESPONSES: dict[int | str, dict] = {
    401: {"description": "missing or wrong bearer token"},
    403: {"description": "the API is read-only: TEJIDO_API_TOKEN is not set"},
}
UPLOAD_REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [UPLOAD_FIELD],
                "properties": {
                    UPLOAD_FIELD: {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "maxItems": MAX_FILES_PER_UPLOAD,
                        "description": "documents or inventories (.txt .md .html .pdf .docx "
                        ".csv .tsv .xlsx)",
                    }
                },
            }
        }
    },
}


class UploadedFileResult(BaseModel):
    """What happened to one uploaded file."""

    file: str = Field(description="the file name the client gave")
    status: Literal["ingested", "unchanged", "failed"]
    document_id: str | None = None
    replaced: str | None = Field(default=None, description="id of the version it replaced")
    reason: str | None = Field(default=None, description="why it failed")


class UploadReport(BaseModel):
    """The outcome of an upload: counts and one entry per file, in the order sent."""

    documents: int = Field(description="files ingested as new documents")
    unchanged: int = Field(description="files already stored with the same content")
    failed: int
    files: list[UploadedFileResult]


class UploadRefused(BaseModel):
    """422 of an upload: the report when no file could be ingested, or why nothing was sent."""

    detail: UploadReport | str


class MergeRequest(BaseModel):
    """Merge entity ``merged`` into entity ``kept``."""

    kept: str = Field(max_length=320, pattern=ENTITY_ID_PATTERN)
    merged: str = Field(max_length=320, pattern=ENTITY_ID_PATTERN)
    reason: str = Field(default="", max_length=1000, description="why, for the record")


class VerdictRequest(BaseModel):
    """A reviewer's verdict on a pair (two ids) or a cluster (every pair of its members)."""

    members: list[Annotated[str, Field(max_length=320, pattern=ENTITY_ID_PATTERN)]] = Field(
        min_length=2, max_length=MAX_MEMBERS, description="the programmes judged: two ids for "
        "a pair, more for a cluster"
    )
    verdict: Literal["duplicate", "not_duplicate", "none"] = Field(
        description="duplicate, not_duplicate, or none to forget the verdict"
    )
    note: str = Field(default="", max_length=2000, description="why, for the record")


class UnmergeRequest(BaseModel):
    """Undo the recorded merge ``merge_id``."""

    merge_id: int = Field(ge=1, le=MAX_MERGE_ID)


# --------------------------------------------------------------------------- ingestion


def upload_lexicon(settings: Settings) -> Lexicon:
    """The gazetteer the uploads are matched against (the shipped one plus users' files)."""
    try:
        return lexicon_for(settings.gazetteer_paths)
    except LexiconError as exc:
        raise HTTPException(
            status_code=500, detail=f"the gazetteer cannot be loaded: {exc}"
        ) from exc


def ingest_upload(
    saved: SavedUpload, store: Store, lexicon: Lexicon, max_bytes: int
) -> UploadedFileResult:
    """Ingest one saved upload (:func:`app.services.ingest.ingest_named_files`); a failure
    is reported, not raised.

    The document is recorded under ``upload/<client name>``, never under the server path;
    messages name the client's file, never the server path. An unavailable store is raised
    (the application answers 503).
    """
    name = saved.client_name
    [outcome] = ingest_named_files(store, [(saved.path, f"{UPLOAD_PATH_PREFIX}{name}")],
                                   lexicon=lexicon, max_bytes=max_bytes)
    if outcome.status == "failed":
        return _failed(name, outcome.reason or "failed", saved.path)
    return UploadedFileResult(file=name, status=outcome.status,  # type: ignore[arg-type]
                              document_id=outcome.document_id, replaced=outcome.replaced)


def _failed(name: str, reason: str, server_path: Path) -> UploadedFileResult:
    return UploadedFileResult(
        file=name, status="failed", reason=reason.replace(str(server_path), name)
    )


def _uploaded_files(form_items: list[object]) -> list[UploadFile]:
    files = [item for item in form_items if isinstance(item, UploadFile)]
    if not files:
        raise HTTPException(
            status_code=422, detail=f"no file: send files as multipart field {UPLOAD_FIELD!r}"
        )
    return files


def ingest_uploads(
    files: list[UploadFile], folder: Path, store: Store, lexicon: Lexicon, max_bytes: int
) -> list[UploadedFileResult]:
    """Save each upload in ``folder`` and ingest it; one result per file, in order.

    A file of an unsupported format is a failed result; a file over ``max_bytes`` stops
    the request with 413.
    """
    results: list[UploadedFileResult] = []
    for upload in files:
        try:
            saved = save_upload(upload.file, upload.filename, folder, max_bytes)
        except HTTPException as exc:
            if exc.status_code != 415:
                raise
            results.append(UploadedFileResult(
                file=client_file_name(upload.filename), status="failed", reason=str(exc.detail)
            ))
            continue
        results.append(ingest_upload(saved, store, lexicon, max_bytes))
        saved.path.unlink(missing_ok=True)
    return results


@router.post(
    "/ingest",
    response_model=UploadReport,
    openapi_extra={"requestBody": UPLOAD_REQUEST_BODY},
    responses={
        **AUTH_RESPONSES,
        400: {"description": "a malformed upload: not multipart form data, or over "
                             f"{MAX_FILES_PER_UPLOAD} files"},
        413: {"description": "the files are over the upload limit"},
        415: {"description": "a file of a format Tejido does not read"},
        422: {"model": UploadRefused,
              "description": "no file sent, or no file could be ingested"},
    },
)
async def ingest_files(
    request: Request,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> UploadReport:
    """Ingest uploaded documents or inventories into the graph.

    At most 20 files, each and all together at most ``TEJIDO_MAX_UPLOAD_BYTES`` (413
    beyond); the answer lists each file's outcome, a file of an unsupported format
    included. 422 (with the same list) when no file could be ingested.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise HTTPException(status_code=415, detail="send the files as multipart/form-data")
    try:
        form = await request.form(max_files=MAX_FILES_PER_UPLOAD, max_fields=MAX_FORM_FIELDS)
    except HTTPException:
        raise
    except Exception as exc:
        raise HTTPException(status_code=400, detail=f"malformed upload: {exc}") from exc
    try:
        files = _uploaded_files(form.getlist(UPLOAD_FIELD))
        lexicon = await run_in_threadpool(upload_lexicon, settings)
        with tempfile.TemporaryDirectory(prefix="tejido-upload-") as folder:
            results = await run_in_threadpool(
                ingest_uploads, files, Path(folder), store, lexicon, settings.max_upload_bytes
            )
    finally:
        await form.close()
    report = UploadReport(
        documents=sum(r.status == "ingested" for r in results),
        unchanged=sum(r.status == "unchanged" for r in results),
        failed=sum(r.status == "failed" for r in results),
        files=results,
    )
    if report.failed == len(results):
        raise HTTPException(status_code=422, detail=report.model_dump())
    return report


# --------------------------------------------------------------------------- documents


@router.delete(
    "/documents/{document_id}",
    response_model=DeleteResult,
    responses={**AUTH_RESPONSES, 404: {"description": "no document with that id"}},
)
def delete_document(document_id: DocumentIdPath, store: Store = Depends(get_store)) -> DeleteResult:
    """Delete a document as if it had never been ingested: its passages, mentions and
    evidence go, and what no other document supports; what others support is rebuilt from
    what they said."""
    if not store.has_document(document_id):
        raise HTTPException(status_code=404, detail=f"no document with id {document_id!r}")
    try:
        return store.delete_document(document_id)
    except StoreUnavailable:
        raise
    except StoreError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc


# --------------------------------------------------------------------------- merges


@router.post(
    "/merge",
    response_model=MergeRecord,
    responses={
        **AUTH_RESPONSES,
        404: {"description": "no entity with one of the ids"},
        409: {"description": "the store refused the merge"},
    },
)
def merge_entities(
    request: Annotated[MergeRequest, Body()], store: Store = Depends(get_store)
) -> MergeRecord:
    """Merge entity ``merged`` into ``kept``: recorded, and undone with ``/unmerge``."""
    if request.kept == request.merged:
        raise HTTPException(status_code=422, detail="kept and merged are the same entity")
    for entity_id in (request.kept, request.merged):
        if store.get_entity(entity_id) is None:
            raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}")
    try:
        return store.merge(request.kept, request.merged, request.reason)
    except StoreUnavailable:
        raise
    except StoreError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc


@router.post(
    "/unmerge",
    response_model=MergeRecord,
    responses={
        **AUTH_RESPONSES,
        404: {"description": "no merge with that id"},
        409: {"description": "the merge was undone already or cannot be undone now"},
    },
)
def unmerge_entities(
    request: Annotated[UnmergeRequest, Body()], store: Store = Depends(get_store)
) -> MergeRecord:
    """Undo a recorded merge: both entities, their relations and mentions as recorded."""
    if not any(record.id == request.merge_id for record in store.merges()):
        raise HTTPException(status_code=404, detail=f"no merge with id {request.merge_id}")
    try:
        return store.unmerge(request.merge_id)
    except StoreUnavailable:
        raise
    except StoreError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc


# --------------------------------------------------------------------------- verdicts


@router.post(
    "/verdicts",
    response_model=list[PairVerdict],
    responses={
        **AUTH_RESPONSES,
        404: {"description": "no entity with one of the ids"},
        422: {"description": "fewer than two different ids, or an unknown verdict"},
    },
)
def record_verdict(
    request: Annotated[VerdictRequest, Body()], http: Request,
    store: Store = Depends(get_store),
) -> list[PairVerdict]:
    """Mark a pair or a cluster of programmes as duplicate or not, with a note (``none``
    forgets the verdict). Verdicts survive re-ingestion and filter the duplication list
    (``verdict=``)."""
    for entity_id in dict.fromkeys(request.members):
        if store.get_entity(entity_id) is None:
            raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}")
    try:
        recorded = judge(store, request.members, request.verdict, request.note)
    except StoreUnavailable:
        raise
    except StoreError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    http.app.state.index_warmer.start()  # a verdict moves the revision: index it again
    return recorded
