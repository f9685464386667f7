"""Hostile and large inputs: each test builds its input here (bench/hostile_inputs.py holds the
builders, which bench/hostile.py runs at full size), small enough to run in seconds and large
enough to show growth: doubling an input must less than triple the CPU time.

The limit policy (loaders/limits.py): each limit, when hit, is reported by its name, and the
rest of the folder is ingested.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from bench import hostile_inputs as hostile
from graph.stores.sqlite_store import SQLiteStore
from loaders.document import ReadError
from loaders.ingest import ingest
from loaders.limits import (
    DEFAULT_LIMITS,
    LimitExceeded,
    Limits,
    TimeLimitReached,
    time_limit,
)
from loaders.read import SYMLINK_LOOP, iter_files, read
from tests.growth import assert_linear
from tests.test_reliability_support import run_tejido, sqlite_url

GOOD_TEXT = (
    "La Corporación de Fomento de la Producción coordina con el Gobierno Regional de Ñuble.\n"
)


def limit_error(path: Path, limits: Limits = DEFAULT_LIMITS) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as caught:
        read(path, limits=limits)
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith(f"limit {caught.value.limit} exceeded: ")
    return caught.value


# --------------------------------------------------------------------------- zip bombs


def test_a_docx_bomb_is_refused_by_its_ratio_before_parsing(tmp_path: Path) -> None:
    path = hostile.docx_bomb(tmp_path / "bomba.docx", 20_000_000)
    assert path.stat().st_size * DEFAULT_LIMITS.unpacked_ratio < 20_000_000
    error = limit_error(path)
    assert error.limit == "unpacked_ratio"
    assert "zip bomb" in error.reason


def test_refusing_a_bomb_does_not_grow_with_what_it_unpacks_to(tmp_path: Path) -> None:
    """Refused before parsing: doubling the unpacked size barely changes the cost."""
    def refuse(path: Path) -> None:
        with pytest.raises(LimitExceeded):
            read(path)

    assert_linear(
        lambda size: hostile.docx_bomb(tmp_path / f"{size}.docx", size), refuse,
        (20_000_000, 40_000_000), repeat=5,
    )


def test_the_absolute_unpacked_cap(tmp_path: Path) -> None:
    path = hostile.docx_bomb(tmp_path / "grande.docx", 3_000_000)
    error = limit_error(path, replace(DEFAULT_LIMITS, unpacked_bytes=2_000_000))
    assert error.limit == "unpacked_bytes"
    assert "over 2,000,000" in error.reason


def test_a_small_package_is_not_judged_by_its_ratio(tmp_path: Path) -> None:
    """Under 10 MB unpacked a high ratio is ordinary (repetitive text compresses well)."""
    path = hostile.docx_bomb(tmp_path / "pequeno.docx", 2_000_000)
    assert "Corporación de Fomento" in read(path).text


# --------------------------------------------------------------------------- corrupt DOCX


@pytest.mark.parametrize("damage", sorted(hostile.corrupt_docx_variants()))
def test_a_corrupt_docx_is_explained_in_words(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "danado.docx"
    path.write_bytes(hostile.corrupt_docx_variants()[damage])
    with pytest.raises(ReadError) as caught:
        read(path)
    reason = caught.value.reason
    assert reason.startswith("damaged DOCX file: "), reason
    assert "Error" not in reason and "object has no attribute" not in reason, reason


# --------------------------------------------------------------------------- spreadsheets


def test_a_tall_sheet_is_streamed_with_progress(tmp_path: Path) -> None:
    path = hostile.tall_xlsx(tmp_path / "alto.xlsx", 25_000)
    notes: list[str] = []
    document = read(path, progress=notes.append)
    assert notes == ["sheet 'Programas': 10,000 rows", "sheet 'Programas': 20,000 rows"]
    assert len(document.tables[0].rows) == 25_001


def test_a_worksheet_larger_than_the_unpacked_cap_streams_to_the_row_limit(
    tmp_path: Path,
) -> None:
    """Worksheets stream, so they do not count against ``unpacked_bytes``: a tall sheet is read
    (progress shown) until ``sheet_rows`` stops it, which then names itself."""
    path = hostile.tall_xlsx(tmp_path / "alto.xlsx", 25_000)
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    notes: list[str] = []
    limits = replace(DEFAULT_LIMITS, unpacked_bytes=unpacked // 4, sheet_rows=20_000)
    with pytest.raises(LimitExceeded) as caught:
        read(path, limits=limits, progress=notes.append)
    assert caught.value.limit == "sheet_rows"
    assert notes == ["sheet 'Programas': 10,000 rows", "sheet 'Programas': 20,000 rows"]


def test_a_sheet_over_the_row_limit_is_refused_by_name(tmp_path: Path) -> None:
    path = hostile.tall_xlsx(tmp_path / "alto.xlsx", 1_500)
    error = limit_error(path, replace(DEFAULT_LIMITS, sheet_rows=1_000))
    assert error.limit == "sheet_rows"
    assert "'Programas' has over 1,000 rows" in error.reason


def test_reading_a_tall_sheet_grows_linearly(tmp_path: Path) -> None:
    assert_linear(
        lambda rows: hostile.tall_xlsx(tmp_path / f"{rows}.xlsx", rows), read,
        (4_000, 8_000, 16_000), repeat=3,
    )


def test_a_wide_sheet_is_stopped_at_the_cell_limit(tmp_path: Path) -> None:
    """Excel's widest rows (16,384 cells): refused after the few rows that pass the limit."""
    path = hostile.wide_xlsx(tmp_path / "ancho.xlsx", rows=10, columns=16_384)
    error = limit_error(path, replace(DEFAULT_LIMITS, sheet_cells=40_000))
    assert error.limit == "sheet_cells"
    assert "3 rows read, the last 16,384 cells wide" in error.reason


