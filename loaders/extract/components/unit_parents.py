"""Component ``unit_parents``: units split from their owners ("División X del Ministerio Y")
and gazetteer parents named in the same passage."""

from __future__ import annotations

from graph.normalize import normalize_name
from loaders.extract.legal_parents import own_body_named
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


def split_owners(state: ExtractionState) -> None:
    """A unit split from its owner is PART_OF it; an instrument's owner is RESPONSIBLE_FOR it."""
    ctx = state.ctx
    for head, anchor in state.owners:
        h_key, a_key = ctx.key_for(head), anchor.key or ctx.key_for(anchor)
        if a_key in ctx.builders and ctx.builders[a_key].kind == "collective":
            # "Gerencia General Regional del Gobierno Regional": the document's own government,
            # not every regional government
            own = own_body_named(ctx, anchor.name[:1].upper() + anchor.name[1:])
            a_key = own.key if own is not None else ""
        if h_key in ctx.builders and a_key in ctx.builders:
            rel = "PART_OF" if head.label == "Institution" else "RESPONSIBLE_FOR"
            src, dst = (h_key, a_key) if rel == "PART_OF" else (a_key, h_key)
            ctx.relate(src, rel, dst, head.start, anchor.end, "pattern", 0.75)


def gazetteer_parents(state: ExtractionState) -> None:
    """An entity whose gazetteer entry names a parent the same passage mentions is PART_OF it."""
    ctx = state.ctx
    for b in list(ctx.builders.values()):
        p_key = ctx.alias_keys.get(f"Institution|{normalize_name(b.parent)}") if b.parent else None
        if not p_key or p_key == b.key:
            continue
        parent_passages = {
            ctx.passage_at(s).id
            for s, _, _ in ctx.builders[p_key].spans
            if ctx.passage_at(s) is not None
        }
        for s, _e, _ in b.spans:
            passage = ctx.passage_at(s)
            if passage is not None and passage.id in parent_passages:
                ctx.relate(b.key, "PART_OF", p_key, passage.start, passage.end, "gazetteer", 0.7)
                break


@component("unit_parents")
def unit_parents(state: ExtractionState) -> None:
    """Units and their owners, then gazetteer parents."""
    split_owners(state)
    gazetteer_parents(state)
