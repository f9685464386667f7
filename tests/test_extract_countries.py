"""The document's country and gazetteer matches read in it (loaders.extract.countries).

Unit tests build candidates by hand; end-to-end tests run the pipeline with the shipped
gazetteer over short texts written the way Peruvian ordinances, Chilean laws and Mexican
federal laws write. In ../shared/bulk, names that several countries' entries carry are common:
"Ministerio de Hacienda" occurs in 112 of the 630 Chilean laws and its gazetteer entry exists
for five countries; "Consejo Regional" occurs in 1,321 of the 1,463 Peruvian regional texts.
"""

from __future__ import annotations

import pytest

from graph.model import DocumentInfo, Extraction
from loaders.extract.candidates import Candidate
from loaders.extract.countries import (
    DocumentCountry,
    declared_country,
    document_country,
    settle_countries,
)
from loaders.extract.finish import government_spellings
from loaders.extract.lexicon import Lexicon, default_lexicon, make_doc
from loaders.extract.pipeline import extract_text
from tests.fixtures.invented import extract_invented


def cand(start: int, end: int, name: str, country: str | None, label: str = "Institution",
         kind: str | None = None) -> Candidate:
    return Candidate(start, end, label, name, "gazetteer", country=country, kind=kind,
                     acronym="X" if " " not in name else None, level="national")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


def extract(raw: str, lexicon: Lexicon) -> Extraction:
    return extract_invented(raw, lexicon, "txt")


def countries_of(extraction: Extraction, name: str) -> set[str | None]:
    return {e.country for e in extraction.entities if e.name.casefold() == name.casefold()}


# --- the document's country -------------------------------------------------------------------


def test_a_clear_majority_of_proper_names_gives_the_country() -> None:
    cands = [cand(0, 5, "Apurímac", "PE", "Territory", "region"),
             cand(10, 15, "SUNAT", "PE"), cand(20, 30, "Gobierno Regional de Apurímac", "PE"),
             cand(40, 50, "Ministerio de Hacienda", "CL"),
             cand(40, 50, "Ministerio de Hacienda", "DO")]
    assert document_country(cands).code == "PE"


def test_generic_terms_and_shared_names_do_not_vote() -> None:
    # "Consejo regional" (sentence case) is a generic term; a span two countries share is no vote
    cands = [cand(i * 20, i * 20 + 16, "Consejo regional", "CL") for i in range(6)]
    cands += [cand(200, 220, "Ministerio de Hacienda", "CL"),
              cand(200, 220, "Ministerio de Hacienda", "DO")]
    assert document_country(cands).code is None


def test_a_name_repeated_gives_at_most_five_votes() -> None:
    # one word eighteen times against three other country's names does not make the document
    cands = [cand(i * 10, i * 10 + 7, "Central", "PY", "Territory", "region") for i in range(18)]
    cands += [cand(500 + i * 20, 515 + i * 20, f"Servicio Nacional {i}", "CL") for i in range(3)]
    assert document_country(cands).code is None


def test_an_acronym_gives_one_vote_however_often_it_is_written() -> None:
    # "MOP" fifty-nine times in a Peruvian ordinance of Piura (pe-piu_003-2025-GR)
    text = "MOP " * 59 + "Piura " * 5 + "Perú"
    cands = [cand(i * 4, i * 4 + 3, "Ministerio de Obras Públicas", "CL") for i in range(59)]
    cands += [cand(236 + i * 6, 241 + i * 6, "Piura", "PE", "Territory", "region")
              for i in range(5)]
    cands.append(cand(266, 270, "Perú", "PE", "Territory", "country"))
    assert document_country(cands, text).code == "PE"
    assert document_country(cands).code is None  # without the text, MOP counts as a name


def test_a_match_inside_a_longer_match_does_not_vote() -> None:
    cands = [cand(0, 25, "Banco Central de Chile", "CL"),
             cand(6, 13, "Central", "PY", "Territory", "region")]
    cands += [cand(30 + i * 10, 38 + i * 10, f"Servicio Nacional {i}", "CL") for i in range(2)]
    assert document_country(cands).code == "CL"


