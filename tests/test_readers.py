"""Readers: every format read into a Document with its text, title, pages and tables.

Inputs are made by the tests in tmp_path (python-docx, openpyxl, plain strings) or come
from the committed PDF fixture (tests/fixtures/readers/table.pdf, made with pypdf by
make_fixtures.py there), plus the real sample files of ../shared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import re
from pathlib import Path
from types import ModuleType

import docx
import openpyxl
import pdfplumber
import pytest

from loaders.document import Document
from loaders.read import SUPPORTED_SUFFIXES, iter_files, read

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
TABLE_PDF = FIXTURES / "table.pdf"
SHARED = Path(
    os.environ.get("TEJIDO_SHARED", Path(__file__).resolve().parents[1] / ".." / "shared")
)


def _load_fixture_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PDF_CONTENT = _load_fixture_maker()


def assert_spans_consistent(document: Document) -> None:
    """Every table row is its cells joined by tabs at its span; pages cover their tables."""
    for table in document.tables:
        assert table.rows, "a table without rows should not be recorded"
        widths = {len(row.cells) for row in table.rows}
        assert len(widths) == 1, f"rows of one table differ in width: {widths}"
        for row in table.rows:
            assert document.text[row.start : row.end] == "\t".join(row.cells)
            for cell in row.cells:
                assert not re.search(r"[\t\n\r]", cell), f"unclean cell {cell!r}"
            before = document.text[row.start - 1] if row.start else "\n"
            after = document.text[row.end] if row.end < len(document.text) else "\n"
            assert before == "\n" and after == "\n", "a row must be a line of its own"
        if table.page is not None:
            page = next(page for page in document.pages if page.number == table.page)
            assert page.start <= table.start and table.end <= page.end
    for earlier, later in zip(document.pages, document.pages[1:], strict=False):
        assert earlier.end <= later.start


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def cells_of(document: Document) -> list[list[list[str]]]:
    return [[row.cells for row in table.rows] for table in document.tables]


# --- common properties ---------------------------------------------------------------


def test_sha256_format_and_suffix_case(tmp_path: Path) -> None:
    data = "Informe Anual\r\nSegunda línea\r\n".encode()
    path = write(tmp_path, "INFORME.TXT", data)
    document = read(path)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.format == "txt"
    assert document.path == str(path)


def test_supported_suffixes_are_the_documented_ones() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".csv", ".tsv"} < set(
        SUPPORTED_SUFFIXES
    )
    assert ".xlsx" in SUPPORTED_SUFFIXES
    assert ".doc" not in SUPPORTED_SUFFIXES


def test_title_is_trimmed_to_200_characters(tmp_path: Path) -> None:
    long_line = "Programa " * 60
    document = read(write(tmp_path, "largo.txt", f"\n\n   {long_line}\nresto\n"))
    assert len(document.title) == 200
    assert document.title.startswith("Programa Programa")


# --- text and markdown ---------------------------------------------------------------


def test_plain_text_newlines_normalised_and_title_first_line(tmp_path: Path) -> None:
    document = read(write(tmp_path, "a.txt", "\n  \nPlan de Acción\r\nlínea dos\rlínea tres\n"))
    assert "\r" not in document.text
    assert document.text == "\n  \nPlan de Acción\nlínea dos\nlínea tres\n"
    assert document.title == "Plan de Acción"
    assert document.encoding == "utf-8"
    assert document.tables == [] and document.pages == []


def test_plain_text_title_drops_a_heading_marker(tmp_path: Path) -> None:
    document = read(write(tmp_path, "a.txt", "# Estrategia Regional\ntexto\n"))
    assert document.title == "Estrategia Regional"
    assert document.text.startswith("# Estrategia Regional")


def test_markdown_keeps_markup_and_takes_first_heading(tmp_path: Path) -> None:
    source = "Nota previa sin título.\n\n## Agenda Digital *eLAC* ##\n\n- punto **uno**\n"
    document = read(write(tmp_path, "notas.md", source))
    assert document.text == source
    assert document.title == "Agenda Digital *eLAC*"
    assert document.format == "md"


def test_markdown_setext_heading(tmp_path: Path) -> None:
    document = read(write(tmp_path, "n.markdown", "\nPolítica Nacional\n=================\n\nx\n"))
    assert document.title == "Política Nacional"
    assert document.format == "markdown"


# --- HTML ----------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html><html><head><title>Título de la página</title>
<style>p { color: red }</style><script>var oculto = "script";</script></head>
<body><div><h1>Coordinación   multinivel</h1>
<p>El <b>Ministerio</b> de Economía<br>y la CORFO.</p>
<ul><li>Uno</li><li>Dos</li></ul>
<table><caption>Tabla 1: programas</caption>
<thead><tr><th>Programa</th><th>Responsable</th><th>Región</th></tr></thead>
<tbody><tr><td colspan="2">Fondo de Innovación\t(FIC)</td><td>Ñuble</td></tr>
<tr><td>Red<br>Pyme</td><td><table><tr><td>anidada</td></tr></table></td><td></td></tr></tbody>
</table><p>Después de la tabla</p><!-- comentario oculto --></div></body></html>"""


