"""Coordination: ties by channel, the multilevel matrix, gaps, brokers and paths."""

from __future__ import annotations

import networkx as nx
import pytest

from queries import coordination
from queries.coordination import find_brokers, find_gaps, find_path, find_ties, level_matrix
from queries.results import EntityNotFound, Tie
from tests.test_queries_profiles import GraphBuilder


def _channels() -> GraphBuilder:
    """One pair of institutions per channel."""
    b = GraphBuilder()
    for name, level in [
        ("inst:a", "national"),
        ("inst:b", "regional"),  # explicit coordination
        ("inst:c", "regional"),
        ("inst:d", "local"),  # same committee
        ("inst:e", "local"),
        ("inst:f", "national"),  # e attends an event f organises
        ("inst:g", "national"),
        ("inst:h", "regional"),  # same instrument
        ("inst:i", "regional"),
        ("inst:j", "regional"),  # i chairs the network j joins
    ]:
        b.institution(name, level, country="CL")
    b.institution("inst:comite", "regional", country="CL", kind="committee", name="Comité Regional")
    b.institution("inst:red", "supranational", kind="network", name="Red de Innovación")
    b.instrument("instr:seminario", "Seminario de innovación", kind="event")
    b.instrument("instr:fondo", "Fondo de desarrollo")
    b.relate("inst:a", "COORDINATES_WITH", "inst:b", "en coordinación con el gobierno regional")
    b.relate("inst:c", "PARTICIPATES_IN", "inst:comite", "c integra el comité")
    b.relate("inst:d", "PART_OF", "inst:comite", "d forma parte del comité")
    b.relate("inst:e", "PARTICIPATES_IN", "instr:seminario", "con participación de e")
    b.relate("inst:f", "RESPONSIBLE_FOR", "instr:seminario", "organizado por f")
    b.relate("inst:g", "RESPONSIBLE_FOR", "instr:fondo", "g es responsable")
    b.relate("inst:h", "CO_RESPONSIBLE_FOR", "instr:fondo", "h es corresponsable")
    b.relate("inst:i", "PARTICIPATES_IN", "inst:red", "i preside la red", role="Presidente")
    b.relate("inst:j", "PARTICIPATES_IN", "inst:red", "j participa en la red")
    return b


def _ties(graph: nx.MultiDiGraph) -> dict[tuple[str, str], Tie]:
    return {(t.a, t.b): t for t in find_ties(graph)}


def test_each_channel_makes_a_tie_with_its_evidence() -> None:
    ties = _ties(_channels().graph())
    explicit = ties[("inst:a", "inst:b")]
    assert [c.kind for c in explicit.channels] == ["coordinates_with"]
    assert explicit.cross_level
    assert [e.quote for e in explicit.evidence] == ["en coordinación con el gobierno regional"]

    committee = ties[("inst:c", "inst:d")].channels
    assert [(c.kind, c.via, c.via_name) for c in committee] == [
        ("shared_body", "inst:comite", "Comité Regional")
    ]
    assert [e.quote for e in committee[0].evidence] == [
        "c integra el comité",
        "d forma parte del comité",
    ]

    event = ties[("inst:e", "inst:f")].channels
    assert [(c.kind, c.via) for c in event] == [("shared_body", "instr:seminario")]

    fund = ties[("inst:g", "inst:h")].channels
    assert [(c.kind, c.via) for c in fund] == [("shared_instrument", "instr:fondo")]
    assert {e.quote for e in fund[0].evidence} == {"g es responsable", "h es corresponsable"}

    network = ties[("inst:i", "inst:j")].channels
    assert [(c.kind, c.via) for c in network] == [("shared_body", "inst:red")]
    # Taking part in a body that is itself an institution ties the member to the body.
    assert [c.kind for c in ties[("inst:c", "inst:comite")].channels] == ["membership"]
    assert ("inst:e", "instr:seminario") not in ties  # an event is no institution


def test_no_tie_without_a_channel() -> None:
    ties = _ties(_channels().graph())
    assert ("inst:a", "inst:c") not in ties
    assert ("inst:g", "inst:i") not in ties


def test_several_channels_make_one_tie_listed_first() -> None:
    b = _channels()
    b.relate("inst:g", "COORDINATES_WITH", "inst:h", "g coordina con h")
    ties = find_ties(b.graph())
    assert (ties[0].a, ties[0].b) == ("inst:g", "inst:h")
    assert [c.kind for c in ties[0].channels] == ["coordinates_with", "shared_instrument"]


