"""Layout clean-up of PDF-to-text and markdown artefacts.

The cleaned text becomes the document text that every offset and evidence quote refers to.
Clean-up steps, each general:

- characters: CR/LF, form feeds, non-breaking and zero-width spaces, soft hyphens;
- markup left by converters: markdown links ``[name](#)`` (their text is kept and remembered as a
  *marked span*, a strong hint that it names something), emphasis markers, HTML formatting tags
  inside text (``<p>``, ``<i>``, ``<br>``...; other tags, ``<script>`` among them, are text and
  kept as written: only HTML files are parsed as HTML), footnote markers such as ``^a``;
- letter-spaced headings (``P R E S E N T A C I Ó N`` → ``PRESENTACIÓN``);
- running headers and footers: short lines repeated across the document (organisation banners,
  document codes) are taken out of the flow and kept once in a block at the end, so that no
  organisation named only there is lost; bare page numbers are dropped;
- hyphenation at line ends (``inter-`` / ``regionales``), compounds of capitals split after
  their hyphen (``SELA- IBERPYME``) and sentences broken across lines are joined, while tab-separated table rows, headings and list items keep their own lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.extract.speakers import ROLE_WORDS

MARK_OPEN = "\x02"
MARK_CLOSE = "\x03"

_CHAR_MAP: dict[str, str] = {
        "\r": "\n",
        "\f": "\n",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u00ad": "",
        "\u2010": "-",
        "\u2011": "-",
        "\ufb01": "fi",
        "\ufb02": "fl",
}

_MD_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\([^()\s]*\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# formatting tags that converters leave in text; any other tag (``<script>``...) is the text's own
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|big|blockquote|br|center|code|dd|div|dl|dt|em|font|h[1-6]|hr|i|img|li|"
    r"mark|ol|p|pre|s|small|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)"
    r"(?:\s[^<>\n]{0,300})?/?>",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(r"(?<=\S) ?\^[a-z0-9]{1,2}\b")
# a compound of capitals that a line break split after its hyphen ("SELA- IBERPYME")
_BROKEN_COMPOUND = re.compile(r"\b([A-ZÁÉÍÓÚÑ]{2,})- (?=[A-ZÁÉÍÓÚÑ]{2,}\b)")
_LETTER_SPACED = re.compile(r"^\s*(?:\S {1,3}){3,}\S\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:p[áa]g(?:ina)?\.?\s*)?\d{1,4}(?:\s*(?:/|de)\s*\d{1,4})?(?:\s*-)?\s*$",
    re.IGNORECASE,
)
_STRUCTURAL_START = re.compile(
    r"""^\s*(?:
        \#{1,6}\s                                  # markdown heading
      | -{3,}[ \t]*$                               # a rule, the fence of YAML front matter
      | >>                                         # speaker marker
      | [-•·▪►*–—]\s                               # bullet
      | \d{1,3}(?:\.\d{1,3})*[.)][-–]?\s           # 1.  1.2.  3)  1.-
      | [A-H][.)]\s                                # A.  B)
      | [a-zñ]{1,2}\)\s                            # a)  b)  aa) (16,313 such item lines
                                                   # follow a text line in 633 bulk texts)
      | [IVX]{1,5}(?:\.\d{1,3})*[.)]?[-–]?\s       # I.  II.1  IV.-
      | (?:ACTIVIDAD|Actividad|PROYECTO|Proyecto|AREA|ÁREA|Área|Area|CAPÍTULO|Capítulo|ANEXO|Anexo)\b
      | (?:Art[íi]culo|ART[ÍI]CULO|Art\.)\s*                # an article's heading, after a list
        (?:\d{1,4}\s*[°º]?|[A-ZÁÉÍÓÚa-záéíóú]{4,}(?:\s+[A-ZÁÉÍÓÚa-záéíóú]{4,})?)\s*[.:\-–]
                                                   # item without a stop: "ARTÍCULO CUARTO:"
      | (?!(?:de|del|por|para|con|en|a|al|la|las|los|el|y|e|que|como|siguientes?):)
        [^\s:]{1,40}:\s                             # "Fecha: ..."  "Organizadores: ..."
                                                   # (not "de: Chillán", a wrapped sentence)
    )""",
    re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.!?:;»”\"]\s*$")


@dataclass
class CleanText:
    """The cleaned text and the spans that the source marked as names (markdown links)."""

    text: str
    marked_spans: list[tuple[int, int]] = field(default_factory=list)
    header_lines: list[str] = field(default_factory=list)


def _fix_letter_spacing(line: str) -> str:
    """``P R E S E N T A C I Ó N`` → ``PRESENTACIÓN``; runs of 2+ spaces separate words."""
    if not _LETTER_SPACED.match(line):
        return line
    words = re.split(r"\s{2,}", line.strip())
    if not all(all(len(tok) == 1 for tok in w.split(" ")) for w in words):
        return line
    return " ".join(w.replace(" ", "") for w in words)


def _map_characters(text: str) -> str:
    """``text`` with each character of :data:`_CHAR_MAP` replaced (no replacement holds one of
    them, so replacing them one after the other is a translation; most are absent, and a
    replacement is a scan in C where ``str.translate`` looks every character up)."""
    for char, replacement in _CHAR_MAP.items():
        if char in text:
            text = text.replace(char, replacement)
    return text


_DIGITS = re.compile(r"\d+")
_SPACE_RUN = re.compile(r"(?<=\S)[ ]{2,}")


def _header_key(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


_TABLE_HEADER_WORDS = re.compile(
    r"^(?:actividad(?:es)?|objetivos?|organizador(?:es)?|lugar(?: y)?|fechas?|lugar y fecha|"
    r"responsables?|corresponsables?|tareas?(?: fechas)?|presupuesto|metas?|indicador(?:es)?|"
    r"plazos?|acciones?|instituci[oó]n(?:es)?|participantes)$",
    re.IGNORECASE,
)


# A line that ends mid-phrase, or names only a date, is the body of a cell, not page furniture.
_CONTINUED_END = re.compile(
    r"(?:[,;]|\b(?:de|del|la|las|el|los|y|e|en|para|con|a|al|por|sobre))$", re.IGNORECASE
)
_MONTH_START = re.compile(
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre)\b",
    re.IGNORECASE,
)
_END_CHARS = 8
"""Characters at the end of a line that decide a match of an ``...$`` pattern for a word of
at most five letters: the word, a final newline ``$`` may stand before, and the character
before the word (``\\b``)."""


def _ends_on(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (a word of at most five letters before ``$``) matches at the end of
    ``text``: searched in its last characters only, not from every position of the line."""
    return pattern.search(text[-_END_CHARS:]) is not None


