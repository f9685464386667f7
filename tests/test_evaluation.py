"""Extraction evaluation: gold loading and every scoring rule of ../shared/gold/README.md."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from rich.console import Console
from rich.table import Table

from evaluation.gold import GOLD_RELATION_TYPES, GoldDocument, GoldError, load_gold
from evaluation.render import render_tables
from evaluation.scores import (
    LENIENT_TYPES,
    STRICT_TYPES,
    Counts,
    EvaluationReport,
    evaluate,
    evaluate_document,
)
from graph.model import DocumentInfo, Entity, Extraction, Relation, entity_id

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evaluation"
SHARED = Path(os.environ.get("TEJIDO_SHARED")
              or Path(__file__).resolve().parents[1] / ".." / "shared")
REAL_GOLD = SHARED / "gold"
REAL_CORPUS = SHARED / "corpus"


# --------------------------------------------------------------------------- helpers


def gold(entities: list[dict[str, Any]], relations: list[dict[str, Any]] | None = None,
         **sections: Any) -> GoldDocument:
    """A gold document built in the test."""
    return GoldDocument.model_validate(
        {"document": "doc.txt", "entities": entities, "relations": relations or [], **sections})


def ent(eid: str, label: str, name: str, **fields: Any) -> Entity:
    """An extracted entity."""
    return Entity(id=eid, label=label, name=name, **fields)


def rel(source: str, rel_type: str, target: str) -> Relation:
    """An extracted relation."""
    return Relation(source=source, type=rel_type, target=target)


def extraction(entities: list[Entity], relations: list[Relation] | None = None) -> Extraction:
    """An extraction of a fictitious document."""
    info = DocumentInfo(id="0" * 64, title="doc", path="doc.txt", format="txt")
    return Extraction(document=info, entities=entities, relations=relations or [])


def counts(c: Counts) -> tuple[int, int, int]:
    return (c.tp, c.fp, c.fn)


def write_gold(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def extraction_from_gold(g: GoldDocument) -> tuple[Extraction, dict[str, str]]:
    """Convert every gold entity and relation (optional ones too) into model objects.

    Extracted ids are the model's own ids (label + normalised name + country), not the gold
    ids, and entities come in reverse order, so that only names, aliases and codes can
    connect them to the gold. Returns the extraction and the gold id → extracted id map.
    """
    ids = {e.id: entity_id(e.type, e.name, e.country) for e in g.entities}
    assert len(set(ids.values())) == len(ids), "the conversion must not merge gold entities"
    entities = [
        Entity(id=ids[e.id], label=e.type, name=e.name, aliases=list(e.aliases), level=e.level,
               country=e.country, kind=e.kind, code=e.code)
        for e in reversed(g.entities)
    ]
    relations = [Relation(source=ids[r.source], type=r.type, target=ids[r.target])
                 for r in g.relations]
    return extraction(entities, relations), ids


# --------------------------------------------------------------------------- gold loading


def test_real_gold_files_load_with_all_their_entries() -> None:
    paths = sorted(REAL_GOLD.glob("*.yaml"))
    assert len(paths) == 2
    for path in paths:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        loaded = load_gold(path)
        assert loaded.document == raw["document"]
        assert [e.id for e in loaded.entities] == [e["id"] for e in raw["entities"]]
        assert len(loaded.relations) == len(raw["relations"])
        assert len(loaded.duplicates) == len(raw.get("duplicates") or [])
        assert len(loaded.overlaps) == len(raw.get("overlaps") or [])
        assert len(loaded.coordination_gaps) == len(raw.get("coordination_gaps") or [])
        assert [e.optional for e in loaded.entities] == [
            bool(e.get("optional")) for e in raw["entities"]]
    elac = load_gold(REAL_GOLD / "003_d0a5f050c7167afc.yaml")
    activity = elac.entity("elac-4.4")
    assert activity.code == "4.4" and activity.type == "Instrument"
    assert elac.programmes_of("elac-4.4") == {"elac2020"}
    assert {d.strength for d in elac.duplicates} == {"strong", "medium", "weak"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("document: d.txt\nentities:\n- {id: x, type: Organisation, name: X}\n",
         "entities.0.type"),
        ("document: d.txt\nentities:\n- {id: x, type: Institution, name: X, levle: national}\n",
         "levle"),
        ("document: d.txt\nentities:\n- {id: x, type: Institution, name: X}\n"
         "relations:\n- {source: x, type: RESPONSIBLE_FOR, target: y}\n", "unknown entity 'y'"),
        ("document: d.txt\nentities:\n- {id: x, type: Institution, name: X}\n"
         "- {id: x, type: Person, name: Y}\n", "'x' is used twice"),
        ("document: d.txt\nentities:\n- {id: x, type: Instrument, name: X, code: 4.10}\n",
         "quote it"),
        ("document: d.txt\nentities:\n- {id: x, type: Institution, name: X}\n"
         "relations:\n- {source: x, type: COVERS, target: x}\n", "relations.0.type"),
        ("document: ../corpus/d.txt\nentities: []\n", "file name, not a path"),
        ("- just\n- a list\n", "YAML mapping"),
        ("document: d.txt\nentities: [\n", "not valid YAML"),
        ("document: d.txt\nentities:\n- {id: x, type: Institution, name: X}\n"
         "duplicates:\n- {a: x, b: x, strength: strong}\n", "links 'x' to itself"),
    ],
)
def test_bad_gold_files_raise_an_error_naming_the_file_and_problem(
    tmp_path: Path, text: str, problem: str,
) -> None:
    path = write_gold(tmp_path, text)
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_bad_entity_error_names_the_entity_id(tmp_path: Path) -> None:
    path = write_gold(tmp_path, "document: d.txt\nentities:\n"
                                "- {id: ok, type: Person, name: A}\n"
                                "- {id: corfo, type: Institution, name: C, level: federal}\n")
    with pytest.raises(GoldError, match=r"entities\.1\.level \(id 'corfo'\)"):
        load_gold(path)


def test_unreadable_gold_file_is_a_gold_error(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="cannot read"):
        load_gold(tmp_path / "absent.yaml")


# --------------------------------------------------------------------------- entities


def test_names_are_compared_after_normalisation_including_the_leading_article() -> None:
    g = gold([
        {"id": "corfo", "type": "Institution", "name": "La Corporación de Fomento"},
        {"id": "gores", "type": "Institution", "name": "Gobiernos regionales"},
        {"id": "muni", "type": "Institution", "name": "Municipalidad de Ñuñoa"},
    ])
    scores = evaluate_document(g, extraction([
        ent("e1", "Institution", "corporacion de fomento."),
        ent("e2", "Institution", "Los  GOBIERNOS  Regionales"),
        ent("e3", "Institution", "Municipalidad de Nunoa"),
        ent("e4", "Institution", "Gobiernos"),
    ]))
    assert counts(scores.entities["Institution"]) == (3, 1, 0)
    assert [i.name for i in scores.details.entities.false_positives] == ["Gobiernos"]


def test_any_extracted_name_alias_or_acronym_matches_any_gold_name_or_alias() -> None:
    g = gold([
        {"id": "corfo", "type": "Institution", "name": "Corporación de Fomento de la Producción",
         "aliases": ["CORFO"]},
        {"id": "sercotec", "type": "Institution", "name": "Servicio de Cooperación Técnica",
         "aliases": ["SERCOTEC"]},
        {"id": "subdere", "type": "Institution", "name": "Subsecretaría de Desarrollo Regional",
         "aliases": ["SUBDERE"]},
        {"id": "sernatur", "type": "Institution", "name": "Servicio Nacional de Turismo"},
    ])
    scores = evaluate_document(g, extraction([
        ent("e1", "Institution", "Corfo"),                                   # name ↔ alias
        ent("e2", "Institution", "El Servicio", aliases=["Sercotec"]),       # alias ↔ alias
        ent("e3", "Institution", "Subsecretaría", acronym="SUBDERE"),        # acronym ↔ alias
        ent("e4", "Institution", "SERNATUR"),                                # no shared form
    ]))
    assert counts(scores.entities["Institution"]) == (3, 1, 1)
    assert [i.id for i in scores.details.entities.false_negatives] == ["sernatur"]


def test_types_must_agree_and_program_instrument_are_one_type_only_in_lenient_score() -> None:
    g = gold([
        {"id": "fondo", "type": "Instrument", "name": "Fondo de Innovación"},
        {"id": "chile-apoya", "type": "Program", "name": "Chile Apoya"},
        {"id": "t-chile", "type": "Territory", "name": "Chile"},
    ])
    scores = evaluate_document(g, extraction([
        ent("e1", "Program", "Fondo de Innovación"),      # Instrument in the gold
        ent("e2", "Program", "Chile Apoya"),
        ent("e3", "Institution", "Chile"),                # Territory in the gold
    ]))
    assert counts(scores.entities[LENIENT_TYPES[1]]) == (2, 0, 0)
    assert counts(scores.entities["Institution"]) == (0, 1, 0)
    assert counts(scores.entities["Territory"]) == (0, 0, 1)
    assert counts(scores.entities_strict["Program"]) == (1, 1, 0)
    assert counts(scores.entities_strict["Instrument"]) == (0, 0, 1)
    assert [i.name for i in scores.details.entities_strict.false_positives] == [
        "Fondo de Innovación", "Chile"]


def _activity_gold() -> GoldDocument:
    return gold(
        [
            {"id": "elac", "type": "Program", "name": "Agenda Digital", "aliases": ["eLAC2020"]},
            {"id": "a44", "type": "Instrument", "code": "4.4",
             "name": "Identificar barreras del comercio electrónico transfronterizo"},
            {"id": "a91", "type": "Instrument", "code": "9.1",
             "name": "Generar un marco analítico"},
            {"id": "a12", "type": "Instrument", "code": "1.2", "name": "Proponer un marco"},
        ],
        [{"source": s, "type": "PART_OF", "target": "elac", "optional": True}
         for s in ("a44", "a91", "a12")],
    )


def test_an_activity_matches_an_extracted_entity_of_its_programme_with_the_same_code() -> None:
    scores = evaluate_document(_activity_gold(), extraction(
        [
            ent("p", "Program", "eLAC2020"),
            ent("x44", "Instrument", "Actividad sobre comercio electrónico", code="4.4"),
            ent("x91", "Program", "Marco analítico para el comercio digital", code=" 9.1."),
            ent("other", "Program", "Plan Nacional de Datos"),
            ent("x12", "Instrument", "Proponer un marco regulatorio", code="1.2"),
            ent("inst", "Institution", "Grupo de Trabajo 4.4", code="4.4"),
        ],
        [rel("x44", "PART_OF", "p"), rel("x12", "PART_OF", "other")],
    ))
    # x44: same code, placed in the gold programme; x91: same code (Program is the same lenient
    # type), placed in no programme; x12: same code but placed in another programme; the
    # institution carries the code but is not of the activity's type.
    assert counts(scores.entities[LENIENT_TYPES[1]]) == (3, 2, 1)
    assert {i.id for i in scores.details.entities.false_positives} == {"other", "x12", "inst"}
    assert [i.id for i in scores.details.entities.false_negatives] == ["a12"]
    assert counts(scores.entities["Institution"]) == (0, 1, 0)
    # Strict: x91 is a Program, the activity an Instrument.
    assert counts(scores.entities_strict["Instrument"]) == (1, 1, 2)


def test_each_gold_entity_is_matched_once_by_a_maximum_matching() -> None:
    g = gold([
        {"id": "core", "type": "Institution", "name": "Consejo regional",
         "aliases": ["Consejo"]},
        {"id": "consejo", "type": "Institution", "name": "Consejo"},
        {"id": "corfo", "type": "Institution", "name": "CORFO"},
    ])
    # "Consejo" could take either gold entity; taken greedily by the first gold candidate it
    # would leave "Consejo regional" without a partner. The maximum matching finds both.
    scores = evaluate_document(g, extraction([
        ent("e1", "Institution", "Consejo"),
        ent("e2", "Institution", "Consejo Regional"),
        ent("e3", "Institution", "Corfo"),
        ent("e4", "Institution", "C.O.R.F.O"),  # normalises to "c o r f o": no match
        ent("e5", "Institution", "Corporación", aliases=["corfo."]),  # unmerged duplicate
    ]))
    assert counts(scores.entities["Institution"]) == (3, 2, 0)
    assert {i.id for i in scores.details.entities.false_positives} == {"e4", "e5"}


def test_name_to_name_matches_are_preferred_to_alias_matches() -> None:
    g = gold([
        {"id": "minecon", "type": "Institution", "name": "Ministerio de Economía",
         "aliases": ["MINECON"], "level": "national"},
    ])
    for order in ([0, 1], [1, 0]):
        entities = [ent("alias", "Institution", "MINECON", level="regional"),
                    ent("name", "Institution", "Ministerio de Economía", level="national")]
        scores = evaluate_document(g, extraction([entities[i] for i in order]))
        assert counts(scores.entities["Institution"]) == (1, 1, 0)
        assert [i.id for i in scores.details.entities.false_positives] == ["alias"]
        assert scores.levels.correct == 1


def test_optional_entities_are_neither_missed_nor_false_when_found() -> None:
    g = gold([
        {"id": "onu", "type": "Institution", "name": "Naciones Unidas", "aliases": ["ONU"],
         "optional": True},
        {"id": "europa", "type": "Territory", "name": "Europa", "optional": True},
        {"id": "cepal", "type": "Institution", "name": "CEPAL"},
    ])
    scores = evaluate_document(g, extraction([
        ent("e1", "Institution", "ONU"),
        ent("e2", "Institution", "Naciones Unidas"),   # two forms of an optional entity
        ent("e3", "Institution", "Banco Mundial"),
    ]))
    assert counts(scores.entities["Institution"]) == (0, 1, 1)
    assert counts(scores.entities["Territory"]) == (0, 0, 0)
    assert {i.id for i in scores.details.entities.excused} == {"e1", "e2"}
    assert [i.name for i in scores.details.entities.false_positives] == ["Banco Mundial"]
    assert [i.name for i in scores.details.entities.false_negatives] == ["CEPAL"]


def test_matching_keeps_the_entity_an_optional_gold_entity_cannot_excuse() -> None:
    g = gold([
        {"id": "core", "type": "Institution", "name": "Consejo regional"},
        {"id": "consejos", "type": "Institution", "name": "Consejos",
         "aliases": ["Consejo regional"], "optional": True},
    ])
    for names in (["Consejo regional", "consejo regional"],
                  ["consejo regional", "Consejo regional"]):
        # Both forms match the required entity and the optional one: one is the true positive,
        # the other is excused by the optional entity.
        scores = evaluate_document(g, extraction(
            [ent(f"e{i}", "Institution", n) for i, n in enumerate(names)]))
        assert counts(scores.entities["Institution"]) == (1, 0, 0)
    # One extracted form matches the required entity only, the other matches it and the
    # optional one: the first must take the required entity so that neither is false.
    g = gold([
        {"id": "core", "type": "Institution", "name": "Consejo regional", "aliases": ["CORE"]},
        {"id": "consejos", "type": "Institution", "name": "Consejos",
         "aliases": ["Consejo regional"], "optional": True},
    ])
    for order in ([0, 1], [1, 0]):
        entities = [ent("both", "Institution", "Consejo regional"),
                    ent("only", "Institution", "CORE")]
        scores = evaluate_document(g, extraction([entities[i] for i in order]))
        assert counts(scores.entities["Institution"]) == (1, 0, 0)
        assert [i.id for i in scores.details.entities.excused] == ["both"]


def test_entities_of_labels_outside_the_gold_are_not_scored() -> None:
    g = gold([{"id": "cepal", "type": "Institution", "name": "CEPAL"}])
    scores = evaluate_document(g, extraction([
        ent("cepal", "Institution", "CEPAL"),
        ent("level:national", "GovernanceLevel", "Nacional"),
    ]))
    assert counts(scores.entities["Institution"]) == (1, 0, 0)
    assert sum(c.fp for c in scores.entities.values()) == 0
    assert scores.details.unscored_labels == {"GovernanceLevel": 1}


# --------------------------------------------------------------------------- levels


def test_level_accuracy_is_over_matched_gold_institutions_with_a_level() -> None:
    g = gold([
        {"id": "a", "type": "Institution", "name": "Gobierno Regional", "level": "regional"},
        {"id": "b", "type": "Institution", "name": "Municipalidad", "level": "local"},
        {"id": "c", "type": "Institution", "name": "CORFO", "level": "national"},
        {"id": "d", "type": "Institution", "name": "Universidad de Chile"},          # no level
        {"id": "e", "type": "Institution", "name": "SERCOTEC", "level": "national"},  # missed
        {"id": "f", "type": "Instrument", "name": "FNDR", "level": "national"},      # not inst.
    ])
    scores = evaluate_document(g, extraction([
        ent("a", "Institution", "Gobierno Regional", level="regional"),
        ent("b", "Institution", "Municipalidad", level="regional"),
        ent("c", "Institution", "CORFO"),
        ent("d", "Institution", "Universidad de Chile", level="national"),
        ent("f", "Instrument", "FNDR", level="regional"),
    ]))
    assert (scores.levels.matched, scores.levels.correct) == (3, 1)
    assert scores.levels.accuracy == pytest.approx(1 / 3)
    assert {(i.name, i.gold, i.extracted) for i in scores.details.levels} == {
        ("Municipalidad", "local", "regional"), ("CORFO", "national", None)}


# --------------------------------------------------------------------------- relations


def _relation_gold() -> GoldDocument:
    return gold(
        [
            {"id": "minecon", "type": "Institution", "name": "MINECON"},
            {"id": "subdere", "type": "Institution", "name": "SUBDERE"},
            {"id": "corfo", "type": "Institution", "name": "CORFO"},
            {"id": "fondo", "type": "Instrument", "name": "Fondo"},
            {"id": "onu", "type": "Institution", "name": "ONU", "optional": True},
        ],
        [
            {"source": "minecon", "type": "COORDINATES_WITH", "target": "subdere"},
            {"source": "corfo", "type": "RESPONSIBLE_FOR", "target": "fondo"},
            {"source": "subdere", "type": "RESPONSIBLE_FOR", "target": "fondo"},
            {"source": "corfo", "type": "COORDINATES_WITH", "target": "subdere",
             "optional": True},
            {"source": "minecon", "type": "FUNDS", "target": "fondo", "optional": True},
        ],
    )


def _relation_entities() -> list[Entity]:
    return [
        ent("x-minecon", "Institution", "Minecon"),
        ent("x-subdere", "Institution", "Subdere"),
        ent("x-corfo", "Institution", "Corfo"),
        ent("x-fondo", "Program", "Fondo"),
        ent("x-onu", "Institution", "ONU"),
        ent("x-bm", "Institution", "Banco Mundial"),
    ]


def test_relations_match_by_mapped_ends_and_type_with_coordination_undirected() -> None:
    scores = evaluate_document(_relation_gold(), extraction(_relation_entities(), [
        rel("x-subdere", "COORDINATES_WITH", "x-minecon"),   # reversed: still a match
        rel("x-fondo", "RESPONSIBLE_FOR", "x-corfo"),        # reversed: directed, so wrong
        rel("x-subdere", "RESPONSIBLE_FOR", "x-fondo"),
        rel("x-subdere", "FUNDS", "x-fondo"),                # right ends, wrong type
    ]))
    assert counts(scores.relations["COORDINATES_WITH"]) == (1, 0, 0)
    assert counts(scores.relations["RESPONSIBLE_FOR"]) == (1, 1, 1)
    assert counts(scores.relations["FUNDS"]) == (0, 1, 0)
    assert [(r.source, r.target) for r in scores.details.relations.false_negatives] == [
        ("CORFO", "Fondo")]
    assert {(r.type, r.source, r.target) for r in scores.details.relations.false_positives} == {
        ("RESPONSIBLE_FOR", "Fondo", "Corfo"), ("FUNDS", "Subdere", "Fondo")}


def test_optional_relations_are_never_missed_and_never_false_when_found() -> None:
    scores = evaluate_document(_relation_gold(), extraction(_relation_entities(), [
        rel("x-subdere", "COORDINATES_WITH", "x-corfo"),   # optional, reversed
    ]))
    assert counts(scores.relations["COORDINATES_WITH"]) == (0, 0, 1)
    assert counts(scores.relations["FUNDS"]) == (0, 0, 0)
    assert counts(scores.relations["RESPONSIBLE_FOR"]) == (0, 0, 2)


def test_relations_with_unknown_or_optional_ends() -> None:
    scores = evaluate_document(_relation_gold(), extraction(_relation_entities(), [
        rel("x-bm", "COORDINATES_WITH", "x-minecon"),        # end matches nothing: FP
        rel("x-minecon", "COORDINATES_WITH", "not-extracted"),  # dangling end: FP
        rel("x-onu", "COORDINATES_WITH", "x-minecon"),       # end only optional: counts nowhere
        rel("x-corfo", "COORDINATES_WITH", "x-minecon"),     # both ends required, no gold: FP
    ]))
    assert counts(scores.relations["COORDINATES_WITH"]) == (0, 3, 1)
    assert [(r.source, r.target) for r in scores.details.relations.excused] == [
        ("ONU", "Minecon")]


def test_a_fact_is_counted_once_and_survives_an_unmerged_duplicate() -> None:
    entities = [*_relation_entities(), ent("x-corfo-2", "Institution", "CORFO")]
    scores = evaluate_document(_relation_gold(), extraction(entities, [
        rel("x-corfo", "RESPONSIBLE_FOR", "x-fondo"),
        rel("x-corfo-2", "RESPONSIBLE_FOR", "x-fondo"),      # same fact through the duplicate
        rel("x-corfo", "RESPONSIBLE_FOR", "x-fondo"),        # the same relation twice
    ]))
    assert counts(scores.relations["RESPONSIBLE_FOR"]) == (1, 0, 1)
    assert counts(scores.entities["Institution"]) == (3, 2, 0)  # duplicate and Banco Mundial


def test_relation_types_the_gold_does_not_annotate_are_not_scored() -> None:
    scores = evaluate_document(_relation_gold(), extraction(_relation_entities(), [
        rel("x-fondo", "COVERS", "x-bm"), rel("x-corfo", "AT_LEVEL", "x-bm"),
    ]))
    assert sum(c.fp for c in scores.relations.values()) == 0
    assert scores.details.relations.unscored_types == {"COVERS": 1, "AT_LEVEL": 1}


# --------------------------------------------------------------------------- pairs


def _pair_gold() -> GoldDocument:
    return gold(
        [{"id": i, "type": "Instrument", "name": f"Instrumento {i}"} for i in "abcdef"]
        + [{"id": "gores", "type": "Institution", "name": "GORE"},
           {"id": "corfo", "type": "Institution", "name": "CORFO"}],
        duplicates=[
            {"a": "a", "b": "b", "strength": "strong"},
            {"a": "c", "b": "d", "strength": "weak"},
        ],
        overlaps=[{"a": "gores", "b": "corfo"}],
    )


def _pair_extraction() -> Extraction:
    return extraction(
        [ent(f"x{i}", "Instrument", f"Instrumento {i}") for i in "abcdef"]
        + [ent("x-gore", "Institution", "Gore"), ent("x-corfo", "Institution", "Corfo")])


def test_duplicates_recall_within_top_k_overall_and_per_strength() -> None:
    calls: list[tuple[set[str], int]] = []

    def ranking(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, str]]:
        calls.append((set(graph.nodes), k))
        return [("xa", "xc"), ("xe", "xf"), ("xb", "xa"),     # gold a-b, reversed, 3rd
                ("xa", "xd"), ("xb", "xc"), ("xe", "xa"),
                ("xc", "xd")]                                 # gold c-d, but 7th > k = 6
    scores = evaluate_document(_pair_gold(), _pair_extraction(), duplicates=ranking)
    assert calls == [({*(f"x{i}" for i in "abcdef"), "x-gore", "x-corfo"}, 6)]
    assert (scores.duplicates.gold, scores.duplicates.found) == (2, 1)
    assert scores.duplicates.recall_at_k == 0.5
    assert scores.duplicates_by_strength["strong"].recall_at_k == 1.0
    assert scores.duplicates_by_strength["weak"].recall_at_k == 0.0
    assert scores.duplicates_by_strength["medium"].gold == 0
    assert scores.details.duplicates.k == 6
    assert [(m.a, m.b, m.strength) for m in scores.details.duplicates.missed] == [
        ("Instrumento c", "Instrumento d", "weak")]
    # No overlap ranking given: not computed.
    assert scores.overlaps.found is None and scores.overlaps.recall_at_k is None


def test_overlaps_recall_and_rankings_not_called_without_gold_pairs() -> None:
    def overlaps(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, str]]:
        assert k == 3
        return [("x-corfo", "x-gore")]

    def never(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, str]]:
        raise AssertionError("a ranking must not be called without gold pairs")

    scores = evaluate_document(_pair_gold(), _pair_extraction(), overlaps=overlaps)
    assert (scores.overlaps.gold, scores.overlaps.found, scores.overlaps.recall_at_k) == (1, 1, 1.0)
    no_pairs = gold([{"id": "a", "type": "Instrument", "name": "A"}])
    empty = evaluate_document(no_pairs, extraction([]), duplicates=never, overlaps=never)
    assert (empty.duplicates.gold, empty.duplicates.found, empty.duplicates.recall_at_k) == (
        0, 0, 1.0)


# --------------------------------------------------------------------------- ratios and shape


def test_zero_denominators_follow_the_documented_convention() -> None:
    assert (Counts().precision, Counts().recall, Counts().f1) == (1.0, 1.0, 1.0)
    nothing_found = Counts(fn=2)
    assert (nothing_found.precision, nothing_found.recall, nothing_found.f1) == (0.0, 0.0, 0.0)
    nothing_to_find = Counts(fp=3)
    assert (nothing_to_find.precision, nothing_to_find.recall) == (0.0, 0.0)
    c = Counts(tp=2, fp=1, fn=3)
    assert (c.precision, c.recall) == pytest.approx((2 / 3, 2 / 5))
    assert c.f1 == pytest.approx(2 * (2 / 3) * (2 / 5) / (2 / 3 + 2 / 5))


def _fixture_extractions() -> dict[str, Extraction]:
    """Hand-made extractions of the two fixture documents (see the expected numbers below)."""
    a = extraction(
        [ent("a1", "Institution", "CORFO", level="national"),
         ent("a2", "Instrument", "Fondo de Innovación Regional")],
        [rel("a1", "RESPONSIBLE_FOR", "a2")],
    )
    b = extraction(
        [ent("b1", "Institution", "Gobiernos Regionales", level="regional"),
         ent("b2", "Institution", "Ministerio de Economía", level="regional"),
         ent("b3", "Institution", "SUBDERE", level="national"),
         ent("b4", "Institution", "Banco Central"),
         ent("b5", "Institution", "Contraloría"),
         ent("b6", "Institution", "Congreso")],
        [rel("b3", "COORDINATES_WITH", "b2"), rel("b4", "COORDINATES_WITH", "b3")],
    )
    return {"a.txt": a, "b.txt": b}


def _fixture_report() -> EvaluationReport:
    prepared = _fixture_extractions()
    seen: list[str] = []

    def extract(path: Path) -> Extraction:
        assert path.is_file()
        seen.append(path.name)
        return prepared[path.name]

    report = evaluate(FIXTURES / "gold", FIXTURES / "corpus", extract)
    assert seen == ["a.txt", "b.txt"]
    return report


def test_evaluate_micro_averages_over_documents_and_reports_missing_ones() -> None:
    report = _fixture_report()
    assert list(report.documents) == ["a.txt", "b.txt"]
    assert [(m.gold, Path(m.document).name) for m in report.missing] == [("c.yml", "c.txt")]
    a, b, overall = report.documents["a.txt"], report.documents["b.txt"], report.overall
    assert counts(a.entities["Institution"]) == (1, 0, 1)
    assert counts(b.entities["Institution"]) == (3, 3, 0)
    assert counts(overall.entities["Institution"]) == (4, 3, 1)
    # Micro: 4 / 7 and 4 / 5, not the mean of the per-document ratios (1.0 and 0.5).
    assert overall.entities["Institution"].precision == pytest.approx(4 / 7)
    assert overall.entities["Institution"].recall == pytest.approx(4 / 5)
    assert overall.entities["Institution"].f1 == pytest.approx(2 / 3)
    assert (overall.levels.matched, overall.levels.correct) == (4, 3)
    assert counts(overall.relations["RESPONSIBLE_FOR"]) == (1, 0, 0)
    assert counts(overall.relations["COORDINATES_WITH"]) == (1, 1, 1)
    assert (overall.overlaps.gold, overall.overlaps.found) == (1, None)


def test_json_has_exactly_the_shape_other_tools_read() -> None:
    data = _fixture_report().to_json()
    assert set(data) == {"overall", "macro", "documents"}
    assert set(data["documents"]) == {"a.txt", "b.txt"}
    score_keys = {"entities", "entities_strict", "levels", "relations", "duplicates", "overlaps"}
    counts_keys = {"tp", "fp", "fn", "precision", "recall", "f1"}
    for section in [data["overall"], *data["documents"].values()]:
        assert set(section) - {"details"} == score_keys
        assert set(section["entities"]) == {
            "Institution", "Program+Instrument", "Territory", "Person"}
        assert set(section["entities_strict"]) == {
            "Institution", "Instrument", "Program", "Territory", "Person"}
        assert set(section["relations"]) == {
            "RESPONSIBLE_FOR", "CO_RESPONSIBLE_FOR", "PART_OF", "PARTICIPATES_IN",
            "COORDINATES_WITH", "AFFILIATED_WITH", "OPERATES_IN", "FUNDS"}
        for group in ("entities", "entities_strict", "relations"):
            assert all(set(v) == counts_keys for v in section[group].values())
        assert set(section["levels"]) == {"matched", "correct", "accuracy"}
        assert set(section["duplicates"]) == set(section["overlaps"]) == {
            "gold", "found", "recall_at_k"}
    assert "details" not in data["overall"]
    details = data["documents"]["b.txt"]["details"]
    assert [i["name"] for i in details["entities"]["false_positives"]] == [
        "Banco Central", "Contraloría", "Congreso"]
    assert details["relations"]["false_negatives"] == [
        {"type": "COORDINATES_WITH", "source": "Gobiernos regionales",
         "target": "Subsecretaría de Desarrollo Regional y Administrativo"}]
    assert details["levels"] == [
        {"name": "Ministerio de Economía", "gold": "national", "extracted": "regional"}]


def test_macro_averages_are_means_over_the_documents_that_count_the_measure() -> None:
    report = _fixture_report()
    a, b = report.documents["a.txt"], report.documents["b.txt"]
    macro = report.macro
    institutions = macro.entities["Institution"]
    # Macro: the mean of the per-document ratios, not the ratio of the summed counts.
    assert institutions.documents == 2
    assert institutions.precision == pytest.approx(
        (a.entities["Institution"].precision + b.entities["Institution"].precision) / 2)
    assert institutions.recall == pytest.approx(
        (a.entities["Institution"].recall + b.entities["Institution"].recall) / 2)
    assert institutions.f1 == pytest.approx(
        (a.entities["Institution"].f1 + b.entities["Institution"].f1) / 2)
    assert institutions.precision != pytest.approx(report.overall.entities["Institution"].precision)
    # a type no document counts has no macro average instead of a 1.0 by convention
    for t, counts_of_type in report.overall.entities.items():
        counted = [d for d in (a, b) if sum(counts(d.entities[t]))]
        assert macro.entities[t].documents == len(counted)
        if not counted:
            assert counts_of_type.tp + counts_of_type.fp + counts_of_type.fn == 0
            assert macro.entities[t].f1 is None
    levels = [d.levels.accuracy for d in (a, b) if d.levels.matched]
    assert macro.levels.value == pytest.approx(sum(levels) / len(levels))
    # overlaps were not ranked: no recall to average
    assert macro.overlaps.value is None
    data = report.to_json()["macro"]
    assert data["entities"]["Institution"]["f1"] == pytest.approx(institutions.f1)
    assert data["levels"] == {"documents": len(levels), "accuracy": macro.levels.value}


def _rendered(report: EvaluationReport, width: int) -> str:
    console = Console(record=True, width=width)
    for table in render_tables(report):
        assert isinstance(table, Table)
        console.print(table)
    return console.export_text()


@pytest.mark.parametrize("width", [80, 120])
def test_rendered_tables_fit_the_terminal_and_cut_nothing(width: int) -> None:
    report = _fixture_report()
    text = _rendered(report, width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    for expected in ("Institution", "COORDINATES_WITH", "mF1", "a.txt", "b.txt", "c.txt",
                     f"{report.overall.entities['Institution'].f1:.2f}",
                     f"{report.macro.entities['Institution'].f1:.2f}"):
        assert expected in text
    # per document: the F1 of each document appears on its own row
    for name, doc in report.documents.items():
        row = next(line for line in text.splitlines() if line.strip().startswith(name)
                   and "." in line.replace(name, ""))
        assert f"{doc.entities['Institution'].f1:.2f}" in row


def test_rendered_tables_fit_80_columns_on_the_shared_gold() -> None:
    golds = {load_gold(p).document: load_gold(p) for p in sorted(REAL_GOLD.glob("*.yaml"))}
    report = evaluate(REAL_GOLD, REAL_CORPUS,
                      lambda path: extraction_from_gold(golds[path.name])[0])
    text = _rendered(report, 80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text


def test_evaluate_refuses_bad_gold_directories(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="does not exist"):
        evaluate(tmp_path / "absent", tmp_path, lambda p: extraction([]))
    with pytest.raises(GoldError, match="no gold files"):
        evaluate(tmp_path, tmp_path, lambda p: extraction([]))
    for name in ("one.yaml", "two.yaml"):
        write_gold(tmp_path, "document: d.txt\nentities: []\n", name)
    already = re.escape("two.yaml: document 'd.txt' is already annotated by one.yaml")
    with pytest.raises(GoldError, match=already):
        evaluate(tmp_path, tmp_path, lambda p: extraction([]))


# --------------------------------------------------------------------------- real gold


@pytest.mark.parametrize("name", ["001_b9e6bfaa19d1d82b.yaml", "003_d0a5f050c7167afc.yaml"])
def test_a_perfect_extraction_of_a_real_gold_file_scores_one_everywhere(name: str) -> None:
    g = load_gold(REAL_GOLD / name)
    perfect, ids = extraction_from_gold(g)

    def ranking(pairs: list[tuple[str, str]]):
        def rank(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, str]]:
            assert k == 3 * len(pairs)
            return [(ids[b], ids[a]) for a, b in pairs]
        return rank

    scores = evaluate_document(
        g, perfect,
        duplicates=ranking([(p.a, p.b) for p in g.duplicates]),
        overlaps=ranking([(p.a, p.b) for p in g.overlaps]),
    )
    required = [e for e in g.entities if not e.optional]
    for section, types in ((scores.entities, LENIENT_TYPES), (scores.entities_strict,
                                                               STRICT_TYPES)):
        assert sum(section[t].tp for t in types) == len(required)
        for t in types:
            assert (section[t].fp, section[t].fn) == (0, 0)
            assert (section[t].precision, section[t].recall, section[t].f1) == (1.0, 1.0, 1.0)
    assert {i.id for i in scores.details.entities.excused} == {
        ids[e.id] for e in g.entities if e.optional}
    assert scores.levels.matched == sum(
        1 for e in required if e.type == "Institution" and e.level)
    assert scores.levels.accuracy == 1.0
    for t in GOLD_RELATION_TYPES:
        expected = sum(1 for r in g.relations if r.type == t and not r.optional)
        assert counts(scores.relations[t]) == (expected, 0, 0)
    assert scores.duplicates.found == len(g.duplicates)
    assert scores.overlaps.found == len(g.overlaps)
    assert scores.duplicates.recall_at_k == scores.overlaps.recall_at_k == 1.0


def test_activities_are_found_by_code_alone_in_the_real_programme_table() -> None:
    g = load_gold(REAL_GOLD / "003_d0a5f050c7167afc.yaml")
    activities = [e for e in g.entities if e.code]
    found = extraction(
        [Entity(id="prog", label="Program", name="eLAC2020")]
        + [Entity(id=f"act-{e.code}", label="Instrument", name=f"Actividad {e.code}",
                  code=e.code) for e in activities],
        [Relation(source=f"act-{e.code}", type="PART_OF", target="prog") for e in activities],
    )
    scores = evaluate_document(g, found)
    instruments = scores.entities_strict["Instrument"]
    assert (instruments.tp, instruments.fp) == (len(activities), 0)
    assert scores.entities_strict["Program"].tp == 1
    # Their PART_OF relations are all optional in the gold: neither found nor false.
    assert counts(scores.relations["PART_OF"]) == (0, 0, 0)


def test_evaluate_over_the_shared_gold_and_corpus() -> None:
    golds = {load_gold(p).document: load_gold(p) for p in sorted(REAL_GOLD.glob("*.yaml"))}

    def extract(path: Path) -> Extraction:
        assert path.parent == REAL_CORPUS
        return extraction_from_gold(golds[path.name])[0]

    report = evaluate(REAL_GOLD, REAL_CORPUS, extract)
    assert report.missing == []
    assert set(report.documents) == set(golds)
    overall = report.to_json()["overall"]
    for group in ("entities", "entities_strict", "relations"):
        for values in overall[group].values():
            assert (values["fp"], values["fn"]) == (0, 0)
            assert values["f1"] == 1.0
    assert overall["levels"]["accuracy"] == 1.0
