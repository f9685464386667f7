"""Duplication of instruments: scores from their definitions, flags, filters, generators."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import pairwise

import networkx as nx
import numpy as np
import pytest

from bench.synthetic import InventoryShape, SeedProgramme, synthetic_inventory
from queries import duplication
from queries.duplication import WEIGHTS, find_duplicates
from tests.test_queries_profiles import GraphBuilder

EXPORT = (
    "Apoyar a las pequeñas y medianas empresas exportadoras con cofinanciamiento para "
    "abrir nuevos mercados internacionales y participar en ferias comerciales"
)
EXPORT_REGIONAL = (
    "Apoyar a las pequeñas y medianas empresas exportadoras de la región con "
    "cofinanciamiento para abrir nuevos mercados internacionales y ferias comerciales"
)


def _inventory() -> GraphBuilder:
    b = GraphBuilder()
    b.territory("terr:chile", "country", name="Chile")
    b.territory("terr:biobio", "region", name="Región del Biobío")
    b.territory("terr:maule", "region", name="Región del Maule")
    b.relate("terr:biobio", "PART_OF", "terr:chile")
    b.relate("terr:maule", "PART_OF", "terr:chile")
    b.institution("inst:corfo", "national", country="CL", name="CORFO")
    b.institution("inst:gore-biobio", "regional", country="CL", name="Gobierno Regional del Biobío")
    b.institution("inst:mineduc", "national", country="CL", name="Ministerio de Educación")
    b.institution("inst:mop", "national", country="CL", name="Ministerio de Obras Públicas")
    facets = {"themes": ["exports"], "target_groups": ["smes"], "support_types": ["grant"]}
    b.instrument(
        "instr:corfo-export",
        EXPORT,
        name="Programa Exporta Pyme",
        level="national",
        country="CL",
        **facets,
    )
    b.instrument(
        "instr:gore-export",
        EXPORT_REGIONAL,
        name="Programa Exporta Pyme Biobío",
        level="regional",
        country="CL",
        **facets,
    )
    b.instrument(
        "instr:becas",
        "Otorgar becas de arancel a estudiantes de educación superior",
        name="Becas de arancel",
        level="national",
        country="CL",
        themes=["education"],
        target_groups=["students"],
        support_types=["scholarship"],
    )
    b.instrument(
        "instr:caminos",
        "Construir y conservar caminos rurales básicos",
        name="Caminos rurales",
        level="national",
        country="CL",
        themes=["infrastructure"],
        target_groups=["rural_population"],
        support_types=["infrastructure"],
    )
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:corfo-export", "CORFO ejecuta Exporta Pyme")
    b.relate(
        "inst:gore-biobio", "RESPONSIBLE_FOR", "instr:gore-export", "el GORE administra el programa"
    )
    b.relate("inst:mineduc", "RESPONSIBLE_FOR", "instr:becas")
    b.relate("inst:mop", "RESPONSIBLE_FOR", "instr:caminos")
    b.relate("instr:corfo-export", "COVERS", "terr:chile", "en todo el país")
    b.relate("instr:gore-export", "COVERS", "terr:biobio", "en la Región del Biobío")
    return b


def test_near_identical_national_and_regional_instruments_rank_first_cross_level() -> None:
    result = find_duplicates(_inventory().graph(), top=5)
    best = result.pairs[0]
    assert (best.a, best.b) == ("instr:corfo-export", "instr:gore-export")
    assert best.cross_level and not best.same_institution
    assert best.breakdown["territory"] == 1.0  # the Biobío lies inside Chile
    assert best.breakdown["different_institutions"] == 1.0
    assert best.breakdown["target_groups"] == best.breakdown["themes"] == 1.0
    assert 0.5 < best.breakdown["text"] < 1.0
    assert best.shared["target_groups"] == ["smes"]
    assert best.shared["territories"] == ["Región del Biobío"]
    assert best.responsible_a == ["inst:corfo"] and best.responsible_b == ["inst:gore-biobio"]
    assert [e.quote for e in best.evidence_a] == ["CORFO ejecuta Exporta Pyme", "en todo el país"]
    assert best.evidence_b[0].quote == "el GORE administra el programa"
    assert best.score > result.pairs[1].score
    assert {"exportadoras", "cofinanciamiento"} <= set(best.shared["terms"])


def test_score_is_the_weighted_sum_of_its_breakdown() -> None:
    for pair in find_duplicates(_inventory().graph(), top=6).pairs:
        expected = sum(WEIGHTS[k] * v for k, v in pair.breakdown.items())
        assert pair.score == pytest.approx(expected, abs=1e-5)


def test_identical_instruments_of_different_institutions_score_one() -> None:
    b = _inventory()
    twin = b.entities["instr:gore-export"].model_copy(update={"id": "instr:gore-twin"})
    b.entities[twin.id] = twin
    b.relate("inst:mop", "RESPONSIBLE_FOR", "instr:gore-twin")
    b.relate("instr:gore-twin", "COVERS", "terr:biobio")
    best = find_duplicates(b.graph(), top=1).pairs[0]
    assert (best.a, best.b) == ("instr:gore-export", "instr:gore-twin")
    assert best.score == 1.0
    assert best.breakdown == {k: 1.0 for k in WEIGHTS}


def test_pairs_of_the_same_institution_are_flagged_and_lose_that_component() -> None:
    b = _inventory()
    b.instrument(
        "instr:corfo-export-2",
        EXPORT_REGIONAL,
        name="Exporta Pyme II",
        level="national",
        country="CL",
        themes=["exports"],
        target_groups=["smes", "exporters"],
    )
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:corfo-export-2")
    pairs = {(p.a, p.b): p for p in find_duplicates(b.graph(), top=10).pairs}
    same = pairs[("instr:corfo-export", "instr:corfo-export-2")]
    assert same.same_institution and not same.cross_level
    assert same.shared["institutions"] == ["inst:corfo"]
    assert same.breakdown["different_institutions"] == 0.0
    # {smes} vs {smes, exporters}: IDF-weighted cosine over the instruments compared
    graph = b.graph()
    groups = [d.get("target_groups") or [] for _, d in graph.nodes(data=True)
              if d.get("label") in ("Instrument", "Program")]
    idf = {v: math.log((1 + len(groups)) / (1 + sum(v in g for g in groups))) + 1
           for v in ("smes", "exporters")}
    expected = idf["smes"] / math.sqrt(idf["smes"] ** 2 + idf["exporters"] ** 2)
    assert same.breakdown["target_groups"] == pytest.approx(expected, abs=1e-5)
    assert same.breakdown["support_types"] == 0.0


def test_sibling_regions_do_not_overlap_but_the_country_contains_both() -> None:
    b = _inventory()
    b.instrument(
        "instr:maule-export",
        EXPORT_REGIONAL,
        name="Exporta Pyme Maule",
        level="regional",
        country="CL",
        themes=["exports"],
        target_groups=["smes"],
        support_types=["grant"],
    )
    b.relate("inst:mop", "RESPONSIBLE_FOR", "instr:maule-export")
    b.relate("instr:maule-export", "COVERS", "terr:maule")
    pairs = {(p.a, p.b): p for p in find_duplicates(b.graph(), top=10).pairs}
    assert pairs[("instr:gore-export", "instr:maule-export")].breakdown["territory"] == 0.0
    assert pairs[("instr:corfo-export", "instr:maule-export")].breakdown["territory"] == 1.0


def test_a_national_instrument_without_coverage_covers_its_country() -> None:
    b = _inventory()
    b.relations = [r for r in b.relations if (r.source, r.type) != ("instr:corfo-export", "COVERS")]
    best = find_duplicates(b.graph(), top=1).pairs[0]
    assert best.breakdown["territory"] == 1.0
    assert best.shared["territories"] == ["Región del Biobío"]


def test_a_component_is_not_a_duplicate_of_its_programme() -> None:
    b = _inventory()
    b.add("Program", "prog:exporta", name="Programa Exporta Pyme", objective=EXPORT)
    b.relate("instr:corfo-export", "PART_OF", "prog:exporta")
    ids = {(p.a, p.b) for p in find_duplicates(b.graph(), top=20).pairs}
    assert ("instr:corfo-export", "prog:exporta") not in ids
    assert ("instr:gore-export", "prog:exporta") in ids  # programmes are candidates too


def test_filters_restrict_levels_country_and_theme() -> None:
    b = _inventory()
    b.institution("inst:sebrae", "national", country="BR")
    b.instrument(
        "instr:sebrae",
        EXPORT,
        name="Exporta Mais",
        country="BR",
        level="national",
        themes=["exports"],
        target_groups=["smes"],
    )
    b.relate("inst:sebrae", "RESPONSIBLE_FOR", "instr:sebrae")
    g = b.graph()
    assert any("instr:sebrae" in (p.a, p.b) for p in find_duplicates(g, top=20).pairs)
    chile = find_duplicates(g, top=20, country="cl").pairs
    assert chile and all("instr:sebrae" not in (p.a, p.b) for p in chile)
    national = find_duplicates(g, top=20, level_pair=("national", "national")).pairs
    assert national and all(p.levels_a == p.levels_b == ["national"] for p in national)
    cross = find_duplicates(g, top=20, level_pair=("regional", "national")).pairs
    assert cross and all(sorted(p.levels_a + p.levels_b) == ["national", "regional"] for p in cross)
    themed = find_duplicates(g, top=20, theme="Exports").pairs
    assert {p.a for p in themed} | {p.b for p in themed} <= {
        "instr:corfo-export",
        "instr:gore-export",
        "instr:sebrae",
    }
    assert all(p.score >= 0.4 for p in find_duplicates(g, top=20, min_score=0.4).pairs)


@pytest.mark.parametrize(
    "arguments",
    [{"top": 0}, {"min_score": 1.5}, {"level_pair": ("national", "state")}, {"method": "fast"}],
)
def test_bad_arguments_are_refused(arguments: dict) -> None:
    with pytest.raises(ValueError):
        find_duplicates(_inventory().graph(), **arguments)


# --------------------------------------------------------------------------- generators

def _seed(name: str, objective: str, agency: str, state: str, *facets: str) -> SeedProgramme:
    group, support, theme = facets
    return SeedProgramme(
        name=name,
        objective=objective,
        agency=agency,
        state=state,
        target_groups=(group,),
        support_types=(support,),
        themes=(theme,),
    )


SEEDS = [
    _seed(
        "Becas escolares",
        "Otorgar becas económicas a estudiantes de educación básica en situación de pobreza",
        "Secretaría de Educación", "Jalisco", "Estudiantes", "Beca", "Educación",
    ),
    _seed(
        "Impulso emprendedor",
        "Promover el desarrollo de proyectos productivos de emprendedores mediante "
        "capacitación y financiamiento",
        "Secretaría de Desarrollo Económico", "Oaxaca", "Emprendedores", "Capacitación", "Trabajo",
    ),
    _seed(
        "Comedores comunitarios",
        "Garantizar el acceso a alimentos nutritivos para familias de localidades de alta "
        "marginación",
        "Sistema DIF", "Sonora", "Familias", "Alimentos", "Alimentación",
    ),
    _seed(
        "Vivienda digna",
        "Apoyar a hogares de bajos ingresos para mejorar o ampliar su vivienda con materiales "
        "de construcción",
        "Instituto de Vivienda", "Jalisco", "Familias", "Vivienda", "Vivienda",
    ),
    _seed(
        "Salud rural",
        "Brindar servicios de salud preventiva a la población de comunidades rurales dispersas",
        "Secretaría de Salud", "Oaxaca", "Población rural", "Servicios de salud", "Salud",
    ),
    _seed(
        "Mujeres productoras",
        "Fortalecer las capacidades productivas de mujeres rurales con insumos y asistencia "
        "técnica",
        "Secretaría del Campo", "Sonora", "Mujeres", "Insumos", "Bienestar Económico",
    ),
]


def _generated(n: int, seed: int = 7) -> nx.MultiDiGraph:
    shape = InventoryShape(
        instruments=n, municipalities_per_state=3, seed=seed, states=("Jalisco", "Oaxaca", "Sonora")
    )
    return synthetic_inventory(SEEDS, shape)


def _rows(result) -> list[tuple[str, str, float]]:
    return [(p.a, p.b, p.score) for p in result.pairs]


@pytest.mark.parametrize(
    "filters",
    [{}, {"level_pair": ("regional", "local")}, {"theme": "educacion"}, {"min_score": 0.75}],
)
def test_sparse_candidates_give_the_brute_force_top_pairs(filters: dict) -> None:
    g = _generated(320)
    brute = find_duplicates(g, top=60, method="brute", **filters)
    sparse = find_duplicates(g, top=60, method="sparse", **filters)
    assert brute.method == "brute" and sparse.method == "sparse"
    assert sparse.exact
    assert len(brute.pairs) == 60 if not filters else len(brute.pairs) >= 5
    assert _rows(sparse) == _rows(brute)
    assert [p.breakdown for p in sparse.pairs] == [p.breakdown for p in brute.pairs]


def test_filtered_queries_reuse_the_candidates_of_an_earlier_search() -> None:
    g = _generated(320)
    find_duplicates(g, top=60, method="sparse")
    pool = duplication.duplication_index(g).pool
    assert pool is not None and len(pool.a) > 0
    for filters in (
        {"level_pair": ("regional", "local")},
        {"theme": "educacion"},
        {"min_score": 0.75},
        {"level_pair": ("national", "local")},
    ):
        sparse = find_duplicates(g, top=20, method="sparse", **filters)
        assert sparse.exact
        assert _rows(sparse) == _rows(find_duplicates(g, top=20, method="brute", **filters))


def test_sparse_search_lowers_its_threshold_until_the_list_is_proven(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    thresholds: list[float] = []
    original = duplication._text_candidates

    def spy(compared: object, threshold: float) -> tuple[np.ndarray, ...]:
        thresholds.append(threshold)
        return original(compared, threshold)

    monkeypatch.setattr(duplication, "_text_candidates", spy)
    monkeypatch.setattr(duplication, "SPARSE_START", 0.999)
    g = _generated(320)
    sparse = find_duplicates(g, top=60, method="sparse")
    assert sparse.exact and len(thresholds) >= 2 and thresholds == sorted(thresholds, reverse=True)
    # by steps: a round whose candidates mostly score low does not send the next to the floor
    steps = [a - b for a, b in pairwise(thresholds)]
    assert max(steps) <= duplication.SPARSE_STEP + 1e-9
    assert _rows(sparse) == _rows(find_duplicates(g, top=60, method="brute"))


def test_sparse_search_says_when_it_could_not_prove_its_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(duplication, "SPARSE_FLOOR", 0.95)
    monkeypatch.setattr(duplication, "SPARSE_START", 0.95)
    result = find_duplicates(_generated(120), top=2000, method="sparse")
    assert not result.exact


def test_auto_falls_back_to_brute_force_when_sparse_is_not_proven(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(duplication, "BRUTE_LIMIT", 10)
    monkeypatch.setattr(duplication, "SPARSE_FLOOR", 0.95)
    monkeypatch.setattr(duplication, "SPARSE_START", 0.95)
    g = _generated(120)
    result = find_duplicates(g, top=2000)
    assert result.method == "brute" and result.exact
    assert _rows(result) == _rows(find_duplicates(g, top=2000, method="brute"))


def test_auto_uses_brute_force_on_small_inventories() -> None:
    assert find_duplicates(_inventory().graph(), top=3).method == "brute"


def test_two_runs_on_two_builds_of_the_same_inventory_are_equal() -> None:
    first = find_duplicates(_generated(200), top=40, method="sparse")
    second = find_duplicates(_generated(200), top=40, method="sparse")
    assert first.model_dump() == second.model_dump()


def test_answers_are_copies_of_the_cached_ones() -> None:
    g = _generated(200)
    first = find_duplicates(g, top=40)
    first.pairs.clear()
    assert len(find_duplicates(g, top=40).pairs) == 40


def test_the_institutions_filter_separates_agencies_from_variants_inside_one() -> None:
    b = _inventory()
    b.instrument(
        "instr:corfo-export-2",
        EXPORT_REGIONAL,
        name="Exporta Pyme II",
        level="national",
        country="CL",
        themes=["exports"],
        target_groups=["smes", "exporters"],
    )
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:corfo-export-2")
    graph = b.graph()
    every = find_duplicates(graph, top=50).pairs
    different = find_duplicates(graph, top=50, institutions="different").pairs
    same = find_duplicates(graph, top=50, institutions="same").pairs
    assert any(p.same_institution for p in every)
    assert different and not any(p.same_institution for p in different)
    assert same and all(p.same_institution for p in same)
    assert {(p.a, p.b) for p in every} == {(p.a, p.b) for p in different} | {
        (p.a, p.b) for p in same
    }
    with pytest.raises(ValueError):
        find_duplicates(graph, institutions="others")


def test_components_computed_once_per_kind_of_row_are_those_of_every_pair() -> None:
    index = duplication.duplication_index(_generated(320))
    a, b = np.triu_indices(index.size, 1)
    assert len(a) >= duplication._KIND_MIN_PAIRS and index.kinds
    grouped = duplication.facet_components(index, a, b)
    pair_by_pair = duplication.facet_components(replace(index, kinds={}), a, b)
    assert grouped.keys() == pair_by_pair.keys()
    for name, values in grouped.items():
        assert np.array_equal(values, pair_by_pair[name]), name
