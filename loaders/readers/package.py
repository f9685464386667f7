"""Checks shared by the Office Open XML formats (DOCX, XLSX), which are zip archives."""

from __future__ import annotations

import posixpath
import zipfile
from io import BytesIO

from lxml import etree

from loaders.limits import UNPACKED_RATIO_FLOOR
from loaders.readers.source import SourceFile

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES_MEMBER = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
CONTENT_TYPES_ROOT = "{http://schemas.openxmlformats.org/package/2006/content-types}Types"
RELATIONSHIPS_ROOT = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationships"
OFFICE_DOCUMENT = "/officeDocument"
_SMALL_PART_BYTES = 1_000_000
_FAMILIES = {
    "wordprocessingml": ("DOCX", "a Word document (.docx)"),
    "spreadsheetml": ("XLSX", "an Excel workbook (.xlsx)"),
    "presentationml": ("PPTX", "a PowerPoint presentation (.pptx)"),
}


def check_package(source: SourceFile, kind: str, streamed: str | None = None) -> None:
    """Raise ReadError unless the bytes are a sound, bounded Office Open XML zip package.

    ``kind`` names the format in messages ("DOCX", "XLSX"). Before anything is unpacked,
    the unpacked size of the members (as the archive declares it: Python's zip reader never
    yields more) is held to the limits: all of them together, past 10 MB, to
    ``unpacked_ratio`` times the file's size (a zip bomb is refused, not parsed), and those
    parsed whole to ``unpacked_bytes``. Members under the folder ``streamed`` (an XLSX's
    worksheets, read row by row and held to ``sheet_rows`` and ``sheet_cells`` as they
    stream) do not count against ``unpacked_bytes``.
    """
    if source.data.startswith(OLE_SIGNATURE):
        raise source.error(
            f"not a {kind} file: it is an OLE compound file (an old binary Office file, or a "
            "password-protected document)"
        )
    try:
        with zipfile.ZipFile(BytesIO(source.data)) as archive:
            members = {member.filename: member for member in archive.infolist()}
            if CONTENT_TYPES_MEMBER not in members:
                raise source.error(
                    f"not a valid {kind} file: the zip archive has no {CONTENT_TYPES_MEMBER}"
                )
            whole = sum(
                m.file_size for name, m in members.items()
                if streamed is None or not name.startswith(streamed)
            )
            check_unpacked_size(source, kind, sum(m.file_size for m in members.values()), whole)
            _check_main_part(source, kind, archive, members)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise source.error(
            f"not a valid {kind} file: not a readable zip archive ({exc}); damaged or truncated?"
        ) from exc


def _small_xml(
    source: SourceFile, kind: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, root: str
) -> etree._Element:
    """The parsed XML of a small package part whose root element must be ``root``."""
    damaged = f"damaged {kind} file: its part {member.filename} "
    if member.file_size > _SMALL_PART_BYTES:
        raise source.error(damaged + f"is {member.file_size:,} bytes, too large for its role")
    try:
        tree = etree.fromstring(archive.read(member), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise source.error(damaged + f"is not well-formed XML ({exc.msg})") from exc
    if tree.tag != root:
        raise source.error(damaged + "is not an Office Open XML part of its kind")
    return tree


def _check_main_part(
    source: SourceFile, kind: str, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
) -> None:
    """The part list and the package relationships are sound and name a main part that the
    archive holds: what a damaged package most often lacks, said in words."""
    types = _small_xml(source, kind, archive, members[CONTENT_TYPES_MEMBER], CONTENT_TYPES_ROOT)
    if PACKAGE_RELATIONSHIPS not in members:
        raise source.error(
            f"damaged {kind} file: it has no {PACKAGE_RELATIONSHIPS}, which says where its "
            "main part is"
        )
    rels = _small_xml(source, kind, archive, members[PACKAGE_RELATIONSHIPS], RELATIONSHIPS_ROOT)
    targets = [
        rel.get("Target", "") for rel in rels if rel.get("Type", "").endswith(OFFICE_DOCUMENT)
    ]
    if not targets:
        raise source.error(f"damaged {kind} file: {PACKAGE_RELATIONSHIPS} names no main part")
    main = posixpath.normpath(targets[0].lstrip("/"))
    if main not in members:
        raise source.error(f"damaged {kind} file: its main part {main} is missing")
    content_type = next(
        (part.get("ContentType", "") for part in types if part.get("PartName") == f"/{main}"), ""
    )
    for family, (family_kind, described) in _FAMILIES.items():
        if family in content_type and family_kind != kind:
            raise source.error(f"not a {kind} file: it is {described} under another name")


def check_unpacked_size(
    source: SourceFile, kind: str, unpacked: int, whole: int | None = None
) -> None:
    """Raise LimitExceeded when the ``unpacked`` bytes of all members break the ratio (judged
    first: a bomb is named as one), or the ``whole`` bytes of the members parsed whole (all of
    them, by default) ``unpacked_bytes``."""
    limits = source.limits
    whole = unpacked if whole is None else whole
    ratio = unpacked / len(source.data)
    if unpacked > UNPACKED_RATIO_FLOOR and ratio > limits.unpacked_ratio:
        raise source.over_limit(
            "unpacked_ratio",
            f"the {kind} unpacks to {unpacked:,} bytes, {ratio:,.0f} times its "
            f"{len(source.data):,} bytes (at most {limits.unpacked_ratio}); a zip bomb?",
        )
    if whole > limits.unpacked_bytes:
        streamed = " (without the worksheets, which stream)" if whole < unpacked else ""
        raise source.over_limit(
            "unpacked_bytes",
            f"the {kind} unpacks to {whole:,} bytes{streamed}, over {limits.unpacked_bytes:,}",
        )
