"""Relations stated by the structure of legal and administrative text.

Laws, ordinances and decrees state who does what through a few regular constructions, each
counted in the 2,093 texts of ``../shared/bulk`` before it was written down here:

- membership lists, "integrado por" (385 files), "conformado por" (249), "compuesto por" (66),
  whose items name members directly, through their heads ("el Secretario de Economía") or
  as collectives ("un representante de las universidades de la región"); the roles "quien lo
  preside" (87) and "asumirá la Secretaría Técnica" (280 files name a Secretaría Técnica);
- whose list it is: the body the sentence creates ("CREAR el Consejo X, adscrito a la Gerencia
  Y, el mismo que estará integrado por"), else the last body named before the list; a list of
  a body's organs ("la estructura orgánica de X la conforman", 100 files cite the
  Constitution's) gives PART_OF, not members; a government's listed organs are its parts;
- commissions, "ENCARGAR a X" / "encárguese" (909 files), "Corresponde a X" (182),
  "X tendrá las siguientes funciones" (119), with "en coordinación con" (319) naming the
  co-responsible and "a través de" (637) the unit that acts for X.

The module reads the candidates the other components found (``base``) and records relations
in the extraction context; the few entities it adds (office holders' bodies, collective
members, secretariats) are appended to ``base``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from graph.normalize import normalize_name, strip_accents, without_connectives
from loaders.extract.candidates import Candidate
from loaders.extract.context import ExtractionContext
from loaders.extract.legal_names import (
    ORGAN,
    body_of_title,
    collective_member,
    is_organ,
    own_body_head,
)
from loaders.extract.legal_parents import own_body_named
from loaders.extract.legal_refs import bare_reference
from loaders.extract.legal_units import (
    ITEM_MARKER,
    Unit,
    article_end,
    article_start,
    list_units,
)
from loaders.extract.patterns import head_info
from loaders.extract.scan import finditer_near

MEMBERSHIP = re.compile(
    r"\b(?:integrad[oa]s?|conformad[oa]s?|compuest[oa]s?|constituid[oa]s?)[ \t]+"
    r"(?:de[ \t]+la[ \t]+siguiente[ \t]+(?:manera|forma)|seg[uú]n[ \t]+(?:el[ \t]+)?detalle"
    r"[ \t]+siguiente|por)\b"
    r"|\bcompuest[oa]s?[ \t]+de\b"
    r"|\bse[ \t]+(?:integra(?:r[áa])?n?|conforma(?:r[áa])?n?)[ \t]+(?:por|con)\b"
    # "se integrará como sigue:", "estará integrado de la siguiente forma:" (15 in the bulk
    # corpus), each item then opening with "Con el ..."
    r"|\bse[ \t]+(?:integra(?:r[áa])?n?|conforma(?:r[áa])?n?|compondr[áa]n?)[ \t]+"
    r"(?:como[ \t]+sigue|de[ \t]+la[ \t]+siguiente[ \t]+(?:manera|forma))\b"
    r"|\bse[ \t]+compon(?:e|en|dr[áa]n?)[ \t]+(?:de|por)\b"
    r"|\b(?:son|ser[áa]n)[ \t]+(?:sus[ \t]+)?(?:miembros|integrantes)\b"
    # "Participarán en el Comité Técnico de Evaluación: I. La Secretaría ..." (a list follows)
    r"|\bparticipar[áa]n(?=[ \t]+en\b[^.;:\n]{3,160}:)"
    r"|\b(?:lo|la)[ \t]+(?:integran|integrarán|conforman|conformarán|componen)\b",
    re.IGNORECASE,
)
# the body named right after its trigger: "Serán integrantes del Comité X:", "Participarán en
# el Comité X:" (never "integrado por el Gobierno Regional ...": that is a member)
_BODY_AFTER = re.compile(r"[ \t]*(?:de|del|en)[ \t]+(?:(?:el|la|los|las)[ \t]+)?", re.IGNORECASE)
# the words every MEMBERSHIP trigger holds near its start, in lower case (for a fast scan)
_MEMBERSHIP_WORDS = re.compile(r"integra|conforma|compues|constitu|compon|miembros|participar")
_PRESIDES = re.compile(r"\bpresid|\bpresidencia\b|\bpresidente\b", re.IGNORECASE)
# who presides a body is not the body: "Dicha comisión deberá estar presidida por el
# Gobernador Regional e integrada por ..."
_PRESIDED_BY = re.compile(r"\bpresidid[oa]s?[ \t\n]+por[ \t\n]+(?:(?:el|la)[ \t\n]+)?$",
                          re.IGNORECASE)
_SECRETARIAT = re.compile(
    r"\bsecretar[ií]a[ \t]+(?:t[ée]cnica|ejecutiva)\b|\bsecretario[ \t]+t[ée]cnico\b",
    re.IGNORECASE,
)
@dataclass
class _Member:
    """One member named by a list item, with the role the item gives it."""

    key: str
    start: int
    end: int
    presides: bool = False
    secretariat: bool = False


class CandidateIndex:
    """The keyed candidates of a document, by start offset, for range look-ups."""

    def __init__(self, base: list[Candidate]) -> None:
        self.cands = sorted((c for c in base if c.key), key=lambda c: c.start)
        self.starts = [c.start for c in self.cands]

    def between(self, start: int, end: int, label: str | None = None) -> list[Candidate]:
        """Candidates that lie inside ``[start, end)``, of ``label`` when given."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [
            c
            for c in self.cands[lo:hi]
            if c.end <= end and (label is None or c.label == label)
        ]

    def add(self, cand: Candidate) -> None:
        """Index a candidate added after construction."""
        i = bisect.bisect_left(self.starts, cand.start)
        self.starts.insert(i, cand.start)
        self.cands.insert(i, cand)