def test_reading_wide_sheets_grows_linearly(tmp_path: Path) -> None:
    assert_linear(
        lambda columns: hostile.wide_xlsx(tmp_path / f"{columns}.xlsx", 10, columns), read,
        (2_048, 4_096, 8_192), repeat=2,
    )


def test_a_csv_over_the_row_limit_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "largo.csv"
    path.write_text("programa,region\n" + "Fondo,Ñuble\n" * 200, encoding="utf-8")
    error = limit_error(path, replace(DEFAULT_LIMITS, sheet_rows=100))
    assert error.limit == "sheet_rows"


# --------------------------------------------------------------------------- text


def test_a_text_over_the_line_limit_is_refused_by_name(tmp_path: Path) -> None:
    path = hostile.repeated_lines(tmp_path / "lineas.txt", 150)
    error = limit_error(path, replace(DEFAULT_LIMITS, text_lines=100))
    assert error.limit == "text_lines"
    assert "151 lines of text, over 100" in error.reason


def test_script_tags_in_a_text_file_are_kept_as_text(tmp_path: Path) -> None:
    from loaders.extract.lexicon import default_lexicon
    from loaders.extract.pipeline import extract_document

    line = "Nota: <script>alert('CORFO')</script> quedó en el acta de la Municipalidad de Talca."
    path = tmp_path / "acta.txt"
    path.write_text(f"{line}\n", encoding="utf-8")
    document = read(path)
    extraction = extract_document(document, default_lexicon())
    assert line in extraction.document.text
    for relation in extraction.relations:
        for evidence in relation.evidence:
            stored = extraction.document.text[evidence.start:evidence.end]
            assert stored == evidence.quote


# --------------------------------------------------------------------------- symbolic links


