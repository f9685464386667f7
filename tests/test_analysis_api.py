"""The analysis API over HTTP, on a store whose ties, overlaps and duplicates are known by
construction (tests/fixtures/explorer/dataset.py): answers, filters, CSV, validation,
determinism and the per-revision cache.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.analysis_csv import defuse, safe_csv
from app.main import create_app
from app.services.analyses import scoped_level_matrix
from app.services.cache import ResultCache
from app.services.filters import (
    AnalysisFilters,
    FilterError,
    parse_country,
    parse_filters,
    parse_level_pair,
    parse_min_score,
    parse_theme,
    parse_top,
)
from graph.model import Extraction, Relation, make_evidence
from graph.stores.sqlite_store import SQLiteStore
from queries.coordination import level_matrix
from tests.fixtures.explorer import harness
from tests.fixtures.explorer.dataset import (
    BARRIOS,
    BONO,
    CEPAL,
    CORFO,
    FONDO,
    GORE,
    HOSTILE,
    INSTITUTIONS,
    MESA,
    MUNI,
    SEMILLA,
    SERCOTEC,
    TEXT,
    TIES,
    build_dataset,
    entities,
    extraction,
)
from tests.fixtures.settings import settings_for

LEVELS = {e.id: e.level for e in entities()}
ENDPOINTS = {
    "/analysis/coordination": ("level_pair", "country", "theme", "top"),
    "/analysis/coordination/matrix": ("country", "theme", "min_score"),
    "/analysis/gaps": ("level_pair", "country", "theme", "top", "min_score"),
    "/analysis/brokers": ("country", "theme", "top"),
    "/analysis/overlap": ("level_pair", "country", "theme", "top", "min_score"),
    "/analysis/duplication": (
        "level_pair", "country", "theme", "top", "min_score", "institutions"
    ),
}


dataset = harness.dataset
client = harness.client
graph = harness.graph


def get_json(client: TestClient, url: str, **params) -> dict:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def get_csv(client: TestClient, url: str, **params) -> list[dict[str, str]]:
    response = client.get(url, params={**params, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def assert_exact_quotes(items: list[dict]) -> None:
    for ev in items:
        assert TEXT[ev["start"]:ev["end"]] == ev["quote"]


# --------------------------------------------------------------------------- coordination


def test_ties_are_the_constructed_ties_with_their_channels(client: TestClient) -> None:
    body = get_json(client, "/analysis/coordination")
    found = {(t["a"], t["b"]): {c["kind"] for c in t["channels"]} for t in body["ties"]}
    assert found == TIES
    assert body["total"] == len(TIES)
    for tie in body["ties"]:
        assert tie["evidence"]
        assert_exact_quotes(tie["evidence"])
        for channel in tie["channels"]:
            assert_exact_quotes(channel["evidence"])
    shared = next(t for t in body["ties"] if (t["a"], t["b"]) == pair(MUNI, SERCOTEC))
    vias = {c["via"] for c in shared["channels"]}
    assert vias == {MESA, BARRIOS}


def test_ties_filtered_by_level_pair_keep_one_side_at_each_level(client: TestClient) -> None:
    body = get_json(client, "/analysis/coordination", level_pair="national,regional")
    expected = {key for key in TIES
                if {LEVELS[key[0]], LEVELS[key[1]]} == {"national", "regional"}}
    assert {(t["a"], t["b"]) for t in body["ties"]} == expected
    assert expected  # SERCOTEC with the regional government and with the Mesa


def test_ties_filtered_by_theme_need_it_in_both_profiles(client: TestClient) -> None:
    # Only SERCOTEC and the Municipality run Barrios Comerciales (sme_development).
    by_id = get_json(client, "/analysis/coordination", theme="sme_development")
    by_label = get_json(client, "/analysis/coordination", theme="Desarrollo de mipymes")
    assert [(t["a"], t["b"]) for t in by_id["ties"]] == [pair(MUNI, SERCOTEC)]
    assert by_label["ties"] == by_id["ties"]
    assert by_label["filters"]["theme"] == "sme_development"


def test_ties_filtered_by_country_leave_out_the_international_body(client: TestClient) -> None:
    body = get_json(client, "/analysis/coordination", country="cl")
    assert body["filters"]["country"] == "CL"
    assert {(t["a"], t["b"]) for t in body["ties"]} == {k for k in TIES if CEPAL not in k}


def test_top_cuts_the_list_and_total_counts_every_tie(client: TestClient) -> None:
    full = get_json(client, "/analysis/coordination")["ties"]
    body = get_json(client, "/analysis/coordination", top=2)
    assert body["ties"] == full[:2]
    assert body["total"] == len(TIES)


def test_csv_has_the_json_rows_in_the_same_order(client: TestClient) -> None:
    ties = get_json(client, "/analysis/coordination")["ties"]
    rows = get_csv(client, "/analysis/coordination")
    assert [(r["a"], r["b"]) for r in rows] == [(t["a"], t["b"]) for t in ties]
    assert all(r["quote"] for r in rows)


def test_matrix_without_filters_is_the_query_matrix(client: TestClient, graph) -> None:
    body = get_json(client, "/analysis/coordination/matrix")
    assert body["matrix"] == level_matrix(graph, overlap_threshold=0.2).model_dump()
    rows = get_csv(client, "/analysis/coordination/matrix")
    assert len(rows) == len(body["matrix"]["cells"])


def test_scoped_matrix_over_everyone_equals_the_query_matrix(graph) -> None:
    import numpy as np

    from queries.profiles import institution_table

    everyone = np.ones(len(institution_table(graph).ids), dtype=bool)
    for threshold in (0.0, 0.2, 0.5, 0.9):
        assert scoped_level_matrix(graph, threshold, everyone) == level_matrix(
            graph, overlap_threshold=threshold)


def test_matrix_by_country_counts_only_that_countrys_institutions(client: TestClient) -> None:
    matrix = get_json(client, "/analysis/coordination/matrix", country="CL")["matrix"]
    assert matrix["levels"] == ["national", "regional", "local"]  # CEPAL has no country
    cell = next(c for c in matrix["cells"]
                if (c["level_a"], c["level_b"]) == ("national", "regional"))
    national = [i for i in INSTITUTIONS if LEVELS[i] == "national" and i != CEPAL]
    regional = [i for i in INSTITUTIONS if LEVELS[i] == "regional"]
    assert cell["institution_pairs"] == len(national) * len(regional)
    assert cell["tied_pairs"] == sum(
        1 for a, b in TIES if {LEVELS[a], LEVELS[b]} == {"national", "regional"}
    )


def test_gaps_are_untied_overlapping_pairs_above_the_threshold(client: TestClient) -> None:
    gaps = get_json(client, "/analysis/gaps")["gaps"]
    assert gaps, "the regional government and CORFO overlap and have no tie"
    assert (gaps[0]["a"], gaps[0]["b"]) == pair(CORFO, GORE)
    for gap in gaps:
        assert pair(gap["a"], gap["b"]) not in TIES
        assert gap["overlap"] >= 0.2
        assert gap["reasons"]
    strict = get_json(client, "/analysis/gaps", min_score=gaps[0]["overlap"])["gaps"]
    assert [g["overlap"] for g in strict] == [g["overlap"] for g in gaps
                                              if g["overlap"] >= gaps[0]["overlap"]]
    above = min(1.0, gaps[0]["overlap"] + 0.01)
    assert get_json(client, "/analysis/gaps", min_score=above)["gaps"] == []


def test_brokers_are_the_institutions_cross_level_paths_go_through(client: TestClient) -> None:
    # CEPAL (supranational) reaches the regional and local actors only through CORFO and
    # SERCOTEC; the regional and local actors are tied directly to each other.
    brokers = get_json(client, "/analysis/brokers")["brokers"]
    assert {b["id"] for b in brokers} == {CORFO, SERCOTEC}
    themed = get_json(client, "/analysis/brokers", theme="sme_development")["brokers"]
    assert [b["id"] for b in themed] == [SERCOTEC]
    assert get_json(client, "/analysis/brokers", top=1)["brokers"] == brokers[:1]


def test_path_runs_over_ties_between_institutions(client: TestClient) -> None:
    body = get_json(client, "/analysis/path", a=CEPAL, b=MUNI)
    assert body["found"] is True
    assert [n["id"] for n in body["path"]["nodes"]] == [CEPAL, CORFO, SERCOTEC, MUNI]
    for step in body["path"]["steps"]:
        assert_exact_quotes(step["evidence"])
    rows = get_csv(client, "/analysis/path", a=CEPAL, b=MUNI)
    assert [r["target"] for r in rows] == [CORFO, SERCOTEC, MUNI]


def test_path_between_unconnected_entities_is_not_found(client: TestClient) -> None:
    body = get_json(client, "/analysis/path", a=HOSTILE, b=CEPAL)
    assert body == {"revision": body["revision"], "a": HOSTILE, "b": CEPAL, "found": False,
                    "path": None}


def test_path_with_an_unknown_entity_is_404(client: TestClient) -> None:
    response = client.get("/analysis/path", params={"a": CEPAL, "b": "inst:nadie"})
    assert response.status_code == 404
    assert "inst:nadie" in response.json()["detail"]


# --------------------------------------------------------------------------- overlap, duplication


def test_overlap_ranks_the_stated_overlap_first_with_what_they_share(client: TestClient) -> None:
    body = get_json(client, "/analysis/overlap")
    first = body["pairs"][0]
    assert (first["a"], first["b"]) == pair(CORFO, GORE)
    assert first["explicit"] is True
    assert "entrepreneurship" in first["shared"]["themes"]
    assert_exact_quotes(first["evidence"])
    scores = [p["score"] for p in body["pairs"]]
    assert scores == sorted(scores, reverse=True)


def test_overlap_filters(client: TestClient) -> None:
    pairs = get_json(client, "/analysis/overlap", level_pair="national,local")["pairs"]
    assert pairs
    assert all({LEVELS[p["a"]], LEVELS[p["b"]]} == {"national", "local"} for p in pairs)
    kept = get_json(client, "/analysis/overlap", min_score=0.5)["pairs"]
    assert kept and all(p["score"] >= 0.5 for p in kept)
    assert get_json(client, "/analysis/overlap", country="Chile")["filters"]["country"] == "Chile"


def test_duplication_finds_the_cross_level_twin_first(client: TestClient) -> None:
    body = get_json(client, "/analysis/duplication")
    first = body["pairs"][0]
    assert (first["a"], first["b"]) == pair(SEMILLA, FONDO)
    assert first["cross_level"] is True
    assert set(first["breakdown"]) == set(body["weights"])
    assert first["responsible_a"] and first["responsible_b"]
    assert_exact_quotes(first["evidence_a"] + first["evidence_b"])
    assert {BONO} <= {p["a"] for p in body["pairs"]} | {p["b"] for p in body["pairs"]}
    rows = get_csv(client, "/analysis/duplication")
    assert [(r["a"], r["b"]) for r in rows] == [(p["a"], p["b"]) for p in body["pairs"]]


def test_duplication_by_level_pair(client: TestClient) -> None:
    pairs = get_json(client, "/analysis/duplication", level_pair="national,regional")["pairs"]
    assert pairs
    assert all({LEVELS[p["a"]], LEVELS[p["b"]]} == {"national", "regional"} for p in pairs)


def test_duplication_by_institutions_splits_the_pairs(client: TestClient) -> None:
    every = get_json(client, "/analysis/duplication", top="500", institutions="any")["pairs"]
    default = get_json(client, "/analysis/duplication", top="500")
    different = get_json(client, "/analysis/duplication", top="500", institutions="different")
    assert default == different
    same = get_json(client, "/analysis/duplication", top="500", institutions="same")
    assert different["filters"]["institutions"] == "different"
    assert all(p["same_institution"] for p in same["pairs"])
    assert {pair(p["a"], p["b"]) for p in same["pairs"]} == {
        pair(p["a"], p["b"]) for p in every if p["same_institution"]
    }
    assert different["pairs"] and not any(p["same_institution"] for p in different["pairs"])
    assert {pair(p["a"], p["b"]) for p in different["pairs"]} == {
        pair(p["a"], p["b"]) for p in every if not p["same_institution"]
    }


# --------------------------------------------------------------------------- validation


BAD_VALUES = [
    ("top", "0"), ("top", "501"), ("top", "muchos"), ("min_score", "-0.1"),
    ("min_score", "1.5"), ("min_score", "nan"), ("level_pair", "national"),
    ("level_pair", "national,federal"), ("level_pair", "a,b,c"), ("theme", "astrologia"),
    ("country", "<script>"), ("country", "C1"), ("format", "xml"),
    ("institutions", "otras"),
]


@pytest.mark.parametrize(("endpoint", "name", "value"), [
    (endpoint, name, value) for endpoint, taken in ENDPOINTS.items()
    for name, value in BAD_VALUES if name in (*taken, "format")
])
def test_bad_values_are_422_naming_the_parameter(
    client: TestClient, endpoint: str, name: str, value: str
) -> None:
    response = client.get(endpoint, params={name: value})
    assert response.status_code == 422, response.text
    body = response.json()
    assert name in (body.get("message") or body["detail"])


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_parameters_an_endpoint_does_not_take_are_422(client: TestClient, endpoint: str) -> None:
    for name in ("level_pair", "country", "theme", "top", "min_score", "levelpair"):
        if name in ENDPOINTS[endpoint]:
            continue
        value = {"level_pair": "national,local", "top": "3", "min_score": "0.5"}.get(name, "x")
        response = client.get(endpoint, params={name: value})
        assert response.status_code == 422, (endpoint, name)
        assert repr(name) in response.json()["message"]


def test_path_needs_valid_ids(client: TestClient) -> None:
    assert client.get("/analysis/path", params={"a": CEPAL}).status_code == 422
    assert client.get("/analysis/path", params={"a": "no id", "b": CEPAL}).status_code == 422


# --------------------------------------------------------------------------- determinism, cache


def test_answers_are_identical_across_calls_and_app_instances(dataset, client) -> None:
    urls = [f"{endpoint}?format={fmt}" for endpoint in ENDPOINTS for fmt in ("json", "csv")]
    first = {url: client.get(url).content for url in urls}
    assert {url: client.get(url).content for url in urls} == first
    with TestClient(create_app(settings=settings_for(dataset.url))) as other:
        assert {url: other.get(url).content for url in urls} == first


def _write_new_tie(url: str) -> None:
    """Add, in a second document, a statement that the Municipality coordinates with CEPAL."""
    original = extraction()
    text = "La Municipalidad de Valparaíso coordina con la CEPAL.\n"
    document = original.document.model_copy(update={
        "id": "b" * 64, "path": "fixtures/explorer/otro.txt", "title": "Otro", "text": text})
    passage = original.passages[0].model_copy(update={
        "id": f"{'b' * 16}:0-{len(text) - 1}", "document_id": document.id, "start": 0,
        "end": len(text) - 1, "text": text[:-1]})
    relation = Relation(source=MUNI, type="COORDINATES_WITH", target=CEPAL, evidence=[
        make_evidence(document, passage, 0, len(text) - 1, extractor="fixture")])
    store = SQLiteStore(url)
    try:
        store.write(Extraction(document=document, passages=[passage],
                               entities=[e for e in original.entities if e.id in (MUNI, CEPAL)],
                               relations=[relation]))
    finally:
        store.close()


def test_cache_answers_repeats_and_a_new_revision_recomputes(tmp_path: Path) -> None:
    dataset = build_dataset(tmp_path / "tejido.db")
    with TestClient(create_app(settings=settings_for(dataset.url))) as client:
        before = get_json(client, "/analysis/coordination")
        answers = client.app.state.answers  # whole answers, per store revision
        hits = answers.hits
        assert get_json(client, "/analysis/coordination") == before
        assert answers.hits == hits + 1
        _write_new_tie(dataset.url)
        after = get_json(client, "/analysis/coordination")
        assert after["revision"] > before["revision"]
        assert pair(CEPAL, MUNI) in {(t["a"], t["b"]) for t in after["ties"]}
        assert pair(CEPAL, MUNI) not in {(t["a"], t["b"]) for t in before["ties"]}


def test_a_page_served_again_from_the_cache_keeps_its_security_headers(tmp_path: Path) -> None:
    dataset = build_dataset(tmp_path / "tejido.db")
    with TestClient(create_app(settings=settings_for(dataset.url))) as client:
        answers = client.app.state.answers
        for path, framed in (("/explore/coordination", "'none'"),
                             ("/explore/view/coordination", "*")):
            first = client.get(path)
            hits = answers.hits
            again = client.get(path)
            assert answers.hits == hits + 1  # the second answer came from the cache
            assert again.content == first.content
            policy = again.headers["content-security-policy"]
            assert policy == first.headers["content-security-policy"]
            assert f"frame-ancestors {framed}" in policy
            assert again.headers["x-content-type-options"] == "nosniff"
            assert ("x-frame-options" in again.headers) == (framed == "'none'")


def test_result_cache_keeps_the_latest_and_drops_older_revisions() -> None:
    cache = ResultCache(capacity=2)
    calls: list[str] = []

    def compute(value: str):
        return lambda: calls.append(value) or value

    assert cache.get(1, "a", compute("a1")) == "a1"
    assert cache.get(1, "a", compute("again")) == "a1"
    cache.get(1, "b", compute("b1"))
    cache.get(1, "c", compute("c1"))  # capacity 2: "a" goes
    assert cache.get(1, "a", compute("a1'")) == "a1'"
    assert cache.get(2, "b", compute("b2")) == "b2"  # a newer revision drops revision 1
    assert cache.get(2, "c", compute("c2")) == "c2"
    assert calls == ["a1", "b1", "c1", "a1'", "b2", "c2"]


# --------------------------------------------------------------------------- parsing, CSV


def test_filter_parsing(graph) -> None:
    assert parse_level_pair(" national , local ") == ("national", "local")
    assert parse_level_pair("") is None
    assert parse_country("cl") == "CL"
    assert parse_country("República Dominicana") == "República Dominicana"
    assert parse_top(None) == 50 and parse_top("7") == 7
    assert parse_min_score("0,25") == 0.25 and parse_min_score(" ") is None
    assert parse_theme("INNOVACIÓN", graph) == "innovation"
    assert parse_theme("Emprendimiento", graph) == "entrepreneurship"
    for bad in (lambda: parse_top(True), lambda: parse_min_score("inf"),
                lambda: parse_country("12"), lambda: parse_theme("<b>", graph)):
        with pytest.raises(FilterError):
            bad()


def test_filters_round_trip_through_their_query(graph) -> None:
    filters = AnalysisFilters(level_pair=("national", "local"), country="CL",
                              theme="innovation", top=7, min_score=0.35)
    assert parse_filters(filters.as_query(), graph) == filters
    assert AnalysisFilters().as_query() == {}


def test_csv_cells_that_look_like_formulas_are_defused() -> None:
    assert defuse("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert defuse("@SUM(A1)") == "'@SUM(A1)" and defuse("-1+1") == "'-1+1"
    assert defuse("Municipalidad") == "Municipalidad" and defuse(0.5) == 0.5
    text = safe_csv([{"name": "+cmd", "score": 1}])
    assert list(csv.reader(io.StringIO(text))) == [["name", "score"], ["'+cmd", "1"]]


# --------------------------------------------------------------------------- scale


@pytest.mark.slow
def test_warm_answers_match_the_first_ones_on_a_large_store(tmp_path: Path) -> None:
    """Warm answers (served from the revision's cache) are the answers computed cold; how fast
    they are is measured over HTTP by bench/duplication.py, not asserted here."""
    from tests.fixtures.explorer.synthetic_store import build_synthetic_store

    url = build_synthetic_store(tmp_path / "large.db", instruments=3000)
    with TestClient(create_app(settings=settings_for(url))) as client:
        urls = [f"{endpoint}?format={fmt}" for endpoint in ENDPOINTS for fmt in ("json", "csv")]
        cold = {url_: client.get(url_) for url_ in urls}
        for url_, first in cold.items():
            assert first.status_code == 200, url_
            assert client.get(url_).content == first.content, url_
