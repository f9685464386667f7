"""Search: the one search of the API, the pages and the command line.

A query finds entities by their names, aliases and acronyms (the store's accent-insensitive
full-text index, exact names first), then by the passages that speak of them (the store's
passage index; an entity is found through the passages quoted as evidence of its
relations) and by the words of their own descriptions and objectives. Filters (type,
level, country, territory, theme) narrow the hits; facet counts say how many hits each
filter value would keep; results come a page at a time with the total.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.services.analyses import entities_in_territory, entities_with_theme
from app.services.filters import FilterError, parse_territory, parse_theme
from app.services.workspace import Workspace
from graph.model import Entity
from graph.normalize import normalize_name
from graph.stores import Store
from graph.vocab import LABELS, LEVELS
from queries.profiles import graph_index, institution_table, instrument_table

MAX_PAGE = 500
NAME_SCAN = 2000        # name hits read from the store before filtering
PASSAGE_SCAN = 300      # passage hits read from the store
FACET_VALUES = 30       # values listed per facet
SNIPPET_CHARS = 220
FOCUS_CANDIDATES = 20

Facet = Literal["type", "level", "country", "territory", "theme"]
FACETS: tuple[str, ...] = ("type", "level", "country", "territory", "theme")


def _choice_pattern(choices: Iterable[str]) -> str:
    """The documented pattern of a parameter taking one of ``choices`` (blank: no filter)."""
    return r"^\s*(?:(?:" + "|".join(map(re.escape, choices)) + r")\s*)?$"


class SearchQuery(BaseModel):
    """What to search for; blank values are no filter."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    q: str | None = Field(default=None, max_length=200, description=(
        "words of a name, alias or acronym, or of the passages about an entity; accents and "
        "case are ignored"))
    type: str | None = Field(default=None, max_length=40, description="node label",
                             json_schema_extra={"pattern": _choice_pattern(LABELS)})
    level: str | None = Field(default=None, max_length=40, description="governance level",
                              json_schema_extra={"pattern": _choice_pattern(LEVELS)})
    country: str | None = Field(default=None, max_length=2,
                                description="ISO 3166 alpha-2 country code",
                                json_schema_extra={"pattern": r"^\s*(?:[^\W\d_]{2}\s*)?$"})
    territory: str | None = Field(default=None, max_length=120, description=(
        "a state, region or municipality by name: what lies or acts in it, a place inside "
        "it counting"))
    theme: str | None = Field(default=None, max_length=80,
                              description="theme id or Spanish label")
    limit: int = Field(default=25, ge=1, le=MAX_PAGE, description="results per page")
    offset: int = Field(default=0, ge=0, le=1_000_000, description="results skipped")

    @field_validator("q", "type", "level", "country", "territory", "theme", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = " ".join(value.split())
            return value or None
        return value

    @field_validator("type")
    @classmethod
    def _known_label(cls, value: str | None) -> str | None:
        if value is not None and value not in LABELS:
            raise FilterError("type", f"unknown label {value!r}; expected one of "
                              f"{', '.join(LABELS)}")
        return value

    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        if value is not None and value not in LEVELS:
            raise FilterError("level", f"unknown level {value!r}; expected one of "
                              f"{', '.join(LEVELS)}")
        return value

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"[^\W\d_]{2}", value):
            raise FilterError("country", f"expected a two-letter country code, got {value!r}")
        return value.upper()

    def as_query(self) -> dict[str, str]:
        """The non-default parameters, for a permalink."""
        out: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is not None and value != field.default:
                out[name] = str(value)
        return out


class SearchHit(BaseModel):
    """An entity found, with where the query matched it."""

    id: str
    label: str
    name: str
    acronym: str | None = None
    kind: str | None = None
    level: str | None = None
    country: str | None = None
    sector: str | None = None
    territory: str | None = None
    matched: Literal["name", "passage", "description", "filter"] = "filter"
    snippet: str | None = Field(default=None, description="the passage or text that matched")


class FacetCount(BaseModel):
    """One value of a facet and how many hits have it."""

    value: str
    count: int


class SearchPage(BaseModel):
    """One page of a search: hits, the total, and facet counts over every hit."""

    items: list[SearchHit]
    total: int
    limit: int
    offset: int
    facets: dict[str, list[FacetCount]] = Field(default_factory=dict)


# --------------------------------------------------------------------------- indexes


