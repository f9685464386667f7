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
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from graph.model import (
    DocumentInfo,
    Extraction,
)
from graph.normalize import normalize_name
from loaders.document import Document
from loaders.extract.candidates import Candidate, resolve_overlaps
from loaders.extract.cells import office_holder
from loaders.extract.context import (
    UNIT_KINDS,
    ExtractionContext,
    candidate_from_entry,
    label_family,
)
from loaders.extract.countries import settle_countries
from loaders.extract.finish import finish
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
from loaders.extract.sentences import sentence_relations
from loaders.extract.speakers import (
    ROLE_WORDS,
    find_speaker_lines,
)
from loaders.extract.structure import (
    document_programme,
    key_value_lines,
    marked_context_label,
    role_institutions,
    section_headings,
    split_units,
    strip_country_suffix,
    table_row,
    trailing_organisation,
)
from loaders.extract.tables import find_table_rows

_BARE_ACRONYM = re.compile(r"\b[A-ZÁÉÍÓÚÑ][A-Z0-9ÁÉÍÓÚÑ&\-]{1,11}\b")


def extract_text(document: DocumentInfo, raw_text: str, lexicon: Lexicon) -> Extraction:
    """Clean ``raw_text``, store it as the document text, and extract the graph from it."""
    clean = clean_layout(raw_text)
    document = document.model_copy(update={"text": clean.text})
    ctx = ExtractionContext(document, lexicon)
    text = ctx.text
    if not text.strip():
        return Extraction(document=document, warnings=["no text to extract"])
    ctx.set_passages()

    # 1. candidates from every recogniser
    gaz, ctx.country = settle_countries(list(lexicon.match(make_doc(text))), text)
    laws = list(find_laws(text))
    quoted = list(find_quoted_names(text))
    patterns = [strip_country_suffix(c, lexicon) for c in find_head_names(text)]
    anchors = [*gaz, *laws]
    patterns, owners = split_units(text, patterns, anchors, lexicon)
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
        elif marked_context_label(text, s):
            marked.append(
                Candidate(
                    s, s + len(name), "Program", name, "marked", kind="programme", confidence=0.65
                )
            )
    section_items = section_headings(text)
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
            and label_family(entry.label) == label_family(long_cand.label)
        ):
            replacement = candidate_from_entry(long_cand, entry)
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
    base = [office_holder(c, base, lexicon) for c in base]
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
        role_insts = role_institutions(ctx, line.rest_start, rest)
        if not in_rest and not role_insts and not ROLE_WORDS.search(rest):
            continue
        if not in_rest and not role_insts:
            role_insts = trailing_organisation(ctx, line.rest_start, rest)
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
    doc_programme = document_programme(ctx, base)
    sections = sorted((c.start, c.key) for c in section_items if c.label == "Program" and c.key)
    section_starts = [start for start, _ in sections]
    for row in find_table_rows(text):
        i = bisect.bisect_right(section_starts, row.start) - 1
        programme = sections[i][1] if i >= 0 else doc_programme
        table_row(ctx, row, base, programme)
    key_value_lines(ctx, base)

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
    sentence_relations(ctx, base, speaker_context)

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
    return finish(ctx, base)


def _by_end(cands: Iterable[Candidate]) -> dict[int, list[Candidate]]:
    out: dict[int, list[Candidate]] = defaultdict(list)
    for c in cands:
        out[c.end].append(c)
    return out


def _ending_at(by_end: dict[int, list[Candidate]], end: int) -> list[Candidate]:
    """Candidates ending at ``end`` or one character either side (a closing quote, a dot)."""
    return [*by_end.get(end - 1, ()), *by_end.get(end, ()), *by_end.get(end + 1, ())]


def extract_document(doc: Document, lexicon: Lexicon) -> Extraction:
    """Extract the graph from a read document (text formats; catalogues use loaders.catalog)."""
    return extract_text(doc.info(), doc.text, lexicon)
