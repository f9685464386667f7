"""Governance level from the name of an institution, instrument or programme.

Levels mean the same in every country (see DESIGN.md): the first sub-national tier is
``regional``, municipalities and communes are ``local``, central government ``national``,
international and intergovernmental bodies ``supranational``.

Subnational governments and their offices are named in regular ways in each country
(counts are of the 2,093 texts of ../shared/bulk, 1,463 Peruvian regional and 630 Chilean):

- Peru: gobierno regional, gerencia (general) regional (924 texts), dirección regional (455),
  oficina regional (394), consejo regional; municipalidad provincial / distrital (113),
  concejo municipal (141) are local;
- Chile: gobierno regional (GORE), secretaría regional ministerial (SEREMI), delegación
  presidencial regional or provincial, consejo regional, intendencia (before 2021); municipalidad,
  concejo municipal, comunal are local;
- Mexico: gobierno del estado, secretaría / consejo / congreso estatal or del estado are
  regional; ayuntamiento, presidencia municipal local; "federal" is national;
- Colombia: gobernación, asamblea departamental, secretaría departamental are regional;
  alcaldía, concejo municipal local;
- Argentina: gobierno provincial regional, intendencia and municipio local; Uruguay:
  intendencia departamental regional (the first tier), municipio local;
- Paraguay and Bolivia: gobernación (departamental) regional; municipalidad, intendencia
  municipal local.

A word that means different tiers in different countries ("intendencia", "estatal") is read
with the document's country when it is known.
"""

from __future__ import annotations

import re

from graph.normalize import strip_accents

_LOCAL = re.compile(
    r"\b(?:municipalidad|municipalidades|municipio|municipios|municipal|municipales|alcaldia|"
    r"alcaldias|ayuntamiento|ayuntamientos|comunal|comunales|concejos? municipal(?:es)?|"
    r"prefeitura|gobiernos? locale?s?|intendencia municipal|distrital|distritales|"
    r"junta parroquial|juntas parroquiales|presidencia municipal)\b"
)
_REGIONAL = re.compile(
    r"\b(?:gobiernos? regional(?:es)?|consejos? regional(?:es)?|gobernacion|gobernaciones|"
    r"seremi|seremis|secretaria regional|secretarias regionales|direccion regional|"
    r"direcciones regionales|gerencia regional|gerencias regionales|gerencia general regional|"
    r"gerentes regionales|subgerencia regional|sub gerencia regional|"
    r"departamental|departamentales|gobiernos? estatal(?:es)?|gobiernos? provincial(?:es)?|"
    r"gobierno del estado|congreso del estado|poder ejecutivo del estado|estado de|"
    r"delegacion presidencial|delegaciones presidenciales|intendencia regional|"
    r"provincia de|region de|region del|regional de|"
    r"region administrativa|regiones administrativas|areas? metropolitanas?)\b"
)
_SUPRANATIONAL = re.compile(
    r"\b(?:latinoamerican\w*|iberoamerican\w*|interamerican\w*|internacional(?:es)?|mundial|"
    r"naciones unidas|america latina|el caribe|caribe|sudamerican\w*|centroamerican\w*|"
    r"andin\w*|mercosur|integracion|alc|ue|union europea|oea|onu|celac|unasur|alba|"
    r"sistema economico)\b"
)
# after the supranational rule ("Oficina Regional para América Latina" is not a region's
# office), and only in one country's document: in a report on many countries, a "Grupo de
# Trabajo sobre Mercado Digital Regional" is Latin America's
_REGIONAL_WORD = re.compile(r"\b(?:regional|regionales)\b")
_NATIONAL = re.compile(
    r"\b(?:ministerio|ministerios|viceministerio|subsecretaria|secretaria de estado|"
    r"servicio nacional|nacional|nacionales|superintendencia|contraloria|"
    r"presidencia de la republica|presidencia del consejo de ministros|congreso|senado|"
    r"camara de diputados|tesoreria|banco central|agencia chilena|corporacion de fomento|"
    r"multisectorial|poder ejecutivo|defensoria del pueblo|"
    # "Contaduría General de la Nación", "Senado de la Nación", "Congreso de la República"
    r"de la nacion|de la republica)\b"
)
# Words whose tier depends on the country.
_BY_COUNTRY: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "UY": [("regional", re.compile(r"\bintendencias?\b"))],
    "AR": [("local", re.compile(r"\bintendencias?\b")),
           ("regional", re.compile(r"\bprovincial(?:es)?\b")),
           ("national", re.compile(r"\bfederal(?:es)?\b"))],
    "PY": [("local", re.compile(r"\bintendencias?\b"))],
    "CL": [("regional", re.compile(r"\bintendencias?\b|\bprovincial(?:es)?\b"))],
    "EC": [("regional", re.compile(r"\bprovincial(?:es)?\b"))],
    "MX": [("regional", re.compile(r"\bestatal(?:es)?\b|\bentidad(?:es)? federativas?\b")),
           ("national", re.compile(r"\bfederal(?:es)?\b|\bfederacion\b"))],
    "BR": [("regional", re.compile(r"\bestatal(?:es)?\b|\bestadual(?:es)?\b")),
           ("national", re.compile(r"\bfederal(?:es)?\b"))],
    "VE": [("regional", re.compile(r"\bestatal(?:es)?\b|\bestadal(?:es)?\b")),
           ("national", re.compile(r"\bfederal(?:es)?\b"))],
}
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("local", _LOCAL),
    ("regional", _REGIONAL),
    ("supranational", _SUPRANATIONAL),
    ("regional", _REGIONAL_WORD),
    ("national", _NATIONAL),
]


def level_from_name(name: str, country: str | None = None) -> str | None:
    """The level a name implies by its own words, if any (local before regional before
    supranational before national, since "Consejo Regional" beats "Nacional" in a name).

    ``country`` (ISO code of the document's country, when known) reads the words whose tier
    differs between countries: an intendencia is Uruguay's departmental government and an
    Argentine municipality; "estatal" is a Mexican state's and, elsewhere, just public. The
    bare adjective "regional" names the first sub-national tier only in one country's document.
    """
    folded = strip_accents(name).lower()
    for level, pattern in _RULES:
        if level == "supranational":
            for own_level, own in _BY_COUNTRY.get((country or "").upper(), ()):
                if own.search(folded):
                    return own_level
        if pattern is _REGIONAL_WORD and country is None:
            continue  # in a report on many countries "regional" is Latin America's
        if pattern.search(folded):
            return level
    return None
