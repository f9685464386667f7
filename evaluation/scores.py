"""Extraction evaluation: score what the loaders extract from a document against its gold file.

The rules are those of ``../shared/gold/README.md``; where the README leaves room, this module
reads it as follows.

Entities
    An extracted entity is a *candidate* for a gold entity of the same type (Program and
    Instrument are one type in the lenient score, two in the strict one) when one of its
    normalised names, aliases or acronym equals one of the gold entity's normalised name or
    aliases (:func:`graph.normalize.normalize_name`). A gold entity with a ``code`` (an
    activity) is also a candidate for an extracted entity of the same type with the same code
    (compared without surrounding blanks and trailing dots) *of its programme*: when the gold
    activity is ``PART_OF`` a programme and the extraction places the extracted entity
    ``PART_OF`` one or more programmes, one of those must carry a name of the gold programme;
    an extracted entity the extraction places in no programme is taken to belong to the
    document's programme. Each non-optional gold entity is matched at most once, by a
    deterministic maximum matching that first maximises the matched gold entities, then the
    extracted entities kept out of the false positives, then prefers name-to-name over alias
    matches over code-only matches. Matched gold entities are true positives, the others false
    negatives. An extracted entity left unmatched is a false positive unless it is a candidate
    for an optional gold entity (then it counts nowhere); optional gold entities never count.
    An unmatched extracted entity that duplicates an already matched gold entity is a false
    positive (entity resolution should have merged it). Extracted entities whose label is not
    a gold type (``GovernanceLevel``) are not scored and are listed in the details.

Levels
    Among the matched non-optional gold institutions that carry a level, the share whose
    extracted entity has the same level (an extracted entity without a level is wrong).

Relations and pairs
    Both map extracted entities to gold entities through the lenient matching: a matched
    extracted entity maps to its gold entity; an unmatched one to every gold entity it is a
    candidate for (optional ones, or a gold entity already matched by a duplicate), so that a
    fact attached to an unmerged duplicate still counts once. An extracted relation of a gold
    relation type matches a gold relation of the same type when its source maps to the gold
    source and its target to the gold target (either way round for ``COORDINATES_WITH``).
    Each non-optional gold relation found is one true positive however many extracted
    relations state it; the others are false negatives. An extracted relation that matches
    only optional gold relations counts nowhere. One that matches no gold relation is a false
    positive for its type when an end maps to no gold entity at all, or when both ends map to
    non-optional gold entities; when an end maps only to optional gold entities it counts
    nowhere, as the entity itself does (the gold does not commit to the relations of optional
    entities). Extracted relations of types the gold does not annotate (``AT_LEVEL``,
    ``COVERS``...) are not scored and are counted in the details.

    ``duplicates`` and ``overlaps`` are scored by ranking callables that receive the graph
    projected from the extraction and ``k`` = 3 × the number of gold pairs, and return ranked
    pairs of extracted entity ids; the first ``k`` are kept. A gold pair is found when a kept
    pair's two ids map to its two gold entities, in either order. Without a callable the score
    is not computed (``found`` and ``recall_at_k`` are ``null``); with no gold pairs the
    callable is not called.

Ratios with a zero denominator
    Precision, recall and F1 are 1.0 when there is nothing to find and nothing was found
    (perfect agreement on an empty set) and 0.0 in any other 0/0 case (precision when nothing
    was extracted but something was to be found, recall when nothing was to be found but
    something was extracted). Recall at k with no gold pairs and level accuracy with no matched
    institution are 1.0: nothing could be missed.

Overall scores are micro-averaged: true positives, false positives, false negatives, matched
and correct levels, gold and found pairs are summed over documents before the ratios. Macro
averages sit beside them: the mean of the per-document ratios of a measure over the documents
where that measure has something to count (a true or false positive or a false negative; a
matched institution with a level; a gold pair), so that a document where a type neither
occurs nor is extracted does not lift the mean with its 1.0 by convention. A measure no
document counts has no macro average (``null``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from evaluation.gold import (
    GOLD_ENTITY_TYPES,
    GOLD_RELATION_TYPES,
    PROGRAMME_TYPES,
    STRENGTHS,
    GoldDocument,
    GoldError,
    load_gold,
)
from graph.model import Entity, Extraction
from graph.normalize import normalize_name
from graph.projection import project
from graph.vocab import UNDIRECTED_TYPES

PairRanking = Callable[[nx.MultiDiGraph, int], list[tuple[str, str]]]
Extractor = Callable[[Path], Extraction]

PROGRAM_INSTRUMENT = "Program+Instrument"
LENIENT_TYPES: tuple[str, ...] = ("Institution", PROGRAM_INSTRUMENT, "Territory", "Person")
STRICT_TYPES: tuple[str, ...] = ("Institution", "Instrument", "Program", "Territory", "Person")

# Preference among candidate matches, best last; used only to break ties.
_BY_CODE, _BY_ALIAS, _BY_NAME = 1, 2, 3


def type_key(label: str, *, strict: bool) -> str | None:
    """The score type of a label: Program and Instrument share one in the lenient score."""
    if label not in GOLD_ENTITY_TYPES:
        return None
    if not strict and label in PROGRAMME_TYPES:
        return PROGRAM_INSTRUMENT
    return label


def _normalize_code(code: str | None) -> str:
    """Comparison form of an activity code: ``' 4.4. '`` → ``'4.4'``."""
    return (code or "").strip().rstrip(".").strip().casefold()


def _ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator``, 1.0 when there is nothing to count."""
    return numerator / denominator if denominator else 1.0


