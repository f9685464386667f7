"""Collective actors and their members: what a document says of a whole class of bodies.

A collective actor stands for every body of one kind ("Gobiernos regionales", all regional
governments of a country; "Municipalidades", all municipalities). A named institution is a
member of a collective when it is not itself a collective, has the collective's level (and
its country, when the collective has one) and its name opens with one of the collective's
names or aliases as whole words: "Gobierno Regional del Biobío" is one of the "Gobiernos
regionales" (alias "gobierno regional"), "Municipalidad de Huechuraba" one of the
"Municipalidades".

A statement about the collective ("los gobiernos regionales ... traslape de competencias con
CORFO") holds for each of its members that the same document names: the overlap query counts
it for them too, with the statement as evidence. Members are looked for only in the
documents of the statement, so a statement in one report does not reach every municipality
of a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.normalize import normalize_name

COLLECTIVE = "collective"


def _names(data: Mapping[str, Any]) -> set[str]:
    names = [data.get("name") or "", *(data.get("aliases") or ())]
    return {key for key in (normalize_name(str(n)) for n in names) if key}


def _edge_documents(graph: nx.MultiDiGraph, source: str, target: str, rel_type: str) -> set[str]:
    data = graph.get_edge_data(source, target, key=rel_type) or {}
    return {_document_of(item) for item in data.get("evidence") or ()} - {""}


def _document_of(item: Any) -> str:
    if isinstance(item, Mapping):
        return str(item.get("document_id") or "")
    return str(getattr(item, "document_id", "") or "")


def node_documents(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """The documents that give evidence of any relation of ``node``."""
    found: set[str] = set()
    for edges in (graph.out_edges(node, keys=True, data=True),
                  graph.in_edges(node, keys=True, data=True)):
        for _, _, _, data in edges:
            found.update(_document_of(item) for item in data.get("evidence") or ())
    found.discard("")
    return found


def is_member(collective: Mapping[str, Any], names: set[str], body: Mapping[str, Any]) -> bool:
    """Whether ``body`` is one of the bodies the collective (with normalised ``names``)
    stands for: not a collective, same level and country, name opening with one of them."""
    if body.get("kind") == COLLECTIVE or body.get("level") != collective.get("level"):
        return False
    country = collective.get("country")
    if country and body.get("country") not in (None, country):
        return False
    name = normalize_name(str(body.get("name") or ""))
    return any(name.startswith(f"{key} ") for key in names)


def member_statements(
    graph: nx.MultiDiGraph, edges: Iterable[tuple[str, str]], rel_type: str,
    candidates: Iterable[str],
) -> list[tuple[str, str, str, str]]:
    """Statements ``edges`` (of type ``rel_type``) about a collective, extended to its members.

    Returns ``(member, other, source, target)`` for every ``source → target`` edge with a
    collective at one end, every member of that collective among ``candidates`` that a
    document of the edge names, and ``other`` the edge's other end (never the member itself).
    """
    about: dict[str, list[tuple[str, str, str]]] = {}
    for source, target in edges:
        for collective, other in ((source, target), (target, source)):
            if graph.nodes[collective].get("kind") == COLLECTIVE:
                about.setdefault(collective, []).append((other, source, target))
    if not about:
        return []
    bodies = [node for node in candidates if node in graph]
    documents: dict[str, set[str]] = {}
    out: list[tuple[str, str, str, str]] = []
    for collective, statements in sorted(about.items()):
        data = graph.nodes[collective]
        names = _names(data)
        members = [b for b in bodies if b != collective and is_member(data, names, graph.nodes[b])]
        for other, source, target in statements:
            stated_in = _edge_documents(graph, source, target, rel_type)
            for body in members:
                if body == other:
                    continue
                if body not in documents:
                    documents[body] = node_documents(graph, body)
                if documents[body] & stated_in:
                    out.append((body, other, source, target))
    return out
