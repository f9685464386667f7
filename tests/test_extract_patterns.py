"""Name recognisers: head-noun patterns, laws, quoted names, acronym definitions, the
gazetteer matcher (Lexicon over small entries built here), trigger phrases and levels.

Every span a recogniser returns must be the exact text it names: ``text[start:end]``.
"""

from __future__ import annotations

import pytest

from loaders.extract import triggers
from loaders.extract.levels import level_from_name
from loaders.extract.lexicon import LexEntry, Lexicon, default_lexicon, make_doc
from loaders.extract.patterns import (
    find_acronym_definitions,
    find_head_names,
    find_laws,
    find_named_instruments,
    find_quoted_names,
    head_info,
)
from tests.fixtures.invented import extract_invented, relation_pairs


def names(text: str) -> list[str]:
    found = list(find_head_names(text))
    for cand in found:
        assert text[cand.start : cand.end] == cand.name
    return [c.name for c in found]


# --- head nouns -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "El Servicio Regional de Fomento Lacustre abrió la convocatoria.",
            ["Servicio Regional de Fomento Lacustre"],
        ),
        (
            "El Ministerio de Economía, Fomento y Turismo lanzó el concurso.",
            ["Ministerio de Economía, Fomento y Turismo"],
        ),
        ("Firmó el Ministerio de Obras Públicas. En la sesión siguiente se votó.",
         ["Ministerio de Obras Públicas"]),
        ("La reunión del Consejo Regional de Los Lagos Marzo de 2024 fue breve.",
         ["Consejo Regional de Los Lagos"]),
        ("Asistió la Agencia de Fomento Costero Presidente Pérez.", ["Agencia de Fomento Costero"]),
        ("Lo aprobó la Subsecretaría de Pesca de la", ["Subsecretaría de Pesca"]),
        # a heading joined to the line above (34 bulk texts): the ordinance is no part of it
        ("Gobierno Regional de Lima Ordenanza Regional N° 01-2021-CR/GRL",
         ["Gobierno Regional de Lima"]),
        # an article after a capitalised word starts another phrase
        ("es atribución del Consejo Regional la Ordenanza Regional que apruebe",
         ["Consejo Regional"]),
        ("Jefatura de la Oficina de Asesoría Jurídica",
         ["Jefatura de la Oficina de Asesoría Jurídica"]),
        # nor after a preposition and an article ("en el Programa ...", 45 bulk names)
        ("trabajan con el Ministerio de Industria y Comercio en el Programa Nacional de "
         "Incubadoras de Empresas.",
         ["Ministerio de Industria y Comercio", "Programa Nacional de Incubadoras de Empresas"]),
        ("órgano consultivo del Gobierno Regional San Martín con las Municipalidades.",
         ["Gobierno Regional San Martín"]),
        # nor does a name run into an address (13 bulk texts)
        ("en el auditorio del Consejo Regional en el Jr. Apurímac N° 460", ["Consejo Regional"]),
    ],
)
def test_institution_names_stop_at_verbs_dates_roles_and_connectors(
    sentence: str, expected: list[str]
) -> None:
    assert names(sentence) == expected


def test_institution_heads_give_label_and_kind() -> None:
    text = (
        "Firmó la Municipalidad de Puerto Aldana. Firmó el Gobierno Regional de Tierras Altas. "
        "Firmó la Red de Caletas del Sur."
    )
    found = {c.name: (c.label, c.kind) for c in find_head_names(text)}
    assert found["Municipalidad de Puerto Aldana"] == ("Institution", "municipality")
    assert found["Gobierno Regional de Tierras Altas"] == ("Institution", "regional_government")
    assert found["Red de Caletas del Sur"] == ("Institution", "network")


