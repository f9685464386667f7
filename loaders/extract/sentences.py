"""Relations from trigger phrases inside one sentence: coordination, participation,
responsibility, funding, overlapping functions and territorial presence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from itertools import combinations

from graph.model import (
    Passage,
)
from loaders.extract import triggers
from loaders.extract.candidates import LAW_KINDS, Candidate, institution_keys_between
from loaders.extract.context import UNIT_KINDS, ExtractionContext
from loaders.extract.levels import level_from_name
from loaders.extract.programme_refs import programme_relations

_LIST_WORDS = (
    "el|la|los|las|y|e|de|del|a|al|otros|otras|sus|su|distintos|distintas|diversos|diversas|"
    "varios|varias|algunos|algunas|todos|todas|ambos|cada|entre|tales|como|demás"
)


_CLAUSE_END = re.compile(rf"[;.:]|,\s+(?!(?:{_LIST_WORDS})\b)[a-záéíóúñ]|\s+(?:que|para)\s")


_PARTNER_WORD = re.compile(r"[^.;:\n]{0,80}?\b(con|entre)\b", re.IGNORECASE)
"""The "con"/"entre" that names the partners of a coordination word a few words later
("celebrar convenios de colaboración y traspaso de información con ...")."""

_CLAUSE_END_BEFORE = re.compile(r"(?s:.*)(?:[;.:]|,\s+(?:que|donde|mientras)\b)")


BODY_KINDS = {"committee", "council", "forum", "network", "working_group", "secretariat"}


def _is_law(ctx: ExtractionContext, cand: Candidate) -> bool:
    """Whether a candidate is a legal norm, whose title may hold a trigger phrase."""
    return cand.label == "Instrument" and (ctx.builders[cand.key].kind or "") in LAW_KINDS


_GENITIVE_GAP = re.compile(r"\s+(?:de|del)\s+(?:la\s+|los\s+|las\s+)?")
# between two names of one series: "por el Banco Interamericano de Desarrollo y el Instituto"
_SERIES_GAP = re.compile(r"\s*(?:\([^()]{1,30}\))?\s*(?:,|y|e|,\s*y)\s+(?:(?:el|la|los|las)\s+)?")


def _series_after(passage: Passage, institutions: list[Candidate]) -> list[Candidate]:
    """The institutions written in one series with the first of ``institutions`` (in text
    order): "cofinanciado por el BID y el Instituto de Desarrollo Agropecuario" gives both."""
    series = institutions[:1]
    for c in institutions[1:]:
        gap = passage.text[series[-1].end - passage.start : c.start - passage.start]
        if not _SERIES_GAP.fullmatch(gap):
            break
        series.append(c)
    return series
_ALLIANCE = re.compile(
    r"\s*,?\s*(?:en alianza con|en conjunto con|conjuntamente con|junto (?:a|con)|"
    r"en colaboraci[oó]n con|con el apoyo de)\s",
    re.IGNORECASE,
)


def _allies(passage: Passage, inside: list[Candidate], lead: Candidate) -> list[str]:
    """The institutions a responsible one acts with: "impulsada por el PNUD en alianza con
    el Viceministerio X y el BID" makes the Viceministerio and the BID co-responsible."""
    offset = lead.end - passage.start
    alliance = _ALLIANCE.match(passage.text, offset)
    if alliance is None:
        return []
    start = passage.start + alliance.end()
    stop = _clause_end(passage, start)
    return institution_keys_between(_parties(passage.text, passage.start, inside), start, stop)


def _parties(text: str, offset: int, inside: list[Candidate]) -> list[Candidate]:
    """The institutions of ``inside`` that can be parties of a tie: one written as the
    genitive of the name before it ("la Dirección de Presupuestos del Ministerio de Hacienda")
    qualifies that name and is not a party of its own."""
    kept: list[Candidate] = []
    previous: Candidate | None = None
    for c in inside:
        if c.label != "Institution" or not c.key:
            continue
        if previous is not None and _GENITIVE_GAP.fullmatch(
            text[previous.end - offset : c.start - offset]
        ):
            previous = c
            continue
        kept.append(c)
        previous = c
    return kept


def _clause_end(passage: Passage, offset: int) -> int:
    m = _CLAUSE_END.search(passage.text, offset - passage.start)
    return passage.start + (m.start() if m else len(passage.text))


