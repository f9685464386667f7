"""The duplication index saved beside a SQLite store: read by a new process, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from bench.synthetic import InventoryShape, synthetic_extraction
from graph.model import Entity, Extraction, entity_id
from graph.stores.base import SAVED_INDEXES_ATTRIBUTE
from graph.stores.sqlite_store import SQLiteStore
from queries import duplication
from queries.duplication import duplication_index, find_duplicates
from queries.saved_indexes import saved_folder
from tests.test_queries_duplication import SEEDS

PLACE = "Paraje Inventado"  # a place no Territory node names: the index resolves it itself


def _extraction(instruments: int, seed: int = 3) -> Extraction:
    shape = InventoryShape(
        instruments=instruments, municipalities_per_state=3, seed=seed,
        states=("Jalisco", "Oaxaca", "Sonora"),
    )
    extraction = synthetic_extraction(SEEDS, shape)
    twin = next(e for e in extraction.entities if e.label == "Instrument")
    placed = Entity(
        id=entity_id("Instrument", f"{twin.name} {PLACE}"), label="Instrument",
        name=f"{twin.name} en {PLACE}", objective=twin.objective, country="México",
        territory=PLACE, themes=twin.themes, target_groups=twin.target_groups,
        support_types=twin.support_types,
    )
    extraction.entities.append(placed)
    return extraction


def _another_document(extraction: Extraction) -> Extraction:
    """The extraction as that of a document of another name and path."""
    name = extraction.document.id
    return Extraction.model_validate_json(
        extraction.model_dump_json().replace(name, f"{name}-2")
    )


def _written(url: str, extraction: Extraction) -> SQLiteStore:
    store = SQLiteStore(url)
    store.write(extraction)
    return store


def _answer(graph: nx.MultiDiGraph, **filters) -> list[dict]:
    return [p.model_dump() for p in find_duplicates(graph, top=40, **filters).pairs]


def _built_here(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` that names no folder for saved indexes: its index is built."""
    copy = nx.MultiDiGraph(graph)
    copy.graph.pop(SAVED_INDEXES_ATTRIBUTE)
    return copy


def _folders(url: str) -> list[Path]:
    return sorted(Path(url.removeprefix("sqlite:///") + ".indexes").glob("duplication-*"))


def test_a_new_process_reads_the_saved_index_and_answers_the_same(
    sqlite_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _written(sqlite_store_url, _extraction(60))
    graph = store.view()
    first = _answer(graph)
    placed = find_duplicates(graph, territory="México").candidates  # the place lies in it
    assert first and placed == 61
    assert _folders(sqlite_store_url) == [saved_folder(graph, "duplication")]
    store.close()

    def build(graph: nx.MultiDiGraph) -> None:
        raise AssertionError("the saved index was built again")

    reopened = SQLiteStore(sqlite_store_url)  # another view, as in a new process
    monkeypatch.setattr(duplication, "_build_index", build)
    graph = reopened.view()
    assert _answer(graph) == first
    assert find_duplicates(graph, territory="México").candidates == 61  # put in it again
    monkeypatch.undo()
    assert _answer(_built_here(graph)) == first
    reopened.close()


def test_a_write_to_the_store_is_seen_by_the_next_query(sqlite_store_url: str) -> None:
    store = _written(sqlite_store_url, _extraction(40))
    before = find_duplicates(store.view(), top=40)
    store.write(_another_document(_extraction(80, seed=5)))
    graph = store.view()
    after = find_duplicates(graph, top=40)
    instruments = sum(label == "Instrument" for _, label in graph.nodes(data="label"))
    assert before.candidates == 41 and after.candidates == instruments > 41
    assert [p.model_dump() for p in after.pairs] == _answer(_built_here(graph))
    assert _folders(sqlite_store_url) == [saved_folder(graph, "duplication")]  # old one gone
    store.close()


def test_another_store_at_the_same_path_does_not_read_the_first_ones_index(
    sqlite_store_url: str,
) -> None:
    store = _written(sqlite_store_url, _extraction(40))
    old = store.view()
    duplication_index(old)
    revision = store.revision()
    store.close()
    path = Path(sqlite_store_url.removeprefix("sqlite:///"))
    for file in path.parent.glob(path.name + "*"):
        if file.is_file():
            file.unlink()
    store = _written(sqlite_store_url, _extraction(50, seed=4))
    assert store.revision() == revision  # same revision: only the identity tells them apart
    graph = store.view()
    assert saved_folder(graph, "duplication") != saved_folder(old, "duplication")
    assert duplication_index(graph).size == 51
    assert _answer(graph) == _answer(_built_here(graph))
    store.close()


def test_an_unreadable_saved_index_is_built_again(sqlite_store_url: str) -> None:
    store = _written(sqlite_store_url, _extraction(40))
    expected = _answer(store.view())
    store.close()
    (folder,) = _folders(sqlite_store_url)
    (folder / "text.data.npy").write_bytes(b"not an array")
    np.save(folder / "level_masks.npy", np.zeros((1, 3), dtype=bool))
    store = SQLiteStore(sqlite_store_url)
    assert _answer(store.view()) == expected
    store.close()
    shutil.rmtree(folder.parent)
    store = SQLiteStore(sqlite_store_url)
    assert _answer(store.view()) == expected  # and saved again
    assert len(_folders(sqlite_store_url)) == 1
    store.close()
