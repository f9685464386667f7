"""What a sentence says of a programme it names, or refers back to.

Reports and news posts name a programme once and go on about it: "La iniciativa se desarrolló
en alianza con la Secretaría X y la Oficina Y", "El proyecto forma parte de la Estrategia
Nacional Z", "El programa es financiado por el Fondo W". A sentence that opens with such a
bare reference ("La iniciativa", "El proyecto", "Este programa", "Dicha estrategia") is about
the last programme named before it; one that names a programme before the phrase is about
that programme. The phrases read:

- partners ("en alianza con", "en colaboración con", "en conjunto con", "junto a"):
  CO_RESPONSIBLE_FOR; supporters ("con el apoyo (técnico) de", "con la participación de"):
  PARTICIPATES_IN;
- funders ("financiado por", "con financiamiento de", "con recursos de", "con el apoyo
  financiero de"): FUNDS;
- implementers ("implementado por", "ejecutado por", "liderado por"...): RESPONSIBLE_FOR;
- a larger programme or strategy ("forma parte de", "se enmarca en"): PART_OF, never
  towards a law or other legal norm ("en el marco de" is too loose: it cites a law, a plan,
  a session).

A programme named in the sentence is the subject only when a participle of it leads to the
phrase ("el proyecto X, ejecutado en alianza con ..."): "la Política Regional, con la
participación de ..." names who takes part in something else.
"""

from __future__ import annotations

import re

from graph.model import Passage
from loaders.extract import triggers
from loaders.extract.candidates import LAW_KINDS, Candidate, institution_keys_between
from loaders.extract.context import ExtractionContext

_BARE_PROGRAMME = re.compile(
    r"^\W*(?:(?:Adem[áa]s|Asimismo|Por otra parte|De esta forma|As[íi]),\s+)?"
    r"(?:(?:La|Esta|Dicha)\s+(?:iniciativa|estrategia|intervenci[óo]n)|"
    r"(?:El|Este|Dicho)\s+(?:proyecto|programa|plan|fondo))\b(?!\s+[A-ZÁÉÍÓÚÑ\"“«])",
)
_PARTNERS = re.compile(
    r"\b(?:en alianza con|en colaboraci[óo]n con|en conjunto con|conjuntamente con|junto (?:a|con))\b",
    re.IGNORECASE,
)
_SUPPORTERS = re.compile(
    r"\b(?:con el apoyo(?: t[ée]cnico)? de(?:l)?|con la colaboraci[óo]n de(?:l)?|"
    r"con la participaci[óo]n de(?:l)?)\b",
    re.IGNORECASE,
)
_PART_OF = re.compile(r"\b(?:forma(?:n|r[áa])? parte de(?:l)?|se enmarca(?:n)? en)\b", re.IGNORECASE)
_PARTICIPLE = re.compile(r"\b[a-záéíóúñ]+(?:ad|id)[oa]s?\b|\bse (?:desarroll|ejecut|implement)")
_LEGAL_KINDS = LAW_KINDS | {"agreement"}
_PROGRAMME_LABELS = ("Program", "Instrument")


def _is_programme(ctx: ExtractionContext, cand: Candidate) -> bool:
    if cand.label not in _PROGRAMME_LABELS or not cand.key:
        return False
    return (ctx.builders[cand.key].kind or "") not in _LEGAL_KINDS


def _referent(ctx: ExtractionContext, earlier: list[Candidate]) -> str | None:
    """The programme named before the sentence (within the last 40 candidates) that the text
    is about: the last one somebody runs (the target of a recorded responsibility), else the
    last one named ("implementado por el PNUD ... a través de su Programa de Pequeñas
    Donaciones": the project, not the channel)."""
    programmes = [c.key for c in reversed(earlier[-40:]) if _is_programme(ctx, c)]
    if not programmes:
        return None
    run = {r.target for r in ctx.relations.values() if r.type == "RESPONSIBLE_FOR"}
    return next((k for k in programmes if k in run), programmes[0])


def _subject(
    ctx: ExtractionContext, passage: Passage, inside: list[Candidate], at: int,
    referent: str | None,
) -> str | None:
    """The programme a phrase at ``at`` is about: one named right before it (no institution
    between), else the one the sentence opens by referring to, unless an institution named
    before the phrase is its subject."""
    before = [c for c in inside if c.end <= at and c.key]
    if before and _is_programme(ctx, before[-1]):
        # "el proyecto X, desarrollado en alianza con": a participle of the programme between
        gap = passage.text[before[-1].end - passage.start : at - passage.start]
        return before[-1].key if len(gap) <= 60 and _PARTICIPLE.search(gap) else None
    if any(c.label == "Institution" for c in before):
        return None  # "El Ministerio, en conjunto con el Servicio, ...": the institution's act
    return referent


# the end of the clause that names a programme's partners: "..., y contó con el apoyo de"
_CLAUSE_STOP = re.compile(
    r"[;.:]|,\s+(?:que|para|donde|mientras)\b"
    r"|,?\s+y\s+(?!(?:el|la|los|las|un|una|de|del|a|al|otros|otras|sus|su)\b)[a-záéíóúñ]"
)


def _clause_stop(passage: Passage, offset: int) -> int:
    m = _CLAUSE_STOP.search(passage.text, offset - passage.start)
    return passage.start + (m.start() if m else len(passage.text))


def programme_relations(
    ctx: ExtractionContext, passage: Passage, inside: list[Candidate], earlier: list[Candidate]
) -> None:
    """Partners, funders, implementers and the larger programme of the programme a sentence
    is about (see the module docstring). ``earlier`` are the candidates before the sentence."""
    bare = _BARE_PROGRAMME.match(passage.text) is not None
    if not bare and not any(_is_programme(ctx, c) for c in inside):
        return  # neither names nor refers to a programme: most sentences of a law
    referent = _referent(ctx, earlier) if bare else None
    s, e = passage.start, passage.end
    for pattern, rel_type in (
        (_PARTNERS, "CO_RESPONSIBLE_FOR"),
        (_SUPPORTERS, "PARTICIPATES_IN"),
        (triggers.FUNDING, "FUNDS"),
        (triggers.RESPONSIBILITY, "RESPONSIBLE_FOR"),
    ):
        for m in pattern.finditer(passage.text):
            at, after = s + m.start(), s + m.end()
            subject = _subject(ctx, passage, inside, at, referent)
            named_here = referent is None or subject != referent
            if subject is None or (named_here and rel_type in ("FUNDS", "RESPONSIBLE_FOR")):
                continue  # a programme named in the sentence: the trigger rules read it
            actors = institution_keys_between(inside, after, _clause_stop(passage, after))
            if rel_type in ("FUNDS", "RESPONSIBLE_FOR"):
                actors = actors[:1]
            for actor in actors:
                ctx.relate(actor, rel_type, subject, s, e, "programme", 0.6)
    for m in _PART_OF.finditer(passage.text):
        at, after = s + m.start(), s + m.end()
        subject = _subject(ctx, passage, inside, at, referent)
        larger = [c for c in inside if c.start >= after and _is_programme(ctx, c)]
        if subject and larger and larger[0].start - after <= 12 and larger[0].key != subject:
            ctx.relate(subject, "PART_OF", larger[0].key, s, e, "programme", 0.6)  # type: ignore[arg-type]