def test_instrument_and_programme_heads() -> None:
    text = (
        "El Fondo de Caletas Sustentables complementa el Programa de Turismo Costero. Rige el "
        "Plan Regional de Ordenamiento Territorial 2020-2030 vigente."
    )
    found = {c.name: (c.label, c.kind) for c in find_head_names(text)}
    assert found == {
        "Fondo de Caletas Sustentables": ("Instrument", "fund"),
        "Programa de Turismo Costero": ("Program", "programme"),
        "Plan Regional de Ordenamiento Territorial 2020-2030": ("Instrument", "plan"),
    }


def test_weak_heads_need_a_capitalised_continuation() -> None:
    assert names("Se creó la Red de apoyo a caletas y la Red de Caletas del Sur.") == [
        "Red de Caletas del Sur"
    ]
    assert names("El Gobierno de turno decidió postergar la votación.") == []


def test_head_info_reads_the_head_noun() -> None:
    assert head_info("Fondo de Caletas Sustentables").label == "Instrument"
    assert head_info("Municipalidad de Puerto Aldana").kind == "municipality"
    assert head_info("Caleta Norte") is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "El Ministerio de Salud y la Municipalidad de Valdivia firmaron un acuerdo.",
            ["Ministerio de Salud", "Municipalidad de Valdivia"],
        ),
        (
            "Asistieron la Municipalidad de Puerto Aldana y del Instituto de Fomento Pesquero.",
            ["Municipalidad de Puerto Aldana", "Instituto de Fomento Pesquero"],
        ),
        (
            "Organizan el Servicio Regional de Fomento Lacustre y Cámara de Turismo de Bahía.",
            ["Servicio Regional de Fomento Lacustre", "Cámara de Turismo de Bahía"],
        ),
        (
            "Se suman el Programa de Turismo Costero y el Plan Regional de Caletas.",
            ["Programa de Turismo Costero", "Plan Regional de Caletas"],
        ),
    ],
)
def test_a_head_noun_after_a_conjunction_starts_another_name(
    sentence: str, expected: list[str]
) -> None:
    assert sorted(names(sentence)) == sorted(expected)


# --- laws and quoted names ------------------------------------------------------------------


def test_laws_are_named_by_their_number_with_the_written_form_as_alias() -> None:
    text = "Según la Ley N° 20.500 y el Decreto Supremo 45 de 2019, la Ley 19.300 rige."
    found = list(find_laws(text))
    assert [c.name for c in found] == ["Ley 20.500", "Decreto Supremo 45", "Ley 19.300"]
    assert [text[c.start : c.end] for c in found] == [
        "Ley N° 20.500", "Decreto Supremo 45", "Ley 19.300"
    ]
    assert "Ley N° 20.500" in found[0].aliases
    assert all(c.label == "Instrument" and c.kind == "law" for c in found)


def test_quoted_names_after_proyecto_and_programa() -> None:
    text = 'El proyecto “Caletas Vivas del Sur” y el programa "Mar Limpio" comenzaron.'
    found = list(find_quoted_names(text))
    assert [(c.name, c.label, c.kind) for c in found] == [
        ("Caletas Vivas del Sur", "Program", "project"),
        ("Mar Limpio", "Program", "programme"),
    ]
    assert [text[c.start : c.end] for c in found] == ["Caletas Vivas del Sur", "Mar Limpio"]


def test_capitalised_names_right_after_a_programme_noun() -> None:
    text = (
        "El programa de recuperación inclusiva, Chile Apoya, y el programa Fábricas de "
        "Productividad se suman a los programas de apoyo a la MIPYME y al plan para la "
        "Región de Aysén."
    )
    found = list(find_named_instruments(text))
    assert [(c.name, c.label) for c in found] == [
        ("Chile Apoya", "Program"),
        ("Fábricas de Productividad", "Program"),
    ]


def test_quotes_without_an_introducing_noun_are_not_names() -> None:
    assert list(find_quoted_names('Dijo que el año fue "muy difícil" para todos.')) == []


# --- acronym definitions --------------------------------------------------------------------


def definitions(text: str) -> list[tuple[str, str, bool]]:
    found = find_acronym_definitions(text, list(find_head_names(text)))
    for d in found:
        assert text[d.long_start : d.long_end] == d.long
        assert text[d.short_start : d.short_end] == d.short
    return [(d.short, d.long, d.foreign) for d in found]


