"""XLSX workbooks: every non-empty worksheet is a Page holding one Table, with openpyxl.

A sheet is rendered as a line with its name followed by one tab-separated line per
non-empty row; rows are padded to the widest row of the sheet; sheets are separated by a
blank line. Cached formula results are read (``data_only``), not formulas. No row is
taken to be a header: a sheet without one reads the same way.

Rows are streamed (openpyxl's read-only mode parses the sheet XML as it goes), counted
against the limits ``sheet_rows`` and ``sheet_cells`` (:mod:`loaders.limits`) as they arrive,
and every 10,000 rows the caller hears how far reading has got.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from loaders.document import Document, ReadError
from loaders.readers.layout import BLOCK_BREAK, TextBuilder, clean_cell, make_title
from loaders.readers.package import check_package
from loaders.readers.source import SourceFile

WORKSHEETS = "xl/worksheets/"
"""Where a workbook keeps its worksheets, which openpyxl's read-only mode streams."""


def read_xlsx(source: SourceFile) -> Document:
    """A .xlsx file; the title is the workbook's title property, else its first cell text."""
    check_package(source, "XLSX", streamed=WORKSHEETS)
    try:
        reader = _StreamingReader(BytesIO(source.data), read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
    except Exception as exc:
        raise source.error(f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
    builder = TextBuilder()
    first_cell: str | None = None
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            rows = _sheet_rows(sheet, source)
            if not rows:
                continue
            first_cell = first_cell or next(cell for cell in rows[0] if cell)
            builder.separate(BLOCK_BREAK)
            start, _ = builder.write(clean_cell(sheet.title) or f"Sheet {number}")
            builder.add_table(rows, page=number, sheet=sheet.title, attached=True)
            builder.add_page(number, start)
        workbook_title = workbook.properties.title
    except ReadError:
        raise
    except Exception as exc:
        raise source.error(f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
    finally:
        workbook.close()
    return source.document(
        builder.text(),
        title=make_title(workbook_title, first_cell),
        pages=builder.pages,
        tables=builder.tables,
    )


class _StreamedSheet(ReadOnlyWorksheet):
    """A read-only worksheet that does not look for its stored dimensions when opened.

    openpyxl looks for them by parsing the sheet until its ``<dimension>``, so a sheet
    without one (as many writers leave it) was parsed whole before its first row was read.
    Stored dimensions are often wrong anyway: every cell is read."""

    def _get_size(self) -> None:
        self.reset_dimensions()


class _StreamingReader(ExcelReader):
    """openpyxl's read-only workbook reader, with worksheets that stream from the first row
    (:class:`_StreamedSheet`); chart sheets, which hold no cells, are left out."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                worksheet = _StreamedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)


def _sheet_rows(sheet: Any, source: SourceFile) -> list[list[str]]:
    """The sheet's non-empty rows as cell texts, trailing empty cells removed; rows and cells
    are held to the limits as they stream in."""
    rows: list[list[str]] = []
    streamed = sheet.iter_rows(values_only=True)
    for values in source.limited_rows(streamed, f"sheet {sheet.title!r}"):
        cells = list(_trim_trailing_empty(clean_cell(cell_text(value)) for value in values))
        if cells:
            rows.append(cells)
    return rows


def _trim_trailing_empty(cells: Iterable[str]) -> Iterator[str]:
    kept = list(cells)
    while kept and not kept[-1]:
        kept.pop()
    return iter(kept)


def cell_text(value: Any) -> str:
    """A cell value as text: "" for None, integral numbers without ".0", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
