"""Layout clean-up (loaders.extract.layout.clean_layout) and passages (segment).

Inputs are short Spanish texts written here or in tests/fixtures/extract/: a three-page
report as the PDF reader renders it (pages joined by a form feed between blank lines), with a
two-line running header, page numbers, letter-spaced headings and words hyphenated at line
ends.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from loaders.extract.layout import clean_layout
from loaders.extract.segment import segment

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
BANNER = "Corporación Regional de Desarrollo del Litoral"
DOC_CODE = "Documento de trabajo 2024"


@pytest.fixture(scope="module")
def paginated() -> str:
    return (FIXTURES / "informe_paginado.txt").read_text(encoding="utf-8")


def body_and_tail(text: str, tail_lines: int) -> tuple[list[str], list[str]]:
    lines = text.rstrip("\n").split("\n")
    return lines[:-tail_lines], lines[-tail_lines:]


# --- characters and markup ---------------------------------------------------------------


def test_invisible_characters_and_soft_hyphens_are_removed() -> None:
    raw = "El\u00a0Ministerio de\u202fPesca coor\u00addinó\u200b la mesa\ufeff regional.\n"
    assert clean_layout(raw).text == "El Ministerio de Pesca coordinó la mesa regional.\n"


def test_form_feeds_become_line_breaks() -> None:
    text = clean_layout("Primera página del informe.\fSegunda página del informe.\n").text
    assert "\f" not in text
    assert text.split("\n")[:2] == ["Primera página del informe.", "Segunda página del informe."]


def test_windows_line_ends_are_one_line_break() -> None:
    raw = (
        "El Servicio Regional presentó su informe anual ante\r\n"
        "el consejo regional, que lo aprobó por unanimidad.\r\n"
    )
    assert clean_layout(raw).text == (
        "El Servicio Regional presentó su informe anual ante el consejo regional, "
        "que lo aprobó por unanimidad.\n"
    )


def test_markdown_links_are_kept_as_text_and_remembered_as_marked_spans() -> None:
    clean = clean_layout("Se presentó el [Programa Caletas Vivas](#) y el [Plan Sur](#a).\n")
    assert clean.text == "Se presentó el Programa Caletas Vivas y el Plan Sur.\n"
    marked = [clean.text[s:e] for s, e in clean.marked_spans]
    assert marked == ["Programa Caletas Vivas", "Plan Sur"]


def test_emphasis_and_footnote_markers_are_dropped() -> None:
    text = clean_layout("El **Plan Costero** fue aprobado^a por el consejo.\n").text
    assert text == "El Plan Costero fue aprobado por el consejo.\n"


# --- letter-spaced headings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("P R E S E N T A C I Ó N", "PRESENTACIÓN"),
        ("P L A N   D E   T R A B A J O", "PLAN DE TRABAJO"),
        ("C A P Í T U L O  2", "CAPÍTULO 2"),
    ],
)
def test_letter_spaced_headings_are_closed_up(raw: str, expected: str) -> None:
    assert clean_layout(f"{raw}\n\nEl texto sigue aquí con normalidad.\n").text.split("\n")[0] == (
        expected
    )


def test_ordinary_lines_with_short_words_are_not_closed_up() -> None:
    line = "Se firmó y a la vez se aprobó el acuerdo."
    assert clean_layout(line + "\n").text == line + "\n"


def test_letter_spaced_headings_in_a_paginated_report(paginated: str) -> None:
    lines = clean_layout(paginated).text.split("\n")
    assert "PRESENTACIÓN" in lines
    assert "PLAN DE TRABAJO" in lines


# --- running headers and page numbers ------------------------------------------------------


def test_banner_repeated_at_page_breaks_is_kept_once_at_the_end(paginated: str) -> None:
    clean = clean_layout(paginated)
    assert clean.text.count(BANNER) == 1
    assert BANNER in clean.header_lines
    _, tail = body_and_tail(clean.text, len(clean.header_lines))
    assert tail == clean.header_lines
    # everything else of the report comes before the banner
    assert clean.text.index(BANNER) > clean.text.index("durante todo el año.")


def test_second_line_of_a_running_header_is_kept_once_at_the_end(paginated: str) -> None:
    clean = clean_layout(paginated)
    assert clean.text.count(DOC_CODE) == 1
    body, _ = body_and_tail(clean.text, 2)
    assert DOC_CODE not in body


def test_bare_page_numbers_are_dropped(paginated: str) -> None:
    lines = clean_layout(paginated).text.split("\n")
    assert not [ln for ln in lines if ln.strip().isdigit()]


def test_page_footers_with_page_of_total_are_taken_out_of_the_flow() -> None:
    pages = [
        "La primera parte presenta el contexto institucional de la región y sus desafíos de\n"
        "coordinación entre los distintos niveles de gobierno del país.",
        "La segunda parte describe las acciones de fomento productivo de los servicios públicos\n"
        "en la región durante el período que cubre este informe.",
        "La tercera parte resume los resultados y las lecciones aprendidas en los territorios\n"
        "donde se aplicaron los instrumentos de apoyo a las caletas.",
    ]
    footer = "Agencia Costera de Fomento – Informe de gestión"
    raw = "\n\f\n".join(f"{p}\n\n{footer}\nPágina {i} de 3" for i, p in enumerate(pages, 1))
    clean = clean_layout(raw)
    assert clean.text.count(footer) == 1
    assert "Página" not in clean.text
    for page in pages:
        assert page.replace("\n", " ") in clean.text


def test_a_phrase_recurring_in_the_body_is_not_a_running_header() -> None:
    paragraphs = [
        "Se espera mejorar la productividad de la pesca artesanal en la zona norte del "
        "litoral\ncon nuevas embarcaciones y mejores condiciones de venta en las caletas.",
        "Se espera ordenar el uso de las caletas del sur mediante acuerdos entre las "
        "organizaciones\nde pescadores y las autoridades locales de cada comuna costera.",
        "Se espera capacitar a los pescadores de la bahía en técnicas de manejo sostenible "
        "de los\nrecursos y en la comercialización directa de sus productos del mar.",
    ]
    raw = "\n\n".join(f"Resultados esperados:\n{p}" for p in paragraphs) + "\n"
    clean = clean_layout(raw)
    assert clean.text.count("Resultados esperados") == 3
    assert clean.header_lines == []


# --- joining broken lines -------------------------------------------------------------------


def test_words_hyphenated_at_line_ends_are_joined(paginated: str) -> None:
    text = clean_layout(paginated).text
    assert "trabajo de coordinación realizado" in text
    assert "la gestión institucional de los puertos" in text
    assert "coor-" not in text and "ins-" not in text


def test_a_compound_name_broken_at_its_hyphen_keeps_the_hyphen() -> None:
    raw = (
        "El Gobierno Regional destinó recursos a los pescadores de la cuenca del Bío-\n"
        "Bío y de las caletas cercanas durante todo el año pasado.\n"
    )
    assert "cuenca del Bío-Bío y de las caletas" in clean_layout(raw).text


def test_a_compound_of_capitals_split_after_its_hyphen_is_closed_up() -> None:
    raw = "El Programa SELA- IBERPYME apoya a las PYMES - y a sus gremios - de la región.\n"
    assert clean_layout(raw).text.startswith(
        "El Programa SELA-IBERPYME apoya a las PYMES - y a sus gremios - de la región."
    )


def test_a_sentence_broken_across_lines_is_one_line() -> None:
    raw = (
        "El Servicio Regional de Fomento Lacustre presentó su informe anual ante\n"
        "el consejo regional, que lo aprobó por unanimidad en la sesión de marzo.\n"
    )
    assert clean_layout(raw).text == raw.replace("ante\nel", "ante el")


def test_structural_lines_keep_their_own_lines() -> None:
    raw = (
        "# Resultados del taller\n"
        "Las tareas acordadas por las instituciones participantes fueron las siguientes:\n"
        "- Diagnóstico de caletas\n"
        "- Capacitación de pescadores\n"
        "1. Primera etapa de implementación\n"
        "2. Segunda etapa de implementación\n"
        "Objetivo\tResponsable\n"
        "Mejorar la gestión\tServicio Regional de Fomento Lacustre\n"
    )
    assert clean_layout(raw).text == raw


# --- passages -------------------------------------------------------------------------------


def test_passages_are_sentences_and_table_rows_with_exact_offsets() -> None:
    text = (
        "El Sr. Pérez presentó el plan. La Dra. Soto lo aprobó con J. Rivas. ¿Quién lo financia?\n"
        "Actividad\tResponsable\n"
        "Feria del mar\tCámara de Turismo de Bahía Serena\n"
    )
    spans = segment(text)
    pieces = [text[s.start : s.end] for s in spans]
    assert pieces == [
        "El Sr. Pérez presentó el plan.",
        "La Dra. Soto lo aprobó con J. Rivas.",
        "¿Quién lo financia?",
        "Actividad\tResponsable",
        "Feria del mar\tCámara de Turismo de Bahía Serena",
    ]
    assert [s.is_table_row for s in spans] == [False, False, False, True, True]


def test_passages_never_overlap_and_skip_blank_lines(paginated: str) -> None:
    text = clean_layout(paginated).text
    spans = segment(text)
    assert spans
    for earlier, later in pairwise(spans):
        assert earlier.end <= later.start
    for span in spans:
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece
        assert "\n" not in piece


# --- hostile input: one line repeated many times ------------------------------------------

REPEATED = "Ministerio de Economía, Fomento y Turismo — Programa de Apoyo a la Pyme Regional 2024\n"


def test_repeated_lines_are_cleaned_in_linear_time() -> None:
    """5,000 / 10,000 / 20,000 copies of one line with no blank line between them: each copy
    is a running-header candidate and all of them form one paragraph to join."""
    from tests.growth import assert_linear

    assert_linear(lambda n: REPEATED * n, clean_layout, (5_000, 10_000, 20_000))


def test_repeated_lines_still_make_one_paragraph() -> None:
    cleaned = clean_layout(REPEATED * 5_000).text
    assert cleaned.count("\n") == 1
    assert cleaned.count("Ministerio de Economía") == 5_000


def test_the_fence_of_front_matter_stays_on_its_own_line() -> None:
    raw = "---\ncountry: pe\n---\nQue, el Consejo Regional aprobó la ordenanza.\n"
    text = clean_layout(raw).text
    assert text.startswith("---\ncountry: pe\n---\n")


def test_a_sentence_broken_by_a_blank_line_before_a_preposition_is_joined() -> None:
    raw = (
        "ARTÍCULO PRIMERO.- CREAR el Consejo Regional\n\nde Fomento Artesanal de Laguna Verde, "
        "como instancia.\n\nGobierno Regional de Lima\n\nde universidades y empresas.\n"
    )
    text = clean_layout(raw).text
    assert "CREAR el Consejo Regional de Fomento Artesanal de Laguna Verde" in text
    assert "Gobierno Regional de Lima de universidades" not in text  # a running header stays


def test_an_article_heading_is_never_joined_to_the_list_item_above_it() -> None:
    """A list's last item often ends without a stop ("e) Mesas Técnicas y de Trabajo"); the
    next article ("ARTÍCULO CUARTO: SOLICITAR ...", "Artículo 5°.- ...") starts a line of its
    own, while a sentence wrapped before "artículo 15 de la Ley" is still joined."""
    raw = (
        "d) Espacios Consultivos, Comité Consultivo, Asesores Técnicos.\n"
        "e) Mesas Técnicas y de Trabajo (instancias de concertación)\n"
        "ARTÍCULO CUARTO: SOLICITAR a la Secretaría de Descentralización la asistencia técnica\n"
        "necesaria para el cumplimiento de las funciones encargadas conforme al\n"
        "artículo 15 de la Ley N° 27867.\n"
    )
    lines = clean_layout(raw).text.split("\n")
    assert "e) Mesas Técnicas y de Trabajo (instancias de concertación)" in lines
    assert any(line.startswith("ARTÍCULO CUARTO: SOLICITAR") and line.endswith("27867.")
               for line in lines)


def test_a_wrapped_line_that_opens_with_a_lower_case_word_and_a_colon_is_joined() -> None:
    """"... que comprende las comunas" / "de: Chillán, Bulnes ..." is one sentence wrapped at
    the column width, not a "Label: value" line."""
    raw = (
        "Artículo 2º.- Créase la Provincia de Diguillín, que comprende las comunas\n"
        "de: Chillán, Chillán Viejo, Quillón y Bulnes. Su capital es la ciudad de Bulnes.\n"
        "Fecha: 12 de marzo de 2020\n"
    )
    lines = clean_layout(raw).text.split("\n")
    assert lines[0].endswith("comunas de: Chillán, Chillán Viejo, Quillón y Bulnes. Su capital "
                             "es la ciudad de Bulnes.")
    assert "Fecha: 12 de marzo de 2020" in lines


def test_a_sentence_broken_by_a_page_number_and_a_running_header_is_one_sentence() -> None:
    """A page break leaves a page number, a running header and blank lines inside a sentence;
    once they are removed the sentence goes on ("... a través de la Gerencia de" / page 3 /
    "Planeamiento ..."), while a sentence that ended before the break stays apart."""
    page = "GOBIERNO REGIONAL DE LAGUNA VERDE - GERENCIA GENERAL"
    body = [
        "ARTÍCULO NOVENO: Dispóngase que la Gerencia General Regional, a través de la Gerencia de",
        "", "Página 3 de 9", page, "",
        "Planeamiento y Presupuesto, elabore el plan en coordinación con la Dirección Regional",
        "", "Página 4 de 9", page, "",
        "de Turismo y con el apoyo de las municipalidades de la región.",
        "", "Página 5 de 9", page, "",
        "ARTÍCULO DÉCIMO: Publíquese.",
        "", "Página 6 de 9", page, "",
    ]
    text = clean_layout("\n".join(body)).text
    assert ("a través de la Gerencia de Planeamiento y Presupuesto, elabore el plan en "
            "coordinación con la Dirección Regional de Turismo y con el apoyo") in text
    assert "región.\n\nARTÍCULO DÉCIMO" in text or "región.\nARTÍCULO DÉCIMO" in text
