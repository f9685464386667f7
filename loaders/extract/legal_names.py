"""Names that legal text gives members by: the body of an office holder ("el Secretario de
Economía" is the Secretaría de Economía), collectives ("un representante de las
universidades de la región") and the organs of a body (Consejo Directivo, Secretaría
Técnica)."""

from __future__ import annotations

import re

from graph.normalize import strip_accents
from loaders.extract.patterns import head_info

_NUMBER_WORDS = (
    r"un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|\d{1,2}"
)
ORGAN = re.compile(
    rf"\b(?:{_NUMBER_WORDS.replace('un|una|', 'Un|Una|un|una|')})[ \t]+(?:\(\d+\)[ \t]+)?"
    r"(?P<name>(?:Consejo[ \t]+Directivo|Comit[ée][ \t]+(?:Directivo|Ejecutivo|Consultivo)|"
    r"Secretar[ií]a[ \t]+(?:T[ée]cnica|Ejecutiva)|Asamblea[ \t]+General|Directorio|"
    r"Gerencia[ \t]+General|[ÓO]rgano[ \t]+(?:Directivo|Consultivo|Ejecutivo)|"
    r"Comit[ée]s?[ \t]+T[ée]cnicos?|Grupos?[ \t]+T[ée]cnicos?|Mesas?[ \t]+T[ée]cnicas?)"
    r"(?:[ \t]+(?:[—–-]|[A-ZÁÉÍÓÚ][\wáéíóúñ]*))*)"
)
_ORGAN_NAME = re.compile(
    r"^(?:consejo directivo|comites? (?:directivo|ejecutivo|consultivo|tecnicos?)|"
    r"secretaria (?:tecnica|ejecutiva)|asamblea general|directorio|"
    r"gerencia general(?! regional)|organo (?:directivo|consultivo|ejecutivo)|presidencia$|"
    r"vicepresidencias?$)"
)

# office title → the head noun of the body it heads
_TITLE_BODY = {
    "ministro": "Ministerio",
    "ministra": "Ministerio",
    "viceministro": "Viceministerio",
    "viceministra": "Viceministerio",
    "secretario": "Secretaría",
    "secretaria": "Secretaría",
    "subsecretario": "Subsecretaría",
    "subsecretaria": "Subsecretaría",
    "superintendente": "Superintendencia",
    "director": "Dirección",
    "directora": "Dirección",
    "gerente": "Gerencia",
    "gobernador": "Gobierno",
    "gobernadora": "Gobierno",
    "alcalde": "Municipalidad",
    "alcaldesa": "Municipalidad",
    "intendente": "Intendencia",
    "prefecto": "Prefectura",
    "seremi": "Secretaría Regional Ministerial",
    "delegado presidencial": "Delegación Presidencial",
    "delegada presidencial": "Delegación Presidencial",
    "coordinador": "Coordinación",
    "coordinadora": "Coordinación",
    # "el Contralor General de la República" (28 bulk texts), "el Procurador General", "el
    # Defensor del Pueblo": the office's body
    "contralor": "Contraloría",
    "contralora": "Contraloría",
    "procurador": "Procuraduría",
    "procuradora": "Procuraduría",
    "defensor": "Defensoría",
    "defensora": "Defensoría",
}
# titles whose body is named after them: "Presidente de la Cámara de Comercio"
_HEAD_OF = ("presidente", "presidenta", "rector", "rectora", "decano", "decana", "jefe", "jefa",
            "titular", "director ejecutivo", "directora ejecutiva", "representante legal")
