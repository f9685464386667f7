"""A generic body the gazetteer knows ("Consejo regional") that a document names only in the
singular is that document's own body of that kind ("Consejo Regional del Gobierno Regional de
Apurímac", "Consejo Regional Puno"): Peruvian ordinances, 1,463 of them in ../shared/bulk,
write "el Consejo Regional" for the council of the one regional government they come from.

The specific body is a name that starts with the generic one and continues with a place the
document names or with the government it belongs to; when several such names point to one
place ("Consejo Regional de Ucayali", "Consejo Regional del Gobierno Regional de Ucayali")
they are one body too. Nothing is merged when the names point to two places, or when the
document writes the plural ("los consejos regionales"), which means the collective.
"""

from __future__ import annotations

import re

from graph.normalize import normalize_name
from loaders.extract.context import Builder, ExtractionContext

_GENERIC_KINDS = {"council", "collective", "regional_government", "municipality"}
_GOVERNMENT = re.compile(
    r"^(?:de la |del |de )?(?:gobierno regional|municipalidad provincial|municipalidad|"
    r"region)(?: de la| del| de)? (?P<place>.+)$"
)
_GOVERNMENT_IN = re.compile(
    r"\b(?:gobierno regional|municipalidad provincial|municipalidad)(?: de la| del| de)? "
    r"(?P<place>.+)$"
)
_PREPOSITION = re.compile(r"^(?:de la |del |de |en )")


def _place_of(rest: str, places: set[str]) -> str | None:
    """The place the rest of a name points to: a territory of the document or the place of
    one of its governments ("Puno", "de Ucayali"), or the government it names ("del Gobierno
    Regional de Apurímac" → apurimac)."""
    words = _PREPOSITION.sub("", rest)
    if words in places:
        return words
    government = _GOVERNMENT.match(rest)
    return government.group("place") if government else None


def _places(builders: list[Builder]) -> set[str]:
    """The document's territories and the places its governments are named after."""
    places: set[str] = set()
    for b in builders:
        if b.label == "Territory":
            places |= {normalize_name(n) for n in b.names | {b.name}}
        elif b.label == "Institution":
            government = _GOVERNMENT_IN.search(normalize_name(b.name))
            if government:
                places.add(government.group("place"))
    return places


def _singular_only(ctx: ExtractionContext, builder: Builder) -> bool:
    first = normalize_name(builder.name).split()[0]
    return bool(builder.spans) and all(
        normalize_name(ctx.text[s:e]).split()[:1] == [first] for s, e, _ in builder.spans
    )


def generic_referents(ctx: ExtractionContext) -> tuple[dict[str, str], dict[str, str]]:
    """``{generic key: specific key}`` for this document's generic bodies, and
    ``{specific key: longest key}`` for the specific names of one place."""
    builders = list(ctx.builders.values())
    places = _places(builders)
    redirect: dict[str, str] = {}
    same_body: dict[str, str] = {}
    for generic in builders:
        if not (
            generic.from_gazetteer and generic.label == "Institution"
            and (generic.kind or "") in _GENERIC_KINDS and _singular_only(ctx, generic)
        ):
            continue
        head = normalize_name(generic.name)
        by_place: dict[str, list[Builder]] = {}
        for b in builders:
            norm = normalize_name(b.name)
            if b is generic or b.label != "Institution" or not norm.startswith(head + " "):
                continue
            place = _place_of(norm[len(head) + 1 :], places)
            if place is not None:
                by_place.setdefault(place, []).append(b)
        if len(by_place) != 1:
            continue
        same = next(iter(by_place.values()))
        target = max(same, key=lambda b: len(b.name))
        redirect[generic.key] = target.key
        same_body.update((b.key, target.key) for b in same if b is not target)
    return redirect, same_body


_PLURAL_ES = re.compile(r"(?<=[lrndzj])es$")


def singular_key(name: str) -> str:
    """A name with each word in the singular ("Consejos Estatales para la Competitividad" →
    "consejo estatal para la competitividad"), to find one name written in both numbers."""
    words = []
    for word in normalize_name(name).split():
        if len(word) > 4 and _PLURAL_ES.search(word):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def _is_singular(name: str) -> bool:
    first = normalize_name(name).split()[0]
    return singular_key(first) == first


_PLACE_PHRASE = re.compile(
    r" (?:para|de|en) (?:el |la )?(?:departamento|region|provincia|estado)(?: de| del)? "
    r"(?P<place>\w.*)$"
)


def variant_key(name: str) -> str:
    """:func:`singular_key` with the place said one way: "Agencia Regional de Desarrollo para
    el Departamento de Huancavelica", "... de la Región de Huancavelica" and "... de la Región
    Huancavelica" → "agencia regional de desarrollo de huancavelica"."""
    return _PLACE_PHRASE.sub(r" de \g<place>", singular_key(name))


def name_variants(ctx: ExtractionContext) -> dict[str, str]:
    """``{key: key of the same name written another way}``: "Consejos Estatales X" and
    "Consejo Estatal X" of one document are one institution, and so are one name with its
    place said two ways (:func:`variant_key`); the one written more often keeps its name.
    Names of three words or more only, gazetteer entries left alone."""
    groups: dict[tuple[str, str], list[Builder]] = {}
    for b in ctx.builders.values():
        if b.label == "Territory" or b.label == "Person" or b.from_gazetteer:
            continue
        if len(b.name.split()) < 3:
            continue
        family = "Institution" if b.label == "Institution" else "Instrument"
        groups.setdefault((family, variant_key(b.name)), []).append(b)
    redirect: dict[str, str] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        # the singular names the body ("Consejo Estatal X"); then the one written most
        keep = max(group, key=lambda b: (_is_singular(b.name), len(b.spans), -len(b.name)))
        redirect.update((b.key, keep.key) for b in group if b is not keep)
    return redirect
