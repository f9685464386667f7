"""Overlap of institutions: profiles, explicit statements, filters, determinism."""

from __future__ import annotations

import pytest

from queries import overlap
from queries.overlap import EXPLICIT_BASE, WEIGHTS, find_overlaps
from queries.results import OverlapPair, OverlapResult
from tests.test_queries_profiles import GraphBuilder


def _field() -> GraphBuilder:
    """Chile with two regions; SME support at three levels, education apart."""
    b = GraphBuilder()
    b.territory("terr:chile", "country", name="Chile")
    b.territory("terr:biobio", "region", name="Región del Biobío")
    b.territory("terr:maule", "region", name="Región del Maule")
    b.territory("terr:concepcion", "commune", name="Concepción")
    b.relate("terr:biobio", "PART_OF", "terr:chile")
    b.relate("terr:maule", "PART_OF", "terr:chile")
    b.relate("terr:concepcion", "PART_OF", "terr:biobio")
    b.institution(
        "inst:corfo", "national", country="CL", objective="Fomento de la producción y la innovación"
    )
    b.institution(
        "inst:gore", "regional", country="CL", objective="Desarrollo regional y fomento productivo"
    )
    b.institution("inst:muni", "local", country="CL", kind="municipality")
    b.institution("inst:mineduc", "national", country="CL", objective="Educación de calidad")
    b.institution("inst:colectivo", None, country="CL", kind="collective")
    b.relate("inst:gore", "OPERATES_IN", "terr:biobio")
    b.relate("inst:muni", "OPERATES_IN", "terr:concepcion")
    b.relate("inst:corfo", "OPERATES_IN", "terr:chile")
    b.relate("inst:mineduc", "OPERATES_IN", "terr:chile")
    sme = {
        "themes": ["sme_development", "innovation"],
        "target_groups": ["smes"],
        "support_types": ["grant"],
    }
    b.instrument("instr:corfo-1", "Subsidio a la innovación en pymes", level="national", **sme)
    b.instrument("instr:gore-1", "Fondo regional de innovación para pymes", level="regional", **sme)
    b.instrument(
        "instr:muni-1",
        "Capacitación a emprendedores",
        level="local",
        themes=["entrepreneurship"],
        target_groups=["entrepreneurs"],
        support_types=["training"],
    )
    b.instrument(
        "instr:edu-1",
        "Becas para estudiantes",
        level="national",
        themes=["education"],
        target_groups=["students"],
        support_types=["scholarship"],
    )
    b.instrument(
        "instr:col-1", "Red de innovación de pymes", themes=["innovation"], target_groups=["smes"]
    )
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:corfo-1", "CORFO ejecuta el subsidio")
    b.relate("inst:gore", "RESPONSIBLE_FOR", "instr:gore-1", "el GORE administra el fondo")
    b.relate("inst:muni", "RESPONSIBLE_FOR", "instr:muni-1")
    b.relate("inst:mineduc", "RESPONSIBLE_FOR", "instr:edu-1")
    b.relate("inst:colectivo", "RESPONSIBLE_FOR", "instr:col-1")
    return b


def _pairs(result: OverlapResult) -> dict[tuple[str, str], OverlapPair]:
    return {(p.a, p.b): p for p in result.pairs}


def test_institutions_running_the_same_kind_of_instruments_overlap_most() -> None:
    result = find_overlaps(_field().graph(), top=20)
    best = result.pairs[0]
    assert (best.a, best.b) == ("inst:corfo", "inst:gore")
    assert best.shared["themes"] == ["innovation", "sme_development"]
    assert best.shared["target_groups"] == ["smes"]
    assert best.shared["support_types"] == ["grant"]
    assert best.shared["territories"] == ["Región del Biobío"]
    assert best.breakdown["territory"] == 1.0  # the whole of the GORE's region lies in Chile
    assert best.breakdown["themes"] == pytest.approx(1.0)
    assert best.breakdown["levels"] == 0.0  # national versus regional instruments
    assert not best.explicit
    assert {e.quote for e in best.evidence} == {
        "CORFO ejecuta el subsidio",
        "el GORE administra el fondo",
    }
    pairs = _pairs(result)
    education = pairs.get(("inst:corfo", "inst:mineduc"))
    assert education is None or education.score < best.score / 2
    for pair in result.pairs:
        assert pair.score == pytest.approx(
            sum(WEIGHTS[k] * pair.breakdown[k] for k in WEIGHTS), abs=1e-5
        )


def test_collective_actors_are_compared_like_any_institution() -> None:
    pairs = _pairs(find_overlaps(_field().graph(), top=20))
    collective = pairs[("inst:colectivo", "inst:gore")]
    assert collective.shared["themes"] == ["innovation"] and collective.shared["target_groups"] == [
        "smes"
    ]


def test_territory_share_is_partial_when_only_part_lies_inside() -> None:
    b = _field()
    b.relate("inst:muni", "OPERATES_IN", "terr:maule")  # one of its two places is in the Biobío
    pairs = _pairs(find_overlaps(b.graph(), top=20))
    assert pairs[("inst:gore", "inst:muni")].breakdown["territory"] == pytest.approx(0.5)
    assert pairs[("inst:corfo", "inst:muni")].breakdown["territory"] == 1.0


