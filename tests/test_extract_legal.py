"""Relations from the structure of legal text (loaders.extract.legal and its helpers):
membership lists, roles, commissions, functions, units acting for their parent, parents read
from names. The texts are invented in the style of the constructions counted in
``../shared/bulk`` (see the module docstrings for the counts)."""

from __future__ import annotations

import pytest

from graph.model import Extraction
from loaders.extract.legal_names import body_of_title, collective_member, is_organ
from loaders.extract.legal_units import ARTICLE_HEADING, list_units
from loaders.extract.lexicon import Lexicon, default_lexicon
from tests.fixtures.invented import extract_invented
from tests.fixtures.invented import relation_pairs as relations


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


def extract(raw: str, lexicon: Lexicon) -> Extraction:
    return extract_invented(raw, lexicon)



MARKED_LIST = """# Ordenanza Regional N° 010-2020-GRX/CR

EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE LAGUNA VERDE

HA APROBADO LA ORDENANZA REGIONAL SIGUIENTE:

ARTÍCULO PRIMERO.- CREAR el Consejo Regional de Fomento Lacustre, integrado según el
detalle siguiente:

a) Un representante del Gobierno Regional de Laguna Verde, quien lo preside.

b) Un representante de la Dirección Regional de la Producción, quien asumirá la Secretaría
Técnica.

c) Dos representantes de las Universidades Públicas de la Región Laguna Verde.

d) El Gerente Regional de Desarrollo Económico.

ARTÍCULO SEGUNDO.- ENCARGAR a la Gerencia Regional de Desarrollo Económico, en coordinación
con la Gerencia Regional de Planeamiento, la implementación de la presente Ordenanza Regional.
"""


def test_a_marked_membership_list_gives_each_member_and_its_role(lexicon: Lexicon) -> None:
    ex = extract(MARKED_LIST, lexicon)
    body = "Consejo Regional de Fomento Lacustre"
    members = {m for m, b in relations(ex, "PARTICIPATES_IN") if b == body}
    assert {
        "Gobierno Regional de Laguna Verde",
        "Dirección Regional de la Producción",
        "Universidades Públicas de la Región Laguna Verde",
        "Gerencia Regional de Desarrollo Económico",  # named through its head, the Gerente
    } <= members
    assert ("Gobierno Regional de Laguna Verde", body) in relations(ex, "RESPONSIBLE_FOR")
    assert ("Dirección Regional de la Producción", "Secretaría Técnica") in relations(
        ex, "RESPONSIBLE_FOR"
    )
    assert ("Secretaría Técnica", body) in relations(ex, "PART_OF")
    collective = next(e for e in ex.entities if e.name.startswith("Universidades Públicas"))
    assert collective.kind == "collective"


def test_a_commission_names_the_responsible_and_its_partners(lexicon: Lexicon) -> None:
    ex = extract(MARKED_LIST, lexicon)
    ordinance = next(e.name for e in ex.entities if e.name.startswith("Ordenanza Regional"))
    assert ("Gerencia Regional de Desarrollo Económico", ordinance) in relations(
        ex, "RESPONSIBLE_FOR"
    )
    assert ("Gerencia Regional de Planeamiento", ordinance) in relations(
        ex, "CO_RESPONSIBLE_FOR"
    )
    coordinated = {frozenset(p) for p in relations(ex, "COORDINATES_WITH")}
    pair = {"Gerencia Regional de Desarrollo Económico", "Gerencia Regional de Planeamiento"}
    assert frozenset(pair) in coordinated


def test_the_approving_council_and_the_regional_units_are_placed(lexicon: Lexicon) -> None:
    ex = extract(MARKED_LIST, lexicon)
    ordinance = next(e.name for e in ex.entities if e.name.startswith("Ordenanza Regional"))
    # the government's own council approved it, not the sectoral council it creates
    issuers = {s for s, t in relations(ex, "RESPONSIBLE_FOR") if t == ordinance}
    assert any(s.lower().startswith("consejo regional") for s in issuers)
    assert "Consejo Regional de Fomento Lacustre" not in issuers
    part_of = relations(ex, "PART_OF")
    assert ("Gerencia Regional de Planeamiento", "Gobierno Regional de Laguna Verde") in part_of
    # a sectoral council of the region is not the government's own council
    assert ("Consejo Regional de Fomento Lacustre", "Gobierno Regional de Laguna Verde") not in (
        part_of
    )


ROMAN_LIST = """Artículo 5.- Se crea el Consejo Nacional para el Fomento Apícola.

Artículo 6.- El Consejo estará conformado por los integrantes siguientes:
I. El Secretario de Agricultura y Desarrollo Rural, quien lo presidirá;
II. El Secretario de Hacienda y Crédito Público;
III. El Presidente de la Cámara Nacional de Apicultores;
IV. Un representante de las organizaciones de productores apícolas.

Artículo 7.- El Consejo sesionará cada tres meses.
"""


def test_an_anaphoric_body_and_office_holders(lexicon: Lexicon) -> None:
    ex = extract(ROMAN_LIST, lexicon)
    body = "Consejo Nacional para el Fomento Apícola"
    members = {m for m, b in relations(ex, "PARTICIPATES_IN") if b == body}
    assert {
        "Secretaría de Agricultura y Desarrollo Rural",
        "Secretaría de Hacienda y Crédito Público",
        "Cámara Nacional de Apicultores",
    } <= members
    assert any(m.lower().startswith("organizaciones de productores") for m in members)
    assert ("Secretaría de Agricultura y Desarrollo Rural", body) in relations(
        ex, "RESPONSIBLE_FOR"
    )


INLINE_AND_FUNCTIONS = """Artículo 3º.- Créase la Comisión Nacional del Riego Campesino,
integrada por el Ministro de Agricultura, quien la presidirá; el Director Nacional del Servicio
Agrícola y Ganadero; y un representante de las asociaciones de regantes.

Artículo 4º.- La Comisión tendrá las siguientes funciones:
a) Elaborar el Plan Nacional de Riego Campesino.
b) Coordinar con la Dirección General de Aguas los estudios de cuencas.

Artículo 5º.- El Ministerio de Hacienda, a través de la Dirección de Presupuestos, asignará los
recursos.
"""


def test_inline_lists_functions_and_acting_units(lexicon: Lexicon) -> None:
    ex = extract(INLINE_AND_FUNCTIONS, lexicon)
    body = "Comisión Nacional del Riego Campesino"
    members = {m for m, b in relations(ex, "PARTICIPATES_IN") if b == body}
    assert {"Ministerio de Agricultura", "Servicio Agrícola y Ganadero"} <= members
    assert (body, "Plan Nacional de Riego Campesino") in relations(ex, "RESPONSIBLE_FOR")
    coordinated = {frozenset(p) for p in relations(ex, "COORDINATES_WITH")}
    assert frozenset({body, "Dirección General de Aguas"}) in coordinated
    assert ("Dirección de Presupuestos", "Ministerio de Hacienda") in relations(ex, "PART_OF")


def test_prose_that_mentions_a_council_gives_no_members(lexicon: Lexicon) -> None:
    text = (
        "Artículo 1.- La unidad productiva conformada por las abejas y la colmena se rige por "
        "esta ley. El Ministerio de Agricultura informará al Congreso Nacional.\n"
    )
    assert not relations(extract(text, lexicon), "PARTICIPATES_IN")


@pytest.mark.parametrize(
    ("phrase", "body"),
    [
        ("El Secretario de Economía, quien lo presidirá;", "Secretaría de Economía"),
        ("Gerente Regional de Desarrollo Económico.", "Gerencia Regional de Desarrollo Económico"),
        ("El/la Gobernador/a Regional de Puno o su representante acreditado.",
         "Gobierno Regional de Puno"),
        ("Director/a Regional de la Producción (DIREPRO).", "Dirección Regional de la Producción"),
        ("Alcalde de Lima Norte.", "Municipalidad de Lima Norte"),
        ("Presidente de Pro Ucayali.", "Pro Ucayali"),
        ("Gerente General Regional.", "Gerencia General Regional"),
    ],
)
def test_office_holders_stand_for_their_bodies(phrase: str, body: str) -> None:
    found = body_of_title(phrase)
    assert found is not None and found[1] == body


@pytest.mark.parametrize(
    ("phrase", "offset", "body"),
    [
        # in capitals the body is read in title case, and found at its place in the phrase
        ("DIRECTOR NACIONAL DEL SERVICIO AGRÍCOLA Y GANADERO", 22, "Servicio Agrícola y Ganadero"),
        ("PRESIDENTE DE PRO UCAYALI", 14, "Pro Ucayali"),
        # two spaces inside (an OCR'd line): the offset is the rest's, never an error
        ("DIRECTOR DEL  SERVICIO  AGRÍCOLA Y GANADERO", 14, "Servicio Agrícola y Ganadero"),
    ],
)
def test_an_office_in_capitals_is_found_where_it_is_written(
    phrase: str, offset: int, body: str
) -> None:
    """A signature in capitals ("DIRECTOR NACIONAL DEL SERVICIO ...") once raised an error
    and lost a bulk ordinance (pe-sam_002-2022-GRSM-GR.md)."""
    found = body_of_title(phrase)
    assert found is not None and found[1] == body
    assert found[0] == offset and phrase[offset:].startswith(body.split()[0].upper())


def test_collectives_and_organs() -> None:
    found = collective_member("Cuatro representantes de los Gremios de las MYPE de la Región.")
    assert found is not None and found[1] == "Gremios de las MYPE de la Región"
    assert collective_member("Un representante de las mesas técnicas de cadenas priorizadas.")
    assert collective_member("Doce miembros de reconocida idoneidad en medicina.") is None
    assert is_organ("Consejo Directivo") and is_organ("Secretaría Técnica")
    assert not is_organ("Consejo Regional de Fomento Lacustre")


def test_list_units_read_headings_roles_and_skip_page_headers() -> None:
    text = (
        "conformado de la siguiente manera:\n\nPresidencia:\nEl Gobernador Regional de Puno.\n"
        "Secretaría Técnica:\nEl Gerente Regional de Desarrollo Económico.\n"
        "GOBIERNO REGIONAL DE PUNO\nRepresentante de la Cámara de Comercio de Puno.\n"
        "Representante de la Universidad Nacional del Altiplano.\n"
    )
    units = list_units(text, len("conformado de la siguiente manera"), len(text))
    lines = [text[u.body_start : u.end] for u in units]
    assert lines[0].startswith("El Gobernador") and units[0].heading_role == "preside"
    assert units[1].heading_role == "secretariat"
    assert "GOBIERNO REGIONAL DE PUNO" not in lines
    assert len(units) == 4


FUNDING_AND_THROUGH = """# Ley 99.999

Artículo 1º.- Corresponderá la fiscalización de la presente ley al Servicio Agrícola y
Ganadero y al Ministerio de Salud.

Artículo 2º.- Encárguese a la Gerencia General Regional, a través de la Gerencia Regional de
Desarrollo Económico, en coordinación con la Dirección Regional de Turismo, el Plan de
Promoción Turística.

Artículo 3º.- El mayor gasto fiscal que signifique la aplicación de esta ley se financiará con
cargo al presupuesto del Ministerio de Agricultura.
"""


def test_shared_duties_acting_units_and_funding(lexicon: Lexicon) -> None:
    ex = extract(FUNDING_AND_THROUGH, lexicon)
    law = next(e.name for e in ex.entities if "99.999" in e.name)
    co = relations(ex, "CO_RESPONSIBLE_FOR")
    assert {("Servicio Agrícola y Ganadero", law), ("Ministerio de Salud", law)} <= co
    plan = "Plan de Promoción Turística"
    assert ("Gerencia Regional de Desarrollo Económico", plan) in relations(ex, "RESPONSIBLE_FOR")
    assert ("Dirección Regional de Turismo", plan) in co
    assert ("Ministerio de Agricultura", law) in relations(ex, "FUNDS")


def test_territorial_divisions(lexicon: Lexicon) -> None:
    text = (
        "Artículo 2º.- Créase la Provincia de Valle Alto, que comprende las comunas de: "
        "Santa Rita, Los Molles y San Anselmo. Su capital es la ciudad de Santa Rita.\n"
    )
    ex = extract(text, lexicon)
    part_of = relations(ex, "PART_OF")
    assert {
        ("Santa Rita", "Provincia de Valle Alto"),
        ("Los Molles", "Provincia de Valle Alto"),
        ("San Anselmo", "Provincia de Valle Alto"),
    } <= part_of
    kinds = {e.name: e.kind for e in ex.entities if e.label == "Territory"}
    assert kinds["Provincia de Valle Alto"] == "province" and kinds["Los Molles"] == "commune"