def test_long_form_then_acronym() -> None:
    text = "El Servicio Regional de Fomento Lacustre (SERFOLA) abrió la convocatoria."
    assert definitions(text) == [("SERFOLA", "Servicio Regional de Fomento Lacustre", False)]


def test_acronym_then_long_form() -> None:
    assert definitions("La ACIP (Asociación de Criadores de Ikuna del Pacífico) participa.") == [
        ("ACIP", "Asociación de Criadores de Ikuna del Pacífico", False)
    ]


def test_acronym_of_a_foreign_long_form() -> None:
    text = "La Red Global de Ciudades Costeras (GCCN, por sus siglas en inglés) se reunió."
    assert definitions(text) == [("GCCN", "Red Global de Ciudades Costeras", True)]


def test_long_form_without_a_head_noun_is_found_by_its_initials() -> None:
    text = "Datos de la Encuesta Nacional de Pesca (ENP) y de la Encuesta de Caletas (ECA)."
    found = find_acronym_definitions(text, [])
    assert [(d.short, d.long) for d in found] == [
        ("ENP", "Encuesta Nacional de Pesca"),
        ("ECA", "Encuesta de Caletas"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "El informe (versión 2) y la encuesta (n=300) se publicaron.",
        "La cifra (ver anexo) fue revisada por la Red de Caletas del Sur (RCS2X).",
    ],
)
def test_parentheses_that_define_nothing_are_ignored(text: str) -> None:
    assert definitions(text) == []


# --- gazetteer matching ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_lexicon() -> Lexicon:
    return Lexicon(
        [
            LexEntry(
                name="Gobierno Regional del Bío-Bío",
                acronyms=["GORE Biobío"],
                level="regional",
                country="CL",
            ),
            LexEntry(name="Comunidad Andina", acronyms=["CAN"], level="supranational"),
            LexEntry(name="Pará", label="Territory", kind="state", country="BR"),
            LexEntry(name="municipios", kind="collective", level="local"),
        ]
    )


def matches(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(c.name, text[c.start : c.end]) for c in lexicon.match(make_doc(text))]


def test_gazetteer_matches_without_accents_or_case(small_lexicon: Lexicon) -> None:
    text = "El GOBIERNO REGIONAL DEL BIO-BIO aprobó el plan."
    assert matches(small_lexicon, text) == [
        ("Gobierno Regional del Bío-Bío", "GOBIERNO REGIONAL DEL BIO-BIO")
    ]


def test_proper_names_do_not_match_all_lowercase_text(small_lexicon: Lexicon) -> None:
    assert matches(small_lexicon, "lo dijo el gobierno regional del bio bio ayer.") == []


def test_acronyms_match_only_in_capitals(small_lexicon: Lexicon) -> None:
    found = matches(small_lexicon, "La CAN y la Comunidad Andina; nadie can decirlo.")
    assert sorted(found) == [("Comunidad Andina", "CAN"), ("Comunidad Andina", "Comunidad Andina")]


def test_one_word_names_keep_their_accents(small_lexicon: Lexicon) -> None:
    assert matches(small_lexicon, "Fondos para el estado de Pará, y Para otros.") == [
        ("Pará", "Pará")
    ]


def test_common_nouns_match_in_any_case(small_lexicon: Lexicon) -> None:
    assert [s for _, s in matches(small_lexicon, "Los Municipios y los municipios.")] == [
        "Municipios",
        "municipios",
    ]


def test_lookup_by_normalised_name_or_acronym(small_lexicon: Lexicon) -> None:
    assert small_lexicon.lookup("la comunidad andina").name == "Comunidad Andina"
    assert small_lexicon.lookup("CAN").name == "Comunidad Andina"
    assert small_lexicon.lookup("Comunidad del Caribe") is None


