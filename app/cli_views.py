"""``tejido export view`` and ``tejido report``: a view or a whole report as one HTML file.

The functions here do the work and raise :class:`ViewExportError` with a message for the
user; the ``*_command`` functions are typer commands that open the store, call them and
turn errors into exit codes (1: nothing written, 2: the store cannot be opened).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console

from app.cli_store import opened_store
from app.deps import document_titles
from app.routers.views import LAYOUT_NAMES
from app.settings import DEFAULT_MAX_VIEW_NODES
from app.views.network import LAYOUTS, Layout, build_network, resolve_layout
from app.views.report import DEFAULT_TOP, DEFAULT_VIEW_NODES, build_report
from app.views.view_page import render_view_page
from graph.model import Entity
from graph.normalize import normalize_name
from graph.stores import Store
from queries.exploration import neighbourhood

console = Console(stderr=True)
SEARCH_LIMIT = 20


class ViewExportError(ValueError):
    """The view or report cannot be made; the message says why."""


def resolve_focus(store: Store, focus: str) -> Entity:
    """The entity ``focus`` names: an id, else a name, alias or acronym (accents and case
    ignored). Several entities with that exact name or acronym, or none, is an error that
    lists the candidates."""
    text = focus.strip()
    if not text:
        raise ViewExportError("--focus is empty: give an entity id, a name or an acronym")
    entity = store.get_entity(text)
    if entity is not None:
        return entity
    found = store.search_entities(q=text, limit=SEARCH_LIMIT)
    wanted = normalize_name(text)
    exact = [e for e in found if wanted in e.normalized_names()]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or found
    if not candidates:
        raise ViewExportError(
            f"no entity is called {text!r} (searched ids, names, aliases and acronyms)"
        )
    listed = "; ".join(f"{e.id} ({e.name})" for e in candidates[:10])
    if len(exact) > 1:
        raise ViewExportError(f"{text!r} names {len(exact)} entities; give one id: {listed}")
    if len(candidates) == 1:
        return candidates[0]
    raise ViewExportError(f"{text!r} matches no name exactly; did you mean one of: {listed}")


def export_view(
    store: Store,
    focus: str,
    depth: int = 1,
    layout: str = "auto",
    max_nodes: int = DEFAULT_MAX_VIEW_NODES,
) -> str:
    """The standalone HTML page of ``focus``'s neighbourhood (vis-network inlined)."""
    if not 1 <= depth <= 3:
        raise ViewExportError(f"--depth must be 1, 2 or 3, got {depth}")
    if layout not in LAYOUTS:
        raise ViewExportError(f"--layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if max_nodes < 1:
        raise ViewExportError(f"the node cap must be positive, got {max_nodes}")
    entity = resolve_focus(store, focus)
    subgraph = neighbourhood(store.view(), entity.id, depth=depth, limit=max_nodes)
    chosen = cast(Layout, layout)
    net = build_network(subgraph, chosen, document_titles(store))
    summary = (
        f"{len(subgraph.nodes)} nodos · {len(subgraph.edges)} relaciones · profundidad {depth}"
        f" · disposición: {LAYOUT_NAMES[resolve_layout(chosen, len(subgraph.nodes))]}"
    )
    notice = None
    if subgraph.truncated:
        notice = (
            f"Vista recortada en {len(subgraph.nodes)} nodos; reduzca la profundidad "
            "para ver el vecindario completo."
        )
    return render_view_page(
        net,
        title=f"{entity.name} · Tejido",
        heading=f"Vecindario de {entity.name}",
        summary=summary,
        notice=notice,
        standalone=True,
    )


def write_html(text: str, out: Path) -> Path:
    """Write ``text`` to ``out`` (UTF-8), creating its folder; a clear error if it cannot."""
    if out.exists() and out.is_dir():
        raise ViewExportError(f"{out}: is a folder; give a file name such as vista.html")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ViewExportError(f"{out}: cannot write the file ({exc.strerror or exc})") from exc
    return out


# --------------------------------------------------------------------------- commands

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="sqlite:///path.db or neo4j://host:7687; also TEJIDO_STORE",
        show_default=False,
    ),
]


def export_view_command(
    focus: Annotated[str, typer.Option("--focus", help="entity id, name or acronym")],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write")],
    depth: Annotated[int, typer.Option("--depth", min=1, max=3, help="hops (1 to 3)")] = 1,
    layout: Annotated[
        str, typer.Option("--layout", help="auto, physics, radial, layered or spring")
    ] = "auto",
    store: StoreOption = None,
) -> None:
    """Write the neighbourhood of an entity as one standalone HTML file."""
    with opened_store(store, refuse=(ViewExportError,)) as db:
        target = write_html(export_view(db, focus, depth=depth, layout=layout), out)
    console.print(f"wrote {target}")


def report_command(
    out: Annotated[Path, typer.Option("--out", help="HTML file to write")],
    top: Annotated[int, typer.Option("--top", min=1, max=500, help="rows per table")] = DEFAULT_TOP,
    max_view_nodes: Annotated[
        int, typer.Option("--max-view-nodes", min=10, max=5000, help="node cap of each view")
    ] = DEFAULT_VIEW_NODES,
    store: StoreOption = None,
) -> None:
    """Write a self-contained HTML report: counts, coordination matrix, gaps, brokers,
    top overlaps and duplicates with their explanations, and the network views."""
    with opened_store(store, refuse=(ViewExportError,)) as db:
        target = write_html(build_report(db, top=top, max_view_nodes=max_view_nodes), out)
    console.print(f"wrote {target}")
