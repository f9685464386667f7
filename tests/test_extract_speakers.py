"""Speaker lines ("Name, Role, Institution") and the people, affiliations and role-derived
institutions the pipeline draws from them.

Fixture: tests/fixtures/extract/taller_panel.md, workshop minutes with a markdown ``>>``
speaker heading, bullet items, a name in capitals, a ``(moderador)`` note, mayors and a
regional governor named by their role, and a closing "place, date" line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import Extraction
from loaders.extract.lexicon import Lexicon, default_lexicon
from loaders.extract.pipeline import extract_document
from loaders.extract.speakers import find_speaker_lines, person_display_name
from loaders.read import read
from tests.fixtures.invented import extract_invented, relation_pairs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"


def speakers(text: str) -> list[tuple[str, str]]:
    out = []
    for line in find_speaker_lines(text):
        assert text[line.line_start : line.line_end].strip()
        out.append((line.name, text[line.rest_start : line.rest_end]))
    return out


# --- the line pattern -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "### >> Marta Quiroga Lillo, Directora Regional, Servicio Regional de Pesca",
            ("Marta Quiroga Lillo", "Directora Regional, Servicio Regional de Pesca"),
        ),
        (
            "- Tomás Araya Fuentes, Alcalde de Puerto Aldana",
            ("Tomás Araya Fuentes", "Alcalde de Puerto Aldana"),
        ),
        (
            "* Ana Ríos Lagos, Gerenta, Cooperativa Caleta Norte",
            ("Ana Ríos Lagos", "Gerenta, Cooperativa Caleta Norte"),
        ),
        (
            "Pedro Pablo de la Fuente, Alcalde de San Felipe",
            ("Pedro Pablo de la Fuente", "Alcalde de San Felipe"),
        ),
        (
            "María José Núñez-Soto, Investigadora, Universidad del Litoral",
            ("María José Núñez-Soto", "Investigadora, Universidad del Litoral"),
        ),
        (
            "Julián Vera Soto (moderador), Asesor, Cámara de Turismo de Bahía Serena",
            ("Julián Vera Soto", "Asesor, Cámara de Turismo de Bahía Serena"),
        ),
    ],
)
def test_speaker_line_forms(line: str, expected: tuple[str, str]) -> None:
    assert speakers(line + "\n") == [expected]


def test_names_in_capitals_are_shown_in_title_case() -> None:
    assert speakers("JUAN DE DIOS VARGAS, Ministro de Pesca\n") == [
        ("Juan de Dios Vargas", "Ministro de Pesca")
    ]
    assert person_display_name("ROSA ELENA MUÑOZ PAREDES") == "Rosa Elena Muñoz Paredes"
    assert person_display_name("Rosa Muñoz") == "Rosa Muñoz"


@pytest.mark.parametrize(
    "line",
    [
        "El informe, aprobado por el Consejo Regional, se publicó.",
        "Santiago, 13 de julio de 2023",
        "Juan Pérez\tConsultor\tBanco Regional",
    ],
)
def test_lines_that_are_not_speaker_lines(line: str) -> None:
    assert speakers(line + "\n") == []


# --- people and affiliations in the pipeline ------------------------------------------------


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


@pytest.fixture(scope="module")
def panel(lexicon: Lexicon) -> Extraction:
    return extract_document(read(FIXTURES / "taller_panel.md"), lexicon)


def extract(raw: str, lexicon: Lexicon) -> Extraction:
    return extract_invented(raw, lexicon)


def affiliations(extraction: Extraction) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in extraction.entities}
    return {
        (names[r.source], names[r.target])
        for r in extraction.relations
        if r.type == "AFFILIATED_WITH"
    }


def test_every_speaker_is_a_person_affiliated_with_the_named_institution(
    panel: Extraction,
) -> None:
    assert affiliations(panel) >= {
        ("Marta Quiroga Lillo", "Servicio Regional de Fomento Lacustre"),
        ("Rosa Elena Muñoz Paredes", "Instituto de Investigación Pesquera del Sur"),
        ("Julián Vera Soto", "Cámara de Turismo de Bahía Serena"),
    }


def test_the_place_and_date_line_names_no_person(panel: Extraction) -> None:
    people = {e.name for e in panel.entities if e.label == "Person"}
    assert people == {
        "Marta Quiroga Lillo",
        "Tomás Araya Fuentes",
        "Carolina Saavedra Pinto",
        "Rosa Elena Muñoz Paredes",
        "Julián Vera Soto",
    }


def test_a_mayor_stands_for_the_municipality_of_the_place(panel: Extraction) -> None:
    muni = next(e for e in panel.entities if e.name == "Municipalidad de Puerto Aldana")
    assert muni.label == "Institution"
    assert muni.level == "local"
    assert muni.kind == "municipality"
    assert ("Tomás Araya Fuentes", "Municipalidad de Puerto Aldana") in affiliations(panel)


def test_a_regional_governor_stands_for_the_regional_government(panel: Extraction) -> None:
    gore = next(e for e in panel.entities if e.name == "Gobierno Regional de Tierras Altas")
    assert gore.level == "regional"
    assert ("Carolina Saavedra Pinto", "Gobierno Regional de Tierras Altas") in affiliations(panel)


def test_affiliation_evidence_is_the_speaker_line(panel: Extraction) -> None:
    text = panel.document.text
    for rel in panel.relations:
        if rel.type != "AFFILIATED_WITH":
            continue
        for ev in rel.evidence:
            assert ev.quote == text[ev.start : ev.end]
            assert "\n" not in ev.quote
            assert ev.extractor == "speaker"


def test_a_unit_named_before_its_parent_is_part_of_it(lexicon: Lexicon) -> None:
    raw = (
        "# Panel de cierre\n\n"
        "- Luis Mora Díaz, Jefe, División de Fomento Productivo, "
        "Gobierno Regional de Tierras Altas\n"
    )
    extraction = extract(raw, lexicon)
    part_of = relation_pairs(extraction, "PART_OF")
    assert part_of == {("División de Fomento Productivo", "Gobierno Regional de Tierras Altas")}
    assert ("Luis Mora Díaz", "Gobierno Regional de Tierras Altas") in affiliations(extraction)


def test_the_speakers_institution_is_the_subject_of_the_lines_that_follow(
    lexicon: Lexicon,
) -> None:
    raw = (
        "- Luis Mora Díaz, Jefe, Gobierno Regional de Tierras Altas\n\n"
        "Explicó que la institución trabaja en coordinación con la Municipalidad de "
        "Puerto Aldana.\n"
    )
    extraction = extract(raw, lexicon)
    names = {e.id: e.name for e in extraction.entities}
    ties = {
        frozenset((names[r.source], names[r.target]))
        for r in extraction.relations
        if r.type == "COORDINATES_WITH"
    }
    assert ties == {
        frozenset(("Gobierno Regional de Tierras Altas", "Municipalidad de Puerto Aldana"))
    }


def test_a_sentence_subject_followed_by_a_comma_is_not_a_speaker(lexicon: Lexicon) -> None:
    raw = (
        "El Fondo de Innovación Lacustre, financiado por la Corporación de Fomento de la "
        "Producción, apoya a pequeñas empresas.\n"
    )
    extraction = extract(raw, lexicon)
    assert [e.name for e in extraction.entities if e.label == "Person"] == []
    funds = relation_pairs(extraction, "FUNDS")
    assert funds == {("Corporación de Fomento de la Producción", "Fondo de Innovación Lacustre")}


AUTHOR_BLOCKS = """# Digitalización de las pymes

