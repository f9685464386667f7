"""Actors named in a table cell or a list: known names first, then the pieces between
separators, without splitting names that contain "y" or commas."""

from __future__ import annotations

import re

from graph.normalize import normalize_name
from loaders.extract.candidates import Candidate
from loaders.extract.context import ExtractionContext, candidate_from_entry
from loaders.extract.lexicon import Lexicon
from loaders.extract.tables import Cell

_COUNTRY_PAREN = re.compile(r"^[ \t]*\((?P<inner>[^()\n]{3,60})\)")


_SEPARATORS = re.compile(r"\s*(?:,|;|\by\b|\be\b|/)\s*")


# A cell piece that starts with an infinitive is a misplaced objective, not an actor.
_INFINITIVE = re.compile(r"^[A-ZÁÉÍÓÚ][a-záéíóúñ]{2,}(?:ar|er|ir)\b(?!\s+(?:de|del)\b)")


_LEADING_OFFICE = re.compile(
    r"^(?:Presidencia|Vicepresidencia|Secretar[ií]a Pro Tempore|"
    r"Coordinaci[oó]n)\s+(?:de|del)\s+(?:la\s+|el\s+)?"
)


def office_holder(cand: Candidate, base: list[Candidate], lexicon: Lexicon) -> Candidate:
    """ "Presidencia de la Red GEALC" stands for the Red GEALC: the body that holds the office."""
    if cand.source != "pattern" or cand.label != "Institution":
        return cand
    office = _LEADING_OFFICE.match(cand.name)
    if not office:
        return cand
    rest = cand.name[office.end() :]
    entry = lexicon.lookup(rest)
    if entry is not None:
        return candidate_from_entry(cand, entry)
    norm = normalize_name(rest)
    for other in base:
        if (
            other is not cand
            and other.label == "Institution"
            and normalize_name(other.name) == norm
        ):
            return Candidate(
                cand.start,
                cand.end,
                other.label,
                other.name,
                "pattern",
                kind=other.kind,
                aliases=[cand.name],
                confidence=cand.confidence,
            )
    return cand


_CELL_SEPARATOR = re.compile(r"\s*(?:[,;(]|\s(?:y|e)\s+(?=[A-ZÁÉÍÓÚÑ])|$)")


def _extend_to_separator(ctx: ExtractionContext, c: Candidate, cell: Cell) -> Candidate:
    """In a list of actors, a pattern name runs to the next separator: "Red Latinoamericana
    por el derecho a la Protección Social" is one name although it has lowercase words."""
    if c.source != "pattern":
        return c
    m = _CELL_SEPARATOR.search(ctx.text, c.end, cell.end)
    end = m.start() if m else cell.end
    extra = ctx.text[c.end : end]
    if not extra.strip() or not re.search(r"[A-ZÁÉÍÓÚÑ]", extra) or len(extra) > 80:
        return c
    name = ctx.text[c.start : end].strip()
    return Candidate(
        c.start,
        c.start + len(name),
        c.label,
        name,
        c.source,
        kind=c.kind,
        aliases=[c.name],
        confidence=c.confidence,
    )


def _blank_parentheses(chunk: str) -> str:
    """Replace parenthesised text by spaces, keeping offsets (countries, acronyms, notes)."""
    return re.sub(r"\([^()]*\)?", lambda m: " " * len(m.group()), chunk)


def cell_actors(ctx: ExtractionContext, cell: Cell, found: list[Candidate]) -> list[Candidate]:
    """The actors named in a table cell: known spans, then the remaining comma/"y" pieces.

    A leftover piece ending in a connector ("Países integrantes de la") joins the known name
    that follows it; "Presidencia de la Red X" stands for Red X.
    """
    text = ctx.text
    inside = sorted(
        (
            c
            for c in found
            if cell.start <= c.start and c.end <= cell.end and c.label == "Institution"
        ),
        key=lambda c: c.start,
    )
    inside = [
        c
        for c in inside
        if not (re.search(r"\(\s*$", text[cell.start : c.start]) and c.length <= 12)
    ]
    actors: list[Candidate] = []
    pos = cell.start
    pending: tuple[int, str] | None = None
    for c in [*inside, None]:
        stop = c.start if c is not None else cell.end
        chunk = _blank_parentheses(text[pos:stop])
        parts = [(m.start(), m.group()) for m in re.finditer(r"[^,;/]+", chunk)]
        pieces: list[tuple[int, str]] = []
        for p_off, part in parts:
            for sub in re.split(r"\s+(?:y|e)\s+", part):
                idx = part.find(sub)
                if sub.strip():
                    pieces.append((pos + p_off + idx + (len(sub) - len(sub.lstrip())), sub.strip()))
        pending = None
        for start, piece in pieces:
            name = piece.strip(" .")
            if (
                c is not None
                and start + len(piece) >= stop - 12
                and re.search(
                    r"\b(?:de|del|de la|de los|de las|que componen la|integrantes de la)$", name
                )
            ):
                pending = (start, name)
                continue
            name = re.sub(r"^(?:de|del|de la|de los|de las)\s+", "", name)
            if len(name) < 3 or not re.match(r"[A-ZÁÉÍÓÚÑ]", name) or _INFINITIVE.match(name):
                continue
            if re.fullmatch(r"(?:No se aplica|No aplica|N/?A|Ninguno)", name, re.IGNORECASE):
                continue
            entry = ctx.lexicon.lookup(name)
            if entry is not None and entry.label == "Territory":
                continue
            actors.append(
                Candidate(start, start + len(name), "Institution", name, "table", confidence=0.7)
            )
        if c is None:
            break
        if pending is not None:
            p_start, _p_name = pending
            joined = text[p_start : c.end]
            actors.append(
                Candidate(
                    p_start,
                    c.end,
                    "Institution",
                    joined,
                    "table",
                    kind="collective",
                    confidence=0.7,
                )
            )
        else:
            c = _extend_to_separator(ctx, c, cell)
            office = _LEADING_OFFICE.match(c.name)
            if office and ctx.lexicon.lookup(c.name[office.end() :]) is not None:
                entry = ctx.lexicon.lookup(c.name[office.end() :])
                c = candidate_from_entry(c, entry)
            elif office:
                rest = c.name[office.end() :]
                key = ctx.alias_keys.get(f"Institution|{normalize_name(rest)}")
                if key:
                    c.key = key
                    c.aliases = [*c.aliases, c.name]
            actors.append(c)
        pos = c.end
    return actors


def country_after(ctx: ExtractionContext, end: int) -> str | None:
    """ "(Paraguay)" or "(Brasil y México)" right after a name: the first country's code."""
    m = _COUNTRY_PAREN.match(ctx.text, end)
    if not m:
        return None
    for part in _SEPARATORS.split(m.group("inner")):
        entry = ctx.lexicon.lookup(part.strip())
        if entry is not None and entry.label == "Territory" and entry.kind == "country":
            return entry.country
    return None
