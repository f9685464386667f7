"""Resolution across documents at scale (graph.resolve with graph.normalize.name_key), against
a real SQLite store: the variants of one name are one entity, a generic name stays per
country, near-identical names stay candidates for ``tejido review``.

Counts of files of ../shared/bulk (2,093 texts): the law of regional governments is written
"Ley N° 27867" (or Nº, N.) in 1,298 and "Ley 27867" in 241; "Decreto Supremo" in 726 and "D.S."
in 126; "Nro." before a number in 49; "de los recursos hídricos" in 73 and "nacional de
recursos hídricos" in 15 ("Plan Nacional de los Recursos Hídricos" and "Plan Nacional de
Recursos Hídricos" were each other's top duplicate in the bulk store).
"""

from __future__ import annotations

import pytest

from graph.model import DocumentInfo, Entity, Extraction, Relation, entity_id
from graph.normalize import name_key, normalize_name
from graph.resolve import InstitutionNames, resolve
from graph.stores.sqlite_store import SQLiteStore


def extraction(doc: str, *entities: Entity, relations: list[Relation] | None = None) -> Extraction:
    text = " ".join(e.name for e in entities)
    info = DocumentInfo(id=(doc * 64)[:64], title=doc, path=f"{doc}.txt", format="txt", text=text)
    return Extraction(document=info, entities=list(entities), relations=relations or [])


def entity(name: str, label: str = "Institution", country: str | None = None,
           level: str | None = None) -> Entity:
    return Entity(id=entity_id(label, name), label=label, name=name, country=country,
                  level=level)


def ingest(store: SQLiteStore, *extractions: Extraction) -> list[Extraction]:
    known = InstitutionNames(store)
    out = []
    for ex in extractions:
        resolved, candidates = resolve(ex, store, known)
        store.add_merge_candidates(candidates)
        store.write(resolved)
        known.add(resolved.entities)
        out.append(resolved)
    return out


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Plan Nacional de los Recursos Hídricos", "Plan Nacional de Recursos Hídricos"),
        ("Ley N° 27867", "Ley 27867"),
        ("Ley Nº 27867", "Ley Nro. 27867"),
        ("Ley Número 27867", "Ley N.º 27867"),
        ("Ley N° 19.175", "Ley 19175"),
        ("D.S. N° 029-2018-PCM", "Decreto Supremo N° 029-2018-PCM"),
        ("DFL N° 1-19.175", "Decreto con Fuerza de Ley N° 1-19.175"),
        ("O.R. N° 005-2010-GRLL/CR", "Ordenanza Regional N° 005-2010-GRLL/CR"),
        ("Gobierno Regional Puno", "Gobierno Regional de Puno"),
        ("Secretaría Técnica del Consejo", "Secretaría Técnica de el Consejo"),
    ],
)
def test_variants_of_one_name_share_a_key(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ley N° 27867", "Ley N° 27868"),
        ("Decreto Supremo N° 029-2018-PCM", "Decreto Supremo N° 029-2019-PCM"),
        ("Decreto Legislativo N° 1252", "Decreto Supremo N° 1252"),
        ("Ministerio de Economía", "Ministerio de Economía y Finanzas"),
        # a "No" that is no number sign stays
        ("No obstante", "obstante"),
    ],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_a_variant_written_in_a_later_document_is_the_stored_entity(
    sqlite_store: SQLiteStore,
) -> None:
    first = entity("Plan Nacional de los Recursos Hídricos", "Instrument")
    second = entity("Plan Nacional de Recursos Hídricos", "Instrument")
    council = entity("Autoridad Nacional del Agua")
    rel = Relation(source=council.id, type="RESPONSIBLE_FOR", target=second.id)
    ingest(sqlite_store, extraction("a", first), extraction("b", second, council,
                                                              relations=[rel]))
    plans = list(sqlite_store.entities("Instrument"))
    assert [p.id for p in plans] == [first.id]
    assert second.name in plans[0].names()
    (stored_rel,) = sqlite_store.relations()
    assert stored_rel.target == first.id


