"""The subgraph a view shows, as GraphML, GEXF or CSV files (through :mod:`graph.export`).

Nodes keep their label, name, kind, level and country; edges their relationship type (or
``OVERLAP`` / ``DUPLICATE`` for the derived pairs), evidence count and first quote.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx

from graph.export import write_export
from queries.results import Subgraph

FileFormat = Literal["graphml", "gexf", "nodes.csv", "edges.csv"]
FILE_FORMATS: tuple[str, ...] = ("graphml", "gexf", "nodes.csv", "edges.csv")


@dataclass(frozen=True)
class ExportFile:
    """The bytes of an exported file, its media type and its file-name suffix."""

    content: bytes
    media_type: str
    suffix: str


def subgraph_graph(subgraph: Subgraph) -> nx.MultiDiGraph:
    """``subgraph`` as a networkx graph shaped like the store's projection."""
    graph = nx.MultiDiGraph()
    for node in subgraph.nodes:
        graph.add_node(node.id, **node.model_dump(exclude={"id"}))
    for edge in subgraph.edges:
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.type,
            type=edge.type,
            id=edge.id,
            evidence=[ev.model_dump() for ev in edge.evidence],
        )
    return graph


def subgraph_file(subgraph: Subgraph, fmt: FileFormat) -> ExportFile:
    """``subgraph`` written in ``fmt``; ``ValueError`` for an unknown format."""
    if fmt not in FILE_FORMATS:
        raise ValueError(f"unknown file format {fmt!r}; expected one of {', '.join(FILE_FORMATS)}")
    graph = subgraph_graph(subgraph)
    with tempfile.TemporaryDirectory(prefix="tejido-view-") as folder:
        if fmt in ("graphml", "gexf"):
            target = write_export(graph, fmt, Path(folder) / f"view.{fmt}")
            media = "application/xml" if fmt == "graphml" else "application/gexf+xml"
            return ExportFile(target.read_bytes(), media, fmt)
        written = write_export(graph, "csv", Path(folder) / "csv")
        return ExportFile((written / fmt).read_bytes(), "text/csv; charset=utf-8", fmt)
