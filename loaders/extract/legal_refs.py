"""Bodies a legal text names by their head noun alone: "El Consejo estará integrado por",
"La Comisión tendrá las siguientes funciones" refer to the last body of that kind named
before in full."""

from __future__ import annotations

import re

from loaders.extract.candidates import Candidate
from loaders.extract.legal_names import is_organ

BARE_BODY = re.compile(
    r"\b(?i:el|la|los|las|del|al)[ \t]+(?P<head>Consejo|Comité|Comisión|Agencia|Mesa|Junta|"
    r"Red|Sistema|Directorio|Gabinete|Consorcio|Mancomunidad|Secretaría|Corporación|Fondo|"
    r"Instituto|Servicio|Superintendencia)"
    r"(?P<qual>(?:[ \t]+(?:Nacional|Regional|Estatal|Municipal|Directivo|Consultivo|Técnico|"
    r"Ejecutivo|Interinstitucional|Intersectorial))?)\b"
)


BARE_HEAD = re.compile(
    r"\b(?:[Ee]l|[Ll]a|[Dd]el|[Aa]l|[Dd]ich[oa]|[Ee]st[ea])[ \t]+(?P<head>Consejo|Comité|Comisión|"
    r"Agencia|Mesa|Junta|Directorio|Gabinete|Corporación|Superintendencia|Mancomunidad|"
    # Chilean laws name their agencies once and then write "el Servicio podrá", "el
    # Ministerio deberá" (about 2,900 and 4,100 such bare heads in ../shared/bulk)
    r"Servicio|Instituto|Ministerio|Subsecretaría|Secretaría|Tesorería|Banco)\b"
    r"(?![ \t]*(?:(?:de|del|para)\b|[A-ZÁÉÍÓÚ(]))"
)
"""A capitalised head noun used alone, not starting a longer name."""

BARE_THING = re.compile(
    r"\b(?:[Ee]l|[Ll]a|[Dd]el|[Aa]l|[Dd]ich[oa]|[Ee]st[ea])[ \t]+(?P<head>Fondo|Programa|Plan|"
    r"Política|Estrategia|Registro|Agenda|Convenio)\b"
    r"(?![ \t]*(?:(?:de|del|para)\b|[A-ZÁÉÍÓÚ(]))"
)
"""The same for instruments and programmes: "El Fondo será administrado por X" once the
"Fondo de Apoyo ..." is named (after a full name of that head, in ../shared/bulk: "el Plan"
in 173 texts, "la Política" 59, "el Registro" 49, "el Fondo" 36, "el Programa" 33, "el
Convenio" 26, "la Estrategia" 17; "el Reglamento", "el Sistema" and "el Proyecto" name too
many things of their own to be read this way)."""


def referent_of(
    head: str, named_before: list[Candidate], labels: tuple[str, ...] = ("Institution",)
) -> str | None:
    """The key of the last candidate of ``named_before`` (in text order, with one of
    ``labels``) whose name begins with ``head`` and says more than it, organs of a body and
    collectives aside."""
    for cand in reversed(named_before):
        if (
            cand.label in labels
            and cand.name.startswith(head + " ")
            and not is_organ(cand.name)
            and cand.kind != "collective"
        ):
            return cand.key
    return None


def bare_reference(
    text: str, start: int, end: int, named_before: list[Candidate]
) -> str | None:
    """The key of the body that the last bare head noun in ``text[start:end]`` refers to:
    the last institution in ``named_before`` whose name begins with that head (and its
    qualifier) and says more than it."""
    bares = list(BARE_BODY.finditer(text, start, end))
    if not bares:
        return None
    bare = bares[-1]
    # a bare head right before a name is that name's start ("la Comisión Nacional de Riego")
    if re.match(r"[ \t]+(?:de|del|para)\b|[ \t]+[A-ZÁÉÍÓÚ]", text[bare.end() : bare.end() + 6]):
        return None
    head = bare.group("head") + bare.group("qual")
    for cand in reversed(named_before):
        if (
            cand.end <= bare.start()
            and cand.label == "Institution"
            and cand.name.startswith(head)
            and len(cand.name) > len(head)
            and not is_organ(cand.name)
        ):
            return cand.key
    return None
