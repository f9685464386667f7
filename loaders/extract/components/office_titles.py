"""Component ``office_titles``: a minister named by office stands for the ministry ("el
Ministro del Medio Ambiente", "Mario Marcel, Ministro de Hacienda.-" in a law's signatures),
as gold annotations and readers take them. 570 of the 2,093 texts of ../shared/bulk write
"Ministro de" or "Ministra de", most of them Chilean laws, whose signatures name every
ministry that countersigns.

Only ministers, vice- and under-secretaries, Chile's intendentes and regional ministerial
secretaries, and secretaries of a body the gazetteer knows (Mexico's federal secretariats):
their titles name one body each, which keeps the title as an alias. Titles inside
a name already found are left alone.
"""

from __future__ import annotations

import re

from loaders.extract.candidates import Candidate, TakenSpans
from loaders.extract.legal_names import body_of_title
from loaders.extract.legal_parents import own_body_named
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState

_MINISTER = re.compile(
    r"\b(?:(?:el|la)[ \t]+)?(?:(?:Vice)?(?:Ministr[oa]|Subsecretari[oa])|"
    # Chile's regional executives and ministries' regional secretaries: "el Intendente de la
    # Región de Ñuble", "el Secretario Regional Ministerial de Salud"
    r"Intendente|Secretari[oa][ \t]+Regional[ \t]+Ministerial|"
    # a Mexican federal secretary ("el Secretario de Hacienda y Crédito Público"), kept only
    # when the body is one the gazetteer knows (a "Secretario de Actas" heads nothing)
    r"(?P<secretary>Secretari[oa]))[ \t]+(?:de|del)[ \t]+"
    r"(?:(?:la|las|los)[ \t]+)?[A-ZÁÉÍÓÚÑ][^\n.;:()\"“”«»]{2,120}"
)


@component("office_titles")
def office_titles(state: ExtractionState) -> None:
    """Each minister's title outside other names is a mention of the ministry it heads."""
    ctx, text = state.ctx, state.text
    taken = TakenSpans(state.base)
    added: list[Candidate] = []
    for m in _MINISTER.finditer(text):
        found = body_of_title(m.group())
        if found is None:
            continue
        offset, name, kind = found
        if m.group("secretary") and ctx.entry_for(name) is None:
            continue
        start = m.start() + offset
        if taken.covers(start):
            continue
        rest = name.split(" ", 1)[1] if " " in name else ""
        found_rest = m.group().find(rest, offset) if rest else -1
        if found_rest < 0:
            continue
        end = m.start() + found_rest + len(rest)
        cand = Candidate(start, end, "Institution", name, "role", kind=kind, confidence=0.7)
        # the office as the text names it is an alias: "Intendente de la Región de Ñuble"
        cand.aliases = [re.sub(r"^(?:el|la)\s+", "", " ".join(text[m.start():end].split()),
                               flags=re.IGNORECASE)]
        ctx.add(cand)
        added.append(cand)
    if added:
        _drop_inside(state, added)
    added += _own_governor(state, TakenSpans(state.base + added))
    state.base.extend(added)
    state.base.sort(key=lambda c: c.start)


# the regional governor named by office alone, who acts for the document's own government:
# "ENCARGAR al Gobernador Regional ...", "el Gobernador Regional en coordinación con ..."
# (1,181 such mentions in the Peruvian bulk texts, 362 more followed by "de <place>")
_OWN_GOVERNOR = re.compile(
    r"\b(?:[Ee]l|[Aa]l|[Dd]el|[Ll]a)[ \t]+(?P<title>(?:Gobernador(?:a)?|President[ea])[ \t]+"
    r"(?:del[ \t]+Gobierno[ \t]+)?Regional)\b(?![ \t]+(?:de|del)[ \t]+[A-ZÁÉÍÓÚ])"
)


def _own_governor(state: ExtractionState, taken: TakenSpans) -> list[Candidate]:
    """Each "el Gobernador Regional" outside other names, as a mention of the regional
    government the document names most (none when it names none)."""
    if "Regional" not in state.text:
        return []
    own = own_body_named(state.ctx, "Gobierno Regional")
    if own is None:
        return []
    out: list[Candidate] = []
    for m in _OWN_GOVERNOR.finditer(state.text):
        start, end = m.start("title"), m.end("title")
        if taken.covers(start):
            continue
        out.append(own.mention(start, end))
    return out


def _drop_inside(state: ExtractionState, titles: list[Candidate]) -> None:
    """What was read inside a title is part of it, not a name of its own: "Crédito Público"
    in "el Ministro de Hacienda y Crédito Público", who signs every Colombian law."""
    inside = TakenSpans(titles)
    nested = [c for c in state.base if c.label != "Institution" and inside.covers(c.start)
              and inside.covers(c.end - 1)]
    if not nested:
        return
    dropped = {id(c) for c in nested}
    state.base = [c for c in state.base if id(c) not in dropped]
    for cand in nested:
        built = state.ctx.builders.get(cand.key or "")
        if built is not None and all(inside.covers(s) for s, _e, _src in built.spans):
            state.ctx.forget(built.key)
