"""Governance levels from names (loaders.extract.levels), in the naming patterns of each
country's subnational governments and offices, and with the document's country for the words
whose tier differs between countries. Counts of ../shared/bulk (2,093 texts) in levels.py.
"""

from __future__ import annotations

import hashlib

import pytest

from graph.model import DocumentInfo
from loaders.extract.levels import level_from_name
from loaders.extract.lexicon import default_lexicon
from loaders.extract.pipeline import extract_text


@pytest.mark.parametrize(
    ("name", "level"),
    [
        # Peru
        ("Gerencia General Regional", "regional"),
        ("Junta de Gerentes Regionales", "regional"),
        ("Sub Gerencia Regional de Promoción Empresarial", "regional"),
        ("Municipalidad Distrital de San Jerónimo", "local"),
        ("Concejo Municipal Provincial", "local"),
        ("Grupo de Trabajo Multisectorial", "national"),
        # Chile
        ("Delegación Presidencial Regional de Ñuble", "regional"),
        ("Secretaría Regional Ministerial de Agricultura", "regional"),
        # Mexico, Colombia
        ("Congreso del Estado de Jalisco", "regional"),
        ("Asamblea Departamental de Antioquia", "regional"),
        ("Secretaría Departamental de Salud", "regional"),
        ("Alcaldía de Medellín", "local"),
        ("Contaduría General de la Nación", "national"),
        ("Congreso de la República", "national"),
        ("Presidencia Municipal de Puebla", "local"),
        ("Ayuntamiento de Zapopan", "local"),
        # a regional office of an international body is not a region's office
        ("Oficina Regional para América Latina y el Caribe", "supranational"),
        ("Cámara de Senadores", None),
    ],
)
def test_subnational_naming_patterns(name: str, level: str | None) -> None:
    assert level_from_name(name) == level


@pytest.mark.parametrize(
    ("name", "country", "level"),
    [
        ("Intendencia de Montevideo", "UY", "regional"),
        ("Intendencia de Rosario", "AR", "local"),
        ("Intendencia de Encarnación", "PY", "local"),
        ("Consejo Estatal para la Competitividad", "MX", "regional"),
        ("Administración Pública Federal", "MX", "national"),
        ("Gobierno Provincial de Córdoba", "AR", "regional"),
        ("Delegación Provincial de Cautín", "CL", "regional"),
    ],
)
def test_words_read_with_the_document_country(name: str, country: str, level: str) -> None:
    assert level_from_name(name, country) == level


def test_bare_regional_is_subnational_only_in_one_countrys_document() -> None:
    assert level_from_name("Oficina Regional de Asesoría Jurídica", "PE") == "regional"
    assert level_from_name("Cámara Regional de Turismo", "PE") == "regional"
    assert level_from_name("Grupo de Trabajo sobre Mercado Digital Regional") is None
    assert level_from_name("Oficina Regional para América Latina", "PE") == "supranational"


def test_words_of_one_country_say_nothing_elsewhere() -> None:
    # "estatal" is public in Peru and Chile ("empresa estatal"); an intendencia has no tier
    # until the country is known
    assert level_from_name("Empresa Estatal de Agua", "PE") is None
    assert level_from_name("Intendencia de Montevideo") is None
    assert level_from_name("Consejo Estatal para la Competitividad", "mx") == "regional"


def test_a_name_with_its_region_is_regional_unless_its_words_say_local() -> None:
    # "Municipalidad de Puno": Puno is a region and a city; the municipality is local
    raw = ("ORDENANZA REGIONAL DEL GOBIERNO REGIONAL DE PUNO\n\nArtículo 1.- La Región Puno, "
           "la Municipalidad de Puno y el Comité Innova Puno coordinan con la SUNAT y el INEI "
           "en el Perú.\n")
    info = DocumentInfo(id=hashlib.sha256(raw.encode()).hexdigest(), title="t", path="t.txt",
                        format="txt")
    levels = {e.name: e.level for e in extract_text(info, raw, default_lexicon()).entities}
    assert levels["Municipalidad de Puno"] == "local"
    assert levels["Comité Innova Puno"] == "regional"
