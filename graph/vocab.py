"""The ontology's closed vocabularies: node labels, relationship types, governance levels.

Every store, query and Cypher builder takes labels and relationship types from here
and nowhere else, so that no user-supplied string can become a label or a type.
"""

from __future__ import annotations

from typing import Literal, get_args

Label = Literal[
    "Institution",
    "GovernanceLevel",
    "Instrument",
    "Program",
    "Territory",
    "Person",
]
LABELS: tuple[str, ...] = get_args(Label)

# Labels of entities that extraction produces (GovernanceLevel nodes are fixed).
ENTITY_LABELS: tuple[str, ...] = ("Institution", "Instrument", "Program", "Territory", "Person")

RelationType = Literal[
    "AT_LEVEL",
    "PART_OF",
    "RESPONSIBLE_FOR",
    "CO_RESPONSIBLE_FOR",
    "FUNDS",
    "PARTICIPATES_IN",
    "COORDINATES_WITH",
    "AFFILIATED_WITH",
    "OPERATES_IN",
    "COVERS",
    "OVERLAPS_WITH",
]
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)

# Relationship types whose direction carries no meaning.
UNDIRECTED_TYPES: frozenset[str] = frozenset({"COORDINATES_WITH", "OVERLAPS_WITH"})

# OVERLAPS_WITH records an explicit statement of a document that two institutions' competences
# overlap or duplicate (traslape de competencias, duplicidad de funciones), with its evidence.
# Overlap computed from profiles is derived by queries.overlap and never stored.

Level = Literal["supranational", "national", "regional", "local"]
LEVELS: tuple[str, ...] = get_args(Level)

LEVEL_NAMES: dict[str, str] = {
    "supranational": "Supranacional",
    "national": "Nacional",
    "regional": "Regional",
    "local": "Local",
}

Sector = Literal["public", "private", "academic", "civil_society", "international"]
SECTORS: tuple[str, ...] = get_args(Sector)

# Hubs that join everything to everything: a neighbourhood shows them, never walks through.
NOT_WALKED: frozenset[str] = frozenset({"GovernanceLevel"})

# Relationship types that make an institution answerable for an instrument or programme.
RESPONSIBILITY_TYPES: frozenset[str] = frozenset({"RESPONSIBLE_FOR", "CO_RESPONSIBLE_FOR", "FUNDS"})


def check_label(label: str) -> str:
    """Return ``label`` if it belongs to the ontology, else raise ``ValueError``."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    return label


def check_relation_type(rel_type: str) -> str:
    """Return ``rel_type`` if it belongs to the ontology, else raise ``ValueError``."""
    if rel_type not in RELATION_TYPES:
        raise ValueError(
            f"unknown relationship type {rel_type!r}; expected one of {', '.join(RELATION_TYPES)}"
        )
    return rel_type

# Which instrument pairs a duplication search keeps: any, those run by different
# institutions, or the variants inside one institution.
Institutions = Literal["any", "different", "same"]
INSTITUTION_CHOICES: tuple[Institutions, ...] = ("any", "different", "same")
# Which pairs a duplication list keeps by reviewers' verdicts: all of them (labelled), those
# nobody reviewed yet, or those with one verdict.
VerdictFilter = Literal["any", "unreviewed", "duplicate", "not_duplicate"]
VERDICT_CHOICES: tuple[VerdictFilter, ...] = ("any", "unreviewed", "duplicate", "not_duplicate")