def institutions_in(index: CandidateIndex, start: int, end: int) -> list[Candidate]:
    return index.between(start, end, "Institution")


def _bare(name: str) -> str:
    """A name without its articles and prepositions: "Gobierno Regional de Puno" and
    "Gobierno Regional Puno" are one name written two ways."""
    return without_connectives(normalize_name(name))


def add_candidate(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, cand: Candidate
) -> str:
    """Add ``cand`` to the context (and to ``base``) and return its key; an entity the
    document already names the same way, but for articles and prepositions, takes it."""
    bare = _bare(cand.name)
    for builder in ctx.builders.values():
        if builder.label == cand.label and any(_bare(n) == bare for n in builder.names):
            cand.key = builder.key
            break
    builder = ctx.add(cand)
    base.append(cand)
    index.add(cand)
    return builder.key


# --- the body a membership list is about -----------------------------------------------------


def _parent_of_organ(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, organ: Candidate
) -> str | None:
    """ "Comité Directivo de la ARD-PUNO" → the ARD: the institution named right after it,
    or inside its name ("Comité Directivo de la Agencia Regional de Desarrollo de X": the
    agency becomes an entity of its own)."""
    named = re.match(r"^.+?\s(?:de\s+la|del|de)\s+(?P<rest>.+)$", organ.name)
    if named is not None:
        rest = named.group("rest")
        key = ctx.alias_keys.get(f"Institution|{normalize_name(rest)}")
        if key and key != organ.key:
            return key
        info = head_info(rest)
        at = ctx.text.find(rest, organ.start, organ.end)
        if info is not None and info.label == "Institution" and not is_organ(rest) and at >= 0:
            parent = Candidate(at, at + len(rest), "Institution", rest, "pattern", kind=info.kind,
                               confidence=0.7)
            return add_candidate(ctx, base, index, parent)
    follow = re.match(r"[ \t]*(?:de[ \t]+la|del|de)[ \t]+", ctx.text[organ.end : organ.end + 12])
    if follow is None:
        return None
    after = institutions_in(index, organ.end, organ.end + follow.end() + 120)
    if after and after[0].start == organ.end + follow.end():
        return after[0].key
    return None