def passage_entities(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Entities whose relations quote each passage (passage id → entity ids)."""

    def build() -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for source, target, data in graph.edges(data=True):
            for ev in data.get("evidence") or ():
                passage = ev.get("passage_id") if isinstance(ev, dict) else None
                if passage:
                    index.setdefault(passage, set()).update((source, target))
        return index

    return graph_index(graph, ("search", "passages"), build)


def node_themes(graph: nx.MultiDiGraph) -> dict[str, frozenset[str]]:
    """Themes of each instrument and institution profile."""

    def build() -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        instruments = instrument_table(graph)
        for node, themes in zip(instruments.ids, instruments.facets["themes"], strict=True):
            out[node] = frozenset(themes)
        institutions = institution_table(graph)
        for node, counts in zip(institutions.ids, institutions.facets["themes"], strict=True):
            out[node] = frozenset(counts)
        return out

    return graph_index(graph, ("search", "themes"), build)


def _text_hits(graph: nx.MultiDiGraph, q: str) -> list[str]:
    """Entities whose description or objective holds every word of ``q``."""
    words = normalize_name(q).split()
    if not words:
        return []

    def build() -> dict[str, str]:
        return {
            node: normalize_name(" ".join(str(data.get(key) or "")
                                          for key in ("objective", "description")))
            for node, data in graph.nodes(data=True)
            if data.get("objective") or data.get("description")
        }

    texts = graph_index(graph, ("search", "texts"), build)
    return sorted(n for n, text in texts.items() if all(f" {w}" in f" {text}" for w in words))


# --------------------------------------------------------------------------- search


def _keeps(graph: nx.MultiDiGraph, node: str, query: SearchQuery,
           allowed: frozenset[str] | None) -> bool:
    data = graph.nodes[node]
    if data.get("label") == "GovernanceLevel":
        return False
    checks = (
        (query.type, data.get("label")),
        (query.level, data.get("level")),
        (query.country, str(data.get("country") or "").upper() or None),
    )
    if any(wanted is not None and wanted != value for wanted, value in checks):
        return False
    return allowed is None or node in allowed


def _candidates(store: Store, graph: nx.MultiDiGraph, q: str | None
                ) -> list[tuple[str, str, str | None]]:
    """(id, where it matched, the text it matched in) in rank order, each entity once (the
    text is cut to a snippet only for the hits of the page shown)."""
    if not q:
        ordered = sorted(graph.nodes, key=lambda n: (
            normalize_name(graph.nodes[n].get("name") or n), n))
        return [(n, "filter", None) for n in ordered]
    found: dict[str, tuple[str, str | None]] = {}
    ids_only = getattr(store, "search_entity_ids", None)  # the ids suffice: no entity is read
    named = (ids_only(q, limit=NAME_SCAN) if callable(ids_only) else
             [entity.id for entity in store.search_entities(q=q, limit=NAME_SCAN)])
    for node in named:
        found.setdefault(node, ("name", None))
    index = passage_entities(graph)
    for passage in store.search_passages(q, limit=PASSAGE_SCAN):
        for node in sorted(index.get(passage.id, ())):
            found.setdefault(node, ("passage", passage.text))
    for node in _text_hits(graph, q):
        data = graph.nodes[node]
        found.setdefault(node, ("description",
                                str(data.get("objective") or data.get("description") or "")))
    return [(node, where, text) for node, (where, text) in found.items() if node in graph]


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """``text`` on one line, cut at a word boundary near ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _facet_counts(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> dict[str, list[FacetCount]]:
    counters: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    themes = node_themes(graph)
    for node in nodes:
        data = graph.nodes[node]
        for facet, value in (("type", data.get("label")), ("level", data.get("level")),
                             ("country", data.get("country")),
                             ("territory", data.get("territory"))):
            if value:
                counters[facet][str(value)] += 1
        counters["theme"].update(themes.get(node, ()))
    return {
        facet: [FacetCount(value=v, count=c) for v, c in
                sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]]
        for facet, counter in counters.items()
    }


def search(workspace: Workspace, query: SearchQuery) -> SearchPage:
    """One page of the entities ``query`` finds, with the total and facet counts."""
    return workspace.cached(("search", query), lambda: _search(workspace, query))


def _search(workspace: Workspace, query: SearchQuery) -> SearchPage:
    graph = workspace.graph()
    theme = parse_theme(query.theme, graph)
    place = parse_territory(query.territory)
    allowed = entities_with_theme(graph, theme) if theme else None
    if place is not None:
        inside = entities_in_territory(graph, place)
        allowed = inside if allowed is None else allowed & inside
    hits = [(node, where, text) for node, where, text in
            _candidates(workspace.store, graph, query.q) if _keeps(graph, node, query, allowed)]
    page = hits[query.offset: query.offset + query.limit]
    items = []
    for node, where, text in page:
        data = graph.nodes[node]
        items.append(SearchHit(
            id=node, label=data.get("label") or "", name=data.get("name") or node,
            acronym=data.get("acronym"), kind=data.get("kind"), level=data.get("level"),
            country=data.get("country"), sector=data.get("sector"),
            territory=data.get("territory"), matched=where,
            snippet=snippet(text) if text is not None else None,
        ))
    return SearchPage(items=items, total=len(hits), limit=query.limit, offset=query.offset,
                      facets=_facet_counts(graph, (node for node, _, _ in hits)))


# --------------------------------------------------------------------------- one entity


def resolve_focus(store: Store, focus: str) -> Entity:
    """The entity ``focus`` names: an id, else a name, alias or acronym (accents and case
    ignored). Several entities with that exact name or acronym, or none, is a LookupError
    that lists the candidates."""
    text = focus.strip()
    if not text:
        raise LookupError("empty: give an entity id, a name or an acronym")
    entity = store.get_entity(text)
    if entity is not None:
        return entity
    found = store.search_entities(q=text, limit=FOCUS_CANDIDATES)
    wanted = normalize_name(text)
    exact = [e for e in found if wanted in e.normalized_names()]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or found
    if not candidates:
        raise LookupError(
            f"no entity is called {text!r} (searched ids, names, aliases and acronyms)"
        )
    listed = "; ".join(f"{e.id} ({e.name})" for e in candidates[:10])
    if len(exact) > 1:
        raise LookupError(f"{text!r} names {len(exact)} entities; give one id: {listed}")
    if len(candidates) == 1:
        return candidates[0]
    raise LookupError(f"{text!r} matches no name exactly; did you mean one of: {listed}")
