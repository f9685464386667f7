"""The document's country, and gazetteer matches read in it.

Many names exist in several countries ("Ministerio de Hacienda", "Consejo Regional",
"Secretaría de Economía", the department "La Unión", the acronym "INIA"). The gazetteer
matcher offers every entry a span names; which one the document means depends on where the
document is from. The document's country is the one its unambiguous matches point to (places,
institutions only one country has, the country's own name); once it is known:

- of several entries one span names, those of the document's country (or of no country, the
  international bodies) are kept;
- a name that only another country's entry carries, in a document that never names that
  other country, is the document's own body (or plan, fund...) of that name: it keeps its
  kind (a generic term also its level and its singular and plural forms) and takes the
  document's country;
- an acronym or a place that only another country's entry carries, in a document that never
  names that country, is dropped: it means something else here.

A document whose matches point to no clear majority (a regional comparison, an international
report) keeps every match as it is.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from graph.gazetteer import country_code
from loaders.extract.candidates import Candidate


class _HasCountry(Protocol):
    name: str
    kind: str | None
    country: str | None


E = TypeVar("E", bound=_HasCountry)

# A clear majority: at least this many entries voting, this share of them, and twice the
# runner-up (a Peruvian ordinance citing a Chilean law keeps Peru).
MIN_VOTES = 3
MIN_SHARE = 0.6
MAX_VOTES_PER_ENTRY = 5  # a name repeated throughout a text is not more evidence than that


@dataclass
class DocumentCountry:
    """The document's country (None when unclear) and every country the document names."""

    code: str | None = None
    named: set[str] = field(default_factory=set)

    def fits(self, country: str | None) -> bool:
        """Whether an entry of ``country`` can be meant in this document."""
        return country is None or self.code is None or country == self.code or country in self.named

    def pick(self, entries: Sequence[E]) -> E | None:
        """Of gazetteer entries sharing one name, the one this document means: of its country,
        else of no country, else of a country it names, else a generic term of another
        country read as the document's own (the first one when the document's country is
        unknown); None when none fits."""
        if self.code is None:
            return entries[0] if entries else None
        for wanted in (self.code, None):
            for entry in entries:
                if entry.country == wanted:
                    return entry
        named = next((e for e in entries if self.fits(e.country)), None)
        if named is not None:
            return named
        generic = next((e for e in entries if _generic(e)), None)
        return replace(generic, country=self.code) if generic is not None else None


def _by_span(cands: list[Candidate]) -> dict[tuple[int, int], list[Candidate]]:
    groups: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
    for cand in cands:
        groups[(cand.start, cand.end)].append(cand)
    return groups


def document_country(cands: list[Candidate], text: str = "") -> DocumentCountry:
    """The country the gazetteer matches ``cands`` point to, when one clearly dominates.

    A span that no longer match contains votes for its entry's country when no entry of
    another country carries that span and the entry is a proper name (generic terms such as
    "Consejo regional" and collective actors exist everywhere); an entry gives at most five
    votes however often it is named, and one when it is only ever written as an acronym
    ("MOP" in a Peruvian ordinance is not Chile's ministry). Countries named as such ("Perú")
    are recorded as named.
    """
    spans: Counter[tuple[str, str]] = Counter()
    acronyms: set[tuple[str, str]] = set()
    named: set[str] = set()
    for group in _outermost(_by_span(cands)):
        countries = {c.country for c in group}
        if len(countries) != 1 or None in countries or all(_generic(c) for c in group):
            continue
        country = group[0].country or ""
        spans[(country, group[0].name)] += 1
        if _acronym_only(group[0], text):
            acronyms.add((country, group[0].name))
        else:
            acronyms.discard((country, group[0].name))
        if any(c.label == "Territory" and c.kind == "country" for c in group):
            named.add(country)
    votes: Counter[str] = Counter()
    for entry, n in spans.items():
        votes[entry[0]] += 1 if entry in acronyms else min(n, MAX_VOTES_PER_ENTRY)
    ranked = votes.most_common(2)
    if not ranked:
        return DocumentCountry(None, named)
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    clear = n >= MIN_VOTES and n >= MIN_SHARE * sum(votes.values()) and n >= 2 * second
    return DocumentCountry(top if clear else None, named)


def _common_noun(name: str) -> bool:
    """Whether a gazetteer name is a common noun ("Consejo regional", "municipalidades"): the
    shipped files write generic terms in sentence case, and those exist in many countries."""
    words = name.split()
    return name.islower() or (len(words) > 1 and sum(ch.isupper() for ch in name) == 1)