def test_ties_filter_by_level_pair_and_country() -> None:
    g = _channels().graph()
    regional_local = find_ties(g, level_pair=("local", "regional"))
    assert {(t.a, t.b) for t in regional_local} == {
        ("inst:c", "inst:d"),
        ("inst:comite", "inst:d"),  # d is local, c and the committee regional
    }
    assert all("inst:red" not in (t.a, t.b) for t in find_ties(g, country="CL"))
    assert any("inst:red" in (t.a, t.b) for t in find_ties(g))


# --------------------------------------------------------------------------- matrix and gaps


def _field(tied: bool) -> GraphBuilder:
    """Two national and two regional institutions; three of them work on SMEs in the Biobío."""
    b = GraphBuilder()
    b.territory("terr:chile", "country", name="Chile")
    b.territory("terr:biobio", "region", name="Biobío")
    b.territory("terr:maule", "region", name="Maule")
    b.relate("terr:biobio", "PART_OF", "terr:chile")
    b.relate("terr:maule", "PART_OF", "terr:chile")
    b.institution("inst:corfo", "national", country="CL")
    b.institution("inst:sercotec", "national", country="CL")
    b.institution("inst:gore-biobio", "regional", country="CL")
    b.institution("inst:gore-maule", "regional", country="CL")
    b.relate("inst:gore-biobio", "OPERATES_IN", "terr:biobio")
    b.relate("inst:gore-maule", "OPERATES_IN", "terr:maule")
    sme = {"themes": ["sme_development"], "target_groups": ["smes"], "support_types": ["grant"]}
    for owner in ("corfo", "sercotec", "gore-biobio", "gore-maule"):
        b.instrument(f"instr:{owner}", f"Apoyo a pymes {owner}", **sme)
        b.relate(f"inst:{owner}", "RESPONSIBLE_FOR", f"instr:{owner}")
    if tied:
        b.relate("inst:corfo", "COORDINATES_WITH", "inst:gore-biobio", "CORFO coordina con el GORE")
    return b


def test_level_matrix_counts_pairs_ties_and_shared_fields() -> None:
    matrix = level_matrix(_field(tied=True).graph(), overlap_threshold=0.2)
    assert matrix.levels == ["national", "regional"]
    cross = matrix.cell("regional", "national")
    assert (cross.institution_pairs, cross.tied_pairs) == (4, 1)
    assert cross.sharing_field == 4 and cross.tied_and_sharing == 1
    assert cross.coordination_rate == pytest.approx(0.25)
    national = matrix.cell("national", "national")
    assert (national.institution_pairs, national.tied_pairs, national.sharing_field) == (1, 0, 1)
    regional = matrix.cell("regional", "regional")
    assert regional.institution_pairs == 1 and regional.tied_pairs == 0
    strict = level_matrix(_field(tied=True).graph(), overlap_threshold=1.0)
    assert strict.cell("national", "regional").sharing_field == 0
    assert strict.cell("national", "regional").coordination_rate is None


def test_level_matrix_keeps_only_the_named_institutions() -> None:
    graph = _field(tied=True).graph()
    three = frozenset({"inst:corfo", "inst:gore-biobio", "inst:gore-maule"})
    kept = level_matrix(graph, keep=three)
    assert kept.levels == ["national", "regional"]
    cross = kept.cell("national", "regional")
    assert (cross.institution_pairs, cross.tied_pairs, cross.sharing_field) == (2, 1, 2)
    assert kept.cell("national", "national").institution_pairs == 0
    # Without CORFO the only tie (CORFO with the Biobío government) is not counted.
    untied = level_matrix(graph, keep=frozenset({"inst:sercotec", "inst:gore-biobio"}))
    assert untied.cell("national", "regional").tied_pairs == 0
    regional_only = level_matrix(graph, keep=frozenset({"inst:gore-maule", "inst:gore-biobio"}))
    assert regional_only.levels == ["regional"]
    assert level_matrix(graph, keep=frozenset()).cells == []


