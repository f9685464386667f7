"""Show a document: its text with a quoted span marked, its readable title, its passages."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.services.filters import FilterError
from graph.stores import Store, StoreUnavailable

HIGHLIGHT = re.compile(r"^(\d{1,10}),(\d{1,10})$")


class DocumentNotFound(LookupError):
    """No stored document has that id."""


def display_title(title: str | None, path: str) -> str:
    """The title to show for a document: its stored title, else its file name."""
    return (title or "").strip() or Path(path).name


@dataclass(frozen=True)
class MarkedText:
    """A document's text split around the marked span (``marked`` None: nothing marked)."""

    before: str
    marked: str | None
    after: str
    span: tuple[int, int] | None


def parse_highlight(value: str | None, length: int) -> tuple[int, int] | None:
    """``start,end`` within a text of ``length`` characters; blank → None; FilterError."""
    if value is None or not value.strip():
        return None
    match = HIGHLIGHT.match(value.strip())
    if match is None:
        raise FilterError("highlight", f"expected start,end offsets, got {value!r}")
    start, end = int(match.group(1)), int(match.group(2))
    if not start <= end <= length:
        raise FilterError("highlight", f"{value!r} is outside the document: expected "
                          f"0 <= start <= end <= {length}")
    return start, end


def marked_text(text: str, highlight: str | None) -> MarkedText:
    """``text`` with the span ``highlight`` (``start,end``) marked."""
    span = parse_highlight(highlight, len(text))
    if span is None:
        return MarkedText(text, None, "", None)
    return MarkedText(text[: span[0]], text[span[0]: span[1]], text[span[1]:], span)


def passage_count(store: Store, document_id: str) -> int | None:
    """How many passages a document has, or None when the store cannot say.

    The store protocol has no count of a document's passages; a store that offers
    ``count_passages(document_id)`` is asked, and the embedded SQLite store is read
    directly (read-only) through its file.
    """
    counter = getattr(store, "count_passages", None)
    if callable(counter):
        return int(counter(document_id))
    path = getattr(store, "path", None)
    if not isinstance(path, Path) or not str(getattr(store, "url", "")).startswith("sqlite:"):
        return None
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM passages WHERE document_id = ?", (document_id,)
            ).fetchone()
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"{path}: cannot count passages ({exc})") from exc
    return int(row[0])