def test_divisions_listed_or_named_by_their_kind_are_territories(lexicon: Lexicon) -> None:
    text = (
        "Artículo 5.- Créase un juzgado con competencia sobre las comunas de Monte Claro, "
        "Peña Alta y Río\nSeco hasta que asuman sus funciones los nuevos jueces. Los consejeros "
        "elegidos en la Provincia de Valle Alto y en el distrito de Laguna Honda continuarán.\n"
    )
    ex = extract(text, lexicon)
    kinds = {e.name: e.kind for e in ex.entities if e.label == "Territory"}
    # a list names its communes though no verb says what they make up; the last item ends
    # where the names do, and a name broken over two lines is one name
    assert {"Monte Claro", "Peña Alta", "Río Seco"} <= kinds.keys()
    assert kinds["Provincia de Valle Alto"] == "province"
    assert kinds["Laguna Honda"] == "commune"
    # nothing says what the communes make up: no PART_OF is guessed
    assert not relations(ex, "PART_OF")


LAW_TITLES = """# Ordenanza Regional N° 012-2021-GRX/CR

Que, de conformidad con la Ley Nº 27867, Ley Orgánica de Gobiernos Regionales, y la Ley
N° 27783 - Ley de Bases de la Descentralización, el Consejo Regional aprueba lo siguiente.

Que, el artículo 9 de la Ley Nº 27783, Ley de Bases de la Descentralización, y la Ley
Orgánica de Municipalidades, Ley N° 27972, lo establecen. La Ley N° 29408 regula el turismo.
"""


def test_a_numbered_law_and_its_title_in_apposition_are_one_instrument(lexicon: Lexicon) -> None:
    ex = extract(LAW_TITLES, lexicon)
    laws = {e.name: set(e.aliases) for e in ex.entities if e.label == "Instrument"}
    assert "Ley Nº 27867" in laws["Ley Orgánica de Gobiernos Regionales"]
    assert {"Ley N° 27783", "Ley Nº 27783"} <= laws["Ley de Bases de la Descentralización"]
    assert "Ley N° 27972" in laws["Ley Orgánica de Municipalidades"]
    # a number cited alone stays itself
    assert "Ley N° 29408" in laws
    assert not any(name.startswith("Ley N") and name != "Ley N° 29408" for name in laws)


BARE_BODY_AND_PARTNERS = """# Ley N° 30.100

Artículo 1.- Créase la Comisión Nacional de Regadío Andino, servicio dependiente del
Ministerio de Agricultura.

Artículo 2.- La Comisión deberá propender a establecer convenios de colaboración y traspaso
de información con otros organismos públicos, tales como Tesorería General de la República,
Servicio Agrícola y Ganadero, entre otros servicios relacionados.

Artículo 3.- El marco metodológico será elaborado conjuntamente entre la Dirección de
Presupuestos del Ministerio de Hacienda y la Comisión Nacional de Regadío Andino.
"""


def test_a_bare_head_noun_is_the_body_named_before_and_partners_follow_the_con(
    lexicon: Lexicon,
) -> None:
    ex = extract(BARE_BODY_AND_PARTNERS, lexicon)
    ties = {frozenset(pair) for pair in relations(ex, "COORDINATES_WITH")}
    body = "Comisión Nacional de Regadío Andino"
    assert frozenset({body, "Tesorería General de la República"}) in ties
    assert frozenset({body, "Servicio Agrícola y Ganadero"}) in ties
    # the genitive names the office's ministry; the ministry is not a party of the tie
    assert not any("Ministerio de Hacienda" in pair for pair in ties)
    assert any(body in pair and any(n.startswith("Dirección de Presupuestos") for n in pair)
               for pair in ties)


CONDUCTORS = """# Ordenanza Regional N° 003-2022-GRX/CR

ARTÍCULO CUARTO.- El Consejo Regional de Competitividad de Laguna Verde se organiza así:

3. COMITÉS TÉCNICOS PÚBLICO — PRIVADOS REGIONALES:

1) INFRAESTRUCTURA
Conductor: Gerencia Regional de Infraestructura — Gobierno Regional de Laguna Verde.

2) FINANCIAMIENTO
Conductor: Sub Gerencia de Presupuesto y Tesorería — Gobierno Regional de

Laguna Verde.

ARTÍCULO QUINTO.- Los Comités Técnicos Público — Privados Regionales forman parte del
Consejo Regional de Competitividad de Laguna Verde.
"""


def test_a_conductor_line_names_who_leads_the_body_of_the_heading_above(
    lexicon: Lexicon,
) -> None:
    ex = extract(CONDUCTORS, lexicon)
    leads = relations(ex, "RESPONSIBLE_FOR")
    committees = {t for _, t in leads if t.startswith("Comités Técnicos")}
    assert len(committees) == 1
    committee = committees.pop()
    assert ("Gerencia Regional de Infraestructura", committee) in leads
    assert ("Sub Gerencia de Presupuesto y Tesorería", committee) in leads
    parts = relations(ex, "PART_OF")
    assert ("Sub Gerencia de Presupuesto y Tesorería", "Gobierno Regional de Laguna Verde") in parts


CHILEAN_COUNCIL = """# Ley N° 30.200

Artículo 4.- Créase el Consejo Nacional Consultivo de la Pequeña Empresa, en adelante "el
Consejo".
El Consejo estará integrado por los siguientes miembros:
a) El Ministro de Economía, Fomento y Reconstrucción, quien lo presidirá.
b) El Vicepresidente Ejecutivo de la Corporación de Fomento de la Producción.
{long_item}
{designated_item}
e) Un representante del Consejo Nacional de Innovación.
Un reglamento establecerá las normas de su funcionamiento.
""".format(
    long_item="c) Seis representantes de las entidades gremiales de sectores productivos "
    "relevantes para la economía nacional, de las cuales al menos dos deberán tener su "
    "domicilio en alguna región distinta de la Metropolitana.",
    designated_item="d) Un representante de las instituciones de educación superior, "
    "designado por el Presidente de la República.",
)


def test_every_lettered_member_counts_however_long_its_item(lexicon: Lexicon) -> None:
    ex = extract(CHILEAN_COUNCIL, lexicon)
    council = "Consejo Nacional Consultivo de la Pequeña Empresa"
    members = {m for m, body in relations(ex, "PARTICIPATES_IN") if body == council}
    # the ministry under its present name (it was "de Economía, Fomento y Reconstrucción")
    assert "Ministerio de Economía, Fomento y Turismo" in members
    assert "Corporación de Fomento de la Producción" in members
    # the item after a long one that says "deberán" is still an item of the list
    assert "Consejo Nacional de Innovación" in members
    # who designates a member is not a member, and does not preside
    assert "Presidente de la República" not in members
    presides = {m for m, body in relations(ex, "RESPONSIBLE_FOR") if body == council}
    assert presides == {"Ministerio de Economía, Fomento y Turismo"}


OWN_COUNCIL = """# Ordenanza Regional N° 004-2021-GRX/CR

EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE LAGUNA VERDE

VISTO: en Sesión Ordinaria, el Consejo Regional aprobó el dictamen. El Consejo Regional del
Gobierno Regional de Laguna Verde ejerce funciones normativas; el Consejo Regional de
Laguna Verde sesiona en la ciudad de Laguna Verde.

ARTÍCULO PRIMERO.- El Consejo Regional de Fomento Lacustre de la Región Laguna Verde queda
adscrito a la Gerencia Regional de Desarrollo Económico.
"""


def test_the_regional_council_of_an_ordinance_is_its_own_government_council(
    lexicon: Lexicon,
) -> None:
    ex = extract(OWN_COUNCIL, lexicon)
    councils = {e.name: e for e in ex.entities if e.name.lower().startswith("consejo regional")}
    assert "Consejo regional" not in councils  # the gazetteer's collective
    own = councils["Consejo Regional del Gobierno Regional de Laguna Verde"]
    assert "Consejo Regional de Laguna Verde" in own.aliases
    # the collective's names do not become the specific council's
    assert not {"CORE", "consejos regionales"} & set(own.aliases)
    assert "Consejo Regional de Fomento Lacustre de la Región Laguna Verde" in councils
    assert not any("Sesión" in name for name in councils)


def test_one_name_written_in_both_numbers_is_one_body(lexicon: Lexicon) -> None:
    raw = (
        "# Ordenanza Regional N° 009-2021-GRX/CR\n\n"
        "ARTÍCULO PRIMERO.- Créanse los Comités Técnicos Público — Privados Regionales. "
        "Los Comités Técnicos Público — Privado Regionales forman parte del Consejo Regional "
        "de Competitividad de Laguna Verde. El Consejo Estatal de Fomento Lacustre y los "
        "Consejos Estatales de Fomento Lacustre sesionan cada mes.\n"
    )
    ex = extract(raw, lexicon)
    names = [e.name for e in ex.entities if e.label == "Institution"]
    assert sum(name.startswith("Comités Técnicos") for name in names) == 1
    assert "Consejo Estatal de Fomento Lacustre" in names
    assert "Consejos Estatales de Fomento Lacustre" not in names


def test_allies_of_the_responsible_body_share_the_responsibility(lexicon: Lexicon) -> None:
    raw = (
        "# Nota\n\nEl Programa Emprende Digital es una iniciativa impulsada por el Ministerio "
        "de Industria y Comercio en alianza con el Banco Interamericano de Desarrollo y la "
        "Agencia Española de Cooperación Internacional para el Desarrollo.\n"
    )
    ex = extract(raw, lexicon)
    programme = "Programa Emprende Digital"
    assert ("Ministerio de Industria y Comercio", programme) in relations(ex, "RESPONSIBLE_FOR")
    assert {a for a, t in relations(ex, "CO_RESPONSIBLE_FOR") if t == programme} == {
        "Banco Interamericano de Desarrollo",
        "Agencia Española de Cooperación Internacional para el Desarrollo",
    }


def test_a_programme_is_meant_where_the_text_drops_its_head_noun(lexicon: Lexicon) -> None:
    raw = (
        "# Nota\n\nEl Programa Emprende Digital apoya a las pymes. Emprende Digital es una "
        "iniciativa impulsada por el Ministerio de Industria y Comercio en alianza con el Banco "
        "Interamericano de Desarrollo.\n"
    )
    ex = extract(raw, lexicon)
    programme = "Programa Emprende Digital"
    assert [e.name for e in ex.entities if e.label == "Program"] == [programme]
    assert ("Ministerio de Industria y Comercio", programme) in relations(ex, "RESPONSIBLE_FOR")
    assert ("Banco Interamericano de Desarrollo", programme) in relations(ex, "CO_RESPONSIBLE_FOR")


def test_a_minister_named_by_office_is_a_mention_of_the_ministry(lexicon: Lexicon) -> None:
    raw = (
        "# Ley N° 30.300\n\nArtículo 2.- Reemplázase la expresión por \"el Ministro del Medio "
        "Ambiente\". El Ministro de Agricultura medidas para mejorar el fomento.\n\n"
        "Santiago, 8 de septiembre de 2023.- Mario Marcel Cullell, Ministro de Hacienda.- "
        "Esteban Valenzuela, Ministro de Agricultura.\n"
    )
    names = {e.name for e in extract(raw, lexicon).entities if e.label == "Institution"}
    assert {"Ministerio del Medio Ambiente", "Ministerio de Hacienda"} <= names
    assert any(name.startswith("Ministerio de Agricultura") for name in names)
    assert not any("medidas" in name for name in names)


GLOSSARY = """# Ley para el Fomento de la Pequeña Industria

Artículo 3.- Para los efectos de esta Ley, se entiende por:
I. Ley: La Ley para el Fomento de la Pequeña Industria;
II. Secretaría: La Secretaría de Economía;
III. Consejo: El Consejo Nacional para el Fomento de la Pequeña Industria;

Artículo 4.- La Secretaría, en coordinación con la Secretaría de Energía, apoyará a las empresas.
"""


