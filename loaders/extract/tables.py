"""Responsibility tables in text form.

Two layouts are read:

- tab-separated rows under a header row (``Objetivo / Actividades / Responsable /
  Corresponsable``), as readers render PDF, DOCX, HTML tables and as converters leave them;
- tables whose cells PDF extraction stacked one under the other (``ACTIVIDAD``, ``OBJETIVOS``,
  ``ORGANIZADORES``, ``LUGAR Y FECHA`` as separate paragraphs, then each row's cells in turn,
  a row starting with its number).

Each data row becomes a :class:`TableRow` with the span of every cell by column role. Blank
responsible cells inherit the responsible of the row above within the same group (a group ends
at a heading or any text that is not part of a table); objectives inherit the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    (
        "co_responsible",
        re.compile(
            r"^(?:co-?r?responsables?|corresponsabilidad|apoyo|socios?|colaborador(?:es)?|"
            r"otras instituciones|instituciones de apoyo|participantes)$"
        ),
    ),
    (
        "responsible",
        re.compile(
            r"^(?:responsables?|instituci[oó]n(?:es)? responsables?|l[ií]der(?:es)?|ejecutor(?:es)?|"
            r"organizador(?:es)?|coordinador(?:es)?|entidad(?:es)? responsables?|a cargo)$"
        ),
    ),
    (
        "activity",
        re.compile(
            r"^(?:actividad(?:es)?|acci[oó]n(?:es)?|proyectos?|iniciativas?|tareas?|programas?|"
            r"instrumentos?|medidas?|l[ií]neas? de acci[oó]n|componentes?)$"
        ),
    ),
    (
        "objective",
        re.compile(r"^(?:objetivos?(?: espec[ií]ficos?)?|descripci[oó]n|prop[oó]sito|metas?)$"),
    ),
    ("place_date", re.compile(r"^(?:lugar(?: y fecha)?|fechas?|plazos?|lugar y|cronograma)$")),
]
EMPTY_CELL = re.compile(
    r"^(?:no se aplica|no aplica|n/?a|nd|no disponible|-+|–|—|ninguno|s/i)?$", re.IGNORECASE
)
_CODE_SPLIT = re.compile(
    r"(?:(?<=^)|(?<=\s))(?P<code>(?:[IVX]{1,4}\.)?\d{1,3}(?:\.\d{1,3}){1,3})\.?\s+(?=[A-ZÁÉÍÓÚÑ¿“\"])"
)
_ENUMERATED = re.compile(r"^\s*\d{1,3}[.)]\s+\S")
_HEADING_LIKE = re.compile(
    r"^\s*(?:#|PROYECTO|Proyecto|ÁREA|AREA|Área|Actividad\s+[IVX\d]|ACTIVIDADES\b|[A-H]\.\s)"
)


def column_role(header: str) -> str | None:
    """The role of a column from its header text, if it is one the extractor uses."""
    key = re.sub(r"\s+", " ", header.strip().strip(":").lower())
    for role, pattern in COLUMN_ROLES:
        if pattern.match(key):
            return role
    return None


@dataclass
class Cell:
    """A cell's text and its span in the document text."""

    text: str
    start: int
    end: int

    @property
    def empty(self) -> bool:
        """Whether the cell says nothing (blank, "No se aplica", a dash)."""
        return bool(EMPTY_CELL.match(self.text.strip()))


@dataclass
class TableRow:
    """One data row: the row's span and its cells by role (inherited cells marked)."""

    start: int
    end: int
    cells: dict[str, Cell] = field(default_factory=dict)
    inherited: set[str] = field(default_factory=set)
    table_index: int = 0


@dataclass
class Activity:
    """An activity inside an activity cell, with its code when numbered."""

    name: str
    start: int
    end: int
    code: str | None


def split_activities(cell: Cell) -> list[Activity]:
    """Split a cell holding several numbered activities ("18.1 ... 18.2 ...")."""
    text = cell.text
    matches = list(_CODE_SPLIT.finditer(text))
    if not matches:
        name = _cut_sublist(text.strip())
        offset = cell.start + (len(text) - len(text.lstrip()))
        return [Activity(name, offset, offset + len(name), None)] if name else []
    out: list[Activity] = []
    for i, m in enumerate(matches):
        body_start = m.end()
        body_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = _cut_sublist(text[body_start:body_end].strip())
        if body:
            start = cell.start + body_start
            out.append(Activity(body, start, start + len(body), m.group("code")))
    return out


_SUBLIST = re.compile(r"\s+[–—•]\s+")


def _cut_sublist(text: str) -> str:
    """An activity's name ends where its sub-list of components starts (`` – ``)."""
    m = _SUBLIST.search(text)
    return (text[: m.start()] if m else text).strip()