def test_one_law_written_two_ways_is_one_entity(sqlite_store: SQLiteStore) -> None:
    ingest(sqlite_store, extraction("a", entity("Ley N° 27867", "Instrument", "PE")),
           extraction("b", entity("Ley 27867", "Instrument", "PE")),
           extraction("c", entity("Ley Nº 27867", "Instrument", "PE")))
    (law,) = sqlite_store.entities("Instrument")
    assert {"Ley N° 27867", "Ley 27867", "Ley Nº 27867"} <= law.names()


def test_a_variant_of_another_country_stays_apart(sqlite_store: SQLiteStore) -> None:
    chile = extraction("a", entity("Consejo Regional de los Pescadores", country="CL"))
    peru = extraction("b", entity("Consejo Regional de Pescadores", country="PE"))
    ingest(sqlite_store, chile, peru)
    assert len(list(sqlite_store.entities("Institution"))) == 2


def test_a_generic_collective_stays_per_country(sqlite_store: SQLiteStore) -> None:
    peru = [extraction(d, entity("Municipalidades provinciales", country="PE", level="local"))
            for d in "ab"]
    chile = extraction("c", entity("Municipalidades provinciales", country="CL", level="local"))
    ingest(sqlite_store, peru[0], chile, peru[1])
    stored = {e.country: e.id for e in sqlite_store.entities("Institution")}
    assert stored == {
        "PE": entity_id("Institution", "Municipalidades provinciales"),
        "CL": entity_id("Institution", "Municipalidades provinciales", "CL"),
    }
    # the second Peruvian document joins the Peruvian entity, the Chilean one its own
    assert len(sqlite_store.documents()) == 3


def test_a_same_name_without_country_is_the_stored_entity(sqlite_store: SQLiteStore) -> None:
    ingest(sqlite_store, extraction("a", entity("Consejo Regional", country="PE")),
           extraction("b", entity("Consejo Regional")))
    assert len(list(sqlite_store.entities("Institution"))) == 1


def test_near_identical_names_stay_candidates_for_review(sqlite_store: SQLiteStore) -> None:
    ingest(sqlite_store, extraction("a", entity("Servicio Regional de Fomento Lacustre")),
           extraction("b", entity("Servicio Regional de Fomento Lacustres")))
    assert len(list(sqlite_store.entities("Institution"))) == 2
    assert len(sqlite_store.merge_candidates()) == 1


def test_a_numbered_instrument_cited_at_two_levels_is_one_entity(
    sqlite_store: SQLiteStore,
) -> None:
    # a national decree cited by a regional ordinance and by a municipal one
    ingest(sqlite_store,
           extraction("a", entity("Decreto Supremo N° 345-2018-EF", "Instrument", "PE",
                                  "regional")),
           extraction("b", entity("Decreto Supremo Nº 345-2018-EF", "Instrument", "PE",
                                  "local")))
    assert len(list(sqlite_store.entities("Instrument"))) == 1
    # a plan's level does tell plans apart
    ingest(sqlite_store,
           extraction("c", entity("Plan de Desarrollo de los Recursos", "Instrument", "PE",
                                  "regional")),
           extraction("d", entity("Plan de Desarrollo de Recursos", "Instrument", "PE",
                                  "local")))
    assert len(list(sqlite_store.entities("Instrument"))) == 3


def _stored_names(store: SQLiteStore, count: int) -> InstitutionNames:
    """Names of ``count`` institutions of varied lengths, as ingestion keeps them."""
    names = InstitutionNames(store)
    places = ["Arequipa", "Cusco", "Santiago de Chuco", "Alto Amazonas", "Valparaíso", "Puno"]
    offices = ["Gerencia Regional", "Dirección Regional", "Oficina", "Subgerencia", "Consejo"]
    names.add([
        entity(f"{offices[i % 5]} de Desarrollo {'Económico ' * (i % 4)}{i} de {places[i % 6]}")
        for i in range(count)
    ])
    return names


def test_fuzzy_candidates_are_those_of_a_full_comparison(tmp_path) -> None:
    from graph.review import similar_names

    names = _stored_names(SQLiteStore(f"sqlite:///{tmp_path / 'n.db'}"), 600)
    ids, choices = list(names.names), list(names.names.values())
    for query in (choices[3] + "s", choices[150] + "s", choices[421] + "s"):
        everything = [(ids[i], s) for i, s in similar_names(query, choices, limit=3)]
        assert names.similar(query, set(), limit=3) == everything
        assert everything  # near-identical names exist: the comparison is not empty
        excluded = {everything[0][0]}
        rest = [(ids[i], s) for i, s in similar_names(query, choices, limit=4)
                if ids[i] not in excluded]
        assert names.similar(query, excluded, limit=3) == rest[:3]


