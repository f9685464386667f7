"""The bytes of one file, read once, with what every reader needs to build a Document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.document import Document, ReadError

DEFAULT_MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class SourceFile:
    """A file's path and bytes; the sha256 and format are derived from them.

    ``max_bytes`` is the size limit the file was read under; readers of compressed
    formats use it to bound how far an archive may expand.
    """

    path: Path
    data: bytes
    max_bytes: int = DEFAULT_MAX_BYTES
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    @property
    def format(self) -> str:
        """The lowercase suffix without its dot ("pdf", "xlsx", "htm")."""
        return self.path.suffix.lower().lstrip(".")

    def error(self, reason: str) -> ReadError:
        """A ReadError naming this file and ``reason``, ready to raise."""
        return ReadError(str(self.path), reason)

    def document(self, text: str, **fields: Any) -> Document:
        """A Document for this file with the given text and reader-specific fields."""
        return Document(
            path=str(self.path), format=self.format, sha256=self.sha256, text=text, **fields
        )
