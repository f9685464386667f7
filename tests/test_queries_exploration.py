"""Exploration: neighbourhoods and entity profiles."""

from __future__ import annotations

import networkx as nx
import pytest

from queries import exploration
from queries.exploration import entity_profile, neighbourhood
from queries.results import EntityNotFound
from tests.test_queries_profiles import GraphBuilder


def _graph() -> nx.MultiDiGraph:
    b = GraphBuilder()
    b.add("GovernanceLevel", "level:national", name="Nacional")
    b.territory("terr:chile", "country", name="Chile")
    b.institution("inst:corfo", "national", country="CL", name="CORFO")
    b.institution("inst:sercotec", "national", country="CL", name="SERCOTEC")
    b.institution("inst:minecon", "national", country="CL", name="Ministerio de Economía")
    b.instrument(
        "instr:fondo", "Fondo para pymes", themes=["sme_development"], target_groups=["smes"]
    )
    b.instrument("instr:capital", "Capital semilla", themes=["entrepreneurship"])
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:fondo", "CORFO administra el fondo")
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:capital", "CORFO ejecuta Capital semilla")
    b.relate("inst:sercotec", "CO_RESPONSIBLE_FOR", "instr:fondo")
    b.relate("inst:corfo", "PART_OF", "inst:minecon", "CORFO, del Ministerio de Economía")
    b.relate("instr:fondo", "COVERS", "terr:chile")
    for node in ("inst:corfo", "inst:sercotec", "inst:minecon"):
        b.relate(node, "AT_LEVEL", "level:national")
    return b.graph()


def test_depth_one_is_every_direct_neighbour_in_either_direction() -> None:
    view = neighbourhood(_graph(), "instr:fondo", depth=1)
    assert [(n.id, n.depth) for n in view.nodes] == [
        ("instr:fondo", 0),
        ("inst:corfo", 1),
        ("inst:sercotec", 1),
        ("terr:chile", 1),
    ]
    assert {(e.source, e.type, e.target) for e in view.edges} == {
        ("inst:corfo", "RESPONSIBLE_FOR", "instr:fondo"),
        ("inst:sercotec", "CO_RESPONSIBLE_FOR", "instr:fondo"),
        ("instr:fondo", "COVERS", "terr:chile"),
    }
    corfo = next(e for e in view.edges if e.source == "inst:corfo")
    assert corfo.evidence[0].quote == "CORFO administra el fondo"
    assert not view.truncated


def test_depth_two_reaches_further_but_not_through_governance_levels() -> None:
    view = neighbourhood(_graph(), "instr:fondo", depth=2)
    depths = {n.id: n.depth for n in view.nodes}
    assert depths["instr:capital"] == 2 and depths["inst:minecon"] == 2
    assert depths["level:national"] == 2
    # Both CORFO and SERCOTEC are at level national: the level node is shown, not walked.
    assert ("inst:corfo", "AT_LEVEL", "level:national") in {
        (e.source, e.type, e.target) for e in view.edges
    }
    from_level = neighbourhood(_graph(), "level:national", depth=1)
    assert {n.id for n in from_level.nodes} == {
        "level:national",
        "inst:corfo",
        "inst:sercotec",
        "inst:minecon",
    }


def test_the_node_limit_truncates() -> None:
    view = neighbourhood(_graph(), "instr:fondo", depth=2, limit=3)
    assert len(view.nodes) == 3 and view.truncated
    assert all(
        e.source in {n.id for n in view.nodes} and e.target in {n.id for n in view.nodes}
        for e in view.edges
    )


def test_bad_neighbourhood_requests_are_refused() -> None:
    with pytest.raises(EntityNotFound, match="nowhere"):
        neighbourhood(_graph(), "inst:nowhere")
    with pytest.raises(ValueError):
        neighbourhood(_graph(), "inst:corfo", depth=-1)
    with pytest.raises(ValueError):
        neighbourhood(_graph(), "inst:corfo", limit=0)


def test_profile_of_an_institution_lists_inherited_facets_and_relations() -> None:
    profile = entity_profile(_graph(), "inst:corfo")
    assert profile.entity["id"] == "inst:corfo" and profile.entity["name"] == "CORFO"
    assert [(f.value, f.count) for f in profile.facets["themes"]] == [
        ("entrepreneurship", 1),
        ("sme_development", 1),
    ]
    assert [f.value for f in profile.facets["territories"]] == ["Chile"]
    assert profile.relation_counts == {
        "AT_LEVEL:out": 1,
        "PART_OF:out": 1,
        "RESPONSIBLE_FOR:out": 2,
    }
    assert [(r.type, r.other.id) for r in profile.relations] == [
        ("AT_LEVEL", "level:national"),
        ("PART_OF", "inst:minecon"),
        ("RESPONSIBLE_FOR", "instr:capital"),
        ("RESPONSIBLE_FOR", "instr:fondo"),
    ]
    assert profile.relations[1].evidence[0].quote == "CORFO, del Ministerio de Economía"


def test_profile_of_an_instrument_and_the_relation_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    profile = entity_profile(_graph(), "instr:fondo")
    assert [f.value for f in profile.facets["target_groups"]] == ["smes"]
    assert {r.direction for r in profile.relations} == {"in", "out"}
    monkeypatch.setattr(exploration, "RELATIONS_SHOWN", 1)
    capped = entity_profile(_graph(), "instr:fondo")
    assert len(capped.relations) == 1 and capped.truncated
    assert sum(capped.relation_counts.values()) == 3
    assert entity_profile(_graph(), "terr:chile").facets == {}