def test_a_glossary_term_written_alone_is_the_body_it_defines(lexicon: Lexicon) -> None:
    ex = extract(GLOSSARY, lexicon)
    names = {e.name for e in ex.entities if e.label == "Institution"}
    assert "Secretaría" not in names
    ties = {frozenset(pair) for pair in relations(ex, "COORDINATES_WITH")}
    assert frozenset({"Secretaría de Economía", "Secretaría de Energía"}) in ties


def test_the_subject_runs_what_its_verb_names_and_its_instrument_helps(
    lexicon: Lexicon,
) -> None:
    raw = (
        "# Ordenanza Regional N° 011-2021-GRX/CR\n\nQue, el Ministerio de Economía y Finanzas, "
        "a través del Consejo Nacional de Competitividad y Formalización, conduce la Política "
        "Nacional de Competitividad y Productividad. El Ministerio de Salud elaborará una "
        "Política Nacional de Salud de las Personas Mayores.\n"
    )
    ex = extract(raw, lexicon)
    policy = "Política Nacional de Competitividad y Productividad"
    runs = relations(ex, "RESPONSIBLE_FOR")
    assert ("Ministerio de Economía y Finanzas", policy) in runs
    assert ("Ministerio de Salud", "Política Nacional de Salud de las Personas Mayores") in runs
    assert ("Consejo Nacional de Competitividad y Formalización", policy) in relations(
        ex, "CO_RESPONSIBLE_FOR"
    )


def test_a_list_of_named_applications_with_glosses_is_every_object(lexicon: Lexicon) -> None:
    raw = (
        "# Decreto Regional N° 007-2020-GRX/GR\n\nARTÍCULO DÉCIMO: Dispóngase que la Gerencia "
        "Regional de Desarrollo Económico, en coordinación con el Centro de Información y "
        "Sistemas, impulse el comercio electrónico a través de los aplicativos Mercalago "
        "(Artesanía y productos con valor agregado), Delilago (Servicio Delivery de "
        "Restaurantes) y plataformas del gobierno regional.\n"
    )
    ex = extract(raw, lexicon)
    apps = {e.name for e in ex.entities if e.label in ("Instrument", "Program")}
    assert {"Mercalago", "Delilago"} <= apps
    shared = {t for a, t in relations(ex, "CO_RESPONSIBLE_FOR")
              if a == "Centro de Información y Sistemas"}
    assert {"Mercalago", "Delilago"} <= shared


SIGNED_LAW = """---
tipo: LEY
numero: "99001"
organismo: "MINISTERIO DE MINERÍA; SUBSECRETARÍA DE MINERÍA"
---

# Ley 99001

*CREA EL REGISTRO NACIONAL DE CANTERAS*

MODIFICA EL CODIGO DE MINERIA, EN LO RELATIVO A CANTERAS Teniendo presente que el Congreso Nacional
ha dado su aprobación al siguiente proyecto de ley:

Artículo 1.- Créase el Registro Nacional de Canteras, que llevará el Servicio Nacional de
Geología y Minería conforme al decreto supremo N° 72, de 1985, del Ministerio de Minería.

Artículo 2.- Las normas técnicas se dictarán según el decreto con fuerza de ley N° 7, de 1980,
del Ministerio de Hacienda.

Santiago, 3 de marzo de 2021.- ANA LUISA PRADO VERA, Presidenta de la República.- Tomás
Ruiz Soto, Ministro de Minería.- Rosa Díaz Lagos, Ministra de Hacienda Subrogante.- Marta
Vidal Ríos, Ministra de la Mujer y la Equidad de Género.
Lo que transcribo a Ud. para su conocimiento.- Saluda atentamente a Ud., Pedro Núñez Mora,
Subsecretario de Minería.
"""


def test_signatures_name_the_signers_and_the_offices_they_stand_for(lexicon: Lexicon) -> None:
    ex = extract(SIGNED_LAW, lexicon)
    affiliated = relations(ex, "AFFILIATED_WITH")
    # "Presidenta de la República.-": the office is found although ".-" follows it
    assert ("Ana Luisa Prado Vera", "Presidente de la República") in affiliated
    assert ("Pedro Núñez Mora", "Subsecretaría de Minería") in affiliated
    # a standing-in minister stands for the ministry, not for a "Ministerio ... Subrogante"
    assert ("Rosa Díaz Lagos", "Ministerio de Hacienda") in affiliated
    assert not any("Subrogante" in e.name for e in ex.entities)
    # "y la Equidad de Género" is part of the office, not a second body
    assert ("Marta Vidal Ríos", "Ministerio de la Mujer y la Equidad de Género") in affiliated
    # the date and the city before the first ".-" are no signer, nor is a title in capitals
    people = {e.name for e in ex.entities if e.label == "Person"}
    assert people == {"Ana Luisa Prado Vera", "Tomás Ruiz Soto", "Rosa Díaz Lagos",
                      "Marta Vidal Ríos", "Pedro Núñez Mora"}


def test_the_issuer_of_a_cited_decree_and_of_the_law_itself(lexicon: Lexicon) -> None:
    ex = extract(SIGNED_LAW, lexicon)
    responsible = relations(ex, "RESPONSIBLE_FOR")
    issued = {(body, what) for body, what in responsible if what.lower().startswith("decreto")}
    assert issued == {
        ("Ministerio de Minería", "decreto supremo N° 72"),
        ("Ministerio de Hacienda", "decreto con fuerza de ley N° 7"),
    }
    # the front matter's "organismo" is the ministry the law came from
    law = next(e.name for e in ex.entities if e.name.replace(".", "").endswith("99001"))
    assert ("Ministerio de Minería", law) in responsible
    # the subsecretaría whose field begins the ministry's is part of it
    assert ("Subsecretaría de Minería", "Ministerio de Minería") in relations(ex, "PART_OF")


def test_an_undersecretariat_joins_only_the_ministry_of_its_field(lexicon: Lexicon) -> None:
    text = (
        "Artículo 1.- La Subsecretaría de Desarrollo Regional y Administrativo y el Ministerio "
        "de Desarrollo Social y Familia celebrarán convenios. La Subsecretaría de Educación "
        "Superior informará al Ministerio de Educación.\n"
    )
    part_of = relations(extract(text, lexicon), "PART_OF")
    assert ("Subsecretaría de Educación Superior", "Ministerio de Educación") in part_of
    assert not any(child.startswith("Subsecretaría de Desarrollo") for child, _ in part_of)


AGENCY_ORDINANCE = """# Ordenanza Regional N° 100-2022-GRX/CR

Que, el grupo impulsor solicitó la creación de la Agencia Regional de Desarrollo para el
Departamento de Puno (ARD), mecanismo de articulación con el sector privado.

ARTÍCULO PRIMERO. - CREAR la Agencia Regional de Desarrollo de la Región de Puno.

{article_two}
El Gobernador Regional de Puno, quien lo preside.
El presidente de la Cámara de Comercio de Puno, como secretaría técnica.
El Rector de la Universidad Nacional de Puno.
ARTÍCULO TERCERO. - ENCARGAR al Comité Directivo la elaboración de su Reglamento Interno.
""".format(
    article_two="ARTÍCULO SEGUNDO. - RECONOCER al Comité Directivo de la Agencia Regional de "
    "Desarrollo de la Región de Puno, el cual está integrado por:"
)


def test_members_of_an_organ_named_with_its_body_join_the_body(lexicon: Lexicon) -> None:
    ex = extract(AGENCY_ORDINANCE, lexicon)
    agencies = [e for e in ex.entities if e.name.startswith("Agencia Regional de Desarrollo")]
    # the agency named three ways (its place said with "para el Departamento de", "de la
    # Región de" and inside its committee's name) is one institution
    assert len(agencies) == 1
    agency = agencies[0].name
    members = {m for m, body in relations(ex, "PARTICIPATES_IN") if body == agency}
    assert {"Gobierno Regional de Puno", "Cámara de Comercio de Puno",
            "Universidad Nacional de Puno"} <= members
    part_of = relations(ex, "PART_OF")
    committee = "Comité Directivo de la Agencia Regional de Desarrollo de la Región de Puno"
    assert (committee, agency) in part_of
    # a member is never the body its fellow members join
    assert not any(parent == "Cámara de Comercio de Puno" for _, parent in part_of)



TASKS_BY_LIST = """LEY PARA EL FOMENTO DE LA INNOVACIÓN REGIONAL

Artículo 11. Corresponde a la Secretaría de Economía:
I. Elaborar el Programa Especial para la Innovación Regional, en coordinación con la Secretaría
de Hacienda y Crédito Público;
II. Ejercer las atribuciones que le confiere el artículo 34 de la Ley Orgánica de la
Administración Pública Federal.
"""


def test_tasks_listed_after_corresponde_a_and_the_partners_of_each(lexicon: Lexicon) -> None:
    ex = extract(TASKS_BY_LIST, lexicon)
    programme = "Programa Especial para la Innovación Regional"
    secretariat, treasury = "Secretaría de Economía", "Secretaría de Hacienda y Crédito Público"
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert (secretariat, programme) in responsible
    assert (treasury, programme) in relations(ex, "CO_RESPONSIBLE_FOR")
    coordinated = relations(ex, "COORDINATES_WITH")
    assert (secretariat, treasury) in coordinated or (treasury, secretariat) in coordinated
    # a law cited as the basis of a task is not something the body runs
    assert not any(what.startswith("Ley") for _, what in responsible)


def test_a_unit_named_after_an_institution_of_the_document_is_part_of_it(
    lexicon: Lexicon,
) -> None:
    text = (
        "Artículo 4.- El Consejo de Ministros de la Comisión Nacional de Regadío aprobará las "
        "bases. La Comisión Nacional de Regadío publicará los resultados. El Servicio "
        "Administrativo del Gobierno Regional de la Región de Valle Alto apoyará al Gobierno "
        "Regional de Valle Alto. El Ministerio de Desarrollo Social y Familia informará.\n"
    )
    part_of = relations(extract(text, lexicon), "PART_OF")
    assert ("Consejo de Ministros de la Comisión Nacional de Regadío",
            "Comisión Nacional de Regadío") in part_of
    # the owner's place said another way ("de la Región de Valle Alto") is still the owner
    assert ("Servicio Administrativo del Gobierno Regional de la Región de Valle Alto",
            "Gobierno Regional de Valle Alto") in part_of
    # a ministry's field is no owner
    assert not any(child.startswith("Ministerio") for child, _ in part_of)


def test_a_body_attached_to_another_is_part_of_it(lexicon: Lexicon) -> None:
    text = (
        "# Ordenanza Regional N° 101-2022-GRX/CR\n\n"
        "ARTÍCULO PRIMERO.- CREAR la Agencia Regional de Desarrollo de Valle Alto, adscrita a "
        "la Gerencia Regional de Desarrollo Económico.\nEl Programa Regional de Riego, "
        "dependiente de la Gerencia Regional de Agricultura, ejecutará las obras. La Gerencia "
        "Regional de Turismo informará a la Gerencia Regional de Comercio.\n"
    )
    ex = extract(text, lexicon)
    assert ("Agencia Regional de Desarrollo de Valle Alto",
            "Gerencia Regional de Desarrollo Económico") in relations(ex, "PART_OF")
    assert ("Gerencia Regional de Agricultura",
            "Programa Regional de Riego") in relations(ex, "RESPONSIBLE_FOR")
    # two bodies in one sentence without a word of attachment are not parent and child
    assert ("Gerencia Regional de Turismo",
            "Gerencia Regional de Comercio") not in relations(ex, "PART_OF")


def test_a_council_integrated_as_follows_with_items_opening_with_con(lexicon: Lexicon) -> None:
    text = (
        "# Ley 99002\n\nArtículo 63.- El Consejo Consultivo de la Artesanía se integrará como "
        "sigue:\na) Con el Director Nacional del Servicio Nacional del Patrimonio Cultural, quien "
        "lo presidirá.\nb) Con un representante del Ministerio de Economía, Fomento y Turismo.\n"
    )
    ex = extract(text, lexicon)
    council = "Consejo Consultivo de la Artesanía"
    members = {m for m, body in relations(ex, "PARTICIPATES_IN") if body == council}
    assert members == {"Servicio Nacional del Patrimonio Cultural",
                       "Ministerio de Economía, Fomento y Turismo"}
    assert ("Servicio Nacional del Patrimonio Cultural", council) in relations(
        ex, "RESPONSIBLE_FOR")


