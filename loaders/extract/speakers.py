"""Speaker lines: ``Name, Role, Institution`` in workshop minutes and panel reports.

Recognised forms: markdown headings with ``>>`` markers, bullet items, plain lines, names in
capitals, ``(moderador)`` notes. The part after the name is the affiliation; it must name an
institution or a role, which keeps dates and places ("Santiago, 13 de julio") out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.normalize import strip_accents

_PARTICLE = r"(?:de|del|de la|da|das|do|dos|di|van|von|y|e|la|le)"
_LOW = "a-zà-öø-ÿ'’"
_UP = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = rf"(?:[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?)"
_PERSON = rf"{_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ])?{_NAME_WORD}){{1,4}}"
SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ ]*)?(?:>>[ ]*)?(?:[-•*·][ ]*)?(?P<name>{_PERSON})[ ]*"
    rf"(?:\((?P<note>moderador|moderadora|moderación|relator|relatora)\)[ ]*)?,[ ]*(?P<rest>[^\n]+)$",
    re.MULTILINE,
)
ROLE_WORDS = re.compile(
    r"\b(?:alcalde|alcaldesa|presidente|presidenta|director|directora|jefe|jefa|gerente|gerenta|"
    r"gobernador|gobernadora|ministro|ministra|secretario|secretaria|coordinador|coordinadora|"
    r"consultor|consultora|subsecretario|subsecretaria|embajador|embajadora|intendente|asesor|"
    r"asesora|encargado|encargada|profesor|profesora|rector|rectora|investigador|investigadora|"
    r"oficial|especialista|representante|ceo|responsable|economista|analista|experto|experta|"
    r"vicepresidente|vicepresidenta|senador|senadora|diputado|diputada|concejal|concejala|"
    r"académico|académica|fundador|fundadora|socio|socia|consejero|consejera)\b",
    re.IGNORECASE,
)
# Roles whose holder stands for an institution named after the territory: "Alcalde de X".
ROLE_INSTITUTIONS: list[tuple[re.Pattern[str], str, str, str]] = [
    (
        re.compile(r"\bAlcalde(?:sa)? (?:de|del) (?P<place>[A-ZÁÉÍÓÚÑ][\w\- ]+?)(?=[,(;]|$| y )"),
        "Municipalidad de {place}",
        "municipality",
        "local",
    ),
    (
        re.compile(
            r"\bGobernador(?:a)? Regional (?P<prep>de la|del|de) (?P<place>[A-ZÁÉÍÓÚÑ][\w\-]+(?: [A-ZÁÉÍÓÚÑ][\w\-]+)*)"
        ),
        "Gobierno Regional {prep} {place}",
        "regional_government",
        "regional",
    ),
    (
        re.compile(
            r"\bGobernador(?:a)? (?:de|del) (?P<place>[A-ZÁÉÍÓÚÑ][\w\-]+(?: [A-ZÁÉÍÓÚÑ][\w\-]+)*)"
        ),
        "Gobierno de {place}",
        "regional_government",
        "regional",
    ),
    (
        re.compile(
            r"\bIntendente (?:de|del) (?P<place>[A-ZÁÉÍÓÚÑ][\w\-]+(?: [A-ZÁÉÍÓÚÑ][\w\-]+)*)"
        ),
        "Municipalidad de {place}",
        "municipality",
        "local",
    ),
]


@dataclass
class SpeakerLine:
    """A person and the span of their affiliation text."""

    name: str
    name_start: int
    name_end: int
    rest_start: int
    rest_end: int
    line_start: int
    line_end: int


def person_display_name(raw: str) -> str:
    """``CARLOS MASSA RATINHO JUNIOR`` → ``Carlos Massa Ratinho Junior``; others unchanged."""
    if raw.isupper():
        return " ".join(
            w.lower()
            if w.lower() in {"de", "del", "da", "das", "do", "dos", "di", "y", "e"}
            else w.capitalize()
            for w in raw.split()
        )
    return raw


# what names no person, written without accents and matched against a name without them
_NOT_A_PERSON = re.compile(strip_accents(
    r"^(?:El|La|Los|Las|Un|Una|Este|Esta|Estos|Estas|En|Por|Para|Con|Desde|Según|Santiago|"
    r"Ciudad|Región|Provincia|Estado)\b|\b(?:Gobierno|Ministerio|Secretaría|Subsecretaría|"
    r"Servicio|Agencia|Instituto|Consejo|Comisión|Comité|Municipalidad|Asociación|Cámara|Red|"
    r"Banco|Fondo|Programa|Proyecto|Plan|Universidad|Fundación|Corporación|Dirección|"
    r"División|Departamento|Oficina|Unidad|Grupo|Organización|Centro|Región|Ley|Gerencia|"
    r"Subgerencia|Gobernación|Alcaldía|Superintendencia|Contraloría|Defensoría|Procuraduría|"
    r"Fiscalía|Tribunal|Corte|Autoridad|Junta|Mesa|Policía|Prefectura|Intendencia|"
    # the fields of a procedures table: "Trámite Documentario", "Área de Tesorería", "Proceso
    # de ...", "Recurso de Apelación", "Sistema Administrativo"
    r"Trámite|Área|Proceso|Recurso|Informe|Sistema|"
    # an article's heading ("Artículo Segundo,- ENCARGAR ...") and the names of actions
    # ("Promoción de Banda Ancha de Fibra Óptica") are no one's name
    r"Artículo|Capítulo|Título|Anexo|Numeral|Inciso|Promoción|Implementación|Gestión|"
    r"Desarrollo|Fortalecimiento)\b"
    # the parts of a document: "Tercera Parte, trata de ...", "Primera Etapa, ..."
    # an adverb opens a sentence, never a name: "Anualmente Carabineros de Chile, la Policía ..."
    r"|^[A-ZÁÉÍÓÚ][a-záéíóú]+mente\b"
    # the formulas and the form fields around a signature: "MANDO SE REGISTRE Y CUMPLA",
    # "Despacho del Gobernador Regional", "NOMBRE Y APELLIDOS", "CONDICIÓN"
    r"|\b(?:Mando|Reg[íi]strese|Registre|Comun[íi]quese|Publ[íi]quese|Publique|C[úu]mplase|"
    r"Cumpla|Despacho|Nombres?|Apellidos?|Condici[óo]n|Cargo|Firma|Sello|Fecha|Archivo|Dado)\b"
    r"|^(?:Primer[ao]?|Segund[ao]|Tercer[ao]?|Cuart[ao]|Quint[ao]|Sext[ao]|Séptim[ao]|Octav[ao]|"
    r"Noven[ao]|Décim[ao]|Últim[ao])\b|\b(?:Parte|Etapa|Fase|Sección|Disposición)$"
))


# An author block: the person's name alone on a line, the role and affiliation on the next
# ("Andrea Pérez" / "Jefa de Exploración, Laboratorio de Aceleración PNUD Paraguay").
_NAME_THEN_ROLE = re.compile(
    rf"^[ \t]*(?P<name>{_PERSON})[ \t]*\n(?:[ \t]*\n)?[ \t]*"
    rf"(?P<rest>(?={ROLE_WORDS.pattern})[^\n]{{3,300}})$",
    re.MULTILINE | re.IGNORECASE,
)


# Words no name in capitals holds, though titles do ("MODIFICA EL CODIGO DEL TRABAJO").
_NOT_IN_A_NAME = frozenset({"EL", "LOS", "LAS", "AL", "EN", "POR", "PARA", "CON", "QUE", "SOBRE"})


def _speaker(m: re.Match[str], *, whole_line: bool = True) -> SpeakerLine:
    """The speaker line of a match with ``name`` and ``rest`` groups (a signature inside a
    line spans just its name and office)."""
    return SpeakerLine(
        name=person_display_name(m.group("name")), name_start=m.start("name"),
        name_end=m.end("name"), rest_start=m.start("rest"), rest_end=m.end("rest"),
        line_start=m.start() if whole_line else m.start("name"),
        line_end=m.end() if whole_line else m.end("rest"),
    )


def _is_person_name(name: str) -> bool:
    cased = name.title() if name.isupper() else name
    return (
        # read without accents, so that OCR'd tables match too ("DIRECCION GESTION SALUD
        # INDIVIDUAL", "Tramite Documentario")
        _NOT_A_PERSON.search(strip_accents(cased)) is None
        # "Jefa de Exploración, Laboratorio X": a role, not a name
        and ROLE_WORDS.match(name) is None
        and not (name.isupper() and _NOT_IN_A_NAME.intersection(name.split()))
    )


# The start of a line that begins with a role word: where the second line of an author block
# can be (cheap to find; trying the author-block pattern at every line is not).
_ROLE_LINE = re.compile(rf"^[ \t]*(?={ROLE_WORDS.pattern})", re.MULTILINE | re.IGNORECASE)


def _name_then_role(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_NAME_THEN_ROLE` in ``text``, as its ``finditer`` gives them: it
    is tried only at the one or two lines above each line that starts with a role word (the
    name line, then at most one blank line), the only places where it can match."""
    tried: set[int] = set()
    starts: list[int] = []
    for role in _ROLE_LINE.finditer(text):
        above = role.start()
        for _ in range(2):  # the line above, and the one above it
            if above == 0:
                break
            above = text.rfind("\n", 0, above - 1) + 1
            if above not in tried:
                tried.add(above)
                starts.append(above)
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        m = _NAME_THEN_ROLE.match(text, start)
        if m is not None:
            end = m.end()
            yield m


