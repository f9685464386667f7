"""A renamed and edited file replaces its former version, on both stores.

Three files of the shared sample corpus are copied into a folder and ingested; one is then
renamed and edited (a paragraph cut, a sentence added) and the folder ingested again. The
store must equal a reference into which the other files and the renamed file were ingested,
in that order: documents, entities, relations with their evidence, mentions, counts and
every analysis. A near-copy whose original is still on disk, and a file unlike the one
that is gone, are documents of their own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.stores.base import Store
from graph.stores.sqlite_store import SQLiteStore
from loaders.ingest import ingest
from loaders.versions import SIMILAR, shingles, similarity
from tests.store_contract import BOTH_STORES, fresh_store, full_dump
from tests.test_store_parity import CORPUS, analysis_dump, view_dump

ADDED = "\n\nEsta versión corregida añade una frase sobre la coordinación regional.\n"


def corpus_files() -> list[Path]:
    """The first three files of the corpus (sorted)."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS}: the shared sample corpus is absent (set TEJIDO_SHARED)")
    return sorted(p for p in CORPUS.iterdir() if p.is_file())[:3]


def edited(text: str) -> str:
    """``text`` less its second paragraph, plus a sentence."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[:1] + paragraphs[2:]) + ADDED


def dumps(store: Store) -> dict:
    """What must match between a store and its reference."""
    dumped = full_dump(store)
    for document in dumped["documents"]:
        document["path"] = Path(document["path"]).name
    return {**dumped, "view": view_dump(store.view()), "answers": analysis_dump(store)}


def rename_and_edit(folder: Path) -> tuple[Path, Path]:
    """Copy the corpus files into ``folder``; return (the last one, its renamed path)."""
    folder.mkdir()
    copies = [Path(shutil.copy(p, folder / p.name)) for p in corpus_files()]
    return copies[-1], folder / f"renombrado_{copies[-1].name}"


def ingest_renamed(store: Store, tmp_path: Path) -> None:
    """Ingest the folder, rename and edit a file, ingest the folder again."""
    original, renamed = rename_and_edit(tmp_path / "docs")
    first = ingest([original.parent], store)
    assert first.documents == 3 and not first.failures
    renamed.write_text(edited(original.read_text(encoding="utf-8")), encoding="utf-8")
    original.unlink()
    again = ingest([original.parent], store)
    assert (again.documents, again.unchanged, again.replaced) == (1, 2, 1)
    assert sorted(Path(d.path).name for d in store.documents()) == sorted(
        [p.name for p in corpus_files()[:-1]] + [renamed.name])


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A SQLite store of the other files, then the renamed and edited one."""
    folder = tmp_path_factory.mktemp("reference")
    original, renamed = rename_and_edit(folder / "docs")
    renamed.write_text(edited(original.read_text(encoding="utf-8")), encoding="utf-8")
    original.unlink()
    store = SQLiteStore(f"sqlite:///{folder / 'tejido.db'}")
    try:
        others = sorted(p for p in renamed.parent.iterdir() if p != renamed)
        summary = ingest([*others, renamed], store)
        assert summary.documents == 3 and not summary.failures
        return dumps(store)
    finally:
        store.close()


def assert_equal(store: Store, reference: dict) -> None:
    """``store`` holds what the reference holds."""
    got = dumps(store)
    for part in ("documents", "entities", "relations", "mentions", "candidates", "stats",
                 "view", "answers"):
        assert got[part] == reference[part], part


def test_the_edit_keeps_the_texts_similar_enough() -> None:
    text = corpus_files()[-1].read_text(encoding="utf-8")
    assert similarity(shingles(text), shingles(edited(text))) >= SIMILAR
    others = [p.read_text(encoding="utf-8") for p in corpus_files()[:-1]]
    assert all(similarity(shingles(text), shingles(o)) < SIMILAR for o in others)


@pytest.mark.parametrize("kind", BOTH_STORES)
def test_a_renamed_and_edited_file_replaces_its_former_version(
    kind: str, reference: dict, tmp_path: Path
) -> None:
    with fresh_store(kind, tmp_path) as store:
        ingest_renamed(store, tmp_path)
        assert_equal(store, reference)


def test_a_near_copy_beside_its_original_and_an_unlike_file_are_new_documents(
    tmp_path: Path
) -> None:
    store = SQLiteStore(f"sqlite:///{tmp_path / 'tejido.db'}")
    try:
        original, renamed = rename_and_edit(tmp_path / "docs")
        assert ingest([original.parent], store).documents == 3
        # a near-copy while the original stays: both are kept
        renamed.write_text(edited(original.read_text(encoding="utf-8")), encoding="utf-8")
        summary = ingest([original.parent], store)
        assert (summary.documents, summary.replaced) == (1, 0)
        # the original goes, and a file unlike it arrives: nothing is replaced
        renamed.unlink()
        original.unlink()
        (original.parent / "otro.txt").write_text(
            "Acta de la sesión del consejo comunal de salud.\n", encoding="utf-8")
        summary = ingest([original.parent], store)
        assert (summary.documents, summary.replaced) == (1, 0)
        assert len(store.documents()) == 5
    finally:
        store.close()
