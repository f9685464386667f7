"""Export the entity graph (or any projected subgraph) as GraphML, GEXF, JSON or CSV.

Scalar graph attributes are kept (GraphML graph data; in GEXF, the file's
``<meta><description>``); a node's ``viz`` mapping (colour, position, size) becomes GEXF's
``viz:`` elements and is left out of GraphML, which has its scalar copies.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx
from networkx.readwrite import json_graph

from graph.spreadsheet_safety import defuse


def _flat(graph: nx.MultiDiGraph, keep_viz: bool = False) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (GraphML/GEXF take no lists or dicts); with
    ``keep_viz``, the nodes' ``viz`` mappings are kept for GEXF."""
    flat = nx.MultiDiGraph(**{k: _scalar(v) for k, v in graph.graph.items()
                              if v not in (None, [], {})})
    for node, data in graph.nodes(data=True):
        attributes = {k: _scalar(v) for k, v in data.items()
                      if v not in (None, [], {}) and k != "viz"}
        if keep_viz and isinstance(data.get("viz"), dict):
            attributes["viz"] = data["viz"]
        flat.add_node(node, **attributes)
    for a, b, key, data in graph.edges(keys=True, data=True):
        if "evidence" not in data:
            flat.add_edge(a, b, key=key, **{k: _scalar(v) for k, v in data.items()
                                            if v not in (None, [], {})})
            continue
        evidence = data.get("evidence", [])
        flat.add_edge(
            a,
            b,
            key=key,
            type=data.get("type", key),
            evidence_count=len(evidence),
            quote=(evidence[0]["quote"][:500] if evidence else ""),
        )
    return flat


def _scalar(value: object) -> str | int | float | bool:
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def write_export(graph: nx.MultiDiGraph, fmt: str, out: Path | None = None) -> Path:
    """Write ``graph`` in ``fmt`` to ``out`` (default ``tejido.<fmt>``; csv: a folder with
    ``nodes.csv`` and ``edges.csv``) and return the path written."""
    target = out or Path(f"tejido.{fmt}" if fmt != "csv" else "tejido-csv")
    if fmt == "graphml":
        nx.write_graphml(_flat(graph), target)
    elif fmt == "gexf":
        flat = _flat(graph, keep_viz=True)
        text = "\n".join(nx.generate_gexf(flat))
        about = "; ".join(f"{k}: {v}" for k, v in flat.graph.items() if isinstance(v, str))
        if about:
            text = text.replace("</meta>", f"<description>{escape(about)}</description></meta>", 1)
        target.write_text(text, encoding="utf-8")
    elif fmt == "json":
        target.write_text(
            json.dumps(
                json_graph.node_link_data(graph, edges="edges"),
                ensure_ascii=False,
                default=str,
                indent=1,
            )
        )
    elif fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        flat = _flat(graph)
        node_fields = sorted({k for _, d in flat.nodes(data=True) for k in d})
        with (target / "nodes.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", *node_fields])
            for node, data in flat.nodes(data=True):
                row = (node, *(data.get(field, "") for field in node_fields))
                writer.writerow([defuse(value) for value in row])
        with (target / "edges.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["source", "target", "type", "evidence_count", "quote"])
            for a, b, data in flat.edges(data=True):
                row = (a, b, data["type"], data["evidence_count"], data["quote"])
                writer.writerow([defuse(value) for value in row])
    else:
        raise ValueError(f"unknown export format {fmt!r}; use graphml, gexf, json or csv")
    return target
