"""What both stores share: the checks of an extraction and the folding of its repeats."""

from __future__ import annotations

import pytest

from graph.model import Entity, Evidence, Mention, Relation, passage_id
from graph.stores.base import StoreError
from graph.stores.checks import check_count, check_extraction, level_ends
from graph.stores.incoming import (
    combine_entities,
    combine_relations,
    level_entity,
    referenced_ends,
)
from tests.store_contract import corfo, taller_extraction


def _evidence(start: int, quote: str, extractor: str = "trigger") -> Evidence:
    return Evidence(passage_id=passage_id("doc", 0, 100), document_id="doc", start=start,
                    end=start + len(quote), quote=quote, extractor=extractor)


def test_passages_of_another_document_are_refused_naming_the_file() -> None:
    extraction = taller_extraction()
    check_extraction(extraction)
    foreign = extraction.model_copy(deep=True)
    foreign.passages[0].document_id = "another-document"
    with pytest.raises(StoreError) as caught:
        check_extraction(foreign)
    assert str(caught.value) == (
        f"{extraction.document.path}: cannot store the extraction: passage "
        f"{foreign.passages[0].id!r} belongs to document 'another-document'"
    )


def test_only_five_problems_are_spelled_out() -> None:
    broken = taller_extraction().model_copy(deep=True)
    broken.mentions.extend(
        Mention(passage_id=f"nowhere:{k}-{k + 1}", entity_id=corfo().id, start=k, end=k + 1,
                text="L")
        for k in range(7)
    )
    with pytest.raises(StoreError, match=r"\(and 2 more\)$") as caught:
        check_extraction(broken)
    assert "nowhere:4-5" in str(caught.value) and "nowhere:5-6" not in str(caught.value)


def test_missing_ends_may_only_be_governance_levels() -> None:
    extraction = taller_extraction()
    assert level_ends(extraction, {"level:regional", "level:local"}) == [
        "level:local", "level:regional"
    ]
    assert level_ends(extraction, set()) == []
    with pytest.raises(StoreError) as caught:
        level_ends(extraction, {"level:regional", "inst:nadie", "level:galactic"})
    message = str(caught.value)
    assert message.startswith(extraction.document.path)
    assert message.endswith(
        "neither in the extraction nor in the store: inst:nadie, level:galactic"
    )
    many = {f"inst:{k:02d}" for k in range(12)}
    with pytest.raises(StoreError, match=r"inst:09 \.\.\.$"):
        level_ends(extraction, many)


def test_referenced_ends_are_those_outside_the_extractions_entities() -> None:
    extraction = taller_extraction()
    ends = {r.source for r in extraction.relations} | {r.target for r in extraction.relations}
    ends |= {m.entity_id for m in extraction.mentions}
    assert referenced_ends(extraction, {}) == ends
    assert referenced_ends(extraction, {e.id: e for e in extraction.entities}) == ends - {
        e.id for e in extraction.entities
    }


def test_level_entity_is_the_governance_level_node() -> None:
    level = level_entity("level:local")
    assert (level.id, level.label, level.level, level.name, level.source) == (
        "level:local", "GovernanceLevel", "local", "Local", "ontology"
    )


def test_repeated_entities_are_absorbed_into_a_copy() -> None:
    first = Entity(id="inst:corfo", label="Institution",
                   name="Corporación de Fomento de la Producción", country="CL")
    second = first.model_copy(update={"aliases": ["CORFO"], "level": "national"})
    alone = Entity(id="inst:sercotec", label="Institution",
                   name="Servicio de Cooperación Técnica", country="CL")
    combined = combine_entities([first, alone, second])
    assert list(combined) == [first.id, alone.id]
    assert combined[alone.id] is alone  # seen once: not copied
    assert "CORFO" in combined[first.id].aliases and combined[first.id].level == "national"
    assert first.aliases == [] and first.level is None  # the input is untouched


def test_repeated_relations_fold_their_evidence_and_properties_into_a_copy() -> None:
    forward = Relation(source="inst:a", type="COORDINATES_WITH", target="inst:b",
                       properties={"rol": "socio"}, evidence=[_evidence(0, "x")])
    backward = Relation(source="inst:b", type="COORDINATES_WITH", target="inst:a",
                        properties={"rol": "otro", "fecha": "2020"},
                        evidence=[_evidence(0, "x"), _evidence(5, "y")])
    alone = Relation(source="inst:a", type="FUNDS", target="instr:c",
                     evidence=[_evidence(9, "z")])
    combined = combine_relations([forward, alone, backward])
    assert list(combined) == [forward.id, alone.id]
    assert [e.start for e in combined[forward.id].evidence] == [0, 5]
    assert combined[forward.id].properties == {"rol": "socio", "fecha": "2020"}
    assert combined[alone.id] is alone
    assert len(forward.evidence) == 1 and forward.properties == {"rol": "socio"}


def test_a_relation_holding_the_same_evidence_twice_keeps_it_once() -> None:
    repeated = Relation(source="inst:a", type="FUNDS", target="instr:c",
                        evidence=[_evidence(0, "x"), _evidence(0, "x"), _evidence(0, "x", "table")])
    combined = combine_relations([repeated])[repeated.id]
    assert [(e.start, e.extractor) for e in combined.evidence] == [(0, "trigger"), (0, "table")]
    assert len(repeated.evidence) == 3


def test_counts_are_zero_or_more() -> None:
    assert check_count("limit", 0) == 0 and check_count("offset", 7) == 7
    with pytest.raises(ValueError, match="offset must be zero or more, not -1"):
        check_count("offset", -1)
