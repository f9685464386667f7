"""Domain model: entities, relations, evidence, documents, passages and extractions.

These pydantic models are the contract between loaders, resolution, stores, queries
and the API. Ids are stable: entities by label + normalised name (+ country where the
same name exists in several countries), documents by the sha256 of their bytes,
passages by document id + character offsets.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from graph.normalize import normalize_name, slugify
from graph.vocab import UNDIRECTED_TYPES, Label, Level, RelationType

_LABEL_PREFIX = {
    "Institution": "inst",
    "GovernanceLevel": "level",
    "Instrument": "instr",
    "Program": "prog",
    "Territory": "terr",
    "Person": "pers",
}


def entity_id(label: str, name: str, country: str | None = None) -> str:
    """Stable id of an entity: ``inst:corporacion-de-fomento-de-la-produccion``.

    Names longer than 80 characters of slug are shortened with a hash suffix so that
    ids stay readable in URLs while remaining unique.
    """
    slug = slugify(name) or "unnamed"
    if len(slug) > 80:
        digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
        slug = f"{slug[:70].rstrip('-')}-{digest}"
    prefix = _LABEL_PREFIX[label]
    return f"{prefix}:{slug}@{country.lower()}" if country else f"{prefix}:{slug}"


def level_id(level: str) -> str:
    """Id of the GovernanceLevel node for ``level``."""
    return f"level:{level}"


def passage_id(document_id: str, start: int, end: int) -> str:
    """Stable id of a passage: document id + character offsets."""
    return f"{document_id[:16]}:{start}-{end}"


def relation_id(source: str, rel_type: str, target: str) -> str:
    """Stable id of a relation; undirected types are keyed with their ends sorted."""
    if rel_type in UNDIRECTED_TYPES and target < source:
        source, target = target, source
    return f"{source}|{rel_type}|{target}"


class Evidence(BaseModel):
    """Where a fact was read: an exact span of a document's text."""

    passage_id: str
    document_id: str
    start: int
    end: int
    quote: str
    extractor: str
    confidence: float = 1.0
    # For a cell of an inventory row: the catalogue field it holds (name, responsible,
    # objective...) and the header of its column; None for a span of running text.
    field: str | None = None
    column: str | None = None

    def key(self) -> tuple[str, int, int, str]:
        """Identity of this evidence entry within one relation."""
        return (self.document_id, self.start, self.end, self.extractor)


class Entity(BaseModel):
    """A node of the entity layer: institution, instrument, programme, territory, person."""

    id: str
    label: Label
    name: str
    aliases: list[str] = Field(default_factory=list)
    acronym: str | None = None
    kind: str | None = None
    sector: str | None = None
    level: Level | None = None
    country: str | None = None
    objective: str | None = None
    description: str | None = None
    themes: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    support_types: list[str] = Field(default_factory=list)
    territory: str | None = None
    code: str | None = None
    period: str | None = None
    budget: float | None = None
    source: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    def names(self) -> set[str]:
        """All surface forms: name, acronym and aliases."""
        out = {self.name, *self.aliases}
        if self.acronym:
            out.add(self.acronym)
        return {n for n in out if n}

    def normalized_names(self) -> set[str]:
        """Normalised forms of :meth:`names`, empty strings dropped."""
        return {n for n in (normalize_name(x) for x in self.names()) if n}

    def with_absorbed(self, other: Entity) -> Entity:
        """A copy of this entity that absorbed ``other`` (:meth:`absorb`), this one unchanged.

        Cheaper than a deep copy: :meth:`absorb` replaces the lists it extends rather than
        changing them, so only ``extra`` (which it extends in place) is copied first.
        """
        copy = self.model_copy(update={"extra": dict(self.extra)})
        copy.absorb(other)
        return copy

    def absorb(self, other: Entity) -> None:
        """Merge ``other``'s surface forms and fill this entity's empty fields from it."""
        forms = self.names() | other.names()
        forms.discard(self.name)
        self.aliases = sorted(forms)
        for field in (
            "acronym", "kind", "sector", "level", "country", "objective", "description",
            "territory", "code", "period", "budget", "source",
        ):
            if getattr(self, field) in (None, "") and getattr(other, field) not in (None, ""):
                setattr(self, field, getattr(other, field))
        for field in ("themes", "target_groups", "support_types"):
            merged = sorted(set(getattr(self, field)) | set(getattr(other, field)))
            setattr(self, field, merged)
        for key, value in other.extra.items():
            self.extra.setdefault(key, value)


class Relation(BaseModel):
    """A typed relationship between two entities, with every piece of evidence for it."""

    source: str
    type: RelationType
    target: str
    properties: dict[str, Any] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)
    _evidence_keys: set[tuple[str, int, int, str]] | None = PrivateAttr(default=None)

    @property
    def id(self) -> str:
        """Stable id of the relation (see :func:`relation_id`)."""
        return relation_id(self.source, self.type, self.target)

    def add_evidence(self, items: list[Evidence]) -> None:
        """Append evidence entries not already present (amortised O(1) per entry)."""
        seen = self._evidence_keys
        if seen is None or len(seen) != len(self.evidence):
            seen = {e.key() for e in self.evidence}
        for item in items:
            key = item.key()
            if key not in seen:
                self.evidence.append(item)
                seen.add(key)
        self._evidence_keys = seen


class Mention(BaseModel):
    """A surface form of an entity found in a passage (the MENTIONS relationship)."""

    passage_id: str
    entity_id: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, passage_id: str, entity_id: str, start: int, end: int, text: str) -> Mention:
        """A mention of values already of their types, built without validation: no copy of
        its strings, and one set of field names shared by all. A long text yields hundreds of
        thousands of mentions; built this way each costs a quarter of the memory."""
        return cls.model_construct(
            _MENTION_FIELDS, passage_id=passage_id, entity_id=entity_id, start=start, end=end,
            text=text,
        )


class Passage(BaseModel):
    """A sentence or table row of a document, with its character offsets."""

    id: str
    document_id: str
    start: int
    end: int
    text: str


class DocumentInfo(BaseModel):
    """A source document as stored: metadata plus the text the offsets refer to."""

    id: str
    title: str
    path: str
    format: str
    publisher: str | None = None
    date: str | None = None
    language: str = "es"
    text: str = ""


class Extraction(BaseModel):
    """Everything read from one document, ready for resolution and writing."""

    document: DocumentInfo
    passages: list[Passage] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def make_evidence(
    document: DocumentInfo, passage: Passage, start: int, end: int, extractor: str,
    confidence: float = 1.0, field: str | None = None, column: str | None = None,
) -> Evidence:
    """Evidence for the span ``[start, end)`` of ``document.text`` inside ``passage``
    (for an inventory cell, with its catalogue ``field`` and ``column`` header)."""
    return Evidence(
        field=field,
        column=column,
        passage_id=passage.id,
        document_id=document.id,
        start=start,
        end=end,
        quote=document.text[start:end],
        extractor=extractor,
        confidence=confidence,
    )


_MENTION_FIELDS = set(Mention.model_fields)
"""Every field of a Mention (all are set): the fields set shared by :meth:`Mention.of`."""
