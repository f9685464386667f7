"""Spanish words for what the pages, tooltips and the report show: levels, facets, channels.

Facet values are shown by their vocabulary label (``innovation`` → ``Innovación``); values
missing from the vocabulary are shown as they are, underscores as spaces.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.facets import default_vocabularies
from graph.vocab import LEVEL_NAMES

LEVEL_LABELS: dict[str, str] = {**LEVEL_NAMES, "unknown": "Sin nivel", "none": "Sin nivel"}

ENTITY_LABELS: dict[str, str] = {
    "Institution": "Institución",
    "Instrument": "Instrumento",
    "Program": "Programa",
    "Territory": "Territorio",
    "Person": "Persona",
    "GovernanceLevel": "Nivel de gobierno",
}

FACET_LABELS: dict[str, str] = {
    "themes": "temas",
    "target_groups": "público",
    "support_types": "tipo de apoyo",
    "territories": "territorios",
    "levels": "niveles",
    "institutions": "instituciones",
    "terms": "términos",
}

COMPONENT_LABELS: dict[str, str] = {
    "text": "texto",
    "themes": "temas",
    "target_groups": "público",
    "support_types": "tipo de apoyo",
    "territory": "territorio",
    "levels": "niveles",
    "different_institutions": "instituciones distintas",
    "explicit": "declarado en un documento",
}

# Fields of an inventory row, as its cells are shown for evidence.
CATALOG_FIELD_LABELS: dict[str, str] = {
    "name": "nombre",
    "responsible": "responsable",
    "objective": "objetivo",
    "description": "descripción",
    "target_groups": "población",
    "support_types": "tipo de apoyo",
    "territory": "territorio",
    "level": "nivel",
    "budget": "presupuesto",
    "year": "periodo",
}

# GAO categories of a duplication pair and the criteria that put it there.
CATEGORY_LABELS: dict[str, str] = {
    "duplication": "duplicación",
    "overlap": "traslape",
    "fragmentation": "fragmentación",
}
CRITERION_LABELS: dict[str, str] = {
    "same_support": "mismo tipo de apoyo",
    "same_beneficiaries": "misma población",
    "same_themes": "mismos temas",
    "similar_goals": "objetivos parecidos",
    "territory_overlaps": "territorios que se tocan",
    "separate_territories": "territorios distintos",
    "different_bodies": "organismos distintos",
    "same_body": "variante de un mismo organismo",
    "near_copy": "texto casi idéntico",
}

CHANNEL_LABELS: dict[str, str] = {
    "coordinates_with": "coordinación declarada",
    "shared_body": "instancia compartida",
    "shared_instrument": "instrumento compartido",
    "membership": "pertenencia",
}

KIND_LABELS: dict[str, str] = {
    "ministry": "ministerio", "agency": "agencia", "service": "servicio",
    "undersecretariat": "subsecretaría", "secretariat": "secretaría",
    "regional_government": "gobierno regional", "municipality": "municipalidad",
    "international_org": "organismo internacional", "integration_scheme": "esquema de integración",
    "association": "asociación", "company": "empresa", "university": "universidad",
    "network": "red", "committee": "comité", "council": "consejo", "commission": "comisión",
    "working_group": "grupo de trabajo", "collective": "colectivo", "division": "división",
    "forum": "foro", "bank": "banco", "centre": "centro", "chamber": "cámara",
    "law": "ley", "fund": "fondo", "grant": "subsidio", "credit": "crédito",
    "guarantee": "garantía", "tax_incentive": "incentivo tributario", "training": "capacitación",
    "technical_assistance": "asistencia técnica", "agreement": "convenio", "plan": "plan",
    "strategy": "estrategia", "platform": "plataforma", "study": "estudio", "event": "evento",
    "activity": "actividad", "budget": "presupuesto", "programme": "programa",
    "project": "proyecto", "proyecto": "proyecto", "agenda": "agenda",
    "cooperation_programme": "programa de cooperación", "country": "país", "region": "región",
    "province": "provincia", "commune": "comuna", "city": "ciudad",
    "supranational_region": "región supranacional", "decree": "decreto",
    "resolution": "resolución", "ordinance": "ordenanza",
}
SECTOR_LABELS: dict[str, str] = {
    "public": "público", "private": "privado", "academic": "académico",
    "civil_society": "sociedad civil", "international": "internacional",
}
FIELD_VALUE_LABELS: dict[str, dict[str, str]] = {
    "kind": KIND_LABELS,
    "sector": SECTOR_LABELS,
    "level": LEVEL_LABELS,
    "label": ENTITY_LABELS,
}

_VOCABULARY_FACETS = ("themes", "target_groups", "support_types")


def value_label(field: str, value: str | None) -> str:
    """The Spanish word for a property value (``kind`` ``agency`` → ``agencia``); values with
    no word of their own are shown with spaces for underscores."""
    if value is None:
        return ""
    words = FIELD_VALUE_LABELS.get(field, {})
    if value in words:
        return words[value]
    if field in _VOCABULARY_FACETS:
        return facet_value_label(field, value)
    return value.replace("_", " ")


def level_label(level: str | None) -> str:
    """``national`` → ``Nacional``; no level → ``Sin nivel``."""
    return LEVEL_LABELS.get(level or "none", level or "Sin nivel")


def entity_label(label: str | None) -> str:
    """``Institution`` → ``Institución``."""
    return ENTITY_LABELS.get(label or "", label or "")


def facet_value_label(facet: str, value: str) -> str:
    """The Spanish label of a facet value, else the value with spaces for underscores."""
    if facet in _VOCABULARY_FACETS:
        try:
            return default_vocabularies().label(facet, value)
        except KeyError:
            pass
    if facet == "levels":
        return level_label(value)
    return value.replace("_", " ")


def facet_values(facet: str, values: Iterable[str]) -> str:
    """Comma-separated Spanish labels of ``values``."""
    return ", ".join(facet_value_label(facet, value) for value in values)


def component_label(name: str) -> str:
    """The Spanish name of a score component (``target_groups`` → ``público``)."""
    return COMPONENT_LABELS.get(name, name.replace("_", " "))


def catalog_field_label(name: str | None) -> str:
    """The Spanish name of a field of an inventory row (``responsible`` → ``responsable``)."""
    return CATALOG_FIELD_LABELS.get(name or "", (name or "").replace("_", " "))


def category_label(name: str) -> str:
    """The Spanish name of a GAO category (``fragmentation`` → ``fragmentación``)."""
    return CATEGORY_LABELS.get(name, name)


def criterion_label(name: str) -> str:
    """The Spanish wording of a criterion of a GAO category."""
    return CRITERION_LABELS.get(name, name.replace("_", " "))


def channel_label(kind: str) -> str:
    """The Spanish name of a coordination channel."""
    return CHANNEL_LABELS.get(kind, kind.replace("_", " "))


def score_text(value: float | None) -> str:
    """A score with two decimals and a decimal comma; ``—`` when there is none."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",")


def percent_text(value: float | None) -> str:
    """A share as a whole percentage (``0.5`` → ``50 %``); ``—`` when there is none."""
    if value is None:
        return "—"
    return f"{round(value * 100)} %"