Escrito por

Andrea Figueredo

Investigadora Asociada Senior, Laboratorio de Aceleración del PNUD Paraguay

Cristhian Parra

Jefe de Experimentación, Laboratorio de Aceleración del PNUD Paraguay

El programa se ejecuta con el Viceministerio de MIPYMES del Ministerio de Industria y
Comercio (MIC).
"""


def test_an_author_block_is_a_person_with_the_affiliation_of_the_next_line(
    lexicon: Lexicon,
) -> None:
    names = [line.name for line in find_speaker_lines(AUTHOR_BLOCKS)]
    assert names == ["Andrea Figueredo", "Cristhian Parra"]
    ex = extract(AUTHOR_BLOCKS, lexicon)
    people = {e.name for e in ex.entities if e.label == "Person"}
    assert people == {"Andrea Figueredo", "Cristhian Parra"}
    units = {e.name: e for e in ex.entities if e.label == "Institution"}
    # the acronym after the unit's name is its ministry's; the unit keeps its own name
    assert "Viceministerio de MIPYMES del Ministerio de Industria y Comercio" in units
    ministry = units["Ministerio de Industria y Comercio"]
    assert "MIC" in [*ministry.aliases, ministry.acronym]


@pytest.mark.parametrize("text", [
    "Andrea Figueredo\nJefa de Exploración, PNUD Paraguay\n",
    "Andrea Figueredo\n  \t\nJefa de Exploración, PNUD Paraguay\n",  # one blank line between
    "Andrea Figueredo\n\n\nJefa de Exploración, PNUD\n",  # two blank lines: no block
    "Jefa de Exploración\nDirectora de Planeamiento, GORE\nGerente General, SENA\n",
    "Ana Pérez\nDirector General\nPresidente del Consejo Regional\n",  # overlapping candidates
    "\nDirectora, Gobierno Regional\n",  # a role on the second line, nothing above it
    "Directora de Planeamiento\n",
    "  Luis  Soto \n\tAsesor\tSENA\nJUAN PÉREZ\nasesor del Ministerio de Salud\n",
    "Texto.\nCarlos De la Cruz\r\nConsultor, BID\nMaría José Pérez\nGerente, Banco Central",
])
def test_author_blocks_are_those_of_the_pattern_tried_at_every_line(text: str) -> None:
    from loaders.extract.speakers import _NAME_THEN_ROLE, _name_then_role

    found = [(m.span(), m.groupdict()) for m in _name_then_role(text)]
    assert found == [(m.span(), m.groupdict()) for m in _NAME_THEN_ROLE.finditer(text)]


def test_author_blocks_are_found_where_the_full_pattern_finds_them() -> None:
    names = [line.name for line in find_speaker_lines(AUTHOR_BLOCKS * 3)]
    assert names == ["Andrea Figueredo", "Cristhian Parra"] * 3


def test_a_part_of_a_document_is_no_person() -> None:
    text = ("Tercera Parte, trata de la situación de las 13 Agencias Agrarias de la región.\n"
            "María Quispe Mamani, Directora Regional de Agricultura\n")
    names = [line.name for line in find_speaker_lines(text)]
    assert names == ["María Quispe Mamani"]


def test_a_sentence_opening_with_an_adverb_names_no_speaker() -> None:
    text = ("Anualmente Carabineros de Chile, la Policía de Investigaciones y el Ministerio "
            "Público informarán al Congreso.\n")
    assert find_speaker_lines(text) == []


def test_a_signature_block_affiliates_the_signer_with_the_documents_own_body() -> None:
    """A Peruvian ordinance is signed "NAME" / "Consejero Delegado" and "Name" / "Gobernador
    Regional" (313 such blocks in 239 bulk texts): the office names no body, so the signer
    stands for the document's own council or government; the formula "MANDO SE REGISTRE Y
    CUMPLA" above an office is no one's name."""
    from loaders.extract.lexicon import default_lexicon

    raw = (
        "# Ordenanza Regional N° 010-2023-GRP/CR\n\n"
        "EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE PUNO\n\n"
        "Artículo 1.- ENCARGAR al Gobierno Regional de Puno la ejecución del Plan Regional "
        "de Pesca Lacustre. El Consejo Regional del Gobierno Regional de Puno sesionó.\n\n"
        "ERNAN HUGO RAMÓN LLULLUY\nConsejero Delegado\n\n"
        "MANDO SE REGISTRE Y CUMPLA\nConsejero Delegado\n\n"
        "Elisban Ochoa Sosa\nGobernador Regional\n"
    )
    ex = extract(raw, default_lexicon())
    affiliated = relation_pairs(ex, "AFFILIATED_WITH")
    assert affiliated == {
        ("Ernan Hugo Ramón Llulluy", "Consejo Regional del Gobierno Regional de Puno"),
        ("Elisban Ochoa Sosa", "Gobierno Regional de Puno"),
    }