def test_symlink_loops_in_a_folder_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    file_loop, folder_loop = hostile.symlink_loops(folder)
    (folder / "bueno.txt").write_text(GOOD_TEXT, encoding="utf-8")
    assert set(iter_files([folder])) >= {file_loop, folder_loop, folder / "bueno.txt"}
    store = SQLiteStore(sqlite_url(tmp_path / "tejido.db"))
    try:
        summary = ingest([folder], store)
    finally:
        store.close()
    reasons = {Path(f.path).name: f.reason for f in summary.failures}
    assert reasons == {
        "arriba": SYMLINK_LOOP, "bucle.txt": SYMLINK_LOOP, "bucle2.txt": SYMLINK_LOOP,
    }
    assert summary.documents == 1


def test_a_symlink_loop_given_directly_is_named(tmp_path: Path) -> None:
    file_loop, _ = hostile.symlink_loops(tmp_path / "docs")
    good = tmp_path / "bueno.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    result = run_tejido(
        "ingest", str(file_loop), str(good), "--store", sqlite_url(tmp_path / "tejido.db")
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert SYMLINK_LOOP in output
    assert "no such file" not in output


# --------------------------------------------------------------------------- the policy


def test_every_limit_is_named_and_the_rest_of_the_folder_is_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    hostile.docx_bomb(folder / "bomba.docx", 12_000_000)
    hostile.tall_xlsx(folder / "alto.xlsx", 300)
    hostile.wide_xlsx(folder / "ancho.xlsx", rows=3, columns=2_000)
    hostile.repeated_lines(folder / "lineas.txt", 400)
    (folder / "enorme.txt").write_text(GOOD_TEXT * 3_000, encoding="utf-8")
    (folder / "bueno.txt").write_text(GOOD_TEXT, encoding="utf-8")
    limits = Limits(file_bytes=200_000, sheet_rows=200, sheet_cells=5_000, text_lines=350)
    store = SQLiteStore(sqlite_url(tmp_path / "tejido.db"))
    try:
        summary = ingest([folder], store, limits=limits)
    finally:
        store.close()
    named = {Path(f.path).name: f.reason.split(" exceeded")[0] for f in summary.failures}
    assert named == {
        "bomba.docx": "limit unpacked_ratio",
        "alto.xlsx": "limit sheet_rows",
        "ancho.xlsx": "limit sheet_cells",
        "lineas.txt": "limit text_lines",
        "enorme.txt": "limit file_bytes",
    }
    assert summary.documents == 1


def test_a_file_over_the_time_limit_is_stopped_and_named(tmp_path: Path) -> None:
    """60,000 repeated lines take over ten seconds of CPU time to extract; the limit stops them
    at two (the file's work is cut short, wherever it is), and the next file is ingested. The
    limit counts the CPU time of the thread doing the work, so a busy machine does not trip
    it."""
    folder = tmp_path / "docs"
    folder.mkdir()
    hostile.repeated_lines(folder / "a_lento.txt", 60_000)
    (folder / "b_bueno.txt").write_text(GOOD_TEXT, encoding="utf-8")
    store = SQLiteStore(sqlite_url(tmp_path / "tejido.db"))
    try:
        summary = ingest([folder], store, limits=replace(DEFAULT_LIMITS, seconds=2))
        assert store.stats().documents == 1
    finally:
        store.close()
    assert [(Path(f.path).name, f.reason) for f in summary.failures] == [
        ("a_lento.txt",
         "limit seconds exceeded: reading and extracting it took over 2 s of CPU time")
    ]
    assert summary.documents == 1


def test_the_time_limit_counts_cpu_time_not_waiting() -> None:
    """A block that waits (as on a busy machine) keeps going; one that computes is stopped."""
    with time_limit(0.2):
        time.sleep(0.6)  # no CPU time used: not stopped
    spins = 0
    with pytest.raises(TimeLimitReached), time_limit(0.2):
        while True:
            spins += 1
    assert spins > 0


def test_a_file_over_the_size_limit_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "grande.txt"
    path.write_text(GOOD_TEXT * 100, encoding="utf-8")
    error = limit_error(path, replace(DEFAULT_LIMITS, file_bytes=1_000))
    assert error.limit == "file_bytes"


