"""Governance level from the name of an institution, instrument or programme.

Levels mean the same in every country (see DESIGN.md): the first sub-national tier is
``regional``, municipalities and communes are ``local``, central government ``national``,
international and intergovernmental bodies ``supranational``.
"""

from __future__ import annotations

import re

from graph.normalize import strip_accents

_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "local",
        re.compile(
            r"\b(?:municipalidad|municipalidades|municipio|municipios|alcaldia|ayuntamiento|"
            r"comunal|comunales|concejo municipal|prefeitura|gobiernos? locale?s?|intendencia municipal)\b"
        ),
    ),
    (
        "regional",
        re.compile(
            r"\b(?:gobiernos? regional(?:es)?|consejos? regional(?:es)?|gobernacion|gobernaciones|"
            r"seremi|secretaria regional|direccion regional|departamental|gobiernos? estatal(?:es)?|"
            r"gobiernos? provincial(?:es)?|gobierno del estado|estado de|provincia de|region de|"
            r"region del|regional de)\b"
        ),
    ),
    (
        "supranational",
        re.compile(
            r"\b(?:latinoamerican\w*|iberoamerican\w*|interamerican\w*|internacional(?:es)?|mundial|"
            r"naciones unidas|america latina|el caribe|caribe|sudamerican\w*|centroamerican\w*|"
            r"andin\w*|mercosur|integracion|alc|ue|union europea|oea|onu|celac|unasur|alba|"
            r"sistema economico)\b"
        ),
    ),
    (
        "national",
        re.compile(
            r"\b(?:ministerio|ministerios|subsecretaria|secretaria de estado|servicio nacional|"
            r"nacional|nacionales|superintendencia|contraloria|presidencia de la republica|"
            r"congreso|tesoreria|banco central|agencia chilena|corporacion de fomento)\b"
        ),
    ),
]


def level_from_name(name: str) -> str | None:
    """The level a name implies by its own words, if any (local before regional before
    supranational before national, since "Consejo Regional" beats "Nacional" in a name)."""
    folded = strip_accents(name).lower()
    for level, pattern in _RULES:
        if pattern.search(folded):
            return level
    return None