# a list of a body's organs: "la estructura orgánica (básica) de X la conforman / está
# conformada por"
_STRUCTURE = re.compile(
    r"\bestructura[ \t]+org[áa]nica(?:[ \t]+b[áa]sica)?[ \t]+(?:de|del)[ \t]+(?P<what>[^,.;:]{3,120}?)"
    r"[ \t,]+(?:(?:la|lo)[ \t]+(?:conforman|integran|componen)|(?:est[áa]|estar[áa]|es)[ \t]+"
    r"(?:conformad|integrad|compuest|constituid)[oa][ \t]+(?:por|de))\b",
    re.IGNORECASE,
)


# a body defined in the sentence that lists its members, or in the one before: "el Consejo de
# Coordinación Regional es un órgano consultivo ... del Gobierno Regional con las
# municipalidades. Está integrado por" (the Ley Orgánica de Gobiernos Regionales, quoted in 19
# bulk texts): the subject, not the last body the definition names
_DEFINED_AS = re.compile(
    r"[ \t,]*(?:es|ser[áa])[ \t]+(?:el|un|una)[ \t]+(?:[óo]rgano|instancia|espacio|organismo|mecanismo)\b",
    re.IGNORECASE,
)
_COORDINATED_PREDICATE = re.compile(
    r"(?:\by|\.)[ \t\n]+(?:(?:est[áa]|ésta|estar[áa]|se[ \t]+encuentra)[ \t]+)?$", re.IGNORECASE
)


def _sentence_before(text: str, sentence: int, scope_start: int) -> int:
    """Where the sentence before the one starting at ``sentence`` starts (not before
    ``scope_start``, the start of the article)."""
    return max(scope_start, text.rfind(".", scope_start, max(scope_start, sentence - 1)) + 1)


def _defined_subject(ctx: ExtractionContext, index: CandidateIndex, trigger: re.Match[str],
                     scope_start: int) -> Candidate | None:
    """The body a definition right before a membership list is about (see ``_DEFINED_AS``)."""
    text = ctx.text
    if not _COORDINATED_PREDICATE.search(text, max(scope_start, trigger.start() - 40),
                                         trigger.start()):
        return None
    sentence = max(scope_start, text.rfind(".", scope_start, trigger.start() - 1) + 1)
    previous = _sentence_before(text, sentence, scope_start)
    for cand in institutions_in(index, previous, trigger.start()):
        if _DEFINED_AS.match(text, cand.end) and cand.kind != "collective":
            return cand
    return None


# a sentence that opens with its verb continues the subject of the one before: "Las Comisiones
# Regionales de Competitividad coordinarán ... . Estarán integradas por ..." (67 bulk texts open
# a sentence with "Está/Estará/Será integrado/conformado/compuesto")
_SUBJECTLESS = re.compile(
    r"[ \t\n]*(?:Est[áa]n?|Estar[áa]n?|Ser[áa]n?|Queda(?:r[áa])?n?|Se[ \t]+encuentran?)[ \t]+"
    r"(?:integrad|conformad|compuest|constituid|presidid)[oa]s?\b"
)


def _previous_subject(ctx: ExtractionContext, index: CandidateIndex, sentence: int,
                      scope_start: int) -> Candidate | None:
    """The body a sentence that opens with its verb is about (see ``_SUBJECTLESS``): the one
    the previous sentence opens with."""
    text = ctx.text
    if not _SUBJECTLESS.match(text, sentence):
        return None
    previous = _sentence_before(text, sentence, scope_start)
    for cand in institutions_in(index, previous, sentence):
        opening = text[previous : cand.start]
        if len(opening) <= 40 and re.fullmatch(r"[\s\W]*(?:(?:el|la|los|las)[ \t]+)?", opening,
                                              re.IGNORECASE):
            return cand if cand.kind != "collective" else None
        break
    return None


