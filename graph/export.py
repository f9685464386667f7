"""Export the entity graph (or any projected subgraph) as GraphML, GEXF, JSON or CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
from networkx.readwrite import json_graph


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (GraphML/GEXF take no lists or dicts)."""
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items() if v not in (None, [], {})})
    for a, b, key, data in graph.edges(keys=True, data=True):
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
        nx.write_gexf(_flat(graph), target)
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
                writer.writerow([node, *(data.get(f, "") for f in node_fields)])
        with (target / "edges.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["source", "target", "type", "evidence_count", "quote"])
            for a, b, data in flat.edges(data=True):
                writer.writerow([a, b, data["type"], data["evidence_count"], data["quote"]])
    else:
        raise ValueError(f"unknown export format {fmt!r}; use graphml, gexf, json or csv")
    return target
