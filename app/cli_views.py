"""``tejido export view`` and ``tejido report``: a view or a whole report as one HTML file.

The functions here call the use cases (:mod:`app.services.views`,
:mod:`app.services.reports`) and raise :class:`ViewExportError` with a message for the
user; the ``*_command`` functions are typer commands that open the store, call them and
turn errors into exit codes (1: nothing written, 2: the store cannot be opened).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from app.cli_filters import filter_options, filters_or_exit
from app.cli_store import console, opened_store
from app.i18n import t
from app.services.filters import ALL_PARAMETERS
from app.services.report_options import (
    DEFAULT_TOP,
    DEFAULT_VIEW_NODES,
    SECTIONS,
    ReportError,
    read_sections,
)

if TYPE_CHECKING:  # the use cases are imported when a command runs, not for --help
    from graph.model import Entity
    from graph.stores import Store

LAYOUT_CHOICES = ("auto", "physics", "radial", "layered", "spring")


class ViewExportError(ValueError):
    """The view or report cannot be made; the message says why."""


def resolve_focus(store: Store, focus: str) -> Entity:
    """The entity ``focus`` names (:func:`app.services.search.resolve_focus`)."""
    from app.services.search import resolve_focus as find_focus

    try:
        return find_focus(store, focus)
    except LookupError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        if message.startswith("empty"):
            message = "--focus is empty: give an entity id, a name or an acronym"
        raise ViewExportError(message) from exc


def export_view(
    store: Store,
    focus: str,
    depth: int = 1,
    layout: str = "auto",
    max_nodes: int | None = None,
) -> str:
    """The standalone HTML page of ``focus``'s neighbourhood (vis-network inlined)."""
    from app.services.exports import provenance
    from app.services.views import neighbourhood_of
    from app.services.workspace import DEFAULT_MAX_VIEW_NODES, Workspace
    from app.views.view_page import render_view_page

    max_nodes = DEFAULT_MAX_VIEW_NODES if max_nodes is None else max_nodes
    if not 1 <= depth <= 3:
        raise ViewExportError(f"--depth must be 1, 2 or 3, got {depth}")
    if layout not in LAYOUT_CHOICES:
        raise ViewExportError(
            f"--layout must be one of {', '.join(LAYOUT_CHOICES)}, got {layout!r}")
    if max_nodes < 1:
        raise ViewExportError(f"the node cap must be positive, got {max_nodes}")
    entity = resolve_focus(store, focus)
    workspace = Workspace(store=store, max_view_nodes=max_nodes)
    built = neighbourhood_of(workspace, entity.id, depth=depth,
                             layout=layout)  # type: ignore[arg-type]
    about = provenance(workspace, f"id={entity.id}; depth={depth}").lines()
    return render_view_page(built.net, title=f"{entity.name} · Tejido", heading=built.heading,
                            summary=built.summary, notice=built.notice, standalone=True,
                            provenance=about)


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
    focus: Annotated[str, typer.Option("--focus", help="entity id, name or acronym",
                                       show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write", show_default=False)],
    depth: Annotated[int, typer.Option("--depth", min=1, max=3, help="hops (1 to 3)")] = 1,
    layout: Annotated[
        str, typer.Option("--layout", help="auto, physics, radial, layered or spring")
    ] = "auto",
    store: StoreOption = None,
) -> None:
    """Write the neighbourhood of an entity as one standalone HTML file."""
    with opened_store(store, refuse=(ViewExportError,)) as db:
        target = write_html(export_view(db, focus, depth=depth, layout=layout), out)
    console.print(t("cli.wrote", path=target))


@filter_options(ALL_PARAMETERS, defaults={"top": DEFAULT_TOP})
def report_command(
    filters: dict[str, Any],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write", show_default=False)],
    sections: Annotated[list[str] | None, typer.Option(
        "--section", help=f"a section to include (repeat; default: all): {', '.join(SECTIONS)}",
        show_default=False)] = None,
    max_view_nodes: Annotated[
        int, typer.Option("--max-view-nodes", min=10, max=5000, help="node cap of each view")
    ] = DEFAULT_VIEW_NODES,
    store: StoreOption = None,
) -> None:
    """Write a self-contained HTML report under the analyses' filters: counts, coordination
    matrix, gaps, brokers, top overlaps and duplicates with their explanations, and the
    network views; it states its date, store, source documents and filters."""
    from app.services.reports import build_report
    from app.services.workspace import Workspace

    try:
        chosen = read_sections(sections)
    except ReportError as exc:
        raise typer.BadParameter(str(exc), param_hint="--section") from exc
    with opened_store(store, refuse=(ViewExportError,)) as db:
        workspace = Workspace(store=db)
        report_filters = filters_or_exit(filters, ALL_PARAMETERS, workspace.graph())
        html = build_report(workspace, filters=report_filters, sections=chosen,
                            max_view_nodes=max_view_nodes)
        target = write_html(html, out)
    console.print(t("cli.wrote", path=target))
