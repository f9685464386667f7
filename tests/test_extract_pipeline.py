"""The extraction pipeline end to end (extract_text, extract_document) over the Spanish
fixtures in tests/fixtures/extract/: evidence offsets, passages, relations from trigger
phrases, acronyms, levels, the running-header organisation, determinism.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import Entity, Extraction
from loaders.document import Document
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.extract.pipeline import extract_document
from loaders.read import read
from tests.fixtures.invented import extract_invented
from tests.fixtures.invented import relation_pairs as pairs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
FIXTURE_FILES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md"))
SERVICIO = "Servicio Regional de Fomento Lacustre"
MUNI = "Municipalidad de Puerto Aldana"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


@pytest.fixture(scope="module")
def extractions(lexicon: Lexicon) -> dict[str, Extraction]:
    return {name: extract_document(read(FIXTURES / name), lexicon) for name in FIXTURE_FILES}


def extract(raw: str, lexicon: Lexicon) -> Extraction:
    return extract_invented(raw, lexicon, "txt")


def by_name(extraction: Extraction) -> dict[str, Entity]:
    return {e.name: e for e in extraction.entities}



# --- invariants over every fixture -----------------------------------------------------------


def test_there_are_fixtures_of_both_formats() -> None:
    assert {Path(n).suffix for n in FIXTURE_FILES} == {".txt", ".md"}
    assert len(FIXTURE_FILES) >= 6


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_evidence_quote_is_the_document_text_at_its_offsets(
    name: str, extractions: dict[str, Extraction]
) -> None:
    extraction = extractions[name]
    text = extraction.document.text
    assert extraction.relations or name in ("informe_paginado.txt", "siglas.txt")
    passage_ids = {p.id for p in extraction.passages}
    for rel in extraction.relations:
        assert rel.evidence, f"{rel.id} has no evidence"
        for ev in rel.evidence:
            assert 0 <= ev.start < ev.end <= len(text)
            assert text[ev.start : ev.end] == ev.quote, rel.id
            assert ev.document_id == extraction.document.id
            assert ev.passage_id in passage_ids
            assert 0.0 < ev.confidence <= 1.0


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_mention_is_the_document_text_at_its_offsets(
    name: str, extractions: dict[str, Extraction]
) -> None:
    extraction = extractions[name]
    text = extraction.document.text
    passages = {p.id: p for p in extraction.passages}
    entity_ids = {e.id for e in extraction.entities}
    assert extraction.mentions
    for mention in extraction.mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.entity_id in entity_ids
        passage = passages[mention.passage_id]
        assert passage.start <= mention.start < passage.end


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_passages_are_the_document_text_at_their_offsets(
    name: str, extractions: dict[str, Extraction]
) -> None:
    extraction = extractions[name]
    text = extraction.document.text
    assert extraction.passages
    for passage in extraction.passages:
        assert text[passage.start : passage.end] == passage.text
        assert passage.document_id == extraction.document.id


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_entity_ids_are_unique_and_relations_join_known_entities(
    name: str, extractions: dict[str, Extraction]
) -> None:
    extraction = extractions[name]
    ids = [e.id for e in extraction.entities]
    assert len(ids) == len(set(ids))
    relation_ids = [r.id for r in extraction.relations]
    assert len(relation_ids) == len(set(relation_ids))
    for rel in extraction.relations:
        assert rel.source in ids and rel.target in ids and rel.source != rel.target


def test_extraction_is_deterministic(lexicon: Lexicon) -> None:
    doc = read(FIXTURES / "relaciones.txt")
    first = extract_document(doc, lexicon).model_dump()
    second = extract_document(doc, lexicon).model_dump()
    assert first == second


def test_document_metadata_comes_from_the_read_document(
    extractions: dict[str, Extraction],
) -> None:
    doc = read(FIXTURES / "siglas.txt")
    info = extractions["siglas.txt"].document
    assert info.id == doc.sha256
    assert info.path == doc.path
    assert info.format == "txt"
    assert info.title


def test_a_document_without_text_gives_a_warning_and_nothing_else(lexicon: Lexicon) -> None:
    doc = Document(path="vacio.txt", format="txt", sha256="0" * 64, text=" \n\n \f\n")
    extraction = extract_document(doc, lexicon)
    assert extraction.entities == [] and extraction.relations == []
    assert extraction.warnings == ["no text to extract"]


# --- layout reaches the graph ---------------------------------------------------------------


def test_an_organisation_named_only_in_the_running_header_is_kept(
    extractions: dict[str, Extraction],
) -> None:
    extraction = extractions["informe_paginado.txt"]
    text = extraction.document.text
    corp = by_name(extraction)["Corporación Regional de Desarrollo del Litoral"]
    spans = [(m.start, m.end) for m in extraction.mentions if m.entity_id == corp.id]
    assert len(spans) == 1
    assert spans[0][0] > text.index("durante todo el año")
    assert {SERVICIO, MUNI} <= set(by_name(extraction))


# --- relations from trigger phrases --------------------------------------------------------


@pytest.fixture(scope="module")
def relaciones(extractions: dict[str, Extraction]) -> Extraction:
    return extractions["relaciones.txt"]


def test_en_coordinacion_con_ties_the_two_institutions(relaciones: Extraction) -> None:
    ties = {frozenset(p) for p in pairs(relaciones, "COORDINATES_WITH")}
    assert ties == {frozenset((SERVICIO, MUNI))}


def test_financiado_por_makes_the_funder_fund_the_instrument(relaciones: Extraction) -> None:
    assert pairs(relaciones, "FUNDS") == {
        ("Banco Interamericano de Desarrollo", "Fondo de Caletas Sustentables")
    }


def test_ejecutado_por_makes_the_institution_responsible(relaciones: Extraction) -> None:
    assert pairs(relaciones, "RESPONSIBLE_FOR") == {
        ("Cámara de Turismo de Bahía Serena", "Programa de Turismo Costero")
    }


def test_con_participacion_de_makes_the_member_participate_in_the_body(
    relaciones: Extraction,
) -> None:
    assert pairs(relaciones, "PARTICIPATES_IN") == {(MUNI, "Comité Regional de Pesca Artesanal")}


def test_two_institutions_without_a_trigger_are_not_related(relaciones: Extraction) -> None:
    names = {"Gobierno Regional de Tierras Altas", "Organización Latinoamericana de Pesca"}
    assert names <= set(by_name(relaciones))
    for rel_type in ("COORDINATES_WITH", "PARTICIPATES_IN", "RESPONSIBLE_FOR", "FUNDS"):
        for pair in pairs(relaciones, rel_type):
            assert set(pair) != names


def test_trigger_evidence_is_the_whole_sentence(relaciones: Extraction) -> None:
    passages = {p.id: p for p in relaciones.passages}
    for rel in relaciones.relations:
        for ev in rel.evidence:
            if ev.extractor == "trigger":
                passage = passages[ev.passage_id]
                assert (ev.start, ev.end) == (passage.start, passage.end)


def test_trigger_relations_in_a_sentence_of_their_own(lexicon: Lexicon) -> None:
    raw = (
        "La Agencia Costera de Fomento trabaja en conjunto con la Fundación Mar Azul.\n"
        "El Plan de Caletas Limpias, administrado por la Agencia Costera de Fomento, "
        "comenzó en marzo.\n"
    )
    extraction = extract(raw, lexicon)
    ties = {frozenset(p) for p in pairs(extraction, "COORDINATES_WITH")}
    assert ties == {frozenset(("Agencia Costera de Fomento", "Fundación Mar Azul"))}
    assert pairs(extraction, "RESPONSIBLE_FOR") == {
        ("Agencia Costera de Fomento", "Plan de Caletas Limpias")
    }


# --- acronyms ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def siglas(extractions: dict[str, Extraction]) -> Extraction:
    return extractions["siglas.txt"]


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        (SERVICIO, "SERFOLA"),
        ("Asociación de Criadores de Ikuna del Pacífico", "ACIP"),
        ("Consejo Andino de Pesca Artesanal", "CAPA"),
    ],
)
def test_acronym_definitions_give_one_entity_with_its_acronym(
    siglas: Extraction, name: str, acronym: str
) -> None:
    entity = by_name(siglas)[name]
    assert entity.acronym == acronym
    assert acronym in entity.aliases
    assert not [e for e in siglas.entities if e.name == acronym]


def test_a_bare_acronym_later_in_the_text_mentions_the_defined_entity(siglas: Extraction) -> None:
    text = siglas.document.text
    later = text.index("En la segunda ronda")
    ids = {e.acronym: e.id for e in siglas.entities if e.acronym}
    late_mentions = {(m.text, m.entity_id) for m in siglas.mentions if m.start > later}
    assert ("SERFOLA", ids["SERFOLA"]) in late_mentions
    assert ("ACIP", ids["ACIP"]) in late_mentions


def test_one_acronym_defined_with_two_long_forms_is_one_entity(lexicon: Lexicon) -> None:
    raw = (
        "La creación del Centro Digital de Datos Costeros (CEDACO) facilitó el análisis.\n"
        "Más adelante, el Centro de Datos de la Costa (CEDACO) amplió su base de datos.\n"
    )
    institutions = [e for e in extract(raw, lexicon).entities if e.label == "Institution"]
    assert len(institutions) == 1
    assert institutions[0].acronym == "CEDACO"
    assert {"Centro Digital de Datos Costeros", "Centro de Datos de la Costa"} <= (
        institutions[0].names()
    )


# --- levels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Gobierno Regional de Tierras Altas", "regional"),
        ("Comité Regional de Pesca Artesanal", "regional"),
        (MUNI, "local"),
        ("Ministerio de Pesca y Acuicultura", "national"),
        ("Organización Latinoamericana de Pesca", "supranational"),
        ("Banco Interamericano de Desarrollo", "supranational"),
    ],
)
def test_levels_of_institutions(relaciones: Extraction, name: str, level: str) -> None:
    assert by_name(relaciones)[name].level == level


def test_an_instrument_takes_the_level_of_its_responsible(lexicon: Lexicon) -> None:
    raw = (
        "El Plan de Caletas Limpias es ejecutado por la Municipalidad de Puerto Aldana.\n"
        "El Fondo Regional de Caletas es administrado por el Gobierno Regional de Tierras Altas.\n"
    )
    found = by_name(extract(raw, lexicon))
    assert found["Plan de Caletas Limpias"].level == "local"
    assert found["Fondo Regional de Caletas"].level == "regional"


def test_one_international_funder_does_not_make_local_actors_supranational(
    lexicon: Lexicon,
) -> None:
    raw = (
        "El Fondo de Caletas Sustentables es financiado por el Banco Interamericano de "
        "Desarrollo.\n"
        "La Cámara de Turismo de Bahía Serena organiza la feria anual de la caleta.\n"
    )
    assert by_name(extract(raw, lexicon))["Cámara de Turismo de Bahía Serena"].level != (
        "supranational"
    )


def test_territories_carry_no_level(extractions: dict[str, Extraction]) -> None:
    for extraction in extractions.values():
        for entity in extraction.entities:
            if entity.label in ("Territory", "Person"):
                assert entity.level is None, entity.name


def test_components_listed_under_an_activity_become_its_description(lexicon: Lexicon) -> None:
    raw = (
        "Objetivo\tActividades\tResponsable\tCorresponsable\n"
        "4. Apoyar a las caletas\t4.1 Generar un marco analítico sobre la pesca artesanal"
        " – Estudio de los retos de las mipymes pesqueras – Taller con sindicatos"
        " 4.2 Publicar un boletín\tMunicipalidad de Puerto Aldana\tNo se aplica\n"
    )
    found = {e.code: e for e in extract(raw, lexicon).entities if e.code}
    first, second = found["4.1"], found["4.2"]
    assert first.name == "Generar un marco analítico sobre la pesca artesanal"
    assert first.description == (
        "Estudio de los retos de las mipymes pesqueras; Taller con sindicatos"
    )
    assert "smes" in first.target_groups  # facets read the description too
    assert second.description is None
