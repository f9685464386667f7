"""The store protocol that both adapters implement and the contract suite checks.

A store holds documents, passages, entities, relations with their evidence, mentions,
merge records and merge candidates. Writes are one transaction per document and
idempotent: writing the same extraction twice changes nothing. Writing a document whose
path was ingested before with other content replaces that version, and deleting a document
leaves the store as if it had never been ingested: its passages, mentions, evidence and
support records go, what it alone supported goes, what others support too is rebuilt from
what they said (:mod:`graph.stores.support`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import networkx as nx
from pydantic import BaseModel, Field

from graph.model import DocumentInfo, Entity, Extraction, Mention, Passage, Relation


class StoreError(Exception):
    """A store operation failed; the message says what and why."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, wrong credentials, unreadable file)."""


class WriteResult(BaseModel):
    """What one document's write did."""

    document_id: str
    skipped: bool = False          # the same content was already stored
    replaced: str | None = None    # id of the previous version of this path, if any
    entities: int = 0
    relations: int = 0
    evidence: int = 0


class DeleteResult(BaseModel):
    """What deleting one document did."""

    document_id: str
    path: str
    entities_removed: int = 0    # entities no other document supports
    relations_removed: int = 0   # relations no other document supports


class StoreStats(BaseModel):
    """Counts of everything in the store."""

    documents: int = 0
    passages: int = 0
    mentions: int = 0
    entities: dict[str, int] = Field(default_factory=dict)
    relations: dict[str, int] = Field(default_factory=dict)
    evidence: int = 0
    revision: int = 0


class MergeRecord(BaseModel):
    """A recorded merge of ``merged_id`` into ``kept_id``; undone by ``unmerge``."""

    id: int
    kept_id: str
    merged_id: str
    reason: str = ""
    created: str = ""
    undone: bool = False


class MergeCandidate(BaseModel):
    """Two entities whose names are near-identical: to be reviewed, never merged silently."""

    a: str
    b: str
    score: float
    reason: str


VERDICTS: tuple[str, ...] = ("duplicate", "not_duplicate")
# The graph attribute under which a store's view carries its verdicts, keyed by sorted pair.
VERDICTS_ATTRIBUTE = "verdicts"


# The graph attribute under which a store's view says where indexes computed on it may be
# saved and which content it holds (:class:`SavedIndexes`); a store without local files
# leaves it out, and its indexes are built in each process.
SAVED_INDEXES_ATTRIBUTE = "saved_indexes"


@dataclass(frozen=True)
class SavedIndexes:
    """Where the indexes of a store's projection may be saved, and what they were built on.

    ``content`` changes with every change of the store's content (a write, a deletion, a
    merge, a verdict) and differs between two stores: an index saved under one ``content``
    is valid for that projection only.
    """

    folder: str
    content: str


class PairVerdict(BaseModel):
    """A reviewer's verdict on two instruments or programmes: duplicate or not, with a note.

    Kept by the sorted pair of entity ids, apart from the documents: re-ingesting or
    replacing a document leaves it in place, and it applies again to entities of the same ids.
    """

    a: str
    b: str
    verdict: str
    note: str = ""
    created: str = ""


def verdict_key(a: str, b: str) -> tuple[str, str]:
    """The sorted pair a verdict is kept under; refuses a pair of one entity."""
    if a == b:
        raise StoreError(f"a verdict needs two different entities, got {a!r} twice")
    first, second = sorted((a, b))
    return first, second


def check_verdict(verdict: str) -> str:
    """``verdict`` if it is one of :data:`VERDICTS`, else a :class:`StoreError`."""
    if verdict not in VERDICTS:
        raise StoreError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    return verdict


def with_verdicts(graph: nx.MultiDiGraph, verdicts: Iterable[PairVerdict]) -> nx.MultiDiGraph:
    """``graph`` carrying ``verdicts`` (by sorted pair) as a graph attribute, for the queries."""
    graph.graph[VERDICTS_ATTRIBUTE] = {(v.a, v.b): v for v in verdicts}
    return graph