# the verbs that create a body in an ordinance or a law
_CREATES = re.compile(
    r"\b(?:CREAR|[Cc]rear|Cr[ée]a(?:n)?se|CONFORMAR|[Cc]onformar|Conf[óo]rme(?:n)?se|CONSTITUIR|"
    r"[Cc]onstituir|Constit[úu]ya(?:n)?se|INSTITUCIONALIZAR|[Ii]nstitucionalizar|INSTALAR|"
    r"[Ii]nstalar|NOMBRAR|[Nn]ombrar|N[óo]mbra(?:n)?se|ESTABLECER|Estab[lh]?[ée]zca(?:n)?se|"
    r"FORMAR|F[óo]rme(?:n)?se|"
    # Chile's "Habrá un Consejo de Seguridad Nacional ...", "Existirá una Comisión ..." (20 laws)
    r"Habr[áa][ \t]+(?:un|una)|Existir[áa][ \t]+(?:un|una))\b"
)


_PARTICIPLE = re.compile(
    r"(?:integrad|conformad|compuest|constituid|presidid)(?P<g>[oa])(?P<n>s?)\b", re.IGNORECASE
)
_MASCULINE_IN_A = {"sistema", "programa", "organismo", "consejo", "comite", "grupo", "equipo"}


def _gender(name: str) -> str:
    """The grammatical gender of a body's head noun: "o" (Comité, Consejo, Grupo, Sistema) or
    "a" (Comisión, Mesa, Agencia, Red, Unidad)."""
    head = strip_accents(name.split()[0]).lower() if name.split() else ""
    if head in _MASCULINE_IN_A:
        return "o"
    return "a" if re.search(r"(?:a|as|cion|ciones|sion|siones|dad|dades|red|redes)$", head) else "o"


def _agreeing(named: list[Candidate], trigger: re.Match[str]) -> list[Candidate]:
    """The bodies of ``named`` whose head agrees with the participle of the trigger: in "la
    conformación del Grupo Impulsor ... de la Agencia Regional de Desarrollo, el mismo que
    estuvo conformado por" the list is the group's (a relative "el mismo que / la misma que /
    el cual" after a body: 67 bulk texts), not the agency's. All of them when none agrees, or
    when the participle is plural ("los cuales estarán integrados" may sum several bodies)."""
    participle = _PARTICIPLE.search(trigger.group())
    if participle is None:
        return named
    if participle.group("n"):
        return named  # "los cuales estarán integrados" may sum several bodies named before
    gender = participle.group("g").lower()
    agreeing = [c for c in named if _gender(c.name) == gender
                and not c.name.split()[0].lower().endswith("s")]
    return agreeing or named


