"""The official mottos of the year and the decade that head Peruvian (and other) public
documents: "“Año de la Unidad, la Paz y el Desarrollo”", "DECENIO DE LA IGUALDAD DE
OPORTUNIDADES PARA MUJERES Y HOMBRES". They name no institution, instrument or place
("Unidad" is not a unit); 737 of the 1,463 Peruvian texts of ../shared/bulk carry one
(3,352 in all, one per page). The motto's own capital ("Año", "DECENIO") and a word after
"de" keep out a sentence that a line break happens to start with "año de 2020".
"""

from __future__ import annotations

import re
from bisect import bisect_right

# A motto stands on a line of its own, or follows an opening quote ("... Puno “Año de la
# Unidad, la Paz y el Desarrollo”"); it ends at its closing quote or at the end of the line.
_MOTTO = re.compile(
    r"(?:^[ \t]*[«“\"'‘]*|[«“\"‘][ \t]*)"
    r"(?P<motto>(?:A[ñn]o|A[ÑN]O|Decenio|DECENIO|D[eé]cada|DÉCADA)[ \t]+"
    r"(?i:del?|de[ \t]+la|de[ \t]+las|de[ \t]+los)[ \t]+[^\W\d_][^\n«»“”\"]{2,160})",
    re.MULTILINE,
)


def motto_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the year's and the decade's mottos in ``text``, in order."""
    return [(m.start("motto"), m.end("motto")) for m in _MOTTO.finditer(text)]


def outside_mottos(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each (start, end) of ``spans``, whether it lies outside every motto of ``text``."""
    mottos = motto_spans(text)
    if not mottos:
        return [True] * len(spans)
    starts = [a for a, _ in mottos]
    out: list[bool] = []
    for start, end in spans:
        i = bisect_right(starts, start) - 1  # the last motto starting at or before ``start``
        out.append(i < 0 or end > mottos[i][1])
    return out
