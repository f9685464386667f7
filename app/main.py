"""The FastAPI application: JSON API, HTML views, offline API docs, security headers.

``create_app(store_url)`` opens the store once at start-up and shares it between requests.
An unavailable store is a 503 with the reason, bad parameters a 422 naming each one,
unknown ids a 404; nothing a client sends should produce a 500. Every page and asset is
served from this process: HTML responses carry a Content-Security-Policy that allows
nothing from elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources.abc import Traversable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import StoreHolder
from app.response_cache import AnswerStore, RevisionCache, SharedAnswers
from app.routers import (
    admin,
    analysis,
    api,
    page_analysis,
    page_entity,
    page_report,
    page_search,
    page_views,
    views,
)
from app.security import RequestBodyLimit, request_body_limit
from app.services.index_warmup import IndexWarmer
from app.settings import Settings
from app.views.assets import STATIC_DIR
from graph.stores import StoreError, StoreUnavailable

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)
"""The policy of every HTML page; :func:`content_security_policy` adds the hashes of the
page's own inline scripts and says who may frame it."""
EMBEDDABLE_PREFIXES = ("/views/", "/explore/view/")
"""Pages meant to be embedded in reports (read-only graph views): any site may frame them."""
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.DOTALL
)
DOCS_ASSETS = "/static/docs"


def content_security_policy(path: str, body: bytes) -> str:
    """The CSP of the HTML page ``body`` served at ``path``.

    Scripts run only from this server's files or, for the inline scripts a page carries
    (an API docs bootstrap, a report that must work as one file), by the SHA-256 hash of
    their exact text: no ``'unsafe-inline'``, so a script injected into a page never runs.
    Graph views (:data:`EMBEDDABLE_PREFIXES`) may be framed by any site, deliberately, so that
    reports can embed them; every other page may be framed by none.
    """
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body) if script.strip()
    })
    policy = CONTENT_SECURITY_POLICY
    if hashes:
        policy = policy.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes))
    ancestors = "*" if path.startswith(EMBEDDABLE_PREFIXES) else "'none'"
    return f"{policy}; frame-ancestors {ancestors}"


class SecurityHeaders:
    """ASGI middleware: ``nosniff`` on every response; on HTML responses the page's CSP
    (:func:`content_security_policy`, which needs the whole body, so HTML is buffered), and
    ``X-Frame-Options: DENY`` for browsers without ``frame-ancestors`` on pages that are not
    meant to be embedded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        held: dict[str, Message] = {}
        body: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"x-content-type-options", b"nosniff")]
                message = {**message, "headers": headers}
                content_type = next(
                    (value for name, value in headers if name.lower() == b"content-type"), b""
                )
                if content_type.lower().startswith(b"text/html"):
                    held["start"] = message  # sent with the CSP once the body is complete
                    return
            elif message["type"] == "http.response.body" and "start" in held:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                whole = b"".join(body)
                start = held.pop("start")
                headers = [*start["headers"], (b"content-security-policy",
                                               content_security_policy(path, whole).encode())]
                if not path.startswith(EMBEDDABLE_PREFIXES):
                    headers.append((b"x-frame-options", b"DENY"))
                await send({**start, "headers": headers})
                message = {"type": "http.response.body", "body": whole, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _describe_location(location: tuple) -> str:
    where = {"query": "query parameter", "path": "path parameter", "body": "body field",
             "header": "header"}.get(str(location[0]), str(location[0])) if location else ""
    name = ".".join(str(part) for part in location[1:])
    return f"{where} {name!r}" if name else where


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with each problem in words (``query parameter 'depth': ...``) and in detail."""
    errors = jsonable_encoder(exc.errors(), exclude={"input", "url", "ctx"})
    messages = [f"{_describe_location(tuple(e.get('loc', ())))}: {e.get('msg')}" for e in errors]
    return JSONResponse(
        status_code=422, content={"message": "; ".join(messages), "detail": errors}
    )


_ERROR = {"application/json": {"schema": {
    "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
}}}
_EVERY_OPERATION = {
    "503": {"description": "the store is unavailable (the reason is given); retry later",
            "content": _ERROR},
}
_JSON_BODY_OPERATION = {
    "400": {"description": "the body is not JSON", "content": _ERROR},
}


