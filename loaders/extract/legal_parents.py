"""Parents that the structure of public administration gives a unit, read from its name.

- "Secretaría Técnica del Consejo Nacional de Competitividad": a generic unit named after
  another institution of the document is PART_OF it (151 files of ``../shared/bulk`` name a
  "Secretaría Técnica de/del ...");
- in a document about one regional government, its gerencias, sub-gerencias, regional
  offices and regional council are PART_OF it ("Gerencia Regional de" occurs in 890 of the
  1,463 Peruvian regional texts); the sectoral "Direcciones Regionales" are left alone, since
  they answer to a gerencia as much as to the government;
- a council's "Comisión Ordinaria" is PART_OF that council (344 files);
- "Subsecretaría del Trabajo" is PART_OF the "Ministerio del Trabajo y Previsión Social" the
  document names: the words after "Subsecretaría de" begin the ministry's, or the other way
  round (136 files of ``../shared/bulk`` name a subsecretaría; "Viceministerio de" likewise);
- a unit whose name ends with the name of another institution of the document ("Consejo de
  Ministros de la Comisión Nacional de Riego", "Servicio Administrativo del Gobierno Regional de
  la Región de Ñuble" beside "Gobierno Regional de Ñuble") is PART_OF it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.normalize import normalize_name
from loaders.extract.context import Builder, ExtractionContext
from loaders.extract.legal_names import is_organ
from loaders.extract.patterns import head_info
from loaders.extract.referents import variant_key

_GENERIC_UNIT_OF = re.compile(
    r"^(?:Secretar[íi]a (?:T[ée]cnica|Ejecutiva|General)|Direcci[óo]n Ejecutiva|"
    r"Gerencia General|Comit[ée] (?:Directivo|Ejecutivo|Consultivo|T[ée]cnico)|"
    r"Consejo (?:Directivo|Consultivo)|Presidencia|Asamblea General|Unidad Ejecutora)"
    r" (?:de la|del|de los|de las|de) (?P<parent>.+)$"
)
_REGIONAL_GOVERNMENT = re.compile(r"^Gobierno Regional (?:de |del )?(?P<place>[A-ZÁÉÍÓÚÑ].+)$")
_REGIONAL_UNIT = re.compile(
    r"^(?:Gerencia (?:General )?Regional|Sub ?[Gg]erencia|Oficina Regional|Consejo Regional|"
    r"Autoridad Regional|Procuradur[íi]a P[úu]blica Regional|Ejecutivo Regional)\b"
)
_COUNCIL_COMMITTEE = re.compile(r"^Comisi[óo]n (?:Ordinaria|Permanente|Especial)\b")
_COUNCIL = re.compile(r"^(?:Consejo Regional|Concejo Municipal|Concejo Provincial|Concejo Distrital)\b")


def _institutions(ctx: ExtractionContext) -> list[Builder]:
    return [b for b in ctx.builders.values() if b.label == "Institution"]


def _relate_by_name(ctx: ExtractionContext, child: Builder, parent: Builder) -> None:
    start, end, _ = child.spans[0]
    ctx.relate(child.key, "PART_OF", parent.key, start, end, "unit name", 0.65)


def generic_units(ctx: ExtractionContext) -> None:
    """ "Secretaría Técnica del X" is PART_OF X when X is an institution of the document."""
    for builder in _institutions(ctx):
        m = _GENERIC_UNIT_OF.match(builder.name)
        if m is None:
            continue
        key = ctx.alias_keys.get(f"Institution|{normalize_name(m.group('parent'))}")
        if key and key != builder.key:
            _relate_by_name(ctx, builder, ctx.builders[key])


def _single(builders: list[Builder]) -> Builder | None:
    return builders[0] if len(builders) == 1 else None


def own_body_named(ctx: ExtractionContext, head: str) -> Builder | None:
    """The body of kind ``head`` ("Gobierno Regional") a document means when it names the kind
    alone: of the institutions whose names begin with the head and say more, the one named
    most often (none when the document names none)."""
    named = [b for b in ctx.builders.values()
             if b.label == "Institution" and b.name.startswith(head) and len(b.name) > len(head)
             and b.kind != "collective" and not is_organ(b.name)]
    return max(named, key=lambda b: len(b.spans)) if named else None


def government_place(ctx: ExtractionContext) -> str:
    """The place of the one regional government a document names ("" if none or several)."""
    governments = [b for b in _institutions(ctx) if _REGIONAL_GOVERNMENT.match(b.name)]
    if len(governments) != 1:
        return ""
    return _REGIONAL_GOVERNMENT.match(governments[0].name).group("place")  # type: ignore[union-attr]


def is_council_of(name: str, place: str) -> bool:
    """ "Consejo Regional", "Consejo Regional Puno", "Consejo Regional del Gobierno Regional
    de Puno": the government's own council, not a sectoral one (COREMYPE)."""
    rest = normalize_name(re.sub(r"^Consejo Regional", "", name, flags=re.IGNORECASE))
    rest = re.sub(r"^(?:de |del )", "", rest)
    return rest in ("", normalize_name(place)) or rest.startswith("gobierno regional")


