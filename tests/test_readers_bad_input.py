"""Readers faced with bad or awkward input: clear ReadErrors, or text read correctly.

Committed inputs are in tests/fixtures/bad (made by tests/fixtures/readers/make_fixtures.py);
the others are made here in tmp_path, PDFs with pypdf, workbooks with openpyxl.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter

from loaders.document import Document, ReadError
from loaders.read import SUPPORTED_SUFFIXES, read

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
TABLE_PDF = Path(__file__).resolve().parent / "fixtures" / "readers" / "table.pdf"
FIVE_MB = 5 * 1024 * 1024


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_error(path: Path, **kwargs: int) -> ReadError:
    """The ReadError raised by reading ``path``; it must name the file."""
    with pytest.raises(ReadError) as caught:
        read(path, **kwargs)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


def assert_rows_match_text(document: Document) -> None:
    for table in document.tables:
        for row in table.rows:
            assert document.text[row.start : row.end] == "\t".join(row.cells)


# --- the file itself -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_zero_byte_file_of_every_format(tmp_path: Path, suffix: str) -> None:
    error = read_error(write(tmp_path, f"vacio{suffix}", b""))
    assert error.reason == "empty file (0 bytes)"


def test_committed_empty_fixture() -> None:
    assert read_error(BAD / "empty.txt").reason == "empty file (0 bytes)"


def test_blank_text_has_no_text(tmp_path: Path) -> None:
    assert "no text found" in read_error(write(tmp_path, "blanco.txt", " \r\n\t\n")).reason


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "grande.txt", "a" * 101)
    error = read_error(path, max_bytes=100)
    assert error.reason == (
        "limit file_bytes exceeded: the file is 101 bytes, over the limit of 100 bytes"
    )
    assert read(write(tmp_path, "justo.txt", "a" * 100), max_bytes=100).text == "a" * 100


@pytest.mark.parametrize("name", ["informe.odt", "informe.doc", "LEEME"])
def test_unsupported_format(tmp_path: Path, name: str) -> None:
    error = read_error(write(tmp_path, name, "texto"))
    assert error.reason.startswith("unsupported format")
    assert ".pdf" in error.reason


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert read_error(tmp_path / "no_existe.txt").reason == "no such file"
    folder = tmp_path / "carpeta.txt"
    folder.mkdir()
    assert read_error(folder).reason == "not a regular file"


# --- text encodings ------------------------------------------------------------------


def test_latin1_fixture_keeps_accents() -> None:
    document = read(BAD / "latin1.txt")
    assert (
        document.text
        == "Región de Ñuble: año de la niñez.\nCorporación de Fomento de la Producción\n"
    )
    assert document.encoding in {"cp1252", "latin_1", "iso8859_15"}


def test_cp1252_quotes_and_dashes(tmp_path: Path) -> None:
    text = "Dirección “Santiago” — O’Higgins: señalética\n" * 3
    document = read(write(tmp_path, "cp1252.txt", text.encode("cp1252")))
    assert document.text == text
    assert document.encoding == "cp1252"


def test_utf16_fixture_with_bom() -> None:
    document = read(BAD / "utf16.txt")
    assert document.text == "Acción del Gobierno Regional de Ñuble\nSegunda línea: señalización\n"
    assert document.encoding == "utf-16"
    assert document.title == "Acción del Gobierno Regional de Ñuble"


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le"])
def test_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    text = "Municipalidad de Chillán y Gobierno Regional de Ñuble\n"
    document = read(write(tmp_path, "u16.txt", text.encode(codec)))
    assert document.text == text
    assert document.encoding == codec


def test_utf16_big_endian_bom_and_utf8_bom(tmp_path: Path) -> None:
    text = "Acción conjunta\n"
    big_endian = b"\xfe\xff" + text.encode("utf-16-be")
    assert read(write(tmp_path, "be.txt", big_endian)).text == text
    with_bom = read(write(tmp_path, "bom.txt", "\ufeff" + text))
    assert with_bom.text == text
    assert with_bom.encoding == "utf-8-sig"


# --- binary data ---------------------------------------------------------------------


def test_binary_fixture() -> None:
    assert read_error(BAD / "binary.txt").reason == "binary data, not text"


def test_random_bytes_without_nul(tmp_path: Path) -> None:
    generator = random.Random(7)
    noise = bytes(generator.randrange(1, 256) for _ in range(20_000))
    assert read_error(write(tmp_path, "ruido.txt", noise)).reason == "binary data, not text"


def test_binary_named_csv_and_md(tmp_path: Path) -> None:
    data = (BAD / "binary.txt").read_bytes()
    assert read_error(write(tmp_path, "datos.csv", data)).reason == "binary data, not text"
    assert read_error(write(tmp_path, "notas.md", data)).reason == "binary data, not text"


def test_utf8_text_full_of_control_characters(tmp_path: Path) -> None:
    data = ("texto\x01\x02\x03\x1b" * 200).encode()
    assert read_error(write(tmp_path, "control.txt", data)).reason == "binary data, not text"


# --- one 5 MB line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "codec"), [("linea.txt", "utf-8"), ("linea.md", "utf-8"), ("linea.csv", "cp1252")]
)
def test_one_five_megabyte_line(tmp_path: Path, name: str, codec: str) -> None:
    unit = "Programa de fomento de la región de Ñuble, "
    line = unit * (FIVE_MB // len(unit))
    path = write(tmp_path, name, line.encode(codec))
    document = read(path)
    if name.endswith(".csv"):
        assert len(document.tables) == 1
        assert len(document.tables[0].rows[0].cells) == line.count(",") + 1
        assert_rows_match_text(document)
    else:
        assert document.text == line
    assert len(document.title) == 200


@pytest.mark.parametrize("name", ["linea.txt", "linea.csv"])
def test_reading_one_long_line_grows_linearly(tmp_path: Path, name: str) -> None:
    from tests.growth import assert_linear

    unit = "Programa de fomento de la región de Ñuble, "

    def make(size: int) -> Path:
        return write(tmp_path, f"{size}{name}", (unit * (size // len(unit))).encode())

    assert_linear(make, read, (FIVE_MB // 4, FIVE_MB // 2, FIVE_MB), repeat=2)


# --- PDF -----------------------------------------------------------------------------


def test_truncated_pdf_fixture() -> None:
    assert read_error(BAD / "truncated.pdf").reason.startswith("truncated PDF")


def test_not_a_pdf(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "falso.pdf", "Esto es texto, no un PDF.\n"))
    assert error.reason.startswith("not a PDF")


def test_corrupt_pdf(tmp_path: Path) -> None:
    generator = random.Random(3)
    garbage = bytes(generator.randrange(256) for _ in range(2_000))
    data = b"%PDF-1.7\n" + garbage + b"%%EOF"
    assert read_error(write(tmp_path, "roto.pdf", data)).reason.startswith("corrupt PDF")


def _encrypted_copy(path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(TABLE_PDF))
    writer.encrypt(user_password, owner_password="propietario", algorithm="AES-256")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_encrypted_pdf_needing_a_password(tmp_path: Path) -> None:
    path = _encrypted_copy(tmp_path / "cifrado.pdf", user_password="secreto")
    error = read_error(path)
    assert error.reason.startswith("encrypted PDF")
    assert "password" in error.reason


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    document = read(_encrypted_copy(tmp_path / "permisos.pdf", user_password=""))
    assert "Programa de Fomento Productivo" in document.text
    assert len(document.tables) == 1
    assert document.tables[0].rows[1].cells == ["Fondo de Innovación", "CORFO", "Ñuble"]
    assert_rows_match_text(document)


def test_pdf_without_text(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    path = tmp_path / "escaneado.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    error = read_error(path)
    assert error.reason.startswith("no text found")
    assert "OCR" in error.reason


# --- DOCX and XLSX packages ----------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [("not_a_zip.docx", "DOCX"), ("not_a_zip.xlsx", "XLSX")])
def test_not_a_zip(name: str, kind: str) -> None:
    assert read_error(BAD / name).reason.startswith(f"not a valid {kind} file: not a readable zip")


def _docx_bytes() -> bytes:
    word = docx.Document()
    word.add_paragraph("Convenio entre CORFO y el Gobierno Regional.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Programa", "Región"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_truncated_docx_and_xlsx(tmp_path: Path) -> None:
    docx_data, xlsx_data = _docx_bytes(), _xlsx_bytes()
    assert read(write(tmp_path, "bien.docx", docx_data)).text.startswith("Convenio entre CORFO")
    for name, data, kind in [("a.docx", docx_data, "DOCX"), ("a.xlsx", xlsx_data, "XLSX")]:
        error = read_error(write(tmp_path, name, data[: len(data) // 2]))
        assert error.reason.startswith(f"not a valid {kind} file")


def test_workbook_named_docx(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "libro.docx", _xlsx_bytes()))
    assert error.reason == "not a DOCX file: it is an Excel workbook (.xlsx) under another name"


def test_ole_file_named_xlsx(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    error = read_error(write(tmp_path, "antiguo.xlsx", data))
    assert "OLE compound file" in error.reason


def test_zip_without_content_types(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    error = read_error(write(tmp_path, "suelto.docx", buffer.getvalue()))
    assert "[Content_Types].xml" in error.reason


def test_xlsx_without_header_row(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Hoja1"
    sheet.append([1, "Fondo de Innovación", 2500000.0])
    sheet.append([2, "Red Pyme", None, "nota"])
    path = tmp_path / "sin_encabezado.xlsx"
    workbook.save(path)
    document = read(path)
    assert [row.cells for row in document.tables[0].rows] == [
        ["1", "Fondo de Innovación", "2500000", ""],
        ["2", "Red Pyme", "", "nota"],
    ]
    assert document.text.startswith("Hoja1\n1\tFondo de Innovación")
    assert_rows_match_text(document)


def test_xlsx_with_only_empty_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Otra")
    path = tmp_path / "vacio.xlsx"
    workbook.save(path)
    assert read_error(path).reason.startswith("no text found")


# --- CSV and HTML --------------------------------------------------------------------


def test_ragged_csv_rows_are_padded() -> None:
    document = read(BAD / "ragged.csv")
    assert [row.cells for row in document.tables[0].rows] == [
        ["Programa", "Responsable", "Región", "Presupuesto"],
        ["Fondo de Innovación", "CORFO", "Ñuble", "1,5"],
        ["Programa Asociativo", "Gobierno Regional", "", ""],
        ["Red Pyme", "", "", ""],
    ]
    assert_rows_match_text(document)


def test_html_script_content_is_absent() -> None:
    document = read(BAD / "scripts.html")
    for hidden in ["codigoOculto", "no debe aparecer", "estilo oculto", "inyectado"]:
        assert hidden not in document.text
    for hidden in ["sin JavaScript", "Plantilla invisible"]:
        assert hidden not in document.text
    assert document.text == (
        "Convocatoria del Fondo Regional\n\nEl Gobierno Regional abre la convocatoria."
    )
    assert document.title == "Convocatoria del Fondo Regional"