def test_an_instrument_named_as_the_basis_of_a_duty_is_not_its_object(lexicon: Lexicon) -> None:
    text = (
        "# Ordenanza Regional N° 102-2022-GRX/CR\n\n"
        "ARTÍCULO SEGUNDO.- ENCARGAR a la Gerencia Regional de Infraestructura, en el marco de "
        "la Ley N° 27293, la formulación del Plan Regional de Caminos Vecinales.\n"
        "ARTÍCULO TERCERO.- ENCARGAR a la Gerencia Regional de Agricultura, conforme a lo "
        "dispuesto en el artículo 5 de la Ley N° 29337, la ejecución de la Ley N° 29337.\n"
    )
    responsible = relations(extract(text, lexicon), "RESPONSIBLE_FOR")
    assert ("Gerencia Regional de Infraestructura",
            "Plan Regional de Caminos Vecinales") in responsible
    assert not any(body == "Gerencia Regional de Infraestructura" and what.startswith("Ley")
                   for body, what in responsible)
    # the same law named again as what is to be carried out is the object
    assert any(body == "Gerencia Regional de Agricultura" and "29337" in what
               for body, what in responsible)


def test_populated_places_named_by_their_kind_are_territories(lexicon: Lexicon) -> None:
    text = (
        "# Informe\n\nEl proyecto llegó a la comunidad de Dos Aguas, en el corregimiento de El "
        "Harino, y a la localidad de Acobamba del departamento de Antioquia. El Departamento de "
        "Recursos Humanos del Ministerio de Energía informó.\n"
    )
    kinds = {e.name: e.kind for e in extract(text, lexicon).entities if e.label == "Territory"}
    assert {"Dos Aguas", "El Harino", "Acobamba", "Antioquia"} <= kinds.keys()
    assert kinds["Acobamba"] == "city"
    # an office called "Departamento de ..." is no department: only known departments are read
    assert "Recursos Humanos" not in kinds


def test_a_city_named_by_its_kind_is_a_territory_unless_it_is_a_capital_name(
    lexicon: Lexicon,
) -> None:
    """"Dado en la ciudad de Huacho" (535 "la ciudad de X" in 306 bulk texts) names a city;
    "la ciudad de México" is Mexico City, never a second country, and "la Ciudad de X"
    written with a capital is a name of its own."""
    text = (
        "Dado en la ciudad de Cerro Alto, a los diez días. Las demarcaciones territoriales de "
        "la ciudad de México. La Ciudad de Dios es un barrio.\n"
    )
    kinds = {e.name: e.kind for e in extract(text, lexicon).entities if e.label == "Territory"}
    assert kinds.get("Cerro Alto") == "city"
    assert "México" not in kinds and "Dios" not in kinds


def test_a_sentence_opening_with_an_instruments_head_is_about_that_instrument(
    lexicon: Lexicon,
) -> None:
    """"Artículo 2°.- El Fondo será administrado por X": the fund named in full before ("el
    Fondo" after a "Fondo ..." in 36 bulk texts, "el Plan" in 173); "el Fondo" inside a
    sentence about something else gives nothing."""
    text = (
        "Artículo 1°.- Créase el Fondo de Apoyo a la Innovación de Laguna Verde.\n\n"
        "Artículo 2°.- El Fondo será administrado por el Ministerio de Economía, Fomento y "
        "Turismo.\n\nArtículo 3°.- Los recursos del Fondo y el informe serán revisados por la "
        "Contraloría General de la República.\n"
    )
    runs = relations(extract(text, lexicon), "RESPONSIBLE_FOR")
    assert ("Ministerio de Economía, Fomento y Turismo",
            "Fondo de Apoyo a la Innovación de Laguna Verde") in runs
    assert not any(body.startswith("Contraloría") for body, _ in runs)


PLURAL_HEADS_LAW = """LEY NÚM. 21.900
CREA EL CONSEJO NACIONAL DE LA MIEL

Artículo 1o.- Créase el Consejo Nacional de la Miel, el que estará integrado por:
a) Los Ministros de Agricultura y de Economía, Fomento y Turismo.
b) El Presidente de la República o su delegado.
c) Un representante de las organizaciones de apicultores.

Artículo 2o.- Un reglamento expedido por los Ministerios de Minería, de Hacienda y del Trabajo
y Previsión Social fijará las normas del Consejo.
"""


def test_a_plural_head_names_one_body_per_complement(lexicon: Lexicon) -> None:
    """"los Ministerios de Minería, de Hacienda y del Trabajo y Previsión Social" are three
    ministries (42 bulk texts write several bodies under one plural head)."""
    from loaders.extract.plural_heads import find_plural_heads

    text = "suscrito por los Ministerios de Minería, de Hacienda y del Trabajo y Previsión Social."
    assert [c.name for c in find_plural_heads(text)] == [
        "Ministerio de Minería",
        "Ministerio de Hacienda",
        "Ministerio del Trabajo y Previsión Social",
    ]
    # without a repeated preposition the complement may be one name: left alone
    assert list(find_plural_heads("los Ministerios de Hacienda y Economía")) == []
    names = {e.name for e in extract(PLURAL_HEADS_LAW, lexicon).entities}
    assert {"Ministerio de Minería", "Ministerio de Hacienda"} <= names
    assert not any(n.startswith("Ministerios") for n in names)


def test_each_lettered_item_is_a_member_and_the_head_of_state_is_not_the_republic(
    lexicon: Lexicon,
) -> None:
    """Items "a) ... b) ..." on consecutive lines stay apart, an item naming two ministries
    under one plural head gives both, and "el Presidente de la República" is the head of
    state, not "República"."""
    ex = extract(PLURAL_HEADS_LAW, lexicon)
    council = "Consejo Nacional de la Miel"
    members = {m for m, body in relations(ex, "PARTICIPATES_IN") if body == council}
    assert {"Ministerio de Agricultura", "Presidente de la República"} <= members
    assert any(m.startswith("Ministerio de Economía") for m in members)
    assert "República" not in {e.name for e in ex.entities}


ORGAN_LIST = """ORDENANZA REGIONAL N° 003-2021-GRX/CR

ARTÍCULO PRIMERO.- CREAR la Agencia Regional de Desarrollo de Laguna Verde.

ARTÍCULO SEGUNDO.- El Comité Directivo de la Agencia Regional de Desarrollo de Laguna Verde
está conformado por:
a) El Gerente Regional de Desarrollo Económico, quien lo preside.
b) Un representante de la Cámara de Comercio de Laguna Verde.

ARTÍCULO TERCERO.- El Equipo Técnico queda conformado por las siguientes instituciones:
a) El Director Regional de la Producción.
b) Un representante de la Universidad Nacional de Laguna Verde.
"""


def test_members_of_an_organ_sit_in_the_organ_and_in_its_body(lexicon: Lexicon) -> None:
    ex = extract(ORGAN_LIST, lexicon)
    part = relations(ex, "PARTICIPATES_IN")
    chamber = "Cámara de Comercio de Laguna Verde"
    assert (chamber, "Agencia Regional de Desarrollo de Laguna Verde") in part
    assert any(m == chamber and body.startswith("Comité Directivo") for m, body in part)
    # a list whose subject is no known body never makes its first member the body
    assert not any(body.startswith("Dirección Regional de la Producción") for _m, body in part)


PROGRAMME_POST = """# Energía solar para comunidades rurales

Más de 300 familias cuentan desde hoy con energía limpia gracias al proyecto "Luz para el
Valle", implementado por el Programa de las Naciones Unidas para el Desarrollo (PNUD) con
financiamiento del Fondo para el Medio Ambiente Mundial (FMAM).

La iniciativa se desarrolló en alianza con la Secretaría Nacional de Energía (SNE) y la
Oficina de Electrificación Rural (OER).

El proyecto forma parte de la Estrategia Nacional de Electrificación Rural.

El Plan Regional de Turismo, junto con las Agendas Locales, ordena los proyectos.
"""


def test_a_sentence_about_the_programme_named_before_gives_its_partners(
    lexicon: Lexicon,
) -> None:
    """"La iniciativa se desarrolló en alianza con X y Y" makes X and Y co-responsible for
    the project the post is about; "El proyecto forma parte de Z" makes it part of Z; a
    programme named before "junto con" without a participle of its own has no partners."""
    ex = extract(PROGRAMME_POST, lexicon)
    project = "Luz para el Valle"
    co = relations(ex, "CO_RESPONSIBLE_FOR")
    assert ("Secretaría Nacional de Energía", project) in co
    assert ("Oficina de Electrificación Rural", project) in co
    assert (project, "Estrategia Nacional de Electrificación Rural") in relations(ex, "PART_OF")
    assert not any(target.startswith("Plan Regional de Turismo") for _s, target in co)


def test_the_member_presiding_a_body_takes_part_in_it_and_is_responsible_for_it(
    lexicon: Lexicon,
) -> None:
    """"El Comité ... será presidido por el Titular del Ejecutivo Federal" (92 bulk texts
    write "presidido por"); a government is never read as a presided body."""
    text = (
        "LEY PARA EL FOMENTO DE LA PRUEBA\n\nArtículo 10. El Comité Nacional de la Prueba será "
        "presidido por el Secretario de Economía y estará integrado por los titulares de las "
        "Secretarías de Hacienda y Crédito Público y de Educación Pública.\n\nArtículo 11. El "
        "Gobierno Regional de Laguna Verde, presidido por el Gobernador Regional, aprobará el "
        "Plan Regional de Pruebas.\n"
    )
    ex = extract(text, lexicon)
    committee = "Comité Nacional de la Prueba"
    assert ("Secretaría de Economía", committee) in relations(ex, "RESPONSIBLE_FOR")
    part = relations(ex, "PARTICIPATES_IN")
    assert ("Secretaría de Economía", committee) in part
    assert ("Secretaría de Educación Pública", committee) in part
    assert not any(body.startswith("Gobierno Regional") for _m, body in part)


def test_an_organ_every_body_has_is_named_with_its_body(lexicon: Lexicon) -> None:
    """"el Consejo de Ministros de la Comisión Nacional de Riego": another commission has a
    Consejo de Ministros too, so the organ keeps its body in its name and is part of it."""
    text = (
        "LEY NÚM. 21.901\n\nArtículo 2°.- La Comisión Nacional de Riego llamará a concursos."
        "\n\nArtículo 3°.- Las normas serán aprobadas por el Consejo de Ministros de la "
        "Comisión Nacional de Riego.\n"
    )
    ex = extract(text, lexicon)
    organ = "Consejo de Ministros de la Comisión Nacional de Riego"
    assert organ in {e.name for e in ex.entities}
    assert (organ, "Comisión Nacional de Riego") in relations(ex, "PART_OF")


def test_listed_communities_are_places_and_a_list_ends_with_its_names(lexicon: Lexicon) -> None:
    """"las comunidades de Cerro Alto y Loma Verde" names two places; in "las comunidades de
    Pasco en la consolidación ... e O" the names end at "en la": no place "O" (OCR debris)."""
    text = (
        "# Energía para el campo\n\nMás de 300 familias de las comunidades de Cerro Alto y "
        "Loma Verde, en el distrito de Río Claro, tienen energía.\n\n"
        "Año de la participación de las comunidades de Pasco en la Yo e O consolidación.\n"
    )
    places = {e.name for e in extract(text, lexicon).entities if e.label == "Territory"}
    assert {"Cerro Alto", "Loma Verde", "Río Claro"} <= places
    assert "O" not in places and "Yo" not in places


SAN_ALTO_ORDINANCE = """ORDENANZA REGIONAL N° 007-2021-GRSA/CR

Que, el Consejo Regional del Gobierno Regional de San Alto, en Sesión Ordinaria llevada a cabo
el día 14 de junio de 2021, aprobó por UNANIMIDAD la siguiente:

ORDENANZA REGIONAL:

ARTÍCULO PRIMERO: APROBAR el Plan Regional de Competitividad de San Alto al 2030.

ARTICULO SEGUNDO: ENCARGAR a la Gerencia Regional de
Planeamiento y Presupuesto, la implementación del Plan Regional de Competitividad de San Alto.

ARTÍCULO TERCERO: REMITIR el Plan Operativo Institucional a la Gerencia Regional de Desarrollo
Económico.
"""