# --------------------------------------------------------------------------- score models


class Counts(BaseModel):
    """True positives, false positives and false negatives of one type, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 if nothing was extracted and nothing was to find, else 0.0."""
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 if nothing was to find and nothing was extracted, else 0.0."""
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0.0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)

    def to_json(self) -> dict[str, float | int]:
        """``{"tp", "fp", "fn", "precision", "recall", "f1"}``."""
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
        }


class LevelScore(BaseModel):
    """Matched gold institutions with a level, and how many got the right one."""

    matched: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float:
        """correct / matched; 1.0 when no institution with a level was matched."""
        return _ratio(self.correct, self.matched)

    def __add__(self, other: LevelScore) -> LevelScore:
        return LevelScore(matched=self.matched + other.matched,
                          correct=self.correct + other.correct)

    def to_json(self) -> dict[str, float | int]:
        """``{"matched", "correct", "accuracy"}``."""
        return {"matched": self.matched, "correct": self.correct, "accuracy": self.accuracy}


class PairScore(BaseModel):
    """Gold pairs and how many were found in the top k of a ranking (None: not ranked)."""

    gold: int = 0
    found: int | None = None
    k: int = 0

    @property
    def recall_at_k(self) -> float | None:
        """found / gold; 1.0 with no gold pairs; None when no ranking was given."""
        return None if self.found is None else _ratio(self.found, self.gold)

    def __add__(self, other: PairScore) -> PairScore:
        found = None if self.found is None or other.found is None else self.found + other.found
        return PairScore(gold=self.gold + other.gold, found=found, k=self.k + other.k)

    def to_json(self) -> dict[str, float | int | None]:
        """``{"gold", "found", "recall_at_k"}``."""
        return {"gold": self.gold, "found": self.found, "recall_at_k": self.recall_at_k}


class EntityItem(BaseModel):
    """An entity named in the details: its score type, name and id."""

    type: str
    name: str
    id: str


class RelationItem(BaseModel):
    """A relation named in the details, with the names of its ends."""

    type: str
    source: str
    target: str


class LevelItem(BaseModel):
    """A matched institution whose extracted level differs from the gold one."""

    name: str
    gold: str
    extracted: str | None


class PairItem(BaseModel):
    """A gold pair not found in the top k, by the names of its entities."""

    a: str
    b: str
    strength: str | None = None


class EntityDetails(BaseModel):
    """What went wrong with the entities of one score (lenient or strict)."""

    false_positives: list[EntityItem] = Field(default_factory=list)
    false_negatives: list[EntityItem] = Field(default_factory=list)
    excused: list[EntityItem] = Field(default_factory=list)


class RelationDetails(BaseModel):
    """What went wrong with the relations, and what was not scored."""

    false_positives: list[RelationItem] = Field(default_factory=list)
    false_negatives: list[RelationItem] = Field(default_factory=list)
    excused: list[RelationItem] = Field(default_factory=list)
    unscored_types: dict[str, int] = Field(default_factory=dict)


class PairDetails(BaseModel):
    """k and the gold pairs missed; per strength for duplicates."""

    k: int = 0
    missed: list[PairItem] = Field(default_factory=list)
    by_strength: dict[str, dict[str, float | int | None]] = Field(default_factory=dict)


class DocumentDetails(BaseModel):
    """Diagnosis of one document's scores: every miss and false positive by name."""

    entities: EntityDetails = Field(default_factory=EntityDetails)
    entities_strict: EntityDetails = Field(default_factory=EntityDetails)
    unscored_labels: dict[str, int] = Field(default_factory=dict)
    levels: list[LevelItem] = Field(default_factory=list)
    relations: RelationDetails = Field(default_factory=RelationDetails)
    duplicates: PairDetails = Field(default_factory=PairDetails)
    overlaps: PairDetails = Field(default_factory=PairDetails)


