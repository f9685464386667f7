"""Component ``bare_bodies``: a body a text names by its capitalised head noun alone ("La
Comisión llamará a concursos", "el Consejo aprobará") is the last body of that head named in
full before it, as legal and administrative texts use the word once the name is given.

In ../shared/bulk "la Comisión", "el Consejo", "el Comité" followed by a verb or a comma occur
in about half the laws that create such a body. Heads followed by a capitalised word or by
"de/del/para" start a name of their own and are left to the recognisers.
"""

from __future__ import annotations

import bisect

from loaders.extract.candidates import Candidate
from loaders.extract.legal_refs import BARE_HEAD, referent_of
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState


@component("bare_bodies")
def bare_bodies(state: ExtractionState) -> None:
    """Each bare head noun outside another name is a mention of the body it refers to."""
    ctx, text = state.ctx, state.text
    named = sorted(
        (c for c in state.base if c.key and c.label == "Institution"), key=lambda c: c.start
    )
    starts = [c.start for c in named]
    taken = sorted((c.start, c.end) for c in state.base)
    added: list[Candidate] = []
    for m in BARE_HEAD.finditer(text):
        start, end = m.start("head"), m.end("head")
        i = bisect.bisect_right(taken, (start, len(text) + 1)) - 1
        if i >= 0 and taken[i][0] <= start < taken[i][1]:
            continue
        before = named[: bisect.bisect_left(starts, start)]
        key = referent_of(m.group("head"), before)
        if key is None:
            continue
        b = ctx.builders[key]
        cand = Candidate(start, end, b.label, b.name, "reference", key=key)
        b.spans.append((start, end, "reference"))
        added.append(cand)
    state.base.extend(added)
    state.base.sort(key=lambda c: c.start)