def test_a_council_that_approved_by_vote_issues_the_ordinance_and_a_broken_line_keeps_a_name(
    lexicon: Lexicon,
) -> None:
    """"aprobó por UNANIMIDAD la siguiente" (84 bulk texts) names the issuing council; a line
    ending on "de" continues on the next ("Gerencia Regional de" + "Planeamiento y
    Presupuesto"); a name ends before "a la" and another head noun."""
    ex = extract(SAN_ALTO_ORDINANCE, lexicon)
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert any(
        s == "Consejo Regional del Gobierno Regional de San Alto" and t.startswith("Ordenanza")
        for s, t in responsible
    )
    assert any(s == "Gerencia Regional de Planeamiento y Presupuesto" and t.startswith(
        "Plan Regional de Competitividad") for s, t in responsible)
    names = {e.name for e in ex.entities}
    assert "Plan Operativo Institucional" in names
    assert not any(n.startswith("Plan Operativo Institucional a la") for n in names)


def test_a_body_that_must_draw_up_or_keep_an_instrument_is_responsible_for_it(
    lexicon: Lexicon,
) -> None:
    """"deberá elaborar el Plan X", "llevará el Registro Y"; a law's title ("Ley N° 29230,
    Ley que impulsa la inversión ... de los Gobiernos Regionales") makes nobody responsible."""
    text = (
        "Artículo 4.- El Ministerio de Agricultura deberá elaborar el Plan Nacional Apícola. "
        "El Servicio Agrícola y Ganadero llevará el Registro Nacional de Apicultores.\n\n"
        "Que, la Ley N° 29230, Ley que impulsa la inversión pública regional y local con "
        "participación del sector privado, faculta a los Gobiernos Regionales, Municipalidades "
        "y Universidades Públicas a suscribir convenios.\n"
    )
    responsible = relations(extract(text, lexicon), "RESPONSIBLE_FOR")
    assert ("Ministerio de Agricultura", "Plan Nacional Apícola") in responsible
    assert ("Servicio Agrícola y Ganadero", "Registro Nacional de Apicultores") in responsible
    assert not any(t.startswith("Ley N° 29230") for _s, t in responsible)


def test_a_channel_to_a_body_is_not_a_unit_acting_for_it(lexicon: Lexicon) -> None:
    """"presentadas ante la Oficina X, por intermedio del Ministro de Salud": the ministry is
    the channel to the office, not a unit of it; "el Ministerio, a través de la Dirección Y"
    still makes Y part of the ministry."""
    text = (
        "---\nsource_url: https://www.leychile.cl/x\n---\n\n"
        "Artículo 2.- Las propuestas serán presentadas ante la Oficina de Autorizaciones "
        "Sectoriales, por intermedio del Ministro de Salud.\n\nArtículo 3.- El Ministerio de "
        "Hacienda, a través de la Dirección de Presupuestos, fijará los montos.\n"
    )
    parts = relations(extract(text, lexicon), "PART_OF")
    assert not any(s == "Ministerio de Salud" for s, _t in parts)
    assert any(s.startswith("Dirección de Presupuestos") and t == "Ministerio de Hacienda"
               for s, t in parts)


INLINE_MARKED = """Artículo 7. Se crea el Comité Nacional de la Miel, el cual estará integrado \
por: I. El Titular de la Secretaría de Economía, quien lo presidirá; II. El Titular de la \
Secretaría de Agricultura y Desarrollo Rural; III. Un representante del Consejo Mexicano \
Apícola, y IV. Un representante de la Comisión Federal para la Protección contra Riesgos \
Sanitarios. El Comité sesionará dos veces al año con la Secretaría de Turismo como invitada.

Artículo 8. Corresponde a la Secretaría de Economía: I. Elaborar el Programa Nacional de Fomento \
Apícola; II. Llevar el Registro Nacional de Productores Apícolas.
"""


def test_a_list_whose_marked_items_follow_the_colon_on_the_same_line(lexicon: Lexicon) -> None:
    ex = extract(INLINE_MARKED, lexicon)
    committee = "Comité Nacional de la Miel"
    members = {who for who, body in relations(ex, "PARTICIPATES_IN") if body == committee}
    assert members == {
        "Secretaría de Economía",
        "Secretaría de Agricultura y Desarrollo Rural",
        "Consejo Mexicano Apícola",
        "Comisión Federal para la Protección contra Riesgos Sanitarios",
    }  # the list ends with its sentence: the guest named after it is no member
    assert ("Secretaría de Economía", committee) in relations(ex, "RESPONSIBLE_FOR")
    assert ("Secretaría de Economía", "Programa Nacional de Fomento Apícola") in relations(
        ex, "RESPONSIBLE_FOR"
    )


DASHED_ITEMS = """Artículo 10.- El Consejo Consultivo Apícola estará integrado por:
I.- El Secretario de Economía;
II.- El Director General del Servicio de Administración Tributaria, y
III.- Un representante de la Comisión Nacional Forestal.
"""


def test_an_item_ending_on_y_does_not_swallow_the_next_dashed_item(lexicon: Lexicon) -> None:
    members = {who for who, _ in relations(extract(DASHED_ITEMS, lexicon), "PARTICIPATES_IN")}
    assert {"Servicio de Administración Tributaria", "Comisión Nacional Forestal"} <= members


@pytest.mark.parametrize(
    "name", ["Consejo Asesor de Fomento Apícola", "Comisión Asesora Presidencial de Riego",
             "Comité Coordinador Regional de Turismo"]
)
def test_an_advisory_or_coordinating_body_keeps_its_adjective(name: str, lexicon: Lexicon) -> None:
    ex = extract(f"Artículo 4º.- Créase el {name}, que estará integrado por representantes.\n",
                 lexicon)
    assert name in {e.name for e in ex.entities}


OWN_GOVERNMENT = """ORDENANZA REGIONAL N° 012-2022-GRLV/CR

Que, el Gobierno Regional de Laguna Verde promueve la competitividad de la región;

ARTÍCULO PRIMERO.- CONFORMAR el Consejo Regional de Competitividad de Laguna Verde, el cual \
está conformado por: 1. El Gobernador Regional, quien lo preside. 2. Los Alcaldes Provinciales \
de la Región. 3. Un representante de los alcaldes distritales. 4. Los representantes de la \
sociedad civil.

ARTÍCULO SEGUNDO.- La Mesa Técnica de Turismo estará integrada por los alcaldes provinciales y \
por representantes de la sociedad civil.
"""


def test_offices_named_alone_are_the_documents_own_bodies_and_their_collectives(
    lexicon: Lexicon,
) -> None:
    ex = extract(OWN_GOVERNMENT, lexicon)
    council, table = "Consejo Regional de Competitividad de Laguna Verde", "Mesa Técnica de Turismo"
    taking_part = relations(ex, "PARTICIPATES_IN")
    assert {who for who, body in taking_part if body == council} == {
        "Gobierno Regional de Laguna Verde",
        "Alcaldes provinciales",
        "Alcaldes distritales",
        "Sociedad civil",
    }
    assert ("Gobierno Regional de Laguna Verde", council) in relations(ex, "RESPONSIBLE_FOR")
    assert {who for who, body in taking_part if body == table} == {
        "Alcaldes provinciales",
        "Sociedad civil",
    }
    collectives = {e.name for e in ex.entities if e.kind == "collective"}
    assert {"Alcaldes provinciales", "Sociedad civil"} <= collectives


def test_an_office_named_alone_with_no_body_of_its_kind_in_the_document_is_no_member(
    lexicon: Lexicon,
) -> None:
    ex = extract("Artículo 3.- El Comité Técnico de Riego estará integrado por: a) El Gobernador "
                 "Regional; b) El Director Regional de Agricultura.\n", lexicon)
    assert {who for who, _ in relations(ex, "PARTICIPATES_IN")} == {
        "Dirección Regional de Agricultura"
    }


DIVISION_CHAINS = """Que, la obra beneficia al Centro Poblado de Concepción, distrito de Echarati, \
provincia de La Convención, departamento de Cusco; y al DISTRITO DE COCACHACRA DE LA PROVINCIA DE \
ISLAY DEL DEPARTAMENTO DE AREQUIPA. Se atendió al distrito de Ocobamba, en la provincia de La \
Convención Sr. Presidente. En el DISTRITO DE AHUAYCHA, PROVINCIA DE TAYACAJA DEP. HUANCAVELICA. \
Los distritos de Santa Rosa, distrito de Lima y distrito de Ate \
firmaron el acta.
"""


def test_a_chain_of_divisions_makes_each_part_of_the_next(lexicon: Lexicon) -> None:
    part_of = relations(extract(DIVISION_CHAINS, lexicon), "PART_OF")
    assert {
        ("Concepción", "Echarati"),
        ("Echarati", "Provincia de La Convención"),
        ("Provincia de La Convención", "Cusco"),
        ("Cocachacra", "Provincia de Islay"),
        ("Provincia de Islay", "Arequipa"),
        ("Ocobamba", "Provincia de La Convención"),
        ("Ahuaycha", "Provincia de Tayacaja"),
    } <= part_of
    # divisions of one rank side by side are siblings, not parts of each other
    assert not {(a, b) for a, b in part_of if {a, b} & {"Santa Rosa", "Lima", "Ate"}}


def test_an_instrument_named_after_its_owner_is_the_owners(lexicon: Lexicon) -> None:
    ex = extract(
        "Que, el Consejo Regional de Laguna Verde aprobó el Reglamento Interno del Consejo "
        "Regional de Laguna Verde y la Gerencia Regional de Turismo su Manual de Operaciones de "
        "la Gerencia Regional de Turismo, conforme a la Ley Orgánica de Gobiernos Regionales.\n",
        lexicon,
    )
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert ("Consejo Regional de Laguna Verde",
            "Reglamento Interno del Consejo Regional de Laguna Verde") in responsible
    assert ("Gerencia Regional de Turismo",
            "Manual de Operaciones de la Gerencia Regional de Turismo") in responsible
    # a law named after a kind of body belongs to no body of the document
    assert not any(what.startswith("Ley") for _, what in responsible)


def test_the_heading_names_the_own_agreement_not_the_law_its_preamble_cites(
    lexicon: Lexicon,
) -> None:
    ex = extract(
        "# Acuerdo de Consejo Regional N.° 089-2025\n\nEl Consejo Regional del Gobierno Regional "
        "de Laguna Verde, en uso de las facultades conferidas por la Ley N° 27867, Ley Orgánica "
        "de Gobiernos Regionales;\n\nACUERDA:\n\nENCARGAR a la Secretaría del Consejo Regional, "
        "notificar el presente Acuerdo de Consejo Regional.\n",
        lexicon,
    )
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert ("Secretaría del Consejo Regional", "Acuerdo de Consejo Regional N° 089-2025") in (
        responsible
    )
    assert not any(what.startswith("Ley") for _, what in responsible)


def test_an_instrument_named_after_a_territory_covers_it(lexicon: Lexicon) -> None:
    ex = extract(
        "Que, el Plan de Desarrollo Regional Concertado de Cusco al 2030 y el Reglamento Interno "
        "del Consejo Regional del Cusco fueron aprobados por el Gobierno Regional del Cusco.\n",
        lexicon,
    )
    covers = relations(ex, "COVERS")
    assert ("Plan de Desarrollo Regional Concertado de Cusco", "Cusco") in covers
    # a council's regulation is placed by the council's name, not by what it covers
    assert not any(what.startswith("Reglamento") for what, _ in covers)
    assert ("Gobierno Regional del Cusco", "Cusco") in relations(ex, "OPERATES_IN")


def test_the_code_ending_a_peruvian_identifier_names_its_issuer(lexicon: Lexicon) -> None:
    ex = extract(
        "---\ncountry: pe\n---\nQue, la Presidencia del Consejo de Ministros aprobó el Decreto "
        "Supremo N° 029-2018-PCM; el Ministerio de la Producción, mediante Resolución Ministerial "
        "N° 123-2020-PRODUCE/DM, y el Decreto Supremo N° 345-2018-EF dispusieron lo mismo.\n",
        lexicon,
    )
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert ("Presidencia del Consejo de Ministros",
            "Decreto Supremo N° 029-2018-PCM") in responsible
    assert ("Ministerio de la Producción",
            "Resolución Ministerial N° 123-2020-PRODUCE/DM") in responsible
    # an issuer the document does not name is not brought in
    assert "Ministerio de Economía y Finanzas" not in {e.name for e in ex.entities}