def test_countries_named_as_such_are_recorded() -> None:
    cands = [cand(0, 4, "Perú", "PE", "Territory", "country"), cand(10, 16, "México", "MX",
             "Territory", "country")]
    assert document_country(cands).named == {"PE", "MX"}


# --- matches read in the document's country ---------------------------------------------------


PERU = [cand(0, 8, "Apurímac", "PE", "Territory", "region"), cand(10, 15, "SUNAT", "PE"),
        cand(20, 49, "Gobierno Regional de Apurímac", "PE"), cand(50, 55, "INEI", "PE"),
        cand(56, 59, "Perú", "PE", "Territory", "country")]


def test_of_several_entries_for_one_span_the_document_country_is_kept() -> None:
    text = " " * 60 + "Ministerio de Economía y Finanzas"
    shared = [cand(60, 93, "Ministerio de Economía y Finanzas", c) for c in ("EC", "PE", "UY")]
    kept, where = settle_countries([*PERU, *shared], text)
    assert where.code == "PE"
    assert [c.country for c in kept if c.start == 60] == ["PE"]


def test_a_foreign_proper_name_becomes_the_document_countrys_body() -> None:
    text = " " * 60 + "Secretaría de Economía"
    kept, _ = settle_countries([*PERU, cand(60, 82, "Secretaría de Economía", "MX")], text)
    (own,) = [c for c in kept if c.start == 60]
    # its tier is the document's to say (a Colombian department's "Secretaría de Desarrollo
    # Económico" is no national ministry as Honduras's is)
    assert (own.name, own.country, own.source, own.level) == (
        "Secretaría de Economía", "PE", "pattern", None
    )


def test_a_foreign_generic_term_keeps_its_forms_and_takes_the_country() -> None:
    text = " " * 60 + "Consejo Regional"
    generic = cand(60, 76, "Consejo regional", "CL")
    generic.aliases = ["consejos regionales"]
    kept, _ = settle_countries([*PERU, generic], text)
    (own,) = [c for c in kept if c.start == 60]
    assert (own.name, own.country) == ("Consejo regional", "PE")
    assert own.aliases == ["consejos regionales"]


def test_foreign_acronyms_and_places_are_dropped_unless_their_country_is_named() -> None:
    text = " " * 60 + "SIN  Lara"
    foreign = [cand(60, 63, "SIN", "BO"), cand(65, 69, "Lara", "VE", "Territory", "region")]
    kept, _ = settle_countries([*PERU, *foreign], text)
    assert all(c.start < 60 for c in kept)
    named = [*foreign, cand(70, 79, "Venezuela", "VE", "Territory", "country")]
    kept, _ = settle_countries([*PERU, *named], text + " Venezuela")
    assert {c.name for c in kept if c.start >= 60} == {"Lara", "Venezuela"}


def test_without_a_clear_country_every_match_stays() -> None:
    cands = [cand(0, 5, "SUNAT", "PE"), cand(10, 15, "CORFO", "CL")]
    kept, where = settle_countries(cands, "SUNAT     CORFO")
    assert where == DocumentCountry(None, set()) and kept == cands


def test_pick_prefers_the_document_country_then_no_country() -> None:
    where = DocumentCountry("PE", {"MX"})
    entries = [cand(0, 1, "A", "CL"), cand(0, 1, "A", None), cand(0, 1, "A", "PE")]
    assert where.pick(entries).country == "PE"
    assert where.pick(entries[:2]).country is None
    assert where.pick([cand(0, 1, "A", "MX")]).country == "MX"
    assert where.pick([cand(0, 1, "Ab Cd", "CL")]) is None
    assert where.pick([cand(0, 1, "Consejo regional", "CL")]).country == "PE"


# --- end to end with the shipped gazetteer ----------------------------------------------------