def _continued(line: str) -> bool:
    """Whether ``line`` ends mid-phrase or starts with a month."""
    return _ends_on(_CONTINUED_END, line) or _MONTH_START.match(line) is not None


def _find_running_headers(lines: list[str], keyed: list[str]) -> set[str]:
    """Keys of short lines that repeat at page breaks: organisation banners, document codes.

    A line counts when it occurs at least three times, is not structure, a table row or a table
    column name, and its occurrences share their neighbourhood (the same line above or below at
    least three times, or a page number next to it twice): the signature of page furniture, as
    opposed to a phrase that merely recurs in the body. ``keyed`` are the lines'
    :func:`_header_key` ("" for a blank line).
    """
    nonblank = [i for i, k in enumerate(keyed) if k]
    occurrences: dict[str, list[int]] = {}
    for pos, i in enumerate(nonblank):
        stripped = lines[i].strip()
        if "\t" in lines[i] or len(stripped) > 120 or len(keyed[i]) < 2:
            continue
        if _STRUCTURAL_START.match(stripped) or stripped.endswith(":"):
            continue
        if _TABLE_HEADER_WORDS.match(stripped.rstrip(" .")) or _continued(stripped):
            continue
        occurrences.setdefault(keyed[i], []).append(pos)
    headers: set[str] = set()
    for key, positions in occurrences.items():
        if len(positions) < 3:
            continue
        prev_keys: Counter[str] = Counter()
        next_keys: Counter[str] = Counter()
        near_page_number = 0
        for pos in positions:
            prev_line = lines[nonblank[pos - 1]].strip() if pos > 0 else ""
            next_line = lines[nonblank[pos + 1]].strip() if pos + 1 < len(nonblank) else ""
            prev_keys[_header_key(prev_line)] += 1
            next_keys[_header_key(next_line)] += 1
            if _PAGE_NUMBER.match(prev_line) or _PAGE_NUMBER.match(next_line):
                near_page_number += 1
        shared = max(max(prev_keys.values()), max(next_keys.values()))
        in_furniture = sum(1 for pos in positions if _in_furniture_block(keyed, nonblank[pos]))
        if near_page_number >= 2 or (shared >= 3 and in_furniture >= 2):
            headers.add(key)
    return headers