def _coordination_pairs(
    ctx: ExtractionContext, passage: Passage, inside: list[Candidate], context: list[str]
) -> list[tuple[str, str]]:
    """Who coordinates with whom in one sentence.

    "coordinación entre A, B y C" ties the institutions after "entre" (with the speaker's
    institution when only one is named); "en coordinación con B" ties B to the nearest
    institution before the phrase (else the speaker's); a bare "trabajo conjunto" ties the
    institutions of the sentence when two or three are named.
    """
    pairs: list[tuple[str, str]] = []
    parties = _parties(passage.text, passage.start, inside)
    for m in triggers.COORDINATION.finditer(passage.text):
        t_end = passage.start + m.end()
        word = m.group().split()[-1].lower()
        if word not in ("con", "entre", "a"):
            follow = _PARTNER_WORD.match(passage.text, m.end())
            if follow:
                word = follow.group(1).lower()
                t_end = passage.start + follow.end()
        stop = _clause_end(passage, t_end)
        after = institution_keys_between(parties, t_end, stop)
        if word == "entre":
            group = after if len(after) >= 2 else after + [k for k in context[:1] if k not in after]
            if 2 <= len(group) <= 5:
                pairs += list(combinations(group, 2))
        elif word in ("con", "a") and after:
            clause = _CLAUSE_END_BEFORE.search(passage.text[: m.start()])
            clause_start = passage.start + (clause.end() if clause else 0)
            before = institution_keys_between(parties, clause_start, passage.start + m.start())
            # "El Fondo Jalisco ... otorgará financiamiento ..., en coordinación con X": a
            # clause about a fund or a programme is no act of the document's speaker
            about_thing = any(c.label in ("Instrument", "Program")
                              and clause_start <= c.start < passage.start + m.start()
                              for c in inside)
            left = before[-3:] or ([] if about_thing else context[:1])
            pairs += [(a, b) for a in left for b in after if a != b]
        elif word in ("conjunto", "conjunta", "coordinadamente", "articulado"):
            insts = institution_keys_between(parties, passage.start, passage.end)
            if 2 <= len(insts) <= 3:
                pairs += list(combinations(insts, 2))
    return pairs


_NEAR_MEMBER = 40
_MEMBER_GAP = re.compile(
    r"[ \t\n]*(?:\([^()]{0,20}\))?[ \t\n]*,?[ \t\n]*(?:(?:es|son|ser[áa]n?|como|en[ \t]+calidad[ \t]+de)"
    r"[ \t\n]+)?(?:(?:un|una|el|la)[ \t\n]+)?",
    re.IGNORECASE,
)
_JOINED_THING = re.compile(r"[ \t]*(?:,[ \t]*)?(?:y|e|,)[ \t]+(?:(?:el|la|los|las)[ \t]+)?")
_THROUGH = re.compile(r",?\s*(?:a trav[eé]s|por conducto|por intermedio) de(?:l| la| los| las)?\s*$",
                      re.IGNORECASE)


def _subject_verb_object(
    passage: Passage, inside: list[Candidate]
) -> list[tuple[str, str, str]]:
    """"El Ministerio de Economía y Finanzas, a través del Consejo Nacional X, conduce la
    Política Nacional Y": the subject is RESPONSIBLE_FOR the object, the body it acts through
    CO_RESPONSIBLE_FOR it. The subject is the institution that opens the clause before the
    verb; the object the first instrument or programme right after it."""
    out: list[tuple[str, str, str]] = []
    text = passage.text
    for m in triggers.ACTIVE_RESPONSIBILITY.finditer(text):
        verb_at = passage.start + m.start()
        clause = _CLAUSE_END_BEFORE.search(text[: m.start()])
        clause_start = passage.start + (clause.end() if clause else 0)
        subjects = [c for c in inside if c.label == "Institution" and c.key
                    and clause_start <= c.start and c.end <= verb_at]
        things = [c for c in inside if c.label in ("Instrument", "Program") and c.key
                  and verb_at < c.start <= verb_at + len(m.group()) + 12]
        if not subjects or not things:
            continue
        holder = subjects[0]
        # "impulsa la Agenda X y el Plan Y": every object joined to the first
        objects = [things[0]]
        for cand in inside:
            if cand.start <= objects[-1].start or cand.label not in ("Instrument", "Program"):
                continue
            if cand.key and _JOINED_THING.fullmatch(text, objects[-1].end - passage.start,
                                                    cand.start - passage.start):
                objects.append(cand)
            else:
                break
        for thing in objects:
            out.append((holder.key, thing.key, "RESPONSIBLE_FOR"))  # type: ignore[arg-type]
            for other in subjects[1:]:
                if _THROUGH.search(text[: other.start - passage.start]):
                    out.append((other.key, thing.key, "CO_RESPONSIBLE_FOR"))  # type: ignore[arg-type]
    return out