def test_html_blocks_become_lines_and_tables_rows(tmp_path: Path) -> None:
    document = read(write(tmp_path, "p.html", HTML_PAGE))
    text = document.text
    assert "oculto" not in text and "color" not in text and "comentario" not in text
    assert "Coordinación multinivel\n\nEl Ministerio de Economía\ny la CORFO.\n\nUno\n\nDos" in text
    assert cells_of(document) == [
        [
            ["Programa", "Responsable", "Región"],
            ["Fondo de Innovación (FIC)", "", "Ñuble"],
            ["Red Pyme", "anidada", ""],
        ]
    ]
    assert "Tabla 1: programas\nPrograma\tResponsable\tRegión\n" in text
    assert text.index("Dos") < document.tables[0].start < text.index("Después de la tabla")
    assert document.title == "Coordinación multinivel"
    assert_spans_consistent(document)


def test_html_title_falls_back_to_title_element(tmp_path: Path) -> None:
    page = "<html><head><title> Informe  2019 </title></head><body><p>Texto</p></body></html>"
    document = read(write(tmp_path, "p.htm", page))
    assert document.title == "Informe 2019"
    assert document.format == "htm"
    assert "Informe 2019" not in document.text


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Región de Ñuble “x”</p>'
    document = read(write(tmp_path, "l.html", page.encode("cp1252")))
    assert document.text == "Región de Ñuble “x”"
    assert document.encoding == "cp1252"


def test_html_byte_order_mark_beats_declaration(tmp_path: Path) -> None:
    page = '<meta charset="iso-8859-1"><p>Región de Ñuble</p>'.encode()
    document = read(write(tmp_path, "bom.html", b"\xef\xbb\xbf" + page))
    assert document.text == "Región de Ñuble"


def test_html_without_declaration_is_detected(tmp_path: Path) -> None:
    page = "<html><body><p>Corporación de Fomento de la Producción, región de Ñuble</p>"
    document = read(write(tmp_path, "l.html", page.encode("latin-1")))
    assert document.text == "Corporación de Fomento de la Producción, región de Ñuble"


def test_html_deeply_nested_does_not_recurse(tmp_path: Path) -> None:
    page = "<html><body>" + "<span>" * 3000 + "hondo" + "</span>" * 3000 + "</body></html>"
    document = read(write(tmp_path, "deep.html", page))
    assert document.text == "hondo"


# --- PDF -----------------------------------------------------------------------------


def test_pdf_pages_text_and_table() -> None:
    document = read(TABLE_PDF)
    assert document.format == "pdf"
    assert document.title == PDF_CONTENT.TITLE
    assert [page.number for page in document.pages] == [1, 2]
    first, second = document.pages
    first_text = document.text[first.start : first.end]
    second_text = document.text[second.start : second.end]
    assert document.text[first.end : second.start] == "\n\f\n"
    assert first_text.startswith(PDF_CONTENT.HEADING)
    assert PDF_CONTENT.PARAGRAPH in first_text
    assert second_text == PDF_CONTENT.SECOND_PAGE
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.page == 1
    assert [row.cells for row in table.rows] == PDF_CONTENT.TABLE
    assert first_text.index(PDF_CONTENT.PARAGRAPH) < table.start - first.start
    assert_spans_consistent(document)