def test_token_norms_are_folded() -> None:
    assert [t.norm_ for t in make_doc("Región del Bío-Bío")] == [
        "region", "del", "bio", "-", "bio"
    ]


# --- trigger phrases and levels -------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "pattern"),
    [
        ("trabaja en coordinación con la municipalidad", triggers.COORDINATION),
        ("lo hace en conjunto con el servicio", triggers.COORDINATION),
        ("fue financiado por el banco", triggers.FUNDING),
        ("sesionó con participación de la municipalidad", triggers.PARTICIPATION),
        ("Ejecutado por el servicio regional", triggers.RESPONSIBILITY),
        ("hay duplicidad de funciones entre ambos", triggers.OVERLAP),
    ],
)
def test_trigger_phrases(phrase: str, pattern) -> None:  # type: ignore[no-untyped-def]
    assert pattern.search(phrase)


@pytest.mark.parametrize(
    "phrase",
    ["la coordinadora del programa", "la participación ciudadana", "el financiamiento"],
)
def test_words_that_only_look_like_triggers(phrase: str) -> None:
    for pattern in (
        triggers.COORDINATION, triggers.FUNDING, triggers.PARTICIPATION, triggers.RESPONSIBILITY
    ):
        assert not pattern.search(phrase)


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Gobierno Regional de Tierras Altas", "regional"),
        ("Secretaría Regional Ministerial de Economía", "regional"),
        ("Municipalidad de Puerto Aldana", "local"),
        ("Ministerio de Pesca y Acuicultura", "national"),
        ("Servicio Nacional de Pesca", "national"),
        ("Organización Latinoamericana de Pesca", "supranational"),
        ("Comisión Económica para América Latina y el Caribe", "supranational"),
        ("Consejo Regional Nacional de Caletas", "regional"),
        ("Fundación Mar Azul", None),
    ],
)
def test_levels_from_names(name: str, level: str | None) -> None:
    assert level_from_name(name) == level


@pytest.mark.parametrize(
    ("text", "name", "alias"),
    [
        # files of ../shared/bulk: "Decreto Supremo N° 029-2018-PCM" form in 566,
        # lower-case "ley N° 19.880" in 440, "Ordenanza Regional N°" in 996
        ("el Decreto Supremo N° 029-2018-PCM, que", "Decreto Supremo 029-2018-PCM",
         "Decreto Supremo N° 029-2018-PCM"),
        ("la Ordenanza Regional N° 005-2010-GRLL/CR.", "Ordenanza Regional 005-2010-GRLL/CR",
         "Ordenanza Regional N° 005-2010-GRLL/CR"),
        ("según la ley N° 19.880, que", "Ley 19.880", "ley N° 19.880"),
        ("el DFL N° 1-19.175 fija", "DFL 1-19.175", "DFL N° 1-19.175"),
        ("la Resolución Ministerial N° 123-2020-PRODUCE;",
         "Resolución Ministerial 123-2020-PRODUCE",
         "Resolución Ministerial N° 123-2020-PRODUCE"),
        ("el D.S. N° 022-2017-PCM", "Decreto Supremo 022-2017-PCM",
         "Decreto Supremo N° 022-2017-PCM"),
    ],
)
def test_legal_identifiers_keep_their_suffixes(text: str, name: str, alias: str) -> None:
    found = list(find_laws(text))
    assert [c.name for c in found] == [name]
    assert alias in found[0].aliases
    assert text[found[0].start : found[0].end].rstrip(".;,") == text[found[0].start : found[0].end]


def test_a_year_written_after_the_number_names_the_instrument_too() -> None:
    found = list(find_laws("el artículo 30 de la Ley 1454 de 2011 y el Decreto 1082 de 2015."))
    assert [c.name for c in found] == ["Ley 1454", "Decreto 1082"]
    assert "Ley 1454 de 2011" in found[0].aliases
    assert "Decreto 1082 de 2015" in found[1].aliases
    # a number that goes on is no year: "de 2011.500" is not written after a law
    (law,) = find_laws("la Ley 1454 de 2011.500 pesos")
    assert not any("de 2011" in a for a in law.aliases)


