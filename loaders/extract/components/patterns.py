"""Component ``patterns``: names no gazetteer knows, read from how they are written."""

from __future__ import annotations

from loaders.extract.candidates import Candidate
from loaders.extract.patterns import (
    find_head_names,
    find_laws,
    find_named_instruments,
    find_quoted_names,
    find_trigger_objects,
    head_info,
)
from loaders.extract.plural_heads import replace_plural_heads
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState
from loaders.extract.structure import (
    marked_context_label,
    section_headings,
    split_units,
    strip_country_suffix,
)


def marked_names(state: ExtractionState) -> list[Candidate]:
    """Spans the layout marked (bold, headings) that read as a name by head noun or context."""
    text = state.text
    marked = []
    for s, _e in state.clean.marked_spans:
        name = text[s:_e].strip()
        info = head_info(name)
        if info is not None:
            marked.append(
                Candidate(
                    s, s + len(name), info.label, name, "marked", kind=info.kind, confidence=0.75
                )
            )
        elif marked_context_label(text, s):
            marked.append(
                Candidate(
                    s, s + len(name), "Program", name, "marked", kind="programme", confidence=0.65
                )
            )
    return marked


@component("patterns")
def patterns(state: ExtractionState) -> None:
    """Laws, quoted names, head-noun names (units split from their owners), marked spans,
    section headings with codes, named instruments and the objects of trigger phrases."""
    text, lexicon = state.text, state.lexicon
    state.laws = list(find_laws(text))
    state.quoted = list(find_quoted_names(text))
    heads = [strip_country_suffix(c, lexicon) for c in find_head_names(text)]
    heads = replace_plural_heads(text, heads)
    state.patterns, state.owners = split_units(
        text, heads, [*state.gazetteer, *state.laws], lexicon
    )
    state.marked = marked_names(state)
    state.section_items = section_headings(text)
    state.named = list(find_named_instruments(text))
    state.objects = [
        c
        for c in find_trigger_objects(text)
        if (e := lexicon.lookup(c.name)) is None or e.label != "Territory"
    ]
