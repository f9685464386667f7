"""The last step of extraction: short forms merged, levels and countries settled, entities
with stable ids, facets and context, relations and mentions mapped onto them."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from graph.facets import assign_facets
from graph.model import (
    Entity,
    Extraction,
    Mention,
    Relation,
    entity_id,
)
from graph.normalize import normalize_name
from loaders.extract.candidates import Candidate
from loaders.extract.context import SUBNATIONAL_KINDS, UNIT_KINDS, Builder, ExtractionContext
from loaders.extract.legal_parents import government_place
from loaders.extract.levels import level_from_name
from loaders.extract.referents import singular_key


def _starting_with(
    sorted_norms: list[str], prefix: str, by_norm: dict[str, list[Builder]]
) -> list[Builder]:
    """Builders whose normalised name starts with ``prefix`` (binary search in sorted names)."""
    out: list[Builder] = []
    i = bisect.bisect_left(sorted_norms, prefix)
    while i < len(sorted_norms) and sorted_norms[i].startswith(prefix):
        out += by_norm[sorted_norms[i]]
        i += 1
    return out


def merge_short_forms(ctx: ExtractionContext, base: list[Candidate]) -> None:
    """Merge a name that is the start of exactly one longer name of the same family
    ("Mesa Directiva" → "Mesa Directiva de eLAC2020"), and a person named by a subset of
    another person's names ("Oscar Chamat" → "Oscar Mauricio Chamat Núñez")."""
    builders = ctx.builders
    redirect: dict[str, str] = {}
    by_family: dict[str, list[Builder]] = defaultdict(list)
    for b in builders.values():
        by_family[b.key.split("|", 1)[0]].append(b)
    for family, group in by_family.items():
        norms = {b.key: normalize_name(b.name) for b in group}
        sorted_norms = sorted(set(norms.values()))
        by_norm: dict[str, list[Builder]] = defaultdict(list)
        for b in group:
            by_norm[norms[b.key]].append(b)
        acronyms = {
            b.key: {
                normalize_name(n)
                for n in b.names
                if n.isupper() or any(ch.isupper() for ch in n[1:])
            }
            for b in group
        }
        for short in group:
            if short.from_gazetteer or short.code:
                continue
            short_norm = norms[short.key]
            if family == "Person":
                tokens = short_norm.split()
                longer = [
                    b
                    for b in group
                    if b is not short
                    and len(b.name) > len(short.name)
                    and set(tokens) <= set(norms[b.key].split())
                    and norms[b.key].split()[0] == tokens[0]
                ]
            else:
                longer = _starting_with(sorted_norms, short_norm + " ", by_norm)
            if len(longer) == 1 and len(short_norm.split()) >= 2:
                redirect[short.key] = longer[0].key
                continue
            # "Agenda Digital eLAC2020": the start of a name plus that name's acronym
            words = short_norm.split()
            if family != "Person" and len(words) >= 2:
                head, last = " ".join(words[:-1]), words[-1]
                owners = [
                    b
                    for b in _starting_with(sorted_norms, head + " ", by_norm)
                    if b is not short and last in acronyms[b.key]
                ]
                if len(owners) == 1:
                    redirect[short.key] = owners[0].key
    apply_redirects(ctx, base, redirect)


def apply_redirects(
    ctx: ExtractionContext, base: list[Candidate], redirect: dict[str, str],
    take_names: bool = True,
) -> None:
    """Merge each entity ``old`` of ``redirect`` into ``redirect[old]``: its spans go to the
    target (and, with ``take_names``, its names and the target's empty fields), its aliases
    and candidates point there, and its relations move there (a relation that would tie the
    target to itself is dropped)."""
    builders = ctx.builders
    final: dict[str, str] = {}
    for old, new in redirect.items():
        seen = {old}
        while new in redirect and new not in seen:
            seen.add(new)
            new = redirect[new]
        if new != old:
            final[old] = new
    for old, new in final.items():
        target = builders.get(new)
        source = builders.pop(old, None)
        if target is None or source is None:
            continue
        target.spans += source.spans
        if not take_names:
            continue
        target.names |= source.names
        for attr in ("acronym", "kind", "level", "country", "sector", "code", "objective"):
            if getattr(target, attr) is None:
                setattr(target, attr, getattr(source, attr))
    for key, value in list(ctx.alias_keys.items()):
        if value in final:
            ctx.alias_keys[key] = final[value]
    for cand in base:
        if cand.key in final:
            cand.key = final[cand.key]
    if final:
        moved: dict[str, Relation] = {}
        for rel in ctx.relations.values():
            src = final.get(rel.source, rel.source)
            dst = final.get(rel.target, rel.target)
            if src == dst:
                continue
            new_rel = rel.model_copy(update={"source": src, "target": dst})
            if new_rel.id in moved:
                moved[new_rel.id].add_evidence(new_rel.evidence)
            else:
                moved[new_rel.id] = new_rel
        ctx.relations = moved


