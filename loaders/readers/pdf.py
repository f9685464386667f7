"""PDF files: text page by page with pypdf, tables with pdfplumber.

The text of page *n* is followed by the rows of the tables pdfplumber finds on it, each
row a tab-separated line; pages are joined with ``"\\n\\f\\n"``. Encrypted files are opened
with the empty password when they allow it. A table-finding failure on a page costs that
page's tables, never its text; a page whose text cannot be extracted is left empty and
named in ``metadata["unreadable_pages"]`` (if no page can be read, the file is an error).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from io import BytesIO
from typing import Any

import pdfplumber
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PdfReadError

from loaders.document import Document
from loaders.readers.layout import PAGE_BREAK, TextBuilder, first_line, make_title
from loaders.readers.source import SourceFile

logger = logging.getLogger(__name__)

_HEADER_WINDOW = 1024
_JUNK_TITLE = re.compile(
    r"^(untitled|sin t[íi]tulo|documento\d*)$|\.(docx?|pdf|odt|rtf|xlsx?|pptx?|indd|qxd)$",
    re.IGNORECASE,
)
_METADATA_FIELDS = {"author": "/Author", "subject": "/Subject", "keywords": "/Keywords"}

Rows = list[list[str]]


def read_pdf(source: SourceFile) -> Document:
    """A .pdf file: page texts, tables after their page's text, Page and Table spans."""
    _check_envelope(source)
    reader = _open(source)
    page_texts, unreadable = _page_texts(reader, source)
    tables, table_failures = _page_tables(source, len(page_texts))

    builder = TextBuilder()
    for number, page_text in enumerate(page_texts, start=1):
        if number > 1:
            builder.hard_break(PAGE_BREAK)
        start = builder.length
        builder.write(page_text.strip("\r\n"))
        for rows in tables.get(number, []):
            builder.add_table(rows, page=number)
        builder.add_page(number, start)

    text = builder.text()
    metadata = _metadata(reader)
    if unreadable:
        metadata["unreadable_pages"] = ", ".join(map(str, unreadable))
    if table_failures:
        metadata["table_failures"] = ", ".join(map(str, table_failures))
    return source.document(
        text,
        title=make_title(_metadata_title(reader), first_line(text)),
        pages=builder.pages,
        tables=builder.tables,
        metadata=metadata,
    )


def _check_envelope(source: SourceFile) -> None:
    """A PDF starts with ``%PDF-`` and ends with ``%%EOF``; a missing end means truncation."""
    if b"%PDF-" not in source.data[:_HEADER_WINDOW]:
        raise source.error("not a PDF: no %PDF- header at the start of the file")
    if source.data.rfind(b"%%EOF") == -1:
        raise source.error("truncated PDF: no %%EOF marker, the end of the file is missing")


def _open(source: SourceFile) -> PdfReader:
    """Open with pypdf, decrypting with the empty password when the file is encrypted."""
    try:
        reader = PdfReader(BytesIO(source.data))
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise source.error(f"corrupt PDF: {_describe(exc)}") from exc
    if not encrypted:
        return reader
    try:
        result = reader.decrypt("")
    except DependencyError as exc:
        raise source.error(f"encrypted PDF that cannot be decrypted here: {exc}") from exc
    except Exception as exc:
        raise source.error(f"encrypted PDF that cannot be opened: {_describe(exc)}") from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise source.error("encrypted PDF: it needs a password (the empty password fails)")
    return reader


def _page_texts(reader: PdfReader, source: SourceFile) -> tuple[list[str], list[int]]:
    """Every page's text, and the numbers of the pages whose text could not be extracted."""
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise source.error(f"corrupt PDF: cannot list its pages: {_describe(exc)}") from exc
    if not pages:
        raise source.error("PDF with no pages")
    texts: list[str] = []
    unreadable: list[int] = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            logger.warning("%s: page %d: text not extracted: %s", source.path, number, exc)
            texts.append("")
            unreadable.append(number)
    if len(unreadable) == len(pages):
        raise source.error("corrupt PDF: the text of no page could be extracted")
    return texts, unreadable


def _page_tables(source: SourceFile, page_count: int) -> tuple[dict[int, list[Rows]], list[int]]:
    """Tables found by pdfplumber, by page number, and the pages where finding them failed."""
    tables: dict[int, list[Rows]] = {}
    failures: list[int] = []
    try:
        pdf = pdfplumber.open(BytesIO(source.data), password="")
    except Exception as exc:
        logger.warning("%s: tables not read, pdfplumber cannot open it: %s", source.path, exc)
        return {}, list(range(1, page_count + 1))
    with pdf:
        for number, page in enumerate(pdf.pages[:page_count], start=1):
            try:
                found = page.extract_tables()
            except Exception as exc:
                logger.warning("%s: page %d: tables not read: %s", source.path, number, exc)
                failures.append(number)
                continue
            finally:
                page.close()
            tables[number] = [_rows(table) for table in found]
    return tables, failures


def _rows(table: Sequence[Sequence[str | None]]) -> Rows:
    return [["" if cell is None else str(cell) for cell in row] for row in table]


def _metadata_title(reader: PdfReader) -> str | None:
    """The document-information title, unless it is empty or a leftover file name."""
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:
        return None
    if not title or not str(title).strip() or _JUNK_TITLE.search(str(title).strip()):
        return None
    return str(title)


def _metadata(reader: PdfReader) -> dict[str, str]:
    """Author, subject, keywords and creation date from the document information, if set."""
    metadata: dict[str, str] = {}
    try:
        info: Any = reader.metadata
        if not info:
            return metadata
        for name, key in _METADATA_FIELDS.items():
            value = info.get(key)
            if value and str(value).strip():
                metadata[name] = str(value).strip()
        created = info.creation_date
        if created is not None:
            metadata["creation_date"] = created.isoformat()
    except (PdfReadError, ValueError, TypeError, AttributeError):
        logger.debug("unreadable document information dictionary", exc_info=True)
    return metadata


def _describe(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