def _participation_pairs(
    ctx: ExtractionContext, passage: Passage, inside: list[Candidate], context: list[str]
) -> list[tuple[str, str]]:
    """Members and the coordination bodies they take part in, from one sentence.

    "con participación de X" and "donde participan X" name members after the phrase and the
    body before it; "participa en Y" and "forma parte de Y" name the body after it. When the
    members are not named as institutions, the other institutions of the sentence (or the
    speaker's) are.
    """
    pairs: list[tuple[str, str]] = []
    is_body = {
        k
        for k in institution_keys_between(inside, passage.start, passage.end)
        if (ctx.builders[k].kind or "") in BODY_KINDS
    }
    for m in triggers.PARTICIPATION.finditer(passage.text):
        t_start, t_end = passage.start + m.start(), passage.start + m.end()
        phrase = m.group().lower()
        body_after = bool(re.search(r"\b(?:en|de|del)$", phrase)) and "participaci" not in phrase
        stop = _clause_end(passage, t_end)
        after = institution_keys_between(inside, t_end, stop)
        before = institution_keys_between(inside, passage.start, t_start)
        if body_after:
            bodies = [k for k in after if k in is_body][:2]
            # "X, Miembro de la Junta", "X forma parte del Consejo": the member is named right
            # before; "notifique ... a los miembros del Consejo Regional" names none
            near = [c.key for c in inside if c.label == "Institution" and c.key
                    and c.key not in is_body and 0 <= t_start - c.end <= _NEAR_MEMBER
                    and _MEMBER_GAP.fullmatch(passage.text, c.end - passage.start,
                                              t_start - passage.start)]
            members = near[-1:] or ([] if before else context[:1])
        else:
            bodies = [k for k in before if k in is_body][-2:]
            # "integrado / conformado / compuesto por" names its members after it: what the
            # sentence named before ("... de la Agencia X, el mismo que estuvo conformado
            # por:") is no member
            listed = re.search(r"integrad|conformad|compuest", phrase) is not None
            if listed and len(ctx.article_starts) >= 3:
                continue  # articled legal text: its lists are read whole (component memberships)
            members = [k for k in after if k not in is_body] or (
                [] if listed else [k for k in before if k not in is_body][:2] or context[:1]
            )
        pairs += [(mem, body) for body in bodies for mem in members if mem != body]
    return pairs


def _overlap_pairs(ctx: ExtractionContext, insts: list[str]) -> list[tuple[str, str]]:
    """Pairs a sentence stating overlap or duplication of functions is about.

    Such statements oppose levels of government ("the regional governments' new functions
    overlap with what national institutions did"): institutions of different sub-national or
    national levels are paired, up to eight named; a sentence whose institutions are all of
    one level pairs them only when it names two or three.
    """
    if len(insts) < 2 or len(insts) > 8:
        return []
    levels = {k: ctx.builders[k].level or level_from_name(ctx.builders[k].name) for k in insts}
    cross = [
        (a, b)
        for a, b in combinations(insts, 2)
        if levels[a]
        and levels[b]
        and levels[a] != levels[b]
        and "supranational" not in (levels[a], levels[b])
    ]
    if cross:
        return cross
    return list(combinations(insts, 2)) if len(insts) <= 3 else []


