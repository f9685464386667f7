"""Assembling a document's text piece by piece while recording page and table-row spans.

Every reader writes through :class:`TextBuilder`, so that the spans it records are offsets
into the final text: a table row is rendered as its cleaned cells joined by tabs on a line
of its own, and ``text[row.start:row.end] == "\\t".join(row.cells)`` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from loaders.document import Page, Table, TableRow

TITLE_MAX_CHARS = 200
BLOCK_BREAK = "\n\n"
PAGE_BREAK = "\n\f\n"

_CELL_BREAKS = re.compile(r"[\t\n\r\f\v\x85\u2028\u2029]")
_NEWLINES = re.compile(r"\r\n?")


def clean_cell(value: str) -> str:
    """A cell's text on one line: tabs and line breaks become spaces, NULs go, ends trimmed."""
    return _CELL_BREAKS.sub(" ", value.replace("\x00", "")).strip()


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; NUL characters are dropped."""
    return _NEWLINES.sub("\n", text).replace("\x00", "")


def first_line(text: str) -> str:
    """The first line of ``text`` that is not blank, without scanning past it."""
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        if end == -1:
            end = len(text)
        line = text[position:end]
        if line.strip():
            return line
        position = end + 1
    return ""


def make_title(*candidates: str | None) -> str:
    """The first candidate with any text, white space collapsed, cut to 200 characters."""
    for candidate in candidates:
        if not candidate:
            continue
        collapsed = " ".join(candidate[: TITLE_MAX_CHARS * 10].split())
        if collapsed:
            return collapsed[:TITLE_MAX_CHARS].rstrip()
    return ""


class TextBuilder:
    """Builds a document's text in linear time and records pages and tables with their spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pending_separator = ""
        self._after_hard_break = False
        self.pages: list[Page] = []
        self.tables: list[Table] = []

    @property
    def length(self) -> int:
        """Number of characters written so far."""
        return self._length

    def text(self) -> str:
        """The text written so far, as one string."""
        return "".join(self._parts)

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def separate(self, separator: str = BLOCK_BREAK) -> None:
        """Ask for ``separator`` before the next non-empty write (the longest request wins)."""
        if len(separator) > len(self._pending_separator):
            self._pending_separator = separator

    def hard_break(self, separator: str = PAGE_BREAK) -> None:
        """Write ``separator`` now, replacing any pending one (used between pages).

        Until the next write, further separators are not needed and are not written.
        """
        self._pending_separator = ""
        self._append(separator)
        self._after_hard_break = True

    def write(self, text: str) -> tuple[int, int]:
        """Append ``text`` (line endings normalised) after any pending separator; its span."""
        text = normalise_newlines(text)
        if not text:
            return self._length, self._length
        if self._pending_separator and self._length and not self._after_hard_break:
            self._append(self._pending_separator)
        self._pending_separator = ""
        self._after_hard_break = False
        start = self._length
        self._append(text)
        return start, self._length

    def write_block(self, text: str) -> tuple[int, int] | None:
        """Write a paragraph-like block, separated from what comes before and after it."""
        if not text.strip():
            return None
        self.separate(BLOCK_BREAK)
        span = self.write(text.strip("\r\n"))
        self.separate(BLOCK_BREAK)
        return span

    def add_table(
        self,
        rows: Iterable[Sequence[str]],
        *,
        page: int | None = None,
        sheet: str | None = None,
        attached: bool = False,
    ) -> Table | None:
        """Render rows as tab-separated lines and record the table; None if no row has text.

        Cells are cleaned with :func:`clean_cell`, rows with no text are dropped and shorter
        rows are padded with empty cells to the width of the widest row. The table is a
        block of its own, unless ``attached``: then it starts on the line after the text
        written just before it (a caption, a sheet name).
        """
        cleaned = [[clean_cell(cell) for cell in row] for row in rows]
        cleaned = [row for row in cleaned if any(row)]
        if not cleaned:
            return None
        width = max(len(row) for row in cleaned)
        if attached:
            self._pending_separator = "\n"
        else:
            self.separate(BLOCK_BREAK)
        table = Table(page=page, sheet=sheet)
        for index, cells in enumerate(cells_padded(cleaned, width)):
            if index:
                self.separate("\n")
            start, end = self.write("\t".join(cells))
            table.rows.append(TableRow(cells=cells, start=start, end=end))
        self.separate(BLOCK_BREAK)
        self.tables.append(table)
        return table

    def add_page(self, number: int, start: int) -> Page:
        """Record page ``number`` as the span from ``start`` to the current end of the text."""
        page = Page(number=number, start=start, end=self._length)
        self.pages.append(page)
        return page


def cells_padded(rows: Iterable[list[str]], width: int) -> Iterable[list[str]]:
    """Each row padded with empty cells up to ``width``."""
    for row in rows:
        yield row + [""] * (width - len(row))