@runtime_checkable
class Store(Protocol):
    """Persistence of the graph; see the module docstring for the write semantics."""

    url: str

    def write(self, extraction: Extraction, replaces: Sequence[str] = ()) -> WriteResult:
        """Store one document's extraction in one transaction (idempotent); the other
        versions of its path and the documents of ``replaces`` (a renamed file's former
        version) are replaced."""
        ...

    def delete_document(self, document_id: str) -> DeleteResult:
        """Delete a document as if it had never been ingested (see graph.stores.support)."""
        ...

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this id (sha256) is stored."""
        ...

    def documents(self) -> list[DocumentInfo]:
        """All documents, without their text."""
        ...

    def get_document(self, document_id: str) -> DocumentInfo | None:
        """One document with its text, or None."""
        ...

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity, or None."""
        ...

    def get_entities(self, entity_ids: Iterable[str]) -> list[Entity]:
        """The entities with these ids that exist, in no particular order."""
        ...

    def entities(self, label: str | None = None) -> Iterator[Entity]:
        """Every entity (optionally of one label)."""
        ...

    def relations(self) -> Iterator[Relation]:
        """Every relation with its evidence."""
        ...

    def relations_of(self, entity_id: str) -> list[Relation]:
        """Relations where the entity is source or target, with evidence."""
        ...

    def search_entities(
        self,
        q: str | None = None,
        label: str | None = None,
        level: str | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Entity]:
        """Accent- and case-insensitive search over names and aliases, with filters."""
        ...

    def search_passages(self, q: str, limit: int = 20) -> list[Passage]:
        """Passages whose text holds every word of ``q`` (accents and case ignored, the last
        word a prefix), best first; the search finds entities through them."""
        ...

    def find_by_normalized_names(self, names: Iterable[str]) -> dict[str, list[str]]:
        """Map each normalised name or alias to the ids of entities that carry it."""
        ...

    def passages(self, passage_ids: Iterable[str]) -> list[Passage]:
        """The passages with these ids."""
        ...

    def mentions_of(self, entity_id: str, limit: int = 100) -> list[Mention]:
        """Where an entity is mentioned."""
        ...

    def stats(self) -> StoreStats:
        """Counts of documents, passages, entities per label, relations per type, evidence."""
        ...

    def revision(self) -> int:
        """A number that changes whenever the store's content changes."""
        ...

    def view(self) -> nx.MultiDiGraph:
        """The networkx projection of the entity layer, cached by revision."""
        ...

    def neighbourhood_graph(
        self, entity_id: str, depth: int = 1, opened: Sequence[str] = ()
    ) -> nx.MultiDiGraph:
        """A part of the projection holding the neighbourhood of ``entity_id`` (``depth``
        relations) and of each ``opened`` entity (one relation), with every relation
        between two of its entities: :func:`queries.exploration.neighbourhood` gives on it
        what it gives on :meth:`view`. A store may return the whole projection."""
        ...

    def merge(self, kept_id: str, merged_id: str, reason: str = "") -> MergeRecord:
        """Merge ``merged_id`` into ``kept_id``, recording what is needed to undo it."""
        ...

    def unmerge(self, merge_id: int) -> MergeRecord:
        """Undo a recorded merge."""
        ...

    def merges(self) -> list[MergeRecord]:
        """Every recorded merge, newest first."""
        ...

    def add_merge_candidates(self, candidates: Iterable[MergeCandidate]) -> None:
        """Record pairs to review (idempotent)."""
        ...

    def merge_candidates(self) -> list[MergeCandidate]:
        """Pairs to review whose entities both still exist, best first."""
        ...

    def set_verdict(self, a: str, b: str, verdict: str, note: str = "") -> PairVerdict:
        """Record (or replace) the verdict on the pair ``a``, ``b`` (both must exist)."""
        ...

    def remove_verdict(self, a: str, b: str) -> bool:
        """Forget the verdict on the pair; ``False`` when there was none."""
        ...

    def verdicts(self) -> list[PairVerdict]:
        """Every recorded verdict, by pair."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