def test_a_government_is_made_of_organs_and_a_listed_law_is_no_member(lexicon: Lexicon) -> None:
    ex = extract(
        "Que, el Gobierno Regional de Laguna Verde, cuya estructura orgánica está conformada "
        "por:\n1. El Consejo Regional de Laguna Verde.\n2. La Gerencia Regional de Turismo.\n"
        "3. La Cámara de Comercio de Laguna Verde.\n• Decreto Supremo N° 097-2009-EF, que "
        "precisa criterios del Consejo Nacional de Competitividad.\n",
        lexicon,
    )
    government = "Gobierno Regional de Laguna Verde"
    part_of = relations(ex, "PART_OF")
    assert {("Consejo Regional de Laguna Verde", government),
            ("Gerencia Regional de Turismo", government)} <= part_of
    members = {who for who, body in relations(ex, "PARTICIPATES_IN") if body == government}
    assert members == {"Cámara de Comercio de Laguna Verde"}


def test_what_is_in_the_charge_of_a_body_is_its_responsibility(lexicon: Lexicon) -> None:
    ex = extract(
        "Artículo 6.- La Secretaría Técnica del Consejo estará a cargo de la Gerencia Regional de "
        "Desarrollo Económico.\n\nArtículo 8.- La administración del Fondo Mixto de Apoyo Social "
        "estará a cargo del Ministerio de Planificación y Cooperación.\n",
        lexicon,
    )
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert ("Gerencia Regional de Desarrollo Económico",
            "Secretaría Técnica del Consejo") in responsible
    assert ("Ministerio de Planificación y Cooperación", "Fondo Mixto de Apoyo Social") in (
        responsible
    )


def test_in_articled_text_a_place_comes_from_a_bodys_name_only(lexicon: Lexicon) -> None:
    ex = extract(
        "Artículo 1.- El Ministerio de Hacienda transferirá recursos a la región de Cajamarca.\n"
        "Artículo 2.- La Dirección Regional de Comercio Exterior y Turismo Cajamarca y el "
        "Gobierno Regional Puno suscriben el convenio.\n"
        "Artículo 3.- El Comité Innova Cajamarca evaluará los proyectos.\n",
        lexicon,
    )
    operates = relations(ex, "OPERATES_IN")
    assert ("Dirección Regional de Comercio Exterior y Turismo Cajamarca", "Cajamarca") in operates
    assert ("Gobierno Regional de Puno", "Puno") in operates  # the gazetteer's name
    # a ministry named beside a region in a sentence of a law is not placed there, nor is a body
    # whose name does not say it is regional
    placed = {body for body, _ in operates}
    assert not placed & {"Ministerio de Hacienda", "Comité Innova Cajamarca"}


def test_a_body_that_will_coordinate_with_another(lexicon: Lexicon) -> None:
    ex = extract(
        "Artículo 5.- El Ministerio de Economía coordinará con la Agencia Nacional de Desarrollo "
        "las acciones de fomento.\n\nArtículo 6.- La Secretaría de Economía deberá coordinar con "
        "la Secretaría de Hacienda y Crédito Público la elaboración del programa.\n",
        lexicon,
    )
    pairs = {frozenset(p) for p in relations(ex, "COORDINATES_WITH")}
    assert frozenset({"Ministerio de Economía", "Agencia Nacional de Desarrollo"}) in pairs
    treasury = "Secretaría de Hacienda y Crédito Público"
    assert frozenset({"Secretaría de Economía", treasury}) in pairs


def test_a_body_that_is_responsible_for_a_named_programme(lexicon: Lexicon) -> None:
    ex = extract(
        "Artículo 3.- La Dirección Regional de la Producción es responsable del Programa Regional "
        "de Cadenas Productivas.\n",
        lexicon,
    )
    assert ("Dirección Regional de la Producción",
            "Programa Regional de Cadenas Productivas") in relations(ex, "RESPONSIBLE_FOR")


def test_the_list_belongs_to_the_body_created_not_to_the_one_it_is_attached_to(
    lexicon: Lexicon,
) -> None:
    ex = extract(
        "ARTÍCULO PRIMERO.- CREAR el Consejo Regional de Fomento Artesanal de Laguna Verde, como "
        "instancia concertadora, adscrito a la Gerencia Regional de Desarrollo Económico; el "
        "mismo que estará integrado por:\na) Un representante de la Dirección Regional de la "
        "Producción.\nb) Un representante de la Cámara de Comercio de Laguna Verde.\n\n"
        "ARTÍCULO SEGUNDO.- La Gerencia Regional de Planeamiento propone el Comité Directivo del "
        "Marco Institucional de la Estrategia Nodo Sur, el cual estará conformado por:\n"
        "a) Un representante de la Municipalidad Provincial de Laguna Verde.\n\n"
        "ARTÍCULO TERCERO.- NOMBRAR una Comisión Especial Regional, para la aplicación del "
        "Convenio 169 de la Organización Internacional del Trabajo, la misma que estará integrada "
        "por:\na) Un representante de la Autoridad Regional Ambiental.\n",
        lexicon,
    )
    taking_part = relations(ex, "PARTICIPATES_IN")
    assert ("Autoridad Regional Ambiental", "Comisión Especial Regional") in taking_part
    council = "Consejo Regional de Fomento Artesanal de Laguna Verde"
    assert {("Dirección Regional de la Producción", council),
            ("Cámara de Comercio de Laguna Verde", council)} <= taking_part
    # a committee named with a complement is a body of its own, not an organ of the gerencia
    assert ("Municipalidad Provincial de Laguna Verde",
            "Comité Directivo del Marco Institucional de la Estrategia Nodo Sur") in taking_part
    assert not any(body.startswith("Gerencia") for _, body in taking_part)


def test_a_list_in_the_sentence_after_the_creation_belongs_to_the_created_team(
    lexicon: Lexicon,
) -> None:
    ex = extract(
        "ARTÍCULO PRIMERO.- CONFORMAR el Equipo Técnico de Articulación Multisectorial, de "
        "carácter técnico. Estará constituido por:\n1. La Gerencia Regional de Desarrollo Social.\n"
        "2. La Dirección Regional de Salud del Callao.\n",
        lexicon,
    )
    team = "Equipo Técnico de Articulación Multisectorial"
    assert {who for who, body in relations(ex, "PARTICIPATES_IN") if body == team} == {
        "Gerencia Regional de Desarrollo Social", "Dirección Regional de Salud del Callao"
    }


def test_the_organs_of_a_structure_are_no_members(lexicon: Lexicon) -> None:
    ex = extract(
        "Que, el artículo 191 de la Constitución establece que la estructura orgánica básica de "
        "estos gobiernos la conforman el Consejo Regional de Laguna Verde como órgano normativo, "
        "el Gobernador Regional como órgano ejecutivo, y el Consejo de Coordinación Regional "
        "integrado por los alcaldes provinciales y por representantes de la sociedad civil.\n\n"
        "Que, la estructura orgánica de la Agencia Regional de Desarrollo está conformada por:\n"
        "a) El Consejo Directivo.\nb) La Gerencia de Promoción de Inversiones.\n",
        lexicon,
    )
    taking_part = relations(ex, "PARTICIPATES_IN")
    assert not any(body.startswith("Consejo Regional de Laguna") for _, body in taking_part)
    assert ("Alcaldes provinciales", "Consejo de Coordinación Regional") in taking_part
    assert ("Gerencia de Promoción de Inversiones",
            "Agencia Regional de Desarrollo") in relations(ex, "PART_OF")


def test_what_a_task_serves_or_obeys_is_not_what_the_body_runs(lexicon: Lexicon) -> None:
    ex = extract(
        "Artículo 5.- La Sub Gerencia de Gestión Ambiental tendrá las siguientes funciones:\n"
        "a) Reportar la información de áreas degradadas para el Inventario Nacional de Áreas "
        "Degradadas.\nb) Cumplir con el Reglamento Nacional de Edificaciones.\n"
        "c) Formular el Plan Regional de Gestión Ambiental.\n",
        lexicon,
    )
    responsible = {what for who, what in relations(ex, "RESPONSIBLE_FOR")
                   if who == "Sub Gerencia de Gestión Ambiental"}
    assert responsible == {"Plan Regional de Gestión Ambiental"}


def test_a_unit_of_the_regional_government_named_bare_is_part_of_the_documents_own(
    lexicon: Lexicon,
) -> None:
    ex = extract(
        "Que, el Gobierno Regional de Laguna Verde aprobó su plan; la Gerencia General Regional "
        "del Gobierno Regional supervisa al Gobierno Regional de Laguna Verde.\n",
        lexicon,
    )
    parents = {parent for unit, parent in relations(ex, "PART_OF")
               if unit.startswith("Gerencia General Regional")}
    assert parents == {"Gobierno Regional de Laguna Verde"}


def test_an_organ_described_as_the_organ_of_a_body_is_part_of_it(lexicon: Lexicon) -> None:
    """"X es el órgano de línea del Gobierno Regional Y" (1,113 "es el órgano" in 690 bulk
    texts): X is PART_OF Y; the cited law's bare "del Gobierno Regional" is the document's own
    government, never the collective of all; an organ "encargado de" a task names no parent,
    and a plan named before "es un órgano" is not one."""
    raw = (
        "# Ordenanza Regional N° 012-2023-GRX/CR\n\n"
        "EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE LAGUNA VERDE\n\n"
        "CONSIDERANDO: Que, el Consejo Regional es el órgano normativo y fiscalizador del "
        "Gobierno Regional, conforme a la Ley N° 27867;\n\n"
        "Que, la Dirección Regional de Pesca Lacustre es un órgano de línea del Gobierno "
        "Regional de Laguna Verde; la Unidad Operativa de Riego es el órgano de línea "
        "dependiente de la Gerencia Sub Regional de Altura; la Oficina de Planeamiento es el "
        "órgano encargado de la Gerencia de Presupuesto; el Plan Anual de Pesca es el órgano "
        "rector del Gobierno Regional de Laguna Verde.\n"
    )
    ex = extract(raw, lexicon)
    part_of = relations(ex, "PART_OF")
    assert ("Dirección Regional de Pesca Lacustre", "Gobierno Regional de Laguna Verde") in part_of
    assert ("Unidad Operativa de Riego", "Gerencia Sub Regional de Altura") in part_of
    council_parents = {p for c, p in part_of if c.lower().startswith("consejo regional")}
    assert council_parents == {"Gobierno Regional de Laguna Verde"}
    assert not {(c, p) for c, p in part_of if c == "Oficina de Planeamiento"}
    assert not {(i, p) for i, p in relations(ex, "RESPONSIBLE_FOR") if p == "Plan Anual de Pesca"}


def test_a_colombian_law_names_its_collectives_and_its_finance_ministry(lexicon: Lexicon) -> None:
    """Colombia's departmental governments are "las gobernaciones" and its municipal
    executives "las alcaldías"; "el Ministro de Hacienda y Crédito Público" (who countersigns
    Colombian laws) stands for the ministry, and its "Crédito Público" is no credit
    instrument."""
    raw = (
        "LEY 2000 DE 2020\n\nEL CONGRESO DE COLOMBIA\n\nDECRETA:\n\n"
        "ARTÍCULO 5o. Las alcaldías y las gobernaciones podrán celebrar convenios con el "
        "Departamento Nacional de Planeación.\n\n"
        "El Ministro de Hacienda y Crédito Público,\nJUAN PÉREZ GÓMEZ.\n"
    )
    ex = extract(raw, lexicon)
    names = {e.name: e for e in ex.entities}
    assert {"Alcaldías", "Gobiernos departamentales"} <= set(names)
    assert names["Gobiernos departamentales"].country == "CO"
    assert "Ministerio de Hacienda y Crédito Público" in names
    assert not [n for n, e in names.items() if e.label != "Institution" and "Crédito" in n]