def _membership_body(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, trigger: re.Match[str],
    scope_start: int,
) -> tuple[str | None, list[str], str | None]:
    """The body whose members a list names, the organs named with it, and the organ of the
    body the list is literally about ("El Consejo Directivo de la ARD está integrado por").

    The body is the last institution named before the trigger in its sentence that is not
    one of the body's organs (Consejo Directivo, Secretaría Técnica...); an organ "de X"
    stands for X, and an organ of no body the document names is the body itself. "El Consejo estará integrado" names the last Consejo named before.
    """
    text = ctx.text
    start = max(scope_start, text.rfind(".", scope_start, trigger.start()) + 1)
    # a collective ("Gobierno central", "Municipalidades") has no members a list could name
    named = _agreeing([c for c in institutions_in(index, start, trigger.start())
                       if c.kind != "collective"
                       and not _PRESIDED_BY.search(text, max(0, c.start - 30), c.start)], trigger)
    subject = _defined_subject(ctx, index, trigger, scope_start)
    if subject is None and not named:
        subject = _previous_subject(ctx, index, start, scope_start)
    if subject is not None:
        named = [subject]
    created = list(_CREATES.finditer(text, start, trigger.start())) if subject is None else []
    if not named and not created:
        # "CONFORMAR el Equipo Técnico X, de carácter técnico. Estará constituido por:": the
        # body created earlier in the article
        created = list(_CREATES.finditer(text, scope_start, trigger.start()))
        if created:
            start = created[-1].start()
            named = [c for c in institutions_in(index, start, trigger.start())
                     if c.kind != "collective"]
    if created:
        # "CREAR el Consejo X, adscrito a la Gerencia Y, el mismo que estará integrado por":
        # the body created, not the last one named before the list
        after_verb = [c for c in named if c.start >= created[-1].end()]
        if after_verb:
            first = min(after_verb, key=lambda c: (c.start, c.start - c.end))  # the longest
            named = [c for c in named if c.start < created[-1].end()] + [first]
    organs = [c.key for c in named if is_organ(c.name) and c.key]
    for cand in reversed(named):
        if not is_organ(cand.name):
            return cand.key, organs, None
        parent = _parent_of_organ(ctx, base, index, cand)
        if parent:
            # the list names the organ's members: they sit in the organ and so in its parent
            return parent, [o for o in organs if o != cand.key], cand.key
        if re.search(r"\s(?:de|del)\s", cand.name):
            # "Comité Directivo del Marco Institucional y Operativo de la Estrategia X": a body
            # of its own, not the organ of one named earlier in the sentence
            return cand.key, [o for o in organs if o != cand.key], None
    if organs:  # an organ of no body the document names has members of its own
        return organs[-1], organs[:-1], None
    key = bare_reference(text, start, trigger.start(), institutions_in(index, 0, trigger.start()))
    if key:
        return key, organs, None
    # an OCR'd heading may put the subject after the trigger: "conformado ...: El Comité ..."
    after = institutions_in(index, trigger.end(), min(len(text), trigger.end() + 160))
    for cand in after:
        line_start = text.rfind("\n", trigger.end(), cand.start) + 1 or trigger.end()
        if (cand.source == "role" or ITEM_MARKER.match(text, line_start, cand.start)
                or ("\n" not in text[trigger.end() : cand.start]
                    and not _BODY_AFTER.fullmatch(text, trigger.end(), cand.start))):
            # "integrado por: a) El Ministro de ...", "integrado por el Gerente General de la
            # Corporación ...": a member, not the body ("Serán integrantes del Comité X:",
            # "Participarán en el Comité X:" name the body right after the trigger)
            break
        parent = (_parent_of_organ(ctx, base, index, cand) or cand.key) if is_organ(cand.name) \
            else cand.key
        if parent:
            return parent, organs, None
    return None, organs, None


# --- members ---------------------------------------------------------------------------------

_ROLE_CLAUSE = re.compile(
    r",?[ \t]+(?:quien(?:es)?|el[ \t]+cual|la[ \t]+cual|que[ \t]+(?:lo|la)[ \t]+presid|"
    r"en[ \t]+calidad[ \t]+de|o[ \t]+su[ \t]+representante|el[ \t]+que|la[ \t]+que|como|"
    r"(?:designad|nombrad|elegid|propuest|acreditad)[oa]s?[ \t]+(?:por|a[ \t]+propuesta))\b"
    r"|[;:]",
    re.IGNORECASE,
)
_DESIGNATED_BY = re.compile(
    r"(?:designad|nombrad|elegid|propuest|acreditad)[oa]s?[ \t]+(?:por|a[ \t]+propuesta)",
    re.IGNORECASE,
)
# ... designated by another body ("Representantes acreditados por las siguientes Unidades
# Ejecutoras: ..." are the units' own)
_NAMED_BY = re.compile(r"(?:designad|nombrad|elegid)[oa]s?[ \t]+por", re.IGNORECASE)
_LONG_UNIT = 240
_CO_MEMBER = re.compile(
    r"[ \t]+y[ \t]+(?=(?:un|una|dos|tres|cuatro|cinco|el|la|los|las)[ \t]+"
    r"(?:representantes?|delegad|miembro|director|presidente|secretari|gerente|alcalde|rector))",
    re.IGNORECASE,
)


# what joins two members named in one item: "de Hacienda, de Economía y del Trabajo"
# ... or the one office of several: "los Presidentes del Senado, de la Cámara de Diputados y de
# la Corte Suprema"
_JOINED_MEMBER = re.compile(
    r"[ \t]*(?:,[ \t]*(?:y[ \t]+|e[ \t]+)?|[ \t]+(?:y|e)[ \t]+)(?:(?:de|del)[ \t]+(?:(?:la|los|las)[ \t]+)?)?"
)