def _author_blocks(text: str) -> list[SpeakerLine]:
    out: list[SpeakerLine] = []
    for m in _name_then_role(text):
        name = m.group("name")
        if not _is_person_name(name) or not name[:1].isupper() or "\t" in m.group("rest"):
            continue
        out.append(_speaker(m))
    return out


# A signature inside a line: "Santiago, 4 de octubre de 2022.- GABRIEL BORIC FONT, Presidente
# de la República.- Esteban Valenzuela van Treek, Ministro de Agricultura." Each signer follows
# ".-", a semicolon or "Saluda atentamente a Ud.," and the office comes first after the name, so
# the office is what the signer stands for. 2,251 such signatures in the 630 Chilean laws of
# ../shared/bulk; the role word first keeps places and dates out.
_SIGNATURE_ROLE = (
    r"(?i:(?:vice)?(?:ministr[oa]|subsecretari[oa]|president[ea]|gobernador(?:a)?|intendente|"
    r"alcalde(?:sa)?|secretari[oa]|director(?:a)?|jef[ea]|gerente|contralor(?:a)?))"
)
_SIGNATURE = re.compile(
    rf"(?:\.-|\bSaluda[ \t]+atentamente[ \t]+a[ \t]+(?:Ud|usted|US)\.?,|;)[ \t]*"
    rf"(?P<name>{_PERSON}),[ \t]*(?P<rest>{_SIGNATURE_ROLE}\b[^\n]{{2,150}}?)"
    rf"(?=[ \t]*(?:\.-|\.[ \t]*(?:\n|$)|\.[ \t]+[A-ZÁÉÍÓÚÑ]|;|,[ \t]*{_PERSON},)|[ \t]*$)",
    re.MULTILINE,
)


def _signatures(text: str) -> list[SpeakerLine]:
    out: list[SpeakerLine] = []
    for m in _SIGNATURE.finditer(text):
        name = m.group("name")
        if not _is_person_name(name):
            continue
        out.append(_speaker(m, whole_line=False))
    return out


def find_speaker_lines(text: str) -> list[SpeakerLine]:
    """Lines that introduce a person with an affiliation, author blocks (a name line, then a
    line giving the role and the affiliation) and signatures ("Name, Ministro de X" after
    ".-")."""
    out: list[SpeakerLine] = _author_blocks(text) + _signatures(text)
    taken = {line.name_start for line in out}
    for m in SPEAKER_LINE.finditer(text):
        rest = m.group("rest")
        if "\t" in rest or len(rest) > 400:
            continue
        if not _is_person_name(m.group("name")):
            continue
        if m.start("name") in taken:
            continue
        out.append(_speaker(m))
    return sorted(out, key=lambda line: line.line_start)
