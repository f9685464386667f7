"""The extraction pipeline: Document → Extraction (entities, relations, mentions, evidence).

Components run in order over the cleaned text (see :mod:`loaders.extract.layout`):
passages, gazetteer matches, head-noun patterns, laws, quoted names, marked spans, acronym
definitions, speaker lines, responsibility tables, section headings with codes; then
in-document resolution (acronym ↔ long form, gazetteer aliases, unit "de" parent splits),
levels and countries, and relations from structure and trigger phrases.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from graph.facets import assign_facets
from graph.model import (
    DocumentInfo,
    Entity,
    Evidence,
    Extraction,
    Mention,
    Passage,
    Relation,
    entity_id,
    passage_id,
)
from graph.normalize import normalize_name
from loaders.document import Document
from loaders.extract import triggers
from loaders.extract.candidates import Candidate, resolve_overlaps
from loaders.extract.layout import clean_layout
from loaders.extract.levels import level_from_name
from loaders.extract.lexicon import Lexicon, make_doc
from loaders.extract.patterns import (
    find_acronym_definitions,
    find_head_names,
    find_laws,
    find_named_instruments,
    find_places_with_country,
    find_quoted_names,
    find_trigger_objects,
    head_info,
)
from loaders.extract.segment import segment
from loaders.extract.speakers import (
    ROLE_INSTITUTIONS,
    ROLE_WORDS,
    find_speaker_lines,
)
from loaders.extract.tables import Cell, find_table_rows, split_activities, sublist_items

UNIT_KINDS = {"division", "working_group", "secretariat", "committee"}
_SECTION_HEADING = re.compile(
    r"^[ \t]*(?P<head>PROYECTO|Proyecto|PROGRAMA|Programa|Subprograma|SUBPROGRAMA|Componente|"
    r"COMPONENTE|Actividad|ACTIVIDAD)[ \t]+(?P<code>(?:[IVX]{1,4}|\d{1,3})(?:\.\d{1,3}){0,3})\.?"
    r"[ \t]+(?P<name>[^\n]{3,200})$",
    re.MULTILINE,
)
_COUNTRY_PAREN = re.compile(r"^[ \t]*\((?P<inner>[^()\n]{3,60})\)")
_SEPARATORS = re.compile(r"\s*(?:,|;|\by\b|\be\b|/)\s*")
_BARE_ACRONYM = re.compile(r"\b[A-ZÁÉÍÓÚÑ][A-Z0-9ÁÉÍÓÚÑ&\-]{1,11}\b")


@dataclass
class _Builder:
    """An entity being assembled from its candidates."""

    key: str
    label: str
    name: str
    names: set[str] = field(default_factory=set)
    acronym: str | None = None
    kind: str | None = None
    level: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    parent: str | None = None
    objective: str | None = None
    group_objective: str | None = None
    refers_to: set[str] = field(default_factory=set)
    from_gazetteer: bool = False
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def absorb(self, cand: Candidate) -> None:
        self.names.add(cand.name)
        self.names.update(a for a in cand.aliases if a)
        if cand.acronym:
            self.acronym = self.acronym or cand.acronym
        for attr in ("kind", "level", "country", "sector", "code", "parent"):
            if getattr(self, attr) is None and getattr(cand, attr) is not None:
                setattr(self, attr, getattr(cand, attr))
        if cand.source == "gazetteer":
            self.from_gazetteer = True


class _Context:
    """State shared by the components while one document is extracted."""

    def __init__(self, document: DocumentInfo, lexicon: Lexicon) -> None:
        self.document = document
        self.text = document.text
        self.lexicon = lexicon
        self.passages: list[Passage] = []
        self._starts: list[int] = []
        self.builders: dict[str, _Builder] = {}
        self.alias_keys: dict[str, str] = {}
        self.relations: dict[str, Relation] = {}

    # --- passages and evidence
    def set_passages(self) -> None:
        for span in segment(self.text):
            pid = passage_id(self.document.id, span.start, span.end)
            self.passages.append(
                Passage(
                    id=pid,
                    document_id=self.document.id,
                    start=span.start,
                    end=span.end,
                    text=self.text[span.start : span.end],
                )
            )
        self._starts = [p.start for p in self.passages]

    def passage_at(self, offset: int) -> Passage | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.passages[i].start <= offset < max(self.passages[i].end, offset + 1):
            return self.passages[i]
        return None

    def evidence(self, start: int, end: int, extractor: str, confidence: float) -> Evidence:
        passage = self.passage_at(start)
        if passage is None or end > passage.end:
            passage = self.passage_at(start) or self.passages[0]
        return Evidence(
            passage_id=passage.id if passage else "",
            document_id=self.document.id,
            start=start,
            end=end,
            quote=self.text[start:end],
            extractor=extractor,
            confidence=confidence,
        )

    # --- entities
    def key_for(self, cand: Candidate) -> str:
        family = "Instrument" if cand.label in ("Instrument", "Program") else cand.label
        norm = normalize_name(cand.name)
        alias_key = self.alias_keys.get(f"{family}|{norm}") or self.alias_keys.get(
            f"{family}|~{_loose(norm)}"
        )
        if alias_key:
            return alias_key
        if cand.source != "gazetteer":
            entry = self.lexicon.lookup(cand.name)
            if entry is not None and _family(entry.label) == family:
                return f"{family}|{normalize_name(entry.name)}"
        return f"{family}|{norm}"

    def add(self, cand: Candidate) -> _Builder:
        if cand.source != "gazetteer":
            entry = self.lexicon.lookup(cand.name)
            if entry is not None and _family(entry.label) == _family(cand.label):
                cand = _candidate_from_entry(cand, entry)
        key = cand.key or self.key_for(cand)
        cand.key = key
        builder = self.builders.get(key)
        if builder is None:
            builder = _Builder(key=key, label=cand.label, name=cand.name)
            self.builders[key] = builder
        elif (
            builder.label != cand.label
            and cand.label == "Program"
            and cand.source in ("gazetteer", "quoted")
        ):
            builder.label = "Program"
        builder.absorb(cand)
        builder.spans.append((cand.start, cand.end, cand.source))
        family = key.split("|", 1)[0]
        for name in builder.names:
            norm = normalize_name(name)
            self.alias_keys.setdefault(f"{family}|{norm}", key)
            if family != "Person":
                self.alias_keys.setdefault(f"{family}|~{_loose(norm)}", key)
        return builder

    def relate(
        self,
        source: str,
        rel_type: str,
        target: str,
        start: int,
        end: int,
        extractor: str,
        confidence: float = 0.8,
        **properties: str,
    ) -> None:
        if source == target:
            return
        rel = Relation(source=source, type=rel_type, target=target, properties=properties)
        existing = self.relations.get(rel.id)
        if existing is None:
            self.relations[rel.id] = existing = rel
        existing.add_evidence([self.evidence(start, end, extractor, confidence)])


def _loose(norm: str) -> str:
    """A normalised name without inner articles: "secretaria de la unctad" = "secretaria de
    unctad"; used to recognise one name written two ways in one document."""
    words = [w for w in norm.split() if w not in ("el", "la", "los", "las")]
    return " ".join("de" if w == "del" else w for w in words)


