"""Hostile and large inputs, built on the spot (nothing is downloaded or committed).

Each builder writes one input of the table in issue "Hostile and large inputs" at a size given
by its caller: ``bench/hostile.py`` builds them full size, the tests build them small enough
to run in seconds but large enough to show how time and memory grow.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from openpyxl.utils import get_column_letter

REPEATED_LINE = (
    "Ministerio de Economía, Fomento y Turismo — Programa de Apoyo a la Pyme Regional 2024\n"
)
INVENTORY_HEADER = ("Programa", "Institución responsable", "Región", "Presupuesto")
REGIONS = ("Ñuble", "Biobío", "Maule", "Los Ríos", "Atacama", "Coquimbo", "Aysén")
FORMULA_CELLS = ("=HYPERLINK(\"http://127.0.0.1/x\",\"ver\")", "+1+1", "-2+3", "@SUM(A1:A2)")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">'
        '<sheets><sheet name="Programas" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def repeated_lines(path: Path, lines: int) -> Path:
    """A .txt of one line repeated ``lines`` times, with no blank line anywhere."""
    path.write_text(REPEATED_LINE * lines, encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: Iterator[list[object]]) -> Path:
    """An XLSX of one sheet holding ``rows``, written as a stream of XML (inline strings), so
    that a million rows cost no more memory than one."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
                        "<sheetData>".encode())
            for number, row in enumerate(rows, start=1):
                sheet.write(_row_xml(number, row).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def _row_xml(number: int, row: list[object]) -> str:
    cells = []
    for column, value in enumerate(row, start=1):
        ref = f"{get_column_letter(column)}{number}"
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def inventory_rows(rows: int, seed: int = 16) -> Iterator[list[object]]:
    """A programme inventory: a header, then ``rows`` programmes with varied names."""
    draw = random.Random(seed)
    yield list(INVENTORY_HEADER)
    for number in range(1, rows + 1):
        yield [
            f"Programa de Fomento Productivo {number}",
            f"Agencia Regional de Desarrollo {draw.randrange(1, 400)}",
            draw.choice(REGIONS),
            draw.randrange(1_000, 9_000_000),
        ]


def tall_xlsx(path: Path, rows: int) -> Path:
    """An inventory XLSX of ``rows`` rows (1,000,000 make about 20 MB)."""
    return write_xlsx(path, inventory_rows(rows))


def wide_xlsx(path: Path, rows: int = 50, columns: int = 16_384) -> Path:
    """A sheet ``rows`` × ``columns`` of short texts (16,384 columns is Excel's maximum)."""
    return write_xlsx(
        path, ([f"c{row}-{column}" for column in range(columns)] for row in range(rows))
    )


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A sound DOCX (python-docx's own template) holding ``paragraphs``."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bomb(path: Path, unpacked_bytes: int) -> Path:
    """A DOCX whose ``word/document.xml`` unpacks to about ``unpacked_bytes`` bytes of
    repeated paragraphs, while the file stays small (deflate compresses repetition well)."""
    template = zipfile.ZipFile(io.BytesIO(docx_bytes(["Informe"])))
    paragraph = ("<w:p><w:r><w:t>El Ministerio de Economía coordina con la Corporación de "
                 "Fomento de la Producción.</w:t></w:r></w:p>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in template.infolist():
            if member.filename != "word/document.xml":
                archive.writestr(member, template.read(member))
        with archive.open("word/document.xml", "w", force_zip64=True) as body:
            body.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
                       b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                       b"<w:body>")
            for _ in range(unpacked_bytes // len(paragraph)):
                body.write(paragraph)
            body.write(b"</w:body></w:document>")
    return path


def corrupt_docx_variants() -> dict[str, bytes]:
    """Damaged DOCX files that are still zip archives, by what is wrong with them."""
    sound = docx_bytes(["El Ministerio de Economía coordina la mesa regional."])

    def replaced(member: str, data: bytes | None) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(sound))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in source.infolist():
                if info.filename != member:
                    archive.writestr(info, source.read(info))
                elif data is not None:
                    archive.writestr(info, data)
        return out.getvalue()

    document_xml = zipfile.ZipFile(io.BytesIO(sound)).read("word/document.xml")
    return {
        "content types of another namespace": replaced(
            "[Content_Types].xml", b'<?xml version="1.0"?><Types><Default/></Types>'),
        "truncated document part": replaced(
            "word/document.xml", document_xml[: len(document_xml) // 2]),
        "no document part": replaced("word/document.xml", None),
        "no package relationships": replaced("_rels/.rels", None),
        "document part that is not XML": replaced("word/document.xml", b"\x00\x01binary"),
    }


def symlink_loops(folder: Path) -> tuple[Path, Path]:
    """In ``folder``: a file link pointing to itself through a second link, and a folder link
    pointing to its own parent. Returns both links."""
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "bucle.txt", folder / "bucle2.txt"
    os.symlink(second.name, first)
    os.symlink(first.name, second)
    back = folder / "sub"
    back.mkdir(exist_ok=True)
    parent_link = back / "arriba"
    os.symlink("..", parent_link)
    return first, parent_link


def formula_inventory_csv(path: Path) -> Path:
    """An inventory CSV whose names start with ``=``, ``+``, ``-`` and ``@``."""
    lines = [",".join(INVENTORY_HEADER)]
    for number, cell in enumerate(FORMULA_CELLS, start=1):
        quoted = '"' + cell.replace('"', '""') + '"'
        lines.append(f"{quoted},Agencia Regional de Desarrollo {number},Ñuble,{number * 1000}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