def _document_refusals(app: FastAPI) -> None:
    """Make the OpenAPI schema say what the API sends when it refuses: the 422 ``detail`` is
    the list of problems of a malformed request, or one sentence when a well-formed value is
    refused (an unknown level, a span outside the document), and ``message`` sums it up;
    every operation may answer 503 (the store is unavailable), and one with a JSON body 400
    (the body is not JSON)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            refusal = schema.get("components", {}).get("schemas", {}).get(
                "HTTPValidationError", {}).get("properties")
            if refusal is not None:
                refusal["detail"] = {"anyOf": [refusal["detail"], {"type": "string"}],
                                     "title": "Detail"}
                refusal["message"] = {"type": "string", "title": "Message"}
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    responses = operation.setdefault("responses", {})
                    body = operation.get("requestBody", {}).get("content", {})
                    extra = {**_EVERY_OPERATION,
                             **(_JSON_BODY_OPERATION if "application/json" in body else {})}
                    for status, response in extra.items():
                        responses.setdefault(status, response)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


async def store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
    """503: the store cannot be reached; the message says why."""
    return JSONResponse(
        status_code=503, content={"detail": f"the store is unavailable: {exc}"},
        headers={"Retry-After": "30"},
    )


def _methods_of(routes: list, scope: Scope) -> set[str]:
    """The methods of the routes (those of included routers too) that match ``scope``'s path."""
    methods: set[str] = set()
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            methods |= _methods_of(included.routes, scope)
        elif route.matches(scope)[0] != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return methods


async def method_not_allowed(request: Request, exc: Exception) -> JSONResponse:
    """405 whose ``Allow`` lists every method the path answers (Starlette lists only those
    of the first route of the path: ``GET`` for ``/documents/{id}``, which also takes
    ``DELETE``)."""
    methods = _methods_of(request.app.router.routes, request.scope)
    return JSONResponse(status_code=405, content={"detail": "Method Not Allowed"},
                        headers={"Allow": ", ".join(sorted(methods))})


async def store_error(request: Request, exc: StoreError) -> JSONResponse:
    """500: the store failed on a valid request; the message says what failed."""
    return JSONResponse(status_code=500, content={"detail": f"store error: {exc}"})


def _docs_assets() -> Traversable | None:
    """The Swagger UI files that fastapi-offline ships, or None when it is not installed."""
    try:
        return importlib.resources.files("fastapi_offline") / "static"
    except ModuleNotFoundError:
        return None


def _add_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from local files (fastapi-offline); never from a CDN."""
    docs_static = _docs_assets()
    if docs_static is not None:
        app.mount(DOCS_ASSETS, StaticFiles(directory=str(docs_static)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        if docs_static is None:
            return HTMLResponse(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<title>Tejido API</title></head><body><h1>Tejido API</h1>"
                "<p>The interactive documentation needs the fastapi-offline package "
                f"(pip install fastapi-offline). The OpenAPI schema is at "
                f"<a href=\"{root}{app.openapi_url}\">{app.openapi_url}</a>.</p></body></html>"
            )
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} · API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},
        )


def create_app(store_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    """The Tejido service on the store at ``store_url`` (else ``settings.store``)."""
    settings = settings or Settings()
    if store_url:
        settings = settings.model_copy(update={"store": store_url})
    holder = StoreHolder(settings.store)
    warmer = IndexWarmer(holder.opened, enabled=settings.warm_indexes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.try_open()
        warmer.start()  # the saved duplication index, in the background
        try:
            yield
        finally:
            warmer.stop()
            holder.close()

    app = FastAPI(
        title="Tejido",
        summary="Institutions, governance levels, instruments and programmes, with evidence.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store_holder = holder
    app.state.index_warmer = warmer
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StoreUnavailable, store_unavailable)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(405, method_not_allowed)
    app.include_router(api.router)
    app.include_router(views.router)
    app.include_router(analysis.router)
    app.include_router(admin.router)
    for pages in (page_search, page_entity, page_analysis, page_views, page_report):
        app.include_router(pages.router)  # before _add_docs: the search page answers /
    _add_docs(app)
    _document_refusals(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(RequestBodyLimit, max_bytes=request_body_limit(settings.max_upload_bytes))
    app.add_middleware(SecurityHeaders)
    # outermost: a kept answer carries its security headers, so serving it again costs a
    # lookup, not another pass over the page for its scripts' hashes
    app.state.answers = AnswerStore()
    shared = SharedAnswers(Path(settings.answer_cache)) if settings.answer_cache else None
    app.add_middleware(RevisionCache, revision=holder.revision, answers=app.state.answers,
                       shared=shared)
    return app