def sublist_items(cell: Cell) -> list[Cell]:
    """The items of a `` – `` sub-list inside a cell (components, named products); an item
    ends where the next numbered activity of the cell begins."""
    parts = list(_SUBLIST.finditer(cell.text))
    out: list[Cell] = []
    for i, m in enumerate(parts):
        s = m.end()
        e = parts[i + 1].start() if i + 1 < len(parts) else len(cell.text)
        next_code = _CODE_SPLIT.search(cell.text, s, e)
        if next_code:
            e = next_code.start()
        item = cell.text[s:e].strip()
        if item:
            out.append(Cell(item, cell.start + s, cell.start + s + len(item)))
    return out


def _tab_rows(text: str) -> list[TableRow]:
    rows: list[TableRow] = []
    roles: list[str | None] | None = None
    last: dict[str, Cell] = {}
    table_index = 0
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if "\t" not in line:
            if line.strip():
                last = {}  # text between tables ends a group
                if _HEADING_LIKE.match(line):
                    roles = None
            continue
        cells: list[Cell] = []
        offset = line_start
        for raw in line.split("\t"):
            lead = len(raw) - len(raw.lstrip())
            stripped = raw.strip()
            cells.append(Cell(stripped, offset + lead, offset + lead + len(stripped)))
            offset += len(raw) + 1
        header_roles = [column_role(c.text) for c in cells]
        if sum(r is not None for r in header_roles) >= 2:
            roles = header_roles
            table_index += 1
            continue
        if roles is None:
            continue
        row = TableRow(line_start, line_start + len(line), table_index=table_index)
        for role, cell in zip(roles, cells, strict=False):
            if role and not (cell.empty and not cell.text):
                row.cells[role] = cell
        for role in ("responsible", "objective"):
            cell = row.cells.get(role)
            if (cell is None or not cell.text) and role in last:
                row.cells[role] = last[role]
                row.inherited.add(role)
            elif cell is not None and cell.text:
                last[role] = cell
        rows.append(row)
    return rows


def _paragraphs(text: str) -> list[Cell]:
    out: list[Cell] = []
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group().strip()
        if stripped and "\t" not in m.group():
            lead = len(m.group()) - len(m.group().lstrip())
            out.append(Cell(stripped, m.start() + lead, m.start() + lead + len(stripped)))
    return out


def _stacked_rows(text: str, first_index: int) -> list[TableRow]:
    paras = _paragraphs(text)
    rows: list[TableRow] = []
    i = 0
    table_index = first_index
    while i < len(paras):
        roles: list[str] = []
        j = i
        while j < len(paras) and len(paras[j].text) <= 30:
            role = column_role(paras[j].text)
            if role is None:
                # "LUGAR Y" + "FECHA" broken across paragraphs
                if (
                    roles
                    and roles[-1] == "place_date"
                    and column_role(paras[j].text) is None
                    and paras[j].text.lower().strip(" .") in {"fecha", "fechas"}
                ):
                    j += 1
                    continue
                break
            roles.append(role)
            j += 1
        if len(roles) < 3:
            i += 1
            continue
        table_index += 1
        i = j
        current: list[Cell] = []

        def flush(
            cells: list[Cell], roles: list[str] = roles, table_index: int = table_index
        ) -> None:
            """Close the current stacked row: its cells go to the columns in order."""
            if not cells:
                return
            row = TableRow(cells[0].start, cells[-1].end, table_index=table_index)
            for k, cell in enumerate(cells):
                role = roles[min(k, len(roles) - 1)]
                if role in row.cells:
                    prev = row.cells[role]
                    row.cells[role] = Cell(text[prev.start : cell.end], prev.start, cell.end)
                else:
                    row.cells[role] = cell
            rows.append(row)

        while i < len(paras):
            para = paras[i]
            if column_role(para.text) and len(para.text) <= 30:
                break  # the header repeats: a new table
            if _HEADING_LIKE.match(para.text) or len(para.text) > 600:
                break
            if (
                len(current) >= len(roles)
                and not _ENUMERATED.match(para.text)
                and len(para.text) > 60
                and para.text.rstrip().endswith(".")
            ):
                break  # a full sentence after a complete row: the table is over
            if _ENUMERATED.match(para.text) and current:
                flush(current)
                current = []
            if not current and not _ENUMERATED.match(para.text):
                i += 1
                continue
            current.append(para)
            i += 1
        flush(current)
    return rows


def find_table_rows(text: str) -> list[TableRow]:
    """Every data row of every responsibility table in ``text``, in document order."""
    tab = _tab_rows(text)
    stacked = _stacked_rows(text, first_index=(max((r.table_index for r in tab), default=0)))
    return sorted([*tab, *stacked], key=lambda r: r.start)