def _in_furniture_block(keyed: list[str], index: int) -> bool:
    """Whether line ``index`` sits in a block of at most three lines set off by a blank run.

    Only the few lines that can decide it are looked at (four lines of block, two blank lines
    either side), so that calling it for every line of a long run stays linear.
    """
    start = index
    while start > 0 and keyed[start - 1] and index - start < 3:
        start -= 1
    end = index
    while end + 1 < len(keyed) and keyed[end + 1] and end - start < 3:
        end += 1
    if end - start >= 3:
        return False
    blank_before = 0
    while blank_before < 2 and start - 1 - blank_before >= 0 and not keyed[start - 1 - blank_before]:
        blank_before += 1
    blank_after = 0
    while blank_after < 2 and end + 1 + blank_after < len(keyed) and not keyed[end + 1 + blank_after]:
        blank_after += 1
    return blank_before >= 2 or blank_after >= 2 or start == 0


def _is_structural(line: str) -> bool:
    return "\t" in line or bool(_STRUCTURAL_START.match(line))


# a line that can only continue a sentence: it opens with a lower-case preposition
_CONTINUATION = re.compile(r"(?:de|del|y|e|para|con)[ \t]+\S")
_FENCE = re.compile(r"^[ \t]*-{3,}[ \t]*$")
_ENDS_ON_CONNECTOR = re.compile(
    r"\b(?:de|del|la|las|el|los|y|e|en|para|con|a|al|por|sobre|entre)$", re.IGNORECASE
)