def test_an_article_heading_or_an_action_is_no_signer() -> None:
    """"ARTÍCULO SEGUNDO,- ENCARGAR a la Gerencia ..." (an OCR'd comma before the dash) and
    "Promoción de Banda Ancha de Fibra Óptica, Interoperabilidad de la DRE" read like "Name,
    Office": neither is a person."""
    raw = (
        "ARTÍCULO SEGUNDO,- ENCARGAR a la Gerencia General Regional del Gobierno Regional de "
        "Laguna Verde iniciar las acciones.\n\nPromoción de Banda Ancha de Fibra Óptica, "
        "Interoperabilidad de la Dirección Regional de Educación.\n"
    )
    ex = extract_invented(raw, default_lexicon())
    assert not [e.name for e in ex.entities if e.label == "Person"]
    assert not [r for r in ex.relations if r.type == "AFFILIATED_WITH"]


def test_an_office_under_a_signature_names_its_body(lexicon: Lexicon) -> None:
    """A signature block ("Name" / "Gerente Regional de Desarrollo Económico.") affiliates the
    signer with the body the office heads, in capitals too ("GERENTE REGIONAL DE
    INFRAESTRUCTURA"); the fields of a procedures table ("Trámite Documentario", "DIRECCION
    GESTION SALUD INDIVIDUAL") and a law's name before its amendments ("Constitución Política
    del Estado, modificada por ...") are nobody."""
    raw = (
        "# Acuerdo Regional N° 120-2026\n\n"
        "Constitución Política del Estado, modificada por la Ley N° 27680, el Pleno del Consejo "
        "Regional de Laguna Verde;\n\n"
        "Pedro Antonio Valdiviezo Palacios\n\n"
        "Gerente Regional de Desarrollo Económico.\n\n"
        "RAFAEL HUAMAN JURADO\n"
        "GERENTE REGIONAL DE INFRAESTRUCTURA\n\n"
        "DIRECCION GESTION SALUD INDIVIDUAL\n"
        "DIRECTOR REGIONAL DE SALUD\n"
    )
    ex = extract(raw, lexicon)
    affiliations = relation_pairs(ex, "AFFILIATED_WITH")
    assert affiliations == {
        ("Pedro Antonio Valdiviezo Palacios", "Gerencia Regional de Desarrollo Económico"),
        ("Rafael Huaman Jurado", "Gerencia Regional de Infraestructura"),
    }
