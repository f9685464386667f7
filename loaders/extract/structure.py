"""Relations read from a document's structure: section headings with codes, speaker roles,
responsibility tables, event header blocks, units named with their parent."""

from __future__ import annotations

import bisect
import re

from graph.normalize import name_key
from loaders.extract.candidates import Candidate
from loaders.extract.cells import cell_actors, country_after
from loaders.extract.context import Builder, ExtractionContext, candidate_from_entry
from loaders.extract.lexicon import Lexicon
from loaders.extract.patterns import (
    INSTITUTION_HEADS,
    head_info,
)
from loaders.extract.referents import singular_key
from loaders.extract.speakers import (
    ROLE_INSTITUTIONS,
)
from loaders.extract.tables import Cell, split_activities, sublist_items

_SECTION_HEADING = re.compile(
    r"^[ \t]*(?P<head>PROYECTO|Proyecto|PROGRAMA|Programa|Subprograma|SUBPROGRAMA|Componente|"
    r"COMPONENTE|Actividad|ACTIVIDAD)[ \t]+(?P<code>(?:[IVX]{1,4}|\d{1,3})(?:\.\d{1,3}){0,3})\.?"
    r"[ \t]+(?P<name>[^\n]{3,200})$",
    re.MULTILINE,
)


_ACRONYM_AFTER = re.compile(r"[ \t]*\([A-ZÁÉÍÓÚÑ][\w&\-]{1,15}\)")


# a unit whose own words are generic is named by its parent: "Consejo Regional", "Secretaría
# Técnica", "Dirección Ejecutiva", "Gerencia General", "Comité Directivo"
_GENERIC_UNIT = re.compile(
    r"(?:Consejo|Concejo|Secretar[íi]a|Direcci[óo]n|Gerencia|Comit[ée]|Comisi[óo]n|Junta|"
    r"Oficina|Unidad|Asamblea|Presidencia)[ \t]+(?:Regional|Municipal|T[ée]cnica|Ejecutiva|"
    r"General|Directivo|Directiva|Consultivo|Ejecutivo|Permanente|Nacional|Provincial|Distrital)"
)


# an organ every body of its kind has: "Consejo de Ministros de la Comisión Nacional de Riego",
# "Secretaría Técnica del Consejo Nacional de Competitividad" are named with their body
_OWNED_ORGAN = re.compile(
    r"(?:Consejo[ \t]+de[ \t]+Ministros|Secretar[íi]a[ \t]+(?:T[ée]cnica|Ejecutiva)|"
    r"Consejo[ \t]+(?:Directivo|Consultivo)|Comit[ée][ \t]+(?:Directivo|Ejecutivo|T[ée]cnico)|"
    r"Direcci[óo]n[ \t]+Ejecutiva|Junta[ \t]+Directiva)$"
)


def split_units(
    text: str, pattern_cands: list[Candidate], anchors: list[Candidate], lexicon: Lexicon
) -> tuple[list[Candidate], list[tuple[Candidate, Candidate]]]:
    """Cut pattern names that swallowed another known entity: "X de SUBDERE", "A y el B"."""
    out: list[Candidate] = []
    owners: list[tuple[Candidate, Candidate]] = []
    anchors = sorted(anchors, key=lambda a: a.start)
    anchor_starts = [a.start for a in anchors]
    for cand in pattern_cands:
        lo = bisect.bisect_right(anchor_starts, cand.start)
        hi = bisect.bisect_left(anchor_starts, cand.end)
        inner = [
            a
            for a in anchors[lo:hi]
            if cand.start < a.start
            and cand.end - 1 <= a.end <= cand.end + 1
            and a.label == "Institution"
        ]
        cut_done = False
        for anchor in sorted(inner, key=lambda a: a.start):
            between = text[cand.start : anchor.start]
            m = re.search(r"\s+(?:de|del|de la|de los|de las)\s+$", between)
            m_and = re.search(r"(?:\s+(?:y|e)(?:\s+(?:el|la|los|las))?|,)\s+$", between)
            if m and cand.kind in ("law", "regulation"):
                out.append(cand)  # "Ley Orgánica de Gobiernos Regionales": its subject
                cut_done = True
                break
            if m:
                head = Candidate(
                    cand.start,
                    cand.start + m.start(),
                    cand.label,
                    text[cand.start : cand.start + m.start()],
                    cand.source,
                    kind=cand.kind,
                    confidence=cand.confidence,
                )
                if len(head.name.split()) >= 2 and lexicon.lookup(cand.name) is None:
                    if (
                        _ACRONYM_AFTER.match(text, cand.end)
                        or _GENERIC_UNIT.fullmatch(head.name)
                        or _OWNED_ORGAN.match(head.name)
                    ):
                        # "Secretaría Permanente del SELA (SP-SELA)": the whole name is defined;
                        # "Consejo Regional del Gobierno Regional de Apurímac": a generic unit
                        # is named by its parent, so the whole name is the unit's
                        out.append(cand)
                        owners.append((cand, anchor))
                    else:
                        # the name with its owner stays an alias: "Dirección de Presupuestos
                        # del Ministerio de Hacienda" is how a reader may look it up
                        head.aliases = [re.sub(r"\s+", " ", text[cand.start : cand.end])]
                        out.append(head)
                        owners.append((head, anchor))
                    cut_done = True
                    break
            elif m_and:
                head_name = text[cand.start : cand.start + m_and.start()]
                if len(head_name.split()) >= 2:
                    out.append(
                        Candidate(
                            cand.start,
                            cand.start + len(head_name),
                            cand.label,
                            head_name,
                            cand.source,
                            kind=cand.kind,
                            confidence=cand.confidence,
                        )
                    )
                    cut_done = True
                    break
        if not cut_done:
            out.append(cand)
    return out, owners


