"""The HTML page around a pyvis network: heading, cut notice, legend, data, scripts.

Rendered with our own Jinja template (autoescaped) rather than pyvis's, which links
Bootstrap and vis-network from CDNs. Served pages link vis-network and our CSS/JS under
``/static``; standalone pages inline them, so the file works with no server at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyvis.network import Network

from app.views import assets
from app.views.styles import (
    LABEL_STYLES,
    LEVEL_COLOURS,
    LEVEL_LEGEND,
    LEVEL_ORDER,
    edge_style,
)
from app.views.templating import environment

TEMPLATE = "network.html"


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a key, its Spanish name and how it is drawn."""

    key: str
    name: str
    colour: str = ""
    glyph: str = ""
    line: str = ""


@dataclass(frozen=True)
class Legend:
    """Levels (colours), labels (shapes) and the relationship types present (lines)."""

    levels: list[LegendEntry] = field(default_factory=list)
    labels: list[LegendEntry] = field(default_factory=list)
    relations: list[LegendEntry] = field(default_factory=list)


def legend_for(net: Network) -> Legend:
    """The legend of ``net``: the levels, labels and relationship types it draws, and
    nothing it does not."""
    present_types = sorted({edge["relationType"] for edge in net.edges})
    levels = {node.get("governanceLevel") for node in net.nodes}
    labels = {node.get("entityLabel") for node in net.nodes}
    return Legend(
        levels=[
            LegendEntry(key=level, name=LEVEL_LEGEND[level], colour=LEVEL_COLOURS[level])
            for level in LEVEL_ORDER if level in levels
        ],
        labels=[
            LegendEntry(key=label, name=style.name, glyph=style.glyph)
            for label, style in LABEL_STYLES.items() if label in labels
        ],
        relations=[
            LegendEntry(
                key=rel_type,
                name=edge_style(rel_type).gloss.capitalize(),  # "Coordina con", in words
                colour=edge_style(rel_type).colour,
                line=edge_style(rel_type).dash_css,
            )
            for rel_type in present_types
        ],
    )


def payload_of(net: Network) -> dict[str, Any]:
    """The data a page hands to vis-network: nodes, edges, options, and the groups of
    leaves it draws collapsed (:func:`app.views.network.clusters`)."""
    return {"nodes": net.nodes, "edges": net.edges, "options": net.options,
            "clusters": getattr(net, "tejido_clusters", [])}


def render_network_page(
    net: Network,
    *,
    title: str,
    heading: str,
    summary: str,
    notice: str | None = None,
    standalone: bool = False,
    static_prefix: str = "/static",
    legend: Legend | None = None,
    provenance: list[str] | None = None,
) -> str:
    """The full HTML page of ``net``, with ``legend`` (by default :func:`legend_for`).

    Every text argument is escaped; the network data goes into a JSON script block whose
    ``<``, ``>``, ``&`` and ``'`` are escaped, so no name can close it.
    """
    context: dict[str, Any] = {
        "title": title,
        "heading": heading,
        "summary": summary,
        "notice": notice,
        "legend": legend_for(net) if legend is None else legend,
        "payload": payload_of(net),
        "standalone": standalone,
        "static": static_prefix.rstrip("/"),
        "provenance": provenance or [],
    }
    if standalone:
        context |= {
            "vis_css": assets.vis_stylesheet(),
            "vis_js": assets.vis_script(),
            "page_css": assets.static_text("network.css"),
            "labels_js": assets.static_text("labels.js"),
            "page_js": assets.static_text("network.js"),
        }
    return environment().get_template(TEMPLATE).render(**context)