def _phrase_members(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, start: int, end: int
) -> list[str]:
    """The members one phrase of a list item names: a named institution (the first; an
    institution after a dash is its parent), else the body of an office holder, else a
    collective ("representantes de las universidades de la región")."""
    text = ctx.text
    named = institutions_in(index, start, end)
    collective = collective_member(text[start:end])
    if named and collective and start + collective[0] + len(collective[1]) <= named[0].start:
        # "los representantes de la Sociedad Civil, quienes son elegidos ... que el Gobierno
        # Regional apertura": the seat the item opens with, not a body its gloss names
        named = []
    if named:
        first = named[0]
        members = [first]
        for other in named[1:]:
            gap = text[members[-1].end : other.start]
            if re.fullmatch(r"[ \t]*[—–-][ \t]*", gap):
                ctx.relate(first.key, "PART_OF", other.key, start, end, "legal list", 0.7)
            elif _JOINED_MEMBER.fullmatch(gap):
                members.append(other)  # "los Ministros de Hacienda y de Economía"
            else:
                break
        return [m.key for m in members if m.key]
    phrase = text[start:end]
    found = body_of_title(phrase) or collective
    # "El Gobernador Regional", "un representante del Gobierno Regional": the document's own
    own = _own_body(ctx, own_body_head(phrase) if found is None else found[1])
    if own is not None or found is None:
        return [own] if own else []
    offset, name, kind = found
    s = start + offset
    e = min(end, s + len(name))
    cand = Candidate(s, e, "Institution", name, "role", kind=kind, confidence=0.65)
    return [add_candidate(ctx, base, index, cand)]


_OWN_BODY_HEADS = {"Gobierno Regional", "Gobierno del Estado", "Municipalidad Provincial",
                   "Municipalidad Distrital", "Municipalidad"}


def _own_body(ctx: ExtractionContext, head: str | None) -> str | None:
    """The body of kind ``head`` ("Gobierno Regional") the document means when it names the
    office alone (:func:`loaders.extract.legal_parents.own_body_named`)."""
    if head not in _OWN_BODY_HEADS:
        return None
    body = own_body_named(ctx, head)
    return body.key if body else None


_SEAT_WORD = re.compile(r"\brepresentantes?[ \t\n]+(?:de|del)\b", re.IGNORECASE)


def _unit_members(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, unit: Unit
) -> list[_Member]:
    """The members a list item names, with the role the item (or its heading) gives them."""
    text = ctx.text
    opening = index.between(unit.body_start, min(unit.end, unit.body_start + 200))
    if opening and opening[0].label == "Instrument" and not text[
        unit.body_start : opening[0].start
    ].strip(" \t•·-–—*"):
        return []  # "• Decreto Legislativo N° 1252, que crea el Sistema ...": a basis, no seat
    opens_with_seat = collective_member(text[unit.body_start : unit.body_start + 200]) and len(
        _SEAT_WORD.findall(text, unit.body_start, unit.end)) == 1
    # "b) Cuatro elegidos por el Congreso Nacional. Dos serán nombrados ... por el Senado":
    # who designates the members sits in no seat
    designated = _NAMED_BY.search(text, unit.body_start, min(unit.end, unit.body_start + 40))
    if unit.end - unit.body_start > _LONG_UNIT and not opens_with_seat and designated is None:
        # a table of members flattened into one paragraph: each institution is a seat (an
        # item that opens with "los representantes de ..." is one seat and its gloss)
        return [
            _Member(c.key, unit.start, unit.end)
            for c in institutions_in(index, unit.body_start, unit.end)
            if c.key
        ]
    cut = _ROLE_CLAUSE.search(text, unit.body_start, unit.end)
    main_end = cut.start() if cut else unit.end
    # the role the item gives its member; who designates the member plays no role in it
    role = _DESIGNATED_BY.split(text[main_end : unit.end], maxsplit=1)[0]
    pieces = [unit.body_start]
    pieces += [m.end() for m in _CO_MEMBER.finditer(text, unit.body_start, main_end)]
    members: list[_Member] = []
    for a, b in zip(pieces, [*pieces[1:], main_end], strict=True):
        for key in _phrase_members(ctx, base, index, a, b):
            members.append(
                _Member(
                    key,
                    unit.start,
                    unit.end,
                    presides=bool(_PRESIDES.search(role)) or unit.heading_role == "preside",
                    secretariat=bool(_SECRETARIAT.search(role))
                    or unit.heading_role == "secretariat",
                )
            )
    return members


