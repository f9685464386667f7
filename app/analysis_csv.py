"""The analyses as CSV, in the row layouts of :mod:`queries.tabular` (shared with the CLI).

Cells that a spreadsheet would read as a formula are defused
(:func:`graph.spreadsheet_safety.defuse`): names come from documents.
Paths, which :mod:`queries.tabular` has no layout for, get one row per hop.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
from pydantic import BaseModel

from graph.spreadsheet_safety import defuse
from queries.results import PathResult
from queries.tabular import Row, to_csv, to_rows


def safe_csv(rows: Iterable[Row]) -> str:
    """CSV text of ``rows`` with every cell defused (see the module docstring)."""
    return to_csv([{key: defuse(value) for key, value in row.items()} for row in rows])


def named_rows(rows: list[Row], graph: nx.MultiDiGraph | None) -> list[Row]:
    """``rows`` with the names of the institutions given by id (``responsible_a`` →
    ``responsible_a_names``) and the territory of each side (``territory_a``, ...)."""
    if graph is None:
        return rows

    def name(node: str) -> str:
        return str(graph.nodes[node].get("name") or node) if node in graph else node

    out = []
    for row in rows:
        named: Row = {}
        for key, value in row.items():
            named[key] = value
            if key.startswith("responsible_") and isinstance(value, str):
                named[f"{key}_names"] = "; ".join(name(v) for v in value.split("; ") if v)
            if key in ("a", "b", "id") and isinstance(value, str) and value in graph:
                suffix = "" if key == "id" else f"_{key}"
                named[f"territory{suffix}"] = graph.nodes[value].get("territory") or ""
        out.append(named)
    return out


def results_csv(items: Iterable[BaseModel], graph: nx.MultiDiGraph | None = None) -> str:
    """CSV of ties, gaps, brokers, overlap or duplicate pairs, or matrix cells; with
    ``graph``, the institutions given by id are named and each side's territory added."""
    return safe_csv(named_rows(to_rows(items), graph))


def path_rows(path: PathResult | None) -> list[Row]:
    """One row per hop of ``path``: both ends, the relations or channels, a quote."""
    if path is None:
        return []
    names = {node.id: node.name for node in path.nodes}
    return [
        {
            "step": number,
            "source": step.source,
            "source_name": names.get(step.source, step.source),
            "target": step.target,
            "target_name": names.get(step.target, step.target),
            "relations": "; ".join(step.relations),
            "via": "; ".join(step.via),
            "evidence": len(step.evidence),
            "quote": step.evidence[0].quote[:300] if step.evidence else "",
        }
        for number, step in enumerate(path.steps, 1)
    ]


def path_csv(path: PathResult | None) -> str:
    """CSV of a path's hops (an empty table when there is no path)."""
    return safe_csv(path_rows(path))
