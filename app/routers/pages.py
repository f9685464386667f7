"""What every HTML page of the explorer shares: the page context, the error page, turning a
use case's refusals into error pages, the network block around a built view.

The page routers (:mod:`app.routers.page_search`, :mod:`app.routers.page_entity`,
:mod:`app.routers.page_analysis`, :mod:`app.routers.page_views`,
:mod:`app.routers.page_report`) each parse a request, call one use case of
:mod:`app.services` and render a template with what it returned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from app.services.analyses import countries_in_graph
from app.services.entities import EntityMissing
from app.services.filters import FilterError, theme_labels, themes_in_graph
from app.services.views import LAYOUT_NAMES, BuiltView, ViewNotFound
from app.services.workspace import Workspace
from app.views.labels import ENTITY_LABELS, LEVEL_LABELS
from app.views.network import LAYOUTS
from app.views.templating import render
from app.views.view_page import NetworkBlock, network_block
from graph.vocab import LABELS, LEVELS


class PageError(Exception):
    """A request the pages answer with an error page (status and message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def root_of(request: Request) -> str:
    """The path the application is mounted at (empty at the server's root)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def page_context(request: Request, page: str, title: str) -> dict[str, Any]:
    """What every explorer page needs: title, current page, root path, static prefix."""
    root = root_of(request)
    return {"title": title, "page": page, "root": root, "static": f"{root}/static",
            "network": None, "lang": request.app.state.settings.language}


def html_page(template: str, context: Mapping[str, Any], status: int = 200) -> HTMLResponse:
    """A rendered page."""
    return HTMLResponse(render(template, **context), status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An explorer error page stating ``message`` (escaped)."""
    context = page_context(request, "error", f"Error {status}")
    context["status"] = status
    context["message"] = message
    return html_page("explorer_error.html", context, status)


def answer(request: Request, build: Callable[[], Response]) -> Response:
    """``build()``, or the error page of the refusal it raised."""
    try:
        return build()
    except PageError as exc:
        return error_page(request, exc.status, exc.message)
    except (EntityMissing, ViewNotFound) as exc:
        return error_page(request, 404, str(exc.args[0]) if exc.args else str(exc))
    except FilterError as exc:
        return error_page(request, 422, f"parámetro {exc.parameter}: {exc.message}")


def filter_options(workspace: Workspace) -> dict[str, Any]:
    """Choices of the filter forms: level pairs, countries, themes, layouts, types, levels."""

    def build() -> dict[str, Any]:
        graph: nx.MultiDiGraph = workspace.graph()
        pairs = [(f"{a},{b}", f"{LEVEL_LABELS[a]} – {LEVEL_LABELS[b]}")
                 for i, a in enumerate(LEVELS) for b in LEVELS[i:]]
        labels = theme_labels(graph)
        themes = sorted(((t, labels.get(t, t)) for t in themes_in_graph(graph)),
                        key=lambda x: x[1].casefold())
        return {
            "level_pairs": pairs,
            "countries": countries_in_graph(graph),
            "themes": themes,
            "layouts": [(name, LAYOUT_NAMES.get(name, "automática")) for name in LAYOUTS],
            "types": [(label, ENTITY_LABELS[label]) for label in LABELS
                      if label != "GovernanceLevel"],
            "levels": [(level, LEVEL_LABELS[level]) for level in LEVELS],
            "institutions": [("different", "distintas instituciones"), ("any", "todas"),
                             ("same", "una misma institución")],
            "verdicts": [("any", "todos"), ("unreviewed", "sin revisar"),
                         ("duplicate", "marcados duplicados"),
                         ("not_duplicate", "marcados no duplicados")],
        }

    return workspace.cached(("filter-options",), build)


def embed_base(request: Request) -> str:
    """The base URL of the iframe snippets: ``TEJIDO_PUBLIC_URL`` when set, else relative
    to this server (the snippet then works wherever the page is served from)."""
    configured = request.app.state.settings.public_url
    return configured.rstrip("/") if configured else ""


def block_for(request: Request, built: BuiltView, cap: int,
              expand_url: str | None = None) -> NetworkBlock:
    """The network block of an explorer page for ``built``."""
    return network_block(
        built.net,
        title=built.heading,
        summary=built.summary,
        notice=built.notice,
        view_path=f"{root_of(request)}/explore/view/{built.kind}",
        query=built.query,
        absolute_base=embed_base(request),
        mode="expand" if expand_url else "open",
        cap=cap,
        expand_url=expand_url,
        opened=tuple(item for item in built.query.get("open", "").split(",") if item),
    )