def test_pdf_table_failure_keeps_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("table finder broke")

    monkeypatch.setattr(pdfplumber.page.Page, "extract_tables", broken)
    document = read(TABLE_PDF)
    assert document.tables == []
    assert PDF_CONTENT.PARAGRAPH in document.text
    assert PDF_CONTENT.SECOND_PAGE in document.text
    assert document.metadata["table_failures"] == "1, 2"


def test_pdf_title_from_first_line_when_metadata_is_a_file_name(tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(TABLE_PDF.read_bytes())))
    writer.add_metadata({"/Title": "Microsoft Word - informe final.docx"})
    path = tmp_path / "renamed.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert read(path).title == PDF_CONTENT.HEADING


# --- DOCX ----------------------------------------------------------------------------


def make_docx(path: Path, *, core_title: str = "") -> Path:
    word = docx.Document()
    word.core_properties.title = core_title
    word.add_paragraph("")
    word.add_heading("Plan Regional de Ñuble", level=1)
    word.add_paragraph("Primer párrafo antes de la tabla.")
    table = word.add_table(rows=5, cols=3)
    texts = [
        ["Instrumento", "Responsable", "Región"],
        ["Fondo de Innovación", "CORFO", "Ñuble"],
        ["Programa conjunto", "Gobierno Regional y Municipalidad", ""],
        ["Red Pyme", "", "Biobío"],
        ["Capacitación", "SENCE", ""],
    ]
    for row, values in enumerate(texts):
        for column, text in enumerate(values):
            table.cell(row, column).text = text
    table.cell(2, 1).merge(table.cell(2, 2))
    table.cell(3, 1).paragraphs[0].add_run("SERCOTEC\ten red")
    table.cell(3, 1).add_paragraph("segunda línea")
    table.cell(3, 2).merge(table.cell(4, 2))
    word.add_paragraph("Párrafo después de la tabla.")
    word.save(path)
    return path


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    document = read(make_docx(tmp_path / "plan.docx"))
    text = document.text
    assert text.index("Primer párrafo") < document.tables[0].start
    assert document.tables[0].end < text.index("Párrafo después de la tabla.")
    assert cells_of(document) == [
        [
            ["Instrumento", "Responsable", "Región"],
            ["Fondo de Innovación", "CORFO", "Ñuble"],
            ["Programa conjunto", "Gobierno Regional y Municipalidad", ""],
            ["Red Pyme", "SERCOTEC en red segunda línea", "Biobío"],
            ["Capacitación", "SENCE", "Biobío"],
        ]
    ]
    assert text.count("Gobierno Regional y Municipalidad") == 1
    assert document.title == "Plan Regional de Ñuble"
    assert_spans_consistent(document)


def test_docx_core_title_wins(tmp_path: Path) -> None:
    document = read(make_docx(tmp_path / "plan.docx", core_title="Informe oficial"))
    assert document.title == "Informe oficial"
    assert document.format == "docx"


# --- CSV and TSV ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "delimiter", "expected"),
    [
        (
            "coma.csv",
            'Programa,Región\n"Fondo, Ñuble","dos\nlíneas"\n',
            ",",
            [["Programa", "Región"], ["Fondo, Ñuble", "dos líneas"]],
        ),
        (
            "punto_y_coma.csv",
            "Programa;Monto;Región\nFondo;1,5;Ñuble\nRed;2,75;Biobío\n",
            ";",
            [["Programa", "Monto", "Región"], ["Fondo", "1,5", "Ñuble"], ["Red", "2,75", "Biobío"]],
        ),
        (
            "tabulada.csv",
            "Programa\tRegión\nFondo\tÑuble\n",
            "\t",
            [["Programa", "Región"], ["Fondo", "Ñuble"]],
        ),
        (
            "datos.tsv",
            "Programa\tRegión\nFondo, uno\tÑuble\n",
            "\t",
            [["Programa", "Región"], ["Fondo, uno", "Ñuble"]],
        ),
    ],
)
def test_delimited_dialects(
    tmp_path: Path, name: str, content: str, delimiter: str, expected: list[list[str]]
) -> None:
    document = read(write(tmp_path, name, content))
    assert document.metadata["delimiter"] == delimiter
    assert cells_of(document) == [expected]
    assert document.title == " ".join(expected[0])
    assert_spans_consistent(document)