def test_a_law_cited_with_its_date_is_named_by_its_year_too() -> None:
    """Panama and Colombia cite a law with the day it was passed: "Ley 8 de 29 de mayo de
    2000", "Decreto Ejecutivo No. 26 de 11 de marzo de 2019"; Colombia's policy documents are
    "documento CONPES 4011 de 2020"."""
    law, decree, conpes = find_laws(
        "la Ley 8 de 29 de mayo de 2000, el Decreto Ejecutivo No. 26 de 11 de marzo de 2019 "
        "y el documento CONPES 4011 de 2020"
    )
    assert {"Ley 8 de 2000", "Ley 8 de 29 de mayo de 2000"} <= set(law.aliases) | {law.name}
    assert "Decreto Ejecutivo 26 de 2019" in decree.aliases
    assert {"CONPES 4011", "CONPES 4011 de 2020"} <= set(conpes.aliases) | {conpes.name}
    assert conpes.kind == "policy"


def test_an_acronym_the_document_defines_is_not_the_gazetteer_entry_of_its_letters() -> None:
    raw = (
        "# Decreto Regional N° 002-2022-GRX/GR\n\n"
        "Apruébese el Manual de Operaciones (MOP) de la Autoridad Regional Ambiental. "
        "El MOP entra en vigencia al día siguiente de su publicación.\n"
    )
    ex = extract_invented(raw, default_lexicon())
    names = {e.name for e in ex.entities}
    assert "Ministerio de Obras Públicas" not in names
    manual = next(e for e in ex.entities if e.name == "Manual de Operaciones")
    assert "MOP" in [*manual.aliases, manual.acronym]


def test_a_commission_named_by_a_long_comma_series_is_one_name() -> None:
    text = (
        "El dictamen de la Comisión Ordinaria de Desarrollo Económico, Asuntos Agropecuarios, "
        "Energía, Minas, Comercio Exterior y Turismo fue aprobado. El Decreto, el Ejecutivo "
        "Federal y la Secretaría lo publicaron."
    )
    names = {c.name for c in find_head_names(text)}
    assert ("Comisión Ordinaria de Desarrollo Económico, Asuntos Agropecuarios, Energía, Minas, "
            "Comercio Exterior y Turismo") in names
    assert not any(name.startswith("Decreto,") for name in names)


def test_subnational_bodies_of_colombia_and_mexico_are_named_by_their_heads() -> None:
    raw = (
        "LEY 9999 DE 2019\n\nArtículo 1. La Región Administrativa y de Planificación del "
        "Pacífico, la Región Administrativa y de Planificación Especial y la RAP Eje Cafetero "
        "podrán asociarse con la Asamblea Departamental del Valle del Cauca, el Concejo Municipal "
        "de Cali, el Ayuntamiento de Zapopan y el Área Metropolitana del Valle de Aburrá.\n"
    )
    found = {e.name: e.level for e in extract_invented(raw, default_lexicon(), "txt").entities
             if e.label == "Institution"}
    assert found["Región Administrativa y de Planificación del Pacífico"] == "regional"
    # an article and an acronym after "y" start another name
    assert "Región Administrativa y de Planificación Especial" in found
    assert found["Asamblea Departamental del Valle del Cauca"] == "regional"
    assert found["Concejo Municipal de Cali"] == "local"
    assert found["Ayuntamiento de Zapopan"] == "local"
    assert found["Área Metropolitana del Valle de Aburrá"] == "regional"


def test_a_text_naming_itself_while_being_passed_is_no_instrument() -> None:
    """"el siguiente Proyecto de ley" and "como Ley de la República" (every Chilean law) are
    the law being passed, not instruments of their own; a named project stays."""
    text = (
        "Teniendo presente que el H. Congreso Nacional ha dado su aprobación al siguiente "
        "Proyecto de ley: ... promúlguese y llévese a efecto como Ley de la República. "
        "El Proyecto de Riego Andino seguirá."
    )
    names = {c.name for c in find_head_names(text)}
    assert "Proyecto de Riego Andino" in names
    assert not any(n.lower() in ("proyecto de ley", "ley de la república") for n in names)


