"""Bad input through ``tejido ingest``: every file is read correctly or reported by name.

One folder mixes every awkward input of ``tests/fixtures/bad`` (committed there, or made
here when large: a text of one 5 MB line, a file over the size limit) with two good
documents. The command must ingest what can be read, list each failure with its file and
a reason in its own words, and exit non-zero only when nothing was ingested or with
``--strict``. A broken user gazetteer (``TEJIDO_GAZETTEER``) is a clear error naming it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.i18n import t
from graph.stores.sqlite_store import SQLiteStore
from loaders.read import SUPPORTED_SUFFIXES
from tests.fixtures.bad.make_reliability_fixtures import (
    LONG_LINE_OPENING,
    NO_HEADER_ROWS,
    one_long_line,
    over_limit,
)
from tests.test_reliability_support import run_tejido, sqlite_url, summary_count

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
SIZE_LIMIT_MB = 6
SIZE_LIMIT_BYTES = SIZE_LIMIT_MB * 1_000_000

GOOD_DOCUMENTS = {
    "taller_valparaiso.md": (
        "# Taller de coordinación multinivel\n\n"
        "La Corporación de Fomento de la Producción (CORFO) trabaja en coordinación con el "
        "Gobierno Regional de Valparaíso en el Programa de Apoyo a la Inversión Productiva.\n"
    ),
    "ferias_libres.txt": (
        "El Servicio de Cooperación Técnica (SERCOTEC) ejecuta el Fondo de Desarrollo de "
        "Ferias Libres en conjunto con la Municipalidad de Valparaíso.\n"
    ),
}
# Inputs that cannot be ingested, and words their reason must contain.
EXPECTED_FAILURES = {
    "empty.txt": "empty file",
    "empty.pdf": "empty file",
    "truncated.pdf": "truncated PDF",
    "encrypted.pdf": "password",
    "binary.txt": "binary",
    "not_a_zip.docx": "not a valid DOCX",
    "not_a_zip.xlsx": "not a valid XLSX",
    "over_limit.txt": f"over the limit of {SIZE_LIMIT_BYTES:,} bytes",
}
# Inputs that must be read correctly, and text their stored document must hold.
EXPECTED_DOCUMENTS = {
    "taller_valparaiso.md": "Corporación de Fomento de la Producción (CORFO)",
    "ferias_libres.txt": "Fondo de Desarrollo de Ferias Libres",
    "latin1.txt": "Región de Ñuble: año de la niñez.",
    "utf16.txt": "Acción del Gobierno Regional de Ñuble",
    "scripts.html": "Convocatoria del Fondo Regional",
    "ragged.csv": "Red Pyme",
    "no_header.xlsx": NO_HEADER_ROWS[0][0],
    "one_line_5mb.txt": LONG_LINE_OPENING.strip(),
}
# The fallback of the ingestion loop for unforeseen errors: "ValueError: ...". A known kind
# of bad input must be recognised and explained, not end up there.
UNFORESEEN_ERROR = re.compile(r"^[A-Z]\w*(Error|Exception|Warning)\b")
FAILURE_LINE = re.compile(r"^failed: (?P<path>.+?): (?P<reason>.+)$", re.MULTILINE)


def build_mixed_folder(folder: Path) -> Path:
    """Every bad fixture of a readable suffix, the large inputs, and the good documents."""
    folder.mkdir()
    for fixture in sorted(BAD.iterdir()):
        if fixture.suffix.lower() in SUPPORTED_SUFFIXES:
            shutil.copy(fixture, folder / fixture.name)
    (folder / "one_line_5mb.txt").write_text(one_long_line(), encoding="utf-8")
    (folder / "over_limit.txt").write_bytes(over_limit(SIZE_LIMIT_BYTES))
    for name, text in GOOD_DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def failures(output: str) -> dict[str, str]:
    """File name to reason, from the ``failed: path: reason`` lines of the summary."""
    return {Path(m["path"]).name: m["reason"] for m in FAILURE_LINE.finditer(output)}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The mixed folder ingested once (and the store it went into)."""
    root = tmp_path_factory.mktemp("bad_input")
    folder = build_mixed_folder(root / "mixed")
    db = root / "store.db"
    result = run_tejido(
        "ingest", str(folder), "--store", sqlite_url(db), "--max-mb", str(SIZE_LIMIT_MB)
    )
    with SQLiteStore(sqlite_url(db)) as store:
        documents = {Path(doc.path).name: doc for doc in store.documents()}
        texts = {name: store.get_document(doc.id).text for name, doc in documents.items()}
    return {"folder": folder, "db": db, "result": result, "documents": documents,
            "texts": texts, "failures": failures(result.stderr)}