PERU_TEXT = (
    "ORDENANZA REGIONAL N° 007-2019-GR-APURIMAC/CR\n\n"
    "El Consejo Regional del Gobierno Regional de Apurímac, en la Región Apurímac, con la "
    "opinión de la SUNAT, de PRODUCE y del INEI, aprobó la presente ordenanza.\n\n"
    "Artículo 1.- El Consejo Regional encarga a la Gerencia Regional de Desarrollo Económico "
    "coordinar con el Ministerio de Economía y Finanzas y la Secretaría de Economía.\n"
)


def test_a_peruvian_ordinance_names_peruvian_bodies(lexicon: Lexicon) -> None:
    extraction = extract(PERU_TEXT, lexicon)
    # "el Consejo Regional" of the ordinance is its own government's council, Peruvian
    assert countries_of(extraction, "Consejo Regional del Gobierno Regional de Apurímac") == {"PE"}
    assert countries_of(extraction, "Consejo regional") == set()
    assert countries_of(extraction, "Ministerio de Economía y Finanzas") == {"PE"}
    assert countries_of(extraction, "Secretaría de Economía") == {"PE"}


def test_a_chilean_law_names_the_chilean_treasury(lexicon: Lexicon) -> None:
    text = (
        "LEY NÚM. 21.033\n\nCREA LA XVI REGIÓN DE ÑUBLE Y LAS PROVINCIAS DE DIGUILLÍN, PUNILLA"
        " E ITATA\n\nArtículo 1.- Créase la Región de Ñuble. El Ministerio de Hacienda, la "
        "Subsecretaría de Desarrollo Regional y Administrativo y el Gobierno Regional del "
        "Biobío transferirán los recursos; la Región del Biobío y la comuna de Chillán.\n"
    )
    extraction = extract(text, lexicon)
    assert countries_of(extraction, "Ministerio de Hacienda") == {"CL"}


def test_a_document_naming_mexico_keeps_the_mexican_secretariat(lexicon: Lexicon) -> None:
    text = PERU_TEXT + "\nComo en México, donde la Secretaría de Economía apoya a las MIPYMES.\n"
    assert countries_of(extract(text, lexicon), "Secretaría de Economía") == {"MX"}


def test_an_acronym_that_is_a_word_of_a_capital_heading_is_not_matched(lexicon: Lexicon) -> None:
    heading = "ESTABLECE LA OBLIGACIÓN DE RENDIR UNA CUENTA PÚBLICA\n\nSe rinde una cuenta."
    assert not [c for c in lexicon.match(make_doc(heading)) if c.name.startswith("Universidad")]
    running = "Lo firman la UNA y la Universidad Católica; una copia queda en el archivo."
    found = lexicon.match(make_doc(running))
    assert [c for c in found if c.name.startswith("Universidad Nacional")]


def test_a_long_text_is_matched_a_piece_at_a_time_as_if_whole(lexicon: Lexicon) -> None:
    """Gazetteer matching tokenises a long text in pieces (bounded memory) and finds what it
    finds in the whole text: the names of every piece, at their offsets in the text, and an
    acronym among capitals judged by the lower-case words of every piece."""
    text = "\n".join([
        "ESTABLECE LA OBLIGACIÓN DE RENDIR UNA CUENTA PÚBLICA",
        "La Corporación de Fomento de la Producción (CORFO) y el Servicio de Cooperación Técnica.",
        "Lo firman la UNA y la Universidad Católica; una copia queda en el archivo.",
    ] * 40)

    def found(candidates: list) -> list[tuple[int, int, str]]:
        return [(c.start, c.end, c.name) for c in candidates]

    whole = found(lexicon.match(make_doc(text)))
    assert len(whole) > 120
    for chunk_chars in (150, 1_000, 4_000):
        assert found(lexicon.match_text(text, chunk_chars)) == whole
    assert all(text[start:end] for start, end, _ in whole)


def test_the_country_a_document_declares_is_its_country() -> None:
    """A front-matter "country:" field, the country-code domain of the source address, or a
    country named in that address's path declares where a document is from."""
    assert declared_country("---\ntitle: x\ncountry: pe\n---\nTexto") == "PE"
    assert declared_country("---\nsource_url: https://nuevo.leychile.cl/x?id=1\n---\n") == "CL"
    assert declared_country("---\nsource: >-\n  https://www.gob.pe/institucion/x\n---\n") == "PE"
    assert declared_country("# T\n\n[[source:https://www.undp.org/es/paraguay/blog/x]]\n") == "PY"
    assert declared_country("# Un informe\n\nsin metadatos") is None
    # far into the body an address is a citation, not the document's own
    assert declared_country("# T\n" + "x " * 3000 + "\nsource: https://www.gob.mx/a\n") is None


