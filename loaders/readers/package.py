"""Checks shared by the Office Open XML formats (DOCX, XLSX), which are zip archives."""

from __future__ import annotations

import zipfile
from io import BytesIO

from loaders.readers.source import SourceFile

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES_MEMBER = "[Content_Types].xml"
EXPANSION_FACTOR = 10


def check_package(source: SourceFile, kind: str) -> None:
    """Raise ReadError unless the bytes are a sound, bounded Office Open XML zip package.

    ``kind`` names the format in messages ("DOCX", "XLSX"). The uncompressed size of all
    members together may not exceed ten times the reader's byte limit.
    """
    if source.data.startswith(OLE_SIGNATURE):
        raise source.error(
            f"not a {kind} file: it is an OLE compound file (an old binary Office file, or a "
            "password-protected document)"
        )
    try:
        with zipfile.ZipFile(BytesIO(source.data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise source.error(
            f"not a valid {kind} file: not a readable zip archive ({exc}); damaged or truncated?"
        ) from exc
    if not any(member.filename == CONTENT_TYPES_MEMBER for member in members):
        raise source.error(
            f"not a valid {kind} file: the zip archive has no {CONTENT_TYPES_MEMBER}"
        )
    expanded = sum(member.file_size for member in members)
    limit = EXPANSION_FACTOR * source.max_bytes
    if expanded > limit:
        raise source.error(
            f"{kind} expands to {expanded:,} bytes, over the limit of {limit:,} bytes"
        )
