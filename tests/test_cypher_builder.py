"""Cypher builders accept only the ontology's labels and types; values are always parameters."""

from __future__ import annotations

import re

import pytest

from graph.stores import cypher
from graph.vocab import LABELS, RELATION_TYPES

LABEL_BUILDERS = [cypher.unique_label_id, cypher.entities_with_label, cypher.upsert_entities]
TYPE_BUILDERS = [cypher.relation_id_index, cypher.relations_by_id, cypher.create_relations]

INJECTION_PAYLOADS = [
    "Institution) DETACH DELETE n //",
    "Institution`) DETACH DELETE n //",
    "`Institution`",
    "Institution:Person",
    "Institution {id: 'x'}",
    "Institution\nMATCH (m) DETACH DELETE m",
    "AT_LEVEL]->() DETACH DELETE r //",
    "AT_LEVEL|PART_OF",
    "institution",
    "INSTITUTION",
    " Institution",
    "",
    "Entity",     # a store label, not an ontology label: builders must not take it either
    "MENTIONS",   # a store relationship type, likewise
]

# The only literals a statement may hold: fixed index names and the analyzer's name.
ALLOWED_STRING_LITERALS = {
    "'entity_names'", "'passage_text'", "'standard-folding'",
}
ALLOWED_NUMBER_LITERALS = {"0", "1"}

STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
NUMBER_LITERAL = re.compile(r"(?<![\w$.`])\d+(?:\.\d+)?(?![\w])")


@pytest.mark.parametrize("builder", LABEL_BUILDERS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("payload", INJECTION_PAYLOADS)
def test_label_builders_refuse_anything_outside_the_ontology(builder, payload):
    with pytest.raises(ValueError, match="unknown label"):
        builder(payload)


@pytest.mark.parametrize("builder", TYPE_BUILDERS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("payload", INJECTION_PAYLOADS)
def test_type_builders_refuse_anything_outside_the_ontology(builder, payload):
    with pytest.raises(ValueError, match="unknown relationship type"):
        builder(payload)


@pytest.mark.parametrize("builder", TYPE_BUILDERS, ids=lambda b: b.__name__)
def test_type_builders_refuse_labels(builder):
    with pytest.raises(ValueError):
        builder("Institution")


@pytest.mark.parametrize("builder", LABEL_BUILDERS, ids=lambda b: b.__name__)
def test_label_builders_refuse_relationship_types(builder):
    with pytest.raises(ValueError):
        builder("AT_LEVEL")


@pytest.mark.parametrize("builder", LABEL_BUILDERS, ids=lambda b: b.__name__)
def test_label_builders_vary_only_in_the_label(builder):
    shapes = {
        builder(label).replace(label, "<L>").replace(label.lower(), "<l>") for label in LABELS
    }
    assert len(shapes) == 1, shapes
    assert all(f":{label}" in builder(label) for label in LABELS)


@pytest.mark.parametrize("builder", TYPE_BUILDERS, ids=lambda b: b.__name__)
def test_type_builders_vary_only_in_the_type(builder):
    shapes = {
        builder(t).replace(t, "<T>").replace(t.lower(), "<t>") for t in RELATION_TYPES
    }
    assert len(shapes) == 1, shapes
    assert all(f":{t}" in builder(t) for t in RELATION_TYPES)


def test_all_statements_expand_every_builder_for_the_whole_ontology():
    statements = cypher.all_statements()
    for builder in LABEL_BUILDERS:
        for label in LABELS:
            assert statements[f"{builder.__name__}[{label}]"] == builder(label)
    for builder in TYPE_BUILDERS:
        for rel_type in RELATION_TYPES:
            assert statements[f"{builder.__name__}[{rel_type}]"] == builder(rel_type)


def test_all_statements_hold_every_statement_constant_and_nothing_else():
    statements = cypher.all_statements()
    for name in ("UNIQUE_ENTITY_ID", "ENTITY_NAMES_FULLTEXT", "AWAIT_INDEXES", "BUMP_REVISION",
                 "UPSERT_PASSAGES", "SEARCH_ENTITIES_FULLTEXT", "LIST_MERGE_CANDIDATES"):
        assert statements[name] == getattr(cypher, name)
    for name in ("ENTITY", "DOCUMENT", "ENTITY_NAMES_INDEX", "FULLTEXT_ANALYZER"):
        assert name not in statements


def test_schema_statements_are_all_listed_for_the_linter():
    listed = set(cypher.all_statements().values())
    assert set(cypher.schema_statements()) <= listed


@pytest.mark.parametrize("name", sorted(cypher.all_statements()))
def test_values_only_travel_as_parameters(name):
    text = cypher.all_statements()[name]
    strings = set(STRING_LITERAL.findall(text))
    assert strings <= ALLOWED_STRING_LITERALS, f"{name} formats values in: {strings}"
    numbers = set(NUMBER_LITERAL.findall(text))
    assert numbers <= ALLOWED_NUMBER_LITERALS, f"{name} formats values in: {numbers}"


def test_literal_checks_catch_formatted_values():
    # The scanners above must see a value formatted into a statement.
    formatted = "MATCH (e:Entity {id: 'inst:corfo'}) RETURN e LIMIT 50"
    assert STRING_LITERAL.findall(formatted) == ["'inst:corfo'"]
    assert NUMBER_LITERAL.findall(formatted) == ["50"]
    parameterised = "MATCH (e:Entity {id: $id}) RETURN e LIMIT $limit"
    assert not STRING_LITERAL.findall(parameterised)
    assert not NUMBER_LITERAL.findall(parameterised)


def test_statements_that_take_rows_or_ids_unwind_parameters():
    for name, text in cypher.all_statements().items():
        if text.startswith("UNWIND"):
            assert re.match(r"UNWIND \$\w+ AS \w+ ", text), name
