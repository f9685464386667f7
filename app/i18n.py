"""The language of the pages and the command line, chosen once: ``TEJIDO_LANGUAGE`` (``es``,
the default, or ``en``), the ``language`` of :class:`app.settings.Settings`.

:func:`t` gives the words of one message in that language. Spanish is the language of the
documents and of the default interface; English serves readers who do not read it. Values
read from the documents (names, quotes) are never translated.
"""

from __future__ import annotations

import os

LANGUAGES: tuple[str, ...] = ("es", "en")
DEFAULT_LANGUAGE = "es"

MESSAGES: dict[str, dict[str, str]] = {
    # navigation and pages
    "nav.search": {"es": "Buscar", "en": "Search"},
    "nav.coordination": {"es": "Coordinación", "en": "Coordination"},
    "nav.overlap": {"es": "Traslapes", "en": "Overlap"},
    "nav.duplication": {"es": "Duplicaciones", "en": "Duplication"},
    "nav.report": {"es": "Informe", "en": "Report"},
    "nav.sections": {"es": "Secciones", "en": "Sections"},
    "home.title": {"es": "Explorador de Tejido", "en": "Tejido explorer"},
    "home.lead": {
        "es": "Instituciones, niveles de gobierno, instrumentos y programas leídos de "
              "documentos de política, con la evidencia de cada relación.",
        "en": "Institutions, levels of government, instruments and programmes read from "
              "policy documents, with the evidence of every relation.",
    },
    "home.contents": {"es": "Contenido", "en": "Contents"},
    "entity.properties": {"es": "Propiedades", "en": "Properties"},
    "entity.profile": {"es": "Perfil", "en": "Profile"},
    "entity.neighbourhood": {"es": "Vecindario", "en": "Neighbourhood"},
    "entity.relations": {"es": "Relaciones", "en": "Relations"},
    "field.acronym": {"es": "Sigla", "en": "Acronym"},
    "field.aliases": {"es": "Otros nombres", "en": "Other names"},
    "field.kind": {"es": "Tipo", "en": "Kind"},
    "field.sector": {"es": "Sector", "en": "Sector"},
    "field.level": {"es": "Nivel de gobierno", "en": "Level of government"},
    "field.country": {"es": "País", "en": "Country"},
    "field.territory": {"es": "Territorio", "en": "Territory"},
    "field.objective": {"es": "Objetivo", "en": "Objective"},
    "field.description": {"es": "Descripción", "en": "Description"},
    "field.themes": {"es": "Temas", "en": "Themes"},
    "field.target_groups": {"es": "Público", "en": "Target groups"},
    "field.support_types": {"es": "Tipo de apoyo", "en": "Support"},
    "field.code": {"es": "Código", "en": "Code"},
    "field.period": {"es": "Período", "en": "Period"},
    "field.budget": {"es": "Presupuesto", "en": "Budget"},
    "field.source": {"es": "Fuente", "en": "Source"},
    # command line
    "cli.wrote": {"es": "escrito {path}", "en": "wrote {path}"},
    "cli.verdicts": {"es": "veredictos registrados: {count}", "en": "verdicts recorded: {count}"},
    "cli.verdicts_cleared": {"es": "veredictos borrados", "en": "verdicts removed"},
    "cli.error": {"es": "error", "en": "error"},
    "cli.serving": {"es": "sirviendo en http://{host}:{port}  (almacén: {store}; {count} "
                           "procesos)",
                    "en": "serving on http://{host}:{port}  (store: {store}; {count} workers)"},
    "cli.summary": {"es": "Resumen de la ingesta", "en": "Ingestion summary"},
    "cli.documents": {"es": "documentos ingeridos", "en": "documents ingested"},
    "cli.unchanged": {"es": "sin cambios (ya guardados)", "en": "unchanged (already stored)"},
    "cli.replaced": {"es": "reemplazados (archivos editados)",
                     "en": "replaced (edited files)"},
    "cli.entities": {"es": "entidades: {label}", "en": "entities: {label}"},
    "cli.relations": {"es": "relaciones", "en": "relations"},
    "cli.evidence": {"es": "citas de evidencia", "en": "evidence entries"},
    "cli.skipped_rows": {"es": "filas de catálogo omitidas", "en": "catalogue rows skipped"},
    "cli.failures": {"es": "fallos", "en": "failures"},
    # columns of tejido query's tables
    "col.a": {"es": "A", "en": "A"},
    "col.b": {"es": "B", "en": "B"},
    "col.level_a": {"es": "nivel A", "en": "level A"},
    "col.level_b": {"es": "nivel B", "en": "level B"},
    "col.channels": {"es": "canales", "en": "channels"},
    "col.institution_pairs": {"es": "pares de instituciones", "en": "institution pairs"},
    "col.tied_pairs": {"es": "pares vinculados", "en": "tied pairs"},
    "col.sharing_field": {"es": "comparten campo", "en": "sharing a field"},
    "col.tied_and_sharing": {"es": "vinculados y comparten", "en": "tied and sharing"},
    "col.coordination_rate": {"es": "tasa de coordinación", "en": "coordination rate"},
    "col.overlap": {"es": "traslape", "en": "overlap"},
    "col.shared": {"es": "en común", "en": "shared"},
    "col.name": {"es": "nombre", "en": "name"},
    "col.level": {"es": "nivel", "en": "level"},
    "col.score": {"es": "puntaje", "en": "score"},
    "col.degree": {"es": "grado", "en": "degree"},
    "col.explicit": {"es": "declarado", "en": "stated"},
    "col.category": {"es": "categoría", "en": "category"},
    "col.criteria": {"es": "criterios", "en": "criteria"},
    "col.same_institution": {"es": "mismo organismo", "en": "same body"},
    "cli.yes": {"es": "sí", "en": "yes"},
    "cli.no": {"es": "no", "en": "no"},
    "cli.no_store": {
        "es": "no hay un almacén en {where}: revise la ruta o créelo con tejido ingest",
        "en": "no store at {where}: check the path, or create the store with tejido ingest",
    },
}
LEVEL_NAMES_EN = {"supranational": "Supranational", "national": "National",
                  "regional": "Regional", "local": "Local", "none": "No level"}
ENTITY_LABELS_EN = {"Institution": "Institution", "Instrument": "Instrument",
                    "Program": "Programme", "Territory": "Territory", "Person": "Person",
                    "GovernanceLevel": "Level of government"}


def language(value: str | None = None) -> str:
    """``value``, else ``TEJIDO_LANGUAGE``, if it is a known language; else Spanish."""
    chosen = (value or os.environ.get("TEJIDO_LANGUAGE") or DEFAULT_LANGUAGE).strip().lower()
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in ``lang`` (default: :func:`language`), ``values`` filled in."""
    words = MESSAGES[key]
    text = words.get(language(lang), words[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text
