"""The units of legal text: articles, and the items of a list (``a)``, ``1.``, ``IV.``, bullets,
or one line each when a list has no markers)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

ARTICLE_HEADING = re.compile(
    r"(?im)^[ \t>#*_]*(?:art[ií]culo|art\.)[ \t]*"
    # "Artículo 3°.-", "ARTÍCULO 1o." (Colombia, Mexico), "Artículo 152 quáter E.-", "Artículo primero.-"
    # (an OCR'd degree sign is an apostrophe: "ARTÍCULO 5'.-", 34 bulk headings)
    r"(?:\d+[ \t]*(?:[°º'’]|o\b|bis|ter|qu[áa]ter|quinquies)?(?:[ \t]+(?:bis|ter|qu[áa]ter))?"
    r"(?:[ \t]+[A-Z]\b)?|[a-záéíóúñ]+(?:[ \t]+[a-záéíóúñ]+)?)[ \t]*[.:\-–]"
)
ITEM_MARKER = re.compile(
    r"[ \t]*(?:[a-zñ]\)|\d{1,2}[.)](?!\d)|[IVXLC]{1,6}[.)]-?|\(\w{1,4}\)|[•·▪●◦\-–—+*>])[ \t]*"
)
_LIST_OPENING = re.compile(
    r"[^.;:]{0,300}?:[ \t]*(?=\n|$)"
    r"|[ \t]*\n(?=[ \t]*(?:[a-zñ]\)|\d{1,2}[.)]|[IVXLC]{1,6}[.)]|[•·▪●\-–]))"
)
_INLINE_END = re.compile(r"\.(?=[ \t]*\n|[ \t]+[A-ZÁÉÍÓÚÑ¿\"“]|$)|:[ \t]*\n|\n[ \t]*\n")
_INLINE_SPLIT = re.compile(
    r"[ \t]*[,;][ \t]*"
    r"(?=(?:un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|el|la|los|las|\(|[A-ZÁÉÍÓÚÑ]|"
    r"[a-zñ]\)|\d{1,2}\)))"
    # "y" before a capital continues a name ("el Ministro de Economía y Finanzas", "de Comercio
    # e Industrias"): a new member after "y" opens with an article, a number or a marker
    r"|[ \t]+(?:y|e)[ \t]+"
    r"(?=(?:(?:un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|el|la|los|las)\b|\(|"
    r"[a-zñ]\)|\d{1,2}\)))"
    # "integrado por los alcaldes provinciales y por representantes de la sociedad civil"
    r"|[ \t]+y[ \t]+por[ \t]+(?=(?:un|una|dos|tres|cuatro|cinco|el|la|los|las|representantes)\b)"
    # "integrado por los Presidentes del Senado ..., por los Comandantes en Jefe ..., por el
    # General Director de Carabineros y por el Contralor General de la República"
    # (an office in capitals: ", por los delegados ... de las organizaciones" glosses a seat)
    r"|[ \t]*[,;][ \t]*por[ \t]+(?=(?:el|la|los|las)[ \t]+[A-ZÁÉÍÓÚÑ])"
)
# a paragraph of prose ends a list: a finite verb of a rule, in a long line
_PROSE = re.compile(
    r"\b(?:podr[áa]n?|deber[áa]n?|tendr[áa]n?|ser[áa]n?|estar[áa]n?|se[ \t]+\w+r[áa]n?|"
    r"corresponde|regir[áa]|sesionar[áa])\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^\W*(?:POR TANTO|Reg[íi]strese|Comun[íi]quese|Publ[íi]quese|DISPOSICI|Dado en|"
    r"Anótese|Mando se)",
    re.IGNORECASE,
)
_MAX_LIST = 6000
_MAX_UNITS = 60
_PRESIDES_HEADING = re.compile(r"^\W*presiden(?:cia|te)\b", re.IGNORECASE)
_SECRETARIAT_HEADING = re.compile(
    r"^\W*(?:\d+\.\s*)?secretar[ií]a[ \t]+(?:t[ée]cnica|ejecutiva)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Unit:
    """One item of a list: its span, where its text starts after the marker, and the role
    the heading above it gives ("preside", "secretariat")."""

    start: int
    end: int
    body_start: int
    heading_role: str | None = None


def article_start(article_starts: list[int], offset: int) -> int:
    """Where the article that holds ``offset`` starts (0 before the first article heading)."""
    i = bisect.bisect_right(article_starts, offset) - 1
    return article_starts[i] if i >= 0 else 0


def article_end(article_starts: list[int], offset: int, text_end: int) -> int:
    """Where the article that holds ``offset`` ends: the next article heading, or the end."""
    i = bisect.bisect_right(article_starts, offset)
    return article_starts[i] if i < len(article_starts) else text_end


def _inline_units(text: str, start: int, end: int) -> list[Unit]:
    m = _INLINE_END.search(text, start, min(end, start + 700))
    stop = m.start() if m else min(end, start + 700)
    spans: list[tuple[int, int]] = []
    cursor = start
    for sep in _INLINE_SPLIT.finditer(text, start, stop):
        spans.append((cursor, sep.start()))
        cursor = sep.end()
    spans.append((cursor, stop))
    units: list[Unit] = []
    for s, e in spans:
        lead = re.match(r"[\s:,;]*", text[s:e])
        body = s + (lead.end() if lead else 0)
        marker = ITEM_MARKER.match(text, body, e)
        if marker is not None and marker.end() > body and re.match(r"\w", text[body]):
            body = marker.end()  # "a) El Gobernador ..." inside a sentence
        if e - body > 2:
            units.append(Unit(s, e, body))
    return units


# an item marker inside a joined paragraph: "... a) Presidencia. b) Vicepresidencia.",
# "...; IV. El Director General ..., y V. Un representante ..."
MARKER_AHEAD = r"(?=(?:[a-zñ]|\d{1,2})\)[ \t]|[IVXL]{1,5}\.[-–]?[ \t]|\d{1,2}\.[-–]?[ \t]+[A-ZÁÉÍÓÚÑ])"
_INLINE_MARKER = re.compile(r"(?:(?<=[.;:])|(?<=[.;:,][ \t][ye])|(?<=[.;:,][ \t]y[ \t]))[ \t]*" + MARKER_AHEAD)
# a colon followed on its own line by the first item: "integrado por: I. El Secretario ...;"
_MARKED_INLINE_OPENING = re.compile(r"[^.;:\n]{0,300}?:[ \t]*" + MARKER_AHEAD)
# the end of such a list: a full stop that is no item marker ("II.") and is followed by a
# sentence, or a blank line
_MARKED_INLINE_END = re.compile(
    r"(?<![ \t;:,(][IVXL])(?<![ \t;:,(][IVXL]{2})(?<![ \t;:,(][IVXL]{3})(?<![ \t;:,(]\d)"
    r"(?<![ \t;:,(]\d\d)\.(?=[ \t]*\n|[ \t]+[A-ZÁÉÍÓÚÑ¿\"“]|$)|\n[ \t]*\n"
)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of ``text[start:end]``, a line that holds several marked items cut before each."""
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        cut = pos
        for m in _INLINE_MARKER.finditer(text, pos, line_end):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, line_end))
        pos = line_end + 1
    return spans