def test_the_folder_holds_every_kind_of_bad_input(mixed: dict) -> None:
    names = {path.name for path in mixed["folder"].iterdir()}
    assert set(EXPECTED_FAILURES) | set(EXPECTED_DOCUMENTS) == names


def test_a_mixed_folder_is_ingested_and_exits_zero(mixed: dict) -> None:
    result = mixed["result"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_every_file_is_either_stored_or_reported_by_name(mixed: dict) -> None:
    stored, failed = set(mixed["documents"]), set(mixed["failures"])
    assert not stored & failed
    assert stored | failed == {path.name for path in mixed["folder"].iterdir()}


@pytest.mark.parametrize("name", sorted(EXPECTED_FAILURES))
def test_unreadable_input_is_reported_with_a_clear_reason(mixed: dict, name: str) -> None:
    reason = mixed["failures"].get(name)
    assert reason is not None, f"{name} is not reported: {mixed['result'].stderr}"
    assert EXPECTED_FAILURES[name] in reason
    assert not UNFORESEEN_ERROR.match(reason), reason


@pytest.mark.parametrize("name", sorted(EXPECTED_DOCUMENTS))
def test_readable_input_is_read_correctly(mixed: dict, name: str) -> None:
    reported = mixed["failures"].get(name)
    assert reported is None, f"{name} failed: {reported}"
    assert EXPECTED_DOCUMENTS[name] in mixed["texts"][name]


def test_html_scripts_and_styles_are_not_ingested(mixed: dict) -> None:
    text = mixed["texts"]["scripts.html"]
    for hidden in ("codigoOculto", "inyectado", "estilo oculto", "Plantilla invisible"):
        assert hidden not in text


def test_the_five_megabyte_line_is_stored_whole(mixed: dict) -> None:
    name = "one_line_5mb.txt"
    assert name in mixed["texts"], f"{name} failed: {mixed['failures'].get(name)}"
    text = mixed["texts"][name]
    assert len(text.encode("utf-8")) >= 5 * 1024 * 1024 - 16  # trailing space trimmed
    assert "\n" not in text.strip()


def test_the_summary_counts_and_lists_the_failures(mixed: dict) -> None:
    output = mixed["result"].stderr
    assert summary_count(output, "failures") == len(mixed["failures"])
    assert summary_count(output, t("cli.documents")) == len(mixed["documents"])
    for name in mixed["failures"]:
        assert str(mixed["folder"] / name) in output


def test_strict_exits_non_zero_when_any_file_fails(mixed: dict) -> None:
    again = run_tejido("ingest", str(mixed["folder"]), "--store", sqlite_url(mixed["db"]),
                       "--max-mb", str(SIZE_LIMIT_MB), "--strict")
    assert again.returncode == 1
    assert summary_count(again.stderr, "unchanged (already stored)") == len(mixed["documents"])
    assert set(failures(again.stderr)) == set(mixed["failures"])


def test_nothing_ingested_exits_non_zero(tmp_path: Path) -> None:
    folder = tmp_path / "only_bad"
    folder.mkdir()
    for name in ("empty.txt", "truncated.pdf", "encrypted.pdf", "binary.txt"):
        shutil.copy(BAD / name, folder / name)
    result = run_tejido("ingest", str(folder), "--store", sqlite_url(tmp_path / "s.db"))
    assert result.returncode == 1
    assert set(failures(result.stderr)) == {"empty.txt", "truncated.pdf", "encrypted.pdf",
                                            "binary.txt"}
    assert "Traceback" not in result.stderr


def test_a_broken_user_gazetteer_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    document = tmp_path / "bueno.txt"
    document.write_text(GOOD_DOCUMENTS["ferias_libres.txt"], encoding="utf-8")
    gazetteer = BAD / "broken_gazetteer.yaml"
    result = run_tejido("ingest", str(document), "--store", sqlite_url(tmp_path / "s.db"),
                        env={"TEJIDO_GAZETTEER": str(gazetteer)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert str(gazetteer) in message
    assert "YAML syntax error" in message
    if (tmp_path / "s.db").exists():
        with SQLiteStore(sqlite_url(tmp_path / "s.db")) as store:
            assert store.documents() == []
