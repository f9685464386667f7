"""The bytes of one file, read once, with what every reader needs to build a Document."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from loaders.document import Document, ReadError
from loaders.limits import DEFAULT_LIMITS, LimitExceeded, Limits

DEFAULT_MAX_BYTES = DEFAULT_LIMITS.file_bytes
PROGRESS_EVERY = 10_000
"""Rows between two progress reports of a long table."""

T = TypeVar("T")

Progress = Callable[[str], None]
"""Called by a reader with a short note of how far it has got ("sheet Hoja1: 20,000 rows")."""


@dataclass(frozen=True)
class SourceFile:
    """A file's path and bytes; the sha256 and format are derived from them.

    ``limits`` is the limit policy the file is read under (readers of compressed and tabular
    formats check theirs); ``progress``, when given, hears how far a long read has got.
    """

    path: Path
    data: bytes
    limits: Limits = DEFAULT_LIMITS
    progress: Progress | None = None
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    @property
    def format(self) -> str:
        """The lowercase suffix without its dot ("pdf", "xlsx", "htm")."""
        return self.path.suffix.lower().lstrip(".")

    @property
    def max_bytes(self) -> int:
        """The size limit of the file (``limits.file_bytes``)."""
        return self.limits.file_bytes

    def error(self, reason: str) -> ReadError:
        """A ReadError naming this file and ``reason``, ready to raise."""
        return ReadError(str(self.path), reason)

    def over_limit(self, limit: str, detail: str) -> LimitExceeded:
        """A LimitExceeded naming this file, the limit and by how much, ready to raise."""
        return LimitExceeded(str(self.path), limit, detail)

    def report(self, note: str) -> None:
        """Tell the caller how far reading has got (nothing when nobody listens)."""
        if self.progress is not None:
            self.progress(note)

    def limited_rows(self, rows: Iterable[Sequence[T]], table: str) -> Iterator[Sequence[T]]:
        """``rows`` of the table or sheet named ``table``, held to the limits ``sheet_rows``
        and ``sheet_cells`` as they stream in; progress is reported every 10,000 rows."""
        limits = self.limits
        cells = 0
        for count, row in enumerate(rows, start=1):
            cells += len(row)
            if count > limits.sheet_rows:
                raise self.over_limit(
                    "sheet_rows", f"{table} has over {limits.sheet_rows:,} rows"
                )
            if cells > limits.sheet_cells:
                raise self.over_limit(
                    "sheet_cells",
                    f"{table} has over {limits.sheet_cells:,} cells ({count:,} rows read, "
                    f"the last {len(row):,} cells wide)",
                )
            if count % PROGRESS_EVERY == 0:
                self.report(f"{table}: {count:,} rows")
            yield row

    def document(self, text: str, **fields: Any) -> Document:
        """A Document for this file with the given text and reader-specific fields."""
        return Document(
            path=str(self.path), format=self.format, sha256=self.sha256, text=text, **fields
        )