_QUALIFIERS = (
    r"Regional|Nacional|General|Ejecutiv[oa]|Provincial|Municipal|Departamental|Estatal|"
    r"Distrital|Sectorial|Presidencial|Comunal|Ministerial"
)
_TITLE = re.compile(
    r"^\W*(?:(?:el|la)(?:/(?:el|la))?[ \t]+)?"
    r"(?P<title>(?:vice)?ministr[oa]|(?:sub)?secretari[oa](?![ \t]+t[ée]cnic)|superintendente|"
    r"director(?:a)?(?:[ \t]+ejecutiv[oa])?|gerente|gobernador(?:a)?|alcalde(?:sa)?|intendente|"
    r"prefecto|seremi|delegad[oa][ \t]+presidencial|coordinador(?:a)?|president[ea]|"
    r"contralor(?:a)?|procurador(?:a)?|defensor(?:a)?|"
    r"rector(?:a)?|decan[oa]|jef[ea]|titular|representante[ \t]+legal)"
    r"(?:/a|\(a\))?"
    rf"(?P<qual>(?:[ \t]+(?:{_QUALIFIERS})(?:/a)?)*)"
    # "de Economía, Fomento y Reconstrucción": a comma series ending in "y" stays in the name
    r"(?P<rest>[ \t]+(?:de|del)[ \t]+[^,;:()]+"
    r"(?:,[ \t]+(?-i:[A-ZÁÉÍÓÚ])[^,;:()]*?[ \t]+(?:y|e)[ \t]+(?-i:[A-ZÁÉÍÓÚ])[^,;:()]*)?)?",
    re.IGNORECASE,
)
_REST_END = re.compile(
    r"[ \t]+(?:o[ \t]+su|quien|que|el[ \t]+cual|la[ \t]+cual|en[ \t]+calidad|"
    # "y el Director de ...", "y un representante de ...": another member; but "Ministra de la
    # Mujer y la Equidad de Género" is one office
    r"y[ \t]+(?:el|la|un|una)[ \t]+(?-i:[a-záéíóúñ]|(?:Vice|Sub)?(?:Ministr|Director|President|"
    r"Secretari|Jef|Gerent|Representante|Alcald|Gobernador|Coordinador|Intendente|Delegad)))"
    # "Ministro del Interior Subrogante", "Ministro de Hacienda (S)": the standing-in is not
    # part of the office's name (54 times in ../shared/bulk)
    r"|[ \t]+(?:subrogante|suplente|interin[oa]|\(s\))(?=\W|$)"
    r"|\.(?:[ \t]|$)",
    re.IGNORECASE,
)
_COLLECTIVE = re.compile(
    # "y por los representantes de la Sociedad Civil": the last item of a list in a sentence
    rf"^\W*(?:(?:y|e)[ \t]+)?(?:por[ \t]+)?(?:(?:{_NUMBER_WORDS}|los|las)[ \t]+(?:\(\d+\)[ \t]+)?)?"
    r"(?:vicepresidente[ \t]+)?"
    r"(?:representantes?|delegad[oa]s?|miembros?)(?:[ \t]+(?:titular(?:es)?|acreditad[oa]s?))?"
    r"[ \t]+(?:de|del)[ \t]+(?:cada[ \t]+una?[ \t]+de[ \t]+)?(?:(?:la|las|los|el)[ \t]+)?"
    r"(?P<name>[^,;:()]+)",
    re.IGNORECASE,
)
_COLLECTIVE_END = re.compile(
    r"[ \t\n]+(?:quien|elegid|designad|acreditad|nombrad|con[ \t]+sede|que[ \t]|ante[ \t]|"
    r"para[ \t]|en[ \t]+representaci)|\.(?:\s|$)",
    re.IGNORECASE,
)
_TRAILING_CONNECTOR = re.compile(r"(?:[ \t\n]+(?:de|del|la|las|los|el|en|y|e|con|para))+$")


# lower-case collectives a seat may stand for: "un representante de las universidades"
_COLLECTIVE_HEADS = {
    "universidades", "universidad", "municipalidades", "municipios", "gremios", "gremio",
    "organizaciones", "asociaciones", "instituciones", "empresas", "colegios", "camaras",
    "comunidades", "mesas", "sector", "sectores", "ong", "ongs", "cooperativas", "juntas",
    "comites", "consejos", "gobiernos", "academia", "trabajadores", "empleadores",
    "productores", "usuarios", "pueblos", "federaciones", "centrales", "sindicatos",
    "entidades", "institutos", "centros", "alcaldes", "estudiantes", "jovenes", "mujeres",
    "agricultores", "pescadores", "artesanos", "regiones", "provincias", "servicios",
    "sociedad",  # "representantes de la sociedad civil" (66 bulk texts)
}


