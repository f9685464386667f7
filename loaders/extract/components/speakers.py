"""Component ``speakers``: people of speaker lines, their affiliations, units and parents."""

from __future__ import annotations

import re
from itertools import pairwise

from loaders.extract.candidates import Candidate
from loaders.extract.context import UNIT_KINDS
from loaders.extract.legal_names import body_of_title, own_body_head
from loaders.extract.legal_parents import government_place, is_council_of, own_body_named
from loaders.extract.patterns import head_info
from loaders.extract.registry import component
from loaders.extract.speakers import ROLE_WORDS, SpeakerLine
from loaders.extract.state import ExtractionState
from loaders.extract.structure import role_institutions, trailing_organisation

_UNIT_GAP = re.compile(r"\s*(?:\([^()]*\))?\s*(?:,|de|del|de la)?\s*(?:\n\s*)?")


def line_institutions(state: ExtractionState, line: SpeakerLine) -> list[Candidate]:
    """Institutions after the speaker's name, and on the next line when they fill most of it
    (the affiliation may continue there: "División ... (DDPE)")."""
    text, base = state.text, state.base
    in_rest = [
        c
        for c in base
        if line.rest_start <= c.start and c.end <= line.rest_end and c.label == "Institution"
    ]
    if text[line.line_end : line.line_end + 1] != "\n":
        return in_rest  # a signature inside a line: what follows is the next signer
    next_end = text.find("\n", line.line_end + 1)
    next_line = text[line.line_end + 1 : next_end if next_end > 0 else len(text)]
    nxt = [
        c
        for c in base
        if line.line_end < c.start
        and c.end <= line.line_end + 1 + len(next_line)
        and c.label == "Institution"
    ]
    if nxt and sum(c.length for c in nxt) >= 0.6 * len(next_line.strip()):
        in_rest += nxt
    return in_rest


def speaker_line(state: ExtractionState, line: SpeakerLine) -> None:
    """One speaker line: the person, AFFILIATED_WITH each institution, unit PART_OF parent."""
    ctx, text = state.ctx, state.text
    rest = text[line.rest_start : line.rest_end]
    in_rest = line_institutions(state, line)
    role_insts = role_institutions(ctx, line.rest_start, rest)
    if not in_rest and not role_insts and not ROLE_WORDS.search(rest):
        return
    if not in_rest and not role_insts:
        # "Gerente Regional de Desarrollo Económico." heads the Gerencia Regional de Desarrollo
        # Económico, not a body called "Desarrollo Económico"
        titled = body_of_title(rest)
        entry = ctx.lexicon.lookup(titled[1]) if titled is not None else None
        if titled is not None and (entry is None or entry.label != "Territory"):
            # (a country is no body: "Presidente de los Estados Unidos Mexicanos")
            at, name, kind = titled
            start = line.rest_start + at
            cand = Candidate(start, start + len(name), "Institution", name, "role", kind=kind,
                             confidence=0.6)
            ctx.add(cand)
            role_insts = [cand]
        else:
            role_insts = trailing_organisation(ctx, line.rest_start, rest)
    if state.lexicon.lookup(line.name) is not None or head_info(line.name) is not None:
        return  # "Constitución Política del Estado, modificada por ...": a name, not a person
    person = ctx.add(
        Candidate(line.name_start, line.name_end, "Person", line.name, "speaker", confidence=0.9)
    )
    if person.label != "Person":
        return  # the line's name is an entity of the document already
    # a person stands for one body, never for a kind of them ("Gobiernos regionales")
    insts = [c for c in in_rest + role_insts if c.label == "Institution"
             and (c.kind or "") != "collective"]
    if not insts:
        own = _own_office_body(state, line)
        insts = [own] if own is not None else []
    keys: list[str] = []
    for inst in insts:
        key = inst.key or ctx.key_for(inst)
        if key not in keys:
            keys.append(key)
        ctx.relate(
            person.key, "AFFILIATED_WITH", key, line.line_start, line.line_end, "speaker", 0.9
        )
    for a, b in pairwise(insts):
        a_b = ctx.builders.get(a.key or "")
        if (
            a_b is not None
            and a_b.kind in UNIT_KINDS
            and _UNIT_GAP.fullmatch(text[a.end : b.start])
        ):
            ctx.relate(a.key, "PART_OF", b.key, line.line_start, line.line_end, "speaker", 0.8)
    state.speaker_context.append((line.line_start, keys))


# a regional councillor signs for the document's own council: "Consejero Delegado",
# "Presidenta del Consejo Regional" (signature blocks of 190 Peruvian bulk texts)
_COUNCIL_OFFICE = re.compile(
    r"^\W*(?:consejer[oa]s?[ \t]+(?:delegad[oa]|regional)|president[ea][ \t]+del[ \t]+consejo"
    r"[ \t]+regional)(?![ \t]+(?:de|del)[ \t]+\w)",
    re.IGNORECASE,
)


def _own_office_body(state: ExtractionState, line: SpeakerLine) -> Candidate | None:
    """The document's own body an office names alone ("Gobernador Regional" under a
    signature: the regional government the document names most), as a mention at the
    office."""
    rest = state.text[line.rest_start : line.rest_end]
    head = own_body_head(rest) or ("Consejo Regional" if _COUNCIL_OFFICE.match(rest) else None)
    if head is None:
        return None
    ctx = state.ctx
    if head == "Consejo Regional":  # the government's own council, not a sectoral one
        place = government_place(ctx)
        councils = [b for b in ctx.builders.values() if b.label == "Institution"
                    and b.name.casefold().startswith("consejo regional")
                    and is_council_of(b.name, place)]
        body = max(councils, key=lambda b: (len(b.name) > len(head), len(b.spans)), default=None)
    else:
        body = own_body_named(ctx, head)
    if body is None:
        return None
    return Candidate(line.rest_start, line.rest_end, "Institution", body.name, "reference",
                     key=body.key)


@component("speakers")
def speakers(state: ExtractionState) -> None:
    """Speaker lines ("Name, Role, Institution"): people, affiliations, unit → parent."""
    for line in state.speaker_lines:
        speaker_line(state, line)
