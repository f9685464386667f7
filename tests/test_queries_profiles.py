"""Per-graph indexes of the queries: text vectors, territories, facet tables, caching.

Also home of :class:`GraphBuilder`, the small hand-built graphs the query tests use.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from graph.model import Entity, Evidence, Relation
from graph.projection import project
from queries import profiles
from queries.profiles import (
    char_ngrams,
    clear_cache,
    content_words,
    fold,
    graph_index,
    institution_table,
    instrument_table,
    territory_index,
    territory_overlap,
    territory_overlap_names,
    text_matrix,
    texts_content_words,
    with_prefixes,
    words_matrix,
)


class GraphBuilder:
    """Entities and relations for a test graph; every relation gets one evidence entry."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.relations: list[Relation] = []

    def add(self, label: str, node_id: str, name: str | None = None, **fields: object) -> str:
        self.entities[node_id] = Entity(id=node_id, label=label, name=name or node_id, **fields)
        return node_id

    def institution(self, node_id: str, level: str | None = None, **fields: object) -> str:
        return self.add("Institution", node_id, level=level, **fields)

    def instrument(self, node_id: str, objective: str = "", **fields: object) -> str:
        return self.add("Instrument", node_id, objective=objective, **fields)

    def territory(
        self, node_id: str, kind: str, country: str | None = "CL", **fields: object
    ) -> str:
        return self.add("Territory", node_id, kind=kind, country=country, **fields)

    def relate(
        self, source: str, rel_type: str, target: str, quote: str | None = None, **props: object
    ) -> None:
        quote = quote or f"{source} {rel_type} {target}"
        start = 100 * len(self.relations)
        evidence = Evidence(
            passage_id=f"doc:{start}-{start + len(quote)}",
            document_id="doc",
            start=start,
            end=start + len(quote),
            quote=quote,
            extractor="test",
        )
        self.relations.append(
            Relation(
                source=source, type=rel_type, target=target, properties=props, evidence=[evidence]
            )
        )

    def graph(self):
        return project(self.entities.values(), self.relations)


# --------------------------------------------------------------------------- text


def test_fold_and_content_words_drop_accents_case_and_function_words() -> None:
    assert fold("Educación Básica ÑANDÚ") == "educacion basica nandu"
    assert content_words("La Promoción de las PyMEs y el Desarrollo, en la región.") == [
        "promocion",
        "pymes",
        "desarrollo",
        "region",
    ]
    assert content_words("Adultos mayores") == ["adultos", "mayores"]
    # a number tells instruments apart, one digit long too; a single letter says nothing
    assert content_words("Decreto con fuerza de ley N° 1, letra b") == [
        "decreto", "fuerza", "ley", "1", "letra",
    ]


def test_texts_content_words_reads_each_text_as_content_words_does() -> None:
    texts = [
        "La Promoción de las PyMEs y el Desarrollo, en la región.",
        "Promoción\tde\nPyMEs\u00a0región   y  promoción",  # tab, newline, no-break space
        "Marca™ registrada: ½ apoyo (niñas/niños)",
        "uno\u2028dos y tres\x85cuatro \u1680 cinco",  # spaces that fold to nothing join words
        "",
        "   ",
    ]
    assert texts_content_words(texts) == [content_words(t) for t in texts]
    assert texts_content_words(texts)[3][0] == "unodos"


def test_char_ngrams_are_padded_word_ngrams_of_three_to_five() -> None:
    assert char_ngrams("sol") == [" so", "sol", "ol ", " sol", "sol ", " sol "]


def test_tfidf_cosines_match_scikit_learn_word_and_char_wb_vectorizers() -> None:
    texts = [
        "Fomentar la exportación de pequeñas y medianas empresas",
        "Fomento a las exportaciones de las pymes de la región del Biobío",
        "Becas para estudiantes de educación superior",
        "Otorgar becas a estudiantes y jóvenes",
        "",
    ]
    mine = text_matrix(texts).matrix
    cosine = (mine @ mine.T).toarray()
    joined = [" ".join(content_words(t)) for t in texts]
    words = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(joined)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False
    ).fit_transform(joined)
    expected = 0.5 * (words @ words.T).toarray() + 0.5 * (chars @ chars.T).toarray()
    np.testing.assert_allclose(cosine, expected, atol=1e-12)
    assert cosine[4].sum() == 0.0


def test_words_opening_with_a_prefix_of_field_also_count_as_that_prefix() -> None:
    rows = [["talleres", "ciberseguridad"], ["combate", "ciberdelincuencia", "microempresas"],
            ["comercio", "electronico", "autoridad", "ciber"]]
    assert with_prefixes(rows) == [
        ["talleres", "ciberseguridad", "ciber"],
        ["combate", "ciberdelincuencia", "microempresas", "ciber", "micro"],
        # electro- leaves four letters; auto- is no prefix of field; a bare prefix adds nothing
        ["comercio", "electronico", "autoridad", "ciber"],
    ]
    text = words_matrix([*with_prefixes(rows[:2]), ["becas"]])
    assert "ciber" in text.shared_terms(0, 1)


