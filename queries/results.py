"""Result models of the analyses: every answer is a pydantic model that carries its evidence.

The models are plain data (ids, names, scores, lists of :class:`graph.model.Evidence`) so
that the API can serialise them as they are and reports can quote their evidence.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.model import Evidence


class EntityNotFound(KeyError):
    """An entity id given to a query is not a node of the graph."""

    def __init__(self, entity_id: str) -> None:
        super().__init__(entity_id)
        self.entity_id = entity_id

    def __str__(self) -> str:
        return f"no entity with id {self.entity_id!r} in the graph"


class NodeSummary(BaseModel):
    """The fields of a node that a list or a view shows."""

    id: str
    label: str
    name: str
    kind: str | None = None
    level: str | None = None
    country: str | None = None
    territory: str | None = None


# --------------------------------------------------------------------------- duplication


class DuplicatePair(BaseModel):
    """Two instruments (or programmes) that may do the same thing for the same people."""

    a: str
    b: str
    name_a: str = ""
    name_b: str = ""
    score: float
    breakdown: dict[str, float]
    cross_level: bool
    same_institution: bool
    levels_a: list[str] = Field(default_factory=list)
    levels_b: list[str] = Field(default_factory=list)
    shared: dict[str, list[str]] = Field(default_factory=dict)
    responsible_a: list[str] = Field(default_factory=list)
    responsible_b: list[str] = Field(default_factory=list)
    territories_a: list[str] = Field(default_factory=list)  # names of the places covered
    territories_b: list[str] = Field(default_factory=list)
    evidence_a: list[Evidence] = Field(default_factory=list)
    evidence_b: list[Evidence] = Field(default_factory=list)
    # GAO category (duplication, overlap, fragmentation) and the criteria that held
    category: str = "overlap"
    criteria: list[str] = Field(default_factory=list)
    cluster: int | None = None  # index of its cluster in the result's clusters
    # a reviewer's verdict (duplicate, not_duplicate) and note, when the pair has one
    verdict: str | None = None
    verdict_note: str = ""


class DuplicateCluster(BaseModel):
    """Programmes that all duplicate one another (every pair among them is in the list)."""

    members: list[str]
    names: list[str]
    score: float  # the lowest score among its pairs
    category: str
    verdict: str | None = None  # the reviewers' verdict when every pair of it has that one


class DuplicationResult(BaseModel):
    """Ranked duplicate candidates and how they were found."""

    pairs: list[DuplicatePair]
    method: Literal["brute", "sparse"]
    exact: bool = True  # whether the list is proven equal to a brute-force ranking
    candidates: int = 0  # instruments and programmes compared
    weights: dict[str, float] = Field(default_factory=dict)
    filters: dict[str, Any] = Field(default_factory=dict)
    clusters: list[DuplicateCluster] = Field(default_factory=list)


# --------------------------------------------------------------------------- overlap


class InstitutionPair(BaseModel):
    """Two institutions, with their names and governance levels (``a`` < ``b``)."""

    a: str
    b: str
    name_a: str = ""
    name_b: str = ""
    level_a: str | None = None
    level_b: str | None = None


class OverlapPair(InstitutionPair):
    """Two institutions whose competences overlap, with what they share."""

    score: float
    breakdown: dict[str, float]
    shared: dict[str, list[str]] = Field(default_factory=dict)
    explicit: bool = False  # a document states the overlap (OVERLAPS_WITH)
    evidence: list[Evidence] = Field(default_factory=list)
    territories_a: list[str] = Field(default_factory=list)  # names of the places acted in
    territories_b: list[str] = Field(default_factory=list)


class OverlapResult(BaseModel):
    """Ranked institution pairs by overlap of their profiles."""

    pairs: list[OverlapPair]
    institutions: int = 0  # institutions compared
    exact: bool = (
        True  # False when only each institution's best pairs were kept (very large graphs)
    )
    weights: dict[str, float] = Field(default_factory=dict)
    filters: dict[str, Any] = Field(default_factory=dict)


# --------------------------------------------------------------------------- coordination

ChannelKind = Literal["coordinates_with", "shared_body", "shared_instrument", "membership"]


class Channel(BaseModel):
    """One way two institutions meet: a statement, a body, or an instrument they share."""

    kind: ChannelKind
    via: str | None = None  # the body or instrument, when the channel goes through one
    via_name: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Tie(InstitutionPair):
    """A coordination tie between two institutions, with every channel that makes it."""

    cross_level: bool = False
    channels: list[Channel]
    evidence: list[Evidence] = Field(default_factory=list)


class LevelCell(BaseModel):
    """Ties and shared fields between institutions of two governance levels."""

    level_a: str
    level_b: str
    institution_pairs: int
    tied_pairs: int
    sharing_field: int
    tied_and_sharing: int
    coordination_rate: float | None = None  # tied_and_sharing / sharing_field


class LevelMatrix(BaseModel):
    """The multilevel matrix: one cell per unordered pair of levels."""

    levels: list[str]
    overlap_threshold: float
    cells: list[LevelCell]

    def cell(self, level_a: str, level_b: str) -> LevelCell:
        """The cell of two levels, given in either order."""
        for cell in self.cells:
            if (cell.level_a, cell.level_b) in ((level_a, level_b), (level_b, level_a)):
                return cell
        raise KeyError(f"no cell for levels {level_a!r} and {level_b!r}")


class Gap(InstitutionPair):
    """Two institutions that share a field (and territory) but have no coordination tie."""

    cross_level: bool = False
    overlap: float
    breakdown: dict[str, float] = Field(default_factory=dict)
    shared: dict[str, list[str]] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class Broker(BaseModel):
    """An institution through which many cross-level shortest paths of the tie graph pass."""

    id: str
    name: str
    level: str | None = None
    score: float  # share of cross-level shortest paths through this institution
    paths: float  # (estimated) number of cross-level shortest paths through it
    degree: int
    levels_connected: list[str] = Field(default_factory=list)
    sampled: bool = False  # betweenness estimated from a seeded sample of sources
    evidence: list[Evidence] = Field(default_factory=list)


class PathStep(BaseModel):
    """One hop of a path: the relations or channels that join two nodes."""

    source: str
    target: str
    relations: list[str]
    via: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class PathResult(BaseModel):
    """A shortest path between two entities, hop by hop, with evidence."""

    a: str
    b: str
    graph: Literal["ties", "entities"]
    nodes: list[NodeSummary]
    steps: list[PathStep]

    @property
    def length(self) -> int:
        """Number of hops."""
        return len(self.steps)


# --------------------------------------------------------------------------- exploration


class SubgraphEdge(BaseModel):
    """An edge of a neighbourhood view."""

    id: str
    source: str
    target: str
    type: str
    properties: dict[str, Any] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)


class SubgraphNode(NodeSummary):
    """A node of a neighbourhood view and its distance from the centre."""

    depth: int = 0


class Subgraph(BaseModel):
    """The neighbourhood of an entity, cut at a node limit."""

    center: str
    depth: int
    nodes: list[SubgraphNode]
    edges: list[SubgraphEdge]
    truncated: bool = False


class RelationSummary(BaseModel):
    """A relation of an entity seen from the entity: direction, counterpart, evidence."""

    type: str
    direction: Literal["out", "in"]
    other: NodeSummary
    properties: dict[str, Any] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)


class FacetValue(BaseModel):
    """A facet value and how many of the entity's instruments (or its mandate) carry it."""

    value: str
    count: int


class EntityProfile(BaseModel):
    """Everything the graph says about one entity."""

    entity: dict[str, Any]
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    relation_counts: dict[str, int] = Field(default_factory=dict)
    relations: list[RelationSummary] = Field(default_factory=list)
    truncated: bool = False