def sentence_relations(
    ctx: ExtractionContext, base: list[Candidate], speaker_context: list[tuple[int, list[str]]],
    bare_subjects: Sequence[Candidate] = (),
) -> None:
    """Relations stated by trigger phrases, sentence by sentence, speaker context included.
    ``bare_subjects`` are instruments a sentence opens with by their head alone ("El Fondo
    será administrado por X"): what its execution and funding phrases are about."""
    subjects = sorted(bare_subjects, key=lambda c: c.start)
    subject_starts = [c.start for c in subjects]
    starts = [s for s, _ in speaker_context]
    ci = 0
    cands_sorted = sorted(base, key=lambda c: c.start)
    cstarts = [c.start for c in cands_sorted]
    # in articled legal text a sentence names bodies and places side by side without placing
    # one in the other ("el Ministerio de Hacienda ... la Región de Ñuble"): there a place
    # comes only from a body's name (component ``territories``)
    legal = len(ctx.article_starts) >= 3
    for passage in ctx.passages:
        if "\t" in passage.text:
            continue
        lo = bisect.bisect_left(cstarts, passage.start)
        hi = bisect.bisect_left(cstarts, passage.end)
        inside = [c for c in cands_sorted[lo:hi] if c.end <= passage.end and c.key]
        programme_relations(ctx, passage, inside, cands_sorted[max(0, lo - 40) : lo])
        insts = list(dict.fromkeys(c.key for c in inside if c.label == "Institution"))
        if not insts:
            continue  # every relation below has an institution of the sentence at one end
        territories = [c for c in inside if c.label == "Territory"]
        ci = bisect.bisect_right(starts, passage.start) - 1
        context = speaker_context[ci][1] if ci >= 0 else []
        context = [k for k in context if (ctx.builders[k].kind or "") not in UNIT_KINDS] or context
        s, e = passage.start, passage.end
        sentence = passage.text
        for a, b in _coordination_pairs(ctx, passage, inside, context):
            ctx.relate(a, "COORDINATES_WITH", b, s, e, "trigger", 0.6)
        if len(insts) >= 2 and triggers.OVERLAP.search(sentence):
            for a, b in _overlap_pairs(ctx, insts):
                ctx.relate(a, "OVERLAPS_WITH", b, s, e, "trigger", 0.6)
        if insts:
            # the sentence's candidates with the instrument it opens with by its head alone
            opening = subjects[bisect.bisect_left(subject_starts, s):
                               bisect.bisect_left(subject_starts, e)]
            runnable = sorted([*inside, *opening], key=lambda c: c.start) if opening else inside
            for pattern, rel_type in (
                (triggers.RESPONSIBILITY, "RESPONSIBLE_FOR"),
                (triggers.FUNDING, "FUNDS"),
            ):
                m = pattern.search(sentence)
                if m is None:
                    continue
                after = [c for c in inside if c.label == "Institution" and c.start >= s + m.end()]
                # what is run: an instrument or programme, or a body (forum, committee...)
                before = [
                    c
                    for c in runnable
                    if c.end <= s + m.start()
                    and (
                        c.label in ("Instrument", "Program")
                        or (
                            rel_type == "RESPONSIBLE_FOR"
                            and c.label == "Institution"
                            and (ctx.builders[c.key].kind or "") in BODY_KINDS
                        )
                    )
                ]
                if before and rel_type == "RESPONSIBLE_FOR" and _is_law(ctx, before[-1]):
                    before = []  # "Ley N° 29230, Ley que impulsa la inversión ...": its title
                if after and before and after[0].key != before[-1].key:
                    ctx.relate(after[0].key, rel_type, before[-1].key, s, e, "trigger", 0.7)
                    if rel_type == "FUNDS":  # every funder of a series funds it
                        for funder in _series_after(passage, after)[1:]:
                            if funder.key != before[-1].key:
                                ctx.relate(funder.key, "FUNDS", before[-1].key, s, e, "trigger", 0.65)
                    if rel_type == "RESPONSIBLE_FOR":
                        for partner in _allies(passage, inside, after[0]):
                            if partner != before[-1].key:
                                ctx.relate(partner, "CO_RESPONSIBLE_FOR", before[-1].key, s, e,
                                           "trigger", 0.65)
        for holder, thing, role in _subject_verb_object(passage, inside):
            ctx.relate(holder, role, thing, s, e, "trigger", 0.65)
        for member, body in _participation_pairs(ctx, passage, inside, context):
            ctx.relate(member, "PARTICIPATES_IN", body, s, e, "trigger", 0.6)
        sub_territories = [
            t for t in territories if (t.kind or "") not in ("country", "supranational_region")
        ]
        if sub_territories and insts and not legal and triggers.TERRITORIAL.search(sentence):
            t_key = sub_territories[0].key
            for k in insts[:6]:
                if (
                    ctx.builders[k].level != "supranational"
                    and ctx.builders[k].kind != "collective"
                ):
                    ctx.relate(k, "OPERATES_IN", t_key, s, e, "trigger", 0.55)
