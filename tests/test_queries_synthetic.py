"""The synthetic inventory generator used by the benchmark and the scale tests."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from bench.synthetic import (
    InventoryShape,
    SeedProgramme,
    read_catalogue_seeds,
    read_corpus_activities,
    synthetic_extraction,
    synthetic_inventory,
    vary_text,
)
from graph.projection import project
from graph.stores.sqlite_store import SQLiteStore

SHARED = Path(
    os.environ.get("TEJIDO_SHARED", Path(__file__).resolve().parents[1] / ".." / "shared")
)
SEEDS = [
    SeedProgramme(
        name="Becas",
        objective="Otorgar becas económicas a estudiantes de educación básica",
        agency="Secretaría de Educación",
        state="Jalisco",
        target_groups=("Estudiantes",),
    ),
    SeedProgramme(
        name="Huertos", objective="Promover huertos familiares para mejorar la alimentación"
    ),
]


def test_vary_text_is_seeded_and_changes_words_only() -> None:
    text = "Promover y fortalecer el acceso de las personas a la capacitación"
    assert vary_text(text, random.Random(1), 0.0) == text
    first = vary_text(text, random.Random(3), 1.0, state="Oaxaca")
    assert first == vary_text(text, random.Random(3), 1.0, state="Oaxaca")
    assert first != text


def test_inventory_has_the_requested_instruments_levels_and_evidence() -> None:
    shape = InventoryShape(instruments=60, municipalities_per_state=2, states=("Jalisco", "Oaxaca"))
    g = synthetic_inventory(SEEDS, shape)
    instruments = [n for n, d in g.nodes(data=True) if d["label"] == "Instrument"]
    assert len(instruments) == 60
    assert {g.nodes[n]["level"] for n in instruments} <= {"national", "regional", "local"}
    owners = {u for u, _, k in g.edges(keys=True) if k == "RESPONSIBLE_FOR"}
    assert owners and all(g.nodes[o]["label"] == "Institution" for o in owners)
    assert all(d["evidence"] for _, _, d in g.edges(data=True))
    same = synthetic_inventory(SEEDS, shape)
    assert sorted(g.nodes(data="objective")) == sorted(same.nodes(data="objective"))
    with pytest.raises(ValueError):
        synthetic_inventory([], shape)


def test_inventory_extraction_is_written_to_a_store_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    shape = InventoryShape(instruments=60, municipalities_per_state=2, states=("Jalisco", "Oaxaca"))
    extraction = synthetic_extraction(SEEDS, shape)
    store = SQLiteStore(f"sqlite:///{tmp_path / 'tejido.db'}")
    try:
        store.write(extraction)  # refuses evidence that does not quote the document text
        stored = store.view()
    finally:
        store.close()
    expected = project(extraction.entities, extraction.relations)
    assert sorted(stored.nodes) == sorted(expected.nodes)
    assert stored.number_of_edges() == expected.number_of_edges()


@pytest.mark.skipif(
    not (SHARED / "catalogs").is_dir(), reason="../shared is not beside the project"
)
def test_seeds_come_from_the_coneval_catalogue_and_the_corpus_activities() -> None:
    seeds = read_catalogue_seeds(SHARED / "catalogs" / "coneval_inventario_estatal_2018.xlsx")
    assert len(seeds) > 1000
    assert all(len(s.objective.split()) >= 6 and s.state for s in seeds)
    assert sum(1 for s in seeds if s.target_groups) > len(seeds) / 2
    activities = read_corpus_activities(SHARED / "corpus")
    assert any(
        a.objective.startswith("Identificar, analizar y organizar un diálogo") for a in activities
    )


def test_unreadable_catalogue_is_named_in_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "inventario.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ValueError, match=r"inventario\.xlsx"):
        read_catalogue_seeds(bad)
    with pytest.raises(ValueError, match="nowhere"):
        read_corpus_activities(tmp_path / "nowhere")
