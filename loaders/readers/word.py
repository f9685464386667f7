"""DOCX files: paragraphs and tables in document order, with python-docx.

Each non-empty paragraph is a block of text separated by a blank line. Each table is
rendered as one tab-separated line per row: a cell spanning several columns appears once
in its row (followed by empty cells for the other columns it covers, which keeps the
columns aligned); a cell merged down several rows gives its text to each of those rows,
so that every row stands on its own. Text of tables nested inside a cell joins that cell's text.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.document import Document as WordDocument
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from loaders.document import Document
from loaders.readers.layout import TextBuilder, first_line, make_title
from loaders.readers.package import check_package
from loaders.readers.source import SourceFile

_HEADING_STYLE_PREFIXES = ("heading", "title", "título", "titulo")


def read_docx(source: SourceFile) -> Document:
    """A .docx file; the title is the core-properties title, else the first heading or line."""
    check_package(source, "DOCX")
    try:
        word = docx.Document(BytesIO(source.data))
        builder = TextBuilder()
        heading = _write_body(word, builder)
        core_title = word.core_properties.title
    except etree.XMLSyntaxError as exc:
        raise source.error(
            f"damaged DOCX file: one of its parts is not well-formed XML ({exc.msg}); "
            "truncated or edited by hand?"
        ) from exc
    except KeyError as exc:
        raise source.error(
            f"damaged DOCX file: a part it refers to is missing ({exc})"
        ) from exc
    except Exception as exc:
        raise source.error(
            f"damaged DOCX file: it cannot be read as a Word document ({type(exc).__name__}: {exc})"
        ) from exc
    text = builder.text()
    return source.document(
        text,
        title=make_title(core_title, heading, first_line(text)),
        tables=builder.tables,
    )


def _write_body(word: WordDocument, builder: TextBuilder) -> str | None:
    """Write paragraphs and tables in order; return the first heading's text, if any."""
    heading: str | None = None
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text
            if heading is None and text.strip() and _is_heading(block):
                heading = text
            builder.write_block(text)
        else:
            builder.add_table(table_rows(block))
    return heading


def _is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    return name.strip().lower().startswith(_HEADING_STYLE_PREFIXES)


def table_rows(table: WordTable) -> list[list[str]]:
    """The text of each row's cells, one per grid column.

    A cell spanning several grid columns gives its text to the first of them and leaves
    the others empty, so that its text is not repeated and the columns stay aligned.
    """
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous: _Cell | None = None
        for cell in row.cells:
            cells.append("" if cell is previous else _cell_text(cell))
            previous = cell
        rows.append(cells)
    return rows


def _cell_text(cell: _Cell) -> str:
    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(" ".join(row) for row in table_rows(block))
    return " ".join(part for part in parts if part.strip())