def regional_structure(ctx: ExtractionContext) -> None:
    """Units of the one regional government a document is about are PART_OF it; a council's
    committees are PART_OF the council."""
    institutions = _institutions(ctx)
    government = _single([b for b in institutions if _REGIONAL_GOVERNMENT.match(b.name)])
    place = government_place(ctx)
    if government is not None:
        for unit in institutions:
            if unit.name.startswith("Consejo Regional") and not is_council_of(unit.name, place):
                continue
            has_parent = any(
                r.source == unit.key and r.type == "PART_OF" for r in ctx.relations.values()
            )
            if unit is not government and _REGIONAL_UNIT.match(unit.name) and not has_parent:
                _relate_by_name(ctx, unit, government)
    councils = [
        b for b in institutions
        if _COUNCIL.match(b.name) and len(b.name.split()) > 2
        and (not b.name.startswith("Consejo Regional") or is_council_of(b.name, place))
    ]
    council = _single(councils)
    if council is not None:
        for committee in institutions:
            if _COUNCIL_COMMITTEE.match(committee.name):
                _relate_by_name(ctx, committee, council)


_UNDER_MINISTRY = re.compile(r"^(?:Subsecretar[íi]a|Viceministerio) (?:de la|del|de) (?P<field>.+)$")
_MINISTRY = re.compile(r"^Ministerio (?:de la|del|de) (?P<field>.+)$")


def _field_words(field: str) -> list[str]:
    return [w for w in normalize_name(field).split() if w not in ("y", "e", "de", "del", "la")]


def undersecretariats(ctx: ExtractionContext) -> None:
    """ "Subsecretaría de Educación Superior" is PART_OF the document's "Ministerio de
    Educación": one field's words begin the other's."""
    ministries = []
    for builder in _institutions(ctx):
        m = _MINISTRY.match(builder.name)
        if m is not None:
            ministries.append((_field_words(m.group("field")), builder))
    if not ministries:
        return
    for builder in _institutions(ctx):
        m = _UNDER_MINISTRY.match(builder.name)
        if m is None:
            continue
        words = _field_words(m.group("field"))
        parents = [
            ministry for field, ministry in ministries
            if words and field and (words[: len(field)] == field or field[: len(words)] == words)
        ]
        if len(parents) == 1:
            _relate_by_name(ctx, builder, parents[0])


_OWNER_LINK = re.compile(r" (?:de la|de los|de las|del|de) ")


def owner_names(name: str) -> Iterator[str]:
    """The institution names that end ``name`` after "de"/"del", longest first: "Reglamento
    Interno del Consejo Regional del Cusco" → "Consejo Regional del Cusco"."""
    for link in _OWNER_LINK.finditer(name):
        owner_name = name[link.end():]
        info = head_info(owner_name)
        if info is not None and info.label == "Institution":
            yield owner_name


def _named_owner(name: str, by_name: dict[str, Builder]) -> Builder | None:
    """The institution of the document whose name, said in any of its ways
    (:func:`loaders.extract.referents.variant_key`), ends ``name`` after "de"/"del"."""
    for owner_name in owner_names(name):
        if " " not in owner_name.strip():
            continue  # a head alone names no owner: "Ministerio Secretaría General de Gobierno"
        owner = by_name.get(variant_key(owner_name))
        if owner is not None:
            return owner
    return None


def owners_in_names(ctx: ExtractionContext) -> None:
    """ "Consejo de Ministros de la Comisión Nacional de Riego" is PART_OF the "Comisión
    Nacional de Riego" the document names; an instrument named after its owner ("Reglamento
    de Organización y Funciones del Consejo Regional", "Plan Estratégico Institucional de la
    Municipalidad Provincial de Tacna", "catastro público de aguas de la Dirección General de
    Aguas") is that owner's: RESPONSIBLE_FOR."""
    institutions = _institutions(ctx)
    by_name: dict[str, Builder] = {}
    for builder in institutions:
        for name in builder.names | {builder.name}:
            by_name.setdefault(variant_key(name), builder)
    for builder in institutions:
        owner = _named_owner(builder.name, by_name)
        if owner is not None and owner is not builder:
            _relate_by_name(ctx, builder, owner)
    for builder in ctx.builders.values():
        if builder.label not in ("Instrument", "Program") or builder.kind == "law":
            continue
        owner = _named_owner(builder.name, by_name)
        if owner is not None:
            start, end, _ = builder.spans[0]
            ctx.relate(owner.key, "RESPONSIBLE_FOR", builder.key, start, end, "owner name", 0.6)


def unit_parents(ctx: ExtractionContext) -> None:
    """Every parent this module reads from names."""
    generic_units(ctx)
    undersecretariats(ctx)
    owners_in_names(ctx)
    regional_structure(ctx)
