"""Names not in the gazetteer, found by the regular ways Spanish policy texts name things.

- head nouns of institutions (Ministerio, Subsecretaría, Servicio, Agencia, Consejo, Comité,
  Grupo de Trabajo, Red...) and of instruments and programmes (Programa, Fondo, Plan, Ley...),
  followed by capitalised words joined by connectors (``de``, ``del``, ``para``, ``y``...);
  a name never ends on a connector and never swallows a verb, a date or a sentence break;
- laws and decrees with their number (``Ley N° 21.074`` → ``Ley 21.074``);
- quoted names after ``proyecto``/``programa``/``iniciativa`` (“Programa para ...”);
- acronym definitions in both orders: ``Long form (SIGLA)``, ``SIGLA (long form)`` and
  ``Long form (SIGLA, por sus siglas en inglés)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.normalize import strip_accents
from loaders.extract.candidates import Candidate

UPPER = "A-ZÁÉÍÓÚÑÜ"
LOWER = "a-záéíóúñüç"
_STOP_CAPS = (
    r"(?:Enero|Febrero|Marzo|Abril|Mayo|Junio|Julio|Agosto|Septiembre|Setiembre|Octubre|"
    r"Noviembre|Diciembre|Alcalde|Alcaldesa|Presidente|Presidenta|Director|Directora|Jefe|Jefa|"
    r"Gerente|Gerenta|Gobernador|Gobernadora|Ministro|Ministra|Secretario|Secretaria|"
    r"Coordinador|Coordinadora|Consultor|Consultora|Subsecretario|Subsecretaria|Embajador|"
    r"Embajadora|Intendente|Asesor|Asesora|Encargado|Encargada|Profesor|Profesora|Rector|Rectora|"
    r"Representante|Representantes|Vicepresidente|Vicepresidenta|Delegado|Delegada|Titular|"
    r"Alterno|Alterna|Decano|Decana|Sesión|Sesiones|"
    # the year's motto of Peruvian headers: "Consejo Regional Puno Año de la Unidad, la Paz"
    r"Año|"
    # the verbs that open an article or a paragraph: a name never runs into them
    # ("... Gerencia Regional de Planeamiento y Presupuesto Informar ...")
    r"Informar|Encargar|Encárguese|Disponer|Dispóngase|Aprobar|Apruébese|Publicar|Remitir|"
    r"Notificar|Derogar|Establecer|Declarar|Autorizar|Designar|Conformar|Reconocer|Exhortar|"
    r"Solicitar|Precisar|Modificar|Incorporar|Priorizar|Dispensar|Institucionalizar|Oficializar)"
)
CAP_WORD = (
    rf"(?:P[uú]blic[oa]s?[ ]?[-—–][ ]?[Pp]rivad[oa]s?\b|"  # "Comités Público — Privados"
    # (no underscore: "Empresa Portuaria de Chile___ 18.930" is a form's blank after a name)
    rf"(?!{_STOP_CAPS}\b)[a-z]?[{UPPER}](?:[^\W_]|['’])*(?:-(?:[^\W_]|['’])+)*(?<!['’])(?![^\W_]|['’])|@\w+)"
)
# a year or a version ("Agenda 2030", "Plan Bicentenario 2.0"), never a section code ("Oficina
# de Asesoría Legal 0.3", "Gerencia Regional de Administración 06.3", "6.3.1")
_NUMBER = r"(?:[ ]\d{4}(?:-\d{4})?|[ ](?!0)\d+\.\d+(?![.\d]))?"
CONNECTOR = r"(?:de|del|de\s+la|de\s+las|de\s+los|para|para\s+el|para\s+la|y|e|en|sobre|el|la|las|los|a|al|con|contra|por)"
_TAIL = rf"(?:[ ]+(?:{CONNECTOR}[ ]+)*{CAP_WORD})*{_NUMBER}"
# "de Economía, Fomento y Turismo" / "para la Educación, la Ciencia y la Cultura"
# and the longer series of council commissions: "Comisión Ordinaria de Desarrollo Económico,
# Asuntos Agropecuarios, Energía, Minas, Competitividad, Producción, Comercio Exterior y Turismo"
_ARTICLE = r"(?:(?:la|el|las|los)[ ])"
_COMMA_TAIL = (
    rf"(?:(?:,[ ]{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}}){{1,8}}[ ](?:y|e)[ ]{_ARTICLE}?{CAP_WORD}"
    rf"{_TAIL}|,[ ]{_ARTICLE}?{CAP_WORD}[ ](?:y|e)[ ]{_ARTICLE}?{CAP_WORD}{_TAIL})?"
)

INSTITUTION_HEADS: dict[str, str | None] = {
    "Ministerio": "ministry",
    "Ministerios": "ministry",
    "Subsecretaría": "ministry",
    "Secretaría": "secretariat",
    "Secretarías": "secretariat",
    "Servicio": "agency",
    "Servicios": "agency",
    "Superintendencia": "agency",
    "Corporación": "agency",
    "Corporaciones": "agency",
    "Agencia": "agency",
    "Agencias": "agency",
    "Instituto": "agency",
    "Institutos": "agency",
    "Consejo": "council",
    "Consejos": "council",
    "Comisión": "committee",
    "Comisiones": "committee",
    "Comité": "committee",
    "Comités": "committee",
    "Gobierno Regional": "regional_government",
    "Gobiernos Regionales": "regional_government",
    "Gobierno": "government",
    "Gobernación": "regional_government",
    "Municipalidad": "municipality",
    "Municipio": "municipality",
    "Alcaldía": "municipality",
    "Intendencia": "regional_government",
    # Colombia's and Peru's municipal councils, departmental and national assemblies, Mexico's
    # ayuntamientos, Colombia's metropolitan areas and administrative planning regions
    "Concejo": "council",
    "Asamblea": "council",
    "Ayuntamiento": "municipality",
    "Área Metropolitana": "regional_government",
    "Región Administrativa": "regional_government",
    "Prefectura": "municipality",
    "Asociación": "association",
    "Cámara": "association",
    "Federación": "association",
    "Confederación": "association",
    "Unión": "association",
    "Red": "network",
    "Grupo de Trabajo": "working_group",
    # the group that promotes a regional development agency (24 bulk mentions)
    "Grupo Impulsor": "working_group",
    # "Equipo Técnico de Articulación Multisectorial" (484 "Equipo Técnico/de Trabajo" in bulk;
    # a bare "Equipo Técnico" names no body: a name needs a capitalised word after the head)
    "Equipo Técnico": "working_group",
    "Equipo de Trabajo": "working_group",
    "Grupos de Trabajo": "working_group",
    "Subgrupo": "working_group",
    "Mesa": "committee",
    "Foro": "forum",
    "Banco": "bank",
    "Cámaras": "collective",
    "Oficina": "division",
    "Oficinas": "division",
    "División": "division",
    "Divisiones": "division",
    "Departamento": "division",
    "Dirección": "division",
    "Direcciones": "division",
    "Unidad": "division",
    "Gerencia": "division",
    "Sub Gerencia": "division",  # 1,290 times in ../shared/bulk
    "Subgerencia": "division",
    "Sub Dirección": "division",
    "Fundación": "association",
    "Universidad": "university",
    "Centro": "centre",
    "Laboratorio": "centre",
    "Organización": "international_org",
    "Organismo": "agency",
    "Alianza": "network",
    "Sistema de la Integración": "integration_scheme",
    "Comunidad": "integration_scheme",
    "Mercado Común": "integration_scheme",
    "Conferencia": "council",
    "Observatorio": "network",
    "Contraloría": "agency",
    "Tribunal": "agency",
    "Fiscalía": "agency",
    "Defensoría": "agency",
    "Procuraduría": "agency",
    # Colombia's control bodies: "Contaduría General de la Nación", "Registraduría Nacional del
    # Estado Civil", municipal "Personería de Medellín", "Veeduría Distrital"
    "Contaduría": "agency",
    "Registraduría": "agency",
    "Personería": "agency",
    "Veeduría": "agency",
    "Junta": "council",
    "Juntas": "council",
    "Parlamento": "council",
    "Congreso": "council",
    "Presidencia": "government",
    "Consejería": "ministry",
    "Viceministerio": "ministry",
    "Autoridad": "agency",
    "Cancillería": "ministry",
    # courts, police, the treasury, heads' offices and social-security funds (in
    # ../shared/bulk: "Corte de Apelaciones" 138, "Policía Nacional del Perú" 58, "Tesorería
    # General de la República" 43, "Caja Nacional de Empleados Públicos" 32; a bare "Caja de la
    # Entidad", 1,803 times in Peruvian budget text, is no body; "Empresa" ends too many names,
    # "Micro, Pequeña y Mediana Empresa", to be a head)
    "Corte": "agency",
    "Policía": "agency",
    # the branches of the state and the armed forces: "Poder Ejecutivo", "Poder Judicial"
    # (187 bulk texts), "Ejército del Perú" (73), "Armada de Chile" (112)
    "Poder": "branch",
    "Ejército": "armed_forces",
    "Armada": "armed_forces",
    "Tesorería General": "agency",  # a bare "Tesorería" is a unit's field ("Oficina de
    # Contabilidad, Tesorería y Gestión de Recursos Humanos")
    "Jefatura": "division",
    "Caja Nacional": "agency",
    "Caja de Compensación": "agency",
    "Caja de Previsión": "agency",
    # professional associations ("Colegio de Abogados" 49 bulk mentions, "Colegio de
    # Ingenieros del Perú" 42, de Periodistas, de Contadores, de Economistas ...)
    "Colegio de": "association",
    # state companies (Chile's "Empresa de los Ferrocarriles del Estado" 22, "Empresa Portuaria
    # de ..." 19, "Empresa Nacional de Minería" 16; Peru's "Empresa Municipal de Agua
    # Potable", "Empresa Prestadora de Servicios de Saneamiento"); a bare "Empresa" ends the
    # names of enterprise policy ("Micro, Pequeña y Mediana Empresa")
    "Empresa Nacional": "company",
    "Empresa Portuaria": "company",
    "Empresa Municipal": "company",
    "Empresa Regional": "company",
    "Empresa Marítima": "company",
    "Empresa Prestadora": "company",
    "Empresa de los Ferrocarriles": "company",
    "Empresa de Transportes": "company",
    "Empresa de Abastecimiento": "company",
    "Empresa de Agua Potable": "company",
    "Empresa de Comercio": "company",
    # savings banks and social-security funds of the region's SME policy: Panama's "Caja de
    # Ahorros" and "Caja de Seguro Social", Peru's "Caja Municipal de Ahorro y Crédito" and
    # "Caja Rural", Costa Rica's "Caja Costarricense de Seguro Social", Chile's "Caja de
    # Crédito Hipotecario" (a bare "Caja" names a till: "Caja Chica", "Caja de la Entidad")
    "Caja de Ahorros": "bank",
    "Caja de Ahorro": "bank",
    "Caja Municipal": "bank",
    "Caja Rural": "bank",
    "Caja de Crédito": "bank",
    "Caja de Seguro Social": "agency",
    "Caja Costarricense": "agency",
    # Chile's presidential delegations in each region and province (since 2021: "Delegación
    # Presidencial Regional de Valparaíso", "Delegación Presidencial Provincial de Chiloé")
    "Delegación Presidencial": "regional_government",
    # public hospitals ("Hospital Regional de Moquegua", "Hospital de Lircay": 229 "Hospital X"
    # in 43 bulk texts), the national and regional archives, libraries and academies ("Archivo
    # General de la Nación", "Archivo Regional de Cusco", "Biblioteca del Congreso Nacional",
    # "Academia Judicial"). A bare "Archivo" ends the names of offices ("Oficina de Trámite
    # Documentario y Archivo", "Unidad de Gestión Documental y Archivo Central"); a museum is
    # left out: a tourism plan lists museums as attractions, not as actors
    "Hospital": "hospital",
    "Archivo General": "agency",
    "Archivo Nacional": "agency",
    "Archivo Regional": "agency",
    "Biblioteca": "agency",
    "Academia": "agency",
}
INSTRUMENT_HEADS: dict[str, tuple[str, str]] = {
    # a national system is a set of rules and tools, not a body: "Sistema Nacional de
    # Programación Multianual y Gestión de Inversiones" (95 bulk texts), "Sistema Nacional de
    # Certificación de Productos Orgánicos Agrícolas"
    "Sistema Nacional": ("Instrument", "system"),
    "Programa": ("Program", "programme"),
    "Programas": ("Program", "programme"),
    "Proyecto": ("Program", "project"),
    "Agenda": ("Program", "agenda"),
    "Iniciativa": ("Program", "programme"),
    "Plan": ("Instrument", "plan"),
    "Estrategia": ("Instrument", "strategy"),
    "Política": ("Instrument", "policy"),
    "Fondo": ("Instrument", "fund"),
    "Fondos": ("Instrument", "fund"),
    "Convenio": ("Instrument", "agreement"),
    "Acuerdo": ("Instrument", "agreement"),
    "Plataforma": ("Instrument", "platform"),
    "Escuela": ("Instrument", "training"),
    "Concurso": ("Instrument", "grant"),
    "Premio": ("Instrument", "event"),
    "Subsidio": ("Instrument", "grant"),
    "Crédito": ("Instrument", "credit"),
    "Bono": ("Instrument", "grant"),
    "Encuentro": ("Instrument", "event"),
    "Seminario": ("Instrument", "event"),
    "Taller": ("Instrument", "event"),
    "Cumbre": ("Instrument", "event"),
    "Reunión": ("Instrument", "event"),
    "Curso": ("Instrument", "training"),
    "Diplomado": ("Instrument", "training"),
    "Estudio": ("Instrument", "study"),
    "Informe": ("Instrument", "study"),
    "Decreto": ("Instrument", "law"),
    # named laws and regulations: "Ley Orgánica de Gobiernos Regionales", "Ley para el
    # Desarrollo de la Competitividad de la Micro, Pequeña y Mediana Empresa", "Código
    # Tributario", "Reglamento de Organización y Funciones", "Texto Único Ordenado de la Ley"
    "Ley": ("Instrument", "law"),
    "Código": ("Instrument", "law"),
    "Constitución Política": ("Instrument", "law"),
    "Reglamento": ("Instrument", "regulation"),
    "Texto Único Ordenado": ("Instrument", "law"),
    "Directiva": ("Instrument", "regulation"),
    # "Manual de Operaciones (MOP)", "Manual de Organización y Funciones (MOF)"
    "Manual": ("Instrument", "regulation"),
    # "Registro Nacional de Apicultores", "Registro Pesquero Artesanal": a register that an
    # agency keeps (registry agencies such as RENIEC come from the gazetteer)
    "Registro": ("Instrument", "register"),
    # "Inventario Turístico Regional", "Inventario Nacional de Recursos Turísticos"
    "Inventario": ("Instrument", "register"),
    "Diálogos": ("Program", "programme"),
}
_SIZE_BEFORE = re.compile(r"(?:Micro|Pequeñas?|Medianas?|Grandes?|Gran)[ ]+$", re.IGNORECASE)
# heads that are a body's whole name: "reconocer la conformación del Grupo Impulsor"
_WHOLE_NAME_HEADS = {"Grupo Impulsor"}
# Heads that name something only with a specific continuation (avoid "Gobierno de turno").
_WEAK_HEADS = {
    "Poder",
    "Ejército",
    "Armada",
    "Equipo Técnico",
    "Equipo de Trabajo",
    "Gobierno",
    "Centro",
    "Laboratorio",
    "Unión",
    "Red",
    "Mesa",
    "Informe",
    "Estudio",
    "Reunión",
    "Comunidad",
    "Sistema de la Integración",
    "Presidencia",
    "Registro",
    "Inventario",
    "Manual",
    "Junta",
    "Acuerdo",
    "Diálogos",
    "Política",
}


def _alternation(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True)
    )


# office words that are also adjectives of a body right after its head: "Consejo Asesor",
# "Comisión Asesora", "Comité Coordinador", "Equipo Consultor" (otherwise a name stops there)
_BODY_ADJECTIVE = r"(?:[ ](?:Asesor|Asesora|Asesores|Asesoras|Coordinador|Coordinadora|Consultor|Consultora)\b)?"
_INSTITUTION_RE = re.compile(
    rf"(?<![\w{UPPER}])(?P<head>{_alternation(list(INSTITUTION_HEADS))})(?![\w])"
    rf"(?P<tail>{_BODY_ADJECTIVE}{_TAIL}{_COMMA_TAIL})"
)
_INSTRUMENT_RE = re.compile(
    rf"(?<![\w{UPPER}])(?P<head>{_alternation(list(INSTRUMENT_HEADS))})(?![\w])"
    rf"(?P<tail>{_TAIL}{_COMMA_TAIL})"
)
_NOT_AFTER_WORD = rf"(?<![\w{UPPER}])"
_WORD_CHAR = re.compile(rf"[\w{UPPER}]")


def _without_lookbehind(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` less its leading ``(?<![\\w...])``: a pattern that starts with its heads'
    alternation lets the search skip to their first letters instead of trying every position
    (:func:`_search_head` checks the lookbehind)."""
    if not regex.pattern.startswith(_NOT_AFTER_WORD):
        raise ValueError(f"{regex.pattern[:40]!r} does not start with {_NOT_AFTER_WORD!r}")
    return re.compile(regex.pattern[len(_NOT_AFTER_WORD):], regex.flags)


