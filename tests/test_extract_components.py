"""The extraction components one by one: the registry composes them by name, and each
component does its own job, seen by running the pipeline with and without it (or by the state
it leaves), over Spanish text written in the test and the fixtures of tests/fixtures/extract/.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

import pytest

from graph.model import DocumentInfo, Extraction
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.extract.pipeline import COMPONENTS, Pipeline, extract_text
from loaders.extract.registry import UnknownComponent, component, compose, registered
from loaders.extract.state import ExtractionState
from tests.fixtures.invented import relation_pairs as pairs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


def info(raw: str) -> DocumentInfo:
    return DocumentInfo(
        id=hashlib.sha256(raw.encode()).hexdigest(), title="t", path="t.txt", format="txt"
    )


def run(raw: str, lexicon: Lexicon, names: Iterable[str] = COMPONENTS) -> ExtractionState:
    """The state after the named components ran (a pipeline that may stop before finish)."""
    state = ExtractionState(info(raw), raw, lexicon)
    for comp in compose(names):
        comp.run(state)
        if state.result is not None:
            break
    return state


def until(name: str) -> list[str]:
    """The components up to and including ``name``."""
    return list(COMPONENTS[: COMPONENTS.index(name) + 1])


def without(*names: str) -> list[str]:
    return [n for n in COMPONENTS if n not in names]


def extract(raw: str, lexicon: Lexicon, names: Iterable[str] = COMPONENTS) -> Extraction:
    return Pipeline(names)(info(raw), raw, lexicon)



def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- the registry -------------------------------------------------------------------------------


def test_every_component_of_the_pipeline_is_registered_in_a_module_of_its_own() -> None:
    components = registered()
    assert set(COMPONENTS) <= set(components)
    modules = [components[n].run.__module__ for n in COMPONENTS]
    assert len(set(modules)) == len(COMPONENTS)
    assert all(m.startswith("loaders.extract.components.") for m in modules)
    assert all(components[n].description for n in COMPONENTS)


def test_the_default_pipeline_is_the_composition_of_the_registered_components(
    lexicon: Lexicon,
) -> None:
    raw = fixture("relaciones.txt")
    assert Pipeline().names == list(COMPONENTS)
    assert extract(raw, lexicon) == extract_text(info(raw), raw, lexicon)


def test_unknown_names_and_pipelines_without_finish_are_refused() -> None:
    with pytest.raises(UnknownComponent, match="no_such_step"):
        Pipeline([*COMPONENTS[:-1], "no_such_step", "finish"])
    with pytest.raises(ValueError, match="finish"):
        Pipeline(COMPONENTS[:-1])


def test_a_name_is_registered_once() -> None:
    @component("test_registered_once")
    def first(state: ExtractionState) -> None:
        """Does nothing."""

    with pytest.raises(ValueError, match="already registered"):

        @component("test_registered_once")
        def second(state: ExtractionState) -> None:
            """Does nothing either."""


def test_a_component_of_ones_own_runs_in_its_place_on_the_shared_state(
    lexicon: Lexicon,
) -> None:
    seen: list[int] = []

    @component("test_count_candidates")
    def count_candidates(state: ExtractionState) -> None:
        """Records how many candidates the earlier components kept."""
        seen.append(len(state.base))

    raw = fixture("relaciones.txt")
    names = [*until("overlaps"), "test_count_candidates", *COMPONENTS[len(until("overlaps")):]]
    result = extract(raw, lexicon, names)
    assert seen == [len(run(raw, lexicon, until("overlaps")).base)]
    assert seen[0] > 0
    assert result == extract(raw, lexicon)


# --- each component -----------------------------------------------------------------------------


def test_layout_cleans_the_text_and_an_empty_document_stops_there(lexicon: Lexicon) -> None:
    raw = "P R E S E N T A C I Ó N\n\nEl Ministerio de Pesca y Acuicultura revisó las cuotas.\n"
    state = run(raw, lexicon, until("layout"))
    assert "PRESENTACIÓN" in state.document.text
    assert state.ctx.text == state.document.text
    empty = run("  \n\n ", lexicon)
    assert empty.result is not None
    assert empty.result.warnings == ["no text to extract"]
    assert empty.ctx.passages == []  # segmentation never ran


def test_segmentation_cuts_passages_that_are_the_text_at_their_offsets(
    lexicon: Lexicon,
) -> None:
    raw = "Primera oración del informe. Segunda oración del informe.\n\nOtro párrafo aquí.\n"
    assert run(raw, lexicon, until("layout")).ctx.passages == []
    state = run(raw, lexicon, until("segmentation"))
    assert len(state.ctx.passages) >= 2
    for p in state.ctx.passages:
        assert state.text[p.start : p.end] == p.text


def test_gazetteer_finds_known_names(lexicon: Lexicon) -> None:
    raw = "La Comisión Económica para América Latina y el Caribe publicó el informe.\n"
    assert lexicon.lookup("Comisión Económica para América Latina y el Caribe") is not None
    state = run(raw, lexicon, until("gazetteer"))
    names = {state.text[c.start : c.end] for c in state.gazetteer}
    assert "Comisión Económica para América Latina y el Caribe" in names
    assert all(c.source == "gazetteer" for c in state.gazetteer)


def test_patterns_find_names_by_their_head_nouns_and_laws(lexicon: Lexicon) -> None:
    raw = (
        "El Servicio Regional de Fomento Lacustre aplica la Ley N° 20.416 en la zona.\n"
        "El «Programa Caletas Vivas» comenzó en marzo.\n"
    )
    state = run(raw, lexicon, until("patterns"))
    assert "Servicio Regional de Fomento Lacustre" in {c.name for c in state.patterns}
    assert any("20.416" in c.name for c in state.laws)
    assert run(raw, lexicon, until("gazetteer")).patterns == []


def test_places_keep_an_unknown_place_the_text_locates_in_a_country(lexicon: Lexicon) -> None:
    raw = "La reunión fue celebrada en Puerto Aldana (Chile) durante tres días.\n"
    assert lexicon.lookup("Puerto Aldana") is None
    state = run(raw, lexicon, until("places"))
    places = [c for c in state.gazetteer if c.name == "Puerto Aldana"]
    assert [(c.label, c.country) for c in places] == [("Territory", "CL")]
    assert not [c for c in run(raw, lexicon, until("patterns")).gazetteer
                if c.name == "Puerto Aldana"]
    territories = {e.name for e in extract(raw, lexicon).entities if e.label == "Territory"}
    assert "Puerto Aldana" in territories
    assert "Puerto Aldana" not in {
        e.name for e in extract(raw, lexicon, without("places")).entities}


def test_overlaps_keep_one_candidate_per_stretch_of_text(lexicon: Lexicon) -> None:
    state = run(fixture("relaciones.txt"), lexicon, until("overlaps"))
    spans = sorted((c.start, c.end) for c in state.base)
    assert spans
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start
    found = {id(c) for c in [*state.gazetteer, *state.laws, *state.quoted, *state.patterns,
                             *state.marked, *state.section_items, *state.named, *state.objects]}
    assert {id(c) for c in state.base} <= found


def test_acronyms_give_the_long_form_its_acronym(lexicon: Lexicon) -> None:
    raw = "La Agencia de Fomento Apícola del Sur (AFAS) abrió su convocatoria en abril.\n"
    acronyms = {e.name: e.acronym for e in extract(raw, lexicon).entities}
    assert acronyms.get("Agencia de Fomento Apícola del Sur") == "AFAS"
    without_it = {e.name: e.acronym for e in extract(raw, lexicon, without("acronyms")).entities}
    assert without_it.get("Agencia de Fomento Apícola del Sur") is None


def test_entities_turn_candidates_into_entities_but_not_inside_a_speakers_name(
    lexicon: Lexicon,
) -> None:
    raw = fixture("taller_panel.md")
    before = run(raw, lexicon, until("acronyms"))
    after = run(raw, lexicon, until("entities"))
    assert before.ctx.builders == {}
    assert after.ctx.builders
    names = [(ln.name_start, ln.name_end) for ln in after.speaker_lines]
    assert names
    for c in after.base:
        assert not any(s <= c.start and c.end <= e for s, e in names)


def test_bare_acronyms_are_later_mentions_of_the_defined_entity(lexicon: Lexicon) -> None:
    raw = fixture("siglas.txt")
    later = raw.index("En la segunda ronda")

    def late_acronyms(extraction: Extraction) -> set[str]:
        text = extraction.document.text
        start = text.index("En la segunda ronda")
        return {m.text for m in extraction.mentions if m.start > start and m.text.isupper()}

    assert later > 0
    assert "SERFOLA" in late_acronyms(extract(raw, lexicon))
    assert "SERFOLA" not in late_acronyms(extract(raw, lexicon, without("bare_acronyms")))


def test_speakers_make_people_affiliated_with_their_institutions(lexicon: Lexicon) -> None:
    raw = fixture("taller_panel.md")
    affiliations = pairs(extract(raw, lexicon), "AFFILIATED_WITH")
    assert ("Marta Quiroga Lillo", "Servicio Regional de Fomento Lacustre") in affiliations
    no_speakers = extract(raw, lexicon, without("speakers"))
    assert pairs(no_speakers, "AFFILIATED_WITH") == set()
    assert not [e for e in no_speakers.entities if e.label == "Person"]


def test_headings_place_coded_items_under_their_parent_code(lexicon: Lexicon) -> None:
    raw = (
        "PROYECTO 1. Caletas vivas del litoral\n\n"
        "Actividad 1.1 Diagnóstico de caletas del litoral\n\n"
        "Actividad 1.2 Talleres para pescadores\n"
    )
    found = extract(raw, lexicon)
    by_code = {e.code: e.name for e in found.entities if e.code}
    assert set(by_code) == {"1", "1.1", "1.2"}
    assert pairs(found, "PART_OF") == {(by_code["1.1"], by_code["1"]),
                                       (by_code["1.2"], by_code["1"])}
    assert pairs(extract(raw, lexicon, without("headings")), "PART_OF") == set()


def test_tables_read_responsible_and_co_responsible_columns(lexicon: Lexicon) -> None:
    raw = fixture("plan_accion.txt")
    found = extract(raw, lexicon)
    responsible = pairs(found, "RESPONSIBLE_FOR")
    assert any(a == "Servicio Regional de Fomento Lacustre" for a, _ in responsible)
    assert any(a == "Municipalidad de Puerto Aldana" for a, _ in pairs(found, "CO_RESPONSIBLE_FOR"))
    no_tables = extract(raw, lexicon, without("tables"))
    assert pairs(no_tables, "CO_RESPONSIBLE_FOR") == set()


def test_unit_parents_make_a_unit_part_of_its_owner(lexicon: Lexicon) -> None:
    owner = "Comisión Económica para América Latina y el Caribe"
    assert lexicon.lookup(owner) is not None  # a unit is cut from a name it swallowed
    raw = f"La Unidad de Estudios de la {owner} publicó el informe.\n"
    found = extract(raw, lexicon)
    # the unit is named with its owner (another body has a "Unidad de Estudios" too) and
    # keeps its own words as an alias
    unit = f"Unidad de Estudios de la {owner}"
    assert (unit, owner) in pairs(found, "PART_OF")
    assert any(e.name == unit and "Unidad de Estudios" in e.aliases for e in found.entities)
    assert pairs(extract(raw, lexicon, without("unit_parents")), "PART_OF") == set()


def test_sentences_read_trigger_phrases(lexicon: Lexicon) -> None:
    raw = fixture("relaciones.txt")
    ties = {frozenset(p) for p in pairs(extract(raw, lexicon), "COORDINATES_WITH")}
    assert frozenset(("Servicio Regional de Fomento Lacustre",
                      "Municipalidad de Puerto Aldana")) in ties
    no_sentences = extract(raw, lexicon, without("sentences"))
    for rel_type in ("COORDINATES_WITH", "FUNDS", "PARTICIPATES_IN"):
        assert pairs(no_sentences, rel_type) == set()


def test_territories_named_in_an_institution_name(lexicon: Lexicon) -> None:
    raw = "El Gobierno Regional de Valparaíso aprobó el presupuesto anual.\n"
    territories = {t for (_, t) in pairs(extract(raw, lexicon), "OPERATES_IN")}
    assert any("Valparaíso" in t for t in territories)
    assert pairs(extract(raw, lexicon, without("territories")), "OPERATES_IN") == set()


def test_coverage_places_an_ordinance_where_its_issuing_council_governs(
    lexicon: Lexicon,
) -> None:
    """The council that approved a regional ordinance is its issuer; the ordinance COVERS the
    region of the council's government. A national issuer places its instrument nowhere."""
    raw = (
        "ORDENANZA REGIONAL N° 004-2024-GR-PUNO/CR\n\nEL CONSEJO REGIONAL DEL GOBIERNO "
        "REGIONAL DE PUNO\n\nHA APROBADO LA ORDENANZA REGIONAL SIGUIENTE:\n\nArtículo "
        "Primero.- DECLARAR de interés regional la artesanía del Consejo Regional del Gobierno "
        "Regional de Puno.\n\nArtículo Segundo.- PUBLICAR la presente ordenanza.\n\nArtículo "
        "Tercero.- ENCARGAR a la Gerencia Regional de Desarrollo Económico del Gobierno "
        "Regional de Puno su cumplimiento.\n"
    )
    covered = pairs(extract(raw, lexicon), "COVERS")
    assert covered == {("Ordenanza Regional N° 004-2024-GR-PUNO/CR", "Puno")}
    assert pairs(extract(raw, lexicon, without("coverage")), "COVERS") == set()
    national = raw.replace("ORDENANZA REGIONAL N° 004-2024-GR-PUNO/CR", "LEY N° 99999").replace(
        "EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE PUNO", "EL CONGRESO DE LA REPÚBLICA")
    assert pairs(extract(national, lexicon), "COVERS") == set()


