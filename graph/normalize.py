"""Name normalisation shared by resolution, search and evaluation.

NFKD, accents removed, case-folded, punctuation removed, white space collapsed,
leading article dropped.

:func:`name_key` goes further, for resolution only: the variants of one name that legal and
administrative Spanish writes (articles inside the name, "N°", "Nº", "No.", "Nro." or "Número"
before a number, "D.S." for "Decreto Supremo", a thousands point in a law's number) give one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTICLES = ("el", "la", "los", "las")
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")


class _CombiningMarks(dict):
    """A ``str.translate`` table that drops combining marks, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_DROP_MARKS = _CombiningMarks()


def strip_accents(text: str) -> str:
    """Decompose ``text`` (NFKD) and drop combining marks: ``Bío-Bío`` → ``Bio-Bio``."""
    if text.isascii():  # nothing to decompose, no mark to drop
        return text
    return unicodedata.normalize("NFKD", text).translate(_DROP_MARKS)


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Return the canonical comparison form of a name.

    >>> normalize_name("La Corporación de Fomento (CORFO)")
    'corporacion de fomento corfo'
    """
    text = strip_accents(name).casefold()
    text = _PUNCT.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    head, _, rest = text.partition(" ")
    if rest and head in _ARTICLES:
        text = rest
    return text


def slugify(name: str) -> str:
    """Return a URL- and id-safe slug of ``name`` built on :func:`normalize_name`."""
    return normalize_name(name).replace(" ", "-")


_INNER_WORDS = frozenset({"el", "la", "los", "las", "lo", "de"})
_CONTRACTIONS = {"del": "de", "al": "a"}
_NUMBER_SIGNS = frozenset({"n", "no", "nro", "nros", "nos", "num", "numero", "numeros", "nº"})
# Abbreviations of legal instruments, the same in every country that uses them (a Chilean
# "D.L." is a decreto ley and a Peruvian one a decreto legislativo, so D.L. is left alone).
_ABBREVIATIONS = {
    ("d", "s"): "decreto supremo",
    ("ds",): "decreto supremo",
    ("d", "u"): "decreto de urgencia",
    ("dfl",): "decreto con fuerza de ley",
    ("d", "f", "l"): "decreto con fuerza de ley",
    ("r", "m"): "resolucion ministerial",
    ("o", "r"): "ordenanza regional",
    ("r", "e"): "resolucion exenta",
}
_DIGITS = re.compile(r"\d")


def _expand_abbreviation(words: list[str]) -> list[str]:
    """ "d s 029 2018 pcm" → "decreto supremo 029 2018 pcm": an abbreviation at the start of
    a name, followed by a number (so that "r e" in other words stays)."""
    for short, long in _ABBREVIATIONS.items():
        n = len(short)
        if tuple(words[:n]) == short and len(words) > n and _DIGITS.match(words[n]):
            return [*long.split(" "), *words[n:]]
    return words


def _join_thousands(words: list[str]) -> list[str]:
    """ "19 175" (from "19.175") → "19175": a group of three digits after digits is the rest
    of one number written with a thousands point."""
    out: list[str] = []
    for word in words:
        if out and out[-1].isdigit() and word.isdigit() and len(word) == 3 and len(out[-1]) <= 3:
            out[-1] += word
        else:
            out.append(word)
    return out


_CONNECTIVES = frozenset({"de", "del", "la", "las", "los", "el"})


def without_connectives(key: str) -> str:
    """A normalised name without its articles and prepositions: "gobierno regional de puno"
    and "gobierno regional puno" are one name written two ways."""
    return " ".join(w for w in key.split() if w not in _CONNECTIVES)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The resolution key of a name: :func:`normalize_name` without articles and "de" inside
    the name ("del" read "de"), without the number sign before a number, with the
    abbreviations of legal instruments written out and thousands points closed up.

    >>> name_key("Plan Nacional de los Recursos Hídricos")
    'plan nacional recursos hidricos'
    >>> name_key("D.S. N° 029-2018-PCM") == name_key("Decreto Supremo 029-2018-PCM")
    True
    >>> name_key("Ley Nº 19.175")
    'ley 19175'
    """
    words: list[str] = []
    for word in normalize_name(name).split():
        if word == "o" and words and words[-1] == "n":
            words[-1] = "no"  # "N.º" written with a point
        else:
            words.append(_CONTRACTIONS.get(word, word))
    words = [
        w for i, w in enumerate(words)
        if not (w in _NUMBER_SIGNS and i + 1 < len(words) and _DIGITS.match(words[i + 1]))
    ]
    words = [w for w in _expand_abbreviation(words) if w not in _INNER_WORDS]
    return " ".join(_join_thousands(words))