def _empty_counts(types: Iterable[str]) -> dict[str, Counts]:
    return {t: Counts() for t in types}


class DocumentScores(BaseModel):
    """Scores of one document (or, summed, of the whole corpus)."""

    document: str
    entities: dict[str, Counts] = Field(default_factory=lambda: _empty_counts(LENIENT_TYPES))
    entities_strict: dict[str, Counts] = Field(
        default_factory=lambda: _empty_counts(STRICT_TYPES))
    levels: LevelScore = Field(default_factory=LevelScore)
    relations: dict[str, Counts] = Field(
        default_factory=lambda: _empty_counts(GOLD_RELATION_TYPES))
    duplicates: PairScore = Field(default_factory=PairScore)
    duplicates_by_strength: dict[str, PairScore] = Field(
        default_factory=lambda: {s: PairScore() for s in STRENGTHS})
    overlaps: PairScore = Field(default_factory=PairScore)
    details: DocumentDetails = Field(default_factory=DocumentDetails)

    def scores_json(self) -> dict[str, Any]:
        """The scores without details, in the shape other tools read."""
        return {
            "entities": {t: c.to_json() for t, c in self.entities.items()},
            "entities_strict": {t: c.to_json() for t, c in self.entities_strict.items()},
            "levels": self.levels.to_json(),
            "relations": {t: c.to_json() for t, c in self.relations.items()},
            "duplicates": self.duplicates.to_json(),
            "overlaps": self.overlaps.to_json(),
        }

    def to_json(self) -> dict[str, Any]:
        """The scores plus a ``details`` key with the misses by name, k and per-strength recall."""
        return {**self.scores_json(), "details": self.details.model_dump()}


class MissingDocument(BaseModel):
    """A gold file whose document is not in the documents directory."""

    gold: str
    document: str


def combine(scores: Iterable[DocumentScores], name: str = "overall") -> DocumentScores:
    """Micro-average: sum the counts of several documents (details are not combined)."""
    total = DocumentScores(document=name)
    first = True
    for score in scores:
        for t in LENIENT_TYPES:
            total.entities[t] += score.entities[t]
        for t in STRICT_TYPES:
            total.entities_strict[t] += score.entities_strict[t]
        for t in GOLD_RELATION_TYPES:
            total.relations[t] += score.relations[t]
        total.levels += score.levels
        if first:
            total.duplicates, total.overlaps = score.duplicates, score.overlaps
            total.duplicates_by_strength = dict(score.duplicates_by_strength)
            first = False
        else:
            total.duplicates += score.duplicates
            total.overlaps += score.overlaps
            for s in STRENGTHS:
                total.duplicates_by_strength[s] += score.duplicates_by_strength[s]
    return total


class MacroCounts(BaseModel):
    """Mean precision, recall and F1 of one type over the documents that count it."""

    documents: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None

    @classmethod
    def of(cls, counts: Iterable[Counts]) -> MacroCounts:
        """Macro average of the documents' counts of one type (see the module docstring)."""
        counted = [c for c in counts if c.tp + c.fp + c.fn]
        if not counted:
            return cls()
        n = len(counted)
        return cls(documents=n, precision=sum(c.precision for c in counted) / n,
                   recall=sum(c.recall for c in counted) / n, f1=sum(c.f1 for c in counted) / n)