def _outermost(
    groups: dict[tuple[int, int], list[Candidate]],
) -> list[list[Candidate]]:
    """The groups whose span lies inside no other group's span ("Central" inside "Banco
    Central de Chile" names no Paraguayan department)."""
    out: list[list[Candidate]] = []
    reach = -1
    for (_start, end), group in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if end <= reach:
            continue
        reach = end
        out.append(group)
    return out


def _generic(cand: _HasCountry) -> bool:
    """A generic term or collective actor ("Consejo regional", "Alcaldías"), which exists in
    every country whatever the entry's country."""
    return cand.kind == "collective" or _common_noun(cand.name)


def _acronym_only(cand: Candidate, text: str) -> bool:
    """Whether the match is an acronym written in capitals ("MOP", "SGP"): three letters mean
    different bodies in different countries, so an acronym entry votes once."""
    surface = text[cand.start : cand.end]
    return bool(text) and " " not in surface and surface.isupper()


def _is_acronym(cand: Candidate, text: str) -> bool:
    """Whether the match is a one-word form (an acronym such as INIA, or a single name)."""
    return " " not in text[cand.start : cand.end].strip()


def _names_a_place(cand: Candidate) -> bool:
    """Whether a generic entry's name holds a proper name after its first word ("Demarcaciones
    territoriales de la Ciudad de México"): a term of that one country, which another
    country's document never means ("Ordenamiento y Demarcación Territorial" in Peru)."""
    return _generic(cand) and any(w[:1].isupper() for w in cand.name.split()[1:])


def _as_own(cand: Candidate, text: str, country: str) -> Candidate:
    """Another country's entry read as the document's own body of that name: a generic term
    ("Consejo regional") keeps its forms, kind and level; a proper name keeps only its words
    and kind (its level comes from the document: its name, its parent, the majority)."""
    if _generic(cand):
        return replace(cand, country=country)
    return replace(
        cand, name=text[cand.start : cand.end], source="pattern", country=country,
        acronym=None, aliases=[], parent=None, confidence=min(cand.confidence, 0.85),
        # the tier of another country's body says nothing of this one's: Honduras's national
        # "Secretaría de Desarrollo Económico" is a Colombian department's secretariat
        level=None,
    )


# A document's metadata may say where it is from: a front-matter "country: pe" (1,463 bulk
# ordinances), or the address it was taken from ("source_url: https://nuevo.leychile.cl/...",
# "[[source:https://www.undp.org/es/paraguay/blog/...]]").
_DECLARED = re.compile(
    r"(?mi)^[ \t>*_\[]*(?:country|pa[ií]s)[ \t]*:[ \t]*[\"']?(?P<value>[^\W\d_][\w ]{1,29}?)[\"']?[ \t]*$"
)
_SOURCE = re.compile(
    r"(?mi)^[ \t>*_\[]*(?:source(?:_url)?|url|fuente|enlace)[ \t]*:[ \t]*(?:>-?[ \t]*\n[ \t]*)?"
    r"(?P<url>https?://[^\s\]>)\"']+)"
)
_METADATA_SPAN = 4000  # front matter and title block


def declared_country(text: str) -> str | None:
    """The country the document's metadata states: a "country:" / "país:" field, else the
    country-code domain of its source address, else a country named as a path segment of
    that address ("/es/paraguay/blog/")."""
    head = text[:_METADATA_SPAN]
    declared = _DECLARED.search(head)
    if declared is not None and (code := country_code(declared.group("value"))):
        return code
    source = _SOURCE.search(head)
    if source is None:
        return None
    parts = urlsplit(source.group("url"))
    tld = (parts.hostname or "").rsplit(".", 1)[-1]
    if len(tld) == 2 and (code := country_code(tld)):
        return code
    for segment in parts.path.split("/"):
        if len(segment) >= 4 and (code := country_code(segment.replace("-", " "))):
            return code
    return None


def settle_countries(cands: list[Candidate], text: str) -> tuple[list[Candidate], DocumentCountry]:
    """Gazetteer matches ``cands`` of ``text`` read in the document's country (module doc):
    the country its metadata declares, else the one its matches point to."""
    where = document_country(cands, text)
    declared = declared_country(text)
    if declared is not None:
        where = DocumentCountry(declared, where.named | {declared})
    if where.code is None:
        return cands, where
    out: list[Candidate] = []
    for group in _by_span(cands).values():
        fitting = [c for c in group if where.fits(c.country)]
        if fitting:
            out += fitting
            continue
        first = group[0]
        if first.label != "Territory" and not _is_acronym(first, text) and not _names_a_place(first):
            out.append(_as_own(first, text, where.code))
    out.sort(key=lambda c: c.start)
    return out, where