def _secretariat(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, body: str, at: int, end: int
) -> str:
    """The body's technical secretariat: the one the document names for it, else a new
    "Secretaría Técnica" entity."""
    body_names = {normalize_name(n) for n in ctx.builders[body].names}
    for b in ctx.builders.values():
        if b.label != "Institution" or not _SECRETARIAT.match(b.name):
            continue
        tail = normalize_name(re.sub(r"^\S+\s+\S+\s*", "", b.name))
        tail = re.sub(r"^(?:de|del)\s+", "", tail)
        if not tail or tail in body_names:
            return b.key
    m = _SECRETARIAT.search(ctx.text, at, end)
    s, e = (m.start(), m.end()) if m else (at, end)
    cand = Candidate(s, e, "Institution", "Secretaría Técnica", "role", kind="secretariat")
    cand.aliases = [ctx.text[s:e]]
    return add_candidate(ctx, base, index, cand)


_GOVERNMENTS = {"regional_government", "municipality", "government"}
_ORGAN_KINDS = {"council", "division", "committee", "secretariat"}


def _record_members(
    ctx: ExtractionContext,
    base: list[Candidate],
    index: CandidateIndex,
    body: str,
    members: list[_Member],
) -> None:
    governs = ctx.builders[body].kind in _GOVERNMENTS
    for member in members:
        if member.key == body:
            continue
        s, e = member.start, member.end
        # a government is made of organs, not members: "la estructura orgánica del Gobierno
        # Regional la conforman el Consejo Regional, la Gobernación ..."
        if is_organ(ctx.builders[member.key].name) or (
            governs and ctx.builders[member.key].kind in _ORGAN_KINDS
        ):
            ctx.relate(member.key, "PART_OF", body, s, e, "legal list", 0.7)
            continue
        ctx.relate(member.key, "PARTICIPATES_IN", body, s, e, "legal list", 0.75)
        if member.presides:
            ctx.relate(member.key, "RESPONSIBLE_FOR", body, s, e, "legal list", 0.7)
        if member.secretariat:
            secretariat = _secretariat(ctx, base, index, body, s, e)
            ctx.relate(secretariat, "PART_OF", body, s, e, "legal list", 0.7)
            ctx.relate(member.key, "RESPONSIBLE_FOR", secretariat, s, e, "legal list", 0.7)


def _organ_candidates(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, start: int, end: int
) -> None:
    """Organs named in a list ("Un (01) Consejo Directivo, Una (01) Secretaría Técnica")
    become candidates, so that the list makes them parts of its body."""
    taken = [(c.start, c.end) for c in index.between(start, end)]
    for m in ORGAN.finditer(ctx.text, start, end):
        if any(s <= m.start("name") < e for s, e in taken):
            continue
        name = re.sub(r"\s+", " ", m.group("name")).strip()
        cand = Candidate(
            m.start("name"), m.start("name") + len(m.group("name").rstrip()), "Institution",
            name, "role", kind="committee", confidence=0.65,
        )
        add_candidate(ctx, base, index, cand)


