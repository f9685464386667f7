"""Reading any supported file into a :class:`~loaders.document.Document`.

:func:`read` checks the file (exists, is a file, not empty, not over the size limit),
reads its bytes once, and hands them to the reader for its suffix. :func:`iter_files`
expands folders into the files to read, in a stable order.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from loaders.document import Document, ReadError
from loaders.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from loaders.readers import READERS_BY_SUFFIX, SourceFile
from loaders.readers.source import Progress

SYMLINK_LOOP = "symbolic link loop"

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS_BY_SUFFIX)
"""Lowercase suffixes, with their dot, that :func:`read` can read (".txt", ".pdf"...)."""

_NO_TEXT_HINTS = {
    "pdf": " (a scanned PDF needs OCR first)",
}


def read(
    path: Path,
    *,
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> Document:
    """Read ``path`` into a Document; raise ReadError naming the file and the reason.

    The format comes from the suffix (case-insensitive). Files that are missing, symbolic
    link loops, not regular files, empty, over one of ``limits`` (``max_bytes``, when given,
    overrides ``limits.file_bytes``) or of an unsupported format are errors, as are files the
    format's reader cannot make sense of, and files in which no text at all is found.
    ``progress`` hears how far a long read has got.
    """
    path = Path(path)
    if max_bytes is not None:
        limits = replace(limits, file_bytes=max_bytes)
    if is_link_loop(path):
        raise ReadError(str(path), SYMLINK_LOOP)
    reader = READERS_BY_SUFFIX.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ReadError(
            str(path),
            f"unsupported format {path.suffix or '(no suffix)'!r}; supported: {supported}",
        )
    data = _read_bytes(path, limits.file_bytes)
    document = reader(SourceFile(path=path, data=data, limits=limits, progress=progress))
    if not document.text.strip():
        hint = _NO_TEXT_HINTS.get(document.format, "")
        raise ReadError(str(path), f"no text found in the file{hint}")
    lines = document.text.count("\n") + 1
    if lines > limits.text_lines:
        raise LimitExceeded(
            str(path), "text_lines", f"{lines:,} lines of text, over {limits.text_lines:,}"
        )
    return document


def is_link_loop(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that never reaches a file: links that point at
    each other, or a link to a folder that contains the link (walking it never ends)."""
    if not path.is_symlink():
        return False
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return target.is_dir() and path.absolute().parent.resolve().is_relative_to(target)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after checking it is a non-empty regular file within the limit."""
    try:
        size = path.stat().st_size  # follows links: a loop is ELOOP, reported below
        if not path.is_file():
            raise ReadError(str(path), "not a regular file")
        if size == 0:
            raise ReadError(str(path), "empty file (0 bytes)")
        if size > max_bytes:
            raise LimitExceeded(
                str(path), "file_bytes",
                f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes",
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
        if exc.errno == errno.ELOOP:
            raise ReadError(str(path), SYMLINK_LOOP) from exc
        raise ReadError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise LimitExceeded(str(path), "file_bytes", f"it grew over {max_bytes:,} bytes")
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
    """Supported, non-hidden files under ``folder``, sorted, without following folder links;
    symbolic link loops are yielded too, so that they are reported rather than skipped."""
    for root, folders, files in os.walk(folder):
        loops = [name for name in folders if is_link_loop(Path(root) / name)]
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted([*files, *loops]):
            if name.startswith("."):
                continue
            candidate = Path(root) / name
            if is_link_loop(candidate) or (
                candidate.suffix.lower() in SUPPORTED_SUFFIXES and candidate.is_file()
            ):
                yield candidate


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
        return path.absolute()