def strip_country_suffix(cand: Candidate, lexicon: Lexicon) -> Candidate:
    """ "Subsecretaría de ... de Chile" is the gazetteer's entry when the rest is."""
    m = re.match(r"^(?P<base>.+?) (?:de|del) (?P<place>[A-ZÁÉÍÓÚÑ][\w ]+)$", cand.name)
    if m:
        entry = lexicon.lookup(m.group("base"))
        place = lexicon.lookup(m.group("place"))
        if (
            entry is not None
            and place is not None
            and place.label == "Territory"
            and place.kind == "country"
        ):
            new = candidate_from_entry(cand, entry)
            new.source = "pattern"
            return new
    return cand


def marked_context_label(text: str, start: int) -> bool:
    """Whether a marked name follows a programme noun ("el programa ... [Chile Apoya]")."""
    before = text[max(0, start - 60) : start].lower()
    return bool(re.search(r"\b(?:programa|proyecto|iniciativa|plan)\b[^.]{0,50}$", before))


def section_headings(text: str) -> list[Candidate]:
    """Coded headings: "PROYECTO I.1. Name" is a Program, "Actividad I.1.1 Name" an Instrument."""
    out: list[Candidate] = []
    for m in _SECTION_HEADING.finditer(text):
        head = m.group("head").lower()
        name = re.split(r"(?<=[a-záéíóú])\.\s", m.group("name").strip())[0].strip(" .")
        if not name:
            continue
        label = "Instrument" if head == "actividad" else "Program"
        kind = "activity" if head == "actividad" else head
        start = m.start("name")
        out.append(
            Candidate(
                start,
                start + len(name),
                label,
                name,
                "structure",
                code=m.group("code"),
                kind=kind,
                confidence=0.8,
            )
        )
    return out


def role_institutions(ctx: ExtractionContext, offset: int, rest: str) -> list[Candidate]:
    """Institutions a role names: "Alcalde de X" is Municipalidad de X (X a territory)."""
    out: list[Candidate] = []
    for pattern, template, kind, level in ROLE_INSTITUTIONS:
        for m in pattern.finditer(rest):
            groups = {k: v for k, v in m.groupdict().items() if v}
            name = template.format(**{"prep": "de", **groups}).strip()
            cand = Candidate(
                offset + m.start(),
                offset + m.end(),
                "Institution",
                name,
                "role",
                kind=kind,
                level=level,
                confidence=0.7,
            )
            cand.aliases = [groups.get("place", "")] if kind == "municipality" else []
            entry = ctx.lexicon.lookup(name)
            if entry is not None:
                cand = candidate_from_entry(cand, entry)
            ctx.add(cand)
            out.append(cand)
            place = groups.get("place")
            if place and kind == "municipality":
                p_start = offset + m.start("place")
                known = ctx.lexicon.lookup(place)
                territory = Candidate(
                    p_start,
                    p_start + len(place),
                    "Territory",
                    place,
                    "gazetteer",
                    kind="commune",
                    confidence=0.6,
                )
                if known is not None and known.label == "Territory":
                    territory = candidate_from_entry(territory, known)
                ctx.add(territory)
    return out


