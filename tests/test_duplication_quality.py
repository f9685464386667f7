"""Duplication a policy team can trust: plan boilerplate weighs nothing, each pair has its GAO
category with the criteria that held, and mutual duplicates form one cluster."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from graph.projection import project
from loaders.catalog import extract_catalog
from loaders.inventory_guess import guess_mapping
from loaders.read import read
from queries.boilerplate import strip_boilerplate
from queries.duplication import find_duplicates
from queries.gao import classify
from tests.growth import assert_linear

PLAN = (
    "Salvaguardar los derechos humanos de los grupos en situación de vulnerabilidad en Oaxaca "
    "por medio de una atención integral de calidad con el propósito de impulsar su "
    "incorporación a una vida digna."
)
HEADER = ["Programa", "Dependencia", "Estado", "Objetivo", "Tipo de apoyo", "Población objetivo"]
ROWS = [
    # four unrelated programmes of one state opening with the plan's sentence
    ["Pensión para policías retirados", "Instituto de Pensiones", "Oaxaca",
     f"{PLAN} Pagar una pensión mensual a policías jubilados.", "Monetario", "Adultos mayores"],
    ["Asistencia social alimentaria", "Sistema DIF Oaxaca", "Oaxaca",
     f"{PLAN} Entregar despensas a familias en pobreza.", "Especie", "Familias"],
    ["Derechos de niñas y niños", "Procuraduría de Protección", "Oaxaca",
     f"{PLAN} Representar legalmente a menores en juicios.", "Servicios", "Niñas y niños"],
    ["Igualdad sustantiva", "Secretaría de las Mujeres", "Oaxaca",
     f"{PLAN} Capacitar a servidores públicos en perspectiva de género.", "Capacitación",
     "Mujeres"],
    # a real duplicate: the same scholarship by two agencies of the state
    ["Becas de transporte para universitarios", "Secretaría de Educación", "Oaxaca",
     "Otorgar un apoyo económico mensual para el transporte de estudiantes universitarios "
     "de escasos recursos.", "Monetario", "Estudiantes"],
    ["Apoyo al transporte estudiantil universitario", "Instituto de la Juventud", "Oaxaca",
     "Apoyo económico mensual al transporte de estudiantes universitarios de escasos "
     "recursos.", "Monetario", "Estudiantes"],
]


def inventory_graph(tmp_path: Path, rows: list[list[str]]) -> nx.MultiDiGraph:
    path = tmp_path / "inventario.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    document = read(path)
    mapping = guess_mapping(document)
    assert mapping is not None
    extraction = extract_catalog(document, mapping).extraction
    return project(extraction.entities, extraction.relations)


def test_plan_boilerplate_does_not_make_programmes_duplicates(tmp_path: Path) -> None:
    graph = inventory_graph(tmp_path, ROWS)
    result = find_duplicates(graph, top=15, institutions="different")
    names = {frozenset((p.name_a, p.name_b)): p for p in result.pairs}
    top = result.pairs[0]
    assert {top.name_a, top.name_b} == {
        "Becas de transporte para universitarios", "Apoyo al transporte estudiantil universitario"
    }
    assert top.category == "duplication"
    plan_pair = names[
        frozenset(("Pensión para policías retirados", "Asistencia social alimentaria"))
    ]
    assert plan_pair.breakdown["text"] < 0.2
    assert "salvaguardar" not in plan_pair.shared["terms"]


def test_boilerplate_needs_three_differently_named_programmes_of_one_place() -> None:
    shared = "fortalecer las capacidades institucionales de los gobiernos municipales del estado"
    texts = [f"{shared} con obras de agua", f"{shared} con becas", f"{shared} con caminos"]
    names = ["Agua limpia", "Becas rurales", "Caminos seguros"]
    stripped, dropped = strip_boilerplate(texts, ["Puebla"] * 3, names)
    assert all("capacidades" not in text for text in stripped)
    assert all(count > 0 for count in dropped)
    # two programmes sharing it: a copy, not boilerplate
    kept, dropped = strip_boilerplate(texts[:2], ["Puebla"] * 2, names[:2])
    assert all("capacidades" in text for text in kept) and dropped == [0, 0]
    # three places: one design run in three states (fragmentation), not boilerplate
    kept, _ = strip_boilerplate(texts, ["Puebla", "Tlaxcala", "Hidalgo"], names)
    assert all("capacidades" in text for text in kept)
    # alike names: three copies of one programme (duplicates), not boilerplate
    kept, _ = strip_boilerplate(texts, ["Puebla"] * 3, ["Agua limpia"] * 3)
    assert all("capacidades" in text for text in kept)


def _plan_inventory(size: int) -> tuple[list[str], list[str], list[str]]:
    """``size`` programmes in states of ten, each state's objectives opening with the same
    plan sentence, then words of their own."""
    plan = "salvaguardar los derechos humanos de los grupos en situacion de vulnerabilidad"
    texts = [
        f"{plan} estado{k // 10} apoyo{k} entrega{k % 7} servicio{k % 13}" for k in range(size)
    ]
    names = [f"Programa {k} de rubro{k % 11}" for k in range(size)]
    return texts, [f"estado{k // 10}" for k in range(size)], names


def test_boilerplate_words_are_dropped_whole_and_in_linear_time() -> None:
    texts, groups, names = _plan_inventory(40)
    stripped, dropped = strip_boilerplate(texts, groups, names)
    assert all("salvaguardar" not in text and "vulnerabilidad" not in text for text in stripped)
    # the plan's six content words and the state's name, shared by the ten: its own words stay
    assert stripped == [f"apoyo{k} entrega{k % 7} servicio{k % 13}" for k in range(40)]
    assert dropped == [7] * 40
    assert_linear(lambda n: _plan_inventory(n), lambda args: strip_boilerplate(*args),
                  [4000, 8000, 16000], repeat=2)


def test_gao_categories_and_their_criteria() -> None:
    both = {"known:support_types": 1.0, "known:target_groups": 1.0, "known:themes": 1.0,
            "known:territory": 1.0}
    same = {**both, "text": 0.5, "support_types": 1.0, "target_groups": 1.0, "themes": 1.0,
            "territory": 1.0}
    category, criteria = classify(same, same_body=False)
    assert category == "duplication"
    assert {"same_support", "same_beneficiaries", "territory_overlaps", "different_bodies"} <= set(
        criteria)
    category, criteria = classify({**same, "support_types": 0.0}, same_body=False)
    assert category == "overlap" and "same_support" not in criteria
    category, criteria = classify({**same, "territory": 0.0}, same_body=False)
    assert category == "fragmentation" and "separate_territories" in criteria
    category, criteria = classify({**same, "territory": 0.0}, same_body=True)
    assert category != "fragmentation" and "same_body" in criteria
    unknown = {"text": 0.8, "known:support_types": 0.0, "known:target_groups": 0.0,
               "known:themes": 0.0, "known:territory": 0.0}
    assert classify(unknown, same_body=False) == (
        "duplication", ["similar_goals", "different_bodies", "near_copy"])
    assert classify({**unknown, "text": 0.4}, same_body=False)[0] == "overlap"


def test_mutual_duplicates_form_one_cluster(tmp_path: Path) -> None:
    rows = [
        [f"Desayunos escolares {place}", f"DIF {place}", "Oaxaca",
         "Entregar desayunos escolares calientes a niñas y niños de primaria en escuelas "
         "públicas", "Especie", "Niñas y niños"]
        for place in ("Centro", "Costa", "Sierra")
    ] + ROWS[4:]
    graph = inventory_graph(tmp_path, rows)
    result = find_duplicates(graph, top=20)
    assert len(result.clusters) == 1
    (cluster,) = result.clusters
    assert sorted(cluster.names) == [
        "Desayunos escolares Centro", "Desayunos escolares Costa", "Desayunos escolares Sierra"]
    assert cluster.category == "duplication"
    inside = [p for p in result.pairs if p.cluster == 0]
    assert len(inside) == 3
    assert all({p.a, p.b} <= set(cluster.members) for p in inside)
    assert cluster.score == min(p.score for p in inside)
