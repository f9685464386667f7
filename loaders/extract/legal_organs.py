"""The organs a body is said to have, each PART_OF it.

Counted in the 2,093 texts of ``../shared/bulk`` before it was written down here:

- a list after "tiene / cuenta con la siguiente estructura" (21), "cuenta con las siguientes
  unidades" (11), "los siguientes órganos": "La ARD cuenta con la siguiente estructura: a)
  Comité Directivo; b) Secretaría Técnica; c) Mesas Técnicas";
- "X contará con un Consejo ... y una Secretaría Ejecutiva", "cuenta con una Secretaría" (about
  40 with a capitalised organ after "un/una");
- "Son órganos de X: ...", "Los órganos de X son ..." (28).

The body is the one the trigger's sentence names before it (the one the trigger names, for
"órganos de X"); the organs are the institutions each list item opens with, or the generic
organ it names ("Comité Directivo", "Secretaría Técnica", "Mesas Técnicas").
"""

from __future__ import annotations

import re

from loaders.extract.candidates import Candidate
from loaders.extract.context import ExtractionContext
from loaders.extract.legal import CandidateIndex, add_candidate, institutions_in
from loaders.extract.legal_names import is_organ
from loaders.extract.legal_refs import bare_reference
from loaders.extract.legal_units import article_end, article_start, list_units
from loaders.extract.scan import finditer_near

_ORGAN_HEADS = (
    r"Consejo|Comit[ée]|Secretar[íi]a|Directorio|Gerencia|Direcci[óo]n|Unidad|Asamblea|"
    r"Oficina|Junta|Mesa|Comisi[óo]n|Subdirecci[óo]n|Subgerencia|Jefatura"
)
STRUCTURE_LIST = re.compile(
    r"\b(?:cuenta|cuentan|contar[áa]n?|tiene|tienen|tendr[áa]n?)[ \t]+(?:con[ \t]+)?"
    r"(?:la[ \t]+siguiente[ \t]+estructura(?:[ \t]+org[áa]nica(?:[ \t]+b[áa]sica)?)?"
    r"|los[ \t]+siguientes[ \t]+[óo]rganos|las[ \t]+siguientes[ \t]+unidades"
    r"(?:[ \t]+org[áa]nicas)?)\b"
    rf"|\b(?:cuenta|cuentan|contar[áa]n?|tendr[áa]n?)[ \t]+con[ \t]+(?=(?:un|una)[ \t]+"
    rf"(?-i:{_ORGAN_HEADS})\b)"
    r"|\bson[ \t]+[óo]rganos[ \t]+(?P<of>(?:de|del)\b[^:.;\n]{3,120}?)"
    r"(?=[ \t]*[:,]|[ \t]+(?:los|las|el|la)\b)"
    r"|\blos[ \t]+[óo]rganos[ \t]+(?P<of2>(?:de|del)[ \t]+[^.;:\n]{3,120}?)[ \t]+son\b",
    re.IGNORECASE,
)
# the words every form of STRUCTURE_LIST holds near its start, in lower case (for a fast scan,
# :func:`loaders.extract.scan.finditer_near`)
_STRUCTURE_WORDS = re.compile(
    r"siguientes?[ \t]+(?:estructura|[óo]rganos|unidades)"
    rf"|con[ \t]+una?[ \t]+(?:{_ORGAN_HEADS.lower()})\b"
    r"|rganos[ \t]+(?:de|del)\b"
)
_NOT_ORGANS = {"collective", "regional_government", "municipality", "government"}
# a generic organ an item names without a name of its own: "a) Comité Directivo;"
_BARE_ORGAN = re.compile(
    r"(?:(?:el|la|los|las|un|una)[ \t]+)?(?P<name>(?:Consejo|Comit[ée]|Órgano|Organo)[ \t]+"
    r"(?:Directivo|Ejecutivo|Consultivo|Asesor|T[ée]cnico)|Secretar[ií]a[ \t]+(?:T[ée]cnica|"
    r"Ejecutiva|General)|Asamblea[ \t]+General|Directorio|Gerencia[ \t]+General|"
    r"Direcci[óo]n[ \t]+Ejecutiva|Mesas?[ \t]+T[ée]cnicas?|Comit[ée]s?[ \t]+T[ée]cnicos?|"
    r"Grupos?[ \t]+T[ée]cnicos?)\b"
)


def _body(ctx: ExtractionContext, index: CandidateIndex, trigger: re.Match[str],
          scope: int) -> str | None:
    """The body whose organs the trigger lists."""
    group = "of" if trigger.group("of") else "of2" if trigger.group("of2") else None
    if group is not None:
        named = institutions_in(index, trigger.start(group), trigger.end(group))
        return named[0].key if named else None
    text = ctx.text
    start = max(scope, text.rfind(".", scope, trigger.start()) + 1)
    named = [c for c in institutions_in(index, start, trigger.start())
             if c.kind != "collective" and not is_organ(c.name)]
    if named:
        return named[-1].key
    return bare_reference(text, start, trigger.start(), institutions_in(index, 0, trigger.start()))


def _organ(ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, start: int,
           end: int) -> str | None:
    """The organ a list item names: the institution it opens with, else its generic organ."""
    text = ctx.text
    lead = re.match(r"[\s,;:]*(?:(?:el|la|los|las|un|una)[ \t]+)?", text[start:end])
    at = start + (lead.end() if lead else 0)
    named = institutions_in(index, at, end)
    if named and named[0].start - at <= 2:
        return named[0].key
    bare = _BARE_ORGAN.match(text, at, end)
    if bare is None:
        return None
    name = re.sub(r"\s+", " ", bare.group("name"))
    cand = Candidate(bare.start("name"), bare.end("name"), "Institution", name, "role",
                     kind="committee", confidence=0.6)
    return add_candidate(ctx, base, index, cand)


def organ_lists(ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex,
                articles: list[int]) -> None:
    """PART_OF for every organ a body is said to have (see the module docstring);
    ``articles`` are the offsets of the document's article headings."""
    text = ctx.text
    for trigger in finditer_near(STRUCTURE_LIST, text, _STRUCTURE_WORDS, ctx.lowered):
        body = _body(ctx, index, trigger, article_start(articles, trigger.start()))
        if body is None:
            continue
        for unit in list_units(text, trigger.end(), article_end(articles, trigger.end(),
                                                                 len(text))):
            organ = _organ(ctx, base, index, unit.body_start, unit.end)
            # a page header left in the list ("GOBIERNO REGIONAL PUNO", "1. GERENCIAS
            # REGIONALES") names a government or a collective, never an organ
            if organ is not None and organ != body and \
                    ctx.builders[organ].kind not in _NOT_ORGANS:
                ctx.relate(organ, "PART_OF", body, unit.start, unit.end, "legal structure", 0.65)