_HEAD_SCANS = (
    (_without_lookbehind(_INSTITUTION_RE), True),
    (_without_lookbehind(_INSTRUMENT_RE), False),
)


def _search_head(scan: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """What the full head pattern's ``search(text, pos)`` finds, searched with ``scan`` (that
    pattern :func:`_without_lookbehind`): the first match not preceded by a word character."""
    while (m := scan.search(text, pos)) is not None:
        start = m.start()
        if start == 0 or not _WORD_CHAR.match(text, start - 1):
            return m
        pos = start + 1
    return None
# Legal instruments with their number: "Ley N° 27867", "ley Nº 18.834", "Decreto Supremo N°
# 029-2018-PCM", "Ordenanza Regional N.° 005-2010-GRLL/CR", "DFL N° 1-19.175", "Resolución
# Ministerial N° 123-2020-PRODUCE". The head may be lower case ("la ley N° 19.880"); the number
# keeps its suffixes (year, issuing body) and drops a sentence's closing dot.
_LAW_HEAD = (
    r"(?:ley(?:[ ]org[áa]nica)?|"
    r"decreto(?:[ ]supremo|[ ]ley|[ ]con[ ]fuerza[ ]de[ ]ley|[ ]legislativo|[ ]de[ ]urgencia|"
    r"[ ]regional|[ ]de[ ]alcald[íi]a|[ ]municipal|[ ]ejecutivo|[ ]exento)?|"
    r"resoluci[óo]n(?:[ ]ministerial|[ ]ejecutiva[ ]regional|[ ]suprema|[ ]directoral|"
    r"[ ]exenta|[ ]de[ ]alcald[íi]a|[ ]gerencial(?:[ ]regional|[ ]general[ ]regional)?|"
    r"[ ]presidencial|[ ]jefatural|[ ]legislativa)?|"
    r"ordenanza(?:[ ]regional|[ ]municipal)?|acuerdo(?:[ ]regional|[ ]de[ ]concejo|[ ]de[ ]consejo[ ]regional)|"
    r"decisi[óo]n|dictamen|D\.?F\.?L\.?|D\.[ ]?S\.|R\.[ ]?M\.|"
    # Colombia's policy documents: "documento CONPES 4011 de 2020", "Conpes 3866"
    r"(?:documento[ ])?conpes)"
)
_LAW_RE = re.compile(
    rf"(?<![\w.])(?P<head>(?i:{_LAW_HEAD}))"
    r"[ ]+(?P<no>N\.?[ ]?[°º]\.?[ ]*|N[°º]?\.?[ ]+(?=\d)|No\.?[ ]+|Nro\.?[ ]*|N[úu]m\.?[ ]*|n[úu]mero[ ]+)?"
    r"(?P<num>[A-Z]?\d(?:[\w/\-]|\.(?=\w)|[ ]-[ ]?(?=\d)|-[ ](?=\d))*\w|\d)"
)
_LAW_ABBREVIATIONS = {"dfl": "DFL", "d.f.l.": "DFL", "d.s.": "Decreto Supremo",
                      "d. s.": "Decreto Supremo", "r.m.": "Resolución Ministerial",
                      "r. m.": "Resolución Ministerial", "conpes": "CONPES",
                      "documento conpes": "CONPES"}
_QUOTED_RE = re.compile(
    r"\b(?P<ctx>proyecto|programa|iniciativa|plataforma|red|estudio|documento)s?[ ]+"
    r"[“\"«](?P<name>[^”\"»\n]{4,200})[”\"»]",
    re.IGNORECASE,
)
_ACRONYM = r"[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ&\-]{0,11}[A-Z0-9](?:-[A-Z]{2,})?"
_DEF_LONG_SHORT = re.compile(
    # ... with the place it serves: "Agencia Regional de Desarrollo de Laguna Verde (ARD Laguna
    # Verde)", "(ARD-PUNO)" (a short form a Peruvian body's ordinance then uses throughout)
    rf"\((?P<short>{_ACRONYM}(?:[ ](?:[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+|[A-ZÁÉÍÓÚÑ]{{2,}})){{0,3}})(?P<foreign>,[ ]+(?:por[ ]+sus[ ]+siglas|sigla)[^)]{{0,40}})?\)"
)
_DEF_SHORT_LONG = re.compile(
    rf"\b(?P<short>[A-Z][A-Z0-9&\-]{{1,11}})[ ]+\((?P<long>[{UPPER}][^()\n]{{6,150}})\)"
)
_BAD_TAIL_WORDS = {
    "En",
    "El",
    "La",
    "Los",
    "Las",
    "Este",
    "Esta",
    "Estos",
    "Estas",
    "Por",
    "Para",
    "Con",
    "Sin",
    "Desde",
    "Hoy",
    "Sobre",
    "A",
    "Al",
    "Asimismo",
    "Además",
    "No",
    "Si",
    "Se",
    "Su",
    "Sus",
    "Del",
    "De",
    "Y",
    "E",
    "Que",
    "Art",
    "Un",
    "Una",
    "Dos",
    "Tres",
    "Cuatro",
    "Cinco",
    "Seis",
    "Siete",
    "Ocho",
    "Nueve",
    "Diez",
    "N",
    "Nº",
    "Nro",
    "Presente",  # "Reglamento de la Presente Ordenanza": the document itself, cut at its kind
    "S",  # "Banco de Comercio Exterior de Colombia S.A.": the company form is no part of the name
    "Son",  # "Unidad Funcional de Gestión de Recursos Humanos Son funciones": a sentence's verb
}


@dataclass(frozen=True)
class HeadInfo:
    """What a head noun says about the name it starts."""

    label: str
    kind: str | None


def head_info(name: str) -> HeadInfo | None:
    """The label and kind implied by the head noun of ``name``, if it has a known one."""
    name = name[:1].upper() + name[1:]  # a marked name may start in lower case
    for head, kind in INSTITUTION_HEADS.items():
        if name == head or name.startswith(head + " "):
            return HeadInfo("Institution", kind)
    for head, (label, kind) in INSTRUMENT_HEADS.items():
        if name == head or name.startswith(head + " "):
            return HeadInfo(label, kind)
    return None


_PLACE_WITH_COUNTRY = re.compile(
    rf"\b(?:en|de|desde|hacia)[ ]+(?P<name>{CAP_WORD}(?:[ ]+(?:de[ ]+|del[ ]+)?{CAP_WORD}){{0,3}})"
    rf"[ ]+\((?P<country>{CAP_WORD}(?:[ ]{CAP_WORD})?)\)"
)


def find_places_with_country(text: str) -> Iterator[tuple[Candidate, str]]:
    """ "celebrada en Cartagena de Indias (Colombia)": a place named with its country in
    parentheses; yields the place (label Territory, kind city) and the country's name."""
    for m in _PLACE_WITH_COUNTRY.finditer(text):
        start = m.start("name")
        name = m.group("name")
        yield (
            Candidate(
                start, start + len(name), "Territory", name, "pattern", kind="city", confidence=0.6
            ),
            m.group("country"),
        )


_ALL_HEADS = sorted([*INSTITUTION_HEADS, *INSTRUMENT_HEADS], key=len, reverse=True)
# the legal kinds no name holds after a word of its own ("Gobierno Regional de Lima Ordenanza
# Regional N° 01-2021-CR/GRL": a heading joined to the line above, 34 bulk texts)
_LEGAL_KIND_HEADS = ("Ordenanzas", "Ordenanza", "Resoluciones", "Resolución", "Resolucion")
_INNER_HEAD = re.compile(
    rf"(?<=[\w)])[ ](?=(?:{'|'.join(re.escape(h) for h in [*_ALL_HEADS, *_LEGAL_KIND_HEADS])})\b)"
)
# plural heads that start another name in a series but name no body of their own:
# "ENCARGAR a la Gerencia Regional de Desarrollo Económico, Gerencias Regionales y Sub
# Gerencias, Direcciones Regionales, Oficinas, Unidades Orgánicas ..."
_SERIES_HEADS = ("Gerencias", "Sub Gerencias", "Subgerencias", "Unidades", "Órganos", "Organismos",
                 "Municipalidades", "Universidades", "Gobiernos Locales")
# an article between a name's capitalised word and a head noun starts a new phrase: "atribución
# del Consejo Regional la aprobación", "Consejo Regional la Ordenanza Regional"
_ARTICLE_HEAD = re.compile(
    # ... or a preposition of place or means and an article: "Ministerio de Industria y
    # Comercio en el Programa Nacional de Incubadoras", "Gerencia Regional por el Consejo"
    rf"\b[{UPPER}][\w)]*(?P<cut>)[ ](?:(?:en|con|por|ante|bajo|sobre)[ ])?(?:la|el|los|las)[ ]"
    rf"(?=(?:{'|'.join(re.escape(h) for h in [*_ALL_HEADS, *_LEGAL_KIND_HEADS, *_SERIES_HEADS])})\b)"
)


# heads that are also the last word of a body's name: "Caja Municipal de Ahorro y Crédito",
# "Secretaría de Hacienda y Crédito Público", "Cooperativa de Ahorro y Crédito"
_NAME_WORD_HEADS = {"Crédito"}
# "... de Arequipa y de la Universidad Nacional": "y" (or a comma) before another head noun
# joins two names, it does not continue one.
_JOINED_HEAD = re.compile(
    # ("... Emprendedor y con la Secretaría de Hacienda", "... y en el Gobierno Regional": 48
    # bulk texts put a preposition of company or place between "y" and the next head)
    rf"(?:\s+(?:y|e)|,)\s+(?:(?:de|del|a|al|con|en|ante|sobre|entre)\s+)?(?:(?:la|el|los|las)\s+)?"
    rf"(?=(?:{'|'.join(re.escape(h) for h in [*_ALL_HEADS, *_SERIES_HEADS] if h not in _NAME_WORD_HEADS)})\b)"
    # "... de Planificación Especial y la RAP Eje Cafetero": an article and an acronym start
    # another name
    r"|(?:\s+(?:y|e)|,)\s+(?:la|el|los|las)\s+(?=[A-ZÁÉÍÓÚÑ]{2,}\b)"
    # "Plan Operativo Institucional a la Gerencia Regional ...", "Consejo Nacional de la
    # Competitividad por el Consejo Nacional ...": a preposition before a head ends the name
    rf"|\s+(?:a|al|por|ante|mediante|hacia)\s+(?:(?:la|el|los|las)\s+)?"
    rf"(?=(?:{'|'.join(re.escape(h) for h in INSTITUTION_HEADS)})\b)"
)


# a name never runs into a heading: "... Mediana Empresa Artículo 17", "Consejo Regional Puno
# SE RESUELVE", "Servicios Parlamentarios LEY PARA EL DESARROLLO"
_HEADING_WORD = re.compile(
    r"[ ](?:Art[íi]culos?|ART[ÍI]CULOS?|Cap[íi]tulo|CAP[ÍI]TULO|T[íi]tulo|T[ÍI]TULO|Secci[óo]n|"
    r"SECCI[ÓO]N|Considerando|CONSIDERANDO|Visto|VISTO|Resuelve|Decreta|Acuerda|"
    # nor into an address: "sesión del Consejo Regional en el Jr. Apurímac N° 460"
    r"Jr|Av|Jir[óo]n)\b"
)
_CAPS_RUN = re.compile(rf"[ ][{UPPER}]{{2,}}\b[ ,]+[{UPPER}]{{2,}}\b")


def _cut_at_heading(text: str) -> str:
    """``text`` up to a heading word, or up to a run of capitals after a name in mixed case."""
    heading = _HEADING_WORD.search(text)
    if heading and heading.start() > 0:
        text = text[: heading.start()]
    if re.search(rf"[{LOWER}]", text):
        run = _CAPS_RUN.search(text)
        if run and re.search(rf"[{LOWER}]", text[: run.start()]):
            text = text[: run.start()]
    return text


def _trim_tail(text: str) -> str:
    """Drop trailing connectors and sentence-initial words swallowed by the tail; a second head
    noun right after a capitalised word (no connector) starts another name; a heading ends it."""
    text = _cut_at_heading(text)
    first_space = text.find(" ")
    if first_space > 0:
        inner = _INNER_HEAD.search(text, first_space + 1)
        if inner and not re.search(rf"\b{CONNECTOR}$", text[: inner.start()]):
            text = text[: inner.start()]
        joined = _JOINED_HEAD.search(text, first_space)
        if joined:
            text = text[: joined.start()]
        article = _ARTICLE_HEAD.search(text, first_space)
        if article:
            text = text[: article.start("cut")]
    words = text.split()
    while len(words) > 1 and (
        words[-1] in _BAD_TAIL_WORDS or re.fullmatch(CONNECTOR, words[-1]) is not None
    ):
        words.pop()
    return " ".join(words)


# what a text calls itself while it is being passed, not an instrument of its own: every
# Chilean law "ha dado su aprobación al siguiente Proyecto de ley" and is promulgated "como
# Ley de la República" (630 bulk texts each)
_NOT_A_NAME = re.compile(
    r"(?i)(?:proyectos?[ ]de[ ](?:ley|ordenanza|acuerdo|decreto|resoluci[óo]n)"
    r"(?:[ ](?:regional|municipal|ministerial|supremo))?|ley(?:es)?[ ]de[ ]la[ ]rep[úu]blica)$"
)


# the works a Peruvian investment project's name begins with ("Mejoramiento del Servicio de
# Agua Potable", "Creación de los Servicios de ...": 259 in bulk): the service is no body
_PROJECT_BEFORE = re.compile(
    r"\b(?:Mejoramiento|Creaci[óo]n|Ampliaci[óo]n|Recuperaci[óo]n|Instalaci[óo]n|"
    r"Rehabilitaci[óo]n|Renovaci[óo]n|Optimizaci[óo]n)(?:[ ]y[ ]\w+)?[ ]"
    r"(?:del|de[ ]los|de[ ]las|de[ ]la|de)[ ]$",
    re.IGNORECASE,
)


# places named like a body: "Centro Poblado de X" (113 in bulk), "Centro Histórico de Lima" (314)
_PLACE_NAMED_AS_CENTRE = re.compile(r"Centro[ ](?:Poblado|Hist[óo]rico|Urbano)\b")


# "y a / y al / y a la" before a capital sends something to a second addressee: "remitir a la
# Policía de Investigaciones y a Carabineros de Chile", "a la Cámara de Diputados y al Senado"
# (59 institution names of the bulk corpus ran on so); a law's title may join its aims so
# ("Ley de Impulso al Desarrollo Productivo y al Crecimiento Empresarial")
_SECOND_ADDRESSEE = re.compile(rf"[ ](?:y|e)[ ](?:al|a(?:[ ](?:la|los|las))?)[ ][{UPPER}]")


def _to_someone_else(tail: str) -> str:
    """An institution name's tail up to a second addressee (see ``_SECOND_ADDRESSEE``)."""
    cut = _SECOND_ADDRESSEE.search(tail)
    return tail[: cut.start()] if cut else tail


# what is left of "Reglamento / Manual de Organización y Funciones del Consejo Regional" when
# the instrument's head is cut off by a line break or an OCR error (about 45 bulk texts)
_FUNCTIONS_OF = re.compile(r"Organizaci[óo]n(?:[ ]y|,)?[ ](?:[\w ,]{0,40}[ ])?Funciones\b")


def find_head_names(text: str) -> Iterator[Candidate]:
    """Institution, instrument and programme names introduced by a head noun.

    After a name is trimmed (a second head noun starts another name), the search resumes
    at the end of the trimmed name, so "Unidad X División Y (DDPE)" yields both.
    """
    for scan, is_institution in _HEAD_SCANS:
        pos = 0
        while (m := _search_head(scan, text, pos)) is not None:
            pos = m.end()
            head = re.sub(r"\s+", " ", m.group("head"))
            tail = m.group("tail")
            cut = tail.find("\n")
            if cut >= 0:
                tail = tail[:cut]
            if is_institution:
                tail = _to_someone_else(tail)
            name = _trim_tail(f"{head}{tail}".replace("\t", " "))
            start = m.start()
            end = start + len(name)
            if text[start:end] != name:
                end = start + len(_trim_tail(text[start : m.end()].split("\n")[0]))
                name = re.sub(r"\s+", " ", text[start:end])
            if end < m.end():
                pos = max(end, m.start() + 1)
            if (name == head and head not in _WHOLE_NAME_HEADS) or len(name.split()) < 2 or \
                    _NOT_A_NAME.match(name) or _FUNCTIONS_OF.match(name):
                continue  # "Organización y Funciones del X": a regulation's title, no body
            if head in _WEAK_HEADS and not re.search(rf"[{UPPER}]", name[len(head) :]):
                continue
            if head.startswith("Servicio") and _PROJECT_BEFORE.search(
                text, max(0, start - 60), start
            ):
                continue  # "Mejoramiento del Servicio de Agua Potable ...": a project's name
            if is_institution and _PLACE_NAMED_AS_CENTRE.match(name):
                continue
            if head.startswith("Empresa") and _SIZE_BEFORE.search(text, max(0, start - 12), start):
                continue  # "la Micro y Pequeña Empresa Nacional": a size of firm, not a company
            if is_institution:
                yield Candidate(
                    start,
                    end,
                    "Institution",
                    name,
                    "pattern",
                    kind=INSTITUTION_HEADS.get(head),
                    confidence=0.7,
                )
            else:
                label, kind = INSTRUMENT_HEADS[head]
                yield Candidate(start, end, label, name, "pattern", kind=kind, confidence=0.6)


_NAMED_AFTER_HEAD = re.compile(
    rf"\b(?P<head>programa|proyecto|iniciativa|plan|fondo|concurso|estrategia|plataforma|"
    rf"aplicativo)s?"
    rf"(?P<gap>(?:[ ]+[a-záéíóúñ]+){{0,4}}),?[ ]+(?P<name>(?!(?:El|La|Los|Las|En|Este|Esta)\b)"
    # ("el proyecto Acceso Universal a la Energía": two connectors may join its words)
    rf"{CAP_WORD}(?:[ ]+(?:{CONNECTOR}[ ]+){{0,2}}{CAP_WORD})*(?:[ ]\d+(?:\.\d+)*\b)?)"
)
_PROGRAM_HEADS = {"programa", "proyecto", "iniciativa"}
# a gap ending in one of these makes the capitalised words its object, not the name:
# "programas de apoyo a la MIPYME", "el plan para la Región de Murcia"
_OBJECT_MARKERS = frozenset(
    {"a", "al", "de", "del", "la", "las", "el", "los", "en", "para", "por", "con", "sobre"}
    | {"hacia", "entre", "desde", "su", "sus"}
)


def find_named_instruments(text: str) -> Iterator[Candidate]:
    """ "el programa Fábricas de Productividad", "el programa de recuperación inclusiva, Chile
    Apoya": a capitalised name right after a lowercase programme or instrument noun."""
    for m in _NAMED_AFTER_HEAD.finditer(text):
        name = _trim_tail(m.group("name"))
        if len(name) < 3 or (name.isupper() and len(name) < 6):
            continue
        gap = m.group("gap").split()
        if gap and gap[-1] in _OBJECT_MARKERS and "," not in text[m.end("gap") : m.start("name")]:
            continue
        head = m.group("head")
        label = "Program" if head in _PROGRAM_HEADS else "Instrument"
        kind = {
            "plan": "plan",
            "fondo": "fund",
            "concurso": "grant",
            "estrategia": "strategy",
            "plataforma": "platform",
            "aplicativo": "platform",
        }.get(head, "programme")
        start = m.start("name")
        yield Candidate(start, start + len(name), label, name, "marked", kind=kind, confidence=0.6)
        if m.group("head").endswith(("s", "o")) and text[m.start("head"):m.end("gap")].rstrip(
        ).endswith("s"):
            yield from _more_names(text, start + len(name), label, kind)


# "los aplicativos Caxamarket (Artesanía ...), Delicax (...) y plataformas": the list goes on
# while its items are capitalised names; a gloss in parentheses is skipped
_NEXT_NAME = re.compile(
    rf"[ ]*(?:\([^()\n]{{0,120}}\))?[ ]*(?:,|[ ]y|[ ]e)[ ]+(?P<name>(?!(?:El|La|Los|Las)\b)"
    rf"{CAP_WORD}(?:[ ]+{CAP_WORD}){{0,3}})"
)


def _more_names(text: str, pos: int, label: str, kind: str) -> Iterator[Candidate]:
    for _ in range(8):
        m = _NEXT_NAME.match(text, pos)
        if m is None or _INNER_HEAD.match(" " + m.group("name")):
            return
        yield Candidate(m.start("name"), m.end("name"), label, m.group("name"), "marked",
                        kind=kind, confidence=0.55)
        pos = m.end("name")


_TRIGGER_OBJECT = re.compile(
    rf"\b(?:ejecutad[oa]s? por|administrad[oa]s? por|implementad[oa]s? por|liderad[oa]s? por|"
    rf"coordinad[oa]s? por|financiad[oa]s? por|cofinanciad[oa]s? por|gestionad[oa]s? por|"
    rf"operad[oa]s? por|a cargo de|con el apoyo de|en alianza con|en conjunto con|"
    rf"en coordinaci[oó]n con|junto (?:a|con)|en colaboraci[oó]n con)[ ]+"
    rf"(?:(?:el|la|los|las)[ ]+)?(?P<name>{CAP_WORD}(?:[ ]+(?:{CONNECTOR}[ ]+)?{CAP_WORD})*)"
)


def find_trigger_objects(text: str) -> Iterator[Candidate]:
    """The actor right after "ejecutado por", "en alianza con"...: an institution even when no
    head noun or gazetteer entry names it ("ejecutado por Colombia Productiva")."""
    for m in _TRIGGER_OBJECT.finditer(text):
        name = _trim_tail(m.group("name"))
        if len(name) < 2:
            continue
        start = m.start("name")
        yield Candidate(
            start,
            start + len(name),
            "Institution",
            name,
            "acronym" if name.isupper() else "marked",
            confidence=0.55,
        )


def _law_head(head: str) -> str:
    """The head of a legal identifier as a title: "decreto supremo" → "Decreto Supremo"."""
    head = re.sub(r"\s+", " ", head)
    abbreviation = _LAW_ABBREVIATIONS.get(head.lower())
    if abbreviation:
        return abbreviation
    small = {"de", "con", "la"}
    return " ".join(w if w in small else w[:1].upper() + w[1:].lower() for w in head.split())


# "Ley 1454 de 2011", and with the day of its enactment, as Panama and Colombia cite a law:
# "Ley 8 de 29 de mayo de 2000", "Decreto Ejecutivo No. 26 de 11 de marzo de 2019"
_LAW_YEAR = re.compile(
    r"[ \t]+de[ \t]+(?:(?P<day>\d{1,2})[ \t]+de[ \t]+(?P<month>enero|febrero|marzo|abril|mayo|"
    r"junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)[ \t]+de[ \t]+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![.,]?\d)",
    re.IGNORECASE,
)


def find_laws(text: str) -> Iterator[Candidate]:
    """Laws, decrees, ordinances and resolutions with their number, suffixes kept whole;
    the canonical name drops ``N°`` (kept as an alias, so both spellings resolve to one)."""
    for m in _LAW_RE.finditer(text):
        head = _law_head(m.group("head"))
        num = re.sub(r"[ ]?-[ ]?", "-", m.group("num"))  # "0001 - 2021-GRU": OCR spacing
        canonical = f"{head} {num}"
        surface = text[m.start() : m.end()]
        aliases = [a for a in (surface, f"{head} {num}", f"{head} N° {num}") if a != canonical]
        # "Ley 21.489" and "Ley 21489" (the context's loose keys also join them)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
            aliases.append(f"{head} {num.replace('.', '')}")
        elif re.fullmatch(r"\d{4,6}", num):
            aliases.append(f"{head} {int(num):,}".replace(",", "."))
        year = _LAW_YEAR.match(text, m.end())
        if year is not None:  # "Ley 1454 de 2011", "Decreto 1082 de 2015": the year names it too
            y = year.group("year")
            aliases += [f"{head} {num} de {y}", f"{head} N° {num} de {y}"]
            if year.group("day"):
                dated = f"de {year.group('day')} de {year.group('month').lower()} de {y}"
                aliases += [f"{head} {num} {dated}", f"{head} N° {num} {dated}"]
        aliases = list(dict.fromkeys(aliases))
        kind = "law" if head.startswith(("Ley", "Decreto", "DFL")) else head.split()[0].lower()
        yield Candidate(
            m.start(),
            m.end(),
            "Instrument",
            canonical,
            "law",
            kind={"ordenanza": "ordinance", "resolución": "resolution", "conpes": "policy"}.get(kind, kind)
            if kind != "law" else "law",
            aliases=aliases,
            confidence=0.9,
        )


def find_quoted_names(text: str) -> Iterator[Candidate]:
    """Names in quotes introduced by proyecto/programa/iniciativa: the quoted text is the name."""
    for m in _QUOTED_RE.finditer(text):
        ctx = m.group("ctx").lower()
        if ctx in ("documento", "estudio"):
            label, kind = "Instrument", "study"
        elif ctx == "plataforma":
            label, kind = "Instrument", "platform"
        else:
            label, kind = "Program", "project" if ctx == "proyecto" else "programme"
        name = m.group("name").strip().rstrip(",.;:")
        start = m.start("name")
        info = head_info(name)
        if info and info.label == "Institution" and ctx == "red":
            label, kind = "Institution", "network"
        yield Candidate(start, start + len(name), label, name, "quoted", kind=kind, confidence=0.85)


def _initials_match(short: str, long: str) -> bool:
    """Schwartz-Hearst style test: the acronym's letters occur in order in the long form,
    the first at the start of a word."""
    s = strip_accents(short).lower()
    lf = strip_accents(long).lower()
    s = re.sub(r"[^a-z0-9]", "", s)
    if not s:
        return False
    si, li = len(s) - 1, len(lf) - 1
    while si >= 0:
        ch = s[si]
        while li >= 0 and (lf[li] != ch or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        si -= 1
        li -= 1
    return True


@dataclass
class AcronymDefinition:
    """``short`` is defined as ``long`` at ``[long_start, long_end)``; ``short`` at its span."""

    short: str
    long: str
    long_start: int
    long_end: int
    short_start: int
    short_end: int
    foreign: bool = False


def find_acronym_definitions(text: str, name_spans: list[Candidate]) -> list[AcronymDefinition]:
    """Acronym definitions in both orders.

    ``name_spans`` are candidates already found (gazetteer, patterns); a parenthesised acronym
    right after one of them defines it (this covers acronyms of foreign long forms, e.g. ``DIE``
    for the Instituto Alemán de Desarrollo). Otherwise the long form is the shortest run of
    preceding words that contains the acronym's letters in order.
    """
    ends = {c.end: c for c in name_spans}
    out: list[AcronymDefinition] = []
    for m in _DEF_LONG_SHORT.finditer(text):
        short = m.group("short")
        if short.lower() == short or len(re.sub(r"[^A-Z]", "", short)) < 2:
            continue
        before_end = m.start()
        while before_end > 0 and text[before_end - 1] in " \t":
            before_end -= 1
        cand = ends.get(before_end)
        foreign = bool(m.group("foreign"))
        if cand is not None and (foreign or _initials_match(short, cand.name) or cand.length > 8):
            out.append(
                AcronymDefinition(
                    short,
                    cand.name,
                    cand.start,
                    cand.end,
                    m.start("short"),
                    m.end("short"),
                    foreign,
                )
            )
            continue
        line_start = max(text.rfind("\n", 0, before_end), text.rfind("\t", 0, before_end)) + 1
        window = text[line_start:before_end]
        words = list(re.finditer(r"\S+", window))
        for n in range(1, min(len(words), len(short) + 10) + 1):
            first = words[-n]
            if not first.group()[0].isupper():
                continue
            long_form = window[first.start() :].strip(" ,;:")
            if _initials_match(short, long_form):
                start = line_start + first.start()
                out.append(
                    AcronymDefinition(
                        short,
                        long_form,
                        start,
                        start + len(long_form),
                        m.start("short"),
                        m.end("short"),
                        foreign,
                    )
                )
                break
    for m in _DEF_SHORT_LONG.finditer(text):
        short, long_form = m.group("short"), m.group("long").strip()
        if len(long_form.split()) < 2 or not re.search(r"[a-záéíóúñ]", long_form):
            continue  # "SELA (SP-SELA)" defines nothing: a long form has words
        if _initials_match(short, long_form):
            out.append(
                AcronymDefinition(
                    short,
                    long_form,
                    m.start("long"),
                    m.start("long") + len(long_form),
                    m.start("short"),
                    m.end("short"),
                )
            )
    return out
