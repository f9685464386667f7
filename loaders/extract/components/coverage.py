"""Component ``coverage``: the document's own instrument COVERS the territory of the
subnational body that issued it.

A regional ordinance applies in the region of the government whose council approved it
("EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE APURÍMAC ... HA APROBADO LA ORDENANZA
REGIONAL SIGUIENTE"), a municipal one in its municipality: the instrument a body is
RESPONSIBLE_FOR as its issuer (components ``duties``) COVERS the region, province, commune
or city the issuer OPERATES_IN, directly or through the body it is PART_OF (a council
through its government, component ``territories``). About 1,000 of the 1,463 Peruvian
ordinances of ../shared/bulk name their issuing council; a national issuer (a ministry
issuing a law) places its instrument nowhere in particular.
"""

from __future__ import annotations

import re

from loaders.extract.context import SUBNATIONAL_KINDS
from loaders.extract.registry import component
from loaders.extract.state import ExtractionState

ISSUER_EXTRACTORS = {"legal issuer", "front matter issuer"}
# what a subnational body issues: ordinances, regional and municipal decrees, resolutions and
# agreements ("Decreto Supremo N° 043-2006-PCM" cited first in a regional text is national)
_SUBNATIONAL_INSTRUMENT = re.compile(
    r"\b(?:Ordenanza|Regional|Municipal|Provincial|Distrital|Alcald[íi]a|Estatal|"
    r"Departamental)\b", re.IGNORECASE
)


def _placed_in(located: dict[str, str], parents: dict[str, str], key: str) -> str | None:
    """The subnational territory a body OPERATES_IN (``located``), or that of the body it is
    PART_OF (``parents``), two steps up at most."""
    for _ in range(3):
        if key in located:
            return located[key]
        if key not in parents:
            return None
        key = parents[key]
    return None


@component("coverage")
def coverage(state: ExtractionState) -> None:
    """Each instrument a subnational body issued COVERS that body's territory."""
    ctx = state.ctx
    issued = [
        (r, ev) for r in list(ctx.relations.values()) if r.type == "RESPONSIBLE_FOR"
        for ev in r.evidence[:1] if ev.extractor in ISSUER_EXTRACTORS
    ]
    if not issued:
        return
    located = {r.source: r.target for r in ctx.relations.values()
               if r.type == "OPERATES_IN" and (ctx.builders[r.target].kind or "") in SUBNATIONAL_KINDS}
    parents = {r.source: r.target for r in ctx.relations.values() if r.type == "PART_OF"}
    for relation, evidence in issued:
        if not _SUBNATIONAL_INSTRUMENT.search(ctx.builders[relation.target].name):
            continue
        territory = _placed_in(located, parents, relation.source)
        if territory is not None:
            ctx.relate(relation.target, "COVERS", territory, evidence.start, evidence.end,
                       "issuer's territory", 0.6)