_TRAILING_ORG = re.compile(
    r"\b(?:de|del|en)\s+(?P<org>[A-ZÁÉÍÓÚÑ][\w&.\-]+(?:\s+(?:(?:de|del|y|e|la|las|los|para)\s+)?"
    r"[A-ZÁÉÍÓÚÑ][\w&.\-]+)*)\s*(?:\([^()]*\))?\s*$"
)


def trailing_organisation(ctx: ExtractionContext, offset: int, rest: str) -> list[Candidate]:
    """ "Presidente y CEO de Volkswagen Latinoamérica": the organisation that ends a role."""
    out: list[Candidate] = []
    for part in re.finditer(r"[^,;]+", rest):
        seg = part.group()
        m = None
        for prep in reversed(list(re.finditer(r"\b(?:de|del|en)\s", seg))):
            m = _TRAILING_ORG.match(seg, prep.start())
            if m:
                break
        if m is None:
            continue
        name = m.group("org").strip()
        entry = ctx.lexicon.lookup(name)
        if entry is not None and entry.label == "Territory":
            continue
        start = offset + part.start() + m.start("org")
        cand = Candidate(start, start + len(name), "Institution", name, "role", confidence=0.6)
        if entry is not None:
            cand = candidate_from_entry(cand, entry)
        ctx.add(cand)
        out.append(cand)
    return out


def document_programme(ctx: ExtractionContext, base: list[Candidate]) -> str | None:
    """The programme the document is about: a programme named in its first lines."""
    head_end = min(len(ctx.text), 1200)
    for cand in base:
        if cand.start < head_end and cand.label == "Program" and cand.key:
            return cand.key
    return None


def table_row(ctx: ExtractionContext, row, base: list[Candidate], programme: str | None) -> None:  # type: ignore[no-untyped-def]
    """Activities of one responsibility-table row, and who is responsible and co-responsible."""
    activity_cell = row.cells.get("activity")
    if activity_cell is None or not activity_cell.text:
        return
    objective = row.cells.get("objective")
    targets: list[Builder] = []
    starts: list[int] = []
    for act in split_activities(activity_cell):
        if len(act.name) < 4:
            continue
        if act.code is None:
            act_name = re.sub(r"^\d{1,3}[.)]\s*", "", act.name)
            info = head_info(act_name)
            label = info.label if info else "Instrument"
            kind = info.kind if info else "activity"
            start = act.end - len(act_name)
            cand = Candidate(start, act.end, label, act_name, "table", kind=kind, confidence=0.8)
        else:
            cand = Candidate(
                act.start,
                act.end,
                "Instrument",
                act.name,
                "table",
                kind="activity",
                code=act.code,
                confidence=0.85,
            )
        cand.key = f"Instrument|code:{act.code}" if act.code else None
        b = ctx.add(cand)
        if objective is not None and objective.text and not b.group_objective:
            # the objective column states the goal the row's group of activities serves; an
            # activity's own text is its name (kept apart so that siblings do not look alike)
            b.group_objective = re.sub(r"^\d{1,3}[.)]\s*", "", objective.text)
        targets.append(b)
        starts.append(act.start)
        b.refers_to |= {
            c.key
            for c in base
            if c.key and c.source == "quoted" and act.start <= c.start and c.end <= act.end
        }
        if programme and programme != b.key:
            ctx.relate(b.key, "PART_OF", programme, row.start, row.end, "table", 0.6)
    for item in sublist_items(activity_cell):
        # a listed component or product says what its activity does: it joins the
        # description of the activity it is listed under
        owner = bisect.bisect_right(starts, item.start) - 1
        if owner >= 0 and item.text not in targets[owner].details:
            targets[owner].details.append(item.text)
        info = head_info(item.text)
        if info is None or info.label == "Institution" or len(item.text.split()) > 10:
            continue
        name = re.sub(r"\s*\([^()]*\)\s*$", "", item.text)
        acronym = re.search(r"\(([^()]{2,15})\)\s*$", item.text)
        cand = Candidate(
            item.start,
            item.start + len(name),
            info.label,
            name,
            "table",
            kind=info.kind,
            acronym=acronym.group(1) if acronym else None,
            aliases=[acronym.group(1)] if acronym else [],
            confidence=0.75,
        )
        item_builder = ctx.add(cand)
        for t in targets:
            t.refers_to.add(item_builder.key)
    for role, rel_type in (
        ("responsible", "RESPONSIBLE_FOR"),
        ("co_responsible", "CO_RESPONSIBLE_FOR"),
    ):
        cell = row.cells.get(role)
        if cell is None or cell.empty:
            continue
        for actor in cell_actors(ctx, cell, base):
            country = country_after(ctx, actor.end)
            actor.country = actor.country or country
            a = ctx.add(actor)
            if country and not a.country:
                a.country = country
            for t in targets:
                ctx.relate(
                    a.key,
                    rel_type,
                    t.key,
                    row.start,
                    row.end,
                    "table",
                    0.75 if role in row.inherited else 0.9,
                )