def test_a_declared_country_drops_places_of_other_countries(lexicon: Lexicon) -> None:
    """A Chilean law naming the commune San Pablo does not name the Brazilian state."""
    raw = (
        "---\nsource_url: https://nuevo.leychile.cl/servicios/x\n---\n\nLEY NÚM. 19.000\n\n"
        "Artículo 1°.- Créase un Juzgado de Letras con asiento en la comuna de Osorno y "
        "jurisdicción sobre las comunas de Osorno y San Pablo.\n"
    )
    info = DocumentInfo(id="d" * 64, title="t", path="t.md", format="md")
    names = {e.name for e in extract_text(info, raw, lexicon).entities}
    assert "São Paulo" not in names


def test_another_countrys_term_naming_its_own_places_is_not_read_as_the_documents(
    lexicon: Lexicon,
) -> None:
    """"Demarcación territorial" is an alias of Mexico City's "Demarcaciones territoriales de
    la Ciudad de México"; in a Peruvian decree it is the end of an office's name (40 of the
    bulk texts name the "Sub Gerencia de Planeamiento, Ordenamiento y Demarcación
    Territorial"), not a Mexican or Peruvian collective. A generic term without a proper
    name ("Ayuntamientos") is still read as the document's own."""
    raw = (
        "---\ncountry: pe\n---\n\nDECRETO REGIONAL N° 011-2021-GR CUSCO/GR\n\n"
        "Visto el informe de la Sub Gerencia de Planeamiento, Ordenamiento y Demarcación "
        "Territorial y el oficio de los Ayuntamientos.\n"
    )
    names = {e.name for e in extract(raw, lexicon).entities}
    assert not {n for n in names if "México" in n}
    assert "Ayuntamientos" in names


def test_the_years_motto_names_nothing(lexicon: Lexicon) -> None:
    """The motto of the year heads each page of 737 Peruvian bulk texts; its "Unidad" is no
    unit. The same words in the body's own sentence are read as usual."""
    raw = (
        "GOBIERNO REGIONAL DEL CUSCO\n\n“Año de la Unidad, la Paz y el Desarrollo”\n"
        "DECENIO DE LA IGUALDAD DE OPORTUNIDADES PARA MUJERES Y HOMBRES\n\n"
        "Consejo Regional Puno “Año de la Unidad, la Paz y el Desarrollo”\n\n"
        "Artículo 1.- ENCARGAR a la Unidad de Asesoría Legal la publicación.\n"
    )
    names = {e.name for e in extract(raw, lexicon).entities}
    assert "Unidad de Asesoría Legal" in names
    assert not {n for n in names if n.startswith("Unidad,") or "Igualdad" in n or "Paz" in n}


def test_a_government_named_after_its_place_is_written_both_ways(lexicon: Lexicon) -> None:
    """Peruvian letterheads write "Gobierno Regional San Martín" and their prose "Gobierno
    Regional de San Martín": each form is an alias of the other; "del Callao" keeps its article,
    and other names have no other spelling."""
    assert government_spellings("Gobierno Regional de San Martín") == [
        "Gobierno Regional San Martín"]
    assert government_spellings("Municipalidad Provincial Coronel Portillo") == [
        "Municipalidad Provincial de Coronel Portillo"]
    assert government_spellings("Gobierno Regional del Callao") == []
    assert government_spellings("Ministerio de Economía") == []
    raw = "# Ordenanza Regional N° 001-2024\n\nEl Gobierno Regional de Laguna Verde aprueba.\n"
    (gore,) = [e for e in extract(raw, lexicon).entities if e.name.startswith("Gobierno")]
    assert "Gobierno Regional Laguna Verde" in gore.aliases
