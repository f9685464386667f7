"""Export: a view or the whole graph as GraphML, GEXF, CSV or JSON, for Gephi, yEd,
Cytoscape and spreadsheets, each file saying where it comes from.

Nodes carry their name as ``label`` (what Gephi and yEd draw), their entity ``type``,
``kind``, governance ``level``, ``country``, ``territory`` and ``id``, the colour of their
level (``r``, ``g``, ``b`` and ``colour``; GEXF ``viz:color``) and a position (``x``, ``y``;
GEXF ``viz:position``): the view's own positions, else a layered layout by level. Edges
carry their relationship type, its Spanish gloss as ``label``, the evidence count and the
first quote. Every file states the date, the store, the source documents and the filters
(graph attributes in GraphML and GEXF; ``#`` lines at the top of a CSV).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from app.services.views import BuiltView
from app.services.workspace import Workspace
from app.views.layout import layered_positions
from app.views.styles import edge_style, level_colour, level_key
from graph.export import write_export
from graph.spreadsheet_safety import defuse
from queries.profiles import node_summary
from queries.results import Subgraph, SubgraphNode

FileFormat = Literal["graphml", "gexf", "nodes.csv", "edges.csv"]
FILE_FORMATS: tuple[str, ...] = ("graphml", "gexf", "nodes.csv", "edges.csv")
MEDIA_TYPES = {"graphml": "application/xml", "gexf": "application/gexf+xml",
               "nodes.csv": "text/csv; charset=utf-8", "edges.csv": "text/csv; charset=utf-8"}
NODE_COLUMNS = ("id", "name", "type", "kind", "level", "country", "territory")
EDGE_COLUMNS = ("source", "source_name", "target", "target_name", "type", "relation",
                "evidence_count", "quote")
QUOTE_CHARS = 500


@dataclass(frozen=True)
class Provenance:
    """Where an export or a report comes from: when, which store, which documents, which
    filters."""

    generated: str
    store: str
    revision: int
    documents: tuple[str, ...]
    filters: str

    def lines(self) -> list[str]:
        """The provenance as ``key: value`` lines."""
        return [f"generado: {self.generated}", f"almacén: {self.store} (revisión "
                f"{self.revision})", f"documentos fuente: {'; '.join(self.documents) or '—'}",
                f"filtros: {self.filters}"]

    def as_attributes(self) -> dict[str, str]:
        """The provenance as graph attributes."""
        return {"generated": self.generated, "store": self.store,
                "revision": str(self.revision), "source_documents": "; ".join(self.documents),
                "filters": self.filters}


@dataclass(frozen=True)
class ExportFile:
    """The bytes of an exported file, its media type and its file-name suffix."""

    content: bytes
    media_type: str
    suffix: str


def public_store_url(url: str) -> str:
    """The store URL without a password (``neo4j://user:secret@host`` → ``neo4j://host``)."""
    return re.sub(r"//[^/@]*@", "//", url)


def provenance(workspace: Workspace, filters: str = "ninguno",
               generated: str | None = None) -> Provenance:
    """The provenance of what is exported or reported now from ``workspace``."""
    titles = workspace.titles()
    return Provenance(
        generated=generated or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        store=public_store_url(workspace.store.url),
        revision=workspace.revision(),
        documents=tuple(sorted(titles.values(), key=str.casefold)),
        filters=filters,
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def presentation_graph(
    subgraph: Subgraph, positions: Mapping[str, tuple[float, float]] | None = None,
    about: Provenance | None = None,
) -> nx.MultiDiGraph:
    """``subgraph`` as a graph whose attributes are what Gephi and yEd show."""
    where = dict(positions or {})
    missing = [node for node in subgraph.nodes if node.id not in where]
    if missing:
        where |= layered_positions(Subgraph(center="", depth=0, nodes=missing, edges=[]))
    graph = nx.MultiDiGraph(**(about.as_attributes() if about else {}))
    names = {node.id: node.name for node in subgraph.nodes}
    for node in subgraph.nodes:
        colour = level_colour(node.level)
        r, g, b = _rgb(colour)
        x, y = where.get(node.id, (0.0, 0.0))
        attributes = {
            "label": node.name, "name": node.name, "type": node.label, "kind": node.kind or "",
            "level": level_key(node.level), "country": node.country or "",
            "territory": node.territory or "", "colour": colour, "r": r, "g": g, "b": b,
            "x": float(x), "y": float(y), "size": 20.0 if node.id == subgraph.center else 10.0,
            "viz": {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                    "position": {"x": float(x), "y": float(-y), "z": 0.0},
                    "size": 20.0 if node.id == subgraph.center else 10.0},
        }
        graph.add_node(node.id, **attributes)
    for edge in subgraph.edges:
        quote = edge.evidence[0].quote[:QUOTE_CHARS] if edge.evidence else ""
        graph.add_edge(edge.source, edge.target, key=edge.id, type=edge.type,
                       label=edge_style(edge.type).gloss, evidence_count=len(edge.evidence),
                       quote=quote, source_name=names.get(edge.source, edge.source),
                       target_name=names.get(edge.target, edge.target),
                       score=float(edge.properties.get("score") or 0.0))
    return graph


def _csv(rows: list[list[Any]], header: tuple[str, ...], about: Provenance | None) -> bytes:
    buffer = io.StringIO()
    for line in (about.lines() if about else []):
        buffer.write(f"# {line}\n")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[defuse(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def graph_bytes(graph: nx.MultiDiGraph, fmt: str) -> ExportFile:
    """A presentation graph written in ``fmt`` (see :data:`FILE_FORMATS`)."""
    about = Provenance(**{k: graph.graph[k] for k in ("generated", "store", "filters")},
                       revision=int(graph.graph.get("revision", 0)),
                       documents=tuple(filter(None, graph.graph.get(
                           "source_documents", "").split("; ")))) if graph.graph else None
    if fmt == "nodes.csv":
        rows = [[node, data["label"], data["type"], data["kind"], data["level"],
                 data["country"], data["territory"]] for node, data in graph.nodes(data=True)]
        return ExportFile(_csv(rows, NODE_COLUMNS, about), MEDIA_TYPES[fmt], fmt)
    if fmt == "edges.csv":
        rows = [[a, data["source_name"], b, data["target_name"], data["type"], data["label"],
                 data["evidence_count"], data["quote"]] for a, b, data in graph.edges(data=True)]
        return ExportFile(_csv(rows, EDGE_COLUMNS, about), MEDIA_TYPES[fmt], fmt)
    if fmt not in ("graphml", "gexf"):
        raise ValueError(f"unknown file format {fmt!r}; expected one of {', '.join(FILE_FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="tejido-export-") as folder:
        target = write_export(graph, fmt, Path(folder) / f"view.{fmt}")
        return ExportFile(target.read_bytes(), MEDIA_TYPES[fmt], fmt)


def view_positions(built: BuiltView) -> dict[str, tuple[float, float]]:
    """The positions the view drew its nodes at (none under live physics)."""
    return {item["id"]: (item["x"], item["y"]) for item in built.net.nodes
            if "x" in item and "y" in item}


def view_file(workspace: Workspace, built: BuiltView, fmt: str, filters: str) -> ExportFile:
    """One view as a file, with its positions and provenance."""
    about = provenance(workspace, filters)
    return graph_bytes(presentation_graph(built.subgraph, view_positions(built), about), fmt)


def whole_graph(workspace: Workspace) -> Subgraph:
    """Every entity of the store and every relation between them."""
    graph = workspace.graph()
    nodes = [SubgraphNode(**node_summary(graph, n).model_dump(), depth=0) for n in graph.nodes]
    from app.views.analysis_graphs import relations_between

    return Subgraph(center="", depth=0, nodes=nodes,
                    edges=relations_between(graph, [n.id for n in nodes]))


def export_store(workspace: Workspace, fmt: str, out: Path | None) -> Path:
    """The whole graph written to ``out`` in ``fmt`` (graphml, gexf, json; csv: a folder of
    ``nodes.csv`` and ``edges.csv``); returns the path written."""
    if fmt == "json":
        return write_export(workspace.graph(), "json", out)
    graph = presentation_graph(whole_graph(workspace), None, provenance(workspace))
    if fmt == "csv":
        folder = out or Path("tejido-csv")
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("nodes.csv", "edges.csv"):
            (folder / name).write_bytes(graph_bytes(graph, name).content)
        return folder
    target = out or Path(f"tejido.{fmt}")
    target.write_bytes(graph_bytes(graph, fmt).content)
    return target


def file_name(kind: str, query: Mapping[str, str], suffix: str) -> str:
    """``tejido-overlap.graphml``, ``tejido-neighbourhood-inst-corfo.html``."""
    focus = re.sub(r"[^a-z0-9]+", "-", str(query.get("id", "")).lower()).strip("-")[:60]
    return f"tejido-{kind}{'-' + focus if focus else ''}.{suffix}"
