"""Report: a self-contained HTML report of a store under the analyses' filters, with the
sections asked for: counts, the coordination matrix, gaps and brokers, top overlaps, top
duplicates with their explanations, and the three network views. It states when it was
made, from which store and documents, and with which filters.

One file, every asset inlined (vis-network, styles, the script that draws the views), no
reference outside it: it opens from disk with no network, and can be mailed or archived.
Every text from the documents is escaped by the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from app.services.analyses import (
    coordination_brokers,
    coordination_gaps,
    coordination_matrix,
    coordination_ties,
    duplicate_pairs,
    overlap_pairs,
)
from app.services.exports import provenance
from app.services.filters import AnalysisFilters
from app.services.report_options import (
    DEFAULT_TOP,
    DEFAULT_VIEW_NODES,
    SECTIONS,
    ReportError,
    read_sections,
)
from app.services.workspace import Workspace
from app.views import assets
from app.views.analysis_graphs import (
    AnalysisView,
    analysis_network,
    duplication_view,
    overlap_view,
    shared_summary,
    ties_view,
    view_legend,
)
from app.views.heatmap import heatmap
from app.views.labels import level_label
from app.views.page import Legend, payload_of
from app.views.templating import render

TEMPLATE = "report.html"
REPORT_SCRIPT = "report.js"
REPORT_STYLES = "explorer.css"
@dataclass(frozen=True)
class ReportView:
    """One embedded network: its data, legend and the words around it."""

    key: str
    heading: str
    summary: str
    notice: str | None
    payload: dict[str, Any]
    legend: Legend

    @property
    def empty(self) -> bool:
        """Whether the view has no node to draw."""
        return not self.payload["nodes"]


def report_view(
    key: str, heading: str, view: AnalysisView, titles: Mapping[str, str], items: str
) -> ReportView:
    """The embedded view of one analysis."""
    net = analysis_network(view.subgraph, "auto", titles)
    notice = None
    if view.truncated:
        notice = (f"Se muestran {view.shown} de {view.given} {items} para no pasar del tope "
                  "de nodos.")
    summary = f"{len(view.subgraph.nodes)} nodos · {len(view.subgraph.edges)} relaciones"
    return ReportView(key=key, heading=heading, summary=summary, notice=notice,
                      payload=payload_of(net), legend=view_legend(net))


def report_context(
    graph: nx.MultiDiGraph,
    titles: Mapping[str, str],
    stats: Any,
    *,
    filters: AnalysisFilters | None = None,
    sections: tuple[str, ...] = tuple(SECTIONS),
    max_view_nodes: int = DEFAULT_VIEW_NODES,
) -> dict[str, Any]:
    """Everything the report shows, computed from the projected graph: only the analyses
    the chosen ``sections`` need, under ``filters``."""
    filters = filters or AnalysisFilters(top=DEFAULT_TOP)
    views_wanted = "views" in sections
    context: dict[str, Any] = {
        "stats": stats, "top": filters.top, "sections": sections, "filters": filters,
        "titles": titles, "views": [], "ties_total": None,
        "name_of": lambda node: graph.nodes[node].get("name") or node if node in graph else node,
    }
    context["shared_summary"] = lambda shared, limit=None: shared_summary(
        shared, limit, context["name_of"])
    if "summary" in sections or "coordination" in sections or views_wanted:
        ties, context["ties_total"] = coordination_ties(graph, filters)
    if "coordination" in sections:
        matrix = coordination_matrix(graph, filters)
        context |= {"heatmap": heatmap(matrix), "matrix": matrix,
                    "weakest": weakest_cells(matrix.cells),
                    "gaps": coordination_gaps(graph, filters),
                    "brokers": coordination_brokers(graph, filters)}
    if "overlap" in sections or views_wanted:
        context["overlaps"] = overlap_pairs(graph, filters)
    if "duplication" in sections or views_wanted:
        context["duplicates"] = duplicate_pairs(graph, filters)
    if views_wanted:
        context["views"] = [
            report_view("coordination", "Red de vínculos de coordinación",
                        ties_view(graph, ties, max_view_nodes), titles, "vínculos"),
            report_view("overlap", "Red de traslapes de competencias",
                        overlap_view(graph, context["overlaps"].pairs, max_view_nodes), titles,
                        "pares"),
            report_view("duplication", "Red de posibles duplicaciones",
                        duplication_view(graph, context["duplicates"].pairs, max_view_nodes),
                        titles, "pares"),
        ]
    return context


def weakest_cells(cells: list[Any], limit: int = 3) -> list[str]:
    """Sentences on the level pairs whose institutions share a field but coordinate least."""
    rated = [c for c in cells if c.coordination_rate is not None and c.sharing_field]
    rated.sort(key=lambda c: (c.coordination_rate, -c.sharing_field, c.level_a, c.level_b))
    return [
        f"{level_label(c.level_a)} – {level_label(c.level_b)}: coordinan "
        f"{c.tied_and_sharing} de {c.sharing_field} pares que comparten un campo"
        for c in rated[:limit]
    ]


def build_report(
    workspace: Workspace,
    *,
    filters: AnalysisFilters | None = None,
    sections: tuple[str, ...] = tuple(SECTIONS),
    max_view_nodes: int = DEFAULT_VIEW_NODES,
    title: str = "Informe de Tejido",
    generated: str | None = None,
) -> str:
    """The report of ``workspace``'s store as one HTML document (see the module docstring)."""
    filters = filters or AnalysisFilters(top=DEFAULT_TOP)
    if not sections:
        raise ReportError("no section chosen")
    context = report_context(
        workspace.graph(), workspace.titles(), workspace.store.stats(), filters=filters,
        sections=sections, max_view_nodes=max_view_nodes,
    )
    about = provenance(workspace, filters.sentence(), generated)
    context |= {
        "title": title,
        "about": about,
        "generated": about.generated,
        "revision": about.revision,
        "section_names": SECTIONS,
        "styles": assets.static_text(REPORT_STYLES),
        "vis_css": assets.vis_stylesheet(),
        "vis_js": assets.vis_script(),
        "labels_script": assets.static_text("labels.js"),
        "script": assets.static_text(REPORT_SCRIPT),
    }
    return render(TEMPLATE, **context)


__all__ = ["DEFAULT_TOP", "DEFAULT_VIEW_NODES", "SECTIONS", "ReportError", "build_report",
           "read_sections", "report_context"]
