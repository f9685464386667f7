"""The ``tejido`` command line (app.cli), run in-process with typer's CliRunner on SQLite
stores in tmp_path: ingest exit codes, stats, every export format read back, evaluate --json,
review / merge / unmerge, and clear errors for bad stores and gazetteers.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from networkx.readwrite import json_graph
from typer.testing import CliRunner, Result

from app.cli import app
from app.i18n import t
from graph.stores.sqlite_store import SQLiteStore

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
GOOD_FILES = ["relaciones.txt", "siglas.txt", "taller_panel.md"]
SERVICIO = "Servicio Regional de Fomento Lacustre"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TEJIDO_STORE", "TEJIDO_GAZETTEER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def good_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in GOOD_FILES:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'tejido.db'}"


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def flat(output: str) -> str:
    """The output with rich's line wrapping undone (for phrases)."""
    return " ".join(output.split())


def compact(output: str) -> str:
    """The output without any white space (for paths, which rich may wrap mid-word)."""
    return "".join(output.split())


@pytest.fixture
def ingested(runner: CliRunner, good_folder: Path, store_url: str) -> str:
    result = run(runner, "ingest", good_folder, "--store", store_url)
    assert result.exit_code == 0, result.output
    return store_url


def test_ingest_reports_each_skipped_catalogue_row_with_its_reason(
    runner: CliRunner, tmp_path: Path, store_url: str
) -> None:
    inventory = tmp_path / "inventario.csv"
    with inventory.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Inventario de programas 2020"])
        writer.writerow(["Nombre del programa", "Dependencia responsable", "Objetivo"])
        writer.writerow(["Fondo Emprende Joven", "Instituto de la Juventud", "Capital semilla"])
        writer.writerow(["", "Secretaría de Salud", "Un objetivo sin programa"])
    result = run(runner, "ingest", inventory, "--store", store_url)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert f"{t('cli.skipped_rows')} │ 2" in out
    assert "row 1: skipped, above the header row (title block)" in out
    assert "row 4: skipped, no programme name" in out


# --- ingest exit codes ------------------------------------------------------------------------


def test_ingest_succeeds_when_documents_were_ingested(
    runner: CliRunner, good_folder: Path, store_url: str
) -> None:
    result = run(runner, "ingest", good_folder, "--store", store_url)
    assert result.exit_code == 0, result.output
    assert t("cli.documents") in result.output
    store = SQLiteStore(store_url)
    try:
        assert store.stats().documents == len(GOOD_FILES)
    finally:
        store.close()


def test_ingest_again_is_still_a_success(
    runner: CliRunner, ingested: str, good_folder: Path
) -> None:
    result = run(runner, "ingest", good_folder, "--store", ingested)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output


def test_ingest_fails_when_nothing_could_be_ingested(
    runner: CliRunner, tmp_path: Path, store_url: str
) -> None:
    broken = tmp_path / "rotos"
    broken.mkdir()
    (broken / "vacio.txt").write_bytes(b"")
    (broken / "roto.pdf").write_bytes(b"%PDF-1.4\nbasura")
    result = run(runner, "ingest", broken, "--store", store_url)
    assert result.exit_code == 1
    assert "empty" in flat(result.output)
    assert "vacio.txt" in compact(result.output)
    assert "roto.pdf" in compact(result.output)


def test_ingest_of_only_missing_paths_fails(
    runner: CliRunner, tmp_path: Path, store_url: str
) -> None:
    result = run(runner, "ingest", tmp_path / "no_existe", "--store", store_url)
    assert result.exit_code == 1
    assert "no such file or folder" in flat(result.output)


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_ingest_with_a_broken_file_fails_only_when_strict(
    runner: CliRunner, good_folder: Path, store_url: str, strict: bool, code: int
) -> None:
    (good_folder / "roto.pdf").write_bytes(b"%PDF-1.4\nbasura")
    args = ["ingest", good_folder, "--store", store_url, *(["--strict"] if strict else [])]
    result = run(runner, *args)
    assert result.exit_code == code, result.output
    assert "roto.pdf" in compact(result.output)


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_ingest_with_a_missing_path_fails_only_when_strict(
    runner: CliRunner, good_folder: Path, tmp_path: Path, store_url: str, strict: bool, code: int
) -> None:
    args = ["ingest", good_folder, tmp_path / "falta.txt", "--store", store_url]
    result = run(runner, *args, *(["--strict"] if strict else []))
    assert result.exit_code == code, result.output


def test_ingest_refuses_an_unknown_store_url(runner: CliRunner, good_folder: Path) -> None:
    result = run(runner, "ingest", good_folder, "--store", "ftp://servidor/tejido")
    assert result.exit_code == 2
    assert "cannot open the store" in flat(result.output)


