"""The state of one document's extraction: entity builders, alias keys, relations.

Candidates become entities through :class:`ExtractionContext`, which groups them by a
resolution key (gazetteer entry, normalised name, acronym) and records relations with
evidence spans of the cleaned text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from graph.model import (
    DocumentInfo,
    Evidence,
    Passage,
    Relation,
    passage_id,
)
from graph.normalize import name_key, normalize_name
from loaders.extract.candidates import Candidate
from loaders.extract.countries import DocumentCountry
from loaders.extract.legal_units import ARTICLE_HEADING
from loaders.extract.lexicon import LexEntry, Lexicon
from loaders.extract.scan import lowered
from loaders.extract.segment import segment

UNIT_KINDS = {"division", "working_group", "secretariat", "committee"}
# the kinds of territory below a country's
SUBNATIONAL_KINDS = frozenset({"region", "province", "commune", "city"})


@dataclass
class Builder:
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
    details: list[str] = field(default_factory=list)  # components listed under an activity
    refers_to: set[str] = field(default_factory=set)
    from_gazetteer: bool = False
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def mention(self, start: int, end: int) -> Candidate:
        """A mention of this entity at ``[start, end)`` that names it indirectly (a bare head
        noun, a glossary term, an office), recorded among its spans."""
        self.spans.append((start, end, "reference"))
        return Candidate(start, end, self.label, self.name, "reference", key=self.key)

    def absorb(self, cand: Candidate) -> None:
        """Take the candidate's names and fill this builder's empty fields from it."""
        self.names.add(cand.name)
        self.names.update(a for a in cand.aliases if a)
        if cand.acronym:
            self.acronym = self.acronym or cand.acronym
        for attr in ("kind", "level", "country", "sector", "code", "parent"):
            if getattr(self, attr) is None and getattr(cand, attr) is not None:
                setattr(self, attr, getattr(cand, attr))
        if cand.source == "gazetteer":
            self.from_gazetteer = True


class ExtractionContext:
    """State shared by the components while one document is extracted."""

    def __init__(self, document: DocumentInfo, lexicon: Lexicon) -> None:
        self.document = document
        self.text = document.text
        self.lexicon = lexicon
        self.passages: list[Passage] = []
        self._starts: list[int] = []
        self.builders: dict[str, Builder] = {}
        self.alias_keys: dict[str, str] = {}
        self.relations: dict[str, Relation] = {}
        self.country = DocumentCountry()  # set once the gazetteer matches are read

    @cached_property
    def lowered(self) -> str | None:
        """The text in lower case for keyword scans (:func:`loaders.extract.scan.lowered`)."""
        return lowered(self.text)

    @cached_property
    def article_starts(self) -> list[int]:
        """Where the document's article headings start ("Artículo 3.-"), found once."""
        return [m.start() for m in ARTICLE_HEADING.finditer(self.text)]

    # --- passages and evidence
    def set_passages(self) -> None:
        """Segment the document text into passages (sentences and table rows)."""
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
        """The passage that contains ``offset``, if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.passages[i].start <= offset < max(self.passages[i].end, offset + 1):
            return self.passages[i]
        return None

    def evidence(self, start: int, end: int, extractor: str, confidence: float) -> Evidence:
        """Evidence for the text span ``[start, end)`` in the passage that holds it."""
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
    def entry_for(self, name: str) -> LexEntry | None:
        """The gazetteer entry ``name`` means in this document: of the document's country
        first, else of no country, else of a country the document names; None when only
        another country's entry carries the name (see :mod:`loaders.extract.countries`)."""
        return self.country.pick(self.lexicon.lookup_all(name))

    def key_for(self, cand: Candidate) -> str:
        """The resolution key of a candidate: an alias already seen, a gazetteer entry, its name."""
        family = "Instrument" if cand.label in ("Instrument", "Program") else cand.label
        norm = normalize_name(cand.name)
        alias_key = self.alias_keys.get(f"{family}|{norm}") or self.alias_keys.get(
            f"{family}|~{name_key(norm)}"
        )
        if alias_key:
            return alias_key
        if cand.source != "gazetteer":
            entry = self.entry_for(cand.name)
            if entry is not None and label_family(entry.label) == family:
                return f"{family}|{normalize_name(entry.name)}"
        return f"{family}|{norm}"

    def add(self, cand: Candidate) -> Builder:
        """Add a candidate to the entity its key names (created on first sight) and return it."""
        given = cand
        if cand.source != "gazetteer":
            entry = self.entry_for(cand.name)
            if entry is not None and label_family(entry.label) == label_family(cand.label):
                cand = candidate_from_entry(cand, entry)
        key = cand.key or self.key_for(cand)
        cand.key = given.key = key  # the caller's candidate names the entity too
        builder = self.builders.get(key)
        if builder is None:
            builder = Builder(key=key, label=cand.label, name=cand.name)
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
                self.alias_keys.setdefault(f"{family}|~{name_key(norm)}", key)
        return builder

    def forget(self, key: str) -> None:
        """Drop the entity ``key`` and the names that lead to it (a candidate read before a
        longer name covering all of its mentions was found)."""
        self.builders.pop(key, None)
        for alias in [a for a, k in self.alias_keys.items() if k == key]:
            del self.alias_keys[alias]

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
        """Record a relation with the evidence span ``[start, end)``; repeats gain evidence."""
        if source == target:
            return
        rel = Relation(source=source, type=rel_type, target=target, properties=properties)
        existing = self.relations.get(rel.id)
        if existing is None:
            self.relations[rel.id] = existing = rel
        existing.add_evidence([self.evidence(start, end, extractor, confidence)])


def label_family(label: str) -> str:
    """Instrument and Program are one family for resolution; other labels are their own."""
    return "Instrument" if label in ("Instrument", "Program") else label


def candidate_from_entry(cand: Candidate, entry) -> Candidate:  # type: ignore[no-untyped-def]
    """The candidate ``cand`` as the gazetteer ``entry`` names it (surface form kept as an alias)."""
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