def test_a_law_that_names_an_agency_once_then_writes_its_head_alone_means_it(
    lexicon: Lexicon,
) -> None:
    """"el Instituto", "el Servicio" after the agency's full name are that agency (Chilean
    laws write about 2,900 bare "el Servicio" and 4,100 bare "el Ministerio" in
    ../shared/bulk), so the duties written with them reach it."""
    raw = (
        "LEY NÚM. 20.999\n\nArtículo 1°.- Créase el Fondo de Fomento Lechero, que será "
        "administrado por el Instituto de Desarrollo Agropecuario.\n\n"
        "Artículo 2°.- Corresponderá al Instituto elaborar el Programa Nacional de Praderas, "
        "en coordinación con el Servicio Agrícola y Ganadero.\n\n"
        "Artículo 3°.- El Servicio elaborará el Plan de Sanidad Lechera.\n"
    )
    ex = extract(raw, lexicon)
    responsible = relations(ex, "RESPONSIBLE_FOR")
    assert ("Instituto de Desarrollo Agropecuario", "Programa Nacional de Praderas") in responsible
    assert ("Servicio Agrícola y Ganadero", "Plan de Sanidad Lechera") in responsible


def test_every_funder_of_a_series_funds_the_programme(lexicon: Lexicon) -> None:
    raw = (
        "Artículo 4°.- El Programa Mi Granja será cofinanciado por el Banco Interamericano de "
        "Desarrollo y el Instituto de Desarrollo Agropecuario, en el marco de la Ley N° 20.000.\n"
    )
    funds = relations(extract(raw, lexicon), "FUNDS")
    assert funds == {("Banco Interamericano de Desarrollo", "Programa Mi Granja"),
                     ("Instituto de Desarrollo Agropecuario", "Programa Mi Granja")}


def test_the_rules_of_a_system_a_unit_obeys_are_not_what_it_runs(lexicon: Lexicon) -> None:
    """"conforme a las disposiciones normativas del Sistema Nacional de Contabilidad", "de
    acuerdo a las normas del Sistema X", "Participar en el Sistema Y": the unit follows or
    takes part in them (18 such functions in the bulk ROF texts); "Elaborar el Plan Z" is
    its own."""
    raw = (
        "# Ordenanza Regional N° 004-2022-GRX/CR\n\n"
        "Artículo 12.- La Oficina de Contabilidad tiene las siguientes funciones:\n"
        "a) Gestionar los procesos contables conforme a las disposiciones normativas del "
        "Sistema Nacional de Contabilidad.\n"
        "b) Hacer el seguimiento de proyectos de acuerdo a las normas del Sistema Nacional "
        "de Inversión Pública.\n"
        "c) Participar en el Sistema Nacional Coordinado y Descentralizado de Salud.\n"
        "d) Elaborar el Plan Anual de Contabilidad Regional.\n"
    )
    responsible = relations(extract(raw, lexicon), "RESPONSIBLE_FOR")
    assert responsible == {("Oficina de Contabilidad", "Plan Anual de Contabilidad Regional")}


def test_a_glossary_term_means_its_definition_not_the_last_body_of_its_head(
    lexicon: Lexicon,
) -> None:
    """A Mexican law defines "Secretaría: La Secretaría de Economía"; "el Titular de la
    Secretaría" in its council list is that secretariat even after another one was named,
    and "el Secretario de Hacienda y Crédito Público" is his secretariat, whose "Crédito
    Público" is no instrument."""
    raw = (
        "Artículo 2. Para efectos de esta Ley se entenderá por:\n"
        "I. Secretaría: La Secretaría de Economía;\n"
        "II. Consejo: El Consejo Nacional de Fomento Cooperativo.\n\n"
        "Artículo 3. Corresponde a la Secretaría elaborar el Programa Nacional de Fomento "
        "Cooperativo, en coordinación con la Secretaría de Bienestar.\n\n"
        "Artículo 4. El Consejo estará integrado por:\n"
        "I. El Titular de la Secretaría, quien lo presidirá;\n"
        "II. El Secretario de Hacienda y Crédito Público;\n"
        "III. Un representante de la Secretaría del Trabajo y Previsión Social.\n"
    )
    ex = extract(raw, lexicon)
    members = relations(ex, "PARTICIPATES_IN")
    council = "Consejo Nacional de Fomento Cooperativo"
    assert {m for m, body in members if body == council} == {
        "Secretaría de Economía", "Secretaría de Hacienda y Crédito Público",
        "Secretaría del Trabajo y Previsión Social",
    }
    assert not [e for e in ex.entities if e.label != "Institution" and "Crédito" in e.name]


def test_an_agreement_of_any_kind_with_a_body_is_coordination(lexicon: Lexicon) -> None:
    """"celebrar convenios de gestión con", "convenios de transferencia de recursos con" (149
    "celebrar/suscribir ... convenio(s) ... con" in ../shared/bulk)."""
    raw = (
        "Artículo 7°.- La Subsecretaría de Prevención del Delito podrá celebrar convenios de "
        "transferencia de recursos con el Servicio Nacional de Menores para la compra de "
        "equipos.\n"
    )
    assert relations(extract(raw, lexicon), "COORDINATES_WITH") == {
        ("Subsecretaría de Prevención del Delito", "Servicio Nacional de Menores")
    }


def test_the_body_a_definition_is_about_owns_the_list_that_follows(lexicon: Lexicon) -> None:
    """The Ley Orgánica de Gobiernos Regionales, quoted in 19 bulk texts: "el Consejo de
    Coordinación Regional es un órgano consultivo y de coordinación del Gobierno Regional X
    con las Municipalidades y está integrado por los alcaldes provinciales y por los
    representantes de la Sociedad Civil, quienes son elegidos ... por los delegados ... que
    el Gobierno Regional apertura": the members sit in the council, not in the government
    the definition names last, and the civil society's seat is not the government its gloss
    names."""
    raw = (
        "# Ordenanza Regional N° 004-2023-GRX/CR\n\n"
        "Que, el Consejo de Coordinación Regional es un órgano consultivo y de coordinación "
        "del Gobierno Regional Laguna Verde con las Municipalidades y está integrado por los "
        "alcaldes provinciales y por los representantes de la Sociedad Civil, quienes son "
        "elegidos democráticamente por un periodo de dos años, por los delegados legalmente "
        "acreditados de las organizaciones de nivel regional y provincial que se hayan "
        "inscrito en el padrón que el Gobierno Regional apertura para tal efecto.\n"
    )
    members = relations(extract(raw, lexicon), "PARTICIPATES_IN")
    seats = {m for m, body in members if body == "Consejo de Coordinación Regional"}
    assert {"Alcaldes provinciales", "Sociedad Civil"} <= seats
    assert not {body for _m, body in members if body.startswith("Gobierno Regional")}
    assert "Gobiernos regionales" not in seats


def test_an_organ_named_after_its_government_is_placed_through_it(lexicon: Lexicon) -> None:
    """"Consejo Regional del Gobierno Regional Apurímac": the government the document names
    OPERATES_IN Apurímac; its council is PART_OF it and is not placed a second time."""
    raw = (
        "# Ordenanza Regional N° 007-2019-GR-APURIMAC/CR\n\n"
        "EL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE APURÍMAC\n\n"
        "El Consejo Regional del Gobierno Regional Apurímac, en sesión ordinaria, y el Gobierno "
        "Regional de Apurímac acordaron aprobar la presente ordenanza.\n"
    )
    ex = extract(raw, lexicon)
    placed = relations(ex, "OPERATES_IN")
    assert ("Gobierno Regional de Apurímac", "Apurímac") in placed
    assert not {(i, t) for i, t in placed if i.startswith("Consejo Regional")}



def test_a_head_alone_at_the_end_of_a_name_is_no_owner() -> None:
    """Chile's "Ministerio Secretaría General de Gobierno" ends with "Gobierno", an entity of
    its own in LEY-20500 of ../shared/bulk; the ministry is not a unit of "Gobierno", while
    the "Consejo de Ministros de la Comisión Nacional de Riego" is one of the commission."""
    from loaders.extract.context import Builder
    from loaders.extract.legal_parents import _named_owner
    from loaders.extract.referents import variant_key

    government = Builder(key="Institution|gobierno", label="Institution", name="Gobierno")
    commission = Builder(key="Institution|cnr", label="Institution",
                         name="Comisión Nacional de Riego")
    by_name = {variant_key(b.name): b for b in (government, commission)}
    assert _named_owner("Ministerio Secretaría General de Gobierno", by_name) is None
    assert _named_owner("Consejo de Ministros de la Comisión Nacional de Riego",
                        by_name) is commission


def test_the_regional_governor_named_by_office_acts_for_the_documents_government(
    lexicon: Lexicon,
) -> None:
    """"ENCARGAR al Gobernador Regional la publicación ..." (1,181 such mentions in the
    Peruvian bulk texts): the governor acts for the regional government the document names;
    the body a sentence says he presides ("Dicha comisión deberá estar presidida por el
    Gobernador Regional e integrada por ...") keeps its members."""
    raw = (
        "# Ordenanza Regional N° 014-2017-CR/GRL\n\n"
        "ARTÍCULO PRIMERO.- CREAR la Comisión Regional de Seguimiento de la Anemia del "
        "Gobierno Regional de Lima. Dicha comisión deberá estar presidida por el Gobernador "
        "Regional e integrada por el Gerente Regional de Desarrollo Social y el Director "
        "Regional de Salud.\n\n"
        "ARTÍCULO SEGUNDO.- ENCARGAR al Gobernador Regional la ejecución del Plan Regional "
        "contra la Anemia.\n"
    )
    ex = extract(raw, lexicon)
    commission = "Comisión Regional de Seguimiento de la Anemia del Gobierno Regional de Lima"
    members = {m for m, body in relations(ex, "PARTICIPATES_IN") if body == commission}
    assert {"Gerencia Regional de Desarrollo Social", "Dirección Regional de Salud"} <= members
    assert ("Gobierno Regional de Lima", "Plan Regional contra la Anemia") in relations(
        ex, "RESPONSIBLE_FOR")


def test_an_organ_is_found_from_its_noun_in_any_case_and_as_an_organic_unit() -> None:
    """The scan that finds "es el órgano ... de" from its noun finds what the one regular
    expression it replaced found: capitals ("es el ÓRGANO de línea del ...") and "unidad
    orgánica" (accented) included."""
    from loaders.extract.legal_duties import organ_of

    def tails(text: str) -> list[str]:
        return [text[end:] for _start, end in organ_of(text)]

    assert tails("La Oficina X es el ÓRGANO de línea del Gobierno Regional Y") == [
        "Gobierno Regional Y"]
    assert tails("La Oficina X es una unidad orgánica de la Gerencia Y") == []
    assert tails("La Oficina X es un Órgano de apoyo de la Gerencia Y") == ["Gerencia Y"]
    assert tails("La Oficina X es un unidad orgánica de la Gerencia Y") == ["Gerencia Y"]
    assert tails("El Servicio es el organismo técnico del Ministerio Z") == ["Ministerio Z"]
    assert tails("es el órgano encargado de la Gestión") == []


def test_a_sentence_opening_with_its_verb_lists_the_members_of_the_body_before(
    lexicon: Lexicon,
) -> None:
    """"Las Comisiones Regionales ... coordinarán ... . Estarán integradas por el Gobernador
    ..., el Presidente de la Cámara de Comercio ...; y el Director Regional del Servicio
    Nacional de Aprendizaje" (67 bulk texts open a sentence with "Está/Estará/Será integrado"):
    the body is the previous sentence's subject, the members are the bodies the offices head,
    and "y" before a capital continues an office's name ("Ministro de Economía y Finanzas")."""
    raw = (
        "Artículo 2. Las Comisiones Regionales de Fomento de Laguna Verde coordinarán la "
        "política productiva. Estarán integradas por el Ministro de Economía y Finanzas, "
        "quien la presidirá; el Presidente de la Cámara de Comercio de Laguna Verde; y el "
        "Director Regional del Servicio Nacional de Aprendizaje.\n"
    )
    members = relations(extract(raw, lexicon), "PARTICIPATES_IN")
    body = "Comisiones Regionales de Fomento de Laguna Verde"
    assert {m for m, b in members if b == body} == {
        "Ministerio de Economía y Finanzas", "Cámara de Comercio de Laguna Verde",
        "Servicio Nacional de Aprendizaje",
    }