class MacroRatio(BaseModel):
    """Mean of a ratio (level accuracy, recall at k) over the documents that count it."""

    documents: int = 0
    value: float | None = None

    @classmethod
    def of(cls, values: Iterable[float | None]) -> MacroRatio:
        """Mean of the values that are not None."""
        kept = [v for v in values if v is not None]
        return cls(documents=len(kept), value=sum(kept) / len(kept)) if kept else cls()


class MacroScores(BaseModel):
    """Macro averages of every measure over a set of documents."""

    entities: dict[str, MacroCounts]
    entities_strict: dict[str, MacroCounts]
    levels: MacroRatio
    relations: dict[str, MacroCounts]
    duplicates: MacroRatio
    overlaps: MacroRatio

    @classmethod
    def of(cls, scores: Iterable[DocumentScores]) -> MacroScores:
        """Average each measure over the documents where it counts something."""
        docs = list(scores)
        return cls(
            entities={t: MacroCounts.of(d.entities[t] for d in docs) for t in LENIENT_TYPES},
            entities_strict={
                t: MacroCounts.of(d.entities_strict[t] for d in docs) for t in STRICT_TYPES},
            levels=MacroRatio.of(d.levels.accuracy for d in docs if d.levels.matched),
            relations={
                t: MacroCounts.of(d.relations[t] for d in docs) for t in GOLD_RELATION_TYPES},
            duplicates=MacroRatio.of(d.duplicates.recall_at_k for d in docs if d.duplicates.gold),
            overlaps=MacroRatio.of(d.overlaps.recall_at_k for d in docs if d.overlaps.gold),
        )

    def to_json(self) -> dict[str, Any]:
        """Same groups as the micro scores; each entry names how many documents it averages."""
        return {
            "entities": {t: c.model_dump() for t, c in self.entities.items()},
            "entities_strict": {t: c.model_dump() for t, c in self.entities_strict.items()},
            "levels": {"documents": self.levels.documents, "accuracy": self.levels.value},
            "relations": {t: c.model_dump() for t, c in self.relations.items()},
            "duplicates": {"documents": self.duplicates.documents,
                           "recall_at_k": self.duplicates.value},
            "overlaps": {"documents": self.overlaps.documents,
                         "recall_at_k": self.overlaps.value},
        }


class EvaluationReport(BaseModel):
    """Scores of every evaluated document, the documents that were missing, and the total."""

    documents: dict[str, DocumentScores] = Field(default_factory=dict)
    missing: list[MissingDocument] = Field(default_factory=list)

    @property
    def overall(self) -> DocumentScores:
        """Micro-averaged scores over the evaluated documents."""
        return combine(self.documents.values())

    @property
    def macro(self) -> MacroScores:
        """Macro-averaged scores over the evaluated documents."""
        return MacroScores.of(self.documents.values())

    def to_json(self) -> dict[str, Any]:
        """``{"overall": micro, "macro": {...}, "documents": {FILE: {..., "details": {...}}}}``."""
        return {
            "overall": self.overall.scores_json(),
            "macro": self.macro.to_json(),
            "documents": {name: s.to_json() for name, s in self.documents.items()},
        }


# --------------------------------------------------------------------------- matching


@dataclass
class _Assignment:
    """The result of matching extracted entities (by index) to gold entities (by index)."""

    matched: dict[int, int] = field(default_factory=dict)      # gold → extracted
    candidates: dict[int, dict[int, int]] = field(default_factory=dict)  # extracted → gold → pref