def test_a_squared_idf_weighs_a_rare_shared_word_more_against_a_common_one() -> None:
    rows = [["apoyo", "pesca", "artesanal"], ["apoyo", "pesca", "ribereña"],
            ["apoyo", "becas"], ["apoyo", "vivienda"], ["apoyo", "salud"]]

    def cosine(power: float, i: int, j: int) -> float:
        matrix = words_matrix(rows, char_ngrams_too=False, idf_power=power).matrix
        return float((matrix[i] @ matrix[j].T).toarray()[0, 0])

    assert words_matrix(rows, idf_power=1.0).matrix.toarray() == pytest.approx(
        words_matrix(rows).matrix.toarray()
    )
    # sharing "pesca" (two rows) against sharing only "apoyo" (every row)
    assert cosine(2.0, 0, 1) / cosine(2.0, 2, 3) > cosine(1.0, 0, 1) / cosine(1.0, 2, 3)
    assert cosine(2.0, 2, 3) < cosine(1.0, 2, 3)


def test_text_matrix_orders_columns_commonest_first_and_names_shared_terms() -> None:
    text = text_matrix(["becas estudiantes", "becas jovenes", "becas estudiantes rurales"])
    assert list(text.document_frequency) == sorted(text.document_frequency, reverse=True)
    assert text.shared_terms(0, 2) == ["estudiantes", "becas"]


# --------------------------------------------------------------------------- territories


def _chile() -> GraphBuilder:
    b = GraphBuilder()
    b.territory("terr:chile", "country", name="Chile")
    b.territory("terr:biobio", "region", name="Región del Biobío")
    b.territory("terr:concepcion", "commune", name="Concepción")
    b.territory("terr:maule", "region", name="Región del Maule")  # no PART_OF: inside by country
    b.relate("terr:biobio", "PART_OF", "terr:chile")
    b.relate("terr:concepcion", "PART_OF", "terr:biobio")
    return b


def test_territory_closure_follows_part_of_and_the_country_of_loose_regions() -> None:
    index = territory_index(_chile().graph())
    assert index.closure("terr:concepcion") == {"terr:concepcion", "terr:biobio", "terr:chile"}
    assert index.closure("terr:maule") == {"terr:maule", "terr:chile"}
    assert index.country_territory("cl") == "terr:chile"
    assert index.country_territory("Chile") == "terr:chile"


def test_territory_overlap_counts_containment_and_not_siblings() -> None:
    index = territory_index(_chile().graph())
    assert territory_overlap({"terr:concepcion"}, {"terr:chile"}, index) == ["terr:concepcion"]
    assert territory_overlap({"terr:chile"}, {"terr:maule", "terr:biobio"}, index) == [
        "terr:biobio",
        "terr:maule",
    ]
    assert territory_overlap({"terr:biobio"}, {"terr:biobio"}, index) == ["terr:biobio"]
    assert territory_overlap({"terr:biobio"}, {"terr:maule"}, index) == []
    assert territory_overlap(set(), {"terr:maule"}, index) == []


def test_territory_overlap_names_are_the_meeting_places_by_name() -> None:
    index = territory_index(_chile().graph())
    assert territory_overlap_names({"terr:chile"}, {"terr:maule", "terr:concepcion"}, index) == [
        "Concepción",
        "Región del Maule",
    ]
    assert territory_overlap_names({"terr:biobio"}, {"terr:maule"}, index) == []


def test_described_filters_state_every_pair_filter() -> None:
    @dataclass(frozen=True)
    class Filters:
        min_score: float
        level_pair: tuple[str, str] | None
        country: str | None
        theme: str | None
        territory: str | None

    described = profiles.described_filters(
        Filters(0.3, ("national", "local"), "CL", "tourism", "Valparaíso")
    )
    assert described == {
        "min_score": 0.3,
        "level_pair": ["national", "local"],
        "country": "CL",
        "theme": "tourism",
        "territory": "Valparaíso",
    }
    assert profiles.described_filters(Filters(0.0, None, None, None, None))["level_pair"] is None


def test_unknown_place_names_become_places_inside_their_country() -> None:
    b = _chile()
    b.institution("inst:gore", "regional", country="CL")
    b.instrument("instr:fondo", "Fondo regional", level="regional", country="CL", territory="Ñuble")
    b.relate("inst:gore", "RESPONSIBLE_FOR", "instr:fondo")
    g = b.graph()
    table = instrument_table(g)
    (place,) = table.territories[table.position["instr:fondo"]]
    assert place == "place:nuble"
    assert "terr:chile" in territory_index(g).closure(place)


