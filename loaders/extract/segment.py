"""Passages: sentences within paragraphs, and table rows, each with exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {
    "sr",
    "sra",
    "srta",
    "dr",
    "dra",
    "lic",
    "ing",
    "arq",
    "prof",
    "av",
    "etc",
    "n",
    "nº",
    "no",
    "núm",
    "art",
    "inc",
    "pág",
    "págs",
    "vol",
    "cap",
    "ej",
    "aprox",
    "dpto",
    "depto",
    "s.a",
    "ltda",
    "cía",
    "mr",
    "mrs",
    "st",
    "vs",
    "p",
    "pp",
    "ed",
    "eds",
    "a.c",
    "d.c",
    "ee.uu",
    "uu",
}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”»)]?\s+(?=[¿¡\"“«(]?[A-ZÁÉÍÓÚÑ0-9])")


@dataclass(frozen=True)
class Span:
    """A passage-to-be: offsets in the text and whether it is a table row."""

    start: int
    end: int
    is_table_row: bool = False


def _split_sentences(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        before = text[cursor : m.start()].rstrip()
        last_word = re.search(r"([\w.]+)[.!?]$", before)
        if last_word and last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if last_word and len(last_word.group(1)) == 1 and last_word.group(1).isupper():
            continue  # an initial: "J. Pérez"
        if m.start() - cursor < 3:
            continue
        spans.append(Span(cursor, m.start()))
        cursor = m.end()
    if cursor < end:
        spans.append(Span(cursor, end))
    return spans


def segment(text: str) -> list[Span]:
    """Split ``text`` into passages: one per table row (a line with tabs), sentences otherwise."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        s, e = line_start + lead, line_end - trail
        if "\t" in line:
            spans.append(Span(s, e, is_table_row=True))
        else:
            spans.extend(_split_sentences(text, s, e))
    return spans
