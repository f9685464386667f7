"""How the graph looks: colours by governance level, shapes by label, edge styles by type.

The same tables drive the vis-network node and edge options and the legend, so the legend
always tells the truth about the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.vocab import LEVEL_NAMES, LEVELS, UNDIRECTED_TYPES

NO_LEVEL = "none"

LEVEL_COLOURS: dict[str, str] = {
    "supranational": "#7b3fa0",
    "national": "#1f5fae",
    "regional": "#2e8b57",
    "local": "#e07b00",
    NO_LEVEL: "#8c8c8c",
}
LEVEL_LEGEND: dict[str, str] = {**LEVEL_NAMES, NO_LEVEL: "Sin nivel"}
LEVEL_ORDER: tuple[str, ...] = (*LEVELS, NO_LEVEL)


@dataclass(frozen=True)
class LabelStyle:
    """The vis-network shape of a node label, a glyph for the legend and its Spanish name."""

    shape: str
    glyph: str
    name: str


LABEL_STYLES: dict[str, LabelStyle] = {
    "Institution": LabelStyle("dot", "●", "Institución"),
    "Instrument": LabelStyle("square", "■", "Instrumento"),
    "Program": LabelStyle("diamond", "◆", "Programa"),
    "Territory": LabelStyle("triangle", "▲", "Territorio"),
    "Person": LabelStyle("star", "★", "Persona"),
    "GovernanceLevel": LabelStyle("hexagon", "⬢", "Nivel de gobierno"),
}
UNKNOWN_LABEL_STYLE = LabelStyle("ellipse", "⬭", "Otro")


@dataclass(frozen=True)
class EdgeStyle:
    """Colour, dash pattern and Spanish gloss of a relationship type."""

    colour: str
    dashes: bool | tuple[int, ...]
    gloss: str

    @property
    def dash_css(self) -> str:
        """The CSS border style that draws this edge in the legend."""
        if self.dashes is False:
            return "solid"
        if self.dashes is True or (isinstance(self.dashes, tuple) and self.dashes[0] > 3):
            return "dashed"
        return "dotted"


EDGE_STYLES: dict[str, EdgeStyle] = {
    "AT_LEVEL": EdgeStyle("#b0b0b0", (2, 4), "en el nivel"),
    "PART_OF": EdgeStyle("#5a5a5a", False, "forma parte de"),
    "RESPONSIBLE_FOR": EdgeStyle("#c0392b", False, "responsable de"),
    "CO_RESPONSIBLE_FOR": EdgeStyle("#e67e73", (8, 5), "corresponsable de"),
    "FUNDS": EdgeStyle("#b8860b", False, "financia"),
    "PARTICIPATES_IN": EdgeStyle("#16a085", (8, 5), "participa en"),
    "COORDINATES_WITH": EdgeStyle("#2c7fb8", False, "coordina con"),
    "AFFILIATED_WITH": EdgeStyle("#8e44ad", (2, 4), "afiliado a"),
    "OPERATES_IN": EdgeStyle("#7f8c8d", (2, 4), "opera en"),
    "COVERS": EdgeStyle("#95a5a6", (8, 5), "cubre"),
    "OVERLAPS_WITH": EdgeStyle("#d35400", (12, 4, 2, 4), "se traslapa con"),
}
UNKNOWN_EDGE_STYLE = EdgeStyle("#999999", (4, 4), "relación")


def level_key(level: str | None) -> str:
    """The legend key of a governance level (``none`` for a missing or unknown level)."""
    return level if level in LEVEL_COLOURS else NO_LEVEL


def level_colour(level: str | None) -> str:
    """The fill colour of a node at ``level``."""
    return LEVEL_COLOURS[level_key(level)]


def label_style(label: str | None) -> LabelStyle:
    """The shape of a node with ``label``."""
    return LABEL_STYLES.get(label or "", UNKNOWN_LABEL_STYLE)


def edge_style(rel_type: str) -> EdgeStyle:
    """The style of an edge of ``rel_type``."""
    return EDGE_STYLES.get(rel_type, UNKNOWN_EDGE_STYLE)


def is_directed(rel_type: str) -> bool:
    """Whether an edge of ``rel_type`` is drawn with an arrow."""
    return rel_type not in UNDIRECTED_TYPES
