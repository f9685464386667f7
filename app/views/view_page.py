"""A network view as a page of its own (to embed or to save) or as a block of an explorer page.

:func:`render_view_page` is :func:`app.views.page.render_network_page` with the legend
of :func:`app.views.analysis_graphs.view_legend`, so derived edges are named truthfully;
``standalone=True`` inlines every asset, so the file opens from disk with no network.
:func:`network_block` gathers what an explorer page shows around its canvas: the data,
legend, summary, cut notice, download links and the iframe snippet that embeds the same
view in a report.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

from pyvis.network import Network

from app.views.analysis_graphs import view_legend
from app.views.page import Legend, payload_of, render_network_page

GraphMode = Literal["open", "expand"]
DOWNLOADS: tuple[tuple[str, str], ...] = (
    ("HTML autónomo", "standalone"),
    ("GraphML", "graphml"),
    ("GEXF", "gexf"),
    ("CSV de nodos", "nodes.csv"),
    ("CSV de relaciones", "edges.csv"),
)
EMBED_HEIGHT = 600


def render_view_page(
    net: Network,
    *,
    title: str,
    heading: str,
    summary: str,
    notice: str | None = None,
    standalone: bool = False,
    static_prefix: str = "/static",
    provenance: list[str] | None = None,
) -> str:
    """The view alone as a full HTML page, with the legend of :func:`view_legend` and, for
    exports, the ``provenance`` lines (date, store, source documents, filters)."""
    return render_network_page(
        net,
        title=title,
        heading=heading,
        summary=summary,
        notice=notice,
        standalone=standalone,
        static_prefix=static_prefix,
        legend=view_legend(net),
        provenance=provenance,
    )


@dataclass(frozen=True)
class NetworkBlock:
    """Everything an explorer page shows around one network canvas."""

    title: str
    payload: dict[str, Any]
    legend: Legend
    summary: str
    node_count: int
    notice: str | None
    mode: GraphMode
    cap: int
    embed_url: str
    snippet: str
    downloads: list[tuple[str, str]] = field(default_factory=list)
    expand_url: str | None = None
    opened: tuple[str, ...] = ()


def iframe_snippet(url: str, title: str, height: int = EMBED_HEIGHT) -> str:
    """The HTML that embeds the view at ``url`` in another page."""
    return (
        f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" '
        f'height="{height}" style="border:0" loading="lazy"></iframe>'
    )


def network_block(
    net: Network,
    *,
    title: str,
    summary: str,
    notice: str | None,
    view_path: str,
    query: Mapping[str, str],
    absolute_base: str,
    mode: GraphMode = "open",
    cap: int = 2000,
    expand_url: str | None = None,
    opened: tuple[str, ...] = (),
) -> NetworkBlock:
    """The block of ``net`` on an explorer page.

    ``view_path`` is the root-relative path of the view alone (``/explore/view/overlap``)
    and ``query`` its parameters; ``absolute_base`` is the server's base URL, for the
    iframe snippet that other pages paste.
    """
    base_query = urlencode(dict(query))
    separator = "&" if base_query else ""
    embed = f"{view_path}?{base_query}" if base_query else view_path
    downloads = [
        (label, f"{view_path}?{base_query}{separator}format={fmt}") for label, fmt in DOWNLOADS
    ]
    absolute = absolute_base.rstrip("/") + embed
    return NetworkBlock(
        title=title,
        payload=payload_of(net),
        legend=view_legend(net),
        summary=summary,
        node_count=len(net.nodes),
        notice=notice,
        mode=mode,
        cap=cap,
        embed_url=embed,
        snippet=iframe_snippet(absolute, title),
        downloads=downloads,
        expand_url=expand_url,
        opened=opened,
    )