def test_offices_of_several_bodies_and_members_opened_by_por(lexicon: Lexicon) -> None:
    """Chile's "Habrá un Consejo ... . Será presidido por el Jefe del Estado y estará integrado
    por los Presidentes del Senado, de la Cámara de Diputados y de la Corte Suprema, ..., por
    el General Director de Carabineros y por el Contralor General de la República" (a creation
    by "Habrá un" in 20 laws; "Contralor General" in 28 texts): every office's body sits in it,
    and the head of state presides; a list item naming who designates a seat seats no one."""
    raw = (
        "source_url: https://www.bcn.cl/leychile/navegar?idNorma=999\n\n"
        "Artículo 95. Habrá un Consejo de Seguridad de Laguna Verde encargado de asesorar al "
        "Presidente de la República. Será presidido por el Jefe del Estado y estará integrado "
        "por los Presidentes del Senado, de la Cámara de Diputados y de la Corte Suprema, por "
        "el General Director de Carabineros y por el Contralor General de la República.\n"
        "Artículo 96. Habrá un Tribunal de Laguna Verde integrado por tres miembros, "
        "designados de la siguiente forma:\n"
        "a) Dos elegidos por el Congreso Nacional. Uno será nombrado directamente por el Senado "
        "y otro será previamente propuesto por la Cámara de Diputados para su aprobación o "
        "rechazo por el Senado, en votaciones únicas que requerirán para su aprobación del voto "
        "favorable de los dos tercios de los senadores o diputados en ejercicio.\n"
    )
    ex = extract(raw, lexicon)
    members = relations(ex, "PARTICIPATES_IN")
    council = "Consejo de Seguridad de Laguna Verde"
    assert {m for m, b in members if b == council} == {
        "Senado", "Cámara de Diputados", "Corte Suprema", "Carabineros de Chile",
        "Contraloría General de la República", "Presidente de la República",
    }
    assert ("Presidente de la República", council) in relations(ex, "RESPONSIBLE_FOR")
    assert not [m for m, b in members if b.startswith("Tribunal")]
    assert "Estado" not in {e.name for e in ex.entities}


def test_a_preposition_after_y_starts_another_name_and_credit_ends_one(lexicon: Lexicon) -> None:
    """"... del Emprendedor y con la Secretaría de Hacienda" (48 bulk texts put "con", "en",
    "ante" between "y" and the next head) is two names; "Caja Municipal de Ahorro y Crédito
    de Arequipa" and "Secretaría de Hacienda y Crédito Público" are one."""
    raw = (
        "Artículo 2. La Secretaría de Economía coordinará con el Instituto Nacional del "
        "Emprendedor y con la Secretaría de Hacienda y Crédito Público el apoyo a la Caja "
        "Municipal de Ahorro y Crédito de Arequipa.\n"
    )
    names = {e.name for e in extract(raw, lexicon).entities}
    assert {"Instituto Nacional del Emprendedor", "Secretaría de Hacienda y Crédito Público",
            "Caja Municipal de Ahorro y Crédito de Arequipa"} <= names
    assert not [n for n in names if n.startswith("Crédito") or " y con " in n]


def test_the_list_belongs_to_the_body_its_participle_agrees_with(lexicon: Lexicon) -> None:
    """"se resolvió reconocer la conformación del Grupo Impulsor, con el objetivo de impulsar
    la Creación de la Agencia Regional de Desarrollo de X, el mismo que estuvo conformado
    por": "conformado" agrees with the group, not with the agency named last (a relative
    pronoun before the list in 67 bulk texts; "Grupo Impulsor" named alone in 24 mentions)."""
    raw = (
        "# Ordenanza Regional N° 009-2022-GRX/CR\n\n"
        "Que, se resolvió reconocer la conformación del Grupo Impulsor, con el objetivo de "
        "impulsar la Creación de la Agencia Regional de Desarrollo de Laguna Verde, el mismo "
        "que estuvo conformado por: a) El Rector de la Universidad Nacional de Laguna Verde; "
        "b) El Presidente de la Cámara de Comercio de Laguna Verde.\n"
    )
    members = relations(extract(raw, lexicon), "PARTICIPATES_IN")
    bodies = {b for _m, b in members}
    assert {b.lower() for b in bodies} == {"grupo impulsor"}
    assert len(members) == 2


def test_the_authority_that_applies_a_law_is_responsible_for_it(lexicon: Lexicon) -> None:
    """Argentina's, Paraguay's and Uruguay's "X será la autoridad de aplicación de la presente
    ley" (the Senate of the enacting clause is Argentina's)."""
    raw = (
        "Ley 27.999\n"
        "El Senado y Cámara de Diputados de la Nación Argentina sancionan con fuerza de Ley:\n"
        "ARTÍCULO 1° - La Secretaría de Emprendedores del Ministerio de Producción será la "
        "autoridad de aplicación de la presente ley.\n"
        "ARTÍCULO 2° - Comuníquese al Poder Ejecutivo.\n"
        "DADA EN LA SALA DE SESIONES DEL CONGRESO ARGENTINO, EN BUENOS AIRES.\n"
    )
    ex = extract(raw, lexicon)
    assert ("Secretaría de Emprendedores del Ministerio de Producción", "Ley N° 27.999") in \
        relations(ex, "RESPONSIBLE_FOR")
    assert "Senado de la Nación" in {e.name for e in ex.entities}


def test_the_organs_a_body_is_said_to_have_are_its_parts(lexicon: Lexicon) -> None:
    """"La ARD X cuenta con la siguiente estructura: a) Comité Directivo; ..." (21 "tiene/
    cuenta con la siguiente estructura" and 11 "cuenta con las siguientes unidades" in the bulk
    corpus), "X contará con un Consejo de Ministros y una Secretaría Ejecutiva", "Los órganos
    de X son ..." (28): each organ is PART_OF the body; a short form with its place ("ARD
    Laguna Verde") names the body wherever it is written."""
    raw = (
        "ORDENANZA REGIONAL N° 010-2023-GRX/CR\n"
        "ARTÍCULO PRIMERO.- CREAR la Agencia Regional de Desarrollo de Laguna Verde (ARD Laguna "
        "Verde), como espacio de articulación.\n"
        "ARTÍCULO SEGUNDO.- La ARD Laguna Verde cuenta con la siguiente estructura: a) Comité "
        "Directivo; b) Secretaría Técnica; c) Mesas Técnicas por cadena productiva.\n"
        "ARTÍCULO TERCERO.- La Comisión Regional de Riego de Laguna Verde contará con un "
        "Consejo de Ministros y una Secretaría Ejecutiva.\n"
        "ARTÍCULO CUARTO.- Los órganos de la Región Administrativa y de Planificación de Laguna "
        "Verde son el Consejo Directivo y el Comité Asesor.\n"
    )
    parts = relations(extract(raw, lexicon), "PART_OF")
    agency = "Agencia Regional de Desarrollo de Laguna Verde"
    assert {p for p, whole in parts if whole == agency} == {
        "Comité Directivo", "Secretaría Técnica", "Mesas Técnicas"}
    assert {p for p, whole in parts if whole == "Comisión Regional de Riego de Laguna Verde"} \
        == {"Consejo de Ministros", "Secretaría Ejecutiva"}
    assert {p for p, whole in parts if whole.startswith("Región Administrativa")} == {
        "Consejo Directivo", "Comité Asesor"}


def test_a_body_acting_by_conduit_of_a_unit_is_its_whole(lexicon: Lexicon) -> None:
    """Mexico's "El Ejecutivo Federal, por conducto de la Secretaría de Economía, elaborará el
    Programa X" (10 bulk texts write "por conducto de"), like "a través de": the unit is a
    part of the body and shares its duty."""
    raw = (
        "Artículo 5. El Ejecutivo Federal, por conducto de la Secretaría de Economía, elaborará "
        "el Programa Especial para la Innovación.\n"
    )
    ex = extract(raw, lexicon)
    assert ("Secretaría de Economía", "Gobierno Federal") in relations(ex, "PART_OF")
    assert ("Secretaría de Economía", "Programa Especial para la Innovación") in relations(
        ex, "CO_RESPONSIBLE_FOR")


def test_the_members_of_a_council_are_no_bodies_named_before(lexicon: Lexicon) -> None:
    """"ENCARGAR a la Oficina X ... notifique el presente Acuerdo a los miembros del Consejo
    Regional" names the council's members, not the office; "El Gobierno Regional X forma parte
    del Consejo Y" and "X, miembro del Consejo Y" name one."""
    raw = (
        "# Acuerdo de Consejo Regional N° 140-2025\n\n"
        "ARTÍCULO QUINTO: ENCARGAR a la Oficina de Trámite Documentario del Gobierno Regional "
        "de Laguna Verde notifique el presente Acuerdo a los miembros del Consejo Regional de "
        "Laguna Verde.\n"
        "ARTÍCULO SEXTO: El Gobierno Regional de Laguna Verde forma parte del Consejo de Cuenca "
        "del Río Verde.\n"
    )
    members = relations(extract(raw, lexicon), "PARTICIPATES_IN")
    assert members == {("Gobierno Regional de Laguna Verde", "Consejo de Cuenca del Río Verde")}


def test_a_list_may_name_its_body_right_after_its_trigger(lexicon: Lexicon) -> None:
    """"Serán integrantes del Comité X:", "Son miembros del Consejo X: el Secretario de ...",
    "Participarán en el Comité X: I. ..." (the issue's "son miembros", "participan"): the body
    follows the trigger and the members follow the body; "integrado por el Gobierno Regional"
    names a member, never the body."""
    raw = (
        "Artículo 10. Serán integrantes del Comité Nacional de Productividad de Laguna Verde:\n"
        "I. El Titular de la Secretaría de Hacienda y Crédito Público, quien lo presidirá;\n"
        "II. Representantes de organizaciones empresariales.\n"
        "Artículo 11. Son miembros del Consejo Consultivo de Fomento de Laguna Verde: el "
        "Secretario de Economía y un representante de la Confederación de Cámaras "
        "Industriales.\n"
        "Artículo 12. Participarán en el Comité Técnico de Evaluación de Laguna Verde: I. La "
        "Secretaría de la Función Pública; II. El Consejo Nacional de Evaluación de la Política "
        "de Desarrollo Social.\n"
    )
    members = relations(extract(raw, lexicon), "PARTICIPATES_IN")
    by_body: dict[str, set[str]] = {}
    for member, body in members:
        by_body.setdefault(body, set()).add(member)
    assert by_body == {
        "Comité Nacional de Productividad de Laguna Verde": {
            "Secretaría de Hacienda y Crédito Público", "Organizaciones empresariales"},
        "Consejo Consultivo de Fomento de Laguna Verde": {
            "Secretaría de Economía", "Confederación de Cámaras Industriales"},
        "Comité Técnico de Evaluación de Laguna Verde": {
            "Secretaría de la Función Pública",
            "Consejo Nacional de Evaluación de la Política de Desarrollo Social"},
    }


def test_an_article_heading_with_an_ocr_degree_sign_ends_a_list() -> None:
    """ "ARTÍCULO 5'.-" (an OCR'd "5°", 34 bulk headings) is an article heading: the list of
    the article before stops there."""
    text = "ARTÍCULO 4°.- integrado por:\n- Autoridad Portuaria Nacional\nARTÍCULO 5'.- ENCARGAR"
    assert [m.group().strip() for m in ARTICLE_HEADING.finditer(text)] == [
        "ARTÍCULO 4°.", "ARTÍCULO 5'."]


def test_the_constitutions_structure_sentence_seats_no_municipality(lexicon: Lexicon) -> None:
    """The Constitution's article 191, quoted in about 100 Peruvian ordinances ("la estructura
    orgánica básica de estos gobiernos la conforman el Consejo Regional ..., y el Consejo de
    Coordinación Regional ... como órgano consultivo y de coordinación con las
    municipalidades"): in articled legal text a list is read whole by the membership rules,
    and the municipalities it coordinates with sit in no council."""
    raw = (
        "# Ordenanza Regional N° 011-2024-GRX/CR\n\n"
        "Artículo 1.- Aprobar.\nArtículo 2.- Encargar.\nArtículo 3.- Publicar.\n"
        "Que, el Artículo 191 de la Constitución establece que la estructura orgánica básica de "
        "estos gobiernos la conforman el Consejo Regional de Laguna Verde como órgano normativo "
        "y fiscalizador, el Gobernador Regional como órgano ejecutivo, y el Consejo de "
        "Coordinación Regional de Laguna Verde integrado por los alcaldes provinciales y por "
        "representantes de la sociedad civil, como órgano consultivo y de coordinación con las "
        "municipalidades.\n"
    )
    members = relations(extract(raw, lexicon), "PARTICIPATES_IN")
    assert not [m for m, _body in members if m.lower().startswith("municipalidades")]
