"""One reader per family of file formats; :func:`loaders.read.read` picks the right one.

Every reader takes a :class:`~loaders.readers.source.SourceFile` (the path and the bytes,
read once) and returns a :class:`~loaders.document.Document`, or raises
:class:`~loaders.document.ReadError` naming the file and the problem.
"""

from __future__ import annotations

from collections.abc import Callable

from loaders.document import Document
from loaders.readers.delimited import read_delimited
from loaders.readers.html import read_html
from loaders.readers.pdf import read_pdf
from loaders.readers.source import SourceFile
from loaders.readers.spreadsheet import read_xlsx
from loaders.readers.text import read_markdown, read_plain_text
from loaders.readers.word import read_docx

Reader = Callable[[SourceFile], Document]

READERS_BY_SUFFIX: dict[str, Reader] = {
    ".txt": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".csv": read_delimited,
    ".tsv": read_delimited,
    ".xlsx": read_xlsx,
}

__all__ = ["READERS_BY_SUFFIX", "Reader", "SourceFile"]