def test_fuzzy_search_grows_linearly_with_the_stored_names(tmp_path) -> None:
    from tests.growth import assert_linear

    store = SQLiteStore(f"sqlite:///{tmp_path / 'g.db'}")
    queries = [normalize_name(f"Gerencia Regional de Desarrollo Económico {i} de Cusco")
               for i in range(0, 4000, 97)]

    def search(names: InstitutionNames) -> None:
        for query in queries:
            names.similar(query, set())

    assert_linear(lambda n: _stored_names(store, n), search, (2_000, 4_000, 8_000))


_ORDINANCE = (
    "ORDENANZA REGIONAL N° 00{n}-2024-CR\n\nEL CONSEJO REGIONAL DEL GOBIERNO REGIONAL DE "
    "{upper}\n\nArtículo Primero.- ENCARGAR a la Gerencia Regional de Desarrollo Económico "
    "del Gobierno Regional de {place} la implementación del Plan Regional de Exportaciones "
    "{n}, en coordinación con la Sub Gerencia de Promoción Empresarial.\n"
)


def test_a_unit_of_two_regional_governments_is_two_entities(sqlite_store: SQLiteStore) -> None:
    """"Sub Gerencia de Promoción Empresarial" is a unit of each regional government that has
    one ("Gerencia Regional de Desarrollo Económico" is PART_OF 19 of them in ../shared/bulk):
    the units of Puno and Cusco stay two entities, each with its government's place, and
    Puno's named again in another ordinance is the stored one."""
    from loaders.extract.lexicon import default_lexicon
    from tests.fixtures.invented import extract_invented

    lexicon = default_lexicon()
    texts = [_ORDINANCE.format(n=n, upper=place.upper(), place=place)
             for n, place in ((1, "Puno"), (2, "Cusco"), (3, "Puno"))]
    ingest(sqlite_store,
           *(extract_invented(t, lexicon, stem=f"or{i}") for i, t in enumerate(texts)))
    units = [e for e in sqlite_store.entities("Institution")
             if e.name == "Sub Gerencia de Promoción Empresarial"]
    assert sorted(e.territory or "" for e in units) == ["Cusco", "Puno"]
    puno = next(e for e in units if e.territory == "Puno")
    parents = {sqlite_store.get_entities({r.target})[0].name
               for r in sqlite_store.relations() if r.source == puno.id and r.type == "PART_OF"}
    assert parents == {"Gobierno Regional de Puno"}


def test_a_regional_unit_named_alone_is_its_own_regions(sqlite_store: SQLiteStore) -> None:
    """A regional ordinance writes "la Dirección Regional de Educación" for its own region's:
    it is not the "Dirección Regional de Educación de Cusco" another document named, and the
    same unit named again in a later ordinance of its region is the stored one."""
    from loaders.extract.lexicon import default_lexicon
    from tests.fixtures.invented import extract_invented

    lexicon = default_lexicon()
    head = ("ORDENANZA REGIONAL N° 00{n}-2024-CR\n\nEL CONSEJO REGIONAL DEL GOBIERNO "
            "REGIONAL DE {up}\n\n")
    texts = [
        head.format(n=1, up="CUSCO") + "Artículo 1.- La Dirección Regional de Educación de "
        "Cusco y el Gobierno Regional del Cusco informarán.\n",
        head.format(n=2, up="PUNO") + "Artículo 1.- La Dirección Regional de Educación y el "
        "Gobierno Regional de Puno informarán.\n",
        head.format(n=3, up="PUNO") + "Artículo 1.- La Dirección Regional de Educación y el "
        "Gobierno Regional de Puno evaluarán.\n",
    ]
    ingest(sqlite_store,
           *(extract_invented(t, lexicon, stem=f"dre{i}") for i, t in enumerate(texts)))
    units = [e for e in sqlite_store.entities("Institution")
             if e.name.startswith("Dirección Regional de Educación")]
    assert sorted((e.name, e.territory or "") for e in units) == [
        ("Dirección Regional de Educación", "Puno"),
        ("Dirección Regional de Educación de Cusco", "Cusco"),
    ]