class _Matcher:
    """Candidate matches and maximum matching between one gold file and one extraction."""

    def __init__(self, gold: GoldDocument, extraction: Extraction) -> None:
        self.gold = gold
        self.entities = extraction.entities
        self._gold_names = [g.normalized_names() for g in gold.entities]
        self._gold_main = [normalize_name(g.name) for g in gold.entities]
        self._gold_index = {g.id: i for i, g in enumerate(gold.entities)}
        self._programmes = [gold.programmes_of(g.id) for g in gold.entities]
        by_id: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.entities:
            by_id[entity.id].append(entity)
        self._parents: dict[str, list[Entity]] = defaultdict(list)
        for relation in extraction.relations:
            if relation.type == "PART_OF":
                self._parents[relation.source].extend(
                    p for p in by_id.get(relation.target, []) if p.label in PROGRAMME_TYPES)

    def _in_programme(self, gold_index: int, entity: Entity) -> bool:
        """Whether ``entity`` belongs to the programme of the gold activity (module docstring)."""
        programmes = self._programmes[gold_index]
        parents = self._parents.get(entity.id, [])
        if not programmes or not parents:
            return True
        return any(
            parent.normalized_names() & self._gold_names[self._gold_index[programme]]
            for parent in parents
            for programme in programmes
        )

    def candidates(self, *, strict: bool) -> dict[int, dict[int, int]]:
        """For each extracted entity, the gold entities it may match and the preference."""
        by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_code: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, g in enumerate(self.gold.entities):
            key = type_key(g.type, strict=strict)
            for name in sorted(self._gold_names[i]):
                by_name[(key, name)].append(i)
            if _normalize_code(g.code):
                by_code[(key, _normalize_code(g.code))].append(i)
        out: dict[int, dict[int, int]] = {}
        for j, entity in enumerate(self.entities):
            key = type_key(entity.label, strict=strict)
            if key is None:
                continue
            found: dict[int, int] = {}
            main = normalize_name(entity.name)
            for name in sorted(entity.normalized_names()):
                for i in by_name.get((key, name), []):
                    pref = _BY_NAME if main and main == self._gold_main[i] else _BY_ALIAS
                    found[i] = max(found.get(i, 0), pref)
            code = _normalize_code(entity.code)
            if code:
                for i in by_code.get((key, code), []):
                    if self._in_programme(i, entity):
                        found[i] = max(found.get(i, 0), _BY_CODE)
            if found:
                out[j] = found
        return out

    def assign(self, *, strict: bool) -> _Assignment:
        """Deterministic maximum matching of non-optional gold entities (module docstring)."""
        candidates = self.candidates(strict=strict)
        optional = [g.optional for g in self.gold.entities]
        offset = len(self.gold.entities)
        big = 4 * (min(len(self.gold.entities), len(self.entities)) + 1)
        graph = nx.Graph()
        for j in sorted(candidates):
            keeps_out_fp = not any(optional[i] for i in candidates[j])
            for i, pref in sorted(candidates[j].items()):
                if not optional[i]:
                    graph.add_edge(i, offset + j, weight=big * keeps_out_fp + pref)
        matched: dict[int, int] = {}
        for component in sorted(nx.connected_components(graph), key=min):
            sub = graph.subgraph(sorted(component))
            for u, v in nx.max_weight_matching(sub, maxcardinality=True, weight="weight"):
                gold_index, extracted = (u, v) if u < offset else (v, u)
                matched[gold_index] = extracted - offset
        return _Assignment(matched=dict(sorted(matched.items())), candidates=candidates)


def _entity_scores(
    gold: GoldDocument, entities: list[Entity], assignment: _Assignment, *, strict: bool,
) -> tuple[dict[str, Counts], EntityDetails]:
    """True/false positives and false negatives per type for one assignment."""
    types = STRICT_TYPES if strict else LENIENT_TYPES
    counts = _empty_counts(types)
    details = EntityDetails()
    for i, g in enumerate(gold.entities):
        if g.optional:
            continue
        key = type_key(g.type, strict=strict)
        if i in assignment.matched:
            counts[key].tp += 1
        else:
            counts[key].fn += 1
            details.false_negatives.append(EntityItem(type=key, name=g.name, id=g.id))
    matched_extracted = set(assignment.matched.values())
    for j, entity in enumerate(entities):
        key = type_key(entity.label, strict=strict)
        if key is None or j in matched_extracted:
            continue
        item = EntityItem(type=key, name=entity.name, id=entity.id)
        if any(gold.entities[i].optional for i in assignment.candidates.get(j, {})):
            details.excused.append(item)
        else:
            counts[key].fp += 1
            details.false_positives.append(item)
    return counts, details


def _level_scores(
    gold: GoldDocument, entities: list[Entity], assignment: _Assignment,
) -> tuple[LevelScore, list[LevelItem]]:
    """Level accuracy over matched gold institutions that carry a level."""
    score = LevelScore()
    wrong: list[LevelItem] = []
    for i, j in assignment.matched.items():
        g = gold.entities[i]
        if g.type != "Institution" or g.level is None:
            continue
        score.matched += 1
        if entities[j].level == g.level:
            score.correct += 1
        else:
            wrong.append(LevelItem(name=g.name, gold=g.level, extracted=entities[j].level))
    return score, wrong


