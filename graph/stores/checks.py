"""Checks both stores make of what they are given, with the same messages.

- :func:`check_extraction`: an extraction that contradicts itself is refused, naming the
  document's file;
- :func:`level_ends`: relations and mentions may point only at entities of the extraction
  or of the store, or at governance-level nodes (which a store creates);
- :func:`check_count`: a ``limit`` or ``offset`` is zero or more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.model import Extraction
from graph.stores.base import StoreError
from graph.vocab import LEVELS

LEVEL_ID = re.compile("^level:(" + "|".join(LEVELS) + ")$")
PROBLEMS_SHOWN = 5
UNKNOWN_ENDS_SHOWN = 10


def check_extraction(extraction: Extraction) -> None:
    """Raise :class:`StoreError` naming the document if the extraction contradicts itself.

    Passages must belong to the document, evidence from the document must quote its text
    exactly, and mentions must sit in the extraction's passages.
    """
    document = extraction.document
    text = document.text
    passage_ids = {p.id for p in extraction.passages}
    problems = [
        f"passage {p.id!r} belongs to document {p.document_id!r}"
        for p in extraction.passages
        if p.document_id != document.id
    ]
    for relation in extraction.relations:
        for item in relation.evidence:
            if item.document_id != document.id:
                continue
            if not (0 <= item.start <= item.end <= len(text)) or (
                text[item.start:item.end] != item.quote
            ):
                problems.append(
                    f"evidence of {relation.id!r} at {item.start}-{item.end} quotes "
                    f"{item.quote!r}, which is not the document text there"
                )
    problems.extend(
        f"mention of {m.entity_id!r} is in passage {m.passage_id!r}, which is not among "
        "the document's passages"
        for m in extraction.mentions
        if m.passage_id not in passage_ids
    )
    if problems:
        hidden = len(problems) - PROBLEMS_SHOWN
        more = f" (and {hidden} more)" if hidden > 0 else ""
        raise StoreError(
            f"{document.path}: cannot store the extraction: "
            f"{'; '.join(problems[:PROBLEMS_SHOWN])}{more}"
        )


def level_ends(extraction: Extraction, missing: Iterable[str]) -> list[str]:
    """The governance-level ids among ``missing`` ends, sorted, for the store to create.

    ``missing`` are the ids the extraction's relations and mentions point at that neither
    the extraction nor the store holds. Any that is not a governance level raises
    :class:`StoreError` naming the document's file and (the first ten of) those ids.
    """
    missing = set(missing)
    levels = sorted(m for m in missing if LEVEL_ID.match(m))
    unknown = sorted(missing - set(levels))
    if unknown:
        shown = ", ".join(unknown[:UNKNOWN_ENDS_SHOWN])
        if len(unknown) > UNKNOWN_ENDS_SHOWN:
            shown += " ..."
        raise StoreError(
            f"{extraction.document.path}: relations or mentions refer to entities that "
            f"are neither in the extraction nor in the store: {shown}"
        )
    return levels


def check_count(name: str, value: int) -> int:
    """``value`` as an int; :class:`ValueError` naming ``name`` when it is negative."""
    if value < 0:
        raise ValueError(f"{name} must be zero or more, not {value}")
    return int(value)