def test_named_levels_read_a_country_at_the_end_of_a_name(lexicon: Lexicon) -> None:
    raw = "La Cámara de Exportadores de Costa Rica presentó su informe anual.\n"
    name = "Cámara de Exportadores de Costa Rica"
    entity = {e.name: e for e in extract(raw, lexicon).entities}[name]
    assert (entity.level, entity.country) == ("national", "CR")
    plain = {e.name: e for e in extract(raw, lexicon, without("named_levels")).entities}[name]
    assert plain.country != "CR"


def test_short_forms_join_the_longer_name(lexicon: Lexicon) -> None:
    raw = (
        "La Mesa Directiva del Consejo de Fomento Lacustre aprobó el plan.\n"
        "La Mesa Directiva sesionará cada tres meses.\n"
    )
    full = [e.name for e in extract(raw, lexicon).entities if e.name.startswith("Mesa Directiva")]
    plain = [e.name for e in extract(raw, lexicon, without("short_forms")).entities
             if e.name.startswith("Mesa Directiva")]
    assert len(full) == 1
    assert len(plain) == 2


def test_levels_settle_the_level_of_institutions_from_their_names(lexicon: Lexicon) -> None:
    raw = fixture("relaciones.txt")
    levels = {e.name: e.level for e in extract(raw, lexicon).entities}
    assert levels["Municipalidad de Puerto Aldana"] == "local"
    assert levels["Ministerio de Pesca y Acuicultura"] == "national"
    unsettled = {e.name: e.level for e in extract(raw, lexicon, without("levels")).entities}
    assert unsettled["Municipalidad de Puerto Aldana"] is None