def test_a_broken_user_gazetteer_is_a_clear_error(
    runner: CliRunner, good_folder: Path, store_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = tmp_path / "mio.yaml"
    bad.write_text("entries:\n  - name: [sin cerrar\n", encoding="utf-8")
    monkeypatch.setenv("TEJIDO_GAZETTEER", str(bad))
    result = run(runner, "ingest", good_folder, "--store", store_url)
    assert result.exit_code == 2
    assert "gazetteer" in flat(result.output)
    assert "mio.yaml" in compact(result.output)


# --- stats ------------------------------------------------------------------------------------


def test_stats_prints_the_store_counts_as_json(runner: CliRunner, ingested: str) -> None:
    result = run(runner, "stats", "--store", ingested)
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["documents"] == len(GOOD_FILES)
    assert stats["entities"]["Institution"] > 0
    assert stats["evidence"] == sum(1 for _ in _evidence(ingested))


def _evidence(url: str):  # type: ignore[no-untyped-def]
    store = SQLiteStore(url)
    try:
        return [ev for rel in store.relations() for ev in rel.evidence]
    finally:
        store.close()


# --- export -----------------------------------------------------------------------------------


def store_view(url: str) -> nx.MultiDiGraph:
    store = SQLiteStore(url)
    try:
        return store.view()
    finally:
        store.close()


def node_named(graph: nx.Graph, name: str) -> dict:
    return next(data for _, data in graph.nodes(data=True) if data.get("name") == name)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_graphml_and_gexf_read_back_with_networkx(
    runner: CliRunner, ingested: str, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"grafo.{fmt}"
    result = run(runner, "export", "--format", fmt, "--out", target, "--store", ingested)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    view = store_view(ingested)
    assert graph.number_of_nodes() == view.number_of_nodes() > 0
    assert graph.number_of_edges() == view.number_of_edges() > 0
    servicio = node_named(graph, SERVICIO)
    assert servicio["label"] == SERVICIO  # Gephi and yEd draw the name
    assert servicio["type"] == "Institution"
    assert servicio["level"] == "regional"
    assert servicio["territory"] is not None and "colour" in servicio and "x" in servicio
    quotes = [d["quote"] for *_, d in graph.edges(data=True)]
    assert all(quotes)


def test_export_json_is_node_link_data(runner: CliRunner, ingested: str, tmp_path: Path) -> None:
    target = tmp_path / "grafo.json"
    result = run(runner, "export", "--format", "json", "--out", target, "--store", ingested)
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    graph = json_graph.node_link_graph(data, edges="edges")
    view = store_view(ingested)
    assert set(graph.nodes) == set(view.nodes)
    assert graph.number_of_edges() == view.number_of_edges()
    for *_, edge in graph.edges(data=True):
        assert edge["evidence"] and edge["evidence"][0]["quote"]


def test_export_csv_writes_nodes_and_edges(
    runner: CliRunner, ingested: str, tmp_path: Path
) -> None:
    target = tmp_path / "tablas"
    result = run(runner, "export", "--format", "csv", "--out", target, "--store", ingested)
    assert result.exit_code == 0, result.output
    view = store_view(ingested)
    with (target / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    with (target / "edges.csv").open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert {"id", "name", "territory", "level", "country"} <= set(nodes[0])
    assert {row["id"] for row in nodes} == set(view.nodes)
    assert len(edges) == view.number_of_edges()
    assert {"source", "target", "type", "evidence_count", "quote"} <= set(edges[0])
    assert all(int(e["evidence_count"]) >= 1 for e in edges)


def test_export_refuses_an_unknown_format(runner: CliRunner, ingested: str, tmp_path: Path) -> None:
    result = run(runner, "export", "--format", "pdf", "--out", tmp_path / "x", "--store", ingested)
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


# --- evaluate ---------------------------------------------------------------------------------

COUNT_KEYS = {"tp", "fp", "fn", "precision", "recall", "f1"}
RELATION_TYPES = {
    "RESPONSIBLE_FOR", "CO_RESPONSIBLE_FOR", "PART_OF", "PARTICIPATES_IN",
    "COORDINATES_WITH", "AFFILIATED_WITH", "OPERATES_IN", "FUNDS",
}


def assert_score_shape(scores: dict) -> None:
    assert {"entities", "entities_strict", "levels", "relations", "duplicates", "overlaps"} <= set(
        scores
    )
    assert set(scores["entities"]) == {"Institution", "Program+Instrument", "Territory", "Person"}
    assert set(scores["entities_strict"]) == {
        "Institution", "Instrument", "Program", "Territory", "Person"
    }
    assert set(scores["relations"]) == RELATION_TYPES
    for group in ("entities", "entities_strict", "relations"):
        for counts in scores[group].values():
            assert set(counts) == COUNT_KEYS
    assert set(scores["levels"]) == {"matched", "correct", "accuracy"}
    for pairs in ("duplicates", "overlaps"):
        assert set(scores[pairs]) == {"gold", "found", "recall_at_k"}


def test_evaluate_writes_the_required_json_shape(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "scores.json"
    result = run(
        runner, "evaluate", "--gold", FIXTURES / "gold", "--docs", FIXTURES, "--json", target
    )
    assert result.exit_code == 0, result.output
    report = json.loads(target.read_text(encoding="utf-8"))
    assert set(report) == {"overall", "macro", "documents"}
    assert set(report["overall"]) == {
        "entities", "entities_strict", "levels", "relations", "duplicates", "overlaps"
    }
    assert_score_shape(report["overall"])
    assert set(report["documents"]) == {"siglas.txt"}
    assert_score_shape(report["documents"]["siglas.txt"])
    institutions = report["overall"]["entities"]["Institution"]
    # three institutions are defined with their acronyms in the text; the ministry is absent
    assert (institutions["tp"], institutions["fn"]) == (3, 1)
    assert institutions["recall"] == pytest.approx(0.75)
    assert institutions["precision"] == pytest.approx(3 / (3 + institutions["fp"]))
    # the text states no coordination
    assert report["overall"]["relations"]["COORDINATES_WITH"]["fn"] == 1
    # two matched gold institutions carry a level
    assert report["overall"]["levels"]["matched"] == 2


# --- review, merge, unmerge -------------------------------------------------------------------


def two_institutions(url: str) -> tuple[str, str]:
    store = SQLiteStore(url)
    try:
        ids = sorted(e.id for e in store.entities("Institution"))
    finally:
        store.close()
    return ids[0], ids[1]


def test_merge_then_unmerge(runner: CliRunner, ingested: str) -> None:
    kept, merged = two_institutions(ingested)
    result = run(runner, "merge", kept, merged, "--store", ingested, "--reason", "prueba")
    assert result.exit_code == 0, result.output
    assert "merge id" in flat(result.output)
    store = SQLiteStore(ingested)
    try:
        assert store.get_entity(merged) is None
        (record,) = store.merges()
    finally:
        store.close()

    review = run(runner, "review", "--store", ingested)
    assert review.exit_code == 0, review.output
    assert "Recorded merges" in flat(review.output)

    result = run(runner, "unmerge", str(record.id), "--store", ingested)
    assert result.exit_code == 0, result.output
    store = SQLiteStore(ingested)
    try:
        assert store.get_entity(merged) is not None
        assert store.merges()[0].undone
    finally:
        store.close()


def test_merge_of_unknown_entities_is_an_error(runner: CliRunner, ingested: str) -> None:
    result = run(runner, "merge", "inst:no-existe", "inst:tampoco", "--store", ingested)
    assert result.exit_code == 1
    assert "no-existe" in compact(result.output)


def test_unmerge_of_an_unknown_merge_is_an_error(runner: CliRunner, ingested: str) -> None:
    result = run(runner, "unmerge", "999", "--store", ingested)
    assert result.exit_code == 1


def test_delete_by_path_or_id_leaves_what_the_others_ingested(
    runner: CliRunner, good_folder: Path, store_url: str, tmp_path: Path
) -> None:
    # the reference: every file but one
    reference = f"sqlite:///{tmp_path / 'reference' / 'tejido.db'}"
    kept = [good_folder / name for name in GOOD_FILES[:-1]]
    assert run(runner, "ingest", *kept, "--store", reference).exit_code == 0
    assert run(runner, "ingest", good_folder, "--store", store_url).exit_code == 0

    deleted = run(runner, "delete", good_folder / GOOD_FILES[-1], "--store", store_url)
    assert deleted.exit_code == 0, deleted.output
    assert GOOD_FILES[-1] in compact(deleted.output)
    with SQLiteStore(reference) as expected, SQLiteStore(store_url) as got:
        assert sorted(e.model_dump_json() for e in got.entities()) == sorted(
            e.model_dump_json() for e in expected.entities()
        )
        assert got.stats().model_dump(exclude={"revision"}) == expected.stats().model_dump(
            exclude={"revision"}
        )
        first = got.documents()[0]

    by_id = run(runner, "delete", first.id[:12], "--store", store_url)
    assert by_id.exit_code == 0, by_id.output
    with SQLiteStore(store_url) as got:
        assert first.id not in {d.id for d in got.documents()}
        assert got.stats().documents == len(GOOD_FILES) - 2


def test_delete_of_an_unknown_document_is_an_error_and_deletes_nothing(
    runner: CliRunner, ingested: str
) -> None:
    with SQLiteStore(ingested) as store:
        before = store.stats()
        known = store.documents()[0].id
    result = run(runner, "delete", known, "no/such/file.txt", "--store", ingested)
    assert result.exit_code == 1
    assert "no/such/file.txt" in flat(result.output)
    with SQLiteStore(ingested) as store:
        assert store.stats() == before
