"""A numbered legal instrument and the title written beside it are one instrument.

Peruvian and Chilean texts cite laws by number and title in apposition: "Ley Nº 27867, Ley
Orgánica de Gobiernos Regionales", "Ley N° 27783 - Ley de Bases de la Descentralización",
"Ley Orgánica de Municipalidades, Ley N° 27972". In ../shared/bulk the number-then-title form
alone occurs 3,723 times in 1,158 texts. The numbered mention joins the titled one (the title
names the instrument; the number stays an alias), unless the document pairs the number with
two titles or the title with two numbers, which leaves both apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise

from graph.normalize import normalize_name
from loaders.extract.candidates import Candidate
from loaders.extract.context import ExtractionContext

_APPOSITION = re.compile(r"\s*(?:[,:(\-–—]\s*)?[\"“”«'‘]?\s*$")
_TITLE_HEAD = re.compile(
    r"(?:Ley|C[oó]digo|Decreto Legislativo|Decreto Ley|Reglamento|Constituci[oó]n|"
    r"Texto [UÚ]nico Ordenado)\b",
)
_NUMBERED = re.compile(r"\bN\s*[°º.*o]|\b\d")


def _is_numbered(cand: Candidate) -> bool:
    return cand.source == "law"


def _is_title(cand: Candidate) -> bool:
    return (
        cand.source != "law"
        and cand.label in ("Instrument", "Program")
        and _TITLE_HEAD.match(cand.name) is not None
        and _NUMBERED.search(cand.name) is None
        and len(cand.name.split()) >= 3
    )


def law_title_redirects(ctx: ExtractionContext, base: list[Candidate]) -> dict[str, str]:
    """``{numbered key: title key}`` for numbers written in apposition with one title."""
    ordered = sorted((c for c in base if c.key), key=lambda c: c.start)
    titles_of: dict[str, set[str]] = defaultdict(set)
    numbers_of: dict[str, set[str]] = defaultdict(set)
    for first, second in pairwise(ordered):
        gap = ctx.text[first.end:second.start]
        if len(gap) > 6 or "\n\n" in gap or _APPOSITION.fullmatch(gap) is None:
            continue
        if _is_numbered(first) and _is_title(second):
            number, title = first, second
        elif _is_title(first) and _is_numbered(second) and gap.strip() in (",", "-", "–", "—", "("):
            number, title = second, first
        else:
            continue
        assert number.key and title.key
        if number.key != title.key:
            titles_of[number.key].add(title.key)
            numbers_of[title.key].add(number.key)
    redirect: dict[str, str] = {}
    for number, titles in titles_of.items():
        title = _one_title(ctx, titles)
        if title is None or number not in ctx.builders:
            continue
        others = {n for t in titles for n in numbers_of[t]}
        if others != {number}:
            continue
        redirect[number] = title
        redirect.update((t, title) for t in titles if t != title)
    return redirect


def _one_title(ctx: ExtractionContext, titles: set[str]) -> str | None:
    """The title these keys name when they are one title and its short forms ("Ley de
    Bases" beside "Ley de Bases de la Descentralización"), else None."""
    present = [t for t in titles if t in ctx.builders]
    if not present:
        return None
    norms = {t: normalize_name(ctx.builders[t].name) for t in present}
    longest = max(present, key=lambda t: len(norms[t]))
    if all(norms[longest].startswith(norms[t]) for t in present):
        return longest
    return None
