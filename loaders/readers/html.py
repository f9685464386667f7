"""HTML pages: visible text with block structure as line breaks, tables as tab-separated rows.

Scripts, styles, ``noscript``, ``template`` and the ``head`` are dropped (the ``<title>``
is kept as a title candidate). Each block element (paragraph, heading, list item, ``div``...)
becomes its own paragraph of text, separated by a blank line; ``<br>`` is a line break.
Each table is rendered as one line per row with its cells separated by tabs; a cell
spanning several columns is followed by empty cells, so that columns stay aligned.
"""

from __future__ import annotations

import codecs

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EncodingDetector
from bs4.element import CData

from loaders.document import Document
from loaders.readers.decoding import decode_text
from loaders.readers.layout import BLOCK_BREAK, TextBuilder, first_line, make_title
from loaders.readers.source import SourceFile

DROPPED_TAGS = ("script", "style", "noscript", "template", "head")
_WINDOWS_1252_LABELS = frozenset({"ascii", "iso8859-1"})  # browsers read these as windows-1252
_MAX_COLSPAN = 1000
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
        "option", "p", "section", "summary", "ul", *HEADING_TAGS,
    }
)  # fmt: skip


def read_html(source: SourceFile) -> Document:
    """An .html or .htm file, decoded by its declared charset or else by detection."""
    text, encoding = _decode_html(source)
    soup = BeautifulSoup(text, "lxml")
    page_title = soup.title.get_text(" ") if soup.title else None
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    heading = soup.find(HEADING_TAGS)
    builder = TextBuilder()
    _render(soup, builder)
    body = builder.text()
    return source.document(
        body,
        title=make_title(heading.get_text(" ") if heading else None, page_title, first_line(body)),
        encoding=encoding,
        tables=builder.tables,
    )


def _decode_html(source: SourceFile) -> tuple[str, str]:
    """Decode by byte-order mark, else by the page's own charset declaration, else detect."""
    has_bom = source.data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    declared = EncodingDetector.find_declared_encoding(source.data, is_html=True)
    if declared and not has_bom:
        try:
            codec = codecs.lookup(declared).name
            if codec in _WINDOWS_1252_LABELS:
                codec = "cp1252"
            text = source.data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if "\x00" not in text:
                return text.removeprefix("\ufeff"), codec
    decoded = decode_text(source)
    return decoded.text, decoded.encoding


class _LineBuffer:
    """Inline text gathered until a block boundary, then written with white space collapsed."""

    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder
        self.pieces: list[str] = []

    def add(self, text: str) -> None:
        self.pieces.append(text)

    def flush(self, separator: str = BLOCK_BREAK) -> None:
        collapsed = " ".join("".join(self.pieces).split())
        self.pieces.clear()
        if collapsed:
            self.builder.write(collapsed)
        self.builder.separate(separator)


def _render(root: Tag, builder: TextBuilder) -> None:
    """Walk the tree without recursion (deeply nested pages are common) and write the text."""
    line = _LineBuffer(builder)
    stack: list[tuple[Tag | NavigableString, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            line.flush()
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                line.add(str(node))
            continue
        if node.name == "br":
            line.flush("\n")
        elif node.name == "table":
            line.flush()
            _render_table(node, builder)
        elif node.name == "pre":
            line.flush()
            builder.write_block(node.get_text())
        else:
            if node.name in BLOCK_TAGS:
                line.flush()
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    line.flush()


def _render_table(table: Tag, builder: TextBuilder) -> None:
    """Write a table's caption as a block and its own rows (not nested tables') as a table."""
    caption = table.find("caption")
    caption_text = ""
    if caption is not None and caption.find_parent("table") is table:
        caption_text = " ".join(caption.get_text(" ").split())
    if caption_text:
        builder.separate(BLOCK_BREAK)
        builder.write(caption_text)
    rows = [_row_cells(row) for row in table.find_all("tr") if row.find_parent("table") is table]
    builder.add_table(rows, attached=bool(caption_text))
    builder.separate(BLOCK_BREAK)


def _row_cells(row: Tag) -> list[str]:
    """A row's cell texts; a cell with ``colspan=n`` is followed by n - 1 empty cells."""
    cells: list[str] = []
    for cell in row.find_all(("td", "th"), recursive=False):
        cells.append(" ".join(cell.get_text(" ").split()))
        cells.extend([""] * (_column_span(cell) - 1))
    return cells


def _column_span(cell: Tag) -> int:
    """The cell's colspan, 1 when absent or invalid, at most 1000 (the HTML maximum)."""
    value = cell.get("colspan")
    try:
        span = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return min(max(span, 1), _MAX_COLSPAN)
