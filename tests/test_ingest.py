"""Ingestion (loaders.ingest) and cross-document resolution (graph.resolve) into the SQLite
store: idempotence, broken files reported without stopping the others, edited files replacing
their previous version, acronyms and aliases linking documents, fuzzy names as candidates.

The folder ingested is made in tmp_path from the fixtures of tests/fixtures/extract/. The
integration tests at the end read the sample corpus in ../shared/corpus and are skipped when
it is absent.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from graph.model import DocumentInfo, Entity, Extraction, entity_id
from graph.normalize import normalize_name
from graph.resolve import resolve
from graph.stores.base import StoreStats
from graph.stores.sqlite_store import SQLiteStore
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.extract.pipeline import extract_text
from loaders.ingest import extract_file, ingest
from loaders.read import read

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
SHARED = Path(
    os.environ.get("TEJIDO_SHARED", Path(__file__).resolve().parents[1] / ".." / "shared")
)
CORPUS = SHARED / "corpus"
GOOD_FILES = ["relaciones.txt", "plan_accion.txt", "siglas.txt", "taller_panel.md"]
SERVICIO = "Servicio Regional de Fomento Lacustre"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in GOOD_FILES:
        shutil.copy(FIXTURES / name, docs / name)
    return docs


def counts(stats: StoreStats) -> dict:
    return stats.model_dump(exclude={"revision"})


def names_of(store: SQLiteStore, ids: list[str]) -> list[str]:
    return sorted(e.name for e in store.get_entities(ids))


def relation_names(store: SQLiteStore, rel_type: str) -> set[frozenset[str]]:
    names = {e.id: e.name for e in store.entities()}
    return {
        frozenset((names[r.source], names[r.target]))
        for r in store.relations()
        if r.type == rel_type
    }


# --- a folder, twice --------------------------------------------------------------------------


def test_ingesting_a_folder_stores_every_document(
    folder: Path, sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    seen: list[tuple[str, str]] = []
    summary = ingest([folder], sqlite_store, lexicon=lexicon,
                     on_file=lambda p, status: seen.append((p.name, status)))
    assert summary.documents == len(GOOD_FILES)
    assert summary.failures == []
    assert summary.ok
    assert sorted(seen) == sorted((name, "ingested") for name in GOOD_FILES)
    stats = sqlite_store.stats()
    assert stats.documents == len(GOOD_FILES)
    assert stats.evidence == summary.evidence > 0
    assert {d.path for d in sqlite_store.documents()} == {str(folder / n) for n in GOOD_FILES}


def test_ingesting_the_same_folder_twice_changes_no_count(
    folder: Path, sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    ingest([folder], sqlite_store, lexicon=lexicon)
    before = counts(sqlite_store.stats())
    revision = sqlite_store.revision()
    again = ingest([folder], sqlite_store, lexicon=lexicon)
    assert again.documents == 0
    assert again.unchanged == len(GOOD_FILES)
    assert again.ok
    assert counts(sqlite_store.stats()) == before
    assert sqlite_store.revision() == revision


def test_writing_the_same_resolved_extraction_twice_changes_nothing(
    sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    doc = read(FIXTURES / "plan_accion.txt")
    extraction, _ = extract_file(doc, lexicon)
    first, _ = resolve(extraction, sqlite_store)
    sqlite_store.write(first)
    before = counts(sqlite_store.stats())
    second, _ = resolve(extraction, sqlite_store)
    result = sqlite_store.write(second)
    assert result.skipped
    assert counts(sqlite_store.stats()) == before


# --- broken and unsupported files -----------------------------------------------------------


def test_a_broken_file_is_reported_and_does_not_stop_the_others(
    folder: Path, sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    (folder / "a_roto.pdf").write_bytes(b"%PDF-1.4\nesto no es un PDF completo")
    (folder / "b_vacio.txt").write_bytes(b"")
    summary = ingest([folder], sqlite_store, lexicon=lexicon)
    assert summary.documents == len(GOOD_FILES)
    failed = {Path(f.path).name: f.reason for f in summary.failures}
    assert set(failed) == {"a_roto.pdf", "b_vacio.txt"}
    assert all(reason.strip() for reason in failed.values())
    assert "empty" in failed["b_vacio.txt"]
    assert sqlite_store.stats().documents == len(GOOD_FILES)


def test_explicit_unsupported_and_missing_files_are_failures(
    tmp_path: Path, sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    notes = tmp_path / "notas.xyz"
    notes.write_text("Servicio Regional de Fomento Lacustre", encoding="utf-8")
    missing = tmp_path / "no_existe.txt"
    summary = ingest([notes, missing], sqlite_store, lexicon=lexicon)
    assert not summary.ok
    failed = {Path(f.path).name: f.reason for f in summary.failures}
    assert "unsupported" in failed["notas.xyz"]
    assert "no such file" in failed["no_existe.txt"]


def test_a_folder_of_only_broken_files_ingests_nothing(
    tmp_path: Path, sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    (tmp_path / "vacio.md").write_bytes(b"")
    summary = ingest([tmp_path], sqlite_store, lexicon=lexicon)
    assert not summary.ok
    assert [Path(f.path).name for f in summary.failures] == ["vacio.md"]
    assert sqlite_store.stats().documents == 0


# --- edited files ------------------------------------------------------------------------------


def test_an_edited_file_replaces_its_previous_version(
    folder: Path, sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    ingest([folder], sqlite_store, lexicon=lexicon)
    path = folder / "relaciones.txt"
    old_id = read(path).sha256
    assert frozenset((SERVICIO, "Municipalidad de Puerto Aldana")) in relation_names(
        sqlite_store, "COORDINATES_WITH"
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("Puerto Aldana", "Bahía Clara"), encoding="utf-8"
    )
    new_id = read(path).sha256

    summary = ingest([folder], sqlite_store, lexicon=lexicon)

    assert (summary.documents, summary.replaced, summary.unchanged) == (1, 1, len(GOOD_FILES) - 1)
    assert sqlite_store.stats().documents == len(GOOD_FILES)
    assert not sqlite_store.has_document(old_id)
    assert sqlite_store.has_document(new_id)
    coordination = relation_names(sqlite_store, "COORDINATES_WITH")
    assert frozenset((SERVICIO, "Municipalidad de Bahía Clara")) in coordination
    # the old statement came from this file only
    assert frozenset((SERVICIO, "Municipalidad de Puerto Aldana")) not in coordination
    for rel in sqlite_store.relations():
        assert all(ev.document_id != old_id for ev in rel.evidence)
    # the municipality is still named by the other documents
    assert sqlite_store.find_by_normalized_names(["municipalidad de puerto aldana"])


# --- resolution across documents --------------------------------------------------------------


def extraction_of(raw: str, name: str, lexicon: Lexicon) -> Extraction:
    info = DocumentInfo(id=(name.encode().hex() * 8)[:64], title=name, path=name, format="txt")
    return extract_text(info, raw, lexicon)


def test_an_acronym_links_two_long_forms_across_documents(
    sqlite_store: SQLiteStore, lexicon: Lexicon
) -> None:
    first = extraction_of(
        "El Servicio Regional de Fomento Lacustre (SERFOLA) abrió la convocatoria.\n", "a",
        lexicon,
    )
    second = extraction_of(
        "El Servicio de Fomento Lacustre Regional (SERFOLA) cerró la convocatoria.\n", "b",
        lexicon,
    )
    for extraction in (first, second):
        resolved, _ = resolve(extraction, sqlite_store)
        sqlite_store.write(resolved)
    institutions = list(sqlite_store.entities("Institution"))
    assert len(institutions) == 1
    assert {SERVICIO, "Servicio de Fomento Lacustre Regional", "SERFOLA"} <= institutions[0].names()


def stored_institution(name: str, country: str | None, aliases: list[str]) -> Extraction:
    entity = Entity(
        id=entity_id("Institution", name), label="Institution", name=name, aliases=aliases,
        country=country,
    )
    info = DocumentInfo(id="c" * 64, title="c", path="c.txt", format="txt", text=name)
    return Extraction(document=info, entities=[entity])


@pytest.mark.parametrize(("country", "merged"), [("CL", True), (None, True), ("PE", False)])
def test_an_alias_match_is_a_merge_unless_the_countries_differ(
    sqlite_store: SQLiteStore, country: str | None, merged: bool
) -> None:
    sqlite_store.write(stored_institution("Servicio Nacional de Pesca", "CL", ["SERNAPESCA"]))
    incoming = stored_institution(
        "Servicio Nacional de Pesca y Acuicultura", country, ["SERNAPESCA"]
    )
    resolved, _ = resolve(incoming, sqlite_store)
    stored_id = entity_id("Institution", "Servicio Nacional de Pesca")
    assert (resolved.entities[0].id == stored_id) is merged


def test_near_identical_names_are_candidates_never_merges(
    sqlite_store: SQLiteStore,
) -> None:
    sqlite_store.write(stored_institution(SERVICIO, None, []))
    incoming = stored_institution("Servicio Regional de Fomento Lacustres", None, [])
    resolved, candidates = resolve(incoming, sqlite_store)
    new_id = entity_id("Institution", "Servicio Regional de Fomento Lacustres")
    assert resolved.entities[0].id == new_id
    assert [(c.a, c.b) for c in candidates] == [
        tuple(sorted((entity_id("Institution", SERVICIO), new_id)))
    ]
    assert 0.9 <= candidates[0].score <= 1.0


def test_extract_file_runs_the_pipeline_for_documents(lexicon: Lexicon) -> None:
    extraction, skipped = extract_file(read(FIXTURES / "siglas.txt"), lexicon)
    assert skipped == 0
    assert any(e.acronym == "SERFOLA" for e in extraction.entities)


# --- integration over the sample corpus -------------------------------------------------------

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() or len(list(CORPUS.glob("*.txt"))) < 5,
    reason=f"sample corpus not found at {CORPUS}",
)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, lexicon: Lexicon):  # type: ignore[no-untyped-def]
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS}")
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'tejido.db'}"
    store = SQLiteStore(url)
    summary = ingest([CORPUS], store, lexicon=lexicon)
    yield store, summary
    store.close()


@needs_corpus
def test_corpus_every_document_is_ingested(corpus_store) -> None:  # type: ignore[no-untyped-def]
    store, summary = corpus_store
    assert summary.failures == []
    assert summary.documents == len(list(CORPUS.glob("*.txt"))) == store.stats().documents


@needs_corpus
def test_corpus_every_evidence_quote_is_the_stored_text_at_its_offsets(corpus_store) -> None:  # type: ignore[no-untyped-def]
    store, _ = corpus_store
    texts = {d.id: store.get_document(d.id).text for d in store.documents()}
    checked = 0
    for rel in store.relations():
        for ev in rel.evidence:
            assert texts[ev.document_id][ev.start : ev.end] == ev.quote, rel.id
            checked += 1
    assert checked == store.stats().evidence > 0


@needs_corpus
def test_corpus_every_mention_is_the_stored_text_at_its_offsets(corpus_store) -> None:  # type: ignore[no-untyped-def]
    store, _ = corpus_store
    texts = {d.id: store.get_document(d.id).text for d in store.documents()}
    checked = 0
    for entity in store.entities():
        for mention in store.mentions_of(entity.id, limit=100_000):
            (passage,) = store.passages([mention.passage_id])
            assert texts[passage.document_id][mention.start : mention.end] == mention.text
            checked += 1
    assert checked == store.stats().mentions > 0


@needs_corpus
def test_corpus_ingesting_twice_changes_no_count(corpus_store, lexicon: Lexicon) -> None:  # type: ignore[no-untyped-def]
    store, _ = corpus_store
    before = counts(store.stats())
    again = ingest([CORPUS], store, lexicon=lexicon)
    assert again.documents == 0 and again.unchanged == before["documents"]
    assert counts(store.stats()) == before


@needs_corpus
def test_corpus_no_two_institutions_share_a_name_or_an_acronym(corpus_store) -> None:  # type: ignore[no-untyped-def]
    # of one country: a generic collective ("Municipalidades") is one entity per country
    store, _ = corpus_store
    by_name: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    by_acronym: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for entity in store.entities("Institution"):
        by_name[(normalize_name(entity.name), entity.country)].append(entity.id)
        if entity.acronym:
            by_acronym[(entity.acronym, entity.country)].append(entity.id)
    shared_names = {k: v for k, v in by_name.items() if len(v) > 1}
    shared_acronyms = {k: v for k, v in by_acronym.items() if len(v) > 1}
    assert shared_names == {}, f"institutions sharing a normalised name: {shared_names}"
    assert shared_acronyms == {}, f"institutions sharing an acronym: {shared_acronyms}"
