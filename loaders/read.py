"""Reading any supported file into a :class:`~loaders.document.Document`.

:func:`read` checks the file (exists, is a file, not empty, not over the size limit),
reads its bytes once, and hands them to the reader for its suffix. :func:`iter_files`
expands folders into the files to read, in a stable order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from loaders.document import Document, ReadError
from loaders.readers import READERS_BY_SUFFIX, SourceFile
from loaders.readers.source import DEFAULT_MAX_BYTES

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS_BY_SUFFIX)
"""Lowercase suffixes, with their dot, that :func:`read` can read (".txt", ".pdf"...)."""

_NO_TEXT_HINTS = {
    "pdf": " (a scanned PDF needs OCR first)",
}


def read(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` into a Document; raise ReadError naming the file and the reason.

    The format comes from the suffix (case-insensitive). Files that are missing, not
    regular files, empty, larger than ``max_bytes`` or of an unsupported format are
    errors, as are files the format's reader cannot make sense of, and files in which
    no text at all is found.
    """
    path = Path(path)
    reader = READERS_BY_SUFFIX.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ReadError(
            str(path),
            f"unsupported format {path.suffix or '(no suffix)'!r}; supported: {supported}",
        )
    source = SourceFile(path=path, data=_read_bytes(path, max_bytes), max_bytes=max_bytes)
    document = reader(source)
    if not document.text.strip():
        hint = _NO_TEXT_HINTS.get(document.format, "")
        raise ReadError(str(path), f"no text found in the file{hint}")
    return document


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after checking it is a non-empty regular file within the limit."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReadError(str(path), "not a regular file")
        if size == 0:
            raise ReadError(str(path), "empty file (0 bytes)")
        if size > max_bytes:
            raise ReadError(
                str(path), f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise ReadError(str(path), "no such file") from exc
    except PermissionError as exc:
        raise ReadError(str(path), "permission denied") from exc
    except IsADirectoryError as exc:
        raise ReadError(str(path), "not a regular file") from exc
    except OSError as exc:
        raise ReadError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ReadError(str(path), f"file grew over the limit of {max_bytes:,} bytes")
    if not data:
        raise ReadError(str(path), "empty file (0 bytes)")
    return data


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read: folders expanded, everything else yielded as given.

    A folder is walked recursively in sorted order, skipping hidden files and folders
    (names starting with "."), and yields only files with a supported suffix. A path
    given explicitly is yielded even if its format is unsupported or it does not exist,
    so that the caller can report it. No file is yielded twice.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        candidates = _walk(path) if path.is_dir() else iter((path,))
        for candidate in candidates:
            key = _identity(candidate)
            if key in seen:
                continue
            seen.add(key)
            yield candidate


def _walk(folder: Path) -> Iterator[Path]:
    """Supported, non-hidden files under ``folder``, sorted, without following folder links."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            candidate = Path(root) / name
            if candidate.suffix.lower() in SUPPORTED_SUFFIXES and candidate.is_file():
                yield candidate


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