def membership_lists(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, articles: list[int]
) -> None:
    """PARTICIPATES_IN (and the roles of presiding and of technical secretariat) for every
    member of every membership list; organs listed as parts become PART_OF the body.
    ``articles`` are the offsets of the document's article headings."""
    text = ctx.text
    for trigger in finditer_near(MEMBERSHIP, text, _MEMBERSHIP_WORDS, ctx.lowered):
        scope_start = article_start(articles, trigger.start())
        units = list_units(text, trigger.end(), article_end(articles, trigger.end(), len(text)))
        if not units:
            continue
        _organ_candidates(ctx, base, index, trigger.end(), units[-1].end)
        structure = _STRUCTURE.search(text, max(scope_start, trigger.start() - 200), trigger.end())
        if structure is not None:
            # "la estructura orgánica básica de estos gobiernos la conforman el Consejo Regional,
            # ..." (the Constitution, cited in 100 bulk texts): organs of the body it names
            named = institutions_in(index, structure.start("what"), structure.end("what"))
            body = named[-1].key if named else None
            if body is not None:
                for unit in units:
                    for member in _unit_members(ctx, base, index, unit):
                        if member.key != body:
                            ctx.relate(member.key, "PART_OF", body, member.start, member.end,
                                       "legal list", 0.65)
            continue
        body, organs, listed_organ = _membership_body(ctx, base, index, trigger, scope_start)
        if body is None:
            continue
        named_after = [c for c in institutions_in(index, trigger.end(), trigger.end() + 200)
                       if c.key == body and _BODY_AFTER.fullmatch(text, trigger.end(), c.start)]
        if named_after:
            # "Son miembros del Consejo X: el Secretario ...": the list starts after the body
            units = list_units(text, named_after[0].end,
                               article_end(articles, trigger.end(), len(text)))
        for organ in [*organs, listed_organ]:
            if organ is not None and organ != body:
                ctx.relate(organ, "PART_OF", body, trigger.start(), trigger.end(), "legal list", 0.6)
        members: list[_Member] = []
        for unit in units:
            members += _unit_members(ctx, base, index, unit)
        _record_members(ctx, base, index, body, members)
        if listed_organ is not None:
            _record_members(ctx, base, index, listed_organ, members)


# "El Comité será presidido por el Titular del Ejecutivo Federal" (92 bulk texts write
# "presidido/a por")
PRESIDED_BY = re.compile(r"\bpresidid[oa]s?[ \t]+por[ \t]+", re.IGNORECASE)
_PRESIDED_WORD = re.compile(r"presidid")
_PRESIDED_HEAD = re.compile(
    r"(?:Comit[ée]|Comisi[óo]n|Consejo|Mesa|Grupo|Junta|Directorio|Equipo|Gabinete|Foro|"
    r"Red|Sistema|Instancia|Plataforma|Centro de Coordinaci[óo]n)\b",
    re.IGNORECASE,
)
_PHRASE_END = re.compile(r"[,;:.]|[ \t]+(?:y|e)[ \t]+(?:estar|ser|se|contar|tendr)", re.IGNORECASE)


def presided_bodies(
    ctx: ExtractionContext, base: list[Candidate], index: CandidateIndex, articles: list[int]
) -> None:
    """"X será presidido por Y": Y takes part in X and is responsible for it."""
    text = ctx.text
    for trigger in finditer_near(PRESIDED_BY, text, _PRESIDED_WORD, ctx.lowered, 5):
        body, _organs, listed_organ = _membership_body(
            ctx, base, index, trigger, article_start(articles, trigger.start())
        )
        if body is None or not _PRESIDED_HEAD.match(ctx.builders[body].name):
            continue  # a government or an office is not presided over: a body unnamed here
        end = _PHRASE_END.search(text, trigger.end(), min(len(text), trigger.end() + 200))
        stop = end.start() if end else min(len(text), trigger.end() + 200)
        members = _phrase_members(ctx, base, index, trigger.end(), stop)
        for target in dict.fromkeys(k for k in (listed_organ, body) if k):
            for member in members[:1]:
                if member != target:
                    ctx.relate(member, "PARTICIPATES_IN", target, trigger.start(), stop,
                               "legal list", 0.7)
                    ctx.relate(member, "RESPONSIBLE_FOR", target, trigger.start(), stop,
                               "legal list", 0.7)


def membership_relations(ctx: ExtractionContext, base: list[Candidate]) -> None:
    """Membership lists and presiding members of one document (see the module docstring)."""
    index = CandidateIndex(base)
    articles = ctx.article_starts
    membership_lists(ctx, base, index, articles)
    presided_bodies(ctx, base, index, articles)
