"""Component ``acronyms``: acronym definitions link short and long forms ("Nombre (SIGLA)")."""

from __future__ import annotations

from graph.normalize import normalize_name
from loaders.extract.candidates import Candidate, resolve_overlaps
from loaders.extract.context import candidate_from_entry, label_family
from loaders.extract.patterns import AcronymDefinition, find_acronym_definitions, head_info
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


def _long_form(
    state: ExtractionState, d: AcronymDefinition, by_span: dict[tuple[int, int], Candidate]
) -> Candidate | None:
    """The candidate of a definition's long form, added to the candidates when it is new;
    None when the long form is neither a name by its head noun nor a gazetteer entry, or
    loses to a candidate already there. ``by_span`` indexes the candidates by span as they
    were when last resolved, and is refreshed when a long form is added."""
    found = by_span.get((d.long_start, d.long_end))
    if found is not None:
        return found
    lexicon = state.lexicon
    info = head_info(d.long)
    # the long form's own entry: "MOP" of a ministry elsewhere is not this document's
    # "Manual de Operaciones (MOP)"
    entry = lexicon.lookup(d.long)
    if info is None and entry is None:
        return None
    label = entry.label if entry else info.label  # type: ignore[union-attr]
    long_cand = Candidate(
        d.long_start,
        d.long_end,
        label,
        d.long,
        "definition",
        kind=info.kind if info else None,
        confidence=0.8,
    )
    state.base = resolve_overlaps([*state.base, long_cand])
    by_span.clear()
    by_span.update({(c.start, c.end): c for c in state.base})
    return long_cand if by_span.get((long_cand.start, long_cand.end)) is long_cand else None


def _ends_with_entry(long: str, entry_name: str) -> bool:
    """Whether ``long`` is a longer name ending with "de/del <entry_name>"."""
    whole, tail = normalize_name(long), normalize_name(entry_name)
    return whole != tail and (whole.endswith(f" de {tail}") or whole.endswith(f" del {tail}"))


@component("acronyms")
def acronyms(state: ExtractionState) -> None:
    """Find acronym definitions; the long form takes the acronym as an alias (and the
    gazetteer entry the acronym names); one acronym defined twice is one entity."""
    state.definitions = find_acronym_definitions(state.text, state.base)
    defined: dict[str, Candidate] = {}
    by_span = {(c.start, c.end): c for c in state.base}
    for d in state.definitions:
        long_cand = _long_form(state, d, by_span)
        if long_cand is None:
            continue
        entry = state.lexicon.lookup(d.short)
        if entry is not None and _ends_with_entry(long_cand.name, entry.name):
            # "Viceministerio de MIPYMES del Ministerio de Industria y Comercio (MIC)": the
            # acronym is the ministry's, the unit keeps its own name
            continue
        if (
            entry is not None
            and d.short in entry.acronyms
            and long_cand.source != "gazetteer"
            and label_family(entry.label) == label_family(long_cand.label)
        ):
            replacement = candidate_from_entry(long_cand, entry)
            state.base[state.base.index(long_cand)] = replacement
            long_cand = replacement
        first = defined.get(d.short)
        if first is not None and label_family(first.label) != label_family(long_cand.label):
            # "... de la Región de Huancavelica (ARD)" after "Agencia Regional de Desarrollo
            # (ARD)": the place before the second "(ARD)" is not the agency
            continue
        long_cand.acronym = long_cand.acronym or d.short
        long_cand.aliases = [*long_cand.aliases, d.short]
        first = defined.setdefault(d.short, long_cand)
        if first is not long_cand and first.source != "gazetteer":
            # the same acronym defined again with another long form: one entity
            first.aliases = [*first.aliases, long_cand.name]
            long_cand.key = state.ctx.key_for(first)
    _local_definitions_win(state, defined)


def _local_definitions_win(state: ExtractionState, defined: dict[str, Candidate]) -> None:
    """An acronym the document defines names what the document says it names: "Manual de
    Operaciones (MOP)" makes every "MOP" of the text the manual, not the gazetteer's ministry
    of another country that shares the letters."""
    text = state.text
    for cand in state.base:
        if cand.source != "gazetteer":
            continue
        short = text[cand.start : cand.end]
        local = defined.get(short)
        if local is None or local is cand or normalize_name(local.name) == normalize_name(
            cand.name
        ):
            continue
        cand.label, cand.name, cand.kind = local.label, local.name, local.kind
        cand.level = cand.country = cand.sector = cand.parent = None
        cand.aliases = [short]
        cand.source = "acronym"
        cand.key = local.key
