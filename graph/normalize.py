"""Name normalisation shared by resolution, search and evaluation.

NFKD, accents removed, case-folded, punctuation removed, white space collapsed,
leading article dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTICLES = ("el", "la", "los", "las")
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Decompose ``text`` (NFKD) and drop combining marks: ``Bío-Bío`` → ``Bio-Bio``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
