"""Who is charged with what in legal text: commissions, functions, units acting for their
parent, and the document's own instrument.

- "ENCARGAR a X la elaboración de Y", "Deléguese a X ... la implementación de la presente
  ordenanza", "Corresponde a X", "Dispóngase que X elabore Y": X is RESPONSIBLE_FOR Y (or for
  the document's own instrument when the sentence names "la presente ordenanza/ley");
  institutions "en coordinación con" X in that sentence are CO_RESPONSIBLE_FOR it and
  COORDINATES_WITH X;
- "X tendrá las siguientes funciones: a) ...": X is RESPONSIBLE_FOR the instruments its
  functions name, and COORDINATES_WITH the institutions they tell it to coordinate with,
  convene, report or propose to;
- "X, a través de Y": Y is PART_OF X;
- "X, adscrita a Y", "X, dependiente de Y", "X, órgano desconcentrado de Y": X is PART_OF Y
  (RESPONSIBLE_FOR when X is a programme or an instrument); 145 "adscrito/a a" and 447
  "depende/dependiente/bajo la dependencia de" in ``../shared/bulk``;
- "la autoridad encargada de la aplicación de esta Ley es X", "X será la autoridad de aplicación
  de la presente ley": X is RESPONSIBLE_FOR the law;
- the council that "HA APROBADO" a regional or municipal ordinance is RESPONSIBLE_FOR it;
- "decreto con fuerza de ley N° 2, de 1998, del Ministerio de Educación": the body that issued
  a cited instrument is RESPONSIBLE_FOR it (855 such citations in 177 texts of
  ``../shared/bulk``);
- the body a file's front matter names as the issuer of the text (``organismo:`` in the 630
  Chilean laws of ``../shared/bulk``, the ministry the law came from) is RESPONSIBLE_FOR it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator

from graph.normalize import normalize_name
from loaders.extract.candidates import LAW_KINDS, Candidate
from loaders.extract.context import ExtractionContext
from loaders.extract.legal_names import is_organ
from loaders.extract.legal_parents import government_place, is_council_of, own_body_named
from loaders.extract.legal_refs import bare_reference
from loaders.extract.legal_units import MARKER_AHEAD, article_end, list_units
from loaders.extract.scan import finditer_near

COMMISSION = re.compile(
    r"\b(?:encargar|enc[aá]rg(?:u|ú)?ese|enc[aá]rgase|delegar|del[eé]g(?:u|ú)?ese|encomendar|"
    r"encomi[eé]ndese|disp[oó]ngase|disponer|corresponde(?:r[áa])?|facultar|fac[uú]ltese|"
    r"autorizar|autor[ií]cese|instruir|instr[uú]yase)\b",
    re.IGNORECASE,
)
FUNCTIONS = re.compile(
    r"\b(?:tendr[áa]n?|tiene|tienen|cumple|cumplir[áa]|ejercer[áa]|ejerce)[ \t]+"
    r"(?:las[ \t]+)?(?:siguientes[ \t]+)?(?:funciones|atribuciones|competencias|tareas)\b"
    r"|\b(?:son|ser[áa]n)[ \t]+(?:funciones|atribuciones|competencias)[ \t]+(?:de|del)\b"
    # "Corresponde a la Secretaría de Economía:" and a list, the way federal laws of Mexico
    # give a body its tasks
    r"|\b(?:le[ \t]+)?(?:corresponde(?:r[áa])?|compete(?:r[áa])?)[ \t]+(?:a|al)\b"
    r"(?=[^.:;\n]{3,160}:[ \t]*(?:\n|" + MARKER_AHEAD + "))",
    re.IGNORECASE,
)
# the words each trigger above holds near its start, in lower case (for a fast scan,
# :func:`loaders.extract.scan.finditer_near`)
_COMMISSION_WORDS = re.compile(
    r"encarg|enc[aá]rg|deleg|del[eé]g|encom|disp[oó]n|corresp|facult|fac[uú]lt|autor|instr"
)
_FUNCTIONS_WORDS = re.compile(r"funciones|atribuciones|competencias|tareas|corresp|compet")
THROUGH = re.compile(
    # ... and Mexico's "El Ejecutivo Federal, por conducto de la Secretaría de Economía"
    r",?[ \t]+(?:a[ \t]+trav[ée]s[ \t]+|por[ \t]+intermedio[ \t]+|por[ \t]+conducto[ \t]+)"
    r"(?:de[ \t]+la|del|de[ \t]+los|"
    r"de[ \t]+las|de)[ \t]+",
    re.IGNORECASE,
)
IN_COORDINATION = re.compile(
    r"\b(?:en[ \t]+coordinaci[oó]n|en[ \t]+conjunto|conjuntamente|en[ \t]+articulaci[oó]n)"
    r"[ \t]+con\b",
    re.IGNORECASE,
)
CHARGED = re.compile(
    # Argentina's, Paraguay's and Uruguay's "X será la autoridad de aplicación de la presente
    # ley", "Será Autoridad de Aplicación de esta ley el Ministerio de X"
    r"\bautoridad[ \t]+de[ \t]+aplicaci[oó]n\b|"
    r"\b(?:encargad[oa]s?|responsables?)[ \t]+de[ \t]+(?:la[ \t]+|el[ \t]+)?"
    r"(?:aplicaci[oó]n|ejecuci[oó]n|implementaci[oó]n|cumplimiento|administraci[oó]n|"
    r"fiscalizaci[oó]n|supervisi[oó]n|conducci[oó]n|elaboraci[oó]n|seguimiento)\b",
    re.IGNORECASE,
)
_THIS_INSTRUMENT = re.compile(
    r"\b(?:(?:la|el)[ \t]+present(?:e)[ \t]+(?:ordenanza|ley|decreto|resoluci[oó]n|norma|"
    r"acuerdo|dispositivo)|esta[ \t]+ley|este[ \t]+decreto|esta[ \t]+ordenanza)\b",
    re.IGNORECASE,
)
_LIAISON = re.compile(
    r"\b(?:coordinar|articular|concertar|colaborar|trabajar)[ \t]+con\b"
    r"|\b(?:convocar|elevar|proponer|informar|reportar|remitir|presentar|asesorar|apoyar|"
    r"solicitar)\b[^.;\n]{0,60}?\b(?:a|al|a[ \t]+la|a[ \t]+los|a[ \t]+las|ante)\b",
    re.IGNORECASE,
)
FUNDED = re.compile(
    r"\bcon[ \t]+cargo[ \t]+(?:a[ \t]+los?[ \t]+|al[ \t]+)(?:presupuesto|pliego|recursos|"
    r"fondos)(?:[ \t]+(?:institucional|asignados?))?[ \t]+(?:de[ \t]+la|del|de[ \t]+los|de)[ \t]+"
    r"|\bfinanciad[oa]s?[ \t]+(?:por|con[ \t]+(?:recursos|aportes)[ \t]+(?:de[ \t]+la|del|de))[ \t]+",
    re.IGNORECASE,
)
_THROUGH_WORDS = re.compile(r"trav[eé]s|intermedio|conducto")
_CHARGED_WORDS = re.compile(r"autoridad|encargad|responsable")
_FUNDED_WORDS = re.compile(r"cargo|financiad")
_APPROVED = re.compile(
    r"\b(?:HA[ \t]+APROBADO|ha[ \t]+aprobado|APROB[OÓ]|aprobaron|APROBARON|ACORD[OÓ]|"
    r"ha[ \t]+acordado|HA[ \t]+DADO[ \t]+SU[ \t]+APROBACI[OÓ]N|"
    # "aprobó por UNANIMIDAD la siguiente:" (84 bulk texts)
    r"aprob[oó](?=[ \t]+(?:por[ \t]+\w+[ \t]+)?(?:la|el)[ \t]+siguiente))\b"
)
_ISSUING_COUNCIL = re.compile(r"^(?:Consejo Regional|Concejo Municipal|Concejo)\b", re.IGNORECASE)
_TITLE_LINE = re.compile(
    r"(?m)^[ \t#*_]*(?P<name>(?:LEY|DECRETO|ORDENANZA|RESOLUCI[ÓO]N|REGLAMENTO|C[ÓO]DIGO)"
    r"[ \t]+[A-ZÁÉÍÓÚÑ ,.°º\-]{8,200}?)[ \t]*$"
)
_HEADING_LINE = re.compile(r"(?m)^#{1,3}[ \t]+\S[^\n]*$")
_OWN_KINDS = LAW_KINDS | {"agreement"}  # what a document's heading may call itself
_FRONT_MATTER = re.compile(r"---[ \t]*\n.{0,3000}?[ \t\n]---[ \t]*\n", re.DOTALL)


def _front_matter_end(text: str) -> int:
    """Where a Markdown file's YAML front matter ends (0 without one)."""
    m = _FRONT_MATTER.match(text)
    return m.end() if m else 0


