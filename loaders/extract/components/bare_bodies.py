"""Component ``bare_bodies``: a body a text names by its capitalised head noun alone ("La
Comisión llamará a concursos", "el Consejo aprobará") is the last body of that head named in
full before it, as legal and administrative texts use the word once the name is given; and a
programme named "Programa Local Digital" is meant wherever the text writes "Local Digital".

In ../shared/bulk "la Comisión", "el Consejo", "el Comité" followed by a verb or a comma occur
in about half the laws that create such a body. Heads followed by a capitalised word or by
"de/del/para" start a name of their own and are left to the recognisers.
"""

from __future__ import annotations

import bisect
import re

from loaders.extract.candidates import Candidate, TakenSpans
from loaders.extract.finish import apply_redirects
from loaders.extract.legal_refs import BARE_HEAD, BARE_THING, referent_of
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("bare_bodies")
def bare_bodies(state: ExtractionState) -> None:
    """Each bare head noun outside another name is a mention of the body it refers to: the
    one a glossary defines for it ("I. Secretaría: La Secretaría de Economía"), else the last
    body of that head named in full before it."""
    state.base.extend(_glossary_terms(state))
    state.base.sort(key=lambda c: c.start)
    state.base.extend(_bare_heads(state, BARE_HEAD, ("Institution",)))
    # an instrument that opens a sentence by its head alone ("Artículo 2°.- El Fondo será
    # administrado por X"), for that sentence's trigger phrases only (component sentences):
    # as mentions anywhere they would stand between a body and what the text says of it
    state.bare_subjects = [
        c for c in _bare_heads(state, BARE_THING, ("Instrument", "Program"))
        if _OPENS_SENTENCE.search(state.text, max(0, c.start - 60), c.start)
    ]
    state.base.extend(_bare_programme_names(state))
    state.base.sort(key=lambda c: c.start)


_OPENS_SENTENCE = re.compile(
    r"(?:^|[.:;]|\n)[ \t>#*_]*(?:(?i:art[ií]culo|art\.)[ \t]+[^\n]{1,14}?[.:\-–]+[ \t]*)?"
    r"(?:[Ee]l|[Ll]a)[ \t]+$"
)


def _bare_heads(
    state: ExtractionState, pattern: re.Pattern[str], labels: tuple[str, ...]
) -> list[Candidate]:
    """A mention for each head noun ``pattern`` finds alone outside another name, of the last
    candidate with one of ``labels`` named in full with that head before it."""
    ctx = state.ctx
    named = sorted((c for c in state.base if c.key and c.label in labels), key=lambda c: c.start)
    starts = [c.start for c in named]
    taken = TakenSpans(state.base)
    added: list[Candidate] = []
    for m in pattern.finditer(state.text):
        start, end = m.start("head"), m.end("head")
        if taken.covers(start):
            continue
        key = referent_of(m.group("head"), named[: bisect.bisect_left(starts, start)], labels)
        if key is not None:
            added.append(ctx.builders[key].mention(start, end))
    return added


_GLOSSARY_LINE = re.compile(
    r"^[ \t]*(?:[IVXLC]{1,6}|\d{1,2}|[a-zñ])[.)]-?[ \t]+(?P<term>[A-ZÁÉÍÓÚ][\wáéíóúñ]+"
    r"(?:[ \t]+[A-ZÁÉÍÓÚ][\wáéíóúñ]+){0,2})[ \t]*:[ \t]+(?:(?:[Ee]l|[Ll]a|[Ll]os|[Ll]as)[ \t]+)?",
    re.MULTILINE,
)


def _glossary_terms(state: ExtractionState) -> list[Candidate]:
    """A law's glossary ("II. Secretaría: La Secretaría de Economía;", "XV. Consejo: El
    Consejo Nacional para ...") makes its term, written alone with a capital, a mention of
    the body it defines, when the term is how that body's name begins."""
    text, ctx = state.text, state.ctx
    by_start = {c.start: c for c in state.base if c.key and c.label == "Institution"}
    terms: dict[str, str] = {}
    for m in _GLOSSARY_LINE.finditer(text):
        defined = by_start.get(m.end())
        term = m.group("term")
        if defined is not None and defined.name.startswith(term + " "):
            terms[term] = defined.key  # type: ignore[assignment]
    if not terms:
        return []
    redirect = {
        b.key: terms[b.name] for b in ctx.builders.values()
        if b.name in terms and b.key != terms[b.name]
    }
    apply_redirects(ctx, state.base, redirect)
    taken = TakenSpans(state.base)
    added: list[Candidate] = []
    pattern = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    for m in re.finditer(rf"\b(?:[Ee]l|[Ll]a|[Dd]el|[Aa]l|[Ll]os|[Ll]as)[ \t]+(?P<t>{pattern})\b"
                         rf"(?![ \t]+(?:de|del|para)\b|[ \t]+[A-ZÁÉÍÓÚ])", text):
        b = ctx.builders.get(terms[m.group("t")])
        if b is not None and not taken.covers(m.start("t")):
            added.append(b.mention(m.start("t"), m.end("t")))
    return added


_PROGRAMME_HEAD = re.compile(r"^(?:Programa|Proyecto|Iniciativa)\s+(?:de\s+|del\s+)?")


def _bare_programme_names(state: ExtractionState) -> list[Candidate]:
    """Mentions of a programme by its name without "Programa": "Local Digital" for the
    "Programa Local Digital" (two capitalised words at least, outside other names)."""
    text = state.text
    taken = TakenSpans(state.base)
    added: list[Candidate] = []
    for b in list(state.ctx.builders.values()):
        if b.label != "Program":
            continue
        head = _PROGRAMME_HEAD.match(b.name)
        bare = b.name[head.end():] if head else ""
        words = bare.split()
        if len(words) < 2 or not all(w[:1].isupper() for w in words):
            continue
        for m in re.finditer(rf"(?<![\w]){re.escape(bare)}(?![\w])", text):
            if not taken.covers(m.start()):
                added.append(b.mention(m.start(), m.end()))
    return added