# --------------------------------------------------------------------------- facet tables


def _programmes() -> GraphBuilder:
    b = _chile()
    b.institution("inst:corfo", "national", country="CL", objective="Fomento productivo")
    b.institution("inst:gore", "regional", country="CL")
    b.institution("inst:banco", "national", country="CL")
    b.relate("inst:gore", "OPERATES_IN", "terr:biobio")
    b.instrument(
        "instr:a",
        "Subsidios a pymes",
        level="national",
        themes=["innovation"],
        target_groups=["smes"],
        support_types=["grant"],
    )
    b.instrument(
        "instr:b",
        "Crédito para pymes",
        level="regional",
        themes=["finance"],
        target_groups=["smes", "exporters"],
    )
    b.relate("inst:corfo", "RESPONSIBLE_FOR", "instr:a")
    b.relate("inst:gore", "RESPONSIBLE_FOR", "instr:b")
    b.relate("inst:banco", "FUNDS", "instr:b")
    b.relate("instr:a", "COVERS", "terr:concepcion")
    return b


def test_instrument_table_reads_facets_owners_and_territory_fallbacks() -> None:
    g = _programmes().graph()
    table = instrument_table(g)
    a, b = table.position["instr:a"], table.position["instr:b"]
    assert table.responsible[b] == ("inst:banco", "inst:gore")
    assert table.facets["target_groups"][b] == {"smes", "exporters"}
    assert table.territories[a] == {"terr:concepcion"}
    # No COVERS and no territory field: where its responsible institutions operate.
    assert table.territories[b] == {"terr:biobio"}
    assert table.levels[b] == {"regional"}


def test_institutions_inherit_instrument_facets_levels_territories_and_names() -> None:
    g = _programmes().graph()
    table = institution_table(g)
    banco = table.position["inst:banco"]
    assert table.facets["themes"][banco] == {"finance": 1}
    assert table.facets["levels"][banco] == {"regional": 1}
    assert table.territories[banco] == {"terr:chile"}  # national, nothing else known: its country
    gore = table.position["inst:gore"]
    assert table.facets["target_groups"][gore] == {"smes": 1, "exporters": 1}
    assert table.territories[gore] == {"terr:biobio"}
    corfo = table.position["inst:corfo"]
    assert table.territories[corfo] == {"terr:concepcion"}
    assert "Fomento productivo" in table.texts[corfo] and "instr:a" in table.texts[corfo]


# --------------------------------------------------------------------------- cache


def test_indexes_are_built_once_per_graph_until_it_changes() -> None:
    g = _programmes().graph()
    calls: list[int] = []

    def build() -> int:
        calls.append(1)
        return len(calls)

    assert graph_index(g, "probe", build) == 1
    assert graph_index(g, "probe", build) == 1
    g.graph["revision"] = 2
    assert graph_index(g, "probe", build) == 2
    clear_cache(g)
    assert graph_index(g, "probe", build) == 3
    other = _programmes().graph()
    assert graph_index(other, "probe", build) == 4


def test_one_build_per_key_and_other_keys_do_not_wait() -> None:
    g = _programmes().graph()
    inside, other_done, release = threading.Event(), threading.Event(), threading.Event()
    got: list[str] = []

    def slow() -> str:
        inside.set()
        assert release.wait(5)
        return "first"

    first = threading.Thread(target=lambda: got.append(graph_index(g, "slow", slow)))
    first.start()
    assert inside.wait(5)
    # Another key is built while the slow one is still building.
    assert graph_index(g, "quick", lambda: (other_done.set(), "quick")[1]) == "quick"
    second = threading.Thread(target=lambda: got.append(graph_index(g, "slow", lambda: "again")))
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert got == ["first", "first"]  # the waiting caller got the first build's value


def test_remembered_answers_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profiles, "MAX_CACHED_RESULTS", 2)
    g = _programmes().graph()
    for key in range(3):
        profiles.remembered(g, key, lambda key=key: key)
    calls: list[int] = []
    assert profiles.remembered(g, 0, lambda: calls.append(1) or 0) == 0
    assert calls == [1]


def test_the_collector_is_paused_while_indexes_build_and_resumes_after() -> None:
    graph = project([], [])
    seen: list[tuple[str, bool]] = []

    def inner() -> int:
        seen.append(("inner", gc.isenabled()))
        return 1

    def outer() -> int:
        seen.append(("outer", gc.isenabled()))
        graph_index(graph, "inner", inner)
        seen.append(("after inner", gc.isenabled()))
        return 2

    assert gc.isenabled()
    assert graph_index(graph, "outer", outer) == 2
    assert seen == [("outer", False), ("inner", False), ("after inner", False)]
    assert gc.isenabled()
    gc.disable()
    try:
        graph_index(graph, "third", lambda: 3)
        assert not gc.isenabled()  # off before the build: stays off
    finally:
        gc.enable()