_SMALL_WORDS = {"de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "a", "al", "con",
                "por", "sobre", "que", "o", "u"}


def _title_case(name: str) -> str:
    """ "LEY PARA EL DESARROLLO DE LA MICRO" → "Ley para el Desarrollo de la Micro"."""
    words = name.lower().split(" ")
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


_CLAUSE_BREAK = re.compile(r"[.;:](?=\s)|\n[ \t]*\n")


class LegalText:
    """The keyed candidates of a document and its articles, for the duty readers."""

    def __init__(self, ctx: ExtractionContext, base: list[Candidate]) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.cands = sorted((c for c in base if c.key), key=lambda c: c.start)
        self.starts = [c.start for c in self.cands]
        self.articles = ctx.article_starts
        self.own_instrument = self._own_instrument()

    def between(self, start: int, end: int, *labels: str) -> list[Candidate]:
        """Candidates inside ``[start, end)`` with one of ``labels``."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [c for c in self.cands[lo:hi] if c.end <= end and c.label in labels]

    def sentence_end(self, offset: int) -> int:
        """Where the sentence (or list item) holding ``offset`` ends."""
        passage = self.ctx.passage_at(offset)
        end = passage.end if passage is not None else len(self.text)
        brk = _CLAUSE_BREAK.search(self.text, offset, end)
        return brk.start() if brk else end

    def sentence_start(self, offset: int) -> int:
        """Where the sentence holding ``offset`` starts."""
        passage = self.ctx.passage_at(offset)
        return passage.start if passage is not None else 0

    def _own_instrument(self) -> str | None:
        """The document's own instrument: the law, decree or ordinance its title names (the
        first one in its first lines; an upper-case title line becomes one)."""
        begin = _front_matter_end(self.text)
        heading = _HEADING_LINE.search(self.text, begin, min(len(self.text), begin + 2000))
        if heading is not None:
            # the heading is the title: "# Acuerdo de Consejo Regional N.° 089-2025" names the
            # document's own agreement, however the instrument is called
            for cand in self.between(heading.start(), heading.end(), "Instrument"):
                if cand.source == "law" or cand.kind in _OWN_KINDS:
                    return cand.key
        title = _TITLE_LINE.search(self.text, begin, min(len(self.text), begin + 800))
        limit = title.end() if title else min(len(self.text), begin + 1500)
        for cand in self.between(begin, limit, "Instrument"):
            if cand.source == "law" or cand.kind in ("law", "regulation", "ordinance"):
                return cand.key
        if title is None:
            return None
        name = _title_case(re.sub(r"\s+", " ", title.group("name")).strip(" .:"))
        cand = Candidate(title.start("name"), title.end("name"), "Instrument", name, "title",
                         kind="law", confidence=0.8)
        cand.aliases = [title.group("name")]
        builder = self.ctx.add(cand)
        return builder.key

    def objects(self, start: int, end: int) -> list[str]:
        """What a clause is about: its first instrument or programme (with those joined to
        it by "y"), or the document's own instrument when it says "la presente ordenanza"
        first."""
        named = [
            c for c in self.between(start, end, "Instrument", "Program")
            if c.key and c.key != self.own_instrument and not _BASIS.search(
                self.text, max(start, c.start - 80), c.start)
        ]
        own = _THIS_INSTRUMENT.search(self.text, start, end) if self.own_instrument else None
        if own is not None and (not named or own.start() < named[0].start):
            return [self.own_instrument] if self.own_instrument else []
        found: list[str] = []
        for i, cand in enumerate(named):
            # "Caxamarket (Artesanía y productos ...), Delicax (...)": a gloss may follow a name
            if i and not _JOINED_OBJECT.fullmatch(self.text[named[i - 1].end : cand.start]):
                break
            found.append(cand.key or "")
        return list(dict.fromkeys(k for k in found if k))


# "en el marco de la Ley N° 27293", "conforme a lo dispuesto en el artículo 5 del Decreto": an
# instrument named as the basis of a duty, not its object
_BASIS = re.compile(
    r"\b(?:en[ \t]+el[ \t]+marco|conforme|de[ \t]+conformidad|de[ \t]+acuerdo|seg[úu]n|"
    r"en[ \t]+virtud|al[ \t]+amparo|en[ \t]+aplicaci[óo]n|establecid[oa]s?[ \t]+en|"
    r"previst[oa]s?[ \t]+en|se[ñn]alad[oa]s?[ \t]+en|regulad[oa]s?[ \t]+(?:en|por)|"
    # what a task serves or obeys is not what the body runs: "Reportar ... para el Inventario
    # Nacional", "cumplir con el Reglamento Nacional de Construcción"
    r"para|cumplir(?:[ \t]+con)?|cumplimiento|observar|acatar|"
    # taking part in a system is not running it: "Participar en el Sistema Nacional de Salud"
    r"participar[ \t]+en)"
    r"(?:[ \t]+(?:a|al|con|de|del|en|lo|la|el|dispuesto|establecido|por|los|las|"
    # the rules of a system one obeys: "conforme a las disposiciones normativas del Sistema
    # Nacional de Contabilidad", "Cumplir con la metodología general del Sistema ..."
    r"normas?|normativas?|normatividad|disposiciones|lineamientos|metodolog[íi]as?|reglas|"
    r"generales?|t[ée]cnicas?|espec[íi]ficas?|sectoriales|vigentes?|legales|"
    r"art[íi]culos?|numeral(?:es)?|inciso|literal|[\d°º.,]+))*[ \t]*$",
    re.IGNORECASE,
)
_JOINED_OBJECT = re.compile(
    r"[ \t\n]*(?:\([^()]{0,120}\))?[ \t\n]*(?:,|y|e)[ \t\n]*(?:(?:el|la|los|las)[ \t]+)?"
)


def _first_institution(legal: LegalText, start: int, end: int) -> Candidate | None:
    found = legal.between(start, end, "Institution")
    return found[0] if found else None


def _acting_unit(legal: LegalText, holder: Candidate, end: int) -> Candidate:
    """ "a la Gerencia General Regional, a través de la Gerencia de Desarrollo Económico":
    the unit named after "a través de" carries out the duty."""
    m = THROUGH.match(legal.text, holder.end, end)
    if m is None:
        return holder
    after = legal.between(m.end(), end, "Institution")
    return after[0] if after and after[0].start == m.end() and after[0].key else holder


def _joined_institutions(legal: LegalText, first: Candidate, end: int) -> list[Candidate]:
    """``first`` and the institutions joined to it by "y" ("al Servicio Agrícola y Ganadero
    y al Ministerio de Salud"): several holders share a duty."""
    joint = [first]
    for cand in legal.between(first.end, end, "Institution"):
        gap = legal.text[joint[-1].end : cand.start]
        if not re.fullmatch(r"[ \t\n]*(?:,|y|e)[ \t\n]*(?:(?:a|al|a[ \t]+la|el|la|los|las)[ \t]+)?", gap):
            break
        joint.append(cand)
    return joint


def _coordinated(legal: LegalText, start: int, end: int) -> list[str]:
    """The institutions named "en coordinación con" in ``[start, end)``."""
    m = IN_COORDINATION.search(legal.text, start, end)
    if m is None:
        return []
    return [c.key for c in legal.between(m.end(), end, "Institution") if c.key]


def commissions(legal: LegalText) -> None:
    """RESPONSIBLE_FOR, CO_RESPONSIBLE_FOR and COORDINATES_WITH from commissions."""
    ctx, text = legal.ctx, legal.text
    for trigger in finditer_near(COMMISSION, text, _COMMISSION_WORDS, ctx.lowered):
        end = legal.sentence_end(trigger.end())
        first = _first_institution(legal, trigger.end(), min(end, trigger.end() + 80))
        if first is None or not first.key:
            continue
        first = _acting_unit(legal, first, end)
        joint = _joined_institutions(legal, first, end)
        partners = [k for k in _coordinated(legal, first.end, end) if k != first.key]
        objects = legal.objects(joint[-1].end, end) or legal.objects(trigger.end(), first.start)
        s, e = legal.sentence_start(trigger.start()), end
        for obj in objects:
            if len(joint) == 1:
                ctx.relate(first.key, "RESPONSIBLE_FOR", obj, s, e, "legal commission", 0.7)
            for holder in joint[1:] if len(joint) == 1 else joint:
                ctx.relate(holder.key or "", "CO_RESPONSIBLE_FOR", obj, s, e,
                           "legal commission", 0.65)
            for partner in partners:
                ctx.relate(partner, "CO_RESPONSIBLE_FOR", obj, s, e, "legal commission", 0.65)
        for partner in partners:
            ctx.relate(first.key, "COORDINATES_WITH", partner, s, e, "legal commission", 0.65)


def _function_holder(legal: LegalText, trigger: re.Match[str]) -> Candidate | None:
    if trigger.group().lower().rstrip().endswith((" de", " del", " a", " al")):
        return _first_institution(legal, trigger.end(), trigger.end() + 120)
    start = legal.sentence_start(trigger.start())
    before = legal.between(start, trigger.start(), "Institution")
    if before:
        return before[-1]
    key = bare_reference(legal.text, start, trigger.start(),
                         legal.between(0, trigger.start(), "Institution"))
    return next((c for c in legal.cands if c.key == key), None) if key else None


def functions(legal: LegalText) -> None:
    """RESPONSIBLE_FOR the instruments named in a body's functions; COORDINATES_WITH the
    institutions the functions tell it to work with."""
    ctx, text = legal.ctx, legal.text
    for trigger in finditer_near(FUNCTIONS, text, _FUNCTIONS_WORDS, ctx.lowered, 80):
        holder = _function_holder(legal, trigger)
        if holder is None or not holder.key:
            continue
        stop = article_end(legal.articles, trigger.end(), len(text))
        for unit in list_units(text, trigger.end(), stop):
            partners = [k for k in _coordinated(legal, unit.body_start, unit.end)
                        if k != holder.key]
            for obj in legal.objects(unit.body_start, unit.end):
                if obj != legal.own_instrument and ctx.builders[obj].kind == "law":
                    continue  # "conforme al artículo 15 de la Ley N° 27867": a basis, not a task
                ctx.relate(holder.key, "RESPONSIBLE_FOR", obj, unit.start, unit.end,
                           "legal functions", 0.65)
                for partner in partners:  # "Elaborar el Programa X, en coordinación con Y"
                    ctx.relate(partner, "CO_RESPONSIBLE_FOR", obj, unit.start, unit.end,
                               "legal functions", 0.6)
            for partner in partners:
                ctx.relate(holder.key, "COORDINATES_WITH", partner, unit.start, unit.end,
                           "legal functions", 0.6)
            for liaison in _LIAISON.finditer(text, unit.body_start, unit.end):
                other = _first_institution(legal, liaison.end(), min(unit.end, liaison.end() + 60))
                if other is not None and other.key and other.key != holder.key:
                    ctx.relate(holder.key, "COORDINATES_WITH", other.key, unit.start, unit.end,
                               "legal functions", 0.6)


# a body something is brought to, not one acting: "ante la Oficina X", "a la Oficina X"
_ADDRESSEE = re.compile(r"\b(?:ante|hacia)[ \t]+(?:el|la|los|las)?[ \t]*$", re.IGNORECASE)


def acting_units(legal: LegalText) -> None:
    """ "el Ministerio de Hacienda, a través de la Dirección de Presupuestos": the unit acting
    for an institution is PART_OF it."""
    ctx, text = legal.ctx, legal.text
    for m in finditer_near(THROUGH, text, _THROUGH_WORDS, ctx.lowered):
        before = legal.between(max(0, m.start() - 200), m.start() + 1, "Institution")
        after = legal.between(m.end(), m.end() + 200, "Institution")
        if not before or not after or after[0].start != m.end():
            continue
        parent = before[-1]
        gap = text[parent.end : m.start()]
        if not re.fullmatch(r"[ \t\n]*(?:\([^()\n]{1,20}\))?[ \t\n]*(?:,?[ \t]*para[ \t]+que)?", gap):
            continue
        if _ADDRESSEE.search(text, max(0, parent.start - 16), parent.start):
            continue  # "presentadas ante la Oficina X, por intermedio del Ministro Y": a channel
        unit = after[0]
        if parent.key and unit.key and parent.key != unit.key:
            ctx.relate(unit.key, "PART_OF", parent.key, parent.start, unit.end, "legal through", 0.7)


SUBORDINATE = re.compile(
    r"\b(?:adscrit[oa]s?|dependiente|depende(?:r[áa])?|bajo[ \t]+la[ \t]+dependencia|"
    r"(?:[óo]rgano|organismo|unidad)[ \t]+(?:desconcentrad|descentralizad|ejecut)[oa]r?)"
    r"[ \t]+(?:a[ \t]+la|al|a|de[ \t]+la|del|de)[ \t]+",
    re.IGNORECASE,
)
_SUBORDINATE_WORDS = re.compile(r"adscrit|depend|desconcentrad|descentralizad|ejecut")
_APPOSITION = re.compile(r"[ \t]*(?:\([^()\n]{1,20}\))?[ \t]*,?[ \t\n]*(?:(?:que[ \t]+)?"
                         r"(?:est[áa]|estar[áa]|es|ser[áa]|se[ \t]+encuentra)[ \t]+)?"
                         r"(?:[a-záéíóúñ]+[ \t]+){0,4}")


# "La Unidad Operativa Agraria es el órgano de línea de la Gerencia Regional ...", "es el
# órgano desconcentrado especializado del Gobierno Regional de Ucayali": what an organ belongs
# to, in the words that describe it (a few adjectives, then "de"). 1,113 "es el órgano" in 690
# bulk texts, most of them "el Consejo Regional es el órgano normativo y fiscalizador del
# Gobierno Regional"; an organ "encargado de" or "responsable de" a task names no parent.
# found from its noun, the rarer word, then read back to the verb and on to "de"
_ORGAN_NOUN = re.compile(r"[ÓóOo]rgano|ÓRGANO|[Oo]rganismo|[Uu]nidad[ \t]+[Oo]rg[áa]nica")
_ORGAN_HINT = re.compile(r"rg[aá]n|RGAN")  # inside every noun above, and rare elsewhere
_ORGAN_VERB = re.compile(r"\b(?:[Ee]s|[Ss]er[áa]|[Cc]onstituye)[ \t]+(?:el|un)[ \t]+$")
_ORGAN_TAIL = re.compile(
    r"(?:[ \t,]+(?:y|e|(?i:de[ \t]+(?:l[íi]nea|apoyo|asesoramiento|control|direcci[óo]n|gobierno))"
    r"|(?!encargad|responsable|que\b|para\b)[a-záéíóúñ]{3,})){0,6}"
    r"[ \t]+(?:de[ \t]+la|del|de)[ \t]+"
)


def organ_of(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each "es el órgano ... de" (see the comment above): from the verb to
    the end of "de", where the body the organ belongs to is named."""
    for hint in _ORGAN_HINT.finditer(text):
        noun = _ORGAN_NOUN.search(text, max(0, hint.start() - 12), hint.end() + 8)
        if noun is None or not noun.start() <= hint.start() < noun.end():
            continue
        verb = _ORGAN_VERB.search(text, max(0, noun.start() - 24), noun.start())
        if verb is None:
            continue
        tail = _ORGAN_TAIL.match(text, noun.end())
        if tail is not None:
            yield verb.start(), tail.end()


def subordinates(legal: LegalText) -> None:
    """ "la Agencia Regional de Desarrollo, adscrita a la Gerencia Regional de Desarrollo
    Económico", "la Oficina X es el órgano de apoyo del Gobierno Regional Y": the body (or
    programme) named right before is PART_OF (run by) the one named right after."""
    ctx, text = legal.ctx, legal.text
    spans = [(m.start(), m.end(), False)
             for m in finditer_near(SUBORDINATE, text, _SUBORDINATE_WORDS, ctx.lowered)]
    spans += [(start, end, True) for start, end in organ_of(text)]
    for m_start, m_end, organ in spans:
        after = legal.between(m_end, m_end + 200, "Institution")
        if not after or after[0].start != m_end or not after[0].key:
            continue
        parent = _singular_parent(legal, after[0])
        s = legal.sentence_start(m_start)
        # only a body is an organ; a programme may be attached to one
        labels = ("Institution",) if organ else ("Institution", "Program", "Instrument")
        before = legal.between(s, m_start, *labels)
        if parent is None or not before or not before[-1].key or before[-1].key == parent:
            continue
        child = before[-1]
        if not _APPOSITION.fullmatch(text, child.end, m_start):
            continue
        if child.label == "Institution":
            ctx.relate(child.key, "PART_OF", parent, child.start, after[0].end,
                       "legal subordination", 0.7)
        elif not (child.kind == "law" or child.key == legal.own_instrument):
            ctx.relate(parent, "RESPONSIBLE_FOR", child.key, child.start, after[0].end,
                       "legal subordination", 0.65)


def _singular_parent(legal: LegalText, cand: Candidate) -> str | None:
    """The key of the body a parent stands for: itself, or, for a kind named alone in the
    singular ("del Gobierno Regional", a collective entry), the document's own body of that
    kind (none when the document names none: the law's statement is about them all)."""
    built = legal.ctx.builders.get(cand.key or "")
    if built is None or built.kind != "collective":
        return cand.key
    words = legal.text[cand.start : cand.end].split()
    if not words or words[0].lower().endswith("s"):
        return cand.key  # "adscritos a los Gobiernos Regionales": the plural is the collective
    own = own_body_named(legal.ctx, " ".join(w.capitalize() for w in words))
    return own.key if own is not None else None


def charged_authorities(legal: LegalText) -> None:
    """ "La autoridad encargada de la aplicación de esta Ley es X": X is RESPONSIBLE_FOR the
    instrument (or the document's own)."""
    ctx, text = legal.ctx, legal.text
    for m in finditer_near(CHARGED, text, _CHARGED_WORDS, ctx.lowered, 5):
        s, e = legal.sentence_start(m.start()), legal.sentence_end(m.end())
        objects = legal.objects(m.end(), e) or legal.objects(s, m.start())
        before = legal.between(s, m.start(), "Institution")
        after = legal.between(m.end(), e, "Institution")
        holder = after[0] if re.search(r"\b(?:es|ser[áa])\b", text[m.end() : e]) and after else (
            before[-1] if before else (after[0] if after else None)
        )
        if holder is None or not holder.key:
            continue
        for obj in objects:
            ctx.relate(holder.key, "RESPONSIBLE_FOR", obj, s, e, "legal charge", 0.7)


def funders(legal: LegalText) -> None:
    """ "se financiará con cargo al presupuesto del Ministerio de Agricultura": the
    institution FUNDS what the sentence is about (its instrument, or the document's own)."""
    ctx = legal.ctx
    for m in finditer_near(FUNDED, legal.text, _FUNDED_WORDS, ctx.lowered, 10):
        after = legal.between(m.end(), m.end() + 150, "Institution")
        if not after or after[0].start != m.end() or not after[0].key:
            continue
        s, e = legal.sentence_start(m.start()), legal.sentence_end(m.end())
        own = legal.own_instrument if _THIS_INSTRUMENT.search(legal.text, s, m.start()) else None
        for obj in [own] if own else legal.objects(s, m.start()):
            ctx.relate(after[0].key, "FUNDS", obj, s, e, "legal funding", 0.65)


def issuing_council(legal: LegalText) -> None:
    """The council that approved an ordinance the document states ("HA APROBADO LA
    ORDENANZA REGIONAL SIGUIENTE") is RESPONSIBLE_FOR it."""
    own = legal.own_instrument
    if own is None or not legal.ctx.builders[own].name.lower().startswith(("ordenanza",)):
        return
    approved = _APPROVED.search(legal.text)
    if approved is None:
        return
    place = government_place(legal.ctx)
    councils = Counter(
        c.key
        for c in legal.cands
        if c.label == "Institution" and c.key and _ISSUING_COUNCIL.match(c.name)
        and not is_organ(c.name)
        and (not c.name.lower().startswith("consejo regional") or is_council_of(c.name, place))
    )
    if councils:
        # the council by its fullest name: "Consejo Regional del Gobierno Regional de Apurímac"
        council = max(councils, key=lambda k: (len(legal.ctx.builders[k].name), councils[k]))
        s = legal.sentence_start(approved.start())
        legal.ctx.relate(council, "RESPONSIBLE_FOR", own, s, approved.end(), "legal issuer", 0.65)


_ISSUER_FIELD = re.compile(
    r"(?mi)^(?:organismo|emisor|entidad[_ ]emisora|instituci[oó]n|issuer)[ \t]*:[ \t]*"
    r"[\"']?(?P<value>[^\n;\"']+)"
)


def front_matter_issuer(legal: LegalText) -> None:
    """The first institution of the front matter's issuer field is RESPONSIBLE_FOR the
    document's own instrument."""
    own, end = legal.own_instrument, _front_matter_end(legal.text)
    field = _ISSUER_FIELD.search(legal.text, 0, end) if own and end else None
    if field is None or own is None:
        return
    issuers = legal.between(field.start("value"), field.end("value"), "Institution")
    if issuers and issuers[0].key:
        legal.ctx.relate(issuers[0].key, "RESPONSIBLE_FOR", own, field.start(), field.end(),
                         "front matter issuer", 0.6)


_ISSUED_BY = re.compile(
    r",?[ \t]+de[ \t]+(?:fecha[ \t]+)?(?:\d{1,2}[ \t]+de[ \t]+[a-záéíóú]+[ \t]+de[ \t]+)?"
    r"(?:19|20)\d\d,?[ \t]+(?:del|de[ \t]+la|de)[ \t]+",
    re.IGNORECASE,
)


def cited_issuers(legal: LegalText) -> None:
    """ "decreto supremo N° 54, de 2013, del Ministerio de Agricultura": the institution
    named right after the year is RESPONSIBLE_FOR the instrument."""
    for cand in legal.between(0, len(legal.text), "Instrument"):
        m = _ISSUED_BY.match(legal.text, cand.end)
        if m is None or not cand.key:
            continue
        after = legal.between(m.end(), m.end() + 150, "Institution")
        if after and after[0].start == m.end() and after[0].key:
            legal.ctx.relate(after[0].key, "RESPONSIBLE_FOR", cand.key, cand.start, after[0].end,
                             "legal issuer", 0.65)


# the code that ends a numbered identifier, after its year: "029-2018-PCM", "123-2020-PRODUCE/DM"
_ISSUER_CODE = re.compile(r"-(?:19|20)\d\d-(?P<code>[A-Z]{2,10})(?![A-Za-z])")


def coded_issuers(legal: LegalText) -> None:
    """ "Decreto Supremo N° 029-2018-PCM": the body whose code ends the identifier (the
    gazetteer's ``legal_codes`` of the document's country) is RESPONSIBLE_FOR the instrument,
    when the document names that body (604 of the 1,463 Peruvian bulk texts cite such a
    decree or resolution)."""
    ctx = legal.ctx
    for cand in legal.between(0, len(legal.text), "Instrument"):
        m = _ISSUER_CODE.search(cand.name)
        if m is None or not cand.key:
            continue
        entry = ctx.lexicon.issuer_of_code(m.group("code"), ctx.country.code)
        if entry is None:
            continue
        issuer = ctx.alias_keys.get(f"Institution|{normalize_name(entry.name)}")
        if issuer is not None:
            ctx.relate(issuer, "RESPONSIBLE_FOR", cand.key, cand.start, cand.end,
                       "legal issuer", 0.65)


def duties(ctx: ExtractionContext, base: list[Candidate]) -> None:
    """Every duty reader of this module over one document."""
    legal = LegalText(ctx, base)
    commissions(legal)
    functions(legal)
    acting_units(legal)
    subordinates(legal)
    charged_authorities(legal)
    funders(legal)
    issuing_council(legal)
    front_matter_issuer(legal)
    cited_issuers(legal)
    coded_issuers(legal)