def _majority(counts: Counter[str], share: float) -> str | None:
    """The most common value when it has at least 3 votes and ``share`` of them."""
    if not counts:
        return None
    top, n = counts.most_common(1)[0]
    return top if n >= 3 and n >= share * sum(counts.values()) else None


def _default_level(builders: dict[str, Builder]) -> str | None:
    """The document's level for institutions nothing else places: only a clear majority of
    the gazetteer institutions' mentions."""
    votes: Counter[str] = Counter()
    for b in builders.values():
        if b.label == "Institution" and b.from_gazetteer and b.level:
            votes[b.level] += len(b.spans)
    return _majority(votes, 0.6)


def _levels_from_names(builders: dict[str, Builder], country: str | None) -> None:
    """The level a name states (read in the document's country); universities have none."""
    for b in builders.values():
        if b.kind == "university":
            b.level = None  # universities carry no governance level
        if b.label in ("Territory", "Person") or b.level or b.kind == "university":
            continue
        b.level = level_from_name(" ".join(sorted(b.names)), country)


def _levels_from_relations(ctx: ExtractionContext, default_level: str | None) -> None:
    """Levels from the responsible institution, then the parent or the document's level;
    countries from the parent; instruments take their responsible's level."""
    builders = ctx.builders
    parents = {r.source: r.target for r in ctx.relations.values() if r.type == "PART_OF"}
    responsible: dict[str, list[str]] = defaultdict(list)
    for r in ctx.relations.values():
        if r.type in ("RESPONSIBLE_FOR", "CO_RESPONSIBLE_FOR"):
            responsible[r.target].append(r.source)
    for b in builders.values():
        if b.label == "Institution" and not b.level and b.key in responsible:
            levels = [builders[s].level for s in responsible[b.key] if builders[s].level]
            b.level = levels[0] if levels else None  # a body takes its convener's level
    for b in builders.values():
        if b.label == "Institution" and not b.level and b.kind != "university":
            parent = builders.get(parents.get(b.key, ""))
            b.level = parent.level if parent and parent.level else default_level
        if b.label == "Institution" and not b.country and b.key in parents:
            parent = builders.get(parents[b.key])
            b.country = parent.country if parent else None
    for b in builders.values():
        if b.label in ("Instrument", "Program") and not b.level:
            levels = [builders[s].level for s in responsible.get(b.key, []) if builders[s].level]
            b.level = levels[0] if levels else default_level


def settle_levels(ctx: ExtractionContext) -> None:
    """Levels from the gazetteer, the name, the responsible institution, the parent and the
    document's majority; countries from the parent."""
    default_level = _default_level(ctx.builders)
    _levels_from_names(ctx.builders, ctx.country.code)
    _levels_from_relations(ctx, default_level)


def default_country(ctx: ExtractionContext) -> str | None:
    """The document's country: the one its gazetteer matches settled on, else the country of
    its institutions only when it is clearly one country's document."""
    if ctx.country.code is not None:
        return ctx.country.code
    countries = Counter(
        b.country
        for b in ctx.builders.values()
        if b.country and b.label == "Institution" and b.level != "supranational"
        for _ in b.spans
    )
    return _majority(countries, 0.7)


# a government named after its place, with or without "de": Peruvian letterheads write
# "Gobierno Regional San Martín", their prose "Gobierno Regional de San Martín"
_GOVERNMENT_OF = re.compile(
    r"^(?P<head>Gobierno Regional|Municipalidad Provincial|Municipalidad Distrital|"
    r"Municipalidad Metropolitana|Consejo Regional)(?P<de>[ ]+(?:de|del)(?=[ ]))?[ ]+(?P<place>[A-ZÁÉÍÓÚÑ].*)$"
)


def government_spellings(name: str) -> list[str]:
    """The other way of writing a government's name: "Gobierno Regional de Puno" ↔ "Gobierno
    Regional Puno" (none for other names, or for "del Callao", which keeps its article)."""
    m = _GOVERNMENT_OF.match(name)
    if m is None or len(m.group("place").split()) > 4:
        return []
    if m.group("de"):
        if m.group("de").strip() == "del":
            return []
        return [f"{m.group('head')} {m.group('place')}"]
    return [f"{m.group('head')} de {m.group('place')}"]


