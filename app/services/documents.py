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


TITLE_LINES = 40             # lines of the text looked at for a title
_SPACED = re.compile(r"^(?:\S ){3,}\S$")             # P R E S E N T A C I Ó N
_FIELD = re.compile(r"^([^:]{2,40}):\s*(.*)$")       # Fecha: 31/05/2021
_TITLE_FIELDS = ("titulo", "título", "title", "nombre", "asunto")
_METADATA = re.compile(
    r"^(?:distr\.?|limitada|original:.*|[\w/.\-]*\d[\w/.\-]*|\d{1,2} de \w+ de \d{4})$",
    re.IGNORECASE)
_CODE = re.compile(r"\w*\d\w*[/.\-]\w*|\b\d{1,2} de \w+ de \d{4}\b")
_SUBJECT = re.compile(r"^(?:El|La|Los|Las)\s+([A-ZÁÉÍÓÚÑ][^,.;:]{10,160}?)\s*,")
_DANGLING = {"de", "del", "la", "las", "el", "los", "y", "e", "o", "en", "para", "por",
             "con", "a", "al", "que", "se", "un", "una", "su", "sus", "como"}


def _clean(line: str) -> str:
    text = re.sub(r"^[#>*\-\s]+|[*\s]+$", "", line)
    text = text.strip("[] ")
    if _SPACED.match(text):
        text = text.replace(" ", "")
    text = re.sub(r"\s*\((?:sesi[oó]n|session)[^)]*\)?$", "", text, flags=re.IGNORECASE)
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")]
    return " ".join(text.split())


def _title_like(text: str) -> bool:
    words = text.split()
    if not 3 <= len(words) <= 25 or not 12 <= len(text) <= 200:
        return False
    if not text[0].isupper() or _METADATA.match(text) or text.endswith((",", ";", ":")):
        return False
    if _CODE.search(text) or re.search(r"[a-záéíóú]\. [A-ZÁÉÍÓÚ]", text):
        return False  # a document symbol or date, or two sentences
    return words[-1].casefold() not in _DANGLING


def title_from_text(text: str) -> str | None:
    """A document's title read from its first lines: a ``Título: …`` field, else the first
    line that reads as a title (several words, capitalised, not a code, a date, a
    ``Field: value`` line or a sentence broken at a line end). Letter-spaced headings are
    closed up. None when no line qualifies."""
    lines = [_clean(line) for line in text.splitlines()[:TITLE_LINES]]
    for line in lines:
        field = _FIELD.match(line)
        if field and field.group(1).strip().casefold().startswith(_TITLE_FIELDS):
            value = _clean(field.group(2))
            if value:
                return value
    for block in text[:4000].split("\n\n"):
        subject = _SUBJECT.match(" ".join(block.split()))
        if subject and _title_like(subject.group(1)):
            return subject.group(1)
        if len(block) > 200:
            break
    for line in lines:
        if _FIELD.match(line):
            continue
        if _title_like(line):
            return line[:1] + line[1:].lower() if line.isupper() else line
    return None


def reads_as_title(title: str | None) -> bool:
    """Whether a stored title can be shown as it is (not ``Distr.``, ``Panel``, a field)."""
    stored = _clean(title or "")
    return bool(stored) and _title_like(stored) and not _FIELD.match(stored)


def display_title(title: str | None, path: str, text: str | None = None) -> str:
    """The title to show for a document: its stored title when it reads as one, else one
    read from its text (:func:`title_from_text`), else its file name."""
    if reads_as_title(title):
        return _clean(title or "")
    found = title_from_text(text) if text else None
    return found or _clean(title or "") or Path(path).name


def document_titles(store: Store) -> dict[str, str]:
    """The title to show of every stored document, by id (its text is read only when the
    stored title does not read as one)."""
    titles = {}
    for doc in store.documents():
        text = None
        if not reads_as_title(doc.title):
            full = store.get_document(doc.id)
            text = full.text if full is not None else None
        titles[doc.id] = display_title(doc.title, doc.path, text)
    return titles


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