def test_gaps_are_overlapping_pairs_without_ties_sharing_a_territory() -> None:
    untied = {(g.a, g.b) for g in find_gaps(_field(tied=False).graph())}
    assert ("inst:corfo", "inst:gore-biobio") in untied
    gaps = find_gaps(_field(tied=True).graph())
    found = {(g.a, g.b): g for g in gaps}
    assert ("inst:corfo", "inst:gore-biobio") not in found  # tied: not a gap
    assert ("inst:corfo", "inst:sercotec") in found
    # The two regional governments share a field but not a place.
    assert ("inst:gore-biobio", "inst:gore-maule") not in found
    anywhere = find_gaps(_field(tied=True).graph(), require_shared_territory=False)
    assert ("inst:gore-biobio", "inst:gore-maule") in {(g.a, g.b) for g in anywhere}
    gap = found[("inst:corfo", "inst:gore-maule")]
    assert gap.cross_level and gap.shared["territories"] == ["Maule"]
    assert any(r.startswith("both serve: smes") for r in gap.reasons)
    assert any(r.startswith("no coordination tie") for r in gap.reasons)
    assert [g.overlap for g in gaps] == sorted((g.overlap for g in gaps), reverse=True)
    assert find_gaps(_field(tied=True).graph(), min_overlap=1.0) == []


# --------------------------------------------------------------------------- brokers


def _barbell() -> GraphBuilder:
    """Four national and four local institutions in two cliques joined through one regional."""
    b = GraphBuilder()
    left = [b.institution(f"inst:n{k}", "national") for k in range(4)]
    right = [b.institution(f"inst:l{k}", "local") for k in range(4)]
    bridge = b.institution("inst:bridge", "regional")
    for clique in (left, right):
        for x, first in enumerate(clique):
            for second in clique[x + 1 :]:
                b.relate(first, "COORDINATES_WITH", second)
    b.relate("inst:n0", "COORDINATES_WITH", bridge)
    b.relate(bridge, "COORDINATES_WITH", "inst:l0")
    return b


def test_brokers_of_a_barbell_are_the_bridge_and_its_two_gates() -> None:
    brokers = find_brokers(_barbell().graph(), top=5)
    # The bridge is on the only path of every national-local pair (4 x 4); each gate on the
    # paths of its three clique mates to the bridge (3) and to the other clique (3 x 4).
    assert [(b.id, b.paths) for b in brokers] == [
        ("inst:bridge", 16.0),
        ("inst:l0", 15.0),
        ("inst:n0", 15.0),
    ]
    bridge = brokers[0]
    assert bridge.levels_connected == ["local", "national"] and bridge.degree == 2
    assert not bridge.sampled and bridge.evidence
    total_cross_pairs = 4 * 4 + 4 * 1 + 4 * 1
    assert bridge.score == pytest.approx(16 / total_cross_pairs)


def test_sampled_brokers_are_repeatable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coordination, "BROKER_EXACT_LIMIT", 3)
    monkeypatch.setattr(coordination, "BROKER_SAMPLE", 5)
    first = find_brokers(_barbell().graph())
    assert first and all(b.sampled for b in first)
    assert [b.model_dump() for b in first] == [
        b.model_dump() for b in find_brokers(_barbell().graph())
    ]


# --------------------------------------------------------------------------- paths


def test_paths_between_institutions_follow_ties_with_their_channels() -> None:
    g = _barbell().graph()
    path = find_path(g, "inst:n1", "inst:l2")
    assert [n.id for n in path.nodes] == ["inst:n1", "inst:n0", "inst:bridge", "inst:l0", "inst:l2"]
    assert path.graph == "ties" and path.length == 4
    assert all(step.relations == ["coordinates_with"] and step.evidence for step in path.steps)


def test_paths_to_other_entities_use_relations_and_absent_paths_are_none() -> None:
    g = _channels().graph()
    path = find_path(g, "inst:e", "inst:f")
    assert [n.id for n in path.nodes] == ["inst:e", "inst:f"]
    path = find_path(g, "inst:g", "instr:fondo")
    assert path.graph == "entities" and path.steps[0].relations == ["RESPONSIBLE_FOR"]
    assert path.steps[0].evidence[0].quote == "g es responsable"
    assert find_path(g, "inst:a", "inst:c") is None
    with pytest.raises(EntityNotFound, match="inst:nobody"):
        find_path(g, "inst:a", "inst:nobody")


def test_coordination_answers_are_repeatable() -> None:
    first = [t.model_dump() for t in find_ties(_field(tied=True).graph())]
    assert first == [t.model_dump() for t in find_ties(_field(tied=True).graph())]
    gaps = [g.model_dump() for g in find_gaps(_field(tied=False).graph())]
    assert gaps == [g.model_dump() for g in find_gaps(_field(tied=False).graph())]