def test_csv_latin1_encoding_detected(tmp_path: Path) -> None:
    content = "Institución;Región\nMunicipalidad de Chillán;Ñuble\n"
    document = read(write(tmp_path, "latin.csv", content.encode("latin-1")))
    assert cells_of(document) == [
        [["Institución", "Región"], ["Municipalidad de Chillán", "Ñuble"]]
    ]


# --- XLSX ----------------------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Programas"
    sheet.append(["Programa", "Beneficiarios", "Monto", "Inicio", "Vigente"])
    sheet.append(["Fondo\nde Innovación", 120, 2.5, dt.datetime(2020, 3, 1), True])
    sheet.append([None, None, None, None, None])
    sheet.append(["Red\tPyme", 7.0, None])
    workbook.create_sheet("Vacía")
    other = workbook.create_sheet("Notas")
    other["B2"] = "Solo una nota"
    workbook.properties.title = ""
    workbook.save(path)
    return path


def test_xlsx_sheets_are_pages_with_one_table_each(tmp_path: Path) -> None:
    document = read(make_workbook(tmp_path / "libro.xlsx"))
    assert [table.sheet for table in document.tables] == ["Programas", "Notas"]
    assert [page.number for page in document.pages] == [1, 3]
    assert [table.page for table in document.tables] == [1, 3]
    assert cells_of(document)[0] == [
        ["Programa", "Beneficiarios", "Monto", "Inicio", "Vigente"],
        ["Fondo de Innovación", "120", "2.5", "2020-03-01", "TRUE"],
        ["Red Pyme", "7", "", "", ""],
    ]
    assert cells_of(document)[1] == [["", "Solo una nota"]]
    for page, table in zip(document.pages, document.tables, strict=True):
        assert document.text[page.start : table.start] == f"{table.sheet}\n"
    assert document.title == "Programa"
    assert_spans_consistent(document)


# --- iter_files ----------------------------------------------------------------------


def test_iter_files_expands_folders_sorted_skipping_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.PDF",
        "notas.odt",
        ".oculto.txt",
        "sub/z.csv",
        "sub/.git/config.txt",
        ".cache/x.txt",
        "sub/deeper/a.md",
    ]:
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    explicit = write(tmp_path, "explicit.odt", "x")
    missing = tmp_path / "no_existe.pdf"
    docs = tmp_path / "docs"
    found = list(iter_files([docs, explicit, missing, docs / "b.txt"]))
    assert found == [
        docs / "a.PDF",
        docs / "b.txt",
        docs / "sub" / "z.csv",
        docs / "sub" / "deeper" / "a.md",
        explicit,
        missing,
    ]


# --- the real sample files of ../shared -----------------------------------------------

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared sample data is not at {SHARED}"
)


@needs_shared
def test_shared_corpus_is_read() -> None:
    paths = sorted((SHARED / "corpus").glob("*.txt"))
    assert paths, "the corpus folder holds .txt files"
    assert list(iter_files([SHARED / "corpus"])) == paths
    for path in paths:
        document = read(path)
        assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert document.encoding == "utf-8"
        assert "\r" not in document.text
        assert re.search(r"[áéíóúñ]", document.text), f"{path.name}: accents lost"
        assert 0 < len(document.title) <= 200
        assert document.title in " ".join(document.text.split())


@needs_shared
def test_shared_coneval_catalogue_is_read() -> None:
    path = SHARED / "catalogs" / "coneval_inventario_estatal_2018.xlsx"
    document = read(path)
    assert len(document.tables) > 1
    sheets = [table.sheet for table in document.tables]
    assert all(sheets) and len(set(sheets)) == len(sheets)
    assert len(document.pages) == len(document.tables)
    header_rows = [
        row
        for row in document.tables[0].rows
        if any(cell.startswith("2. Dependencia") for cell in row.cells)
    ]
    assert header_rows, "the programme sheet has a header row naming the agency column"
    assert any("Objetivo" in cell for cell in header_rows[0].cells)
    for page, table in zip(document.pages, document.tables, strict=True):
        assert table.page == page.number
        assert document.text[page.start :].startswith(f"{table.sheet}\n")
    first_cell = next(cell for cell in document.tables[0].rows[0].cells if cell)
    assert document.title == first_cell[:200]
    assert_spans_consistent(document)