def _family(label: str) -> str:
    return "Instrument" if label in ("Instrument", "Program") else label


def _candidate_from_entry(cand: Candidate, entry) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(
        cand.start,
        cand.end,
        entry.label,
        entry.name,
        "gazetteer",
        acronym=entry.acronyms[0] if entry.acronyms else None,
        kind=entry.kind,
        level=entry.level,
        country=entry.country,
        sector=entry.sector,
        parent=entry.parent,
        aliases=[*entry.aliases, *entry.acronyms, cand.name],
        code=cand.code,
        confidence=cand.confidence,
    )


# ---------------------------------------------------------------------------- components


_ACRONYM_AFTER = re.compile(r"[ \t]*\([A-ZÁÉÍÓÚÑ][\w&\-]{1,15}\)")


def _split_units(
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
                    if _ACRONYM_AFTER.match(text, cand.end):
                        # "Secretaría Permanente del SELA (SP-SELA)": the whole name is defined
                        out.append(cand)
                        owners.append((cand, anchor))
                    else:
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


def _strip_country_suffix(cand: Candidate, lexicon: Lexicon) -> Candidate:
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
            new = _candidate_from_entry(cand, entry)
            new.source = "pattern"
            return new
    return cand


# A cell piece that starts with an infinitive is a misplaced objective, not an actor.
_INFINITIVE = re.compile(r"^[A-ZÁÉÍÓÚ][a-záéíóúñ]{2,}(?:ar|er|ir)\b(?!\s+(?:de|del)\b)")
_LEADING_OFFICE = re.compile(
    r"^(?:Presidencia|Vicepresidencia|Secretar[ií]a (?:T[eé]cnica|Pro Tempore|Ejecutiva)|"
    r"Coordinaci[oó]n)\s+(?:de|del)\s+(?:la\s+|el\s+)?"
)


def _office_holder(cand: Candidate, base: list[Candidate], lexicon: Lexicon) -> Candidate:
    """ "Presidencia de la Red GEALC" stands for the Red GEALC: the body that holds the office."""
    if cand.source != "pattern" or cand.label != "Institution":
        return cand
    office = _LEADING_OFFICE.match(cand.name)
    if not office:
        return cand
    rest = cand.name[office.end() :]
    entry = lexicon.lookup(rest)
    if entry is not None:
        return _candidate_from_entry(cand, entry)
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


def _extend_to_separator(ctx: _Context, c: Candidate, cell: Cell) -> Candidate:
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


def _cell_actors(ctx: _Context, cell: Cell, found: list[Candidate]) -> list[Candidate]:
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
                c = _candidate_from_entry(c, entry)
            elif office:
                rest = c.name[office.end() :]
                key = ctx.alias_keys.get(f"Institution|{normalize_name(rest)}")
                if key:
                    c.key = key
                    c.aliases = [*c.aliases, c.name]
            actors.append(c)
        pos = c.end
    return actors


def _country_after(ctx: _Context, end: int) -> str | None:
    """ "(Paraguay)" or "(Brasil y México)" right after a name: the first country's code."""
    m = _COUNTRY_PAREN.match(ctx.text, end)
    if not m:
        return None
    for part in _SEPARATORS.split(m.group("inner")):
        entry = ctx.lexicon.lookup(part.strip())
        if entry is not None and entry.label == "Territory" and entry.kind == "country":
            return entry.country
    return None


# ---------------------------------------------------------------------------- pipeline


def extract_text(document: DocumentInfo, raw_text: str, lexicon: Lexicon) -> Extraction:
    """Clean ``raw_text``, store it as the document text, and extract the graph from it."""
    clean = clean_layout(raw_text)
    document = document.model_copy(update={"text": clean.text})
    ctx = _Context(document, lexicon)
    text = ctx.text
    if not text.strip():
        return Extraction(document=document, warnings=["no text to extract"])
    ctx.set_passages()

    # 1. candidates from every recogniser
    gaz = list(lexicon.match(make_doc(text)))
    laws = list(find_laws(text))
    quoted = list(find_quoted_names(text))
    patterns = [_strip_country_suffix(c, lexicon) for c in find_head_names(text)]
    anchors = [*gaz, *laws]
    patterns, owners = _split_units(text, patterns, anchors, lexicon)
    marked = []
    for s, e in clean.marked_spans:
        name = text[s:e].strip()
        info = head_info(name)
        if info is not None:
            marked.append(
                Candidate(
                    s, s + len(name), info.label, name, "marked", kind=info.kind, confidence=0.75
                )
            )
        elif _marked_context_label(text, s):
            marked.append(
                Candidate(
                    s, s + len(name), "Program", name, "marked", kind="programme", confidence=0.65
                )
            )
    section_items = _section_headings(text)
    named = list(find_named_instruments(text))
    places = []
    for place, country_name in find_places_with_country(text):
        country = lexicon.lookup(country_name)
        known = lexicon.lookup(place.name)
        if country is None or country.kind != "country" or known is not None:
            continue
        place.country = country.country
        place.source = "gazetteer"  # a place the document locates, kept like a known one
        places.append(place)
    gaz += places
    objects = [
        c
        for c in find_trigger_objects(text)
        if (e := lexicon.lookup(c.name)) is None or e.label != "Territory"
    ]
    base = resolve_overlaps(
        [*gaz, *laws, *quoted, *patterns, *marked, *section_items, *named, *objects]
    )

    # 2. acronym definitions link short and long forms
    definitions = find_acronym_definitions(text, base)
    defined: dict[str, Candidate] = {}
    by_span = {(c.start, c.end): c for c in base}
    for d in definitions:
        long_cand = by_span.get((d.long_start, d.long_end))
        if long_cand is None:
            info = head_info(d.long)
            entry = lexicon.lookup(d.long) or lexicon.lookup(d.short)
            if info is None and entry is None:
                continue
            label = entry.label if entry else info.label  # type: ignore[union-attr]
            long_cand = Candidate(
                d.long_start,
                d.long_end,
                label,
                d.long,
                "definition",
                kind=info.kind if info else None,
                confidence=0.8,
            )
            base = resolve_overlaps([*base, long_cand])
            by_span = {(c.start, c.end): c for c in base}
            if by_span.get((long_cand.start, long_cand.end)) is not long_cand:
                continue
        entry = lexicon.lookup(d.short)
        if (
            entry is not None
            and d.short in entry.acronyms
            and long_cand.source != "gazetteer"
            and _family(entry.label) == _family(long_cand.label)
        ):
            replacement = _candidate_from_entry(long_cand, entry)
            base[base.index(long_cand)] = replacement
            long_cand = replacement
        long_cand.acronym = long_cand.acronym or d.short
        long_cand.aliases = [*long_cand.aliases, d.short]
        first = defined.setdefault(d.short, long_cand)
        if first is not long_cand and first.source != "gazetteer":
            # the same acronym defined again with another long form: one entity
            first.aliases = [*first.aliases, long_cand.name]
            long_cand.key = ctx.key_for(first)
    person_spans = [(ln.name_start, ln.name_end) for ln in find_speaker_lines(text)]
    base = [c for c in base if not any(s <= c.start and c.end <= e for s, e in person_spans)]
    base = [_office_holder(c, base, lexicon) for c in base]
    for cand in base:
        if cand.label == "Territory" and cand.source != "gazetteer":
            continue
        ctx.add(cand)

    # bare acronyms defined in this document
    acronym_keys = {b.acronym: b.key for b in ctx.builders.values() if b.acronym}
    for d in definitions:
        for b in ctx.builders.values():
            if d.short in b.names:
                acronym_keys.setdefault(d.short, b.key)
    taken = sorted((c.start, c.end) for c in base)
    for m in _BARE_ACRONYM.finditer(text):
        key = acronym_keys.get(m.group())
        if key is None:
            continue
        i = bisect.bisect_right(taken, (m.start(), len(text) + 1)) - 1
        if i >= 0 and taken[i][0] <= m.start() < taken[i][1]:
            continue
        b = ctx.builders[key]
        cand = Candidate(m.start(), m.end(), b.label, b.name, "acronym", key=key)
        ctx.add(cand)
        base.append(cand)
    base.sort(key=lambda c: c.start)

    # 3. speaker lines: people, affiliations, unit → parent
    speaker_context: list[tuple[int, list[str]]] = []
    for line in find_speaker_lines(text):
        rest = text[line.rest_start : line.rest_end]
        in_rest = [
            c
            for c in base
            if line.rest_start <= c.start and c.end <= line.rest_end and c.label == "Institution"
        ]
        # the affiliation may continue on the next line ("División ... (DDPE)")
        next_end = text.find("\n", line.line_end + 1)
        next_line = text[line.line_end + 1 : next_end if next_end > 0 else len(text)]
        nxt = [
            c
            for c in base
            if line.line_end < c.start
            and c.end <= line.line_end + 1 + len(next_line)
            and c.label == "Institution"
        ]
        if nxt and sum(c.length for c in nxt) >= 0.6 * len(next_line.strip()):
            in_rest += nxt
        role_insts = _role_institutions(ctx, line.rest_start, rest)
        if not in_rest and not role_insts and not ROLE_WORDS.search(rest):
            continue
        if not in_rest and not role_insts:
            role_insts = _trailing_organisation(ctx, line.rest_start, rest)
        if lexicon.lookup(line.name) is not None:
            continue
        person = ctx.add(
            Candidate(
                line.name_start, line.name_end, "Person", line.name, "speaker", confidence=0.9
            )
        )
        insts = in_rest + role_insts
        keys: list[str] = []
        for inst in insts:
            key = inst.key or ctx.key_for(inst)
            if key not in keys:
                keys.append(key)
            ctx.relate(
                person.key, "AFFILIATED_WITH", key, line.line_start, line.line_end, "speaker", 0.9
            )
        for a, b in pairwise(insts):
            gap = text[a.end : b.start]
            a_b = ctx.builders.get(a.key or "")
            if (
                a_b is not None
                and a_b.kind in UNIT_KINDS
                and re.fullmatch(r"\s*(?:\([^()]*\))?\s*(?:,|de|del|de la)?\s*(?:\n\s*)?", gap)
            ):
                ctx.relate(a.key, "PART_OF", b.key, line.line_start, line.line_end, "speaker", 0.8)
        speaker_context.append((line.line_start, keys))

    # 4. section headings with codes and their hierarchy
    coded = {b.code: b for b in ctx.builders.values() if b.code}
    for code, b in coded.items():
        parent_code = code.rsplit(".", 1)[0] if "." in code else None
        parent = coded.get(parent_code) if parent_code else None
        if parent is not None and parent.key != b.key:
            s, e, _ = b.spans[0]
            ctx.relate(b.key, "PART_OF", parent.key, s, e, "structure", 0.8)

    # 5. responsibility tables
    doc_programme = _document_programme(ctx, base)
    sections = sorted((c.start, c.key) for c in section_items if c.label == "Program" and c.key)
    section_starts = [start for start, _ in sections]
    for row in find_table_rows(text):
        i = bisect.bisect_right(section_starts, row.start) - 1
        programme = sections[i][1] if i >= 0 else doc_programme
        _table_row(ctx, row, base, programme)
    _key_value_lines(ctx, base)

    # 6. unit "de" parent splits and gazetteer parents
    for head, anchor in owners:
        h_key, a_key = ctx.key_for(head), anchor.key or ctx.key_for(anchor)
        if h_key in ctx.builders and a_key in ctx.builders:
            rel = "PART_OF" if head.label == "Institution" else "RESPONSIBLE_FOR"
            src, dst = (h_key, a_key) if rel == "PART_OF" else (a_key, h_key)
            ctx.relate(src, rel, dst, head.start, anchor.end, "pattern", 0.75)
    for b in list(ctx.builders.values()):
        p_key = ctx.alias_keys.get(f"Institution|{normalize_name(b.parent)}") if b.parent else None
        if not p_key or p_key == b.key:
            continue
        parent_passages = {
            ctx.passage_at(s).id
            for s, _, _ in ctx.builders[p_key].spans
            if ctx.passage_at(s) is not None
        }
        for s, _e, _ in b.spans:
            passage = ctx.passage_at(s)
            if passage is not None and passage.id in parent_passages:
                ctx.relate(b.key, "PART_OF", p_key, passage.start, passage.end, "gazetteer", 0.7)
                break

    # 7. relations from trigger phrases within sentences
    _sentence_relations(ctx, base, speaker_context)

    # 8. territories named inside institution names: "Gobierno Regional del Bío-Bío"
    territories_in_names = [
        c
        for c in gaz
        if c.label == "Territory" and (c.kind or "") in ("region", "province", "commune", "city")
    ]
    by_end = _by_end(territories_in_names)
    for inst in base:
        if inst.label != "Institution" or not inst.key or inst.level == "supranational":
            continue
        for t in _ending_at(by_end, inst.end):
            if inst.start < t.start and re.search(
                r"\b(?:de|del|de la)\s+$", text[inst.start : t.start]
            ):
                territory = ctx.add(t)
                ctx.relate(
                    inst.key, "OPERATES_IN", territory.key, inst.start, inst.end, "name", 0.7
                )
                if ctx.builders[inst.key].country is None and t.country:
                    ctx.builders[inst.key].country = t.country
                break
    regions = sorted(
        (c for c in gaz if c.label == "Territory" and c.kind == "region"), key=lambda c: c.start
    )
    region_starts = [c.start for c in regions]
    for inst in base:
        builder = ctx.builders.get(inst.key or "")
        if inst.label != "Institution" or builder is None or builder.level:
            continue
        lo = bisect.bisect_left(region_starts, inst.start)
        hi = bisect.bisect_right(region_starts, inst.end)
        if any(t.end <= inst.end for t in regions[lo:hi]):
            builder.level = "regional"  # "Comité Innova Bío-Bío": named after its region
    countries_by_end = _by_end(c for c in gaz if c.label == "Territory" and c.kind == "country")
    for inst in base:
        if inst.label != "Institution" or not inst.key or inst.source == "gazetteer":
            continue
        for t in _ending_at(countries_by_end, inst.end):
            if inst.start < t.start and t.country:
                builder = ctx.builders[inst.key]
                builder.country = t.country
                if not builder.level and level_from_name(inst.name) != "supranational":
                    builder.level = "national"  # "Cámara de Exportadores de Costa Rica"
                break

    # 9. levels and countries, then entities
    return _finish(ctx, base)


def _by_end(cands: Iterable[Candidate]) -> dict[int, list[Candidate]]:
    out: dict[int, list[Candidate]] = defaultdict(list)
    for c in cands:
        out[c.end].append(c)
    return out


def _ending_at(by_end: dict[int, list[Candidate]], end: int) -> list[Candidate]:
    """Candidates ending at ``end`` or one character either side (a closing quote, a dot)."""
    return [*by_end.get(end - 1, ()), *by_end.get(end, ()), *by_end.get(end + 1, ())]


def _marked_context_label(text: str, start: int) -> bool:
    before = text[max(0, start - 60) : start].lower()
    return bool(re.search(r"\b(?:programa|proyecto|iniciativa|plan)\b[^.]{0,50}$", before))


def _section_headings(text: str) -> list[Candidate]:
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


def _role_institutions(ctx: _Context, offset: int, rest: str) -> list[Candidate]:
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
                cand = _candidate_from_entry(cand, entry)
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
                    territory = _candidate_from_entry(territory, known)
                ctx.add(territory)
    return out


_TRAILING_ORG = re.compile(
    r"\b(?:de|del|en)\s+(?P<org>[A-ZÁÉÍÓÚÑ][\w&.\-]+(?:\s+(?:(?:de|del|y|e|la|las|los|para)\s+)?"
    r"[A-ZÁÉÍÓÚÑ][\w&.\-]+)*)\s*(?:\([^()]*\))?\s*$"
)


def _trailing_organisation(ctx: _Context, offset: int, rest: str) -> list[Candidate]:
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
            cand = _candidate_from_entry(cand, entry)
        ctx.add(cand)
        out.append(cand)
    return out


def _document_programme(ctx: _Context, base: list[Candidate]) -> str | None:
    """The programme the document is about: a programme named in its first lines."""
    head_end = min(len(ctx.text), 1200)
    for cand in base:
        if cand.start < head_end and cand.label == "Program" and cand.key:
            return cand.key
    return None


def _table_row(ctx: _Context, row, base: list[Candidate], programme: str | None) -> None:  # type: ignore[no-untyped-def]
    activity_cell = row.cells.get("activity")
    if activity_cell is None or not activity_cell.text:
        return
    objective = row.cells.get("objective")
    targets: list[_Builder] = []
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
        b.refers_to |= {
            c.key for c in base
            if c.key and c.source == "quoted" and act.start <= c.start and c.end <= act.end
        }
        if programme and programme != b.key:
            ctx.relate(b.key, "PART_OF", programme, row.start, row.end, "table", 0.6)
    for item in sublist_items(activity_cell):
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
        for actor in _cell_actors(ctx, cell, base):
            country = _country_after(ctx, actor.end)
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


_LIST_WORDS = (
    "el|la|los|las|y|e|de|del|a|al|otros|otras|sus|su|distintos|distintas|diversos|diversas|"
    "varios|varias|algunos|algunas|todos|todas|ambos|cada|entre"
)
_CLAUSE_END = re.compile(rf"[;.:]|,\s+(?!(?:{_LIST_WORDS})\b)[a-záéíóúñ]|\s+(?:que|para)\s")
_CLAUSE_END_BEFORE = re.compile(r"(?s:.*)(?:[;.:]|,\s+(?:que|donde|mientras)\b)")
BODY_KINDS = {"committee", "council", "forum", "network", "working_group"}


def _insts_between(inside: list[Candidate], start: int, end: int) -> list[str]:
    return list(
        dict.fromkeys(
            c.key for c in inside if c.label == "Institution" and c.key and start <= c.start < end
        )
    )


def _clause_end(passage: Passage, offset: int) -> int:
    m = _CLAUSE_END.search(passage.text, offset - passage.start)
    return passage.start + (m.start() if m else len(passage.text))


def _coordination_pairs(
    ctx: _Context, passage: Passage, inside: list[Candidate], context: list[str]
) -> list[tuple[str, str]]:
    """Who coordinates with whom in one sentence.

    "coordinación entre A, B y C" ties the institutions after "entre" (with the speaker's
    institution when only one is named); "en coordinación con B" ties B to the nearest
    institution before the phrase (else the speaker's); a bare "trabajo conjunto" ties the
    institutions of the sentence when two or three are named.
    """
    pairs: list[tuple[str, str]] = []
    for m in triggers.COORDINATION.finditer(passage.text):
        t_end = passage.start + m.end()
        follow = re.match(r"\s*(entre|con)\b", passage.text[m.end() :])
        word = m.group().split()[-1].lower()
        if follow:
            word = follow.group(1)
            t_end += follow.end()
        stop = _clause_end(passage, t_end)
        after = _insts_between(inside, t_end, stop)
        if word == "entre":
            group = after if len(after) >= 2 else after + [k for k in context[:1] if k not in after]
            if 2 <= len(group) <= 5:
                pairs += list(combinations(group, 2))
        elif word in ("con", "a") and after:
            clause = _CLAUSE_END_BEFORE.search(passage.text[: m.start()])
            clause_start = passage.start + (clause.end() if clause else 0)
            before = _insts_between(inside, clause_start, passage.start + m.start())
            left = before[-3:] or context[:1]
            pairs += [(a, b) for a in left for b in after if a != b]
        elif word in ("conjunto", "conjunta", "coordinadamente", "articulado"):
            insts = _insts_between(inside, passage.start, passage.end)
            if 2 <= len(insts) <= 3:
                pairs += list(combinations(insts, 2))
    return pairs


def _participation_pairs(
    ctx: _Context, passage: Passage, inside: list[Candidate], context: list[str]
) -> list[tuple[str, str]]:
    """Members and the coordination bodies they take part in, from one sentence.

    "con participación de X" and "donde participan X" name members after the phrase and the
    body before it; "participa en Y" and "forma parte de Y" name the body after it. When the
    members are not named as institutions, the other institutions of the sentence (or the
    speaker's) are.
    """
    pairs: list[tuple[str, str]] = []
    is_body = {
        k
        for k in _insts_between(inside, passage.start, passage.end)
        if (ctx.builders[k].kind or "") in BODY_KINDS
    }
    for m in triggers.PARTICIPATION.finditer(passage.text):
        t_start, t_end = passage.start + m.start(), passage.start + m.end()
        phrase = m.group().lower()
        body_after = bool(re.search(r"\b(?:en|de|del)$", phrase)) and "participaci" not in phrase
        stop = _clause_end(passage, t_end)
        after = _insts_between(inside, t_end, stop)
        before = _insts_between(inside, passage.start, t_start)
        if body_after:
            bodies = [k for k in after if k in is_body][:2]
            members = [k for k in before if k not in is_body][-2:] or context[:1]
        else:
            bodies = [k for k in before if k in is_body][-2:]
            members = (
                [k for k in after if k not in is_body]
                or [k for k in before if k not in is_body][:2]
                or context[:1]
            )
        pairs += [(mem, body) for body in bodies for mem in members if mem != body]
    return pairs


_EVENT_LINE = re.compile(
    r"^[ \t]*(?:T[ií]tulo(?: de la sesi[oó]n| del evento| del panel| de la actividad)?|"
    r"Nombre del evento|Evento|Sesi[oó]n|Panel|Seminario|Taller)[ \t]*:[ \t]*(?P<value>[^\n]{4,300})$",
    re.MULTILINE,
)
_ACTOR_LINE = re.compile(
    r"^[ \t]*(?P<key>Organizadores?|Organiza(?:n)?|Coorganizadores?|Co-organizadores?|Convoca(?:n)?|"
    r"Responsables?|Instituci[oó]n(?:es)? responsables?|Entidad(?:es)? (?:organizadoras?|responsables?)|"
    r"Participantes|Instituciones participantes|Con el apoyo de|Apoyo|Auspicia(?:n)?|"
    r"Auspiciadores?|Patrocinadores?|Financia(?:n|miento)?|Financiado por)[ \t]*:[ \t]*(?P<value>[^\n]{3,600})$",
    re.MULTILINE | re.IGNORECASE,
)


def _key_value_lines(ctx: _Context, base: list[Candidate]) -> None:
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
    for m in _ACTOR_LINE.finditer(text):
        key = m.group("key").lower()
        value_start = m.start("value")
        value = m.group("value").rstrip()
        cell = Cell(value, value_start, value_start + len(value))
        if key.startswith(("co-org", "coorg", "con el apoyo", "apoyo")):
            rel = "CO_RESPONSIBLE_FOR"
        elif key.startswith(("auspic", "patrocin", "financ")):
            rel = "FUNDS"
        elif key.startswith("particip") or key.startswith("instituciones particip"):
            rel = "PARTICIPATES_IN"
        else:
            rel = "RESPONSIBLE_FOR"
        for actor in _cell_actors(ctx, cell, base):
            a = ctx.add(actor)
            if event is not None:
                ctx.relate(a.key, rel, event.key, m.start(), m.end(), "structure", 0.85)


def _overlap_pairs(ctx: _Context, insts: list[str]) -> list[tuple[str, str]]:
    """Pairs a sentence stating overlap or duplication of functions is about.

    Such statements oppose levels of government ("the regional governments' new functions
    overlap with what national institutions did"): institutions of different sub-national or
    national levels are paired, up to eight named; a sentence whose institutions are all of
    one level pairs them only when it names two or three.
    """
    if len(insts) < 2 or len(insts) > 8:
        return []
    levels = {k: ctx.builders[k].level or level_from_name(ctx.builders[k].name) for k in insts}
    cross = [(a, b) for a, b in combinations(insts, 2)
             if levels[a] and levels[b] and levels[a] != levels[b]
             and "supranational" not in (levels[a], levels[b])]
    if cross:
        return cross
    return list(combinations(insts, 2)) if len(insts) <= 3 else []


def _sentence_relations(
    ctx: _Context, base: list[Candidate], speaker_context: list[tuple[int, list[str]]]
) -> None:
    starts = [s for s, _ in speaker_context]
    ci = 0
    cands_sorted = sorted(base, key=lambda c: c.start)
    cstarts = [c.start for c in cands_sorted]
    for passage in ctx.passages:
        if "\t" in passage.text:
            continue
        lo = bisect.bisect_left(cstarts, passage.start)
        hi = bisect.bisect_left(cstarts, passage.end)
        inside = [c for c in cands_sorted[lo:hi] if c.end <= passage.end and c.key]
        insts = list(dict.fromkeys(c.key for c in inside if c.label == "Institution"))
        territories = [c for c in inside if c.label == "Territory"]
        ci = bisect.bisect_right(starts, passage.start) - 1
        context = speaker_context[ci][1] if ci >= 0 else []
        context = [k for k in context if (ctx.builders[k].kind or "") not in UNIT_KINDS] or context
        s, e = passage.start, passage.end
        sentence = passage.text
        for a, b in _coordination_pairs(ctx, passage, inside, context):
            ctx.relate(a, "COORDINATES_WITH", b, s, e, "trigger", 0.6)
        if triggers.OVERLAP.search(sentence):
            for a, b in _overlap_pairs(ctx, insts):
                ctx.relate(a, "OVERLAPS_WITH", b, s, e, "trigger", 0.6)
        if insts:
            for pattern, rel_type in (
                (triggers.RESPONSIBILITY, "RESPONSIBLE_FOR"),
                (triggers.FUNDING, "FUNDS"),
            ):
                m = pattern.search(sentence)
                if m is None:
                    continue
                after = [c for c in inside if c.label == "Institution" and c.start >= s + m.end()]
                # what is run: an instrument or programme, or a body (forum, committee...)
                before = [
                    c
                    for c in inside
                    if c.end <= s + m.start()
                    and (
                        c.label in ("Instrument", "Program")
                        or (
                            rel_type == "RESPONSIBLE_FOR"
                            and c.label == "Institution"
                            and (ctx.builders[c.key].kind or "") in BODY_KINDS
                        )
                    )
                ]
                if after and before and after[0].key != before[-1].key:
                    ctx.relate(after[0].key, rel_type, before[-1].key, s, e, "trigger", 0.7)
        for member, body in _participation_pairs(ctx, passage, inside, context):
            ctx.relate(member, "PARTICIPATES_IN", body, s, e, "trigger", 0.6)
        sub_territories = [
            t for t in territories if (t.kind or "") not in ("country", "supranational_region")
        ]
        if sub_territories and insts and triggers.TERRITORIAL.search(sentence):
            t_key = sub_territories[0].key
            for k in insts[:6]:
                if (
                    ctx.builders[k].level != "supranational"
                    and ctx.builders[k].kind != "collective"
                ):
                    ctx.relate(k, "OPERATES_IN", t_key, s, e, "trigger", 0.55)


def _starting_with(sorted_norms: list[str], prefix: str,
                   by_norm: dict[str, list[_Builder]]) -> list[_Builder]:
    """Builders whose normalised name starts with ``prefix`` (binary search in sorted names)."""
    out: list[_Builder] = []
    i = bisect.bisect_left(sorted_norms, prefix)
    while i < len(sorted_norms) and sorted_norms[i].startswith(prefix):
        out += by_norm[sorted_norms[i]]
        i += 1
    return out


def _merge_short_forms(ctx: _Context, base: list[Candidate]) -> None:
    """Merge a name that is the start of exactly one longer name of the same family
    ("Mesa Directiva" → "Mesa Directiva de eLAC2020"), and a person named by a subset of
    another person's names ("Oscar Chamat" → "Oscar Mauricio Chamat Núñez")."""
    builders = ctx.builders
    redirect: dict[str, str] = {}
    by_family: dict[str, list[_Builder]] = defaultdict(list)
    for b in builders.values():
        by_family[b.key.split("|", 1)[0]].append(b)
    for family, group in by_family.items():
        norms = {b.key: normalize_name(b.name) for b in group}
        sorted_norms = sorted(set(norms.values()))
        by_norm: dict[str, list[_Builder]] = defaultdict(list)
        for b in group:
            by_norm[norms[b.key]].append(b)
        acronyms = {
            b.key: {normalize_name(n) for n in b.names
                    if n.isupper() or any(ch.isupper() for ch in n[1:])}
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
                    b for b in _starting_with(sorted_norms, head + " ", by_norm)
                    if b is not short and last in acronyms[b.key]
                ]
                if len(owners) == 1:
                    redirect[short.key] = owners[0].key
    for old, new in redirect.items():
        while new in redirect and redirect[new] != old:
            new = redirect[new]
        target = builders.get(new)
        source = builders.pop(old, None)
        if target is None or source is None:
            continue
        target.names |= source.names
        target.spans += source.spans
        for attr in ("acronym", "kind", "level", "country", "sector", "objective"):
            if getattr(target, attr) is None:
                setattr(target, attr, getattr(source, attr))
        for key, value in list(ctx.alias_keys.items()):
            if value == old:
                ctx.alias_keys[key] = new
        for cand in base:
            if cand.key == old:
                cand.key = new
    if redirect:
        moved: dict[str, Relation] = {}
        for rel in ctx.relations.values():
            src = redirect.get(rel.source, rel.source)
            dst = redirect.get(rel.target, rel.target)
            if src == dst:
                continue
            new_rel = rel.model_copy(update={"source": src, "target": dst})
            if new_rel.id in moved:
                moved[new_rel.id].add_evidence(new_rel.evidence)
            else:
                moved[new_rel.id] = new_rel
        ctx.relations = moved


def _finish(ctx: _Context, base: list[Candidate]) -> Extraction:
    _merge_short_forms(ctx, base)
    text = ctx.text
    builders = ctx.builders
    # levels: gazetteer, name, parent, responsible institution, document majority
    votes: Counter[str] = Counter()
    for b in builders.values():
        if b.label == "Institution" and b.from_gazetteer and b.level:
            votes[b.level] += len(b.spans)
    # the document's level for institutions nothing else places: only a clear majority
    default_level = None
    if votes:
        top_level, n = votes.most_common(1)[0]
        if n >= 3 and n >= 0.6 * sum(votes.values()):
            default_level = top_level
    for b in builders.values():
        if b.kind == "university":
            b.level = None  # universities carry no governance level
        if b.label in ("Territory", "Person") or b.level or b.kind == "university":
            continue
        b.level = level_from_name(" ".join(sorted(b.names)))
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
    countries = Counter(
        b.country
        for b in builders.values()
        if b.country and b.label == "Institution" and b.level != "supranational"
        for _ in b.spans
    )
    # the document's country only when it is clearly one country's document
    default_country = None
    if countries:
        top, n = countries.most_common(1)[0]
        if n >= 3 and n >= 0.7 * sum(countries.values()):
            default_country = top
    # entities with stable ids
    ids: dict[str, str] = {}
    entities: list[Entity] = []
    for b in builders.values():
        if b.label == "Institution" and b.level in ("supranational",) and b.country is None:
            country = None
        else:
            country = b.country or (
                default_country
                if b.label != "Territory" and b.level in ("national", "regional", "local")
                else None
            )
        name = _canonical_name(b)
        eid = entity_id(
            b.label,
            f"{name} {b.code}" if b.code and b.kind == "activity" and len(name) > 60 else name,
        )
        ids[b.key] = eid
        context = _context(ctx, b) if b.label == "Institution" else None
        entities.append(
            Entity(
                id=eid,
                label=b.label,
                name=name,
                aliases=sorted({n for n in b.names if n != name}),
                acronym=b.acronym,
                kind=b.kind,
                level=b.level if b.label != "Territory" else None,
                country=country,
                sector=b.sector,
                code=b.code,
                objective=b.objective,
                source="gazetteer" if b.from_gazetteer else None,
                description=context,
                extra=_extra(b),
                **_facets(b, name, context),
            )
        )
    for ent in entities:
        if "refers_to" in ent.extra:
            ent.extra["refers_to"] = sorted(
                ids[k] for k in ent.extra["refers_to"] if k in ids and ids[k] != ent.id
            )
    relations: list[Relation] = []
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
    relations = list(merged.values())
    mentions: list[Mention] = []
    seen: set[tuple[str, int, int]] = set()
    for b in builders.values():
        for s, e, _src in b.spans:
            passage = ctx.passage_at(s)
            if passage is None or (ids[b.key], s, e) in seen:
                continue
            seen.add((ids[b.key], s, e))
            mentions.append(
                Mention(passage_id=passage.id, entity_id=ids[b.key], start=s, end=e, text=text[s:e])
            )
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


def _context(ctx: _Context, b: _Builder, limit: int = 6, max_chars: int = 1500) -> str | None:
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


def _extra(b: _Builder) -> dict[str, object]:
    """Extra properties: the objective of an activity's group, the keys it refers to (mapped
    to entity ids once ids are known)."""
    extra: dict[str, object] = {}
    if b.group_objective:
        extra["group_objective"] = b.group_objective
    if b.refers_to:
        extra["refers_to"] = sorted(b.refers_to)
    return extra


def _facets(b: _Builder, name: str, context: str | None = None) -> dict[str, list[str]]:
    """Themes, target groups and support types: of an instrument or programme from its own
    name and objective, of an institution from what the document says around it."""
    if b.label == "Institution":
        facets = assign_facets(context)
        return {"themes": facets.themes, "target_groups": facets.target_groups}
    if b.label not in ("Instrument", "Program"):
        return {}
    facets = assign_facets(name, b.objective)
    return {
        "themes": facets.themes,
        "target_groups": facets.target_groups,
        "support_types": facets.support_types,
    }


def _canonical_name(b: _Builder) -> str:
    """The entity's display name: the gazetteer's, else the longest non-acronym form seen."""
    if b.from_gazetteer or b.code:
        return b.name
    forms = [n for n in b.names if not n.isupper() or len(n) > 12]
    return max(forms or [b.name], key=lambda n: (len(n) <= 160, len(n), n))


def extract_document(doc: Document, lexicon: Lexicon) -> Extraction:
    """Extract the graph from a read document (text formats; catalogues use loaders.catalog)."""
    info = DocumentInfo(
        id=doc.sha256,
        title=doc.title or doc.path.rsplit("/", 1)[-1],
        path=doc.path,
        format=doc.format,
        publisher=doc.metadata.get("publisher"),
        date=doc.metadata.get("date"),
    )
    return extract_text(info, doc.text, lexicon)