_PLACED_UNIT_KINDS = UNIT_KINDS | {"council"}
# the governments of a place whose units carry generic names: Peru's regional governments,
# municipalities and regional councils, Chile's and Colombia's governments of a region or a
# department, Mexico's state governments and ayuntamientos, Argentina's provinces
_PLACE_GOVERNMENT = re.compile(
    r"^(?:Gobierno Regional|Municipalidad Provincial|Municipalidad Distrital|"
    r"Municipalidad Metropolitana|Municipalidad|Consejo Regional|Gobierno del Estado|"
    r"Gobierno Provincial|Gobernación|Alcaldía|Ayuntamiento|Intendencia)"
    r"(?:[ ]+(?:de[ ]+la|de|del)(?=[ ]))?[ ]+(?P<place>[A-ZÁÉÍÓÚÑ].*)$"
)


def unit_places(ctx: ExtractionContext) -> dict[str, str]:
    """The place each subnational institution of the document stands in, as its territory.

    "Gerencia Regional de Desarrollo Económico" is a unit of each of Peru's 25 regional
    governments (in ../shared/bulk it is PART_OF 19 of them), and a regional ordinance writes
    "la Dirección Regional de Educación" for its own region's. The place is, in order: the
    subnational territory the name ends with ("Dirección Regional de Educación de Apurímac",
    component ``territories``); for a unit, the place of the government it is PART_OF,
    directly or through another unit; for a unit whose name says it is regional, the place
    of the one regional government the document names. Two regions' units then stay two
    entities across documents (:func:`graph.resolve.resolve` keeps apart what a territory
    tells apart)."""
    builders = ctx.builders
    parents = {r.source: r.target for r in ctx.relations.values() if r.type == "PART_OF"}
    named_in = {
        r.source: builders[r.target].name for r in ctx.relations.values()
        if r.type == "OPERATES_IN" and r.evidence and r.evidence[0].extractor == "name"
        and (builders[r.target].kind or "") in SUBNATIONAL_KINDS
    }
    home = government_place(ctx)
    places: dict[str, str] = {}
    for b in builders.values():
        if b.label != "Institution" or b.kind == "collective":
            continue
        place = named_in.get(b.key)
        if place is None and b.kind in _PLACED_UNIT_KINDS:
            place = _government_place_above(builders, parents, b.key) or (
                home if home and any(_REGIONAL_WORD.search(n) for n in b.names) else None)
        if place:
            places[b.key] = place
    # a council's committee is where its council is
    for b in builders.values():
        parent = parents.get(b.key)
        if b.key not in places and b.kind in _PLACED_UNIT_KINDS and parent in places:
            places[b.key] = places[parent]
    return places


_REGIONAL_WORD = re.compile(r"(?i)\b(?:regional|sub ?regional)\b")


def _government_place_above(builders: dict[str, Builder], parents: dict[str, str],
                            key: str) -> str | None:
    """The place of the subnational government a unit is PART_OF (three steps at most)."""
    seen = {key}
    for _ in range(3):
        parent = builders.get(parents.get(key, ""))
        if parent is None or parent.key in seen:
            return None
        government = _PLACE_GOVERNMENT.match(parent.name)
        if government is not None:
            place = government.group("place")
            # "Consejo Regional del Gobierno Regional de Cusco": the government's place
            inner = _PLACE_GOVERNMENT.match(place)
            return inner.group("place") if inner else place
        key = parent.key
        seen.add(key)
    return None


def _placed_name(name: str, b: Builder, place: str | None) -> str:
    """The name (``b``'s canonical ``name``) a unit's id is made of: with its place when none
    of its names holds it."""
    if not place or any(normalize_name(place) in normalize_name(n) for n in b.names | {b.name}):
        return name
    return f"{name} {place}"


def _entity(
    ctx: ExtractionContext, b: Builder, document_country: str | None, place: str | None = None
) -> Entity:
    """The entity a builder stands for, with its stable id (a unit's with the ``place`` of its
    government, see :func:`unit_places`)."""
    if b.label == "Institution" and b.level in ("supranational",) and b.country is None:
        country = None
    else:
        country = b.country or (
            document_country
            if b.label != "Territory" and b.level in ("national", "regional", "local")
            else None
        )
    name = _canonical_name(b)
    names = set(b.names)
    if b.label == "Institution":
        names |= {v for n in b.names for v in government_spellings(n)}
    eid = entity_id(
        b.label,
        f"{name} {b.code}" if b.code and b.kind == "activity" and len(name) > 60
        else _placed_name(name, b, place),
    )
    context = _context(ctx, b) if b.label == "Institution" else _details(b)
    return Entity(
        id=eid,
        label=b.label,
        name=name,
        aliases=sorted({n for n in names if n != name}),
        acronym=b.acronym,
        kind=b.kind,
        level=b.level if b.label != "Territory" else None,
        country=country,
        sector=b.sector,
        code=b.code,
        objective=b.objective,
        territory=place,
        source="gazetteer" if b.from_gazetteer else None,
        description=context,
        extra=_extra(b),
        **_facets(b, name, context),
    )


