"""The multilevel matrix as a heat map: one cell per pair of governance levels.

A cell's colour is its coordination rate: of the institution pairs of those two levels
that share a field (overlap at least the matrix threshold), the share that has a
coordination tie. Light means the pairs that share a field rarely coordinate, dark that
they mostly do; grey cells have no pair sharing a field. The table is symmetric.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.views.labels import level_label, percent_text, score_text
from queries.results import LevelCell, LevelMatrix

LOW_COLOUR = (255, 247, 188)    # rate 0: pale yellow
HIGH_COLOUR = (8, 81, 156)      # rate 1: dark blue
EMPTY_COLOUR = "#eeeeee"
DARK_FROM = 0.55                # rates from here on get white text


@dataclass(frozen=True)
class HeatCell:
    """One cell as drawn: its rate, text, tooltip and colours."""

    row: str
    column: str
    rate: float | None
    text: str
    counts: str
    detail: str
    background: str
    foreground: str


@dataclass(frozen=True)
class Heatmap:
    """Rows of cells in level order, with the levels' Spanish names."""

    levels: list[str]
    names: list[str]
    rows: list[list[HeatCell]]
    threshold: float


def heat_colour(rate: float | None) -> str:
    """The background of a cell: pale yellow at 0 to dark blue at 1, grey without a rate."""
    if rate is None:
        return EMPTY_COLOUR
    share = min(max(rate, 0.0), 1.0)
    channels = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW_COLOUR, HIGH_COLOUR,
                                                                strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def text_colour(rate: float | None) -> str:
    """Dark text on light cells, white on dark ones."""
    return "#ffffff" if rate is not None and rate >= DARK_FROM else "#222222"


def _cell(row: str, column: str, cell: LevelCell, threshold: float) -> HeatCell:
    rate = cell.coordination_rate
    detail = (
        f"{level_label(row)} – {level_label(column)}: {cell.institution_pairs} pares de "
        f"instituciones; {cell.tied_pairs} con vínculo de coordinación; "
        f"{cell.sharing_field} comparten un campo (traslape ≥ {score_text(threshold)}), "
        f"de ellos {cell.tied_and_sharing} coordinan"
    )
    return HeatCell(
        row=row,
        column=column,
        rate=rate,
        text=percent_text(rate),
        counts=f"{cell.tied_and_sharing}/{cell.sharing_field}",
        detail=detail,
        background=heat_colour(rate),
        foreground=text_colour(rate),
    )


def heatmap(matrix: LevelMatrix) -> Heatmap:
    """The heat map of ``matrix``, both triangles filled."""
    rows = [
        [_cell(row, column, matrix.cell(row, column), matrix.overlap_threshold)
         for column in matrix.levels]
        for row in matrix.levels
    ]
    return Heatmap(
        levels=list(matrix.levels),
        names=[level_label(level) for level in matrix.levels],
        rows=rows,
        threshold=matrix.overlap_threshold,
    )