_EVENT_LINE = re.compile(
    r"^[ \t]*(?:T[ií]tulo(?: de la sesi[oó]n| del evento| del panel| de la actividad)?|"
    r"Nombre del evento|Evento|Sesi[oó]n|Panel|Seminario|Taller)[ \t]*:[ \t]*(?P<value>[^\n]{4,300})$",
    re.MULTILINE,
)


_ACTOR_LINE = re.compile(
    r"^[ \t]*(?P<key>Organizadores?|Organiza(?:n)?|Coorganizadores?|Co-organizadores?|Convoca(?:n)?|"
    r"Responsables?|Conductor(?:es)?|[OÓ]rgano responsable|Instituci[oó]n(?:es)? responsables?|Entidad(?:es)? (?:organizadoras?|responsables?)|"
    r"Participantes|Instituciones participantes|Con el apoyo de|Apoyo|Auspicia(?:n)?|"
    r"Auspiciadores?|Patrocinadores?|Financia(?:n|miento)?|Financiado por)[ \t]*:[ \t]*(?P<value>[^\n]{3,600})$",
    re.MULTILINE | re.IGNORECASE,
)


_UNIT_DASH = re.compile(r"\s+[—–-]\s+(?=[A-ZÁÉÍÓÚ])")
_ENUMERATOR = re.compile(r"^\s*(?:[\dIVXivx]{1,4}|[a-zA-Z])[.)]\s*")
_SUBJECT_KINDS = {"committee", "council", "forum", "network", "working_group"}


def _loose_key(name: str) -> str:
    """:func:`name_key` in the singular, to match a heading to a name."""
    return singular_key(name_key(name))


def heading_names(ctx: ExtractionContext) -> dict[str, Builder]:
    """The document's bodies and instruments by the singular key of each of their names:
    what a heading above a "Responsable: X" line may name."""
    by_key: dict[str, Builder] = {}
    for b in ctx.builders.values():
        if b.label in ("Instrument", "Program") or (b.kind or "") in _SUBJECT_KINDS:
            for name in b.names | {b.name}:
                by_key.setdefault(_loose_key(name), b)
    return by_key


def heading_subject(
    text: str, offset: int, names: dict[str, Builder], max_lines: int = 40
) -> Builder | None:
    """The body or instrument a "Responsable: X" line at ``offset`` is about: the nearest
    heading above it (up to ``max_lines`` lines, not past a sentence) that is, whole, one of
    ``names`` (:func:`heading_names`): "3. COMITÉS TÉCNICOS PÚBLICO-PRIVADOS:" above
    "1) INFRAESTRUCTURA", "Conductor: ..."."""
    start = offset
    for _ in range(max_lines + 1):
        start = text.rfind("\n", 0, start)
        if start < 0:
            break
    lines = text[start + 1 : offset].split("\n")[:-1]
    for line in reversed(lines):
        stripped = line.strip()
        if not stripped or _ACTOR_LINE.match(line):
            continue
        if stripped.endswith(".") and len(stripped) > 80:
            return None
        found = names.get(_loose_key(_ENUMERATOR.sub("", stripped).rstrip(" :")))
        if found is not None:
            return found
    return None


_SINGULAR_KEY = re.compile(r"responsable|conductor|[oó]rgano responsable|organizador")
_NAME_HEAD = re.compile(
    rf"(?:{'|'.join(re.escape(h) for h in INSTITUTION_HEADS)}|Gerente|Director|Directora|Jefe|"
    rf"Jefa|Presidente|Presidenta|Secretario|Secretaria|Coordinador|Coordinadora)\b"
)


