"""The gold-annotation format: hand-made entities, relations and pairs of one document.

The format is defined in ``../shared/gold/README.md``: one YAML file per document with
``entities``, ``relations``, ``duplicates``, ``overlaps`` and ``coordination_gaps``. The
models here reject unknown keys, unknown types and dangling references, so that a typo in a
gold file is an error that names the file and the entry, never a silently wrong score.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graph.normalize import normalize_name
from graph.vocab import Level

GoldEntityType = Literal["Institution", "Instrument", "Program", "Territory", "Person"]
GOLD_ENTITY_TYPES: tuple[str, ...] = get_args(GoldEntityType)

# The relation types the gold README annotates and the evaluation scores, in its order.
GoldRelationType = Literal[
    "RESPONSIBLE_FOR",
    "CO_RESPONSIBLE_FOR",
    "PART_OF",
    "PARTICIPATES_IN",
    "COORDINATES_WITH",
    "AFFILIATED_WITH",
    "OPERATES_IN",
    "FUNDS",
]
GOLD_RELATION_TYPES: tuple[str, ...] = get_args(GoldRelationType)

Strength = Literal["strong", "medium", "weak"]
STRENGTHS: tuple[str, ...] = get_args(Strength)

# Labels an activity's programme may carry (the target of the activity's PART_OF).
PROGRAMME_TYPES: frozenset[str] = frozenset({"Program", "Instrument"})


class GoldError(ValueError):
    """A gold file cannot be read or is not valid; the message names the file and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class _Strict(BaseModel):
    """Base of the gold models: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid")


class GoldEntity(_Strict):
    """An annotated entity; ``optional`` ones are neither missed nor false when found."""

    id: str = Field(min_length=1)
    type: GoldEntityType
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    level: Level | None = None
    country: str | None = None
    kind: str | None = None
    code: str | None = None
    optional: bool = False

    @field_validator("code", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        """Accept integer codes as text; refuse floats, whose digits YAML may have changed."""
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            raise ValueError(f"code {value!r} was read as a number: quote it, e.g. code: '4.10'")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _no_null_aliases(cls, value: Any) -> Any:
        """``aliases:`` left empty in YAML means no aliases."""
        return [] if value is None else value

    def names(self) -> list[str]:
        """The name followed by the aliases, as written."""
        return [self.name, *self.aliases]

    def normalized_names(self) -> set[str]:
        """Normalised forms of the name and aliases, empty strings dropped."""
        return {n for n in (normalize_name(x) for x in self.names()) if n}


class GoldRelation(_Strict):
    """An annotated relation between two gold entities (by their local ids)."""

    source: str
    type: GoldRelationType
    target: str
    optional: bool = False
    why: str = ""


class GoldDuplicate(_Strict):
    """Two instruments an analyst would flag as duplicated, with how strongly and why."""

    a: str
    b: str
    strength: Strength
    why: str = ""


class GoldPair(_Strict):
    """Two institutions related as the document says (overlap or coordination gap)."""

    a: str
    b: str
    why: str = ""


class GoldDocument(_Strict):
    """The gold annotation of one document of the corpus."""

    document: str = Field(min_length=1)
    note: str | None = None
    entities: list[GoldEntity] = Field(default_factory=list)
    relations: list[GoldRelation] = Field(default_factory=list)
    duplicates: list[GoldDuplicate] = Field(default_factory=list)
    overlaps: list[GoldPair] = Field(default_factory=list)
    coordination_gaps: list[GoldPair] = Field(default_factory=list)

    @field_validator("entities", "relations", "duplicates", "overlaps", "coordination_gaps",
                     mode="before")
    @classmethod
    def _empty_list(cls, value: Any) -> Any:
        """A section left empty in YAML (``relations:``) means an empty list."""
        return [] if value is None else value

    @field_validator("document")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        """The document is a file name inside the corpus directory, never a path."""
        if Path(value).name != value or value in (".", ".."):
            raise ValueError(f"document must be a file name, not a path: {value!r}")
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> GoldDocument:
        """Entity ids are unique and every relation and pair refers to known entities."""
        seen: set[str] = set()
        for entity in self.entities:
            if entity.id in seen:
                raise ValueError(f"entity id {entity.id!r} is used twice")
            seen.add(entity.id)
        sections: list[tuple[str, list[tuple[str, str]]]] = [
            ("relations", [(r.source, r.target) for r in self.relations]),
            ("duplicates", [(p.a, p.b) for p in self.duplicates]),
            ("overlaps", [(p.a, p.b) for p in self.overlaps]),
            ("coordination_gaps", [(p.a, p.b) for p in self.coordination_gaps]),
        ]
        for section, ends in sections:
            for index, (first, second) in enumerate(ends):
                for end in (first, second):
                    if end not in seen:
                        raise ValueError(f"{section}[{index}] refers to unknown entity {end!r}")
                if first == second:
                    raise ValueError(f"{section}[{index}] links {first!r} to itself")
        return self

    def entity(self, entity_id: str) -> GoldEntity:
        """The gold entity with this local id (``KeyError`` if there is none)."""
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    def programmes_of(self, entity_id: str) -> set[str]:
        """Ids of the programmes an entity is ``PART_OF`` (optional relations included)."""
        types = {e.id: e.type for e in self.entities}
        return {
            r.target
            for r in self.relations
            if r.type == "PART_OF" and r.source == entity_id and types[r.target] in PROGRAMME_TYPES
        }


def _describe(error: ValidationError, data: dict[str, Any]) -> str:
    """Turn pydantic's errors into lines that name the entry (by its id when it has one)."""
    lines = []
    for item in error.errors():
        location = list(item["loc"])
        where = ".".join(str(part) for part in location) or "annotation"
        if len(location) >= 2 and location[0] == "entities" and isinstance(location[1], int):
            entries = data.get("entities") or []
            entry = entries[location[1]] if location[1] < len(entries) else None
            if isinstance(entry, dict) and entry.get("id"):
                where += f" (id {entry['id']!r})"
        lines.append(f"{where}: {item['msg']}")
    return "; ".join(lines)


def load_gold(path: Path) -> GoldDocument:
    """Read and validate one gold YAML file.

    Raises :class:`GoldError` naming the file when it cannot be read, is not YAML, is not a
    mapping, or breaks the format (unknown key or type, duplicate id, dangling reference).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(path, f"cannot read the gold file ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GoldError(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise GoldError(path, "a gold file must be a YAML mapping with 'document' and 'entities'")
    try:
        return GoldDocument.model_validate(data)
    except ValidationError as exc:
        raise GoldError(path, f"invalid gold file: {_describe(exc, data)}") from exc