def test_the_service_a_project_improves_is_no_institution() -> None:
    from loaders.extract.patterns import find_head_names

    text = ("el proyecto Mejoramiento del Servicio de Agua Potable de Acobamba, priorizado por el "
            "Servicio Nacional de Sanidad Agraria. Beneficia al Centro Poblado de Concepción y al "
            "Centro Histórico de Lima. Ordenanza de Creación del Consejo Regional de Fomento.")
    names = {c.name for c in find_head_names(text) if c.label == "Institution"}
    # a body created is a body: only a service improved by a project is not
    assert names == {"Servicio Nacional de Sanidad Agraria", "Consejo Regional de Fomento"}


def test_a_national_system_is_an_instrument_not_a_body() -> None:
    """"Sistema Nacional de Programación Multianual y Gestión de Inversiones" (95 bulk texts)
    is a set of rules and tools; a system of integration (SICA) stays a body."""
    found = {c.name: c.label for c in find_head_names(
        "En el marco del Sistema Nacional de Programación Multianual y Gestión de Inversiones "
        "y del Sistema de la Integración Centroamericana."
    )}
    assert found["Sistema Nacional de Programación Multianual y Gestión de Inversiones"] == (
        "Instrument"
    )
    assert found["Sistema de la Integración Centroamericana"] == "Institution"


def test_branches_of_the_state_and_armed_forces_are_institutions() -> None:
    found = {c.name: c.label for c in find_head_names(
        "Lo comunicó al Poder Judicial y al Poder Ejecutivo; el Ejército del Perú apoyará. "
        "El poder adquisitivo cae y la armada no zarpa."
    )}
    assert found == {"Poder Judicial": "Institution", "Poder Ejecutivo": "Institution",
                     "Ejército del Perú": "Institution"}


def _names_but_places(raw: str) -> set[str]:
    """The names of what an invented text's extraction found, territories aside."""
    return {e.name for e in extract_invented(raw, default_lexicon()).entities
            if e.label != "Territory"}


def test_professional_associations_state_companies_and_savings_banks_are_bodies() -> None:
    """"Colegio de Abogados" (49 bulk mentions), "Empresa de los Ferrocarriles del Estado"
    (22), "Empresa Portuaria de ..." (19), Peru's "Caja Municipal de Ahorro y Crédito"; a
    size of firm ("Micro y Pequeña Empresa Nacional") is no company, and a form's blank
    ("Chile___ 18.930") is no part of a name."""
    raw = (
        "Artículo 1.- El Colegio de Abogados de Laguna Verde, la Empresa Portuaria de Laguna "
        "Verde___ 18.930 y la Caja Municipal de Ahorro y Crédito de Laguna Verde apoyan a la "
        "Micro y Pequeña Empresa Nacional.\n"
    )
    assert _names_but_places(raw) == {
        "Colegio de Abogados de Laguna Verde", "Empresa Portuaria de Laguna Verde",
        "Caja Municipal de Ahorro y Crédito de Laguna Verde",
    }


def test_presidential_delegations_hospitals_archives_and_academies_are_bodies() -> None:
    """Chile's "Delegación Presidencial Regional de X" is that region's delegation, not the
    collective of all of them; "Hospital X" (229 bulk mentions), "Archivo X" (315),
    "Academia X" (36) and "Biblioteca X" (24) name bodies; a museum is no actor."""
    raw = (
        "Artículo 1.- La Delegación Presidencial Regional de Laguna Verde y la Delegación "
        "Presidencial Provincial de Cerro Alto remitirán al Archivo Regional de Laguna Verde, "
        "al Hospital Regional de Cerro Alto, a la Academia Judicial y a la Biblioteca "
        "Nacional el informe. El Museo Arqueológico de Cerro Alto recibe visitantes.\n"
    )
    found = {e.name: e.kind for e in extract_invented(raw, default_lexicon()).entities
             if e.label == "Institution"}
    assert found == {
        "Delegación Presidencial Regional de Laguna Verde": "regional_government",
        "Delegación Presidencial Provincial de Cerro Alto": "regional_government",
        "Archivo Regional de Laguna Verde": "agency",
        "Hospital Regional de Cerro Alto": "hospital",
        "Academia Judicial": "agency",
        "Biblioteca Nacional": "agency",
    }


