"""Facet vocabularies: loading, extension, keyword assignment and catalogue cell mapping."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from graph.facets import (
    FACETS,
    Facets,
    VocabularyError,
    assign_facets,
    default_vocabularies,
    load_vocabularies,
    map_values,
)

REQUIRED_IDS = {
    "themes": {
        "innovation", "entrepreneurship", "sme_development", "exports_internationalisation",
        "finance", "training_skills", "associativity_clusters", "tourism", "agriculture",
        "fisheries", "digital_transformation", "e_government", "open_data", "cybersecurity",
        "e_commerce", "gender", "sustainability", "decentralisation", "infrastructure",
        "employment", "quality", "international_cooperation", "disaster_risk",
        "regional_integration", "social_protection", "health", "education", "housing",
        "food_security", "culture", "telecommunications", "productive_development",
    },
    "target_groups": {
        "micro_small_firms", "smes", "entrepreneurs", "farmers", "fishers", "cooperatives",
        "women", "young_people", "children", "older_people", "indigenous_communities",
        "people_with_disabilities", "exporters", "municipalities", "regional_governments",
        "public_officials", "universities_research_centres", "students", "teachers",
        "low_income_households", "workers",
    },
    "support_types": {
        "grant", "loan", "guarantee", "tax_incentive", "training", "technical_assistance",
        "study_research", "dialogue_forum_event", "network_platform", "regulation_law",
        "plan_strategy", "infrastructure", "information_service", "cash_transfer",
        "in_kind_transfer", "service_provision",
    },
}


@pytest.mark.parametrize("facet", FACETS)
def test_shipped_vocabulary_has_the_required_values_each_labelled_with_keywords(facet: str):
    values = default_vocabularies().values(facet)
    ids = [v.id for v in values]
    assert REQUIRED_IDS[facet] <= set(ids)
    assert len(ids) == len(set(ids))
    for value in values:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", value.id)
        assert value.label.strip()
        assert value.keywords, f"{facet}.{value.id} has no keywords"


def test_plural_feminine_accent_and_case_variants_match_singular_keywords():
    facets = assign_facets("Apoyo a MUJERES emprendedoras y PyMEs exportadoras de la región")
    assert {"women", "entrepreneurs", "smes", "exporters"} <= set(facets.target_groups)
    assert {"sme_development", "exports_internationalisation"} <= set(facets.themes)
    assert "training" in assign_facets("Capacitaciones y talleres").support_types
    assert "young_people" in assign_facets("para jovenes").target_groups


def test_keywords_match_whole_words_and_whole_phrases_only():
    assert "fisheries" not in assign_facets("Venta de pescado frito").themes
    assert "regulation_law" not in assign_facets("Una leyenda local").support_types
    assert "e_government" in assign_facets("Estrategia de gobierno electrónico").themes
    assert "e_government" not in assign_facets("gobierno regional y comercio electrónico").themes


def test_overlapping_keywords_add_up_and_results_are_sorted():
    facets = assign_facets("Capacitación para el trabajo")
    assert {"employment", "training_skills"} <= set(facets.themes)
    for facet in FACETS:
        assert getattr(facets, facet) == sorted(getattr(facets, facet))


def test_several_texts_are_matched_separately_and_none_is_ignored():
    joined = assign_facets("programa de gobierno", "electrónico")
    assert "e_government" not in joined.themes
    assert assign_facets(None, "", "Programa de vivienda").themes == ["housing"]
    assert assign_facets(None) == Facets()


def test_facets_union_merges_and_sorts_each_facet():
    left = Facets(themes=["tourism", "health"], target_groups=["women"])
    right = Facets(themes=["health", "culture"], support_types=["grant"])
    assert left.union(right) == Facets(
        themes=["culture", "health", "tourism"], target_groups=["women"], support_types=["grant"]
    )


def test_map_values_splits_cells_and_maps_each_part():
    assert map_values("support_types", "Apoyo económico; Capacitación") == [
        "cash_transfer", "training",
    ]
    assert map_values("target_groups", "Personas Adultas | Personas Adultas Mayores") == [
        "older_people",
    ]
    assert map_values("target_groups", "Productores agrícolas, pesqueros") == [
        "farmers", "fishers",
    ]


def test_catalog_values_map_whole_cells_but_are_not_free_text_keywords():
    assert map_values("themes", "Trabajo") == ["employment"]
    assert "employment" not in assign_facets("mesa de trabajo").themes
    assert map_values("target_groups", "Toda la Población") == ["general_population"]


def test_map_values_accepts_ids_and_labels_and_rejects_unknown_facets():
    assert map_values("themes", "sme_development") == ["sme_development"]
    assert map_values("support_types", "Garantía") == ["guarantee"]
    assert map_values("themes", "") == []
    assert map_values("themes", None) == []
    with pytest.raises(ValueError, match="unknown facet 'colours'"):
        map_values("colours", "rojo")


def test_user_file_extends_a_shipped_value_and_adds_a_new_one(tmp_path: Path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "themes:\n"
        "  - id: tourism\n"
        "    keywords: [enoturismo]\n"
        "  - id: mining\n"
        "    label: Minería\n"
        "    keywords: [minería, minero]\n"
        "target_groups:\n"
        "  - id: miners\n"
        "    label: Mineros\n"
        "    keywords: [minero]\n"
        "    catalog_values: [Gente de la mina]\n",
        encoding="utf-8",
    )
    vocabularies = load_vocabularies([extra])
    facets = assign_facets("Ruta de enoturismo para mineras", vocabularies=vocabularies)
    assert facets.themes == ["mining", "tourism"]
    assert facets.target_groups == ["miners"]
    assert map_values("target_groups", "Gente de la mina", vocabularies) == ["miners"]
    assert vocabularies.label("themes", "tourism") == "Turismo"
    shipped_tourism = next(v for v in default_vocabularies().values("themes") if v.id == "tourism")
    assert "enoturismo" not in shipped_tourism.keywords


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("themes: [unclosed", "invalid YAML"),
        ("- just a list", "expected a mapping of facet names"),
        ("colours:\n  - id: red\n    label: Rojo\n", "unknown facet 'colours'"),
        ("themes:\n  - id: Bad Id\n    label: Malo\n", "id must be snake_case"),
        ("themes:\n  - id: brand_new\n    keywords: [x]\n", "new value 'brand_new' needs a label"),
        ("themes:\n  - id: health\n    keywords: [no]\n", "quote False"),
        ("themes:\n  - id: health\n    synonyms: [x]\n", "unknown keys synonyms"),
    ],
)
def test_bad_vocabulary_files_raise_errors_naming_the_file(
    tmp_path: Path, content: str, problem: str
):
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError) as caught:
        load_vocabularies([path])
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_vocabulary_file_names_the_file(tmp_path: Path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(VocabularyError, match=r"nowhere\.yaml: cannot read"):
        load_vocabularies([missing])


def test_one_hundred_thousand_short_texts_are_all_assigned():
    vocabulary_text = (
        "programa apoyo fondo para de la las los y a región municipal estatal nacional "
        "mujeres jóvenes pymes exportadoras cooperativas agricultores pescadores crédito "
        "subsidio capacitación asistencia técnica innovación turismo salud vivienda empleo "
        "infraestructura becas estudiantes digital banda ancha género sostenible"
    )
    words = vocabulary_text.split()
    generator = random.Random(7)
    texts = [
        " ".join(generator.choices(words, k=12)) + f" {generator.randrange(10**6)}"
        for _ in range(100_000)
    ]
    vocabularies = default_vocabularies()
    results = [vocabularies.assign(text) for text in texts]
    pymes = [r for t, r in zip(texts, results, strict=True) if " pymes " in f" {t} "]
    assert pymes and all("smes" in r.target_groups for r in pymes)
