"""The keyword-windowed scan finds what a full scan finds (loaders.extract.scan)."""

from __future__ import annotations

import re

from loaders.extract.legal_duties import COMMISSION
from loaders.extract.scan import finditer_near, lowered

WORDS = re.compile(r"encarg|enc[aá]rg|disp[oó]n")
TEXT = (
    "ARTÍCULO PRIMERO.- ENCARGAR a la Gerencia X la ejecución del Plan.\n"
    "ARTÍCULO SEGUNDO.- Encárguese a la Oficina Y la publicación; "
    "dispóngase que la Unidad Z informe. " * 30
    + "Nada más.\n"
)


def spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


def test_the_windowed_scan_finds_what_the_full_scan_finds() -> None:
    full = spans(COMMISSION.finditer(TEXT))
    assert len(full) > 60  # ENCARGAR once, then Encárguese and dispóngase 30 times each
    assert spans(finditer_near(COMMISSION, TEXT, WORDS, lowered(TEXT))) == full


def test_a_text_whose_lower_case_moves_offsets_is_scanned_whole() -> None:
    text = "İSTANBUL. " + TEXT  # "İ" lower-cases to two characters
    assert lowered(text) is None
    assert spans(finditer_near(COMMISSION, text, WORDS, lowered(text))) == spans(
        COMMISSION.finditer(text))


def test_no_keyword_no_match() -> None:
    text = "El Consejo Regional aprobó el Plan."
    assert list(finditer_near(COMMISSION, text, WORDS, lowered(text))) == []