def test_an_explicit_statement_ranks_high_and_carries_its_evidence() -> None:
    b = _field()
    b.relate(
        "inst:mineduc", "OVERLAPS_WITH", "inst:muni", "existe duplicidad de funciones entre ambos"
    )
    result = find_overlaps(b.graph(), top=20)
    pair = _pairs(result)[("inst:mineduc", "inst:muni")]
    assert pair.explicit and pair.breakdown["explicit"] == 1.0
    assert pair.evidence[0].quote == "existe duplicidad de funciones entre ambos"
    computed = sum(WEIGHTS[k] * pair.breakdown[k] for k in WEIGHTS)
    assert pair.score == pytest.approx(EXPLICIT_BASE + (1 - EXPLICIT_BASE) * computed, abs=1e-5)
    assert result.pairs.index(pair) <= 1


def _either(pairs: dict[tuple[str, str], OverlapPair], a: str, b: str) -> OverlapPair | None:
    return pairs.get((a, b)) or pairs.get((b, a))


def test_a_statement_about_a_collective_holds_for_its_members_named_in_that_document() -> None:
    b = _field()
    b.institution("inst:gores", "regional", name="Gobiernos regionales", country="CL",
                  kind="collective", aliases=["gobierno regional"])
    b.institution("inst:gore-biobio", "regional", name="Gobierno Regional del Biobío",
                  country="CL")
    b.institution("inst:gore-maule", "regional", name="Gobierno Regional del Maule", country="CL")
    b.institution("inst:core-biobio", "regional", name="Consejo Regional del Biobío", country="CL")
    b.institution("inst:gore-peru", "regional", name="Gobierno Regional de Cusco", country="PE")
    b.institution("inst:sercotec", "national", name="Servicio de Cooperación Técnica",
                  country="CL")
    b.relate("inst:gores", "OVERLAPS_WITH", "inst:sercotec", "un traslape de competencias")
    for body in ("inst:gore-biobio", "inst:core-biobio", "inst:gore-peru"):
        b.relate(body, "OPERATES_IN", "terr:biobio")
    b.relate("inst:gore-maule", "OPERATES_IN", "terr:maule")
    b.relations[-1].evidence[0].document_id = "another-document"
    pairs = _pairs(find_overlaps(b.graph(), top=100))
    member = _either(pairs, "inst:gore-biobio", "inst:sercotec")
    assert member is not None and member.explicit and member.breakdown["explicit"] == 1.0
    assert member.evidence[0].quote == "un traslape de competencias"
    computed = sum(WEIGHTS[k] * member.breakdown[k] for k in WEIGHTS)
    assert member.score == pytest.approx(EXPLICIT_BASE + (1 - EXPLICIT_BASE) * computed, abs=1e-5)
    # named only in another document, another kind of body, another country: not members here
    for other in ("inst:gore-maule", "inst:core-biobio", "inst:gore-peru"):
        pair = _either(pairs, other, "inst:sercotec")
        assert pair is None or not pair.explicit, other


def test_filters_keep_level_pairs_countries_and_themes() -> None:
    b = _field()
    b.institution("inst:sebrae", "national", country="BR")
    b.instrument(
        "instr:sebrae-1", "Apoio a pequenas empresas", themes=["innovation"], target_groups=["smes"]
    )
    b.relate("inst:sebrae", "RESPONSIBLE_FOR", "instr:sebrae-1")
    g = b.graph()
    cross = find_overlaps(g, level_pair=("regional", "national")).pairs
    assert cross and all({p.level_a, p.level_b} == {"national", "regional"} for p in cross)
    chile = find_overlaps(g, country="Chile").pairs
    assert all("inst:sebrae" not in (p.a, p.b) for p in chile)
    assert any("inst:sebrae" in (p.a, p.b) for p in find_overlaps(g).pairs)
    themed = find_overlaps(g, theme="education").pairs
    assert themed == []  # a single institution works on education
    assert all(p.score >= 0.3 for p in find_overlaps(g, min_score=0.3).pairs)
    with pytest.raises(ValueError):
        find_overlaps(g, level_pair=("national",))


def test_pairs_that_share_nothing_are_not_listed() -> None:
    b = GraphBuilder()
    b.institution("inst:a", "national")
    b.institution("inst:b", "national")
    assert find_overlaps(b.graph()).pairs == []


def test_very_large_graphs_keep_each_institutions_best_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dense = find_overlaps(_field().graph(), top=20)
    monkeypatch.setattr(overlap, "DENSE_LIMIT", 2)
    monkeypatch.setattr(overlap, "NEIGHBOURS_KEPT", 4)  # every other institution: all pairs kept
    kept = find_overlaps(_field().graph(), top=20)
    assert not kept.exact and dense.exact
    assert [(p.a, p.b) for p in kept.pairs] == [(p.a, p.b) for p in dense.pairs]
    assert [p.score for p in kept.pairs] == pytest.approx([p.score for p in dense.pairs], abs=1e-6)


def test_two_runs_are_equal() -> None:
    assert (
        find_overlaps(_field().graph()).model_dump() == find_overlaps(_field().graph()).model_dump()
    )
