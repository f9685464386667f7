"""Territorial divisions that laws state: "Créase la Provincia de Itata, que comprende las
comunas de Quirihue, Cobquecura y Ninhue" makes each commune a Territory PART_OF the
province ("comprenderá las provincias de" occurs 20 times in ``../shared/bulk``, "comprende
las comunas de" 3, "conformado por las provincias de" 2). Any list of divisions names
territories ("con competencia sobre las comunas de El Carmen, Pemuco y Tucapel": "las
comunas/provincias/distritos/municipios/departamentos de" + a name, 853 times in the bulk
corpus), and so does one division named by its kind ("la provincia de Ñuble", "el distrito
de Ventanilla")."""

from __future__ import annotations

import re

from loaders.extract.candidates import Candidate
from loaders.extract.context import Builder, ExtractionContext

DIVISION_LIST = re.compile(
    r"\b(?P<whole>(?:comprende(?:r[áa])?|abarca(?:r[áa])?|(?:integrad|conformad|compuest)[oa]"
    r"[ \t]+por)[ \t]+)?(?:las|los)[ \t]+(?P<kind>comunas|provincias|distritos|municipios|"
    r"cantones|departamentos|regiones|comunidades|localidades|corregimientos|veredas|"
    r"centros[ \t]+poblados|caser[íi]os|parroquias)[ \t]+de[ \t]*:?[ \t]*(?=[A-ZÁÉÍÓÚÑ])",
    re.IGNORECASE,
)
ONE_DIVISION = re.compile(
    r"\b(?:la|el)[ \t]+(?P<kind>(?i:comuna|provincia|distrito|municipio|cant[óo]n|departamento|"
    r"localidad|centro[ \t]+poblado|comunidad|corregimiento|vereda|caser[íi]o|parroquia))"
    r"[ \t]+de[ \t]+"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*(?:[ \t]+(?:de[ \t]+|del[ \t]+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*)"
    r"{0,3})"
)
_NAMED_DIVISION = re.compile(
    r"\b(?P<head>Regi[óo]n|Provincia|Comuna|Distrito|Departamento|Cant[óo]n|Municipio)[ \t]+"
    r"(?:de(?:l)?[ \t]+)?(?P<name>[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*(?:[ \t]+(?:de[ \t]+|del[ \t]+)?"
    r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*){0,3})"
)
_ITEM_SPLIT = re.compile(r"[ \t]*(?:,|;|[ \t]y[ \t]|[ \t]e[ \t])[ \t]*")
_LIST_END = re.compile(r"\.(?:\s|$)|;|\n\s*\n|,?[ \t]+que[ \t]")
_KIND = {
    "comunas": ("commune", None),
    "distritos": ("commune", None),
    "municipios": ("commune", None),
    "cantones": ("commune", None),
    "comuna": ("commune", None),
    "distrito": ("commune", None),
    "municipio": ("commune", None),
    "cantón": ("commune", None),
    "canton": ("commune", None),
    "provincia": ("province", "Provincia de"),
    # the populated places below a district: "la localidad de Acobamba" (62 in the bulk
    # corpus), "el centro poblado de X" (16), "la comunidad de X", Panama's and Colombia's
    # "corregimiento" and "vereda", Ecuador's and Venezuela's "parroquia"
    "localidad": ("city", None),
    "centro poblado": ("city", None),
    "comunidad": ("city", None),
    "vereda": ("city", None),
    "caserío": ("city", None),
    "caserio": ("city", None),
    "corregimiento": ("commune", None),
    "parroquia": ("commune", None),
    # "el departamento de Antioquia" is the region itself; "el Departamento de Recursos
    # Humanos" is an office, so only a department the gazetteer knows is read
    "departamento": ("region", None),
    "provincias": ("province", "Provincia de"),
    "departamentos": ("region", "Departamento de"),
    # "las comunidades de Cerro Pelado y Alto Caballero", "las localidades de X, Y y Z"
    "comunidades": ("city", None),
    "localidades": ("city", None),
    "corregimientos": ("commune", None),
    "veredas": ("city", None),
    "centros poblados": ("city", None),
    "caseríos": ("city", None),
    "caserios": ("city", None),
    "parroquias": ("commune", None),
    "regiones": ("region", "Región de"),
}


def _parent(ctx: ExtractionContext, start: int, at: int) -> Builder | None:
    """The territory the list divides: the last division named before it in the sentence."""
    named = list(_NAMED_DIVISION.finditer(ctx.text, start, at))
    if not named:
        return None
    m = named[-1]
    head = m.group("head").replace("Region", "Región")
    name = f"{head} de {m.group('name')}"
    kind = {"Región": "region", "Provincia": "province"}.get(head, "commune")
    cand = Candidate(m.start(), m.end(), "Territory", name, "pattern", kind=kind, confidence=0.7)
    return ctx.add(cand)


def _items(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    cursor = start
    for sep in [*_ITEM_SPLIT.finditer(text, start, end), None]:
        stop = sep.start() if sep else end
        piece = text[cursor:stop]
        lead = re.match(r"\s*(?:de(?:l)?\s+|la\s+|el\s+)?", piece)
        offset = lead.end() if lead else 0
        name = piece[offset:].strip()
        if sep is None:  # the last item ends where the names do: "y Cabrero hasta que ..."
            head = _PLACE_NAME.match(name)
            name = head.group() if head and _AFTER_LAST.match(name, head.end()) else name
        if len(name) < 3 or not _PLACE_NAME.fullmatch(name):
            break  # the names have ended: "las comunidades de Pasco en la ... e O" is prose
        out.append((cursor + offset, name))
        if sep is not None:
            cursor = sep.end()
    return out


_PLACE_NAME = re.compile(
    r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*){0,3}"
)
_AFTER_LAST = re.compile(r"[ \t]+[a-záéíóúñ]|[ \t]*[,(]")


def _division(ctx: ExtractionContext, kind_word: str, offset: int, name: str,
              country: str | None) -> Builder:
    kind, prefix = _KIND[" ".join(kind_word.lower().split())]
    one_line = " ".join(name.split())  # "San\nSalvador" broken over two lines
    full = f"{prefix} {one_line}" if prefix else one_line
    return ctx.add(Candidate(offset, offset + len(name), "Territory", full, "pattern", kind=kind,
                             country=country, confidence=0.7))


def territorial_divisions(ctx: ExtractionContext) -> None:
    """Territories listed as divisions (each PART_OF the territory a list says they make
    up) or named by their kind."""
    text = ctx.text
    for m in DIVISION_LIST.finditer(text):
        parent = None
        if m.group("whole"):
            passage = ctx.passage_at(m.start())
            sentence_start = passage.start if passage is not None else max(0, m.start() - 300)
            parent = _parent(ctx, sentence_start, m.start())
        end_match = _LIST_END.search(text, m.end(), min(len(text), m.end() + 600))
        end = end_match.start() if end_match else min(len(text), m.end() + 600)
        for offset, name in _items(text, m.end(), end):
            child = _division(ctx, m.group("kind"), offset, name,
                              parent.country if parent else None)
            if parent is not None:
                ctx.relate(child.key, "PART_OF", parent.key, m.start(), end, "legal division",
                           0.7)
    for m in ONE_DIVISION.finditer(text):
        kind_word = " ".join(m.group("kind").lower().split())
        if kind_word == "departamento" and not any(
            entry.label == "Territory" for entry in ctx.lexicon.lookup_all(m.group("name"))
        ):
            continue
        _division(ctx, kind_word, m.start("name"), m.group("name"), None)