def _gold_map(gold: GoldDocument, entities: list[Entity], assignment: _Assignment,
              ) -> dict[str, set[str]]:
    """Extracted entity id → the gold entity ids it maps to (see the module docstring)."""
    mapping: dict[str, set[str]] = defaultdict(set)
    matched = {j: i for i, j in assignment.matched.items()}
    for j, entity in enumerate(entities):
        if j in matched:
            mapping[entity.id].add(gold.entities[matched[j]].id)
        else:
            mapping[entity.id].update(gold.entities[i].id for i in assignment.candidates.get(j, {}))
    return mapping


def _relation_scores(
    gold: GoldDocument, extraction: Extraction, mapping: dict[str, set[str]],
) -> tuple[dict[str, Counts], RelationDetails]:
    """Per relation type: gold relations found, missed, and false extracted relations."""
    counts = _empty_counts(GOLD_RELATION_TYPES)
    details = RelationDetails()
    optional_entity = {g.id: g.optional for g in gold.entities}
    names = {e.id: e.name for e in extraction.entities}
    by_type: dict[str, list[int]] = defaultdict(list)
    for index, relation in enumerate(gold.relations):
        by_type[relation.type].append(index)
    found: set[int] = set()
    seen: set[str] = set()
    for relation in extraction.relations:
        if relation.id in seen:
            continue
        seen.add(relation.id)
        if relation.type not in GOLD_RELATION_TYPES:
            details.unscored_types[relation.type] = details.unscored_types.get(relation.type, 0) + 1
            continue
        sources = mapping.get(relation.source, set())
        targets = mapping.get(relation.target, set())
        hits = [
            index for index in by_type.get(relation.type, [])
            if _ends_match(gold.relations[index].source, gold.relations[index].target,
                           sources, targets, undirected=relation.type in UNDIRECTED_TYPES)
        ]
        required = [index for index in hits if not gold.relations[index].optional]
        item = RelationItem(type=relation.type, source=names.get(relation.source, relation.source),
                            target=names.get(relation.target, relation.target))
        if required:
            found.update(required)
        elif hits:
            continue
        elif sources and targets and any(
            all(optional_entity[g] for g in ends) for ends in (sources, targets)
        ):
            details.excused.append(item)
        else:
            counts[relation.type].fp += 1
            details.false_positives.append(item)
    for index, relation in enumerate(gold.relations):
        if relation.optional:
            continue
        if index in found:
            counts[relation.type].tp += 1
        else:
            counts[relation.type].fn += 1
            details.false_negatives.append(RelationItem(
                type=relation.type, source=gold.entity(relation.source).name,
                target=gold.entity(relation.target).name))
    return counts, details


def _ends_match(gold_source: str, gold_target: str, sources: set[str], targets: set[str], *,
                undirected: bool) -> bool:
    """Whether mapped ends cover the gold ends (in either order when undirected)."""
    if gold_source in sources and gold_target in targets:
        return True
    return undirected and gold_source in targets and gold_target in sources


def _pair_scores(
    gold: GoldDocument,
    pairs: list[tuple[str, str, str | None]],
    ranking: PairRanking | None,
    graph: Callable[[], nx.MultiDiGraph],
    mapping: dict[str, set[str]],
) -> tuple[PairScore, set[int], PairDetails]:
    """Recall of gold pairs ``(a, b, strength)`` within the ranking's top k."""
    k = 3 * len(pairs)
    details = PairDetails(k=k)
    if ranking is None:
        return PairScore(gold=len(pairs), found=None, k=k), set(), details
    found: set[int] = set()
    if k:
        for x, y in list(ranking(graph(), k))[:k]:
            mapped_x, mapped_y = mapping.get(x, set()), mapping.get(y, set())
            for index, (a, b, _) in enumerate(pairs):
                if _ends_match(a, b, mapped_x, mapped_y, undirected=True):
                    found.add(index)
    details.missed = [
        PairItem(a=gold.entity(a).name, b=gold.entity(b).name, strength=strength)
        for index, (a, b, strength) in enumerate(pairs) if index not in found
    ]
    return PairScore(gold=len(pairs), found=len(found), k=k), found, details


