"""Territorial divisions that laws state: "Créase la Provincia de Itata, que comprende las
comunas de Quirihue, Cobquecura y Ninhue" makes each commune a Territory PART_OF the
province ("comprenderá las provincias de" occurs 20 times in ``../shared/bulk``, "comprende
las comunas de" 3, "conformado por las provincias de" 2)."""

from __future__ import annotations

import re

from loaders.extract.candidates import Candidate
from loaders.extract.context import Builder, ExtractionContext

DIVISION_LIST = re.compile(
    r"\b(?:comprende(?:r[áa])?|abarca(?:r[áa])?|(?:integrad|conformad|compuest)[oa][ \t]+por)"
    r"[ \t]+(?:las|los)[ \t]+(?P<kind>comunas|provincias|distritos|municipios|cantones|"
    r"departamentos|regiones)[ \t]+de[ \t]*:?[ \t]*",
    re.IGNORECASE,
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
    "provincias": ("province", "Provincia de"),
    "departamentos": ("region", "Departamento de"),
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
        if re.fullmatch(r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*){0,3}",
                        name):
            out.append((cursor + offset, name))
        if sep is not None:
            cursor = sep.end()
    return out


def territorial_divisions(ctx: ExtractionContext) -> None:
    """Territories listed as the divisions of another, each PART_OF it."""
    text = ctx.text
    for m in DIVISION_LIST.finditer(text):
        passage = ctx.passage_at(m.start())
        sentence_start = passage.start if passage is not None else max(0, m.start() - 300)
        parent = _parent(ctx, sentence_start, m.start())
        if parent is None:
            continue
        end_match = _LIST_END.search(text, m.end(), min(len(text), m.end() + 600))
        end = end_match.start() if end_match else min(len(text), m.end() + 600)
        kind, prefix = _KIND[m.group("kind").lower()]
        for offset, name in _items(text, m.end(), end):
            full = f"{prefix} {name}" if prefix else name
            cand = Candidate(offset, offset + len(name), "Territory", full, "pattern", kind=kind,
                             country=parent.country, confidence=0.7)
            child = ctx.add(cand)
            ctx.relate(child.key, "PART_OF", parent.key, m.start(), end, "legal division", 0.7)