def is_organ(name: str) -> bool:
    """Whether ``name`` is an organ of a body (board, technical secretariat, committees)
    rather than a body of its own."""
    return _ORGAN_NAME.match(strip_accents(name).lower()) is not None


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


_CONNECTORS = {"de", "del", "la", "las", "los", "el", "y", "e", ","}


def _capitalised_run(name: str) -> str:
    """The name up to its first lower-case word that is not a connector ("Ministerio de
    Agricultura medidas para ..." → "Ministerio de Agricultura")."""
    words: list[str] = []
    for word in name.split():
        if not (word[:1].isupper() or word.strip(",") in _CONNECTORS):
            break
        words.append(word)
    while words and words[-1].strip(",") in _CONNECTORS:
        words.pop()
    return " ".join(words).rstrip(",")


def _trim(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .-–—")
    return _TRAILING_CONNECTOR.sub("", name).strip()


def _offset_of(m: re.Match[str], named: str) -> int:
    """Where ``named`` starts in the title match's rest, however its capitals were rewritten
    ("GERENTE REGIONAL DE ..." read as "Gerencia Regional de ..."); the rest's start if the
    text writes it otherwise (a line break inside)."""
    at = m.group("rest").lower().find(named[:8].lower())
    return m.start("rest") + max(at, 0)


def body_of_title(phrase: str) -> tuple[int, str, str | None] | None:
    """The body an office holder at the start of ``phrase`` stands for, as (offset of the
    title in the phrase, the body's name, its kind): "El Secretario de Economía" →
    Secretaría de Economía; "Gerente Regional de Desarrollo Económico" → Gerencia Regional
    de Desarrollo Económico; "Presidente de Pro Ucayali" → Pro Ucayali."""
    m = _TITLE.match(phrase)
    if m is None:
        return None
    title = re.sub(r"\s+", " ", m.group("title").lower())
    qual = re.sub(r"/a\b", "", m.group("qual") or "")
    rest = m.group("rest") or ""
    cut = _REST_END.search(rest)
    if cut:
        rest = rest[: cut.start()]
    rest = _trim(rest)
    if re.search(r"[A-ZÁÉÍÓÚÑ]", rest) and not re.search(r"[a-záéíóúñ]", rest):
        # "GERENTE REGIONAL DE INFRAESTRUCTURA": the body's name as a name is written
        rest = " ".join(w.lower() if w.lower() in _CONNECTORS else w.capitalize()
                        for w in rest.split())
        qual = qual.title()
    named = re.sub(r"^(?:de|del)\s+(?:(?:la|las|los|el)\s+)?", "", rest)
    if title.startswith(("president", "jef")) and re.fullmatch(
        r"(?i)rep[úu]blica|naci[óo]n|estado", named
    ):
        # "El Presidente de la República", Chile's "el Jefe del Estado": the head of state, an
        # entity of its own
        return m.start("title"), "Presidente de la República", "head_of_state"
    info = head_info(named) if len(named.split()) > 1 else None  # "del Departamento": no body
    if info is not None and info.label == "Institution" and title not in _HEAD_OF:
        # "Director Nacional del Servicio Agrícola y Ganadero": the service itself
        return _offset_of(m, named), named, info.kind
    if title in _HEAD_OF:
        named = re.sub(r"^(?:de|del)\s+(?:(?:la|las|los|el)\s+)?", "", rest)
        if not named or not named[:1].isupper():
            return None
        if title.startswith("president") and "Municipal" in qual and info is None:
            # Mexico's "el Presidente Municipal de Guadalajara" heads its ayuntamiento
            return m.start("title"), f"Ayuntamiento de {named}", "municipality"
        return _offset_of(m, named), named, None
    head = _TITLE_BODY.get(title)
    if head is None or not (rest or "General" in qual):
        return None  # "Gobernador Regional" alone names no particular body
    if rest and not re.search(r"[A-ZÁÉÍÓÚÑ]", rest):
        return None
    if head == "Gobierno" and not qual.strip() and rest.startswith("de "):
        head = "Gobernación"  # "Gobernador de Antioquia": the department's governorate
    name = _capitalised_run(_trim(f"{head}{qual} {rest}"))
    kind = {"Municipalidad": "municipality", "Gobierno": "regional_government"}.get(
        head, "ministry" if head in ("Ministerio", "Secretaría", "Subsecretaría") else "division"
    )
    return m.start("title"), name, kind


# the head of the document's own government named by office alone: "El Gobernador Regional,
# quien lo preside", "El Presidente del Gobierno Regional" (30 bulk texts list one as a
# member), "El Alcalde Provincial"; the body is the one of that kind the document names
_OWN_HEAD = re.compile(
    r"^\W*(?:(?:el|la)[ \t]+)?(?:"
    r"(?P<regional>gobernador(?:a)?[ \t]+regional|president[ea][ \t]+(?:del[ \t]+gobierno[ \t]+)?regional)"
    r"|(?P<state>gobernador(?:a)?[ \t]+(?:constitucional[ \t]+)?del[ \t]+estado)"
    r"|alcalde(?:sa)?(?P<municipal>[ \t]+(?:provincial|distrital|municipal))?"
    r")(?![ \t]+(?:de|del)[ \t]+(?!la[ \t]+regi[óo]n\b)\w)",
    re.IGNORECASE,
)


def own_body_head(phrase: str) -> str | None:
    """The head noun of the body an office named alone at the start of ``phrase`` stands
    for: "El Gobernador Regional" → "Gobierno Regional"; None when the office names its
    body ("Gobernador Regional de Puno", which :func:`body_of_title` reads)."""
    m = _OWN_HEAD.match(phrase)
    if m is None:
        return None
    if m.group("regional"):
        return "Gobierno Regional"
    if m.group("state"):
        return "Gobierno del Estado"
    qualifier = (m.group("municipal") or "").strip().lower()
    return {"provincial": "Municipalidad Provincial",
            "distrital": "Municipalidad Distrital"}.get(qualifier, "Municipalidad")


# heads of a kind of government named together: "Los Alcaldes Provinciales de la Región"
# (46 bulk texts), "los gobernadores regionales": a collective named as the text names it
_OFFICE_COLLECTIVE = re.compile(
    r"^\W*(?:(?:y|e)[ \t]+)?(?:por[ \t]+)?(?:(?:los|las)[ \t]+)?(?P<name>(?:alcaldes|gobernadores)"
    r"(?:[ \t]+y[ \t]+\w+)?[ \t]+(?:provinciales|distritales|regionales|municipales|"
    # "integrado por los gobernadores de los departamentos que la conforman" (Colombia), "los
    # alcaldes de los municipios", "los gobernadores de las entidades federativas" (Mexico)
    r"de[ \t]+(?:los|las)[ \t]+(?:departamentos|municipios|provincias|regiones|estados|"
    r"entidades[ \t]+federativas)))\b",
    re.IGNORECASE,
)


def collective_member(phrase: str) -> tuple[int, str, str | None] | None:
    """The member a representation names: "Cuatro representantes de los Gremios de las MYPE"
    → Gremios de las MYPE (a collective when plural); "Los Alcaldes Provinciales" →
    Alcaldes provinciales."""
    office = _OFFICE_COLLECTIVE.match(phrase)
    if office is not None:
        name = re.sub(r"\s+", " ", office.group("name"))
        return office.start("name"), _capitalised(name.lower()), "collective"
    m = _COLLECTIVE.match(phrase)
    if m is None:
        return None
    name = m.group("name")
    cut = _COLLECTIVE_END.search(name)
    if cut:
        name = name[: cut.start()]
    name = _trim(name)
    words = name.split()
    if not words or len(words) > 14 or not re.search(r"[A-Za-zÁÉÍÓÚáéíóú]{3}", name):
        return None
    if name[:1].islower() and strip_accents(words[0]).lower() not in _COLLECTIVE_HEADS:
        return None  # "miembros de reconocida idoneidad": a quality, not a member
    plural = re.search(r"[a-záéíóú]s$", words[0], re.IGNORECASE) is not None
    # the civil society, the academy: many bodies, one seat
    kind = "collective" if plural or words[0].lower() in ("sociedad", "academia") else None
    offset = m.start("name")
    return offset, _capitalised(name) if kind == "collective" else name, kind