def test_a_second_addressee_starts_another_name_but_not_in_a_law_title() -> None:
    """"a la Fiscalía Regional de Laguna Verde y al Fiscal Nacional", "a la Corporación X y a
    la Sociedad Y": two addressees (59 institution names of the bulk corpus ran on so); a
    law's title joins its aims with "y al" and stays whole."""
    raw = (
        "Artículo 1.- Remítase copia a la Fiscalía Regional de Laguna Verde y al Fiscal "
        "Nacional, y a la Corporación de Fomento de Laguna Verde y a la Sociedad Agrícola del "
        "Norte, según la Ley de Impulso al Desarrollo Productivo y al Crecimiento Empresarial.\n"
    )
    found = _names_but_places(raw)
    assert {"Fiscalía Regional de Laguna Verde", "Corporación de Fomento de Laguna Verde",
            "Ley de Impulso al Desarrollo Productivo y al Crecimiento Empresarial"} <= found
    assert not any(" y a" in name for name in found if not name.startswith("Ley"))


def test_a_regulation_title_cut_from_its_head_is_no_body_and_according_to_is_no_tie() -> None:
    """What is left of "Reglamento de Organización y Funciones del X" (about 45 bulk texts)
    is no body; "de acuerdo con lo dispuesto por X" (according to) ties nobody to X (27 wrong
    ties in the bulk corpus), while "un acuerdo con X" does."""
    raw = (
        "Artículo 1.- Aprobar la Organización y Funciones de la Gerencia Regional de Laguna "
        "Verde. De acuerdo con lo dispuesto por el Ministerio de Salud, la Gerencia Regional de "
        "Laguna Verde remitirá el informe.\n\nArtículo 2.- La Gerencia Regional de Laguna Verde "
        "suscribirá un acuerdo con la Cámara de Comercio de Laguna Verde.\n"
    )
    ex = extract_invented(raw, default_lexicon())
    assert not any(e.name.startswith("Organización") for e in ex.entities)
    ties = {frozenset(pair) for pair in relation_pairs(ex, "COORDINATES_WITH")}
    assert ties == {frozenset(("Gerencia Regional de Laguna Verde",
                               "Cámara de Comercio de Laguna Verde"))}


def test_a_post_names_programmes_and_the_global_agenda() -> None:
    """A programme post: "el proyecto Acceso Universal a la Energía" (two connectors inside a
    name), and "X impulsa la Agenda Y y
    el Plan Z": X runs both; a section code ("Oficina de Asesoría Legal 0.3") is no part of a
    name."""
    raw = (
        "El PNUD impulsa la Agenda de Transición Energética 2020-2030 y el Plan Energético "
        "Nacional 2015-2050, en línea con los Objetivos de Desarrollo Sostenible (ODS). El "
        "proyecto Acceso Universal a la Energía benefició a 500 hogares. La Oficina de Asesoría "
        "Legal 0.3 emite opinión.\n"
    )
    ex = extract_invented(raw, default_lexicon())
    names = {e.id: e.name for e in ex.entities}
    assert {"Acceso Universal a la Energía", "Oficina de Asesoría Legal"} <= set(names.values())
    runs = {names[r.target] for r in ex.relations
            if r.type == "RESPONSIBLE_FOR" and names[r.source].startswith("Programa de las")}
    assert runs == {
        "Agenda de Transición Energética 2020-2030", "Plan Energético Nacional 2015-2050"}