def _relations(ctx: ExtractionContext, ids: dict[str, str]) -> list[Relation]:
    """The context's relations between entities, by entity id; the same fact once."""
    merged: dict[str, Relation] = {}
    for r in ctx.relations.values():
        if r.source not in ids or r.target not in ids:
            continue
        new = Relation(
            source=ids[r.source],
            type=r.type,
            target=ids[r.target],
            properties=r.properties,
            evidence=list(r.evidence),
        )
        if new.id in merged:
            merged[new.id].add_evidence(new.evidence)
        else:
            merged[new.id] = new
    return list(merged.values())


def _mentions(ctx: ExtractionContext, ids: dict[str, str]) -> list[Mention]:
    """Each span of each entity inside a passage, once."""
    text = ctx.text
    mentions: list[Mention] = []
    seen: set[tuple[str, int, int]] = set()
    surfaces: dict[str, str] = {}  # one string for each surface form, however often it recurs
    for b in ctx.builders.values():
        for s, e, _src in b.spans:
            passage = ctx.passage_at(s)
            if passage is None or (ids[b.key], s, e) in seen:
                continue
            seen.add((ids[b.key], s, e))
            surface = text[s:e]
            surface = surfaces.setdefault(surface, surface)
            mentions.append(Mention.of(passage.id, ids[b.key], s, e, surface))
    return mentions


def build_extraction(ctx: ExtractionContext) -> Extraction:
    """Entities with stable ids, relations and mentions: the document's Extraction."""
    document_country = default_country(ctx)
    ids: dict[str, str] = {}
    entities: list[Entity] = []
    places = unit_places(ctx)
    for b in ctx.builders.values():
        entity = _entity(ctx, b, document_country, places.get(b.key))
        ids[b.key] = entity.id
        entities.append(entity)
    for ent in entities:
        if "refers_to" in ent.extra:
            ent.extra["refers_to"] = sorted(
                ids[k] for k in ent.extra["refers_to"] if k in ids and ids[k] != ent.id
            )
    relations = _relations(ctx, ids)
    mentions = _mentions(ctx, ids)
    # merge entities that ended with the same id (e.g. singular/plural aliases)
    unique: dict[str, Entity] = {}
    for ent in entities:
        if ent.id in unique:
            unique[ent.id].absorb(ent)
        else:
            unique[ent.id] = ent
    return Extraction(
        document=ctx.document,
        passages=ctx.passages,
        entities=list(unique.values()),
        relations=relations,
        mentions=mentions,
    )


def _context(
    ctx: ExtractionContext, b: Builder, limit: int = 6, max_chars: int = 1500
) -> str | None:
    """What the document says around an institution: its first distinct mention passages.

    It stands for the mandate text of institutions that documents describe rather than
    define, and feeds their facets and the overlap query's text similarity.
    """
    seen: list[str] = []
    for start, _end, _src in sorted(b.spans):
        passage = ctx.passage_at(start)
        if passage is None or "\t" in passage.text or passage.text in seen:
            continue
        seen.append(passage.text)
        if len(seen) >= limit or sum(map(len, seen)) >= max_chars:
            break
    return " ".join(seen)[:max_chars] or None


def _details(b: Builder) -> str | None:
    """An instrument's description: the components and products listed under it."""
    return "; ".join(b.details) or None


def _extra(b: Builder) -> dict[str, object]:
    """Extra properties: the objective of an activity's group, the keys it refers to (mapped
    to entity ids once ids are known)."""
    extra: dict[str, object] = {}
    if b.group_objective:
        extra["group_objective"] = b.group_objective
    if b.refers_to:
        extra["refers_to"] = sorted(b.refers_to)
    return extra


def _facets(b: Builder, name: str, context: str | None = None) -> dict[str, list[str]]:
    """Themes, target groups and support types: of an instrument or programme from its own
    name and objective, of an institution from what the document says around it."""
    if b.label == "Institution":
        facets = assign_facets(context)
        return {"themes": facets.themes, "target_groups": facets.target_groups}
    if b.label not in ("Instrument", "Program"):
        return {}
    facets = assign_facets(name, b.objective, context)
    return {
        "themes": facets.themes,
        "target_groups": facets.target_groups,
        "support_types": facets.support_types,
    }


def _canonical_name(b: Builder) -> str:
    """The entity's display name: the gazetteer's, else the longest non-acronym form seen
    (its singular when it was written in both numbers)."""
    if b.from_gazetteer or b.code:
        return b.name
    forms = [n for n in b.names if not n.isupper() or len(n) > 12]
    return max(
        forms or [b.name],
        key=lambda n: (len(n) <= 160, len(singular_key(n)), singular_key(n) == normalize_name(n), n),
    )
