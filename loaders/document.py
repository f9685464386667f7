"""What a reader returns: the text of a file, its pages and tables, and its sha256.

Every character offset in the project refers to :attr:`Document.text`. Readers that
find tables render each row into the text as tab-separated cells on one line and record
the row's span, so that a table row is a passage whose quote is exact.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from graph.model import DocumentInfo


class TableRow(BaseModel):
    """One row of a table: its cells and the span of its rendering in the text."""

    cells: list[str]
    start: int
    end: int


class Table(BaseModel):
    """A table found by a reader (PDF, DOCX, HTML, CSV, XLSX)."""

    rows: list[TableRow] = Field(default_factory=list)
    page: int | None = None
    sheet: str | None = None

    @property
    def start(self) -> int:
        """Offset of the first row in the document text (0 for an empty table)."""
        return self.rows[0].start if self.rows else 0

    @property
    def end(self) -> int:
        """Offset just past the last row in the document text (0 for an empty table)."""
        return self.rows[-1].end if self.rows else 0


class Page(BaseModel):
    """A page (PDF) or sheet (XLSX) of the document: its span in the text."""

    number: int
    start: int
    end: int


class Document(BaseModel):
    """A file as read: decoded text, pages, tables and provenance."""

    path: str
    format: str
    sha256: str
    text: str
    title: str = ""
    encoding: str | None = None
    pages: list[Page] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)

    def info(self) -> DocumentInfo:
        """The stored record of this document (id = sha256 of its bytes), with its text."""
        return DocumentInfo(
            id=self.sha256,
            title=self.title or Path(self.path).name,
            path=self.path,
            format=self.format,
            publisher=self.metadata.get("publisher"),
            date=self.metadata.get("date"),
            text=self.text,
        )


class ReadError(Exception):
    """A file could not be read; the message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