def evaluate_document(
    gold: GoldDocument,
    extraction: Extraction,
    *,
    duplicates: PairRanking | None = None,
    overlaps: PairRanking | None = None,
) -> DocumentScores:
    """Score one document's extraction against its gold annotation (module docstring rules)."""
    matcher = _Matcher(gold, extraction)
    entities = extraction.entities
    lenient = matcher.assign(strict=False)
    strict = matcher.assign(strict=True)
    scores = DocumentScores(document=gold.document)
    scores.entities, scores.details.entities = _entity_scores(
        gold, entities, lenient, strict=False)
    scores.entities_strict, scores.details.entities_strict = _entity_scores(
        gold, entities, strict, strict=True)
    unscored = scores.details.unscored_labels
    for entity in entities:
        if type_key(entity.label, strict=True) is None:
            unscored[entity.label] = unscored.get(entity.label, 0) + 1
    scores.levels, scores.details.levels = _level_scores(gold, entities, lenient)
    mapping = _gold_map(gold, entities, lenient)
    scores.relations, scores.details.relations = _relation_scores(gold, extraction, mapping)

    projected: list[nx.MultiDiGraph] = []

    def graph() -> nx.MultiDiGraph:
        if not projected:
            projected.append(project(extraction.entities, extraction.relations))
        return projected[0]

    duplicate_pairs = [(p.a, p.b, p.strength) for p in gold.duplicates]
    scores.duplicates, found, scores.details.duplicates = _pair_scores(
        gold, duplicate_pairs, duplicates, graph, mapping)
    for strength in STRENGTHS:
        indices = [i for i, p in enumerate(duplicate_pairs) if p[2] == strength]
        hit = None if scores.duplicates.found is None else len(found.intersection(indices))
        scores.duplicates_by_strength[strength] = PairScore(
            gold=len(indices), found=hit, k=scores.duplicates.k)
    scores.details.duplicates.by_strength = {
        s: p.to_json() for s, p in scores.duplicates_by_strength.items()}
    overlap_pairs = [(p.a, p.b, None) for p in gold.overlaps]
    scores.overlaps, _, scores.details.overlaps = _pair_scores(
        gold, overlap_pairs, overlaps, graph, mapping)
    return scores


def evaluate(
    gold_dir: Path,
    docs_dir: Path,
    extract: Extractor,
    *,
    duplicates: PairRanking | None = None,
    overlaps: PairRanking | None = None,
) -> EvaluationReport:
    """Evaluate ``extract`` on every gold file (``*.yaml``, ``*.yml``) of ``gold_dir``.

    A gold file whose document is not in ``docs_dir`` is listed in ``report.missing``.
    Raises :class:`evaluation.gold.GoldError` for a missing gold directory, one without gold
    files, an invalid gold file, or two gold files for the same document.
    """
    gold_dir, docs_dir = Path(gold_dir), Path(docs_dir)
    if not gold_dir.is_dir():
        raise GoldError(gold_dir, "the gold directory does not exist")
    paths = sorted(p for p in gold_dir.iterdir()
                   if p.is_file() and p.suffix.lower() in (".yaml", ".yml"))
    if not paths:
        raise GoldError(gold_dir, "no gold files (*.yaml, *.yml) in this directory")
    report = EvaluationReport()
    owners: dict[str, Path] = {}
    for path in paths:
        gold = load_gold(path)
        if gold.document in owners:
            raise GoldError(path, f"document {gold.document!r} is already annotated by "
                                  f"{owners[gold.document].name}")
        owners[gold.document] = path
        document = docs_dir / gold.document
        if not document.is_file():
            report.missing.append(MissingDocument(gold=path.name, document=str(document)))
            continue
        report.documents[gold.document] = evaluate_document(
            gold, extract(document), duplicates=duplicates, overlaps=overlaps)
    return report


__all__ = [
    "LENIENT_TYPES",
    "PROGRAM_INSTRUMENT",
    "STRICT_TYPES",
    "Counts",
    "DocumentDetails",
    "DocumentScores",
    "EvaluationReport",
    "LevelScore",
    "MacroCounts",
    "MacroRatio",
    "MacroScores",
    "MissingDocument",
    "PairScore",
    "combine",
    "evaluate",
    "evaluate_document",
    "type_key",
]
