"""Territorial divisions that laws state: "Créase la Provincia de Itata, que comprende las
comunas de Quirihue, Cobquecura y Ninhue" makes each commune a Territory PART_OF the
province ("comprenderá las provincias de" occurs 20 times in ``../shared/bulk``, "comprende
las comunas de" 3, "conformado por las provincias de" 2). Any list of divisions names
territories ("con competencia sobre las comunas de El Carmen, Pemuco y Tucapel": "las
comunas/provincias/distritos/municipios/departamentos de" + a name, 853 times in the bulk
corpus), and so does one division named by its kind ("la provincia de Ñuble", "el distrito
de Ventanilla")."""

from __future__ import annotations

import itertools
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
# a division's name: capitalised words (with "de"/"del" inside), never the next division's
# kind ("DISTRITO DE COCACHACRA DE LA PROVINCIA DE ISLAY") nor a title ("Sr. Presidente")
_KIND_AHEAD = r"(?i:(?:de|del|de[ \t]+la|en[ \t]+la)[ \t]+)?(?i:provincia|departamento|regi[óo]n|distrito)\b"
DIVISION_NAME = (
    r"(?P<name>(?!" + _KIND_AHEAD + r")[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*"
    r"(?:(?![ \t]+" + _KIND_AHEAD + r"|[ \t]+(?:Sr|Sra|Dr|Dra|Ing|Lic|Dep|DEP|Dpto|DPTO)\b)"
    r"[ \t]+(?:de[ \t]+|del[ \t]+|DE[ \t]+|DEL[ \t]+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*){0,3})"
)
ONE_DIVISION = re.compile(
    r"\b(?:la|el)[ \t]+(?P<kind>(?i:comuna|provincia|distrito|municipio|cant[óo]n|departamento|"
    r"localidad|centro[ \t]+poblado|comunidad|corregimiento|vereda|caser[íi]o|parroquia)|"
    # "Dado en la ciudad de Huacho", "la ciudad de Puerto Maldonado" (535 in 306 bulk texts);
    # in lower case only: "la Ciudad de México" is a name of its own
    r"ciudad)"
    r"[ \t]+de[ \t]+" + DIVISION_NAME
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
    "ciudad": ("city", None),
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


# a place located by its chain of divisions: "distrito de Sicuani, provincia de Canchis",
# "localidad de Acobamba - distrito de Acobamba", "corregimiento de El Cacao, distrito de
# Capira, provincia de Panamá Oeste" (1,194 chains in 302 bulk texts); each division is
# PART_OF the next one when their ranks rise
_RANK = {
    "comunidad": 0, "localidad": 0, "centro poblado": 0, "caserío": 0, "caserio": 0,
    "vereda": 0, "corregimiento": 1, "parroquia": 1, "distrito": 2, "comuna": 2,
    "municipio": 2, "cantón": 2, "canton": 2, "provincia": 3, "departamento": 4,
    "región": 4, "region": 4, "estado": 4,
}
_CHAIN_KIND = (
    r"(?P<kind>(?i:comunidad|localidad|centro[ \t]+poblado|caser[íi]o|vereda|distrito|comuna|"
    r"municipio|corregimiento|parroquia|cant[óo]n|provincia|departamento|regi[óo]n|estado))"
)
_CHAIN_LINK = re.compile(rf"\b{_CHAIN_KIND}[ \t]+(?i:de|del)[ \t]+{DIVISION_NAME}")
# where a chain goes on: a separator and a division of district rank or wider (a fast scan,
# since it starts with punctuation)
_CHAIN_JOINT = re.compile(
    r"(?:[,–—-][ \t]*(?:(?i:en|de)[ \t]+)?|[ \t](?:de|del|en|DE|DEL|EN)[ \t]+)"
    r"(?:(?i:la|el|del)[ \t]+)?"
    r"(?i:provincia|departamento|regi[óo]n|estado|distrito|municipio|comuna|cant[óo]n|"
    r"corregimiento)[ \t]+(?i:de|del)[ \t]"
)
_CHAIN_SEP = re.compile(
    r"[ \t]*(?:[,–—-][ \t]*)?(?:(?i:en|de)[ \t]+)?(?:(?i:la|el|del)[ \t]+)?(?=[A-Za-zÁÉÍÓÚ])"
)


def _chain_name(name: str) -> str:
    """A division's name as written, capitals turned to title case ("SANTA ANA" → "Santa
    Ana", "DE" → "de")."""
    name = " ".join(name.split())
    if name.isupper():
        name = " ".join(w.lower() if w in ("DE", "DEL") else w.title() for w in name.split())
    return name


def division_chains(ctx: ExtractionContext) -> None:
    """Territories named by a chain of divisions, each PART_OF the next."""
    text = ctx.text
    pos = 0
    for joint in _CHAIN_JOINT.finditer(text):
        if joint.start() < pos:
            continue
        # the first link ends right at the separator (a search from the separator back)
        first = [m for m in _CHAIN_LINK.finditer(text, max(pos, joint.start() - 120), joint.start())
                 if m.end() == joint.start()]
        if not first:
            continue
        links = [first[-1]]
        while (sep := _CHAIN_SEP.match(text, links[-1].end())) is not None and (
            nxt := _CHAIN_LINK.match(text, sep.end())
        ) is not None:
            links.append(nxt)
        pos = links[-1].end()
        ranks = [_RANK[" ".join(link.group("kind").lower().split())] for link in links]
        if len(links) < 2 or any(a >= b for a, b in itertools.pairwise(ranks)):
            continue
        places: list[Builder] = []
        country = None  # the widest division known to the gazetteer gives the others its country
        for link in reversed(links):
            kind_word = " ".join(link.group("kind").lower().split())
            kind_word = {"región": "departamento", "region": "departamento",
                         "estado": "departamento"}.get(kind_word, kind_word)
            place = _division(ctx, kind_word, link.start("name"), _chain_name(link.group("name")),
                              country)
            country = country or place.country
            places.insert(0, place)
        for child, parent in itertools.pairwise(places):
            if child.key != parent.key:
                ctx.relate(child.key, "PART_OF", parent.key, links[0].start(), links[-1].end(),
                           "division chain", 0.7)


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
        if kind_word in ("departamento", "ciudad"):
            entries = ctx.lexicon.lookup_all(m.group("name"))
            if kind_word == "departamento" and not any(e.label == "Territory" for e in entries):
                continue
            if kind_word == "ciudad" and any(e.kind == "country" for e in entries):
                continue  # "la ciudad de México" is the capital, named in full by the gazetteer
        _division(ctx, kind_word, m.start("name"), m.group("name"), None)
    division_chains(ctx)
