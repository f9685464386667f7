"""A candidate mention: a span of the cleaned text that names an entity, with what is known."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(slots=True)
class Candidate:
    """A span found by one extractor; resolution groups candidates into entities."""

    start: int
    end: int
    label: str
    name: str
    source: str
    acronym: str | None = None
    kind: str | None = None
    level: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    confidence: float = 0.8
    key: str | None = None  # resolution key, set by the pipeline

    @property
    def length(self) -> int:
        """Span length in characters."""
        return self.end - self.start


# Instrument kinds of legal norms: a law or decree is a text's basis or subject, never a
# programme somebody runs
LAW_KINDS = frozenset({"law", "decree", "ordinance", "regulation", "resolution"})


def institution_keys_between(cands: list[Candidate], start: int, end: int) -> list[str]:
    """The keys of the institutions among ``cands`` that start in ``[start, end)``, once each,
    in text order."""
    return list(
        dict.fromkeys(
            c.key for c in cands if c.label == "Institution" and c.key and start <= c.start < end
        )
    )


# Higher wins when two candidates cover the same span.
SOURCE_PRIORITY = {
    "table": 6,
    "speaker": 5,
    "definition": 5,
    "gazetteer": 4,
    "quoted": 4,
    "law": 4,
    "pattern": 3,
    "role": 3,
    "marked": 2,
    "acronym": 1,
}


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep, among overlapping candidates, the longest (then the most trusted source).

    Taken spans never overlap, so they stay sorted and a new span needs checking only against
    its two neighbours: O(n log n).
    """
    ordered = sorted(
        candidates,
        key=lambda c: (-c.length, -SOURCE_PRIORITY.get(c.source, 0), c.start),
    )
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Candidate] = []
    for cand in ordered:
        i = bisect.bisect_left(starts, cand.start)
        if i < len(starts) and starts[i] < cand.end:
            continue
        if i > 0 and ends[i - 1] > cand.start:
            continue
        starts.insert(i, cand.start)
        ends.insert(i, cand.end)
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


class TakenSpans:
    """The spans of candidates already found, to ask whether an offset falls inside one (a
    bare word inside a longer name is not a mention of its own)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self._spans = sorted((c.start, c.end) for c in candidates)

    def covers(self, offset: int) -> bool:
        """Whether ``offset`` lies inside one of the spans."""
        i = bisect.bisect_right(self._spans, (offset, float("inf"))) - 1
        return i >= 0 and self._spans[i][0] <= offset < self._spans[i][1]
