"""Several bodies named under one plural head: "los Ministerios de Minería, de Hacienda y de
Economía", "los Ministros de Educación y de Hacienda", "las Secretarías de Economía y del
Trabajo y Previsión Social", "los Gobiernos Regionales de Lima y del Callao".

Legal Spanish names several ministries (secretariats, regional governments...) at once by
writing the head noun once, in the plural, and repeating only the preposition before each
complement. Each complement is one body: the head in the singular followed by it. Read in 31
texts of the Chilean and Peruvian bulk corpus and common in Mexican federal laws ("las
Secretarías de Hacienda y Crédito Público, de Economía y ...").

Only a repeated preposition separates bodies ("y de", ", de", ", y de"): "los Ministerios de
Hacienda y Economía" stays one name, since "Economía" could belong to the first complement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.extract.candidates import Candidate
from loaders.extract.patterns import CAP_WORD

# Plural head (a body or its heads) → the body's head in the singular, and its kind.
PLURAL_HEADS: dict[str, tuple[str, str]] = {
    "Ministerios": ("Ministerio", "ministry"),
    "Ministros": ("Ministerio", "ministry"),
    "Ministras": ("Ministerio", "ministry"),
    "Secretarías": ("Secretaría", "secretariat"),
    "Secretarios": ("Secretaría", "secretariat"),
    "Subsecretarías": ("Subsecretaría", "ministry"),
    "Subsecretarios": ("Subsecretaría", "ministry"),
    "Superintendencias": ("Superintendencia", "agency"),
    "Gobiernos Regionales": ("Gobierno Regional", "regional_government"),
    "Gobiernos Departamentales": ("Gobierno Departamental", "regional_government"),
    "Direcciones Regionales": ("Dirección Regional", "agency"),
    "Gerencias Regionales": ("Gerencia Regional", "agency"),
}

_INNER = r"(?:[ ]+(?:(?:y|e|de|del|de[ ]la|de[ ]los|para|para[ ]el|para[ ]la)[ ]+)?|,[ ]+)"
_COMPLEMENT = rf"{CAP_WORD}(?:{_INNER}{CAP_WORD})*"
_PREPOSITION = r"(?:de[ ]la|de[ ]los|de|del)"
_JOIN = r"(?:,[ ]*(?:y[ ]+|e[ ]+)?|[ ]+(?:y|e)[ ]+)"
_PLURAL_RE = re.compile(
    rf"\b(?P<head>{'|'.join(sorted(PLURAL_HEADS, key=len, reverse=True))})[ ]+"
    rf"(?P<prep>{_PREPOSITION})[ ]+(?P<first>{_COMPLEMENT})"
    rf"(?P<rest>(?:{_JOIN}{_PREPOSITION}[ ]+{_COMPLEMENT})+)"
)
_REST_RE = re.compile(rf"{_JOIN}(?P<prep>{_PREPOSITION})[ ]+(?P<complement>{_COMPLEMENT})")


def _body(head: str, preposition: str, complement: str) -> str:
    """The singular body named by one complement: "Ministerio" + "del" + "Trabajo"."""
    return f"{head} {preposition} {complement}"


def find_plural_heads(text: str) -> Iterator[Candidate]:
    """One institution candidate per complement of a plural head with repeated prepositions.

    The first candidate spans the head and its complement; each later one spans its
    preposition and complement, so no two overlap.
    """
    for m in _PLURAL_RE.finditer(text):
        singular, kind = PLURAL_HEADS[m.group("head")]
        yield Candidate(
            m.start(),
            m.end("first"),
            "Institution",
            _body(singular, m.group("prep"), m.group("first")),
            "pattern",
            kind=kind,
            confidence=0.7,
        )
        offset = m.start("rest")
        for part in _REST_RE.finditer(m.group("rest")):
            yield Candidate(
                offset + part.start("prep"),
                offset + part.end("complement"),
                "Institution",
                _body(singular, part.group("prep"), part.group("complement")),
                "pattern",
                kind=kind,
                confidence=0.7,
            )


def replace_plural_heads(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """``candidates`` with the bodies of plural heads instead of what overlaps them."""
    bodies = list(find_plural_heads(text))
    if not bodies:
        return candidates
    spans = [(b.start, b.end) for b in bodies]
    kept = [
        c for c in candidates if not any(c.start < end and start < c.end for start, end in spans)
    ]
    return sorted([*kept, *bodies], key=lambda c: c.start)