def test_finish_gives_stable_ids_and_mentions_inside_passages(lexicon: Lexicon) -> None:
    raw = fixture("relaciones.txt")
    state = run(raw, lexicon)
    assert state.result is not None
    assert run(raw, lexicon, without("finish")).result is None
    ids = [e.id for e in state.result.entities]
    assert len(ids) == len(set(ids))
    assert ids == [e.id for e in extract(raw, lexicon).entities]
    passages = {p.id: p for p in state.result.passages}
    for m in state.result.mentions:
        assert passages[m.passage_id].start <= m.start < m.end <= passages[m.passage_id].end


def test_a_regional_office_named_by_its_holder_keeps_the_title_as_alias(lexicon: Lexicon) -> None:
    """"el Intendente de la Región de Ñuble" and "el Secretario Regional Ministerial de Salud"
    are the offices they head, found also under the title."""
    raw = (
        "Artículo 7.- El Intendente de la Región de Ñuble designará al personal. El Secretario "
        "Regional Ministerial de Salud informará.\n"
    )
    entities = {e.name: e for e in extract(raw, lexicon).entities}
    intendencia = entities["Intendencia de la Región de Ñuble"]
    assert "Intendente de la Región de Ñuble" in intendencia.aliases
    assert intendencia.level == "regional"
    assert "Secretaría Regional Ministerial de Salud" in entities