def _typical_width(lines: list[str]) -> int:
    """Median length of the body lines: the wrap width of hard-wrapped (PDF) text."""
    widths = sorted(len(ln.strip()) for ln in lines if len(ln.strip()) > 20 and "\t" not in ln)
    return widths[len(widths) // 2] if widths else 0


class _Line:
    """An output line being built from input lines, kept in pieces so that joining thousands of
    lines into one paragraph stays linear; decisions look only at its ends and its length."""

    __slots__ = ("length", "parts", "tabbed")

    _END = 200

    def __init__(self, text: str = "") -> None:
        self.parts = [text]
        self.length = len(text)
        self.tabbed = "\t" in text

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        self.tabbed = self.tabbed or "\t" in text

    def drop_last(self) -> None:
        """Remove the last character."""
        self.rstrip(lambda piece: piece[:-1])

    def rstrip(self, cut=str.rstrip) -> None:  # type: ignore[no-untyped-def]
        """Remove trailing white space (or apply ``cut`` to the last non-empty piece)."""
        while len(self.parts) > 1 and not self.parts[-1]:
            self.parts.pop()
        last = self.parts[-1]
        self.parts[-1] = cut(last)
        self.length -= len(last) - len(self.parts[-1])

    def head(self) -> str:
        """The first characters (at least 200, or all)."""
        if len(self.parts) > 1 and len(self.parts[0]) < self._END:
            return self.text()[: self._END]
        return self.parts[0]

    def tail(self) -> str:
        """The last characters (at least 200, or all)."""
        pieces: list[str] = []
        size = 0
        for piece in reversed(self.parts):
            pieces.append(piece)
            size += len(piece)
            if size >= self._END:
                break
        return "".join(reversed(pieces))

    def stripped_length(self) -> int:
        """``len(text.strip())`` without joining a long line."""
        if self.length <= 2 * self._END:
            return len(self.text().strip())
        head, tail = self.head(), self.tail()
        return self.length - (len(head) - len(head.lstrip())) - (len(tail) - len(tail.rstrip()))

    def text(self) -> str:
        if len(self.parts) > 1 and self.length <= 2 * self._END:
            self.parts = ["".join(self.parts)]
        return "".join(self.parts)


# a signature block: a person's name on a line of its own, the office on the next ("ERNAN
# HUGO RAMÓN LLULLUY" / "Consejero Delegado": 313 such blocks in 239 Peruvian bulk texts)
_NAME_LINE = re.compile(
    r"(?:(?:ing|abog|abg|lic|dr|dra|mg|cpc|econ|arq|prof|sr|sra)\.?[ \t]+)?"
    r"[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñ.]*(?:[ \t]+[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñ.]*){1,5}[ \t]*",
    re.IGNORECASE,
)


def _signature_break(prev: str, line: str) -> bool:
    """Whether ``line`` is the office under a name that ``prev`` holds alone."""
    return (
        len(prev) <= 60
        and ROLE_WORDS.match(line) is not None
        and _NAME_LINE.fullmatch(prev) is not None
        and ROLE_WORDS.match(prev) is None
    )


def _close_page_breaks(lines: list[str], breaks: list[int]) -> list[str]:
    """Drop the blank lines around a removed page number or running header when the sentence
    before it goes on after it: in lower case ("... con la Dirección" / page 3 / "regional de
    Turismo ..."), or after a connector ("... con la Dirección Regional de" / page 3 /
    "Comercio Exterior ..."). The blank lines are the page's, not a paragraph's."""
    drop: set[int] = set()
    for at in breaks:
        before = at - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        after = at
        while after < len(lines) and not lines[after].strip():
            after += 1
        if before < 0 or after >= len(lines) or _SENTENCE_END.search(lines[before]):
            continue
        if lines[after].strip()[:1].islower() or _ends_on(_ENDS_ON_CONNECTOR, lines[before]):
            drop.update(range(before + 1, after))
    return [line for i, line in enumerate(lines) if i not in drop] if drop else lines


def _join_lines(lines: list[str]) -> list[str]:
    """Join lines of one paragraph broken by PDF extraction; keep structural lines apart.

    A line well short of the wrap width followed by a capitalised line ends its paragraph
    (a heading, a name, the last line of a paragraph). A heading broken before a blank line
    while ending on a connector ("... la integración en") continues after the blank.
    """
    width = _typical_width(lines)
    out: list[_Line] = []
    blank_after_connector = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            last = out[-1] if out else None
            if (
                last is not None
                and last.length
                and _ends_on(_ENDS_ON_CONNECTOR, last.tail())
                and not last.tabbed
                and _is_structural(last.head())
            ):
                blank_after_connector = True
                continue
            out.append(_Line())
            continue
        if (
            len(out) >= 2
            and not out[-1].length
            and out[-2].stripped_length() >= 40  # not a running header ("Gobierno Regional de X")
            and not out[-2].head().lstrip().startswith("#")
            and _CONTINUATION.match(stripped)
            and not out[-2].tabbed
            and not _SENTENCE_END.search(out[-2].tail())
        ):
            out.pop()  # "CREAR el Consejo Regional" / (page break) / "de Fomento Artesanal ..."
            out[-1].rstrip()
            out[-1].add(" " + stripped)
            continue
        prev = out[-1] if out else _Line()
        if blank_after_connector:
            blank_after_connector = False
            if stripped[:1].isalpha() and not _is_structural(line):
                prev.rstrip()
                prev.add(" " + stripped)
                continue
            out.append(_Line())
            prev = _Line()
        tail = prev.tail()
        can_join = (
            prev.length
            and not prev.tabbed
            and not _is_structural(line)
            and not (prev.stripped_length() <= 60 and _signature_break(prev.text().strip(), stripped))
            and not prev.head().lstrip().startswith("#")
            and not _FENCE.match(prev.tail())
            and not (tail.rstrip().endswith(":") and prev.length < 80)
        )
        # a short line before a full-width one ends its paragraph; short lines in a row are a
        # narrow column (a table cell) and are joined
        short_line = (
            width >= 50 and prev.stripped_length() < 0.6 * width and len(stripped) >= 0.6 * width
        )
        if can_join and tail.endswith("-") and stripped[:1].islower() and tail[-2:-1].isalpha():
            prev.drop_last()
            prev.add(stripped)
        elif can_join and tail.endswith("-") and stripped[:1].isupper() and tail[-2:-1].isalpha():
            prev.add(stripped)  # a compound broken at its hyphen: "Bío-" + "Bío"
        elif can_join and (
            stripped[:1].islower()
            or (not _SENTENCE_END.search(tail) and not (short_line and stripped[:1].isupper()))
            # "ENCARGAR a la Gerencia Regional de" + "Planeamiento y Presupuesto, ...": a line
            # ending on a preposition or article is continued, however short
            or _ends_on(_ENDS_ON_CONNECTOR, tail)
        ):
            prev.rstrip()
            prev.add(" " + stripped)
        else:
            out.append(_Line(stripped if "\t" not in line else line.rstrip(" ")))
    return [line.text() for line in out]


def clean_layout(raw: str) -> CleanText:
    """Clean ``raw`` text; see the module docstring for the steps."""
    text = _map_characters(raw.replace("\r\n", "\n"))
    text = _MD_LINK.sub(lambda m: f"{MARK_OPEN}{m.group(1)}{MARK_CLOSE}", text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2), text)
    text = _MD_ESCAPE.sub(lambda m: m.group(1), text)
    text = _HTML_TAG.sub(" ", text)
    if "^" in text:  # the two patterns are scans of every position: only where they can match
        text = _FOOTNOTE.sub("", text)
    if "- " in text:
        text = _BROKEN_COMPOUND.sub(r"\1-", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    lines = [_fix_letter_spacing(line.rstrip(" ")) for line in text.split("\n")]
    lines = [_SPACE_RUN.sub(" ", ln) if "  " in ln and "\t" not in ln else ln for ln in lines]
    lines = [ln.replace("\t ", "\t").replace(" \t", "\t") for ln in lines]

    keyed = [(_header_key(ln) if ln.strip() else "") for ln in lines]
    header_keys = _find_running_headers(lines, keyed)
    kept: list[str] = []
    headers: list[str] = []
    seen_headers: set[str] = set()
    page_breaks: list[int] = []  # where page furniture stood, as positions in ``kept``
    for line, key in zip(lines, keyed, strict=True):
        stripped = line.strip()
        if stripped and _PAGE_NUMBER.match(stripped):
            page_breaks.append(len(kept))
            continue
        if key in header_keys:
            if key not in seen_headers:
                seen_headers.add(key)
                headers.append(stripped)
            page_breaks.append(len(kept))
            continue
        kept.append(line)

    joined = _join_lines(_close_page_breaks(kept, page_breaks))
    # collapse runs of blank lines
    body: list[str] = []
    for line in joined:
        if line == "" and (not body or body[-1] == ""):
            continue
        body.append(line)
    while body and body[-1] == "":
        body.pop()
    if headers:
        body += ["", *headers]
    return _extract_marks("\n".join(body) + "\n", headers)


def _extract_marks(text: str, headers: list[str]) -> CleanText:
    """Remove mark sentinels, recording the spans they enclosed in the final text."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    pos = 0
    while (open_at := text.find(MARK_OPEN, pos)) >= 0:
        close_at = text.find(MARK_CLOSE, open_at + 1)
        if close_at < 0:
            break
        before = text[pos:open_at]
        inner = text[open_at + 1 : close_at].replace(MARK_OPEN, "")
        pieces += [before, inner]
        length += len(before)
        if inner:
            spans.append((length, length + len(inner)))
        length += len(inner)
        pos = close_at + 1
    pieces.append(text[pos:].replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
    return CleanText(text="".join(pieces), marked_spans=spans, header_lines=headers)