def test_a_package_declaring_sizes_it_does_not_hold_is_not_trusted(tmp_path: Path) -> None:
    """Python's zip reader never yields more than a member declares, so the declared sizes
    the limits judge are the most that parsing can meet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datos.xml", b"<a>" + b"x" * 1_000 + b"</a>")
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    member = archive.infolist()[0]
    member.file_size = 10  # a lie: the stream holds more
    with pytest.raises(zipfile.BadZipFile), archive.open(member) as stream:
        stream.read()


# --------------------------------------------------------------------------- CSV injection

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(text: str) -> list[str]:
    import csv

    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("# ")]
    return [cell for row in csv.reader(io.StringIO("".join(lines))) for cell in row]


def test_spreadsheet_formulas_are_defused_in_every_csv_export(tmp_path: Path) -> None:
    """An inventory whose programme names start with =, +, - and @: the CLI export and the
    analysis endpoints write them behind an apostrophe (OWASP CSV injection)."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.fixtures.settings import settings_for

    hostile.formula_inventory_csv(tmp_path / "inventario.csv")
    url = sqlite_url(tmp_path / "tejido.db")
    assert run_tejido("ingest", str(tmp_path / "inventario.csv"), "--store", url).returncode == 0
    exported = run_tejido("export", "--format", "csv", "--store", url, "--out",
                          str(tmp_path / "csv"))
    assert exported.returncode == 0, exported.stderr
    texts = {name: (tmp_path / "csv" / name).read_text(encoding="utf-8")
             for name in ("nodes.csv", "edges.csv")}
    with TestClient(create_app(settings=settings_for(url))) as client:
        for path in ("/analysis/duplication", "/analysis/overlap", "/analysis/gaps"):
            response = client.get(path, params={"format": "csv", "min_score": 0}
                                  if path == "/analysis/duplication" else {"format": "csv"})
            assert response.status_code == 200, response.text
            texts[path] = response.text
    cells = {where: csv_cells(text) for where, text in texts.items()}
    for where, found in cells.items():
        assert found, where
        assert not [cell for cell in found if cell.startswith(FORMULA_STARTS)], where
    for formula in hostile.FORMULA_CELLS:
        assert f"'{formula}" in cells["nodes.csv"]
    assert "'+1+1" in cells["/analysis/duplication"]


# --------------------------------------------------------------------------- reverted edits


def test_reingesting_a_reverted_edit_leaves_nothing_behind(tmp_path: Path) -> None:
    """Version 1, then an edit naming three more bodies (the gazetteer knows some), then
    version 1 again: the store holds what version 1 alone gives, and nothing unsupported."""
    import sqlite3

    first = ("El Ministerio de Economía coordina con la Corporación de Fomento de la "
             "Producción el programa regional.\n")
    edit = first + ("También participa el Servicio de Cooperación Técnica en coordinación con "
                    "la Municipalidad de Talca y el Instituto Nacional de Desarrollo "
                    "Agropecuario.\n")
    path = tmp_path / "docs" / "acta.txt"
    path.parent.mkdir()

    def state(version: str, db: Path) -> tuple[list[str], list[str]]:
        path.write_text(version, encoding="utf-8")
        store = SQLiteStore(sqlite_url(db))
        try:
            assert ingest([path], store).documents == 1
        finally:
            store.close()
        with sqlite3.connect(db) as conn:
            everything = sorted(row[0] for row in conn.execute("SELECT id FROM entities"))
            unsupported = sorted(row[0] for row in conn.execute(
                "SELECT id FROM entities e WHERE NOT EXISTS "
                "(SELECT 1 FROM mentions m WHERE m.entity_id = e.id) AND NOT EXISTS "
                "(SELECT 1 FROM relations r WHERE e.id IN (r.source, r.target))"))
        return everything, unsupported

    alone, _ = state(first, tmp_path / "solo.db")
    state(first, tmp_path / "tejido.db")
    edited, _ = state(edit, tmp_path / "tejido.db")
    assert len(edited) > len(alone)
    assert state(first, tmp_path / "tejido.db") == (alone, [])
