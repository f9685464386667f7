"""Component ``headings``: the hierarchy of coded section headings (4.4 is part of 4)."""

from __future__ import annotations

from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("headings")
def headings(state: ExtractionState) -> None:
    """Each entity with a code is PART_OF the entity whose code is its prefix."""
    ctx = state.ctx
    coded = {b.code: b for b in ctx.builders.values() if b.code}
    for code, b in coded.items():
        parent_code = code.rsplit(".", 1)[0] if "." in code else None
        parent = coded.get(parent_code) if parent_code else None
        if parent is not None and parent.key != b.key:
            s, e, _ = b.spans[0]
            ctx.relate(b.key, "PART_OF", parent.key, s, e, "structure", 0.8)