def _continued(text: str, start: int, value: str) -> str:
    """A one-actor value broken over lines ("Gerencia Regional de Planeamiento — Gobierno
    Regional de" + "Ucayali."): the following lines join it until one ends it with a point,
    at most two, none of them a heading, a list item or another "Key: value" line."""
    pos = start + len(value)
    for _ in range(2):
        if value.endswith("."):
            break
        nxt = re.match(r"[ \t]*\n(?:[ \t]*\n)?[ \t]*([^\n]{1,80})", text[pos:])
        if nxt is None or _ENUMERATOR.match(nxt.group(1)) or ":" in nxt.group(1):
            break
        if nxt.group(1).isupper():
            break
        value = text[start : pos + nxt.end()]
        pos += nxt.end()
    return value


def _line_actors(
    ctx: ExtractionContext, cell: Cell, base: list[Candidate], singular: bool
) -> list[Candidate]:
    """The actors of a "Key: value" line: a singular key ("Responsable:", "Conductor:") whose
    value starts with an institution's head noun names one actor, the whole value; a plural
    key names a list."""
    name = re.sub(r"\s+", " ", cell.text).strip(" .")
    head = _NAME_HEAD.match(name)
    if singular and head and "," not in name and ";" not in name:
        known = [c for c in base if c.start == cell.start and c.label == "Institution"]
        if known and known[0].end >= cell.start + len(cell.text.rstrip(" .")):
            return known[:1]
        return [Candidate(cell.start, cell.start + len(cell.text.rstrip(" .")), "Institution",
                          name, "structure", kind=INSTITUTION_HEADS.get(head.group()),
                          confidence=0.75)]
    return cell_actors(ctx, cell, base)


def key_value_lines(ctx: ExtractionContext, base: list[Candidate]) -> None:
    """Header blocks of event reports: "Título de la sesión: X", "Organizadores: A, B y C".

    The titled event becomes an Instrument (kind event); organisers are responsible for it,
    co-organisers co-responsible, sponsors fund it, participants take part in it.
    """
    text = ctx.text
    event = None
    m = _EVENT_LINE.search(text)
    if m:
        name = re.sub(r"\s*\((?:SESI[OÓ]N|Sesi[oó]n)[^()]*\)\s*$", "", m.group("value")).strip()
        name = name.replace("\\", "").strip(" .")
        if name:
            start = m.start("value")
            event = ctx.add(
                Candidate(
                    start,
                    start + len(name),
                    "Instrument",
                    name,
                    "structure",
                    kind="event",
                    confidence=0.8,
                )
            )
    names: dict[str, Builder] | None = None
    for m in _ACTOR_LINE.finditer(text):
        key = m.group("key").lower()
        value_start = m.start("value")
        value = m.group("value").rstrip()
        singular = _SINGULAR_KEY.fullmatch(key) is not None
        if singular:
            value = _continued(text, value_start, value)
        # "Gerencia Regional X — Gobierno Regional Y": the unit acts, the rest is its parent
        dash = _UNIT_DASH.search(value)
        parents: list[Candidate] = []
        if dash is not None:
            rest = Cell(value[dash.end():], value_start + dash.end(), value_start + len(value))
            parents = _line_actors(ctx, rest, base, singular=True)[:1]
            value = value[: dash.start()]
        cell = Cell(value, value_start, value_start + len(value))
        if key.startswith(("co-org", "coorg", "con el apoyo", "apoyo")):
            rel = "CO_RESPONSIBLE_FOR"
        elif key.startswith(("auspic", "patrocin", "financ")):
            rel = "FUNDS"
        elif key.startswith("particip") or key.startswith("instituciones particip"):
            rel = "PARTICIPATES_IN"
        else:
            rel = "RESPONSIBLE_FOR"
        if names is None:
            names = heading_names(ctx)  # once, when the document has such lines
        subject = heading_subject(text, m.start(), names) or event
        for actor in _line_actors(ctx, cell, base, singular):
            a = ctx.add(actor)
            if subject is not None:
                ctx.relate(a.key, rel, subject.key, m.start(), m.end(), "structure", 0.85)
            for parent in parents:
                ctx.relate(a.key, "PART_OF", ctx.add(parent).key, m.start(), m.end(),
                           "structure", 0.8)
