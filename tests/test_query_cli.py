"""``tejido query``: the analyses from the command line, on the explorer's store.

The command and the REST endpoints read their filters with the same parsers and run the
same functions, so their answers must agree row for row.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from app.cli import app
from tests.fixtures.explorer import harness

dataset = harness.dataset
client = harness.client

ANALYSES = {
    "coordination": "/analysis/coordination",
    "gaps": "/analysis/gaps",
    "brokers": "/analysis/brokers",
    "overlap": "/analysis/overlap",
    "duplication": "/analysis/duplication",
}
ITEMS = {"coordination": "ties", "gaps": "gaps", "brokers": "brokers", "overlap": "pairs",
         "duplication": "pairs"}


def query(dataset, *args: str) -> Result:  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["query", *args, "--store", dataset.url])


def keys(item: dict) -> tuple:
    return tuple(item.get(k) for k in ("a", "b", "id"))


@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_json_rows_are_the_api_rows(dataset, client: TestClient, analysis: str) -> None:
    result = query(dataset, analysis, "--format", "json", "--top", "5")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    answer = client.get(ANALYSES[analysis], params={"top": "5"}).json()
    assert [keys(i) for i in printed] == [keys(i) for i in answer[ITEMS[analysis]]]
    assert printed, f"{analysis} found nothing on the explorer's store"


def test_filters_mean_the_same_as_in_the_api(dataset, client: TestClient) -> None:
    # a theme given by its label keeps the ties whose both sides have it (one, here)
    result = query(dataset, "coordination", "--format", "json", "--theme", "Desarrollo de mipymes")
    assert result.exit_code == 0, result.output
    answer = client.get("/analysis/coordination", params={"theme": "sme_development"}).json()
    printed = [keys(i) for i in json.loads(result.output)]
    assert printed == [keys(i) for i in answer["ties"]]
    assert len(printed) == 1


def test_duplication_by_institutions(dataset) -> None:
    every = json.loads(query(dataset, "duplication", "--format", "json").output)
    different = json.loads(
        query(dataset, "duplication", "--format", "json", "--institutions", "different").output
    )
    assert [keys(p) for p in different] == [keys(p) for p in every if not p["same_institution"]]


def test_csv_and_table_show_the_same_pairs(dataset) -> None:
    printed = query(dataset, "duplication", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(printed)))
    assert rows and {"a", "b", "score"} <= set(rows[0])
    table = query(dataset, "duplication", "--top", "3")
    assert table.exit_code == 0
    assert "duplication (3)" in table.output


@pytest.mark.parametrize(("args", "option"), [
    (("--level-pair", "national"), "--level-pair"),
    (("--level-pair", "national,federal"), "--level-pair"),
    (("--theme", "astrologia"), "--theme"),
    (("--institutions", "otras"), "--institutions"),
    (("--country", "<script>"), "--country"),
])
def test_bad_filters_name_the_option(dataset, args: tuple[str, str], option: str) -> None:
    result = query(dataset, "duplication", *args)
    assert result.exit_code == 2
    assert option in " ".join(result.output.split())
