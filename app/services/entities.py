"""Show an entity: its properties in words, its profile, its relationships with their
evidence (each quote with its document's title), for the API, the page and the CLI."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.i18n import LEVEL_NAMES_EN, t
from app.services.search import resolve_focus
from app.services.workspace import Workspace
from app.views.labels import value_label
from app.views.styles import edge_style
from graph.model import Entity, Evidence, Relation
from graph.stores import Store
from queries.exploration import entity_profile
from queries.results import EntityNotFound, EntityProfile

DESCRIPTION_CHARS = 600
ENTITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("acronym", "Sigla"),
    ("aliases", "Otros nombres"),
    ("kind", "Tipo"),
    ("sector", "Sector"),
    ("level", "Nivel de gobierno"),
    ("country", "País"),
    ("territory", "Territorio"),
    ("objective", "Objetivo"),
    ("description", "Descripción"),
    ("themes", "Temas"),
    ("target_groups", "Público"),
    ("support_types", "Tipo de apoyo"),
    ("code", "Código"),
    ("period", "Período"),
    ("budget", "Presupuesto"),
    ("source", "Fuente"),
)
SOURCE_LABELS = {"gazetteer": "nomenclátor", "catalog": "catálogo", "document": "documento",
                 "pattern": "documento"}
_MARKUP = re.compile(r"(?:^|\s)(?:#{1,6}|>>|\*\*)(?=\s)")
_SENTENCE_END = re.compile(r"[.!?…»”)](?=\s|$)")


class EntityMissing(LookupError):
    """No entity has that id (or the name given matches none, or several)."""


class SourcedEvidence(Evidence):
    """Evidence with the title of the document it quotes."""

    document_title: str | None = None


class Counterpart(BaseModel):
    """The other end of a relationship."""

    id: str
    label: str | None = None
    name: str
    level: str | None = None


class RelationView(BaseModel):
    """A relationship seen from one entity."""

    id: str
    type: str
    direction: Literal["out", "in"]
    other: Counterpart
    properties: dict = Field(default_factory=dict)
    evidence: list[SourcedEvidence] = Field(default_factory=list)


class EntityDetail(BaseModel):
    """An entity with its properties, relationships and their evidence."""

    entity: Entity
    relations: list[RelationView]


def sourced(evidence: list[Evidence], titles: Mapping[str, str]) -> list[SourcedEvidence]:
    """Evidence entries with their documents' titles."""
    return [SourcedEvidence(**ev.model_dump(), document_title=titles.get(ev.document_id))
            for ev in evidence]


def relation_views(
    store: Store, entity_id: str, relations: list[Relation], titles: Mapping[str, str]
) -> list[RelationView]:
    """Each relation of ``entity_id`` seen from it, with the other end's name and label."""
    others = {r.target if r.source == entity_id else r.source for r in relations}
    found = {e.id: e for e in store.get_entities(others)}
    views = []
    for relation in relations:
        outgoing = relation.source == entity_id
        other_id = relation.target if outgoing else relation.source
        other = found.get(other_id)
        views.append(RelationView(
            id=relation.id, type=relation.type, direction="out" if outgoing else "in",
            other=Counterpart(id=other_id, label=other.label if other else None,
                              name=other.name if other else other_id,
                              level=other.level if other else None),
            properties=relation.properties,
            evidence=sourced(relation.evidence, titles),
        ))
    views.sort(key=lambda v: (v.type, v.direction, v.other.name.casefold(), v.other.id))
    return views


def entity_detail(workspace: Workspace, entity_id: str) -> EntityDetail:
    """An entity's properties and relationships, each with its evidence quotes."""
    store = workspace.store
    entity = store.get_entity(entity_id)
    if entity is None:
        raise EntityMissing(f"no entity with id {entity_id!r}")
    relations = relation_views(store, entity_id, store.relations_of(entity_id),
                               workspace.titles())
    return EntityDetail(entity=entity, relations=relations)


def find_entity(workspace: Workspace, text: str) -> str:
    """The id of the entity ``text`` names: an id, a name, an alias or an acronym."""
    if text in workspace.graph():
        return text
    try:
        return resolve_focus(workspace.store, text).id
    except LookupError as exc:
        raise EntityMissing(str(exc)) from exc


def readable_text(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """A description as a reader should see it: markup marks dropped, cut after the last
    whole sentence before ``limit`` (never inside a word), with an ellipsis when cut."""
    flat = " ".join(_MARKUP.sub(" ", text).split())
    if len(flat) <= limit and _SENTENCE_END.search(flat[-1:] + " "):
        return flat
    head = flat[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] > limit // 3:
        return head[: ends[-1]].rstrip() + " …"
    if len(flat) <= limit:  # one unfinished sentence: drop the broken last word
        head = flat.rsplit(" ", 1)[0] if " " in flat else flat
    else:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + " …"


def field_text(key: str, value: Any, lang: str = "es") -> str:
    """A property value in words (labels in ``lang``, numbers with thousands separators)."""
    if lang == "en" and key in ("kind", "sector", "themes", "target_groups", "support_types"):
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(v).replace("_", " ") for v in items)
    if lang == "en" and key == "level":
        return LEVEL_NAMES_EN.get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(value_label(key, str(v)) for v in value)
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", ".")
    if key == "source":
        return SOURCE_LABELS.get(str(value), str(value))
    if key in ("description", "objective"):
        return readable_text(str(value))
    if key in ("kind", "sector", "level"):
        return value_label(key, str(value))
    return str(value)


def entity_fields(entity: Mapping[str, Any], lang: str = "es") -> list[tuple[str, str]]:
    """(field name, value in words), in ``lang``, for the entity's non-empty properties."""
    return [(t(f"field.{key}", lang), field_text(key, entity.get(key), lang))
            for key, _name in ENTITY_FIELDS if entity.get(key) not in (None, "", [], {})]


def profile_of(workspace: Workspace, entity_id: str) -> EntityProfile:
    """The entity's profile in the projected graph (properties, facets, relations)."""
    try:
        return entity_profile(workspace.graph(), entity_id)
    except EntityNotFound as exc:
        raise EntityMissing(f"no hay ninguna entidad con id {entity_id!r}") from exc


def relation_rows(profile: EntityProfile, titles: Mapping[str, str],
                  link: Any) -> list[dict[str, Any]]:
    """The relationships of a profile as rows of the entity page; ``link(ev)`` is the URL
    of a quote in its document."""
    return [
        {
            "type": rel.type,
            "gloss": edge_style(rel.type).gloss,
            "direction": rel.direction,
            "other": rel.other,
            "role": rel.properties.get("role") if isinstance(
                rel.properties.get("role"), str) else None,
            "evidence": [
                {"quote": ev.quote, "title": titles.get(ev.document_id) or ev.document_id,
                 "start": ev.start, "end": ev.end, "href": link(ev)}
                for ev in rel.evidence
            ],
        }
        for rel in profile.relations
    ]
