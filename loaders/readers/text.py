"""Plain text and Markdown: decoded, line endings normalised, otherwise kept as they are."""

from __future__ import annotations

import re

from loaders.document import Document
from loaders.readers.decoding import decode_text
from loaders.readers.layout import first_line, make_title
from loaders.readers.source import SourceFile

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<title>[^\n]*)", re.MULTILINE)
_ATX_MARKER = re.compile(r"^ {0,3}#{1,6}[ \t]+")
_SETEXT_HEADING = re.compile(r"^(?P<title>[^\n]+)\n {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


def read_plain_text(source: SourceFile) -> Document:
    """A .txt file; the title is its first non-empty line (without a leading "# " marker)."""
    decoded = decode_text(source)
    title = _ATX_MARKER.sub("", first_line(decoded.text), count=1)
    return source.document(decoded.text, title=make_title(title), encoding=decoded.encoding)


def read_markdown(source: SourceFile) -> Document:
    """A Markdown file, markup kept; the title is its first heading, else its first line."""
    decoded = decode_text(source)
    return source.document(
        decoded.text,
        title=make_title(markdown_heading(decoded.text), first_line(decoded.text)),
        encoding=decoded.encoding,
    )


def markdown_heading(text: str) -> str | None:
    """The text of the first ATX (``# Title``) or setext (underlined) heading, if any."""
    found = [
        match
        for match in (_ATX_HEADING.search(text), _SETEXT_HEADING.search(text))
        if match is not None and match.group("title").strip(" \t#")
    ]
    if not found:
        return None
    return min(found, key=lambda match: match.start()).group("title").strip(" \t#")