_BROKEN_END = re.compile(
    r"(?:\b(?:de|del|la|las|los|el|y|e|en|para|con|por|a|al)|[,–—-])$", re.IGNORECASE
)


def _joined_items(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Lines joined into items: a line continues the item above when that item does not end
    a sentence and the line carries no marker (or starts in lower case). The flag says
    whether the item started with a marker."""
    items: list[list[int]] = []
    for s, e in _lines(text, start, end):
        line = text[s:e]
        if not line.strip():
            if items:
                items[-1].append(-1)  # a blank line closes the item
            continue
        marker = ITEM_MARKER.match(line)
        marked = marker is not None and bool(re.search(r"\w", line))
        # "- de la región" continues the item above; "b) El Ministro" starts its own
        body_lower = line[marker.end() if marker else 0 :].lstrip()[:1].islower()
        if items and items[-1][-1] != -1:
            prev = text[items[-1][0] : items[-1][1]].rstrip()
            # a marked item runs to its sentence's end; an unmarked line continues the one
            # above only when that one breaks off ("... de" / "(SIGLA)" / lower case)
            open_item = bool(items[-1][2]) and not re.search(r"[.;:]$", prev)
            broken = bool(_BROKEN_END.search(prev)) or bool(re.match(r"\s*[(a-záéíóúñ]", line))
            continues = (open_item or broken) and (not marked or body_lower)
            if continues:
                items[-1][1] = e
                continue
        items.append([s, e, int(marked)])
    return [(i[0], i[1], bool(i[2])) for i in items]


def _is_furniture(line: str) -> bool:
    """A running header or footer left in a list: a long line mostly in capitals, or an
    address or telephone line."""
    letters = [c for c in line if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(line) > 40 and letters and upper > 0.7 * len(letters):
        return True
    return re.search(r"\b(?:Tel[ée]?f\.?|Direcci[óo]n:|https?://|www\.)", line) is not None


def _is_heading(line: str) -> bool:
    return line.rstrip().endswith(":") and len(line) < 90


def _heading_role(line: str) -> str | None:
    if _SECRETARIAT_HEADING.search(ITEM_MARKER.sub("", line, count=1)):
        return "secretariat"
    if _PRESIDES_HEADING.search(ITEM_MARKER.sub("", line, count=1)):
        return "preside"
    return None


def _drop_capital_lines(text: str, units: list[Unit]) -> list[Unit]:
    """Lines all in capitals, without a marker, in a list written in mixed case are page
    headers ("GOBIERNO REGIONAL DE CUSCO"), not members."""
    def caps(u: Unit) -> bool:
        letters = [c for c in text[u.body_start : u.end] if c.isalpha()]
        return len(letters) > 6 and sum(c.isupper() for c in letters) > 0.8 * len(letters)

    capital = [u for u in units if caps(u) and u.body_start == u.start]
    if len(capital) * 2 >= len(units):
        return units
    return [u for u in units if u not in capital]


def _list_units(text: str, start: int, end: int) -> list[Unit]:
    units: list[Unit] = []
    role: str | None = None
    for s, e, _marked in _joined_items(text, start, min(end, start + _MAX_LIST)):
        line = text[s:e]
        if not re.search(r"[A-Za-zÁÉÍÓÚáéíóúÑñ]{3}", line):
            continue  # bullets or page furniture
        if _is_heading(line):
            role = _heading_role(line)
            continue
        marker = ITEM_MARKER.match(line)
        # a long sentence ends the list; a marked item is an item however it is worded
        # ("e) Seis representantes ..., de las cuales al menos dos deberán tener ...")
        prose = marker is None and len(line) > 80 and _PROSE.search(line) is not None
        if _CLOSING.search(line) or len(line) > 2000 or prose:
            break
        if marker is None and _is_furniture(line):
            continue
        units.append(Unit(s, e, s + (marker.end() if marker else 0), role))
        if len(units) >= _MAX_UNITS:
            break
    return _drop_capital_lines(text, units)


def list_units(text: str, start: int, end: int) -> list[Unit]:
    """The items of the list that starts at ``start`` (right after its trigger phrase).

    A trigger followed by a colon at the end of its line (or by a line break) opens a list
    of lines or marked items, which runs to ``end`` (the end of the article) or to the first
    paragraph of prose; otherwise the list is inline and runs to the end of the sentence,
    split at commas, semicolons and "y" before a new member.
    """
    opening = _LIST_OPENING.match(text, start, end)
    if opening is not None:
        return _list_units(text, opening.end(), end)
    marked = _MARKED_INLINE_OPENING.match(text, start, end)
    if marked is not None:
        stop = _MARKED_INLINE_END.search(text, marked.end(), end)
        return _list_units(text, marked.end(), stop.end() if stop else end)
    return _inline_units(text, start, end)
